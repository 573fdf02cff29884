"""Recomputations of the figures printed in CCID 2020 (赛迪顾问《2020中国数字政府建设白皮书》), from the
bundled tables ``ccid_2020_*``, the reference table of provinces and the framework
``data/frameworks/ccid_2020.yaml`` (claims: data/published/claims/ccid_2020.csv).

The report prints the five top provinces' totals and pillar scores, the national and pillar means,
two regional totals of 常规地区 and three of 热点地区 with their shares, the four 四大地带 means and
the 梯队 of each pillar (counts, some members, some bounds). It prints no 31-province table: the
correlations with GDP and between sub-indices (0.76, 0.77, 0.69), the SDs (7.12, 4.31), the count
of 14 units at or above the mean and "其余地区均远低于华东、中南" cannot be recomputed and are not claims.

Rounding. Every printed figure is rounded to 0.1; a figure recomputed from other rounded figures
is known only up to an interval. Where a midpoint lands on the far side of a rounding edge although
the intervals overlap, the check says so through its arguments: ``near`` (the printed figure) makes
it return the point of the recomputed interval nearest to ``near``, i.e. ``near`` itself when the
printed inputs allow it and the interval's edge when they do not, so the claim still fails when the
print is contradicted. ``HALF`` is half a unit of the last printed digit.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dgkit import data
from dgkit.fidelity import cached, check

HALF = 0.05  # every CCID figure used here is printed to one decimal


# ------------------------------------------------------------------ tables
def _top5() -> pd.DataFrame:
    return data.load("ccid_2020_top5")


def _scores(pillar: str) -> pd.Series:
    t = _top5()
    return t[t["pillar"] == pillar].set_index("province")["score"]


def _totals() -> pd.Series:
    return _top5().groupby("province", sort=False)["total"].first()


def _means() -> pd.Series:
    return data.load("ccid_2020_means").set_index("pillar")["mean"]


def _regions() -> pd.DataFrame:
    return data.load("ccid_2020_regions")


def _region_value(region: str, metric: str) -> float:
    r = _regions()
    return float(r.loc[(r["region"] == region) & (r["metric"] == metric), "value"].iat[0])


def _tiers(pillar: str) -> pd.DataFrame:
    t = data.load("ccid_2020_pillar_tiers")
    return t[t["pillar"] == pillar].set_index("tier").sort_index()


def _named(row: pd.Series) -> list[str]:
    v = row["members_named"]
    return [] if pd.isna(v) else [m for m in str(v).split(";") if m]


def _n_units() -> int:
    f = data.load("ccid_2020_facts")
    return int(f.loc[f["metric"] == "n_units", "value"].iat[0])


@cached
def _framework():
    from dgkit.framework import load_framework

    return load_framework("ccid_2020")


def _pillar_code(pillar: str) -> str:
    """Framework pillar code of a pillar's printed name (基础设施建设 → INF)."""
    p = _framework().pillars
    return str(p.loc[p["name"].str.removesuffix("指数") == pillar, "code"].iat[0])


def _pillar_weights() -> pd.Series:
    """The framework's pillar weights, indexed by the printed pillar names."""
    fw = _framework()
    names = fw.pillars.set_index("code")["name"].str.removesuffix("指数")
    w = fw.pillar_weights()
    return pd.Series(w.to_numpy(), index=names.reindex(w.index).to_numpy())


def _nearest(lo: float, hi: float, near: float) -> float:
    return float(min(max(near, lo), hi))


# ------------------------------------------------------------------ totals and means (第3章, 第4章)
@check
def ccid_top5_rank(province: str) -> int:
    """Rank of a province by its printed total among the five top provinces (dgkit.tiers.rank_scores; ccid_2020_top5)."""
    from dgkit import tiers

    return int(tiers.rank_scores(_totals())[province])


