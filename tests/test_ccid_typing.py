"""Issue 14, point 6 — CCID typing: the count/index types of the 34 CCID indicators against the printed means.

CCID 2020 附录 02 scores a count indicator Z = ln(1 + X/X̄)·80 and an index-type one Z = X/X̄·80, X̄ the mean
of the 31 provinces, and forms each pillar as the weighted mean of its indicators. Over the 31 provinces an
index-type indicator therefore averages exactly 80, a count indicator (X ≥ 0) between 80·ln(1 + n)/n ≈ 8.94
(one province holds everything) and 80·ln 2 ≈ 55.45 (all equal), and a pillar's mean lies between
Σ_index w·80 + Σ_count w·8.94 and Σ_index w·80 + Σ_count w·55.45. These tests compute the bounds with the kit
(dgkit.normalise, dgkit.aggregate, dgkit.build), check them on random data, and set the attainable ranges
against the printed pillar means (data/published/ccid_2020_means.csv): the reading of the types from the
indicator names (``type_by_name`` in data/frameworks/ccid_2020.yaml) cannot produce four of the five printed
means; the framework's typing (every indicator count) can produce all five.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dgkit import aggregate, build, data, fidelity, normalise
from dgkit.framework import load_framework

FW = load_framework("ccid_2020")
UNITS = data.provinces(include_corps=False)["unit_id"].tolist()
N = len(UNITS)
PILLARS = FW.pillar_codes
NAME_TO_CODE = dict(zip(FW.pillars["name"].str.removesuffix("指数"), FW.pillars["code"], strict=True))
PRINTED = data.load("ccid_2020_means").set_index("pillar")["mean"].rename(NAME_TO_CODE).reindex(PILLARS)
HALF = 0.05  # the means are printed to one decimal
BY_NAME = FW.indicators.set_index("code")["type_by_name"]
CONCENTRATED = np.r_[1.0, np.zeros(N - 1)]  # one province holds everything
EQUAL = np.ones(N)


def _count_mean(x: np.ndarray) -> float:
    return float(normalise.ccid(pd.DataFrame({"x": x}), {"x": "count"})["x"].mean())


C_MIN, C_MAX = _count_mean(CONCENTRATED), _count_mean(EQUAL)


def _panel(x: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": UNITS, "year": 2019, **{c: x for c in FW.indicator_codes}})


def _built_range(**options) -> pd.DataFrame:
    """Least and greatest national mean of each pillar over all data, by dgkit.build on the two extreme panels."""
    lo = build(_panel(CONCENTRATED), FW, **options).pillars.mean()
    hi = build(_panel(EQUAL), FW, **options).pillars.mean()
    return pd.DataFrame({"lo": lo, "hi": hi}).reindex(PILLARS)


def _pillar_range(types: dict[str, str], weights: pd.Series) -> tuple[float, float]:
    """The same for one pillar's indicators, by dgkit.normalise.ccid and dgkit.aggregate."""
    out = []
    for x in (CONCENTRATED, EQUAL):
        X = pd.DataFrame({c: x for c in types})
        out.append(float(aggregate.aggregate(normalise.ccid(X, types), weights, "arithmetic").mean()))
    return out[0], out[1]


def _attainable(printed: float, lo: float, hi: float) -> bool:
    """Is some mean in [lo, hi] printed as ``printed`` (rounded to one decimal)?"""
    return lo < printed + HALF and hi >= printed - HALF


# ------------------------------------------------------------------ the bounds, for any data
def test_the_extreme_count_means_are_the_closed_forms():
    assert math.isclose(C_MAX, 80 * math.log(2), rel_tol=1e-12)
    assert math.isclose(C_MIN, 80 * math.log(1 + N) / N, rel_tol=1e-12)
    assert N == 31 and round(C_MIN, 2) == 8.94 and round(C_MAX, 2) == 55.45


@settings(max_examples=80, deadline=None)
@given(x=arrays(float, 31, elements=st.floats(0, 1e6, allow_nan=False)).filter(lambda a: a.sum() > 1e-6))  # a positive mean X̄ (a subnormal sum underflows to 0)
def test_index_type_averages_80_and_a_count_lies_between_the_extremes_for_any_data(x):
    Z = normalise.ccid(pd.DataFrame({"c": x, "i": x}), {"c": "count", "i": "index"})
    assert Z["i"].mean() == pytest.approx(80.0)
    assert C_MIN - 1e-9 <= Z["c"].mean() <= C_MAX + 1e-9


