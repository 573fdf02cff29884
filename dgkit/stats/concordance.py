"""Agreement between indices on the units they share (CAICT 2021's critique: never tested).

* :func:`rank_concordance` — pairwise Spearman and Kendall matrices with the n each pair shares;
* :func:`kendalls_w` — Kendall's coefficient of concordance across m indices on n common units,
  ``W = 12 S / (m²(n³ − n) − m Σ T)`` with the tie correction T = Σ (t³ − t), and its χ² test
  ``χ² = m(n − 1)W`` with n − 1 degrees of freedom;
* :func:`weighted_kappa` — Cohen's kappa for ordered tiers/grades with linear (default) or
  quadratic weights: ``κ_w = 1 − Σ w_ij o_ij / Σ w_ij e_ij``, w_ij = |i − j|/(k − 1) (or squared).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from dgkit.errors import AnalysisError
from dgkit.stats.result import Missing, StatResult, fmt_p, require_finite, skippable, unit_names


@skippable
def rank_concordance(indices: dict[str, pd.Series]) -> StatResult:
    """Pairwise Spearman ρ and Kendall τ (with n shared units and p) of several indices."""
    from scipy import stats

    names = list(indices)
    if len(names) < 2:
        raise AnalysisError(f"rank concordance compares two or more indices; got {len(names)}" + (f" ({', '.join(map(str, names))})" if names else ""),
                            expected="a mapping of two or more names to scores")
    rows = []
    sp = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    kd = sp.copy()
    for a, b in itertools.combinations(names, 2):
        df = pd.concat([indices[a].rename("a"), indices[b].rename("b")], axis=1).dropna()
        require_finite(df, f"the rank concordance of {a} and {b}")
        why = ("fewer than 3 shared units" if len(df) < 3 else
               f"{a if df['a'].nunique() < 2 else b} has the same value for every shared unit" if (df.nunique() < 2).any() else "")
        if why:  # undefined: no scipy call (it would warn and return NaN)
            rho = prho = tau = ptau = np.nan
        else:
            rho, prho = stats.spearmanr(df["a"], df["b"])
            tau, ptau = stats.kendalltau(df["a"], df["b"])
        sp.loc[a, b] = sp.loc[b, a] = rho
        kd.loc[a, b] = kd.loc[b, a] = tau
        rows.append({"a": a, "b": b, "n": len(df), "spearman": float(rho), "p_spearman": float(prho), "kendall": float(tau), "p_kendall": float(ptau),
                     "undefined": why})
    t = pd.DataFrame(rows)
    ok = t[t["undefined"] == ""]
    if ok.empty:
        r = t.iloc[0]
        if (t["n"] < 3).all():
            return Missing.undefined("too_few_shared", f"no two indices share 3 or more units ({r['a']} and {r['b']}: {int(r['n'])})",
                                     what=str(r["b"]), n=int(t["n"].max()))
        return Missing.undefined("constant_values", f"{r['a']} vs {r['b']}: {r['undefined']}; the rank correlation is undefined",
                                 n=int(r["n"]))
    lo = ok.sort_values("spearman").iloc[0]
    s = f"lowest agreement: {lo['a']} vs {lo['b']}, Spearman ρ = {lo['spearman']:.2f} (n = {int(lo['n'])}, {fmt_p(lo['p_spearman'])})"
    skipped = t[t["undefined"] != ""]
    if len(skipped):
        s += "; undefined for " + "; ".join(f"{r.a} vs {r.b} ({r.undefined})" for r in skipped.itertuples())
    first = ok.iloc[0]
    return StatResult(t, s, {"n_undefined": len(skipped), "undefined_note": "@pairs_undefined" if len(skipped) else "",
                             "min_spearman": float(lo["spearman"]), "low_a": lo["a"], "low_b": lo["b"], "low_n": int(lo["n"]),
                             "low_p_text": fmt_p(float(lo["p_spearman"])), "pairs": len(t), "first_b": first["b"],
                             "first_spearman": float(first["spearman"]), "first_n": int(first["n"]), "first_p_text": fmt_p(float(first["p_spearman"]))},
                      {"spearman": sp, "kendall": kd, **_sources(indices)})


def _sources(indices: Any) -> dict[str, str]:
    """The sources of the compared indices (their ``attrs["source"]``), joined: the result cites them all."""
    vals = indices.values() if isinstance(indices, dict) else []
    src = list(dict.fromkeys(str(v.attrs["source"]) for v in vals if getattr(v, "attrs", {}).get("source")))
    return {"source": "; ".join(src)} if src else {}


def kendalls_w(scores: pd.DataFrame) -> StatResult:
    """Kendall's W: rows = units, columns = indices (higher = better); units with any NaN dropped."""
    from scipy import stats

    X = scores.dropna()
    n, m = X.shape
    require_finite(X, "Kendall's W")
    if m < 2 or n < 3:
        raise AnalysisError(f"Kendall's W needs two or more indices (columns) on three or more common units (rows); got {m} "
                            f"ind{'ex' if m == 1 else 'ices'} on {n} common unit(s)" + (f" ({unit_names(X.index)})" if 0 < n < 3 else ""),
                            expected="m ≥ 2 indices and n ≥ 3 units with every index")
    R = X.rank(ascending=False, method="average")
    S = float(((R.sum(axis=1) - m * (n + 1) / 2) ** 2).sum())
    T = 0.0
    for c in R.columns:
        counts = R[c].value_counts()
        T += float((counts**3 - counts).sum())
    den = m**2 * (n**3 - n) - m * T
    if not den > 0:
        raise AnalysisError(f"Kendall's W is 0/0: every index ties all {n} units (each column is constant)",
                            expected="indices that rank the units")
    W = 12 * S / den
    chi2 = m * (n - 1) * W
    p = float(stats.chi2.sf(chi2, n - 1))
    t = pd.DataFrame([{"m": m, "n": n, "W": W, "chi2": chi2, "df": n - 1, "p": p}])
    return StatResult(t, f"Kendall's W = {W:.2f} across {m} indices on {n} common units, χ² = {chi2:.1f}, {fmt_p(p)}", {"W": W, "n": n, "m": m})