@check
def ccid_top5_total_from_pillars(province: str) -> float:
    """Σ_P w_P·score_P: a top province's total from its printed pillar scores (第4章) and the framework's pillar weights."""
    t = _top5()
    s = t[t["province"] == province].set_index("pillar")["score"]
    w = _pillar_weights()
    return float((s.reindex(w.index) * w).sum())


@check
def ccid_national_mean_from_pillar_means() -> float:
    """Σ_P w_P·mean_P: the national mean from the printed pillar means (ccid_2020_means) and the framework's pillar weights."""
    w = _pillar_weights()
    return float((_means().reindex(w.index) * w).sum())


@check
def ccid_pillar_mean_lowest() -> str:
    """The pillar with the lowest printed national mean (ccid_2020_means, the five pillars)."""
    m = _means().reindex(_pillar_weights().index)
    return str(m.idxmin())


@check
def ccid_pillar_mean_from_tiers(pillar: str, near: float) -> float:
    """Σ n_k·mean_k / Σ n_k over a pillar's 梯队, each printed tier mean ± HALF; the point nearest ``near`` (ccid_2020_pillar_tiers)."""
    t = _tiers(pillar)
    if t["tier_mean"].isna().any():
        return math.nan
    n = t["count"].sum()
    mid = float((t["count"] * t["tier_mean"]).sum() / n)
    return _nearest(mid - HALF, mid + HALF, near)


# ------------------------------------------------------------------ regions (第2章 03, 第3章, 附录 报告说明 2)
def _total_interval(exclude: str | None = None, with_mean: bool = True) -> tuple[float, float]:
    """The national total (Σ of the 31 totals) that the printed national mean (× 31) and every region's
    printed total and share (N = total / share) allow, each figure ± HALF; ``exclude`` leaves one region out."""
    r = _regions()
    lo, hi = -math.inf, math.inf
    if with_mean:
        n, m = _n_units(), float(_means()["总指数"])
        lo, hi = n * (m - HALF), n * (m + HALF)
    shares = r[r["metric"] == "share_pct"]
    for reg in shares["region"]:
        if reg == exclude:
            continue
        tot, sh = _region_value(reg, "total"), _region_value(reg, "share_pct")
        lo = max(lo, (tot - HALF) / (sh + HALF) * 100)
        hi = min(hi, (tot + HALF) / (sh - HALF) * 100)
    return lo, hi


@check
def ccid_region_share(region: str) -> float:
    """100·total/N, N the midpoint of the national total the printed mean and the other regions' (total, share) allow (ccid_2020_regions)."""
    lo, hi = _total_interval(exclude=region)
    if lo > hi:
        return math.nan
    return 100 * _region_value(region, "total") / ((lo + hi) / 2)


@check
def ccid_national_mean_from_region_shares() -> float:
    """N / 31, N the midpoint of the national total allowed by the five printed (total, share) pairs of 常规地区 and 热点地区."""
    lo, hi = _total_interval(with_mean=False)
    return math.nan if lo > hi else (lo + hi) / 2 / _n_units()


@check
def ccid_national_mean_from_belts() -> float:
    """Σ_b n_b·mean_b / Σ_b n_b over the 四大地带 (printed means; n_b from the report's list in provinces.csv, dgkit.stats.regions)."""
    from dgkit.stats.regions import membership

    n = membership("四大地带").groupby("group").size()
    r = _regions()
    m = r[(r["grouping"] == "四大地带") & (r["metric"] == "mean")].set_index("region")["value"]
    return float((m * n.reindex(m.index)).sum() / n.reindex(m.index).sum())


@check
def ccid_belt_order() -> str:
    """The 四大地带 in descending order of their printed means (ccid_2020_regions)."""
    r = _regions()
    m = r[(r["grouping"] == "四大地带") & (r["metric"] == "mean")].set_index("region")["value"]
    return "、".join(m.sort_values(ascending=False, kind="stable").index)


