"""Datasets and units: any researcher's panel at any level, validated with every problem at once."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dgkit
from dgkit import data
from dgkit.datasets import bundled, open_dataset, validate_dataset, validate_file
from dgkit.errors import DatasetError
from dgkit.units import builtin_groupings, resolver

ROOT = Path(__file__).resolve().parents[1]
WB = ROOT / "tests" / "data" / "world_bank_economies.csv"


def _yaml(tmp: Path, text: str, name: str = "ds.yaml") -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


# ------------------------------------------------------------------ bundled datasets
def test_every_bundled_dataset_validates_and_states_synthetic():
    import yaml

    for name in bundled():
        raw = yaml.safe_load((ROOT / "data" / "datasets" / f"{name}.yaml").read_text(encoding="utf-8"))
        assert "synthetic" in raw, f"{name}: bundled datasets state 'synthetic' explicitly"
        ds = open_dataset(name)
        assert ds.synthetic is raw["synthetic"]
        assert ds.citation and ds.title
    assert open_dataset("demo_panel").synthetic is True
    assert open_dataset("tsinghua_2020").synthetic is False  # alias of tsinghua_2020_provinces


def test_un_egdi_through_the_dataset_route_equals_the_old_loader():
    ds = open_dataset("un_egdi")
    assert ds.level == "country" and ds.periods == [2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024]
    assert all(n == 193 for n in ds.counts()["units"])
    old = data.egdi()  # the 2018-2024 file, UN names harmonised
    iso = data.un_regions().set_index("country")["iso3"]
    old = old.assign(iso3=old["country"].map(iso))
    assert old["iso3"].notna().all()
    for new_col, old_col in (("egdi", "egdi"), ("osi", "osi"), ("hci", "hci"), ("tii", "tii"), ("epart", "epart_index")):
        o = old.pivot(index="iso3", columns="survey_year", values=old_col)
        n = ds.panel(new_col)[o.columns].reindex(o.index)
        # two independent copies of the UN files; 2018 is printed with 4 decimals in the old one
        assert np.nanmax(np.abs(n.to_numpy() - o.to_numpy())) <= 5e-5, new_col
    ranks = pd.to_numeric(ds.reference("rank_printed")).unstack("period")[[2018, 2020, 2022, 2024]]
    old_ranks = old.pivot(index="iso3", columns="survey_year", values="egdi_rank")
    assert (ranks.reindex(old_ranks.index) == old_ranks).all().all()
    assert ds.grouping("un_region")["CHN"] == "Asia" and ds.grouping("wb_income_group")["CHN"] == "Upper middle income"
    assert ds.unit_names("zh")["CHN"] == "中国" and ds.unit_names("en")["GBR"].startswith("United Kingdom")


def test_bundled_subsets_use_where_and_references():
    cities = open_dataset("cpsc_2019_cities")
    assert len(cities.units) == 32 and cities.cross_section().idxmax() == "440300"  # 深圳 97.34, printed first
    assert cities.cross_section()["440300"] == pytest.approx(97.34)
    ts = open_dataset("tsinghua_2020_provinces")
    assert ts.cross_section()["310000"] == pytest.approx(76.7)  # 上海, 表3-1
    assert int(ts.reference("rank_printed")[("310000", 2020)]) == 1
    cstc = open_dataset("cstc_2019_provinces")
    assert cstc.measures == [] and set(cstc.ordinal("grade_printed").unique()) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert "XJBT" in cstc.units.index  # 新疆生产建设兵团: a distinct unit
    top5 = open_dataset("ccid_2020_top5")
    assert top5.cross_section().sort_values(ascending=False).index[0] == "440000"  # 广东 75.2
    assert {"means", "regions", "facts", "pillar_tiers"} <= set(top5.reference_tables)


def test_tsinghua_cities_join_two_files_by_city():
    ds = open_dataset("tsinghua_2020_cities")
    assert len(ds.units) == 101
    assert ds.panel("total")[2020].notna().sum() == 68  # scores are printed for the 68 other cities only
    assert ds.reference("tier_printed").notna().sum() == 101
    assert ds.units.loc["440300", "city_type"] == "副省级" and ds.units.loc["440300", "province"] == "广东"


# ------------------------------------------------------------------ countries
def test_a_world_bank_file_keyed_by_iso3_validates_completely(tmp_path):
    wb = pd.read_csv(WB, keep_default_na=False)
    egdi = open_dataset("un_egdi").panel("egdi")[2022]
    wb["edition"] = 2022
    wb["score"] = wb["iso3"].map(egdi)  # real EGDI 2022 values; territories stay empty
    wb.to_csv(tmp_path / "wb.csv", index=False)
    y = _yaml(tmp_path, """
