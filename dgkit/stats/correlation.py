"""Correlation of an index with the economy (CCID: Pearson R = 0.76 with GDP; 国脉: GDP rank vs
index rank 0.6246 / 0.7691 / 0.6248).

:func:`correlate` gives Pearson, Spearman and Kendall with n, p-value and a confidence interval:
Fisher's z for Pearson (SE = 1/√(n−3)); for Spearman SE = √(1.06/(n−3)) and for Kendall
SE = √(0.437/(n−4)) on the z scale (Fieller, Hartley & Pearson 1957). p-values from scipy
(two-sided). Units missing on either side are dropped and counted.

:func:`economy` runs them against GDP level, log GDP, GDP per capita and GDP rank, and
:func:`fit_log_gdp` fits ``index = a + b·ln GDP`` by OLS (statsmodels) and lists the units
furthest above and below the line ("部分地区数字政府建设水平与经济规模也存在较明显差异").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dgkit.errors import AnalysisError
from dgkit.stats.result import (
    Missing,
    StatResult,
    fmt_p,
    require_finite,
    scale_of,
    skippable,
    unit_names,
)

_SE = {"pearson": lambda n: 1 / np.sqrt(n - 3), "spearman": lambda n: np.sqrt(1.06 / (n - 3)), "kendall": lambda n: np.sqrt(0.437 / (n - 4))}


MIN_N = {"pearson": 4, "spearman": 4, "kendall": 5}  # Fisher's z interval: SE needs n − 3 > 0 (n − 4 for Kendall)
NAMES = {"pearson": "Pearson correlation", "spearman": "Spearman rank correlation", "kendall": "Kendall's τ"}


def _pair(x: pd.Series, y: pd.Series, statistic: str, need: int = 3) -> tuple[pd.DataFrame, int]:
    """Units with both values (dropped ones counted); fewer than ``need`` is an error naming them."""
    df = pd.concat([x.rename("x"), y.rename("y")], axis=1, join="outer")
    dropped = int(df.isna().any(axis=1).sum())
    df = df.dropna()
    require_finite(df, statistic)
    if len(df) < need:
        raise AnalysisError(f"{statistic} needs at least {need} units with both values (with fewer, r is trivially ±1 or "
                            f"undefined and the p-value is undefined); got {len(df)}" + (f" ({unit_names(df.index)})" if len(df) else "")
                            + (f", {dropped} unit(s) lack one of the two" if dropped else ""))
    return df, dropped


def _constant(df: pd.DataFrame) -> list[str]:
    return [c for c in ("x", "y") if df[c].nunique() < 2]


def correlate(x: pd.Series, y: pd.Series, methods: tuple[str, ...] = ("pearson", "spearman", "kendall"),
              level: float = 0.95, label: str = "") -> StatResult:
    """Pearson, Spearman and Kendall with n, p and a confidence interval (module docstring). Needs
    3 or more units with both values (an error otherwise); a side that is the same for every unit
    makes r undefined (NaN, and the sentence says why); the interval needs n ≥ 4 (Kendall n ≥ 5)
    and |r| < 1."""
    from scipy import stats

    for m in methods:
        if m not in NAMES:
            raise AnalysisError(f"unknown correlation method {m!r}", expected=" | ".join(NAMES))
    what = NAMES[methods[0]] if len(methods) == 1 else "correlation (" + ", ".join(m.capitalize() for m in methods) + ")"
    df, dropped = _pair(x, y, what + (f" ({label})" if label else ""))
    n = len(df)
    zcrit = stats.norm.ppf(0.5 + level / 2)
    constant = _constant(df)
    rows = []
    for m in methods:
        if constant:
            r = p = np.nan
        elif m == "pearson":
            big = max(scale_of(df["x"]), scale_of(df["y"])) > 1e150  # r is scale-free: values near 1e308 overflow scipy's sums
            r, p = stats.pearsonr(df["x"] / scale_of(df["x"]), df["y"] / scale_of(df["y"])) if big else stats.pearsonr(df["x"], df["y"])
        elif m == "spearman":
            r, p = stats.spearmanr(df["x"], df["y"])
        else:
            r, p = stats.kendalltau(df["x"], df["y"])
        r, p = float(r), float(p)
        if n >= MIN_N[m] and abs(r) < 1:
            z = np.arctanh(r)
            lo, hi = np.tanh(z - zcrit * _SE[m](n)), np.tanh(z + zcrit * _SE[m](n))
        else:
            lo = hi = np.nan
        rows.append({"label": label, "method": m, "r": r, "n": n, "p": p, "ci_low": lo, "ci_high": hi, "dropped": dropped})
    t = pd.DataFrame(rows)
    first = t.iloc[0]
    sym = {"pearson": "R", "spearman": "ρ", "kendall": "τ"}[first["method"]]
    head = f"{label + ': ' if label else ''}"
    if constant:
        which = "both variables have" if len(constant) == 2 else {"x": "the first variable has", "y": "the second variable has"}[constant[0]]
        sentence = f"{head}{sym} undefined: {which} the same value for all {n} units (no variation to correlate), n = {n}"
    else:
        sentence = f"{head}{sym} = {first['r']:.2f} ({_ci_text(first, level)}), n = {n}, {fmt_p(first['p'])}"
    return StatResult(t, sentence, {f"{r['method']}_r": r["r"] for _, r in t.iterrows()} | {"n": n, "constant": constant})


def _ci_text(row: pd.Series, level: float) -> str:
    if np.isfinite(row["ci_low"]):
        return f"{level:.0%} CI {row['ci_low']:.2f}–{row['ci_high']:.2f}"
    if abs(row["r"]) == 1:
        return "no CI: |r| = 1"
    return f"no CI: n < {MIN_N[row['method']]}"


@skippable
def economy(index: pd.Series, gdp: pd.Series, population: pd.Series | None = None) -> StatResult:
    """Correlations of the index with GDP level, ln GDP, GDP per capita and GDP rank (all three methods).
    Fewer than 3 units with both, or GDP ≤ 0, is an error; an index or GDP that is the same for every
    unit gives a :class:`Missing` (the correlation is undefined)."""
    df, undefined = _gdp_pair(index, gdp, "the correlation of the index with GDP", "correlation")
    if undefined is not None:
        return undefined
    parts = [correlate(index, gdp, label="GDP").table, correlate(index, np.log(gdp.where(gdp > 0)), label="ln GDP").table]
    if population is not None:
        parts.append(correlate(index, gdp / population.reindex(gdp.index), label="GDP per capita").table)
    shared = index.index.intersection(gdp.dropna().index)
    rank_i = index.loc[shared].rank(ascending=False)  # both ranked among the same units
    rank_g = gdp.loc[shared].rank(ascending=False)
    parts.append(correlate(rank_i, rank_g, methods=("pearson",), label="rank vs GDP rank").table)
    t = pd.concat(parts, ignore_index=True)
    p = t[(t["label"] == "GDP") & (t["method"] == "pearson")].iloc[0]
    s = f"correlation of the index with GDP: R = {p['r']:.2f} ({_ci_text(p, 0.95)}), n = {int(p['n'])}, {fmt_p(p['p'])}"
    sp = t[(t["label"] == "GDP") & (t["method"] == "spearman")].iloc[0]
    ci = "@ci_95" if np.isfinite(p["ci_low"]) else ("@ci_none_perfect" if abs(p["r"]) == 1 else "@ci_none_small_n")
    return StatResult(t, s, {"pearson_r_gdp": float(p["r"]), "n": int(p["n"]), "ci_low": float(p["ci_low"]), "ci_high": float(p["ci_high"]),
                             "ci": ci, "p_text": fmt_p(float(p["p"])), "spearman_r_gdp": float(sp["r"]), "p_spearman_text": fmt_p(float(sp["p"]))})


def _gdp_pair(index: pd.Series, gdp: pd.Series, what: str, statistic: str) -> tuple[pd.DataFrame, Missing | None]:
    """The units with both values (≥ 3, GDP > 0, else an error), and a :class:`Missing` when the index
    or GDP is the same for every unit (the ``statistic`` is then undefined)."""
    df, _ = _pair(index.rename("index"), gdp.rename("GDP"), what)
    _positive_gdp(df["y"])
    constant = _constant(df)
    if not constant:
        return df, None
    who = "the index and GDP each have" if len(constant) == 2 else {"x": "the index has", "y": "GDP has"}[constant[0]]
    return df, _constant_missing(constant, f"{who} the same value for all {len(df)} units: the {statistic} is undefined", len(df), gdp)


def _constant_missing(constant: list[str], reason: str, n: int, gdp: pd.Series) -> Missing:
    if "x" in constant:  # the index itself does not vary
        return Missing.undefined("constant_values", reason, n=n)
    return Missing.undefined("constant_covariate", reason, what=str(gdp.name) if gdp.name is not None else "GDP", n=n)


def _positive_gdp(gdp: pd.Series) -> None:
    bad = gdp[~(gdp > 0)]
    if len(bad):
        raise AnalysisError(f"ln GDP needs a positive GDP; GDP is {bad.iat[0]:g} for {unit_names(bad.index)}", expected="GDP > 0 for every unit")


@skippable
def fit_log_gdp(index: pd.Series, gdp: pd.Series, names: pd.Series | None = None, top: int = 3) -> StatResult:
    """OLS ``index = a + b·ln GDP``: coefficients, R², and the largest positive/negative residuals."""
    from statsmodels.regression.linear_model import (
        OLS,  # not statsmodels.api: it imports graphics and tsa too (0.6 s)
    )
    from statsmodels.tools.tools import add_constant

    pair, undefined = _gdp_pair(index, gdp, "the regression of the index on ln GDP", "regression")
    if undefined is not None:
        return undefined
    df = pd.DataFrame({"index": pair["x"], "ln_gdp": np.log(pair["y"])})
    model = OLS(df["index"], add_constant(df["ln_gdp"], has_constant="add")).fit()
    resid = model.resid.sort_values()
    tab = pd.DataFrame({"index": df["index"], "fitted": model.fittedvalues, "residual": model.resid})
    if names is not None:
        tab.insert(0, "name", names.reindex(tab.index))
    tab = tab.sort_values("residual", ascending=False).rename_axis("unit_id").reset_index()
    nm = (lambda u: str(names.get(u, u))) if names is not None else str
    above = [nm(u) for u in resid.index[::-1][:top]]
    below = [nm(u) for u in resid.index[:top]]
    b, pb = float(model.params["ln_gdp"]), float(model.pvalues["ln_gdp"])
    s = (f"index = {model.params['const']:.1f} + {b:.2f}·ln GDP, R² = {model.rsquared:.2f}, n = {int(model.nobs)}, {fmt_p(pb)}; "
         f"furthest above the line: {', '.join(above)}; furthest below: {', '.join(below)}")
    return StatResult(tab, s, {"slope": b, "intercept": float(model.params["const"]), "r2": float(model.rsquared),
                               "p_slope": pb, "p_text": fmt_p(pb), "n": int(model.nobs), "above": above, "below": below},
                      {"model": model})