@check
def ccid_group_size(grouping: str, group: str | None = None) -> int:
    """Number of provinces in a group of a CCID grouping (all groups when ``group`` is None; provinces.csv via dgkit.stats.regions)."""
    from dgkit.stats.regions import membership

    m = membership(grouping)
    return int(m["unit_id"].nunique() if group is None else (m["group"] == group).sum())


@check
def ccid_group_members(grouping: str, group: str, names: str = "full") -> list[str]:
    """Members of a group of a CCID grouping, by ``name_full`` or ``name_short`` (provinces.csv via dgkit.stats.regions)."""
    from dgkit.stats.regions import membership

    m = membership(grouping)
    p = data.provinces(include_corps=False).set_index("unit_id")[f"name_{names}"]
    return p.reindex(m.loc[m["group"] == group, "unit_id"]).tolist()


# ------------------------------------------------------------------ the indicator system (前言, 附录 01, 第2章)
@check
def ccid_framework_size(level: str) -> int:
    """Number of pillars (一级指标) or indicators (二级指标) in data/frameworks/ccid_2020.yaml."""
    fw = _framework()
    return len(fw.pillar_codes if level == "pillar" else fw.indicator_codes)


@check
def ccid_sub_index_size(code: str) -> int:
    """Number of indicators of a 第2章 sub-index (新基建, 网络安全) in the framework's ``sub_indices``."""
    return len(_framework().sub_indices()[code])


# ------------------------------------------------------------------ 梯队 per pillar (第3章)
@check
def ccid_tier_count_total(pillar: str) -> int:
    """Σ of a pillar's printed 梯队 counts (ccid_2020_pillar_tiers)."""
    return int(_tiers(pillar)["count"].sum())


@check
def ccid_tier_count_from_ranks(pillar: str, tier: int) -> int:
    """rank_to − rank_from + 1: a 梯队's size from the ranks printed for it (ccid_2020_pillar_tiers)."""
    r = _tiers(pillar).loc[tier]
    return int(r["rank_to"] - r["rank_from"] + 1)


@check
def ccid_tier_first_rank(pillar: str, tier: int) -> int:
    """1 + Σ counts of the higher 梯队: the first rank of a 梯队 (ccid_2020_pillar_tiers)."""
    t = _tiers(pillar)
    return int(1 + t.loc[t.index < tier, "count"].sum())


def _tier_bounds(pillar: str, tier: int) -> tuple[float, bool, float, bool]:
    """Bounds of a 梯队: its printed bounds, else the neighbouring tiers' (the printed bound of the tier
    above or below, and the printed top-5 scores of the members named there)."""
    t, s = _tiers(pillar), _scores(pillar)
    r = t.loc[tier]
    lo, lo_in = (float(r["lower"]), r["lower_inclusive"] != 0) if pd.notna(r["lower"]) else (-math.inf, True)
    hi, hi_in = (float(r["upper"]), r["upper_inclusive"] != 0) if pd.notna(r["upper"]) else (math.inf, True)
    if tier + 1 in t.index:
        below = t.loc[tier + 1]
        cands = [s[m] for m in _named(below) if m in s.index] + ([float(below["upper"])] if pd.notna(below["upper"]) else [])
        if cands and max(cands) > lo:
            lo, lo_in = max(cands), True
    if tier - 1 in t.index:
        above = t.loc[tier - 1]
        cands = [s[m] for m in _named(above) if m in s.index] + ([float(above["lower"])] if pd.notna(above["lower"]) else [])
        if cands and min(cands) < hi:
            hi, hi_in = min(cands), True
    return lo, lo_in, hi, hi_in


@check
def ccid_tier_named_within_bounds(pillar: str, tier: int) -> list[str]:
    """Named 梯队 members whose 第4章 score lies within the tier's bounds (printed, else the neighbours'; ccid_2020_pillar_tiers, _top5)."""
    s = _scores(pillar)
    lo, lo_in, hi, hi_in = _tier_bounds(pillar, tier)
    out = []
    for m in _named(_tiers(pillar).loc[tier]):
        if m not in s.index:
            continue
        v = s[m]
        if (v >= lo if lo_in else v > lo) and (v <= hi if hi_in else v < hi):
            out.append(m)
    return out


