"""Issue 4: the scoring engine, on real published numbers and hand computations."""

import math

import numpy as np
import pandas as pd
import pytest

from dgkit import data, normalise, tiers, weights
from dgkit.aggregate import aggregate
from dgkit.audit import audit
from dgkit.errors import FrameworkError, NormalisationError
from dgkit.framework import load_framework
from dgkit.impute import impute, treat_outliers
from dgkit.pipeline.build import build


# ------------------------------------------------------------------ normalisation
def test_ccid_formulas_at_the_mean():
    X = pd.DataFrame({"c": [1.0, 2.0, 3.0], "i": [10.0, 20.0, 30.0]}, index=list("abc"))
    Z = normalise.ccid(X, {"c": "count", "i": "index"})
    assert Z.loc["b", "c"] == pytest.approx(80 * math.log(2))  # 55.45
    assert Z.loc["b", "c"] == pytest.approx(55.45, abs=0.005)
    assert Z.loc["b", "i"] == pytest.approx(80.0)
    assert Z.loc["c", "i"] == pytest.approx(120.0)
    assert Z.loc["a", "c"] == pytest.approx(80 * math.log(1.5))


def test_ccid_zero_or_negative_mean_is_an_error_not_inf():
    X = pd.DataFrame({"c": [0.0, 0.0, 0.0]})
    with pytest.raises(NormalisationError, match="positive base mean"):
        normalise.ccid(X, {"c": "count"}, context=" in 2020")
    with pytest.raises(NormalisationError, match="in 2020"):
        normalise.ccid(pd.DataFrame({"c": [-1.0, -2.0]}), {"c": "index"}, context=" in 2020")


def test_negative_indicators_for_every_method():
    X = pd.DataFrame({"x": [1.0, 2.0, 4.0]}, index=list("abc"))
    for m in ("minmax", "zscore", "zscore_minmax", "rank"):
        Z = normalise.normalise(X, m, directions={"x": -1})
        assert Z["x"].idxmax() == "a" and Z["x"].idxmin() == "c", m
    Z = normalise.normalise(X, "ccid", types={"x": "index"}, directions={"x": -1})
    assert Z["x"].idxmax() == "a" and (Z["x"] > 0).all()
    Z = normalise.normalise(X, "target", targets={"x": 4.0}, directions={"x": -1})
    assert Z["x"].idxmax() == "a"


def test_minmax_zscore_and_egdi_convention():
    X = pd.DataFrame({"x": [2.0, 4.0, 6.0, 8.0]})
    assert normalise.minmax(X)["x"].tolist() == [0, 100 / 3, 200 / 3, 100]
    z0 = normalise.zscore(X)["x"]
    assert z0.std(ddof=0) == pytest.approx(1)
    assert normalise.zscore(X, ddof=1)["x"].std(ddof=1) == pytest.approx(1)
    zm = normalise.zscore_minmax(X)["x"]
    assert zm.min() == 0 and zm.max() == 1
    with pytest.raises(NormalisationError, match="constant"):
        normalise.minmax(pd.DataFrame({"x": [3.0, 3.0]}))


def test_fixed_base_year_vs_per_year():
    panel = pd.DataFrame({"unit_id": ["a", "b", "a", "b"], "year": [2019, 2019, 2020, 2020], "x": [1.0, 3.0, 2.0, 6.0]})
    fw = load_framework({"name": "t", "pillars": [{"code": "P", "name": "P", "weight": 1}],
                         "indicators": [{"code": "x", "name": "x", "parent": "P", "type": "index"}]})
    per = build(panel, fw)
    fixed = build(panel, fw, base="base_period", base_period=2019)
    # per-year base: each year's mean scores 80 → no growth visible
    assert per.index.groupby(level="period").mean().tolist() == pytest.approx([80, 80])
    # fixed base: 2020's doubling shows up
    assert fixed.index.groupby(level="period").mean().tolist() == pytest.approx([80, 160])


