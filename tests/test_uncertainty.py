"""Uncertainty through the build's recipe: the fast path equals regen draw for draw; known cases."""

import numpy as np
import pandas as pd
import pytest

from dgkit import data, tiers, uncertainty
from dgkit.aggregate import Aggregator
from dgkit.framework import load_framework
from dgkit.pipeline.build import build
from dgkit.pipeline.steps import registry


@pytest.fixture(scope="module")
def demo():
    p = data.demo_panel()
    return build(p[p["year"] == 2023], impute="median")


@pytest.fixture(scope="module")
def demo_panel_base():
    """The whole demo panel, CCID normalisation fitted once on 2019 (the case the old copy got wrong)."""
    return build(data.demo_panel(), impute="interpolate", base="base_period", base_period=2019)


def _nominal(r, y):
    ev = uncertainty.DrawEvaluator(r, y)
    return r.index.xs(y, level="period").reindex(ev.units).to_numpy()


@pytest.mark.parametrize("fixture", ["demo", "demo_panel_base"])
def test_zero_weight_noise_reproduces_the_built_index(fixture, request):
    r = request.getfixturevalue(fixture)
    mc = uncertainty.monte_carlo(r, 2023, n=16, seed=3, weights="none", keep_scores=True)
    t = mc.table
    assert (t["q05"] == t["nominal"]).all() and (t["q95"] == t["nominal"]).all()
    assert np.abs(mc.extra["scores"] - _nominal(r, 2023)[:, None]).max() < 1e-9


def test_intervals_contain_the_nominal_rank_and_are_seeded(demo):
    a = uncertainty.monte_carlo(demo, 2023, n=500, seed=11)
    b = uncertainty.monte_carlo(demo, 2023, n=500, seed=11)
    c = uncertainty.monte_carlo(demo, 2023, n=500, seed=12, weights="uniform")
    pd.testing.assert_frame_equal(a.table, b.table)
    for t in (a.table, c.table):
        assert ((t["q05"] <= t["nominal"]) & (t["nominal"] <= t["q95"])).all()
        assert (t["q05"] <= t["median"]).all() and (t["median"] <= t["q95"]).all()
    assert a.facts["mean_interval_width"] > 0


def _regen_scores(r, mc, y, k):
    units = uncertainty.DrawEvaluator(r, y).units
    nw = mc.weights.iloc[k].dropna().to_dict()
    return r.regen(node_weights=nw).index.xs(y, level="period").reindex(units).to_numpy()


# ------------------------------------------------------------------ the contract of the fast path
def _tree_panel():
    """A four-level tree (indicator → sub-pillar → pillar → index) with an indicator directly under a
    pillar, a single-child node, missing values, and two periods (hand-made, seeded)."""
    rng = np.random.default_rng(42)
    units = [f"u{i:02d}" for i in range(25)]
    rows = []
    for y in (2021, 2022):
        for u in units:
            rows.append({"unit_id": u, "period": y, **{f"x{j}": float(rng.lognormal(1 + 0.1 * (y - 2021), 0.6)) for j in range(7)}})
    X = pd.DataFrame(rows)
    X.loc[[3, 30, 41], "x2"] = np.nan
    X.loc[[7], "x5"] = np.nan
    fw = load_framework({
        "name": "tree",
        "pillars": [{"code": "A", "name": "A", "weight": 0.6}, {"code": "B", "name": "B", "weight": 0.4},
                    {"code": "A1", "name": "A1", "parent": "A", "weight": 0.7}, {"code": "A2", "name": "A2", "parent": "A", "weight": 0.3},
                    {"code": "B1", "name": "B1", "parent": "B", "weight": 0.5}],
        "indicators": [{"code": "x0", "name": "x0", "parent": "A1", "weight": 0.5}, {"code": "x1", "name": "x1", "parent": "A1", "weight": 0.5},
                       {"code": "x2", "name": "x2", "parent": "A2"}, {"code": "x3", "name": "x3", "parent": "B1", "direction": -1},
                       {"code": "x4", "name": "x4", "parent": "B1"}, {"code": "x5", "name": "x5", "parent": "B", "weight": 0.5},
                       {"code": "x6", "name": "x6", "parent": "A1", "weight": 0.0}],
    })
    return X, fw


