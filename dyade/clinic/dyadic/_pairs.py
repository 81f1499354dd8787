"""GLS with a 2 x 2 within-dyad residual covariance (shared by APIM and Truth and Bias).

For a dyad with members :math:`i, j` the residual covariance is

.. math::

    \\operatorname{Cov}\\begin{pmatrix}e_i\\\\ e_j\\end{pmatrix} = \\sigma^2
    \\begin{pmatrix} \\delta_{r_i}^2 & \\rho\\,\\delta_{r_i}\\delta_{r_j} \\\\
                     \\rho\\,\\delta_{r_i}\\delta_{r_j} & \\delta_{r_j}^2 \\end{pmatrix},

with :math:`\\delta = 1` for indistinguishable dyads (``nlme``:
``correlation = corCompSymm(form = ~1 | dyad)``) and, for distinguishable dyads,
:math:`\\delta_{r} = 1` for the first role and :math:`\\delta_r = \\exp(\\tau)`
for the second (``weights = varIdent(form = ~1 | role)``). A person whose partner
is missing contributes a 1 x 1 block :math:`\\sigma^2\\delta_r^2`. The correlation
is optimised as :math:`\\rho = \\tanh(\\alpha)`, so it may be negative.

Whitening uses the Cholesky factor of the block in closed form: with
:math:`u = e/\\delta`, :math:`u_i^* = u_i` and
:math:`u_j^* = (u_j - \\rho u_i)/\\sqrt{1-\\rho^2}`, and
:math:`\\log|\\Lambda| = 2\\sum\\log\\delta + n_{\\text{pairs}}\\log(1-\\rho^2)`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from dyade.clinic.dyadic._gls import Array, EstimationError, Method, ProfiledFit, fit_profiled

IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Coefficient:
    """A fixed effect and its standard error."""

    estimate: float
    se: float


@dataclass(frozen=True)
class DyadicResult:
    """A fitted dyadic model, ready for JSON.

    ``sigma`` maps each role (as written in the data; ``"all"`` for
    indistinguishable dyads) to its residual standard deviation.
    """

    coefficients: dict[str, Coefficient]
    rho: float
    sigma: dict[str, float]
    loglik: float
    method: Method
    n_dyads: int
    n_obs: int
    n_params: int
    k: dict[str, float | None] | None = None
    random_sd: dict[str, float] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The documented JSON shape (``k`` and ``random_sd`` only where the model has them)."""
        out: dict[str, Any] = {
            "coefficients": {
                name: {"estimate": _finite(c.estimate), "se": _finite(c.se)}
                for name, c in self.coefficients.items()
            }
        }
        if self.random_sd is not None:
            out["random_sd"] = {name: _finite(v) for name, v in self.random_sd.items()}
        out["rho"] = _finite(self.rho)
        out["sigma"] = {name: _finite(v) for name, v in self.sigma.items()}
        out["loglik"] = _finite(self.loglik)
        if self.k is not None:
            out["k"] = {name: None if v is None else _finite(v) for name, v in self.k.items()}
        out["n_dyads"] = self.n_dyads
        out.update(self.extra)
        return out


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


@dataclass(frozen=True)
class PairStructure:
    """Which rows form pairs, and the role index (0 or 1) of every row."""

    first: IntArray
    second: IntArray
    role_index: IntArray | None

    @staticmethod
    def from_partners(partner: IntArray, role_index: IntArray | None) -> PairStructure:
        """Build from the partner row of every row (``-1`` for none)."""
        rows = np.arange(partner.size, dtype=np.intp)
        paired = (partner >= 0) & (partner > rows)
        return PairStructure(first=rows[paired], second=partner[paired], role_index=role_index)


@dataclass(frozen=True)
class PairFit:
    """The GLS fit with the within-dyad covariance on the natural scale."""

    fit: ProfiledFit
    rho: float
    sd_ratio: float


def fit_pairs(y: Array, x: Array, pairs: PairStructure, method: Method) -> PairFit:
    """Fit :math:`y = X\\beta + e` with the within-dyad covariance of this module.

    Returns the profiled fit, :math:`\\hat\\rho` and the ratio of the residual SD
    of role 1 to that of role 0 (1 for indistinguishable dyads).
    """
    distinguishable = pairs.role_index is not None
    if y.size <= x.shape[1] + 2:
        raise EstimationError("too few observations for this model")

    def whiten(theta: Array) -> tuple[Array, Array, float]:
        rho = math.tanh(float(theta[0]))
        one_minus = 1.0 - rho * rho
        if one_minus <= 1e-14:
            raise FloatingPointError("correlation at the boundary")
        if pairs.role_index is not None:
            scale = np.where(pairs.role_index == 1, math.exp(float(theta[1])), 1.0)
        else:
            scale = np.ones(y.size)
        yw = y / scale
        xw = x / scale[:, None]
        root = math.sqrt(one_minus)
        yw[pairs.second] = (yw[pairs.second] - rho * yw[pairs.first]) / root
        xw[pairs.second] = (xw[pairs.second] - rho * xw[pairs.first]) / root
        logdet = 2.0 * float(np.sum(np.log(scale))) + pairs.second.size * math.log(one_minus)
        return xw, yw, logdet

    theta0 = np.zeros(2 if distinguishable else 1)
    fit = fit_profiled(whiten, theta0, method)
    rho = math.tanh(float(fit.theta[0]))
    ratio = math.exp(float(fit.theta[1])) if distinguishable else 1.0
    return PairFit(fit=fit, rho=rho, sd_ratio=ratio)