# ------------------------------------------------------------------ weights
def test_entropy_weights_against_a_hand_computation():
    X = pd.DataFrame({"a": [1.0, 1.0, 1.0, 1.0], "b": [0.0, 0.0, 0.0, 1.0]})
    w = weights.entropy(X)
    # a: uniform → e = 1, d = 0; b: all mass on one unit → e = 0, d = 1
    assert w["a"] == pytest.approx(0) and w["b"] == pytest.approx(1)
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 1.0, 2.0]})
    p = np.array([1, 2, 3]) / 6
    ea = -(p * np.log(p)).sum() / np.log(3)
    q = np.array([1, 1, 2]) / 4
    eb = -(q * np.log(q)).sum() / np.log(3)
    expect = np.array([1 - ea, 1 - eb]) / ((1 - ea) + (1 - eb))
    assert weights.entropy(X).to_numpy() == pytest.approx(expect)
    with pytest.raises(ValueError):
        weights.entropy(pd.DataFrame({"a": [-1.0, 1.0]}))


def test_critic_weights_against_a_hand_computation():
    X = pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [0.0, 1.0, 0.5], "c": [1.0, 0.0, 0.5]})
    sd = X.std(ddof=1)
    R = X.corr()
    C = sd * (1 - R).sum()
    assert weights.critic(X).to_numpy() == pytest.approx((C / C.sum()).to_numpy())
    assert weights.critic(X).sum() == pytest.approx(1)


def test_pca_weights_sum_to_one_and_favour_the_common_factor():
    rng = np.random.default_rng(0)
    f = rng.normal(size=200)
    X = pd.DataFrame({"a": f + 0.1 * rng.normal(size=200), "b": f + 0.1 * rng.normal(size=200), "c": rng.normal(size=200)})
    w = weights.pca(X)
    assert w.sum() == pytest.approx(1) and w["c"] < 0.05


