"""Dyadic statistics: APIM, Truth and Bias and the dyadic growth model.

A pure numerical core (numpy, scipy, pandas; no Django) with its own profiled
REML and ML for dyadic covariance structures, checked against ``nlme::gls``
reference values. Command line: ``python -m dyade.clinic.dyadic``; see
``docs/dyadic-statistics.md``.
"""

from dyade.clinic.dyadic._gls import EstimationError
from dyade.clinic.dyadic._pairs import Coefficient, DyadicResult
from dyade.clinic.dyadic.apim import DistinguishabilityTest, distinguishability_test, fit_apim
from dyade.clinic.dyadic.data import DyadicDataError, read_csv
from dyade.clinic.dyadic.growth import GrowthFit, fit_growth, fit_growth_full
from dyade.clinic.dyadic.truthbias import fit_truth_bias

__all__ = [
    "Coefficient",
    "DistinguishabilityTest",
    "DyadicDataError",
    "DyadicResult",
    "EstimationError",
    "GrowthFit",
    "distinguishability_test",
    "fit_apim",
    "fit_growth",
    "fit_growth_full",
    "fit_truth_bias",
    "read_csv",
]
