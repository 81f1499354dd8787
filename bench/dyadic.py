"""Benchmark of the dyadic models on simulated data (issues 6 and 16).

1,000 simulated dyads x 60 days: the distinguishable APIM on the dyads' day-1
rows (one row per person) and the dyadic growth model on all person-days. Each
time (the best of ``FITS``) is printed with its ratio to fitting one ordinary
least-squares regression (numpy lstsq, the best of ``OLS_FITS``) on the same
rows in the same run, because this machine is noisy and only ratios travel.
The growth model's target of issue 16 is printed with whether it is met. Run
with ``make bench-dyadic``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dyade.clinic.dyadic import DyadicResult
from dyade.clinic.dyadic.apim import fit_apim
from dyade.clinic.dyadic.growth import fit_growth

DYADS = 1_000
DAYS = 60
SEED = 20261121
FITS = 3
OLS_FITS = 5
TARGET_SECONDS = 2.0  # issue 16: the growth model on 1,000 dyads x 60 days
TARGET_RATIO = 800.0  # ... and at most this many OLS fits on the same rows


def simulate(rng: np.random.Generator) -> pd.DataFrame:
    """Person-period data: role-specific intercepts and slopes, correlated within dyad and day."""
    rows = []
    for dyad in range(DYADS):
        intercepts = rng.multivariate_normal([5.0, 5.5], [[1.0, 0.4], [0.4, 1.0]])
        slopes = rng.multivariate_normal([0.02, -0.01], [[0.001, 0.0], [0.0, 0.001]])
        for day in range(DAYS):
            noise = rng.multivariate_normal([0, 0], [[1.0, 0.3], [0.3, 1.2]])
            x = rng.normal(0, 1, size=2)
            for index, role in enumerate((1, 2)):
                y = intercepts[index] + slopes[index] * day + 0.3 * x[index] + 0.2 * x[1 - index]
                rows.append((dyad, role, day, x[index], y + noise[index]))
    return pd.DataFrame(rows, columns=["dyad", "role", "day", "x", "y"])


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def ols(frame: pd.DataFrame) -> Callable[[], object]:
    design = np.column_stack([np.ones(len(frame)), frame["x"].to_numpy(), frame["day"].to_numpy()])
    outcome = frame["y"].to_numpy()
    return lambda: np.linalg.lstsq(design, outcome, rcond=None)


def measure(rows: pd.DataFrame, fit: Callable[[], object]) -> tuple[float, float]:
    """The best time of ``fit`` and of one OLS fit, taken in turns so they share the noise."""
    baseline, seconds = [], []
    least_squares = ols(rows)
    for _ in range(FITS):
        baseline += [timed(least_squares) for _ in range(OLS_FITS)]
        seconds.append(timed(fit))
    return min(seconds), min(baseline)


def main() -> None:
    frame = simulate(np.random.default_rng(SEED))
    first_day = frame[frame["day"] == 0].reset_index(drop=True)
    print(f"Dyadic models on {DYADS} simulated dyads x {DAYS} days ({len(frame)} person-days).")
    print(
        f"Best of {FITS} fits; baseline: the best of {FITS * OLS_FITS} OLS fits (numpy lstsq)"
        " on the same rows, taken in turns with the fits."
    )
    growth: list[DyadicResult] = []

    def fit_growth_model() -> None:
        growth.append(fit_growth(frame, dyad="dyad", role="role", time="day", outcome="y"))

    measured = {}
    for label, rows, fit in (
        (
            "distinguishable APIM (REML, day 1)",
            first_day,
            lambda: fit_apim(
                first_day,
                dyad="dyad",
                role="role",
                outcome="y",
                actors=["x"],
                distinguishable=True,
            ),
        ),
        ("dyadic growth model (REML, all days)", frame, fit_growth_model),
    ):
        seconds, baseline = measure(rows, fit)
        measured[label] = (seconds, seconds / baseline)
        print(
            f"{label:<38} {seconds:6.2f} s {seconds / baseline:7.0f} x one OLS on the same rows"
            f" ({baseline * 1000:.2f} ms)"
        )
    seconds, ratio = measured["dyadic growth model (REML, all days)"]
    print(f"growth model: REML log-likelihood {growth[-1].loglik:.6f}")
    met = seconds <= TARGET_SECONDS and ratio <= TARGET_RATIO
    print(
        f"target (issue 16): growth model <= {TARGET_SECONDS:g} s and <= {TARGET_RATIO:.0f} x"
        f" one OLS fit: {'met' if met else 'NOT met'} ({seconds:.2f} s, {ratio:.0f} x)"
    )


if __name__ == "__main__":
    main()
