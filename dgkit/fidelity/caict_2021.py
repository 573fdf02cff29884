"""Recomputations of the figures printed in CAICT 2021 (数字时代治理现代化研究报告), from its bundled
tables ``caict_2021_*`` (表4–表7 and headline facts), the UN E-Government Survey (dataset ``un_egdi``)
and the reference tables (claims: data/published/claims/caict_2021.csv)."""

from __future__ import annotations

import pandas as pd

from dgkit import data
from dgkit.fidelity import check

#: UN regions (un_country_regions.csv) in the report's Chinese
REGION_ZH = {"Africa": "非洲", "Americas": "美洲", "Asia": "亚洲", "Europe": "欧洲", "Oceania": "大洋洲"}


# ---------------------------------------------------------------- 表4 plans
def _plans(dedicated: int) -> pd.DataFrame:
    p = data.load("caict_2021_plans")
    p = p[p["dedicated_plan"] == dedicated].copy()
    ym = p["date"].str.extract(r"^(\d{4})\.(\d{1,2})$").astype(float)  # "2018.8"; a span such as "2008-2020" has no month
    return p.assign(year=ym[0], month=ym[1])


@check
def caict_plan_province_count(dedicated: int) -> int:
    """Distinct provinces of 表4 with (1) or without (0, starred) a dedicated digital-government plan."""
    return int(_plans(dedicated)["province"].nunique())


@check
def caict_plan_first(dedicated: int, field: str) -> str:
    """The earliest plan of 表4 (by year and month) among dedicated (1) or starred (0) ones: its province or date."""
    p = _plans(dedicated).dropna(subset=["year"]).sort_values(["year", "month"], kind="mergesort")
    return str(p[field].iat[0])


@check
def caict_plan_provinces_in_year(year: int, dedicated: int, exclude: list[str] | None = None) -> list[str]:
    """Provinces of 表4 whose first dedicated (1) or starred (0) plan is dated in ``year``, less ``exclude``."""
    p = _plans(dedicated).dropna(subset=["year"]).sort_values(["year", "month"], kind="mergesort")
    first = p.groupby("province", sort=False)["year"].min()
    return [u for u, y in first.items() if y == year and u not in (exclude or [])]


# ---------------------------------------------------------------- 表5 big-data bodies
@check
def caict_bureau_province_count() -> int:
    """Distinct provinces of 表5 (big-data management bodies; one province may have several rows)."""
    return int(data.load("caict_2021_bigdata_bureaus")["province"].nunique())


@check
def caict_bureau_year(province: str, body_contains: str) -> int:
    """Year 表5 gives for the body of ``province`` whose name contains ``body_contains`` (exactly one row)."""
    b = data.load("caict_2021_bigdata_bureaus")
    hit = b[(b["province"] == province) & b["body"].str.contains(body_contains, regex=False)]
    if len(hit) != 1:
        raise ValueError(f"{len(hit)} rows of 表5 match {province} / {body_contains}")
    return int(hit["year"].iat[0])


@check
def caict_bureau_body(province: str, year: int) -> str:
    """Name 表5 gives for the body ``province`` set up in ``year`` (exactly one row), the province
    name dropped from its front (the text writes 省…, the table 浙江省…)."""
    b = data.load("caict_2021_bigdata_bureaus")
    hit = b.loc[(b["province"] == province) & (b["year"] == year), "body"]
    if len(hit) != 1:
        raise ValueError(f"{len(hit)} rows of 表5 match {province} / {year}")
    return hit.iat[0].removeprefix(province)


# ---------------------------------------------------------------- 表6 leading groups
@check
def caict_leading_groups(province: str) -> list[str]:
    """The groups 表6 lists for ``province`` (cell split at 、)."""
    g = data.load("caict_2021_leading_groups")
    cell = g.loc[g["province"] == province, "groups"]
    return [x.strip() for x in cell.iat[0].split("、")] if len(cell) else []


# ---------------------------------------------------------------- 表7 operating companies
@check
def caict_operator_provinces(exclude: list[str] | None = None) -> list[str]:
    """Provinces of 表7 (operating companies), less ``exclude``."""
    c = data.load("caict_2021_operating_companies")
    return [u for u in c["province"] if u not in (exclude or [])]


@check
def caict_equity_sum(province: str, level: str) -> float:
    """Σ share_pct of the holders of ``province`` at ``level`` (direct, or "within <holder>") in 表7."""
    e = data.load("caict_2021_operating_company_equity")
    return float(e.loc[(e["province"] == province) & (e["level"] == level), "share_pct"].sum())


