"""The booktabs writer: the layout of pandas' Styler.to_latex on plain tables, and escaping."""

import numpy as np
import pandas as pd

from dgkit.report.latex import PREAMBLE, booktabs_table, escape


def _styler(df: pd.DataFrame, caption: str, label: str, decimals: int) -> str:
    return PREAMBLE + df.style.format(precision=decimals, na_rep="—").hide(axis="index").to_latex(hrules=True, caption=caption, label=label)


def test_same_layout_as_pandas_styler_on_a_plain_table():
    df = pd.DataFrame({"unit": ["110000", "120000", "130000"], "name": ["北京", "天津", "河北"],
                       "score": [71.6, 60.25, np.nan], "rank": pd.array([1, 2, None], dtype="Int64"), "n": [3, 4, 5],
                       "flag": [True, False, True]})
    for decimals in (0, 2, 3):
        assert booktabs_table(df, "总指数 2020", "tab:02:x", decimals=decimals) == _styler(df, "总指数 2020", "tab:02:x", decimals)


def test_index_becomes_leading_columns():
    df = pd.DataFrame({"mean": [1.5, 2.25]}, index=pd.Index(["东部", "西部"], name="group"))
    tex = booktabs_table(df, "c", "tab:x", decimals=2, index=True)
    assert "\\begin{tabular}{lr}" in tex and "group & mean \\\\" in tex and "西部 & 2.25 \\\\" in tex


def test_special_characters_are_escaped_so_the_table_compiles():
    assert escape("R&D_share 5% #1 $x {a} ~ ^ \\") == (
        "R\\&D\\_share 5\\% \\#1 \\$x \\{a\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}")
    df = pd.DataFrame({"unit_id": ["u_1"], "R&D": [0.5]})
    tex = booktabs_table(df, "caption_with_underscore", "tab:x", decimals=1)
    assert "u\\_1 & 0.5 \\\\" in tex and "unit\\_id & R\\&D \\\\" in tex and "\\caption{caption\\_with\\_underscore}" in tex
    assert "\\label{tab:x}" in tex  # labels are not text: left as they are


def test_empty_table():
    tex = booktabs_table(pd.DataFrame({"a": pd.Series([], dtype=float)}), "c", "tab:x")
    assert "\\midrule\n\\bottomrule" in tex
