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

import numpy as np
import pandas as pd

from dgkit.stats.result import StatResult, fmt_p, skippable


@skippable
def rank_concordance(indices: dict[str, pd.Series]) -> StatResult:
    """Pairwise Spearman ρ and Kendall τ (with n shared units and p) of several indices."""
    from scipy import stats

    names = list(indices)
    rows = []
    sp = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    kd = sp.copy()
    for a, b in itertools.combinations(names, 2):
        df = pd.concat([indices[a].rename("a"), indices[b].rename("b")], axis=1).dropna()
        rho, prho = stats.spearmanr(df["a"], df["b"])
        tau, ptau = stats.kendalltau(df["a"], df["b"])
        sp.loc[a, b] = sp.loc[b, a] = rho
        kd.loc[a, b] = kd.loc[b, a] = tau
        rows.append({"a": a, "b": b, "n": len(df), "spearman": float(rho), "p_spearman": float(prho), "kendall": float(tau), "p_kendall": float(ptau)})
    t = pd.DataFrame(rows)
    lo = t.sort_values("spearman").iloc[0]
    s = f"lowest agreement: {lo['a']} vs {lo['b']}, Spearman ρ = {lo['spearman']:.2f} (n = {int(lo['n'])}, {fmt_p(lo['p_spearman'])})"
    first = t.iloc[0]
    return StatResult(t, s, {"min_spearman": float(lo["spearman"]), "low_a": lo["a"], "low_b": lo["b"], "low_n": int(lo["n"]),
                             "low_p_text": fmt_p(float(lo["p_spearman"])), "pairs": len(t), "first_b": first["b"],
                             "first_spearman": float(first["spearman"]), "first_n": int(first["n"]), "first_p_text": fmt_p(float(first["p_spearman"]))},
                      {"spearman": sp, "kendall": kd})


def kendalls_w(scores: pd.DataFrame) -> StatResult:
    """Kendall's W: rows = units, columns = indices (higher = better); units with any NaN dropped."""
    from scipy import stats

    X = scores.dropna()
    n, m = X.shape
    R = X.rank(ascending=False, method="average")
    S = float(((R.sum(axis=1) - m * (n + 1) / 2) ** 2).sum())
    T = 0.0
    for c in R.columns:
        counts = R[c].value_counts()
        T += float((counts**3 - counts).sum())
    W = 12 * S / (m**2 * (n**3 - n) - m * T)
    chi2 = m * (n - 1) * W
    p = float(stats.chi2.sf(chi2, n - 1))
    t = pd.DataFrame([{"m": m, "n": n, "W": W, "chi2": chi2, "df": n - 1, "p": p}])
    return StatResult(t, f"Kendall's W = {W:.2f} across {m} indices on {n} common units, χ² = {chi2:.1f}, {fmt_p(p)}", {"W": W, "n": n, "m": m})


@skippable
def kappa_of(inputs: tuple, weights: str = "linear") -> StatResult:
    """:func:`weighted_kappa` of ``(a, b, categories)`` (as :meth:`Edition.kappa_inputs` gives them)."""
    a, b, categories = inputs
    r = weighted_kappa(a, b, categories, weights)
    r.table = r.table.rename_axis("mapped").reset_index()
    return r


@skippable
def weighted_kappa(a: pd.Series, b: pd.Series, categories: list[str], weights: str = "linear") -> StatResult:
    df = pd.concat([a.rename("a"), b.rename("b")], axis=1).dropna()
    k = len(categories)
    pos = {c: i for i, c in enumerate(categories)}
    unknown = (set(df["a"]) | set(df["b"])) - set(pos)
    if unknown:
        raise ValueError(f"categories not in the ordered list: {sorted(unknown)}")
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