name: wb_test
title: EGDI 2022 in World Bank spelling
citation: "UN E-Government Survey 2022"
file: wb.csv
units: {level: country, column: iso3, name: economy}
period: edition
measures: [score]
synthetic: false
""")
    v = validate_dataset(y)
    assert v.ok, v.summary()
    ds = v.dataset
    assert len(ds.units) == len(wb) and not ds.warnings  # every World Bank name is a known spelling of its ISO3 unit
    for iso in ("GEO", "GBR", "IRN", "TUR", "TZA", "HKG", "MAC", "TWN", "XKX", "PSE", "COD", "CHI"):
        assert iso in ds.units.index
    assert ds.grouping("wb_income_group")["COD"] == "Low income"
    assert ds.cross_section()["CHN"] == pytest.approx(egdi["CHN"])


def test_world_bank_names_alone_resolve_to_the_right_iso3():
    wb = pd.read_csv(WB, keep_default_na=False)
    r = resolver("country")
    got = [r.lookup(n).unit_id for n in wb["economy"]]
    assert got == wb["iso3"].tolist()
    for spelling, iso in (("Turkey", "TUR"), ("Iran", "IRN"), ("Vietnam", "VNM"), ("Korea, Republic of", "KOR"),
                          ("CN", "CHN"), ("156", "CHN"), ("中国", "CHN"), ("美国", "USA"), ("Macedonia, FYR", "MKD")):
        assert r.lookup(spelling).unit_id == iso, spelling


def test_suggestions_never_point_at_a_unit_that_merely_shares_a_word():
    r = resolver("country")
    sug = r.lookup("Dem. Rep. Congoo").candidates
    assert sug == ["Democratic Republic of the Congo"]
    assert "Congo" not in r.lookup("Congo Democratik Republik").candidates
    assert r.lookup("Korea").ambiguous and set(r.lookup("Korea").candidates) == {"Republic of Korea", "Democratic People's Republic of Korea"}
    assert r.lookup("美国国").candidates == ["United States of America"]  # not 泰国 / 法国, which only share 国
    assert r.lookup("Tanzanai").candidates == ["United Republic of Tanzania"]
    assert r.lookup("Guinea Bissauu").candidates[0] == "Guinea-Bissau"
    assert r.lookup("Dominican Republc").candidates == ["Dominican Republic"]  # a typo in a word that is abbreviated
    assert r.lookup("Korea, Rp.").candidates[0] == "Republic of Korea"
    for old, iso in (("Swaziland", "SWZ"), ("Ivory Coast", "CIV"), ("Burma", "MMR"), ("East Timor", "TLS")):
        assert r.lookup(old).unit_id == iso
    assert "Equatorial Guinea" not in r.lookup("Guinea Bissauu").candidates


def test_validation_reports_every_problem_at_once(tmp_path):
    (tmp_path / "d.csv").write_text(
        "iso3,economy,edition,score\n"
        "CHN,China,2022,0.81\n"
        "XYZ,Nowhere,2022,0.5\n"            # unknown id
        "QQQ,Atlantis,2022,0.4\n"           # unknown id
        "GBR,France,2022,0.9\n"             # name names another unit
        "DEU,Germany,2022,high\n"           # not a number
        "USA,United States,20x2,0.9\n",     # not a period
        encoding="utf-8")
    y = _yaml(tmp_path, """
