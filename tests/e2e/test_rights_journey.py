"""The client's rights in a real browser, on a phone 390 and 320 px wide.

Mila opens "All my data" from her home page, reads it and downloads the zip; her
private note is in it, Joost's private note is not, and the safety part is left
out with the readme saying how to get it. After her therapist opened the case page
and the practice admin made a copy for a written request, "Who has seen my data"
lists both by name and role, and nothing Joost did. Both pages fit the phone.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import make_entry
from tests.e2e.conftest import PHONE, Therapist
from tests.e2e.test_guidance_journey import (
    A_EMAIL,
    A_PASSWORD,
    B_EMAIL,
    B_PASSWORD,
    make_couple,
    no_horizontal_overflow,
)
from tests.e2e.test_journey import log_in
from tests.e2e.test_research_journey import ADMIN, staff

pytestmark = pytest.mark.e2e

NewContext = Callable[..., BrowserContext]
Shot = Callable[[Page, str], None]
MILA_NOTE = "Mila-prive-notitie-4471"
JOOST_PRIVATE = "Joost-prive-notitie-8820"
JOOST_SHARED = "Joost-gedeeld-5512"
NARROW = 320


def diaries(case_pk: int) -> None:
    from django.utils import timezone

    from dyade.cases.models import Partner

    today = timezone.localdate()
    mila = Partner.objects.get(case_id=case_pk, slot="A")
    joost = Partner.objects.get(case_id=case_pk, slot="B")
    make_entry(mila, today - dt.timedelta(days=1), note=MILA_NOTE, desire=7)
    make_entry(joost, today - dt.timedelta(days=1), note=JOOST_PRIVATE)
    make_entry(joost, today - dt.timedelta(days=2), note=JOOST_SHARED, note_visibility="shared")


def fits(page: Page, name: str, shot: Shot) -> None:
    """No sideways scrolling at 390 and 320 px, with every section open; a screenshot of each."""
    page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")
    for width in (PHONE["width"], NARROW):
        page.set_viewport_size({"width": width, "height": PHONE["height"]})
        no_horizontal_overflow(page, width)
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, f"{name}-{width}")
    page.set_viewport_size(PHONE)


def test_a_partner_takes_her_data_and_sees_who_read_it(
    site: str, therapist: Therapist, new_context: NewContext, shot: Shot, tmp_path: Path
) -> None:
    case_pk = make_couple(therapist)
    diaries(case_pk)
    staff(therapist)

    # The therapist opens the case page: both diaries are read.
    desk = new_context().new_page()
    log_in(desk, site, therapist.email, therapist.password, "/cases/")
    desk.goto(f"{site}/cases/{case_pk}/")
    expect(desk.locator("h1")).to_contain_text("Mila")

    # The practice admin makes a copy of Mila's data for her letter.
    admin = new_context().new_page()
    log_in(admin, site, *ADMIN, "/practice/")
    admin.locator("a[href='/practice/copies/']").click()
    admin.fill("#id_email", A_EMAIL)
    admin.fill("#id_reference", "brief van 3 maart")
    with admin.expect_download() as info:
        admin.locator("#copy-request button[type=submit]").click()
    written = json.loads(zipfile.ZipFile(info.value.path()).read("data.json"))
    assert any("safety_part" in q for q in written["questionnaires"])

    # Joost looks at his home page (what Mila shares) and downloads his own copy.
    joost = new_context(phone=True).new_page()
    log_in(joost, site, B_EMAIL, B_PASSWORD, "/me/")
    joost.goto(f"{site}/me/data/")
    with joost.expect_download() as info:
        joost.locator("#my-data-download").click()
    assert MILA_NOTE not in zipfile.ZipFile(info.value.path()).read("data.json").decode()

    # Mila, on her phone: all her data, as a page and as a file.
    phone = new_context(phone=True).new_page()
    log_in(phone, site, A_EMAIL, A_PASSWORD, "/me/")
    phone.locator("main a[href='/me/data/']").click()
    expect(phone.locator("#my-data-download")).to_be_visible()
    content = phone.content()
    assert MILA_NOTE in content and JOOST_SHARED in content and JOOST_PRIVATE not in content
    fits(phone, "rights-01-my-data", shot)
    with phone.expect_download() as info:
        phone.locator("#my-data-download").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    archive = zipfile.ZipFile(path)
    data = archive.read("data.json").decode()
    readme = archive.read("README.txt").decode()
    assert MILA_NOTE in data and JOOST_SHARED in data and JOOST_PRIVATE not in data
    assert '"safety_part"' not in data and "schriftelijk" in readme

    # Who has seen her data: the therapist and the admin, by name and role; never Joost.
    phone.locator("main a[href='/me/seen/']").first.click()
    rows = phone.locator("ul.seen li")
    expect(rows.filter(has_text="Anne Visser")).not_to_have_count(0)
    expect(rows.filter(has_text="Anouk Bakker")).not_to_have_count(0)
    expect(rows.filter(has_text="Joost")).to_have_count(0)
    fits(phone, "rights-02-who-has-seen", shot)
