"""Issue 3: bundled data — catalogue, schemas, recomputed counts and sums, resolver, demo."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dgkit import data, schemas
from dgkit.errors import AmbiguousUnitError, DataValidationError, UnknownUnitError
from dgkit.units import resolve, resolver

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_file_is_catalogued_and_exists():
    listed = {v[0] for v in data.CATALOGUE.values()}
    for p in listed:
        assert (ROOT / "data" / p).exists(), p
    on_disk = {str(p.relative_to(ROOT / "data")) for p in (ROOT / "data").rglob("*.csv")}
    assert on_disk == listed
    for fw in data.FRAMEWORKS:
        assert (ROOT / "data" / "frameworks" / f"{fw}.yaml").exists()


@pytest.mark.parametrize("name", [k for k, v in data.CATALOGUE.items() if v[1] in ("reference", "published")])
def test_bundled_tables_pass_their_schema(name):
    schemas.validate_bundled(name)


def test_every_published_row_has_a_source():
    for name, (_, kind, _, _) in data.CATALOGUE.items():
        if kind in ("published", "reference") and name not in ("provinces",):
            df = data.load(name)
            src = [c for c in df.columns if c.startswith("source")]
            assert src, name
            assert (df[src[-1]].astype(str).str.len() > 0).all(), name


BROKEN = {
    "provinces": lambda d: d.assign(unit_id=d["unit_id"].where(d.index != 1, d["unit_id"].iat[0])),
    "cities": lambda d: d.assign(adcode=d["adcode"].where(d.index != 3, "44030")),
    "gdp": lambda d: d.assign(gdp_100m_yuan=d["gdp_100m_yuan"].where(d.index != 5, -1.0)),
    "population": lambda d: pd.concat([d, d.iloc[[0]]], ignore_index=True),
    "egdi": lambda d: d.assign(osi=d["osi"].where(d.index != 7, 1.7)),
    "tsinghua_2020_provinces": lambda d: d.assign(score=d["score"].where(d.index != 2, 120.0)),
    "tsinghua_2020_other_cities": lambda d: d.drop(columns=["total"]),
    "cstc_2019_grades_provinces": lambda d: d.assign(grade=d["grade"].where(d.index != 0, "极好")),
    "ccid_2020_top5": lambda d: d.assign(source=d["source"].where(d.index != 4, "")),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_every_schema_rejects_a_broken_copy(name):
    broken = BROKEN[name](data.load(name))
    with pytest.raises(DataValidationError) as exc:
        schemas.validate(broken, schemas.schema_for(name), file=f"{name}.csv")
    msg = str(exc.value)
    assert f"{name}.csv" in msg and ("row" in msg or "column" in msg)


def test_schema_error_names_file_row_and_column():
    broken = data.load("tsinghua_2020_provinces")
    broken.loc[4, "score"] = 150.0
    with pytest.raises(DataValidationError) as exc:
        schemas.validate(broken, schemas.TSINGHUA_PROVINCES, file="x.csv")
    assert exc.value.file == "x.csv" and exc.value.row == 6 and exc.value.column == "score"


# ------------------------------------------------------------------ reference
def test_provinces_and_ccid_regions_as_listed():
    p = data.provinces()
    assert len(p) == 32 and (p["kind"] == "province").sum() == 31
    assert p.loc[p["unit_id"] == "XJBT", "name_full"].iat[0] == "新疆生产建设兵团"
    q = data.provinces(include_corps=False)
    assert q["ccid_region"].value_counts().to_dict() == {"华东": 7, "中南": 6, "华北": 5, "西南": 5, "西北": 5, "东北": 3}
    assert q["ccid_belt"].value_counts().to_dict() == {"西部": 12, "东部": 10, "中部": 6, "东北": 3}
    hs = data.province_hotspots()["hotspot"].value_counts().to_dict()
    assert hs == {"泛珠三角": 9, "环渤海": 5, "长江三角洲": 3, "京津冀": 3}
    # overlapping memberships: 北京 is in 环渤海 and 京津冀
    assert set(data.province_hotspots().query("name_short == '北京'")["hotspot"]) == {"环渤海", "京津冀"}


def test_cities_types_official_and_tsinghua():
    c = data.cities()
    assert len(c) == 101
    assert c["official_fusheng"].sum() == 15 and c["official_plan_listed"].sum() == 5 and c["official_capital"].sum() == 27
    assert c["tsinghua_fusheng"].sum() == 15 and c["tsinghua_capital"].sum() == 27 and c["tsinghua_other"].sum() == 68
    ts = set(c.loc[c["tsinghua_fusheng"] == 1, "city"])
    off = set(c.loc[c["official_fusheng"] == 1, "city"])
    assert ts - off == {"苏州"} and off - ts == {"西安"}
    assert c["in_cstc_2019"].sum() == 32


def test_gdp_and_population_cover_31_provinces_2019_2024():
    g = data.gdp()
    assert g.groupby("year")["unit_id"].nunique().to_dict() == {y: 31 for y in range(2019, 2025)}
    first, rev = data.gdp_by_unit(2019, "first_release"), data.gdp_by_unit(2019, "revised")
    rel = (first / rev - 1).abs()
    assert rel.max() < 0.015  # the vintages differ by under 1.5 %
    assert data.population().groupby("year")["unit_id"].nunique().min() == 31


def test_egdi_is_mean_of_its_components():
    e = data.egdi()
    diff = (e[["osi", "hci", "tii"]].mean(axis=1) - e["egdi"]).abs()
    assert diff.max() < 6e-4
    assert e.groupby("survey_year")["country"].nunique().to_dict() == {2018: 193, 2020: 193, 2022: 193, 2024: 193}


def test_un_regions_cover_every_egdi_country():
    r = data.un_regions()
    assert set(r["country"]) == set(data.egdi()["country"])
    assert r["region"].value_counts().to_dict() == {"Africa": 54, "Asia": 47, "Europe": 43, "Americas": 35, "Oceania": 14}
    assert r.set_index("country").loc["China", "sub_region"] == "Eastern Asia"


# ------------------------------------------------------------------ published
def test_tsinghua_other_cities_rows_sum_to_totals():
    d = data.load("tsinghua_2020_other_cities")
    s = d[["organisation", "institutions", "capability", "effect"]].sum(axis=1)
    assert len(d) == 68
    assert (s - d["total"]).abs().max() <= 0.2  # four one-decimal roundings
    assert list(d["group_rank_printed"]) == list(range(1, 69))


def test_tsinghua_province_tiers_rebuilt_from_the_rule():
    d = data.tsinghua_provinces()
    assert len(d) == 31
    assert d["tier_kit"].value_counts().to_dict() == {"发展型": 9, "追赶型": 9, "特色型": 5, "引领型": 4, "优质型": 4}
    assert d.set_index("province").loc["山东", "tier_kit"] == "优质型"
    assert d.set_index("province").loc["海南", "tier_kit"] == "特色型"


def test_tsinghua_city_tier_sizes_and_order():
    t = data.load("tsinghua_2020_city_tiers")
    assert t.groupby("tier", sort=False).size().to_dict() == {"引领型": 10, "优质型": 15, "特色型": 20, "发展型": 20, "追赶型": 36}
    scored = t["score_if_published"].dropna()
    assert scored.is_monotonic_decreasing


def test_tsinghua_city_type_shares_keep_the_printed_discrepancies():
    s = data.load("tsinghua_2020_city_type_shares")
    bad = s[s["note"].str.contains("disagrees")]
    assert set(zip(bad["city_type"], bad["tier"])) == {("其他大中城市", "追赶型"), ("其他大中城市", "发展型")}
    ok = s[s["share_printed_pct"].notna() & ~s["note"].str.contains("disagrees")]
    assert ((ok["share_printed_pct"].astype(float) - ok["share_from_table_pct"].astype(float)).abs() <= 0.05).all()


def test_cstc_grade_lists():
    p, c = data.cstc_grades("province"), data.cstc_grades("city")
    assert p["grade"].value_counts().to_dict() == {"发展": 11, "良好": 8, "优秀": 7, "起步": 6}
    assert c["grade"].value_counts().to_dict() == {"良好": 11, "优秀": 8, "发展": 7, "起步": 6}
    assert "XJBT" in set(p["unit_id"])
    pts = data.load("cstc_2019_dimension_points")
    assert pts.loc[pts["role"] == "base", "points"].sum() == 100


def test_ccid_regional_figures_are_consistent_with_the_national_mean():
    r = data.load("ccid_2020_regions").set_index(["region", "metric"])["value"]
    national = 31 * 51.7
    for region in ("华东", "中南", "泛珠三角", "环渤海", "长江三角洲"):
        implied = r[(region, "total")] / (r[(region, "share_pct")] / 100)
        assert abs(implied - national) / national < 0.005, region
    top = data.load("ccid_2020_top5")
    assert top["province"].nunique() == 5 and len(top) == 25


def test_cpsc_groups_match_the_printed_counts():
    d = data.cpsc_2019()
    s = d["overall_index"]
    assert (s > 90).sum() == 8 and ((s > 80) & (s <= 90)).sum() == 15
    assert ((s <= 80) | s.isna()).sum() == 9  # incl. 兵团 without a score


def test_caict_tables():
    plans = data.load("caict_2021_plans")
    assert plans.loc[plans["dedicated_plan"] == 1, "province"].nunique() == 9
    bureaus = data.load("caict_2021_bigdata_bureaus")
    assert bureaus["province"].nunique() == 19 and len(bureaus) == 22
    eq = data.load("caict_2021_operating_company_equity")
    direct = eq[eq["level"] == "direct"].groupby("province")["share_pct"].sum()
    assert np.allclose(direct, 100)


# ------------------------------------------------------------------ resolver
def test_every_province_alias_resolves():
    for r in data.provinces().itertuples():
        for alias in (r.unit_id, r.name_full, r.name_short, r.name_en, r.pinyin, f" {r.name_short} "):
            assert resolve(alias) == r.unit_id, alias
        if r.adcode:
            full_width = r.adcode.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
            assert resolve(full_width) == r.unit_id
            assert resolve(int(r.adcode)) == r.unit_id
    assert resolve("guangdong") == resolve("GUANGDONG") == resolve("Guǎngdōng") == "440000"
    assert resolve("兵团") == "XJBT"


def test_every_city_alias_resolves():
    res = resolver("city")
    for r in data.cities().itertuples():
        for alias in (r.city, r.name_full, r.adcode):
            assert res.resolve(alias) == r.adcode


def test_unknown_and_ambiguous_names_list_the_closest():
    with pytest.raises(UnknownUnitError) as exc:
        resolve("广东省省")
    assert "广东" in str(exc.value)
    with pytest.raises(UnknownUnitError) as exc:
        resolver("province").resolve("Guangdon", file="f.csv", row=7, column="province")
    assert "f.csv, row 7, column 'province'" in str(exc.value) and "Guangdong" in str(exc.value) or "广东" in str(exc.value)
    with pytest.raises(AmbiguousUnitError) as exc:
        resolver("city").resolve("Taizhou")
    assert "台州" in str(exc.value) and "泰州" in str(exc.value)


# ------------------------------------------------------------------ demo
def test_demo_script_regenerates_the_committed_file_byte_for_byte():
    from dgkit.demo import make_demo_panel, to_csv_bytes

    committed = (ROOT / "data" / "demo" / "ccid_demo_panel_synthetic.csv").read_bytes()
    assert to_csv_bytes(make_demo_panel()) == committed


def test_demo_panel_is_plausible_and_marked_synthetic():
    d = data.demo_panel()
    assert "synthetic" in data.CATALOGUE["demo_panel"][0]
    assert d.shape == (155, 37) and d.attrs["synthetic"]
    vals = d.iloc[:, 3:]
    assert 0 < vals.isna().sum().sum() < 0.03 * vals.size
    assert vals.notna().any().all()
    # an extreme outlier: 贵州's data centres
    gz = d.loc[d["unit_id"] == "520000", "INF02"]
    others = d.loc[d["unit_id"] != "520000"].groupby("year")["INF02"].median()
    assert (gz.to_numpy() / others.to_numpy() > 4).all()
    # driven by real GDP: count indicators correlate with log GDP
    g = data.gdp().query("year == 2019").set_index("unit_id")["gdp"]
    y19 = d[d["year"] == 2019].set_index("unit_id")
    both = pd.DataFrame({"g": np.log(g.loc[y19.index]), "x": np.log1p(y19["INF01"].astype(float))}).dropna()
    assert both.corr().iloc[0, 1] > 0.5
