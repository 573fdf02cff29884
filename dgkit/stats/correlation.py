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

from dgkit.stats.result import StatResult, fmt_p, skippable

_SE = {"pearson": lambda n: 1 / np.sqrt(n - 3), "spearman": lambda n: np.sqrt(1.06 / (n - 3)), "kendall": lambda n: np.sqrt(0.437 / (n - 4))}


def correlate(x: pd.Series, y: pd.Series, methods: tuple[str, ...] = ("pearson", "spearman", "kendall"),
              level: float = 0.95, label: str = "") -> StatResult:
    from scipy import stats

    df = pd.concat([x.rename("x"), y.rename("y")], axis=1, join="outer")
    dropped = int(df.isna().any(axis=1).sum())
    df = df.dropna()
    n = len(df)
    zcrit = stats.norm.ppf(0.5 + level / 2)
    rows = []
    for m in methods:
        if m == "pearson":
            r, p = stats.pearsonr(df["x"], df["y"])
        elif m == "spearman":
            r, p = stats.spearmanr(df["x"], df["y"])
        elif m == "kendall":
            r, p = stats.kendalltau(df["x"], df["y"])
        else:
            raise ValueError(m)
        r, p = float(r), float(p)
        if n > 4 and abs(r) < 1:
            z = np.arctanh(r)
            lo, hi = np.tanh(z - zcrit * _SE[m](n)), np.tanh(z + zcrit * _SE[m](n))
        else:
            lo = hi = np.nan
        rows.append({"label": label, "method": m, "r": r, "n": n, "p": p, "ci_low": lo, "ci_high": hi, "dropped": dropped})
    t = pd.DataFrame(rows)
    first = t.iloc[0]
    sym = {"pearson": "R", "spearman": "ρ", "kendall": "τ"}[first["method"]]
    sentence = f"{label + ': ' if label else ''}{sym} = {first['r']:.2f} ({level:.0%} CI {first['ci_low']:.2f}–{first['ci_high']:.2f}), n = {n}, {fmt_p(first['p'])}"
    return StatResult(t, sentence, {f"{r['method']}_r": r["r"] for _, r in t.iterrows()} | {"n": n})


@skippable
def economy(index: pd.Series, gdp: pd.Series, population: pd.Series | None = None) -> StatResult:
    """Correlations of the index with GDP level, ln GDP, GDP per capita and GDP rank (all three methods)."""
    n = len(pd.concat([index, gdp], axis=1, join="inner").dropna())
    if n < 3:
        raise ValueError(f"correlations need at least 3 units with both the index and GDP; got {n}")
    parts = [correlate(index, gdp, label="GDP").table, correlate(index, np.log(gdp), label="ln GDP").table]
    if population is not None:
        parts.append(correlate(index, gdp / population.reindex(gdp.index), label="GDP per capita").table)
    shared = index.index.intersection(gdp.dropna().index)
    rank_i = index.loc[shared].rank(ascending=False)  # both ranked among the same units
    rank_g = gdp.loc[shared].rank(ascending=False)
    parts.append(correlate(rank_i, rank_g, methods=("pearson",), label="rank vs GDP rank").table)
    t = pd.concat(parts, ignore_index=True)
    p = t[(t["label"] == "GDP") & (t["method"] == "pearson")].iloc[0]
    s = f"correlation of the index with GDP: R = {p['r']:.2f} (95% CI {p['ci_low']:.2f}–{p['ci_high']:.2f}), n = {int(p['n'])}, {fmt_p(p['p'])}"
    sp = t[(t["label"] == "GDP") & (t["method"] == "spearman")].iloc[0]
    return StatResult(t, s, {"pearson_r_gdp": float(p["r"]), "n": int(p["n"]), "ci_low": float(p["ci_low"]), "ci_high": float(p["ci_high"]),
                             "p_text": fmt_p(float(p["p"])), "spearman_r_gdp": float(sp["r"]), "p_spearman_text": fmt_p(float(sp["p"]))})


@skippable
def fit_log_gdp(index: pd.Series, gdp: pd.Series, names: pd.Series | None = None, top: int = 3) -> StatResult:
    """OLS ``index = a + b·ln GDP``: coefficients, R², and the largest positive/negative residuals."""
    from statsmodels.regression.linear_model import (
        OLS,  # not statsmodels.api: it imports graphics and tsa too (0.6 s)
    )
    from statsmodels.tools.tools import add_constant

    df = pd.concat([index.rename("index"), np.log(gdp).rename("ln_gdp")], axis=1).dropna()
    model = OLS(df["index"], add_constant(df["ln_gdp"])).fit()
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
