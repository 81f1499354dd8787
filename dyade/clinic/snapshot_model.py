"""The typed case snapshot: what the guidance rules read (the JSON reader is in ``snapshot``).

Every field is optional. A rule reads only values that are present; a missing
value is "unknown", never "no" and never "yes", so nothing fires by accident.
Import these names from :mod:`dyade.clinic.snapshot`, which re-exports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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
CASE_KINDS = ("couple", "individual")
# Who a finding in a session note is about: one partner, both, or explicitly nobody.
BY_WHOM = ("A", "B", "both", "none")
# A partner's status after a session (Jacobson & Truax 1991; dyade.clinic.progress).
PROGRESS_STATUSES = ("recovered", "improved", "unchanged", "deteriorated")
ALLIANCE_MAX = 10  # the alliance check after a session, 0-10 (Dyade's own check)


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
    """A partner's own safety screen, answered alone; only the therapist sees it."""

    physical: str | None = None  # partner was hurt physically: never/once/sometimes/often
    psychological: str | None = None  # threatened, humiliated, controlled
    coercion: str | None = None  # pressed into sex
    own: str | None = None  # the partner's own violence towards the other
    fear: str | None = None  # afraid of the partner: no/sometimes/often
    joint_sessions: str | None = None  # safe to speak freely together: yes/not-always/no
    hits_total: int | None = None  # HITS screen, 4-20 (Sherin et al. 1998)

    @property
    def answered(self) -> bool:
        """The partner answered at least one safety question (or a HITS)."""
        return any(value is not None for value in vars(self).values())


@dataclass(frozen=True)
class Health:
    dysfunction: str | None = None
    illness: str | None = None
    disability: str | None = None
    paraphilia: str | None = None
    medication: str | None = None
    sexual_pain: str | None = None  # never/sometimes/often
    # yes/no/unsure: the illness, disability or medication bears on the sexual problem
    linked_to_sex: str | None = None


@dataclass(frozen=True)
class Progress:
    """A partner's session check-ins, one entry per session, oldest first.

    ``statuses`` holds the status after each session against the partner's
    first outcome score (``None``: no check-in, the baseline itself, or an
    instrument without published values for reliable change). ``alliance``
    holds the alliance check after each session on 0-10 (``None``: none given).
    """

    statuses: tuple[str | None, ...] = ()
    alliance: tuple[float | None, ...] = ()

    @property
    def followups(self) -> int:
        """Sessions with a status: outcome check-ins after the baseline that could be judged."""
        return sum(1 for status in self.statuses if status is not None)

    @property
    def latest_status(self) -> str | None:
        known = [status for status in self.statuses if status is not None]
        return known[-1] if known else None

    @property
    def alliance_given(self) -> list[float]:
        return [score for score in self.alliance if score is not None]


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
    progress: Progress = field(default_factory=Progress)


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
    partner_left_by: str | None = None  # A/B/both/none: has emotionally left, as the therapist sees
    powerlessness: bool | None = None  # anxiety as a "third person" only the partner could remove
    needs_encouragement: bool | None = None
    destructive_claim_by: str | None = None  # A/B/both/none: lays too destructive a claim
    claim_complied: bool | None = None  # the other tends to go along with that claim
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
    switched_for: tuple[str, ...] = ()  # the signal ids accepted when the case moved onto it
    since: str | None = None  # the date the case moved onto this track


@dataclass(frozen=True)
class CaseInfo:
    kind: str | None = None  # "couple" or "individual" (relationship therapy with one partner)


@dataclass(frozen=True)
class Snapshot:
    partners: Mapping[str, Partner] = field(default_factory=dict)
    diary: Mapping[str, Diary] = field(default_factory=dict)
    observations: tuple[Observation, ...] = ()  # oldest first
    therapist: Therapist = field(default_factory=Therapist)
    track: Track = field(default_factory=Track)
    cycle_mapped: bool | None = None
    case: CaseInfo = field(default_factory=CaseInfo)

    @property
    def latest(self) -> Observation:
        """The newest observation, or an empty one (every field unknown)."""
        return self.observations[-1] if self.observations else Observation()

    def partner(self, slot: str) -> Partner:
        return self.partners.get(slot, Partner())

    @property
    def eft_stage(self) -> int | None:
        """The EFT stage: the latest observation's, else the track's when it is EFT.

        When neither says, and the track is EFT or not recorded, the stage the
        sessions last noted.
        """
        if self.latest.eft_stage is not None:
            return self.latest.eft_stage
        if self.track.name == "eft" and self.track.stage is not None:
            return self.track.stage
        if self.track.name in (None, "eft"):
            noted = [o.eft_stage for o in self.observations if o.eft_stage is not None]
            return noted[-1] if noted else None
        return None

    @property
    def slots(self) -> tuple[str, ...]:
        """The partners the case has: both for a couple, A alone for an individual case.

        When the kind of case is not known, the partners the snapshot has answers of.
        """
        if self.case.kind == "couple":
            return SLOTS
        if self.case.kind == "individual":
            return ("A",)
        return tuple(slot for slot in SLOTS if slot in self.partners)

    @property
    def individual(self) -> bool:
        """Individual work: a case with one partner, or a couple case on the individual track."""
        return self.case.kind == "individual" or self.track.name == "individual"
