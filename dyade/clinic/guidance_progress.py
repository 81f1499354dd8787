"""Is the therapy working, and does the therapist keep a bond with both (issue 14).

Three rules read the session check-ins in each partner's
:class:`~dyade.clinic.snapshot_model.Progress`:

``progress.deterioration``
    A partner's latest status is a reliable worsening (Jacobson & Truax 1991).
``progress.not-on-track``
    After :data:`NOT_ON_TRACK_SESSIONS` judged check-ins, no partner of the case
    has reliably improved. Seed 000 describes a therapy that went on for
    months while therapist and couple "hadden de indruk ter plaatse te blijven
    trappelen"; routine outcome feedback finds such a therapy in time
    (Whipple et al. 2003; with couples Anker, Duncan & Sparks 2009).
``alliance.split``
    One partner's alliance check lies clearly below the other's, or falls
    clearly below their own earlier checks. Seed 000: "Vanuit een meerzijdige
    partijdigheid wordt met beide partners een band aangegaan waarbij beiden
    het gevoel krijgen door de therapeut begrepen en gehoord te worden."
    Seed 001: "Kan de therapeut aandacht besteden aan één partner zonder de
    loyaliteit met de ander te verliezen?"

The numbers below are Dyade's own judgement, documented in docs/guidance.md.
A partner without data is unknown, and an unknown never makes a rule fire.
"""

from __future__ import annotations

from dyade.clinic.guidance_base import (
    Kind,
    Reason,
    Rule,
    Source,
    gettext_noop,
    partners,
)
from dyade.clinic.snapshot import Snapshot

# Judged check-ins after the baseline before "no reliable improvement" counts as not on
# track. Most clients who improve do so early, often within the first five sessions
# (Lambert's feedback research; Whipple et al. 2003): Dyade's own judgement.
NOT_ON_TRACK_SESSIONS = 5
ALLIANCE_GAP = 2.0  # points on 0-10 between the partners' latest alliance checks
ALLIANCE_DROP = 2.0  # points on 0-10 below the partner's own earlier mean
ALLIANCE_HISTORY = 2  # earlier checks needed before a fall can be judged

IMPROVING = ("improved", "recovered")
JACOBSON = "Jacobson & Truax (1991)"
WHIPPLE = "Whipple et al. (2003)"
ANKER = "Anker, Duncan & Sparks (2009)"

OWN_NOT_ON_TRACK = gettext_noop(
    "After how many judged check-ins a therapy without reliable improvement counts as not on "
    "track (five) is Dyade's own judgement: in feedback research most clients who improve do "
    "so within the first sessions."
)
OWN_DETERIORATION = gettext_noop(
    "Raising a reliable worsening at once, with high priority, is Dyade's own judgement."
)
OWN_ALLIANCE = gettext_noop(
    "Dyade's alliance check is its own and not validated; what counts as clearly lower "
    "(2 points on 0-10) is Dyade's own judgement."
)


def _slots_with_progress(snapshot: Snapshot) -> list[str]:
    return [slot for slot in snapshot.slots if slot in snapshot.partners]


def deterioration(snapshot: Snapshot) -> list[Reason]:
    """Every partner whose latest judged status is ``deteriorated``."""
    reasons: list[Reason] = []
    for slot, partner in partners(snapshot):
        progress = partner.progress
        if progress.latest_status == "deteriorated":
            reasons.append(Reason(f"partners.{slot}.progress.status", "deteriorated"))
            reasons.append(Reason(f"partners.{slot}.progress.sessions", len(progress.statuses)))
    return reasons


