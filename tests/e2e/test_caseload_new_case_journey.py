"""A new case in a browser takes its place in the caseload at once (real commits).

At 1366 px a therapist with 60 cases whose order is worked out (two with a safety
answer, four with two questionnaires waiting, the rest quiet) makes a new couple
through the form. Back on the caseload, the new case is the seventh row of the first
page: below the six that need more, above the quiet ones (newest first among
equals). No refresh runs: the live server commits the case, and the state is worked
out right after. The track filter "no track" finds it too.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, Therapist
from tests.e2e.test_journey import create_couple_case, log_in

pytestmark = pytest.mark.e2e

WIDE = {"width": 1366, "height": 900}


def caseload_of_60(therapist: Therapist) -> list[int]:
    """The six cases above a quiet new one, in their order on the page."""
    from dyade.accounts.models import User
    from dyade.overview import refresh
    from tests.conftest import make_administration
    from tests.test_caseload_attention import _cases, _make_urgent

    staff = User.objects.get(email=therapist.email)
    made = _cases(staff, 60, "Stel")
    for case in made[10:12]:
        _make_urgent(case)
    for case in made[20:24]:
        for partner in case.partners.all():
            make_administration(partner, "hits", {}, sent=False)
    refresh.run()
    return [case.pk for case in [*reversed(made[10:12]), *reversed(made[20:24])]]


def test_a_new_case_is_at_its_place_on_the_first_page(
    site: str, therapist: Therapist, browser: Browser, shot: Callable[[Page, str], None]
) -> None:
    from dyade.overview.models import AttentionState

    above = caseload_of_60(therapist)
    context = browser.new_context(viewport=WIDE)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    log_in(page, site, therapist.email, therapist.password, "/cases/")
    new = create_couple_case(page, site, "Nieuw & Stel", "Noor", "Fleur")
    assert not AttentionState.objects.get(case_id=new).is_stale  # worked out on commit

    page.goto(f"{site}/cases/")
    rows = page.locator("table.caseload tbody tr")
    expect(rows).to_have_count(50)
    ids = [rows.nth(n).get_attribute("id") for n in range(8)]
    assert ids[:6] == [f"case-{pk}" for pk in above]
    assert ids[6] == f"case-{new}"
    shot(page, "caseload-new-case-1366")

    page.goto(f"{site}/cases/?track=none")
    expect(page.locator(f"#case-{new}")).to_be_visible()
    page.goto(f"{site}/cases/?track=eft")
    expect(page.locator(f"#case-{new}")).to_have_count(0)
    context.close()
