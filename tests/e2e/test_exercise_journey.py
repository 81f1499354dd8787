"""Hug till relaxed on a phone, with a lost connection, debriefed by the therapist.

A partner opens the exercise on a 390 px phone and starts the timer. During the
run two balance breaks are tapped (one by each partner, on the one phone), and
between them the phone goes offline. Every tap is kept on the phone; when it
comes back online the whole run is sent again. The therapist's debrief then
shows exactly one log of the run, with both breaks, and the server holds one
run, not two.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import PHONE, Therapist
from tests.e2e.test_guidance_journey import make_couple, no_horizontal_overflow
from tests.e2e.test_journey import log_in

pytestmark = pytest.mark.e2e

NewContext = Callable[..., BrowserContext]
Shot = Callable[[Page, str], None]
A_EMAIL, A_PASSWORD = "mila@thuis.example", "paarse-ballon-over-de-dijk-4"


def give_hug(therapist: Therapist, case_pk: int) -> int:
    from dyade.accounts.models import User
    from dyade.exercises.models import Assignment

    staff = User.objects.get(email=therapist.email)
    assignment = Assignment.objects.create(
        case_id=case_pk, slug="hug-till-relaxed", minutes=2, assigned_by=staff
    )
    return int(assignment.pk)


def tap(page: Page, selector: str) -> None:
    button = page.locator(selector)
    expect(button).to_be_visible()
    button.click()


def test_hug_till_relaxed_survives_going_offline(
    site: str, therapist: Therapist, new_context: NewContext, shot: Shot
) -> None:
    from dyade.exercises.models import Log, Run

    case_pk = make_couple(therapist)
    assignment_pk = give_hug(therapist, case_pk)
    context = new_context(phone=True)
    phone = context.new_page()
    log_in(phone, site, A_EMAIL, A_PASSWORD, "/me/")
    phone.goto(f"{site}/me/exercises/")
    phone.locator(f"a[href='/me/exercises/{assignment_pk}/']").click()
    phone.locator(f"a[href='/me/exercises/{assignment_pk}/timer/']").click()
    no_horizontal_overflow(phone, PHONE["width"])

    tap(phone, "#timer-start")
    expect(phone.locator("#timer-status")).not_to_have_text("")
    phone.wait_for_timeout(600)
    tap(phone, ".balance-break[data-slot=A]")
    phone.wait_for_timeout(400)
    tap(phone, ".balance-back[data-slot=A]")
    phone.wait_for_timeout(400)

    context.set_offline(True)  # the connection drops mid-way
    tap(phone, ".balance-break[data-slot=B]")
    phone.wait_for_timeout(700)
    tap(phone, ".balance-back[data-slot=B]")
    tap(phone, "#timer-stop")
    expect(phone.locator("#timer-status")).to_contain_text(
        phone.locator("#timer").get_attribute("data-waiting") or "offline"
    )
    shot(phone, "exercise-01-offline")
    assert len(Run.objects.get().events) < 6  # the server has not seen the end yet

    context.set_offline(False)  # back online: the phone sends its whole run again
    expect(phone.locator("#timer-done")).to_be_visible(timeout=15_000)
    shot(phone, "exercise-02-sent")

    run = Run.objects.get()
    assert len(run.events) == 6 and run.ended_at is not None
    assert Log.objects.filter(run=run).count() == 1

    desk = new_context().new_page()
    log_in(desk, site, therapist.email, therapist.password, "/cases/")
    desk.goto(f"{site}/cases/{case_pk}/exercises/{assignment_pk}/")
    expect(desk.locator(".log-card")).to_have_count(1)
    expect(desk.locator(".log-card .breaks li")).to_have_count(2)
    shot(desk, "exercise-03-debrief")
