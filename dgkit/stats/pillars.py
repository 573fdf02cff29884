"""Pillars (components) of an index: national and group means, profiles of the top units, their
strongest and weakest pillar, and echelons per pillar (CCID 2020 第2章: 分项指数, 梯队)."""

from __future__ import annotations

import pandas as pd

from dgkit.errors import AnalysisError
from dgkit.stats.result import Missing, StatResult, require_finite, skippable


def _components(components: pd.DataFrame, what: str) -> pd.DataFrame:
    """The units with at least one pillar score; none, or ±inf, is an error."""
    P = components.dropna(how="all")
    if P.empty or P.shape[1] == 0:
        raise AnalysisError((f"{what}: no unit has a pillar score ({components.shape[0]} row(s), every cell missing)" if components.shape[1]
                             else f"{what}: the table has no pillar columns"), expected="a units × pillars table with values")
    require_finite(P, what)
    return P


@skippable
def profile(components: pd.DataFrame, groups: pd.Series | None = None, national: str = "national") -> StatResult:
    """Mean of every pillar, nationally (first row, labelled ``national``) and per group of a
    partition (unit → group). Facts: the lowest and highest pillar means, n."""
    P = _components(components, "pillar means")
    means = P.mean().to_frame(national).T
    if groups is not None:
        g = groups.reindex(P.index)
        by = P.groupby(g[g.notna()]).mean() if g.notna().any() else P.iloc[:0]
        means = pd.concat([means, by])
    lo, hi = means.iloc[0].idxmin(), means.iloc[0].idxmax()
    facts = {"n": len(P), "pillars": P.shape[1], "national": national, "lowest": lo, "lowest_mean": float(means.iloc[0][lo]), "highest": hi,
             "highest_mean": float(means.iloc[0][hi])}
    return StatResult(means.rename_axis("scope").reset_index(), f"lowest pillar mean: {lo} {means.iloc[0][lo]:.3g} (n = {len(P)})", facts,
                      {"means": means})


@skippable
def top_profiles(components: pd.DataFrame, scores: pd.Series, names: pd.Series | None = None, n: int = 5) -> pd.DataFrame:
    """Pillar scores of the ``n`` best units (rows named), for a radar or a table."""
    top = scores.reindex(components.index).dropna().sort_values(ascending=False).head(n).index
    prof = components.loc[top]
    prof.index = [str(names.get(u, u)) if names is not None else str(u) for u in top]
    return prof


@skippable
def strengths(components: pd.DataFrame, scores: pd.Series, names: pd.Series | None = None, n: int = 5) -> StatResult:
    """Strongest and weakest pillar of each of the ``n`` best units, relative to the pillar's
    national mean (a pillar scale differs from another: the gap to the mean is compared)."""
    P = _components(components, "pillar strengths")
    if len(P) < 2 or (P.nunique() < 2).all():
        return Missing.undefined("constant_values" if len(P) >= 2 else "too_few_units",
                                 "strengths compare each unit with the pillar means: "
                                 + (f"every pillar is the same for all {len(P)} units" if len(P) >= 2 else f"only {len(P)} unit"), n=len(P))
    gap = P - P.mean()
    top = scores.reindex(P.index).dropna().sort_values(ascending=False).head(n).index
    if top.empty:
        raise AnalysisError("no unit with pillar scores has an index score to pick the top units by", expected="index scores for the same units")
    rows = []
    for u in top:
        g = gap.loc[u]
        rows.append({"unit_id": u, "name": str(names.get(u, u)) if names is not None else u, "strongest": g.idxmax(),
                     "strongest_score": P.at[u, g.idxmax()], "weakest": g.idxmin(), "weakest_score": P.at[u, g.idxmin()]})
    t = pd.DataFrame(rows)
    first = t.iloc[0]
    return StatResult(t, f"{first['name']}: strongest {first['strongest']}, weakest {first['weakest']}",
                      {"top": first["name"], "strongest": first["strongest"], "weakest": first["weakest"], "n": len(t)})


@skippable
def echelons(components: pd.DataFrame, names: pd.Series | None = None, k: int = 4, lang: str = "zh") -> StatResult:
    """Fisher-Jenks echelons (``k`` classes) of every pillar; facts: size of each pillar's first echelon."""
    from dgkit.tiers import label, natural_breaks

    P = _components(components, "pillar echelons")
    k = max(1, min(k, int(P.nunique().min())))
    E = P.apply(lambda c: natural_breaks(c.dropna(), k).reindex(P.index).map(lambda x: label(x, lang)))
    t = E.copy()
    t.insert(0, "name", [str(names.get(u, u)) if names is not None else u for u in t.index])
    first = E.apply(lambda c: int((c == label("第一梯队", lang)).sum()))
    return StatResult(t.rename_axis("unit_id").reset_index(), f"{k} echelons per pillar",
                      {"k": k, "first_sizes": ", ".join(f"{c} {v}" for c, v in first.items()), "n": len(P)})
