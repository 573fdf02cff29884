"""Per-column formats, the CSV/LaTeX/meta files of a table, and the workbook and Word exports."""

import csv
import json
import zipfile

import numpy as np
import pandas as pd
import pytest
from latex_helpers import export_labels  # noqa: F401  (fixture)

from dgkit.errors import InputError
from dgkit.report.export import read_tables, sheet_names, write_docx, write_workbook
from dgkit.report.labels import Labels
from dgkit.report.tableformat import column_kind, csv_cell, format_cell, safe_text, unsafe_text
from dgkit.report.tablewriter import write_table

pytestmark = pytest.mark.usefixtures("export_labels")

SOURCE = "国家统计局. 中国统计年鉴 2021. 北京: 中国统计出版社, 2021"


# ---------------------------------------------------------------------- column kinds and cells
@pytest.mark.parametrize("name", ["p", "p_value", "pvalue", "p_sim", "p_norm", "p_spearman", "p_kendall", "p_slope", "moran_p", "t_pvalue"])
def test_p_value_columns_by_name_and_range(name):
    assert column_kind(name, pd.Series([0.0, 1e-7, 0.04, 1.0, np.nan])) == "p"


def test_a_column_named_p_outside_0_1_is_not_a_p_value():
    assert column_kind("p", pd.Series([0.5, 1.7])) == "float"
    assert column_kind("pillar", pd.Series([0.1, 0.2])) == "float"  # starts with p, not p_


@pytest.mark.parametrize("name", ["n", "rank", "rank_printed", "rank_difference", "rank_熵权法", "max_abs_rank_shift", "printed_conflicts_count",
                                  "n_at_or_above_national_mean", "n_nonpositive", "permutations", "peaks", "max_rise", "max_fall", "units", "changes"])
def test_integral_float_columns_that_count_or_rank_are_integers(name):
    assert column_kind(name, pd.Series([1.0, 14.0, np.nan, -3.0])) == "int"


def test_integral_values_do_not_make_a_score_an_integer():
    assert column_kind("score", pd.Series([76.0, 74.0, 71.0])) == "float"
    assert column_kind("mean_abs_rank_change", pd.Series([1.0, 2.0])) == "float"  # a mean of ranks
    assert column_kind("rank", pd.Series([1.0, 2.5, 2.5])) == "float"  # tied ranks, averaged
    assert column_kind("n", pd.Series([1.0, np.inf])) == "float"


def test_other_kinds():
    assert column_kind("score", pd.Series([1, 2], dtype="Int64")) == "int"
    assert column_kind("share_pct", pd.Series([26.546, 20.7])) == "percent"
    assert column_kind("flag", pd.Series([True, False])) == "bool"
    assert column_kind("agrees", pd.Series([True, None, False], dtype=object)) == "bool"
    assert column_kind("name", pd.Series(["北京", "天津"])) == "text"
    assert column_kind("unit_id", pd.Series(["110000", "120000"])) == "text"


def test_text_cells():
    assert [format_cell("p", v, 2) for v in (0.0, 1e-7, 0.00099, 0.001, 0.0404, 0.9996, np.nan)] == [
        "<0.001", "<0.001", "<0.001", "0.001", "0.040", "1.000", "—"]
    assert [format_cell("int", v, 2) for v in (14.0, 3, pd.NA, None)] == ["14", "3", "—", "—"]
    assert [format_cell("float", v, 2) for v in (71.645, -0.004, 3, np.inf, -np.inf)] == ["71.64", "0.00", "3.00", "∞", "−∞"]
    assert format_cell("float", 71.645, 0) == "72" and format_cell("percent", 26.546, 1) == "26.5"
    assert format_cell("bool", True, 2, words={True: "是", False: "否"}) == "是" and format_cell("bool", np.False_, 2) == "False"
    assert format_cell("text", "北京", 2) == "北京"
    with pytest.raises(ValueError, match="unknown column kind 'number'"):
        format_cell("number", 1, 2)


