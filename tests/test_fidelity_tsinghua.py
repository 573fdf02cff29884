"""Tsinghua CDG 2020 claims (dgkit/fidelity/tsinghua_2020.py): each kind of recomputation detects a
changed table, so none of them agrees with the print by construction."""

import pandas as pd
import pytest

from dgkit import data, fidelity
from dgkit.fidelity import tsinghua_2020 as T

REAL_LOAD = data.load


def _patch(monkeypatch, name, change):
    def load(n):
        df = REAL_LOAD(n)
        return change(df) if n == name else df

    monkeypatch.setattr(data, "load", load)


def _row(claim_id):
    c = fidelity.claims(["tsinghua_2020"]).set_index("claim_id").loc[f"tsinghua_2020.{claim_id}"]
    return c.to_dict() | {"claim_id": claim_id}


def _agrees(claim_id):
    r = _row(claim_id)
    return fidelity.agrees(r["printed"], fidelity.recompute(r), r["kind"])


def test_tied_printed_scores_keep_their_printed_ranks_but_an_out_of_order_rank_is_caught(monkeypatch):
    assert _agrees("province_rank_hainan") and _agrees("province_rank_hubei")  # 62.4 and 62.4 at 13 and 12
    assert T.tsinghua_province_rank("海南") == 13
    _patch(monkeypatch, "tsinghua_2020_provinces",
           lambda d: d.assign(score=d["score"].where(d["province"] != "海南", 63.6)))  # now above 天津 63.5 (11th)
    assert not _agrees("province_rank_hainan") and T.tsinghua_province_rank("海南") == 11


def test_a_row_that_does_not_add_up_within_rounding_is_caught(monkeypatch):
    assert _agrees("other_total_zhuhai")  # 8.0 + 8.8 + 34.0 + 14.5 = 65.3, printed 65.2
    _patch(monkeypatch, "tsinghua_2020_other_cities",
           lambda d: d.assign(effect=d["effect"].where(d["city"] != "珠海", 14.8)))  # sum 65.6
    assert not _agrees("other_total_zhuhai")


def test_tier_sets_shares_and_orders_follow_the_ranking_order(monkeypatch):
    assert _agrees("city_tier_members_leading") and _agrees("share_fusheng_leading")
    assert not _agrees("city_type_capital_leading_order")  # 表4-3 swaps 贵阳 and 福州

    def swap(d):  # 武汉 (10th) and 南京 (11th) change places
        pos = d.set_index("city")["position_in_list"]
        a, b = pos["武汉"], pos["南京"]
        return d.assign(position_in_list=d["city"].map({"武汉": b, "南京": a}).fillna(d["position_in_list"]).astype(int))

    _patch(monkeypatch, "tsinghua_2020_city_tiers", swap)
    assert not _agrees("city_tier_members_leading")
    assert not _agrees("city_type_fusheng_leading_members")
    assert T.tsinghua_city_type_tier_share("副省级城市", "引领型") == pytest.approx(100 * 8 / 15)  # 南京 for 武汉
    assert T.tsinghua_city_type_tier_share("省会城市", "引领型") == pytest.approx(100 * 5 / 27)


def test_top_n_tallies_use_the_cities_table(monkeypatch):
    assert _agrees("top20_guangdong") and not _agrees("top20_jiangxi")
    _patch(monkeypatch, "cities", lambda d: d.assign(province=d["province"].where(d["city"] != "东营", "江西")))
    assert not _agrees("top20_jiangxi")  # 东营 is 26th: still one 江西 city in the first 20
    _patch(monkeypatch, "cities", lambda d: d.assign(province=d["province"].where(d["city"] != "烟台", "江西")))
    assert _agrees("top20_jiangxi")  # 烟台 (20th) counted for 江西 gives the printed 2


def test_score_bounds_come_from_the_neighbours_in_the_ranking():
    b = T._score_bounds()
    assert (b.at["济南", "lower"], b.at["济南", "upper"]) == (65.2, float("inf"))
    assert (b.at["哈尔滨", "lower"], b.at["哈尔滨", "upper"]) == (54.8, 55.0)
    assert (b.at["珠海", "lower"], b.at["珠海", "upper"]) == (65.2, 65.2)
    assert isinstance(b, pd.DataFrame) and len(b) == 101


def test_every_inconsistency_is_explained_and_none_is_unexpected():
    res = fidelity.verify(["tsinghua_2020"])
    assert res.facts["n_unexpected"] == 0
    bad = res.table[~res.table["agrees"]]
    assert (bad["status"] == "inconsistent").all() and bad["explanation"].str.len().gt(40).all()
