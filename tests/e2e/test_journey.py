"""The couple's journey through Dyade in a real browser.

A therapist logs in, opens a couple case and makes an invitation link for each
partner; both partners join on their phones and fill in today's diary; the
therapist sees both partners' answers; and neither partner ever sees what the
other kept private. Plus the quick exit and a repeated diary submit.

Elements are found by id, name, class and URL, not by their (Dutch) text.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import NEUTRAL_URL, PHONE, Therapist

pytestmark = pytest.mark.e2e

NewContext = Callable[..., BrowserContext]
Shot = Callable[[Page, str], None]

PHONE_WIDTH = PHONE["width"]
DAY_URL = re.compile(r"/me/diary/(\d{4}-\d{2}-\d{2})/$")
CASE_URL = re.compile(r"/cases/(\d+)/$")


@dataclass(frozen=True)
class Answers:
    closeness: int
    feeling_seen: int
    stress: int
    desire: int
    sexual_contact: str  # "yes" or "no"
    conflict: str
    note: str
    note_visibility: str  # "private" or "shared"


@dataclass(frozen=True)
class PartnerAccount:
    name: str
    email: str
    password: str
    language: str


SAM = PartnerAccount("Sam", "sam@thuis.example", "blauwe-fiets-onder-de-brug-7", "nl")
ROBIN = PartnerAccount("Robin", "robin@thuis.example", "groene-boot-op-het-meer-9", "en")


# --- steps ------------------------------------------------------------------


def submit(page: Page, form: str = "main form") -> None:
    page.locator(f"{form} button[type=submit]").click()


def fill_login(page: Page, site: str, email: str, password: str) -> None:
    page.goto(f"{site}/account/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)


def log_in(page: Page, site: str, email: str, password: str, landing: str) -> None:
    fill_login(page, site, email, password)
    submit(page)
    expect(page).to_have_url(f"{site}{landing}")


def create_couple_case(page: Page, site: str, label: str, a_name: str, b_name: str) -> int:
    page.goto(f"{site}/cases/new/")
    page.fill("#id_label", label)
    page.locator("label:has(> input[name=kind][value=couple])").click()
    expect(page.locator("input[name=kind][value=couple]")).to_be_checked()
    page.fill("#id_a_name", a_name)
    page.fill("#id_b_name", b_name)
    submit(page)
    expect(page).to_have_url(CASE_URL)
    match = CASE_URL.search(page.url)
    assert match is not None
    return int(match.group(1))


def make_invitation_link(page: Page, case_pk: int, slot: str) -> str:
    card = page.locator(f"#partner-{slot}")
    card.locator(f'form[action$="/cases/{case_pk}/partners/{slot}/invite/"]').locator(
        "button[type=submit]"
    ).click()
    link = card.locator("input.invite-link")
    expect(link).to_have_value(re.compile(r"/invite/[^/]+/$"))
    return link.input_value()


def accept_invitation(
    page: Page, link: str, partner: PartnerAccount, shot: Shot | None = None, name: str = ""
) -> None:
    response = page.goto(link)
    assert response is not None and response.status == 200
    page.fill("#id_email", partner.email)
    page.fill("#id_password1", partner.password)
    page.fill("#id_password2", partner.password)
    page.locator(f"label:has(> input[name=language][value={partner.language}])").click()
    expect(page.locator(f"input[name=language][value={partner.language}]")).to_be_checked()
    if shot is not None:
        shot(page, name)
    submit(page)
    expect(page).to_have_url(re.compile(r"/me/$"))


def open_diary(page: Page) -> dt.date:
    """From the partner's home, open today's diary; return the day the server chose."""
    page.locator("main .today a.button").click()
    expect(page).to_have_url(DAY_URL)
    match = DAY_URL.search(page.url)
    assert match is not None
    return dt.date.fromisoformat(match.group(1))


def fill_diary(page: Page, answers: Answers) -> None:
    """Answer every question by tapping its visible label, as a partner would."""
    for name in ("closeness", "feeling_seen", "stress", "desire"):
        value = getattr(answers, name)
        page.locator(f'#q-{name} label.scale-option:has(input[value="{value}"]) span').click()
        expect(page.locator(f'input[name={name}][value="{value}"]')).to_be_checked()
    for name in ("sexual_contact", "conflict"):
        value = getattr(answers, name)
        page.locator(f"#q-{name} label.choice:has(input[value={value}]) span").click()
        expect(page.locator(f"input[name={name}][value={value}]")).to_be_checked()
    page.fill("textarea[name=note]", answers.note)
    visibility = answers.note_visibility
    page.locator(f"label:has(> input[name=note_visibility][value={visibility}])").click()
    expect(page.locator(f"input[name=note_visibility][value={visibility}]")).to_be_checked()


def save_diary(page: Page) -> None:
    submit(page, "#diary-form")
    expect(page).to_have_url(re.compile(r"/me/$"))


def reachable_pages(page: Page, site: str, start: str = "/me/") -> dict[str, tuple[int, str]]:
    """Follow every same-site link from ``start``: path -> (status, page content).

    The quick exit is left out (it would end the session), and so are file downloads;
    forms are not sent.
    """
    seen: dict[str, tuple[int, str]] = {}
    queue = [start]
    host = urlsplit(site).netloc
    while queue and len(seen) < 60:
        path = queue.pop(0)
        if path in seen:
            continue
        response = page.goto(f"{site}{path}")
        assert response is not None
        seen[path] = (response.status, page.content())
        # A link to a file (``download``) is not a page to open.
        links = page.locator("a[href]:not([download])")
        for href in links.evaluate_all("els => els.map(e => e.href)"):
            target = urlsplit(urljoin(page.url, href))
            if target.netloc != host or target.path == "/exit/":
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            if link not in seen:
                queue.append(link)
    return seen


# --- the journey -------------------------------------------------------------


def test_couple_journey(
    site: str, therapist: Therapist, new_context: NewContext, shot: Shot
) -> None:
    from dyade.cases.models import Partner
    from dyade.diary.models import DiaryEntry

    a_private = f"A-PRIVATE-{uuid.uuid4()}"
    b_shared = f"B-SHARED-{uuid.uuid4()}"

    # The therapist logs in and opens a couple case.
    staff = new_context().new_page()
    fill_login(staff, site, therapist.email, therapist.password)
    shot(staff, "01-therapist-login")
    submit(staff)
    expect(staff).to_have_url(f"{site}/cases/")
    case_pk = create_couple_case(staff, site, "Sam & Robin", SAM.name, ROBIN.name)
    expect(staff.locator("#partner-A")).to_be_visible()
    expect(staff.locator("#partner-B")).to_be_visible()
    shot(staff, "02-case-created")

    # One invitation link per partner, pointing at this server.
    link_a = make_invitation_link(staff, case_pk, "A")
    link_b = make_invitation_link(staff, case_pk, "B")
    expect(staff.locator("#partner-A input.invite-link")).to_have_value(link_a)
    shot(staff, "03-invitation-links")
    assert link_a.startswith(f"{site}/invite/")
    assert link_b.startswith(f"{site}/invite/")
    assert link_a != link_b

    # Partner A joins on a phone and keeps today's note private.
    phone_a = new_context(phone=True).new_page()
    accept_invitation(phone_a, link_a, SAM, shot, "04-partner-a-accept")
    expect(phone_a.locator("html")).to_have_attribute("lang", SAM.language)
    expect(phone_a.locator("#quick-exit")).to_be_visible()
    day = open_diary(phone_a)
    fill_diary(phone_a, Answers(7, 6, 3, 8, "yes", "no", a_private, "private"))
    shot(phone_a, "05-partner-a-diary-390")
    save_diary(phone_a)
    shot(phone_a, "06-partner-a-home")

    # Partner B joins in English and shares today's note.
    phone_b = new_context(phone=True).new_page()
    accept_invitation(phone_b, link_b, ROBIN, shot, "07-partner-b-accept")
    expect(phone_b.locator("html")).to_have_attribute("lang", ROBIN.language)
    assert open_diary(phone_b) == day
    fill_diary(phone_b, Answers(4, 5, 6, 2, "yes", "yes", b_shared, "shared"))
    shot(phone_b, "08-partner-b-diary-390")
    save_diary(phone_b)

    # Each invitation link worked once only.
    stranger = new_context().new_page()
    for link in (link_a, link_b):
        response = stranger.goto(link)
        assert response is not None and response.status == 404

    # The therapist sees both partners' notes and both partners in each chart.
    staff.reload()
    expect(staff.locator("#notes-A")).to_contain_text(a_private)
    expect(staff.locator("#notes-B")).to_contain_text(b_shared)
    expect(staff.locator(".partner-card input.invite-link")).to_have_count(0)
    charts = staff.locator("svg.chart")
    expect(charts).to_have_count(2)
    for index in range(2):
        chart = charts.nth(index)
        for css in ("partner-a", "partner-b"):
            expect(chart.locator(f"polyline.{css}, circle.{css}")).not_to_have_count(0)
    shot(staff, "09-therapist-case-both-series")

    # B sees A's shared answers but never A's private note, on any page B can reach.
    phone_b.goto(f"{site}/me/")
    expect(phone_b.locator("ul.days.shared li")).to_have_count(1)
    assert a_private not in phone_b.content()
    shot(phone_b, "10-partner-b-home")
    pages = reachable_pages(phone_b, site)
    assert f"/me/diary/{day.isoformat()}/" in pages
    for path, (status, content) in pages.items():
        assert status < 500, path
        assert a_private not in content, path
    for path in ("/cases/", f"/cases/{case_pk}/", "/practice/", "/practice/audit/"):
        response = phone_b.goto(f"{site}{path}")
        assert response is not None and response.status in (403, 404), path
        assert a_private not in phone_b.content(), path
    shot(phone_b, "11-partner-b-case-page-refused")
    response = phone_b.goto(f"{site}/me/diary/{day.isoformat()}/")
    assert response is not None and response.status == 200
    expect(phone_b.locator("textarea[name=note]")).to_have_value(b_shared)

    # A sees what B shared: the note and the shared answers.
    phone_a.goto(f"{site}/me/")
    shared_with_a = phone_a.locator("ul.days.shared li")
    expect(shared_with_a).to_have_count(1)
    expect(shared_with_a).to_contain_text(b_shared)
    shot(phone_a, "12-partner-a-home-shared")

    # The database agrees: one entry per partner for the day.
    for slot in ("A", "B"):
        partner = Partner.objects.get(case_id=case_pk, slot=slot)
        assert DiaryEntry.objects.filter(partner=partner, date=day).count() == 1


def _joined_partner(site: str, therapist: Therapist, new_context: NewContext, label: str) -> Page:
    """A couple case whose partner A has joined; return partner A's phone page on /me/."""
    staff = new_context().new_page()
    log_in(staff, site, therapist.email, therapist.password, "/cases/")
    case_pk = create_couple_case(staff, site, label, SAM.name, ROBIN.name)
    link = make_invitation_link(staff, case_pk, "A")
    phone = new_context(phone=True).new_page()
    accept_invitation(phone, link, SAM)
    return phone


