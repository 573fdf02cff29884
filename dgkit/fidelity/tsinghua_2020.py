"""Recomputations of the figures printed in Tsinghua CDG 2020 (数字政府发展指数报告), from the
bundled tables ``tsinghua_2020_*`` and the reference ``cities`` / ``provinces`` tables (claims:
data/published/claims/tsinghua_2020.csv).

What the bundled tables allow: the 31 provincial scores and printed ranks (表3-1), the dimension
scores the text of 三(三) states, the 68 other cities' four dimensions, totals and group ranks
(表4-1), the 101 cities in ranking order with their percentile tiers (表4-2), the tiers by city type
(表4-3) and the city → province mapping. The 33 副省级 and 省会 cities have no published score: where
a claim needs one, the score is bounded by the scored cities next to it in 表4-2's order.

Conventions. A printed rank is tested against the block of competition ranks its printed score's
ties span (the report ranks unrounded scores, so 湖北/海南 62.4 at 12/13 are not a contradiction);
"并列第 N" wording is a dense rank; "top n" tallies break ties at the boundary by 表4-1's order."""

from __future__ import annotations

import math

import pandas as pd

from dgkit import data
from dgkit.fidelity import check

TIER_CUTS = [0.10, 0.25, 0.45, 0.65]  # 四(二): 前 10 %, 10–25 %, 25–45 %, 45–65 %, 65–100 %
PROVINCE_THRESHOLDS = [70, 65, 60, 50]  # 三(二): 70 分（含）以上 … 50 分以下
ROUNDING_SLACK = 0.2  # four dimensions each rounded to 0.1: their sum may differ from the exact sum by 4 × 0.05


def _joined(units) -> str:
    return "、".join(units)


def _rank_in_tie_block(scores: pd.Series, printed: pd.Series, unit: str) -> int:
    """The printed rank clipped to the block of competition ranks that the unit's score ties span
    (dgkit.tiers.rank_scores, ties "min" … "max"): equal to the printed rank exactly when it lies in it."""
    from dgkit import tiers

    lo, hi = int(tiers.rank_scores(scores, ties="min")[unit]), int(tiers.rank_scores(scores, ties="max")[unit])
    return min(max(int(printed[unit]), lo), hi)


# ---------------------------------------------------------------- provinces (三, 表3-1)

def _provinces() -> pd.DataFrame:
    return data.load("tsinghua_2020_provinces").set_index("province")


def _province_tiers() -> pd.Series:
    from dgkit import tiers

    return tiers.fixed_tiers(_provinces()["score"], PROVINCE_THRESHOLDS, tiers.TSINGHUA_LABELS)


@check
def tsinghua_province_count() -> int:
    """Number of provinces scored in 表3-1."""
    return int(_provinces()["score"].notna().sum())


@check
def tsinghua_fixed_tier_count(tier: str) -> int:
    """Provinces in a fixed tier by the report's rule (≥70 引领型, 65–70 优质型, 60–65 特色型,
    50–60 发展型, <50 追赶型; dgkit.tiers.fixed_tiers) applied to the printed scores of 表3-1."""
    return int((_province_tiers() == tier).sum())


@check
def tsinghua_fixed_tier_members(tier: str) -> str:
    """Provinces of a fixed tier (dgkit.tiers.fixed_tiers on 表3-1's scores, 70/65/60/50), in score order."""
    t = _province_tiers()
    s = _provinces()["score"]
    return _joined(s[t == tier].sort_values(ascending=False, kind="mergesort").index)


@check
def tsinghua_fixed_tier_in_belt(tier: str, belt: str) -> str:
    """Provinces of a fixed tier (表3-1, 70/65/60/50) that lie in a 四大地带 belt of reference/provinces.csv."""
    p = data.provinces().set_index("name_short")["ccid_belt"]
    t = _province_tiers()
    return _joined(u for u in t[t == tier].index if p.get(u) == belt)


@check
def tsinghua_province_rank(province: str) -> int:
    """表3-1's printed rank of ``province`` clipped to the competition-rank block of its printed score
    (dgkit.tiers.rank_scores): the printed rank when it is consistent with the printed scores."""
    p = _provinces()
    return _rank_in_tie_block(p["score"], p["rank_printed"], province)


@check
def tsinghua_province_order(first: int, last: int) -> str:
    """Provinces at places first … last by 表3-1's printed score (dgkit.tiers.rank_scores, ties in table order)."""
    from dgkit import tiers

    r = tiers.rank_scores(_provinces()["score"], ties="first")
    return _joined(r[(r >= first) & (r <= last)].sort_values().index)


