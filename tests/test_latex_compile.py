"""The LaTeX tables compile: XeLaTeX + xeCJK on report-like tables (Chinese names, unit codes with
``_``, p-values, LaTeX's special characters, a 60-row longtable). Skipped only when xelatex is
missing and .ci/ensure-texlive could not install it."""

import re

import numpy as np
import pandas as pd
import pytest
from latex_helpers import compile_tables, export_labels, pdf_text  # noqa: F401  (export_labels: fixture)

from dgkit.report.tablewriter import write_table

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("export_labels")]

NAMES = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南",
         "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆"]
SOURCE = "国家统计局. 中国统计年鉴 2021 (R&D 经费 ≥ 5%, #表 3-1, ~估算, x^2, C:\\data_raw, {注})"


def _tables(folder, lang="zh"):
    rng = np.random.default_rng(2020)
    lisa = pd.DataFrame({"unit_id": [f"{110000 + 10000 * i}" for i in range(len(NAMES))], "name": NAMES,
                         "value": rng.normal(50, 10, len(NAMES)), "Ii": rng.normal(0, 1, len(NAMES)),
                         "quadrant": rng.choice(["HH", "LL", "HL", "LH"], len(NAMES)), "p_sim": rng.uniform(0.001, 0.5, len(NAMES)),
                         "cluster": ["ns"] * len(NAMES)})
    lisa.loc[0, "p_sim"], lisa.loc[1, "p_sim"], lisa.loc[2, "value"] = 0.0, 2.31e-05, np.nan
    write_table(folder, "13_dynamics__lisa", lisa, headers={"name": "名称", "p_sim": "p_sim (999 次置换)"}, caption="LISA 聚类 & 显著性 (p_sim < 5%)",
                source=SOURCE, lang=lang, decimals=4, chapter="13_dynamics", notes=["注: ~ 表示近似; $ 与 ^ 原样显示"])
    sobol = pd.DataFrame({"input": ["weights_权重", "normalise & impute", "50% trim", "#drop ~one"], "S1": [0.41, 0.22, 0.05, -0.01],
                          "S1_conf": [0.03, 0.02, 0.01, 0.005], "ST": [0.6, 0.3, 0.08, 0.02], "significant": [True, True, False, False]})
    write_table(folder, "10_robustness__sobol", sobol, headers={"input": "不确定性来源 \\ 输入"}, caption="Sobol 指数_S1 与 ST", source=SOURCE,
                lang=lang, decimals=3, chapter="10_robustness")
    n = 60
    adv = pd.DataFrame({"unit": [f"c_{i:04d}" for i in range(n)], "name": [NAMES[i % len(NAMES)] + "县" for i in range(n)],
                        "from": [2019] * n, "to": [2020] * n, "rate": rng.normal(5, 2, n), "rank": np.arange(1.0, n + 1)})
    write_table(folder, "07_progress__advancement", adv, headers={"rate": "推进率 (%)"}, caption="推进率 2019–2020", source=SOURCE,
                lang=lang, chapter="07_progress")
    claims = pd.DataFrame({"claim_id": ["ccid_2020.rank_guangdong"], "statement": ["广东省以总指数75.2居全国榜首, 浙江、山东、福建、北京位列第2-5名 & 其余省份"],
                           "printed": [1], "recomputed": [1], "agrees": [True]})
    write_table(folder, "11_benchmark__published_claims", claims, headers=None, caption="已发表结论核对", source="CCID 2020 第3章", lang=lang,
                chapter="11_benchmark")
    return sorted(folder.glob("*.tex"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_like_tables_compile_with_xelatex(tmp_path, lang):
    paths = _tables(tmp_path / "tables", lang)
    assert len(paths) == 4
    assert "\\begin{longtable}" in (tmp_path / "tables" / "07_progress__advancement.tex").read_text(encoding="utf-8")
    pdf, log = compile_tables(paths, tmp_path)
    assert "Missing character" not in log, re.findall(r"Missing character.*", log)[:5]
    text = pdf_text(pdf)
    if text is not None:  # pdftotext (poppler-utils) present: the Chinese names and the escaped characters reached the PDF
        flat = re.sub(r"\s+", "", text)
        assert "黑龙江" in flat and "内蒙古县" in flat and "110000" in flat and "<0.001" in flat
        assert "R&D经费" in flat and "#表3-1" in flat and "~估算" in flat and "x^2" in flat and "C:\\data_raw" in flat
        assert "c_0059" in flat  # the last row of the 60-row longtable
