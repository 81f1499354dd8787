"""The couple model's checks: normalise first, start EFT, its contraindications, stopping
EFT, switching to differentiation and back (seeds 000 and 001).

The stable findings (goals, hidden agenda, love, a partner who left, a destructive
claim, powerlessness, approval dependence, comfort zone) are read from the case
formulation (:mod:`dyade.clinic.formulation`): a finding noted in an earlier
session holds until a later note changes it. Session events (emotional safety,
escalation, needing encouragement) are read from the latest session.
"""

from __future__ import annotations

from collections.abc import Callable

from dyade.clinic.formulation import Formulation, formulation, last_noted
from dyade.clinic.guidance_base import (
    COMFORT_DIARY_DAYS,
    DESIRE_GAP,
    DETACHED,
    ECR_HIGH,
    LOVE_PRESENT,
    LOW_SEXUAL_SELF_KNOWLEDGE,
    LOW_SOLID_SELF,
    MOTIVATED,
    Reason,
    couple_work,
    eft_running,
    obs,
    partners,
)
from dyade.clinic.guidance_safety import signs
from dyade.clinic.guidance_sex import desire_gap, refer
from dyade.clinic.snapshot import SLOTS, Snapshot

# --- starting: normalise first, then EFT ------------------------------------------------


def _love_and_motivation(snapshot: Snapshot, form: Formulation) -> list[Reason]:
    """Love (however snowed under) and motivation in both partners (000, 001).

    What the therapist last noted counts first; the intake answers stand in for
    what was never noted. Both partners must be known: one partner's answers
    say nothing about the other's love or motivation.
    """
    if not snapshot.partners and not snapshot.observations:
        return []
    reasons: list[Reason] = []
    love = form["love_not_found"]
    if love.present:
        return []
    if love.gone:
        reasons.append(obs("love_felt", True))
    else:
        for slot in SLOTS:
            value = snapshot.partner(slot).love
            if value is None or value < LOVE_PRESENT:
                return []
            reasons.append(Reason(f"partners.{slot}.love", value))
    for slot in SLOTS:
        name = f"motivation_{slot.lower()}"
        observed, _index = last_noted(snapshot, name)
        if observed is not None:
            if observed < MOTIVATED:
                return []
            reasons.append(obs(name, observed))
            continue
        motivation = snapshot.partner(slot).motivation
        if motivation is None or motivation < MOTIVATED:
            return []
        reasons.append(Reason(f"partners.{slot}.motivation", motivation))
    return reasons


def _not_started(snapshot: Snapshot) -> bool:
    """No couple model chosen yet (or after a time-out programme), and EFT not running."""
    return (
        snapshot.track.name in (None, "safety")
        and not eft_running(snapshot)
        and couple_work(snapshot)
    )


def eft_indicated(snapshot: Snapshot) -> list[Reason]:
    """Love and motivation in both; the case has not started couple work.

    A hidden agenda or a destructive claim already noted is a reason to stop
    EFT, so it is no reason to start it either.
    """
    if not _not_started(snapshot):
        return []
    form = formulation(snapshot)
    if form.present("hidden_agenda") or form.present("destructive_claim"):
        return []
    return _love_and_motivation(snapshot, form)


def normalise_first(snapshot: Snapshot) -> list[Reason]:
    """Rule 1 of the integration: name and normalise an ordinary difference first (000, 001).

    Fires before a couple model is chosen, for a couple whose desire differs by
    3 or more, when both have answered the safety part without any sign and
    nothing says the difference is more than ordinary: no contraindication, no
    reason to stop, no escalation, no attachment problem disrupting sex, no
    attachment score above the midpoint, no sex to avoid something, nothing to
    refer, no partner's love below 3 and no little insight into one's own
    sexuality.
    """
    if snapshot.track.name is not None or not _not_started(snapshot):
        return []
    if any(slot not in snapshot.partners for slot in SLOTS):
        return []
    gap = desire_gap(snapshot)
    if gap is None or gap < DESIRE_GAP:
        return []
    form = formulation(snapshot)
    stable = ("partner_left", "goals_diverge", "hidden_agenda", "love_not_found")
    if any(form.present(finding) for finding in (*stable, "destructive_claim")):
        return []
    disrupted, _index = last_noted(snapshot, "sex_disrupted_by_attachment")
    if snapshot.latest.escalation is True or disrupted is True:
        return []
    if detachment(snapshot) or refer(snapshot):
        return []
    for _slot, partner in partners(snapshot):
        if not partner.safety.answered or signs(partner.safety) or partner.avoidance_motives:
            return []
        scores = (partner.attachment_anxiety, partner.attachment_avoidance)
        if any(score is not None and score > ECR_HIGH for score in scores):
            return []
        if partner.love is not None and partner.love < LOVE_PRESENT:
            return []
    if _low_self_insight(snapshot):
        return []
    return [
        Reason("partners.desire_gap", gap),
        *(Reason(f"partners.{slot}.safety.answered", True) for slot in SLOTS),
    ]


