"""The seeds' own cases as snapshots: what the guidance should say about each, and what not.

Each file in ``vignettes/`` is a case from the seed texts (and one of our own)
written as a snapshot in the documented JSON form, with a ``comment`` that
retells the case. The files hold only what is known about the case; what the
guidance should make of it is written here, from the clinical rules in
``domain.md`` and the seeds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dyade.clinic.cycle import prefill
from dyade.clinic.guidance import RULES, RULES_BY_ID, Signal, evaluate
from dyade.clinic.intake import Position
from dyade.clinic.snapshot import parse

VIGNETTES = Path(__file__).parent / "vignettes"
NAMES = sorted(path.stem for path in VIGNETTES.glob("*.json"))

TIMEOUT = "safety.timeout-programme"
VIOLENCE = "eft.contra.violence"
CONJOINT = {rule.id for rule in RULES if rule.conjoint}


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VIGNETTES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def signals(name: str) -> dict[str, Signal]:
    return {signal.id: signal for signal in evaluate(parse(load(name)))}


def fired(name: str) -> list[str]:
    return [signal.id for signal in evaluate(parse(load(name)))]


def reasons(signal: Signal) -> dict[str, Any]:
    return {reason.field: reason.value for reason in signal.reasons}


def assert_silent(ids: list[str], *rule_ids: str) -> None:
    for rule_id in rule_ids:
        assert rule_id in RULES_BY_ID, rule_id  # a typing error must not pass as "silent"
        assert rule_id not in ids, f"{rule_id} should not fire"


def test_the_vignettes_are_all_there() -> None:
    assert NAMES == [
        "avoidant-therapist",
        "best-buddies",
        "eft-verbal-aggression",
        "hidden-agenda",
        "janine-mathijs-intake",
        "janine-mathijs-stage-2",
        "lat-approval",
        "lat-more-independent",
        "psychiatric-hospital",
        "seven-year-routine",
        "violence-behind-a-calm-room",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_every_vignette_is_a_valid_snapshot_with_a_comment(name: str) -> None:
    data = load(name)
    assert isinstance(data["comment"], str) and len(data["comment"]) > 80
    parse(data)


# --- Janine and Mathijs (seed 002) --------------------------------------------------------


def test_janine_and_mathijs_at_intake_start_with_eft() -> None:
    ids = fired("janine-mathijs-intake")
    assert ids == ["eft.indicated"]
    assert reasons(signals("janine-mathijs-intake")["eft.indicated"]) == {
        "observation.love_felt": True,
        "observation.motivation_a": 8,
        "observation.motivation_b": 7,
    }
    # a safe couple, nobody leaving, nothing to refer, and too early to talk about sex
    assert_silent(
        ids,
        VIOLENCE,
        TIMEOUT,
        "eft.contra.detachment",
        "eft.contra.goals",
        "refer.sexologist",
        "sex.sensate-focus-ready",
        "sex.pause-contact",
    )


def test_janine_and_mathijs_flip_around_sex() -> None:
    snapshot = parse(load("janine-mathijs-intake"))
    janine, mathijs = snapshot.partner("A"), snapshot.partner("B")
    assert (janine.daily_position, janine.sexual_position) == ("pursue", "withdraw")
    assert (mathijs.daily_position, mathijs.sexual_position) == ("withdraw", "pursue")
    # the same answers in the intake's own codes give the same flip on the cycle map
    intakes = {
        "A": {"conflict.position": "pursue", "sex.position": "avoid"},
        "B": {"conflict.position": "withdraw", "sex.position": "initiate"},
    }
    cycle = prefill(intakes, ("A", "B"))
    assert cycle.flips() == ["A", "B"]
    assert cycle.side("B", "sex").position is Position.PURSUE


def test_janine_and_mathijs_in_stage_two_are_ready_to_talk_about_sex() -> None:
    ids = fired("janine-mathijs-stage-2")
    assert ids == ["sex.sensate-focus-ready"]
    why = reasons(signals("janine-mathijs-stage-2")["sex.sensate-focus-ready"])
    assert why["observation.emotional_safety"] is True
    assert why["eft_stage"] == 2
    assert why["partners.desire_gap"] == 5  # her desire 3, his 8
    assert why["partners.A.sexual_satisfaction"] == 4
    assert_silent(
        ids,
        VIOLENCE,
        TIMEOUT,
        "eft.indicated",  # EFT is already the track
        "eft.stop.hidden-agenda",
        "sex.pause-contact",
        "diff.switch.powerlessness",
        "diff.switch.sexual-self-insight",
        "refer.sexologist",
    )


def test_janine_and_mathijs_in_stage_one_are_not_ready_yet() -> None:
    data = load("janine-mathijs-stage-2")
    data["observations"] = data["observations"][:2]  # up to the de-escalation session
    data["track"] = {"name": "eft", "stage": 1}
    ids = [signal.id for signal in evaluate(parse(data))]
    assert "sex.sensate-focus-ready" not in ids
    # the escalation in that session asks for a time-out agreement, not a contraindication
    assert ids == [TIMEOUT]


# --- the hidden agenda (seed 001) ---------------------------------------------------------


def test_a_husband_who_parks_his_wife_stops_eft() -> None:
    ids = fired("hidden-agenda")
    assert ids == ["eft.contra.goals", "eft.stop.hidden-agenda"]
    found = signals("hidden-agenda")
    assert reasons(found["eft.stop.hidden-agenda"]) == {"observation.hidden_agenda": True}
    assert reasons(found["eft.contra.goals"]) == {"observation.goals_diverge": True}
    # his intake did not show that he had left: the hidden agenda is found in the room
    assert_silent(
        ids,
        "eft.contra.detachment",
        VIOLENCE,
        TIMEOUT,
        "eft.indicated",
        "eft.stop.encouragement",
        "diff.switch.approval-dependence",
    )


# --- the LAT couple (seed 001) ------------------------------------------------------------


def test_the_lat_couple_switches_to_differentiation() -> None:
    ids = fired("lat-approval")
    assert ids == ["diff.switch.approval-dependence"]
    assert reasons(signals("lat-approval")["diff.switch.approval-dependence"]) == {
        "observation.connection_not_in_daily_life": True,
        "observation.approval_dependence": True,
    }
    assert_silent(
        ids,
        "eft.return",
        "diff.switch.comfort-zone",  # they live in the conflict zone, not the comfort zone
        "diff.switch.powerlessness",
        "eft.stop.hidden-agenda",
        "sex.sensate-focus-ready",  # nothing about their sex life is known
        VIOLENCE,
    )


def test_the_lat_couple_would_switch_on_their_balance_scores_alone() -> None:
    data = load("lat-approval")
    del data["observations"][-1]["approval_dependence"]
    signal = RULES_BY_ID["diff.switch.approval-dependence"](parse(data))
    assert signal is not None
    assert reasons(signal) == {
        "observation.connection_not_in_daily_life": True,
        "partners.A.balance.self": 3,
        "partners.B.balance.self": 3,
    }


def test_the_lat_couple_returns_to_eft_once_more_independent() -> None:
    ids = fired("lat-more-independent")
    assert ids == ["eft.return"]
    assert reasons(signals("lat-more-independent")["eft.return"]) == {
        "track.name": "differentiation",
        "observation.emotional_safety": True,
        "observation.connection_not_in_daily_life": False,
        "observation.approval_dependence": False,
    }
    assert_silent(
        ids,
        "diff.switch.approval-dependence",
        "eft.indicated",
        "eft.stop.hidden-agenda",
        "therapist.collusion-risk",
    )


def test_the_lat_couple_does_not_return_while_they_still_hang_on_approval() -> None:
    data = load("lat-more-independent")
    data["observations"][-1]["approval_dependence"] = True
    assert "eft.return" not in [signal.id for signal in evaluate(parse(data))]


# --- avoidant rooms (seeds 000 and 001) ---------------------------------------------------


def test_the_best_mates_couple_and_an_avoidant_therapist() -> None:
    ids = fired("best-buddies")
    assert ids == ["therapist.collusion-risk"]
    assert reasons(signals("best-buddies")["therapist.collusion-risk"]) == {
        "observation.painful_subject_avoided": True,
        "therapist.attachment_avoidance": 4.7,
        "partners.A.attachment_avoidance": 5.3,
    }
    # her aversion never reached the intake or the room: nothing says she had left
    assert_silent(ids, "eft.contra.detachment", "eft.contra.goals", VIOLENCE, "eft.indicated")


def test_an_avoidant_therapist_with_an_avoidant_couple() -> None:
    ids = fired("avoidant-therapist")
    assert ids == ["therapist.collusion-risk"]
    assert reasons(signals("avoidant-therapist")["therapist.collusion-risk"]) == {
        "observation.painful_subject_avoided": True,
        "therapist.attachment_avoidance": 4.5,
        "partners.A.attachment_avoidance": 4.8,
        "partners.B.attachment_avoidance": 4.4,
    }
    assert_silent(ids, "eft.contra.goals", "eft.contra.detachment", VIOLENCE, "room.level")


def test_once_the_affair_is_named_the_profiles_still_call_for_supervision() -> None:
    data = load("avoidant-therapist")
    data["observations"].append({"date": "2015-05-04", "painful_subject_avoided": False})
    signal = RULES_BY_ID["therapist.collusion-risk"](parse(data))
    assert signal is not None
    assert "observation.painful_subject_avoided" not in reasons(signal)
    assert reasons(signal)["therapist.attachment_avoidance"] == 4.5


def test_a_secure_therapist_with_the_same_room_gets_only_the_room_signal() -> None:
    data = load("avoidant-therapist")
    data["therapist"] = {"attachment_anxiety": 2.0, "attachment_avoidance": 2.0}
    signal = RULES_BY_ID["therapist.collusion-risk"](parse(data))
    assert signal is not None
    assert reasons(signal) == {"observation.painful_subject_avoided": True}


# --- comfort zones (seed 000) -------------------------------------------------------------


def test_seven_years_and_a_predictable_script() -> None:
    ids = fired("seven-year-routine")
    assert ids == ["diff.switch.comfort-zone"]
    assert reasons(signals("seven-year-routine")["diff.switch.comfort-zone"]) == {
        "observation.comfort_zone_routine": True,
        "diary.A.conflict_days": 0,
        "diary.B.conflict_days": 0,
    }
    assert_silent(
        ids,
        "sex.pause-contact",  # there is no shortage of sex and no disruption
        "diff.switch.approval-dependence",
        "diff.switch.powerlessness",
        "eft.contra.detachment",
        "refer.sexologist",
        VIOLENCE,
    )


def test_the_couple_from_the_hospital() -> None:
    ids = fired("psychiatric-hospital")
    assert ids == [
        "diff.switch.sexual-self-insight",
        "diff.switch.comfort-zone",
        "refer.sexologist",
    ]
    found = signals("psychiatric-hospital")
    assert reasons(found["diff.switch.sexual-self-insight"]) == {
        "partners.A.sexual_self_knowledge": 2
    }
    assert reasons(found["refer.sexologist"]) == {
        "partners.A.health.illness": "yes",
        "partners.A.health.medication": "yes",
        "partners.B.health.illness": "yes",
    }
    assert_silent(
        ids,
        VIOLENCE,
        TIMEOUT,
        "eft.contra.detachment",
        "sex.pause-contact",
        "diff.switch.approval-dependence",
        "eft.return",
    )


# --- verbal aggression and violence -------------------------------------------------------


def test_verbal_aggression_with_love_and_will_still_starts_with_eft() -> None:
    ids = fired("eft-verbal-aggression")
    # her outburst in the first session: agree a time-out, but EFT is not contraindicated
    assert ids == [TIMEOUT, "eft.indicated"]
    assert reasons(signals("eft-verbal-aggression")[TIMEOUT]) == {"observation.escalation": True}
    assert_silent(
        ids,
        VIOLENCE,
        "eft.contra.detachment",  # she is unsure, not leaving, and half detached
        "eft.contra.goals",
        "sex.pause-contact",
    )


def test_violence_behind_a_calm_room_trumps_everything() -> None:
    ids = fired("violence-behind-a-calm-room")
    assert ids == [TIMEOUT, VIOLENCE, "refer.sexologist", "therapist.collusion-risk"]
    found = signals("violence-behind-a-calm-room")
    assert reasons(found[VIOLENCE]) == {
        "partners.B.safety.physical": "sometimes",
        "partners.B.safety.fear": "often",
        "partners.B.safety.hits_total": 14,
    }
    assert reasons(found[TIMEOUT]) == {
        "partners.B.safety.physical": "sometimes",
        "partners.B.safety.fear": "often",
        "partners.B.safety.hits_total": 14,
        "partners.A.safety.own": "once",
    }
    assert not set(ids) & CONJOINT
    assert_silent(ids, "eft.indicated", "sex.pause-contact", "sex.sensate-focus-ready")


def test_without_her_screen_the_same_case_would_go_to_couple_work() -> None:
    data = load("violence-behind-a-calm-room")
    del data["partners"]["B"]["safety"]
    data["partners"]["A"]["safety"]["own"] = "never"
    ids = [signal.id for signal in evaluate(parse(data))]
    assert "eft.indicated" in ids and "sex.pause-contact" in ids
    assert VIOLENCE not in ids and TIMEOUT not in ids


@pytest.mark.parametrize("name", NAMES)
def test_adding_violence_to_any_vignette_withholds_its_couple_work(name: str) -> None:
    data = load(name)
    partners = data.setdefault("partners", {})
    partner = partners.setdefault("A", {})
    partner["safety"] = {**partner.get("safety", {}), "physical": "often"}
    ids = [signal.id for signal in evaluate(parse(data))]
    assert ids[:2] == [TIMEOUT, VIOLENCE]
    assert not set(ids) & CONJOINT
