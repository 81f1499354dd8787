"""The invitation page on a 320 px and a 390 px phone, in Dutch and in English (issue 17).

The page a partner opens from the invitation e-mail, before they have an account. It is
measured as every partner page is (tests/e2e/test_phone_pages.py, ``check_page``): no
horizontal scroll, 44 x 44 px tap targets, a one-line header, the quick exit on screen at the
top and the bottom. Also here: the quick exit and the language switch do not overlap, and
both are on the header's line. Screenshots: ``phone-<width>-invitation-<language>.png``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.test_phone_pages import WIDTHS, check_page, phone

pytestmark = pytest.mark.e2e

Shot = Callable[[Page, str], None]

BOXES = """
() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  return {
    exit: box(document.getElementById('quick-exit')),
    language: box(document.querySelector('header.top .lang button')),
    brand: box(document.querySelector('header.top .brand')),
    header: box(document.querySelector('header.top')),
  };
}
"""


def _invitation(therapist_email: str, language: str) -> str:
    """A pending invitation for a partner who reads ``language``; its page's path."""
    from django.test import RequestFactory
    from django.urls import reverse

    from dyade.accounts.models import User
    from dyade.cases.models import Case, CaseKind, Partner
    from dyade.cases.services import issue_invitation

    staff = User.objects.get(email=therapist_email)
    case = Case.objects.create(
        practice=staff.practice, label="Noor & Sem", kind=CaseKind.COUPLE, created_by=staff
    )
    case.therapists.add(staff)
    partner = Partner.objects.create(case=case, slot="A", name="Noor", language=language)
    request = RequestFactory().post("/")
    request.user = staff
    invitation, _made = issue_invitation(request, partner)
    return reverse("accept_invitation", args=[invitation.token])


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and (a["top"] < b["bottom"] and b["top"] < a["bottom"])
    )


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_invitation_page_fits_a_phone(
    site: str, therapist: object, browser: Browser, shot: Shot, width: int, language: str
) -> None:
    path = _invitation(therapist.email, language)  # type: ignore[attr-defined]
    context = phone(browser, width)
    page = context.new_page()
    try:
        response = page.goto(f"{site}{path}")
        assert response is not None and response.status == 200
        assert page.evaluate("document.documentElement.lang") == language
        shot(page, f"phone-{width}-invitation-{language}")
        problems = check_page(page, f"invitation ({language})", width)
        boxes = page.evaluate(BOXES)
        if _overlap(boxes["exit"], boxes["language"]):
            problems.append(f"the quick exit covers the language switch: {boxes}")
        if _overlap(boxes["exit"], boxes["brand"]):
            problems.append(f"the quick exit covers the name: {boxes}")
        header = boxes["header"]
        for name in ("exit", "language", "brand"):
            middle = (boxes[name]["top"] + boxes[name]["bottom"]) / 2
            if not header["top"] <= middle <= header["bottom"]:
                problems.append(f"{name} is not on the header's line: {boxes}")
        assert not problems, "\n".join(problems)
    finally:
        context.close()
