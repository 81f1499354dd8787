"""A study from set-up to download: the admin opens it, each partner decides on a phone,
the researcher downloads SPSS files in which nobody is named, and a decision taken back
empties the next download.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyreadstat
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

pytestmark = pytest.mark.e2e

NewContext = Callable[..., BrowserContext]
Shot = Callable[[Page, str], None]
ADMIN = ("beheer@praktijk.example", "Beheer-wachtwoord-voor-de-studie-7")
RESEARCHER = ("lab@universiteit.example", "Onderzoek-wachtwoord-heel-lang-3")
TITLE = "Samen door de week"


def staff(therapist: Therapist) -> None:
    from dyade.accounts.models import Role, User

    practice = User.objects.get(email=therapist.email).practice
    for (email, password), role, name in (
        (ADMIN, Role.PRACTICE_ADMIN, "Anouk Bakker"),
        (RESEARCHER, Role.RESEARCHER, "Lies Claes"),
    ):
        User.objects.create_user(
            email=email, password=password, role=role, practice=practice, name=name
        )


def diaries(case_pk: int) -> int:
    from django.utils import timezone

    from dyade.cases.models import Partner

    today = timezone.localdate()
    count = 0
    for slot, desire in (("A", 3), ("B", 8)):
        partner = Partner.objects.get(case_id=case_pk, slot=slot)
        for offset in range(1, 6):
            make_entry(
                partner,
                today - dt.timedelta(days=offset),
                desire=desire,
                closeness=offset,
                note=f"{partner.name} schreef dit",
            )
            count += 1
    return count


def decide(page: Page, site: str, answer: str) -> None:
    page.goto(f"{site}/me/")
    page.locator("a[href='/me/research/']").click()
    page.locator("main a[href^='/me/research/']").first.click()
    expect(page.locator("h1")).to_have_text(TITLE)
    page.locator(f"label:has(> input[name=decision][value={answer}])").click()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{site}/me/research/")


def download(page: Page, site: str, study_pk: int, fmt: str, tmp: Path) -> dict[str, bytes]:
    page.goto(f"{site}/research/studies/{study_pk}/")
    page.locator(f"label:has(> input[name=format][value={fmt}])").click()
    with page.expect_download() as info:
        page.locator("main form button[type=submit]").click()
    path = tmp / info.value.suggested_filename
    info.value.save_as(path)
    archive = zipfile.ZipFile(path)
    return {name: archive.read(name) for name in archive.namelist()}


def test_a_study_from_set_up_to_download(
    site: str, therapist: Therapist, new_context: NewContext, shot: Shot, tmp_path: Path
) -> None:
    from dyade.research.models import Study

    case_pk = make_couple(therapist)
    written = diaries(case_pk)
    staff(therapist)

    # The practice admin sets the study up and opens it.
    admin = new_context().new_page()
    log_in(admin, site, *ADMIN, "/practice/")
    admin.goto(f"{site}/practice/studies/new/")
    admin.fill("#id_title", TITLE)
    admin.fill("#id_information_nl", "Een dagboekstudie van de praktijk en de universiteit.")
    admin.locator("label:has-text('Lies Claes')").click()
    start = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    admin.fill("#id_data_from", start)
    admin.select_option("#id_status", "open")
    admin.locator("main form button[type=submit]").click()
    expect(admin.locator(".messages")).to_be_visible()
    study_pk = Study.objects.get(title=TITLE).pk
    shot(admin, "research-01-admin-study")

    # Each partner decides on a phone.
    phones = {}
    for email, password in ((A_EMAIL, A_PASSWORD), (B_EMAIL, B_PASSWORD)):
        phone = phones[email] = new_context(phone=True).new_page()
        log_in(phone, site, email, password, "/me/")
        decide(phone, site, "yes")
        phone.goto(f"{site}/me/research/{study_pk}/")
        no_horizontal_overflow(phone, PHONE["width"])
        if email == A_EMAIL:
            shot(phone, "research-02-partner-phone")

    # The researcher sees one couple and downloads SPSS files.
    researcher = new_context().new_page()
    log_in(researcher, site, *RESEARCHER, "/research/")
    expect(researcher.locator("main table")).to_contain_text(TITLE)
    researcher.locator(f"a[href='/research/studies/{study_pk}/']").click()
    shot(researcher, "research-03-researcher-study")
    files = download(researcher, site, study_pk, "sav", tmp_path)
    assert {"long.sav", "pairwise.sav", "dyad.sav", "codebook.csv", "README.txt"} <= set(files)
    (tmp_path / "long.sav").write_bytes(files["long.sav"])
    long, meta = pyreadstat.read_sav(str(tmp_path / "long.sav"))
    assert len(long) == written
    assert meta.variable_value_labels["sexual_contact"] in (
        {0: "nee", 1: "ja"},
        {0: "no", 1: "yes"},
    )
    assert sorted(long.groupby("role")["desire"].mean().round().tolist()) == [3.0, 8.0]
    assert "note" not in long.columns
    everything = b"".join(files.values())
    for secret in (b"Mila", b"Joost", A_EMAIL.encode(), b"schreef dit"):
        assert secret not in everything

    # Joost takes his yes back; the next download has nobody.
    decide(phones[B_EMAIL], site, "no")
    files = download(researcher, site, study_pk, "csv", tmp_path)
    assert pd.read_csv(io.BytesIO(files["long.csv"])).empty
    researcher.goto(f"{site}/research/studies/{study_pk}/")
    expect(researcher.locator("main table").last).to_contain_text("0")
