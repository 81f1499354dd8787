"""The therapist in the room: collusion and the level of differentiation (seeds 000, 001)."""

from __future__ import annotations

from dyade.clinic.guidance_base import ECR_HIGH, Reason, obs, partners
from dyade.clinic.guidance_progress import not_on_track
from dyade.clinic.snapshot import Snapshot


def _couple_avoidant(snapshot: Snapshot) -> list[Reason]:
    return [
        Reason(f"partners.{slot}.attachment_avoidance", p.attachment_avoidance)
        for slot, p in partners(snapshot)
        if p.attachment_avoidance is not None and p.attachment_avoidance > ECR_HIGH
    ]


def collusion(snapshot: Snapshot) -> list[Reason]:
    """The therapist's attachment meets the couple's (000, 001: "an avoidant therapist").

    Fires when the room keeps away from a painful subject, or when an avoidant
    therapist (ECR-R avoidance above the midpoint) meets an avoidant partner or a
    therapy that is not on track (``progress.not-on-track``: 000 and 001 both
    tell of a therapy that went round in circles while the painful conversation
    never happened), or an anxious therapist an anxious partner (over-identification).
    """
    therapist = snapshot.therapist
    reasons: list[Reason] = []
    if snapshot.latest.painful_subject_avoided is True:
        reasons.append(obs("painful_subject_avoided", True))
    if therapist.attachment_avoidance is not None and therapist.attachment_avoidance > ECR_HIGH:
        avoidant = _couple_avoidant(snapshot)
        stuck = [Reason("progress.not_on_track", True)] if not_on_track(snapshot) else []
        if avoidant or reasons or stuck:
            reasons.extend(stuck)
            reasons.append(Reason("therapist.attachment_avoidance", therapist.attachment_avoidance))
            reasons.extend(avoidant)
    if therapist.attachment_anxiety is not None and therapist.attachment_anxiety > ECR_HIGH:
        anxious = [
            Reason(f"partners.{slot}.attachment_anxiety", p.attachment_anxiety)
            for slot, p in partners(snapshot)
            if p.attachment_anxiety is not None and p.attachment_anxiety > ECR_HIGH
        ]
        if anxious:
            reasons.append(Reason("therapist.attachment_anxiety", therapist.attachment_anxiety))
            reasons.extend(anxious)
    return reasons


def room_levels(snapshot: Snapshot) -> dict[str, float]:
    """The mean of the four points of balance for each person whose four are known."""
    levels: dict[str, float] = {}
    for slot, partner in partners(snapshot):
        if partner.balance.mean is not None:
            levels[slot] = partner.balance.mean
    if snapshot.therapist.balance.mean is not None:
        levels["therapist"] = snapshot.therapist.balance.mean
    return levels


def lowest_in_room(snapshot: Snapshot) -> list[str]:
    """Who sets the level of the room: the least differentiated person(s) (Schnarch 1997)."""
    levels = room_levels(snapshot)
    if len(levels) < 2:
        return []
    low = min(levels.values())
    return [who for who, level in levels.items() if level == low]


def room_level(snapshot: Snapshot) -> list[Reason]:
    """Needs the four points of balance of at least two people in the room."""
    levels = room_levels(snapshot)
    lowest = lowest_in_room(snapshot)
    if not lowest:
        return []
    reasons = [Reason("room.lowest", "+".join(lowest))]
    for who, level in levels.items():
        path = "therapist.balance" if who == "therapist" else f"partners.{who}.balance"
        reasons.append(Reason(f"{path}.mean", round(level, 2)))
    if snapshot.latest.escalation is True:
        reasons.append(obs("escalation", True))
    return reasons
