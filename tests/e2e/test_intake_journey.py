"""Issue 3 in a real browser: the intake is saved page by page and stays with its author.

Partner A fills in half of Dyade's intake on a phone, closes the page without
sending, logs in again and finds every answer back, page by page. Partner B's
pages, and B's view of the case, show no trace of A's answers or of A's
safety part; A's questionnaire answers like a page that does not exist. The
therapist sees that A's intake is open and how far A got, but not the answers:
those reach the therapist only when A sends them.

Elements are found by name, class and URL, not by their (Dutch) text.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import Therapist
from tests.e2e.test_journey import log_in, reachable_pages

pytestmark = pytest.mark.e2e

NewContext = Callable[..., BrowserContext]
Shot = Callable[[Page, str], None]

INTAKE = "dyade-intake"
PAGE_COUNT = 10
SAFETY_PAGE = 9
PAGE_URL = re.compile(r"/me/questionnaires/(\d+)/page/(\d+)/$")

A_EMAIL, A_PASSWORD = "sanne@thuis.example", "rode-vlieger-boven-het-duin-3"
B_EMAIL, B_PASSWORD = "thomas@thuis.example", "gele-tram-door-de-stad-5"

# A random word in every text answer, so that any trace of it can be looked for.
TAG = uuid.uuid4().hex[:10]

# Pages 1 to 4 of the intake as A answers them: text, single choices, 0-10
# scales, a multiple choice, and one clinical item (page 2) that A never sees back.
PAGES: dict[int, dict[str, Any]] = {
    1: {
        "story.how-met": f"Op een feestje in Utrecht, café ’t Hoekje.\nIn 2012 ({TAG}-ontmoet)",
        "story.duration": "10-20",
        "story.reason": f"We praten langs elkaar heen {TAG}-reden",
        "story.hopes": f"Dat we weer samen kunnen lachen {TAG}-hoop",
        "story.good": f"Zondagochtend koffie op bed {TAG}-goed",
    },
    2: {
        "commitment.continue": "unsure",
        "commitment.love": 7,
        "commitment.detachment": 3,
        "commitment.motivation": 9,
        "commitment.other-relationship": "yes",
    },
    3: {
        "conflict.position": "pursue",
        "conflict.partner-position": "withdraw",
        "conflict.frequency": "weekly",
        "conflict.escalation": 6,
        "conflict.pattern": f"Ik zoek toenadering, hij trekt zich terug {TAG}-patroon",
    },
    4: {
        "sex.position": "avoid",
        "sex.satisfaction": 4,
        "sex.desire": 2,
        "sex.frequency": "monthly",
        "sex.frequency-wish": "weekly",
        "sex.orgasm": "sometimes",
        "sex.pain": "never",
        "sex.motives": ["closeness", "please-partner"],
        "sex.lover": 5,
        "sex.rejection": f"Ik voel me afgewezen en schaam me {TAG}-afwijzing",
    },
}
# The safety part (page 9): every item is seen by the therapist only.
SAFETY = {
    "safety.physical": "sometimes",
    "safety.psychological": "often",
    "safety.fear": "often",
    "safety.joint-sessions": "not-always",
}
CLINICAL = {"commitment.other-relationship", *SAFETY}
A_TRACES = [TAG, "Hoekje", "lachen", "afgewezen"]  # words only A typed


# --- steps ------------------------------------------------------------------


def field(link_id: str) -> str:
    return f'[name="q-{link_id}"]'


def option(link_id: str, value: object) -> str:
    return f'{field(link_id)}[value="{value}"]'


def is_text(value: object) -> bool:
    return isinstance(value, str) and TAG in value


def answer(page: Page, link_id: str, value: object) -> None:
    """Answer one question as a partner does: type, or tap the visible option."""
    if is_text(value):
        page.fill(f"textarea{field(link_id)}", value)
        return
    for choice in value if isinstance(value, list) else [value]:
        page.locator(f"label:has(> input{option(link_id, choice)}) span").click()
        expect(page.locator(option(link_id, choice))).to_be_checked()


def expect_answers(page: Page, answers: dict[str, Any]) -> None:
    """Every answer is shown back; clinical ones are not, not even to their author."""
    for link_id, value in answers.items():
        if link_id in CLINICAL:
            expect(page.locator(f"{field(link_id)}:checked")).to_have_count(0)
        elif is_text(value):
            expect(page.locator(f"textarea{field(link_id)}")).to_have_value(value)
        else:
            chosen = value if isinstance(value, list) else [value]
            expect(page.locator(f"{field(link_id)}:checked")).to_have_count(len(chosen))
            for choice in chosen:
                expect(page.locator(option(link_id, choice))).to_be_checked()


def snap(shot: Shot, page: Page, name: str) -> None:
    """A full-page screenshot from the top (the sticky header is drawn where it sits)."""
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, name)


def press(page: Page, action: str) -> None:
    page.locator(f"#questionnaire-form button[name=action][value={action}]").click()


def expect_page(page: Page, administration_id: int, number: int) -> None:
    expect(page).to_have_url(re.compile(rf"/me/questionnaires/{administration_id}/page/{number}/$"))


def give_intake_to_both(page: Page, site: str, case_pk: int) -> None:
    """The therapist gives the intake to both partners on the case's questionnaire page."""
    page.goto(f"{site}/cases/{case_pk}/questionnaires/")
    form = page.locator("form.assign")
    form.locator("select[name=instrument]").select_option(INTAKE)
    form.locator("input[name=who][value=both]").check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{site}/cases/{case_pk}/questionnaires/")
    expect(page.locator("table.table tbody tr")).to_have_count(2)


