"""Work on observations, guidance signals, the track and the cycle map.

Every function here reads or writes clinical data of one case; the caller has
checked with the policy that the request's user is one of the case's
therapists. Each writes its audit event in the same transaction as the change.
A repeated ``request_id`` (a double click, a resent form) returns the first
record instead of making a second.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from dyade.audit.services import record
from dyade.cases.models import Case
from dyade.clinic import cycle as cycle_core
from dyade.clinic import guidance
from dyade.clinic import snapshot as snapshot_core
from dyade.db.once import create_once_by_request_id, find_by_request_id
from dyade.sessions import case_snapshot
from dyade.sessions.models import (
    Appointment,
    CycleVersion,
    Decision,
    Observation,
    SignalDecision,
    TrackChange,
    TrackName,
)

# Accepting one of these signals moves the case onto a track.
SIGNAL_TRACKS: dict[str, tuple[str, int | None]] = {
    "eft.indicated": (TrackName.EFT, 1),
    "safety.timeout-programme": (TrackName.SAFETY, None),
    "eft.contra.violence": (TrackName.SAFETY, None),
    "diff.switch.powerlessness": (TrackName.DIFFERENTIATION, None),
    "diff.switch.sexual-self-insight": (TrackName.DIFFERENTIATION, None),
    "diff.switch.approval-dependence": (TrackName.DIFFERENTIATION, None),
    "diff.switch.comfort-zone": (TrackName.DIFFERENTIATION, None),
    "eft.return": (TrackName.EFT, None),
}
# The points of balance each switch works on first (Schnarch; seeds 000, 001).
SWITCH_FOCUS: dict[str, list[str]] = {
    "diff.switch.powerlessness": ["calm", "endurance"],
    "diff.switch.sexual-self-insight": ["self"],
    "diff.switch.approval-dependence": ["self", "calm"],
    "diff.switch.comfort-zone": ["self", "endurance"],
}


# --- observations ----------------------------------------------------------------


def record_observation(
    request: HttpRequest, case: Case, values: dict[str, Any], request_id: uuid.UUID | None
) -> tuple[Observation, bool]:
    def create() -> Observation:
        observation = Observation.objects.create(
            case=case, created_by=request.user, request_id=request_id, **values
        )
        record(request, "observation.create", obj=observation, case=case)
        return observation

    return create_once_by_request_id(Observation, request_id, create, refuse_taken=False, case=case)


# --- signals -----------------------------------------------------------------------


def fingerprint(signal: guidance.Signal) -> str:
    data = json.dumps([r.as_json() for r in signal.reasons], sort_keys=True, default=str)
    return hashlib.sha256(f"{signal.id}|{data}".encode()).hexdigest()


@dataclass
class SignalView:
    signal: guidance.Signal
    rule: guidance.Rule
    fingerprint: str
    decision: SignalDecision | None  # the decision on exactly these reasons, if any
    track: tuple[str, int | None] | None  # where accepting it takes the case

    @property
    def open(self) -> bool:
        return self.decision is None


def snapshot_of(
    request: HttpRequest, case: Case, loaded: case_snapshot.Loaded | None = None
) -> snapshot_core.Snapshot:
    data = case_snapshot.build(case, request.user, timezone.localdate(), loaded)
    return snapshot_core.parse(data)


def signals(
    request: HttpRequest,
    case: Case,
    loaded: case_snapshot.Loaded | None = None,
    decisions: Sequence[SignalDecision] | None = None,
) -> list[SignalView]:
    """The signals that fire now, each with the decision taken on the same reasons.

    A page that has read parts of the case already passes them in ``loaded``
    and the case's signal decisions in ``decisions`` (in any order; a page that
    shows no decision may leave their texts unread), so nothing is read twice.
    """
    fired = guidance.evaluate(snapshot_of(request, case, loaded))
    if decisions is None:
        decisions = list(case.signal_decisions.all())
    found: dict[tuple[str, str], SignalDecision] = {}
    for decision in sorted(decisions, key=lambda d: (d.decided_at, d.pk)):
        found[(decision.signal, decision.fingerprint)] = decision
    views = []
    for signal in fired:
        print_ = fingerprint(signal)
        views.append(
            SignalView(
                signal=signal,
                rule=guidance.RULES_BY_ID[signal.id],
                fingerprint=print_,
                decision=found.get((signal.id, print_)),
                track=SIGNAL_TRACKS.get(signal.id),
            )
        )
    return views


class SignalGone(Exception):
    """The signal no longer fires (the case changed since the page was loaded)."""


def decide(
    request: HttpRequest,
    case: Case,
    signal_id: str,
    decision: str,
    reason: str,
    request_id: uuid.UUID | None,
    appointment: Appointment | None = None,
) -> tuple[SignalDecision, TrackChange | None]:
    """Accept or dismiss a signal that fires now; accepting a track signal changes the track."""
    found = find_by_request_id(SignalDecision, request_id, case=case)()
    if found is not None:
        change = find_by_request_id(TrackChange, request_id, case=case)()
        return found, change
    view = next((v for v in signals(request, case) if v.signal.id == signal_id), None)
    if view is None:
        raise SignalGone(signal_id)
    with transaction.atomic():
        saved = SignalDecision.objects.create(
            case=case,
            signal=signal_id,
            kind=view.signal.kind,
            fingerprint=view.fingerprint,
            reasons_json=json.dumps(
                [r.as_json() for r in view.signal.reasons], default=str, ensure_ascii=False
            ),
            decision=decision,
            reason=reason,
            decided_by=request.user,
            request_id=request_id,
            appointment=appointment,
        )
        record(request, "signal.create", obj=saved, case=case, detail=f"{signal_id} {decision}")
        change = None
        if decision == Decision.ACCEPTED and view.track is not None:
            track, stage = view.track
            if track == TrackName.EFT and stage is None:
                stage = _last_eft_stage(case) or 1
            change = TrackChange.objects.create(
                case=case,
                track=track,
                stage=stage,
                focus=SWITCH_FOCUS.get(signal_id, []),
                signals=[signal_id],
                reason=reason,
                changed_by=request.user,
                request_id=request_id,
            )
            record(request, "track.create", obj=change, case=case, detail=f"{track} {stage or ''}")
    return saved, change


def _last_eft_stage(case: Case) -> int | None:
    last = case.track_changes.filter(track=TrackName.EFT).order_by("-changed_at", "-pk").first()
    return last.stage if last is not None else None


# --- the track -----------------------------------------------------------------------


def current_track(case: Case) -> TrackChange | None:
    return case.track_changes.order_by("-changed_at", "-pk").first()


def change_track(
    request: HttpRequest,
    case: Case,
    *,
    track: str,
    stage: int | None,
    focus: list[str],
    reason: str,
    signal_ids: list[str],
    request_id: uuid.UUID | None,
) -> tuple[TrackChange, bool]:
    def create() -> TrackChange:
        change = TrackChange.objects.create(
            case=case,
            track=track,
            stage=stage if track == TrackName.EFT else None,
            focus=focus if track == TrackName.DIFFERENTIATION else [],
            signals=signal_ids,
            reason=reason,
            changed_by=request.user,
            request_id=request_id,
        )
        record(request, "track.create", obj=change, case=case, detail=f"{track} {stage or ''}")
        return change

    return create_once_by_request_id(TrackChange, request_id, create, refuse_taken=False, case=case)


# --- the cycle map --------------------------------------------------------------------


def latest_cycle(case: Case) -> CycleVersion | None:
    return case.cycle_versions.order_by("-number").first()


def cycle_of(version: CycleVersion | None, case: Case) -> cycle_core.CycleMap:
    slots = tuple(case.slots)
    if version is None:
        return cycle_core.CycleMap({slot: cycle_core.PartnerCycle() for slot in slots})
    return cycle_core.parse(version.data, slots)


def save_cycle(
    request: HttpRequest,
    case: Case,
    cycle_map: cycle_core.CycleMap,
    request_id: uuid.UUID | None,
) -> tuple[CycleVersion, bool]:
    """Store ``cycle_map`` as the next version of the case's map."""

    def create() -> CycleVersion:
        last = case.cycle_versions.select_for_update().order_by("-number").first()
        version = CycleVersion.objects.create(
            case=case,
            number=(last.number + 1) if last else 1,
            data_json=json.dumps(cycle_map.as_json(), ensure_ascii=False),
            created_by=request.user,
            request_id=request_id,
        )
        record(request, "cycle.create", obj=version, case=case, detail=f"v{version.number}")
        return version

    return create_once_by_request_id(
        CycleVersion, request_id, create, refuse_taken=False, case=case
    )


def publish_cycle(request: HttpRequest, version: CycleVersion) -> bool:
    """Make ``version`` visible to the partners; False if it already was."""
    with transaction.atomic():
        locked = CycleVersion.objects.select_for_update().get(pk=version.pk)
        if locked.published_at is not None:
            return False
        locked.published_at = timezone.now()
        locked.published_by = request.user
        locked.save(update_fields=["published_at", "published_by"])
        record(
            request,
            "cycle.update",
            obj=locked,
            case=locked.case,
            detail=f"published v{locked.number}",
        )
    version.published_at = locked.published_at
    return True
