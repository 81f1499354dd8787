"""Guidance, observations, track, cycle map, psycho-education and the therapist's profile:
the therapist's work on them, and every way a partner might try to see them."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from dyade.audit.models import AuditEvent
from dyade.reading.models import ReadingAssignment
from dyade.reflection.models import TherapistProfile
from dyade.sessions.models import CycleVersion, Observation, SignalDecision, TrackChange
from tests.conftest import World, client_for

SECRET_REASON = "Zij lijkt alleen te ontspannen als hij het goedkeurt (geheim-7731)"
SECRET_NOTE = "Vermoeden van een affaire bij B (geheim-5512)"
DRAFT_TEXT = "kritiek over de jasjes (concept-4419)"


def _safe_intake(world: World) -> None:
    """Take the unsafe answers out of A's intake, so conjoint signals are not withheld."""
    answers = {k: v for k, v in world.intake_a.answers.items() if not k.startswith("safety")}
    world.intake_a.set_answers(answers)
    world.intake_a.save()
    world.hits_a.delete()


def _observe(world: World, **values: str) -> object:
    data = {"request_id": str(uuid.uuid4()), "date": "2026-11-20", **values}
    return client_for(world.therapist).post(
        reverse("cases:observation_new", args=[world.case.pk]), data
    )


def _signal_ids(world: World) -> list[str]:
    html = client_for(world.therapist).get(reverse("cases:guidance", args=[world.case.pk]))
    body = html.content.decode()
    return [rule for rule in _ALL_RULES if f'id="signal-{rule}"' in body]


_ALL_RULES = [
    "safety.timeout-programme",
    "eft.contra.violence",
    "eft.indicated",
    "diff.switch.powerlessness",
    "eft.stop.hidden-agenda",
    "room.level",
    "therapist.collusion-risk",
    "refer.sexologist",
]


# --- the therapist's work ---------------------------------------------------------


def test_unsafe_intake_puts_the_time_out_programme_first(world: World) -> None:
    # Partner A's intake (conftest) reports physical violence "sometimes" and fear "often".
    _observe(world, eft_stage="2", powerlessness="true", love_felt="true")
    ids = _signal_ids(world)
    assert ids[:2] == ["safety.timeout-programme", "eft.contra.violence"]
    assert "diff.switch.powerlessness" not in ids


def test_observation_fires_a_switch_and_accepting_it_changes_the_track(world: World) -> None:
    _safe_intake(world)
    response = _observe(world, eft_stage="2", powerlessness="true", love_felt="true")
    assert response.status_code == 302
    assert "diff.switch.powerlessness" in _signal_ids(world)
    request_id = str(uuid.uuid4())
    url = reverse("cases:decide_signal", args=[world.case.pk, "diff.switch.powerlessness"])
    client = client_for(world.therapist)
    post = {"request_id": request_id, "decision": "accepted", "reason": SECRET_REASON}
    assert client.post(url, post).status_code == 302
    assert client.post(url, post).status_code == 302  # a double click
    assert SignalDecision.objects.filter(case=world.case).count() == 1
    change = TrackChange.objects.get(case=world.case)
    assert change.track == "differentiation"
    assert change.signals == ["diff.switch.powerlessness"]
    assert change.focus  # the points of balance this switch works on
    page = client.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert SECRET_REASON in page and 'class="timeline"' in page
    # On the differentiation track the switch no longer fires; the decision stays in the history.
    guidance = client.get(reverse("cases:guidance", args=[world.case.pk])).content.decode()
    assert 'id="signal-diff.switch.powerlessness"' not in guidance
    assert SECRET_REASON in guidance


def test_dismissing_needs_a_reason_and_keeps_the_signal_open(world: World) -> None:
    _safe_intake(world)
    _observe(world, hidden_agenda="true", eft_stage="1")  # stop signals need EFT running
    client = client_for(world.therapist)
    url = reverse("cases:decide_signal", args=[world.case.pk, "eft.stop.hidden-agenda"])
    response = client.post(url, {"request_id": str(uuid.uuid4()), "decision": "dismissed"})
    assert response.status_code == 302
    assert not SignalDecision.objects.exists()
    client.post(
        url, {"request_id": str(uuid.uuid4()), "decision": "dismissed", "reason": "niet gezien"}
    )
    decision = SignalDecision.objects.get()
    assert decision.decision == "dismissed" and decision.reasons  # the inputs are kept
    assert not TrackChange.objects.exists()


