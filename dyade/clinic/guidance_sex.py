"""Sex inside the couple work, and referral: the checks behind ``sex.*`` and ``refer.*``."""

from __future__ import annotations

from dyade.clinic.guidance_base import (
    DESIRE_GAP,
    LOW_SATISFACTION,
    Reason,
    couple_work,
    obs,
    partners,
)
from dyade.clinic.intake import Position, is_flip
from dyade.clinic.snapshot import POSITIONS, Partner, Snapshot


def _position(value: str | None) -> Position | None:
    return Position(value) if value in POSITIONS else None


def flips(snapshot: Snapshot) -> list[Reason]:
    """Partners whose position around sex is the opposite of daily life (seed 002).

    The value is the position in bed: ``"withdraw"`` for the daily pursuer who
    pulls back sexually, ``"pursue"`` for the daily withdrawer who reaches out
    through sex.
    """
    return [
        Reason(f"partners.{slot}.flip", partner.sexual_position)
        for slot, partner in partners(snapshot)
        if is_flip(_position(partner.daily_position), _position(partner.sexual_position))
    ]


def desire_gap(snapshot: Snapshot) -> int | None:
    desires = [partner.desire for _, partner in partners(snapshot)]
    if len(desires) != 2 or desires[0] is None or desires[1] is None:
        return None
    return abs(desires[0] - desires[1])


def pause_contact(snapshot: Snapshot) -> list[Reason]:
    """Attachment problems disrupt sex badly: pause sexual contact for a while (000, 001)."""
    if not couple_work(snapshot) or snapshot.latest.sex_disrupted_by_attachment is not True:
        return []
    reasons = [obs("sex_disrupted_by_attachment", True)]
    for slot, partner in partners(snapshot):
        if partner.avoidance_motives:
            reasons.append(
                Reason(f"partners.{slot}.avoidance_motives", list(partner.avoidance_motives))
            )
    return [*reasons, *flips(snapshot)]


def sexual_concern(snapshot: Snapshot) -> list[Reason]:
    reasons: list[Reason] = []
    for slot, partner in partners(snapshot):
        if (
            partner.sexual_satisfaction is not None
            and partner.sexual_satisfaction <= LOW_SATISFACTION
        ):
            reasons.append(
                Reason(f"partners.{slot}.sexual_satisfaction", partner.sexual_satisfaction)
            )
    gap = desire_gap(snapshot)
    if gap is not None and gap >= DESIRE_GAP:
        reasons.append(Reason("partners.desire_gap", gap))
    if any(note.sex_disrupted_by_attachment is True for note in snapshot.observations[:-1]):
        reasons.append(Reason("observations.sex_disrupted_by_attachment", "earlier session"))
    return reasons


def sensate_focus(snapshot: Snapshot) -> list[Reason]:
    """Connection exists: open the topic of sex and consider sensate focus (000, 001, 002).

    Needs a couple in the work, emotional safety in the latest session, EFT
    stage 2 or later, no escalation in that session, sex not (still) disrupted,
    and a sexual concern to work on. A flip of positions in bed is added.
    """
    latest = snapshot.latest
    stage = snapshot.eft_stage
    if (
        not couple_work(snapshot)
        or latest.emotional_safety is not True
        or stage is None
        or stage < 2
        or latest.escalation is True
        or latest.sex_disrupted_by_attachment is True
    ):
        return []
    concern = sexual_concern(snapshot)
    if not concern:
        return []
    return [obs("emotional_safety", True), Reason("eft_stage", stage), *concern, *flips(snapshot)]


# --- referral ---------------------------------------------------------------------------

_ALWAYS = ("dysfunction", "paraphilia")  # "yes" or "unsure" is reason enough to refer
_WHEN_LINKED = ("illness", "disability", "medication")  # only as they bear on the sex
LINKED = ("yes", "unsure")


def _refer_one(slot: str, partner: Partner) -> list[Reason]:
    health = partner.health
    where = f"partners.{slot}.health"
    reasons = [
        Reason(f"{where}.{name}", getattr(health, name))
        for name in _ALWAYS
        if getattr(health, name) in ("yes", "unsure")
    ]
    bodily = [name for name in _WHEN_LINKED if getattr(health, name) == "yes"]
    if bodily and health.linked_to_sex in LINKED:
        reasons.extend(Reason(f"{where}.{name}", "yes") for name in bodily)
        reasons.append(Reason(f"{where}.linked_to_sex", health.linked_to_sex))
    if health.sexual_pain in ("sometimes", "often"):
        reasons.append(Reason(f"{where}.sexual_pain", health.sexual_pain))
    return reasons


def refer(snapshot: Snapshot) -> list[Reason]:
    """A sexual dysfunction, a paraphilia, pain during sex, or an illness, disability or
    medication that bears on the sexual problem (002: "problemen die het gevolg zijn van
    ziekten"). "Unsure" about a dysfunction or a paraphilia counts: a sexologist can tell.
    """
    reasons: list[Reason] = []
    for slot, partner in partners(snapshot):
        reasons.extend(_refer_one(slot, partner))
    return reasons