def leave_by_quick_exit(page: Page, site: str, action: Callable[[], None]) -> None:
    """Run ``action`` and check that the browser leaves through /exit/ for the neutral site.

    Playwright's routes never see the target of a redirect, so the browser's
    first try at https://neutral.invalid/ fails name resolution; Chromium then
    reloads its error page by itself, and that fresh request is answered by the
    context's route. The redirect itself is checked on the request.
    """
    with page.expect_request(
        lambda request: request.url == NEUTRAL_URL and request.is_navigation_request()
    ) as leaving:
        action()
    redirect = leaving.value.redirected_from
    assert redirect is not None and redirect.url == f"{site}/exit/"
    expect(page).to_have_url(NEUTRAL_URL)
    expect(page.locator("body")).to_have_text("neutral")
    assert not [c for c in page.context.cookies(site) if c["name"] == "sessionid"]


def test_quick_exit_ends_session(
    site: str, therapist: Therapist, new_context: NewContext, shot: Shot
) -> None:
    phone = _joined_partner(site, therapist, new_context, "Snelle uitgang")
    exit_link = phone.locator("#quick-exit")
    expect(exit_link).to_be_visible()
    expect(exit_link).to_have_attribute("href", "/exit/")
    box = exit_link.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH and box["y"] >= 0
    shot(phone, "13-quick-exit-visible")

    leave_by_quick_exit(phone, site, exit_link.click)

    # Back does not bring the diary back (the exit replaced the page in history).
    phone.go_back()
    assert urlsplit(phone.url).path != "/me/"

    # The session is gone: the partner home asks for a login.
    phone.goto(f"{site}/me/")
    expect(phone).to_have_url(f"{site}/account/login/?next=/me/")
    shot(phone, "14-quick-exit-then-login")

    # Pressing Escape twice leaves just the same.
    log_in(phone, site, SAM.email, SAM.password, "/me/")
    phone.wait_for_load_state("load")  # the key handler is set up by a deferred script

    def press_escape_twice() -> None:
        phone.keyboard.press("Escape")
        phone.keyboard.press("Escape")

    leave_by_quick_exit(phone, site, press_escape_twice)
    phone.goto(f"{site}/me/")
    expect(phone).to_have_url(f"{site}/account/login/?next=/me/")


