"""Ranking an index: competition ranks on unrounded scores, printed ranks beside them.

Ties: ``"min"`` (default) gives competition ranks 1, 2, 2, 4 — equal scores share the better rank
and the next rank is skipped, the convention of the seed reports' tables; ``"average"``,
``"max"``, ``"first"`` and ``"dense"`` are pandas' other rules. Scores are never rounded before
ranking (rounding creates ties the data do not have).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dgkit.errors import AnalysisError
from dgkit.stats.result import StatResult, mean_sd, require_finite, skippable

TIE_RULES = {"min": "competition (1, 2, 2, 4)", "average": "average (1, 2.5, 2.5, 4)", "max": "max (1, 3, 3, 4)",
             "first": "order of appearance", "dense": "dense (1, 2, 2, 3)"}


@skippable
def rank(scores: pd.Series, names: pd.Series | None = None, components: pd.DataFrame | None = None,
         printed: pd.Series | None = None, ties: str = "min") -> StatResult:
    """Ranking table (unit_id, name, score, rank [, rank_printed, rank_difference] [, components])
    and the facts n, mean, SD, the number at or above the mean, top and bottom units."""
    if ties not in TIE_RULES:
        raise ValueError(f"ties must be one of {', '.join(TIE_RULES)}, got {ties!r}")
    s = scores.dropna().astype(float)
    if s.empty:
        raise AnalysisError(f"no scores to rank: every one of the {len(scores)} units' scores is missing" if len(scores) else
                            "no scores to rank: the series is empty", column=str(scores.name) if scores.name is not None else None,
                            expected="one or more units with a score")
    require_finite(s, "a ranking")
    r = s.rank(ascending=False, method=ties)
    nm = names.reindex(s.index).fillna(pd.Series(s.index, index=s.index)) if names is not None else pd.Series(s.index, index=s.index)
    t = pd.DataFrame({"unit_id": s.index, "name": nm.to_numpy(), "score": s.to_numpy(), "rank": r.to_numpy()})
    n_diff = n_bad = 0
    if printed is not None:
        pr = pd.to_numeric(printed, errors="coerce").reindex(s.index)
        t["rank_printed"] = pr.to_numpy()
        t["rank_difference"] = (t["rank_printed"] - t["rank"]).to_numpy()
        t["printed_conflicts"] = order_conflicts(s, pr)
        n_diff = int((t["rank_difference"].fillna(0) != 0).sum())
        n_bad = int((t["printed_conflicts"] > 0).sum())
    if components is not None:
        t = t.join(components.reindex(s.index).reset_index(drop=True))
    t = t.sort_values(["rank", "name"]).reset_index(drop=True)
    if ties in ("min", "max", "dense", "first"):
        t["rank"] = t["rank"].astype(int)
    mean, sd = mean_sd(s, 0)  # scaled when the sum of values near 1e308 would overflow
    top, bottom = t.iloc[0], t.iloc[-1]
    facts = {"n": len(s), "mean": mean, "sd": sd, "n_at_or_above_mean": int((s >= mean).sum()),
             "top": top["name"], "top_score": float(top["score"]), "bottom": bottom["name"], "bottom_score": float(bottom["score"]),
             "ties": f"@ties_{ties}", "n_tied": int(r.duplicated(keep=False).sum()), "n_printed_differ": n_diff,
             "n_printed_inconsistent": n_bad,
             "n_printed": int(t["rank_printed"].notna().sum()) if "rank_printed" in t else 0}
    sentence = (f"n = {len(s)}, mean {mean:.3g}; {facts['n_at_or_above_mean']} at or above the mean; top {top['name']} "
                f"{top['score']:.4g}, bottom {bottom['name']} {bottom['score']:.4g}; ranks: {TIE_RULES[ties]} on unrounded scores")
    return StatResult(t, sentence, facts)


def order_conflicts(scores: pd.Series, printed: pd.Series, chunk: int = 2000) -> np.ndarray:
    """For each unit, how many others the printed ranks put in the opposite order to the scores
    (higher score with a worse printed rank, or lower score with a better one); units without a
    printed rank conflict with none. Vectorised in blocks of ``chunk`` rows (n² comparisons)."""
    x = scores.to_numpy(float)
    p = printed.reindex(scores.index).to_numpy(float)
    ok = ~np.isnan(p)
    out = np.zeros(len(x), dtype=int)
    xs, ps = x[ok], p[ok]
    idx = np.flatnonzero(ok)
    for a in range(0, len(idx), chunk):
        xa, pa = xs[a:a + chunk, None], ps[a:a + chunk, None]
        disc = ((xs[None, :] > xa) & (ps[None, :] > pa)) | ((xs[None, :] < xa) & (ps[None, :] < pa))
        out[idx[a:a + chunk]] = disc.sum(axis=1)
    return out


@skippable
def printed_rank_differences(ranking: StatResult, printed: pd.Series | None = None) -> pd.DataFrame:
    """The rows of a :func:`rank` table whose printed rank differs from the computed rank, with the
    number of units the printed order contradicts (``printed_conflicts``: 0 when the difference is
    only a tie rule) (``printed``: the printed ranks, as given to :func:`rank`; Missing skips)."""
    t = ranking.table
    if "rank_printed" not in t:
        from dgkit.stats.result import Missing

        return Missing("no printed ranks", "no_printed_ranks_table")
    d = t[t["rank_difference"].fillna(0) != 0]
    return d[["unit_id", "name", "score", "rank", "rank_printed", "rank_difference", "printed_conflicts"]].reset_index(drop=True)


@skippable
def compare_builds(a: Any, b: Any, period: Any = None, names: pd.Series | None = None, labels: tuple[str, str] = ("A", "B"),
                   top: int = 10) -> StatResult:
    """Two builds of one index (e.g. the entropy method beside the CCID formulas) in ``period``:
    scores, competition ranks and the rank change (b − a) per unit; facts Spearman ρ and Kendall τ
    of the two (scipy, with p), units whose rank moves, mean and largest |Δrank| (and who), and how
    many of the top ``top`` the two share. What differs in the recipes is in ``extra["changes"]``."""
    from scipy import stats as st

    p = a.periods[-1] if period is None else period
    cmp = a.compare(b, p)
    t = cmp.table
    sa, sb = t["index_a"].astype(float), t["index_b"].astype(float)
    ra, rb = sa.rank(ascending=False, method="min").astype(int), sb.rank(ascending=False, method="min").astype(int)
    nm = names.reindex(t.index).fillna(pd.Series(t.index, index=t.index)) if names is not None else pd.Series(t.index, index=t.index)
    out = pd.DataFrame({"unit_id": t.index, "name": nm.to_numpy(), f"score_{labels[0]}": sa.to_numpy(), f"rank_{labels[0]}": ra.to_numpy(),
                        f"score_{labels[1]}": sb.to_numpy(), f"rank_{labels[1]}": rb.to_numpy(), "rank_change": (rb - ra).to_numpy()})
    out = out.sort_values([f"rank_{labels[0]}", "name"]).reset_index(drop=True)
    ok = sa.notna() & sb.notna()
    if ok.sum() < 3 or sa[ok].nunique() < 2 or sb[ok].nunique() < 2:  # undefined: no scipy call (it would warn and return NaN)
        rho = p_rho = tau = p_tau = float("nan")
        note = "@rank_corr_too_few" if ok.sum() < 3 else "@rank_corr_constant"
    else:
        rho, p_rho = st.spearmanr(sa, sb)
        tau, p_tau = st.kendalltau(sa, sb)
        note = ""
    moved = out["rank_change"].abs()
    i = int(moved.to_numpy().argmax())
    k = min(top, len(out))
    shared = len(set(ra[ra <= k].index) & set(rb[rb <= k].index))
    facts = {"n": len(out), "period": p, "label_a": labels[0], "label_b": labels[1], "rho": float(rho), "p_rho": float(p_rho),
             "tau": float(tau), "p_tau": float(p_tau), "n_moved": int((moved > 0).sum()), "mean_abs_change": float(moved.mean()),
             "max_abs_change": int(moved.max()), "max_mover": out["name"].iat[i], "top": k, "top_shared": shared, "corr_note": note}
    corr = (f"Spearman ρ = {rho:.3f}, Kendall τ = {tau:.3f}" if not note else
            "rank correlations undefined (" + ("fewer than 3 units" if note == "@rank_corr_too_few" else "one build gives every unit the same score") + ")")
    sentence = (f"{labels[0]} vs {labels[1]}, {p}: {corr} (n = {len(out)}); "
                f"{facts['n_moved']} units change rank, mean |Δ| {facts['mean_abs_change']:.2f}, largest {facts['max_abs_change']} "
                f"({facts['max_mover']}); {shared} of the top {k} in both")
    return StatResult(out, sentence, facts, {"changes": cmp.recipe_changes})


__all__ = ["TIE_RULES", "compare_builds", "order_conflicts", "printed_rank_differences", "rank"]