name: bad
file: d.csv
units: {level: country, column: iso3, name: economy}
period: edition
measures: [score]
synthetic: false
colour: blue
""")
    v = validate_dataset(y)
    text = v.summary()
    assert not v.ok and len(v.problems) == 6, text
    assert "unknown key 'colour'" in text
    assert "got 'XYZ'" in text and "got 'QQQ'" in text and "row 3" in text and "row 4" in text
    assert "'France' is France (FRA) but the id column says GBR" in text and "row 5" in text
    assert "row 6, column 'score': not a number" in text and "got 'high'" in text
    assert "row 7, column 'edition': not a period" in text
    with pytest.raises(DatasetError) as exc:
        open_dataset(y)
    assert len(exc.value.problems) == 6


def test_cli_validate_prints_every_problem_and_a_summary(tmp_path):
    (tmp_path / "p.csv").write_text("province,year,x\n广东,2020,1\n广栋,2020,2\n山东,2020,3\n湖被,2020,4\n", encoding="utf-8")
    y = _yaml(tmp_path, "name: p\nfile: p.csv\nunits: {level: province, column: province}\nperiod: year\nsynthetic: false\n")
    run = subprocess.run([sys.executable, "-m", "dgkit", "validate", str(y)], capture_output=True, text=True)
    assert run.returncode == 2
    assert "got '广栋'" in run.stdout and "广东" in run.stdout and "got '湖被'" in run.stdout and "湖北" in run.stdout
    (tmp_path / "p.csv").write_text("province,year,x\n广东,2020,1\n山东,2020,\"1,234\"\n", encoding="utf-8")
    ok = subprocess.run([sys.executable, "-m", "dgkit", "validate", str(y)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "units per period: 2020: 2" in ok.stdout and "repairs: 1" in ok.stdout and "thousands separators" in ok.stdout
    bare = subprocess.run([sys.executable, "-m", "dgkit", "validate", str(tmp_path / "p.csv")], capture_output=True, text=True)
    assert bare.returncode == 0 and "assumed" in bare.stdout and "unit column 'province'" in bare.stdout


# ------------------------------------------------------------------ counties
def test_synthetic_county_panel_validates(tmp_path):
    from dgkit.demo import write_county_panel

    y = write_county_panel(tmp_path)
    ds = open_dataset(y)
    assert ds.synthetic and ds.level == "county"
    assert len(ds.units) == 2850 and ds.periods == list(range(2017, 2024))
    assert (ds.counts()["units"] == 2850).all()
    u = ds.units.loc["440301"]  # a 深圳 county: its province and belt come from the code prefix
    assert u["province"] == "广东" and u["四大地带"] == "东部" and u["parent"] == "440300"
    assert ds.units.loc["650101", "四大地带"] == "西部"
    # the generator's missing share (1 %) is what the dataset reports
    assert ds.counts()["missing"].sum() / ds.counts()["cells"].sum() == pytest.approx(0.01, abs=0.002)


def test_county_codes_are_checked_and_names_need_a_parent(tmp_path):
    (tmp_path / "c.csv").write_text("code,name,year,v\n110101,东城区,2020,1\n99010,某县,2020,2\n990101,某县,2020,3\n", encoding="utf-8")
    y = _yaml(tmp_path, "name: c\nfile: c.csv\nunits: {level: county, column: code, name: name}\nperiod: year\nsynthetic: false\n")
    text = validate_dataset(y).summary()
    assert "county code is not 6 digits" in text and "got '99010'" in text
    (tmp_path / "c.csv").write_text("code,name,year,v\n110101,东城区,2020,1\n990101,某县,2020,3\n", encoding="utf-8")
    assert "county code with no province prefix" in validate_dataset(y).summary()
    (tmp_path / "n.csv").write_text("county,city,year,v\n朝阳区,北京,2020,1\n朝阳区,长春,2020,2\n城关区,兰州,2020,3\n", encoding="utf-8")
    y2 = _yaml(tmp_path, "name: n\nfile: n.csv\nunits: {level: county, column: county}\nperiod: year\nsynthetic: false\n", "n.yaml")
    v = validate_dataset(y2)
    assert not v.ok and "names alone are ambiguous" in v.summary() and "got '朝阳区'" in v.summary()
    y3 = _yaml(tmp_path, "name: n\nfile: n.csv\nunits: {level: county, column: county, parent: city}\nperiod: year\nsynthetic: false\n", "n3.yaml")
    ds = open_dataset(y3)
    assert len(ds.units) == 3
    assert ds.units.loc["220100:朝阳区", "province"] == "吉林" and ds.units.loc["110000:朝阳区", "四大地带"] == "东部"


# ------------------------------------------------------------------ cities, provinces, custom
def test_city_level_prefectures_and_parent_disambiguation(tmp_path):
    r = resolver("city")
    assert r.lookup("石家庄").unit_id == "130100" and r.lookup("大理州").unit_id == "532900"
    assert r.lookup("Taizhou").ambiguous
    assert r.lookup("那曲").unit_id == "540600"  # the current city, not the former 那曲地区 (542400)
    (tmp_path / "c.csv").write_text("city,prov,year,v\nTaizhou,浙江,2020,1\nTaizhou,江苏,2020,2\n", encoding="utf-8")
    y = _yaml(tmp_path, "name: c\nfile: c.csv\nunits: {level: city, column: city, parent: prov}\nperiod: year\nsynthetic: false\n")
    ds = open_dataset(y)
    assert sorted(ds.units.index) == ["321200", "331000"]  # 泰州 (江苏), 台州 (浙江)
    assert set(ds.units["city_type"]) == {"地级市"}
    pref = data.load("prefectures")
    assert (pref["city_type"] == "副省级").sum() == 15 and (pref["city_type"] == "直辖市").sum() == 4


def test_province_groupings_are_complete_and_documented():
    g = builtin_groupings("province", [u for u in data.provinces(include_corps=False)["unit_id"]])
    assert g["南北"].value_counts().to_dict() == {"南方": 16, "北方": 15}
    assert g["七大区"].value_counts().to_dict() == {"华东": 7, "华北": 5, "西南": 5, "西北": 5, "东北": 3, "华中": 3, "华南": 3}
    assert g.loc["440000", "四大地带"] == "东部" and g.loc["440000", "常规地区"] == "中南"
    assert "京津冀" in g.loc["110000", "热点地区"]


def test_custom_units_long_format_duplicates_and_covariates(tmp_path):
    (tmp_path / "l.csv").write_text(
        "unit,period,measure,value\nA,1,x,1\nA,1,y,2\nB,1,x,3\nB,1,y,4\nB,1,y,4\nA,2,x,5\nA,2,y,#DIV/0!\nB,2,x,7\nB,2,y,8\n",
        encoding="utf-8")
    (tmp_path / "cov.csv").write_text("unit,period,size\nA,1,10\nA,2,11\nB,1,20\nB,2,21\n", encoding="utf-8")
    (tmp_path / "grp.csv").write_text("unit,team\nA,red\nB,blue\n", encoding="utf-8")
    y = _yaml(tmp_path, """
