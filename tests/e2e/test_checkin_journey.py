"""Sessions and check-ins in a browser: plan, check in on the phone, a tablet in the room.

The therapist plans the next session from the case page (1366 px); both partners see its date
on their phone (390 and 320 px) and partner A checks in after the session; in the room the
therapist hands a tablet to partner B, whose check-in fills the tablet and nothing else, until
the therapist takes it back with their password. Partner B never sees A's check-in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import Therapist
from tests.e2e.test_guidance_journey import (
    A_EMAIL,
    A_PASSWORD,
    B_EMAIL,
    B_PASSWORD,
    make_couple,
    no_horizontal_overflow,
)
from tests.e2e.test_journey import log_in

pytestmark = pytest.mark.e2e

NewContext = Callable[..., BrowserContext]
Shot = Callable[[Page, str], None]
WIDE = {"width": 1366, "height": 900}
NARROW = {"width": 320, "height": 700}


def a_session_that_just_ended(case_pk: int, therapist: Therapist) -> int:
    from django.utils import timezone

    from dyade.accounts.models import User
    from dyade.sessions.models import Appointment

    staff = User.objects.get(email=therapist.email)
    appointment = Appointment.objects.create(
        case_id=case_pk,
        starts_at=timezone.now() - dt.timedelta(minutes=50),
        minutes=45,
        therapist=staff,
        created_by=staff,
    )
    return int(appointment.pk)


def test_plan_check_in_on_the_phone_and_on_a_tablet_in_the_room(
    site: str, therapist: Therapist, new_context: NewContext, shot: Shot
) -> None:
    case_pk = make_couple(therapist)
    ended = a_session_that_just_ended(case_pk, therapist)
    desk = new_context().new_page()
    desk.set_viewport_size(WIDE)
    log_in(desk, site, therapist.email, therapist.password, "/cases/")
    desk.goto(f"{site}/cases/{case_pk}/")
    desk.locator("#sessions a.button.primary").click()
    expect(desk).to_have_url(f"{site}/cases/{case_pk}/sessions/#plan")
    day = dt.date.today() + dt.timedelta(days=6)
    desk.fill("#id_date", day.isoformat())
    desk.fill("#id_time", "10:15")
    desk.locator("#plan button[type=submit]").click()
    expect(desk.locator("#coming table")).to_contain_text("10:15")
    no_horizontal_overflow(desk, WIDE["width"])
    shot(desk, "sessions-therapist-1366")

    # Partner A on the phone: the next session's date, and the check-in after the last one.
    phone = new_context(phone=True).new_page()
    log_in(phone, site, A_EMAIL, A_PASSWORD, "/me/")
    expect(phone.locator("#next-session")).to_contain_text("10:15")
    no_horizontal_overflow(phone, 390)
    shot(phone, "sessions-partner-home-390")
    phone.locator("#check-in-after button").click()
    for number in ("1", "2", "3", "4"):
        phone.locator(f"#q-q-{number} label.scale-option:has(input[value='8'])").click()
    no_horizontal_overflow(phone, 390)
    shot(phone, "sessions-check-in-390")
    phone.locator("button[value=next]").click()
    phone.locator("form button[type=submit]").last.click()
    phone.goto(f"{site}/me/")
    expect(phone.locator("#check-in-after")).to_have_count(0)

    # Partner B at 320 px: the joint session's date, B's own check-in, nothing of A's.
    small = new_context(phone=True).new_page()
    small.set_viewport_size(NARROW)
    log_in(small, site, B_EMAIL, B_PASSWORD, "/me/")
    expect(small.locator("#next-session")).to_contain_text("10:15")
    expect(small.locator("#check-in-after")).to_have_count(1)
    no_horizontal_overflow(small, NARROW["width"])
    shot(small, "sessions-partner-home-320")
    small.locator("#check-in-after button").click()
    expect(small.locator("#q-q-1")).to_be_visible()
    no_horizontal_overflow(small, NARROW["width"])
    shot(small, "sessions-check-in-320")
    small.goto(f"{site}/me/")  # B leaves it for the tablet in the room

    # In the room: the tablet goes to B; it shows B's check-in only.
    desk.goto(f"{site}/cases/{case_pk}/sessions/{ended}/")
    expect(desk.locator("#check-ins")).to_contain_text("Mila")
    shot(desk, "sessions-session-1366")
    desk.locator("form.room-start:has(input[value=B]) button").click()
    expect(desk).to_have_url(f"{site}/room/")
    expect(desk.locator("body")).to_contain_text("Joost")
    expect(desk.locator("body")).not_to_contain_text("Mila")
    shot(desk, "sessions-room-1366")
    desk.goto(f"{site}/cases/{case_pk}/")
    expect(desk).to_have_url(f"{site}/room/")
    for number in ("1", "2", "3", "4"):
        desk.locator(f"#q-q-{number} label.scale-option:has(input[value='5'])").click()
    desk.locator("form.questionnaire button[type=submit]").click()
    expect(desk.locator("h1")).not_to_have_count(0)
    expect(desk.locator("input[name=q-1]")).to_have_count(0)
    desk.locator(".room-unlock summary").click()
    desk.fill("#id_password", therapist.password)
    desk.locator(".room-unlock button").click()
    expect(desk).to_have_url(f"{site}/cases/{case_pk}/sessions/{ended}/")
    expect(desk.locator("#check-ins")).not_to_contain_text("Hand this tablet to Joost")
