"""The Truth and Bias model of judgments in dyads (West & Kenny 2011).

Each person :math:`i` judges the partner :math:`i'` on a variable :math:`Y`
(e.g. "how much desire does my partner feel today"); :math:`J_i` is that
judgment. The partner's actual value :math:`Y_{i'}` is the *truth* and the
person's own value :math:`Y_i` the *bias* variable (assumed similarity). All
three are centred on the mean of the truth, :math:`\\mu_T`:

.. math::

    J_i - \\mu_T = \\beta_0 + \\beta_T (Y_{i'} - \\mu_T) + \\beta_B (Y_i - \\mu_T) + e_i .

Because the truth and the bias variable share the truth mean, the intercept
:math:`\\beta_0` is the *directional bias* (mean level bias: do judgments
over- or under-shoot the partner's actual level, at the truth mean), the slope
:math:`\\beta_T` the *truth force* and :math:`\\beta_B` the *bias force*
(West & Kenny 2011, pp. 360-362). When the perceivers' own mean equals the
truth mean (always so for indistinguishable dyads with complete data),
:math:`\\hat\\beta_0 = \\overline{J - Y_{i'}}` exactly.

For distinguishable dyads (the default) every coefficient is per role of the
perceiver, the truth mean :math:`\\mu_T` of perceivers of role :math:`r` is the
mean actual value of their partners, and the model is the two-intercept model
with role-specific residual variances and one residual correlation (see
:mod:`dyade.clinic.dyadic._pairs`); for indistinguishable dyads there is one
set of coefficients and :math:`\\mu_T` is the mean of all partners' actual
values. Both are fitted by profiled REML or ML
(:mod:`dyade.clinic.dyadic._gls`). With complete dyads the two roles have the
same predictors (a constant, both partners' :math:`Y`), so the GLS estimates
equal ordinary least squares per role (Zellner's seemingly unrelated
regressions); the standard errors and :math:`\\rho` are GLS.

Persons whose judgment, own value or partner's value is missing are left out;
the truth mean is taken over the persons analysed.

References
----------
West, T. V., & Kenny, D. A. (2011). The truth and bias model of judgment.
*Psychological Review, 118*(2), 357-378.

Kenny, D. A., Kashy, D. A., & Cook, W. L. (2006). *Dyadic data analysis*. Guilford.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dyade.clinic.dyadic._gls import Array, Method
from dyade.clinic.dyadic._pairs import Coefficient, DyadicResult, fit_pairs
from dyade.clinic.dyadic.apim import ALL, _structure
from dyade.clinic.dyadic.data import (
    DyadicDataError,
    numeric_column,
    pair_persons,
    partner_values,
    require_columns,
)


def fit_truth_bias(
    frame: pd.DataFrame,
    *,
    dyad: str,
    judgment: str,
    actual: str,
    role: str | None = None,
    distinguishable: bool = True,
    method: Method = "reml",
) -> DyadicResult:
    """Fit the Truth and Bias model to individual-format data.

    Parameters
    ----------
    frame : DataFrame
        One row per person.
    dyad, role : str
        Dyad and role columns (``role`` required when ``distinguishable``).
    judgment : str
        :math:`J`, the person's judgment of the partner's :math:`Y`.
    actual : str
        :math:`Y`, the person's own actual value.
    distinguishable : bool
        Coefficients per role (the default) or one set for all.
    method : {"reml", "ml"}

    Returns
    -------
    DyadicResult
        Coefficients ``directional_bias``, ``truth_force`` and ``bias_force``
        (with ``[ROLE]`` for distinguishable dyads), :math:`\\rho`,
        :math:`\\sigma` per role, log-likelihood and the number of dyads.
    """
    if judgment == actual:
        raise DyadicDataError("the judgment and the actual value must be different columns")
    require_columns(frame, [dyad, judgment, actual] + ([role] if role else []))
    pairing = pair_persons(
        frame, dyad, role if distinguishable else None, distinguishable=distinguishable
    )
    j_all = numeric_column(frame, judgment)
    own = numeric_column(frame, actual)
    truth = partner_values(own, pairing)
    rows = np.flatnonzero(~np.isnan(j_all) & ~np.isnan(own) & ~np.isnan(truth))
    if rows.size == 0:
        raise DyadicDataError("no complete rows (judgment, own and partner's actual value)")
    role_index = None
    if distinguishable:
        assert pairing.role is not None
        role_of = np.array([pairing.roles.index(r) for r in pairing.role], dtype=np.intp)
        role_index = role_of[rows]
        groups = [role_index == r for r in (0, 1)]
        if not all(bool(g.any()) for g in groups):
            raise DyadicDataError("each role needs at least one person with complete data")
        mu = np.empty(rows.size)
        for g in groups:
            mu[g] = float(np.mean(truth[rows][g]))
    else:
        mu = np.full(rows.size, float(np.mean(truth[rows])))
    y = j_all[rows] - mu
    t = truth[rows] - mu
    b = own[rows] - mu
    names: list[str]
    if distinguishable:
        ind = np.column_stack([g.astype(np.float64) for g in groups])
        blocks: list[Array] = [ind, ind * t[:, None], ind * b[:, None]]
        design = np.column_stack(blocks)
        names = [
            f"{kind}[{r}]"
            for kind in ("directional_bias", "truth_force", "bias_force")
            for r in pairing.roles
        ]
    else:
        design = np.column_stack([np.ones(rows.size), t, b])
        names = ["directional_bias", "truth_force", "bias_force"]
    result = fit_pairs(y, design, _structure(pairing.partner, rows, role_index), method)
    fit = result.fit
    sigma0 = float(np.sqrt(fit.sigma2))
    sigma = (
        {pairing.roles[0]: sigma0, pairing.roles[1]: sigma0 * result.sd_ratio}
        if distinguishable
        else {ALL: sigma0}
    )
    return DyadicResult(
        coefficients={
            n: Coefficient(float(v), float(s))
            for n, v, s in zip(names, fit.beta, fit.se, strict=True)
        },
        rho=result.rho,
        sigma=sigma,
        loglik=fit.loglik,
        method=method,
        n_dyads=len({pairing.dyad[i] for i in rows}),
        n_obs=fit.n_obs,
        n_params=fit.n_params,
    )
