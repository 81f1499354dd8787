"""The APIM's ML standard errors, Truth and Bias and the dyadic growth model against ``nlme``.

Reference values were produced by R 4.2.2 with nlme 3.1.162 from the script
``data/nlme_reference.R`` (its output is copied at the end of the script). The
growth model is ``lme`` with four role-specific random intercepts and slopes per
dyad (``pdLogChol``), ``corCompSymm(form = ~ 1 | dyadid/time)`` and
``varIdent(form = ~ 1 | genderS)`` on Kashy's diary data. nlme's optimiser stops
a little short of the maximum (REML log-likelihood -2822.998483; ours is higher
by about 4e-5), so variance parameters are compared to about 1e-4 and the fixed
effects more tightly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dyade.clinic.dyadic import fit_apim, fit_growth_full, fit_truth_bias, read_csv

DATA = Path(__file__).parent / "data"

APIM_ML_SE = {
    False: {"intercept": 0.32188743732, "actor[other_pos]": 0.04729259478},
    True: {
        "intercept[1]": 0.34290340369,
        "intercept[-1]": 0.41281954550,
        "actor[other_pos][1]": 0.06771568197,
        "actor[other_pos][-1]": 0.07392216648,
        "partner[other_pos][1]": 0.06140252508,
        "partner[other_pos][-1]": 0.08152254179,
    },
}

GROWTH = {
    "reml": {
        "loglik": -2822.998483,
        "estimate": [6.259147262931, 6.388407939279, 0.019184715548, 0.009855261595],
        "se": [0.069612347985, 0.057239216098, 0.006214382881, 0.006301708433],
        "random_sd": [0.68939703, 0.55531832, 0.04998270, 0.04786217],
        "rho": 0.43255538,
        "sigma": 0.57489951,
        "ratio": 1.106542645,
    },
    "ml": {
        "loglik": -2810.383062,
        "estimate": [6.259150263341, 6.388408013679, 0.019183658939, 0.009855180341],
        "se": [0.069321991251, 0.056998817472, 0.006188521082, 0.006275817924],
        "random_sd": [0.68587445, 0.55234302, 0.04959675, 0.04745116],
        "rho": 0.43253600,
        "sigma": 0.57488898,
        "ratio": 1.106569514,
    },
}
NAMES = ["intercept[M]", "intercept[F]", "slope[M]", "slope[F]"]


@pytest.mark.parametrize("distinguishable", [False, True])
def test_apim_ml_standard_errors_are_those_nlme_reports(distinguishable: bool) -> None:
    frame = read_csv(str(DATA / "acitelli_individual.csv"))
    result = fit_apim(
        frame,
        dyad="cuplid",
        role="gender",
        outcome="satisfaction",
        actors=["other_pos"],
        distinguishable=distinguishable,
        method="ml",
    )
    for name, se in APIM_ML_SE[distinguishable].items():
        assert result.coefficients[name].se == pytest.approx(se, rel=2e-6), name


@pytest.fixture(scope="module")
def kashy() -> pd.DataFrame:
    return read_csv(str(DATA / "kashy_person_period_pairwise.csv"))


@pytest.mark.parametrize("method", ["reml", "ml"])
def test_growth_model_matches_nlme_lme(kashy: pd.DataFrame, method: str) -> None:
    reference = GROWTH[method]
    fit = fit_growth_full(
        kashy, dyad="dyadid", role="genderS", time="time", outcome="satisf_A", method=method
    )
    result = fit.result
    assert result.n_obs == 2866  # the rows with satisf_A, as R counts them
    # At least as high as nlme's maximum, and not far above it.
    assert reference["loglik"] - 1e-6 <= result.loglik <= reference["loglik"] + 1e-3
    for name, estimate, se, sd in zip(
        NAMES, reference["estimate"], reference["se"], reference["random_sd"], strict=True
    ):
        assert result.coefficients[name].estimate == pytest.approx(estimate, abs=2e-6), name
        assert result.coefficients[name].se == pytest.approx(se, rel=2e-4), name
        assert result.random_sd is not None
        assert result.random_sd[name] == pytest.approx(sd, rel=2e-3), name
    assert result.rho == pytest.approx(reference["rho"], abs=1e-4)
    assert result.sigma["M"] == pytest.approx(reference["sigma"], rel=1e-4)
    assert result.sigma["F"] / result.sigma["M"] == pytest.approx(reference["ratio"], rel=1e-4)
    sd = np.sqrt(np.diag(fit.g))
    corr = fit.g / np.outer(sd, sd)
    assert corr[0, 1] == pytest.approx(0.811, abs=1e-3)  # the two random intercepts
    assert corr[2, 3] == pytest.approx(0.462, abs=1e-3)  # the two random slopes


# Truth and Bias on the Acitelli data: how positive each spouse sees the other
# (other_pos) against the other's own rating (self_pos); nlme::gls on the
# centred variables (see the R script). gender -1 is the wife, 1 the husband.
TRUTH_BIAS = {
    True: {
        "loglik": -203.5626988,
        "coefficients": {
            "directional_bias[-1]": (0.08450653949, 0.04513700647),
            "directional_bias[1]": (0.02930221535, 0.04268931087),
            "truth_force[-1]": (0.25169419061, 0.10437670109),
            "truth_force[1]": (0.25970147180, 0.09325446801),
            "bias_force[-1]": (0.37964390115, 0.09961435470),
            "bias_force[1]": (0.18625739842, 0.09771276200),
        },
        "rho": 0.14093959,
        "sigma": {"-1": 0.48777436, "1": 0.48777436 * 0.9361549175},
    },
    False: {
        "loglik": -201.0720385,
        "coefficients": {
            "directional_bias": (0.07702702703, 0.02930722613),
            "truth_force": (0.26918052287, 0.06648420211),
            "bias_force": (0.27352834896, 0.06648420211),
        },
        "rho": 0.14059402,
        "sigma": {"all": 0.47212286},
    },
}


@pytest.mark.parametrize("distinguishable", [True, False])
def test_truth_and_bias_match_nlme_gls(distinguishable: bool) -> None:
    reference = TRUTH_BIAS[distinguishable]
    frame = read_csv(str(DATA / "acitelli_individual.csv"))
    result = fit_truth_bias(
        frame,
        dyad="cuplid",
        role="gender",
        judgment="other_pos",
        actual="self_pos",
        distinguishable=distinguishable,
    )
    assert result.loglik == pytest.approx(reference["loglik"], abs=1e-6)
    for name, (estimate, se) in reference["coefficients"].items():
        assert result.coefficients[name].estimate == pytest.approx(estimate, abs=1e-9), name
        assert result.coefficients[name].se == pytest.approx(se, rel=1e-5), name
    assert result.rho == pytest.approx(reference["rho"], abs=1e-6)
    for role, sigma in reference["sigma"].items():
        assert result.sigma[role] == pytest.approx(sigma, rel=1e-5), role
