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

from dgkit.errors import AnalysisError
from dgkit.stats.result import (
    Missing,
    StatResult,
    fmt_p,
    mean_sd,
    require_finite,
    skippable,
    unit_names,
)

METHODS = ("z_change", "percentile_change", "relative_change")


def _ddof(ddof: int) -> None:
    if ddof not in (0, 1):
        raise AnalysisError("the SD's ddof must be 0 (population) or 1 (sample)", expected="0 or 1", got=ddof)


def undefined_periods(wide: pd.DataFrame, ddof: int = 0) -> list:
    """Periods whose Z-scores are undefined: SD = 0 (every unit equal, or one unit with ddof = 0) or
    no more than ``ddof`` units."""
    return [c for c in wide.columns if wide[c].notna().sum() <= ddof or wide[c].dropna().nunique() < 2]


@skippable
def zscores(wide: pd.DataFrame, ddof: int = 0) -> pd.DataFrame:
    """Z-score per edition (columns = editions, rows = units); NaN in a period whose SD is 0 or
    undefined (:func:`undefined_periods`)."""
    _ddof(ddof)
    require_finite(wide, "Z-scores")
    bad = undefined_periods(wide, ddof)
    ok = [c for c in wide.columns if c not in bad]
    out = pd.DataFrame(np.nan, index=wide.index, columns=wide.columns)
    if ok:
        with np.errstate(over="ignore", invalid="ignore"):
            z = (wide[ok] - wide[ok].mean()) / wide[ok].std(ddof=ddof)
        if not np.isfinite(z.to_numpy()[wide[ok].notna().to_numpy()]).all():  # moments of values near 1e308: scaled
            ms = {c: mean_sd(wide[c], ddof) for c in ok}
            z = pd.DataFrame({c: wide[c] / ms[c][1] - ms[c][0] / ms[c][1] for c in ok})
        out[ok] = z
    return out


@skippable
def advancement_rate(wide: pd.DataFrame, method: str = "z_change", ddof: int = 0) -> StatResult:
    """推进率 between consecutive editions (columns in edition order)."""
    if method not in METHODS:
        raise AnalysisError(f"unknown 推进率 method {method!r}", expected=" | ".join(METHODS))
    _ddof(ddof)
    require_finite(wide, "推进率")
    eds = list(wide.columns)
    if len(eds) < 2:
        return Missing("推进率 compares two consecutive periods", "too_few_periods", n=len(eds), need=2)
    rows, missing, undefined = [], [], {}
    for a, b in zip(eds, eds[1:]):
        both = wide[[a, b]].dropna()
        ina, inb = wide[a].notna(), wide[b].notna()
        one = ina != inb  # present in one of the two periods only: listed, never dropped silently
        if one.any():
            missing.append(pd.DataFrame({"unit": wide.index[one], "from": a, "to": b, "present_in": np.where(ina[one].to_numpy(), a, b)}))
        if method == "z_change":
            bad = undefined_periods(both, ddof)
            if len(both) == 0:
                continue
            if bad or len(both) < 2:
                undefined[(a, b)] = ((f"the Z-scores of {', '.join(map(str, bad))} are undefined: every shared unit has the same score",
                                      "zscore_undefined", {"periods": ", ".join(map(str, bad)), "n": len(both)})
                                     if len(both) > max(ddof, 1) else
                                     (f"only {len(both)} unit(s) present in both periods", "too_few_units", {"n": len(both)}))
                continue
            z = zscores(both, ddof)
            rate = z[b] - z[a]
        elif method == "percentile_change":
            n = len(both)
            if n == 1:
                undefined[(a, b)] = (f"only {n} unit(s) present in both periods (a percentile position needs two or more)", "too_few_units", {"n": n})
                continue
            pa = (n - both[a].rank(ascending=False)) / (n - 1)
            pb = (n - both[b].rank(ascending=False)) / (n - 1)
            rate = pb - pa
        else:
            base = both[a] > 0
            if both.empty:
                continue
            if not base.any():
                undefined[(a, b)] = (f"no unit has a positive score in {a} (the relative change x_{b}/x_{a} − 1 needs one)",
                                     "rate_no_positive_base", {"period": str(a)})
                continue
            rate = (both[b] / both[a].where(base) - 1)
            if not base.all():
                undefined[(a, b)] = (f"{int((~base).sum())} unit(s) score zero or less in {a}: no relative change ({unit_names(both.index[~base])})",
                                     None, {})
        rows.append(pd.DataFrame({"unit": rate.index, "from": a, "to": b, "rate": rate.astype(float).to_numpy(), "method": method}))
    t = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["unit", "from", "to", "rate", "method"])
    last_step = (eds[-2], eds[-1])
    if t.empty or not (t["to"] == eds[-1]).any():
        if last_step in undefined:
            why, key, fields = undefined[last_step]
            return Missing.undefined(key or "no_shared_units", f"推进率 {eds[-2]}→{eds[-1]} is undefined: {why}", **fields)
        return Missing.undefined("no_shared_units", "no unit is present in two consecutive periods")
    missing = (pd.concat(missing, ignore_index=True) if missing else pd.DataFrame(columns=["unit", "from", "to", "present_in"]))
    n_missing = int(missing["unit"].nunique())
    last = t[t["to"] == eds[-1]].dropna(subset=["rate"]).sort_values("rate", ascending=False)
    top = last.head(3)
    s = (f"推进率 ({method}, {eds[-2]}→{eds[-1]}): highest " + ", ".join(f"{r.unit} {r.rate:.2f}" for r in top.itertuples())
         + (f"; {n_missing} unit(s) missing in one edition (listed, not dropped)" if n_missing else "")
         + "".join(f"; {a}→{b} undefined: {why}" for (a, b), (why, _, _) in undefined.items()))
    return StatResult(t, s, {"top": top["unit"].tolist(), "from": eds[-2], "to": eds[-1], "method": method, "method_word": f"@method_{method}", "n": len(last),
                             "top_rate": float(top["rate"].iat[0]) if len(top) else float("nan"),
                             "n_missing": n_missing},
                      {"missing": missing, "undefined": {f"{a}→{b}": why for (a, b), (why, _, _) in undefined.items()}})


