"""The parts of a scoring key the issue-14 instruments need, read strictly from the file."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from dyade.clinic.instruments import parse_instrument

FILES = Path(__file__).resolve().parents[2] / "dyade" / "content" / "instruments"


def _file(instrument_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FILES / instrument_id / "1.json").read_text("utf-8"))
    return data


def test_a_coded_answer_with_an_ordinal_value_scores_as_that_number() -> None:
    data = _file("csi-4")
    option = data["questionnaire"]["item"][0]["answerOption"][3]
    assert option["valueCoding"]["code"] == "3"
    parse_instrument(data)
    broken = copy.deepcopy(data)
    broken["questionnaire"]["item"][0]["answerOption"][3]["valueCoding"]["code"] = "three"
    with pytest.raises(ValueError, match="not 3"):
        parse_instrument(broken)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["subscales"].append({"id": "x", "method": "sum"}), "either items or of"),
        (
            lambda s: s["subscales"].append(
                {"id": "x", "items": [1], "of": ["total"], "method": "sum"}
            ),
            "either items or of",
        ),
        (
            lambda s: s["subscales"].insert(0, {"id": "x", "of": ["pain"], "method": "sum"}),
            "before it",
        ),
        (lambda s: s["cutoffs"].append({"subscale": "total", "flag": "x"}), "above or below"),
        (
            lambda s: s["cutoffs"].append(
                {"subscale": "total", "above": 1, "below": 2, "flag": "x"}
            ),
            "above or below",
        ),
        (lambda s: s["item_ranges"].append({"items": [20], "min": 0, "max": 5}), "unknown items"),
        (
            lambda s: s["item_ranges"].append({"items": [3], "min": 5, "max": 5}),
            "min must be below",
        ),
        (
            lambda s: s.update(bands=[{"subscale": "nope", "min": 1, "max": 2, "band": "x"}]),
            "unknown nope",
        ),
        (
            lambda s: s.update(bands=[{"subscale": "total", "min": 3, "max": 2, "band": "x"}]),
            "min above max",
        ),
        (
            lambda s: s.update(change={"subscale": "nope", "direction": "higher-better"}),
            "unknown nope",
        ),
    ],
)
def test_a_key_that_does_not_hold_together_is_refused(change: Any, message: str) -> None:
    data = _file("fsfi")
    change(data["scoring"])
    with pytest.raises(ValueError, match=message):
        parse_instrument(data)
