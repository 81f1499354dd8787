"""Guidance in a real browser: an observation fires a switch signal, the therapist accepts it.

A therapist opens a couple case, follows the case page's link to the guidance
page and records the session's observations (EFT stage 2, love felt,
powerlessness). The guidance page then shows the signal to switch to
differentiation, with the observation behind it and its source. The therapist
accepts it with a reason: the case is now on the differentiation track, and
the timeline, on the guidance page and on the case page, shows the change with
the signal and the reason. The guidance page fits a phone's width.

None of it reaches the partners: no page a partner can reach shows the signal,
the observation, the track or the reason, and the guidance pages answer a
partner like pages that are not theirs.

The couple's sent intakes hold love and motivation and a safety screen that is
safe, so the violence rule does not withhold the switch signals.

Elements are found by id, name, class and URL, not by their (Dutch) text; the
texts checked are the app's own messages, translated as the page shows them.
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import make_administration
from tests.e2e.conftest import PHONE, Therapist
from tests.e2e.test_journey import log_in, reachable_pages

pytestmark = pytest.mark.e2e

NewContext = Callable[..., BrowserContext]
Shot = Callable[[Page, str], None]

SIGNAL = "diff.switch.powerlessness"
CARD = "#signal-diff\\.switch\\.powerlessness"
PHONE_WIDTH = PHONE["width"]
SCREENSHOT_390 = "/tmp/guidance_390.png"
SCREENSHOT_1200 = "/tmp/guidance_1200.png"

A_EMAIL, A_PASSWORD = "mila@thuis.example", "paarse-ballon-over-de-dijk-4"
B_EMAIL, B_PASSWORD = "joost@thuis.example", "oranje-kano-in-de-sloot-8"

# A random word in everything the therapist types, so that any trace can be looked for.
TAG = uuid.uuid4().hex[:10]
REASON = f"De angst zit als derde in de kamer {TAG}-reden"
OBSERVATION_NOTE = f"Veel onmacht na het uitdiepen van de cirkel {TAG}-notitie"

# Each partner's sent intake: love and motivation, and a safety screen that is safe.
INTAKE = {
    "commitment.continue": "yes",
    "commitment.love": 8,
    "commitment.motivation": 8,
    "safety.physical": "never",
    "safety.psychological": "never",
    "safety.fear": "no",
    "safety.joint-sessions": "yes",
}


# --- steps ------------------------------------------------------------------


def make_couple(therapist: Therapist) -> int:
    """A couple case of the therapist whose partners joined and sent a safe intake."""
    from django.utils import timezone

    from dyade.accounts.models import Role, User
    from dyade.cases.models import Case, CaseKind, Partner

    staff = User.objects.get(email=therapist.email)
    case = Case.objects.create(
        practice=staff.practice, label="Mila & Joost", kind=CaseKind.COUPLE, created_by=staff
    )
    case.therapists.add(staff)
    for slot, name, email, password in (
        ("A", "Mila", A_EMAIL, A_PASSWORD),
        ("B", "Joost", B_EMAIL, B_PASSWORD),
    ):
        user = User.objects.create_user(
            email=email, password=password, role=Role.PARTNER, practice=staff.practice, name=name
        )
        partner = Partner.objects.create(
            case=case, slot=slot, name=name, user=user, joined_at=timezone.now()
        )
        make_administration(partner, "dyade-intake", INTAKE, sent=True)
    return int(case.pk)


def in_dutch(*messages: Any) -> list[str]:
    """Each message as the app shows it to a Dutch user, and in English."""
    from django.utils import translation

    texts = []
    for message in messages:
        for language in ("nl", "en"):
            with translation.override(language):
                texts.append(translation.gettext(str(message)))
    return texts


def dutch(message: Any) -> str:
    return in_dutch(message)[0]


def choose(page: Page, name: str, value: str) -> None:
    """Tap the visible label of one yes / no / not noted option."""
    page.locator(f"label.choice:has(> input[name={name}][value={value}]) span").click()
    expect(page.locator(f"input[name={name}][value={value}]")).to_be_checked()


def no_horizontal_overflow(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url}: {scroll_width}px wide at {width}px"


def screenshot(page: Page, path: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=path, full_page=True)


# --- the journey -------------------------------------------------------------


def test_accepting_a_switch_signal_changes_the_track(
    site: str, therapist: Therapist, new_context: NewContext, shot: Shot
) -> None:
    from django.utils import timezone

    from dyade.clinic import guidance
    from dyade.sessions import labels
    from dyade.sessions.models import (
        Observation,
        SignalDecision,
        TrackChange,
        TrackName,
    )

    case_pk = make_couple(therapist)
    case_url = f"{site}/cases/{case_pk}/"
    guidance_url = f"{site}/cases/{case_pk}/guidance/"
    observation_url = f"{site}/cases/{case_pk}/observations/new/"
    rule = guidance.RULES_BY_ID[SIGNAL]
    track_label = dict(TrackName.choices)[TrackName.DIFFERENTIATION]

    # The therapist opens the case and follows its link to the guidance page.
    staff = new_context().new_page()
    log_in(staff, site, therapist.email, therapist.password, "/cases/")
    staff.locator(f'main a[href="/cases/{case_pk}/"]').click()
    expect(staff).to_have_url(case_url)
    staff.locator(f'#track a[href="/cases/{case_pk}/guidance/"]').click()
    expect(staff).to_have_url(guidance_url)
    expect(staff.locator(CARD)).to_have_count(0)
    expect(staff.locator("#track .track-now")).to_have_count(0)
    expect(staff.locator("#track ol.timeline")).to_have_count(0)

    # The therapist records the session: EFT stage 2, love felt, powerlessness.
    staff.locator(f'main a.button[href="/cases/{case_pk}/observations/new/"]').click()
    expect(staff).to_have_url(observation_url)
    form = staff.locator("main form.observation-form")
    # The session date comes filled in with today (a date input needs an ISO date).
    expect(form.locator("input[name=date]")).to_have_value(timezone.localdate().isoformat())
    form.locator("select[name=eft_stage]").select_option("2")
    choose(staff, "love_felt", "true")
    choose(staff, "powerlessness", "true")
    form.locator("textarea[name=note]").fill(OBSERVATION_NOTE)
    shot(staff, "guidance-01-observation-form")
    form.locator("button[type=submit]").click()
    expect(staff).to_have_url(guidance_url)
    observation = Observation.objects.get(case_id=case_pk)
    assert (observation.eft_stage, observation.love_felt, observation.powerlessness) == (
        2,
        True,
        True,
    )
    assert observation.hidden_agenda is None  # left on "not noted"

    # The switch signal is open, with the observation behind it and its source.
    card = staff.locator(f"#signals article.signal{CARD}")
    expect(card).to_be_visible()
    expect(card.locator("h3")).to_have_text(dutch(rule.title))
    why = card.locator("details.reasons")
    expect(why).to_have_attribute("open", "")
    reasons = why.locator("ul li")
    expect(reasons).to_have_count(2)
    expect(reasons.nth(0)).to_contain_text(dutch(labels.FIELDS["powerlessness"]))
    expect(reasons.nth(0)).to_contain_text(dutch("your observation"))
    expect(reasons.nth(0)).to_contain_text(dutch("yes"))
    expect(reasons.nth(1)).to_contain_text(dutch(labels.FIELDS["eft_stage"]))
    expect(reasons.nth(1).locator("strong").last).to_have_text("2")
    source = why.locator("p.source")
    expect(source).to_contain_text(guidance.SEED_TITLES["000"])
    for cited in rule.source.literature:
        expect(source).to_contain_text(cited)
    expect(card.locator("button[name=decision][value=accepted]")).to_be_visible()
    expect(card.locator("button[name=decision][value=dismissed]")).to_be_visible()
    expect(staff.locator("#observations article.observation")).to_have_count(1)
    expect(staff.locator("#observations article.observation")).to_contain_text(OBSERVATION_NOTE)
    title = card.locator("h3").inner_text()
    card.scroll_into_view_if_needed()
    shot(staff, "guidance-02-signal-open")

    # The therapist gives a reason and accepts the signal.
    card.locator("textarea[name=reason]").fill(REASON)
    card.locator("button[name=decision][value=accepted]").click()
    expect(staff).to_have_url(guidance_url)

    # The case is on the differentiation track now, and the timeline says why.
    differentiation = dutch(track_label)
    expect(staff.locator("#track .track-now")).to_contain_text(differentiation)
    timeline = staff.locator("#track ol.timeline li")
    expect(timeline).to_have_count(1)
    expect(timeline).to_have_class(re.compile(r"\btrack-differentiation\b"))
    expect(timeline.locator("strong")).to_have_text(differentiation)
    expect(timeline.locator(".signals")).to_contain_text(title)
    expect(timeline.locator(".reason")).to_have_text(REASON)
    expect(staff.locator(CARD)).to_have_count(0)  # it no longer fires on this track
    expect(staff.locator("#decisions ul.history li")).to_have_count(1)
    expect(staff.locator("#decisions ul.history li")).to_contain_text(REASON)
    decision = SignalDecision.objects.get(case_id=case_pk)
    assert (decision.signal, decision.decision, decision.reason) == (SIGNAL, "accepted", REASON)
    change = TrackChange.objects.get(case_id=case_pk)
    assert (change.track, change.signals, change.reason) == (
        TrackName.DIFFERENTIATION,
        [SIGNAL],
        REASON,
    )

    # The page at a desktop width, and on a phone without sideways scrolling.
    staff.set_viewport_size({"width": 1200, "height": 900})
    no_horizontal_overflow(staff, 1200)
    screenshot(staff, SCREENSHOT_1200)
    phone = new_context(phone=True).new_page()
    log_in(phone, site, therapist.email, therapist.password, "/cases/")
    response = phone.goto(guidance_url)
    assert response is not None and response.status == 200
    expect(phone.locator("#track ol.timeline li")).to_contain_text(REASON)
    no_horizontal_overflow(phone, PHONE_WIDTH)
    screenshot(phone, SCREENSHOT_390)

    # The case page shows the track and the same timeline entry.
    staff.locator(f'main a[href="/cases/{case_pk}/"]').first.click()
    expect(staff).to_have_url(case_url)
    expect(staff.locator("#track .track-now")).to_contain_text(differentiation)
    entry = staff.locator("#track ol.timeline li")
    expect(entry).to_have_count(1)
    expect(entry.locator(".signals")).to_contain_text(title)
    expect(entry.locator(".reason")).to_have_text(REASON)
    shot(staff, "guidance-03-case-page-timeline")

    # Neither partner sees any of it, on any page they can reach.
    traces = {
        TAG,
        SIGNAL,
        *in_dutch(rule.title, rule.recommendation, track_label),
        *in_dutch(
            labels.FIELDS["powerlessness"],
            Observation._meta.get_field("powerlessness").verbose_name,
        ),
        html.escape(guidance.SEED_TITLES["000"]),
        'class="track-now"',
        'class="timeline"',
        "card signal",
    }
    for email, password in ((A_EMAIL, A_PASSWORD), (B_EMAIL, B_PASSWORD)):
        partner = new_context(phone=True).new_page()
        log_in(partner, site, email, password, "/me/")
        pages = reachable_pages(partner, site)
        assert "/me/" in pages
        for path, (status, content) in pages.items():
            assert status == 200, (email, path)
            for trace in traces:
                assert trace not in content, (email, path, trace)
        for path in (f"/cases/{case_pk}/guidance/", f"/cases/{case_pk}/observations/new/"):
            response = partner.goto(f"{site}{path}")
            assert response is not None and response.status in (403, 404), (email, path)
            content = partner.content()
            assert all(trace not in content for trace in traces), (email, path)
        # Nor can a partner decide on a signal or record an observation.
        partner.goto(f"{site}/me/")
        csrf = partner.locator("input[name=csrfmiddlewaretoken]").first.input_value()
        for path, data in (
            (
                f"/cases/{case_pk}/guidance/{SIGNAL}/decide/",
                {"decision": "dismissed", "reason": "nee", "request_id": str(uuid.uuid4())},
            ),
            (
                f"/cases/{case_pk}/observations/new/",
                {"powerlessness": "false", "request_id": str(uuid.uuid4())},
            ),
        ):
            sent = partner.request.post(f"{site}{path}", form={"csrfmiddlewaretoken": csrf, **data})
            assert sent.status in (403, 404), (email, path)
    assert SignalDecision.objects.filter(case_id=case_pk).count() == 1
    assert Observation.objects.filter(case_id=case_pk).count() == 1
    assert TrackChange.objects.filter(case_id=case_pk).count() == 1