def make_couple(therapist: Therapist) -> tuple[int, int, int]:
    """A couple case of the therapist whose partners have both joined: (case, A, B) pks."""
    from django.utils import timezone

    from dyade.accounts.models import Role, User
    from dyade.cases.models import Case, CaseKind, Partner

    staff = User.objects.get(email=therapist.email)
    case = Case.objects.create(
        practice=staff.practice, label="Sanne & Thomas", kind=CaseKind.COUPLE, created_by=staff
    )
    case.therapists.add(staff)
    partners = []
    for slot, name, email, password in (
        ("A", "Sanne", A_EMAIL, A_PASSWORD),
        ("B", "Thomas", B_EMAIL, B_PASSWORD),
    ):
        user = User.objects.create_user(
            email=email, password=password, role=Role.PARTNER, practice=staff.practice, name=name
        )
        partner = Partner.objects.create(
            case=case, slot=slot, name=name, user=user, joined_at=timezone.now()
        )
        partners.append(partner.pk)
    return case.pk, partners[0], partners[1]


def stored(administration_id: int) -> Any:
    from dyade.questionnaires.models import Administration

    return Administration.objects.get(pk=administration_id)


def stored_answers(administration_id: int) -> dict[str, Any]:
    """The answers in the database; the browser sends a textarea's line breaks as CRLF."""
    answers = stored(administration_id).answers
    return {k: v.replace("\r\n", "\n") if isinstance(v, str) else v for k, v in answers.items()}


def expected_answers(*pages: int) -> dict[str, Any]:
    return {key: value for number in pages for key, value in PAGES[number].items()}


# --- the journey -------------------------------------------------------------


