"""Normalisation: put indicators on a common scale.

All functions take a DataFrame ``X`` (rows = units of one cohort, columns = indicators) and return
a DataFrame of the same shape. ``directions`` (+1/−1 per column) orient every method so that
higher is better.

Methods (``normalise(X, method=...)``):

* ``ccid`` — CCID 2020 (000_… 附录 02): count indicators ``Z = ln(1 + X/X̄)·80``, index-type
  indicators ``Z = X/X̄·80``, with X̄ the cohort mean (31 provinces). A unit at the mean scores
  80·ln 2 ≈ 55.45 (count) or 80 (index). X̄ ≤ 0 is an error (the ratio is meaningless), not inf.
  With a panel, ``base`` is either each year's own mean (``"per_year"``: scores measure relative
  position within the year; every year's mean is the same by construction, so growth common to all
  units is invisible) or a fixed base year's mean (``base_year=2019``: common growth raises scores,
  so years are comparable in level).
* ``minmax`` — ``100·(X − min)/(max − min)``; a constant indicator is an error.
* ``zscore`` — ``(X − mean)/sd``, ``ddof`` selectable (default 0, population SD).
* ``zscore_minmax`` — z-score, then min-max to [0, 1] (UN EGDI components).
* ``rank`` — percentile rank ``100·(rank − 1)/(n − 1)``, ties averaged.
* ``target`` — distance to a target: ``100·min(X/target, 1)`` (positive indicators).

Negative indicators: for the linear methods (minmax, zscore, zscore_minmax, rank) the column is
multiplied by −1. For the ratio methods (ccid, target) that would make the mean negative, so a
negative indicator is reflected within its observed range first, ``X' = max + min − X`` — it keeps
X' ≥ 0, the same spread, and orders units the other way.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from dgkit.errors import NormalisationError

CCID_SCALE = 80.0
METHODS = ("ccid", "minmax", "zscore", "zscore_minmax", "rank", "target")


def _dirs(X: pd.DataFrame, directions: Mapping[str, int] | pd.Series | None) -> pd.Series:
    if directions is None:
        return pd.Series(1, index=X.columns)
    d = pd.Series(directions).reindex(X.columns).fillna(1).astype(int)
    bad = d[~d.isin([1, -1])]
    if len(bad):
        raise NormalisationError(f"direction of {bad.index[0]} is {bad.iat[0]}; expected +1 or -1")
    return d


def reflect(X: pd.DataFrame, directions: pd.Series) -> pd.DataFrame:
    """Reflect negative indicators within their observed range: X' = max + min − X."""
    out = X.copy()
    for c in X.columns[directions.reindex(X.columns).eq(-1).to_numpy()]:
        out[c] = X[c].max() + X[c].min() - X[c]
    return out


def ccid(X: pd.DataFrame, types: Mapping[str, str] | pd.Series, directions=None,
         base: pd.Series | None = None, scale: float = CCID_SCALE, context: str = "") -> pd.DataFrame:
    """CCID 2020 normalisation. ``base`` overrides the cohort mean X̄ per column (e.g. a base year)."""
    d = _dirs(X, directions)
    Xr = reflect(X, d)
    xbar = Xr.mean() if base is None else pd.Series(base).reindex(X.columns)
    bad = xbar[~(xbar > 0)]
    if len(bad):
        c = bad.index[0]
        raise NormalisationError(
            f"CCID normalisation needs a positive base mean X̄, but indicator {c}{context} has X̄ = {float(bad.iat[0]):g}: "
            "ln(1 + X/X̄) and X/X̄ are undefined (check for an all-zero or negative indicator)"
        )
    t = pd.Series(types).reindex(X.columns)
    if t.isna().any():
        raise NormalisationError(f"no type (count/index) for indicator(s) {', '.join(t[t.isna()].index)}")
    ratio = Xr / xbar
    neg = (ratio.lt(-1)).any()
    if neg.any():
        raise NormalisationError(f"X/X̄ < −1 for indicator {neg[neg].index[0]}{context}: ln(1 + X/X̄) undefined")
    out = pd.DataFrame(index=X.index, columns=X.columns, dtype=float)
    cnt = t.eq("count").to_numpy()
    out.loc[:, cnt] = np.log1p(ratio.loc[:, cnt]) * scale
    out.loc[:, ~cnt] = ratio.loc[:, ~cnt] * scale
    return out


def minmax(X: pd.DataFrame, directions=None, lo: float = 0.0, hi: float = 100.0, context: str = "") -> pd.DataFrame:
    """Min-max to [lo, hi]: lo + (hi − lo)·(X − min)/(max − min)."""
    Xs = X * _dirs(X, directions)
    rng = Xs.max() - Xs.min()
    zero = rng[~(rng > 0)]
    if len(zero):
        raise NormalisationError(f"indicator {zero.index[0]}{context} is constant: min-max is undefined (max = min)")
    return lo + (hi - lo) * (Xs - Xs.min()) / rng


def zscore(X: pd.DataFrame, directions=None, ddof: int = 0, context: str = "") -> pd.DataFrame:
    """(X − mean)/sd with sd of the given ddof (0 = population, 1 = sample)."""
    Xs = X * _dirs(X, directions)
    sd = Xs.std(ddof=ddof)
    zero = sd[~(sd > 0)]
    if len(zero):
        raise NormalisationError(f"indicator {zero.index[0]}{context} has zero variance: z-score undefined")
    return (Xs - Xs.mean()) / sd


def zscore_minmax(X: pd.DataFrame, directions=None, ddof: int = 0, context: str = "") -> pd.DataFrame:
    """UN EGDI convention: z-score, then min-max to [0, 1]."""
    return minmax(zscore(X, directions, ddof, context), None, 0.0, 1.0, context)


def rank(X: pd.DataFrame, directions=None) -> pd.DataFrame:
    """Percentile rank 0–100 (ties averaged): 100·(rank − 1)/(n − 1)."""
    Xs = X * _dirs(X, directions)
    n = Xs.notna().sum()
    return 100 * (Xs.rank(method="average") - 1) / (n - 1).where(n > 1)


def target(X: pd.DataFrame, targets: Mapping[str, float] | pd.Series, directions=None, context: str = "") -> pd.DataFrame:
    """Distance to target: 100·min(X/target, 1)."""
    d = _dirs(X, directions)
    Xr = reflect(X, d)
    tg = pd.Series(targets).reindex(X.columns)
    if tg.isna().any() or (tg <= 0).any():
        raise NormalisationError(f"distance to target needs a positive target for every indicator{context}")
    return (100 * Xr / tg).clip(upper=100)


def normalise(X: pd.DataFrame, method: str = "ccid", *, types=None, directions=None, base=None,
              ddof: int = 0, targets=None, context: str = "") -> pd.DataFrame:
    """Dispatch to a method by name (see the module docstring)."""
    if method == "ccid":
        if types is None:
            raise NormalisationError("CCID normalisation needs indicator types (count/index)")
        return ccid(X, types, directions, base=base, context=context)
    if method == "minmax":
        return minmax(X, directions, context=context)
    if method == "zscore":
        return zscore(X, directions, ddof, context)
    if method == "zscore_minmax":
        return zscore_minmax(X, directions, ddof, context)
    if method == "rank":
        return rank(X, directions)
    if method == "target":
        return target(X, targets, directions, context)
    import difflib

    raise NormalisationError(f"unknown normalisation {method!r}; closest: {difflib.get_close_matches(method, METHODS, n=2) or METHODS}")
