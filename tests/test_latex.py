"""The booktabs writer: layout, per-column formats, long tables, labels and escaping."""

import re

import numpy as np
import pandas as pd
import pytest

from dgkit.report.latex import LONG_ROWS, PREAMBLE, booktabs_table, escape, label_for


def _rows(tex: str) -> list[list[str]]:
    """The body rows of a tabular/longtable (between \\midrule and \\bottomrule), split into cells."""
    body = tex.split("\\midrule\n")[-1].split("\\bottomrule")[0]
    if "\\endfoot\n" in tex:
        body = tex.split("\\endfoot\n")[1].split("\\end{longtable}")[0]
    return [line.removesuffix(" \\\\").split(" & ") for line in body.splitlines() if line.strip()]


def test_plain_table_layout_and_formats_per_column():
    df = pd.DataFrame({"unit": ["110000", "120000", "130000"], "name": ["北京", "天津", "河北"],
                       "score": [71.6, 60.25, np.nan], "rank": pd.array([1, 2, None], dtype="Int64"), "n": [3.0, 4.0, 5.0],
                       "p": [0.0, 0.0004, 0.0412], "flag": [True, False, True]})
    tex = booktabs_table(df, "总指数 2020", "tab:02:x", decimals=2)
    assert tex.startswith(PREAMBLE + "\\begin{table}\n\\centering\n\\caption{总指数 2020}\n\\label{tab:02:x}\n")
    assert "\\begin{tabular}{llrrrrl}\n\\toprule\nunit & name & score & rank & n & p & flag \\\\\n\\midrule\n" in tex
    assert _rows(tex) == [["110000", "北京", "71.60", "1", "3", "<0.001", "True"],
                          ["120000", "天津", "60.25", "2", "4", "<0.001", "False"],
                          ["130000", "河北", "—", "—", "5", "0.041", "True"]]
    assert tex.endswith("\\bottomrule\n\\end{tabular}\n\\end{table}\n")


def test_decimals_apply_to_floats_only():
    df = pd.DataFrame({"score": [71.6449, 60.0], "n": [31, 30], "p_sim": [0.0714, 0.5]})
    assert _rows(booktabs_table(df, "c", "tab:x", decimals=0)) == [["72", "31", "0.071"], ["60", "30", "0.500"]]
    assert _rows(booktabs_table(df, "c", "tab:x", decimals=3)) == [["71.645", "31", "0.071"], ["60.000", "30", "0.500"]]


def test_headers_kinds_words_source_and_notes():
    df = pd.DataFrame({"name": ["北京"], "ok": [True], "rank": [1.0]})
    tex = booktabs_table(df, "c", "tab:x", headers={"name": "名称", "rank": "排名 #"}, words={True: "是", False: "否"},
                         source="统计年鉴 & 公报", source_line="资料来源: {source}", notes=["注: 50% 抽样"])
    assert "名称 & ok & 排名 \\# \\\\" in tex and _rows(tex) == [["北京", "是", "1"]]
    assert "\\par\\raggedright\\footnotesize 资料来源: 统计年鉴 \\& 公报\n\\par\\raggedright\\footnotesize 注: 50\\% 抽样\n\\end{table}" in tex
    with pytest.raises(ValueError, match="unknown column kind 'pvalue'"):
        booktabs_table(df, "c", "tab:x", kinds=["text", "bool", "pvalue"])
    with pytest.raises(ValueError, match="2 column kinds for 3 columns"):
        booktabs_table(df, "c", "tab:x", kinds=["text", "bool"])


def test_index_becomes_leading_columns():
    df = pd.DataFrame({"mean": [1.5, 2.25]}, index=pd.Index(["东部", "西部"], name="group"))
    tex = booktabs_table(df, "c", "tab:x", decimals=2, index=True)
    assert "\\begin{tabular}{lr}" in tex and "group & mean \\\\" in tex and "西部 & 2.25 \\\\" in tex


def test_special_characters_are_escaped_so_the_table_compiles():
    assert escape("R&D_share 5% #1 $x {a} ~ ^ \\") == (
        "R\\&D\\_share 5\\% \\#1 \\$x \\{a\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}")
    assert escape("\\textbackslash{}") == "\\textbackslash{}textbackslash\\{\\}"  # one pass: a backslash's escape is not escaped again
    assert escape("a\nb\tc") == "a b c"
    df = pd.DataFrame({"unit_id": ["u_1"], "R&D": [0.5]})
    tex = booktabs_table(df, "caption_with_underscore", "tab:x", decimals=1, source="50% of {x}")
    assert "u\\_1 & 0.5 \\\\" in tex and "unit\\_id & R\\&D \\\\" in tex and "\\caption{caption\\_with\\_underscore}" in tex
    assert "50\\% of \\{x\\}" in tex and "\\label{tab:x}" in tex  # labels are not text: left as they are


def test_labels_are_made_of_safe_characters():
    assert label_for("02_ranking__rank_check") == "tab:02_ranking__rank_check"
    assert label_for("表 1 & {x}") == "tab:1-x"
    assert label_for("排名") == "tab:table"
    assert re.fullmatch(r"tab:[A-Za-z0-9:._-]+", label_for("a b%c#d~e^f\\g"))


def test_a_long_table_is_a_longtable_with_its_header_repeated():
    n = LONG_ROWS + 20
    df = pd.DataFrame({"unit": [f"u{i}" for i in range(n)], "value": np.arange(n) / 10})
    tex = booktabs_table(df, "长表", "tab:long", source="src_1")
    assert "\\begin{table}" not in tex and tex.count("\\begin{longtable}{lr}") == 1
    assert tex.count("unit & value \\\\") == 2  # first head and the head of every following page
    assert "\\endfirsthead" in tex and "\\endhead" in tex and "\\caption[]{长表}" in tex
    assert len(_rows(tex)) == n and _rows(tex)[-1] == [f"u{n - 1}", f"{(n - 1) / 10:.2f}"]
    assert tex.endswith("\\end{longtable}\n{\\par\\raggedright\\footnotesize src\\_1\n\\par}\n")
    short = booktabs_table(df.head(LONG_ROWS), "c", "tab:x")
    assert "\\begin{tabular}" in short and "longtable" not in short.removeprefix(PREAMBLE)


def test_long_text_columns_wrap():
    df = pd.DataFrame({"claim": ["广东省以总指数75.2居全国榜首, 浙江、山东、福建、北京位列第2-5名"], "n": [1]})
    assert "\\begin{tabular}{p{0.40\\linewidth}r}" in booktabs_table(df, "c", "tab:x")


def test_empty_table():
    tex = booktabs_table(pd.DataFrame({"a": pd.Series([], dtype=float)}), "c", "tab:x")
    assert "\\midrule\n\\bottomrule" in tex
