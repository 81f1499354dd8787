"""Which signal holds back which: the precedence of the guidance, written as data.

Signals must agree. A therapist should never read "start EFT" next to "a
partner has emotionally left", or "ready for sensate focus" next to a safety
review. The lines below are read top to bottom; each line names the signals
that trigger it and the signals it holds back while one of them fires:

1. violence and safety review,
2. contraindications,
3. stopping EFT,
4. switching to differentiation and back,
5. sex work and exercises.

A held-back signal is not shown; it comes back by itself once the signal that
held it back no longer fires. Besides holding back, a signal can make another
*conditional*: "start with EFT" while a partner's safety part is unanswered is
shown as "start with EFT once each partner has answered the safety part alone".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dyade.clinic.guidance_base import Signal, gettext_noop

VIOLENCE = "eft.contra.violence"
TIMEOUT = "safety.timeout-programme"
SAFETY_REVIEW = "safety.review"
SCREEN_MISSING = "safety.screen-missing"
NORMALISE = "intake.normalise-first"
START = "eft.indicated"
RETURN = "eft.return"
CONTRAINDICATIONS = ("eft.contra.detachment", "eft.contra.goals")
STOPS = ("eft.stop.hidden-agenda", "eft.stop.encouragement", "eft.stop.destructive-claim")
SWITCHES = (
    "diff.switch.powerlessness",
    "diff.switch.sexual-self-insight",
    "diff.switch.approval-dependence",
    "diff.switch.comfort-zone",
)
SEX_WORK = ("sex.pause-contact", "sex.sensate-focus-ready")
# Couple work: starting, stopping and switching the conjoint models, and the
# sexual work for the two together. Violence holds back all of it.
CONJOINT = (NORMALISE, START, *STOPS, *SWITCHES, RETURN, *SEX_WORK)


@dataclass(frozen=True)
class Line:
    step: int
    name: str
    triggers: tuple[str, ...]  # any of these firing ...
    holds_back: tuple[str, ...]  # ... holds these back


PRECEDENCE: tuple[Line, ...] = (
    Line(1, "violence", (VIOLENCE,), CONJOINT),
    Line(1, "safety review", (SAFETY_REVIEW,), (NORMALISE, *SEX_WORK)),
    Line(
        2,
        "contraindication",
        CONTRAINDICATIONS,
        (NORMALISE, START, *SWITCHES, RETURN, *SEX_WORK),
    ),
    Line(3, "stop EFT", STOPS, (NORMALISE, START, RETURN, *SEX_WORK)),
    Line(4, "switch", (*SWITCHES, RETURN), ()),
    Line(5, "sex work and exercises", SEX_WORK, ()),
)


@dataclass(frozen=True)
class Condition:
    """While ``while_firing`` fires, ``signal`` is shown only on that condition."""

    signal: str
    while_firing: str
    recommendation: str  # the conditional recommendation (English message id)


CONDITIONS: tuple[Condition, ...] = (
    Condition(
        START,
        SCREEN_MISSING,
        gettext_noop(
            "Love and motivation are there in both partners. Start with EFT once each "
            "partner has answered the safety part alone: de-escalate and map the negative "
            "cycle."
        ),
    ),
)


def held_back(ids: set[str]) -> set[str]:
    """The signals the precedence holds back when the signals ``ids`` fire."""
    withheld: set[str] = set()
    for line in PRECEDENCE:
        if ids & set(line.triggers):
            withheld |= set(line.holds_back)
    return withheld


def apply(fired: list[Signal]) -> list[Signal]:
    """Hold back, make conditional and order: the signals a therapist sees, in order.

    ``fired`` comes in the order of the rules. When violence fires, the
    time-out programme and the violence contraindication come first.
    """
    ids = {signal.id for signal in fired}
    withheld = held_back(ids)
    by_id = {signal.id: signal for signal in fired}
    shown = []
    for signal in fired:
        if signal.id in withheld:
            continue
        for condition in CONDITIONS:
            other = by_id.get(condition.while_firing)
            if condition.signal == signal.id and other is not None:
                signal = replace(
                    signal,
                    recommendation=condition.recommendation,
                    reasons=signal.reasons + other.reasons,
                )
        shown.append(signal)
    if VIOLENCE in ids:
        shown.sort(key=lambda signal: (signal.id != TIMEOUT, signal.id != VIOLENCE))
    return shown