def not_on_track(snapshot: Snapshot) -> list[Reason]:
    """Every partner of the case has enough judged check-ins and none is improving now.

    Needs every partner of the case (both in a couple case) to be known: a
    partner without enough check-ins leaves the rule silent.
    """
    slots = _slots_with_progress(snapshot)
    if not slots or len(slots) < len(snapshot.slots):
        return []
    reasons: list[Reason] = []
    for slot in slots:
        progress = snapshot.partners[slot].progress
        if progress.followups < NOT_ON_TRACK_SESSIONS or progress.latest_status in IMPROVING:
            return []
        reasons.append(Reason(f"partners.{slot}.progress.status", progress.latest_status))
        reasons.append(Reason(f"partners.{slot}.progress.followups", progress.followups))
    return reasons


def _latest_pair(snapshot: Snapshot) -> tuple[float, float] | None:
    """Both partners' alliance checks from the latest session where both gave one."""
    a = snapshot.partner("A").progress.alliance
    b = snapshot.partner("B").progress.alliance
    for first, second in zip(reversed(a), reversed(b), strict=False):
        if first is not None and second is not None:
            return first, second
    return None


def _falling(snapshot: Snapshot, slot: str) -> list[Reason]:
    given = snapshot.partner(slot).progress.alliance_given
    if len(given) <= ALLIANCE_HISTORY:
        return []
    earlier = given[:-1]
    mean = sum(earlier) / len(earlier)
    if given[-1] > mean - ALLIANCE_DROP:
        return []
    return [
        Reason(f"partners.{slot}.progress.alliance", given[-1]),
        Reason(f"partners.{slot}.progress.alliance_earlier_mean", round(mean, 1)),
    ]


def alliance_split(snapshot: Snapshot) -> list[Reason]:
    """A couple case where one partner's alliance is clearly lower, or falling.

    The gap is taken in the latest session both checked in after; a fall is
    the partner's latest check at least 2 points below the mean of their own
    earlier checks (at least two of them).
    """
    if snapshot.individual or (snapshot.case.kind is None and len(snapshot.partners) < 2):
        return []
    reasons: list[Reason] = []
    pair = _latest_pair(snapshot)
    if pair is not None and abs(pair[0] - pair[1]) >= ALLIANCE_GAP:
        lower = "A" if pair[0] < pair[1] else "B"
        reasons.append(Reason(f"partners.{lower}.progress.alliance", min(pair)))
        reasons.append(Reason("alliance.gap", round(abs(pair[0] - pair[1]), 1)))
    for slot in ("A", "B"):
        reasons.extend(reason for reason in _falling(snapshot, slot) if reason not in reasons)
    return reasons


def _s(*seeds: str, literature: tuple[str, ...], judgement: str) -> Source:
    return Source(seeds, literature, judgement)


DETERIORATION = Rule(
    "progress.deterioration",
    Kind.PROGRESS,
    gettext_noop("A partner is reliably worse"),
    gettext_noop(
        "A partner's outcome score before the session has fallen by more than measurement "
        "error alone explains. Talk about it with that partner soon, and ask what has changed "
        "in the relationship and in the therapy."
    ),
    _s("000", literature=(JACOBSON, WHIPPLE), judgement=OWN_DETERIORATION),
    deterioration,
)
NOT_ON_TRACK = Rule(
    "progress.not-on-track",
    Kind.PROGRESS,
    gettext_noop("The therapy is not on track"),
    gettext_noop(
        "After several sessions neither partner is reliably better. Name it with the couple, "
        "ask what each needs to be different, and reconsider the way of working; take the "
        "case to intervision or supervision."
    ),
    _s("000", "001", literature=(WHIPPLE, ANKER, JACOBSON), judgement=OWN_NOT_ON_TRACK),
    not_on_track,
)
ALLIANCE_SPLIT = Rule(
    "alliance.split",
    Kind.THERAPIST,
    gettext_noop("The bond with one partner is weaker"),
    gettext_noop(
        "One partner feels clearly less heard or helped by the therapy than the other, or "
        "less than before. Stay loyal to both: give that partner room, ask about the work "
        "with them, and check whether you have taken sides."
    ),
    _s("000", "001", literature=(ANKER,), judgement=OWN_ALLIANCE),
    alliance_split,
)
