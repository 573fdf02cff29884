"""Recomputations of the figures printed about the 中央党校 (国家行政学院) 网上政务服务能力 index, data year
2019 (the 2020 report) and the editions around it, from the bundled tables ``cpsc_2019`` (31 provinces + 兵团),
``cpsc_series`` (32 key cities, other editions) and the datasets ``cpsc_2019_provinces`` / ``cpsc_2019_cities``
(claims: data/published/claims/cpsc_2019.csv).

The print ranks densely (equal printed scores share a rank, the next rank follows: 1, 1, 2). A printed rank is
compared with the rank the printed scores give in that same convention (:func:`cpsc_rank_in_print_convention`).
On both 2019 tables this gives the verdicts of the rule "a printed rank agrees when, read as a competition rank,
it lies in the block of competition ranks that its score's ties span" (the same four units disagree: 安徽, 福建,
广州, 杭州), and one misplaced unit does not shift every rank below it. 新疆生产建设兵团 is ranked in the print without a score: it is placed
where the print places it, between the scored units printed just above and below it."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dgkit import data
from dgkit.fidelity import cached, check

_DATASETS = {"province": "cpsc_2019_provinces", "city": "cpsc_2019_cities"}
GROUPS = ["非常高", "高", "中"]


@cached
def _table(level: str) -> pd.DataFrame:
    """unit_id, name, score (NaN when unprinted) and printed rank of the 2019 data, from the dataset."""
    from dgkit.datasets import open_dataset
    from dgkit.units import resolver

    ds = open_dataset(_DATASETS[level])
    period = ds.periods[-1]
    rank = ds.reference("rank_printed").xs(period, level="period").astype(float)
    score = ds.cross_section(period).reindex(rank.index)
    if level == "province":
        raw = data.load("cpsc_2019")
        names = pd.Series(raw["province"].to_numpy(), index=resolver("province").resolve_many(raw["province"]))
    else:
        raw = data.load("cpsc_series")
        raw = raw[(raw["level"] == "city") & (raw["metric"] == "总体指数") & (raw["edition_report_year"] == 2020)]
        names = pd.Series(raw["unit"].to_numpy(), index=resolver("city").resolve_many(raw["unit"]))
    return pd.DataFrame({"name": names.reindex(rank.index), "score": score, "rank_printed": rank})


def _placed_bounds(t: pd.DataFrame) -> pd.Series:
    """For each unscored unit, the best score among the scored units the print ranks below it (its score lies above)."""
    scored = t.dropna(subset=["score"])
    out = {}
    for u, r in t[t["score"].isna()].iterrows():
        below = scored.loc[scored["rank_printed"] > r["rank_printed"], "score"]
        out[u] = below.max() if len(below) else -np.inf
    return pd.Series(out, dtype=float)


def _unit(t: pd.DataFrame, name: str) -> str:
    hit = t.index[t["name"] == name]
    if len(hit) != 1:
        raise KeyError(f"no single unit called {name!r}")
    return hit[0]


@check
def cpsc_rank_in_print_convention(level: str, unit: str) -> int:
    """1 + the number of distinct printed ranks held by the units the printed scores put strictly above ``unit``
    (competition ranks of dgkit.tiers.rank_scores; an unscored unit counts above when the print ranks it above a
    scored unit scoring at least as much); cpsc_2019_provinces / cpsc_2019_cities."""
    from dgkit import tiers

    t = _table(level)
    u = _unit(t, unit)
    scored = t["score"].dropna()
    comp = tiers.rank_scores(scored, ties="min")
    above = list(comp.index[comp < comp[u]])
    above += [v for v, lb in _placed_bounds(t).items() if scored[u] <= lb]
    return 1 + int(t.loc[above, "rank_printed"].nunique())


@check
def cpsc_rank_change(level: str, unit: str, later_edition: int) -> int:
    """Places gained from the 2019 data to a later edition: the 2019 rank (print convention, from the scores) minus
    the rank printed for ``unit`` in ``later_edition`` (cpsc_series, 总体指数 rows)."""
    s = data.load("cpsc_series")
    later = s[(s["edition_report_year"] == later_edition) & (s["level"] == level) & (s["unit"] == unit)
              & s["metric"].str.startswith("总体")]["rank_printed"].dropna()
    return cpsc_rank_in_print_convention(level, unit) - int(later.iloc[0])


def _groups(level: str) -> pd.Series:
    """Group of every unit: 非常高 > 90, 高 80–90, 中 < 80 (dgkit.tiers.fixed_tiers); an unscored unit takes the
    group of the scored units printed just above and below it when they share one."""
    from dgkit import tiers

    t = _table(level)
    g = tiers.fixed_tiers(t["score"], [float(np.nextafter(90.0, np.inf)), 80.0], GROUPS).astype(object)
    scored = t.dropna(subset=["score"])
    for u in t.index[t["score"].isna()]:
        r = t.at[u, "rank_printed"]
        up = scored[scored["rank_printed"] < r].sort_values("rank_printed").index
        down = scored[scored["rank_printed"] > r].sort_values("rank_printed").index
        if len(up) and len(down) and g[up[-1]] == g[down[0]]:
            g[u] = g[up[-1]]
    return g


@check
def cpsc_group_count(level: str, group: str) -> int:
    """Units in ``group`` (非常高 > 90, 高 80–90, 中 < 80; unscored units placed by the print) of the 2019 data."""
    return int((_groups(level) == group).sum())


@check
def cpsc_group_share(level: str, group: str) -> float:
    """100 × units in ``group`` / all units of the 2019 table (32, 兵团 included)."""
    g = _groups(level)
    return 100.0 * float((g == group).sum()) / len(g)


@check
def cpsc_group_members(level: str, group: str) -> list[str]:
    """Names of the units in ``group`` of the 2019 data."""
    t = _table(level)
    g = _groups(level)
    return t.loc[g.index[g == group], "name"].tolist()


@check
def cpsc_top_by_score(level: str, k: int) -> list[str]:
    """Names of the units whose competition rank by printed score (dgkit.tiers.rank_scores) is at most ``k``."""
    from dgkit import tiers

    t = _table(level)
    r = tiers.rank_scores(t["score"].dropna(), ties="min")
    return t.loc[r.index[r <= k], "name"].tolist()


def _edition(edition: int) -> pd.DataFrame:
    s = data.load("cpsc_series")
    return s[s["edition_report_year"] == edition]


def _group_count_rows(edition: int) -> pd.Series:
    e = _edition(edition)
    e = e[e["metric"].str.startswith("count_group_") & e["group_printed"].isin(GROUPS)]
    return e.set_index("group_printed")["value"].astype(float)


@check
def cpsc_printed_group_share(edition: int, group: str) -> float:
    """100 × the printed count of ``group`` in ``edition`` (cpsc_series count_group_ rows) / the 32 provincial
    units of reference/provinces.csv (兵团 included)."""
    return 100.0 * float(_group_count_rows(edition)[group]) / len(data.load("provinces"))


@check
def cpsc_printed_group_total(edition: int) -> int:
    """Sum of the printed group counts (非常高 + 高 + 中) of ``edition`` (cpsc_series count_group_ rows)."""
    return int(_group_count_rows(edition).sum())


@check
def cpsc_printed_group_members(edition: int, group: str) -> int:
    """Provinces printed in ``group`` in ``edition`` (cpsc_series rows with group_printed, one per unit)."""
    e = _edition(edition)
    return int(((e["level"] == "province") & (e["group_printed"] == group)).sum())


@check
def cpsc_top_of_printed_order(edition: int, group: str) -> list[str]:
    """The first n provinces of ``edition``'s printed top-10 order, n = the printed count of ``group``
    (cpsc_series: 总体排名 rows and count_group_ rows)."""
    e = _edition(edition)
    order = e[(e["level"] == "province") & e["metric"].str.startswith("总体排名")].sort_values("rank_printed")
    n = int(_group_count_rows(edition)[group])
    return order["unit"].head(n).tolist()


@check
def cpsc_share_above_mean(edition: int) -> float:
    """100 × the number of provinces printed above the national mean (the 'N个省级政府超过平均值' of the mean row's
    note in cpsc_series) / the 32 provincial units of reference/provinces.csv."""
    e = _edition(edition)
    note = e.loc[e["metric"].str.startswith("mean_"), "note"].iloc[0]
    m = re.search(r"(\d+)个省级政府超过平均值", note)
    if m is None:
        raise ValueError(f"no count above the mean in {note!r}")
    return 100.0 * int(m.group(1)) / len(data.load("provinces"))