# ---------------------------------------------------------------- province dimensions (三(三))

def _stated(dimension: str) -> pd.DataFrame:
    f = data.load("tsinghua_2020_province_facts")
    return f[(f["dimension"] == dimension) & (f["metric"] == "score")].set_index("unit")


@check
def tsinghua_dimension_units_at_rank(dimension: str, rank: int) -> str:
    """Provinces whose stated ``dimension`` score (三(三), province_facts) has dense rank ``rank`` among
    the scores the text states (并列第 N: ties share a rank, the next rank follows)."""
    from dgkit import tiers

    f = _stated(dimension)
    r = tiers.rank_scores(f["value"].astype(float), ties="dense")
    return _joined(r[r == rank].index)


@check
def tsinghua_dimension_rank(dimension: str, unit: str) -> int:
    """The printed rank of ``unit`` in a 三(三) ordering, clipped to the competition-rank block of its
    stated score among the scores the text states (province_facts)."""
    f = _stated(dimension)
    return _rank_in_tie_block(f["value"].astype(float), f["rank_printed"].astype(float), unit)


@check
def tsinghua_dimension_sum(unit: str, parts: list[str]) -> float:
    """Sum of the stated scores of ``unit`` on the sub-indicators ``parts`` (三(三), province_facts)."""
    f = data.load("tsinghua_2020_province_facts")
    f = f[(f["unit"] == unit) & (f["metric"] == "score") & f["dimension"].isin(parts)]
    if sorted(f["dimension"]) != sorted(parts):
        return math.nan
    return float(f["value"].astype(float).sum())


@check
def tsinghua_province_count_share(dimension: str, metric: str) -> float:
    """A count stated in 三(三) (province_facts) as a percentage of the provinces scored in 表3-1."""
    f = data.load("tsinghua_2020_province_facts")
    v = f.loc[(f["dimension"] == dimension) & (f["metric"] == metric), "value"].astype(float)
    return float(100 * v.iat[0] / tsinghua_province_count())


# ---------------------------------------------------------------- cities (四, 表4-1 … 表4-3)

def _city_order() -> list[str]:
    t = data.load("tsinghua_2020_city_tiers")
    return t.sort_values("position_in_list", kind="mergesort")["city"].tolist()


def _city_tiers() -> pd.Series:
    """Percentile tiers (dgkit.tiers.percentile_tiers, 10/25/45/65 %) of the 101 cities in 表4-2's order."""
    from dgkit import tiers

    order = _city_order()
    positions = pd.Series(range(len(order), 0, -1), index=order, dtype=float)
    return tiers.percentile_tiers(positions, TIER_CUTS, tiers.TSINGHUA_LABELS, order=order)


def _city_types() -> dict[str, set[str]]:
    t = data.load("tsinghua_2020_city_types")
    out: dict[str, set[str]] = {}
    for city, types in zip(t["city"], t["tsinghua_type"], strict=True):
        for ty in str(types).split(";"):
            out.setdefault(ty, set()).add(city)
    return out


def _type_cities(city_type: str) -> list[str]:
    members = _city_types()[city_type]
    return [c for c in _city_order() if c in members]


def _other() -> pd.DataFrame:
    return data.load("tsinghua_2020_other_cities").set_index("city")


def _score_bounds() -> pd.DataFrame:
    """Each city's score bounds from 表4-2's order and 表4-1's totals: its own total if printed, else
    the next scored city below (lower) and the last scored city above (upper; ∞ when none)."""
    order, tot = _city_order(), _other()["total"]
    rows = []
    for i, c in enumerate(order):
        if c in tot.index:
            lo = hi = float(tot[c])
        else:
            below = [tot[x] for x in order[i + 1:] if x in tot.index]
            above = [tot[x] for x in order[:i] if x in tot.index]
            lo = float(below[0]) if below else -math.inf
            hi = float(above[-1]) if above else math.inf
        rows.append({"city": c, "lower": lo, "upper": hi})
    return pd.DataFrame(rows).set_index("city")


@check
def tsinghua_city_count() -> int:
    """Number of cities in 表4-2."""
    return len(_city_order())


@check
def tsinghua_city_type_size(city_type: str) -> int:
    """Number of 表4-2 cities of a Tsinghua city type (tsinghua_2020_city_types)."""
    return len(_type_cities(city_type))


@check
def tsinghua_city_tier_size(tier: str) -> int:
    """Cities in a percentile tier by the rule 10/25/45/65 % (dgkit.tiers.percentile_tiers) on 表4-2's 101 cities."""
    return int((_city_tiers() == tier).sum())


