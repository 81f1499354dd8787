"""Decision support: the integration of EFT and differentiation as explainable signals.

Each rule is a small function with a stable id. It reads a
:class:`~dyade.clinic.snapshot.Snapshot` and returns a :class:`Signal` when it
fires, with the inputs that made it fire and the source it comes from, or
``None``. Rules never decide: the therapist accepts or dismisses each signal.

The rules follow ``domain.md`` ("The integration") and the seed texts:

* 000 - Penne & Borms, intimacy in sex therapy: EFT or differentiation?
* 001 - Penne (2016), swinging between connection and autonomy
* 002 - Deij & van Verseveld (2015), sexuality inside EFT couple therapy

A value that is missing is unknown. No rule fires on an unknown value, and no
rule reads "not known to be true" as "false": rules that need something to be
absent (``eft.return``) need it recorded as absent.

Violence trumps everything (:func:`evaluate`): when ``eft.contra.violence``
fires, signals for conjoint work are withheld and the time-out programme is
listed first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
    INDICATION = "indication"
    CONTRAINDICATION = "contraindication"
    STOP = "stop"
    SWITCH = "switch"
    SEX = "sex"
    REFERRAL = "referral"
    THERAPIST = "therapist"


@dataclass(frozen=True)
class Reason:
    """One input that made a rule fire: where it came from and its value."""

    field: str  # a snapshot path, e.g. "partners.A.safety.physical"
    value: Any

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "value": self.value}


@dataclass(frozen=True)
class Source:
    seed: str  # the seed file, e.g. "001"
    literature: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"seed": SEED_FILES[self.seed], "literature": list(self.literature)}

    def __str__(self) -> str:
        cited = "; ".join(self.literature)
        return f"{SEED_TITLES[self.seed]}" + (f" — {cited}" if cited else "")


SEED_FILES = {
    "000": "000_b75bddb9461da536.txt",
    "001": "001_10010ea385b9f766.txt",
    "002": "002_5d822d5117803d2a.txt",
    "004": "004_ff491ae850689738.txt",
}
SEED_TITLES = {
    "000": "Penne & Borms, Intimiteit in sekstherapie: EFT of differentiatie? (seed 000)",
    "001": "Penne (2016), Schommelen tussen verbondenheid en autonomie (seed 001)",
    "002": "Deij & van Verseveld (2015), Partnerrelatietherapie en seksualiteit (seed 002)",
    "004": "Relationship coach's page on basic needs and EFT (seed 004)",
}


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
        return Signal(self.id, self.kind, self.recommendation, tuple(reasons), self.source)


# --- helpers --------------------------------------------------------------------------


def _partners(snapshot: Snapshot) -> list[tuple[str, Partner]]:
    return [(slot, snapshot.partners[slot]) for slot in SLOTS if slot in snapshot.partners]


def _obs(name: str, value: Any) -> Reason:
    return Reason(f"observation.{name}", value)


def _in_eft_or_unknown(snapshot: Snapshot) -> bool:
    return snapshot.track.name in (None, "eft")


def _not_yet_differentiation(snapshot: Snapshot) -> bool:
    return snapshot.track.name in (None, "eft")


# --- indication and contraindications --------------------------------------------------


def _violence(snapshot: Snapshot) -> list[Reason]:
    """Systematic physical or extreme psychological violence (Bradley & Johnson 2005, in 001).

    Read from each partner's own safety screen: physical violence more than
    once, whether the partner reports suffering it or using it (``own``: the
    screen asks the same question from both sides, and the answer weighs the
    same whoever gives it), psychological violence often, sexual coercion more
    than once, often afraid of the partner, not safe to speak in joint
    sessions, or a positive HITS screen.
    """
    reasons: list[Reason] = []
    for slot, partner in _partners(snapshot):
        safety = partner.safety
        where = f"partners.{slot}.safety"
        if safety.physical in ("sometimes", "often"):
            reasons.append(Reason(f"{where}.physical", safety.physical))
        if safety.psychological == "often":
            reasons.append(Reason(f"{where}.psychological", safety.psychological))
        if safety.coercion in ("sometimes", "often"):
            reasons.append(Reason(f"{where}.coercion", safety.coercion))
        if safety.own in ("sometimes", "often"):
            reasons.append(Reason(f"{where}.own", safety.own))
        if safety.fear == "often":
            reasons.append(Reason(f"{where}.fear", safety.fear))
        if safety.joint_sessions == "no":
            reasons.append(Reason(f"{where}.joint_sessions", safety.joint_sessions))
        if safety.hits_total is not None and safety.hits_total > HITS_POSITIVE:
            reasons.append(Reason(f"{where}.hits_total", safety.hits_total))
    return reasons


def _timeout(snapshot: Snapshot) -> list[Reason]:
    """Too unsafe or escalating: a time-out programme (Groen & Van Lawick 2006, in 001).

    Fires with violence, and also on less severe signs of escalation: physical
    violence once (suffered or used), being afraid sometimes, or escalation and
    verbal aggression that the therapist saw in the session.
    """
    reasons = _violence(snapshot)
    for slot, partner in _partners(snapshot):
        safety = partner.safety
        where = f"partners.{slot}.safety"
        if safety.physical == "once":
            reasons.append(Reason(f"{where}.physical", safety.physical))
        if safety.own == "once":
            reasons.append(Reason(f"{where}.own", safety.own))
        if safety.fear == "sometimes":
            reasons.append(Reason(f"{where}.fear", safety.fear))
    if snapshot.latest.escalation is True:
        reasons.append(_obs("escalation", True))
    return reasons


def _love_and_motivation(snapshot: Snapshot) -> list[Reason]:
    """Love (however snowed under) and motivation in both partners (000, 001).

    The therapist's latest observation counts first; the intake answers stand in
    for what was not observed. Both partners must be known: one partner's
    answers say nothing about the other's love or motivation.
    """
    if not snapshot.partners and not snapshot.observations:
        return []
    latest = snapshot.latest
    slots = list(SLOTS)
    reasons: list[Reason] = []
    if latest.love_felt is True:
        reasons.append(_obs("love_felt", True))
    elif latest.love_felt is False:
        return []
    else:
        for slot in slots:
            love = snapshot.partner(slot).love
            if love is None or love < LOVE_PRESENT:
                return []
            reasons.append(Reason(f"partners.{slot}.love", love))
    for slot in slots:
        observed = latest.motivation_a if slot == "A" else latest.motivation_b
        if observed is not None:
            if observed < MOTIVATED:
                return []
            reasons.append(_obs(f"motivation_{slot.lower()}", observed))
            continue
        motivation = snapshot.partner(slot).motivation
        if motivation is None or motivation < MOTIVATED:
            return []
        reasons.append(Reason(f"partners.{slot}.motivation", motivation))
    return reasons


def _eft_indicated(snapshot: Snapshot) -> list[Reason]:
    """Love and motivation in both, and the case is not already in couple work or individual."""
    if snapshot.track.name in ("eft", "differentiation", "individual"):
        return []
    return _love_and_motivation(snapshot)


def _detachment(snapshot: Snapshot) -> list[Reason]:
    reasons: list[Reason] = []
    for slot, partner in _partners(snapshot):
        if partner.wish_to_continue == "leaving":
            reasons.append(Reason(f"partners.{slot}.wish_to_continue", "leaving"))
        if partner.detachment is not None and partner.detachment >= DETACHED:
            reasons.append(Reason(f"partners.{slot}.detachment", partner.detachment))
    return reasons


def _goals(snapshot: Snapshot) -> list[Reason]:
    if snapshot.latest.goals_diverge is True:
        return [_obs("goals_diverge", True)]
    return []


# --- stopping EFT ------------------------------------------------------------------


def _hidden_agenda(snapshot: Snapshot) -> list[Reason]:
    """Hidden agendas surface, or the therapist cannot find the love (001)."""
    if not _in_eft_or_unknown(snapshot):
        return []
    latest = snapshot.latest
    reasons = []
    if latest.hidden_agenda is True:
        reasons.append(_obs("hidden_agenda", True))
    if latest.love_felt is False:
        reasons.append(_obs("love_felt", False))
    return reasons


def _encouragement(snapshot: Snapshot) -> list[Reason]:
    if not _in_eft_or_unknown(snapshot) or snapshot.latest.needs_encouragement is not True:
        return []
    return [_obs("needs_encouragement", True)]


def _destructive_claim(snapshot: Snapshot) -> list[Reason]:
    claimant = snapshot.latest.destructive_claim_by
    if not _in_eft_or_unknown(snapshot) or claimant is None:
        return []
    return [_obs("destructive_claim_by", claimant)]


# --- switching to differentiation and back -----------------------------------------------


def _powerlessness(snapshot: Snapshot) -> list[Reason]:
    """Powerlessness grows after the dynamics were uncovered (000).

    "After uncovering" is read as: the cycle has been mapped, or EFT is past
    its first stage.
    """
    if not _not_yet_differentiation(snapshot) or snapshot.latest.powerlessness is not True:
        return []
    reasons = [_obs("powerlessness", True)]
    if snapshot.cycle_mapped is True:
        reasons.append(Reason("cycle_mapped", True))
    elif snapshot.eft_stage is not None and snapshot.eft_stage >= 2:
        reasons.append(Reason("eft_stage", snapshot.eft_stage))
    else:
        return []
    return reasons


def _sexual_self_insight(snapshot: Snapshot) -> list[Reason]:
    """A partner has little idea of their own sexuality and conditions for arousal (000)."""
    if not _not_yet_differentiation(snapshot):
        return []
    return [
        Reason(f"partners.{slot}.sexual_self_knowledge", partner.sexual_self_knowledge)
        for slot, partner in _partners(snapshot)
        if partner.sexual_self_knowledge is not None
        and partner.sexual_self_knowledge <= LOW_SEXUAL_SELF_KNOWLEDGE
    ]


def _approval_dependence(snapshot: Snapshot) -> list[Reason]:
    """Connection in the session does not change daily life; both hang on approval (001).

    Needs the observation that the connection does not reach daily life, and
    evidence of approval dependence: the therapist's impression, or a low
    first point of balance (solid sense of self) in both partners.
    """
    latest = snapshot.latest
    if not _not_yet_differentiation(snapshot) or latest.connection_not_in_daily_life is not True:
        return []
    reasons = [_obs("connection_not_in_daily_life", True)]
    if latest.approval_dependence is True:
        reasons.append(_obs("approval_dependence", True))
        return reasons
    low_self = [
        Reason(f"partners.{slot}.balance.self", partner.balance.self)
        for slot, partner in _partners(snapshot)
        if partner.balance.self is not None and partner.balance.self <= LOW_SOLID_SELF
    ]
    if len(low_self) == 2:
        return reasons + low_self
    return []


def _comfort_zone(snapshot: Snapshot) -> list[Reason]:
    """A comfort-zone couple whose sex became a predictable routine (000, 001)."""
    if not _not_yet_differentiation(snapshot) or snapshot.latest.comfort_zone_routine is not True:
        return []
    reasons = [_obs("comfort_zone_routine", True)]
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


_SWITCH_FLAGS = (
    "powerlessness",
    "connection_not_in_daily_life",
    "approval_dependence",
    "comfort_zone_routine",
)


def _eft_return(snapshot: Snapshot) -> list[Reason]:
    """Back to EFT after differentiation work (000, 001).

    Fires on the differentiation track when the latest observation records
    emotional safety, none of the reasons for switching is present, and at
    least one of them has been recorded as gone.
    """
    latest = snapshot.latest
    if snapshot.track.name != "differentiation" or latest.emotional_safety is not True:
        return []
    states = {flag: getattr(latest, flag) for flag in _SWITCH_FLAGS}
    if any(state is True for state in states.values()):
        return []
    gone = [_obs(flag, False) for flag, state in states.items() if state is False]
    if not gone:
        return []
    return [Reason("track.name", "differentiation"), _obs("emotional_safety", True), *gone]


# --- sex inside EFT ---------------------------------------------------------------------


def _pause_contact(snapshot: Snapshot) -> list[Reason]:
    """Attachment problems disrupt sex badly: pause sexual contact for a while (000, 002)."""
    if snapshot.latest.sex_disrupted_by_attachment is not True:
        return []
    reasons = [_obs("sex_disrupted_by_attachment", True)]
    for slot, partner in _partners(snapshot):
        if partner.avoidance_motives:
            reasons.append(
                Reason(f"partners.{slot}.avoidance_motives", list(partner.avoidance_motives))
            )
    return reasons


def _sexual_concern(snapshot: Snapshot) -> list[Reason]:
    reasons: list[Reason] = []
    for slot, partner in _partners(snapshot):
        if (
            partner.sexual_satisfaction is not None
            and partner.sexual_satisfaction <= LOW_SATISFACTION
        ):
            reasons.append(
                Reason(f"partners.{slot}.sexual_satisfaction", partner.sexual_satisfaction)
            )
    desires = [p.desire for _, p in _partners(snapshot)]
    if len(desires) == 2 and None not in desires:
        gap = abs(desires[0] - desires[1])  # type: ignore[operator]
        if gap >= DESIRE_GAP:
            reasons.append(Reason("partners.desire_gap", gap))
    if any(obs.sex_disrupted_by_attachment is True for obs in snapshot.observations[:-1]):
        reasons.append(Reason("observations.sex_disrupted_by_attachment", "earlier session"))
    return reasons


def _sensate_focus(snapshot: Snapshot) -> list[Reason]:
    """Connection exists: time to talk about sex and start sensate focus (002; Masters & Johnson).

    Needs emotional safety in the latest session, EFT stage 2 or later, no
    escalation in that session, sex not (still) disrupted, and a sexual concern
    to work on.
    """
    latest = snapshot.latest
    stage = snapshot.eft_stage
    if (
        latest.emotional_safety is not True
        or stage is None
        or stage < 2
        or latest.escalation is True
        or latest.sex_disrupted_by_attachment is True
    ):
        return []
    concern = _sexual_concern(snapshot)
    if not concern:
        return []
    return [_obs("emotional_safety", True), Reason("eft_stage", stage), *concern]


# --- referral ---------------------------------------------------------------------------


def _refer(snapshot: Snapshot) -> list[Reason]:
    """Dysfunction, illness, disability, paraphilia, pain or medication (002)."""
    reasons: list[Reason] = []
    for slot, partner in _partners(snapshot):
        health = partner.health
        where = f"partners.{slot}.health"
        for name in ("dysfunction", "illness", "disability", "paraphilia", "medication"):
            value = getattr(health, name)
            if value == "yes" or (name == "dysfunction" and value == "unsure"):
                reasons.append(Reason(f"{where}.{name}", value))
        if health.sexual_pain in ("sometimes", "often"):
            reasons.append(Reason(f"{where}.sexual_pain", health.sexual_pain))
    return reasons


# --- the therapist in the room -------------------------------------------------------------


def _couple_avoidant(snapshot: Snapshot) -> list[Reason]:
    reasons = []
    partners = _partners(snapshot)
    avoidant = [
        Reason(f"partners.{slot}.attachment_avoidance", p.attachment_avoidance)
        for slot, p in partners
        if p.attachment_avoidance is not None and p.attachment_avoidance > ECR_HIGH
    ]
    if avoidant:
        reasons.extend(avoidant)
    return reasons


def _collusion(snapshot: Snapshot) -> list[Reason]:
    """The therapist's attachment meets the couple's (000, 001: "an avoidant therapist").

    Fires when the room keeps away from a painful subject, or when an avoidant
    therapist (ECR-R avoidance above the midpoint) meets an avoidant partner,
    or an anxious therapist an anxious partner (over-identification).
    """
    therapist = snapshot.therapist
    reasons: list[Reason] = []
    if snapshot.latest.painful_subject_avoided is True:
        reasons.append(_obs("painful_subject_avoided", True))
    if therapist.attachment_avoidance is not None and therapist.attachment_avoidance > ECR_HIGH:
        avoidant = _couple_avoidant(snapshot)
        if avoidant or reasons:
            reasons.append(Reason("therapist.attachment_avoidance", therapist.attachment_avoidance))
            reasons.extend(avoidant)
    if therapist.attachment_anxiety is not None and therapist.attachment_anxiety > ECR_HIGH:
        anxious = [
            Reason(f"partners.{slot}.attachment_anxiety", p.attachment_anxiety)
            for slot, p in _partners(snapshot)
            if p.attachment_anxiety is not None and p.attachment_anxiety > ECR_HIGH
        ]
        if anxious:
            reasons.append(Reason("therapist.attachment_anxiety", therapist.attachment_anxiety))
            reasons.extend(anxious)
    return reasons


def room_levels(snapshot: Snapshot) -> dict[str, float]:
    """The mean of the four points of balance for each person whose four are known."""
    levels: dict[str, float] = {}
    for slot, partner in _partners(snapshot):
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


def _room_level(snapshot: Snapshot) -> list[Reason]:
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
        reasons.append(_obs("escalation", True))
    return reasons


# --- the rules, in the order a therapist meets them ----------------------------------------

_000 = "000"
_001 = "001"
_002 = "002"

RULES: tuple[Rule, ...] = (
    Rule(
        "safety.timeout-programme",
        Kind.INDICATION,
        gettext_noop("Time-out programme"),
        gettext_noop(
            "Agree a time-out programme against escalation and violence, with each partner's "
            "own warning signs. If a safety screen points to violence, work on safety first "
            "and consider EFT only later."
        ),
        Source(_001, ("Groen & Van Lawick (2006)", "Bradley & Johnson (2005)")),
        _timeout,
    ),
    Rule(
        "eft.contra.violence",
        Kind.CONTRAINDICATION,
        gettext_noop("Violence: no conjoint EFT"),
        gettext_noop(
            "A safety screen points to systematic physical or severe psychological violence. "
            "Conjoint EFT is contraindicated; see each partner alone about safety first."
        ),
        Source(_001, ("Bradley & Johnson (2005)", "Sherin et al. (1998), HITS")),
        _violence,
    ),
    Rule(
        "eft.contra.detachment",
        Kind.CONTRAINDICATION,
        gettext_noop("A partner has emotionally left"),
        gettext_noop(
            "One partner seems to have let go of the relationship emotionally. EFT is not "
            "indicated while that lasts; explore separation guidance or individual work."
        ),
        Source(_001, ("Bradley & Johnson (2005)",)),
        _detachment,
    ),
    Rule(
        "eft.contra.goals",
        Kind.CONTRAINDICATION,
        gettext_noop("Goals too far apart"),
        gettext_noop(
            "The partners' own goals seem to lie too far apart for EFT. Ask again what each "
            "hopes for, and talk about what that means for the work."
        ),
        Source(_001, ("Bradley & Johnson (2005)",)),
        _goals,
    ),
    Rule(
        "eft.indicated",
        Kind.INDICATION,
        gettext_noop("Start with EFT"),
        gettext_noop(
            "Love and motivation are there in both partners. Start with EFT: de-escalate and "
            "map the negative cycle."
        ),
        Source(_000, ("Johnson (2004)",)),
        _eft_indicated,
        conjoint=True,
    ),
    Rule(
        "eft.stop.hidden-agenda",
        Kind.STOP,
        gettext_noop("Hidden agenda or no love found"),
        gettext_noop(
            "Stop EFT, perhaps for a while. Ask again what each partner hopes for; talk about "
            "making life together bearable, self-care and giving each other time."
        ),
        Source(_001, ("Penne (2016)",)),
        _hidden_agenda,
        conjoint=True,
    ),
    Rule(
        "eft.stop.encouragement",
        Kind.STOP,
        gettext_noop("The couple needs encouragement"),
        gettext_noop(
            "Pause the EFT protocol and encourage the couple to persevere: name what they have "
            "already achieved and what keeps them going."
        ),
        Source(_001, ("Penne (2016)",)),
        _encouragement,
        conjoint=True,
    ),
    Rule(
        "eft.stop.destructive-claim",
        Kind.STOP,
        gettext_noop("A destructive claim on the other"),
        gettext_noop(
            "One partner lays too destructive a claim on the other. Talk about when the other "
            "may set a limit, what one's own responsibility is, and how to comfort oneself "
            "when the partner cannot."
        ),
        Source(_001, ("Penne (2016)", "Schnarch (2009)")),
        _destructive_claim,
        conjoint=True,
    ),
    Rule(
        "diff.switch.powerlessness",
        Kind.SWITCH,
        gettext_noop("Powerlessness after the cycle was uncovered"),
        gettext_noop(
            "The anxiety has become a third person in the room that only the partner could "
            "remove. Switch to differentiation for a while: self-regulation, self-soothing, "
            "tolerating discomfort."
        ),
        Source(_000, ("Schnarch (2009)", "Greenberg & Goldman (2008)", "Linehan (1993)")),
        _powerlessness,
        conjoint=True,
    ),
    Rule(
        "diff.switch.sexual-self-insight",
        Kind.SWITCH,
        gettext_noop("Little insight into one's own sexuality"),
        gettext_noop(
            "A partner knows little about their own desires and what arouses them. Explore "
            "their own sexuality and fantasies, and encourage daring to differ."
        ),
        Source(_000, ("Perel (2007)", "Schnarch (1997)")),
        _sexual_self_insight,
        conjoint=True,
    ),
    Rule(
        "diff.switch.approval-dependence",
        Kind.SWITCH,
        gettext_noop("Connection in the session does not reach daily life"),
        gettext_noop(
            "Both seem to hang on the other's approval. Work on calming oneself, putting things "
            "in perspective and bearing discomfort without asking the other to remove it; "
            "return to the connection later."
        ),
        Source(_001, ("Greenberg & Goldman (2008)", "Schnarch (2009)")),
        _approval_dependence,
        conjoint=True,
    ),
    Rule(
        "diff.switch.comfort-zone",
        Kind.SWITCH,
        gettext_noop("Comfort zone and sexual routine"),
        gettext_noop(
            "The couple spares each other and sex has become a predictable routine. Steer "
            "towards the points of difference and encourage each to say what they really want."
        ),
        Source(_000, ("Schnarch (2009)", "Perel (2014)")),
        _comfort_zone,
        conjoint=True,
    ),
    Rule(
        "eft.return",
        Kind.SWITCH,
        gettext_noop("Back to EFT"),
        gettext_noop(
            "The reasons for differentiation work seem to have eased and the session feels "
            "safe. Consider returning to EFT to deepen the connection."
        ),
        Source(_001, ("Penne (2016)",)),
        _eft_return,
        conjoint=True,
    ),
    Rule(
        "sex.pause-contact",
        Kind.SEX,
        gettext_noop("Pause sexual contact for now"),
        gettext_noop(
            "Attachment problems disrupt sex badly. Advise a temporary pause of sexual contact "
            "(or of intercourse) and agree on affectionate touch that need not lead to sex."
        ),
        Source(_000, ("Johnson (2004)",)),
        _pause_contact,
        conjoint=True,
    ),
    Rule(
        "sex.sensate-focus-ready",
        Kind.SEX,
        gettext_noop("Ready for sensate focus"),
        gettext_noop(
            "There is connection and safety now. Open the topic of sex and consider sensate "
            "focus at home, graded from bodily to sexual touch."
        ),
        Source(_002, ("Masters & Johnson (1970)", "Johnson (2004)")),
        _sensate_focus,
        conjoint=True,
    ),
    Rule(
        "refer.sexologist",
        Kind.REFERRAL,
        gettext_noop("Refer to a sexologist or physician"),
        gettext_noop(
            "The intake mentions a sexual dysfunction, illness, disability, medication, pain "
            "or a paraphilia. Consider referral to a sexologist or physician."
        ),
        Source(_002, ("Deij & van Verseveld (2015)",)),
        _refer,
    ),
    Rule(
        "therapist.collusion-risk",
        Kind.THERAPIST,
        gettext_noop("Risk of going along with the couple"),
        gettext_noop(
            "Your own attachment style may meet the couple's: an avoidant therapist can collude "
            "with an avoidant couple, an anxious one can over-identify. Name the painful subject "
            "and take the case to intervision or supervision."
        ),
        Source(_001, ("Hafkenscheid (2014)", "Bowlby (1988)")),
        _collusion,
    ),
    Rule(
        "room.level",
        Kind.THERAPIST,
        gettext_noop("Who sets the level of the room"),
        gettext_noop(
            "The least differentiated person sets the level of the couple and of the therapy "
            "room. A conversation deepens until that person cannot bear it."
        ),
        Source(_000, ("Schnarch (1997)", "Penne (2016)")),
        _room_level,
    ),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}
VIOLENCE = "eft.contra.violence"
TIMEOUT = "safety.timeout-programme"


def evaluate(snapshot: Snapshot, rules: Iterable[Rule] = RULES) -> list[Signal]:
    """Run every rule; return the signals that fire, in the order to show them.

    Contraindications and stop signals withhold ``eft.indicated``. When ``eft.contra.violence``
    fires, every conjoint signal is withheld and the time-out programme comes
    first.
    """
    fired = [signal for rule in rules if (signal := rule(snapshot)) is not None]
    ids = {signal.id for signal in fired}
    # "Start EFT" makes no sense next to a reason not to, or a reason to stop it.
    if any(signal.kind in (Kind.CONTRAINDICATION, Kind.STOP) for signal in fired):
        fired = [signal for signal in fired if signal.id != "eft.indicated"]
    if VIOLENCE in ids:
        fired = [signal for signal in fired if not RULES_BY_ID[signal.id].conjoint]
        fired.sort(key=lambda signal: (signal.id != TIMEOUT, signal.id != VIOLENCE))
    return fired


def as_json(signals: Iterable[Signal]) -> dict[str, Any]:
    return {"signals": [signal.as_json() for signal in signals]}
