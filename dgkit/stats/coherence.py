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

from dgkit.stats.result import StatResult, skippable

REDUNDANT = 0.92


def cronbach_alpha(X: pd.DataFrame) -> float:
    X = X.dropna()
    k = X.shape[1]
    if k < 2:
        return np.nan
    return float(k / (k - 1) * (1 - X.var(ddof=1).sum() / X.sum(axis=1).var(ddof=1)))


def pc1_share(X: pd.DataFrame) -> float:
    X = X.dropna()
    if X.shape[1] < 2:
        return np.nan
    vals = np.linalg.eigvalsh(np.corrcoef(X.to_numpy(), rowvar=False))
    return float(vals.max() / vals.sum())


@skippable
def coherence(result, year: int | None = None) -> StatResult:  # noqa: ANN001
    y = result.periods[-1] if year is None else year
    Z = result.normalised.xs(y, level="period")
    P = result.scores.xs(y, level="period")
    idx = result.index.xs(y, level="period")
    fw = result.framework
    nodes = [n for n in fw.internal_nodes if n != fw.index_code]
    members = {n: [c for c in fw.children(n) if c in Z.columns] for n in nodes}
    nodes = [n for n in nodes if members[n]]
    rows = []
    for p in nodes:
        for j in members[p]:
            rows.append({"indicator": j, "pillar": p, "r_pillar": Z[j].corr(P[p]), "r_index": Z[j].corr(idx)})
    ind = pd.DataFrame(rows, columns=["indicator", "pillar", "r_pillar", "r_index"])
    ind["negative_with_pillar"] = ind["r_pillar"] < 0
    pil = pd.DataFrame([{"pillar": p, "k": len(members[p]), "r_index": P[p].corr(idx), "cronbach_alpha": cronbach_alpha(Z[members[p]]),
                         "pc1_variance_share": pc1_share(Z[members[p]])} for p in nodes],
                       columns=["pillar", "k", "r_index", "cronbach_alpha", "pc1_variance_share"])
    red = []
    C = Z.corr()
    for a, b in itertools.combinations(Z.columns, 2):
        if abs(C.loc[a, b]) > REDUNDANT:
            red.append({"a": a, "b": b, "r": C.loc[a, b]})
    redundant = pd.DataFrame(red, columns=["a", "b", "r"])
    s = (f"coherence {y}: Cronbach's α per pillar {pil['cronbach_alpha'].min():.2f}–{pil['cronbach_alpha'].max():.2f}; "
         f"{int(ind['negative_with_pillar'].sum())} indicator(s) negatively correlated with their pillar; {len(redundant)} redundant pair(s) (|r| > {REDUNDANT})")
    return StatResult(ind, s, {"negative": int(ind["negative_with_pillar"].sum()), "redundant": len(redundant), "year": y, "n": len(Z),
                               "alpha_min": float(pil["cronbach_alpha"].min()), "alpha_max": float(pil["cronbach_alpha"].max()), "threshold": REDUNDANT},
                      {"pillars": pil, "redundant": redundant, "correlation": C})
