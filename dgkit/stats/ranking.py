"""Ranking an index: competition ranks on unrounded scores, printed ranks beside them.

Ties: ``"min"`` (default) gives competition ranks 1, 2, 2, 4 — equal scores share the better rank
and the next rank is skipped, the convention of the seed reports' tables; ``"average"``,
``"max"``, ``"first"`` and ``"dense"`` are pandas' other rules. Scores are never rounded before
ranking (rounding creates ties the data do not have).
"""

from __future__ import annotations

import pandas as pd

from dgkit.stats.result import StatResult, skippable

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
        raise ValueError("no scores to rank")
    r = s.rank(ascending=False, method=ties)
    nm = names.reindex(s.index).fillna(pd.Series(s.index, index=s.index)) if names is not None else pd.Series(s.index, index=s.index)
    t = pd.DataFrame({"unit_id": s.index, "name": nm.to_numpy(), "score": s.to_numpy(), "rank": r.to_numpy()})
    n_diff = 0
    if printed is not None:
        pr = pd.to_numeric(printed, errors="coerce").reindex(s.index)
        t["rank_printed"] = pr.to_numpy()
        t["rank_difference"] = (t["rank_printed"] - t["rank"]).to_numpy()
        n_diff = int((t["rank_difference"].fillna(0) != 0).sum())
    if components is not None:
        t = t.join(components.reindex(s.index).reset_index(drop=True))
    t = t.sort_values(["rank", "name"]).reset_index(drop=True)
    if ties in ("min", "max", "dense", "first"):
        t["rank"] = t["rank"].astype(int)
    mean = float(s.mean())
    top, bottom = t.iloc[0], t.iloc[-1]
    facts = {"n": len(s), "mean": mean, "sd": float(s.std(ddof=0)), "n_at_or_above_mean": int((s >= mean).sum()),
             "top": top["name"], "top_score": float(top["score"]), "bottom": bottom["name"], "bottom_score": float(bottom["score"]),
             "ties": f"@ties_{ties}", "n_tied": int(r.duplicated(keep=False).sum()), "n_printed_differ": n_diff,
             "n_printed": int(t["rank_printed"].notna().sum()) if "rank_printed" in t else 0}
    sentence = (f"n = {len(s)}, mean {mean:.3g}; {facts['n_at_or_above_mean']} at or above the mean; top {top['name']} "
                f"{top['score']:.4g}, bottom {bottom['name']} {bottom['score']:.4g}; ranks: {TIE_RULES[ties]} on unrounded scores")
    return StatResult(t, sentence, facts)


@skippable
def printed_rank_differences(ranking: StatResult, printed: pd.Series | None = None) -> pd.DataFrame:
    """The rows of a :func:`rank` table whose printed rank differs from the computed one
    (``printed``: the printed ranks, as given to :func:`rank`; Missing skips with its reason)."""
    t = ranking.table
    if "rank_printed" not in t:
        from dgkit.stats.result import Missing

        return Missing("no printed ranks", "no_printed_ranks_table")
    d = t[t["rank_difference"].fillna(0) != 0]
    return d[["unit_id", "name", "score", "rank", "rank_printed", "rank_difference"]].reset_index(drop=True)


__all__ = ["TIE_RULES", "printed_rank_differences", "rank"]
