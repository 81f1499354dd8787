"""The case snapshot that the guidance rules read.

A snapshot gathers what is known about a case at one moment: each partner's
intake answers and scores, a summary of their diary, the therapist's session
observations, the therapist's own profile, the current track and whether the
negative cycle has been mapped. Every field is optional. A rule reads only
values that are present; a missing value is "unknown", never "no" and never
"yes", so nothing fires by accident.

:func:`parse` turns the JSON form (documented in ``docs/guidance.md``) into
these frozen dataclasses and refuses anything it does not know, so that a
typing error in a key cannot silently switch a rule off. The readers of
single values (and :class:`SnapshotError`) live in
:mod:`dyade.clinic.snapshot_values`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dyade.clinic.snapshot_values import SnapshotError as SnapshotError
from dyade.clinic.snapshot_values import (
    check_keys,
    read_bool,
    read_code,
    read_float,
    read_int,
    read_str,
)

SLOTS = ("A", "B")
POSITIONS = ("pursue", "withdraw", "mixed", "none")
WISHES = ("yes", "unsure", "leaving")
FREQUENCIES = ("never", "once", "sometimes", "often")
FEAR = ("no", "sometimes", "often")
JOINT_SESSIONS = ("yes", "not-always", "no")
HEALTH = ("yes", "no", "unsure")
PAIN = ("never", "sometimes", "often")
TRACKS = ("eft", "differentiation", "safety", "individual")
BALANCE_POINTS = ("self", "calm", "grounded", "endurance")


@dataclass(frozen=True)
class Balance:
    """The four points of balance (Schnarch), each 0-10 as the partner or therapist rates it."""

    self: int | None = None
    calm: int | None = None
    grounded: int | None = None
    endurance: int | None = None

    def values(self) -> dict[str, int]:
        return {
            name: value for name in BALANCE_POINTS if (value := getattr(self, name)) is not None
        }

    @property
    def complete(self) -> bool:
        return len(self.values()) == len(BALANCE_POINTS)

    @property
    def mean(self) -> float | None:
        """The mean of the four points, only when all four are known."""
        values = self.values()
        if len(values) != len(BALANCE_POINTS):
            return None
        return sum(values.values()) / len(values)


@dataclass(frozen=True)
class Safety:
    physical: str | None = None  # partner was hurt physically: never/once/sometimes/often
    psychological: str | None = None  # threatened, humiliated, controlled
    coercion: str | None = None  # pressed into sex
    own: str | None = None  # the partner's own violence towards the other
    fear: str | None = None  # afraid of the partner: no/sometimes/often
    joint_sessions: str | None = None  # safe to speak freely together: yes/not-always/no
    hits_total: int | None = None  # HITS screen, 4-20 (Sherin et al. 1998)


@dataclass(frozen=True)
class Health:
    dysfunction: str | None = None
    illness: str | None = None
    disability: str | None = None
    paraphilia: str | None = None
    medication: str | None = None
    sexual_pain: str | None = None  # never/sometimes/often


@dataclass(frozen=True)
class Partner:
    wish_to_continue: str | None = None
    love: int | None = None  # 0-10
    detachment: int | None = None  # 0-10, how far the relationship was let go of
    motivation: int | None = None  # 0-10
    daily_position: str | None = None
    sexual_position: str | None = None
    desire: int | None = None  # 0-10
    sexual_satisfaction: int | None = None  # 0-10
    sexual_self_knowledge: int | None = None  # 0-10: knows what they need to get in the mood
    avoidance_motives: tuple[str, ...] | None = None
    attachment_anxiety: float | None = None  # ECR-R, 1-7
    attachment_avoidance: float | None = None  # ECR-R, 1-7
    balance: Balance = field(default_factory=Balance)
    safety: Safety = field(default_factory=Safety)
    health: Health = field(default_factory=Health)


@dataclass(frozen=True)
class Diary:
    days: int | None = None  # days with an entry in the period
    conflict_days: int | None = None
    sexual_contact_days: int | None = None
    closeness_mean: float | None = None  # 0-10
    desire_mean: float | None = None  # 0-10


@dataclass(frozen=True)
class Observation:
    """The therapist's structured notes after one session (all optional)."""

    date: str | None = None
    love_felt: bool | None = None  # the therapist can find the love between them
    motivation_a: int | None = None  # 0-10 as the therapist sees it
    motivation_b: int | None = None
    hidden_agenda: bool | None = None
    goals_diverge: bool | None = None
    powerlessness: bool | None = None  # anxiety as a "third person" only the partner could remove
    needs_encouragement: bool | None = None
    destructive_claim_by: str | None = None  # "A" or "B": lays too destructive a claim
    connection_not_in_daily_life: bool | None = None
    approval_dependence: bool | None = None  # both hang on the other's approval
    comfort_zone_routine: bool | None = None
    sex_disrupted_by_attachment: bool | None = None
    emotional_safety: bool | None = None
    escalation: bool | None = None  # escalation or verbal aggression in the session
    painful_subject_avoided: bool | None = None  # the room keeps away from a painful subject
    eft_stage: int | None = None  # 1, 2 or 3


@dataclass(frozen=True)
class Therapist:
    attachment_anxiety: float | None = None  # ECR-R, 1-7
    attachment_avoidance: float | None = None
    balance: Balance = field(default_factory=Balance)


@dataclass(frozen=True)
class Track:
    name: str | None = None
    stage: int | None = None  # EFT stage 1-3 when name is "eft"


@dataclass(frozen=True)
class Snapshot:
    partners: Mapping[str, Partner] = field(default_factory=dict)
    diary: Mapping[str, Diary] = field(default_factory=dict)
    observations: tuple[Observation, ...] = ()  # oldest first
    therapist: Therapist = field(default_factory=Therapist)
    track: Track = field(default_factory=Track)
    cycle_mapped: bool | None = None

    @property
    def latest(self) -> Observation:
        """The newest observation, or an empty one (every field unknown)."""
        return self.observations[-1] if self.observations else Observation()

    def partner(self, slot: str) -> Partner:
        return self.partners.get(slot, Partner())

    @property
    def eft_stage(self) -> int | None:
        """The EFT stage: the latest observation's, else the track's when it is EFT."""
        if self.latest.eft_stage is not None:
            return self.latest.eft_stage
        if self.track.name == "eft":
            return self.track.stage
        return None


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
    keys = ("dysfunction", "illness", "disability", "paraphilia", "medication", "sexual_pain")
    data = check_keys(data, where, keys)
    values: dict[str, Any] = {key: read_code(data, key, where, HEALTH) for key in keys[:-1]}
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
        destructive_claim_by=read_code(data, "destructive_claim_by", where, SLOTS),
        eft_stage=read_int(data, "eft_stage", where, 1, 3),
        **values,
    )


def _object(data: Mapping[str, Any], key: str, allowed: tuple[str, ...]) -> Mapping[str, Any]:
    """A nested object; null or absent is an empty one, anything else must be an object."""
    value = data.get(key)
    return check_keys({} if value is None else value, key, allowed)


def parse(data: Any) -> Snapshot:
    """Read a snapshot from its JSON form; raise :class:`SnapshotError` on anything wrong."""
    keys = ("partners", "diary", "observations", "therapist", "track", "cycle_mapped", "comment")
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
    track_data = _object(data, "track", ("name", "stage"))
    track = Track(
        name=read_code(track_data, "name", "track", TRACKS),
        stage=read_int(track_data, "stage", "track", 1, 3),
    )
    if track.stage is not None and track.name != "eft":
        raise SnapshotError("track.stage: only the eft track has stages")
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
    )