@settings(max_examples=60, deadline=None)
@given(data_=st.data())
def test_a_pillar_mean_lies_in_the_range_its_types_and_weights_allow_for_any_data(data_):
    k = data_.draw(st.integers(1, 8))
    codes = [f"x{j}" for j in range(k)]
    types = dict(zip(codes, data_.draw(st.lists(st.sampled_from(["count", "index"]), min_size=k, max_size=k)), strict=True))
    w = pd.Series(data_.draw(arrays(float, k, elements=st.floats(0.01, 10))), index=codes)
    X = pd.DataFrame(data_.draw(arrays(float, (N, k), elements=st.floats(0, 1e4))), columns=codes)
    X = X.loc[:, X.sum() > 1e-6]  # a positive mean X̄ (a subnormal sum underflows to 0: undefined, and refused)
    if X.empty:
        return
    types, w = {c: types[c] for c in X.columns}, w[X.columns]
    mean = float(aggregate.aggregate(normalise.ccid(X, types), w, "arithmetic").mean())
    lo, hi = _pillar_range(types, w)
    assert lo - 1e-9 <= mean <= hi + 1e-9
    share = w[[c for c in X.columns if types[c] == "index"]].sum() / w.sum()
    assert lo == pytest.approx(80 * share + C_MIN * (1 - share)) and hi == pytest.approx(80 * share + C_MAX * (1 - share))


# ------------------------------------------------------------------ the printed means against the two readings
def test_the_name_reading_cannot_produce_four_of_the_five_printed_pillar_means():
    r = _built_range(types=BY_NAME.to_dict())
    refuted = {p for p in PILLARS if not _attainable(PRINTED[p], r.at[p, "lo"], r.at[p, "hi"])}
    assert refuted == {"SEC", "SRV", "APP", "DAT"}, r.assign(printed=PRINTED)
    # 服务: all eight are index-type by name, so the pillar mean is 80 for every data set
    assert r.at["SRV", "lo"] == pytest.approx(80) and r.at["SRV", "hi"] == pytest.approx(80)
    # 数据 is the narrowest miss: two index-type + two counts at the extreme give 44.47 > 44.45
    assert PRINTED["DAT"] + HALF < r.at["DAT", "lo"] < PRINTED["DAT"] + 2 * HALF


@settings(max_examples=20, deadline=None)
@given(x=arrays(float, (31, 8), elements=st.floats(0.01, 1e4)), w=arrays(float, 8, elements=st.floats(0.01, 10)))
def test_services_under_the_name_reading_average_80_whatever_the_data_and_weights(x, w):
    srv = FW.children("SRV")
    panel = _panel(EQUAL)
    panel[srv] = x
    r = build(panel, FW, types=BY_NAME.to_dict(), node_weights=dict(zip(srv, w / w.sum(), strict=True)))
    mean = float(r.pillars["SRV"].mean())
    assert mean == pytest.approx(80.0)
    assert not _attainable(PRINTED["SRV"], mean, mean)


def test_the_framework_typing_can_produce_every_printed_pillar_mean():
    r = _built_range()
    for p in PILLARS:
        assert _attainable(PRINTED[p], r.at[p, "lo"], r.at[p, "hi"]), (p, PRINTED[p], r.loc[p].tolist())
    # every indicator is a count: the range is [C_MIN, C_MAX] whatever the weights
    assert np.allclose(r["lo"], C_MIN) and np.allclose(r["hi"], C_MAX)


