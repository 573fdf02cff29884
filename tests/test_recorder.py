"""Issue 17, points 2, 5 and 6: Missing inputs become stated skips; one recorder; one zh/en catalogue."""

import ast
import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from dgkit.report.labels import LANGS, Labels, catalogue
from dgkit.report.recorder import Recorder
from dgkit.stats import Missing, skippable

ROOT = Path(__file__).resolve().parents[1]


def test_missing_propagates_and_skippable_skips_only_on_required_arguments():
    m = Missing("no GDP")
    assert not m and m.table["x"].sum() is m and m.extra["spearman"] is m and len(m) == 0

    @skippable
    def f(x, y=None):
        return (x, y)

    assert f(1, y=m) == (1, None)  # an optional input that is missing is simply not used
    assert f(m, y=2) is m  # a required one skips the analysis, with its reason
    assert f(x=m) is m


def test_recorder_turns_missing_into_a_stated_skip_in_the_language_of_the_edition(tmp_path):
    rec = Recorder(tmp_path, "07_progress", lang="en")
    rec.table(Missing("x", "one_period", periods="2020", n=2), "zscores")
    rec.figure(Missing("x", "one_period", periods="2020", n=2), "zfig")  # every skipped section is listed
    rec.table(Missing("x", "one_period", periods="2020", n=2), "zscores")  # … once
    rec.result(Missing("no covariate"), "economy")
    skips = json.loads((tmp_path / "skips" / "07_progress.json").read_text(encoding="utf-8"))
    assert [s["section"] for s in skips] == ["zscores", "zfig", "economy"]
    assert skips[0]["reason"] == "the analysed index has data for 2020 only; this needs at least 2 periods (params compare)."
    assert not list((tmp_path / "tables").iterdir()) and not (tmp_path / "facts" / "07_progress.json").exists()
    zh = Recorder(tmp_path / "zh", "07_progress", lang="zh")
    zh.skip("zscores", Missing("x", "one_period", periods="2020", n=2))
    assert "只有 2020 期数据" in json.loads((tmp_path / "zh" / "skips" / "07_progress.json").read_text(encoding="utf-8"))[0]["reason"]


def test_recorder_names_units_marks_synthetic_data_and_states_the_numbers(tmp_path):
    from dgkit.stats.ranking import rank

    names = pd.Series({"110000": "北京", "310000": "上海", "440000": "广东"})
    s = pd.Series({"110000": 80.0, "310000": 80.0, "440000": 70.0})
    rec = Recorder(tmp_path, "02_ranking", lang="zh", source="me 2025", synthetic=True, names=names)
    r = rank(s)  # no names given to the analysis: the recorder adds them
    rec.result(r, "ranking")
    f = json.loads((tmp_path / "facts" / "02_ranking.json").read_text(encoding="utf-8"))["ranking"]
    assert f["sentence"].startswith("【合成数据 SYNTHETIC】3 个单位的均值为 76.7")
    assert "竞争排名 (1, 2, 2, 4)" in f["sentence"] and "共 2 个单位并列" in f["sentence"]
    assert f["value"]["mean"] == pytest.approx(230 / 3, abs=1e-6) and f["value"]["n_tied"] == 2 and f["source"] == "me 2025"
    from dgkit.report.tablewriter import read_table

    tab = read_table(tmp_path / "tables" / "02_ranking__ranking.csv", dtype={"unit_id": str})
    assert list(tab["rank"]) == [1, 1, 3]  # competition ranks: the two 80s share rank 1, the next is 3
    assert (tmp_path / "tables" / "02_ranking__ranking.csv").stat().st_mode & 0o777 == 0o644


def test_catalogue_has_both_languages_with_the_same_fields():
    cat = catalogue()
    assert len(cat) > 100
    for key, texts in cat.items():
        assert all(texts[lang].strip() for lang in LANGS), key
        fields = {lang: {f for _, f, _, _ in __import__("string").Formatter().parse(texts[lang]) if f} for lang in LANGS}
        assert {f.split(":")[0] for f in fields["zh"]} == {f.split(":")[0] for f in fields["en"]}, key
    assert Labels("en")("skips.no_covariate", name="gdp", dataset="UN EGDI").startswith("no covariate gdp")


def test_every_output_a_notebook_records_has_its_caption_and_sentence_in_the_catalogue():
    t = Labels("zh")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and getattr(node.func.value, "id", "") == "rec":
                    verb = node.func.attr
                    name = node.args[1].value if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) else None
                    if verb in ("table", "result"):
                        assert t.has(f"tables.{name}"), (path.stem, name)
                    if verb in ("result",):
                        assert t.has(f"facts.{name}"), (path.stem, name)
                    if verb == "fact":
                        assert t.has(f"facts.{node.args[0].value}"), (path.stem, node.args[0].value)
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "t" and node.args:
                    assert t.has(node.args[0].value), (path.stem, node.args[0].value)


def test_items_record_one_fact_per_item_with_its_own_source(tmp_path):
    from dgkit.report.recorder import Recorder
    from dgkit.stats.result import StatResult

    rec = Recorder(tmp_path, "11_benchmark", "en", "edition source")
    items = [{"key": "a_b", "statement": "top-5 mean", "printed": "54.1", "recomputed": "55.0", "explanation": "x.", "source": "CCID 2020 §2"},
             {"key": "c_d", "statement": "tier count", "printed": "4", "recomputed": "5", "explanation": "y.", "source": "Tsinghua CDG 2020 表3-1"}]
    rec.items(StatResult(pd.DataFrame(), "", {}, {"items": items}), "published_claims")
    assert set(rec.facts) == {"published_claims.a_b", "published_claims.c_d"}
    f = rec.facts["published_claims.a_b"]
    assert f["source"] == "CCID 2020 §2" and "printed 54.1, recomputed 55.0" in f["sentence"]
    assert rec.facts["published_claims.c_d"]["source"] == "Tsinghua CDG 2020 表3-1"


def test_numbers_inside_a_word_of_the_sentence_are_kept_in_the_fact_value(tmp_path):
    """economy's sentence says "95% CI {ci_low}–{ci_high}" through the word @ci_95: both numbers are
    stated, so facts.json keeps them (scipy's Fisher-z interval for the same data)."""
    import numpy as np
    from scipy import stats

    from dgkit.stats.correlation import economy

    rng = np.random.default_rng(3)
    ids = [f"u{i}" for i in range(12)]
    gdp = pd.Series(rng.lognormal(10, 1, 12), index=ids)
    idx = pd.Series(50 + 5 * np.log(gdp.to_numpy()) + rng.normal(0, 2, 12), index=ids)
    rec = Recorder(tmp_path, "06_economy", lang="en")
    rec.fact("economy", economy(idx, gdp))
    v = json.loads((tmp_path / "facts" / "06_economy.json").read_text(encoding="utf-8"))["economy"]["value"]
    lo, hi = stats.pearsonr(idx, gdp).confidence_interval(0.95)
    assert v["ci_low"] == pytest.approx(lo, abs=1e-6) and v["ci_high"] == pytest.approx(hi, abs=1e-6)  # facts.json keeps 6 decimals
    assert f"{lo:.2f}" in json.loads((tmp_path / "facts" / "06_economy.json").read_text(encoding="utf-8"))["economy"]["sentence"]