AGGREGATIONS = [
    "arithmetic", {"method": "geometric", "zeros": "shift"}, {"method": "generalised_mean", "p": 0.5, "zeros": "shift"},
    {"method": "generalised_mean", "p": -1, "zeros": "shift"}, "sum", "topsis",
]


def test_every_registered_aggregation_is_in_the_contract():
    names = {a if isinstance(a, str) else a["method"] for a in AGGREGATIONS} | {"none"}
    assert names == set(registry("aggregate")), "add the new aggregation to AGGREGATIONS"


@pytest.mark.parametrize("agg", AGGREGATIONS, ids=lambda a: a if isinstance(a, str) else "-".join(map(str, a.values())))
@pytest.mark.parametrize("base", ["per_period", "base_period"])
def test_fast_path_equals_regen_draw_for_draw(agg, base):
    X, fw = _tree_panel()
    norm = "minmax" if agg in ("sum", "topsis") else {"method": "minmax", "lo": 1, "hi": 100}
    opts = {"base": base, "base_period": 2021} if base == "base_period" else {}
    # per-level aggregation: `agg` at levels 2 and 3, arithmetic at the index; A2 (one child) passes through
    r = build(X, fw, normalisation=norm, aggregation={2: agg, 3: agg, 4: "arithmetic"}, **opts)
    mc = uncertainty.monte_carlo(r, 2022, n=6, seed=9, weights="dirichlet", alpha=5, keep_scores=True)
    assert mc.extra["path"] == ["vectorised"]
    for k in range(6):
        assert np.allclose(_regen_scores(r, mc, 2022, k), mc.extra["scores"][:, k], rtol=1e-10, atol=1e-10), (agg, base, k)


def test_single_child_node_passes_through():
    X, fw = _tree_panel()
    r = build(X, fw, normalisation="minmax", aggregation={2: "arithmetic", 3: "arithmetic", 4: "arithmetic"})
    r1 = build(X, fw, normalisation="minmax", aggregation={2: "none", 3: "arithmetic", 4: "arithmetic"}, drop=["x0", "x1", "x6", "x3", "x4"])
    # A2 has the single child x2 and B1 is gone: the 'none' step equals the child
    assert np.allclose(r1.scores["A2"].to_numpy(), r.normalised["x2"].to_numpy(), equal_nan=True)


def test_a_recipe_the_fast_path_cannot_follow_replays_with_regen():
    X, fw = _tree_panel()
    r = build(X, fw, normalisation={1: "minmax", 2: "zscore"})
    mc = uncertainty.monte_carlo(r, 2022, n=3, seed=1, keep_scores=True)
    assert mc.extra["path"] == ["regen per draw"]
    for k in range(3):
        assert np.allclose(_regen_scores(r, mc, 2022, k), mc.extra["scores"][:, k])


def test_monte_carlo_with_method_choices_replays_each_choice(demo):
    t0 = tiers.five_equal_parts(demo.index.xs(2023, level="period"), "count")
    mc = uncertainty.monte_carlo(demo, 2023, n=60, seed=2, normalisations=("ccid", "minmax", "rank"),
                                 aggregations=("arithmetic", {"method": "geometric", "zeros": "shift"}), imputations=("median", "mean"),
                                 drop_one=True, tiers=t0, tier_fn=lambda s: tiers.five_equal_parts(s, "count"), keep_scores=True)
    assert len(mc.extra["choices"]) == 3 * 2 * 2 * 35
    assert mc.table["tier_kept_share"].between(0, 1).all()
    assert mc.facts["mean_interval_width"] > uncertainty.monte_carlo(demo, 2023, n=60, seed=2).facts["mean_interval_width"]
    # draw for draw: the first draws replayed by hand from their choice and weights
    units = uncertainty.DrawEvaluator(demo, 2023).units
    for k in range(3):
        nm, ag, im, dr = mc.extra["choices"][mc.extra["pick"][k]]
        ch = {"normalisation": nm, "aggregation": ag, "impute": im, **({"drop": [dr]} if dr else {})}
        s = demo.regen(**ch, node_weights=mc.weights.iloc[k].dropna().to_dict()).index.xs(2023, level="period").reindex(units)
        assert np.allclose(s.to_numpy(), mc.extra["scores"][:, k]), k


