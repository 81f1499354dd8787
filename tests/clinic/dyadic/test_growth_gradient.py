"""The growth model's analytic gradient, its optimiser, and the optimum they find.

The gradient is checked against central differences of the likelihood itself at
several parameter points, for REML and ML, with the dyadic and the independent
residual structure, on data with missing rows and partners measured alone. The
optimum is checked against the log-likelihoods the previous implementation (a
numeric gradient, up to five BFGS restarts; commit a33c8fe) found on the same
data: the new one must be as high, to 1e-6.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dyade.clinic.dyadic import fit_growth_full
from dyade.clinic.dyadic._bfgs import minimise
from dyade.clinic.dyadic._gls import Method, profiled_loglik
from dyade.clinic.dyadic._growth_lik import GrowthLikelihood, spd_inverse
from dyade.clinic.dyadic.growth import growth_likelihood
from tests.clinic.dyadic.test_growth import _simulate

# Log-likelihoods at the optimum found by the previous implementation.
PREVIOUS = {
    "reml": -10079.838759416947,  # _simulate(300, 14, 20130601)
    "ml": -10066.234297972265,
    "noise": -804.5715460805893,  # _simulate(40, 7, 5) with a pure-noise outcome, REML
}


@pytest.fixture(scope="module")
def ragged() -> pd.DataFrame:
    """Simulated dyads with a fifth of the rows missing: pairs, lone partners, short dyads."""
    frame, _ = _simulate(30, 8, 7)
    keep = np.random.default_rng(11).uniform(size=len(frame)) > 0.2
    frame = frame[keep].reset_index(drop=True)
    return frame.assign(r1=(frame["r"] == "b").astype(np.float64))


def _central_difference(
    likelihood: GrowthLikelihood, theta: np.ndarray, method: Method, h: float = 1e-5
) -> np.ndarray:
    out = np.empty(theta.size)
    for i in range(theta.size):
        step = np.zeros(theta.size)
        step[i] = h
        up = likelihood.loglik_and_gradient(theta + step, method)[0]
        down = likelihood.loglik_and_gradient(theta - step, method)[0]
        out[i] = (up - down) / (2 * h)
    return out


@pytest.mark.parametrize("method", ["reml", "ml"])
@pytest.mark.parametrize("dyadic", [True, False])
def test_analytic_gradient_equals_central_differences(
    ragged: pd.DataFrame, method: Method, dyadic: bool
) -> None:
    likelihood = growth_likelihood(ragged, dyadic)
    rng = np.random.default_rng(2026)
    size = 12 if dyadic else 10
    points = [np.zeros(size)]
    points[0][[0, 2, 5, 9]] = [1.0, 1.0, 0.1, 0.1]  # the optimiser's start
    points += [rng.normal(scale=0.6, size=size) for _ in range(4)]
    for theta in points:
        _, gradient = likelihood.loglik_and_gradient(theta, method)
        numeric = _central_difference(likelihood, theta, method)
        assert gradient == pytest.approx(numeric, rel=1e-5, abs=1e-5)


def test_likelihood_with_gradient_equals_the_whitened_likelihood(ragged: pd.DataFrame) -> None:
    likelihood = growth_likelihood(ragged, True)
    theta = np.random.default_rng(5).normal(scale=0.5, size=12)
    methods: list[Method] = ["reml", "ml"]
    for method in methods:
        value, _ = likelihood.loglik_and_gradient(theta, method)
        whitened = profiled_loglik(likelihood.whiten(theta), method, len(ragged))
        assert value == pytest.approx(whitened[0], abs=1e-8)


@pytest.mark.parametrize("method", ["reml", "ml"])
def test_optimum_equals_the_previous_implementation(method: Method) -> None:
    frame, _ = _simulate(300, 14, 20130601)
    fit = fit_growth_full(frame, dyad="d", role="r", time="t", outcome="y", method=method)
    assert fit.result.loglik == pytest.approx(PREVIOUS[method], abs=1e-6)


def test_a_variance_near_zero_does_not_trap_the_optimiser() -> None:
    """Pure noise: the random intercepts' variances are small, not zero (old optimum kept)."""
    frame, _ = _simulate(40, 7, 5)
    frame["y"] = np.random.default_rng(0).normal(size=len(frame))
    fit = fit_growth_full(frame, dyad="d", role="r", time="t", outcome="y")
    assert fit.result.loglik >= PREVIOUS["noise"] - 1e-6


def test_the_fit_takes_few_likelihood_evaluations(monkeypatch: pytest.MonkeyPatch) -> None:
    """About 40 evaluations with their gradient (the numeric gradient needed about 3,900)."""
    calls = {"gradient": 0, "whiten": 0}
    original_gradient = GrowthLikelihood.loglik_and_gradient
    original_whiten = GrowthLikelihood.whiten

    def counted_gradient(
        self: GrowthLikelihood, theta: np.ndarray, method: Method
    ) -> tuple[float, np.ndarray]:
        calls["gradient"] += 1
        return original_gradient(self, theta, method)

    def counted_whiten(
        self: GrowthLikelihood, theta: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, float]:
        calls["whiten"] += 1
        return original_whiten(self, theta)

    monkeypatch.setattr(GrowthLikelihood, "loglik_and_gradient", counted_gradient)
    monkeypatch.setattr(GrowthLikelihood, "whiten", counted_whiten)
    frame, _ = _simulate(300, 14, 20130601)
    fit_growth_full(frame, dyad="d", role="r", time="t", outcome="y")
    assert calls["gradient"] <= 80
    assert calls["whiten"] <= 2  # the check of the start and the final estimate


def test_spd_inverse_equals_numpy() -> None:
    rng = np.random.default_rng(3)
    a = rng.normal(size=(50, 4, 4))
    k = np.eye(4) + a @ np.swapaxes(a, 1, 2)
    inverse, logdet = spd_inverse(k)
    assert inverse == pytest.approx(np.linalg.inv(k), rel=1e-9, abs=1e-12)
    assert logdet == pytest.approx(float(np.sum(np.linalg.slogdet(k)[1])), rel=1e-12)
    k[7] = -k[7]
    with pytest.raises(np.linalg.LinAlgError):
        spd_inverse(k)


def test_minimise_finds_the_minimum_of_rosenbrock() -> None:
    def rosenbrock(x: np.ndarray) -> tuple[float, np.ndarray]:
        value = float(100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2)
        gradient = np.array(
            [-400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]), 200 * (x[1] - x[0] ** 2)]
        )
        return value, gradient

    x, evaluations = minimise(rosenbrock, np.array([-1.2, 1.0]))
    assert x == pytest.approx([1.0, 1.0], abs=1e-4)
    assert evaluations < 200


def test_minimise_stops_where_the_objective_fails() -> None:
    """Points where the likelihood cannot be computed (infinite) are stepped back from."""

    def walled(x: np.ndarray) -> tuple[float, np.ndarray]:
        if x[0] > 1.5:
            return math.inf, np.zeros(1)
        return float((x[0] - 1) ** 2), np.array([2 * (x[0] - 1)])

    x, _ = minimise(walled, np.array([-3.0]))
    assert x[0] == pytest.approx(1.0, abs=1e-5)
