"""What the guidance must and must not say about each vignette in ``vignettes/``.

Shared by ``tests/clinic/test_vignettes.py`` (through :func:`evaluate`) and
``tests/test_guidance_command.py`` (through ``manage.py guidance --snapshot``), so
that both ways of running the rules are held to the same clinical expectations.

``fires`` is the exact list of signals, in the order a therapist sees them.
``silent`` names the signals that must not be there and that a reader might
expect, each for a clinical reason written next to it: a typing error in an id
fails (the ids are checked against the rule table).
"""

from __future__ import annotations

from dataclasses import dataclass

TIMEOUT = "safety.timeout-programme"
VIOLENCE = "eft.contra.violence"
REVIEW = "safety.review"
MISSING = "safety.screen-missing"
ALONE = "safety.individual-sessions"
NORMALISE = "intake.normalise-first"
START = "eft.indicated"
SENSATE = "sex.sensate-focus-ready"
PAUSE = "sex.pause-contact"
REFER = "refer.sexologist"
RETURN = "eft.return"
DETACHED = "eft.contra.detachment"
GOALS = "eft.contra.goals"


@dataclass(frozen=True)
class Expected:
    fires: tuple[str, ...]
    silent: tuple[str, ...]


EXPECTED: dict[str, Expected] = {
    # --- the seeds' cases -------------------------------------------------------------
    "avoidant-therapist": Expected(
        ("therapist.collusion-risk",),
        (GOALS, DETACHED, VIOLENCE, "room.level"),
    ),
    "best-buddies": Expected(
        ("therapist.collusion-risk",),
        (DETACHED, GOALS, VIOLENCE, START),  # her aversion never reached intake or room
    ),
    "consent-without-desire": Expected(
        (PAUSE,),  # attachment problems disrupt their sex: pause, with her avoidance motive
        (SENSATE, REVIEW, VIOLENCE),  # she agrees; nobody pressed her
    ),
    "demanding-husband": Expected(
        (REVIEW,),  # pressed into sex once: a review, with her answer
        (VIOLENCE, PAUSE, SENSATE),  # below the contraindication; sex work waits
    ),
    "eft-verbal-aggression": Expected(
        (TIMEOUT, REVIEW, START),  # psychological violence sometimes: review, EFT still
        (VIOLENCE, DETACHED, GOALS, PAUSE, NORMALISE),
    ),
    "hidden-agenda": Expected(
        (GOALS, "eft.stop.hidden-agenda"),
        (DETACHED, VIOLENCE, TIMEOUT, START, "eft.stop.encouragement", MISSING),
    ),
    "hidden-agenda-remembered": Expected(
        (GOALS, "eft.stop.hidden-agenda"),  # a blank in the next session is not "gone"
        (START, SENSATE, MISSING),
    ),
    "janine-mathijs-consolidation": Expected(
        (),  # stage 3, sex good again: nothing to do
        (SENSATE, PAUSE, START, "eft.stop.hidden-agenda", "diff.switch.comfort-zone"),
    ),
    "janine-mathijs-intake": Expected(
        (START,),
        (VIOLENCE, TIMEOUT, DETACHED, GOALS, REFER, SENSATE, PAUSE, MISSING),
        # and no normalising: both attachment scores are above the midpoint
    ),
    "janine-mathijs-stage-2": Expected(
        (SENSATE,),  # with both flips as reasons
        (VIOLENCE, TIMEOUT, START, "eft.stop.hidden-agenda", PAUSE, REFER),
    ),
    "lat-approval": Expected(
        ("diff.switch.approval-dependence",),
        (RETURN, "diff.switch.comfort-zone", "diff.switch.powerlessness", SENSATE, VIOLENCE),
    ),
    "lat-more-independent": Expected(
        (RETURN,),  # the switch reason was not recorded: every reason noted gone
        ("diff.switch.approval-dependence", START, "eft.stop.hidden-agenda"),
    ),
    "lat-return-tied-to-the-switch": Expected(
        (RETURN,),  # the approval dependence they switched for is gone
        ("diff.switch.approval-dependence", START),
    ),
    "psychiatric-hospital": Expected(
        ("diff.switch.sexual-self-insight", "diff.switch.comfort-zone", REFER),
        (VIOLENCE, TIMEOUT, DETACHED, PAUSE, "diff.switch.approval-dependence", RETURN),
    ),
    "self-insight-at-intake": Expected(
        (START,),  # at intake: start with EFT; the switch comes only after an EFT start
        ("diff.switch.sexual-self-insight", NORMALISE),
    ),
    "self-insight-after-eft-start": Expected(
        ("diff.switch.sexual-self-insight",),
        (START, NORMALISE, RETURN),
    ),
    "self-insight-grown": Expected(
        (RETURN,),  # switched for self-insight, which has grown; the comfort zone is no bar
        ("diff.switch.comfort-zone", "diff.switch.sexual-self-insight"),
    ),
    "comfort-zone-not-gone": Expected(
        (),  # they switched for the comfort zone, and it was never noted gone
        (RETURN,),
    ),
    "seven-year-routine": Expected(
        ("diff.switch.comfort-zone",),
        (PAUSE, "diff.switch.approval-dependence", DETACHED, REFER, VIOLENCE),
    ),
    "no-foreplay": Expected(
        (START, PAUSE),
        (NORMALISE, VIOLENCE, SENSATE),  # avoidant attachment: more than an ordinary difference
    ),
    "paraphilia-unsure": Expected((REFER,), (VIOLENCE, MISSING)),
    "illness-not-linked": Expected((), (REFER,)),  # the illness does not bear on the sex
    # --- our own cases --------------------------------------------------------------------
    "violence-behind-a-calm-room": Expected(
        (TIMEOUT, VIOLENCE, REVIEW, ALONE, REFER, "therapist.collusion-risk"),
        (START, PAUSE, SENSATE, NORMALISE),
    ),
    "small-signs-add-up": Expected(
        (TIMEOUT, VIOLENCE, REVIEW),  # pushed once and afraid sometimes: 2 + 2
        (START, NORMALISE),
    ),
    "not-free-to-speak": Expected(
        (REVIEW, ALONE),
        (VIOLENCE, SENSATE, TIMEOUT),  # below the contraindication; sex work waits
    ),
    "mild-bickering": Expected(
        (NORMALISE, START),  # an ordinary difference in desire
        (VIOLENCE, TIMEOUT, REVIEW, DETACHED, GOALS, REFER, MISSING),
    ),
    "healthy-couple": Expected(
        (START,),
        (VIOLENCE, TIMEOUT, REVIEW, DETACHED, GOALS, REFER, MISSING, NORMALISE),
    ),
    "intake-safety-unanswered": Expected(
        (MISSING, START),  # start with EFT only once he has answered the safety part
        (VIOLENCE, REVIEW, NORMALISE),
    ),
    "partner-left-in-the-room": Expected(
        (DETACHED,),  # as the therapist sees it, though his intake said otherwise
        (SENSATE, START, RETURN),
    ),
    "destructive-claim-complied": Expected(
        ("eft.stop.destructive-claim",),
        (SENSATE, START, RETURN, VIOLENCE),
    ),
    "individual-relationship-therapy": Expected(
        (),  # one partner: no couple exercises, no "start with EFT"
        (PAUSE, SENSATE, START, NORMALISE, MISSING),
    ),
}
