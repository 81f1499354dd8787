"""Dyadic growth model on Kashy's diary data (103 couples x 14 days).

References, none of them produced by this code:

1. statsmodels 0.15.0 ``MixedLM`` (REML, ``exog_re`` = the four role-specific
   intercept and slope columns, groups = dyad) fits the special case with
   independent, equal-variance residuals. Run from statsmodels' own default start
   (``method=["powell", "lbfgs", "bfgs"]``) it converged to the values in
   ``STATSMODELS`` (log-likelihood -2956.2226, slightly below our maximum:
   statsmodels stops early, so its slope variances and standard errors differ
   from ours in the third digit). Started at our estimate, statsmodels stays there
   (converged) with REML log-likelihood -2956.218329294903 and the fixed-effect
   standard errors in ``se_at_ours``.
2. The full model's ML log-likelihood is recomputed densely, dyad by dyad, with
   ``scipy.stats.multivariate_normal`` from the reported parameters (an
   independent construction of the marginal covariance).
3. Parameters are recovered from data simulated with a fixed seed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from dyade.clinic.dyadic import DyadicDataError, fit_growth_full, read_csv

DATA = Path(__file__).parent / "data" / "kashy_person_period_pairwise.csv"

STATSMODELS = {
    "loglik": -2956.2225938320807,
    "loglik_at_ours": -2956.218329294903,
    "se_at_ours": [0.0696146, 0.05719767, 0.00620989, 0.00631017],
    "estimate": [6.259608054, 6.3886417776, 0.0192265737, 0.0098114473],
    "se": [0.0696342967, 0.0572218629, 0.0061957099, 0.0062948956],
    "sigma": 0.3678259189710475**0.5,
    "random_sd": [0.68765857, 0.557506875, 0.048019846, 0.0494433936],
}
NAMES = ["intercept[M]", "intercept[F]", "slope[M]", "slope[F]"]


@pytest.fixture(scope="module")
def kashy() -> pd.DataFrame:
    return read_csv(str(DATA))


def test_independent_residuals_match_statsmodels(kashy: pd.DataFrame) -> None:
    fit = fit_growth_full(
        kashy, dyad="dyadid", role="genderS", time="time", outcome="satisf_A",
        method="reml", residual="independent",
    )  # fmt: skip
    result = fit.result
    assert result.loglik == pytest.approx(STATSMODELS["loglik_at_ours"], abs=1e-6)
    assert result.loglik >= STATSMODELS["loglik"]
    assert result.loglik == pytest.approx(STATSMODELS["loglik"], abs=0.01)
    for name, estimate, se, sd in zip(
        NAMES, STATSMODELS["estimate"], STATSMODELS["se"], STATSMODELS["random_sd"], strict=True
    ):
        assert result.coefficients[name].estimate == pytest.approx(estimate, abs=2e-5)
        assert result.coefficients[name].se == pytest.approx(se, rel=5e-3)
        assert result.random_sd is not None
        assert result.random_sd[name] == pytest.approx(sd, rel=5e-3)
    for name, se in zip(NAMES, STATSMODELS["se_at_ours"], strict=True):
        assert result.coefficients[name].se == pytest.approx(se, rel=2e-5)
    assert result.sigma["M"] == pytest.approx(STATSMODELS["sigma"], rel=1e-3)
    assert result.n_dyads == 103


def _dense_loglik(frame: pd.DataFrame, fit_g: np.ndarray, result: object) -> float:
    from dyade.clinic.dyadic import DyadicResult

    assert isinstance(result, DyadicResult)
    table = frame.assign(
        y=pd.to_numeric(frame["satisf_A"], errors="coerce"),
        t=pd.to_numeric(frame["time"]),
    ).dropna(subset=["y"])
    beta = np.array([result.coefficients[n].estimate for n in NAMES])
    total = 0.0
    for _, rows in table.groupby("dyadid"):
        man = (rows["genderS"] == "M").to_numpy(float)
        t = rows["t"].to_numpy(float)
        z = np.column_stack([man, 1 - man, man * t, (1 - man) * t])
        sd = np.where(man == 1, result.sigma["M"], result.sigma["F"])
        same_day = (t[:, None] == t[None, :]) & (man[:, None] != man[None, :])
        r = np.diag(sd**2) + result.rho * same_day * np.outer(sd, sd)
        cov = z @ fit_g @ z.T + r
        total += float(stats.multivariate_normal(z @ beta, cov).logpdf(rows["y"].to_numpy()))
    return total


def test_dyadic_ml_loglik_equals_dense_gaussian(kashy: pd.DataFrame) -> None:
    fit = fit_growth_full(
        kashy, dyad="dyadid", role="genderS", time="time", outcome="satisf_A", method="ml"
    )
    assert fit.result.rho > 0.3
    assert fit.result.loglik == pytest.approx(_dense_loglik(kashy, fit.g, fit.result), abs=1e-6)
    # the dyadic residual structure improves on independent residuals by a wide margin
    independent = fit_growth_full(
        kashy, dyad="dyadid", role="genderS", time="time", outcome="satisf_A",
        method="ml", residual="independent",
    )  # fmt: skip
    assert fit.result.loglik > independent.result.loglik + 50


def _simulate(n_dyads: int, days: int, seed: int) -> tuple[pd.DataFrame, dict[str, float]]:
    rng = np.random.default_rng(seed)
    truth = {
        "intercept[a]": 5.0, "intercept[b]": 4.0, "slope[a]": 0.10, "slope[b]": -0.05,
        "sd_int": 0.8, "sd_slope": 0.05, "sigma_a": 0.6, "sigma_b": 0.9, "rho": 0.4,
    }  # fmt: skip
    sds = np.array([truth["sd_int"], truth["sd_int"], truth["sd_slope"], truth["sd_slope"]])
    corr = np.array(
        [[1, 0.5, 0.2, 0], [0.5, 1, 0, 0.2], [0.2, 0, 1, 0.3], [0, 0.2, 0.3, 1]], dtype=float
    )
    g = corr * np.outer(sds, sds)
    res = np.array([[0.36, 0.4 * 0.6 * 0.9], [0.4 * 0.6 * 0.9, 0.81]])
    rows = []
    times = np.arange(days) - (days - 1) / 2
    for d in range(n_dyads):
        b = rng.multivariate_normal(np.zeros(4), g)
        for t in times:
            e = rng.multivariate_normal([0, 0], res)
            for k, role in enumerate("ab"):
                y = truth[f"intercept[{role}]"] + b[k] + (truth[f"slope[{role}]"] + b[2 + k]) * t
                rows.append({"d": d, "r": role, "t": t, "y": y + e[k]})
    return pd.DataFrame(rows), truth


def test_recovers_simulated_parameters() -> None:
    frame, truth = _simulate(300, 14, 20130601)
    fit = fit_growth_full(frame, dyad="d", role="r", time="t", outcome="y", method="reml")
    result = fit.result
    for name in ("intercept[a]", "intercept[b]", "slope[a]", "slope[b]"):
        coefficient = result.coefficients[name]
        assert abs(coefficient.estimate - truth[name]) < 4 * coefficient.se
    assert result.sigma["a"] == pytest.approx(truth["sigma_a"], rel=0.05)
    assert result.sigma["b"] == pytest.approx(truth["sigma_b"], rel=0.05)
    assert result.rho == pytest.approx(truth["rho"], abs=0.05)
    assert result.random_sd is not None
    assert result.random_sd["intercept[a]"] == pytest.approx(truth["sd_int"], rel=0.15)
    assert result.random_sd["slope[b]"] == pytest.approx(truth["sd_slope"], rel=0.2)


def test_duplicate_occasion_is_an_error(kashy: pd.DataFrame) -> None:
    frame = pd.concat([kashy, kashy.iloc[[0]]], ignore_index=True)
    with pytest.raises(DyadicDataError, match="same occasion"):
        fit_growth_full(frame, dyad="dyadid", role="genderS", time="time", outcome="satisf_A")
