"""Progress over sessions in a browser: both partners check in, the therapist sees it work (or not).

Sanne and Thomas are in therapy. Three sessions are behind them (their
check-ins are in the database); the next three happen in this test: before
each session both partners check in on their phone (390 px), after it both
rate the session. Time is moved by moving the session: planned half an hour
ahead for the check-in before it, then held an hour ago for the one after.

Neither partner changes reliably, and Thomas feels less and less heard. The
therapist opens the case at 1366 px, finds both progress lines, and on the
guidance page ``progress.not-on-track`` and ``alliance.split``.

Statuses need the outcome measure's SD and reliability, and the CSI-4 key
ships none that could be verified (docs/questionnaires.md). So the practice
admin enters the values the practice uses on the Reliable change page, with
their source; here SD 4 and reliability 0.9, values for this test only
(S_diff = 4 x sqrt(2) x sqrt(0.1) = 1.79 points, a reliable change is more
than 3.51 points). Before that the therapist's page says that there are no
statuses and links to that page; after it, every status names the source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import PHONE, Therapist
from tests.e2e.test_guidance_journey import no_horizontal_overflow
from tests.e2e.test_journey import log_in

pytestmark = pytest.mark.e2e

NewContext = Callable[..., BrowserContext]
Shot = Callable[[Page, str], None]
MEASURE = "csi-4"
ADMIN_EMAIL, ADMIN_PASSWORD = "beheer@voortgang.example", "Beheer-heeft-een-wachtwoord-3"
SOURCE = "Waarden voor deze browsertest, niet uit een publicatie"
THERAPIST_SCREEN = {"width": 1366, "height": 900}
A_EMAIL, A_PASSWORD = "sanne@voortgang.example", "Sanne-heeft-een-wachtwoord-1"
B_EMAIL, B_PASSWORD = "thomas@voortgang.example", "Thomas-heeft-een-wachtwoord-2"
# Per session: the outcome answers (items 1-4) and the alliance check (items 1-4).
OUTCOME = {
    "A": [(3, 3, 2, 2), (3, 3, 3, 2), (3, 2, 3, 2), (3, 3, 2, 3), (3, 2, 2, 3), (3, 3, 3, 2)],
    "B": [(3, 2, 2, 2), (3, 3, 2, 2), (2, 2, 3, 2), (3, 2, 2, 3), (3, 2, 2, 2), (3, 3, 2, 2)],
}
ALLIANCE = {
    "A": [(9, 9, 8, 9)] * 6,
    "B": [(8, 8, 8, 8), (7, 7, 7, 7), (6, 7, 6, 6), (6, 5, 5, 6), (5, 4, 5, 4), (3, 4, 3, 3)],
}
EARLIER = 3  # sessions whose check-ins are already stored


def make_couple(therapist: Therapist) -> int:
    from django.utils import timezone

    from dyade.accounts.models import Role, User
    from dyade.cases.models import Case, CaseKind, Partner
    from dyade.questionnaires.models import InstrumentText

    staff = User.objects.get(email=therapist.email)
    case = Case.objects.create(
        practice=staff.practice, label="S & T", kind=CaseKind.COUPLE, created_by=staff
    )
    case.therapists.add(staff)
    for slot, name, email, password in (
        ("A", "Sanne", A_EMAIL, A_PASSWORD),
        ("B", "Thomas", B_EMAIL, B_PASSWORD),
    ):
        user = User.objects.create_user(
            email=email, password=password, role=Role.PARTNER, practice=staff.practice, name=name
        )
        Partner.objects.create(case=case, slot=slot, name=name, user=user, joined_at=timezone.now())
    User.objects.create_user(
        email=ADMIN_EMAIL,
        password=ADMIN_PASSWORD,
        role=Role.PRACTICE_ADMIN,
        practice=staff.practice,
        name="Anouk",
    )
    InstrumentText.objects.create(
        practice=staff.practice,
        instrument=MEASURE,
        version="1",
        language="nl",
        items={str(n): f"Testvraag {n} over de relatie" for n in range(1, 5)},
    )
    return int(case.pk)


def _session(case_pk: int, starts: dt.datetime, attendance: str) -> int:
    from dyade.accounts.models import User
    from dyade.sessions.models import Appointment

    therapist = User.objects.get(role="therapist")
    appointment = Appointment.objects.create(
        case_id=case_pk,
        starts_at=starts,
        attendance=attendance,
        therapist=therapist,
        created_by=therapist,
    )
    return int(appointment.pk)


def _days_ago(index: int) -> dt.timedelta:
    """Session ``index`` (0-based) of six, weekly; the last one is today."""
    return dt.timedelta(days=7 * (5 - index), hours=1)


def store_earlier_sessions(case_pk: int) -> None:
    from django.utils import timezone

    from dyade.cases.models import Partner
    from dyade.questionnaires.models import Administration, Status

    for index in range(EARLIER):
        starts = timezone.now() - _days_ago(index)
        appointment = _session(case_pk, starts, "both")
        for partner in Partner.objects.filter(case_id=case_pk):
            for moment, instrument, answers in (
                ("before", MEASURE, OUTCOME[partner.slot][index]),
                ("after", "dyade-alliance", ALLIANCE[partner.slot][index]),
            ):
                administration = Administration(
                    case_id=case_pk,
                    partner=partner,
                    instrument=instrument,
                    version="1",
                    status=Status.SUBMITTED,
                    submitted_at=starts,
                    appointment_id=appointment,
                    moment=moment,
                )
                administration.set_answers({str(n): v for n, v in enumerate(answers, 1)})
                administration.save()


def move_session(pk: int, starts: dt.datetime, attendance: str) -> None:
    from dyade.sessions.models import Appointment

    Appointment.objects.filter(pk=pk).update(starts_at=starts, attendance=attendance)


def check_in(phone: Page, site: str, moment: str, answers: tuple[int, ...]) -> None:
    """From the home page: start the check-in, answer the four questions, send it."""
    phone.goto(f"{site}/me/")
    card = phone.locator(f"#check-in-{moment}")
    expect(card).to_be_visible()
    card.locator("button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/me/questionnaires/\d+/page/1/$"))
    no_horizontal_overflow(phone, PHONE["width"])
    for number, value in enumerate(answers, 1):
        phone.locator(f'label:has(> input[name="q-{number}"][value="{value}"]) span').click()
        expect(phone.locator(f'input[name="q-{number}"][value="{value}"]')).to_be_checked()
    phone.locator("#questionnaire-form button[name=action][value=next]").click()
    expect(phone).to_have_url(re.compile(r"/me/questionnaires/\d+/review/$"))
    phone.locator("form.card button[type=submit]").click()
    phone.goto(f"{site}/me/")
    expect(phone.locator(f"#check-in-{moment}")).to_have_count(0)


def choose_the_measure(page: Page, site: str, case_pk: int) -> None:
    page.goto(f"{site}/cases/{case_pk}/sessions/")
    form = page.locator(f"form[action='/cases/{case_pk}/sessions/check-ins/']")
    form.locator("select[name=outcome]").select_option(MEASURE)
    form.locator("select[name=alliance]").select_option("dyade-alliance")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()


def test_both_partners_check_in_and_the_therapist_sees_the_therapy_stall(
    site: str,
    therapist: Therapist,
    new_context: NewContext,
    shot: Shot,
) -> None:
    from django.utils import timezone

    case_pk = make_couple(therapist)
    desk = new_context().new_page()
    desk.set_viewport_size(THERAPIST_SCREEN)
    log_in(desk, site, therapist.email, therapist.password, "/cases/")
    choose_the_measure(desk, site, case_pk)
    store_earlier_sessions(case_pk)

    phones = {}
    for slot, email, password in (("A", A_EMAIL, A_PASSWORD), ("B", B_EMAIL, B_PASSWORD)):
        phones[slot] = new_context(phone=True).new_page()
        log_in(phones[slot], site, email, password, "/me/")

    for index in range(EARLIER, 6):
        pk = _session(case_pk, timezone.now() + dt.timedelta(minutes=30), "planned")
        for slot, phone in phones.items():
            check_in(phone, site, "before", OUTCOME[slot][index])
        move_session(pk, timezone.now() - dt.timedelta(hours=1), "both")  # the session is over
        for slot, phone in phones.items():
            check_in(phone, site, "after", ALLIANCE[slot][index])
        move_session(pk, timezone.now() - _days_ago(index), "both")  # a week passes
        if index == EARLIER:
            phones["A"].goto(f"{site}/me/")
            shot(phones["A"], "progress-01-partner-home")

    # Without values for reliable change the therapist's page has no statuses, and says why.
    desk.goto(f"{site}/cases/{case_pk}/progress/")
    expect(desk.locator(".no-statuses")).to_have_count(2)
    expect(desk.locator("#sessions .status")).to_have_count(0)
    link = desk.locator("#progress-A .no-statuses a")
    expect(link).to_have_attribute("href", "/practice/reliable-change/")

    # The practice admin enters the practice's values, with their source (a Dutch comma).
    admin = new_context().new_page()
    admin.set_viewport_size(THERAPIST_SCREEN)
    log_in(admin, site, ADMIN_EMAIL, ADMIN_PASSWORD, "/practice/")
    admin.locator("nav a[href='/practice/reliable-change/']").click()
    expect(admin).to_have_url(f"{site}/practice/reliable-change/")
    admin.locator("select[name=instrument]").select_option(MEASURE)
    admin.fill("#id_sd", "4")
    admin.fill("#id_reliability", "1,2")  # a slip: kept, with a message
    admin.fill("#id_source", SOURCE)
    admin.locator("form.card button[type=submit]").click()
    expect(admin.locator(".field.has-error")).to_have_count(1)
    expect(admin.locator("#id_source")).to_have_value(SOURCE)
    admin.fill("#id_reliability", "0,9")
    admin.locator("form.card button[type=submit]").click()
    expect(admin.locator(f"#values-{MEASURE}")).to_contain_text(SOURCE)
    no_horizontal_overflow(admin, THERAPIST_SCREEN["width"])
    shot(admin, "progress-00-admin-values")

    # Sanne looks at her own chart on her phone, with her own ratings of the sessions.
    mine = phones["A"]
    mine.goto(f"{site}/me/progress/")
    expect(mine.locator("#mine circle.dot")).to_have_count(6)
    expect(mine.locator("#my-alliance circle.dot")).to_have_count(6)
    expect(mine.locator("#mine .values-source")).to_contain_text(SOURCE)
    no_horizontal_overflow(mine, PHONE["width"])
    shot(mine, "progress-02-partner-chart")
    mine.set_viewport_size({"width": 320, "height": 700})
    no_horizontal_overflow(mine, 320)
    shot(mine, "progress-02b-partner-chart-320")
    mine.set_viewport_size(PHONE)
    # Thomas sees none of Sanne's until she shares her chart; then only her outcome.
    theirs = phones["B"]
    theirs.goto(f"{site}/me/progress/")
    expect(theirs.locator("#theirs")).to_have_count(0)
    expect(theirs.locator("svg circle.partner-a")).to_have_count(0)
    mine.locator("#sharing button[name=shared][value=yes]").click()
    expect(mine.locator("#sharing button[name=shared][value=no]")).to_be_visible()
    theirs.goto(f"{site}/me/progress/")
    expect(theirs.locator("#theirs circle.dot.partner-a")).to_have_count(6)
    expect(theirs.locator("svg circle.partner-a")).to_have_count(6)  # not her alliance
    no_horizontal_overflow(theirs, PHONE["width"])
    shot(theirs, "progress-02c-shared-with-partner")

    # The therapist: both lines on the progress page, then the two signals.
    desk.goto(f"{site}/cases/{case_pk}/")
    desk.locator("#progress-link").click()
    expect(desk).to_have_url(f"{site}/cases/{case_pk}/progress/")
    for slot in ("A", "B"):
        expect(desk.locator(f"#progress-{slot} circle.dot")).to_have_count(6)
        expect(desk.locator(f"#progress-{slot} .rc-band").first).to_be_visible()
    expect(desk.locator("#alliance circle.dot")).to_have_count(12)
    expect(desk.locator("#sessions tbody tr")).to_have_count(6)
    expect(desk.locator("#sessions .status-unchanged")).to_have_count(10)
    for slot in ("A", "B"):
        expect(desk.locator(f"#progress-{slot} .values-source")).to_contain_text(SOURCE)
    expect(desk.locator(".no-statuses")).to_have_count(0)
    no_horizontal_overflow(desk, THERAPIST_SCREEN["width"])
    shot(desk, "progress-03-therapist")

    desk.goto(f"{site}/cases/{case_pk}/guidance/")
    expect(desk.locator('[id="signal-progress.not-on-track"]')).to_be_visible()
    expect(desk.locator('[id="signal-alliance.split"]')).to_be_visible()
    expect(desk.locator('[id="signal-alliance.split"]')).to_contain_text("Thomas")
    shot(desk, "progress-04-guidance")
