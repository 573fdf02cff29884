"""Issue 12: one index pipeline — steps, registry, frameworks of any depth, the Build, regen, panels."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import dgkit
from dgkit import data, weights
from dgkit.errors import NormalisationError, StepError
from dgkit.framework import load_framework
from dgkit.pipeline.build import _ensure_steps_registered, build
from dgkit.pipeline.steps import KINDS, Param, Step, available, make_step, register, registry

_ensure_steps_registered()


# ------------------------------------------------------------------ fixtures (hand-made, small)
def _panel():
    """Two periods × 6 units × 3 indicators; x2 is negative (lower is better)."""
    X = pd.DataFrame({
        "unit_id": list("abcdef") * 2,
        "period": [2021] * 6 + [2022] * 6,
        "x0": [1.0, 2, 3, 4, 5, 6, 2, 3, 4, 5, 6, 9],
        "x1": [10.0, 30, 20, 50, 40, 60, 12, 33, 20, 55, 41, 70],
        "x2": [5.0, 4, 3, 2, 1, 3, 4, 4, 2, 2, 1, 1],
    })
    fw = {"name": "small", "pillars": [{"code": "P", "name": "P", "weight": 0.6}, {"code": "Q", "name": "Q", "weight": 0.4}],
          "indicators": [{"code": "x0", "name": "x0", "parent": "P", "type": "count", "target": 8, "lower": 0, "upper": 10},
                         {"code": "x1", "name": "x1", "parent": "P", "type": "index", "target": 60, "lower": 0, "upper": 80},
                         {"code": "x2", "name": "x2", "parent": "Q", "type": "index", "direction": -1, "target": 1, "lower": 0, "upper": 6}]}
    return X, fw


def _fit_context(kind, X):
    if kind == "normalise":
        info = pd.DataFrame({"type": ["count", "index", "index"], "target": [8, 60, 1], "lower": [0, 0, 0], "upper": [10, 80, 6]},
                            index=X.columns)
        return {"directions": pd.Series([1, 1, -1], index=X.columns), "info": info}
    if kind == "impute":
        return {"groupings": lambda name: pd.Series({u: "g1" if u in "abc" else "g2" for u in "abcdef"})}
    return {}


def _step_options(kind, name):
    """Options a step needs to run on the fixture (the default otherwise)."""
    return {("impute", "group_mean"): {"groups": "region"}, ("impute", "group_median"): {"groups": "region"}}.get((kind, name), {})


ALL_STEPS = [(k, n) for k in KINDS for n in available(k)]


def test_every_kind_has_a_registry_with_the_methods_the_issue_asks_for():
    assert {"none", "ccid", "minmax", "zscore", "zscore_minmax", "rank", "target", "goalposts"} <= set(available("normalise"))
    assert {"arithmetic", "geometric", "generalised_mean", "sum", "topsis", "none"} <= set(available("aggregate"))
    assert {"framework", "equal", "entropy", "critic", "pca"} <= set(available("weight"))
    assert {"none", "mean", "median", "group_mean", "carry_forward", "interpolate"} <= set(available("impute"))
    assert {"none", "winsorise"} <= set(available("treat")) and {"standard"} <= set(available("rank"))


@pytest.mark.parametrize(("kind", "name"), ALL_STEPS, ids=[f"{k}-{n}" for k, n in ALL_STEPS])
def test_step_contract(kind, name):
    cls = registry(kind)[name]
    step = cls(**_step_options(kind, name))
    # params round trip: the same step from its params and from its recorded spec
    again = type(step)(**step.get_params())
    assert again.get_params() == step.get_params()
    assert make_step(kind, step.spec()).get_params() == step.get_params()
    # invalid params: an unknown option names itself and the valid ones
    with pytest.raises(StepError, match="has no option 'no_such_option'.*expected (options|no options)"):
        cls(no_such_option=1)
    for opt, p in cls.params.items():
        if p.choices is not None:
            with pytest.raises(StepError, match=f"option {opt}=.*is not valid"):
                cls(**{**_step_options(kind, name), opt: "__bad__"})
    # fit / transform on the fixture
    X, _ = _panel()
    X = X[X.period == 2021].set_index("unit_id")[["x0", "x1", "x2"]]
    ctx = _fit_context(kind, X)
    if kind == "normalise":
        if name == "none":
            with pytest.raises(NormalisationError, match="cannot orient the negative"):
                step.fit(X, **ctx)
            ctx["directions"] = pd.Series(1, index=X.columns)
        Z = step.fit(X, **ctx).transform(X, **ctx)
        assert Z.shape == X.shape and list(Z.index) == list(X.index)
        assert (name == "none") == (step.fitted_ == {}), "a normaliser keeps what it fitted"
    elif kind in ("impute", "treat"):
        Xm = _panel()[0].set_index(["unit_id", "period"]) if getattr(step, "panel", False) else X.copy()
        Xm.iloc[1, 0] = np.nan
        out = step.fit(Xm, **ctx).transform(Xm)
        assert out.shape == Xm.shape
        if kind == "impute" and name != "none":
            assert out.notna().all().all()
    elif kind == "weight":
        w = step.fit(X, nominal=pd.Series([0.2, 0.3, 0.5], index=X.columns)).transform(X)
        assert w.sum() == pytest.approx(1) and (w >= 0).all() and list(w.index) == list(X.columns)
    elif kind == "aggregate":
        if name == "none":
            with pytest.raises(NormalisationError, match="exactly one child"):
                step.transform(X, pd.Series(1 / 3, index=X.columns))
            s = step.transform(X[["x0"]], pd.Series([1.0], index=["x0"]))
            assert s.equals(X["x0"].astype(float).rename(None)) or np.allclose(s, X["x0"])
        else:
            s = step.fit(X).transform(X, pd.Series([0.2, 0.3, 0.5], index=X.columns))
            assert len(s) == len(X) and s.notna().all()
    elif kind == "rank":
        r = step.transform(X["x1"])
        assert r.loc["f"] == 1 and r.loc["a"] == 6


# ------------------------------------------------------------------ hand computations of the new methods
def test_none_distance_to_target_and_goalposts_by_hand():
    X, fw = _panel()
    f = load_framework(fw)
    none = build(X, {**fw, "indicators": [{**i, "direction": 1} for i in fw["indicators"]]}, normalisation="none")
    assert none.normalised.equals(none.raw)
    t = build(X, f, normalisation="target")
    a22 = t.normalised.loc[("f", 2022)]
    assert a22["x0"] == 100 and a22["x1"] == 100  # 9/8 and 70/60 capped at 100
    assert t.normalised.loc[("a", 2021), "x1"] == pytest.approx(100 * 10 / 60)
    assert t.normalised.loc[("a", 2021), "x2"] == pytest.approx(100 * 1 / 5)  # negative: target / X
    g = build(X, f, normalisation="goalposts")
    assert g.normalised.loc[("d", 2021), "x1"] == pytest.approx(100 * 50 / 80)
    assert g.normalised.loc[("a", 2021), "x2"] == pytest.approx(100 * (6 - 5) / 6)  # negative: (upper − X)/(upper − lower)


def test_generalised_mean_and_topsis_by_hand():
    Z = pd.DataFrame({"a": [1.0, 4.0, 9.0], "b": [4.0, 1.0, 9.0]}, index=["u", "v", "w"])
    w = pd.Series({"a": 0.25, "b": 0.75})
    harmonic = make_step("aggregate", {"method": "generalised_mean", "p": -1}).transform(Z, w)
    assert harmonic["u"] == pytest.approx(1 / (0.25 / 1 + 0.75 / 4))
    half = make_step("aggregate", {"method": "generalised_mean", "p": 0.5}).transform(Z, w)
    assert half["v"] == pytest.approx((0.25 * 2 + 0.75 * 1) ** 2)
    geo = make_step("aggregate", {"method": "generalised_mean", "p": 0}).transform(Z, w)
    assert geo["u"] == pytest.approx(math.exp(0.25 * math.log(1) + 0.75 * math.log(4)))
    tp = make_step("aggregate", "topsis").transform(Z, w)
    # ideal (9, 9), anti-ideal (1, 1): D± = √Σ (w_j (z_j − z±_j))²
    dp = math.hypot(0.25 * (1 - 9), 0.75 * (4 - 9))
    dm = math.hypot(0.25 * (1 - 1), 0.75 * (4 - 1))
    assert tp["u"] == pytest.approx(dm / (dp + dm)) and tp["w"] == 1.0
    assert make_step("aggregate", "sum").transform(Z, pd.Series({"a": 0.5, "b": 0.5}))["u"] == 5.0


def test_a_users_functions_register_or_pass_directly():
    X, fw = _panel()

    @register("normalise", "share_of_max")
    def share_of_max(X, ref, directions):
        return X / ref.max()

    b = build(X, {**fw, "indicators": [{**i, "direction": 1} for i in fw["indicators"]]}, normalisation="share_of_max",
              aggregation={3: lambda Z, w: Z.max(axis=1)})
    assert b.normalised.loc[("f", 2021), "x1"] == 1.0 and b.normalised.loc[("a", 2022), "x1"] == pytest.approx(12 / 70)
    assert np.allclose(b.index, b.pillars.max(axis=1))
    with pytest.raises(StepError, match="takes 1 required argument"):
        build(X, fw, aggregation=lambda Z: Z.mean(axis=1))

    class Floor(Step):
        kind, name = "treat", "floor"
        params = {"at": Param(0.0)}

        def transform(self, X, **_):
            return X.clip(lower=self.options["at"])

    register("treat")(Floor)
    b2 = build(X, fw, treat={"method": "floor", "at": 2.0})
    assert b2.treated["x0"].min() == 2.0 and "treat:floor" in b2.treat_log["step"].iat[0]


# ------------------------------------------------------------------ frameworks of any depth, declared methods
def test_framework_declared_methods_are_honoured_and_overrides_logged():
    X, fw = _panel()
    declared = {**fw, "normalisation": {"method": "minmax", "hi": 10, "source": "a note"},
                "aggregation": {"indicator_to_pillar": "geometric", "pillar_to_index": "sum"}}
    b = build(X, declared, aggregation={2: {"method": "geometric", "zeros": "shift"}})
    z = b.normalised.xs(2021, level="period")
    assert z["x1"].max() == 10 and z.loc["a", "x2"] == 0  # declared minmax to [0, 10]; x2 reversed (a has the highest x2)
    c = 1 - z[["x0", "x1"]].min().min()
    P = np.exp(0.5 * np.log(z["x0"] + c) + 0.5 * np.log(z["x1"] + c)) - c
    assert np.allclose(b.scores.xs(2021, level="period")["P"], P)
    assert np.allclose(b.index.xs(2021, level="period"), 2 * (0.6 * P + 0.4 * z["x2"]))  # sum of points: Σ w z · k
    assert any("override: aggregation at level 2" in x and "the framework declares geometric" in x for x in b.log)
    with pytest.raises(StepError, match="has no option 'scale'"):
        build(X, {**fw, "normalisation": {"method": "minmax", "scale": 80}})


def test_a_four_level_framework_aggregates_level_by_level():
    X, _ = _panel()
    fw = {"name": "deep", "pillars": [{"code": "T", "name": "T"}, {"code": "M", "name": "M", "parent": "T"}],
          "indicators": [{"code": "x0", "name": "x0", "parent": "M"}, {"code": "x1", "name": "x1", "parent": "M"},
                         {"code": "x2", "name": "x2", "parent": "T", "direction": -1}],
          "aggregation": {"levels": {2: "arithmetic", 3: "geometric", 4: "none"}}}
    f = load_framework(fw)
    assert f.depth == 4 and f.levels == {"x0": 1, "x1": 1, "x2": 1, "M": 2, "T": 3, "index": 4}
    b = build(X, fw, normalisation={"method": "minmax", "lo": 1, "hi": 100})
    z = b.normalised
    M = (z["x0"] + z["x1"]) / 2
    T = np.sqrt(M * z["x2"])
    assert np.allclose(b.scores["M"], M) and np.allclose(b.scores["T"], T) and np.allclose(b.index, T)
    assert b.overall_weights.to_dict() == {"x0": 0.25, "x1": 0.25, "x2": 0.5}


# ------------------------------------------------------------------ panels: a base period for every method
NEEDS_POSITIVE = {"ccid", "target"}


@pytest.mark.parametrize("method", [m for m in available("normalise") if m not in ("none", "share_of_max")])
def test_base_period_is_fitted_once_for_every_normalisation(method):
    X, fw = _panel()
    per = build(X, fw, normalisation=method)
    fixed = build(X, fw, normalisation=method, base="base_period", base_period=2021)
    assert list(fixed.steps["normalise"]) == [(method, 2021)]
    assert any("fitted once on the base period 2021" in x for x in fixed.log)
    # the base period itself is the same either way; a later period uses the base period's fit
    assert np.allclose(fixed.normalised.xs(2021, level="period"), per.normalised.xs(2021, level="period"))
    step = fixed.steps["normalise"][(method, 2021)]
    f = load_framework(fw)
    X22 = X[X.period == 2022].set_index(["unit_id", "period"])[["x0", "x1", "x2"]]
    assert np.allclose(fixed.normalised.xs(2022, level="period", drop_level=False), step.transform(X22, info=f.leaf_info()))
    if method in ("minmax", "zscore", "ccid", "rank", "zscore_minmax", "vector"):  # these move with the cohort
        assert not np.allclose(fixed.normalised.xs(2022, level="period"), per.normalised.xs(2022, level="period"))


def test_base_period_minmax_by_hand():
    X, fw = _panel()
    b = build(X, fw, normalisation="minmax", base="base_period", base_period=2021)
    assert b.normalised.loc[("f", 2022), "x0"] == pytest.approx(100 * (9 - 1) / (6 - 1))  # 160: growth beyond the base range shows
    assert b.fitted("normalise")[("minmax", 2021)]["min"]["x1"] == 10


# ------------------------------------------------------------------ regen, compare, summary
def test_regen_replays_from_the_original_data_and_framework():
    r = build(data.demo_panel(), impute="interpolate")
    dropped = r.regen(drop=["INF02"])
    assert "INF02" not in dropped.normalised.columns and "INF02" in dropped.panel.columns
    undone = dropped.regen(drop=None)
    pd.testing.assert_series_equal(undone.index, r.index)
    again = dropped.regen(drop=[])
    pd.testing.assert_series_equal(again.index, r.index)
    typed = r.regen(types={"INF03": "count"}).regen(types=None)
    pd.testing.assert_series_equal(typed.index, r.index)
    with pytest.raises(StepError, match="no option 'drop_indicators'"):
        r.regen(drop_indicators=["INF02"])


def test_summary_prints_and_renders_as_html_and_latex():
    r = build(data.demo_panel(), "ccid_2020", impute="median")
    s = r.summary()
    text = str(s)
    assert "SYNTHETIC" in text and "normalise [level 1]" in text and "fitted per period" in text and "impute [all]" in text and "median" in text
    html = s.as_html()
    assert html.startswith("<table>") and "ccid" in html and "<details>" in html
    tex = s.as_latex()
    assert r"\begin{tabular}{ll}" in tex and r"ccid\_2020" in tex and "ccid_2020" not in tex  # escaped for LaTeX
    rec = r.recipe()
    assert list(rec["stage"]) == ["impute", "treat", "normalise", "weight", "aggregate", "weight", "aggregate", "rank"]
    assert rec.loc[rec.stage == "weight", "where"].iat[0] == "level 2: INF, SEC, SRV, APP, DAT"


# ------------------------------------------------------------------ the UN EGDI rebuilt from its components
def test_un_egdi_rebuilt_from_osi_hci_tii_equals_the_printed_egdi():
    ds = dgkit.open_dataset("un_egdi")
    periods = [p for p in ds.periods if 2012 <= p <= 2024]
    assert periods == [2012, 2014, 2016, 2018, 2020, 2022, 2024]
    b = build(ds, "un_egdi", periods=periods, normalisation="none", weights="equal")
    printed = ds.values["egdi"].reindex(b.index.index)
    # the UN printed EGDI = 0 for three 2012 countries without online presence (OSI = 0); the dataset flags
    # those rows in its `note` and the kit keeps them as printed — every other row matches
    flagged = ds.references["note"].reindex(b.index.index).str.contains("printed as 0", na=False)
    assert sorted(flagged[flagged].index) == [("CAF", 2012), ("GIN", 2012), ("LBY", 2012)]
    assert (b.index - printed)[~flagged].abs().max() < 1e-4
    assert len(b.index) == 1351
    assert any("'epart'" in x or "epart" in x for x in b.log if "not used" in x)
    # the framework itself declares `none` and equal weights: the same numbers without options
    assert np.allclose(build(ds, "un_egdi", periods=periods).index, b.index)


# ------------------------------------------------------------------ implied weights
def test_implied_weights_of_the_egdi_are_a_third_each_and_stable():
    ds = dgkit.open_dataset("un_egdi")
    v = ds.values.xs(2022, level="period")
    iw = weights.implied_weights(v[["osi", "hci", "tii"]], v["egdi"], n=100)
    assert np.allclose(iw.weights, 1 / 3, atol=1e-3) and iw.rmse < 1e-4
    assert (iw.stability["sd"] < 1e-3).all() and (iw.stability["q05"] <= iw.weights).all()
    j = weights.implied_weights(v[["osi", "hci", "tii"]], v["egdi"], stability="jitter", n=50)
    assert np.allclose(j.weights, 1 / 3, atol=1e-3) and "jitter" in j.summary()


# ------------------------------------------------------------------ properties (hypothesis)
MONOTONE = ["ccid", "minmax", "zscore", "zscore_minmax", "rank", "vector", "goalposts", "target"]


@settings(max_examples=40, deadline=None)
@given(x=arrays(float, st.integers(3, 12), elements=st.floats(0.5, 1e4, allow_nan=False)), method=st.sampled_from(MONOTONE),
       direction=st.sampled_from([1, -1]))
def test_normalisation_keeps_the_order_and_respects_direction(x, method, direction):
    if np.ptp(x) == 0:
        x = x + np.arange(len(x))
    X = pd.DataFrame({"x": x})
    info = pd.DataFrame({"type": ["count"], "target": [float(np.median(x))], "lower": [0.0], "upper": [float(x.max()) + 1]}, index=["x"])
    z = make_step("normalise", method).fit(X, directions={"x": direction}, info=info).transform(X, info=info)["x"].to_numpy()
    order = np.argsort(x * direction, kind="stable")
    assert np.all(np.diff(z[order]) >= -1e-9)  # higher (after direction) never scores lower


@settings(max_examples=40, deadline=None)
@given(Z=arrays(float, st.tuples(st.integers(2, 8), st.integers(1, 5)), elements=st.floats(0.1, 100, allow_nan=False)),
       method=st.sampled_from(["arithmetic", "geometric", "generalised_mean", "harmonic"]), data_=st.data())
def test_means_lie_between_min_and_max_and_increase_with_each_child(Z, method, data_):
    k = Z.shape[1]
    w = np.array(data_.draw(st.lists(st.floats(0.05, 1), min_size=k, max_size=k)))
    spec = {"method": "generalised_mean", "p": -1.0} if method == "harmonic" else \
        ({"method": "generalised_mean", "p": data_.draw(st.sampled_from([-2.0, 0.5, 2.0, 3.0]))} if method == "generalised_mean" else method)
    step = make_step("aggregate", spec)
    df = pd.DataFrame(Z, columns=[f"c{j}" for j in range(k)])
    ws = pd.Series(w / w.sum(), index=df.columns)
    s = step.transform(df, ws).to_numpy()
    assert np.all(s >= Z.min(axis=1) - 1e-9) and np.all(s <= Z.max(axis=1) + 1e-9)
    j = data_.draw(st.integers(0, k - 1))
    up = df.copy()
    up.iloc[:, j] *= 1.5
    assert np.all(step.transform(up, ws).to_numpy() >= s - 1e-9)
    same = pd.DataFrame(np.repeat(Z[:, :1], k, axis=1), columns=df.columns)
    assert np.allclose(step.transform(same, ws), Z[:, 0])


@settings(max_examples=30, deadline=None)
@given(Z=arrays(float, st.tuples(st.integers(3, 10), st.integers(2, 5)), elements=st.floats(0, 100, allow_nan=False)))
def test_topsis_closeness_is_in_zero_one_and_sum_is_k_times_the_mean(Z):
    from hypothesis import assume

    assume(len(np.unique(Z, axis=0)) > 1)  # every unit identical: closeness 0/0, refused (tests/catalogue_analysis.py S67)
    df = pd.DataFrame(Z, columns=[f"c{j}" for j in range(Z.shape[1])])
    w = pd.Series(1 / Z.shape[1], index=df.columns)
    c = make_step("aggregate", "topsis").transform(df, w).dropna()
    assert ((c >= -1e-12) & (c <= 1 + 1e-12)).all()
    assert np.allclose(make_step("aggregate", "sum").transform(df, w), Z.sum(axis=1))


def test_topsis_with_a_base_period_does_not_punish_passing_the_ideal():
    X, fw = _panel()
    b = build(X, fw, normalisation="minmax", aggregation={2: "topsis"}, base="base_period", base_period=2021)
    # f grows past the 2021 maxima of x0 and x1 (9 > 6, 70 > 60): at the ideal on both children of P
    assert b.scores.loc[("f", 2022), "P"] == 1.0
    per = build(X, fw, normalisation="minmax", aggregation={2: "topsis"})
    assert per.scores.loc[("f", 2022), "P"] == 1.0 and per.scores.loc[("a", 2021), "P"] == 0.0


def test_an_indicator_may_declare_its_own_normalisation():
    X, fw = _panel()
    own = {**fw, "normalisation": "minmax",
           "indicators": [{**fw["indicators"][0], "normalisation": "goalposts"}, *fw["indicators"][1:]]}
    b = build(X, own)
    assert b.normalised.loc[("a", 2021), "x0"] == pytest.approx(10.0)  # goalposts 0–10: (1 − 0)/10
    assert b.normalised.loc[("a", 2021), "x1"] == 0.0  # minmax
    c = build(X, own, normalisation="minmax")
    assert c.normalised.loc[("a", 2021), "x0"] == 0.0 and any("override: normalisation minmax also for x0" in x for x in c.log)


# ------------------------------------------------------------------ regressions found in review
def test_a_partial_level_map_leaves_the_other_levels_and_node_methods_alone():
    X, fw = _panel()
    d = {**fw, "normalisation": "minmax",
         "pillars": [{**fw["pillars"][0], "aggregation": {"method": "geometric", "zeros": "shift"}}, fw["pillars"][1]],
         "indicators": [{**fw["indicators"][0], "normalisation": "goalposts"}, *fw["indicators"][1:]]}
    b = build(X, d, aggregation={3: "sum"}, normalisation={2: "none"})
    assert b.steps["aggregate"]["P"].name == "geometric" and b.steps["aggregate"]["index"].name == "sum"
    assert b.normalised.loc[("a", 2021), "x0"] == pytest.approx(10.0)  # x0 keeps its goalposts


def test_block_options_belong_to_the_block_method_only():
    X, fw = _panel()
    b = build(X, {**fw, "normalisation": {"method": "ccid", "scale": 80, "levels": {2: {"method": "minmax", "hi": 1}}},
                  "aggregation": {"method": "geometric", "zeros": "shift", "pillar_to_index": "arithmetic"}})
    assert b.steps["aggregate"]["index"].name == "arithmetic" and b.steps["aggregate"]["P"].options["zeros"] == "shift"
    assert b.scores["P"].max() == pytest.approx(1.0)  # level 2 re-normalised by minmax to [0, 1]


def test_types_and_other_option_errors_name_the_valid_values():
    X, fw = _panel()
    with pytest.raises(Exception, match="cannot change type of 'x9'.*closest valid"):
        build(X, fw, types={"x9": "count"})
    with pytest.raises(StepError, match="option ddof=True is not valid"):
        make_step("normalise", {"method": "zscore", "ddof": True})
    with pytest.raises(NormalisationError, match="non-negative values"):
        make_step("aggregate", {"method": "generalised_mean", "p": 2}).transform(pd.DataFrame({"a": [-1.0, 2.0], "b": [1.0, 1.0]}), None)
    b = build(X, fw, normalisation="minmax", base="base_period", base_period=2021)
    assert b.regen(base="per_period").base == "per_period"


def test_framework_views_at_depth_four():
    f = load_framework({"name": "d", "pillars": [{"code": "T", "name": "T"}, {"code": "U", "name": "U"},
                                                  {"code": "M", "name": "M", "parent": "T", "weight": 0.7},
                                                  {"code": "N", "name": "N", "parent": "T", "weight": 0.3}],
                        "indicators": [{"code": "x0", "name": "x0", "parent": "M"}, {"code": "x1", "name": "x1", "parent": "N"},
                                       {"code": "x2", "name": "x2", "parent": "U"}]})
    assert f.pillar_weights().to_dict() == {"T": 0.5, "U": 0.5}
    assert f.indicator_weights().to_dict() == {"x0": 1.0, "x1": 1.0, "x2": 1.0}
    assert "M M (level 2, w=0.7000): x0 (1.000)" in f.summary()


def test_percentage_weights_are_exact_and_the_repair_is_in_the_build_log():
    """Weights written 60% / 40% and a direction written 正向 (issue 16): the index equals the hand
    computation with 0.6 / 0.4 (not equal weights), and the build log states both readings."""
    from dgkit.framework import load_framework
    from dgkit.pipeline.build import build

    fw = load_framework({"name": "t", "pillars": [{"code": "P", "name": "P", "weight": "60%"}, {"code": "Q", "name": "Q", "weight": "40%"}],
                         "indicators": [{"code": "a", "name": "a", "parent": "P", "direction": "正向"}, {"code": "b", "name": "b", "parent": "Q"}]})
    X = pd.DataFrame({"unit_id": ["440000", "330000", "110000"], "year": [2020] * 3, "a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]})
    b = build(X, fw, normalisation="minmax", aggregation="arithmetic")
    a_mm, b_mm = np.array([0.0, 50.0, 100.0]), np.array([100.0, 0.0, 50.0])  # min-max to [0, 100] by hand
    got = b.scores["index"].xs(2020, level="period").reindex(["440000", "330000", "110000"]).to_numpy()
    assert np.allclose(got, 0.6 * a_mm + 0.4 * b_mm)
    assert any("60% read as 0.6" in line for line in b.log) and any("'正向' read as +1" in line for line in b.log)