name: l
file: l.csv
format: long
units: {level: custom, column: unit}
period: period
covariates: {size: {file: cov.csv, column: size, key: unit, period: period}}
groupings: {team: {file: grp.csv, column: team, key: unit}}
synthetic: false
""")
    ds = open_dataset(y)
    assert ds.measures == ["x", "y"]
    assert ds.panel("x").loc["A"].tolist() == [1.0, 5.0] and np.isnan(ds.panel("y").loc["A", 2])
    assert ds.covariate("size").loc["B"].tolist() == [20.0, 21.0]
    assert ds.grouping("team").to_dict() == {"A": "red", "B": "blue"}
    whats = {r.what for r in ds.repairs}
    assert "exact duplicate row merged" in whats and "Excel error value read as missing" in whats
    (tmp_path / "l.csv").write_text("unit,period,measure,value\nA,1,x,1\nA,1,x,2\n", encoding="utf-8")
    v = validate_dataset(y)
    assert not v.ok and "conflicting duplicate rows for unit A, period 1, measure x" in v.summary()


def test_builtin_covariates_for_provinces(tmp_path):
    (tmp_path / "p.csv").write_text("province,year,x\n广东,2020,1\n浙江,2020,2\n", encoding="utf-8")
    y = _yaml(tmp_path, "name: p\nfile: p.csv\nunits: {level: province, column: province}\nperiod: year\n"
                        "covariates: {gdp: {builtin: gdp}, pop: {builtin: population}}\nsynthetic: false\n")
    ds = open_dataset(y)
    g = data.gdp().set_index(["unit_id", "year"])["gdp"]
    assert ds.covariate("gdp").loc["440000", 2020] == g[("440000", 2020)]
    assert ds.covariate("pop").loc["330000", 2020] > 6000  # 浙江 year-end population, 万人
    assert any(f["role"] == "covariate" for f in ds.files)
    assert ds.synthetic is False


def test_synthetic_is_read_from_the_dataset_never_from_a_name(tmp_path):
    src = open_dataset("demo_panel")
    src.values.reset_index().to_csv(tmp_path / "real.csv", index=False)
    y = _yaml(tmp_path, "name: demo_index\nfile: real.csv\nunits: {level: province, column: unit_id}\nperiod: period\nsynthetic: false\n",
              "demo_index.yaml")
    assert open_dataset(y).synthetic is False  # a name that says "demo" does not make data synthetic
    y2 = _yaml(tmp_path, "name: my_real_index\nfile: real.csv\nunits: {level: province, column: unit_id}\nperiod: period\nsynthetic: true\n",
               "x.yaml")
    assert open_dataset(y2).synthetic is True
    y3 = _yaml(tmp_path, "name: q\nfile: real.csv\nunits: {level: province, column: unit_id}\nperiod: period\n", "q.yaml")
    v = validate_dataset(y3)
    assert v.ok and v.dataset.synthetic is False and any("'synthetic' is not stated" in a for a in v.dataset.assumptions)


def test_edition_synthetic_flag_and_scores_come_from_datasets(tmp_path):
    from dgkit.report.edition import open_edition

    src = open_dataset("tsinghua_2020_provinces")
    tab = src.cross_section().rename("idx").reset_index()
    tab["unit_id"] = tab["unit_id"].map(src.unit_names("en"))  # English names: resolved again on reading
    tab.to_csv(tmp_path / "mine.csv", index=False)
    y = _yaml(tmp_path, "name: demo_index\ntitle: my index\ncitation: me 2025\nfile: mine.csv\n"
                        "units: {level: province, column: unit_id}\nperiod: 2020\nmeasures: [idx]\nheadline: idx\nsynthetic: false\n", "mine.yaml")
    params = _yaml(tmp_path, f"edition: t\ndataset: {y}\nindex: {{measure: idx}}\n", "p.yaml")
    ed = open_edition(params)
    assert ed.synthetic is False  # the dataset's YAML says so; its name ("demo_index") does not matter
    assert ed.scores().loc["310000"] == pytest.approx(76.7) and ed.names["310000"] == "上海"
    assert ed.citation == "me 2025" and ed.year == 2020
    built = open_edition(_yaml(tmp_path, "edition: d\ndataset: demo_panel\nindex: {framework: ccid_2020}\nyear: 2020\n", "d.yaml"))
    assert built.synthetic is True and "赛迪顾问《2020中国数字政府建设白皮书》数字政府评估指标体系" in built.citation  # the framework's title


def test_dataset_files_are_hashed_for_the_manifest():
    from dgkit.params import load_params
    from dgkit.report.provenance import edition_inputs

    read = edition_inputs(load_params(ROOT / "params" / "2020.yaml"))
    files = {f["path"]: f["sha256"] for d in read["datasets"].values() for f in d["files"]}
    for rel in ("data/datasets/tsinghua_2020_provinces.yaml", "data/published/tsinghua_2020_provinces.csv",
                "data/reference/provinces.csv", "data/published/tsinghua_2020_city_types.csv", "data/published/cstc_2019_grades_provinces.csv"):
        assert files[rel] == hashlib.sha256((ROOT / rel).read_bytes()).hexdigest()
    assert read["synthetic"] is False and "demo_panel" not in read["datasets"]
    demo = edition_inputs(load_params(ROOT / "params" / "demo.yaml"))
    assert demo["framework"]["path"] == "data/frameworks/ccid_2020.yaml"
    assert demo["datasets"]["demo_panel"]["synthetic"] is True and demo["synthetic"] is True


def test_open_dataset_is_public_and_unknown_names_suggest():
    assert dgkit.open_dataset("egdi").name == "un_egdi"
    from dgkit.errors import InputError

    with pytest.raises(InputError) as exc:
        dgkit.open_dataset("tsinghua2020")
    assert "tsinghua_2020" in str(exc.value)


def test_bare_file_route_states_its_assumptions(tmp_path):
    (tmp_path / "w.csv").write_text("省份,年份,INF01\n广东,2020,1\n浙江,2020,2\n", encoding="utf-8")
    v = validate_file(tmp_path / "w.csv", framework="ccid_2020")
    assert v.ok, v.summary()
    assert any("unit column '省份'" in a for a in v.assumptions) and any("period column '年份'" in a for a in v.assumptions)
    (tmp_path / "w.csv").write_text("省份,年份,INF01,XX9\n广东,2020,1,2\n", encoding="utf-8")
    v = validate_file(tmp_path / "w.csv", framework="ccid_2020")
    assert not v.ok and "indicator 'XX9' is not in framework" in v.summary()


@pytest.mark.parametrize("script", ["build_countries.py", "build_prefectures.py"])
def test_reference_tables_are_rebuilt_byte_for_byte_by_their_scripts(script):
    run = subprocess.run([sys.executable, str(ROOT / "data" / "build" / script), "--check"], capture_output=True, text=True, timeout=300)
    if run.returncode != 0 and "differs" not in run.stdout:
        pytest.skip(f"PyPI not reachable for the build script: {run.stderr.strip().splitlines()[-1:]}")
    assert run.returncode == 0, run.stdout


def test_ranking_figure_stays_readable_for_thousands_of_units_with_shared_names():
    from dgkit.plotting import figures

    s = pd.Series(np.linspace(0, 100, 2850), index=[f"{i:06d}" for i in range(2850)])
    names = pd.Series("示例县01", index=s.index)  # county names repeat across cities
    fig = figures.ranking_bar(s, names, lang="zh", title="x")
    ax = fig.axes[0]
    assert len(ax.patches) == 40 and fig.get_size_inches()[1] <= 11.69  # one A4 page
    assert "后 20 名 (共 2850)" in ax.get_title()
    assert ax.lines[0].get_xdata()[0] == pytest.approx(50.0)  # the mean line is the mean of all 2850 units


def test_no_code_branches_on_a_dataset_name():
    """Point 5: nothing compares a dataset-naming params value, or a dataset's name, with a literal."""
    import ast

    import yaml

    names = set()
    for p in (ROOT / "data" / "datasets").glob("*.yaml"):
        d = yaml.safe_load(p.read_text(encoding="utf-8"))
        names |= {d["name"], *(d.get("aliases") or [])}
    offenders = []
    for path in (ROOT / "dgkit").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                consts = [c for c in [node.left, *node.comparators] if isinstance(c, ast.Constant) and isinstance(c.value, str)]
                consts += [e for c in node.comparators if isinstance(c, ast.Tuple | ast.List | ast.Set) for e in c.elts
                           if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                hit = [c.value for c in consts if c.value in names]
                if hit:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} compares with {hit}")
    assert not offenders, offenders


def test_framework_indicators_match_a_dataset_by_code_or_by_name(tmp_path):
    from dgkit.framework import load_framework
    from dgkit.pipeline.build import build

    fw = load_framework("ccid_2020")
    demo = open_dataset("demo_panel")
    by_name = demo.values.rename(columns=dict(zip(fw.indicators["code"], fw.indicators["name"], strict=True)))
    by_name = by_name.assign(extra_measure=1.0).xs(2021, level="period", drop_level=False).reset_index()
    by_name.to_csv(tmp_path / "named.csv", index=False)
    y = _yaml(tmp_path, "name: named\nfile: named.csv\nunits: {level: province, column: unit_id}\nperiod: period\nsynthetic: true\n")
    named = open_dataset(y)
    a = build(named, fw)
    b = build(demo.values.xs(2021, level="period", drop_level=False), fw)
    assert np.allclose(a.index.to_numpy(), b.index.to_numpy())
    assert any("matched to indicators by name" in e for e in a.log)
    assert any("extra_measure" in e and "not used" in e for e in a.log)
