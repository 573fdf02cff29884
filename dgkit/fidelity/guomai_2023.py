"""Recomputations of the figures printed in 国脉 2023 (第五届数字政府建设风向指数 press release), from
the bundled table ``guomai_2023_facts`` and the reference tables (claims:
data/published/claims/guomai_2023.csv).

The release prints only the four first-tier provincial scores: every other score, the GDP ranks it
correlated (0.6246 / 0.7691 / 0.6248), the Z-scores, the 推进率 formula and the standard deviations
are unpublished, so those figures are not claims (see data/README.md, ``guomai_2023_facts.csv``)."""

from __future__ import annotations

import pandas as pd

from dgkit import data
from dgkit.fidelity import check


def _facts() -> pd.DataFrame:
    f = data.load("guomai_2023_facts")
    return f.assign(number=pd.to_numeric(f["value"], errors="coerce"))


def _cohort(cohort: str) -> pd.DataFrame:
    """The units of a 国脉 cohort from the reference tables: ``provinces`` (31 provinces + 兵团),
    ``capitals_plan_listed`` (the 27 provincial capitals and the 5 plan-listed cities)."""
    if cohort == "provinces":
        return data.provinces().rename(columns={"name_short": "name"})
    if cohort == "capitals_plan_listed":
        c = data.cities()
        return c[(c["official_capital"] == 1) | (c["official_plan_listed"] == 1)].rename(columns={"city": "name"})
    raise ValueError(f"unknown cohort {cohort!r}")


@check
def guomai_cohort_size(cohort: str) -> int:
    """Number of units of a cohort in the reference tables (provinces.csv; cities.csv official flags)."""
    return len(_cohort(cohort))


@check
def guomai_cohort_members(cohort: str, names: list[str]) -> list[str]:
    """The named units that belong to the cohort (reference tables): all of them when the print is right."""
    members = set(_cohort(cohort)["name"])
    return [n for n in names if n in members]


@check
def guomai_municipalities() -> list[str]:
    """The 直辖市 of the reference prefecture table (city_type = 直辖市, still valid)."""
    p = data.load("prefectures")
    return p.loc[(p["city_type"] == "直辖市") & (p["valid_until"] == ""), "name_short"].tolist()


@check
def guomai_printed_count(cohort: str, metric: str) -> int:
    """Number of units for which the release prints ``metric`` in ``cohort`` (guomai_2023_facts)."""
    f = _facts()
    return int(((f["cohort"] == cohort) & (f["metric"] == metric) & f["number"].notna()).sum())


@check
def guomai_order(cohort: str, metric: str) -> str:
    """Units ordered by their printed ``metric`` (dgkit.tiers.rank_scores, 1 = highest), joined by 、."""
    from dgkit import tiers

    f = _facts()
    s = f[(f["cohort"] == cohort) & (f["metric"] == metric) & f["number"].notna()].set_index("unit")["number"]
    r = tiers.rank_scores(s)
    return "、".join(r.sort_values(kind="mergesort").index)


@check
def guomai_awards_total() -> int:
    """Sum of the awards of the five printed categories (guomai_2023_facts, metric awards_category)."""
    f = _facts()
    return int(f.loc[f["metric"] == "awards_category", "number"].sum())
