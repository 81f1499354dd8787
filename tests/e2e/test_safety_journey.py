"""Issue 13 in a real browser: safety answers stay gone, and safety holds back touch exercises.

1. A partner answers the safety part of the intake on a phone and goes on; the
   browser's Back button brings the safety page back with nothing selected
   (no form state restored, no page from the back-forward cache).
2. A therapist whose case has a sign in a partner's safety screen is warned on
   the exercises page; sensate focus is given only with a reason, which is kept.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import Therapist
from tests.e2e.test_intake_journey import (
    A_EMAIL,
    A_PASSWORD,
    INTAKE,
    SAFETY,
    SAFETY_PAGE,
    answer,
    expect_page,
    field,
    make_couple,
    press,
)
from tests.e2e.test_journey import log_in

pytestmark = pytest.mark.e2e

NewContext = Callable[..., BrowserContext]
Shot = Callable[[Page, str], None]
REASON = "Besproken met Sanne alleen; zij wil dit zelf (e2e-reden)"


def give_intake(case_pk: int, partner_pk: int, *, sent_answers: dict[str, object] | None) -> int:
    """The intake given to one partner: open at the safety page, or sent with ``sent_answers``."""
    from django.utils import timezone

    from dyade.questionnaires.models import Administration, Status

    administration = Administration(
        case_id=case_pk,
        partner_id=partner_pk,
        instrument=INTAKE,
        version="1",
        status=Status.OPEN if sent_answers is None else Status.SUBMITTED,
        submitted_at=None if sent_answers is None else timezone.now(),
        page=SAFETY_PAGE - 1,
        pages_seen=SAFETY_PAGE - 1,
    )
    administration.set_answers(sent_answers or {})
    administration.save()
    return int(administration.pk)


def test_back_after_the_safety_page_shows_nothing_selected(
    site: str, therapist: Therapist, new_context: NewContext, shot: Shot
) -> None:
    case_pk, partner_a, _partner_b = make_couple(therapist)
    a_id = give_intake(case_pk, partner_a, sent_answers=None)

    phone = new_context(phone=True).new_page()
    log_in(phone, site, A_EMAIL, A_PASSWORD, "/me/")
    phone.goto(f"{site}/me/questionnaires/{a_id}/page/{SAFETY_PAGE}/")
    expect_page(phone, a_id, SAFETY_PAGE)
    for link_id, value in SAFETY.items():
        answer(phone, link_id, value)
    press(phone, "next")
    expect_page(phone, a_id, SAFETY_PAGE + 1)

    phone.go_back()
    expect_page(phone, a_id, SAFETY_PAGE)
    for link_id in SAFETY:
        expect(phone.locator(f"{field(link_id)}")).not_to_have_count(0)  # the question is there
        expect(phone.locator(f"{field(link_id)}:checked")).to_have_count(0)
    shot(phone, "safety-01-back-nothing-selected-390")

    from dyade.questionnaires.models import Administration

    stored = Administration.objects.get(pk=a_id).answers
    assert {key: stored[key] for key in SAFETY} == SAFETY  # saved for the therapist


def test_sensate_focus_with_a_safety_sign_asks_for_the_therapists_reason(
    site: str, therapist: Therapist, new_context: NewContext, shot: Shot
) -> None:
    from dyade.audit.models import AuditEvent
    from dyade.exercises.models import Assignment

    case_pk, partner_a, partner_b = make_couple(therapist)
    give_intake(case_pk, partner_a, sent_answers={"safety.coercion": "once", "safety.fear": "no"})
    give_intake(case_pk, partner_b, sent_answers={"safety.physical": "never", "safety.fear": "no"})

    page = new_context().new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, site, therapist.email, therapist.password, "/cases/")
    page.goto(f"{site}/cases/{case_pk}/exercises/")
    expect(page.locator("#safety-hold")).to_be_visible()
    expect(page.locator("#safety-hold li")).to_have_count(1)
    page.select_option("select[name=slug]", "sensate-focus")
    page.locator("form.card button[type=submit]").click()
    expect(page.locator(".has-error textarea[name=safety_override]")).to_be_visible()
    assert not Assignment.objects.exists()
    shot(page, "safety-02-override-asked-1366")

    page.fill("textarea[name=safety_override]", REASON)
    page.locator("form.card button[type=submit]").click()
    expect(page).to_have_url(f"{site}/cases/{case_pk}/exercises/{Assignment.objects.get().pk}/")
    expect(page.locator("main")).to_contain_text(REASON)
    assert Assignment.objects.get().safety_override == REASON
    assert AuditEvent.objects.filter(event="exercise_override.create", case_id=case_pk).count() == 1
    shot(page, "safety-03-given-with-reason-1366")
