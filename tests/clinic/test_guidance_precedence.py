"""Signals that agree (issue 13): the precedence as data, each line tested.

violence and safety review -> contraindications -> stop EFT -> switches -> sex work.

Each line is tested twice: on the data (which signals a trigger holds back, with
signals made up for the purpose), and on a snapshot where the rules really fire.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyade.clinic import guidance_precedence as precedence
from dyade.clinic.guidance import RULES, RULES_BY_ID, Reason, Signal, evaluate
from dyade.clinic.guidance_base import eft_running
from dyade.clinic.guidance_safety import signs
from dyade.clinic.snapshot import parse

Data = dict[str, Any]
ALL = [rule.id for rule in RULES]
SAFE = {"physical": "never", "fear": "no", "joint_sessions": "yes", "coercion": "never"}


def made_up(*signal_ids: str) -> list[Signal]:
    """Signals as if their rules had fired, in the order of the rule table."""
    return [
        Signal(rule.id, rule.kind, rule.recommendation, (Reason("x", 1),), rule.source)
        for rule in RULES
        if rule.id in signal_ids
    ]


def shown(*signal_ids: str) -> list[str]:
    return [signal.id for signal in precedence.apply(made_up(*signal_ids))]


def ids(data: Data) -> list[str]:
    return [signal.id for signal in evaluate(parse(data))]


# --- the data --------------------------------------------------------------------------------


def test_every_id_in_the_precedence_is_a_rule() -> None:
    for line in precedence.PRECEDENCE:
        for signal_id in (*line.triggers, *line.holds_back):
            assert signal_id in RULES_BY_ID, signal_id
    for condition in precedence.CONDITIONS:
        assert {condition.signal, condition.while_firing} <= set(RULES_BY_ID)


def test_the_lines_come_in_the_order_of_the_issue() -> None:
    assert [(line.step, line.name) for line in precedence.PRECEDENCE] == [
        (1, "violence"),
        (1, "safety review"),
        (2, "contraindication"),
        (3, "stop EFT"),
        (4, "switch"),
        (5, "sex work and exercises"),
    ]
    # a line never holds back anything of a line above it
    steps = {sid: line.step for line in precedence.PRECEDENCE for sid in line.triggers}
    for line in precedence.PRECEDENCE:
        for held in line.holds_back:
            assert steps.get(held, 99) >= line.step, (line.name, held)


def test_couple_work_is_what_the_rules_mark_as_conjoint() -> None:
    assert set(precedence.CONJOINT) == {rule.id for rule in RULES if rule.conjoint}


def test_nothing_fires_nothing_is_shown() -> None:
    assert precedence.apply([]) == []


# --- line 1: violence and safety review ------------------------------------------------------


def test_violence_holds_back_all_couple_work_and_comes_first() -> None:
    everything = shown(*ALL)
    assert everything[:2] == [precedence.TIMEOUT, precedence.VIOLENCE]
    assert not set(everything) & set(precedence.CONJOINT)
    # what is not couple work stays, in the order of the table
    rest = [sid for sid in ALL if sid not in precedence.CONJOINT and sid not in everything[:2]]
    assert everything[2:] == rest


def test_a_safety_review_holds_back_sex_work_and_normalising_only() -> None:
    fired = ("safety.review", "intake.normalise-first", "eft.indicated", *precedence.SEX_WORK)
    assert shown(*fired) == ["safety.review", "eft.indicated"]
    switch = ("safety.review", "eft.stop.encouragement", "diff.switch.comfort-zone")
    assert shown(*switch) == list(switch)


def test_line_one_on_a_snapshot() -> None:
    data = {
        "partners": {
            "A": {"sexual_satisfaction": 3, "safety": {**SAFE, "fear": "sometimes"}},
            "B": {"sexual_satisfaction": 4, "safety": SAFE},
        },
        "observations": [{"emotional_safety": True, "eft_stage": 2}],
        "track": {"name": "eft", "stage": 2},
    }
    assert RULES_BY_ID["sex.sensate-focus-ready"](parse(data)) is not None
    assert ids(data) == ["safety.timeout-programme", "safety.review"]
    data["partners"]["A"]["safety"]["fear"] = "often"
    assert ids(data) == ["safety.timeout-programme", "eft.contra.violence", "safety.review"]


# --- line 2: contraindications ---------------------------------------------------------------


@pytest.mark.parametrize("contra", precedence.CONTRAINDICATIONS)
def test_a_contraindication_holds_back_starting_switching_returning_and_sex_work(
    contra: str,
) -> None:
    held = (
        "intake.normalise-first",
        "eft.indicated",
        *precedence.SWITCHES,
        "eft.return",
        *precedence.SEX_WORK,
    )
    assert shown(contra, *held) == [contra]
    # stops, referral and the therapist's signals stay
    kept = (contra, "eft.stop.hidden-agenda", "refer.sexologist", "room.level")
    assert shown(*kept) == list(kept)


def test_line_two_on_a_snapshot() -> None:
    # safe at stage 2 with a sexual concern, but the goals diverge: no sensate focus
    data = {
        "partners": {"A": {"sexual_satisfaction": 3, "safety": SAFE}, "B": {"safety": SAFE}},
        "observations": [{"emotional_safety": True, "eft_stage": 2, "goals_diverge": True}],
        "track": {"name": "eft", "stage": 2},
    }
    assert RULES_BY_ID["sex.sensate-focus-ready"](parse(data)) is not None
    assert ids(data) == ["eft.contra.goals"]
    # and on the differentiation track, no return to EFT while a partner has left
    back = {
        "partners": {"A": {"safety": SAFE}, "B": {"safety": SAFE}},
        "observations": [
            {"emotional_safety": True, "comfort_zone_routine": False, "partner_left_by": "A"}
        ],
        "track": {"name": "differentiation"},
    }
    assert RULES_BY_ID["eft.return"](parse(back)) is not None
    assert ids(back) == ["eft.contra.detachment"]


# --- line 3: stop EFT ------------------------------------------------------------------------


@pytest.mark.parametrize("stop", precedence.STOPS)
def test_a_stop_holds_back_starting_returning_and_sex_work_not_switches(stop: str) -> None:
    held = ("intake.normalise-first", "eft.indicated", "eft.return", *precedence.SEX_WORK)
    assert shown(stop, *held) == [stop]
    assert shown(stop, "diff.switch.powerlessness") == [stop, "diff.switch.powerlessness"]


def test_line_three_on_a_snapshot() -> None:
    data = {
        "partners": {"A": {"sexual_satisfaction": 3, "safety": SAFE}, "B": {"safety": SAFE}},
        "observations": [{"emotional_safety": True, "eft_stage": 2, "needs_encouragement": True}],
        "track": {"name": "eft", "stage": 2},
    }
    assert ids(data) == ["eft.stop.encouragement"]
    # stop EFT fires only while EFT is running
    data["track"] = {"name": "differentiation"}
    data["observations"][0].pop("eft_stage")
    assert "eft.stop.encouragement" not in ids(data)


# --- lines 4 and 5: switches, then sex work --------------------------------------------------


def test_switches_and_sex_work_hold_back_nothing() -> None:
    fired = (*precedence.SWITCHES, "eft.return", *precedence.SEX_WORK)
    assert shown(*fired) == [sid for sid in ALL if sid in fired]


def test_switches_fire_only_after_an_eft_start_never_next_to_start_eft() -> None:
    data = {
        "partners": {
            "A": {"love": 8, "motivation": 8, "sexual_self_knowledge": 1, "safety": SAFE},
            "B": {"love": 8, "motivation": 8, "safety": SAFE},
        },
        "observations": [{"comfort_zone_routine": True}],
    }
    assert ids(data) == ["eft.indicated"]
    data["track"] = {"name": "eft", "stage": 1}
    assert ids(data) == ["diff.switch.sexual-self-insight", "diff.switch.comfort-zone"]


# --- conditions --------------------------------------------------------------------------------


def test_start_eft_is_conditional_on_the_missing_screen() -> None:
    out = precedence.apply(made_up("safety.screen-missing", "eft.indicated"))
    start = out[1]
    assert start.id == "eft.indicated"
    assert start.recommendation == precedence.CONDITIONS[0].recommendation
    assert start.recommendation != RULES_BY_ID["eft.indicated"].recommendation
    assert len(start.reasons) == 2  # its own and the missing screen's


# --- properties: the guidance never contradicts itself ----------------------------------------

FREQ = st.sampled_from(["never", "once", "sometimes", "often"])
partner = st.fixed_dictionaries(
    {},
    optional={
        "love": st.integers(0, 10),
        "motivation": st.integers(0, 10),
        "desire": st.integers(0, 10),
        "sexual_satisfaction": st.integers(0, 10),
        "sexual_self_knowledge": st.integers(0, 10),
        "wish_to_continue": st.sampled_from(["yes", "unsure", "leaving"]),
        "safety": st.fixed_dictionaries(
            {},
            optional={
                "physical": FREQ,
                "psychological": FREQ,
                "coercion": FREQ,
                "fear": st.sampled_from(["no", "sometimes", "often"]),
                "joint_sessions": st.sampled_from(["yes", "not-always", "no"]),
            },
        ),
    },
)
FLAG = st.booleans()
note = st.fixed_dictionaries(
    {},
    optional={
        "love_felt": FLAG,
        "hidden_agenda": FLAG,
        "goals_diverge": FLAG,
        "partner_left_by": st.sampled_from(["A", "B", "none"]),
        "destructive_claim_by": st.sampled_from(["A", "none"]),
        "powerlessness": FLAG,
        "needs_encouragement": FLAG,
        "comfort_zone_routine": FLAG,
        "sex_disrupted_by_attachment": FLAG,
        "emotional_safety": FLAG,
        "escalation": FLAG,
        "eft_stage": st.integers(1, 3),
    },
)
snapshot = st.fixed_dictionaries(
    {
        "partners": st.fixed_dictionaries({}, optional={"A": partner, "B": partner}),
        "observations": st.lists(note, max_size=3),
    },
    optional={
        "track": st.sampled_from(
            [{"name": "eft", "stage": 2}, {"name": "differentiation"}, {"name": "safety"}]
        ),
        "cycle_mapped": FLAG,
        "case": st.sampled_from([{"kind": "couple"}, {"kind": "individual"}]),
    },
)
PROPERTY = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY
@given(data=snapshot)
def test_the_guidance_never_contradicts_itself(data: Data) -> None:
    parsed = parse(data)
    fired = set(ids(data))
    any_sign = any(signs(p.safety) for p in parsed.partners.values())
    if any_sign or fired & {*precedence.CONTRAINDICATIONS, *precedence.STOPS}:
        assert not fired & set(precedence.SEX_WORK)
    if fired & {*precedence.CONTRAINDICATIONS, *precedence.STOPS}:
        assert not fired & {"eft.return", "eft.indicated", "intake.normalise-first"}
    if fired & set(precedence.STOPS):
        assert eft_running(parsed)
    if "eft.indicated" in fired:
        assert not fired & {*precedence.SWITCHES, *precedence.STOPS}
    if parsed.individual:
        assert not fired & {*precedence.SEX_WORK, "intake.normalise-first", "eft.indicated"}
