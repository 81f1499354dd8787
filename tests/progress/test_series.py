"""Check-ins as session rows, and the progress part of the guidance snapshot.

The statuses come from :mod:`dyade.clinic.progress`; here they are only lined
up with the sessions. The SD and reliability below are stand-ins chosen so that
the standard error of the difference is exactly 2 points (5 x sqrt(2) x
sqrt(1 - 0.92) = 2.0, threshold 1.96 x 2 = 3.92): no shipped key holds them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from dyade.clinic.instrument_key import Change, Direction
from dyade.content import instrument as load_instrument
from dyade.sessions.progress_series import Score, SessionRow, snapshot_progress, subscale_range

CSI4 = load_instrument("csi-4", "1")
STAND_IN = dataclasses.replace(
    CSI4,
    change=Change("total", Direction.HIGHER_BETTER, cutoff=13.5, sd=5.0, reliability=0.92),
)
ALLIANCE = load_instrument("dyade-alliance", "1")
START = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)


def _rows(outcome: dict[str, list[float | None]], alliance: dict[str, list[float | None]]):
    count = max(len(v) for v in [*outcome.values(), *alliance.values()])
    rows = []
    for index in range(count):
        row = SessionRow(index + 1, index + 1, START + dt.timedelta(days=7 * index), "both")
        for slot, values in outcome.items():
            if index < len(values) and values[index] is not None:
                row.outcome[slot] = Score(values[index], STAND_IN)
        for slot, values in alliance.items():
            if index < len(values) and values[index] is not None:
                row.alliance[slot] = Score(values[index], ALLIANCE)
        rows.append(row)
    return rows


def test_statuses_line_up_with_the_sessions_and_gaps_stay_empty() -> None:
    rows = _rows({"A": [10, 12, None, 15, 5], "B": [None, 14, 14]}, {"A": [8, 8, 7]})
    parts = snapshot_progress(rows, ["A", "B"])
    assert parts["A"] == {
        "statuses": [None, "unchanged", None, "recovered", "deteriorated"],
        "alliance": [8, 8, 7, None, None],
    }
    # B's first score is in session 2: that is B's baseline.
    assert parts["B"] == {
        "statuses": [None, None, "unchanged", None, None],
        "alliance": [None, None, None, None, None],
    }


def test_a_partner_without_check_ins_gets_no_part() -> None:
    assert set(snapshot_progress(_rows({"A": [10, 11]}, {}), ["A", "B"])) == {"A"}


def test_without_published_values_every_status_is_unknown() -> None:
    rows = _rows({"A": [5, 20]}, {})
    for row in rows:
        row.outcome["A"] = Score(row.outcome["A"].value, CSI4)
    assert snapshot_progress(rows, ["A"])["A"]["statuses"] == [None, None]


def test_an_alliance_measure_on_another_scale_is_left_out() -> None:
    other = dataclasses.replace(CSI4, id="other-alliance")  # 0-21, not 0-10
    rows = _rows({}, {"A": [8]})
    rows[0].alliance["A"] = Score(18, other)
    assert snapshot_progress(rows, ["A"]) == {}


@pytest.mark.parametrize(
    ("instrument_id", "expected"),
    [("csi-4", (0, 21)), ("csi-16", (0, 81)), ("dyade-alliance", (0, 10))],
)
def test_score_ranges_follow_the_published_keys(
    instrument_id: str, expected: tuple[float, float]
) -> None:
    # CSI-4 0-21 and CSI-16 0-81 (Funk & Rogge 2007); the alliance check is a 0-10 mean.
    assert subscale_range(load_instrument(instrument_id, "1"), "total") == expected