def test_the_printed_means_cap_the_index_type_indicators_and_the_name_reading_exceeds_the_cap():
    """Largest number of index-type indicators (equal weights) a printed mean allows: brute force over k
    against the closed form k ≤ K·(M + 0.05 − C_MIN)/(80 − C_MIN)."""
    caps = {}
    for p in PILLARS:
        members = FW.children(p)
        K = len(members)
        w = pd.Series(1.0 / K, index=members)
        feasible = [k for k in range(K + 1)
                    if _attainable(PRINTED[p], *_pillar_range({c: "index" if j < k else "count" for j, c in enumerate(members)}, w))]
        caps[p] = max(feasible)
        assert feasible == list(range(caps[p] + 1))
        assert caps[p] == math.floor(K * (PRINTED[p] + HALF - C_MIN) / (80 - C_MIN))
    by_name = {p: int((BY_NAME[FW.children(p)] == "index").sum()) for p in PILLARS}
    assert {p for p in PILLARS if by_name[p] > caps[p]} == {"SEC", "SRV", "APP", "DAT"}, (caps, by_name)
    assert all(caps[p] >= 0 for p in PILLARS)  # all-count is always allowed
    # the framework's decisions quote these caps
    quoted = "at most " + ", ".join(str(caps[p]) for p in PILLARS)
    assert quoted in " ".join(" ".join(FW.meta["decisions"]).split()), quoted


def test_real_provincial_counts_are_not_concentrated_enough_for_the_name_reading():
    """Evidence, not proof: the 22 indicators of the NBS provincial table (2019), scored as counts, give count
    means between c_lo and 55.0. If CCID's counts are no more concentrated than the most concentrated of them,
    the cap on index-type indicators tightens, and the name reading fails in all five pillars."""
    nbs = data.load("nbs_digital")
    wide = nbs[nbs["year"] == 2019].pivot(index="province_code", columns="indicator", values="value").dropna(axis=1)
    assert wide.shape == (31, 22)
    c = normalise.ccid(wide, dict.fromkeys(wide.columns, "count")).mean()
    c_lo = float(c.min())
    assert C_MIN < c_lo < c.max() < C_MAX
    # 基础设施建设 by name: 3 index-type of 8, so its 5 counts would have to average at most …
    k_idx = int((BY_NAME[FW.children("INF")] == "index").sum())
    K = len(FW.children("INF"))
    needed = (K * (PRINTED["INF"] + HALF) - 80 * k_idx) / (K - k_idx)
    assert needed < c_lo, (needed, c_lo)
    assert needed < c["域名数"]  # INF01 is this very quantity
    caps = {p: math.floor(len(FW.children(p)) * (PRINTED[p] + HALF - c_lo) / (80 - c_lo)) for p in PILLARS}
    by_name = {p: int((BY_NAME[FW.children(p)] == "index").sum()) for p in PILLARS}
    assert all(by_name[p] > caps[p] for p in PILLARS), (caps, by_name)
    assert caps["DAT"] == 0  # 数据 would have to be all count


def test_every_printed_mean_sits_below_the_count_ceiling_and_the_most_balanced_pillar_closest():
    """Under the all-count reading each pillar mean is 55.45 less a Jensen gap that grows with dispersion:
    all five printed means are below the ceiling, and 服务 ("全国总体发展较为均衡…差异性不是很大") is closest."""
    gap = C_MAX - PRINTED
    assert (gap > 0).all() and (PRINTED > C_MIN).all()
    assert gap.idxmin() == "SRV"


# ------------------------------------------------------------------ the framework and the claims register
def test_the_framework_types_every_indicator_count_and_keeps_the_name_reading():
    ind = FW.indicators.set_index("code")
    assert (ind["type"] == "count").all()
    assert set(ind["type_by_name"]) == {"count", "index"}
    means = data.load("ccid_2020_means").set_index("pillar")["mean"]
    for code, r in ind.iterrows():
        pillar = FW.pillars.set_index("code").at[r["parent"], "name"].removesuffix("指数")
        assert f"{pillar} mean {means[pillar]}" in r["type_source"], code


def test_the_typing_claims_fail_under_the_name_reading(monkeypatch):
    """The register's typing claims (ccid_2020.typing_*) can fail: with the name reading they do for four pillars."""
    from dgkit.fidelity import ccid_2020

    claims = fidelity.claims(["ccid_2020"])
    typing = claims[claims["check"] == "ccid_pillar_mean_feasible"]
    assert len(typing) == 5

    def agreeing() -> set[str]:
        return {r.claim_id for r in typing.itertuples() if fidelity.agrees(r.printed, fidelity.recompute(r._asdict()), r.kind)}

    assert agreeing() == set(typing["claim_id"])
    monkeypatch.setattr(ccid_2020, "_framework", lambda: FW.with_changes(type=BY_NAME.to_dict()))
    assert agreeing() == {"ccid_2020.typing_inf_mean"}
