"""Languages in the browser (issue 17): an English partner's invitation, the admin's choice of
formal Dutch, and the diary that then says "u", at 320 and 390 px and on a 1366 px laptop."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, Therapist
from tests.e2e.test_guidance_journey import A_EMAIL, A_PASSWORD, make_couple
from tests.e2e.test_journey import log_in

pytestmark = pytest.mark.e2e

Shot = Callable[[Page, str], None]
ADMIN = ("beheer@praktijk.example", "Beheer-wachtwoord-voor-taal-7")
WIDTHS = (320, 390)


@pytest.fixture
def context_of(browser: Browser) -> Iterator[Callable[[int], BrowserContext]]:
    made: list[BrowserContext] = []

    def make(width: int) -> BrowserContext:
        context = browser.new_context(
            viewport={"width": width, "height": 844 if width < 1000 else 768},
            is_mobile=width < 1000,
            has_touch=width < 1000,
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _english_invitation(therapist: Therapist) -> str:
    from django.test import RequestFactory

    from dyade.accounts.models import User
    from dyade.cases.models import Case, CaseKind, Partner
    from dyade.cases.services import issue_invitation

    staff = User.objects.get(email=therapist.email)
    case = Case.objects.create(
        practice=staff.practice, label="Sam & Alex", kind=CaseKind.COUPLE, created_by=staff
    )
    case.therapists.add(staff)
    Partner.objects.create(case=case, slot="A", name="Sam", language="nl")
    alex = Partner.objects.create(case=case, slot="B", name="Alex", language="en")
    request = RequestFactory().post("/")
    request.user = staff
    invitation, _created = issue_invitation(request, alex)
    return f"/invite/{invitation.token}/"


def test_languages_in_the_browser(
    site: str, therapist: Therapist, context_of: Callable[[int], BrowserContext], shot: Shot
) -> None:
    from dyade.accounts.models import Role, User

    path = _english_invitation(therapist)
    for width in WIDTHS:
        page = context_of(width).new_page()
        # A Dutch visitor's cookie on this phone does not decide Alex's language.
        page.context.add_cookies([{"name": "django_language", "value": "nl", "url": site}])
        page.goto(f"{site}{path}")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("button", name="Create my account")).to_be_visible()
        _no_sideways_scroll(page)
        shot(page, f"language-invitation-en-{width}")

    make_couple(therapist)
    staff = User.objects.get(email=therapist.email)
    User.objects.create_user(
        email=ADMIN[0], password=ADMIN[1], role=Role.PRACTICE_ADMIN, practice=staff.practice
    )
    admin = context_of(1366).new_page()
    log_in(admin, site, ADMIN[0], ADMIN[1], "/practice/")
    admin.get_by_role("link", name="Taal").click()
    admin.locator("label:has(> input[value=formal])").click()
    admin.get_by_role("button", name="Opslaan").click()
    expect(admin.locator("input[value=formal]")).to_be_checked()
    _no_sideways_scroll(admin)
    shot(admin, "language-admin-formal-1366")

    for width in WIDTHS:
        page = context_of(width).new_page()
        log_in(page, site, A_EMAIL, A_PASSWORD, "/me/")
        page.goto(f"{site}/me/diary/")
        expect(page.get_by_text("Hoe dicht voelde u zich vandaag bij uw partner?")).to_be_visible()
        content = page.content()
        assert "voelde je je" not in content
        assert (
            "Gedeeld met je partner" not in content and "Alleen jij en je therapeut" not in content
        )
        _no_sideways_scroll(page)
        shot(page, f"language-diary-formal-{width}")
