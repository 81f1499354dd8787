"""``score_instrument`` against the published keys (Fraley et al. 2000, 2011; Sherin et al. 1998).

The keys are written out here again, from the papers as quoted in issue 3, so
that a slip in an instrument file fails a test instead of being copied into it.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyade.clinic.scoring import flags
from dyade.content import instrument, score_instrument

# Fraley, Waller & Brennan (2000): 36 items, 1-7, anxiety 1-18, avoidance 19-36.
ECR_R_ANXIETY = range(1, 19)
ECR_R_AVOIDANCE = range(19, 37)
ECR_R_REVERSED = {9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36}
# Fraley, Heffernan, Vicary & Brumbaugh (2011), partner target: 9 items, 1-7.
ECR_RS_AVOIDANCE = range(1, 7)
ECR_RS_ANXIETY = range(7, 10)
ECR_RS_REVERSED = {1, 2, 3, 4}


def _all(n: int, value: int) -> dict[int, int | None]:
    return {number: value for number in range(1, n + 1)}


def test_ecr_r_all_neutral_is_four_on_both() -> None:
    assert score_instrument("ecr-r", _all(36, 4)) == {"anxiety": 4.0, "avoidance": 4.0}


@pytest.mark.parametrize("number", list(range(1, 37)))
def test_ecr_r_each_item_moves_its_own_subscale_in_its_keyed_direction(number: int) -> None:
    answers = _all(36, 4)
    answers[number] = 7
    scores = score_instrument("ecr-r", answers)
    own, other = ("anxiety", "avoidance") if number in ECR_R_ANXIETY else ("avoidance", "anxiety")
    step = -3 if number in ECR_R_REVERSED else 3
    assert scores[own] == pytest.approx(4 + step / 18)
    assert scores[other] == 4.0


def test_ecr_r_hand_worked_example() -> None:
    # Anxiety: items 1-8 and 10, 12-18 answered 6 (16 items), 9 and 11 answered 2
    # -> reversed to 6, so the mean is 6. Avoidance: every item answered 1 ->
    # the 6 forward items count 1, the 12 reversed items count 7: (6 + 84) / 18 = 5.
    answers = {number: 6 for number in ECR_R_ANXIETY}
    answers[9] = answers[11] = 2
    answers.update({number: 1 for number in ECR_R_AVOIDANCE})
    assert score_instrument("ecr-r", answers) == {"anxiety": 6.0, "avoidance": 5.0}


def test_ecr_r_mean_is_over_answered_items_when_few_are_missing() -> None:
    answers: dict[int, int | None] = _all(36, 4)
    answers.update({1: None, 2: None, 3: 7})  # 2 of 18 missing (11 %)
    scores = score_instrument("ecr-r", answers)
    assert scores["anxiety"] == pytest.approx((15 * 4 + 7) / 16)


def test_ecr_r_three_missing_is_scored_four_missing_is_not() -> None:
    answers: dict[int, int | None] = _all(36, 5)
    for number in (19, 20, 21):  # 3/18 = 16.7 % missing
        answers[number] = None
    assert score_instrument("ecr-r", answers)["avoidance"] is not None
    answers[23] = None  # 4/18 = 22.2 % > 20 %
    assert score_instrument("ecr-r", answers)["avoidance"] is None
    assert score_instrument("ecr-r", answers)["anxiety"] is not None


def test_omitted_items_count_as_missing() -> None:
    answers = {number: 4 for number in ECR_R_ANXIETY}
    assert score_instrument("ecr-r", answers) == {"anxiety": 4.0, "avoidance": None}
    assert score_instrument("ecr-r", {}) == {"anxiety": None, "avoidance": None}


@pytest.mark.parametrize("number", list(range(1, 10)))
def test_ecr_rs_partner_key(number: int) -> None:
    answers = _all(9, 4)
    answers[number] = 1
    scores = score_instrument("ecr-rs-partner", answers)
    if number in ECR_RS_AVOIDANCE:
        own, other, size = "avoidance", "anxiety", 6
    else:
        own, other, size = "anxiety", "avoidance", 3
    step = 3 if number in ECR_RS_REVERSED else -3
    assert scores[own] == pytest.approx(4 + step / size)
    assert scores[other] == 4.0


def test_ecr_rs_partner_missing_rule() -> None:
    answers: dict[int, int | None] = _all(9, 2)
    answers[5] = None  # 1/6 avoidance items missing: 16.7 %, still scored
    scores = score_instrument("ecr-rs-partner", answers)
    assert scores["avoidance"] == pytest.approx((4 * 6 + 2) / 5)
    answers[6] = None  # 2/6 = 33 %
    assert score_instrument("ecr-rs-partner", answers)["avoidance"] is None
    answers = _all(9, 2)
    answers[9] = None  # 1 of 3 anxiety items = 33 %
    assert score_instrument("ecr-rs-partner", answers)["anxiety"] is None


def test_hits_total_is_a_sum_from_4_to_20() -> None:
    assert score_instrument("hits", _all(4, 1)) == {"total": 4.0}
    assert score_instrument("hits", _all(4, 5)) == {"total": 20.0}
    assert score_instrument("hits", {1: 2, 2: 3, 3: 1, 4: 4}) == {"total": 10.0}


def test_hits_needs_all_four_answers() -> None:
    assert score_instrument("hits", {1: 5, 2: 5, 3: 5, 4: None}) == {"total": None}
    assert score_instrument("hits", {1: 5, 2: 5, 3: 5}) == {"total": None}


def test_hits_is_positive_above_ten_not_at_ten() -> None:
    key = instrument("hits")
    assert flags(key, {"total": 10.0}) == []
    assert flags(key, {"total": 11.0}) == ["positive"]
    assert flags(key, {"total": None}) == []


@pytest.mark.parametrize(
    ("instrument_id", "answers", "message"),
    [
        ("ecr-r", {0: 4}, "no item 0"),
        ("ecr-r", {37: 4}, "no item 37"),
        ("ecr-r", {"1": 4}, "no item '1'"),
        ("ecr-r", {1: 0}, "outside 1 to 7"),
        ("ecr-r", {1: 8}, "outside 1 to 7"),
        ("ecr-r", {1: 3.5}, "whole number"),
        ("ecr-r", {1: True}, "whole number"),
        ("ecr-rs-partner", {10: 4}, "no item 10"),
        ("hits", {1: 6}, "outside 1 to 5"),
        ("hits", {5: 1}, "no item 5"),
        ("no-such-scale", {1: 1}, "unknown instrument"),
        ("dyade-intake", {}, "not a scored instrument"),
    ],
)
def test_invalid_input_raises_a_clear_error(
    instrument_id: str, answers: dict[object, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        score_instrument(instrument_id, answers)  # type: ignore[arg-type]


@given(st.dictionaries(st.integers(1, 36), st.one_of(st.none(), st.integers(1, 7))))
def test_ecr_r_scores_stay_on_the_response_scale(answers: dict[int, int | None]) -> None:
    for score in score_instrument("ecr-r", answers).values():
        assert score is None or 1 <= score <= 7


def test_keys_carry_source_and_licence() -> None:
    for instrument_id in ("ecr-r", "ecr-rs-partner", "hits"):
        key = instrument(instrument_id)
        assert key.key_only
        assert key.source and key.licence
        assert all(not item.texts for item in key.questions), "no licensed item text ships"
    assert instrument("hits").visibility == "clinical"
