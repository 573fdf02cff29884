"""Z-scores, 推进率 (advancement rate) and rank mobility across editions (国脉 2023).

Z-score of unit i in edition e: ``z_ie = (x_ie − mean_e)/sd_e`` over that edition's cohort;
``ddof=0`` (population SD, default) or ``ddof=1`` (sample SD).

**推进率.** 国脉 does not publish its formula (its values: 山东 0.58, 海南 0.53, 青岛 0.85). dgkit
defines it between consecutive editions e−1 → e of the same cohort:

* ``z_change`` (default): ``z_ie − z_i,e−1`` — the change in standardised position;
* ``percentile_change``: change in percentile position ``(n − rank)/(n − 1)``, in [−1, 1];
* ``relative_change``: ``x_ie / x_i,e−1 − 1``.

Units present in only one of the two editions get no rate and are listed in ``extra["missing"]``
— never silently dropped. :func:`rank_mobility` gives rank changes and Kendall's τ between
editions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dgkit.stats.result import Missing, StatResult, fmt_p, skippable

METHODS = ("z_change", "percentile_change", "relative_change")


@skippable
def zscores(wide: pd.DataFrame, ddof: int = 0) -> pd.DataFrame:
    """Z-score per edition (columns = editions, rows = units)."""
    return (wide - wide.mean()) / wide.std(ddof=ddof)


@skippable
def advancement_rate(wide: pd.DataFrame, method: str = "z_change", ddof: int = 0) -> StatResult:
    """推进率 between consecutive editions (columns in edition order)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    eds = list(wide.columns)
    rows, missing = [], []
    for a, b in zip(eds, eds[1:]):
        both = wide[[a, b]].dropna()
        ina, inb = wide[a].notna(), wide[b].notna()
        one = ina != inb  # present in one of the two periods only: listed, never dropped silently
        if one.any():
            missing.append(pd.DataFrame({"unit": wide.index[one], "from": a, "to": b, "present_in": np.where(ina[one].to_numpy(), a, b)}))
        if method == "z_change":
            z = zscores(both, ddof)
            rate = z[b] - z[a]
        elif method == "percentile_change":
            n = len(both)
            pa = (n - both[a].rank(ascending=False)) / (n - 1)
            pb = (n - both[b].rank(ascending=False)) / (n - 1)
            rate = pb - pa
        else:
            rate = both[b] / both[a] - 1
        rows.append(pd.DataFrame({"unit": rate.index, "from": a, "to": b, "rate": rate.astype(float).to_numpy(), "method": method}))
    t = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["unit", "from", "to", "rate", "method"])
    if t.empty or not (t["to"] == eds[-1]).any():
        return Missing.undefined("no_shared_units", "no unit is present in two consecutive periods")
    missing = (pd.concat(missing, ignore_index=True) if missing else pd.DataFrame(columns=["unit", "from", "to", "present_in"]))
    n_missing = int(missing["unit"].nunique())
    last = t[t["to"] == eds[-1]].sort_values("rate", ascending=False)
    top = last.head(3)
    s = (f"推进率 ({method}, {eds[-2]}→{eds[-1]}): highest " + ", ".join(f"{r.unit} {r.rate:.2f}" for r in top.itertuples())
         + (f"; {n_missing} unit(s) missing in one edition (listed, not dropped)" if n_missing else ""))
    return StatResult(t, s, {"top": top["unit"].tolist(), "from": eds[-2], "to": eds[-1], "method": method, "method_word": f"@method_{method}", "n": len(last),
                             "top_rate": float(top["rate"].iat[0]) if len(top) else float("nan"),
                             "n_missing": n_missing},
                      {"missing": missing})


@skippable
def top_advancers(rates: StatResult, names: pd.Series | None = None, n: int = 10) -> StatResult:
    """The ``n`` highest 推进率 of the last step, with names; facts name the top three."""
    t = rates.table
    last = t[t["to"] == t["to"].iloc[-1]].sort_values("rate", ascending=False).head(n)
    nm = (lambda u: str(names.get(u, u))) if names is not None else str
    last = last.assign(name=last["unit"].map(nm))[["unit", "name", "from", "to", "rate", "method"]].reset_index(drop=True)
    f = rates.facts
    top3 = [f"{r.name} {r.rate:+.2f}" for r in last.head(3).itertuples()]
    return StatResult(last, f"推进率 {f['from']}→{f['to']}: {', '.join(top3)}", {**f, "top3": top3, "n_shown": len(last)})


@skippable
def zscore_table(wide: pd.DataFrame, names: pd.Series | None = None, ddof: int = 0) -> StatResult:
    """Z-scores per period (population SD by default) with names; facts: periods, n."""
    z = zscores(wide, ddof)
    t = z.copy()
    t.columns = [str(c) for c in t.columns]
    t.insert(0, "name", [str(names.get(u, u)) for u in t.index] if names is not None else list(t.index))
    t = t.rename_axis("unit_id").reset_index().sort_values(t.columns[-1], ascending=False).reset_index(drop=True)
    return StatResult(t, f"Z-scores over {len(wide.columns)} periods", {"periods": len(wide.columns), "n": int(wide.notna().all(axis=1).sum()),
                                                                          "ddof": ddof, "first": wide.columns[0], "last": wide.columns[-1],
                                                                          "convention": "@population_sd" if ddof == 0 else "@sample_sd"})


@skippable
def rank_mobility(wide: pd.DataFrame) -> StatResult:
    """Rank change and Kendall's τ between consecutive editions."""
    from scipy import stats

    eds = list(wide.columns)
    ranks = wide.rank(ascending=False, method="min")
    rows = []
    for a, b in zip(eds, eds[1:]):
        both = wide[[a, b]].dropna()
        if len(both) < 3:
            continue
        tau, p = stats.kendalltau(both[a], both[b])
        ch = (ranks.loc[both.index, a] - ranks.loc[both.index, b])
        rows.append({"from": a, "to": b, "n": len(both), "kendall_tau": float(tau), "p": float(p),
                     "mean_abs_rank_change": float(ch.abs().mean()), "max_rise": float(ch.max()), "max_fall": float(ch.min())})
    t = pd.DataFrame(rows)
    if t.empty or t["to"].iloc[-1] != eds[-1]:
        return Missing.undefined("no_shared_units", "fewer than three units are present in the last two periods")
    r = t.iloc[-1]
    s = f"rank stability {r['from']}→{r['to']}: Kendall τ = {r['kendall_tau']:.2f}, n = {int(r['n'])}, {fmt_p(r['p'])}; mean |rank change| {r['mean_abs_rank_change']:.1f}"
    return StatResult(t, s, {"kendall_tau_last": float(r["kendall_tau"]), "from": eds[-2], "to": eds[-1], "n": int(r["n"]),
                             "p_text": fmt_p(float(r["p"])), "mean_abs_rank_change": float(r["mean_abs_rank_change"])}, {"ranks": ranks})
