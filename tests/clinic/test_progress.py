"""Reliable change and clinical significance (Jacobson & Truax 1991), without a database.

Reference value: the CECPfuns R package (Chris Evans, cpsyctc/CECPfuns,
tests/testthat/test-getRCIfromSDandAlpha.R) expects
``getRCIfromSDandAlpha(7.5, .8) == 9.296925484568419``: the smallest reliable
change for a baseline SD of 7.5 and a reliability of .80, computed with the exact
normal quantile ``qnorm(.975) = 1.959963984540054``. Dividing by that quantile
gives the reference ``S_diff``; Jacobson & Truax's criterion is 1.96, so Dyade's
threshold is ``1.96 * S_diff``. The statuses are then worked by hand around it.
"""

from __future__ import annotations

import math

import pytest

from dyade.clinic import progress
from dyade.clinic.instrument_key import Change, Direction, parse_change
from dyade.clinic.progress import Status

CECPFUNS_RCI = 9.296925484568419  # SD 7.5, reliability .80, 95 %, exact quantile
QNORM_975 = 1.959963984540054
S_DIFF = CECPFUNS_RCI / QNORM_975
THRESHOLD = 1.96 * S_DIFF  # 9.2971: Jacobson & Truax's 1.96

# A satisfaction scale like the CSI: higher is better, distress below the cut-off.
HIGHER = Change("total", Direction.HIGHER_BETTER, cutoff=50.5, sd=7.5, reliability=0.8)
# A symptom scale: lower is better, the clinical range lies above the cut-off.
LOWER = Change("total", Direction.LOWER_BETTER, cutoff=20.5, sd=7.5, reliability=0.8)


def test_s_diff_matches_the_reference_implementation() -> None:
    s_diff = progress.standard_error_of_difference(7.5, 0.8)
    assert s_diff * QNORM_975 == pytest.approx(CECPFUNS_RCI, abs=1e-12)
    assert progress.reliable_change_threshold(7.5, 0.8) == pytest.approx(1.96 * S_DIFF, abs=1e-12)
    assert progress.Z_95 == 1.96


def test_standard_error_of_difference_is_sd_sqrt2_sqrt_1_minus_r() -> None:
    assert progress.standard_error_of_difference(7.5, 0.8) == pytest.approx(
        7.5 * math.sqrt(2) * math.sqrt(0.2)
    )
    # S_diff = sqrt(2 * SE^2) with SE = SD * sqrt(1 - r): the same number (J&T 1991, eq. 4)
    se = 10 * math.sqrt(1 - 0.91)
    assert progress.standard_error_of_difference(10, 0.91) == pytest.approx(math.sqrt(2 * se**2))


def test_rc_is_the_difference_over_s_diff() -> None:
    s_diff = progress.standard_error_of_difference(7.5, 0.8)
    assert progress.reliable_change_index(40, 50, 7.5, 0.8) == pytest.approx(10 / s_diff)
    assert progress.reliable_change_index(50, 40, 7.5, 0.8) == pytest.approx(-10 / s_diff)


@pytest.mark.parametrize(
    ("rc", "reliable"),
    [
        (1.96, False),
        (-1.96, False),
        (1.9600001, True),
        (-1.9600001, True),
        (0.0, False),
    ],
)
def test_reliable_only_beyond_1_96(rc: float, reliable: bool) -> None:
    assert progress.is_reliable(rc) is reliable


@pytest.mark.parametrize(
    ("sd", "reliability"), [(0, 0.8), (-1, 0.8), (7.5, 0), (7.5, 1), (7.5, 1.2)]
)
def test_impossible_published_values_are_refused(sd: float, reliability: float) -> None:
    with pytest.raises(ValueError):
        progress.standard_error_of_difference(sd, reliability)


# --- status, higher is better ------------------------------------------------------------


def test_just_inside_the_band_is_unchanged() -> None:
    assert progress.status(40, 40 + THRESHOLD - 0.01, HIGHER) == Status.UNCHANGED
    assert progress.status(40, 40 - THRESHOLD + 0.01, HIGHER) == Status.UNCHANGED


