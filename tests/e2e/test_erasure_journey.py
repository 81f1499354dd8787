"""The practice admin destroys one partner's record in a real browser, 1366 px wide.

A written request from Joost comes in (the couple's case was closed a year ago): the
admin opens Retention, finds the case by name, chooses partner B, gives the reference of
the letter, checks what will go, mistypes the case's name once (nothing happens, what
was typed stays), then types it right. The Retention page lists the destruction under a
pseudonym. Joost's account is gone; Mila's diary is still there. Every page fits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import Therapist
from tests.e2e.test_guidance_journey import make_couple, no_horizontal_overflow
from tests.e2e.test_journey import log_in
from tests.e2e.test_research_journey import ADMIN, staff
from tests.e2e.test_rights_journey import diaries

pytestmark = pytest.mark.e2e

NewContext = Callable[..., BrowserContext]
Shot = Callable[[Page, str], None]
WIDE = {"width": 1366, "height": 900}


def test_the_admin_destroys_one_partners_record(
    site: str, therapist: Therapist, new_context: NewContext, shot: Shot
) -> None:
    from django.utils import timezone

    from dyade.accounts.models import User
    from dyade.cases.models import Case, Partner
    from dyade.diary.models import DiaryEntry

    case_pk = make_couple(therapist)
    diaries(case_pk)
    staff(therapist)
    joost_user = Partner.objects.get(case_id=case_pk, slot="B").user_id
    closed = timezone.now() - dt.timedelta(days=400)
    Case.objects.filter(pk=case_pk).update(status="closed", closed_at=closed, changed_at=closed)

    admin = new_context().new_page()
    admin.set_viewport_size(WIDE)
    log_in(admin, site, *ADMIN, "/practice/")
    admin.locator("a[href='/practice/retention/']").click()
    admin.fill("input[name=q]", "joost")
    admin.locator("#find-case button[type=submit]").click()
    no_horizontal_overflow(admin, WIDE["width"])
    shot(admin, "erasure-1-retention-1366")
    admin.locator(f"#found a[href='/practice/destroy/{case_pk}/']").click()

    admin.locator("input[name=what][value=B]").check()
    admin.fill("#id_note", "brief van 3 mei, kenmerk 2026-14")
    no_horizontal_overflow(admin, WIDE["width"])
    shot(admin, "erasure-2-step-one-1366")
    admin.locator("#destroy-step-1 button[type=submit]").click()

    expect(admin.locator("#destroy-what")).to_contain_text("Joost")
    admin.fill("#id_confirm_name", "Mila")
    admin.locator("#id_understood").check()
    admin.locator("#destroy-now").click()
    expect(admin.locator("#destroy-step-2 .error")).to_be_visible()
    expect(admin.locator("#id_confirm_name")).to_have_value("Mila")
    assert User.objects.filter(pk=joost_user).exists()
    no_horizontal_overflow(admin, WIDE["width"])
    shot(admin, "erasure-3-confirm-1366")

    admin.fill("#id_confirm_name", "Mila & Joost")
    admin.locator("#id_understood").check()
    admin.locator("#destroy-now").click()
    expect(admin.locator("#destroyed")).to_be_visible()
    no_horizontal_overflow(admin, WIDE["width"])
    shot(admin, "erasure-4-done-1366")

    admin.locator("a", has_text="Bewaren en vernietigen").first.click()
    expect(admin.locator("#destructions")).to_contain_text("destroyed-partner-")
    expect(admin.locator("#closed-cases")).to_contain_text("Mila & Joost")
    no_horizontal_overflow(admin, WIDE["width"])
    shot(admin, "erasure-5-retention-after-1366")

    assert not User.objects.filter(pk=joost_user).exists()
    mila = Partner.objects.get(case_id=case_pk, slot="A")
    assert DiaryEntry.objects.filter(partner=mila).exists()
    assert not DiaryEntry.objects.filter(partner__case_id=case_pk, partner__slot="B").exists()
