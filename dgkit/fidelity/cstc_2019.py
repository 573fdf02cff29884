"""Recomputations of the figures printed in CSTC 2019 (中国软件评测中心 2019 数字政府服务能力评估 slides),
from the bundled tables ``cstc_2019_*`` and the reference tables (claims: data/published/claims/cstc_2019.csv)."""

from __future__ import annotations

from dgkit import data
from dgkit.fidelity import check

_DATASETS = {"province": "cstc_2019_provinces", "city": "cstc_2019_cities"}


def _grades(level: str):
    return data.cstc_grades(level)


@check
def cstc_band_count(level: str, grade: str) -> int:
    """Units whose printed grade (dataset cstc_2019_provinces / _cities, reference grade_printed) is ``grade``."""
    from dgkit.datasets import open_dataset

    g = open_dataset(_DATASETS[level]).reference("grade_printed")
    return int((g == grade).sum())


@check
def cstc_band_members(level: str, grade: str, names: str = "name_printed") -> list[str]:
    """Members of a grade band: ``names`` (name_printed or unit) of the rows of cstc_2019_grades_<level> with that grade."""
    g = _grades(level)
    return g.loc[g["grade"] == grade, names].tolist()


@check
def cstc_band_listing(level: str, grade: str) -> str:
    """A band's members as the slide writes them: the printed names joined by 、, or 无 when the list is empty."""
    m = cstc_band_members(level, grade)
    return "、".join(m) if m else "无"


@check
def cstc_points_total(roles: list[str]) -> float:
    """Sum of the printed points of the dimensions with these roles (cstc_2019_dimension_points: base, bonus)."""
    p = data.load("cstc_2019_dimension_points")
    return float(p.loc[p["role"].isin(roles), "points"].sum())


@check
def cstc_band_thresholds_text() -> str:
    """The lower bounds of the bands above the lowest, written 卓越≥95; 优秀≥85; …, from cstc_2019_grade_bands."""
    b = data.load("cstc_2019_grade_bands").sort_values("lower", ascending=False)
    return "; ".join(f"{r.grade}≥{r.lower}" for r in b.itertuples() if r.lower > 0)


@check
def cstc_unit_count(level: str, kind: str | None = None) -> int:
    """Graded units of cstc_2019_grades_<level>; for provinces optionally only those of ``kind`` (province/corps)
    in reference/provinces.csv."""
    g = _grades(level)
    if kind is None:
        return len(g)
    k = data.load("provinces").set_index("unit_id")["kind"]
    return int((g["unit_id"].map(k) == kind).sum())


@check
def cstc_share_of_provincial_units(metric: str) -> float:
    """100 × the printed count of ``metric`` (cstc_2019_facts) / the number of graded provincial units (32)."""
    f = data.load("cstc_2019_facts").set_index("metric")["value"]
    return 100.0 * float(f[metric]) / len(_grades("province"))


@check
def cstc_listed_count(metric: str) -> int:
    """Number of names in a list of cstc_2019_facts (names separated by 、)."""
    f = data.load("cstc_2019_facts").set_index("metric")["value"]
    return len([m for m in str(f[metric]).split("、") if m.strip()])


@check
def cstc_sum_of_facts(metrics: list[str]) -> float:
    """Sum of the printed values of ``metrics`` in cstc_2019_facts."""
    f = data.load("cstc_2019_facts").set_index("metric")["value"]
    return float(sum(float(f[m]) for m in metrics))


@check
def cstc_prefecture_count(province: str, year: int) -> int:
    """Prefecture-level units of ``province`` in force at the end of ``year`` (reference/prefectures.csv:
    valid_until empty or later than ``year``; 直辖市 count as one)."""
    p = data.load("prefectures")
    p = p[p["province"] == province]
    until = p["valid_until"].astype(str).str.strip()
    live = (until == "") | (until.str.isdigit() & (until.where(until.str.isdigit(), "0").astype(int) > year))
    return int(live.sum())


@check
def cstc_key_cities_by_type() -> list[str]:
    """The cities the slides' 评估对象 (计划单列市, 副省级省会城市, 省会城市) name: official 计划单列 ∪ 省会 flags of
    reference/cities.csv, full names."""
    c = data.load("cities")
    return c.loc[(c["official_plan_listed"] == 1) | (c["official_capital"] == 1), "name_full"].tolist()


@check
def cstc_award_hosts(award: str, level: str) -> list[str]:
    """Units of cstc_2019_awards with this award and level."""
    a = data.load("cstc_2019_awards")
    return a.loc[(a["award"] == award) & (a["level"] == level), "unit"].tolist()


@check
def cstc_award_count(award: str, level: str) -> int:
    """Number of rows of cstc_2019_awards with this award and level."""
    return len(cstc_award_hosts(award, level))