# --- contraindications ------------------------------------------------------------------


def detachment(snapshot: Snapshot) -> list[Reason]:
    """A partner has emotionally left: in their own intake, or as the therapist sees it."""
    reasons: list[Reason] = []
    for slot, partner in partners(snapshot):
        if partner.wish_to_continue == "leaving":
            reasons.append(Reason(f"partners.{slot}.wish_to_continue", "leaving"))
        if partner.detachment is not None and partner.detachment >= DETACHED:
            reasons.append(Reason(f"partners.{slot}.detachment", partner.detachment))
    left = formulation(snapshot)["partner_left"]
    if left.present:
        reasons.append(obs("partner_left_by", left.value))
    return reasons


def goals(snapshot: Snapshot) -> list[Reason]:
    if formulation(snapshot).present("goals_diverge"):
        return [obs("goals_diverge", True)]
    return []


# --- stopping EFT (only while EFT is running) ----------------------------------------------


def hidden_agenda(snapshot: Snapshot) -> list[Reason]:
    """Hidden agendas surface, or the therapist cannot find the love (001)."""
    if not eft_running(snapshot):
        return []
    form = formulation(snapshot)
    reasons = []
    if form.present("hidden_agenda"):
        reasons.append(obs("hidden_agenda", True))
    if form.present("love_not_found"):
        reasons.append(obs("love_felt", False))
    return reasons


def encouragement(snapshot: Snapshot) -> list[Reason]:
    """The couple needs encouragement to persevere: a session event, the latest session's."""
    if not eft_running(snapshot) or snapshot.latest.needs_encouragement is not True:
        return []
    return [obs("needs_encouragement", True)]


def destructive_claim(snapshot: Snapshot) -> list[Reason]:
    """One partner lays too destructive a claim on the other; all the more when the other
    tends to comply (001: "en al helemaal wanneer de ander geneigd is hieraan tegemoet te
    komen")."""
    if not eft_running(snapshot):
        return []
    form = formulation(snapshot)
    claim = form["destructive_claim"]
    if not claim.present:
        return []
    reasons = [obs("destructive_claim_by", claim.value)]
    if form.present("claim_complied"):
        reasons.append(obs("claim_complied", True))
    return reasons


# --- switching to differentiation (only after an EFT start) ---------------------------------


def powerlessness(snapshot: Snapshot) -> list[Reason]:
    """Powerlessness grows after the dynamics were uncovered (000): the cycle has been
    mapped, or EFT is past its first stage."""
    if not eft_running(snapshot) or not formulation(snapshot).present("powerlessness"):
        return []
    reasons = [obs("powerlessness", True)]
    stage = snapshot.eft_stage
    if snapshot.cycle_mapped is True:
        reasons.append(Reason("cycle_mapped", True))
    elif stage is not None and stage >= 2:
        reasons.append(Reason("eft_stage", stage))
    else:
        return []
    return reasons


def _low_self_insight(snapshot: Snapshot) -> list[Reason]:
    return [
        Reason(f"partners.{slot}.sexual_self_knowledge", partner.sexual_self_knowledge)
        for slot, partner in partners(snapshot)
        if partner.sexual_self_knowledge is not None
        and partner.sexual_self_knowledge <= LOW_SEXUAL_SELF_KNOWLEDGE
    ]


def sexual_self_insight(snapshot: Snapshot) -> list[Reason]:
    """After an EFT start, a partner has little idea of their own sexuality (000)."""
    if not eft_running(snapshot):
        return []
    return _low_self_insight(snapshot)


