"""The Actor-Partner Interdependence Model (APIM) for cross-sectional dyadic data.

Data are in individual format: one row per person, the dyad identified by a
column, the partner's predictors found through the dyad (the pairwise
structure of Kenny, Kashy & Cook 2006, ch. 1).

Indistinguishable dyads (one intercept; ``nlme::gls`` with
``correlation = corCompSymm(form = ~1 | dyad)``):

.. math::

    Y_{i} = \\beta_0 + \\sum_x a_x X_{i} + \\sum_x p_x X_{i'} + e_i, \\qquad
    \\operatorname{Var}(e_i) = \\sigma^2,\\;
    \\operatorname{Corr}(e_i, e_{i'}) = \\rho,

where :math:`i'` is the partner of :math:`i`; :math:`\\rho` may be negative.

Distinguishable dyads (the two-intercept model, Kenny, Kashy & Cook 2006,
section 7.4; ``weights = varIdent(form = ~1 | role)``): with role indicators
:math:`D_{ri}`,

.. math::

    Y_{i} = \\sum_r D_{ri}\\left(\\beta_{0r} + \\sum_x a_{xr} X_{i}
        + \\sum_x p_{xr} X_{i'}\\right) + e_i,\\qquad
    \\operatorname{Var}(e_i) = \\sigma_{r_i}^2,\\;
    \\operatorname{Corr}(e_i, e_{i'}) = \\rho .

A role-specific coefficient belongs to the role of the person whose outcome is
predicted: ``partner[X][1]`` is the effect of the partner's X on the outcome of
the person with role ``1``.

Both are fitted by profiled REML or ML (see :mod:`dyade.clinic.dyadic._gls`);
standard errors are those of ``nlme::gls``. The ratio
:math:`k = p/a` (Kenny & Ledermann 2010) is reported per predictor (and per
role): :math:`k \\approx 1` suggests a couple pattern, :math:`k \\approx 0` an
actor-only pattern, :math:`k \\approx -1` a contrast pattern. It is ``None``
when the actor effect is exactly zero.

The test of distinguishability (Kenny, Kashy & Cook 2006, section 6.3) compares
the ML fits of the two models: the indistinguishable model is the
distinguishable one with equal intercepts, equal actor and partner effects and
equal residual variances, so

.. math::

    \\chi^2 = 2(\\ell_{ML,\\,dist} - \\ell_{ML,\\,indist}), \\qquad
    df = (2 + 4m + 3) - (1 + 2m + 2) = 2m + 2

for :math:`m` predictors (4 for one predictor).

Missing data: a person whose outcome, own predictors or partner's predictors
are missing (or who has no partner row) is left out, as ``na.omit`` does in
``nlme``; the partner of such a person still contributes a 1 x 1 block.

References
----------
Kenny, D. A., Kashy, D. A., & Cook, W. L. (2006). *Dyadic data analysis*. Guilford.

Kenny, D. A., & Ledermann, T. (2010). Detecting, measuring, and testing dyadic
patterns in the actor-partner interdependence model. *Journal of Family
Psychology, 24*(3), 359-366.

Pinheiro, J. C., & Bates, D. M. (2000). *Mixed-effects models in S and S-PLUS*. Springer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from dyade.clinic.dyadic._gls import Array, Method
from dyade.clinic.dyadic._pairs import (
    Coefficient,
    DyadicResult,
    PairStructure,
    fit_pairs,
)
from dyade.clinic.dyadic.data import (
    DyadicDataError,
    numeric_column,
    pair_persons,
    partner_values,
    require_columns,
)

ALL = "all"
"""The ``sigma`` key for indistinguishable dyads: one residual SD for everyone."""


def fit_apim(
    frame: pd.DataFrame,
    *,
    dyad: str,
    outcome: str,
    actors: Sequence[str],
    role: str | None = None,
    distinguishable: bool = False,
    method: Method = "reml",
) -> DyadicResult:
    """Fit the APIM to individual-format data.

    Parameters
    ----------
    frame : DataFrame
        One row per person (cells may be text; they are parsed as numbers).
    dyad, role : str
        The dyad and role columns (``role`` is required for distinguishable dyads).
    outcome : str
        The outcome column :math:`Y`.
    actors : sequence of str
        Predictor columns :math:`X`; each enters as the person's own value
        (``actor[X]``) and the partner's value (``partner[X]``).
    distinguishable : bool
        Two-intercept model with role-specific effects and variances.
    method : {"reml", "ml"}

    Returns
    -------
    DyadicResult
        Coefficients, :math:`\\rho`, :math:`\\sigma` per role, log-likelihood,
        :math:`k` and the number of dyads.
    """
    if not actors:
        raise DyadicDataError("at least one predictor (--actor) is needed")
    if len(set(actors)) != len(actors):
        raise DyadicDataError("a predictor is given twice")
    if outcome in actors:
        raise DyadicDataError("the outcome cannot also be a predictor")
    require_columns(frame, [dyad, outcome, *actors] + ([role] if role else []))
    pairing = pair_persons(
        frame, dyad, role if distinguishable else None, distinguishable=distinguishable
    )
    y_all = numeric_column(frame, outcome)
    own = np.column_stack([numeric_column(frame, x) for x in actors])
    other = np.column_stack([partner_values(own[:, j], pairing) for j in range(own.shape[1])])
    keep = ~np.isnan(y_all) & ~np.isnan(own).any(axis=1) & ~np.isnan(other).any(axis=1)
    rows = np.flatnonzero(keep)
    if rows.size == 0:
        raise DyadicDataError("no complete rows (outcome, predictors and partner's predictors)")
    names: list[str]
    role_index = None
    if distinguishable:
        assert pairing.role is not None
        role_of = np.array([pairing.roles.index(r) for r in pairing.role], dtype=np.intp)
        role_index = role_of[rows]
        ind = np.column_stack([(role_index == r).astype(np.float64) for r in (0, 1)])
        blocks: list[Array] = [ind]
        names = [f"intercept[{r}]" for r in pairing.roles]
        for kind, values in (("actor", own), ("partner", other)):
            for j, x in enumerate(actors):
                blocks.append(ind * values[rows, j][:, None])
                names += [f"{kind}[{x}][{r}]" for r in pairing.roles]
        design = np.column_stack(blocks)
    else:
        design = np.column_stack([np.ones(rows.size), own[rows], other[rows]])
        names = ["intercept"] + [f"actor[{x}]" for x in actors] + [f"partner[{x}]" for x in actors]
    structure = _structure(pairing.partner, rows, role_index)
    result = fit_pairs(y_all[rows], design, structure, method)
    fit = result.fit
    coefficients = {
        name: Coefficient(float(b), float(s))
        for name, b, s in zip(names, fit.beta, fit.se, strict=True)
    }
    sigma0 = float(np.sqrt(fit.sigma2))
    if distinguishable:
        sigma = {pairing.roles[0]: sigma0, pairing.roles[1]: sigma0 * result.sd_ratio}
        k = {
            f"{x}[{r}]": _ratio(
                coefficients[f"partner[{x}][{r}]"], coefficients[f"actor[{x}][{r}]"]
            )
            for x in actors
            for r in pairing.roles
        }
    else:
        sigma = {ALL: sigma0}
        k = {x: _ratio(coefficients[f"partner[{x}]"], coefficients[f"actor[{x}]"]) for x in actors}
    return DyadicResult(
        coefficients=coefficients,
        rho=result.rho,
        sigma=sigma,
        loglik=fit.loglik,
        method=method,
        n_dyads=len({pairing.dyad[i] for i in rows}),
        n_obs=fit.n_obs,
        n_params=fit.n_params,
        k=k,
    )


def _structure(
    partner: np.ndarray, rows: np.ndarray, role_index: np.ndarray | None
) -> PairStructure:
    """Pairs among the kept rows, in the index space of the kept rows."""
    position = np.full(partner.size, -1, dtype=np.intp)
    position[rows] = np.arange(rows.size, dtype=np.intp)
    kept_partner = np.where(partner[rows] >= 0, position[np.maximum(partner[rows], 0)], -1)
    kept_partner = np.where(partner[rows] >= 0, kept_partner, -1).astype(np.intp)
    return PairStructure.from_partners(kept_partner, role_index)


def _ratio(partner: Coefficient, actor: Coefficient) -> float | None:
    return None if actor.estimate == 0 else partner.estimate / actor.estimate


@dataclass(frozen=True)
class DistinguishabilityTest:
    """Likelihood-ratio test of distinguishability on ML fits."""

    chi2: float
    df: int
    p: float
    loglik_distinguishable: float
    loglik_indistinguishable: float


def distinguishability_test(
    frame: pd.DataFrame, *, dyad: str, role: str, outcome: str, actors: Sequence[str]
) -> DistinguishabilityTest:
    """Compare the distinguishable and indistinguishable APIM by ML.

    :math:`\\chi^2 = 2(\\ell_{dist} - \\ell_{indist})` on
    :math:`df` = the difference in the number of parameters (4 with one
    predictor: one intercept, one actor and one partner effect and one variance
    ratio), as in Kenny, Kashy & Cook (2006, section 6.3). Both models are fitted
    to the same rows (persons with complete data).
    """
    dist = fit_apim(
        frame,
        dyad=dyad,
        role=role,
        outcome=outcome,
        actors=actors,
        distinguishable=True,
        method="ml",
    )
    indist = fit_apim(
        frame,
        dyad=dyad,
        role=role,
        outcome=outcome,
        actors=actors,
        distinguishable=False,
        method="ml",
    )
    chi2 = max(0.0, 2.0 * (dist.loglik - indist.loglik))
    df = dist.n_params - indist.n_params
    return DistinguishabilityTest(
        chi2=chi2,
        df=df,
        p=float(stats.chi2.sf(chi2, df)),
        loglik_distinguishable=dist.loglik,
        loglik_indistinguishable=indist.loglik,
    )
