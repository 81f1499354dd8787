"""Safety that adds up (issue 13): any sign asks for a review, small signs add up, a missing
screen is a finding, and sex work waits while there is a sign.

The weights are Dyade's own judgement (``guidance_safety``'s table, documented in
``docs/guidance.md``); they are written out here so that changing one is a
visible decision.
"""

from __future__ import annotations

from typing import Any

import pytest

from dyade.clinic import guidance_safety
from dyade.clinic.guidance import RULES_BY_ID, evaluate, sex_work_blocked
from dyade.clinic.snapshot import Safety, parse

Data = dict[str, Any]
REVIEW = "safety.review"
VIOLENCE = "eft.contra.violence"
TIMEOUT = "safety.timeout-programme"
MISSING = "safety.screen-missing"
ALONE = "safety.individual-sessions"

SAFE = {
    "physical": "never",
    "psychological": "never",
    "coercion": "never",
    "own": "never",
    "fear": "no",
    "joint_sessions": "yes",
}
# Every sign an answer can give, with its weight.
SIGNS = [
    ("physical", "once", 2),
    ("physical", "sometimes", 4),
    ("physical", "often", 4),
    ("own", "once", 2),
    ("own", "sometimes", 4),
    ("own", "often", 4),
    ("psychological", "once", 1),
    ("psychological", "sometimes", 2),
    ("psychological", "often", 4),
    ("coercion", "once", 2),
    ("coercion", "sometimes", 4),
    ("coercion", "often", 4),
    ("fear", "sometimes", 2),
    ("fear", "often", 4),
    ("joint_sessions", "not-always", 1),
    ("joint_sessions", "no", 4),
    ("hits_total", 11, 4),
    ("hits_total", 20, 4),
]
NO_SIGN = [*SAFE.items(), ("hits_total", 4), ("hits_total", 10)]


def screen(slot: str = "A", **answers: Any) -> Data:
    return {"partners": {slot: {"safety": {**SAFE, **answers}}}}


def run(rule: str, data: Data) -> list[tuple[str, Any]] | None:
    signal = RULES_BY_ID[rule](parse(data))
    return None if signal is None else [(r.field, r.value) for r in signal.reasons]


def ids(data: Data) -> list[str]:
    return [signal.id for signal in evaluate(parse(data))]


# --- the weights ----------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value", "weight"), SIGNS)
def test_each_sign_has_its_weight(field: str, value: Any, weight: int) -> None:
    assert guidance_safety.signs(Safety(**{field: value})) == [(field, value, weight)]
    assert guidance_safety.weight(Safety(**{field: value})) == weight


@pytest.mark.parametrize(("field", "value"), NO_SIGN)
def test_a_safe_answer_is_no_sign(field: str, value: Any) -> None:
    assert guidance_safety.signs(Safety(**{field: value})) == []


# --- any sign: a safety review with the answers -----------------------------------------------


@pytest.mark.parametrize("slot", ["A", "B"])
@pytest.mark.parametrize(("field", "value", "weight"), SIGNS)
def test_any_sign_asks_for_a_safety_review(slot: str, field: str, value: Any, weight: int) -> None:
    assert run(REVIEW, screen(slot, **{field: value})) == [
        (f"partners.{slot}.safety.{field}", value),
        (f"partners.{slot}.safety.weight", weight),
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("coercion", "once"),
        ("psychological", "sometimes"),
        ("fear", "sometimes"),
        ("joint_sessions", "not-always"),
        ("hits_total", 11),
        ("physical", "once"),
        ("own", "once"),
    ],
)
def test_the_signs_the_issue_names_each_raise_a_review(field: str, value: Any) -> None:
    assert REVIEW in ids(screen("B", **{field: value}))


def test_a_healthy_screen_raises_nothing_about_safety() -> None:
    data = {"partners": {"A": {"safety": SAFE}, "B": {"safety": {**SAFE, "hits_total": 4}}}}
    assert ids(data) == []


def test_mild_bickering_is_not_violence() -> None:
    # quarrels noted in the diary, no escalation in the room, a safe screen
    data = {
        "partners": {"A": {"safety": SAFE}, "B": {"safety": SAFE}},
        "diary": {"A": {"days": 28, "conflict_days": 6}, "B": {"days": 28, "conflict_days": 5}},
        "observations": [{"escalation": False}],
    }
    fired = ids(data)
    assert not {VIOLENCE, TIMEOUT, REVIEW} & set(fired)


def test_both_screens_are_listed_partner_by_partner() -> None:
    data = {
        "partners": {
            "A": {"safety": {"own": "once", "psychological": "once"}},
            "B": {"safety": {"fear": "sometimes"}},
        }
    }
    assert run(REVIEW, data) == [
        ("partners.A.safety.psychological", "once"),
        ("partners.A.safety.own", "once"),
        ("partners.A.safety.weight", 3),
        ("partners.B.safety.fear", "sometimes"),
        ("partners.B.safety.weight", 2),
    ]


# --- small signs add up --------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        {"physical": "once", "fear": "sometimes"},  # 2 + 2
        {"psychological": "sometimes", "coercion": "once"},  # 2 + 2
        {"own": "once", "physical": "once"},  # 2 + 2
        {"psychological": "once", "joint_sessions": "not-always", "fear": "sometimes"},  # 1+1+2
    ],
)
def test_smaller_signs_that_add_up_to_four_are_violence(answers: Data) -> None:
    reasons = run(VIOLENCE, screen("A", **answers))
    assert reasons is not None
    assert ("partners.A.safety.weight", 4) in reasons
    assert {field for field, _value in reasons} >= {f"partners.A.safety.{k}" for k in answers}
    # and the time-out programme comes first
    assert ids(screen("A", **answers))[:2] == [TIMEOUT, VIOLENCE]


