"""The cycle map: positions from the intake, the flip of seed 002, and its stored JSON form."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dyade.clinic.cycle import (
    DOMAINS,
    LAYERS,
    MAX_TEXT,
    CycleError,
    CycleMap,
    PartnerCycle,
    Side,
    parse,
    prefill,
    with_side,
)
from dyade.clinic.intake import Position

# Janine and Mathijs (seed 002) as each would answer the intake: in daily life
# she pursues and he withdraws; around sex he takes the initiative and she holds off.
JANINE = {"conflict.position": "pursue", "sex.position": "avoid"}
MATHIJS = {"conflict.position": "withdraw", "sex.position": "initiate"}


def janine_and_mathijs() -> CycleMap:
    """Their map as a therapist fills it in, in our words, after the children's-coats quarrel."""
    cycle = prefill({"A": JANINE, "B": MATHIJS}, ("A", "B"))
    cycle = with_side(
        cycle,
        "A",
        "daily",
        Side(
            position=Position.PURSUE,
            behaviour="Criticises, raises her voice about the coats",
            perceived_as="He hears that he fails again",
            secondary_emotion="Anger",
            primary_emotion="Loneliness, fear of not mattering",
            need="To be seen and heard by him",
        ),
    )
    return with_side(
        cycle,
        "B",
        "sex",
        Side(
            position=Position.PURSUE,
            behaviour="Reaches for her in bed after a quiet evening",
            perceived_as="She feels used for his pleasure",
            secondary_emotion="Frustration",
            primary_emotion="Fear of failing her",
            need="To feel close and a good lover to her",
        ),
    )


# --- the flip -----------------------------------------------------------------------------


def test_janine_and_mathijs_both_flip_around_sex() -> None:
    cycle = prefill({"A": JANINE, "B": MATHIJS}, ("A", "B"))
    assert cycle.side("A", "daily").position is Position.PURSUE
    assert cycle.side("A", "sex").position is Position.WITHDRAW
    assert cycle.side("B", "daily").position is Position.WITHDRAW
    assert cycle.side("B", "sex").position is Position.PURSUE
    assert cycle.flips() == ["A", "B"]
    assert cycle.partners["A"].flips and cycle.partners["B"].flips


def test_the_same_position_in_both_domains_is_no_flip() -> None:
    cycle = prefill(
        {
            "A": {"conflict.position": "pursue", "sex.position": "initiate"},
            "B": {"conflict.position": "withdraw", "sex.position": "avoid"},
        },
        ("A", "B"),
    )
    assert cycle.flips() == []


@pytest.mark.parametrize(
    ("daily", "sex"),
    [
        (Position.PURSUE, None),
        (None, Position.WITHDRAW),
        (Position.MIXED, Position.WITHDRAW),
        (Position.PURSUE, Position.NONE),
        (None, None),
    ],
)
def test_a_flip_needs_pursue_against_withdraw(daily: Position | None, sex: Position | None) -> None:
    partner = PartnerCycle(daily=Side(position=daily), sex=Side(position=sex))
    assert not partner.flips


def test_flips_are_listed_in_slot_order_whatever_the_insertion_order() -> None:
    flipped = PartnerCycle(
        daily=Side(position=Position.WITHDRAW), sex=Side(position=Position.PURSUE)
    )
    cycle = CycleMap({"B": flipped, "A": flipped})
    assert cycle.flips() == ["A", "B"]


# --- prefill from the intake --------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("pursue", Position.PURSUE),
        ("withdraw", Position.WITHDRAW),
        ("both", None),
        ("neither", None),
    ],
)
def test_prefill_reads_the_daily_position(code: str, expected: Position | None) -> None:
    cycle = prefill({"A": {"conflict.position": code}}, ("A", "B"))
    assert cycle.side("A", "daily").position == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("initiate", Position.PURSUE),
        ("avoid", Position.WITHDRAW),
        ("both", None),
        ("neither", None),
    ],
)
def test_prefill_reads_the_position_around_sex(code: str, expected: Position | None) -> None:
    cycle = prefill({"B": {"sex.position": code}}, ("A", "B"))
    assert cycle.side("B", "sex").position == expected


def test_prefill_leaves_the_layers_to_the_session() -> None:
    answers = {**JANINE, "conflict.pattern": "We fight about the coats", "story.hopes": "calm"}
    cycle = prefill({"A": answers, "B": MATHIJS}, ("A", "B"))
    for slot in ("A", "B"):
        for domain in DOMAINS:
            side = cycle.side(slot, domain)
            assert all(getattr(side, layer) == "" for layer in LAYERS)


def test_prefill_uses_only_what_each_partner_said_about_themself() -> None:
    # A says what B does; B sent no intake: B's positions stay open
    cycle = prefill({"A": {"conflict.partner-position": "withdraw"}}, ("A", "B"))
    assert cycle.side("A", "daily").position is None
    assert cycle.side("B", "daily").position is None
    assert cycle.is_empty
    assert set(cycle.partners) == {"A", "B"}


def test_prefill_only_for_the_slots_of_the_case() -> None:
    cycle = prefill({"A": JANINE, "B": MATHIJS}, ("A",))
    assert set(cycle.partners) == {"A"}
    assert cycle.flips() == ["A"]