def test_a_signal_that_does_not_fire_cannot_be_decided(world: World) -> None:
    _safe_intake(world)
    client = client_for(world.therapist)
    url = reverse("cases:decide_signal", args=[world.case.pk, "diff.switch.comfort-zone"])
    post = {"request_id": str(uuid.uuid4()), "decision": "accepted", "reason": "x"}
    assert client.post(url, post).status_code == 302
    assert not SignalDecision.objects.exists()
    unknown = reverse("cases:decide_signal", args=[world.case.pk, "no.such-rule"])
    assert client.post(unknown, post).status_code == 404


def test_observation_not_noted_stays_unknown_and_bad_input_keeps_what_was_typed(
    world: World,
) -> None:
    response = _observe(world, motivation_a="14", note=SECRET_NOTE, hidden_agenda="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET_NOTE in body  # nothing typed is lost
    chosen = re.search(r'<input[^>]*name="hidden_agenda"[^>]*value="true"[^>]*>', body)
    assert chosen is not None and "checked" in chosen.group(0)
    assert not Observation.objects.exists()
    _observe(world, hidden_agenda="false")
    saved = Observation.objects.get()
    assert saved.hidden_agenda is False and saved.powerlessness is None


def test_observation_double_submit_saves_once(world: World) -> None:
    client = client_for(world.therapist)
    data = {"request_id": str(uuid.uuid4()), "date": "2026-11-20", "love_felt": "true"}
    url = reverse("cases:observation_new", args=[world.case.pk])
    client.post(url, data)
    client.post(url, data)
    assert Observation.objects.count() == 1


def test_manual_track_change_validates_stage_and_focus(world: World) -> None:
    client = client_for(world.therapist)
    url = reverse("cases:change_track", args=[world.case.pk])
    bad = {"request_id": str(uuid.uuid4()), "track": "differentiation", "reason": SECRET_REASON}
    response = client.post(url, bad)
    assert response.status_code == 400 and SECRET_REASON in response.content.decode()
    good = {**bad, "focus": ["calm"]}
    assert client.post(url, good).status_code == 302
    assert client.post(url, good).status_code == 302
    assert TrackChange.objects.get().focus == ["calm"]


def test_cycle_map_versions_prefill_flip_and_publish(world: World) -> None:
    client = client_for(world.therapist)
    edit = reverse("cases:cycle_edit", args=[world.case.pk])
    first = client.get(edit).content.decode()
    assert 'value="pursue" selected' in first or "selected" in first  # A's intake position
    data = {
        "request_id": str(uuid.uuid4()),
        "A-daily-position": "pursue",
        "A-daily-behaviour": DRAFT_TEXT,
        "B-daily-position": "withdraw",
        "A-sex-position": "withdraw",
        "B-sex-position": "pursue",
    }
    assert client.post(edit, data).status_code == 302
    assert client.post(edit, data).status_code == 302  # resent: still one version
    assert CycleVersion.objects.count() == 1
    page = client.get(reverse("cases:cycle", args=[world.case.pk])).content.decode()
    assert "<svg" in page and "flip-notice" in page
    partner = client_for(world.user_a).get(reverse("diary:cycle")).content.decode()
    assert DRAFT_TEXT not in partner
    data["request_id"] = str(uuid.uuid4())
    data["A-daily-behaviour"] = "een tweede versie"
    client.post(edit, data)
    client.post(reverse("cases:cycle_publish", args=[world.case.pk, 1]))
    for user in (world.user_a, world.user_b):
        seen = client_for(user).get(reverse("diary:cycle")).content.decode()
        assert "jasjes" in seen  # version 1 is published
        assert "een tweede versie" not in seen  # version 2 is a draft


def test_cycle_text_too_long_keeps_what_was_typed(world: World) -> None:
    client = client_for(world.therapist)
    long = "woord " * 80
    data = {"request_id": str(uuid.uuid4()), "A-daily-behaviour": long}
    response = client.post(reverse("cases:cycle_edit", args=[world.case.pk]), data)
    assert response.status_code == 200
    assert "woord woord" in response.content.decode()
    assert not CycleVersion.objects.exists()


def test_reading_given_once_and_read_by_its_partner_only(world: World) -> None:
    client = client_for(world.therapist)
    url = reverse("cases:reading", args=[world.case.pk])
    client.post(url, {"slug": "pursue-withdraw", "who": "A"})
    client.post(url, {"slug": "pursue-withdraw", "who": "A"})
    assert ReadingAssignment.objects.count() == 1
    page = client_for(world.user_a).get(reverse("diary:read", args=["pursue-withdraw"]))
    assert page.status_code == 200
    assert ReadingAssignment.objects.get().read_at is not None
    other = client_for(world.user_b)
    assert other.get(reverse("diary:read", args=["pursue-withdraw"])).status_code == 404
    assert "pursue-withdraw" not in other.get(reverse("diary:reading")).content.decode()
    assert client.post(url, {"slug": "no-such-page", "who": "A"}).status_code == 200


def test_reading_pages_exist_in_both_languages(world: World) -> None:
    client = client_for(world.therapist)
    client.post(
        reverse("cases:reading", args=[world.case.pk]), {"slug": "good-enough-sex", "who": "both"}
    )
    for language in ("nl", "en"):
        partner = client_for(world.user_b)
        partner.post(reverse("accounts:language"), {"language": language, "next": "/me/"})
        body = partner.get(reverse("diary:read", args=["good-enough-sex"])).content.decode()
        assert (
            ("Goed genoeg" in body)
            if language == "nl"
            else ("Good-enough" in body or "good enough" in body.lower())
        )


# --- the therapist's own profile ------------------------------------------------------


def test_profile_is_the_therapists_own(world: World) -> None:
    client = client_for(world.therapist)
    data = {
        "attachment_anxiety": "2.5",
        "attachment_avoidance": "5.5",
        "balance_self": "3",
        "balance_calm": "4",
        "balance_grounded": "5",
        "balance_endurance": "6",
    }
    assert client.post(reverse("reflection:profile"), data).status_code == 302
    assert TherapistProfile.objects.get().user == world.therapist
    colleague = client_for(world.colleague).get(reverse("reflection:profile")).content.decode()
    assert 'value="5.50"' not in colleague and 'value="5.5"' not in colleague
    for person in (world.user_a, world.admin, world.researcher):
        assert client_for(person).get(reverse("reflection:profile")).status_code == 403
    bad = client.post(reverse("reflection:profile"), {**data, "attachment_avoidance": "9"})
    assert bad.status_code == 200 and TherapistProfile.objects.get().attachment_avoidance == 5.5


def test_profile_feeds_room_level_on_the_owners_screen_only(world: World) -> None:
    _safe_intake(world)
    answers = world.intake_a.answers
    answers.update({f"balance.{p}": 6 for p in ("self", "calm", "grounded", "endurance")})
    world.intake_a.set_answers(answers)
    world.intake_a.save()
    client_for(world.therapist).post(
        reverse("reflection:profile"),
        {
            "balance_self": "1",
            "balance_calm": "1",
            "balance_grounded": "1",
            "balance_endurance": "1",
        },
    )
    world.case.therapists.add(world.colleague)
    mine = client_for(world.therapist).get(reverse("cases:guidance", args=[world.case.pk]))
    theirs = client_for(world.colleague).get(reverse("cases:guidance", args=[world.case.pk]))
    assert 'id="signal-room.level"' in mine.content.decode()
    assert 'id="signal-room.level"' not in theirs.content.decode()


# --- partners never see any of it -------------------------------------------------------


def _fill_everything(world: World) -> None:
    _safe_intake(world)
    _observe(world, eft_stage="2", powerlessness="true", note=SECRET_NOTE)
    client = client_for(world.therapist)
    client.post(
        reverse("cases:decide_signal", args=[world.case.pk, "diff.switch.powerlessness"]),
        {"request_id": str(uuid.uuid4()), "decision": "accepted", "reason": SECRET_REASON},
    )
    client.post(
        reverse("cases:cycle_edit", args=[world.case.pk]),
        {"request_id": str(uuid.uuid4()), "A-daily-behaviour": DRAFT_TEXT},
    )


def _partner_pages(world: World) -> list[str]:
    pages = ["/", "/me/", "/me/cycle/", "/me/reading/", "/reflection/"]
    for pk in (world.case.pk, world.other_case.pk, 999):
        pages += [
            f"/cases/{pk}/",
            f"/cases/{pk}/guidance/",
            f"/cases/{pk}/observations/new/",
            f"/cases/{pk}/cycle/",
            f"/cases/{pk}/cycle/?version=1",
            f"/cases/{pk}/cycle/edit/",
            f"/cases/{pk}/reading/",
        ]
    return pages


@pytest.mark.parametrize("person", ["partner_a", "partner_b"])
def test_no_signal_observation_track_or_draft_reaches_a_partner(world: World, person: str) -> None:
    _fill_everything(world)
    client = client_for(world.person(person))
    for page in _partner_pages(world):
        response = client.get(page, follow=True)
        body = response.content.decode()
        for secret in (SECRET_REASON, SECRET_NOTE, DRAFT_TEXT, "diff.switch", "Differentiatie"):
            assert secret not in body, (page, secret)
    for pk in (world.case.pk,):
        posts = [
            (
                f"/cases/{pk}/observations/new/",
                {"request_id": str(uuid.uuid4()), "love_felt": "true"},
            ),
            (
                f"/cases/{pk}/track/",
                {"request_id": str(uuid.uuid4()), "track": "eft", "stage": "1", "reason": "x"},
            ),
            (f"/cases/{pk}/cycle/1/publish/", {}),
            (
                f"/cases/{pk}/guidance/eft.indicated/decide/",
                {"request_id": str(uuid.uuid4()), "decision": "accepted", "reason": "x"},
            ),
            (f"/cases/{pk}/reading/", {"slug": "basic-needs", "who": "B"}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code in (403, 404), url
    assert Observation.objects.count() == 1
    assert TrackChange.objects.count() == 1
    assert CycleVersion.objects.get().published_at is None
    assert not ReadingAssignment.objects.exists()


def test_other_practice_therapist_reaches_nothing(world: World) -> None:
    _fill_everything(world)
    client = client_for(world.other_therapist)
    for page in _partner_pages(world)[5:12]:
        assert client.get(page).status_code == 404, page
    denied = AuditEvent.objects.filter(outcome="denied", user_id=world.other_therapist.pk)
    assert denied.exists()


def test_stored_answers_outside_the_snapshot_give_a_message_not_an_error(world: World) -> None:
    answers = world.intake_a.answers
    answers["safety.fear"] = "never"  # not a code of this item; older or imported data
    world.intake_a.set_answers(answers)
    world.intake_a.save()
    client = client_for(world.therapist)
    response = client.get(reverse("cases:guidance", args=[world.case.pk]))
    assert response.status_code == 200
    assert 'class="messages"' in response.content.decode()
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 200
    assert AuditEvent.objects.filter(event="guidance.read", outcome="invalid").exists()


def test_home_tells_only_the_partner_who_got_a_page(world: World) -> None:
    client_for(world.therapist).post(
        reverse("cases:reading", args=[world.case.pk]), {"slug": "basic-needs", "who": "A"}
    )
    assert 'class="card reading-note"' in client_for(world.user_a).get("/me/").content.decode()
    assert "reading-note" not in client_for(world.user_b).get("/me/").content.decode()
    client_for(world.user_a).get(reverse("diary:read", args=["basic-needs"]))
    assert "reading-note" not in client_for(world.user_a).get("/me/").content.decode()
