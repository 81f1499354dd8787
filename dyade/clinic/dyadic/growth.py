"""The dyadic growth model for diary (person-period) data.

One row per person per occasion. For person of role :math:`r` in dyad :math:`d`
at time :math:`t` (two-intercept model; Kashy & Donnellan 2008; Bolger &
Laurenceau 2013, ch. 8; the Garcia/Kenny workshop's dyadic growth curve model):

.. math::

    Y_{drt} = \\beta_{0r} + \\beta_{1r} t + u_{0dr} + u_{1dr} t + e_{drt},

with the four random effects of a dyad
:math:`b_d = (u_{0d1}, u_{0d2}, u_{1d1}, u_{1d2})^\\top \\sim N(0, G)`, :math:`G`
unstructured (correlated random intercepts and slopes of both partners), and
residuals independent across occasions but correlated within the dyad on the
same occasion, with role-specific variances:

.. math::

    \\operatorname{Var}(e_{drt}) = \\sigma_r^2, \\qquad
    \\operatorname{Corr}(e_{d1t}, e_{d2t}) = \\rho .

In ``nlme`` this is ``lme(y ~ 0 + r1 + r2 + r1:time + r2:time, random = ~ 0 + r1
+ r2 + r1:time + r2:time | dyad, correlation = corCompSymm(form = ~ 1 | dyad/time),
weights = varIdent(form = ~ 1 | role))``. The marginal covariance of dyad
:math:`d` is :math:`V_d = \\sigma^2(Z_d \\Psi Z_d^\\top + \\Lambda_d)` with
:math:`G = \\sigma^2\\Psi`, :math:`\\Psi = LL^\\top` and :math:`\\Lambda_d` the
residual structure of :mod:`dyade.clinic.dyadic._pairs` (same-day pairs).
:math:`\\sigma^2` is profiled out and the 12 other parameters, the 10 entries of
the lower triangular :math:`L`, :math:`\\operatorname{artanh}\\rho` and
:math:`\\log\\delta`, are optimised by BFGS with the analytic gradient of
:mod:`dyade.clinic.dyadic._growth_lik`. The log-likelihood is the (restricted)
Gaussian log-likelihood of :mod:`dyade.clinic.dyadic._gls`, the one ``nlme``
maximises. The diagonal of :math:`L` is on its own scale, as in ``lme4`` (Bates
et al. 2015, which bounds it at zero; here it is free, since the sign of a column
of :math:`L` does not change :math:`\\Psi`), not on the log scale of ``nlme``'s
``pdLogChol``: a variance that is truly zero is then an ordinary point, not a
plateau at :math:`-\\infty` in which the optimiser can get stuck.

References
----------
Bates, D., Mächler, M., Bolker, B., & Walker, S. (2015). Fitting linear
mixed-effects models using lme4. *Journal of Statistical Software, 67*(1), 1-48.

Bolger, N., & Laurenceau, J.-P. (2013). *Intensive longitudinal methods*. Guilford.

Kashy, D. A., & Donnellan, M. B. (2008). Comparing MLM and SEM approaches to
analyzing developmental dyadic data. In N. A. Card, J. P. Selig & T. D. Little
(Eds.), *Modeling dyadic and interdependent data in the developmental and
behavioral sciences* (pp. 165-190). Routledge.

Pinheiro, J. C., & Bates, D. M. (2000). *Mixed-effects models in S and S-PLUS*. Springer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dyade.clinic.dyadic._gls import Array, Method, ProfiledFit, fit_profiled
from dyade.clinic.dyadic._growth_lik import N_CHOL, GrowthLikelihood, factor, person_period_sums
from dyade.clinic.dyadic._pairs import Coefficient, DyadicResult
from dyade.clinic.dyadic.data import (
    DyadicDataError,
    numeric_column,
    require_columns,
    text_column,
)


@dataclass(frozen=True)
class GrowthFit:
    """The growth model fit: the JSON-ready result and the random-effects covariance ``G``."""

    result: DyadicResult
    g: Array
    fit: ProfiledFit


def growth_likelihood(table: pd.DataFrame, dyadic: bool) -> GrowthLikelihood:
    """The likelihood of checked person-period rows (columns ``d``, ``t``, ``r1``, ``y``)."""
    codes, uniques = pd.factorize(table["d"], sort=False)
    sums = person_period_sums(
        np.asarray(codes, dtype=np.intp),
        table["t"].to_numpy(np.float64),
        table["r1"].to_numpy(np.float64),
        table["y"].to_numpy(np.float64),
        len(uniques),
    )
    return GrowthLikelihood(sums, dyadic, len(table))


def fit_growth_full(
    frame: pd.DataFrame,
    *,
    dyad: str,
    role: str,
    time: str,
    outcome: str,
    method: Method = "reml",
    residual: str = "dyadic",
) -> GrowthFit:
    """Fit the dyadic growth model; see the module docstring.

    ``residual="independent"`` fixes :math:`\\rho = 0` and equal residual
    variances (used to compare with software that cannot express the dyadic
    residual structure).
    """
    require_columns(frame, [dyad, role, time, outcome])
    dyads = text_column(frame, dyad)
    roles_of = text_column(frame, role)
    t = numeric_column(frame, time)
    y = numeric_column(frame, outcome)
    roles = list(dict.fromkeys(roles_of.tolist()))
    if len(roles) != 2:
        raise DyadicDataError(f"the growth model needs exactly two roles in {role!r}")
    if bool(np.isnan(t).any()):
        raise DyadicDataError(f"column {time!r} has empty cells")
    table = pd.DataFrame({"d": dyads, "r": roles_of, "t": t, "y": y})
    if bool(table.duplicated(["d", "r", "t"]).any()):
        raise DyadicDataError(
            "a person has two rows for the same occasion (or a dyad has 3 members)"
        )
    table = table[~np.isnan(y)]
    if table.empty:
        raise DyadicDataError(f"no values in {outcome!r}")
    table = table.assign(r1=(table["r"] == roles[1]).astype(np.float64))
    dyadic = residual == "dyadic"
    likelihood = growth_likelihood(table, dyadic)

    theta0 = np.zeros(N_CHOL + (2 if dyadic else 0))
    theta0[[0, 2, 5, 9]] = [1.0, 1.0, 0.1, 0.1]  # the diagonal of L
    fit = fit_profiled(
        likelihood.whiten,
        theta0,
        method,
        n_obs=len(table),
        gradient=lambda theta: likelihood.loglik_and_gradient(theta, method),
    )
    sigma2 = fit.sigma2
    lower = factor(fit.theta)
    g_cov = sigma2 * (lower @ lower.T)
    names = [f"intercept[{roles[0]}]", f"intercept[{roles[1]}]"]
    names += [f"slope[{roles[0]}]", f"slope[{roles[1]}]"]
    rho = math.tanh(float(fit.theta[N_CHOL])) if dyadic else 0.0
    delta = math.exp(float(fit.theta[N_CHOL + 1])) if dyadic else 1.0
    result = DyadicResult(
        coefficients={
            n: Coefficient(float(b), float(s))
            for n, b, s in zip(names, fit.beta, fit.se, strict=True)
        },
        rho=rho,
        sigma={roles[0]: math.sqrt(sigma2), roles[1]: math.sqrt(sigma2) * delta},
        loglik=fit.loglik,
        method=method,
        n_dyads=int(table["d"].nunique()),
        n_obs=fit.n_obs,
        n_params=fit.n_params,
        random_sd={n: float(math.sqrt(v)) for n, v in zip(names, np.diag(g_cov), strict=True)},
    )
    return GrowthFit(result=result, g=g_cov, fit=fit)


def fit_growth(
    frame: pd.DataFrame, *, dyad: str, role: str, time: str, outcome: str, method: Method = "reml"
) -> DyadicResult:
    """Fit the dyadic growth model and return the JSON-ready result."""
    return fit_growth_full(
        frame, dyad=dyad, role=role, time=time, outcome=outcome, method=method
    ).result