def test_csv_cells_keep_p_values_exact_and_never_zero():
    assert [csv_cell("p", v, 2) for v in (0.0, 1e-7, 2.31e-05, 0.0412, 0.071, np.nan)] == ["<1e-300", "1e-07", "2.31e-05", "0.0412", "0.071", ""]
    rng = np.random.default_rng(7)
    ps = np.concatenate([rng.random(200), 10.0 ** rng.uniform(-320, -3, 200)])
    for p in ps[ps > 0]:
        s = csv_cell("p", p, 2)
        assert float(s) == p and s != "0", (p, s)  # full precision: reads back to the same double
        assert ("e-" in s) == (p < 0.001), s
    assert [csv_cell("int", v, 2) for v in (14.0, 3)] == ["14", "3"]
    assert [csv_cell("float", v, 3) for v in (71.6449, -0.0001, np.inf)] == ["71.645", "0.000", "inf"]


def test_formula_text_is_prefixed_and_recovered():
    cases = {"=SUM(A1:A3)": "'=SUM(A1:A3)", "+1+2": "'+1+2", "-x": "'-x", "@cmd": "'@cmd", "\tx": "'\tx", "\rx": "'\rx",
             "-3.5": "-3.5", "+7": "+7", "北京": "北京", "'=x": "''=x", "'plain": "'plain", "a=b": "a=b"}
    for raw, safe in cases.items():
        assert safe_text(raw) == safe, raw
        assert unsafe_text(safe_text(raw)) == raw, raw


# ---------------------------------------------------------------------- write_table
def _lisa() -> pd.DataFrame:
    return pd.DataFrame({
        "unit_id": ["110000", "120000", "130000", "140000"],
        "name": ["北京", "天津", "=HYPERLINK(\"x\")", "R&D_研究中心 50% #1"],
        "score": [76.0, 74.5, np.nan, 60.125],
        "rank": [1.0, 2.0, 3.0, 4.0],
        "p_sim": [0.0, 1e-7, 0.04, 0.3456789],
        "S1_conf": [0.1234, 0.2, np.nan, 0.05],
        "significant": [True, True, False, False],
    })


