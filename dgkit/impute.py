"""Imputation and outlier treatment, each returning the new table and a log of changed cells.

Imputation (``impute``):

* ``mean`` / ``median`` — the indicator's mean/median over the cohort (one year);
* ``group_mean`` / ``group_median`` — within groups (e.g. CCID 常规地区), falling back to the
  overall value when a whole group is missing;
* ``carry_forward`` — panel: last earlier year's value of the same unit (then next later one);
* ``interpolate`` — panel: linear in year between the unit's neighbouring observations, carried
  at the ends.

Outlier treatment (``treat_outliers``, COINr ``qTreat`` logic): for each indicator flagged by
``|skew| > 2 and kurtosis > 3.5``, winsorise one point at a time on the side of the skew (the most
extreme value is set to the next one) up to ``winmax`` points until the flag clears; if it does
not, undo the winsorisation and log-transform the indicator instead: ``ln(x − min + 1)`` for
positive skew (``−ln(max − x + 1)`` for negative skew), which keeps the order of the units.

The log (DataFrame) has one row per changed cell: unit, [year], indicator, before, after, step.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dgkit.audit import KURT_MAX, SKEW_MAX

LOG_COLUMNS = ["unit", "year", "indicator", "before", "after", "step"]


def _changes(before: pd.DataFrame, after: pd.DataFrame, step: str) -> pd.DataFrame:
    b, a = before.astype(float), after.astype(float)
    changed = ~((b == a) | (b.isna() & a.isna()))
    rows = []
    for r, c in np.argwhere(changed.to_numpy()):
        idx = b.index[r]
        unit, year = (idx if isinstance(idx, tuple) else (idx, None))
        rows.append((unit, year, b.columns[c], b.iat[r, c], a.iat[r, c], step))
    return pd.DataFrame(rows, columns=LOG_COLUMNS)


def impute(X: pd.DataFrame, method: str = "median", groups: pd.Series | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Impute missing cells. For panel methods X is indexed by (unit, year)."""
    out = X.astype(float).copy()
    if method in ("mean", "median"):
        fill = getattr(out, method)()
        out = out.fillna(fill)
    elif method in ("group_mean", "group_median"):
        if groups is None:
            raise ValueError(f"{method} needs groups (a Series unit → group)")
        stat = method.split("_")[1]
        unit = out.index.get_level_values(0) if isinstance(out.index, pd.MultiIndex) else out.index
        g = pd.Series(groups).reindex(unit).to_numpy()
        by = out.groupby(g).transform(stat)
        out = out.fillna(by).fillna(getattr(out, stat)())
    elif method in ("carry_forward", "interpolate"):
        if not isinstance(out.index, pd.MultiIndex):
            raise ValueError(f"{method} needs a panel indexed by (unit, year)")
        out = out.sort_index()
        if method == "carry_forward":
            out = out.groupby(level=0).transform(lambda s: s.ffill().bfill())
        else:
            def interp(s: pd.Series) -> pd.Series:
                yrs = s.index.get_level_values(1).astype(float)
                t = pd.Series(s.to_numpy(), index=yrs).interpolate(method="index", limit_direction="both")
                return pd.Series(t.to_numpy(), index=s.index)
            out = out.groupby(level=0, group_keys=False).apply(lambda df: df.apply(interp))
    elif method == "none":
        pass
    else:
        raise ValueError(f"unknown imputation {method!r}")
    return out, _changes(X.reindex(out.index), out, f"impute:{method}")


def _flag(s: pd.Series, skew_max: float, kurt_max: float) -> bool:
    s = s.dropna()
    return len(s) > 3 and abs(s.skew()) > skew_max and s.kurt() > kurt_max


def treat_outliers(X: pd.DataFrame, winmax: int = 5, skew_max: float = SKEW_MAX, kurt_max: float = KURT_MAX) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Winsorise up to ``winmax`` points, then log if still skewed (module docstring)."""
    out = X.astype(float).copy()
    logs = []
    for c in out.columns:
        s = out[c].copy()
        if not _flag(s, skew_max, kurt_max):
            continue
        w = s.copy()
        positive = s.skew() > 0
        cleared = False
        for _ in range(winmax):
            v = w.dropna()
            if positive:
                top = v.idxmax()
                w[top] = v.drop(top).max()
            else:
                bot = v.idxmin()
                w[bot] = v.drop(bot).min()
            if not _flag(w, skew_max, kurt_max):
                cleared = True
                break
        if cleared:
            out[c] = w
            logs.append(_changes(s.to_frame(), w.to_frame(), f"winsorise (≤{winmax} points)"))
        else:
            lg = np.log(s - s.min() + 1) if positive else -np.log(s.max() - s + 1)
            out[c] = lg
            logs.append(_changes(s.to_frame(), lg.to_frame(), "log (winsorising did not clear the flag)"))
    log = pd.concat(logs, ignore_index=True) if logs else pd.DataFrame(columns=LOG_COLUMNS)
    return out, log