def test_just_beyond_the_band_is_reliable() -> None:
    # 40 + 9.31 = 49.31: reliably better but still below the cut-off of 50.5
    assert progress.status(40, 40 + THRESHOLD + 0.01, HIGHER) == Status.IMPROVED
    assert progress.status(40, 40 - THRESHOLD - 0.01, HIGHER) == Status.DETERIORATED


def test_recovered_needs_reliable_change_and_crossing_the_cutoff() -> None:
    assert progress.status(42, 52, HIGHER) == Status.RECOVERED  # +10 > 9.30, 42 < 50.5 <= 52
    # crosses the cut-off but the change is not reliable
    assert progress.status(48, 53, HIGHER) == Status.UNCHANGED
    # reliable and ends exactly on the cut-off: counts as functional
    assert progress.status(41, 50.5, HIGHER) == Status.RECOVERED
    # reliable but stays just below the cut-off
    assert progress.status(41, 50.4, HIGHER) == Status.IMPROVED


def test_starting_in_the_functional_range_improves_but_does_not_recover() -> None:
    assert progress.status(55, 66, HIGHER) == Status.IMPROVED


def test_without_a_cutoff_reliable_gain_is_improved() -> None:
    change = Change("total", Direction.HIGHER_BETTER, sd=7.5, reliability=0.8)
    assert progress.status(10, 30, change) == Status.IMPROVED
    assert progress.in_clinical_range(10, change) is None


# --- status, lower is better -------------------------------------------------------------


def test_lower_is_better_turns_the_direction_round() -> None:
    assert progress.status(30, 15, LOWER) == Status.RECOVERED  # -15, from 30 > 20.5 to 15
    assert progress.status(35, 25, LOWER) == Status.IMPROVED  # -10, still above 20.5
    assert progress.status(15, 25, LOWER) == Status.DETERIORATED  # +10 is worse here
    assert progress.status(30, 22, LOWER) == Status.UNCHANGED  # -8 is within the band
    assert progress.in_clinical_range(20.5, LOWER) is False
    assert progress.in_clinical_range(20.6, LOWER) is True


# --- without published values no status is given ------------------------------------------


def test_no_status_without_published_sd_and_reliability() -> None:
    change = Change("total", Direction.HIGHER_BETTER, cutoff=13.5)
    assert not change.computable
    assert progress.status(5, 20, change) is None
    assert progress.reliable_band(5, change) is None
    assert progress.statuses([5, 10, 20], change) == [None, None, None]


# --- series -----------------------------------------------------------------------------


def test_statuses_compare_each_session_with_the_first_score() -> None:
    scores = [None, 40.0, 45.0, None, 52.0, 29.0]
    assert progress.statuses(scores, HIGHER) == [
        None,  # no check-in
        None,  # the baseline itself
        Status.UNCHANGED,  # +5
        None,  # missed
        Status.RECOVERED,  # +12 and across 50.5
        Status.DETERIORATED,  # -11
    ]


def test_band_around_the_baseline() -> None:
    band = progress.reliable_band(40, HIGHER)
    assert band is not None
    assert band.low == pytest.approx(40 - THRESHOLD)
    assert band.high == pytest.approx(40 + THRESHOLD)


# --- the change part of an instrument file --------------------------------------------------


def test_change_part_is_read_and_checked() -> None:
    change = parse_change(
        {
            "change": {
                "subscale": "total",
                "direction": "lower-better",
                "cutoff": 20.5,
                "sd": 7.5,
                "reliability": 0.8,
                "source": "x",
            }
        }
    )
    assert change == Change("total", Direction.LOWER_BETTER, 20.5, 7.5, 0.8, "x")
    assert parse_change({}) is None
    for bad in ({"sd": 0}, {"reliability": 1.0}, {"reliability": 0}, {"sd": "7"}, {"sd": True}):
        with pytest.raises(ValueError):
            parse_change({"change": {"subscale": "total", "direction": "higher-better", **bad}})
    with pytest.raises(ValueError):
        parse_change({"change": {"subscale": "total", "direction": "sideways"}})
