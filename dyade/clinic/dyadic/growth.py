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
:math:`G = \\sigma^2\\Psi`, :math:`\\Psi = LL^\\top` (:math:`L` lower triangular
with log-diagonal) and :math:`\\Lambda_d` the residual structure of
:mod:`dyade.clinic.dyadic._pairs` (same-day pairs). :math:`\\sigma^2` is profiled
out and the 12 other parameters are optimised (BFGS) on the transformed scale;
the log-likelihood is the (restricted) Gaussian log-likelihood of
:mod:`dyade.clinic.dyadic._gls`, the one ``nlme`` maximises.

References
----------
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
import numpy.typing as npt
import pandas as pd

from dyade.clinic.dyadic._gls import Array, Method, ProfiledFit, Whitener, fit_profiled
from dyade.clinic.dyadic._pairs import Coefficient, DyadicResult
from dyade.clinic.dyadic.data import (
    DyadicDataError,
    numeric_column,
    require_columns,
    text_column,
)

N_RE = 4
N_CHOL = N_RE * (N_RE + 1) // 2


@dataclass(frozen=True)
class _Sums:
    """Per dyad, the cross-products of :math:`W = [X\\; y]` that :math:`\\Lambda^{-1}` weighs.

    ``own[k]`` sums :math:`w_i w_i^\\top` over the rows of kind ``k`` (0: first role,
    partner measured on the same occasion; 1: second role, paired; 2: first role
    alone; 3: second role alone), and ``cross`` sums :math:`w_i w_j^\\top` over the
    paired rows :math:`i` with their partner's row :math:`j`. Each is (D, 5, 5).
    """

    own: Array  # (4, D, 5, 5)
    cross: Array  # (D, 5, 5)
    n_second: int  # rows of the second role
    n_pairs: int  # occasions with both partners


@dataclass(frozen=True)
class GrowthFit:
    """The growth model fit: the JSON-ready result and the random-effects covariance ``G``."""

    result: DyadicResult
    g: Array
    fit: ProfiledFit


def _factor(theta: Array) -> Array:
    """:math:`L`, lower triangular with a positive diagonal, so that :math:`\\Psi = LL^\\top`."""
    lower = np.zeros((N_RE, N_RE))
    lower[np.tril_indices(N_RE)] = theta[:N_CHOL]
    lower[np.diag_indices(N_RE)] = np.exp(np.diag(lower))
    return lower


def _psi(theta: Array) -> Array:
    lower = _factor(theta)
    return lower @ lower.T


def _sums(table: pd.DataFrame) -> _Sums:
    codes, _ = pd.factorize(table["d"], sort=False)
    order = np.lexsort((table["r1"].to_numpy(), table["t"].to_numpy(), codes))
    codes = codes[order]
    t = table["t"].to_numpy(np.float64)[order]
    r1 = table["r1"].to_numpy(np.float64)[order]
    y = table["y"].to_numpy(np.float64)[order]
    w = np.column_stack([1 - r1, r1, (1 - r1) * t, r1 * t, y])
    n = y.size
    partner = np.arange(n, dtype=np.intp)
    together = (codes[:-1] == codes[1:]) & (t[:-1] == t[1:])  # rows i and i+1: one occasion
    first = np.flatnonzero(together)
    partner[first], partner[first + 1] = first + 1, first
    paired = partner != np.arange(n)
    kind = np.where(paired, 0, 2) + (r1 > 0.5)
    n_dyads = int(codes.max()) + 1

    def per_dyad(rows: npt.NDArray[np.bool_], other: Array) -> Array:
        out = np.zeros((n_dyads, 5, 5))
        np.add.at(out, codes[rows], np.einsum("ni,nj->nij", w[rows], other[rows]))
        return out

    own = np.stack([per_dyad(kind == k, w) for k in range(4)])
    cross = per_dyad(paired, w[partner])
    return _Sums(own, cross, int(np.count_nonzero(r1 > 0.5)), int(np.count_nonzero(paired)) // 2)


def _whitener(sums: _Sums, dyadic: bool) -> Whitener:
    """The profiled likelihood's whitening, through the Woodbury identity.

    With :math:`K_d = I + L^\\top Z_d^\\top\\Lambda_d^{-1}Z_d L` and :math:`W_d = [X_d\\; y_d]`
    (here :math:`Z_d = X_d`):

    .. math::

        W^\\top V^{-1} W = \\sum_d W_d^\\top\\Lambda_d^{-1}W_d - B_d^\\top K_d^{-1} B_d,
        \\qquad B_d = L^\\top Z_d^\\top\\Lambda_d^{-1}W_d,
        \\qquad
        \\log|V_d| = \\log|\\Lambda_d| + \\log|K_d| ,

    (in units of :math:`\\sigma^2`), where :math:`\\Lambda_d^{-1}` is block diagonal
    with one 2 x 2 block per occasion on which both partners were measured, so
    :math:`W_d^\\top\\Lambda_d^{-1}W_d` is a weighted sum of the precomputed
    :class:`_Sums`. No matrix of a dyad's size is ever formed: after the sums,
    the cost grows with the number of dyads, not of observations. The 5 x 5
    cross-product :math:`R^\\top R` is returned as its Cholesky factor :math:`R`,
    which has the same cross-products as the whitened data (the number of
    observations is passed to the likelihood).
    """
    eye = np.eye(N_RE)

    def whiten(theta: Array) -> tuple[Array, Array, float]:
        lower = _factor(theta)
        rho = math.tanh(float(theta[N_CHOL])) if dyadic else 0.0
        delta = math.exp(float(theta[N_CHOL + 1])) if dyadic else 1.0
        one_minus = 1.0 - rho * rho
        # Lambda^-1 of a same-occasion pair is [[1, -rho d], [-rho d, d^2]]^-1 scaled.
        weights = (1 / one_minus, 1 / (one_minus * delta**2), 1.0, 1 / delta**2)
        c = np.einsum("k,kdij->dij", np.asarray(weights), sums.own)
        c += (-rho / (one_minus * delta)) * sums.cross
        lb = np.einsum("ki,dkj->dij", lower, c[:, :N_RE, :])  # L' Z' Lambda^-1 W
        k = eye + np.einsum("dij,jl->dil", lb[:, :, :N_RE], lower)
        chol = np.linalg.cholesky(k)
        part = np.linalg.solve(chol, lb)
        cross_products = c.sum(axis=0) - np.einsum("dki,dkj->ij", part, part)
        logdet = 2.0 * sums.n_second * math.log(delta) + sums.n_pairs * math.log(one_minus)
        logdet += 2.0 * float(np.sum(np.log(np.diagonal(chol, axis1=1, axis2=2))))
        r = np.linalg.cholesky(cross_products).T
        return r[:, :N_RE], r[:, N_RE], logdet

    return whiten


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
    whiten = _whitener(_sums(table), dyadic)

    theta0 = np.zeros(N_CHOL + (2 if dyadic else 0))
    theta0[[0, 2, 5, 9]] = [0.0, 0.0, math.log(0.1), math.log(0.1)]  # diagonal of L
    fit = fit_profiled(whiten, theta0, method, simplex=False, n_obs=len(table))
    sigma2 = fit.sigma2
    g_cov = sigma2 * _psi(fit.theta)
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
