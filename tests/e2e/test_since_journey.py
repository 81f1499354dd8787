"""The "since last session" screen in a browser: two minutes before the session.

The therapist noted a session a week ago; since then both partners kept their
diary: one felt much more desire than the other, and read the other's desire
as higher than the other reported. From the case page the therapist opens
"since last session" and sees, in plain words, the desire gap and the
misreading, with the numbers one click away. The screen fits a phone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import make_entry
from tests.e2e.conftest import PHONE, Therapist
from tests.e2e.test_guidance_journey import make_couple, no_horizontal_overflow
from tests.e2e.test_journey import log_in

pytestmark = pytest.mark.e2e

NewContext = Callable[..., BrowserContext]
Shot = Callable[[Page, str], None]


def fill_the_week(case_pk: int, therapist: Therapist) -> None:
    from django.utils import timezone

    from dyade.accounts.models import User
    from dyade.cases.models import Partner
    from dyade.sessions.models import Observation

    today = timezone.localdate()
    Observation.objects.create(
        case_id=case_pk,
        date=today - dt.timedelta(days=8),
        created_by=User.objects.get(email=therapist.email),
    )
    a = Partner.objects.get(case_id=case_pk, slot="A")
    b = Partner.objects.get(case_id=case_pk, slot="B")
    for offset in range(1, 8):
        day = today - dt.timedelta(days=offset)
        make_entry(a, day, desire=9, closeness=6, perceived_desire=8)
        make_entry(b, day, desire=2, closeness=6, perceived_desire=9)


def test_since_last_session_names_the_gap_and_the_misreading(
    site: str, therapist: Therapist, new_context: NewContext, shot: Shot
) -> None:
    from django.utils import translation

    case_pk = make_couple(therapist)
    fill_the_week(case_pk, therapist)
    page = new_context().new_page()
    log_in(page, site, therapist.email, therapist.password, "/cases/")
    page.goto(f"{site}/cases/{case_pk}/")
    page.locator(f"a[href='/cases/{case_pk}/since/']").click()
    expect(page).to_have_url(f"{site}/cases/{case_pk}/since/")
    summary = page.locator("#summary li")
    expect(summary).to_have_count(2)  # the desire gap, and Mila reading Joost's desire as higher
    with translation.override("nl"):
        gap = translation.gettext("Their desire differs by %(points)s points on an average day.")
    expect(page.locator("#summary")).to_contain_text(gap.split("%(points)s")[0].strip())
    expect(page.locator("#summary")).to_contain_text("Mila")
    page.locator("details summary").click()
    expect(page.locator("details")).to_contain_text("6")  # Mila misreads by 6 points
    shot(page, "since-01-desktop")

    phone = new_context(phone=True).new_page()
    log_in(phone, site, therapist.email, therapist.password, "/cases/")
    phone.goto(f"{site}/cases/{case_pk}/since/")
    no_horizontal_overflow(phone, PHONE["width"])
    shot(phone, "since-02-phone")