def test_ahp_weights_and_consistency_ratio():
    perfect = np.array([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    r = weights.ahp(perfect, ["a", "b", "c"])
    assert r.weights.to_numpy() == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert r.cr == pytest.approx(0, abs=1e-9) and r.consistent
    bad = np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    rb = weights.ahp(bad)
    assert rb.cr > 0.1 and not rb.consistent and "INCONSISTENT" in rb.summary()


def test_implied_weights_recover_known_weights_exactly():
    rng = np.random.default_rng(1)
    S = pd.DataFrame(rng.uniform(30, 90, size=(12, 4)), columns=list("abcd"))
    w_true = np.array([0.4, 0.3, 0.2, 0.1])
    t = pd.Series(S.to_numpy() @ w_true)
    r = weights.implied_weights(S, t)
    assert r.weights.to_numpy() == pytest.approx(w_true, abs=1e-6)
    assert r.max_abs_residual < 1e-6


def test_implied_weights_reproduce_the_ccid_top5_and_the_national_mean():
    top = data.load("ccid_2020_top5")
    S = top.pivot(index="province", columns="pillar", values="score")
    t = top.groupby("province")["total"].first()
    r = weights.implied_weights(S, t)
    assert r.max_abs_residual <= 0.05  # totals printed to one decimal
    means = data.load("ccid_2020_means").set_index("pillar")["mean"]
    implied_mean = float((means[S.columns] * r.weights).sum())
    assert implied_mean == pytest.approx(51.7, abs=0.05)
    # the framework carries these weights
    fw = load_framework("ccid_2020")
    name_to_code = dict(zip(fw.pillars["name"].str.replace("指数", ""), fw.pillars["code"]))
    fw_w = fw.pillar_weights()
    for name, w in r.weights.items():
        assert fw_w[name_to_code[name]] == pytest.approx(w, abs=1e-3)
    # equal weights would not reproduce the totals
    assert (S.mean(axis=1) - t).abs().max() > 1.5


# ------------------------------------------------------------------ aggregation
def test_weighted_arithmetic_and_geometric_means():
    Z = pd.DataFrame({"a": [50.0, 80.0], "b": [100.0, 20.0]})
    w = pd.Series({"a": 0.75, "b": 0.25})
    assert aggregate(Z, w).tolist() == pytest.approx([62.5, 65.0])
    g = aggregate(Z, w, "geometric")
    assert g.iloc[0] == pytest.approx(50**0.75 * 100**0.25)
    Z0 = Z.assign(a=[0.0, 80.0])
    with pytest.raises(NormalisationError, match="zero or negative at 0/a"):
        aggregate(Z0, w, "geometric")
    log = []
    s = aggregate(Z0, w, "geometric", zeros="shift", log=log)
    assert s.iloc[0] > 0 and "shifted" in log[0]


def test_missing_values_renormalise_weights_and_are_logged():
    Z = pd.DataFrame({"a": [50.0, np.nan], "b": [100.0, 20.0]})
    log = []
    s = aggregate(Z, pd.Series({"a": 0.5, "b": 0.5}), log=log)
    assert s.iloc[1] == 20.0 and "missing" in log[0]
    with pytest.raises(NormalisationError):
        aggregate(Z, pd.Series({"a": 0.5, "b": 0.5}), missing="error")


# ------------------------------------------------------------------ tiers
def test_tsinghua_province_thresholds_reconcile_with_the_published_table():
    t = data.tsinghua_provinces().set_index("province")
    computed = tiers.fixed_tiers(t["score"], [70, 65, 60, 50], tiers.TSINGHUA_LABELS)
    assert tiers.reconcile(computed, t["tier_kit"]).empty
    # against the flattened text read naively (labels filled down), every unit that differs is reported
    naive = t["tier_label_in_flat_text"].replace("", np.nan).ffill()
    diff = tiers.reconcile(computed, naive, t["score"])
    assert set(diff["unit"]) == {"山东", "海南", "陕西", "辽宁", "黑龙江", "河北", "甘肃", "西藏", "云南", "新疆", "青海"}
    assert diff.set_index("unit").loc["山东", "computed"] == "优质型"


def test_tsinghua_percentile_rule_gives_the_published_city_tiers():
    t = data.load("tsinghua_2020_city_tiers")
    assert tiers.tier_sizes(101, [0.10, 0.25, 0.45, 0.65]) == [10, 15, 20, 20, 36]
    pseudo = pd.Series(np.arange(101, 0, -1), index=t["city"])  # the published ranking order
    computed = tiers.percentile_tiers(pseudo, [0.10, 0.25, 0.45, 0.65], tiers.TSINGHUA_LABELS)
    assert tiers.reconcile(computed, t.set_index("city")["tier"]).empty


def test_cstc_bands_at_and_around_each_boundary():
    s = pd.Series([100, 95, 94.99, 85, 84.999, 75, 74.9, 60, 59.99, 0])
    got = tiers.fixed_tiers(s, [95, 85, 75, 60], tiers.CSTC_LABELS).tolist()
    assert got == ["卓越", "卓越", "优秀", "优秀", "良好", "良好", "发展", "发展", "起步", "起步"]


def test_five_equal_parts_both_readings_and_natural_breaks():
    s = pd.Series([100, 98, 80, 61, 60, 41, 40, 21, 20, 0], index=list("abcdefghij"), dtype=float)
    by_range = tiers.five_equal_parts(s, "range")
    assert by_range["a"] == "第一梯队" and by_range["j"] == "第五梯队"
    by_count = tiers.five_equal_parts(s, "count")
    assert by_count.value_counts().tolist() == [2, 2, 2, 2, 2]
    nb = tiers.natural_breaks(pd.Series([1, 2, 3, 50, 51, 52, 100, 101], dtype=float), k=3)
    assert nb.iloc[0] == nb.iloc[2] != nb.iloc[3] and nb.iloc[-1] == "第一梯队"


def test_ranks_share_equal_scores_like_the_seeds():
    # 中央党校 2019: 浙江 = 广东 = 96.73 both rank 1; 江苏 = 贵州 = 91.90 both 3, 北京 4 (dense)
    d = data.cpsc_2019().dropna(subset=["overall_index"]).set_index("province")
    r = tiers.rank_scores(d["overall_index"], ties="dense")
    assert r["浙江"] == r["广东"] == 1 and r["上海"] == 2 and r["江苏"] == r["贵州"] == 3 and r["北京"] == 4
    assert tiers.rank_scores(pd.Series([3.0, 3.0, 2.0]), ties="min").tolist() == [1, 1, 3]


# ------------------------------------------------------------------ framework validation
BASE = {"name": "t", "pillars": [{"code": "P", "name": "P", "weight": 0.5}, {"code": "Q", "name": "Q", "weight": 0.5}],
        "indicators": [{"code": "a", "name": "a", "parent": "P"}, {"code": "b", "name": "b", "parent": "Q"}]}


def _with(**kw):
    import copy

    d = copy.deepcopy(BASE)
    for path, val in kw.items():
        kind, i, key = path.split("__")
        d[kind][int(i)][key] = val
    return d


def test_framework_validation_errors():
    with pytest.raises(FrameworkError, match="unknown parent 'X'"):
        load_framework(_with(indicators__0__parent="X"))
    with pytest.raises(FrameworkError, match="off by"):
        load_framework(_with(pillars__0__weight=0.7))
    fw = load_framework(_with(pillars__0__weight=0.7), normalise_weights=True)
    assert fw.pillar_weights().sum() == pytest.approx(1)
    with pytest.raises(FrameworkError, match="direction"):
        load_framework(_with(indicators__0__direction=2))
    with pytest.raises(FrameworkError, match="type"):
        load_framework(_with(indicators__0__type="ratio"))
    cyc = _with()
    cyc["pillars"][0]["parent"] = "Q"
    cyc["pillars"][1]["parent"] = "P"
    with pytest.raises(FrameworkError, match="cycle"):
        load_framework(cyc)
    with pytest.raises(FrameworkError, match="duplicate"):
        load_framework(_with(indicators__1__code="a"))


# ------------------------------------------------------------------ audit, impute, treat
def test_audit_flags():
    X = pd.DataFrame({"ok": np.arange(10.0), "const": np.ones(10), "sparse": [1.0, 2, 3] + [np.nan] * 7,
                      "skewed": [1.0] * 9 + [100.0]})
    a = audit(X)
    assert a.indicators.loc["sparse", "low_coverage"] and a.indicators.loc["const", "zero_variance"]
    assert a.indicators.loc["skewed", "skew_kurt_flag"] and not a.indicators.loc["ok", "skew_kurt_flag"]


def test_imputation_methods_log_every_cell():
    X = pd.DataFrame({"x": [1.0, np.nan, 3.0, 10.0]}, index=list("abcd"))
    out, log = impute(X, "median")
    assert out.loc["b", "x"] == 3.0 and len(log) == 1 and log.iloc[0]["unit"] == "b"
    out, _ = impute(X, "group_mean", groups=pd.Series({"a": "g1", "b": "g1", "c": "g2", "d": "g2"}))
    assert out.loc["b", "x"] == 1.0
    panel = pd.DataFrame({"x": [1.0, np.nan, 3.0]}, index=pd.MultiIndex.from_tuples([("a", 2019), ("a", 2020), ("a", 2021)]))
    assert impute(panel, "interpolate")[0].iloc[1, 0] == 2.0
    assert impute(panel, "carry_forward")[0].iloc[1, 0] == 1.0


def test_outlier_treatment_winsorises_then_logs():
    X = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 200]}, index=list("abcdefghij"))
    out, log = treat_outliers(X)
    assert out.loc["j", "x"] == 9.0 and log.iloc[0]["unit"] == "j"
    heavy = pd.DataFrame({"x": [1.0] * 12 + [1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]})
    out, log = treat_outliers(heavy, winmax=2)
    assert log["step"].str.startswith("log").all() and out["x"].is_monotonic_increasing


