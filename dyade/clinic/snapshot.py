"""The case snapshot that the guidance rules read.

A snapshot gathers what is known about a case at one moment: each partner's
intake answers and scores, a summary of their diary, the therapist's session
observations, the therapist's own profile, the current track (and why the case
moved onto it), the kind of case and whether the negative cycle has been mapped.
Every field is optional. A rule reads only values that are present; a missing
value is "unknown", never "no" and never "yes", so nothing fires by accident.

:func:`parse` turns the JSON form (documented in ``docs/guidance.md``) into
the frozen dataclasses of :mod:`dyade.clinic.snapshot_model` (re-exported
here) and refuses anything it does not know, so that a typing error in a key
cannot silently switch a rule off. The readers of single values (and
:class:`SnapshotError`) live in :mod:`dyade.clinic.snapshot_values`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dyade.clinic.snapshot_model import ALLIANCE_MAX as ALLIANCE_MAX
from dyade.clinic.snapshot_model import BALANCE_POINTS as BALANCE_POINTS
from dyade.clinic.snapshot_model import BY_WHOM as BY_WHOM
from dyade.clinic.snapshot_model import CASE_KINDS as CASE_KINDS
from dyade.clinic.snapshot_model import FEAR as FEAR
from dyade.clinic.snapshot_model import FREQUENCIES as FREQUENCIES
from dyade.clinic.snapshot_model import HEALTH as HEALTH
from dyade.clinic.snapshot_model import JOINT_SESSIONS as JOINT_SESSIONS
from dyade.clinic.snapshot_model import PAIN as PAIN
from dyade.clinic.snapshot_model import POSITIONS as POSITIONS
from dyade.clinic.snapshot_model import PROGRESS_STATUSES as PROGRESS_STATUSES
from dyade.clinic.snapshot_model import SLOTS as SLOTS
from dyade.clinic.snapshot_model import TRACKS as TRACKS
from dyade.clinic.snapshot_model import WISHES as WISHES
from dyade.clinic.snapshot_model import Balance as Balance
from dyade.clinic.snapshot_model import CaseInfo as CaseInfo
from dyade.clinic.snapshot_model import Diary as Diary
from dyade.clinic.snapshot_model import Health as Health
from dyade.clinic.snapshot_model import Observation as Observation
from dyade.clinic.snapshot_model import Partner as Partner
from dyade.clinic.snapshot_model import Progress as Progress
from dyade.clinic.snapshot_model import Safety as Safety
from dyade.clinic.snapshot_model import Snapshot as Snapshot
from dyade.clinic.snapshot_model import Therapist as Therapist
from dyade.clinic.snapshot_model import Track as Track
from dyade.clinic.snapshot_values import SnapshotError as SnapshotError
from dyade.clinic.snapshot_values import (
    check_keys,
    read_bool,
    read_code,
    read_code_series,
    read_float,
    read_int,
    read_number_series,
    read_str,
)

# --- reading the JSON form ---------------------------------------------------------


def _balance(data: Any, where: str) -> Balance:
    if data is None:
        return Balance()
    data = check_keys(data, where, BALANCE_POINTS)
    return Balance(**{name: read_int(data, name, where, 0, 10) for name in BALANCE_POINTS})


def _safety(data: Any, where: str) -> Safety:
    if data is None:
        return Safety()
    keys = ("physical", "psychological", "coercion", "own", "fear", "joint_sessions", "hits_total")
    data = check_keys(data, where, keys)
    return Safety(
        physical=read_code(data, "physical", where, FREQUENCIES),
        psychological=read_code(data, "psychological", where, FREQUENCIES),
        coercion=read_code(data, "coercion", where, FREQUENCIES),
        own=read_code(data, "own", where, FREQUENCIES),
        fear=read_code(data, "fear", where, FEAR),
        joint_sessions=read_code(data, "joint_sessions", where, JOINT_SESSIONS),
        hits_total=read_int(data, "hits_total", where, 4, 20),
    )


def _health(data: Any, where: str) -> Health:
    if data is None:
        return Health()
    coded = ("dysfunction", "illness", "disability", "paraphilia", "medication", "linked_to_sex")
    data = check_keys(data, where, (*coded, "sexual_pain"))
    values: dict[str, Any] = {key: read_code(data, key, where, HEALTH) for key in coded}
    values["sexual_pain"] = read_code(data, "sexual_pain", where, PAIN)
    return Health(**values)


_PARTNER_KEYS = (
    "wish_to_continue",
    "love",
    "detachment",
    "motivation",
    "daily_position",
    "sexual_position",
    "desire",
    "sexual_satisfaction",
    "sexual_self_knowledge",
    "avoidance_motives",
    "attachment_anxiety",
    "attachment_avoidance",
    "balance",
    "safety",
    "health",
    "progress",
)


def _progress(data: Any, where: str) -> Progress:
    if data is None:
        return Progress()
    data = check_keys(data, where, ("statuses", "alliance"))
    return Progress(
        statuses=read_code_series(data, "statuses", where, PROGRESS_STATUSES),
        alliance=read_number_series(data, "alliance", where, 0, ALLIANCE_MAX),
    )


def _partner(data: Any, where: str) -> Partner:
    data = check_keys(data, where, _PARTNER_KEYS)
    motives = data.get("avoidance_motives")
    if motives is not None and (
        not isinstance(motives, list) or not all(isinstance(m, str) for m in motives)
    ):
        raise SnapshotError(f"{where}.avoidance_motives: expected a list of codes")
    return Partner(
        wish_to_continue=read_code(data, "wish_to_continue", where, WISHES),
        love=read_int(data, "love", where, 0, 10),
        detachment=read_int(data, "detachment", where, 0, 10),
        motivation=read_int(data, "motivation", where, 0, 10),
        daily_position=read_code(data, "daily_position", where, POSITIONS),
        sexual_position=read_code(data, "sexual_position", where, POSITIONS),
        desire=read_int(data, "desire", where, 0, 10),
        sexual_satisfaction=read_int(data, "sexual_satisfaction", where, 0, 10),
        sexual_self_knowledge=read_int(data, "sexual_self_knowledge", where, 0, 10),
        avoidance_motives=tuple(motives) if motives is not None else None,
        attachment_anxiety=read_float(data, "attachment_anxiety", where, 1, 7),
        attachment_avoidance=read_float(data, "attachment_avoidance", where, 1, 7),
        balance=_balance(data.get("balance"), f"{where}.balance"),
        safety=_safety(data.get("safety"), f"{where}.safety"),
        health=_health(data.get("health"), f"{where}.health"),
        progress=_progress(data.get("progress"), f"{where}.progress"),
    )


def _diary(data: Any, where: str) -> Diary:
    keys = ("days", "conflict_days", "sexual_contact_days", "closeness_mean", "desire_mean")
    data = check_keys(data, where, keys)
    diary = Diary(
        days=read_int(data, "days", where, 0, 10_000),
        conflict_days=read_int(data, "conflict_days", where, 0, 10_000),
        sexual_contact_days=read_int(data, "sexual_contact_days", where, 0, 10_000),
        closeness_mean=read_float(data, "closeness_mean", where, 0, 10),
        desire_mean=read_float(data, "desire_mean", where, 0, 10),
    )
    for key in ("conflict_days", "sexual_contact_days"):
        count = getattr(diary, key)
        if count is not None and diary.days is not None and count > diary.days:
            raise SnapshotError(f"{where}.{key}: more days than {where}.days")
    return diary


_OBSERVATION_FLAGS = (
    "love_felt",
    "hidden_agenda",
    "goals_diverge",
    "powerlessness",
    "needs_encouragement",
    "claim_complied",
    "connection_not_in_daily_life",
    "approval_dependence",
    "comfort_zone_routine",
    "sex_disrupted_by_attachment",
    "emotional_safety",
    "escalation",
    "painful_subject_avoided",
)
OBSERVATION_KEYS = (
    "date",
    "motivation_a",
    "motivation_b",
    "destructive_claim_by",
    "partner_left_by",
    "eft_stage",
    *_OBSERVATION_FLAGS,
)


def _observation(data: Any, where: str) -> Observation:
    data = check_keys(data, where, OBSERVATION_KEYS)
    values: dict[str, Any] = {flag: read_bool(data, flag, where) for flag in _OBSERVATION_FLAGS}
    return Observation(
        date=read_str(data, "date", where),
        motivation_a=read_int(data, "motivation_a", where, 0, 10),
        motivation_b=read_int(data, "motivation_b", where, 0, 10),
        destructive_claim_by=read_code(data, "destructive_claim_by", where, BY_WHOM),
        partner_left_by=read_code(data, "partner_left_by", where, BY_WHOM),
        eft_stage=read_int(data, "eft_stage", where, 1, 3),
        **values,
    )


def _object(data: Mapping[str, Any], key: str, allowed: tuple[str, ...]) -> Mapping[str, Any]:
    """A nested object; null or absent is an empty one, anything else must be an object."""
    value = data.get(key)
    return check_keys({} if value is None else value, key, allowed)


def _track(data: Mapping[str, Any]) -> Track:
    switched_for = data.get("switched_for")
    if switched_for is None:
        switched_for = []
    if not isinstance(switched_for, list) or not all(
        isinstance(item, str) and item for item in switched_for
    ):
        raise SnapshotError("track.switched_for: expected a list of signal ids")
    track = Track(
        name=read_code(data, "name", "track", TRACKS),
        stage=read_int(data, "stage", "track", 1, 3),
        switched_for=tuple(switched_for),
        since=read_str(data, "since", "track"),
    )
    if track.stage is not None and track.name != "eft":
        raise SnapshotError("track.stage: only the eft track has stages")
    return track


def parse(data: Any) -> Snapshot:
    """Read a snapshot from its JSON form; raise :class:`SnapshotError` on anything wrong."""
    keys = (
        "partners",
        "diary",
        "observations",
        "therapist",
        "track",
        "cycle_mapped",
        "case",
        "comment",
    )
    data = check_keys(data, "snapshot", keys)
    read_str(data, "comment", "snapshot")
    partners_data = _object(data, "partners", SLOTS)
    diary_data = _object(data, "diary", SLOTS)
    observations = data.get("observations")
    if observations is None:
        observations = []
    if not isinstance(observations, list):
        raise SnapshotError("observations: expected a list, oldest first")
    therapist_data = _object(
        data, "therapist", ("attachment_anxiety", "attachment_avoidance", "balance")
    )
    track = _track(_object(data, "track", ("name", "stage", "switched_for", "since")))
    case_data = _object(data, "case", ("kind",))
    return Snapshot(
        partners={
            slot: _partner(value, f"partners.{slot}") for slot, value in partners_data.items()
        },
        diary={slot: _diary(value, f"diary.{slot}") for slot, value in diary_data.items()},
        observations=tuple(
            _observation(item, f"observations[{index}]") for index, item in enumerate(observations)
        ),
        therapist=Therapist(
            attachment_anxiety=read_float(therapist_data, "attachment_anxiety", "therapist", 1, 7),
            attachment_avoidance=read_float(
                therapist_data, "attachment_avoidance", "therapist", 1, 7
            ),
            balance=_balance(therapist_data.get("balance"), "therapist.balance"),
        ),
        track=track,
        cycle_mapped=read_bool(data, "cycle_mapped", "snapshot"),
        case=CaseInfo(kind=read_code(case_data, "kind", "case", CASE_KINDS)),
    )
