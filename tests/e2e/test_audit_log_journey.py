"""The practice admin reads the audit log on a 1366 px laptop screen, filters it by a
therapist's name and downloads what they see as CSV (issue 18).

The outcome column used to fall off the right edge at this width; every cell of it
must now be inside the viewport without scrolling sideways.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, Therapist
from tests.e2e.test_guidance_journey import make_couple
from tests.e2e.test_journey import log_in

pytestmark = pytest.mark.e2e

Shot = Callable[[Page, str], None]
LAPTOP = {"width": 1366, "height": 768}
ADMIN = ("beheer@praktijk.example", "Beheer-wachtwoord-voor-het-log-7")
LONG_EMAIL = "christiaanvandenboogaardverhoeven.therapeut@praktijkdelindeamsterdam.example"


@pytest.fixture
def laptop(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield context
    context.close()


def busy_log(therapist: Therapist) -> int:
    """A practice whose log holds the widest rows Dyade writes, from several people."""
    from django.utils import timezone

    from dyade.accounts.models import Role, User
    from dyade.audit.models import AuditEvent

    case_pk = make_couple(therapist)
    staff = User.objects.get(email=therapist.email)
    User.objects.create_user(
        email=ADMIN[0],
        password=ADMIN[1],
        role=Role.PRACTICE_ADMIN,
        practice=staff.practice,
        name="Anouk Bakker",
    )
    colleague = User.objects.create_user(
        email=LONG_EMAIL, role=Role.THERAPIST, practice=staff.practice, name=""
    )
    now = timezone.now()
    rows = []
    for n in range(60):
        person = staff if n % 2 else colleague
        rows.append(
            AuditEvent(
                time=now - dt.timedelta(minutes=n),
                event="exercise_log.list" if n % 3 else "research.prepared.read",
                action="read",
                outcome=("success", "denied", "invalid")[n % 3],
                user_id=person.pk,
                user_label=person.email,
                role=person.role,
                practice_id=staff.practice_id,
                ip_address="2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                access_point=(
                    f"GET /cases/{case_pk}/exercises/{1000 + n}/logs/compare-both-partners/"
                    if n % 5
                    else "GET /me/questionnaires/" + "7" * 90 + "/"  # nothing to break at
                ),
                user_agent="Mozilla/5.0",
                case_id=case_pk,
                case_label="Mila & Joost, verwezen door de huisartsenpraktijk Oosterpark",
                partner_id=None,
                partner_slot="AB"[n % 2],
                object_type="exercises.PracticeLogEntry",
                object_id=str(123456789 + n),
                detail=f"study 12, export {n} (parquet), download",
            )
        )
    AuditEvent.objects.bulk_create(rows)
    return case_pk


def cells_inside(page: Page, selector: str, width: int) -> int:
    cells = page.locator(selector)
    count = cells.count()
    assert count > 0, selector
    for index in range(count):
        box = cells.nth(index).bounding_box()  # x is the same whatever the vertical scroll
        assert box is not None, f"{selector} #{index} is not shown"
        assert 0 <= box["x"] and box["x"] + box["width"] <= width, (
            f"{selector} #{index} reaches {box['x'] + box['width']:.0f}px at {width}px"
        )
    return count


def test_the_outcome_column_is_on_screen_at_1366px_and_the_csv_matches(
    site: str,
    therapist: Therapist,
    browser: Browser,
    laptop: BrowserContext,
    shot: Shot,
    tmp_path: Path,
) -> None:
    case_pk = busy_log(therapist)

    # The therapist opens the case in a browser: real events with a name and an address.
    work = browser.new_context(viewport=LAPTOP)
    desk = work.new_page()
    log_in(desk, site, therapist.email, therapist.password, "/cases/")
    desk.goto(f"{site}/cases/{case_pk}/")
    work.close()

    page = laptop.new_page()
    log_in(page, site, *ADMIN, "/practice/")
    page.goto(f"{site}/practice/audit/")
    expect(page.locator("h1")).to_have_text("Auditlog")
    rows = cells_inside(page, "table.audit tbody td.outcome", LAPTOP["width"])
    assert rows == 50  # a full page
    cells_inside(page, "table.audit thead th.outcome", LAPTOP["width"])
    page.evaluate("window.scrollTo(0, 0)")
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), "the table scrolls sideways"
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    # Events in words, people by name, and no clinical detail (the slugs are not shown).
    body = page.locator("table.audit tbody")
    expect(body).to_contain_text("casus geopend")
    expect(body).to_contain_text(therapist.name)
    expect(body).to_contain_text("Mila & Joost")
    shot(page, "audit-01-log-1366")

    # Filter by the therapist's first name, and download exactly those rows.
    page.fill("input[name=user]", therapist.name.split()[0])
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/practice/audit/\?user=Anne&"))
    shown = page.locator("table.audit tbody tr")
    count = shown.count()
    assert 0 < count < 50
    for index in range(count):
        expect(shown.nth(index).locator("td").nth(1)).to_contain_text(therapist.name)
    cells_inside(page, "table.audit tbody td.outcome", LAPTOP["width"])
    shot(page, "audit-02-filtered-by-name")

    with page.expect_download() as download_info:
        page.locator("#audit-csv").click()
    path = tmp_path / "audit.csv"
    download_info.value.save_as(path)
    lines = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(lines) == count
    assert {line["Naam"] for line in lines} == {therapist.name}