def test_prefill_with_no_answers_at_all_is_an_empty_map() -> None:
    assert prefill({}, ("A", "B")).is_empty
    assert prefill({"A": {}, "B": {}}, ("A", "B")).as_json() == {
        slot: {domain: {"position": None, **dict.fromkeys(LAYERS, "")} for domain in DOMAINS}
        for slot in ("A", "B")
    }


# --- the JSON form ------------------------------------------------------------------------


def test_a_map_survives_the_round_trip_through_json() -> None:
    cycle = janine_and_mathijs()
    stored = json.loads(json.dumps(cycle.as_json()))
    assert stored["A"]["daily"]["position"] == "pursue"
    assert stored["B"]["sex"]["need"] == "To feel close and a good lover to her"
    assert parse(stored) == cycle
    assert parse(stored).flips() == ["A", "B"]
    assert parse(stored).as_json() == stored


def test_mixed_and_none_may_be_set_by_hand_and_survive_the_round_trip() -> None:
    cycle = with_side(
        prefill({}, ("A", "B")), "A", "daily", Side(position=Position.MIXED, behaviour="x")
    )
    cycle = with_side(cycle, "B", "sex", Side(position=Position.NONE))
    assert parse(cycle.as_json()) == cycle


def test_parse_fills_in_what_is_left_out() -> None:
    cycle = parse({"A": {"daily": {"position": "pursue"}}})
    assert cycle.side("A", "daily") == Side(position=Position.PURSUE)
    assert cycle.side("A", "sex") == Side()
    assert cycle.side("B", "daily") == Side()
    assert parse({}) == prefill({}, ("A", "B"))
    assert parse({"A": None, "B": {"daily": None, "sex": {"position": ""}}}) == parse({})


def test_parse_reads_a_one_partner_case_with_its_own_slots() -> None:
    cycle = parse({"A": {"sex": {"position": "withdraw"}}}, slots=("A",))
    assert set(cycle.partners) == {"A"}
    with pytest.raises(CycleError, match="B"):
        parse({"B": {}}, slots=("A",))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([], "cycle map"),
        ("A", "cycle map"),
        ({"C": {}}, "C"),
        ({"A": []}, "A"),
        ({"A": "pursue"}, "A"),
        ({"A": {"work": {}}}, "A"),
        ({"A": {"daily": []}}, "A.daily"),
        ({"A": {"daily": "pursue"}}, "A.daily"),
        ({"A": {"daily": {"feeling": "sad"}}}, "feeling"),
        ({"B": {"sex": {"position": "initiate"}}}, "B.sex.position"),
        ({"B": {"sex": {"position": "PURSUE"}}}, "B.sex.position"),
        ({"B": {"sex": {"position": 1}}}, "B.sex.position"),
        ({"B": {"sex": {"position": ["pursue"]}}}, "B.sex.position"),
        ({"A": {"daily": {"behaviour": 5}}}, "A.daily.behaviour"),
        ({"A": {"daily": {"behaviour": 0}}}, "A.daily.behaviour"),
        ({"A": {"daily": {"need": False}}}, "A.daily.need"),
        ({"A": {"daily": {"need": []}}}, "A.daily.need"),
        ({"A": {"sex": {"primary_emotion": ["fear"]}}}, "A.sex.primary_emotion"),
    ],
)
def test_parse_refuses_and_names_the_field(data: Any, field: str) -> None:
    with pytest.raises(CycleError) as caught:
        parse(data)
    assert field in str(caught.value)


def test_a_cycle_error_is_a_value_error() -> None:
    assert issubclass(CycleError, ValueError)


# --- text: whitespace and length ----------------------------------------------------------


def test_whitespace_is_squeezed_to_single_spaces() -> None:
    cycle = parse({"A": {"daily": {"behaviour": "  she   criticises\n\tabout the\r\ncoats  "}}})
    assert cycle.side("A", "daily").behaviour == "she criticises about the coats"
    assert parse({"A": {"daily": {"need": " \n\t "}}}).side("A", "daily").need == ""


def test_a_layer_holds_at_most_the_limit() -> None:
    assert MAX_TEXT == 300
    fits = "x" * MAX_TEXT
    assert parse({"A": {"daily": {"need": fits}}}).side("A", "daily").need == fits
    with pytest.raises(CycleError, match=r"A\.daily\.need: at most 300 characters"):
        parse({"A": {"daily": {"need": fits + "x"}}})


def test_the_limit_counts_after_squeezing() -> None:
    words = " ".join(["ab"] * 100)  # 299 characters once squeezed
    padded = words.replace(" ", "     ")  # far longer before
    assert len(padded) > MAX_TEXT
    assert parse({"B": {"sex": {"behaviour": padded}}}).side("B", "sex").behaviour == words


# --- small helpers ------------------------------------------------------------------------


def test_empty_sides_and_maps() -> None:
    assert Side().is_empty
    assert not Side(position=Position.NONE).is_empty
    assert not Side(need="closeness").is_empty
    assert CycleMap().is_empty
    assert not janine_and_mathijs().is_empty


def test_with_side_replaces_one_side_and_keeps_the_rest() -> None:
    cycle = prefill({"A": JANINE, "B": MATHIJS}, ("A", "B"))
    changed = with_side(cycle, "A", "sex", Side(position=Position.PURSUE))
    assert changed.side("A", "sex").position is Position.PURSUE
    assert changed.side("A", "daily") == cycle.side("A", "daily")
    assert changed.partners["B"] == cycle.partners["B"]
    assert changed.flips() == ["B"]
    assert cycle.flips() == ["A", "B"]  # the original is unchanged
