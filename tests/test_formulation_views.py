"""Issue 13 on the therapist's pages: the formulation remembers, safety holds back touch exercises.

The rules themselves are tested in tests/clinic; here the web layer: what the
observation form and the guidance page show, what the snapshot of a stored case
carries, and the override for touch and sexual exercises (who sees it, that it
is audited and that it never reaches a partner or the practice admin).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from dyade.audit.models import AuditEvent
from dyade.exercises.models import Assignment
from dyade.sessions import case_snapshot
from dyade.sessions.models import TrackChange
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

REASON = "alleen met A besproken; veilig genoeg (override-5521)"


def _observe(world: World, day: str, **values: str) -> None:
    data = {"request_id": str(uuid.uuid4()), "date": day, **values}
    response = client_for(world.therapist).post(
        reverse("cases:observation_new", args=[world.case.pk]), data
    )
    assert response.status_code == 302


def _clean_safety(world: World) -> None:
    """Both partners answered the safety part alone, with no sign in it."""
    clean = {"safety.physical": "never", "safety.psychological": "never", "safety.fear": "no"}
    for administration in (world.intake_a, world.intake_b):
        answers = {k: v for k, v in administration.answers.items() if not k.startswith("safety")}
        administration.set_answers({**answers, **clean})
        administration.status = "submitted"
        administration.submitted_at = timezone.now()
        administration.save()
    world.hits_a.delete()


def _give(world: World, **extra: str) -> object:
    data = {"request_id": str(uuid.uuid4()), "slug": "sensate-focus", "who": "couple", **extra}
    return client_for(world.therapist).post(reverse("cases:exercises", args=[world.case.pk]), data)


# --- the formulation ------------------------------------------------------------------


def test_a_finding_noted_once_stays_on_the_form_as_before(world: World) -> None:
    _observe(world, "2026-11-01", goals_diverge="true", destructive_claim_by="A")
    _observe(world, "2026-11-15", eft_stage="1")  # goals and claim left on "not noted"
    body = (
        client_for(world.therapist)
        .get(reverse("cases:observation_new", args=[world.case.pk]))
        .content.decode()
    )
    assert body.count("As before") >= 2 or body.count("Zoals eerder") >= 2
    # The unknown findings keep "not noted": nothing was ever said about them.
    form = (
        client_for(world.therapist)
        .get(reverse("cases:observation_new", args=[world.case.pk]))
        .context["form"]
    )
    assert form["goals_diverge"].help_text and form["destructive_claim_by"].help_text
    assert not form["hidden_agenda"].help_text


def test_the_guidance_page_shows_the_formulation_and_no_rule_ids(world: World) -> None:
    _observe(world, "2026-11-01", hidden_agenda="true")
    _observe(world, "2026-11-15", hidden_agenda="false")
    response = client_for(world.therapist).get(reverse("cases:guidance", args=[world.case.pk]))
    rows = {row["label"]: row for row in response.context["formulation"]}
    hidden = next(row for label, row in rows.items() if "agenda" in label.lower())
    assert hidden["state"] == "gone"
    body = response.content.decode()
    assert 'id="formulation"' in body
    # A's safety screen raises signals; what the therapist reads names them in words.
    assert 'id="signal-eft.contra.violence"' in body
    visible = re.sub(r"<[^>]+>", " ", body)  # ids in attributes and URLs are not read
    for code in ("eft.contra", "safety.review", "safety.timeout", "seed 00", "(seed"):
        assert code not in visible


def test_the_snapshot_carries_the_case_kind_and_why_the_track_switched(world: World) -> None:
    for day, track, stage, signals in (
        (1, "eft", 1, []),
        (5, "differentiation", None, ["diff.switch.sexual-self-insight"]),
    ):
        TrackChange.objects.create(
            case=world.case,
            track=track,
            stage=stage,
            signals=signals,
            reason="x",
            changed_by=world.therapist,
            changed_at=timezone.now() - dt.timedelta(days=10 - day),
        )
    data = case_snapshot.build(world.case, world.therapist, timezone.localdate())
    assert data["case"] == {"kind": "couple"}
    assert data["track"]["name"] == "differentiation"
    assert data["track"]["switched_for"] == ["diff.switch.sexual-self-insight"]
    assert data["track"]["since"] == (timezone.localdate() - dt.timedelta(days=5)).isoformat()


def test_a_stage_change_within_eft_keeps_the_reason_the_case_came_onto_eft(world: World) -> None:
    for day, stage, signals in ((1, 1, ["eft.indicated"]), (5, 2, [])):
        TrackChange.objects.create(
            case=world.case,
            track="eft",
            stage=stage,
            signals=signals,
            reason="x",
            changed_by=world.therapist,
            changed_at=timezone.now() - dt.timedelta(days=10 - day),
        )
    track = case_snapshot.build(world.case, world.therapist, timezone.localdate())["track"]
    assert track["stage"] == 2 and track["switched_for"] == ["eft.indicated"]


# --- touch and sexual exercises wait for a reason while a safety screen shows a sign ----


def test_a_safety_sign_asks_for_a_reason_and_keeps_what_was_typed(world: World) -> None:
    # The world's partner A reports violence and fear in the safety part.
    response = _give(world, own_agreements="we lachen er niet om")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="safety-hold"' in body and "we lachen er niet om" in body
    assert not Assignment.objects.exists()
    assert AuditEvent.objects.filter(event="exercise.create", outcome="invalid").count() == 1


def test_with_a_reason_it_is_given_kept_encrypted_and_audited(world: World) -> None:
    response = _give(world, safety_override=REASON)
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.safety_override == REASON
    override = AuditEvent.objects.get(event="exercise_override.create")
    assert override.case_id == world.case.pk and REASON not in override.detail
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT safety_override FROM {Assignment._meta.db_table} WHERE id = %s",
            [assignment.pk],
        )
        (raw,) = cursor.fetchone()
    assert "override-5521" not in raw  # encrypted at rest
    debrief = client_for(world.therapist).get(
        reverse("cases:exercise", args=[world.case.pk, assignment.pk])
    )
    assert REASON in debrief.content.decode()


def test_the_reason_never_reaches_a_partner_or_the_practice_admin(world: World) -> None:
    _give(world, safety_override=REASON)
    assignment = Assignment.objects.get()
    for user in (world.user_a, world.user_b):
        client = client_for(user)
        for url in ("/me/exercises/", f"/me/exercises/{assignment.pk}/"):
            response = client.get(url)
            assert response.status_code == 200
            assert "override-5521" not in response.content.decode()
    audit = client_for(world.admin).get("/practice/audit/").content.decode()
    assert "override-5521" not in audit and "safety" not in audit.lower()


def test_other_exercises_need_no_reason(world: World) -> None:
    data = {"request_id": str(uuid.uuid4()), "slug": "time-out-plan", "who": "couple"}
    response = client_for(world.therapist).post(
        reverse("cases:exercises", args=[world.case.pk]), data
    )
    assert response.status_code == 302
    assert Assignment.objects.get().safety_override == ""
    assert not AuditEvent.objects.filter(event="exercise_override.create").exists()


def test_a_clean_screen_asks_nothing(world: World) -> None:
    _clean_safety(world)
    page = client_for(world.therapist).get(reverse("cases:exercises", args=[world.case.pk]))
    assert 'id="safety-hold"' not in page.content.decode()
    assert "safety_override" not in page.context["form"].fields
    assert _give(world).status_code == 302
    assert Assignment.objects.get().safety_override == ""


def test_a_case_on_the_safety_track_holds_back_touch_exercises(world: World) -> None:
    _clean_safety(world)
    TrackChange.objects.create(
        case=world.case, track="safety", reason="x", changed_by=world.therapist
    )
    assert _give(world).status_code == 200
    assert not Assignment.objects.exists()