# ------------------------------------------------------------------ end to end
def test_ccid_demo_index_end_to_end_and_regen():
    r = build(data.demo_panel())
    assert r.synthetic and "SYNTHETIC" in str(r.summary())
    assert r.periods == [2019, 2020, 2021, 2022, 2023]
    assert r.index.notna().all() and r.pillars.shape == (155, 5)
    assert r.overall_weights.sum() == pytest.approx(1)
    # each unit's contributions add to its index when its data are complete
    complete = r.normalised.notna().all(axis=1)
    assert (r.contributions[complete].sum(axis=1) - r.index[complete]).abs().max() < 1e-9
    # a unit at the cohort mean of every indicator would score Σ w·(80 or 55.45)
    mm = r.regen(normalisation="minmax")
    cmp = r.compare(mm, 2023)
    assert cmp.table["rank_change"].abs().max() >= 1 and cmp.recipe_changes == {"normalise [level 1]": ("ccid (scale=80, fitted per period)", "minmax (lo=0.0, hi=100.0, fitted per period)")}
    assert any("normalisation: minmax" in x for x in mm.log) and any("override: normalisation at level 1 is minmax" in x for x in mm.log)
    t = r.regen(impute="interpolate", treat="winsorise")
    assert len(t.impute_log) == 79 and len(t.treat_log) > 0
    assert (t.treat_log["indicator"] == "INF02").any()  # the planted outlier is treated
    with pytest.raises(NormalisationError, match="540000/2019/SEC01"):  # zero counts score 0 under ln(1 + X/X̄)
        r.regen(aggregation="geometric", impute="median")
    geo = r.regen(aggregation={"method": "geometric", "zeros": "shift"}, impute="median")
    assert geo.contributions.isna().all().all() and any("shifted" in x for x in geo.log)
    loo = r.regen(drop=["INF02"])
    assert "INF02" not in loo.normalised.columns