def test_csv_has_bom_headers_numbers_per_kind_and_nothing_else(tmp_path):
    df = _lisa()
    write_table(tmp_path, "13_dynamics__lisa", df, headers={"name": "名称", "rank": "排名"}, caption="LISA", source=SOURCE,
                chapter="13_dynamics")
    raw = (tmp_path / "13_dynamics__lisa.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw.replace(b"'\r", b"") and b"# source" not in raw
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == ["unit_id", "名称", "score", "排名", "p_sim", "S1_conf", "significant"]
    assert rows[1] == ["110000", "北京", "76.00", "1", "<1e-300", "0.12", "True"]
    assert rows[2] == ["120000", "天津", "74.50", "2", "1e-07", "0.20", "True"]
    assert rows[3][1] == "'=HYPERLINK(\"x\")" and rows[3][2] == "" and rows[3][4] == "0.04"
    assert len(rows) == 1 + len(df)
    back = pd.read_csv(tmp_path / "13_dynamics__lisa.csv", encoding="utf-8-sig", dtype={"unit_id": str})
    assert back["unit_id"].tolist() == df["unit_id"].tolist() and back["名称"].iloc[[0, 1, 3]].tolist() == df["name"].iloc[[0, 1, 3]].tolist()
    pd.testing.assert_series_equal(back["score"], df["score"].round(2), check_names=False)
    assert back["排名"].dtype.kind == "i" and back["排名"].tolist() == [1, 2, 3, 4]
    assert back["p_sim"].iloc[0] == "<1e-300" and [float(v) for v in back["p_sim"].iloc[1:]] == df["p_sim"].iloc[1:].tolist()
    assert back["significant"].tolist() == df["significant"].tolist()


def test_tex_and_meta(tmp_path):
    write_table(tmp_path, "13_dynamics__lisa", _lisa(), headers={"name": "名称"}, caption="LISA 聚类_2020 & 显著性", source=SOURCE,
                cite=["nbs2021"], lang="zh", decimals=3, chapter="13_dynamics", notes=["注: p_sim 为 999 次置换"])
    tex = (tmp_path / "13_dynamics__lisa.tex").read_text(encoding="utf-8")
    assert "\\caption{LISA 聚类\\_2020 \\& 显著性}" in tex and "\\label{tab:13_dynamics__lisa}" in tex
    assert "unit\\_id & 名称 & score & rank & p\\_sim & S1\\_conf & significant \\\\" in tex
    assert "110000 & 北京 & 76.000 & 1 & <0.001 & 0.123 & 是 \\\\" in tex  # catalogue words for booleans in zh
    assert "R\\&D\\_研究中心 50\\% \\#1" in tex
    assert Labels("zh")("report.source_line", source=SOURCE) in tex  # the source as a note under the table
    meta = json.loads((tmp_path / "13_dynamics__lisa.meta.json").read_text(encoding="utf-8"))
    assert meta["stem"] == "13_dynamics__lisa" and meta["chapter"] == "13_dynamics" and meta["rows"] == 4 and meta["cite"] == ["nbs2021"]
    assert meta["lang"] == "zh" and meta["source"] == SOURCE and meta["notes"] == ["注: p_sim 为 999 次置换"] and meta["index"] is False
    assert [(c["key"], c["header"], c["kind"], c["decimals"]) for c in meta["columns"]] == [
        ("unit_id", "unit_id", "text", None), ("name", "名称", "text", None), ("score", "score", "float", 3), ("rank", "rank", "int", 0),
        ("p_sim", "p_sim", "p", 3), ("S1_conf", "S1_conf", "float", 3), ("significant", "significant", "bool", None)]
    raw = (tmp_path / "13_dynamics__lisa.meta.json").read_bytes()
    assert "名称".encode() in raw  # ensure_ascii=False
    assert list(json.loads(raw)) == sorted(json.loads(raw))


def test_rerun_gives_the_same_bytes_and_files_are_readable(tmp_path):
    for out in (tmp_path / "a", tmp_path / "b"):
        write_table(out, "02_ranking__ranking", _lisa(), headers=None, caption="c", source=SOURCE, chapter="02_ranking", index=False)
    for suffix in (".csv", ".tex", ".meta.json"):
        a, b = tmp_path / "a" / f"02_ranking__ranking{suffix}", tmp_path / "b" / f"02_ranking__ranking{suffix}"
        assert a.read_bytes() == b.read_bytes() and a.stat().st_mode & 0o777 == 0o644


def test_index_is_written_as_leading_column(tmp_path):
    df = pd.DataFrame({"mean": [1.5, 2.25]}, index=pd.Index(["东部", "西部"], name="group"))
    write_table(tmp_path, "05_regions__regions", df, headers={"group": "地区"}, caption="c", source="", index=True)
    assert (tmp_path / "05_regions__regions.csv").read_text(encoding="utf-8-sig") == "地区,mean\n东部,1.50\n西部,2.25\n"


def test_bad_input_names_the_closest_valid(tmp_path):
    with pytest.raises(InputError, match=r"column 'nmae'.*closest valid: name"):
        write_table(tmp_path, "x", _lisa(), headers={"nmae": "名称"}, caption="c", source="")
    with pytest.raises(InputError, match=r"unknown language.*closest valid: zh"):
        write_table(tmp_path, "x", _lisa(), headers=None, caption="c", source="", lang="zh-CN")
    with pytest.raises(InputError, match="plain name"):
        write_table(tmp_path, "../x", _lisa(), headers=None, caption="c", source="")
    with pytest.raises(InputError, match="decimals"):
        write_table(tmp_path, "x", _lisa(), headers=None, caption="c", source="", decimals=-1)
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------------- workbook
LONG_A = "07_progress__advancement_rate_by_county_and_step_2021"
LONG_B = "07_progress__advancement_rate_by_county_and_step_2022"


def _report_tables(folder, lang="zh"):
    write_table(folder, "13_dynamics__lisa", _lisa(), headers={"name": "名称"}, caption="LISA 聚类", source=SOURCE, lang=lang,
                chapter="13_dynamics", notes=["注: 999 次置换"])
    ranking = pd.DataFrame({"unit_id": ["310000", "330000"], "name": ["上海", "浙江"], "score": [76.7, 74.5], "rank": [1, 2]})
    write_table(folder, "02_ranking__rank_check", ranking, headers=None, caption="排名核对", source=SOURCE, lang=lang, chapter="02_ranking")
    for stem in (LONG_A, LONG_B):
        write_table(folder, stem, ranking, headers=None, caption=stem, source="", lang=lang, chapter="07_progress")


def test_workbook_index_sheets_and_cells(tmp_path):
    from openpyxl import load_workbook

    _report_tables(tmp_path)
    notes = write_workbook(tmp_path, tmp_path / "tables.xlsx", "zh")
    wb = load_workbook(tmp_path / "tables.xlsx")
    t = Labels("zh")
    assert wb.sheetnames[0] == t("export.contents")
    sheets = wb.sheetnames[1:]
    assert sheets[:2] == ["02_rank_check", "07_advancement_rate_by_county_a"] and all(len(s) <= 31 for s in wb.sheetnames)
    assert len({s.lower() for s in wb.sheetnames}) == len(wb.sheetnames) and sheets[3] == "13_lisa"
    renamed = sheets[2]
    assert renamed.endswith("~2") and len(renamed) == 31
    assert any(LONG_B in n and renamed in n and LONG_A in n for n in notes)  # the rename is stated, naming both tables
    ix = wb[wb.sheetnames[0]]
    rows = list(ix.iter_rows(values_only=True))
    assert rows[0][:5] == (t("export.sheet"), t("report.chapter"), t("export.caption"), t("export.source"), t("export.rows"))
    assert [r[0] for r in rows[1:]] == sheets and rows[1][1:5] == ("02_ranking", "排名核对", SOURCE, 2)
    assert rows[3][6] == t("export.renamed", base=sheets[1], other=LONG_A, sheet=renamed) and not rows[1][6]  # why a sheet's name changed
    assert [ix.cell(row=i, column=1).hyperlink.location for i in range(2, 6)] == [f"'{s}'!A1" for s in sheets]
    ws = wb["13_lisa"]
    assert ws.freeze_panes == "A4" and ws["A1"].value == "LISA 聚类" and ws["A3"].font.b
    assert [c.value for c in ws[3]] == ["unit_id", "名称", "score", "rank", "p_sim", "S1_conf", "significant"]
    assert [c.value for c in ws[4]] == ["110000", "北京", 76, 1, "<1e-300", 0.12, True]  # floats as the CSV holds them (decimals)
    p = ws["E5"]
    assert p.value == 1e-7 and p.data_type == "n" and p.number_format == "0.00E+00" and ws["E6"].number_format == "0.000"
    assert ws["D4"].number_format == "0" and ws["C7"].number_format == "0.00"
    formula = ws["B6"]
    assert formula.value == "=HYPERLINK(\"x\")" and formula.data_type == "s"
    assert ws["A9"].value == t("report.source_line", source=SOURCE) and ws["A10"].value == "注: 999 次置换"
    for sheet in wb:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                if c.data_type == "n" and c.value is not None and sheet.title != wb.sheetnames[0]:
                    assert not (sheet.cell(row=3, column=c.column).value == "p_sim" and c.value == 0)
    # widths fit the content (+2), East Asian characters counting double: "R&D_研究中心 50% #1" is 15 characters, 19 wide
    assert ws.column_dimensions["A"].width == len("unit_id") + 2 and ws.column_dimensions["B"].width == 19 + 2
    with zipfile.ZipFile(tmp_path / "tables.xlsx") as z:
        assert all("<f>" not in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_sheet_names_without_forbidden_characters_or_silent_renames():
    from dgkit.report.export import StoredTable

    tabs = [StoredTable(stem, ch, "", "", [], []) for stem, ch in
            [("02_ranking__a/b:c?", "02_ranking"), ("x__Rank", "x"), ("y__rank", "x"), ("目录", "")]]
    names, notes = sheet_names(tabs, reserved=["目录"])
    assert names == ["02_a_b_c_", "x_Rank", "x_rank~2", "目录~2"]
    assert notes[0] is None and notes[2] == {"table": "y__rank", "base": "x_rank", "other": "x__Rank", "sheet": "x_rank~2"}
    assert notes[3] == {"table": "目录", "base": "目录", "other": "", "sheet": "目录~2"}


def test_workbook_and_docx_are_byte_identical_on_rerun(tmp_path):
    _report_tables(tmp_path)
    for name in ("a", "b"):
        write_workbook(tmp_path, tmp_path / f"{name}.xlsx", "zh")
        write_docx(tmp_path, tmp_path / f"{name}.docx", "zh", "数字政府发展指数 2020", ["[1] 清华大学数据治理研究中心. 2020 数字政府发展指数报告[R]. 2020."])
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        assert b"dcterms:modified" not in z.read("docProps/core.xml")


def test_csv_without_meta_is_read_with_its_source_and_said_so(tmp_path):
    (tmp_path / "03_tiers__tier_counts.csv").write_text("scheme,tier,n\ntsinghua,引领型,4\n# source: 清华大学\n", encoding="utf-8")
    tables, notes = read_tables(tmp_path)
    assert tables[0].source == "清华大学" and tables[0].kinds == ["text", "text", "int"] and tables[0].rows == [["tsinghua", "引领型", 4]]
    assert "no 03_tiers__tier_counts.meta.json" in notes[0]


def test_csv_that_disagrees_with_its_meta_is_refused(tmp_path):
    _report_tables(tmp_path)
    path = tmp_path / "02_ranking__rank_check.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",rank\n", "\n", 1), encoding="utf-8-sig")
    with pytest.raises(InputError, match=r"02_ranking__rank_check.csv, row 1: the CSV and its meta file disagree"):
        write_workbook(tmp_path, tmp_path / "t.xlsx", "zh")


# ---------------------------------------------------------------------- Word
def test_docx_tables_captions_sources_references_and_fonts(tmp_path):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    _report_tables(tmp_path)
    refs = ["[1] 清华大学数据治理研究中心. 2020 数字政府发展指数报告[R]. 2020.", "[2] 国家统计局. 中国统计年鉴 2021[M]. 2021."]
    write_docx(tmp_path, tmp_path / "tables.docx", "zh", "数字政府发展指数 2020", refs)
    doc = Document(tmp_path / "tables.docx")
    assert len(doc.tables) == 4
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == ["表 1  排名核对", f"表 2  {LONG_A}", f"表 3  {LONG_B}", "表 4  LISA 聚类"]
    body = doc.element.body
    assert len(body.findall(f".//{qn('w:instrText')}")) == 4 and all("SEQ Table" in e.text for e in body.findall(f".//{qn('w:instrText')}"))
    # order in the body: caption, table, source line
    kinds = [("p", Paragraph(el, doc).text) if el.tag == qn("w:p") else ("tbl", "") for el in body if el.tag in (qn("w:p"), qn("w:tbl"))]
    i = kinds.index(("p", "表 4  LISA 聚类"))
    assert kinds[i + 1][0] == "tbl" and kinds[i + 2] == ("p", Labels("zh")("report.source_line", source=SOURCE)) and kinds[i + 3] == ("p", "注: 999 次置换")
    lisa = doc.tables[3]
    head = lisa.rows[0]
    assert [c.text for c in head.cells] == ["unit_id", "名称", "score", "rank", "p_sim", "S1_conf", "significant"]
    assert head._tr.trPr.find(qn("w:tblHeader")) is not None and all(r.bold for c in head.cells for r in c.paragraphs[0].runs)
    assert [c.text for c in lisa.rows[1].cells] == ["110000", "北京", "76.00", "1", "<0.001", "0.12", "是"]
    assert [c.text for c in lisa.rows[3].cells][:5] == ["130000", "=HYPERLINK(\"x\")", "—", "3", "0.040"]
    assert lisa.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT and lisa.rows[1].cells[1].paragraphs[0].alignment is None
    texts = [p.text for p in doc.paragraphs]
    assert texts[texts.index("参考文献") + 1:] == refs
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "SimSun" and fonts.get(qn("w:eastAsiaTheme")) is None
    assert doc.core_properties.title == "数字政府发展指数 2020"


def test_docx_in_english(tmp_path):
    from docx import Document

    _report_tables(tmp_path, lang="en")
    write_docx(tmp_path, tmp_path / "tables.docx", "en", "Digital government index 2020", ["Tsinghua University (2020)."])
    doc = Document(tmp_path / "tables.docx")
    texts = [p.text for p in doc.paragraphs]
    assert "Table 1. 排名核对" in texts and Labels("en")("report.source_line", source=SOURCE) in texts and texts[-2:] == ["References", "Tsinghua University (2020)."]
    assert [c.text for c in doc.tables[3].rows[1].cells][-1] == "yes"