@check
def caict_equity_share(province: str, holder: str) -> float:
    """The share 表7 gives to ``holder`` in the operating company of ``province`` (exactly one row)."""
    e = data.load("caict_2021_operating_company_equity")
    hit = e.loc[(e["province"] == province) & (e["holder"] == holder), "share_pct"]
    if len(hit) != 1:
        raise ValueError(f"{len(hit)} rows of 表7 match {province} / {holder}")
    return float(hit.iat[0])


# ---------------------------------------------------------------- headline figures
def _fact(metric: str) -> float:
    f = data.load("caict_2021_facts")
    return float(pd.to_numeric(f.loc[f["metric"] == metric, "value"]).iat[0])


@check
def caict_fact_ratio(numerator: str, denominator: str, scale: float = 1.0) -> float:
    """scale × numerator / denominator, both read from caict_2021_facts."""
    return scale * _fact(numerator) / _fact(denominator)


def _denominator(units: str) -> int:
    if units == "provinces":  # 省级行政区 (不含港澳台): the 31 provinces, 兵团 not counted
        return len(data.provinces(include_corps=False))
    if units == "fusheng":  # the 15 副省级城市
        p = data.load("prefectures")
        return int(((p["fusheng"] == 1) & (p["valid_until"] == "")).sum())
    raise ValueError(f"unknown denominator {units!r}")


@check
def caict_attainable_share(metric: str, units: str) -> float:
    """The share k/N (%) nearest to the printed percentage ``metric`` (caict_2021_facts) that a whole
    number k of the N reference units (provinces.csv without 兵团, or the 副省级 of prefectures.csv) gives."""
    n = _denominator(units)
    k = round(_fact(metric) * n / 100)
    return 100 * k / n


@check
def caict_province_count() -> int:
    """The 31 provinces (provinces.csv without 兵团)."""
    return len(data.provinces(include_corps=False))


@check
def caict_prefecture_count(province: str) -> int:
    """Valid prefecture-level units of ``province`` (prefectures.csv, rows without valid_until)."""
    p = data.load("prefectures")
    return int(((p["province"] == province) & (p["valid_until"] == "")).sum())


@check
def caict_seed_rank(table: str, column: str, province: str) -> int:
    """Rank of ``province`` by the printed ``column`` of another bundled seed's table (one value per
    province; dgkit.tiers.rank_scores, 1 = highest): CCID 2020 totals, Tsinghua 2020 scores."""
    from dgkit import tiers

    t = data.load(table)
    s = t.groupby("province", sort=False)[column].agg(lambda v: v.iat[0] if v.nunique() == 1 else float("nan"))
    return int(tiers.rank_scores(s)[province])


# ---------------------------------------------------------------- UN E-Government Survey
def _egdi(year: int) -> tuple[pd.Series, pd.DataFrame]:
    from dgkit.datasets import open_dataset

    d = open_dataset("un_egdi")
    v = d.values.xs(year, level="period")["egdi"]
    members = d.groupings["un_region"].rename("group").rename_axis("unit_id").reset_index()
    return v, members


def _region_means(year: int) -> pd.Series:
    from dgkit.stats import regions

    v, members = _egdi(year)
    t = regions.regional_structure(v, "un_region", members=members).table
    return t.set_index("group")["mean"]


@check
def caict_egdi_region_mean(year: int, region: str) -> float:
    """Mean EGDI of the UN region's member states in the ``year`` survey (un_egdi, UN regions;
    dgkit.stats.regions.regional_structure)."""
    return float(_region_means(year)[region])


@check
def caict_egdi_region_order(year: int) -> str:
    """The five UN regions by mean EGDI in the ``year`` survey, highest first, in Chinese, joined by 、."""
    m = _region_means(year).sort_values(ascending=False, kind="mergesort")
    return "、".join(REGION_ZH[g] for g in m.index)


@check
def caict_egdi_majority_above(year: int, region: str, threshold: float) -> str:
    """大部分 when more than half of the region's member states have EGDI > ``threshold`` in the ``year``
    survey (the UN's "very high" group: EGDI > 0.75), else 不到一半."""
    v, members = _egdi(year)
    ids = members.loc[members["group"] == region, "unit_id"]
    share = float((v.reindex(ids) > threshold).mean())
    return "大部分" if share > 0.5 else "不到一半"
