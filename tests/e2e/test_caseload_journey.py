"""The therapist's week in a browser: the caseload, a session, a case that ends.

At 1366 px the therapist opens the caseload: a case whose safety screen shows a
sign comes first, saying only "attention". They open the couple they see today
from the list, look at the session brief, print the intake report as a PDF, and
after the last session close the case with an outcome: stopped early, by partner
B. The case leaves the open caseload and is found under "closed" and by its
name. On their phones (390 px, and 320 px) both partners then see that their
therapy was closed; the diary and every other page of the case send them home;
their own data can still be downloaded.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from tests.conftest import A_INTAKE_ANSWERS, make_administration
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, PHONE, Therapist
from tests.e2e.test_guidance_journey import (
    A_EMAIL,
    A_PASSWORD,
    B_EMAIL,
    B_PASSWORD,
    dutch,
    make_couple,
    no_horizontal_overflow,
)
from tests.e2e.test_journey import log_in

pytestmark = pytest.mark.e2e

NewContext = Callable[..., BrowserContext]
Shot = Callable[[Page, str], None]
WIDE = {"width": 1366, "height": 900}
NARROW = {"width": 320, "height": 700}
CLOSING_NOTE = "Kasper wilde stoppen; Mila denkt na over individuele hulp."


def more_cases(therapist: Therapist) -> int:
    """Two more couples: one whose safety screen shows a sign, one quiet. Returns the first."""
    from dyade.accounts.models import User
    from dyade.cases.models import Case, CaseKind, Partner

    staff = User.objects.get(email=therapist.email)
    first = 0
    for label, answers in (("Ruth & Sem", A_INTAKE_ANSWERS), ("Iris & Bo", None)):
        case = Case.objects.create(
            practice=staff.practice, label=label, kind=CaseKind.COUPLE, created_by=staff
        )
        case.therapists.add(staff)
        for slot, name in (("A", label.split(" & ")[0]), ("B", label.split(" & ")[1])):
            partner = Partner.objects.create(case=case, slot=slot, name=name)
            if answers is not None and slot == "A":
                make_administration(partner, "dyade-intake", answers, sent=True)
        first = first or int(case.pk)
    return first


def test_the_therapist_closes_a_case_and_its_partners_see_it_closed(
    site: str, therapist: Therapist, browser: Browser, new_context: NewContext, shot: Shot
) -> None:
    from dyade.cases.models import Case

    case_pk = make_couple(therapist)  # Mila & Joost, who the therapist sees today
    unsafe_pk = more_cases(therapist)
    context = browser.new_context(viewport=WIDE, accept_downloads=True)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    log_in(page, site, therapist.email, therapist.password, "/cases/")

    # The caseload: safety first, without saying what.
    rows = page.locator("table.caseload tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_have_attribute("id", f"case-{unsafe_pk}")
    expect(rows.first).to_contain_text(dutch("attention"))
    expect(rows.first).not_to_contain_text("sometimes")
    no_horizontal_overflow(page, WIDE["width"])
    shot(page, "caseload-01-worklist-1366")

    # Today's couple, from the list: the session brief, then the intake report on paper.
    page.locator(f"#case-{case_pk} a[href='/cases/{case_pk}/']").click()
    expect(page).to_have_url(f"{site}/cases/{case_pk}/")
    page.locator("#brief-link").click()
    expect(page).to_have_url(f"{site}/cases/{case_pk}/brief/")
    page.goto(f"{site}/cases/{case_pk}/")
    page.locator("#reports-link").click()
    page.locator(f"a[href='/cases/{case_pk}/reports/intake/']").click()
    with page.expect_download() as download:
        page.get_by_role("button", name=dutch("Make the PDF")).click()
    text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Intakeverslag" in text

    # After the last session: closed with an outcome.
    page.goto(f"{site}/cases/{case_pk}/")
    page.locator("#manage-case").click()
    expect(page).to_have_url(f"{site}/cases/{case_pk}/manage/")
    page.locator("#close label:has(> input[value=stopped_early])").click()
    page.select_option("#id_stopped_by", "B")
    page.fill("#id_note", CLOSING_NOTE)
    page.locator("#close-case").click()
    expect(page.locator("#case-status")).to_contain_text(dutch("stopped early"))
    expect(page.locator("#case-status")).to_contain_text(CLOSING_NOTE)
    shot(page, "caseload-02-closed-1366")
    case = Case.objects.get(pk=case_pk)
    assert (case.status, case.outcome, case.stopped_by) == ("closed", "stopped_early", "B")

    # Out of the way, but found.
    page.goto(f"{site}/cases/")
    expect(page.locator(f"#case-{case_pk}")).to_have_count(0)
    page.select_option("select[name=status]", "closed")
    page.fill("input[name=q]", "mila")
    page.get_by_role("button", name=dutch("Show")).click()
    expect(page.locator("table.caseload tbody tr")).to_have_count(1)
    expect(page.locator(f"#case-{case_pk}")).to_contain_text("Mila & Joost")
    context.close()

    # The partners, on their phones: closed, and no page of the case.
    for email, password, name in ((A_EMAIL, A_PASSWORD, "a"), (B_EMAIL, B_PASSWORD, "b")):
        phone = new_context(phone=True).new_page()
        log_in(phone, site, email, password, "/me/")
        expect(phone.locator("#case-closed")).to_be_visible()
        expect(phone.locator("body")).not_to_contain_text(CLOSING_NOTE)
        no_horizontal_overflow(phone, PHONE["width"])
        shot(phone, f"caseload-03-partner-{name}-closed-390")
        for path in ("/me/diary/", "/me/exercises/", "/me/questionnaires/", "/me/cycle/"):
            phone.goto(f"{site}{path}")
            expect(phone).to_have_url(f"{site}/me/")
        phone.locator("a.button[href='/me/data/']").click()
        expect(phone).to_have_url(f"{site}/me/data/")
        phone.set_viewport_size(NARROW)
        phone.goto(f"{site}/me/")
        no_horizontal_overflow(phone, NARROW["width"])
        shot(phone, f"caseload-04-partner-{name}-closed-320")