def test_dirichlet_draws_have_the_documented_moments():
    # documented: Dirichlet(α·K·w): mean w, Var(w_j) = w_j(1 − w_j)/(α·K + 1)
    w = np.array([0.5, 0.3, 0.2])
    alpha = 10.0
    D = uncertainty.draw_group(w, 200_000, np.random.default_rng(0), "dirichlet", alpha)
    assert np.allclose(D.mean(axis=0), w, atol=2e-3)
    assert np.allclose(D.var(axis=0), w * (1 - w) / (alpha * 3 + 1), rtol=0.03)
    assert "Dirichlet(α·K·w)" in uncertainty.__doc__ and "w_j(1 − w_j)/(α·K + 1)" in uncertainty.__doc__


def test_sobol_total_index_of_a_dominant_input_is_near_one():
    # A single pillar: its weight cannot matter, arithmetic and geometric means of one value agree,
    # so the normalisation is the only input that moves the ranks.
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"unit_id": [f"u{i}" for i in range(30)], "a": rng.lognormal(0, 1.2, 30), "b": rng.normal(50, 10, 30)})
    fw = load_framework({"name": "one", "pillars": [{"code": "P", "name": "P", "weight": 1}],
                         "indicators": [{"code": "a", "name": "a", "parent": "P", "type": "count"},
                                        {"code": "b", "name": "b", "parent": "P", "type": "index"}]})
    res = build(X, fw)
    so = uncertainty.sobol(res, n=256, seed=1, normalisations=("ccid", "minmax", "rank", "zscore_minmax"), aggregations=("arithmetic",))
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


def test_leave_one_out_against_a_hand_rebuild(demo):
    loo = uncertainty.leave_one_out(demo, 2023, level="indicator")
    r_fast = loo.extra["per_unit"]["INF02"]
    # by hand: INF without INF02 is the mean of the other seven normalised INF indicators
    Z = demo.normalised.xs(2023, level="period")
    inf = Z[[f"INF0{i}" for i in (1, 3, 4, 5, 6, 7, 8)]].mean(axis=1)
    P = demo.pillars.xs(2023, level="period").assign(INF=inf)
    s = (P * demo.pillar_weights).sum(axis=1)
    by_hand = s.rank(ascending=False, method="first").astype(int) - demo.index.xs(2023, level="period").rank(ascending=False, method="first").astype(int)
    assert (r_fast.reindex(by_hand.index) == by_hand).all()
    lop = uncertainty.leave_one_out(demo, 2023, level="pillar")
    assert set(lop.table.index) == {"INF", "SEC", "SRV", "APP", "DAT"}


def test_compare_two_builds_side_by_side(demo):
    other = demo.regen(normalisation="rank")
    c = demo.compare(other, 2023)
    assert list(c.table.columns) == ["index_a", "index_b", "rank_a", "rank_b", "rank_change"]
    assert (c.table["rank_change"] == c.table["rank_b"] - c.table["rank_a"]).all()
    assert c.recipe_changes == {"normalise [level 1]": ("ccid (scale=80, fitted per period)", "rank (scale=100.0, fitted per period)")}
    assert "rank" in str(c.summary())


def test_per_unit_sobol_has_confidence_intervals(demo):
    so = uncertainty.sobol(demo, 2023, n=64, seed=2)
    st, conf = so.extra["per_unit_ST"], so.extra["per_unit_ST_conf"]
    assert st.shape == conf.shape == (31, 7) and (conf.to_numpy() >= 0).all()


