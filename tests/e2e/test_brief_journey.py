"""The session brief and the intake report in a browser, as a therapist uses them on the day.

Mila and Joost sent their intake (each with a hope in their own words), kept
their diary for a week since the last session and practised "hug till
relaxed". Before the session the therapist opens the case, then the session
brief: the open signals, the week in words, the homework per partner and their
hopes. Printed, the brief takes at most two A4 pages. After the session the
therapist types a few notes on the brief and carries them into the observation
form, saves it, and prints the intake report as a PDF that reads back with the
couple's hopes and without anything from a private diary note.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.conftest import make_administration
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, Therapist
from tests.e2e.test_guidance_journey import INTAKE, make_couple, no_horizontal_overflow
from tests.e2e.test_journey import log_in
from tests.e2e.test_since_journey import fill_the_week

pytestmark = pytest.mark.e2e

Shot = Callable[[Page, str], None]
WIDE = {"width": 1366, "height": 900}
MILA_HOPE = "Dat we weer samen lachen aan tafel."
JOOST_HOPE = "Dat ik haar weer durf op te zoeken."
PRIVATE_NOTE = "Mila-private-diary-marker"


def prepare_the_week(case_pk: int, therapist: Therapist) -> None:
    """Hopes in the intake, a week of diary (one private note), and homework practised."""
    from django.utils import timezone

    from dyade.accounts.models import User
    from dyade.cases.models import Partner
    from dyade.exercises.models import Assignment, Log
    from dyade.questionnaires.models import Administration
    from dyade.sessions.models import CycleVersion

    fill_the_week(case_pk, therapist)
    today = timezone.localdate()
    staff = User.objects.get(email=therapist.email)
    for slot, hope in (("A", MILA_HOPE), ("B", JOOST_HOPE)):
        partner = Partner.objects.get(case_id=case_pk, slot=slot)
        Administration.objects.filter(partner=partner).delete()
        make_administration(partner, "dyade-intake", {**INTAKE, "story.hopes": hope}, sent=True)
        entry = partner.diary_entries.get(date=today - dt.timedelta(days=1))
        entry.note = PRIVATE_NOTE if slot == "A" else ""
        entry.save()
    side = {
        "behaviour": "zoekt contact, wordt boos",
        "perceived_as": "kritiek",
        "secondary_emotion": "boosheid",
        "primary_emotion": "eenzaamheid",
        "need": "gezien worden",
    }
    cycle = {
        "A": {"daily": {"position": "pursue", **side}, "sex": {"position": "withdraw", **side}},
        "B": {"daily": {"position": "withdraw", **side}, "sex": {"position": "pursue", **side}},
    }
    CycleVersion.objects.create(
        case_id=case_pk, number=1, data_json=json.dumps(cycle), created_by=staff
    )
    assignment = Assignment.objects.create(
        case_id=case_pk, slug="hug-till-relaxed", assigned_by=staff
    )
    for slot, feeling in (("A", "neutral"), ("B", "bodily")):
        Log.objects.create(
            assignment=assignment,
            partner=Partner.objects.get(case_id=case_pk, slot=slot),
            date=today - dt.timedelta(days=2),
            values_json=json.dumps({"role": "both", "feeling": feeling}),
        )
    # A second exercise practised every other day: the brief still prints on two pages.
    ladder = Assignment.objects.create(
        case_id=case_pk, slug="sensate-focus", step=1, assigned_by=staff
    )
    for slot in ("A", "B"):
        for offset in (1, 3, 5, 7):
            Log.objects.create(
                assignment=ladder,
                partner=Partner.objects.get(case_id=case_pk, slot=slot),
                date=today - dt.timedelta(days=offset),
                values_json=json.dumps(
                    {"role": "touching", "feeling": "bodily", "needed": "meer tijd samen"}
                ),
            )


def test_the_therapist_works_from_the_brief_and_prints_the_intake_report(
    site: str, therapist: Therapist, browser: Browser, shot: Shot
) -> None:
    from django.utils import translation

    from dyade.sessions.models import Observation

    case_pk = make_couple(therapist)
    prepare_the_week(case_pk, therapist)
    context = browser.new_context(viewport=WIDE, accept_downloads=True)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    log_in(page, site, therapist.email, therapist.password, "/cases/")
    page.goto(f"{site}/cases/{case_pk}/")
    page.locator("#brief-link").click()
    expect(page).to_have_url(f"{site}/cases/{case_pk}/brief/")

    # Most important first: the signals, then the week, then the homework; hopes beside them.
    expect(page.locator("#brief-since li")).to_have_count(2)
    expect(page.locator("#brief-homework")).to_contain_text("Mila")
    expect(page.locator("#brief-homework")).to_contain_text("Joost")
    expect(page.locator("#brief-hopes")).to_contain_text(MILA_HOPE)
    expect(page.locator("#brief-hopes")).to_contain_text(JOOST_HOPE)
    expect(page.locator("#brief-cycle svg.cycle-map")).to_have_count(2)
    expect(page.locator("body")).not_to_contain_text(PRIVATE_NOTE)
    no_horizontal_overflow(page, WIDE["width"])
    shot(page, "brief-01-desktop-1366")

    # On paper: one or two A4 pages, without the page's buttons.
    page.emulate_media(media="print")
    expect(page.locator("#brief-notes form")).to_be_hidden()
    printed = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert 1 <= len(printed.pages) <= 2, f"{len(printed.pages)} pages"
    shot(page, "brief-02-print")
    page.emulate_media(media="screen")

    # After the session: notes on the brief flow into the observation form.
    page.fill("#brief-note", "Joost zocht haar op; Mila bleef.")
    with translation.override("nl"):
        carry = translation.gettext("Continue in the observation form")
        save = translation.gettext("Save observations")
    page.get_by_role("button", name=carry).click()
    expect(page).to_have_url(f"{site}/cases/{case_pk}/observations/new/")
    expect(page.locator("textarea[name=note]")).to_have_value("Joost zocht haar op; Mila bleef.")
    page.get_by_role("button", name=save).click()
    expect(page).to_have_url(f"{site}/cases/{case_pk}/guidance/")
    notes = [o.note for o in Observation.objects.filter(case_id=case_pk)]
    assert len(notes) == 2 and "Joost zocht haar op; Mila bleef." in notes

    # The intake report, printed as a PDF from its preview.
    page.goto(f"{site}/cases/{case_pk}/")
    page.locator("#reports-link").click()
    page.locator(f"a[href='/cases/{case_pk}/reports/intake/']").click()
    expect(page.locator("#preview")).to_contain_text(MILA_HOPE)
    shot(page, "brief-03-intake-preview")
    with translation.override("nl"):
        make = translation.gettext("Make the PDF")
    with page.expect_download() as download:
        page.get_by_role("button", name=make).click()
    text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Intakeverslag" in text and "VERTROUWELIJK" in text
    assert MILA_HOPE in text and JOOST_HOPE in text
    assert PRIVATE_NOTE not in text
    context.close()