def test_diary_double_submit_keeps_one_entry(
    site: str, therapist: Therapist, new_context: NewContext, shot: Shot
) -> None:
    from dyade.cases.models import Partner
    from dyade.diary.models import DiaryEntry

    phone = _joined_partner(site, therapist, new_context, "Dubbel verzenden")
    partner = Partner.objects.get(user__email=SAM.email)
    day = open_diary(phone)
    fill_diary(phone, Answers(5, 5, 5, 5, "no", "no", "eerste versie", "private"))
    form_body = phone.locator("#diary-form").evaluate(
        "form => new URLSearchParams(new FormData(form)).toString()"
    )
    save_diary(phone)

    # Back to the form and send it again: the entry is updated, not duplicated.
    phone.go_back()
    expect(phone).to_have_url(DAY_URL)
    expect(phone.locator("textarea[name=note]")).to_have_value("eerste versie")
    phone.fill("textarea[name=note]", "tweede versie")
    shot(phone, "15-diary-resubmit-390")
    save_diary(phone)
    entries = DiaryEntry.objects.filter(partner=partner, date=day)
    assert entries.count() == 1
    assert entries.get().note == "tweede versie"

    # The first request sent once more (a resend after a dropped connection), after the
    # second version was saved: it is based on the day before either save, so it does not
    # replace the newer answers (409, the page lists what it held); still one entry.
    response = phone.request.post(
        f"{site}/me/diary/{day.isoformat()}/",
        data=form_body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 409
    assert DiaryEntry.objects.filter(partner=partner, date=day).count() == 1
    assert DiaryEntry.objects.get(partner=partner, date=day).note == "tweede versie"

    # A double tap on Save for yesterday also makes one entry.
    yesterday = day - dt.timedelta(days=1)
    phone.goto(f"{site}/me/diary/{yesterday.isoformat()}/")
    fill_diary(phone, Answers(3, 4, 5, 6, "no", "yes", "gisteren", "private"))
    phone.locator("#diary-form button[type=submit]").dblclick()
    expect(phone).to_have_url(re.compile(r"/me/$"))
    assert DiaryEntry.objects.filter(partner=partner, date=yesterday).count() == 1
    assert DiaryEntry.objects.filter(partner=partner).count() == 2
