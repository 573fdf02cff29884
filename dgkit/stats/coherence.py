"""Statistical coherence of an index (OECD/JRC audit; COINr ``get_corr``, ``get_cronbach``, PCA).

For one year of an :class:`~dgkit.pipeline.result.Build`: Pearson correlations indicator–pillar,
indicator–index and pillar–index; Cronbach's alpha per pillar,
``α = k/(k − 1)·(1 − Σ var_j / var(Σ_j x_j))`` (sample variances, complete cases); the share of
variance explained by the first principal component of each pillar's indicators; flags for
indicators negatively correlated with their pillar and for redundant pairs (|r| > 0.92).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from dgkit.stats.result import Missing, StatResult, skippable

REDUNDANT = 0.92


def cronbach_alpha(X: pd.DataFrame) -> float:
    """α = k/(k − 1)·(1 − Σ var_j / var(Σ_j x_j)); NaN (undefined) with fewer than 2 indicators or 2
    complete units, or when the sum does not vary."""
    X = X.dropna()
    k = X.shape[1]
    if k < 2 or len(X) < 2:
        return np.nan
    total = X.sum(axis=1).var(ddof=1)
    if not total > 0:
        return np.nan
    return float(k / (k - 1) * (1 - X.var(ddof=1).sum() / total))


def pc1_share(X: pd.DataFrame) -> float:
    """The first principal component's share of the variance of the indicators' correlation matrix;
    NaN (undefined) with fewer than 2 indicators, fewer than 3 complete units or a constant indicator."""
    X = X.dropna()
    if X.shape[1] < 2 or len(X) < 3 or (X.nunique() < 2).any():
        return np.nan
    vals = np.linalg.eigvalsh(np.corrcoef(X.to_numpy(), rowvar=False))
    return float(vals.max() / vals.sum())


def _corr(a: pd.Series, b: pd.Series) -> float:
    """Pearson r, NaN (undefined) with fewer than 3 shared units or a constant side (no warning)."""
    d = pd.concat([a, b], axis=1).dropna()
    if len(d) < 3 or (d.nunique() < 2).any():
        return np.nan
    return float(d.iloc[:, 0].corr(d.iloc[:, 1]))


@skippable
def coherence(result, year: int | None = None) -> StatResult:  # noqa: ANN001
    y = result.periods[-1] if year is None else year
    Z = result.normalised.xs(y, level="period")
    if len(Z.dropna(how="all")) < 3:
        return Missing.undefined("too_few_units", f"coherence correlates indicators over units: {len(Z.dropna(how='all'))} unit(s) in {y}, "
                                 "3 or more needed", n=len(Z.dropna(how="all")))
    P = result.scores.xs(y, level="period")
    idx = result.index.xs(y, level="period")
    fw = result.framework
    nodes = [n for n in fw.internal_nodes if n != fw.index_code]
    members = {n: [c for c in fw.children(n) if c in Z.columns] for n in nodes}
    nodes = [n for n in nodes if members[n]]
    rows = []
    for p in nodes:
        for j in members[p]:
            rows.append({"indicator": j, "pillar": p, "r_pillar": _corr(Z[j], P[p]), "r_index": _corr(Z[j], idx)})
    ind = pd.DataFrame(rows, columns=["indicator", "pillar", "r_pillar", "r_index"])
    ind["negative_with_pillar"] = ind["r_pillar"] < 0
    pil = pd.DataFrame([{"pillar": p, "k": len(members[p]), "r_index": _corr(P[p], idx), "cronbach_alpha": cronbach_alpha(Z[members[p]]),
                         "pc1_variance_share": pc1_share(Z[members[p]])} for p in nodes],
                       columns=["pillar", "k", "r_index", "cronbach_alpha", "pc1_variance_share"])
    red = []
    C = pd.DataFrame({a: {b: _corr(Z[a], Z[b]) if a != b else 1.0 for b in Z.columns} for a in Z.columns})
    for a, b in itertools.combinations(Z.columns, 2):
        if abs(C.loc[a, b]) > REDUNDANT:
            red.append({"a": a, "b": b, "r": C.loc[a, b]})
    redundant = pd.DataFrame(red, columns=["a", "b", "r"])
    alpha = pil["cronbach_alpha"].dropna()
    constant = [c for c in Z.columns if Z[c].nunique() < 2]
    alpha_text = (f"Cronbach's α per pillar {alpha.min():.2f}–{alpha.max():.2f}" if len(alpha) else
                  "Cronbach's α undefined (no pillar has two or more indicators that vary)")
    s = (f"coherence {y}: {alpha_text}; "
         f"{int(ind['negative_with_pillar'].sum())} indicator(s) negatively correlated with their pillar; {len(redundant)} redundant pair(s) (|r| > {REDUNDANT})"
         + (f"; constant in {y}, no correlation: {', '.join(map(str, constant))}" if constant else ""))
    return StatResult(ind, s, {"negative": int(ind["negative_with_pillar"].sum()), "redundant": len(redundant), "year": y, "n": len(Z),
                               "alpha_min": float(alpha.min()) if len(alpha) else np.nan, "alpha_max": float(alpha.max()) if len(alpha) else np.nan,
                               "threshold": REDUNDANT, "alpha_text": "@alpha_range" if len(alpha) else "@alpha_undefined",
                               "constant": ", ".join(map(str, constant)), "constant_note": "@coherence_constant" if constant else ""},
                      {"pillars": pil, "redundant": redundant, "correlation": C})