def approval_dependence(snapshot: Snapshot) -> list[Reason]:
    """Connection in the session does not change daily life; both hang on approval (001).

    Needs the finding that the connection does not reach daily life, and
    evidence of approval dependence: the therapist's finding, or a low first
    point of balance (solid sense of self) in both partners.
    """
    form = formulation(snapshot)
    if not eft_running(snapshot) or not form.present("connection_not_in_daily_life"):
        return []
    reasons = [obs("connection_not_in_daily_life", True)]
    if form.present("approval_dependence"):
        return [*reasons, obs("approval_dependence", True)]
    low_self = [
        Reason(f"partners.{slot}.balance.self", partner.balance.self)
        for slot, partner in partners(snapshot)
        if partner.balance.self is not None and partner.balance.self <= LOW_SOLID_SELF
    ]
    return reasons + low_self if len(low_self) == 2 else []


def comfort_zone(snapshot: Snapshot) -> list[Reason]:
    """A comfort-zone couple whose sex became a predictable routine (000, 001)."""
    if not eft_running(snapshot) or not formulation(snapshot).present("comfort_zone"):
        return []
    reasons = [obs("comfort_zone_routine", True)]
    for slot in SLOTS:
        diary = snapshot.diary.get(slot)
        if (
            diary is not None
            and diary.days is not None
            and diary.days >= COMFORT_DIARY_DAYS
            and diary.conflict_days == 0
        ):
            reasons.append(Reason(f"diary.{slot}.conflict_days", 0))
    return reasons


# --- back to EFT: when the reason for the switch is gone ------------------------------------


def _gone(form: Formulation, *findings: str) -> list[Reason]:
    """The findings recorded as gone, if none of them is still present."""
    if any(form.present(finding) for finding in findings):
        return []
    return [obs(form[finding].field, False) for finding in findings if form.gone(finding)]


def _self_insight_grown(snapshot: Snapshot, form: Formulation) -> list[Reason]:
    known = [
        Reason(f"partners.{slot}.sexual_self_knowledge", partner.sexual_self_knowledge)
        for slot, partner in partners(snapshot)
        if partner.sexual_self_knowledge is not None
    ]
    return [] if _low_self_insight(snapshot) else known


def _approval_eased(snapshot: Snapshot, form: Formulation) -> list[Reason]:
    """Both depend less on the other's approval (001: "beiden een beetje onafhankelijker");
    when that was never noted, the connection now reaching daily life stands in."""
    if form.present("approval_dependence"):
        return []
    if not form.gone("approval_dependence"):
        return _gone(form, "connection_not_in_daily_life")
    reasons = [obs("approval_dependence", False)]
    if form.gone("connection_not_in_daily_life"):
        reasons.insert(0, obs("connection_not_in_daily_life", False))
    return reasons


# What "the reason for the switch is gone" means, for each switch.
SWITCH_GONE: dict[str, Callable[[Snapshot, Formulation], list[Reason]]] = {
    "diff.switch.powerlessness": lambda snapshot, form: _gone(form, "powerlessness"),
    "diff.switch.sexual-self-insight": _self_insight_grown,
    "diff.switch.approval-dependence": _approval_eased,
    "diff.switch.comfort-zone": lambda snapshot, form: _gone(form, "comfort_zone"),
}
_ALL_SWITCH_FINDINGS = (
    "powerlessness",
    "connection_not_in_daily_life",
    "approval_dependence",
    "comfort_zone",
)


def eft_return(snapshot: Snapshot) -> list[Reason]:
    """Back to EFT after differentiation work (000: "in een latere fase"; 001).

    On the differentiation track, with emotional safety in the latest session,
    when every reason the case switched for (``track.switched_for``) is gone.
    When that is not recorded (a track set by hand, older data): when no
    reason for switching is present any more and at least one is recorded as
    gone.
    """
    if snapshot.track.name != "differentiation" or snapshot.latest.emotional_safety is not True:
        return []
    form = formulation(snapshot)
    switched = [signal for signal in snapshot.track.switched_for if signal in SWITCH_GONE]
    reasons = [Reason("track.name", "differentiation")]
    if switched:
        reasons += [Reason("track.switched_for", switched), obs("emotional_safety", True)]
        for signal in switched:
            gone = SWITCH_GONE[signal](snapshot, form)
            if not gone:
                return []
            reasons += gone
        return reasons
    if _low_self_insight(snapshot):
        return []
    gone = _gone(form, *_ALL_SWITCH_FINDINGS)
    if not gone:
        return []
    return [*reasons, obs("emotional_safety", True), *gone]
