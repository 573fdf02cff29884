"""Data audit before building an index (OECD/JRC Handbook step 3; COINr ``get_stats``).

For each indicator: coverage (share of units with a value; flagged below 65 %), mean, SD
(sample, ddof = 1), min, max, skewness and kurtosis (pandas' bias-corrected sample skewness and
**excess** kurtosis), the outlier flag ``|skew| > 2 and kurtosis > 3.5`` (COINr's default rule),
and zero variance. For each unit: coverage, flagged below 65 %.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dgkit.stats.result import scale_of

COVERAGE_MIN = 0.65
SKEW_MAX = 2.0
KURT_MAX = 3.5


@dataclass
class AuditResult:
    indicators: pd.DataFrame
    units: pd.DataFrame

    @property
    def flagged_indicators(self) -> pd.DataFrame:
        i = self.indicators
        return i[i["low_coverage"] | i["skew_kurt_flag"] | i["zero_variance"]]

    @property
    def flagged_units(self) -> pd.DataFrame:
        return self.units[self.units["low_coverage"]]

    def summary(self) -> str:
        i = self.indicators
        return (f"Audit: {len(i)} indicators × {len(self.units)} units; "
                f"{int(i['low_coverage'].sum())} indicator(s) and {int(self.units['low_coverage'].sum())} unit(s) below {COVERAGE_MIN:.0%} coverage; "
                f"{int(i['skew_kurt_flag'].sum())} skewed (|skew| > {SKEW_MAX:g} and kurtosis > {KURT_MAX:g}): "
                f"{', '.join(i.index[i['skew_kurt_flag']]) or '—'}; {int(i['zero_variance'].sum())} with zero variance")


def audit(X: pd.DataFrame, coverage_min: float = COVERAGE_MIN, skew_max: float = SKEW_MAX, kurt_max: float = KURT_MAX) -> AuditResult:
    """Audit a units × indicators table (one cohort, one year)."""
    X = X.astype(float)
    finite = X.where(np.isfinite(X))  # ±inf: not a value to describe (normalisation refuses it, naming the unit)
    m = pd.Series({c: scale_of(finite[c]) for c in X.columns}, dtype=float)
    Xs = finite / m  # moments of values near 1e308 computed on a scale that does not overflow, then scaled back
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # one unit: no SD, skewness or kurtosis (NaN, flagged below)
        ind = pd.DataFrame({
            "coverage": X.notna().mean(),
            "n": X.notna().sum(),
            "mean": Xs.mean() * m,
            "sd": Xs.std(ddof=1) * m,
            "min": X.min(),
            "max": X.max(),
            "skew": Xs.skew(),
            "kurtosis": Xs.kurt(),
        })
    ind["low_coverage"] = ind["coverage"] < coverage_min
    ind["skew_kurt_flag"] = (ind["skew"].abs() > skew_max) & (ind["kurtosis"] > kurt_max)
    ind["zero_variance"] = ~(ind["sd"] > 0)
    units = pd.DataFrame({"coverage": X.notna().mean(axis=1), "n_missing": X.isna().sum(axis=1)})
    units["low_coverage"] = units["coverage"] < coverage_min
    return AuditResult(ind, units)