@pytest.mark.parametrize("seed", range(6))
def test_numpy_class_breaks_equal_mapclassify(seed):
    rng = np.random.default_rng(seed)
    s = pd.Series(np.round(rng.gamma(2.0, 10.0, size=int(rng.integers(8, 60))), 1))
    for k in (3, 4, 5):
        a = tiers.natural_breaks(s, k, engine="numpy")
        b = tiers.natural_breaks(s, k, engine="mapclassify")
        assert a.equals(b), (seed, k)
    assert tiers.five_equal_parts(s, "range", engine="numpy").equals(tiers.five_equal_parts(s, "range", engine="mapclassify"))
    t = data.tsinghua_provinces().set_index("unit_id")["score"]
    assert tiers.natural_breaks(t, 4).equals(tiers.natural_breaks(t, 4, engine="mapclassify"))


def test_framework_from_a_dataframe_and_expert_weights():
    df = pd.DataFrame([
        {"code": "P", "name": "P", "level": "pillar", "weight": 0.5}, {"code": "Q", "name": "Q", "level": "pillar", "weight": 0.5},
        {"code": "a", "name": "a", "level": "indicator", "parent": "P", "type": "count", "direction": 1},
        {"code": "b", "name": "b", "level": "indicator", "parent": "Q", "type": "index", "direction": -1},
    ])
    fw = load_framework(df)
    assert fw.indicator_codes == ["a", "b"] and fw.directions()["b"] == -1
    with pytest.raises(FrameworkError, match="unknown parent"):
        load_framework(df.assign(parent=df["parent"].replace({"Q": "R"})))
    # CCID: each expert distributes 100 points; the weight is the mean score
    scores = pd.DataFrame({"a": [60.0, 40.0, 50.0], "b": [40.0, 60.0, 50.0]}, index=["e1", "e2", "e3"])
    assert weights.expert(scores).to_dict() == {"a": 0.5, "b": 0.5}
    with pytest.raises(ValueError, match="100"):
        weights.expert(scores.assign(a=[70.0, 40.0, 50.0]))
    # weights given as expert points summing to 100 are accepted as they are
    fw100 = load_framework({"name": "t", "pillars": [{"code": "P", "name": "P", "weight": 70}, {"code": "Q", "name": "Q", "weight": 30}],
                            "indicators": [{"code": "a", "name": "a", "parent": "P"}, {"code": "b", "name": "b", "parent": "Q"}]})
    assert fw100.pillar_weights().to_dict() == {"P": 0.7, "Q": 0.3}