def test_intake_is_kept_for_its_author_only(
    site: str, therapist: Therapist, new_context: NewContext, shot: Shot
) -> None:
    from django.db import connection

    from dyade.questionnaires.models import Administration

    case_pk, partner_a, partner_b = make_couple(therapist)

    # The therapist gives the intake to both partners.
    staff = new_context().new_page()
    log_in(staff, site, therapist.email, therapist.password, "/cases/")
    give_intake_to_both(staff, site, case_pk)
    a_id = Administration.objects.get(partner_id=partner_a, instrument=INTAKE).pk
    b_id = Administration.objects.get(partner_id=partner_b, instrument=INTAKE).pk

    # A starts the intake from the home page on a phone and answers pages 1 to 4.
    phone_a = new_context(phone=True).new_page()
    log_in(phone_a, site, A_EMAIL, A_PASSWORD, "/me/")
    card = phone_a.locator(f'.questionnaire-card a.button[href="/me/questionnaires/{a_id}/"]')
    expect(card).to_be_visible()
    card.click()
    expect_page(phone_a, a_id, 1)
    for number, answers in PAGES.items():
        expect_page(phone_a, a_id, number)
        for link_id, value in answers.items():
            answer(phone_a, link_id, value)
        if number in (1, 2):
            snap(shot, phone_a, f"intake-0{number}-a-page{number}-filled-390")
        press(phone_a, "next")
    expect_page(phone_a, a_id, 5)

    # Half way, A closes the page without sending; the answers so far are stored.
    phone_a.context.close()
    administration = stored(a_id)
    assert administration.is_open and administration.submitted_at is None
    assert stored_answers(a_id) == expected_answers(1, 2, 3, 4)
    assert (administration.page, administration.pages_seen) == (4, 4)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT answers_json FROM {Administration._meta.db_table} WHERE id = %s", [a_id]
        )
        (raw,) = cursor.fetchone()
    assert TAG not in raw and "other-relationship" not in raw  # encrypted at rest

    # A logs in again in a fresh browser and goes on where they stopped: page 5.
    phone_a = new_context(phone=True).new_page()
    phone_a.goto(f"{site}/me/")
    expect(phone_a).to_have_url(f"{site}/account/login/?next=/me/")
    log_in(phone_a, site, A_EMAIL, A_PASSWORD, "/me/")
    card = phone_a.locator(f'.questionnaire-card a.button[href="/me/questionnaires/{a_id}/"]')
    expect(card).to_be_visible()
    snap(shot, phone_a, "intake-03-a-home-go-on-390")
    phone_a.goto(f"{site}/me/questionnaires/")
    expect(phone_a.locator("main ul.days li")).to_have_count(1)
    expect(phone_a.locator("main ul.days li")).to_contain_text(re.compile(r"\b4\D+10\b"))
    phone_a.goto(f"{site}/me/")
    card.click()
    expect_page(phone_a, a_id, 5)
    snap(shot, phone_a, "intake-04-a-resumed-page5-390")

    # Every answer is back on every page, walking back with the Back button.
    for number in (4, 3, 2, 1):
        press(phone_a, "back")
        expect_page(phone_a, a_id, number)
        expect_answers(phone_a, PAGES[number])
        if number == 2:
            snap(shot, phone_a, "intake-05-a-page2-found-again-390")
    expect(phone_a.locator("#questionnaire-form button[name=action][value=back]")).to_have_count(0)
    # Going back saved each page again; nothing changed, not even the unseen clinical answer.
    assert stored_answers(a_id) == expected_answers(1, 2, 3, 4)

    # A goes on through the pages and answers the safety part, then stops for now.
    for number in range(1, SAFETY_PAGE):
        expect_page(phone_a, a_id, number)
        press(phone_a, "next")
    expect_page(phone_a, a_id, SAFETY_PAGE)
    expect(phone_a.locator("main p.notice")).to_be_visible()
    for link_id, value in SAFETY.items():
        answer(phone_a, link_id, value)
    snap(shot, phone_a, "intake-06-a-safety-filled-390")
    press(phone_a, "stop")
    expect(phone_a).to_have_url(f"{site}/me/")
    administration = stored(a_id)
    assert administration.is_open
    assert stored_answers(a_id) == {**expected_answers(1, 2, 3, 4), **SAFETY}
    assert (administration.page, administration.pages_seen) == (SAFETY_PAGE - 1, SAFETY_PAGE)

    # Back on the safety page, A's own safety answers are not shown (a phone can be picked up).
    card.click()
    expect_page(phone_a, a_id, SAFETY_PAGE)
    expect(phone_a.locator("#questionnaire-form input:checked")).to_have_count(0)
    expect_answers(phone_a, SAFETY)
    snap(shot, phone_a, "intake-07-a-safety-not-shown-back-390")
    phone_a.context.close()

    # B logs in on a phone: B's own intake is there, and nothing of A's.
    phone_b = new_context(phone=True).new_page()
    log_in(phone_b, site, B_EMAIL, B_PASSWORD, "/me/")
    cards = phone_b.locator(".questionnaire-card a.button")
    expect(cards).to_have_count(1)
    expect(cards).to_have_attribute("href", f"/me/questionnaires/{b_id}/")
    snap(shot, phone_b, "intake-08-b-home-390")
    a_links = phone_b.locator(f'a[href*="/me/questionnaires/{a_id}/"]')
    pages = reachable_pages(phone_b, site)
    own = [f"/me/questionnaires/{b_id}/review/"]
    own += [f"/me/questionnaires/{b_id}/page/{n}/" for n in range(1, PAGE_COUNT + 1)]
    for path in ["/me/", "/me/questionnaires/", *own]:
        response = phone_b.goto(f"{site}{path}")
        assert response is not None
        pages[path] = (response.status, phone_b.content())
        expect(a_links).to_have_count(0)
        if "/page/" in path:
            expect(phone_b.locator("#questionnaire-form input:checked")).to_have_count(0)
            for textarea in phone_b.locator("#questionnaire-form textarea").all():
                expect(textarea).to_have_value("")
    assert "/me/questionnaires/" in pages
    for path, (status, content) in pages.items():
        assert status == 200, path
        assert f"/me/questionnaires/{a_id}/" not in content, path
        for trace in A_TRACES:
            assert trace not in content, (path, trace)
    phone_b.goto(f"{site}/me/questionnaires/{b_id}/page/{SAFETY_PAGE}/")
    snap(shot, phone_b, "intake-09-b-own-safety-page-390")

    # A's questionnaire answers B like one that does not exist, for reading and writing.
    missing = Administration.objects.order_by("-pk").first().pk + 1000
    for path in (
        f"/me/questionnaires/{a_id}/",
        f"/me/questionnaires/{a_id}/review/",
        *(f"/me/questionnaires/{a_id}/page/{n}/" for n in (1, 2, 4, 5, SAFETY_PAGE)),
        f"/me/questionnaires/{missing}/",
    ):
        response = phone_b.goto(f"{site}{path}")
        assert response is not None and response.status == 404, path
        content = phone_b.content()
        assert all(trace not in content for trace in A_TRACES), path
    phone_b.goto(f"{site}/me/questionnaires/{b_id}/page/1/")
    csrf = phone_b.locator("#questionnaire-form input[name=csrfmiddlewaretoken]").input_value()
    for path, data in (
        (f"/me/questionnaires/{a_id}/page/1/", {"q-story.hopes": "overschreven", "action": "stop"}),
        (f"/me/questionnaires/{a_id}/review/", {}),
    ):
        response = phone_b.request.post(f"{site}{path}", form={"csrfmiddlewaretoken": csrf, **data})
        assert response.status == 404, path
    administration = stored(a_id)
    assert administration.is_open
    assert stored_answers(a_id) == {**expected_answers(1, 2, 3, 4), **SAFETY}
    # B's own intake is untouched by all this.
    assert stored(b_id).answers == {} and stored(b_id).pages_seen == 0

    # The therapist sees A's intake as open, with A's progress, but not the answers yet.
    staff.goto(f"{site}/cases/{case_pk}/questionnaires/")
    row_a = staff.locator(f'table.table tr:has(a[href$="/questionnaires/{a_id}/"])')
    row_b = staff.locator(f'table.table tr:has(a[href$="/questionnaires/{b_id}/"])')
    expect(row_a).to_contain_text(re.compile(rf"\b{SAFETY_PAGE}\D+{PAGE_COUNT}\b"))
    expect(row_b).to_contain_text(re.compile(rf"\b0\D+{PAGE_COUNT}\b"))
    expect(staff.locator("#safety")).to_have_count(0)
    snap(shot, staff, "intake-10-therapist-overview")
    for trace in A_TRACES:
        assert trace not in staff.content(), trace
    row_a.locator("a").click()
    expect(staff).to_have_url(f"{site}/cases/{case_pk}/questionnaires/{a_id}/")
    expect(staff.locator("main p.notice")).to_be_visible()
    expect(staff.locator("dl.answers")).to_have_count(0)
    for trace in A_TRACES:
        assert trace not in staff.content(), trace
    staff.goto(f"{site}/cases/{case_pk}/")
    expect(staff.locator("p.alert.safety")).to_have_count(0)
