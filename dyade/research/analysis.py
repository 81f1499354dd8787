"""Running the dyadic models of :mod:`dyade.clinic.dyadic` on a study's data.

The growth model uses every diary day. The APIM and Truth and Bias are
cross-sectional models, so they run on each person's average over the study's
diary days (one row per person), which is how diary data are commonly
summarised for them (Kenny, Kashy & Cook 2006, ch. 13).
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
from django.utils.translation import gettext as _

from dyade.clinic.dyadic import (
    DyadicDataError,
    DyadicResult,
    EstimationError,
    fit_apim,
    fit_growth,
    fit_truth_bias,
)
from dyade.clinic.research import Dataset

MIN_DYADS = 3
_Z95 = 1.959963984540054


class AnalysisProblem(ValueError):
    """The model cannot be fitted to this study's data; the message says why."""


def _numeric(
    long: pd.DataFrame, columns: list[str], keys: tuple[str, ...] = ("dyad", "role")
) -> pd.DataFrame:
    """``keys`` and ``columns`` of the long table, the columns as floats (NaN when empty)."""
    frame = long[[*keys, *columns]].copy()
    for column in columns:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def _person_means(long: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return _numeric(long, columns).groupby(["dyad", "role"], as_index=False)[columns].mean()


def _fit(dataset: Dataset, choice: dict[str, Any]) -> DyadicResult:
    method = choice.get("method") or "reml"
    distinguishable = bool(choice.get("distinguishable"))
    model = choice["model"]
    long = dataset.long
    if model == "growth":
        outcome = choice["outcome"]
        frame = _numeric(long, [outcome], keys=("dyad", "role", "day"))
        return fit_growth(
            frame, dyad="dyad", role="role", time="day", outcome=outcome, method=method
        )
    if model == "apim":
        outcome, predictor = choice["outcome"], choice["predictor"]
        frame = _person_means(long, [outcome, predictor])
        return fit_apim(
            frame,
            dyad="dyad",
            role="role",
            outcome=outcome,
            actors=[predictor],
            distinguishable=distinguishable,
            method=method,
        )
    frame = _person_means(long, ["perceived_desire", "desire"])
    return fit_truth_bias(
        frame,
        dyad="dyad",
        role="role",
        judgment="perceived_desire",
        actual="desire",
        distinguishable=distinguishable,
        method=method,
    )


def _name(name: str, labels: dict[str, str], model: str) -> str:
    """A coefficient name such as ``actor[desire][A]`` in words."""
    parts = name.replace("]", "").split("[")
    head, rest = parts[0], parts[1:]
    role = rest[-1] if rest and rest[-1] in ("A", "B") else None
    variable = labels.get(rest[0], rest[0]) if rest and rest[0] not in ("A", "B") else None
    words = {
        "intercept": _("Level on day 0") if model == "growth" else _("Intercept"),
        "actor": _("Actor effect of %(variable)s"),
        "partner": _("Partner effect of %(variable)s"),
        "slope": _("Change per day"),
        "directional_bias": _("Directional bias (reads desire too high if positive)"),
        "truth_force": _("Truth force (follows the partner's actual desire)"),
        "bias_force": _("Bias force (projects one's own desire)"),
    }
    text = words.get(head, head)
    if variable is not None:
        text = text % {"variable": variable}
    if role is not None:
        text += " · " + _("partner %(role)s") % {"role": role}
    return text


def run(dataset: Dataset, choice: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """Fit the chosen model and return what the results page shows."""
    if dataset.n_dyads < MIN_DYADS:
        raise AnalysisProblem(
            _("The study has %(n)s couples with data; a dyadic model needs at least %(min)s.")
            % {"n": dataset.n_dyads, "min": MIN_DYADS}
        )
    try:
        result = _fit(dataset, choice)
    except (DyadicDataError, EstimationError, ValueError, ArithmeticError) as error:
        raise AnalysisProblem(
            _("The model could not be fitted to these data: %(reason)s") % {"reason": error}
        ) from error
    rows = []
    for name, coefficient in result.coefficients.items():
        se = coefficient.se
        rows.append(
            {
                "name": name,
                "label": _name(name, labels, choice["model"]),
                "estimate": coefficient.estimate,
                "se": se,
                "low": coefficient.estimate - _Z95 * se if math.isfinite(se) else None,
                "high": coefficient.estimate + _Z95 * se if math.isfinite(se) else None,
            }
        )
    return {
        "model": choice["model"],
        "rows": rows,
        "json_text": json.dumps(result.as_json(), indent=2),
        "rho": result.rho,
        "sigma": result.sigma,
        "loglik": result.loglik,
        "k": result.k,
        "random_sd": result.random_sd,
        "n_dyads": result.n_dyads,
        "n_obs": result.n_obs,
        "method": result.method,
    }
