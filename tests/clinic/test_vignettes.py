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
from dyade.clinic.formulation import formulation
from dyade.clinic.guidance import RULES, RULES_BY_ID, Signal, evaluate, sex_work_blocked
from dyade.clinic.intake import Position
from dyade.clinic.snapshot import parse
from tests.clinic.vignette_expectations import EXPECTED

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
    assert len(NAMES) >= 25
    assert set(NAMES) >= {
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
    }
    # every vignette has its expectations, and every expectation its vignette
    assert sorted(EXPECTED) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_each_vignette_gets_what_it_must_and_not_what_it_must_not(name: str) -> None:
    expected = EXPECTED[name]
    ids = fired(name)
    assert ids == list(expected.fires)
    assert_silent(ids, *expected.silent)


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
    # the flip of positions in bed is shown with it (seed 002)
    assert why["partners.A.flip"] == "withdraw" and why["partners.B.flip"] == "pursue"
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
    # illness and medication count only where they bear on the sexual problem: hers may
    # (she is unsure), his anxiety disorder is not said to
    assert reasons(found["refer.sexologist"]) == {
        "partners.A.health.illness": "yes",
        "partners.A.health.medication": "yes",
        "partners.A.health.linked_to_sex": "unsure",
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
    # her outburst in the first session: agree a time-out, but EFT is not contraindicated;
    # the psychological violence she reports ("sometimes") asks for a safety review
    assert ids == [TIMEOUT, "safety.review", "eft.indicated"]
    assert reasons(signals("eft-verbal-aggression")[TIMEOUT]) == {"observation.escalation": True}
    assert reasons(signals("eft-verbal-aggression")["safety.review"]) == {
        "partners.A.safety.psychological": "sometimes",
        "partners.A.safety.weight": 2,
    }
    assert_silent(
        ids,
        VIOLENCE,
        "eft.contra.detachment",  # she is unsure, not leaving, and half detached
        "eft.contra.goals",
        "sex.pause-contact",
    )


def test_violence_behind_a_calm_room_trumps_everything() -> None:
    ids = fired("violence-behind-a-calm-room")
    assert ids == [
        TIMEOUT,
        VIOLENCE,
        "safety.review",
        "safety.individual-sessions",  # she cannot always speak freely with him there
        "refer.sexologist",
        "therapist.collusion-risk",
    ]
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
    # every sign of both screens is in the review, with what each screen adds up to
    assert reasons(found["safety.review"]) == {
        "partners.A.safety.own": "once",
        "partners.A.safety.weight": 2,
        "partners.B.safety.physical": "sometimes",
        "partners.B.safety.psychological": "once",
        "partners.B.safety.fear": "often",
        "partners.B.safety.joint_sessions": "not-always",
        "partners.B.safety.hits_total": 14,
        "partners.B.safety.weight": 14,
    }
    assert sex_work_blocked(parse(load("violence-behind-a-calm-room")))


def test_without_her_screen_the_same_case_would_go_to_couple_work() -> None:
    data = load("violence-behind-a-calm-room")
    del data["partners"]["B"]["safety"]
    data["partners"]["A"]["safety"]["own"] = "never"
    found = {signal.id: signal for signal in evaluate(parse(data))}
    assert "eft.indicated" in found and "sex.pause-contact" in found
    assert VIOLENCE not in found and TIMEOUT not in found
    # but her missing screen is a finding, and "start with EFT" waits for it
    assert reasons(found["safety.screen-missing"]) == {"partners.B.safety.answered": False}
    assert "once each partner has answered the safety part alone" in (
        found["eft.indicated"].recommendation
    )


@pytest.mark.parametrize("name", NAMES)
def test_adding_violence_to_any_vignette_withholds_its_couple_work(name: str) -> None:
    data = load(name)
    partners = data.setdefault("partners", {})
    partner = partners.setdefault("A", {})
    partner["safety"] = {**partner.get("safety", {}), "physical": "often"}
    ids = [signal.id for signal in evaluate(parse(data))]
    assert ids[:2] == [TIMEOUT, VIOLENCE]
    assert not set(ids) & CONJOINT


# --- guidance v2: the formulation remembers, safety adds up, signals agree ----------------


def test_a_hidden_agenda_noted_once_is_remembered_until_noted_otherwise() -> None:
    snapshot = parse(load("hidden-agenda-remembered"))
    finding = formulation(snapshot)["hidden_agenda"]
    assert (finding.state, finding.date, finding.index) == ("present", "2016-02-22", 1)
    assert formulation(snapshot)["goals_diverge"].present
    data = load("hidden-agenda-remembered")
    data["observations"].append({"date": "2016-04-04", "hidden_agenda": False})
    ids = [signal.id for signal in evaluate(parse(data))]
    assert "eft.stop.hidden-agenda" not in ids
    assert "eft.contra.goals" in ids  # the goals were not noted otherwise


def test_a_partner_the_therapist_sees_leaving_holds_back_sensate_focus() -> None:
    snapshot = parse(load("partner-left-in-the-room"))
    assert RULES_BY_ID["sex.sensate-focus-ready"](snapshot) is not None  # the rule alone fires
    found = signals("partner-left-in-the-room")
    assert reasons(found["eft.contra.detachment"]) == {"observation.partner_left_by": "B"}
    left = formulation(snapshot)["partner_left"]
    assert (left.value, left.date, left.since) == ("B", "2023-04-24", "2023-04-24")


def test_a_claim_the_other_goes_along_with_is_named() -> None:
    found = signals("destructive-claim-complied")
    assert reasons(found["eft.stop.destructive-claim"]) == {
        "observation.destructive_claim_by": "A",
        "observation.claim_complied": True,
    }
    data = load("destructive-claim-complied")
    data["observations"].append({"date": "2022-11-07", "destructive_claim_by": "none"})
    snapshot = parse(data)
    assert formulation(snapshot)["destructive_claim"].gone
    assert formulation(snapshot)["claim_complied"].state == "unknown"  # no claim to go along with
    assert "eft.stop.destructive-claim" not in [s.id for s in evaluate(snapshot)]


def test_pressed_into_sex_once_blocks_sex_work_but_is_no_contraindication() -> None:
    snapshot = parse(load("demanding-husband"))
    assert RULES_BY_ID["sex.pause-contact"](snapshot) is not None  # held back, not silent
    assert [(r.field, r.value) for r in sex_work_blocked(snapshot)] == [
        ("partners.B.safety.coercion", "once")
    ]


def test_small_signs_that_add_up_carry_their_sum() -> None:
    found = signals("small-signs-add-up")
    assert reasons(found[VIOLENCE]) == {
        "partners.A.safety.physical": "once",
        "partners.A.safety.fear": "sometimes",
        "partners.A.safety.weight": 4,
    }
    data = load("small-signs-add-up")
    data["partners"]["A"]["safety"]["fear"] = "no"
    ids = [signal.id for signal in evaluate(parse(data))]
    assert VIOLENCE not in ids  # pushed once alone: a time-out and a review
    assert ids[:2] == [TIMEOUT, "safety.review"]


def test_not_free_to_speak_suggests_talks_alone() -> None:
    found = signals("not-free-to-speak")
    assert reasons(found["safety.individual-sessions"]) == {
        "partners.B.safety.joint_sessions": "not-always"
    }
    snapshot = parse(load("not-free-to-speak"))
    assert RULES_BY_ID["sex.sensate-focus-ready"](snapshot) is not None  # held back by review
    assert sex_work_blocked(snapshot)


def test_a_missing_safety_part_makes_start_with_eft_conditional() -> None:
    found = signals("intake-safety-unanswered")
    start = found["eft.indicated"]
    assert "once each partner has answered the safety part alone" in start.recommendation
    assert reasons(start)["partners.B.safety.answered"] is False
    data = load("intake-safety-unanswered")
    data["partners"]["B"]["safety"] = {"physical": "never", "fear": "no"}
    found = {signal.id: signal for signal in evaluate(parse(data))}
    assert "safety.screen-missing" not in found
    assert found["eft.indicated"].recommendation == RULES_BY_ID["eft.indicated"].recommendation


def test_the_return_is_tied_to_what_the_case_switched_for() -> None:
    found = signals("lat-return-tied-to-the-switch")
    assert reasons(found["eft.return"]) == {
        "track.name": "differentiation",
        "track.switched_for": ["diff.switch.approval-dependence"],
        "observation.emotional_safety": True,
        "observation.approval_dependence": False,
    }
    data = load("lat-return-tied-to-the-switch")
    data["observations"].append(
        {"date": "2016-04-11", "emotional_safety": True, "approval_dependence": True}
    )
    assert "eft.return" not in [signal.id for signal in evaluate(parse(data))]


def test_the_return_after_self_insight_needs_it_above_the_threshold() -> None:
    found = signals("self-insight-grown")
    assert reasons(found["eft.return"])["partners.A.sexual_self_knowledge"] == 6
    data = load("self-insight-grown")
    data["partners"]["A"]["sexual_self_knowledge"] = 3
    assert "eft.return" not in [signal.id for signal in evaluate(parse(data))]


def test_the_comfort_zone_case_returns_once_the_comfort_zone_is_noted_gone() -> None:
    data = load("comfort-zone-not-gone")
    data["observations"].append(
        {"date": "2019-09-03", "emotional_safety": True, "comfort_zone_routine": False}
    )
    found = {signal.id: signal for signal in evaluate(parse(data))}
    assert reasons(found["eft.return"])["observation.comfort_zone_routine"] is False


def test_an_individual_case_gets_no_couple_exercises() -> None:
    snapshot = parse(load("individual-relationship-therapy"))
    for rule in ("sex.pause-contact", "sex.sensate-focus-ready", "intake.normalise-first"):
        assert RULES_BY_ID[rule](snapshot) is None, rule
    data = load("individual-relationship-therapy")
    data["case"] = {"kind": "couple"}
    data["track"] = {"name": "eft", "stage": 2}
    data["partners"]["B"] = {"safety": {"physical": "never"}}
    assert "sex.pause-contact" in [signal.id for signal in evaluate(parse(data))]


def test_mild_bickering_is_an_ordinary_difference_to_normalise() -> None:
    found = signals("mild-bickering")
    assert reasons(found["intake.normalise-first"]) == {
        "partners.desire_gap": 4,
        "partners.A.safety.answered": True,
        "partners.B.safety.answered": True,
    }
    data = load("mild-bickering")
    data["partners"]["A"]["attachment_anxiety"] = 5.2  # more than an ordinary difference
    assert "intake.normalise-first" not in [signal.id for signal in evaluate(parse(data))]
