"""Dagum Gini decomposition by group (Dagum 1997), as used in 区域差异 papers.

With n units in k groups, group j having n_j units of mean Y_j, overall mean μ, p_j = n_j / n and
s_j = n_j Y_j / (n μ), and S_jh = Σ_{i∈j} Σ_{r∈h} |y_i − y_r|:

* overall      G    = Σ_j Σ_h S_jh / (2 n² μ)                 (the plain Gini, mean-difference form)
* within j     G_jj = S_jj / (2 n_j² Y_j)
* between j,h  G_jh = S_jh / (n_j n_h (Y_j + Y_h))
* relative economic affluence  D_jh = (d_jh − p_jh) / (d_jh + p_jh) = |Y_j − Y_h| / (S_jh / (n_j n_h)),
  where d_jh and p_jh are the mean positive and negative differences between the richer group j and
  the poorer group h (Dagum 1997, eq. 10–14)
* G_w  = Σ_j G_jj p_j s_j;   G_nb = Σ_{j<h} G_jh (p_j s_h + p_h s_j) D_jh;
  G_t  = Σ_{j<h} G_jh (p_j s_h + p_h s_j) (1 − D_jh),   and  G = G_w + G_nb + G_t  exactly.

Source: C. Dagum (1997), "A new approach to the decomposition of the Gini income inequality ratio",
Empirical Economics 22: 515–531. Values must be non-negative with a positive mean. Every S_jh is
computed exactly from sorted values and prefix sums, O(n log n) per pair of groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from dgkit.stats.result import Missing, StatResult, require_finite, scale_of, skippable


def _abs_diff_sum(a: np.ndarray, b: np.ndarray) -> float:
    """Σ_i Σ_r |a_i − b_r| exactly, via sorting b and prefix sums."""
    b = np.sort(b)
    cb = np.concatenate([[0.0], np.cumsum(b)])
    k = np.searchsorted(b, a, side="right")  # b_r ≤ a_i for r < k
    below = a * k - cb[k]
    above = (cb[-1] - cb[k]) - a * (len(b) - k)
    return float(below.sum() + above.sum())


@dataclass
class DagumResult(StatResult):
    """G, its three components (``Gw``, ``Gnb``, ``Gt``) and their shares; ``within`` (G_jj per
    group) and ``between`` (G_jh per pair, with D_jh). ``by_period`` holds one row per period
    when a panel was decomposed (the attributes are then the last period's)."""

    G: float = np.nan
    Gw: float = np.nan
    Gnb: float = np.nan
    Gt: float = np.nan
    within: pd.DataFrame = field(default_factory=pd.DataFrame)
    between: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_period: pd.DataFrame = field(default_factory=pd.DataFrame)


def _decompose(x: pd.Series, g: pd.Series) -> dict[str, Any]:
    y = x.to_numpy(dtype=float)
    n, mu = len(y), float(y.mean())
    groups = sorted(g.unique(), key=str)
    vals = {j: y[(g == j).to_numpy()] for j in groups}
    nj = {j: len(v) for j, v in vals.items()}
    Yj = {j: float(v.mean()) for j, v in vals.items()}
    p = {j: nj[j] / n for j in groups}
    s = {j: nj[j] * Yj[j] / (n * mu) for j in groups}
    within = []
    Gw = 0.0
    for j in groups:
        Gjj = _abs_diff_sum(vals[j], vals[j]) / (2 * nj[j] ** 2 * Yj[j]) if Yj[j] > 0 else 0.0
        Gw += Gjj * p[j] * s[j]
        within.append({"group": j, "n": nj[j], "mean": Yj[j], "p": p[j], "s": s[j], "G_jj": Gjj})
    between = []
    Gnb = Gt = 0.0
    for j, h in combinations(groups, 2):
        S = _abs_diff_sum(vals[j], vals[h])
        Gjh = S / (nj[j] * nj[h] * (Yj[j] + Yj[h])) if Yj[j] + Yj[h] > 0 else 0.0  # two all-zero groups: their weight is 0 too
        mad = S / (nj[j] * nj[h])
        D = abs(Yj[j] - Yj[h]) / mad if mad > 0 else 0.0
        wgt = p[j] * s[h] + p[h] * s[j]
        Gnb += Gjh * wgt * D
        Gt += Gjh * wgt * (1 - D)
        between.append({"group": j, "group2": h, "G_jh": Gjh, "D_jh": D, "net_between": Gjh * wgt * D, "transvariation": Gjh * wgt * (1 - D)})
    G = _abs_diff_sum(y, y) / (2 * n**2 * mu)
    return {"G": G, "Gw": Gw, "Gnb": Gnb, "Gt": Gt, "n": n, "k": len(groups), "within": pd.DataFrame(within), "between": pd.DataFrame(between)}


@skippable
def dagum_gini(values: pd.Series | pd.DataFrame, groups: pd.Series) -> DagumResult | Missing:
    """Dagum's decomposition of the Gini of ``values`` by ``groups`` (unit → group label).

    ``values`` is one period (a Series by unit) or a panel (units × periods): a panel is decomposed
    period by period, each on the units with a value and a group in that period. The ``table`` has
    one row per period and term (G, Gw, Gnb, Gt, G_jj per group, G_jh per pair) with the share of G
    of the three components."""
    panel = values.to_frame("value") if isinstance(values, pd.Series) else values
    g_all = groups.replace("", np.nan)
    rows, per_period, last = [], [], None
    for period in panel.columns:
        df = pd.concat([panel[period].rename("x"), g_all.rename("g")], axis=1).dropna()
        if df["g"].nunique() < 2:
            return Missing.undefined("too_few_groups", f"a Dagum decomposition needs two or more groups; got {df['g'].nunique()}",
                                     n=int(df["g"].nunique()))
        require_finite(df["x"], f"the Dagum decomposition ({period})" if not isinstance(values, pd.Series) else "the Dagum decomposition")
        if (df["x"] < 0).any() or not (df["x"] > 0).any():
            return Missing.undefined("gini_negative", "the Gini needs non-negative values with a positive mean", n=int((df["x"] < 0).sum()))
        with np.errstate(over="ignore"):
            big = not np.isfinite(df["x"].sum())
        d = _decompose(df["x"] / scale_of(df["x"]) if big else df["x"], df["g"])  # scale-free: values near 1e308 on x / max x
        last = d
        label = None if isinstance(values, pd.Series) else period
        per_period.append({"period": label, "n": d["n"], "groups": d["k"], "G": d["G"], "Gw": d["Gw"], "Gnb": d["Gnb"], "Gt": d["Gt"],
                           "Gw_share": d["Gw"] / d["G"] if d["G"] else np.nan, "Gnb_share": d["Gnb"] / d["G"] if d["G"] else np.nan,
                           "Gt_share": d["Gt"] / d["G"] if d["G"] else np.nan})
        for term in ("G", "Gw", "Gnb", "Gt"):
            rows.append({"period": label, "term": term, "group": "", "group2": "", "value": d[term],
                         "share": d[term] / d["G"] if d["G"] and term != "G" else np.nan})
        for r in d["within"].itertuples():
            rows.append({"period": label, "term": "G_jj", "group": r.group, "group2": "", "value": r.G_jj, "share": np.nan})
        for r in d["between"].itertuples():
            rows.append({"period": label, "term": "G_jh", "group": r.group, "group2": r.group2, "value": r.G_jh, "share": np.nan})
    assert last is not None
    if last["G"] == 0:  # every unit equal in the last period: no inequality, each share 0/0
        return Missing.undefined("no_inequality", f"all {last['n']} units have the same value in the last period: G = 0 and the shares "
                                 "of its parts are 0/0", n=int(last["n"]))
    by = pd.DataFrame(per_period)
    table = pd.DataFrame(rows)
    if isinstance(values, pd.Series):
        table = table.drop(columns="period")
        by = by.drop(columns="period")
    f, lst = by.iloc[0], by.iloc[-1]
    largest = "@dagum_within" if lst["Gw"] >= max(lst["Gnb"], lst["Gt"]) else ("@dagum_between" if lst["Gnb"] >= lst["Gt"] else "@dagum_transvariation")
    facts = {"n": int(lst["n"]), "groups": int(lst["groups"]), "G": float(lst["G"]), "Gw": float(lst["Gw"]), "Gnb": float(lst["Gnb"]),
             "Gt": float(lst["Gt"]), "Gw_pct": 100 * float(lst["Gw_share"]), "Gnb_pct": 100 * float(lst["Gnb_share"]),
             "Gt_pct": 100 * float(lst["Gt_share"]), "largest": largest, "periods": len(by),
             "first": "" if isinstance(values, pd.Series) else str(panel.columns[0]),
             "last": "" if isinstance(values, pd.Series) else str(panel.columns[-1]),
             "G_first": float(f["G"])}
    sentence = (f"Dagum Gini ({facts['last'] or 'one period'}, n = {facts['n']}, {facts['groups']} groups): G = {facts['G']:.4f}; "
                f"within {facts['Gw_pct']:.1f}%, net between {facts['Gnb_pct']:.1f}%, transvariation {facts['Gt_pct']:.1f}%")
    return DagumResult(table, sentence, facts, {}, G=float(lst["G"]), Gw=float(lst["Gw"]), Gnb=float(lst["Gnb"]), Gt=float(lst["Gt"]),
                       within=last["within"], between=last["between"], by_period=by)
