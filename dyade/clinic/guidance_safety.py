"""Safety: each partner's own screen, answer by answer, and what the answers add up to.

Violence is the first contraindication for couple work (Bradley & Johnson 2005,
in seed 001), so no sign in a safety screen may be lost. Every answer above
"never", "no" or "yes, free to speak" is a *sign* and carries a weight; any sign
asks for a safety review, and the weights of one screen add up:

==========================  ======  =========  =========  =====
answer                      once    sometimes  often      other
==========================  ======  =========  =========  =====
hurt physically             2       4          4
own violence to the other   2       4          4
psychological violence      1       2          4
pressed into sex            2       4          4
afraid of the partner               2          4
free to speak together                                    not always 1, no 4
HITS total                                                above 10: 4
==========================  ======  =========  =========  =====

A screen whose weights add up to 4 or more counts as systematic physical or
extreme psychological violence: one answer of weight 4 on its own, or several
smaller signs together (hurt once and afraid sometimes; threatened sometimes
and pressed into sex once). The weights are Dyade's own judgement, chosen to
err on the side of safety; the therapist sees each answer and decides.

Each screen is added up on its own: the two partners' answers may describe the
same event from two sides, and adding them would count it twice.
"""

from __future__ import annotations

from typing import Any

from dyade.clinic.guidance_base import HITS_POSITIVE, Reason, obs, partners
from dyade.clinic.snapshot import Safety, Snapshot

SAFETY_FIELDS = ("physical", "psychological", "coercion", "own", "fear", "joint_sessions")
WEIGHTS: dict[str, dict[str, int]] = {
    "physical": {"once": 2, "sometimes": 4, "often": 4},
    "psychological": {"once": 1, "sometimes": 2, "often": 4},
    "coercion": {"once": 2, "sometimes": 4, "often": 4},
    "own": {"once": 2, "sometimes": 4, "often": 4},
    "fear": {"sometimes": 2, "often": 4},
    "joint_sessions": {"not-always": 1, "no": 4},
}
HITS_WEIGHT = 4
VIOLENCE_WEIGHT = 4  # a screen that adds up to this counts as violence
# Less than violence, more than a review: these call for a time-out agreement (001).
TIMEOUT_ANSWERS = {"physical": ("once",), "own": ("once",), "fear": ("sometimes",)}
NOT_FREE = ("not-always", "no")


def signs(safety: Safety) -> list[tuple[str, Any, int]]:
    """Each answer of the screen that is a sign, with its weight, in the screen's order."""
    found: list[tuple[str, Any, int]] = []
    for name in SAFETY_FIELDS:
        value = getattr(safety, name)
        weight = WEIGHTS[name].get(value, 0) if value is not None else 0
        if weight:
            found.append((name, value, weight))
    if safety.hits_total is not None and safety.hits_total > HITS_POSITIVE:
        found.append(("hits_total", safety.hits_total, HITS_WEIGHT))
    return found


def weight(safety: Safety) -> int:
    """What one partner's screen adds up to."""
    return sum(item[2] for item in signs(safety))


def _violence_of(slot: str, safety: Safety) -> list[Reason]:
    """The answers that make one screen a violence contraindication, or nothing.

    When answers of weight 4 are there, they carry it on their own; when only
    smaller signs add up, all of them carry it, with the sum.
    """
    found = signs(safety)
    total = sum(item[2] for item in found)
    if total < VIOLENCE_WEIGHT:
        return []
    where = f"partners.{slot}.safety"
    severe = [Reason(f"{where}.{name}", value) for name, value, w in found if w >= VIOLENCE_WEIGHT]
    if severe:
        return severe
    return [*(Reason(f"{where}.{name}", value) for name, value, _ in found), _sum(slot, total)]


def _sum(slot: str, total: int) -> Reason:
    return Reason(f"partners.{slot}.safety.weight", total)


def violence(snapshot: Snapshot) -> list[Reason]:
    """Systematic physical or extreme psychological violence (Bradley & Johnson 2005, in 001)."""
    reasons: list[Reason] = []
    for slot, partner in partners(snapshot):
        reasons.extend(_violence_of(slot, partner.safety))
    return reasons


def timeout(snapshot: Snapshot) -> list[Reason]:
    """Too unsafe or escalating: a time-out programme (Groen & Van Lawick 2006, in 001).

    Fires with violence, and also on less severe signs of escalation: physical
    violence once (suffered or used), being afraid sometimes, or escalation and
    verbal aggression that the therapist saw in the latest session.
    """
    reasons = violence(snapshot)
    listed = {reason.field for reason in reasons}
    for slot, partner in partners(snapshot):
        for name, codes in TIMEOUT_ANSWERS.items():
            value = getattr(partner.safety, name)
            field = f"partners.{slot}.safety.{name}"
            if value in codes and field not in listed:
                reasons.append(Reason(field, value))
    if snapshot.latest.escalation is True:
        reasons.append(obs("escalation", True))
    return reasons


def review(snapshot: Snapshot) -> list[Reason]:
    """Any sign in a partner's screen: every sign, and what that screen adds up to."""
    reasons: list[Reason] = []
    for slot, partner in partners(snapshot):
        found = signs(partner.safety)
        if found:
            where = f"partners.{slot}.safety"
            reasons.extend(Reason(f"{where}.{name}", value) for name, value, _ in found)
            reasons.append(_sum(slot, sum(item[2] for item in found)))
    return reasons


def screen_missing(snapshot: Snapshot) -> list[Reason]:
    """Each partner of the case who has not answered the safety part (alone) yet."""
    return [
        Reason(f"partners.{slot}.safety.answered", False)
        for slot in snapshot.slots
        if not snapshot.partner(slot).safety.answered
    ]


def not_free_to_speak(snapshot: Snapshot) -> list[Reason]:
    """A partner who cannot always speak freely with the other in the room: talks alone.

    Penne (2016) works with such a talk: "In het individuele gesprek vertelt de vrouw
    dat er geen chemie is tussen hen" -- what could not be said with him in the room.
    """
    return [
        Reason(f"partners.{slot}.safety.joint_sessions", partner.safety.joint_sessions)
        for slot, partner in partners(snapshot)
        if partner.safety.joint_sessions in NOT_FREE
    ]


def sex_work_blocked(snapshot: Snapshot) -> list[Reason]:
    """Why sexual or touch exercises need the therapist's explicit override; empty if they don't.

    Any sign in a safety screen (pressed into sex even once, fear of the
    partner, violence, not free to speak: an active safety review), or a case
    on the safety track. The web layer asks for a reason before it gives such
    an exercise anyway, and audits it.
    """
    reasons: list[Reason] = []
    for slot, partner in partners(snapshot):
        where = f"partners.{slot}.safety"
        reasons.extend(Reason(f"{where}.{name}", value) for name, value, _ in signs(partner.safety))
    if snapshot.track.name == "safety":
        reasons.append(Reason("track.name", "safety"))
    return reasons