@check
def tsinghua_city_tier_cities(tier: str) -> str:
    """Cities the percentile rule (10/25/45/65 %, dgkit.tiers.percentile_tiers) puts in ``tier``, in 表4-2's order."""
    t = _city_tiers()
    return _joined(t[t == tier].index)


@check
def tsinghua_city_type_tier_cities(city_type: str, tier: str) -> str:
    """Cities of a type (tsinghua_2020_city_types) in a percentile tier (10/25/45/65 % on 表4-2), in 表4-2's order."""
    t = _city_tiers()
    return _joined(c for c in _type_cities(city_type) if t[c] == tier)


@check
def tsinghua_city_type_tier_share(city_type: str, tier: str) -> float:
    """Percentage of a type's cities in a percentile tier: 100 × count / type size (表4-2 tiers × city types)."""
    t = _city_tiers()
    cities = _type_cities(city_type)
    return 100 * sum(t[c] == tier for c in cities) / len(cities)


@check
def tsinghua_city_type_tiers_by_share(city_type: str, position: int) -> str:
    """The tier(s) holding the ``position``-th largest share of a type's cities (distinct shares,
    descending; −1 = the smallest), shares as in tsinghua_city_type_tier_share."""
    from dgkit import tiers

    shares = {tr: tsinghua_city_type_tier_share(city_type, tr) for tr in tiers.TSINGHUA_LABELS}
    levels = sorted(set(shares.values()), reverse=True)
    level = levels[position - 1] if position > 0 else levels[position]
    return _joined(tr for tr, v in shares.items() if v == level)


@check
def tsinghua_city_type_places(city_type: str, first: int, last: int) -> str:
    """The cities of a type at places first … last of the type in 表4-2's order."""
    return _joined(_type_cities(city_type)[first - 1:last])


@check
def tsinghua_city_type_count_at_least(city_type: str, score: float, skip: int) -> int:
    """Cities of a type whose score bounds (表4-2 order, 表4-1 totals) put them at ``score`` or above,
    less the type's first ``skip`` cities in 表4-2's order."""
    b = _score_bounds()
    return sum(b.at[c, "lower"] >= score for c in _type_cities(city_type)[skip:])


@check
def tsinghua_city_type_in_score_band(city_type: str, lo: float, hi: float) -> str:
    """Cities of a type whose score bounds (表4-2 order, 表4-1 totals) lie within [lo, hi), in 表4-2's order."""
    b = _score_bounds()
    return _joined(c for c in _type_cities(city_type) if b.at[c, "lower"] >= lo and b.at[c, "upper"] < hi)


@check
def tsinghua_other_city_rank(city: str) -> int:
    """表4-1's 组内排名 of ``city`` clipped to the competition-rank block of its printed total among the 68."""
    o = _other()
    return _rank_in_tie_block(o["total"], o["group_rank_printed"], city)


@check
def tsinghua_other_city_total(city: str) -> float:
    """Sum of 表4-1's four printed dimensions of ``city``, moved toward the printed total by at most the
    rounding slack 4 × 0.05: equal to the total exactly when the row adds up within rounding."""
    o = _other().loc[city]
    s = float(o[["organisation", "institutions", "capability", "effect"]].sum())
    return min(max(float(o["total"]), s - ROUNDING_SLACK), s + ROUNDING_SLACK)


def _top(measure: str, n: int) -> pd.Series:
    """The 表4-1 cities in the first n places by ``measure`` (dgkit.tiers.rank_scores, ties in table order)."""
    from dgkit import tiers

    o = _other()
    r = tiers.rank_scores(o[measure], ties="first")
    return r[r <= n]


def _province_of() -> pd.Series:
    return data.cities().set_index("city")["province"]


@check
def tsinghua_other_top_count(measure: str, n: int, province: str) -> int:
    """How many of the first n 表4-1 cities by ``measure`` (ties at the boundary in table order) lie in
    ``province`` (reference/cities.csv)."""
    prov = _province_of()
    return sum(prov[c] == province for c in _top(measure, n).index)


@check
def tsinghua_other_top_provinces(measure: str, n: int) -> str:
    """Provinces (reference/cities.csv) with at least one of the first n 表4-1 cities by ``measure``."""
    prov = _province_of()
    return _joined(dict.fromkeys(prov[c] for c in _top(measure, n).sort_values().index))


@check
def tsinghua_other_named_in_top(measure: str, n: int, cities: list[str]) -> str:
    """The named cities whose competition rank by ``measure`` among 表4-1's 68 is n or better (ties included)."""
    from dgkit import tiers

    r = tiers.rank_scores(_other()[measure])
    return _joined(c for c in cities if c in r.index and r[c] <= n)
