"""The parts every guidance rule is made of: reasons, sources, signals, rules, thresholds.

Import these names from :mod:`dyade.clinic.guidance`, which re-exports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dyade.clinic.snapshot import SLOTS, Partner, Snapshot


def gettext_noop(message: str) -> str:
    """Mark a message for translation; the web layer translates it when it shows it."""
    return message


# Thresholds, on the intake's 0-10 scales unless noted. They are clinical
# judgement calls, not published cut-offs, and are shown as such in docs/guidance.md.
LOVE_PRESENT = 3  # some love, "however snowed under" (000, 001)
MOTIVATED = 5  # at least halfway motivated
DETACHED = 8  # the relationship has largely been let go of emotionally
LOW_SEXUAL_SELF_KNOWLEDGE = 3  # little idea of what one needs to get in the mood
LOW_SOLID_SELF = 4  # first point of balance: adapts to keep the other's approval
LOW_SATISFACTION = 5
DESIRE_GAP = 3  # same threshold as the intake overview
HITS_POSITIVE = 10  # HITS total above 10 (Sherin et al. 1998)
ECR_HIGH = 4.0  # ECR-R mean above the scale midpoint (1-7)
COMFORT_DIARY_DAYS = 14  # a diary long enough to say "no conflict at all"


class Kind:
    SAFETY = "safety"
    INDICATION = "indication"
    CONTRAINDICATION = "contraindication"
    STOP = "stop"
    SWITCH = "switch"
    SEX = "sex"
    REFERRAL = "referral"
    THERAPIST = "therapist"
    PROGRESS = "progress"  # is the therapy working: the session check-ins (issue 14)


@dataclass(frozen=True)
class Reason:
    """One input that made a rule fire: where it came from and its value."""

    field: str  # a snapshot path, e.g. "partners.A.safety.physical"
    value: Any

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "value": self.value}


SEED_FILES = {
    "000": "000_b75bddb9461da536.txt",
    "001": "001_10010ea385b9f766.txt",
    "002": "002_5d822d5117803d2a.txt",
    "004": "004_ff491ae850689738.txt",
}
# How a therapist reads each seed: author, year where the text gives it, and title.
SEED_TITLES = {
    "000": (
        "Penne & Borms, Intimacy in sex therapy: a matter of emotional connection "
        "or differentiation?"
    ),
    "001": "Penne (2016), Slingeren tussen verbinding en autonomie",
    "002": (
        "Deij & van Verseveld (2015), Partnerrelatietherapie en seksualiteit: "
        "wat kan de systeemtherapeut ermee?"
    ),
    "004": "A relationship coach's page on three basic needs and EFT",
}


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: the seed texts, the literature they cite, and what is Dyade's own.

    ``judgement`` (an English message id) says what the rule adds beyond the
    seeds, e.g. a referral to a physician or the weights of the safety answers.
    """

    seeds: tuple[str, ...]  # the first is the main one
    literature: tuple[str, ...] = ()
    judgement: str | None = None

    @property
    def seed(self) -> str:
        return self.seeds[0]

    def reference_text(self) -> str:
        """The references as a therapist reads them, without file names or seed numbers."""
        return "; ".join([*(SEED_TITLES[seed] for seed in self.seeds), *self.literature])

    def as_json(self) -> dict[str, Any]:
        return {
            "seed": SEED_FILES[self.seed],
            "seeds": [SEED_FILES[seed] for seed in self.seeds],
            "literature": list(self.literature),
            "reference": self.reference_text(),
            "judgement": self.judgement,
        }

    def __str__(self) -> str:
        return self.reference_text()


@dataclass(frozen=True)
class Signal:
    id: str
    kind: str
    recommendation: str  # English message id; the web layer shows it translated
    reasons: tuple[Reason, ...]
    source: Source
    slot: str | None = None  # the partner it is mostly about, if one

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "recommendation": self.recommendation,
            "reasons": [reason.as_json() for reason in self.reasons],
            "source": self.source.as_json(),
        }


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    title: str
    recommendation: str
    source: Source
    check: Callable[[Snapshot], list[Reason] | None]
    conjoint: bool = False  # couple work that violence withholds

    def __call__(self, snapshot: Snapshot) -> Signal | None:
        reasons = self.check(snapshot)
        if not reasons:
            return None
        slots = {reason.field.split(".")[1] for reason in reasons if _about_one(reason)}
        slot = slots.pop() if len(slots) == 1 else None
        return Signal(self.id, self.kind, self.recommendation, tuple(reasons), self.source, slot)


def _about_one(reason: Reason) -> bool:
    parts = reason.field.split(".")
    return len(parts) > 2 and parts[0] == "partners" and parts[1] in SLOTS


# --- helpers the rules share ------------------------------------------------------------


def partners(snapshot: Snapshot) -> list[tuple[str, Partner]]:
    return [(slot, snapshot.partners[slot]) for slot in SLOTS if slot in snapshot.partners]


def obs(name: str, value: Any) -> Reason:
    """A reason from the session notes: the latest note, or the formulation's last confirmation."""
    return Reason(f"observation.{name}", value)


def eft_running(snapshot: Snapshot) -> bool:
    """EFT has started: the track is EFT, or no track is recorded and a session noted a stage."""
    if snapshot.track.name == "eft":
        return True
    return snapshot.track.name is None and any(
        observation.eft_stage is not None for observation in snapshot.observations
    )


def couple_work(snapshot: Snapshot) -> bool:
    """Both partners are in the work: not an individual case nor the individual track."""
    return not snapshot.individual