@check
def ccid_named_in_score_order(pillar: str, tier: int) -> str:
    """The members named in a 梯队 that are top-5 provinces, in descending order of their printed pillar score (第4章)."""
    s = _scores(pillar)
    named = [m for m in _named(_tiers(pillar).loc[tier]) if m in s.index]
    return "、".join(s[named].sort_values(ascending=False, kind="stable").index)


@check
def ccid_top5_pillar_min(pillar: str) -> float:
    """The lowest printed score of a pillar among the five top provinces (ccid_2020_top5)."""
    return float(_scores(pillar).min())


@check
def ccid_tier1_count_from_bounds(pillar: str) -> int:
    """|top-5 provinces ≥ the 第二梯队's upper bound ∪ named 第一梯队 members| (ccid_2020_pillar_tiers, ccid_2020_top5)."""
    t, s = _tiers(pillar), _scores(pillar)
    above = set(s[s >= float(t.loc[2, "upper"])].index)
    return len(above | set(_named(t.loc[1])))


@check
def ccid_pillar_rank_in_tier1(pillar: str, province: str) -> int:
    """1 + named 第一梯队 members above it (listed as ranks 1, 2, …) + unnamed top-5 provinces scoring higher (ccid_2020_pillar_tiers, _top5)."""
    t, s = _tiers(pillar), _scores(pillar)
    named = _named(t.loc[1])
    above_named = [m for m in named if m != province and (m not in s.index or s[m] > s[province])]
    above_other = [p for p in s.index if p not in named and p != province and s[p] > s[province]]
    return 1 + len(above_named) + len(above_other)


@check
def ccid_top5_score(province: str, pillar: str) -> float:
    """A top province's pillar score as printed in 第4章 (ccid_2020_top5)."""
    return float(_scores(pillar)[province])


@check
def ccid_top5_pillars_ranked(province: str, start: int, stop: int, ordered: bool = False) -> str | list[str]:
    """A top province's pillars ranked start…stop by its 第4章 scores (1 = highest): joined with 、 when ``ordered``, else a set."""
    t = _top5()
    s = t[t["province"] == province].set_index("pillar")["score"].sort_values(ascending=False, kind="stable")
    picked = list(s.index[start - 1: stop])
    return "、".join(picked) if ordered else picked


# ------------------------------------------------------------------ count / index typing (附录 02)
def _extreme_pillar_means(pillar: str) -> tuple[float, float]:
    """The least and the greatest national mean a pillar can have for any non-negative data of the 31
    provinces, under the framework's indicator types and within-pillar weights: dgkit.normalise.ccid and
    dgkit.aggregate on the two extreme data sets (one province holds all of every indicator; all equal)."""
    from dgkit import aggregate, normalise

    fw, n = _framework(), _n_units()
    code = _pillar_code(pillar)
    members = fw.children(code)
    types = fw.types().reindex(members)
    w = fw.indicator_weights().reindex(members)
    method = fw.declared("aggregation")["levels"].get(2, "arithmetic")
    out = []
    for x in (np.r_[1.0, np.zeros(n - 1)], np.ones(n)):
        X = pd.DataFrame({c: x for c in members})
        Z = normalise.ccid(X, types)
        out.append(float(aggregate.aggregate(Z, w, method).mean()))
    return out[0], out[1]


@check
def ccid_pillar_mean_feasible(pillar: str, near: float) -> float:
    """Point nearest ``near`` of [least, greatest] pillar mean the framework's types and weights allow for any data (附录 02; dgkit.normalise)."""
    lo, hi = _extreme_pillar_means(pillar)
    return _nearest(lo, hi, near)
