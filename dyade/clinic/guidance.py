"""Decision support: the integration of EFT and differentiation as explainable signals.

Each rule has a stable id. It reads a :class:`~dyade.clinic.snapshot.Snapshot`
and returns a :class:`Signal` when it fires, with the inputs that made it fire
and the source it comes from, or ``None``. Rules never decide: the therapist
accepts or dismisses each signal.

The rules follow ``domain.md`` ("The integration") and the seed texts:

* 000 - Penne & Borms, intimacy in sex therapy: a matter of emotional
  connection or differentiation?
* 001 - Penne (2016), Slingeren tussen verbinding en autonomie
* 002 - Deij & van Verseveld (2015), Partnerrelatietherapie en seksualiteit

Where a rule goes beyond the seeds (the weights of the safety answers, a
referral to a physician) its :class:`Source` says so in ``judgement``.

A value that is missing is unknown. No rule fires on an unknown value, and no
rule reads "not known to be true" as "false". Stable findings are read from the
case formulation (:mod:`dyade.clinic.formulation`), so a finding noted in an
earlier session holds until a later note changes it.

This module is the rule table. The checks live in ``guidance_safety``,
``guidance_couple``, ``guidance_sex`` and ``guidance_room``; the rules on the
session check-ins (``progress.*``, ``alliance.split``) are written out whole in
``guidance_progress`` and take their place in the table here; which signal holds
back which is data in ``guidance_precedence`` (:func:`evaluate` applies it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dyade.clinic import guidance_couple as couple
from dyade.clinic import guidance_precedence as precedence
from dyade.clinic import guidance_progress as progress
from dyade.clinic import guidance_safety as safety
from dyade.clinic import guidance_sex as sex
from dyade.clinic.formulation import Formulation as Formulation
from dyade.clinic.formulation import formulation as formulation
from dyade.clinic.guidance_base import SEED_FILES as SEED_FILES
from dyade.clinic.guidance_base import SEED_TITLES as SEED_TITLES
from dyade.clinic.guidance_base import Kind as Kind
from dyade.clinic.guidance_base import Reason as Reason
from dyade.clinic.guidance_base import Rule as Rule
from dyade.clinic.guidance_base import Signal as Signal
from dyade.clinic.guidance_base import Source as Source
from dyade.clinic.guidance_base import gettext_noop as gettext_noop
from dyade.clinic.guidance_room import collusion, room_level
from dyade.clinic.guidance_room import lowest_in_room as lowest_in_room
from dyade.clinic.guidance_room import room_levels as room_levels
from dyade.clinic.guidance_safety import sex_work_blocked as sex_work_blocked
from dyade.clinic.snapshot import Snapshot

# Where Dyade goes beyond the seeds, the source says so (shown to the therapist, translated).
OWN_WEIGHTS = gettext_noop(
    "How much each safety answer weighs, and that several smaller signs add up to "
    "violence, is Dyade's own judgement."
)
OWN_SCREEN = gettext_noop(
    "Asking each partner about safety alone before couple work is Dyade's own judgement."
)
OWN_ALONE = gettext_noop(
    "Offering talks with each partner alone when one cannot speak freely is Dyade's own judgement."
)
OWN_REFERRAL = gettext_noop(
    "Referral to a physician, and counting medication and pain during sex, are Dyade's own "
    "judgement; the cited text names a sexologist."
)

BRADLEY = "Bradley & Johnson (2005)"
GROEN = "Groen & Van Lawick (2006)"
HITS = "Sherin et al. (1998), HITS"
SEX_IN_EFT = "Johnson & Zuccarini (2011)"


def _s(*seeds: str, literature: tuple[str, ...] = (), judgement: str | None = None) -> Source:
    return Source(seeds, literature, judgement)


# --- the rules, in the order a therapist meets them ----------------------------------------

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
        _s("001", literature=(GROEN, BRADLEY), judgement=OWN_WEIGHTS),
        safety.timeout,
    ),
    Rule(
        "eft.contra.violence",
        Kind.CONTRAINDICATION,
        gettext_noop("Violence: no conjoint EFT"),
        gettext_noop(
            "A safety screen points to systematic physical or extreme psychological violence: "
            "one serious answer, or several smaller ones that add up. Conjoint EFT is "
            "contraindicated; see each partner alone about safety first."
        ),
        _s("001", literature=(BRADLEY, HITS), judgement=OWN_WEIGHTS),
        safety.violence,
    ),
    Rule(
        "safety.review",
        Kind.SAFETY,
        gettext_noop("Safety review"),
        gettext_noop(
            "A partner's own safety screen shows a sign of unsafety. Go through these answers "
            "with that partner alone before the next joint session, and hold back sexual and "
            "touch exercises until you have."
        ),
        _s("001", literature=(BRADLEY, GROEN, HITS), judgement=OWN_WEIGHTS),
        safety.review,
    ),
    Rule(
        "safety.screen-missing",
        Kind.SAFETY,
        gettext_noop("Safety part not answered yet"),
        gettext_noop(
            "Not every partner has answered the safety part of the intake alone. Ask each "
            "partner to answer it on their own before couple work starts; until then, couple "
            "work is only provisional."
        ),
        _s("001", literature=(BRADLEY,), judgement=OWN_SCREEN),
        safety.screen_missing,
    ),
    Rule(
        "safety.individual-sessions",
        Kind.SAFETY,
        gettext_noop("Not free to speak together"),
        gettext_noop(
            "A partner cannot always speak freely with the other in the room. Offer each "
            "partner a talk alone, and ask there about safety and about what cannot be said "
            "in joint sessions."
        ),
        _s("001", literature=(BRADLEY,), judgement=OWN_ALONE),
        safety.not_free_to_speak,
    ),
    progress.DETERIORATION,  # high priority: right after safety
    Rule(
        "eft.contra.detachment",
        Kind.CONTRAINDICATION,
        gettext_noop("A partner has emotionally left"),
        gettext_noop(
            "One partner seems to have let go of the relationship emotionally. EFT is not "
            "indicated while that lasts; explore separation guidance or individual work."
        ),
        _s("001", literature=(BRADLEY,)),
        couple.detachment,
    ),
    Rule(
        "eft.contra.goals",
        Kind.CONTRAINDICATION,
        gettext_noop("Goals too far apart"),
        gettext_noop(
            "The partners' own goals seem to lie too far apart for EFT. Ask again what each "
            "hopes for, and talk about what that means for the work."
        ),
        _s("001", literature=(BRADLEY,)),
        couple.goals,
    ),
    Rule(
        "intake.normalise-first",
        Kind.INDICATION,
        gettext_noop("Normalise the difference first"),
        gettext_noop(
            "The partners differ in desire, with no sign of more than an ordinary difference. "
            "Name the difference, normalise it and give psycho-education about sex first; if "
            "that is not enough, start with EFT."
        ),
        _s("000", "001"),
        couple.normalise_first,
        conjoint=True,
    ),
    Rule(
        "eft.indicated",
        Kind.INDICATION,
        gettext_noop("Start with EFT"),
        gettext_noop(
            "Love and motivation are there in both partners. Start with EFT: de-escalate and "
            "map the negative cycle."
        ),
        _s("000", "001", literature=("Johnson (2004)",)),
        couple.eft_indicated,
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
        _s("001"),
        couple.hidden_agenda,
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
        _s("001"),
        couple.encouragement,
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
        _s("001", literature=("Schnarch (2009)",)),
        couple.destructive_claim,
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
        _s(
            "000",
            literature=("Schnarch (2009)", "Greenberg & Goldman (2008)", "Linehan (1993)"),
        ),
        couple.powerlessness,
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
        _s("000", literature=("Schnarch (2009)", "Perel (2014)")),
        couple.sexual_self_insight,
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
        _s("001", literature=("Greenberg & Goldman (2008)", "Schnarch (2009)")),
        couple.approval_dependence,
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
        _s("000", "001", literature=("Schnarch (2009)", "Perel (2014)")),
        couple.comfort_zone,
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
        _s("001", "000"),
        couple.eft_return,
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
        _s("000", "001", literature=(SEX_IN_EFT,)),
        sex.pause_contact,
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
        _s("000", "001", "002", literature=("Masters & Johnson (1970)", SEX_IN_EFT)),
        sex.sensate_focus,
        conjoint=True,
    ),
    Rule(
        "refer.sexologist",
        Kind.REFERRAL,
        gettext_noop("Refer to a sexologist or physician"),
        gettext_noop(
            "The intake mentions a sexual dysfunction, a paraphilia, pain during sex, or an "
            "illness, disability or medication that may bear on the sexual problem. Consider "
            "referral to a sexologist, or to a physician for the bodily side."
        ),
        _s("002", judgement=OWN_REFERRAL),
        sex.refer,
    ),
    progress.NOT_ON_TRACK,
    progress.ALLIANCE_SPLIT,
    Rule(
        "therapist.collusion-risk",
        Kind.THERAPIST,
        gettext_noop("Risk of going along with the couple"),
        gettext_noop(
            "Your own attachment style may meet the couple's: an avoidant therapist can collude "
            "with an avoidant couple, an anxious one can over-identify. Name the painful subject "
            "and take the case to intervision or supervision."
        ),
        _s("001", "000", literature=("Hafkenscheid (2014)", "Bowlby (1988)")),
        collusion,
    ),
    Rule(
        "room.level",
        Kind.THERAPIST,
        gettext_noop("Who sets the level of the room"),
        gettext_noop(
            "The least differentiated person sets the level of the couple and of the therapy "
            "room. A conversation deepens until that person cannot bear it."
        ),
        _s("000", "001", literature=("Schnarch (1997)",)),
        room_level,
    ),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}
VIOLENCE = precedence.VIOLENCE
TIMEOUT = precedence.TIMEOUT


def evaluate(snapshot: Snapshot, rules: Iterable[Rule] = RULES) -> list[Signal]:
    """Run every rule; return the signals a therapist sees, in the order to show them.

    The precedence (:mod:`dyade.clinic.guidance_precedence`) holds back what a
    stronger signal makes moot, makes "start with EFT" conditional while a
    safety part is unanswered, and puts violence first.
    """
    fired = [signal for rule in rules if (signal := rule(snapshot)) is not None]
    return precedence.apply(fired)


def as_json(signals: Iterable[Signal]) -> dict[str, Any]:
    return {"signals": [signal.as_json() for signal in signals]}
