"""What a therapist needs from two partners' intakes: positions, flips, discrepancies, flags.

Reads the answers of Dyade's own intake (``dyade-intake``), keyed by linkId.
The intake is not a validated scale; nothing here is a score. It picks out what
the integration rules of the seeds look at (``domain.md``): the wish to go on,
love and emotional detachment, each partner's position in daily conflict and
around sex (a *flip* is when they differ, seed 002), the desire discrepancy,
motives for sex (approach or avoidance, seed 003), reasons to refer (seed 002)
and the safety screen (Bradley & Johnson 2005, in seed 001).

Every function takes plain dicts and returns plain data, so the same logic
feeds the therapist's page and, later, the guidance rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Answers = Mapping[str, Any]

DESIRE_GAP = 3  # points on the 0-10 scale at which a desire difference is worth raising
APPROACH_MOTIVES = frozenset({"closeness", "pleasure", "own-desire"})
AVOIDANCE_MOTIVES = frozenset({"avoid-fight", "keep-peace", "duty"})


class Position(StrEnum):
    PURSUE = "pursue"
    WITHDRAW = "withdraw"
    MIXED = "mixed"
    NONE = "none"


# The intake asks "what do you do when there is tension" and "who takes the
# initiative for sex"; both answers map onto pursue / withdraw.
_DAILY = {"pursue": Position.PURSUE, "withdraw": Position.WITHDRAW, "both": Position.MIXED}
_SEXUAL = {"initiate": Position.PURSUE, "avoid": Position.WITHDRAW, "both": Position.MIXED}


def daily_position(answers: Answers) -> Position | None:
    code = answers.get("conflict.position")
    return None if code is None else _DAILY.get(code, Position.NONE)


def sexual_position(answers: Answers) -> Position | None:
    code = answers.get("sex.position")
    return None if code is None else _SEXUAL.get(code, Position.NONE)


def is_flip(daily: Position | None, sexual: Position | None) -> bool:
    """A flip: pursuer in daily life who withdraws around sex, or the reverse (seed 002)."""
    return {daily, sexual} == {Position.PURSUE, Position.WITHDRAW}


# --- flags ---------------------------------------------------------------------

# Safety answers that a therapist must see first. Any frequency above "never"
# counts: one push is reason enough to ask.
_SAFETY_FREQUENCY = ("safety.physical", "safety.psychological", "safety.coercion", "safety.own")
_SAFETY_CODED = {
    "safety.fear": {"sometimes", "often"},
    "safety.joint-sessions": {"not-always", "no"},
    "wellbeing.dark-thoughts": {"sometimes", "often"},
}
_REFERRAL = {
    "health.dysfunction": {"yes", "unsure"},
    "health.illness": {"yes"},
    "health.disability": {"yes"},
    "health.medication": {"yes"},
    "health.paraphilia": {"yes", "unsure"},
    "health.linked": {"yes", "unsure"},
    "sex.pain": {"sometimes", "often"},
}


def safety_flags(answers: Answers) -> list[tuple[str, str]]:
    """(linkId, answer) of every safety answer that needs the therapist's attention."""
    raised = [
        (link_id, answers[link_id])
        for link_id in _SAFETY_FREQUENCY
        if answers.get(link_id) not in (None, "never")
    ]
    raised += [
        (link_id, answers[link_id])
        for link_id, codes in _SAFETY_CODED.items()
        if answers.get(link_id) in codes
    ]
    return raised


def referral_flags(answers: Answers) -> list[tuple[str, str]]:
    """(linkId, answer) of answers that point to a sexologist or physician (seed 002)."""
    return [
        (link_id, answers[link_id])
        for link_id, codes in _REFERRAL.items()
        if answers.get(link_id) in codes
    ]


def motives(answers: Answers) -> tuple[list[str], list[str]]:
    """The approach and the avoidance motives a partner ticked (Dewitte 2019, seed 003)."""
    ticked = answers.get("sex.motives") or []
    approach = [code for code in ticked if code in APPROACH_MOTIVES]
    avoidance = [code for code in ticked if code in AVOIDANCE_MOTIVES]
    return approach, avoidance


# --- one partner, and the two together ----------------------------------------


@dataclass(frozen=True)
class PartnerSummary:
    wish_to_continue: str | None
    love: int | None
    detachment: int | None
    motivation: int | None
    daily: Position | None
    sexual: Position | None
    flip: bool
    desire: int | None
    satisfaction: int | None
    approach_motives: list[str] = field(default_factory=list)
    avoidance_motives: list[str] = field(default_factory=list)
    hopes: str = ""
    referral: list[tuple[str, str]] = field(default_factory=list)
    safety: list[tuple[str, str]] = field(default_factory=list)
    hidden_relationship: bool = False


def _int(answers: Answers, link_id: str) -> int | None:
    value = answers.get(link_id)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def summarise(answers: Answers) -> PartnerSummary:
    daily, sexual = daily_position(answers), sexual_position(answers)
    approach, avoidance = motives(answers)
    return PartnerSummary(
        wish_to_continue=answers.get("commitment.continue"),
        love=_int(answers, "commitment.love"),
        detachment=_int(answers, "commitment.detachment"),
        motivation=_int(answers, "commitment.motivation"),
        daily=daily,
        sexual=sexual,
        flip=is_flip(daily, sexual),
        desire=_int(answers, "sex.desire"),
        satisfaction=_int(answers, "sex.satisfaction"),
        approach_motives=approach,
        avoidance_motives=avoidance,
        hopes=str(answers.get("story.hopes") or "").strip(),
        referral=referral_flags(answers),
        safety=safety_flags(answers),
        hidden_relationship=answers.get("commitment.other-relationship") == "yes",
    )


class Discrepancy(StrEnum):
    DESIRE = "desire"  # desire differs by DESIRE_GAP or more
    CONTINUE = "continue"  # the partners differ on wanting to go on, or one is not sure
    FLIP = "flip"  # at least one partner's position flips between daily life and sex
    SAME_POSITION = "same-position"  # both pursue, or both withdraw, in the same domain


@dataclass(frozen=True)
class Finding:
    kind: Discrepancy
    values: dict[str, Any]


def discrepancies(a: PartnerSummary, b: PartnerSummary) -> list[Finding]:
    """The differences between two partners that matter for the first sessions."""
    found: list[Finding] = []
    if a.desire is not None and b.desire is not None and abs(a.desire - b.desire) >= DESIRE_GAP:
        found.append(Finding(Discrepancy.DESIRE, {"a": a.desire, "b": b.desire}))
    wishes = {a.wish_to_continue, b.wish_to_continue} - {None}
    if wishes and wishes != {"yes"}:
        found.append(
            Finding(Discrepancy.CONTINUE, {"a": a.wish_to_continue, "b": b.wish_to_continue})
        )
    if a.flip or b.flip:
        found.append(
            Finding(
                Discrepancy.FLIP,
                {
                    "a": (a.daily, a.sexual) if a.flip else None,
                    "b": (b.daily, b.sexual) if b.flip else None,
                },
            )
        )
    for domain, pa, pb in (("daily", a.daily, b.daily), ("sexual", a.sexual, b.sexual)):
        if pa == pb and pa in (Position.PURSUE, Position.WITHDRAW):
            found.append(Finding(Discrepancy.SAME_POSITION, {"domain": domain, "position": pa}))
    return found
