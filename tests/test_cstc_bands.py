"""CSTC 2019 grade bands: member counts per band (cstc_2019_grade_bands) against the grade lists
(cstc_2019_grades_provinces / _cities), and the lists against the slides' own grade lines."""

import os
from pathlib import Path

import pandas as pd
import pytest

from dgkit import data, fidelity, tiers

ROOT = Path(__file__).resolve().parents[1]
SEED_NAME = "002_9ee7ba6547a00820.txt"
BANDS = ["卓越", "优秀", "良好", "发展", "起步"]
LEVELS = {"province": ("省级政府服务能力", "members_province"), "city": ("重要城市政府服务能力", "members_city")}

# The two grade tables of the slides (PART 2), verbatim from the seed's flat text (tab-separated).
SEED_GRADE_TABLES = {
    "province": """省级政府服务能力

档次\t名称
卓越 [95,100)\t无
优秀 [85,95)\t北京市 上海市 浙江省 福建省 广东省 四川省 贵州省
良好 [75,85)\t江苏省 安徽省 江西省 山东省 湖北省 湖南省 广西壮族自治区 海南省
发展 [60,75)\t天津市 河北省 山西省 内蒙古自治区 辽宁省 吉林省 河南省 重庆市 云南省 陕西省 宁夏回族自治区
起步 [0,60)\t黑龙江省 西藏自治区 甘肃省 青海省 新疆维吾尔自治区 新疆生产建设兵团
""",
    "city": """重要城市政府服务能力

档次\t名称
卓越 [95,100)\t无
优秀 [85,95)\t福州市 厦门市 青岛市 长沙市 广州市 深圳市 成都市 贵阳市
良好 [75,85)\t太原市 哈尔滨市 南京市 杭州市 宁波市 合肥市 南昌市 济南市 武汉市 南宁市 银川市
发展 [60,75)\t石家庄市 沈阳市 大连市 郑州市 海口市 昆明市 西安市
起步 [0,60)\t呼和浩特市 长春市 拉萨市 兰州市 西宁市 乌鲁木齐市
""",
}


def _seed_path() -> Path | None:
    for base in (os.environ.get("DGKIT_SEEDS"), ROOT.parent / "shared" / "seeds"):
        if base and (Path(base) / SEED_NAME).exists():
            return Path(base) / SEED_NAME
    return None


def parse_grade_table(text: str) -> dict[str, dict]:
    """{grade: {"lower", "upper", "names"}} from the slide's flat table ("优秀 [85,95)<TAB>北京市 上海市 …")."""
    out = {}
    for line in text.splitlines():
        head, sep, names = line.partition("\t")
        grade, _, bounds = head.partition(" ")
        if not sep or grade not in BANDS:
            continue
        lo, hi = bounds.strip("[)").split(",")
        members = [] if names.strip() == "无" else names.split()
        out[grade] = {"lower": int(lo), "upper": int(hi), "names": members}
    return out


PRINTED = {level: parse_grade_table(text) for level, text in SEED_GRADE_TABLES.items()}


def test_the_embedded_grade_tables_are_the_seeds_text():
    p = _seed_path()
    if p is None:
        pytest.skip("the seed reports are not on this machine (set DGKIT_SEEDS)")
    seed = p.read_text(encoding="utf-8")
    for level, text in SEED_GRADE_TABLES.items():
        assert text in seed, level
        table = seed.split(LEVELS[level][0] + "\n\n", 1)[1].split("\n\n", 1)[0]  # from 档次 to the blank line
        assert parse_grade_table(table) == PRINTED[level]


def test_the_printed_tables_have_five_bands_and_32_units():
    for level, bands in PRINTED.items():
        assert list(bands) == BANDS, level
        assert sum(len(b["names"]) for b in bands.values()) == 32, level
    # the counts the slides print by listing names: 优秀 7/8, 良好 8/11, 发展 11/7, 起步 6/6, 卓越 无
    counts = {g: (len(PRINTED["province"][g]["names"]), len(PRINTED["city"][g]["names"])) for g in BANDS}
    assert counts == {"卓越": (0, 0), "优秀": (7, 8), "良好": (8, 11), "发展": (11, 7), "起步": (6, 6)}


@pytest.mark.parametrize("level", list(LEVELS))
def test_band_member_counts_equal_the_grade_lists_and_the_print(level):
    bands = data.load("cstc_2019_grade_bands").set_index("grade")
    grades = data.cstc_grades(level)
    from_list = grades["grade"].value_counts().reindex(BANDS, fill_value=0)
    column = LEVELS[level][1]
    for g in BANDS:
        printed = len(PRINTED[level][g]["names"])
        assert bands.loc[g, column] == from_list[g] == printed, (level, g, bands.loc[g, column], from_list[g], printed)
    assert bands[column].sum() == len(grades) == 32


@pytest.mark.parametrize("level", list(LEVELS))
def test_grade_lists_have_the_printed_members_in_the_printed_order(level):
    grades = data.cstc_grades(level)
    for g in BANDS:
        assert grades.loc[grades["grade"] == g, "name_printed"].tolist() == PRINTED[level][g]["names"], (level, g)


def test_band_bounds_agree_with_the_print_and_the_kits_rule():
    bands = data.load("cstc_2019_grade_bands").set_index("grade")
    for level, printed in PRINTED.items():
        for g, b in printed.items():
            assert (bands.loc[g, "lower"], bands.loc[g, "upper"]) == (b["lower"], b["upper"]), (level, g)
        grades = data.cstc_grades(level)
        bounds = grades["grade"].map(bands["lower"]), grades["grade"].map(bands["upper"])
        assert (grades["band_lower"] == bounds[0]).all() and (grades["band_upper"] == bounds[1]).all(), level
        # every unit's band, classified by the kit's fixed tiers (inclusive lower bounds), is its printed grade
        mid = pd.Series((grades["band_lower"] + grades["band_upper"]) / 2)
        ordered = bands.sort_values("lower", ascending=False)
        got = tiers.fixed_tiers(mid, ordered["lower"].tolist()[:-1], ordered.index.tolist())
        assert got.tolist() == grades["grade"].tolist(), level
    assert bands.index.tolist() == tiers.CSTC_LABELS


def test_every_band_count_is_a_registered_claim_with_the_printed_count():
    c = fidelity.claims(["cstc_2019"]).set_index("claim_id")
    slug = {"卓越": "zhuoyue", "优秀": "youxiu", "良好": "lianghao", "发展": "fazhan", "起步": "qibu"}
    for level in LEVELS:
        for g in BANDS:
            row = c.loc[f"cstc_2019.{level}_{slug[g]}_count"]
            assert row["check"] == "cstc_band_count" and row["status"] == "match"
            assert int(row["printed"]) == len(PRINTED[level][g]["names"])
            assert fidelity.agrees(row["printed"], fidelity.recompute(row.to_dict() | {"claim_id": row.name}), "number")