@skippable
def kappa_of(inputs: tuple, weights: str = "linear") -> StatResult:
    """:func:`weighted_kappa` of ``(a, b, categories)`` (as :meth:`Edition.kappa_inputs` gives them)."""
    a, b, categories = inputs
    r = weighted_kappa(a, b, categories, weights)
    if isinstance(r, Missing):
        return r
    r.table = r.table.rename_axis("mapped").reset_index()
    return r


@skippable
def weighted_kappa(a: pd.Series, b: pd.Series, categories: list[str], weights: str = "linear") -> StatResult:
    if weights not in ("linear", "quadratic"):
        raise AnalysisError(f"unknown kappa weights {weights!r}", expected="'linear' or 'quadratic'")
    df = pd.concat([a.rename("a"), b.rename("b")], axis=1).dropna()
    k = len(categories)
    if k < 2:
        raise AnalysisError("a weighted kappa needs two or more ordered categories", expected="two or more",
                            got=list(categories))
    pos = {c: i for i, c in enumerate(categories)}
    unknown = (set(df["a"]) | set(df["b"])) - set(pos)
    if unknown:
        raise AnalysisError(f"categories not in the ordered list: {sorted(map(str, unknown))}", expected=", ".join(map(str, categories)))
    if df.empty:
        return Missing.undefined("too_few_shared", "no unit has a category on both sides", what=str(b.name or "the grades"), n=0)
    if df["a"].nunique() == 1 and df["b"].nunique() == 1:  # chance disagreement Σ w e = 0: κ is 0/0
        return Missing.undefined("kappa_one_category", f"every one of the {len(df)} units is in {df['a'].iat[0]} on one side and "
                                 f"{df['b'].iat[0]} on the other: the disagreement expected by chance is 0, so κ is 0/0",
                                 n=len(df), a=str(df["a"].iat[0]), b=str(df["b"].iat[0]))
    obs = np.zeros((k, k))
    for x, y in zip(df["a"], df["b"]):
        obs[pos[x], pos[y]] += 1
    obs /= obs.sum()
    E = np.outer(obs.sum(axis=1), obs.sum(axis=0))
    i, j = np.indices((k, k))
    W = np.abs(i - j) / (k - 1)
    if weights == "quadratic":
        W = W**2
    kappa = 1 - (W * obs).sum() / (W * E).sum()
    exact = float(np.trace(obs))
    t = pd.DataFrame(obs * len(df), index=categories, columns=categories)
    return StatResult(t, f"weighted κ ({weights}) = {kappa:.2f} on n = {len(df)} units; exact agreement {exact:.0%}",
                      {"kappa": float(kappa), "n": len(df), "exact_agreement": exact})
