"""Profiled (restricted) maximum likelihood for generalised least squares.

The model is :math:`y = X\\beta + e`, :math:`e \\sim N(0, \\sigma^2 \\Lambda(\\theta))`,
with :math:`\\Lambda` block diagonal (one block per dyad) and known up to a
small vector :math:`\\theta` of variance parameters (a correlation, a ratio of
standard deviations, a scaled random-effects covariance). A model supplies a
*whitening* function that, for given :math:`\\theta`, returns
:math:`X^* = L^{-1}X`, :math:`y^* = L^{-1}y` and :math:`\\log|\\Lambda|`, where
:math:`\\Lambda = LL^\\top`. Then

.. math::

    \\hat\\beta(\\theta) = (X^{*\\top}X^*)^{-1}X^{*\\top}y^*, \\qquad
    \\mathrm{RSS}(\\theta) = \\lVert y^* - X^*\\hat\\beta \\rVert^2,

and, with :math:`N` observations, :math:`p` fixed effects and
:math:`\\nu = N` (ML) or :math:`\\nu = N - p` (REML), :math:`\\sigma^2` is profiled
out as :math:`\\hat\\sigma^2 = \\mathrm{RSS}/\\nu`, giving the profiled
log-likelihood exactly as ``nlme::gls`` defines it (Pinheiro & Bates 2000,
sections 2.2.5 and 5.1):

.. math::

    \\ell_{ML}(\\theta) = -\\tfrac{N}{2}\\left[\\log(2\\pi) + 1 +
        \\log\\tfrac{\\mathrm{RSS}}{N}\\right] - \\tfrac12\\log|\\Lambda|

    \\ell_{REML}(\\theta) = -\\tfrac{N-p}{2}\\left[\\log(2\\pi) + 1 +
        \\log\\tfrac{\\mathrm{RSS}}{N-p}\\right] - \\tfrac12\\log|\\Lambda|
        - \\tfrac12\\log|X^{*\\top}X^*|

(``nlme`` omits the :math:`+\\tfrac12\\log|X^\\top X|` term some other programs add;
the reference values in the tests confirm this definition.) The profiled
log-likelihood is maximised over an unconstrained transform of :math:`\\theta`
with :func:`scipy.optimize.minimize`. Standard errors are those ``nlme`` reports:
the square roots of the diagonal of :math:`\\mathrm{RSS}/(N-p)\\,(X^{*\\top}X^*)^{-1}`
at the estimate, for REML and for ML alike (under ML ``nlme`` still reports
:math:`\\hat\\sigma` as :math:`\\sqrt{\\mathrm{RSS}/N}`).

References
----------
Pinheiro, J. C., & Bates, D. M. (2000). *Mixed-effects models in S and S-PLUS*.
Springer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import optimize

from dyade.clinic.dyadic._bfgs import minimise

Array = npt.NDArray[np.float64]
Method = Literal["reml", "ml"]
Whitened = tuple[Array, Array, float]
Whitener = Callable[[Array], Whitened]
Gradient = Callable[[Array], tuple[float, Array]]  # the log-likelihood and its gradient


class EstimationError(ValueError):
    """The model cannot be estimated from these data (e.g. a rank-deficient design)."""


@dataclass(frozen=True)
class ProfiledFit:
    """The result of :func:`fit_profiled`.

    Attributes
    ----------
    theta : ndarray
        The variance parameters on the unconstrained (optimisation) scale.
    beta, se : ndarray
        Fixed effects and their standard errors.
    sigma2 : float
        The profiled residual variance :math:`\\mathrm{RSS}/\\nu`.
    loglik : float
        The maximised (restricted) log-likelihood.
    n_obs, n_params : int
        Number of observations and of estimated parameters (fixed effects,
        :math:`\\theta` and :math:`\\sigma^2`), for likelihood-ratio tests.
    """

    theta: Array
    beta: Array
    se: Array
    sigma2: float
    loglik: float
    n_obs: int
    n_params: int


def profiled_loglik(
    whitened: Whitened, method: Method, n_obs: int | None = None
) -> tuple[float, Array, Array, float]:
    """Profiled log-likelihood, :math:`\\hat\\beta`, its covariance and :math:`\\hat\\sigma^2`.

    ``n_obs`` is :math:`N` when the whitened data are given in a compact form
    with the same cross-products (fewer rows than observations).
    """
    xw, yw, logdet = whitened
    rows, p = xw.shape
    n = rows if n_obs is None else n_obs
    xtx = xw.T @ xw
    sign, logdet_xtx = np.linalg.slogdet(xtx)
    if sign <= 0 or not math.isfinite(logdet_xtx):
        raise EstimationError("the design matrix is rank deficient (a predictor is constant?)")
    beta = np.asarray(np.linalg.solve(xtx, xw.T @ yw), dtype=np.float64)
    resid = yw - xw @ beta
    rss = float(resid @ resid)
    nu = n - p if method == "reml" else n
    if n - p <= 0 or rss <= 0:
        raise EstimationError("too few observations for this model")
    ll = -0.5 * nu * (math.log(2 * math.pi) + 1 + math.log(rss / nu)) - 0.5 * logdet
    if method == "reml":
        ll -= 0.5 * float(logdet_xtx)
    sigma2 = rss / nu
    # nlme reports the fixed effects' standard errors with RSS / (N - p) under
    # ML as well (summary.gls and summary.lme), while sigma stays the ML estimate.
    cov: Array = np.asarray(rss / (n - p) * np.linalg.inv(xtx), dtype=np.float64)
    return float(ll), beta, cov, sigma2


def fit_profiled(
    whiten: Whitener,
    theta0: Array,
    method: Method,
    *,
    n_obs: int | None = None,
    gradient: Gradient | None = None,
) -> ProfiledFit:
    """Maximise the profiled log-likelihood over the unconstrained parameters ``theta``.

    With ``gradient`` (the log-likelihood and its analytic gradient for this
    ``method``): BFGS on that gradient (:mod:`dyade.clinic.dyadic._bfgs`), for
    many parameters. Without: Nelder-Mead with tight tolerances, polished by BFGS
    on central differences, restarted until it stops moving, for one or two
    parameters. ``theta`` may be empty (no variance parameters besides
    :math:`\\sigma^2`).
    """
    if method not in ("reml", "ml"):
        raise ValueError(f"method must be 'reml' or 'ml', not {method!r}")
    theta = np.asarray(theta0, dtype=np.float64)
    if theta.size:
        # Fail early, with a clear message, on a design that cannot be estimated at all.
        profiled_loglik(whiten(theta), method, n_obs)
        if gradient is not None:
            theta = _maximise(gradient, theta)
        else:
            theta = _simplex(whiten, theta, method, n_obs)
    whitened = whiten(theta)
    ll, beta, cov, sigma2 = profiled_loglik(whitened, method, n_obs)
    return ProfiledFit(
        theta=theta,
        beta=beta,
        se=np.sqrt(np.diag(cov)),
        sigma2=sigma2,
        loglik=ll,
        n_obs=int(whitened[0].shape[0]) if n_obs is None else n_obs,
        n_params=int(beta.size + theta.size + 1),
    )


def _simplex(whiten: Whitener, theta0: Array, method: Method, n_obs: int | None) -> Array:
    def objective(theta: Array) -> float:
        try:
            value = profiled_loglik(whiten(np.asarray(theta, dtype=np.float64)), method, n_obs)[0]
        except (np.linalg.LinAlgError, FloatingPointError, EstimationError):
            return 1e300
        return -value if math.isfinite(value) else 1e300

    best = theta0
    for _ in range(3):
        result = optimize.minimize(
            objective,
            best,
            method="Nelder-Mead",
            options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000, "maxfev": 40000},
        )
        polished = optimize.minimize(
            objective, result.x, method="BFGS", jac="3-point", options={"gtol": 1e-9}
        )
        candidate = polished.x if polished.fun <= result.fun else result.x
        if np.allclose(candidate, best, atol=1e-9, rtol=0):
            best = candidate
            break
        best = candidate
    return np.asarray(best, dtype=np.float64)


def _maximise(gradient: Gradient, theta0: Array) -> Array:
    """Maximise with the analytic gradient (:func:`dyade.clinic.dyadic._bfgs.minimise`)."""

    def objective(theta: Array) -> tuple[float, Array]:
        try:
            value, grad = gradient(theta)
        except (np.linalg.LinAlgError, FloatingPointError, EstimationError):
            return math.inf, np.zeros_like(theta)
        if not (math.isfinite(value) and bool(np.all(np.isfinite(grad)))):
            return math.inf, np.zeros_like(theta)
        return -value, -grad

    return minimise(objective, np.asarray(theta0, dtype=np.float64))[0]