def test_aggregators_share_one_core():
    # every registered aggregation computes the nominal build and the draws with the same combine()
    for name, cls in registry("aggregate").items():
        assert issubclass(cls, Aggregator) and "combine" in vars(cls), name


def test_sobol_perturbs_imputation_and_the_indicator_set_through_regen():
    p = data.demo_panel()
    r = build(p[p["year"] == 2023], impute="median")
    so = uncertainty.sobol(r, n=16, seed=3, normalisations=("ccid",), aggregations=("arithmetic",), imputations=("median", "mean"),
                           drop_one=True, per_unit=False)
    assert list(so.table.index)[-2:] == ["imputation", "indicator_set"]
    assert so.extra["factors"]["indicator_set"][0] is None and len(so.extra["factors"]["indicator_set"]) == 35
    # a single normalisation and aggregation cannot move the ranks; the indicator set does
    assert so.table.loc["normalisation", "ST"] == 0 and so.table.loc["indicator_set", "ST"] > 0.05


# ------------------------------------------------------------------ regressions found in review
def _two_level(values, **extra):
    X = pd.DataFrame({"unit_id": ["a", "b"] * 2, "period": [2020, 2020, 2021, 2021], **values})
    fw = load_framework({"name": "t", "pillars": [{"code": "P", "name": "P"}, {"code": "S", "name": "S", "parent": "P"}],
                         "indicators": [{"code": "x0", "name": "x0", "parent": "S"}, {"code": "x1", "name": "x1", "parent": "S"},
                                        {"code": "x2", "name": "x2", "parent": "P"}], **extra})
    return X, fw


def test_fast_path_builds_the_base_rows_on_their_own_as_the_build_does():
    X, fw = _two_level({"x0": [-3.0, 5, -8, 10], "x1": [10.0, 5, 100, 10], "x2": [50.0] * 4})
    r = build(X, fw, normalisation="none", aggregation={"method": "geometric", "zeros": "shift"}, base="base_period", base_period=2020)
    mc = uncertainty.monte_carlo(r, 2021, n=4, weights="none", keep_scores=True)
    assert np.allclose(mc.extra["scores"][:, 0], r.index.xs(2021, level="period").to_numpy())


def test_a_users_aggregation_function_falls_back_to_regen_in_monte_carlo():
    X, fw = _two_level({"x0": [1.0, 2, 3, 4], "x1": [4.0, 3, 2, 1], "x2": [2.0, 5, 1, 3]})
    r = build(X, fw, normalisation="minmax", aggregation=lambda Z, w: (Z * w).max(axis=1))
    mc = uncertainty.monte_carlo(r, 2021, n=3, keep_scores=True)
    assert mc.extra["path"] == ["regen per draw"]


def test_leave_one_out_with_fixed_node_weights_and_levels_that_stay_with_their_nodes():
    X, fw = _two_level({"x0": [1.0, 2, 3, 4], "x1": [4.0, 3, 2, 1], "x2": [2.0, 5, 1, 3]})
    r = build(X, fw, normalisation="minmax", node_weights={"x0": 0.8, "x1": 0.2}, aggregation={2: "sum", 3: "arithmetic", 4: "arithmetic"})
    loo = uncertainty.leave_one_out(r, 2021)
    assert set(loo.table.index) == {"x0", "x1", "x2"}
    d = r.regen(drop=["x2"])  # P is left with S alone: S keeps level 2's `sum`, P level 3's arithmetic
    assert d.steps["aggregate"]["S"].name == "sum" and d.steps["aggregate"]["P"].name == "arithmetic"


def test_ties_share_the_best_rank_in_monte_carlo():
    S = np.array([[5.0, 1], [5, 2], [3, 2]])
    assert uncertainty.ranks_of(S).tolist() == [[1, 3], [1, 1], [3, 1]]
