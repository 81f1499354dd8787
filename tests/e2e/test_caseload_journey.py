"""The therapist's week in a browser: the caseload, a session, a case that ends.

At 1366 px the therapist opens the caseload: a case whose safety screen shows a
sign comes first, saying only "attention". They open the couple they see today
from the list, look at the session brief, print the intake report as a PDF, and
after the last session close the case with an outcome: stopped early, by partner
B. The case leaves the open caseload and is found under "closed" and by its
name. The therapist then gives the partners a closing summary: the closing note,
edited for them, with the cycle map they were shown and the exercise they did
together, seen in a preview first. On their phones (390 px, and 320 px) both
partners then see that their therapy was closed, with that summary (never the
internal note), and download it as a PDF; the diary and every other page of the
case send them home; their own data can still be downloaded.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from tests.conftest import A_INTAKE_ANSWERS, make_administration
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, PHONE, Therapist
from tests.e2e.test_guidance_journey import (
    A_EMAIL,
    A_PASSWORD,
    B_EMAIL,
    B_PASSWORD,
    dutch,
    make_couple,
    no_horizontal_overflow,
)
from tests.e2e.test_journey import log_in
from tests.e2e.test_phone_pages import MEASURE

pytestmark = pytest.mark.e2e

NewContext = Callable[..., BrowserContext]
Shot = Callable[[Page, str], None]
WIDE = {"width": 1366, "height": 900}
NARROW = {"width": 320, "height": 700}
CLOSING_NOTE = "Kasper wilde stoppen; Mila denkt na over individuele hulp."
PARTNER_WORDS = "Dank jullie wel voor jullie inzet. Jullie zijn altijd welkom."
CYCLE_WORDS = "zoekt contact"


def shared_work(case_pk: int) -> None:
    """What the partners had from their therapist: a published cycle map, an exercise."""
    import json

    from django.utils import timezone

    from dyade.cases.models import Case
    from dyade.exercises.models import Assignment
    from dyade.sessions.models import CycleVersion

    case = Case.objects.get(pk=case_pk)
    data = {"A": {"daily": {"position": "pursue", "behaviour": CYCLE_WORDS}}, "B": {}}
    CycleVersion.objects.create(
        case=case,
        number=1,
        data_json=json.dumps(data),
        created_by=case.created_by,
        published_at=timezone.now(),
        published_by=case.created_by,
    )
    Assignment.objects.create(case=case, slug="hug-till-relaxed", assigned_by=case.created_by)


def more_cases(therapist: Therapist) -> int:
    """Two more couples: one whose safety screen shows a sign, one quiet. Returns the first."""
    from dyade.accounts.models import User
    from dyade.cases.models import Case, CaseKind, Partner

    staff = User.objects.get(email=therapist.email)
    first = 0
    for label, answers in (("Ruth & Sem", A_INTAKE_ANSWERS), ("Iris & Bo", None)):
        case = Case.objects.create(
            practice=staff.practice, label=label, kind=CaseKind.COUPLE, created_by=staff
        )
        case.therapists.add(staff)
        for slot, name in (("A", label.split(" & ")[0]), ("B", label.split(" & ")[1])):
            partner = Partner.objects.create(case=case, slot=slot, name=name)
            if answers is not None and slot == "A":
                make_administration(partner, "dyade-intake", answers, sent=True)
        first = first or int(case.pk)
    return first


def test_the_therapist_closes_a_case_and_its_partners_see_it_closed(
    site: str, therapist: Therapist, browser: Browser, new_context: NewContext, shot: Shot
) -> None:
    from dyade.cases.models import Case

    case_pk = make_couple(therapist)  # Mila & Joost, who the therapist sees today
    shared_work(case_pk)
    unsafe_pk = more_cases(therapist)
    context = browser.new_context(viewport=WIDE, accept_downloads=True)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    log_in(page, site, therapist.email, therapist.password, "/cases/")

    # The caseload: safety first, without saying what.
    rows = page.locator("table.caseload tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_have_attribute("id", f"case-{unsafe_pk}")
    expect(rows.first).to_contain_text(dutch("attention"))
    expect(rows.first).not_to_contain_text("sometimes")
    no_horizontal_overflow(page, WIDE["width"])
    shot(page, "caseload-01-worklist-1366")

    # Today's couple, from the list: the session brief, then the intake report on paper.
    page.locator(f"#case-{case_pk} a[href='/cases/{case_pk}/']").click()
    expect(page).to_have_url(f"{site}/cases/{case_pk}/")
    page.locator("#brief-link").click()
    expect(page).to_have_url(f"{site}/cases/{case_pk}/brief/")
    page.goto(f"{site}/cases/{case_pk}/")
    page.locator("#reports-link").click()
    page.locator(f"a[href='/cases/{case_pk}/reports/intake/']").click()
    with page.expect_download() as download:
        page.get_by_role("button", name=dutch("Make the PDF")).click()
    text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Intakeverslag" in text

    # After the last session: closed with an outcome.
    page.goto(f"{site}/cases/{case_pk}/")
    page.locator("#manage-case").click()
    expect(page).to_have_url(f"{site}/cases/{case_pk}/manage/")
    page.locator("#close label:has(> input[value=stopped_early])").click()
    page.select_option("#id_stopped_by", "B")
    page.fill("#id_note", CLOSING_NOTE)
    page.locator("#close-case").click()
    expect(page.locator("#case-status")).to_contain_text(dutch("stopped early"))
    expect(page.locator("#case-status")).to_contain_text(CLOSING_NOTE)
    shot(page, "caseload-02-closed-1366")
    case = Case.objects.get(pk=case_pk)
    assert (case.status, case.outcome, case.stopped_by) == ("closed", "stopped_early", "B")

    # A summary for the partners: the closing note is the start, edited, previewed, given.
    page.locator("#partner-summary").click()
    expect(page).to_have_url(f"{site}/cases/{case_pk}/manage/summary/")
    expect(page.locator("#id_note")).to_have_value(CLOSING_NOTE)
    page.fill("#id_note", PARTNER_WORDS)
    page.locator("#summary-preview").click()
    expect(page.locator("#preview")).to_contain_text(PARTNER_WORDS)
    expect(page.locator("#preview")).to_contain_text(CYCLE_WORDS)
    no_horizontal_overflow(page, WIDE["width"])
    shot(page, "caseload-02b-summary-preview-1366")
    page.locator("#summary-give").click()
    expect(page.locator("#summaries-given")).to_contain_text(dutch("the partners see this one"))

    # Out of the way, but found.
    page.goto(f"{site}/cases/")
    expect(page.locator(f"#case-{case_pk}")).to_have_count(0)
    page.select_option("select[name=status]", "closed")
    page.fill("input[name=q]", "mila")
    page.get_by_role("button", name=dutch("Show")).click()
    expect(page.locator("table.caseload tbody tr")).to_have_count(1)
    expect(page.locator(f"#case-{case_pk}")).to_contain_text("Mila & Joost")
    context.close()

    # The partners, on their phones: closed, and no page of the case.
    for email, password, name in ((A_EMAIL, A_PASSWORD, "a"), (B_EMAIL, B_PASSWORD, "b")):
        phone = new_context(phone=True).new_page()
        log_in(phone, site, email, password, "/me/")
        expect(phone.locator("#case-closed")).to_be_visible()
        expect(phone.locator("body")).not_to_contain_text(CLOSING_NOTE)
        summary = phone.locator("#closing-summary")
        expect(summary).to_contain_text(PARTNER_WORDS)
        expect(summary).to_contain_text(CYCLE_WORDS)
        expect(summary).to_contain_text("Knuffelen tot je ontspant")
        no_horizontal_overflow(phone, PHONE["width"])
        assert phone.evaluate(MEASURE, False) == []  # every tap target 44 px
        shot(phone, f"caseload-03-partner-{name}-closed-390")
        with phone.expect_download() as download:
            phone.locator("#closing-pdf").click()
        pdf = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
        assert "Dank jullie wel" in pdf and "Kasper" not in pdf
        for path in ("/me/diary/", "/me/exercises/", "/me/questionnaires/", "/me/cycle/"):
            phone.goto(f"{site}{path}")
            expect(phone).to_have_url(f"{site}/me/")
        phone.locator("a.button[href='/me/data/']").click()
        expect(phone).to_have_url(f"{site}/me/data/")
        phone.set_viewport_size(NARROW)
        phone.goto(f"{site}/me/")
        no_horizontal_overflow(phone, NARROW["width"])
        assert phone.evaluate(MEASURE, False) == []
        shot(phone, f"caseload-04-partner-{name}-closed-320")
