"""One language per edition: the notebooks' bilingual prose, the cut to one language, the scanner
that the report tests run over every output of a zh and an en build."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dgkit.report.language import foreign_words, markdown_in, paragraph_language, scan_outputs

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_paragraphs_are_told_apart():
    assert paragraph_language("排名为竞争排名 (1, 2, 2, 4)。") == "zh"
    assert paragraph_language("Ranks are competition ranks (1, 2, 2, 4).") == "en"
    assert paragraph_language("$G = G_w + G_{nb} + G_t$") is None  # a formula is in no language
    assert paragraph_language("See `dispersion.ddof` and $x_i$.") == "en"


def test_a_bilingual_cell_is_cut_to_each_language():
    cell = ("# 第三章 发展梯度 / Chapter 3 — Tiers\n\n参数 `tiers` 中的每一种方案。\n\n$T = \\sum_i x_i$\n\n"
            "Every scheme in the params' `tiers`.")
    assert markdown_in(cell, "zh") == "# 第三章 发展梯度\n\n参数 `tiers` 中的每一种方案。\n\n$T = \\sum_i x_i$"
    assert markdown_in(cell, "en") == "# Chapter 3 — Tiers\n\n$T = \\sum_i x_i$\n\nEvery scheme in the params' `tiers`."
    with pytest.raises(ValueError, match="zh or en"):
        markdown_in(cell, "fr")


def test_foreign_words_in_each_language():
    assert foreign_words("Spearman ρ = 0.99 (n = 31, p < 0.001), GDP 与 Moran's I", "zh") == []
    assert foreign_words("均值 the mean of 31 units", "zh") == ["the", "mean", "of", "units"]
    assert foreign_words("The 31 units average 57.4; 北京 leads", "en") == ["北京"]
    assert foreign_words("参数 `dispersion.ddof` 与 $\\bar x$", "zh") == []  # code and formulas are in no language


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_cell_follows_the_bilingual_convention(nb):
    """Each markdown cell has both languages and cuts cleanly: the zh cut has no English word, the
    en cut no Chinese character (so the report's pages are in one language)."""
    cells = [c for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "markdown"]
    assert cells
    for c in cells:
        src = "".join(c["source"])
        zh, en = markdown_in(src, "zh"), markdown_in(src, "en")
        assert zh.strip() and en.strip(), src[:120]
        assert foreign_words(zh, "zh") == [], (nb.stem, foreign_words(zh, "zh"), zh[:200])
        assert foreign_words(en, "en") == [], (nb.stem, foreign_words(en, "en"), en[:200])


def test_the_scanner_reads_what_a_reader_sees(tmp_path):
    """Identifier columns and LaTeX markup are in no language; a sentence, a cell and a caption are."""
    (tmp_path / "tables").mkdir()
    pd.DataFrame({"单位代码": ["110000"], "名称": ["北京"], "得分": [76.7]}).to_csv(tmp_path / "tables" / "a.csv", index=False)
    (tmp_path / "tables" / "a.tex").write_text("\\begin{table}\\caption{排名}\\label{tab:a_b}\\end{table}", encoding="utf-8")
    assert scan_outputs(tmp_path, "zh") == {}
    pd.DataFrame({"unit ID": ["110000"], "name": ["北京"]}).to_csv(tmp_path / "tables" / "b.csv", index=False)
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "x.json").write_text(json.dumps({"k": {"sentence": "均值 the mean", "value": {"top": 1}}}), encoding="utf-8")
    found = scan_outputs(tmp_path, "zh")
    assert found == {"facts/x.json": ["the", "mean"], "tables/b.csv": ["name"]}
    assert scan_outputs(tmp_path, "en") == {"tables/a.csv": ["名称", "得分", "北京"], "tables/a.tex": ["排名"], "facts/x.json": ["均值"],
                                            "tables/b.csv": ["北京"]}


def test_default_benchmarks_are_cited_by_key():
    """An edition that names no benchmarks compares every bundled index of its level (chapter 11):
    their citations are known to the recorder, so an English build cites them in English (the NBS
    edition in English once kept the Chinese citations of CSTC, CPSC, CCID and Tsinghua)."""
    from dgkit.datasets import open_dataset
    from dgkit.report import open_edition

    ed = open_edition(ROOT / "params" / "nbs.yaml", lang="en")
    for name in ("cstc_2019_provinces", "cpsc_2019_provinces", "ccid_2020_top5", "tsinghua_2020_provinces"):
        ds = open_dataset(name)
        assert [c.key for c in ed.source_citations[ds.citation]] == ds.cite, name
        assert foreign_words(ed.cited(ds.citation), "en") == [], name
