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

The log (DataFrame) has one row per changed cell: unit, [period], indicator, before, after, step.

In the pipeline these are the steps ``none``, ``mean``, ``median``, ``group_mean``,
``group_median`` (option ``groups``: a grouping of the dataset), ``carry_forward`` and
``interpolate`` (kind ``impute``) and ``none``, ``winsorise`` (kind ``treat``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dgkit.audit import KURT_MAX, SKEW_MAX
from dgkit.pipeline.steps import NUMBER, Param, Step, StepError, register

LOG_COLUMNS = ["unit", "period", "indicator", "before", "after", "step"]


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
        if pd.isna(g).all():  # the grouping covers none of these units: the overall value for every cell (as for a group all missing)
            by = pd.DataFrame(np.nan, index=out.index, columns=out.columns)
        else:
            by = out.groupby(g).transform(stat)
        out = out.fillna(by).fillna(getattr(out, stat)())
    elif method in ("carry_forward", "interpolate"):
        if not isinstance(out.index, pd.MultiIndex):
            raise ValueError(f"{method} needs a panel indexed by (unit, year)")
        out = out.sort_index()
        if method == "carry_forward":
            out = out.groupby(level=0).transform(lambda s: s.ffill().bfill())
        else:  # linear in the period value, per unit, carried at both ends; only columns with gaps
            for c in out.columns[out.isna().any().to_numpy()]:
                wide = out[c].unstack(level=1)  # units × periods
                labels = wide.columns
                wide.columns = labels.astype(float)
                filled = wide.interpolate(method="index", axis=1, limit_direction="both")
                filled.columns = labels
                out[c] = filled.stack().reindex(out.index)
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


# ------------------------------------------------------------------ steps of the pipeline
class Imputer(Step):
    """An imputation step. ``panel = True`` steps see every period at once (indexed (unit, period));
    the others are fitted and applied one period at a time."""

    kind = "impute"
    panel: bool = False

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        return X.fillna(self.fitted_.get("fill", pd.Series(dtype=float)))


@register("impute")
class NoImputation(Imputer):
    name = "none"

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        return X


class _CohortStat(Imputer):
    """The indicator's ``stat`` (mean or median) over the period's units."""

    stat = "mean"

    def fit(self, X: pd.DataFrame, **_: Any) -> Step:
        self.fitted_ = {"fill": getattr(X.astype(float), self.stat)()}
        return self


def _is_grouping(v: Any) -> bool:
    return isinstance(v, str) and bool(v)


class _GroupStat(Imputer):
    """Within groups of a grouping of the dataset (e.g. CCID 常规地区), else the overall value."""

    stat = "mean"
    params = {"groups": Param(None, check=_is_grouping, expected="the name of a grouping of the dataset (e.g. 常规地区)")}

    def fit(self, X: pd.DataFrame, groupings: Any = None, **_: Any) -> Step:
        if self.options["groups"] is None:
            raise StepError(f"impute {self.name!r} needs groups=<a grouping of the dataset>")
        if groupings is None:
            raise StepError(f"impute {self.name!r}: no groupings are known for these data; pass a dataset")
        g = pd.Series(groupings(self.options["groups"]))
        unit = X.index.get_level_values(0) if isinstance(X.index, pd.MultiIndex) else X.index
        key = g.reindex(unit).to_numpy()
        self.fitted_ = {"groups": g, "by_group": X.astype(float).groupby(key).agg(self.stat),
                        "fill": getattr(X.astype(float), self.stat)()}
        return self

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        unit = X.index.get_level_values(0) if isinstance(X.index, pd.MultiIndex) else X.index
        key = self.fitted_["groups"].reindex(unit)
        by = self.fitted_["by_group"].reindex(key.to_numpy())
        by.index = X.index
        return X.fillna(by).fillna(self.fitted_["fill"])


for _stat in ("mean", "median"):  # mean, median, group_mean, group_median
    register("impute")(type(f"{_stat.capitalize()}Imputation", (_CohortStat,), {"name": _stat, "stat": _stat}))
    register("impute")(type(f"Group{_stat.capitalize()}Imputation", (_GroupStat,), {"name": f"group_{_stat}", "stat": _stat}))


class _PanelImputation(Imputer):
    """A panel method of :func:`impute`, named by the step's ``name``."""

    panel = True

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        return impute(X, self.name)[0]


@register("impute")
class CarryForward(_PanelImputation):
    """Panel: the unit's last earlier value (then its next later one)."""

    name = "carry_forward"


@register("impute")
class Interpolate(_PanelImputation):
    """Panel: linear in the period between the unit's neighbouring values, carried at the ends."""

    name = "interpolate"


class Treatment(Step):
    """An outlier-treatment step, fitted and applied one period at a time."""

    kind = "treat"


@register("treat")
class NoTreatment(Treatment):
    name = "none"

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        return X


@register("treat")
class Winsorise(Treatment):
    """COINr's qTreat (module docstring): winsorise ≤ winmax points, else log. Fitted per indicator:
    the action, the cap (winsorised) or the shift (log)."""

    name = "winsorise"
    params = {"winmax": Param(5, check=lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0, expected="an integer ≥ 0"),
              "skew_max": Param(SKEW_MAX, check=NUMBER, expected="a number"), "kurt_max": Param(KURT_MAX, check=NUMBER, expected="a number")}

    def fit(self, X: pd.DataFrame, **_: Any) -> Step:
        o = self.options
        out, log = treat_outliers(X, o["winmax"], o["skew_max"], o["kurt_max"])
        actions: dict[str, tuple[str, float]] = {}
        for c in log["indicator"].unique() if len(log) else []:
            s = X[c].dropna()
            positive = s.skew() > 0
            if str(log.loc[log["indicator"] == c, "step"].iat[0]).startswith("winsor"):
                actions[c] = ("cap_upper", float(out[c].max())) if positive else ("cap_lower", float(out[c].min()))
            else:
                actions[c] = ("log_upper", float(s.min())) if positive else ("log_lower", float(s.max()))
        self.fitted_ = {"actions": actions}
        return self

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        out = X.astype(float).copy()
        for c, (how, v) in self.fitted_["actions"].items():
            if how == "cap_upper":
                out[c] = out[c].clip(upper=v)
            elif how == "cap_lower":
                out[c] = out[c].clip(lower=v)
            elif how == "log_upper":
                out[c] = np.log(out[c] - v + 1)
            else:
                out[c] = -np.log(v - out[c] + 1)
        return out


def changes(before: pd.DataFrame, after: pd.DataFrame, step: str) -> pd.DataFrame:
    """One row per changed cell: unit, period, indicator, before, after, step."""
    return _changes(before, after, step)