@pytest.mark.parametrize(
    "answers",
    [
        {"physical": "once", "psychological": "once"},  # 3
        {"psychological": "sometimes", "joint_sessions": "not-always"},  # 3
        {"coercion": "once"},  # 2
        {"psychological": "once", "joint_sessions": "not-always"},  # 2
    ],
)
def test_below_four_it_is_a_review_not_a_contraindication(answers: Data) -> None:
    data = screen("A", **answers)
    assert run(VIOLENCE, data) is None
    assert REVIEW in ids(data)


def test_one_serious_answer_carries_the_contraindication_on_its_own() -> None:
    reasons = run(VIOLENCE, screen("B", physical="sometimes", psychological="once"))
    assert reasons == [("partners.B.safety.physical", "sometimes")]  # the rest is in the review


def test_the_two_screens_are_not_added_together() -> None:
    # the same push told from both sides must not count twice
    data = {"partners": {"A": {"safety": {"own": "once"}}, "B": {"safety": {"physical": "once"}}}}
    assert run(VIOLENCE, data) is None
    assert ids(data)[:2] == [TIMEOUT, REVIEW]


# --- a missing screen is a finding ---------------------------------------------------------


def test_a_couple_case_expects_both_screens() -> None:
    data: Data = {"case": {"kind": "couple"}, "partners": {"A": {"safety": SAFE}}}
    assert run(MISSING, data) == [("partners.B.safety.answered", False)]
    data["partners"]["B"] = {"love": 8}  # an intake without its safety part
    assert run(MISSING, data) == [("partners.B.safety.answered", False)]
    data["partners"]["B"]["safety"] = {"hits_total": 6}  # a HITS answered alone counts
    assert run(MISSING, data) is None


def test_an_individual_case_expects_one_screen() -> None:
    assert run(MISSING, {"case": {"kind": "individual"}}) == [("partners.A.safety.answered", False)]
    assert run(MISSING, {"case": {"kind": "individual"}, **screen("A")}) is None


def test_without_the_kind_of_case_the_partners_with_answers_are_expected() -> None:
    assert run(MISSING, {}) is None
    assert run(MISSING, {"observations": [{"hidden_agenda": True}]}) is None
    assert run(MISSING, {"partners": {"A": {"love": 3}}}) == [("partners.A.safety.answered", False)]


def test_start_with_eft_is_conditional_while_a_screen_is_missing() -> None:
    data = {
        "case": {"kind": "couple"},
        "partners": {
            "A": {"love": 8, "motivation": 8, "safety": SAFE},
            "B": {"love": 8, "motivation": 8},
        },
    }
    found = {signal.id: signal for signal in evaluate(parse(data))}
    assert list(found) == [MISSING, "eft.indicated"]
    start = found["eft.indicated"]
    assert "once each partner has answered the safety part alone" in start.recommendation
    assert start.reasons[-1].field == "partners.B.safety.answered"
    data["partners"]["B"]["safety"] = SAFE
    found = {signal.id: signal for signal in evaluate(parse(data))}
    assert list(found) == ["eft.indicated"]
    assert "once each" not in found["eft.indicated"].recommendation


# --- not free to speak: talks alone --------------------------------------------------------


@pytest.mark.parametrize("value", ["not-always", "no"])
def test_not_free_to_speak_suggests_talks_alone(value: str) -> None:
    assert run(ALONE, screen("B", joint_sessions=value)) == [
        ("partners.B.safety.joint_sessions", value)
    ]
    assert ALONE in ids(screen("B", joint_sessions=value))  # violence does not hold it back


def test_free_to_speak_needs_no_talks_alone() -> None:
    assert run(ALONE, screen("A")) is None


# --- sex work waits while there is a sign ---------------------------------------------------

READY: Data = {
    "partners": {
        "A": {"sexual_satisfaction": 3, "safety": SAFE},
        "B": {"sexual_satisfaction": 4, "safety": SAFE},
    },
    "observations": [
        {"emotional_safety": True, "eft_stage": 2, "sex_disrupted_by_attachment": False}
    ],
    "track": {"name": "eft", "stage": 2},
}


def _with(slot: str, **answers: Any) -> Data:
    partners = {**READY["partners"]}
    partners[slot] = {**partners[slot], "safety": {**SAFE, **answers}}
    return {**READY, "partners": partners}


def test_a_safe_couple_at_stage_two_is_ready_and_nothing_is_blocked() -> None:
    assert ids(READY) == ["sex.sensate-focus-ready"]
    assert sex_work_blocked(parse(READY)) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("coercion", "once"),
        ("fear", "sometimes"),
        ("psychological", "once"),
        ("joint_sessions", "not-always"),
    ],
)
def test_a_sign_holds_back_sensate_focus_and_blocks_touch_exercises(field: str, value: str) -> None:
    data = _with("B", **{field: value})
    assert run("sex.sensate-focus-ready", data) is not None  # the rule itself still fires
    assert "sex.sensate-focus-ready" not in ids(data)
    assert REVIEW in ids(data)
    assert [(r.field, r.value) for r in sex_work_blocked(parse(data))] == [
        (f"partners.B.safety.{field}", value)
    ]


def test_sexual_coercion_once_holds_back_the_pause_too() -> None:
    data = _with("A", coercion="once")
    data["observations"] = [{"sex_disrupted_by_attachment": True}]
    assert run("sex.pause-contact", data) is not None
    assert ids(data) == [REVIEW]


def test_the_safety_track_blocks_touch_exercises() -> None:
    data = {**READY, "track": {"name": "safety"}}
    assert [(r.field, r.value) for r in sex_work_blocked(parse(data))] == [("track.name", "safety")]
