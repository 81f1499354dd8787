"""Every partner page on a 320 px and a 390 px phone (issue 17, must-show 1 and 5).

On each page, measured in the browser:
- no horizontal scroll: ``document.scrollingElement.scrollWidth <= innerWidth``;
- every visible tap target is at least 44 x 44 px (``getBoundingClientRect``): links,
  buttons, inputs, selects, textareas, summaries, and the label of each radio button
  and checkbox (a radio or checkbox is tapped through its label; a label of a text
  field is not a tap target, the field itself is measured). One exemption, the rule
  written out in ``EXEMPT_INLINE``: a link inside running text, that is a link whose
  nearest paragraph, list item, table cell or quote holds at least 20 characters of
  text outside links (it is read as part of a sentence, like a link in a book);
- the header is one line: its visible items share one row and the header is no
  taller than its tallest item plus its padding, and the quick exit is on screen
  at the top and at the bottom of the page;
- nothing covers a tap target on screen (the element at its centre is the target);
- the menu opens and its links are also 44 px high.
A new case's diary page is at most two screens high at 390 x 844.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.test_journey import log_in

pytestmark = pytest.mark.e2e

NewContext = Callable[..., BrowserContext]
Shot = Callable[[Page, str], None]
EMAIL, PASSWORD = "noor@thuis.example", "groene-fiets-langs-het-water-7"
B_EMAIL, B_PASSWORD = "sem@thuis.example", "blauwe-vlieger-boven-het-duin-3"
WIDTHS = (320, 390)

EXEMPT_INLINE = """
(el) => {
  if (el.tagName !== 'A') return false;
  const block = el.closest('p, li, td, dd, blockquote');
  if (!block) return false;
  let outside = block.textContent;
  block.querySelectorAll('a').forEach((a) => { outside = outside.replace(a.textContent, ''); });
  return outside.replace(/[\\s·|,.:;()–-]+/g, ' ').trim().length >= 20;
}
"""

MEASURE = (
    """