@skippable
def top_advancers(rates: StatResult, names: pd.Series | None = None, n: int = 10) -> StatResult:
    """The ``n`` highest 推进率 of the last step, with names; facts name the top three."""
    t = rates.table
    last = t[t["to"] == t["to"].iloc[-1]].dropna(subset=["rate"]).sort_values("rate", ascending=False).head(n)
    nm = (lambda u: str(names.get(u, u))) if names is not None else str
    last = last.assign(name=last["unit"].map(nm))[["unit", "name", "from", "to", "rate", "method"]].reset_index(drop=True)
    f = rates.facts
    top3 = [f"{r.name} {r.rate:+.2f}" for r in last.head(3).itertuples()]
    return StatResult(last, f"推进率 {f['from']}→{f['to']}: {', '.join(top3)}", {**f, "top3": top3, "n_shown": len(last)})


@skippable
def zscore_table(wide: pd.DataFrame, names: pd.Series | None = None, ddof: int = 0) -> StatResult:
    """Z-scores per period (population SD by default) with names; facts: periods, n. A period whose
    SD is 0 (every unit equal) or undefined makes the table a :class:`Missing` that names it."""
    _ddof(ddof)
    bad = undefined_periods(wide, ddof)
    if bad:
        n = int(wide[bad[0]].notna().sum())
        why = (f"only {n} unit(s) with a score" if n <= max(ddof, 1) else f"all {n} units have the same score")
        return Missing.undefined("zscore_undefined", f"Z-scores are undefined in {', '.join(map(str, bad))}: {why} (SD = 0)",
                                 periods=", ".join(map(str, bad)), n=n)
    z = zscores(wide, ddof)
    t = z.copy()
    t.columns = [str(c) for c in t.columns]
    t.insert(0, "name", [str(names.get(u, u)) for u in t.index] if names is not None else list(t.index))
    t = t.rename_axis("unit_id").reset_index().sort_values(t.columns[-1], ascending=False).reset_index(drop=True)
    return StatResult(t, f"Z-scores over {len(wide.columns)} periods", {"periods": len(wide.columns), "n": int(wide.notna().all(axis=1).sum()),
                                                                          "ddof": ddof, "first": wide.columns[0], "last": wide.columns[-1],
                                                                          "convention": "@population_sd" if ddof == 0 else "@sample_sd"},
                      {"z": z})


@skippable
def rank_mobility(wide: pd.DataFrame) -> StatResult:
    """Rank change and Kendall's τ between consecutive editions."""
    from scipy import stats

    require_finite(wide, "rank mobility")
    eds = list(wide.columns)
    if len(eds) < 2:
        return Missing("rank mobility compares two consecutive periods", "too_few_periods", n=len(eds), need=2)
    ranks = wide.rank(ascending=False, method="min")
    rows = []
    last_both = wide[eds[-2:]].dropna()
    if len(last_both) >= 3 and (last_both.nunique() < 2).any():  # Kendall's τ with a constant side is 0/0
        p = [c for c in eds[-2:] if last_both[c].nunique() < 2][0]
        return Missing.undefined("tau_constant", f"every unit has the same score in {p}: no ranking to compare, Kendall's τ is undefined",
                                 period=str(p), n=len(last_both))
    for a, b in zip(eds, eds[1:]):
        both = wide[[a, b]].dropna()
        if len(both) < 3 or (both.nunique() < 2).any():
            continue
        tau, p = stats.kendalltau(both[a], both[b])
        ch = (ranks.loc[both.index, a] - ranks.loc[both.index, b])
        rows.append({"from": a, "to": b, "n": len(both), "kendall_tau": float(tau), "p": float(p),
                     "mean_abs_rank_change": float(ch.abs().mean()), "max_rise": float(ch.max()), "max_fall": float(ch.min())})
    t = pd.DataFrame(rows)
    if t.empty or t["to"].iloc[-1] != eds[-1]:
        return Missing.undefined("too_few_units", f"fewer than three units are present in the last two periods ({len(last_both)})",
                                 n=len(last_both))
    r = t.iloc[-1]
    s = f"rank stability {eds[-2]}→{eds[-1]}: Kendall τ = {r['kendall_tau']:.2f}, n = {int(r['n'])}, {fmt_p(r['p'])}; mean |rank change| {r['mean_abs_rank_change']:.1f}"
    return StatResult(t, s, {"kendall_tau_last": float(r["kendall_tau"]), "from": eds[-2], "to": eds[-1], "n": int(r["n"]),
                             "p_text": fmt_p(float(r["p"])), "mean_abs_rank_change": float(r["mean_abs_rank_change"])}, {"ranks": ranks})
