"""Truth and Bias model (West & Kenny 2011).

There are no published reference values for these data here: these tests are
*not* reproductions of published numbers (the estimation itself is compared with
``nlme::gls`` in ``test_nlme_reference.py``). They check (1) an algebraic identity
that holds by construction of the centring, (2) the equality of the GLS
estimates with ordinary least squares per role, which holds for complete dyads
because both roles have the same predictors (Zellner's seemingly unrelated
regressions), computed independently with ``numpy.linalg.lstsq``, and (3) the
recovery of known truth and bias forces from data simulated with a fixed seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dyade.clinic.dyadic import DyadicDataError, fit_truth_bias


def _frame(y_own: np.ndarray, judgment: np.ndarray) -> pd.DataFrame:
    """Individual format from arrays of shape (n_dyads, 2): column 0 role "w", 1 role "h"."""
    rows = []
    for d in range(y_own.shape[0]):
        for k, role in enumerate(("w", "h")):
            rows.append({"dyad": d, "role": role, "y": y_own[d, k], "j": judgment[d, k]})
    return pd.DataFrame(rows)


def _simulate(n: int, seed: int, forces: dict[str, tuple[float, float, float]]) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    means = {"w": 4.0, "h": 3.0}
    cov = np.array([[1.0, 0.3], [0.3, 0.8]])
    y = rng.multivariate_normal([means["w"], means["h"]], cov, size=n)
    errors = rng.multivariate_normal([0, 0], [[0.5, 0.2], [0.2, 0.4]], size=n)
    j = np.empty_like(y)
    for k, role in enumerate(("w", "h")):
        partner = 1 - k
        mu_truth = means["h" if role == "w" else "w"]
        directional, truth, bias = forces[role]
        j[:, k] = (
            mu_truth
            + directional
            + truth * (y[:, partner] - mu_truth)
            + bias * (y[:, k] - mu_truth)
            + errors[:, k]
        )
    return _frame(y, j)


def test_intercept_is_mean_judgment_minus_partner_actual_when_means_equal() -> None:
    # Both roles with the same mean of Y: the directional bias is exactly the mean of
    # (judgment - partner's actual value), whatever the forces.
    rng = np.random.default_rng(7)
    y = rng.normal(5, 1, size=(40, 2))
    y[:, 1] += y[:, 0].mean() - y[:, 1].mean()
    j = rng.normal(5.3, 1, size=(40, 2))
    frame = _frame(y, j)
    for method in ("reml", "ml"):
        result = fit_truth_bias(
            frame, dyad="dyad", role="role", judgment="j", actual="y", method=method
        )
        for k, role in enumerate(("w", "h")):
            expected = float(np.mean(j[:, k] - y[:, 1 - k]))
            estimate = result.coefficients[f"directional_bias[{role}]"].estimate
            assert estimate == pytest.approx(expected, abs=1e-9)
    pooled = fit_truth_bias(frame, dyad="dyad", judgment="j", actual="y", distinguishable=False)
    expected = float(np.mean(j - y[:, ::-1]))
    assert pooled.coefficients["directional_bias"].estimate == pytest.approx(expected, abs=1e-9)


def test_zero_forces_intercept_is_mean_difference() -> None:
    # Judgments unrelated to either actual value (constructed so that both sample
    # slopes are exactly zero): the intercept is mean(J - partner's Y) in each role.
    y = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 1.0], [4.0, 3.0], [2.5, 2.5], [3.5, 1.5]])
    yc = y - y.mean(axis=0)
    design = np.column_stack([np.ones(6), yc])
    residual_maker = np.eye(6) - design @ np.linalg.pinv(design)
    raw = np.array([[0.3, -1.0], [1.1, 0.4], [-0.7, 0.9], [0.2, -0.2], [1.5, 0.1], [-0.4, 1.2]])
    j = residual_maker @ raw + np.array([3.0, 2.0])  # orthogonal to both Y: slopes exactly 0
    frame = _frame(y, j)
    result = fit_truth_bias(frame, dyad="dyad", role="role", judgment="j", actual="y")
    for k, role in enumerate(("w", "h")):
        assert result.coefficients[f"truth_force[{role}]"].estimate == pytest.approx(0, abs=1e-9)
        assert result.coefficients[f"bias_force[{role}]"].estimate == pytest.approx(0, abs=1e-9)
        expected = float(np.mean(j[:, k] - y[:, 1 - k]))
        estimate = result.coefficients[f"directional_bias[{role}]"].estimate
        assert estimate == pytest.approx(expected, abs=1e-9)


def test_gls_equals_ols_per_role_for_complete_dyads() -> None:
    forces = {"w": (0.2, 0.5, 0.3), "h": (-0.1, 0.4, 0.1)}
    frame = _simulate(150, 11, forces)
    result = fit_truth_bias(frame, dyad="dyad", role="role", judgment="j", actual="y")
    y = frame["y"].to_numpy().reshape(-1, 2)
    j = frame["j"].to_numpy().reshape(-1, 2)
    for k, role in enumerate(("w", "h")):
        mu = y[:, 1 - k].mean()
        x = np.column_stack([np.ones(len(y)), y[:, 1 - k] - mu, y[:, k] - mu])
        ols = np.linalg.lstsq(x, j[:, k] - mu, rcond=None)[0]
        for name, value in zip(("directional_bias", "truth_force", "bias_force"), ols, strict=True):
            assert result.coefficients[f"{name}[{role}]"].estimate == pytest.approx(value, abs=1e-8)


def test_recovers_known_forces_from_simulated_data() -> None:
    forces = {"w": (0.3, 0.6, 0.25), "h": (-0.2, 0.35, 0.5)}
    frame = _simulate(4000, 20110401, forces)
    result = fit_truth_bias(frame, dyad="dyad", role="role", judgment="j", actual="y")
    for role, values in forces.items():
        for name, true in zip(
            ("directional_bias", "truth_force", "bias_force"), values, strict=True
        ):
            coefficient = result.coefficients[f"{name}[{role}]"]
            assert abs(coefficient.estimate - true) < 4 * coefficient.se
            assert coefficient.estimate == pytest.approx(true, abs=0.05)
    # residual SDs sqrt(0.5), sqrt(0.4) and correlation 0.2 / sqrt(0.5 * 0.4)
    assert result.sigma["w"] == pytest.approx(np.sqrt(0.5), rel=0.05)
    assert result.sigma["h"] == pytest.approx(np.sqrt(0.4), rel=0.05)
    assert result.rho == pytest.approx(0.2 / np.sqrt(0.2), abs=0.05)
    assert result.n_dyads == 4000


def test_judgment_equal_to_actual_is_an_error() -> None:
    frame = _simulate(10, 1, {"w": (0, 0, 0), "h": (0, 0, 0)})
    with pytest.raises(DyadicDataError):
        fit_truth_bias(frame, dyad="dyad", role="role", judgment="y", actual="y")
