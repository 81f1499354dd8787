"""APIM against R ``nlme::gls`` reference values (issue 6) on Kenny's Acitelli data.

The numbers below are the published reference values, not output of this code:
outcome ``satisfaction``, actor and partner predictor ``other_pos``, 148 couples.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dyade.clinic.dyadic import (
    DyadicDataError,
    DyadicResult,
    distinguishability_test,
    fit_apim,
    read_csv,
)

DATA = Path(__file__).parent / "data" / "acitelli_individual.csv"
REL = 1e-5


@pytest.fixture(scope="module")
def acitelli() -> pd.DataFrame:
    return read_csv(str(DATA))


def _fit(frame: pd.DataFrame, distinguishable: bool, method: str) -> DyadicResult:
    return fit_apim(
        frame,
        dyad="cuplid",
        role="gender",
        outcome="satisfaction",
        actors=["other_pos"],
        distinguishable=distinguishable,
        method=method,  # type: ignore[arg-type]
    )


def _check(result: DyadicResult, name: str, estimate: float, se: float) -> None:
    coefficient = result.coefficients[name]
    assert coefficient.estimate == pytest.approx(estimate, rel=REL)
    assert coefficient.se == pytest.approx(se, rel=REL)


def test_indistinguishable_reml(acitelli: pd.DataFrame) -> None:
    result = _fit(acitelli, False, "reml")
    _check(result, "intercept", 0.6697541, 0.3224381)
    _check(result, "actor[other_pos]", 0.4004231, 0.0473141)
    _check(result, "partner[other_pos]", 0.2879705, 0.0473141)
    assert result.rho == pytest.approx(0.4693414, rel=REL)
    assert result.sigma == {"all": pytest.approx(0.4173659, rel=REL)}
    assert result.loglik == pytest.approx(-148.3591, abs=1e-3)
    assert result.n_dyads == 148
    assert result.k == {"other_pos": pytest.approx(0.2879705 / 0.4004231, rel=REL)}


def test_distinguishable_reml(acitelli: pd.DataFrame) -> None:
    result = _fit(acitelli, True, "reml")
    _check(result, "intercept[1]", 0.6904589, 0.3429034)
    _check(result, "intercept[-1]", 0.6112485, 0.4128195)
    _check(result, "actor[other_pos][1]", 0.4243866, 0.0677157)
    _check(result, "actor[other_pos][-1]", 0.3777000, 0.0739222)
    _check(result, "partner[other_pos][1]", 0.2616498, 0.0614025)
    _check(result, "partner[other_pos][-1]", 0.3214782, 0.0815225)
    assert result.rho == pytest.approx(0.4751092, rel=REL)
    assert result.sigma["1"] == pytest.approx(0.3783372, rel=REL)
    assert result.sigma["-1"] / result.sigma["1"] == pytest.approx(1.203894, rel=REL)
    assert result.loglik == pytest.approx(-150.1108, abs=1e-3)
    assert result.k == {
        "other_pos[-1]": pytest.approx(0.3214782 / 0.3777000, rel=REL),
        "other_pos[1]": pytest.approx(0.2616498 / 0.4243866, rel=REL),
    }


def test_ml_logliks(acitelli: pd.DataFrame) -> None:
    assert _fit(acitelli, False, "ml").loglik == pytest.approx(-141.442, abs=1e-3)
    assert _fit(acitelli, True, "ml").loglik == pytest.approx(-137.8035, abs=1e-3)


def test_ml_fixed_effects_equal_reml_for_fixed_covariance(acitelli: pd.DataFrame) -> None:
    # Balanced complete dyads: the GLS fixed effects do not depend on rho for the
    # indistinguishable model (the design is the same for both members), so ML and REML agree.
    reml, ml = _fit(acitelli, False, "reml"), _fit(acitelli, False, "ml")
    for name, coefficient in reml.coefficients.items():
        assert ml.coefficients[name].estimate == pytest.approx(coefficient.estimate, rel=1e-8)


def test_distinguishability(acitelli: pd.DataFrame) -> None:
    test = distinguishability_test(
        acitelli, dyad="cuplid", role="gender", outcome="satisfaction", actors=["other_pos"]
    )
    assert test.df == 4
    assert test.chi2 == pytest.approx(7.277053, abs=1e-5)
    assert round(test.p, 3) == 0.122


def test_negative_rho_is_estimated() -> None:
    # Partners on opposite sides: residuals negatively correlated within dyads.
    rows = []
    for dyad in range(60):
        shift = ((dyad * 37) % 11 - 5) / 5
        x1, x2 = (dyad % 7) / 3, (dyad % 5) / 2
        rows.append({"d": dyad, "x": x1, "y": 1 + 0.5 * x1 + 0.2 * x2 + shift})
        rows.append({"d": dyad, "x": x2, "y": 1 + 0.5 * x2 + 0.2 * x1 - shift})
    frame = pd.DataFrame(rows).astype(str)
    result = fit_apim(frame, dyad="d", outcome="y", actors=["x"], method="ml")
    assert result.rho < -0.9


def test_missing_partner_row_keeps_singletons(acitelli: pd.DataFrame) -> None:
    # Drop one husband: his wife has no partner values and is left out; nothing breaks.
    frame = acitelli.drop(index=1).reset_index(drop=True)
    result = _fit(frame, True, "reml")
    assert result.n_dyads == 147


def test_three_members_is_an_error(acitelli: pd.DataFrame) -> None:
    frame = pd.concat([acitelli, acitelli.iloc[[0]]], ignore_index=True)
    with pytest.raises(DyadicDataError, match="3 members"):
        _fit(frame, False, "reml")


def test_same_role_in_a_dyad_is_an_error(acitelli: pd.DataFrame) -> None:
    frame = acitelli.copy()
    frame.loc[1, "gender"] = "-1"
    with pytest.raises(DyadicDataError, match="same role"):
        _fit(frame, True, "reml")


def test_text_in_numeric_column_is_an_error(acitelli: pd.DataFrame) -> None:
    frame = acitelli.copy()
    frame.loc[3, "other_pos"] = "high"
    with pytest.raises(DyadicDataError, match="not numeric"):
        _fit(frame, False, "reml")