(menuOpen) => {
  const exempt = """
    + EXEMPT_INLINE
    + """;
  const small = [];
  const seen = new Set();
  const visible = (el) => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const targets = 'a[href], button, input, select, textarea, label, summary';
  for (const el of document.querySelectorAll(targets)) {
    let target = el;
    if (el.tagName === 'INPUT') {
      if (el.type === 'hidden') continue;
      if (el.type === 'radio' || el.type === 'checkbox') {
        const label = el.closest('label') || (el.labels && el.labels[0]);
        if (!label) { small.push('radio/checkbox without a label: ' + el.name); continue; }
        target = label;
      } else if (el.closest('label') && !visible(el)) continue;
    }
    if (el.tagName === 'LABEL') {
      const control = el.control;
      if (!control || (control.type !== 'radio' && control.type !== 'checkbox')) continue;
    }
    if (seen.has(target) || !visible(target)) continue;
    seen.add(target);
    if (exempt(target)) continue;
    const r = target.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    // Nothing else takes the tap (a closed menu, a sticky bar), where it is on screen.
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const underMenu = menuOpen && !target.closest('header');
    if (!underMenu && y > 0 && y < innerHeight && x > 0 && x < innerWidth) {
      const hit = document.elementFromPoint(x, y);
      if (hit && !target.contains(hit) && !hit.contains(target)) {
        small.push(`${target.tagName.toLowerCase()} covered by ${hit.outerHTML.slice(0, 60)}`);
      }
    }
    if (r.width < 44 || r.height < 44) {
      const text = (target.textContent || target.getAttribute('name') || target.outerHTML).trim();
      const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
      small.push(`${target.tagName.toLowerCase()} "${text.slice(0, 40)}" ${size}`);
    }
  }
  return small;
}
"""
)

HEADER = """
() => {
  const header = document.querySelector('header.top');
  const items = [...header.children].filter((el) => el.checkVisibility());
  const boxes = items.map((el) => el.getBoundingClientRect());
  const style = getComputedStyle(header);
  const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom)
    + parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
  const exit = document.getElementById('quick-exit').getBoundingClientRect();
  return {
    height: header.getBoundingClientRect().height,
    tallest: Math.max(...boxes.map((b) => b.height)),
    lineHeight: parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5,
    padding: padding,
    oneRow: Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom)),
    exitOnScreen: exit.top >= 0 && exit.bottom <= innerHeight
      && exit.width >= 44 && exit.height >= 44,
  };
}
"""


def make_case(therapist_email: str) -> dict[str, object]:
    """A couple whose partner Noor has some of everything a partner page can show."""
    from django.utils import timezone

    from dyade.accounts.models import Role, User
    from dyade.cases.models import Case, CaseKind, Partner
    from dyade.diary.models import DiaryEntry
    from dyade.exercises.models import Assignment
    from dyade.reading.models import ReadingAssignment
    from dyade.sessions.models import Appointment
    from tests.conftest import make_administration

    staff = User.objects.get(email=therapist_email)
    case = Case.objects.create(
        practice=staff.practice, label="Noor & Sem", kind=CaseKind.COUPLE, created_by=staff
    )
    case.therapists.add(staff)
    partners = {}
    for slot, name, email, password in (
        ("A", "Noor", EMAIL, PASSWORD),
        ("B", "Sem", B_EMAIL, B_PASSWORD),
    ):
        user = User.objects.create_user(
            email=email, password=password, role=Role.PARTNER, practice=staff.practice, name=name
        )
        partners[slot] = Partner.objects.create(
            case=case, slot=slot, name=name, user=user, joined_at=timezone.now()
        )
    noor = partners["A"]
    intake = make_administration(noor, "dyade-intake", {"story.hopes": "Rust."}, sent=False)
    make_administration(partners["B"], "dyade-intake", {"story.hopes": "Samen."}, sent=True)
    today = timezone.localdate()
    for days_ago in (1, 3):
        DiaryEntry.objects.create(
            partner=noor,
            date=today - dt.timedelta(days=days_ago),
            closeness=6,
            feeling_seen=5,
            stress=4,
            desire=3,
            sexual_contact=False,
            conflict=False,
            note="Een gewone dag met een wandeling langs de rivier.",
        )
    exercise = Assignment.objects.create(
        case=case, slug="hug-till-relaxed", minutes=2, assigned_by=staff
    )
    ReadingAssignment.objects.create(partner=noor, slug=READING, assigned_by=staff)
    Appointment.objects.create(
        case=case, starts_at=timezone.now() + dt.timedelta(hours=20), created_by=staff
    )
    return {"intake": intake.pk, "exercise": exercise.pk, "case": case.pk}


READING = "basic-needs"


def partner_pages(made: dict[str, object]) -> list[tuple[str, str]]:
    from django.utils import timezone

    today = timezone.localdate()
    return [
        ("home", "/me/"),
        ("diary-today", f"/me/diary/{today.isoformat()}/"),
        ("diary-yesterday", f"/me/diary/{(today - dt.timedelta(days=1)).isoformat()}/"),
        ("diary-earlier", f"/me/diary/{(today - dt.timedelta(days=3)).isoformat()}/"),
        ("questionnaires", "/me/questionnaires/"),
        ("questionnaire-page", f"/me/questionnaires/{made['intake']}/"),
        ("exercises", "/me/exercises/"),
        ("exercise", f"/me/exercises/{made['exercise']}/"),
        ("exercise-timer", f"/me/exercises/{made['exercise']}/timer/"),
        ("reading", "/me/reading/"),
        ("reading-page", f"/me/reading/{READING}/"),
        ("cycle", "/me/cycle/"),
        ("progress", "/me/progress/"),
        ("reminders", "/me/reminders/"),
        ("studies", "/me/research/"),
        ("my-data", "/me/data/"),
        ("seen", "/me/seen/"),
        ("account", "/account/"),
    ]


def phone(browser: Browser, width: int) -> BrowserContext:
    context = browser.new_context(
        viewport={"width": width, "height": 844 if width > 320 else 640},
        is_mobile=True,
        has_touch=True,
        service_workers="block",
    )
    context.set_default_timeout(15_000)
    return context


def check_page(page: Page, name: str, width: int, menu_open: bool = False) -> list[str]:
    problems = []
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    inner = page.evaluate("innerWidth")
    if scroll > inner:
        problems.append(f"{name}: {scroll}px wide at {inner}px")
    problems += [f"{name}: {item}" for item in page.evaluate(MEASURE, menu_open)]
    header = page.evaluate(HEADER)
    if not header["oneRow"] or header["height"] > header["tallest"] + header["padding"] + 1:
        problems.append(f"{name}: header {header['height']}px is more than one line: {header}")
    if header["height"] > 2 * max(header["lineHeight"], 44):
        problems.append(f"{name}: header {header['height']}px against line {header}")
    if not header["exitOnScreen"]:
        problems.append(f"{name}: the quick exit is not on screen at the top")
    page.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
    if not page.evaluate(HEADER)["exitOnScreen"]:
        problems.append(f"{name}: the quick exit is not on screen at the bottom")
    page.evaluate("window.scrollTo(0, 0)")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_every_partner_page_fits_a_phone(
    site: str, therapist: object, browser: Browser, shot: Shot, width: int
) -> None:
    made = make_case(therapist.email)  # type: ignore[attr-defined]
    context = phone(browser, width)
    page = context.new_page()
    try:
        log_in(page, site, EMAIL, PASSWORD, "/me/")
        problems: list[str] = []
        for name, path in partner_pages(made):
            response = page.goto(f"{site}{path}")
            assert response is not None and response.status == 200, f"{path}: {response}"
            problems += check_page(page, name, width)
            shot(page, f"phone-{width}-{name}")
        # The check-in before tomorrow's session, started from the home page.
        page.goto(f"{site}/me/")
        start = page.locator("form[action$='/check-ins/start/'] button[type=submit]")
        if start.count():
            start.first.click()
            page.wait_for_load_state()
            problems += check_page(page, "check-in", width)
            shot(page, f"phone-{width}-check-in")
        # The menu, open.
        page.goto(f"{site}/me/")
        page.locator("header .menu-toggle > summary").click()
        expect(page.locator("header .menu a").first).to_be_visible()
        problems += check_page(page, "menu", width, menu_open=True)
        shot(page, f"phone-{width}-menu")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_a_new_cases_diary_is_at_most_two_screens_high(
    site: str, therapist: object, browser: Browser, shot: Shot
) -> None:
    make_case(therapist.email)  # type: ignore[attr-defined]
    context = phone(browser, 390)
    page = context.new_page()
    try:
        log_in(page, site, EMAIL, PASSWORD, "/me/")
        page.goto(f"{site}/me/diary/")
        height = page.evaluate("document.scrollingElement.scrollHeight")
        shot(page, "phone-390-diary-new-case")
        assert height <= 2 * 844, f"the diary is {height}px high"
        # The follow-up appears only after "yes", and goes again after "no".
        follow_up = page.locator("#around-sex")
        expect(follow_up).to_be_hidden()
        page.locator("label:has(> input[name=sexual_contact][value=yes])").click()
        expect(follow_up).to_be_visible()
        page.locator("label:has(> input[name=sexual_contact][value=no])").click()
        expect(follow_up).to_be_hidden()
    finally:
        context.close()
