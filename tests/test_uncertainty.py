"""Issue 7: Monte Carlo, Sobol and leave-one-out — known cases, determinism, vectorised = naive."""

import numpy as np
import pandas as pd
import pytest

from dgkit import data, tiers, uncertainty
from dgkit.framework import load_framework
from dgkit.index import build_index


@pytest.fixture(scope="module")
def demo():
    p = data.demo_panel()
    return build_index(p[p["year"] == 2023], impute="median")


def test_zero_weight_noise_reproduces_the_nominal_ranks(demo):
    mc = uncertainty.monte_carlo(demo, 2023, n=64, seed=3, weights="none", keep_scores=True)
    t = mc.table
    assert (t["q05"] == t["nominal"]).all() and (t["q95"] == t["nominal"]).all() and (t["median"] == t["nominal"]).all()
    nominal = demo.index.xs(2023, level="year").reindex(uncertainty.structure(demo).units).to_numpy()
    assert np.allclose(mc.extra["scores"], nominal[:, None])


def test_intervals_contain_the_nominal_rank_and_are_seeded(demo):
    a = uncertainty.monte_carlo(demo, 2023, n=500, seed=11)
    b = uncertainty.monte_carlo(demo, 2023, n=500, seed=11)
    c = uncertainty.monte_carlo(demo, 2023, n=500, seed=12, weights="uniform")
    pd.testing.assert_frame_equal(a.table, b.table)
    for t in (a.table, c.table):
        assert ((t["q05"] <= t["nominal"]) & (t["nominal"] <= t["q95"])).all()
        assert (t["q05"] <= t["median"]).all() and (t["median"] <= t["q95"]).all()
    assert a.facts["mean_interval_width"] > 0


def test_vectorised_equals_naive_rebuild_draw_for_draw(demo):
    n = 8
    mc = uncertainty.monte_carlo(demo, 2023, n=n, seed=5, keep_scores=True)
    fw = demo.framework
    d = {"name": "x", "pillars": fw.pillars.to_dict("records"), "indicators": fw.indicators.to_dict("records")}
    p = data.demo_panel()
    p = p[p["year"] == 2023]
    units = uncertainty.structure(demo).units
    for k in range(n):
        for j, ind in enumerate(d["indicators"]):
            ind["weight"] = float(mc.weights["indicator"][k, j])
        for j, pil in enumerate(d["pillars"]):
            pil["weight"] = float(mc.weights["pillar"][k, j])
        naive = build_index(p, load_framework(d, normalise_weights=True), impute="median").index.xs(2023, level="year").reindex(units)
        assert np.allclose(naive.to_numpy(), mc.extra["scores"][:, k]), k


def test_method_choices_and_tier_retention(demo):
    t0 = tiers.five_equal_parts(demo.index.xs(2023, level="year"), "count")
    mc = uncertainty.monte_carlo(demo, 2023, n=200, seed=2, normalisations=("ccid", "minmax", "rank"),
                                 aggregations=("arithmetic", "geometric"), imputations=("median", "mean"), drop_one=True,
                                 tiers=t0, tier_fn=lambda s: tiers.five_equal_parts(s, "count"))
    assert len(mc.extra["choices"]) == 3 * 2 * 2 * 35
    assert mc.table["tier_kept_share"].between(0, 1).all()
    assert mc.facts["mean_interval_width"] > uncertainty.monte_carlo(demo, 2023, n=200, seed=2).facts["mean_interval_width"]


def test_sobol_total_index_of_a_dominant_input_is_near_one():
    # A single pillar: its weight cannot matter, arithmetic and geometric means of one value agree,
    # so the normalisation is the only input that moves the ranks.
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"unit_id": [f"u{i}" for i in range(30)], "a": rng.lognormal(0, 1.2, 30), "b": rng.normal(50, 10, 30)})
    fw = load_framework({"name": "one", "pillars": [{"code": "P", "name": "P", "weight": 1}],
                         "indicators": [{"code": "a", "name": "a", "parent": "P", "type": "count"},
                                        {"code": "b", "name": "b", "parent": "P", "type": "index"}]})
    res = build_index(X, fw, year=2020)
    so = uncertainty.sobol(res, 2020, n=256, seed=1, normalisations=("ccid", "minmax", "rank", "zscore_minmax"), aggregations=("arithmetic",))
    st = so.table["ST"]
    assert st["normalisation"] > 0.9 and st["w_P"] < 0.05 and st["aggregation"] < 0.05
    assert so.extra["per_unit_ST"].shape == (30, 3)


def test_saltelli_estimator_matches_salib():
    from SALib.analyze import sobol as sa
    from SALib.sample import sobol as ss

    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0, 1]] * 3}
    X = ss.sample(problem, 512, calc_second_order=False, seed=4)
    Y = X[:, 0] + 0.3 * X[:, 1] ** 2 + 0.01 * X[:, 2]
    ref = sa.analyze(problem, Y, calc_second_order=False, seed=4)
    s1, st = uncertainty.saltelli_indices(Y[:, None], 3)
    assert np.allclose(s1[0], ref["S1"]) and np.allclose(st[0], ref["ST"])
    assert st[0, 0] > 0.8


def test_leave_one_out_equals_rebuild_without_the_item(demo):
    loo = uncertainty.leave_one_out(demo, 2023, level="indicator")
    dropped = demo.rebuild(drop_indicators=["INF02"])
    r_fast = loo.extra["per_unit"]["INF02"]
    base = uncertainty.ranks_of(demo.index.xs(2023, level="year").reindex(r_fast.index).to_numpy()[:, None])[:, 0]
    slow = uncertainty.ranks_of(dropped.index.xs(2023, level="year").reindex(r_fast.index).to_numpy()[:, None])[:, 0]
    assert np.array_equal(base + r_fast.to_numpy(), slow)
    lop = uncertainty.leave_one_out(demo, 2023, level="pillar")
    assert set(lop.table.index) == {"INF", "SEC", "SRV", "APP", "DAT"}


def test_compare_two_builds_side_by_side(demo):
    other = demo.rebuild(normalisation="rank")
    c = demo.compare(other, 2023)
    assert list(c.columns) == ["index_a", "index_b", "rank_a", "rank_b", "rank_change"]
    assert (c["rank_change"] == c["rank_b"] - c["rank_a"]).all()


def test_per_unit_sobol_has_confidence_intervals(demo):
    so = uncertainty.sobol(demo, 2023, n=64, seed=2)
    st, conf = so.extra["per_unit_ST"], so.extra["per_unit_ST_conf"]
    assert st.shape == conf.shape == (31, 7) and (conf.to_numpy() >= 0).all()
