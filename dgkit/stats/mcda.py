"""Multi-criteria methods of 数字政府/数字经济 evaluation papers: TOPSIS, entropy-TOPSIS, coupling
coordination degree and the obstacle degree model.

* **TOPSIS** (Hwang & Yoon 1981; :func:`topsis`): normalise (``vector``: x/√Σx², or ``minmax``),
  weight v_ij = w_j r_ij, ideal v⁺_j = max_i v_ij and anti-ideal v⁻_j = min_i v_ij (after turning
  cost indicators around), D±_i = √Σ_j (v_ij − v±_j)², closeness C_i = D⁻_i / (D⁺_i + D⁻_i) ∈ [0, 1].
  The same aggregation step (``aggregate: topsis``) is available in index builds.
* **Entropy-TOPSIS** (:func:`entropy_topsis`): min-max normalisation (极差标准化), entropy weights
  (:func:`dgkit.weights.entropy`), then TOPSIS on the normalised matrix — the usual 熵权 TOPSIS.
* **Coupling coordination degree** of n subsystems U_1 … U_n ∈ [0, 1] (:func:`coupling_coordination`):
  C = [Π U_i / ((Σ U_i / n)^n)]^(1/n) ∈ [0, 1] (the corrected form; 王淑佳 等 2021, 《经济地理》
  41(9)), T = Σ α_i U_i (equal α by default), D = √(C T). D is graded in ten bands of 0.1, from
  极度失调 (0–0.1) to 优质协调 (0.9–1).
* **Obstacle degree** (:func:`obstacle_degree`): factor contribution F_j = w_j, deviation
  I_ij = 1 − x'_ij (x' the min-max normalised indicator in [0, 1]), O_ij = F_j I_ij / Σ_j F_j I_ij;
  the indicators with the largest O_ij hold unit i back most. A unit at the best value of every
  indicator has no obstacle: its row is all zeros (0/0 is not a share).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dgkit.errors import AnalysisError
from dgkit.normalise import minmax, normalise
from dgkit.stats.result import Missing, StatResult, require_finite, skippable, unit_names

D_BANDS = [(0.0, "extreme_imbalance"), (0.1, "serious_imbalance"), (0.2, "moderate_imbalance"), (0.3, "mild_imbalance"),
           (0.4, "near_imbalance"), (0.5, "barely_coordinated"), (0.6, "primary_coordination"), (0.7, "intermediate_coordination"),
           (0.8, "good_coordination"), (0.9, "high_quality_coordination")]


def _closeness(R: pd.DataFrame, w: pd.Series) -> pd.DataFrame:
    """D⁺, D⁻ and the closeness of every unit (the pipeline's TOPSIS distances), ranked."""
    from dgkit.aggregate import topsis_distances

    dplus, dminus = topsis_distances(R.to_numpy(dtype=float), w.to_numpy(dtype=float)[None, :], np.ones(len(R), dtype=bool))
    t = pd.DataFrame({"d_plus": dplus[:, 0], "d_minus": dminus[:, 0], "closeness": dminus[:, 0] / (dplus[:, 0] + dminus[:, 0])}, index=R.index)
    t["rank"] = t["closeness"].rank(ascending=False, method="min").astype(int)
    return t.rename_axis("unit_id").reset_index().sort_values("rank", kind="stable").reset_index(drop=True)


@skippable
def topsis(X: pd.DataFrame, weights: pd.Series | None = None, directions: Any = None, normalisation: str = "vector") -> StatResult | Missing:
    """TOPSIS closeness of the units (rows) of ``X`` (indicators in columns, no missing cells)."""
    if normalisation not in ("vector", "minmax"):
        raise AnalysisError(f"unknown TOPSIS normalisation {normalisation!r}", expected="'vector' or 'minmax'")
    X = X.dropna()
    if len(X) < 2:
        return Missing.undefined("too_few_units", f"TOPSIS needs two or more units with every indicator, got {len(X)}", n=len(X))
    require_finite(X, "TOPSIS")
    if (X.nunique() < 2).all():
        return _identical(X, "TOPSIS")
    R = normalise(X, normalisation, directions=directions, **({"lo": 0.0, "hi": 1.0} if normalisation == "minmax" else {}))
    w = pd.Series(1 / X.shape[1], index=X.columns) if weights is None else pd.Series(weights).reindex(X.columns) / pd.Series(weights).reindex(X.columns).sum()
    t = _closeness(R, w)
    facts = {"n": len(X), "indicators": X.shape[1], "normalisation": f"@norm_{normalisation}", "top": t["unit_id"].iloc[0],
             "top_c": float(t["closeness"].iloc[0]), "mean_c": float(t["closeness"].mean())}
    s = f"TOPSIS ({normalisation} normalisation, {X.shape[1]} indicators, n = {len(X)}): highest closeness {facts['top']} {facts['top_c']:.3f}"
    return StatResult(t, s, facts, {"weights": w, "normalised": R})


@skippable
def entropy_topsis(X: pd.DataFrame, directions: Any = None) -> StatResult | Missing:
    """Entropy-weighted TOPSIS: min-max normalisation, entropy weights, TOPSIS (module docstring)."""
    from dgkit.weights import entropy

    X = X.dropna()
    if len(X) < 2:
        return Missing.undefined("too_few_units", f"entropy-TOPSIS needs two or more units with every indicator, got {len(X)}", n=len(X))
    require_finite(X, "entropy-TOPSIS")
    constant = [c for c in X.columns if X[c].nunique() < 2]
    if len(constant) == X.shape[1]:
        return _identical(X, "entropy-TOPSIS")
    varying = [c for c in X.columns if c not in constant]
    # a constant indicator carries no information: entropy weight 0 (min-max is 0/0 for it), stated
    R = minmax(X[varying], None if directions is None else {c: v for c, v in dict(directions).items() if c in varying}, lo=0.0, hi=1.0)
    w = entropy(R).reindex(X.columns, fill_value=0.0)
    R = R.reindex(columns=X.columns, fill_value=0.0)
    t = _closeness(R, w)
    facts = {"n": len(X), "indicators": X.shape[1], "normalisation": "@norm_minmax", "top": t["unit_id"].iloc[0],
             "top_c": float(t["closeness"].iloc[0]), "mean_c": float(t["closeness"].mean()), "top_weight": str(w.idxmax()),
             "top_weight_value": float(w.max()), "constant": ", ".join(map(str, constant)),
             "constant_note": "@constant_indicators_weight_0" if constant else ""}
    s = (f"entropy-TOPSIS ({X.shape[1]} indicators, n = {len(X)}): highest closeness {facts['top']} {facts['top_c']:.3f}; "
         f"largest entropy weight {facts['top_weight']} {facts['top_weight_value']:.3f}"
         + (f"; constant over the units, weight 0: {facts['constant']}" if constant else ""))
    return StatResult(t, s, facts, {"weights": w, "normalised": R})


def _identical(X: pd.DataFrame, what: str) -> Missing:
    return Missing.undefined("identical_units", f"{what}: all {len(X)} units have the same value on every indicator, so the ideal and "
                             "the anti-ideal coincide and the closeness is 0/0", n=len(X))


def coordination_band(D: float) -> str:
    """The band of a coordination degree D ∈ [0, 1] (labels ``words.ccd_<band>`` in the catalogue)."""
    band = D_BANDS[0][1]
    for lo, name in D_BANDS:
        if lo <= D:
            band = name
    return band


@skippable
def coupling_coordination(subsystems: pd.DataFrame, weights: pd.Series | None = None) -> StatResult | Missing:
    """Coupling C, development T and coordination D of n ≥ 2 subsystems (columns, values in [0, 1])."""
    U = subsystems.dropna()
    n = U.shape[1]
    if n < 2:
        return Missing("coupling coordination needs two or more subsystems (pillars)", "too_few_pillars", n=n)
    if len(U) == 0:
        return Missing.undefined("too_few_units", "no unit has every subsystem", n=0)
    out = (U < 0) | (U > 1)
    if out.any().any():
        c = U.columns[out.any().to_numpy()][0]
        units = list(U.index[out[c].to_numpy()])
        raise AnalysisError(f"coupling coordination needs subsystem scores in [0, 1]; {c} is {float(U.loc[units[0], c]):g} for "
                            f"{unit_names(units)} — rescale them first (e.g. score / 100)", column=str(c), expected="values in [0, 1]")
    a = pd.Series(1 / n, index=U.columns) if weights is None else pd.Series(weights).reindex(U.columns) / pd.Series(weights).reindex(U.columns).sum()
    mean = U.mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        C = np.where(mean > 0, (U.prod(axis=1) / mean**n) ** (1 / n), 0.0)
    T = (U * a).sum(axis=1)
    D = np.sqrt(C * T)
    t = pd.DataFrame({"unit_id": U.index, "C": C, "T": T.to_numpy(), "D": D.to_numpy(), "band": [f"@ccd_{coordination_band(v)}" for v in D]})
    t = t.sort_values("D", ascending=False).reset_index(drop=True)
    counts = t["band"].value_counts()
    facts = {"n": len(U), "subsystems": n, "mean_C": float(np.mean(C)), "mean_D": float(D.mean()), "top": t["unit_id"].iloc[0],
             "top_D": float(t["D"].iloc[0]), "bottom": t["unit_id"].iloc[-1], "bottom_D": float(t["D"].iloc[-1]),
             "modal_band": counts.index[0], "modal_count": int(counts.iloc[0]), "scale_rule": subsystems.attrs.get("rule", "@scale_unit")}
    s = (f"Coupling coordination of {n} subsystems (n = {len(U)}): mean C = {facts['mean_C']:.3f}, mean D = {facts['mean_D']:.3f}; "
         f"highest D {facts['top']} {facts['top_D']:.3f}")
    return StatResult(t, s, facts)


@skippable
def obstacle_degree(X: pd.DataFrame, weights: pd.Series, directions: Any = None, top: int = 3, names: pd.Series | None = None) -> StatResult | Missing:
    """Obstacle degree of every indicator for every unit (module docstring): the table lists each
    unit's ``top`` obstacles; ``extra["matrix"]`` holds O_ij (shares, rows sum to 1)."""
    X = X.dropna()
    if len(X) < 2:
        return Missing.undefined("too_few_units", f"the obstacle degree needs two or more units, got {len(X)}", n=len(X))
    require_finite(X, "the obstacle degree")
    w = pd.Series(weights).reindex(X.columns)
    if w.isna().any():
        raise AnalysisError(f"no weight for indicator {w.index[w.isna()][0]}", expected=f"a weight for each of {', '.join(map(str, X.columns))}")
    varying = [c for c in X.columns if X[c].nunique() > 1]
    # a constant indicator: every unit is at its best value, deviation 0 (min-max would be 0/0)
    R = (minmax(X[varying], None if directions is None else {c: v for c, v in dict(directions).items() if c in varying}, lo=0.0, hi=1.0)
         .reindex(columns=X.columns, fill_value=1.0))
    FI = (1 - R) * (w / w.sum())
    tot = FI.sum(axis=1)
    if not (tot > 0).any():
        return Missing.undefined("no_obstacles", f"no unit of the {len(X)} falls short of the best value on any weighted indicator: every "
                                 "deviation is 0, so there is no obstacle to rank", n=len(X))
    obst = FI.div(tot.where(tot > 0), axis=0).fillna(0.0)
    order = np.argsort(-obst.to_numpy(), axis=1, kind="stable")[:, :top]
    cols = np.asarray(obst.columns)
    rows = []
    for i, u in enumerate(obst.index):
        for r, j in enumerate(order[i]):
            rows.append({"unit_id": u, "rank": r + 1, "indicator": cols[j], "obstacle": float(obst.iat[i, j])})
    t = pd.DataFrame(rows)
    if names is not None:
        t.insert(1, "name", [str(names.get(u, u)) for u in t["unit_id"]])
    mean = obst.mean().sort_values(ascending=False)
    first = t[t["rank"] == 1]["indicator"].value_counts()
    facts = {"n": len(X), "indicators": X.shape[1], "top_mean": str(mean.index[0]), "top_mean_value": float(mean.iloc[0]),
             "most_often_first": str(first.index[0]), "most_often_first_n": int(first.iloc[0])}
    s = (f"Obstacle degree ({X.shape[1]} indicators, n = {len(X)}): the largest mean obstacle is {facts['top_mean']} "
         f"({facts['top_mean_value']:.1%}); it is the first obstacle of {facts['most_often_first_n']} unit(s)"
         if facts["most_often_first"] == facts["top_mean"] else
         f"Obstacle degree ({X.shape[1]} indicators, n = {len(X)}): the largest mean obstacle is {facts['top_mean']} "
         f"({facts['top_mean_value']:.1%}); {facts['most_often_first']} is most often the first ({facts['most_often_first_n']} units)")
    return StatResult(t, s, facts, {"matrix": obst, "mean": mean})
