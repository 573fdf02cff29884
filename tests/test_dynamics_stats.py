"""Dagum Gini, kernel density, panel β-convergence, Markov chains and MCDA against independent oracles:
inequality's Gini, a literal Dagum (1997) double loop, scipy's gaussian_kde, giddy (Markov, Spatial_Markov,
ergodic), statsmodels formulas, and hand computations."""

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
import scipy.stats as ss
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dgkit import data
from dgkit.stats import convergence, dispersion, markov, mcda
from dgkit.stats.dagum import dagum_gini
from dgkit.stats.density import kernel_density
from dgkit.stats.result import Missing


@pytest.fixture(scope="module")
def egdi():
    return data.egdi().pivot(index="country", columns="survey_year", values="egdi").dropna()


# ------------------------------------------------------------------ Dagum Gini
def naive_dagum(y, g):
    """Dagum (1997) literally: double loops; D_jh from d_jh, p_jh (j the richer group)."""
    y, g = list(map(float, y)), list(g)
    n, mu = len(y), sum(y) / len(y)
    labs = sorted(set(g), key=str)
    grp = {j: [v for v, gg in zip(y, g, strict=True) if gg == j] for j in labs}
    nj = {j: len(grp[j]) for j in labs}
    Y = {j: sum(grp[j]) / nj[j] for j in labs}
    p = {j: nj[j] / n for j in labs}
    s = {j: nj[j] * Y[j] / (n * mu) for j in labs}
    Gjj = {}
    for j in labs:
        tot = sum(abs(a - b) for a in grp[j] for b in grp[j])
        Gjj[j] = tot / (2 * nj[j] ** 2 * Y[j]) if Y[j] > 0 else 0.0
    Gjh, Djh, Gnb, Gt = {}, {}, 0.0, 0.0
    for a, b in combinations(labs, 2):
        j, h = (a, b) if Y[a] >= Y[b] else (b, a)
        tot = d = pp = 0.0
        for yj in grp[j]:
            for yh in grp[h]:
                tot += abs(yj - yh)
                if yj > yh:
                    d += yj - yh   # gross economic affluence
                else:
                    pp += yh - yj  # first-order moment of transvariation
        d, pp = d / (nj[j] * nj[h]), pp / (nj[j] * nj[h])
        G = tot / (nj[j] * nj[h] * (Y[j] + Y[h]))
        D = (d - pp) / (d + pp) if d + pp > 0 else 0.0
        key = frozenset((a, b))
        Gjh[key], Djh[key] = G, D
        Gnb += G * (p[j] * s[h] + p[h] * s[j]) * D
        Gt += G * (p[j] * s[h] + p[h] * s[j]) * (1 - D)
    Gall = sum(abs(a - b) for a in y for b in y) / (2 * n**2 * mu)
    return {"G": Gall, "Gw": sum(Gjj[j] * p[j] * s[j] for j in labs), "Gnb": Gnb, "Gt": Gt, "Gjj": Gjj, "Gjh": Gjh, "Djh": Djh}


def check_against_naive(r, y, g):
    nv = naive_dagum(y, g)
    for t in ("G", "Gw", "Gnb", "Gt"):
        assert getattr(r, t) == pytest.approx(nv[t], rel=1e-10, abs=1e-14), t
    assert dict(zip(r.within["group"], r.within["G_jj"], strict=True)) == pytest.approx(nv["Gjj"], rel=1e-10)
    keys = [frozenset(k) for k in zip(r.between["group"], r.between["group2"], strict=True)]
    assert dict(zip(keys, r.between["G_jh"], strict=True)) == pytest.approx(nv["Gjh"], rel=1e-10)
    assert dict(zip(keys, r.between["D_jh"], strict=True)) == pytest.approx(nv["Djh"], rel=1e-10, abs=1e-14)


def test_dagum_hand_example():
    # A = {1, 4}, B = {3, 5}: n = 4, μ = 13/4, Y_A = 5/2, Y_B = 4, p = 1/2 each, s_A = 5/13, s_B = 8/13.
    # |diffs| of all unordered pairs 3,2,4,1,1,2 = 13 → G = 2·13 / (2·16·13/4) = 1/4.
    # G_AA = 2·3 / (2·4·5/2) = 3/10; G_BB = 2·2 / (2·4·4) = 1/8 → Gw = 3/10·1/2·5/13 + 1/8·1/2·8/13 = 5/52.
    # S_AB = 2+4+1+1 = 8 → G_AB = 8 / (2·2·13/2) = 4/13. B − A: 2, 4, −1, 1 → d = 7/4, p = 1/4, D = 3/4.
    # weight p_A s_B + p_B s_A = 1/2 → Gnb = 4/13·1/2·3/4 = 6/52, Gt = 4/13·1/2·1/4 = 2/52; 5 + 6 + 2 = 13/52 = G.
    r = dagum_gini(pd.Series([1.0, 4, 3, 5], index=list("abcd")), pd.Series(list("AABB"), index=list("abcd")))
    assert (r.G, r.Gw, r.Gnb, r.Gt) == pytest.approx((1 / 4, 5 / 52, 6 / 52, 2 / 52), rel=1e-12)
    assert r.within.set_index("group")["G_jj"].to_dict() == pytest.approx({"A": 3 / 10, "B": 1 / 8})
    assert r.between[["G_jh", "D_jh"]].iloc[0].tolist() == pytest.approx([4 / 13, 3 / 4])
    assert r.facts["Gnb_pct"] == pytest.approx(100 * 6 / 13) and r.facts["largest"] == "@dagum_between"


def test_dagum_matches_pysal_gini_and_naive_on_random_and_real_data():
    from inequality.gini import Gini

    rng = np.random.default_rng(7)
    for _ in range(5):
        y = rng.lognormal(0, 0.8, 60)
        g = rng.choice(list("PQRS"), 60)
        r = dagum_gini(pd.Series(y), pd.Series(g))
        assert pytest.approx(Gini(y).g, rel=1e-12) == r.G
        check_against_naive(r, y, g)
    t = data.tsinghua_provinces().set_index("unit_id")["score"]
    belts = data.provinces().set_index("unit_id")["ccid_belt"].reindex(t.index)
    r = dagum_gini(t, belts)
    keep = belts.ne("") & belts.notna()  # a unit without a belt would be left out (the panel test checks that)
    assert r.facts["n"] == keep.sum() == 31 and r.facts["groups"] == 4
    assert pytest.approx(Gini(t[keep].to_numpy()).g, rel=1e-12) == r.G
    check_against_naive(r, t[keep], belts[keep])


def _no_two_zero_groups(vals, grps):
    means = pd.Series(vals).groupby(pd.Series(grps)).mean()
    return (means == 0).sum() < 2


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.floats(0, 1e3, allow_nan=False, allow_subnormal=False)), min_size=3, max_size=40))
def test_dagum_identity_and_naive_property(obs):
    grps, vals = [o[0] for o in obs], [o[1] for o in obs]
    assume(len(set(grps)) >= 2 and sum(vals) > 0 and _no_two_zero_groups(vals, grps))  # the zero-groups case: the hand test below (the naive loop divides by 0 there)
    assume(len(set(vals)) >= 2)  # every value equal: G = 0 and the shares are 0/0, a stated Missing (tests/catalogue_analysis.py)
    r = dagum_gini(pd.Series(vals), pd.Series(grps))
    assert abs(r.Gw + r.Gnb + r.Gt - r.G) < 1e-12
    check_against_naive(r, vals, grps)


def test_dagum_two_all_zero_groups():
    # 0, 0, 1, 2 in A, B, C, C: G = 14 / (2·16·3/4) = 7/12; G_CC = 2/(2·4·3/2) = 1/6, Gw = 1/6·1/2·1 = 1/12;
    # G_AC = G_BC = 3/(2·3/2) = 1 with weight 1/4 and D = 1 → Gnb = 1/2; G_AB is 0 with weight 0.
    r = dagum_gini(pd.Series([0.0, 0, 1, 2]), pd.Series(list("ABCC")))
    assert (r.G, r.Gw, r.Gnb, r.Gt) == pytest.approx((7 / 12, 1 / 12, 1 / 2, 0))


def test_dagum_panel_rows_equal_single_periods_and_too_few_groups():
    rng = np.random.default_rng(3)
    panel = pd.DataFrame(rng.gamma(2, 1, (30, 3)), index=[f"u{i}" for i in range(30)], columns=[2020, 2021, 2022])
    panel.iloc[4, 1] = np.nan
    groups = pd.Series(rng.choice(["E", "C", "W"], 30), index=panel.index)
    groups.iloc[7] = ""
    r = dagum_gini(panel, groups)
    assert list(r.by_period["period"]) == [2020, 2021, 2022]
    for row in r.by_period.itertuples():
        one = dagum_gini(panel[row.period], groups)
        assert (row.G, row.Gw, row.Gnb, row.Gt) == pytest.approx((one.G, one.Gw, one.Gnb, one.Gt), rel=1e-14)
        assert row.n == (29 if row.period != 2021 else 28)
    assert pytest.approx(r.by_period["G"].iloc[-1]) == r.G and r.facts["G_first"] == pytest.approx(r.by_period["G"].iloc[0])
    m = dagum_gini(panel, pd.Series("E", index=panel.index))
    assert isinstance(m, Missing) and m.key == "too_few_groups"
    assert isinstance(dagum_gini(panel[2020] - 5, groups), Missing)


# ------------------------------------------------------------------ kernel density
def test_kernel_density_equals_scipy_and_hand_bandwidths():
    from scipy.stats import gaussian_kde, norm

    rng = np.random.default_rng(11)
    panel = pd.DataFrame({"t0": rng.normal(0, 1, 160), "t1": np.r_[rng.normal(-4, 1, 80), rng.normal(4, 1, 80)]})
    panel.iloc[:10, 0] = np.nan  # n = 150 and 160
    r = kernel_density(panel)
    grid, curves = r.extra["grid"], r.extra["curves"]
    by = r.table.set_index("period")
    for c in panel.columns:
        x = panel[c].dropna().to_numpy()
        n, sd = len(x), x.std(ddof=1)
        f = curves.loc[curves["period"] == c, "density"].to_numpy()
        assert f == pytest.approx(gaussian_kde(x, bw_method="scott")(grid), rel=1e-12)
        assert by.loc[c, "bandwidth"] == pytest.approx(n ** (-1 / 5) * sd, rel=1e-12)
        h = by.loc[c, "bandwidth"]  # f̂(x) = 1/(n h) Σ φ((x − y_i)/h) at one grid point, by hand
        assert f[57] == pytest.approx(norm.pdf((grid[57] - x) / h).sum() / (n * h), rel=1e-10)
        s = kernel_density(panel[[c]], bandwidth="silverman").table["bandwidth"].iloc[0]
        assert s == pytest.approx((n * 3 / 4) ** (-1 / 5) * sd, rel=1e-12)
        assert kernel_density(panel[[c]], bandwidth=0.5).table["bandwidth"].iloc[0] == pytest.approx(0.5 * sd)
    h0, h1 = by["bandwidth"]
    assert grid[0] == pytest.approx(min(panel["t0"].min() - 3 * h0, panel["t1"].min() - 3 * h1))
    assert grid[-1] == pytest.approx(max(panel["t0"].max() + 3 * h0, panel["t1"].max() + 3 * h1))
    assert list(by["peaks"]) == [1, 2] and r.facts["shape"] == "@kde_multi"
    assert abs(by.loc["t0", "main_peak"]) < 0.5 and abs(abs(by.loc["t1", "main_peak"]) - 4) < 0.7
    assert isinstance(kernel_density(pd.Series([1.0, 2.0])), Missing)
    with pytest.raises(ValueError):
        kernel_density(panel, bandwidth="rule-of-thumb")


# ------------------------------------------------------------------ Markov chains
def test_class_cuts_and_ties_go_to_the_lower_class():
    import mapclassify as mc

    rng = np.random.default_rng(5)
    panel = pd.DataFrame(rng.normal(size=(40, 3)), columns=["a", "b", "c"])
    panel.iloc[[1, 9], 1] = np.nan
    q = markov.class_cuts(panel, 4, "quantile")
    for p in panel.columns:
        assert q[p] == pytest.approx(np.quantile(panel[p].dropna(), [0.25, 0.5, 0.75]))
    pooled = np.quantile(panel.to_numpy()[~np.isnan(panel.to_numpy())], [0.25, 0.5, 0.75])
    assert all(np.allclose(c, pooled) for c in markov.class_cuts(panel, 4, "pooled").values())
    v = pd.DataFrame({"x": [1.0, 1.0000001, 2.0, 3.0, 3.5, 0.0, np.nan]})
    cls = markov.classify(v, {"x": np.array([1.0, 2.0, 3.0])})["x"]
    assert cls.iloc[:6].tolist() == mc.UserDefined(v["x"].iloc[:6].to_numpy(), [1, 2, 3, np.inf]).yb.tolist() == [0, 1, 1, 2, 3, 0]
    assert np.isnan(cls.iloc[6])


def test_markov_hand_panel():
    # cut 0.5 (a value of 0.5 is class 0): a 0→1→1, b 0→0→1, c 1→0→1 → counts [[1, 3], [1, 1]],
    # P = [[1/4, 3/4], [1/2, 1/2]], π = (0.4, 0.6) from 3/4 π0 = 1/2 π1.
    panel = pd.DataFrame([[0.2, 0.7, 0.9], [0.5, 0.4, 0.8], [0.9, 0.3, 0.6]], index=list("abc"), columns=[1, 2, 3])
    r = markov.markov_chain(panel, scheme="fixed", cuts=[0.5])
    assert r.extra["counts"].to_numpy().tolist() == [[1, 3], [1, 1]]
    assert r.extra["P"].to_numpy() == pytest.approx(np.array([[0.25, 0.75], [0.5, 0.5]]))
    assert r.extra["steady_state"].to_numpy() == pytest.approx([0.4, 0.6])
    assert (r.facts["up"], r.facts["down"], r.facts["stay"]) == pytest.approx((3 / 6, 1 / 6, 2 / 6))
    assert isinstance(markov.markov_chain(panel[[1]]), Missing)


def test_two_state_steady_state_and_mfpt_by_hand():
    P = np.array([[0.9, 0.1], [0.5, 0.5]])
    assert markov.steady_state(P) == pytest.approx([5 / 6, 1 / 6])
    # leaving state 0 is geometric with p = 0.1 (10 steps), leaving 1 with p = 0.5 (2); recurrence 1/π
    assert markov.mean_first_passage(P) == pytest.approx(np.array([[6 / 5, 10], [2, 6]]))
    T = np.array([[3.0, 1, 0], [0, 0, 0], [1, 1, 2]])
    assert markov.transition_matrix(T) == pytest.approx(np.array([[0.75, 0.25, 0], [0, 1, 0], [0.25, 0.25, 0.5]]))


@pytest.mark.parametrize("scheme", ["quantile", "pooled"])
def test_markov_equals_giddy(egdi, scheme):
    from giddy.ergodic import mfpt
    from giddy.ergodic import steady_state as g_steady
    from giddy.markov import Markov

    r = markov.markov_chain(egdi, k=4, scheme=scheme)
    ids = r.extra["classes"].to_numpy().astype(int)
    g = Markov(ids, classes=np.arange(4), summary=False)
    assert r.extra["counts"].to_numpy() == pytest.approx(g.transitions)
    assert r.extra["P"].to_numpy() == pytest.approx(g.p, rel=1e-12)
    assert r.facts["transitions"] == len(egdi) * 3 and r.facts["ergodic"] == (scheme == "quantile")
    # pooled: C3 is never left downwards, so {C3, C4} is the one recurrent class; π is still unique
    assert r.extra["steady_state"].to_numpy() == pytest.approx(np.ravel(g_steady(g.p)), rel=1e-9, abs=1e-12)
    if scheme == "quantile":
        assert r.extra["mfpt"].to_numpy() == pytest.approx(mfpt(g.p), rel=1e-9)
    else:  # not irreducible: no MFPT (giddy returns inf and ±5e15 artefacts here)
        assert np.isnan(r.extra["mfpt"].to_numpy()).all() and r.extra["steady_state"]["C1"] == pytest.approx(0, abs=1e-12)
    rng = np.random.default_rng(2)
    for _ in range(5):
        P = rng.dirichlet(np.ones(5), 5)
        assert markov.steady_state(P) == pytest.approx(g_steady(P), rel=1e-9)
        assert markov.mean_first_passage(P) == pytest.approx(mfpt(P), rel=1e-9)


def test_spatial_markov_equals_giddy():
    from giddy.markov import Spatial_Markov
    from libpysal.weights import W, lat2W

    base = lat2W(5, 5)
    w = W({f"u{i:02d}": [f"u{j:02d}" for j in base.neighbors[i]] for i in base.neighbors})
    rng = np.random.default_rng(4)
    panel = pd.DataFrame(rng.lognormal(0, 0.5, (26, 6)), index=[*w.id_order, "zz"], columns=range(2015, 2021))
    panel = panel.sample(frac=1, random_state=1)  # a shuffled order and one unit without weights
    r = markov.spatial_markov(panel, w, k=4)
    assert r.facts["dropped"] == 1 and r.extra["dropped"] == ["zz"] and r.facts["n"] == 25
    cuts, lag_cuts = r.extra["cuts"][2015], r.extra["lag_cuts"][2015]
    y = panel.loc[w.id_order].to_numpy()
    assert cuts == pytest.approx(np.quantile(y, [0.25, 0.5, 0.75]))
    wr = W(w.neighbors, id_order=w.id_order)
    wr.transform = "r"  # giddy lags with w as given; dgkit row-standardises
    sm = Spatial_Markov(y, wr, k=4, m=4, fixed=True, cutoffs=list(cuts), lag_cutoffs=list(lag_cuts))
    for lev in range(4):
        assert r.extra["counts"][f"C{lev + 1}"].to_numpy() == pytest.approx(sm.T[lev])
        # giddy leaves an empty row at 0, dgkit puts 1 on its diagonal (giddy's fill_empty_classes=True)
        empty = sm.T[lev].sum(axis=1) == 0
        assert r.extra["P"][f"C{lev + 1}"].to_numpy()[~empty] == pytest.approx(sm.P[lev][~empty], rel=1e-12)
        assert (r.extra["P"][f"C{lev + 1}"].to_numpy()[empty][:, empty] == np.eye(empty.sum())).all()
    assert sum(sm.T[lev].sum() for lev in range(4)) == 25 * 5
    own = Spatial_Markov(y, wr, k=4, m=4, fixed=True)  # giddy's own pooled quantile cut-offs agree too
    assert own.cutoffs == pytest.approx(cuts) and own.lag_cutoffs == pytest.approx(lag_cuts)


# ------------------------------------------------------------------ β-convergence
def _stack(panel):
    """g = ln(y_t+1 / y_t) / Δt years, lnx = ln y_t, one row per unit and step."""
    rows = []
    for a, b in zip(panel.columns, panel.columns[1:], strict=False):
        rows.append(pd.DataFrame({"unit": panel.index, "period": a, "g": np.log(panel[b] / panel[a]) / (b - a), "lnx": np.log(panel[a])}))
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize("kind,formula", [("absolute", "g ~ lnx"), ("conditional", "g ~ lnx + C(unit) + C(period)")])
def test_beta_convergence_equals_statsmodels(egdi, kind, formula):
    import statsmodels.formula.api as smf

    df = _stack(egdi)
    m = smf.ols(formula, df).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(df["unit"])[0]})
    r = convergence.beta_convergence(egdi, kind=kind)
    assert r.facts["beta"] == pytest.approx(m.params["lnx"], rel=1e-9)
    se = m.bse["lnx"]
    if kind == "conditional":  # unit effects nested in the clusters are not counted in K (reghdfe): K = 1 + (T − 1)
        N, k_dummies, K = len(df), m.df_model + 1, 1 + df["period"].nunique() - 1
        se *= np.sqrt((N - k_dummies) / (N - K))
    assert r.facts["se"] == pytest.approx(se, rel=1e-9)
    assert r.facts["p"] == pytest.approx(2 * ss.norm.sf(abs(m.params["lnx"] / se)), rel=1e-6)
    assert r.facts["n_obs"] == len(df) == 3 * len(egdi) and r.facts["periods"] == 4
    if kind == "absolute":
        assert r.table.set_index("term").loc["intercept", "coef"] == pytest.approx(m.params["Intercept"], rel=1e-9)
        assert r.facts["r2"] == pytest.approx(m.rsquared, rel=1e-9)


def test_beta_convergence_synthetic_speed_half_life_and_missing():
    rng = np.random.default_rng(8)
    y = [rng.lognormal(1, 0.8, 60)]
    for _ in range(5):
        y.append(y[-1] ** 0.8 * np.exp(rng.normal(0.05, 0.05, 60)))  # ln y' = 0.8 ln y + e → β ≈ −0.2 a step
    panel = pd.DataFrame(np.column_stack(y), index=[f"u{i}" for i in range(60)], columns=range(2010, 2022, 2))
    r = convergence.beta_convergence(panel)
    b = r.facts["beta"]  # per year over 2-year steps: (0.8 − 1)/2 = −0.1
    assert -0.11 < b < -0.09 and r.facts["p"] < 1e-6 and r.facts["verdict"] == "@converging"
    lam = -np.log(1 + 2 * b) / 2
    assert r.facts["speed"] == pytest.approx(lam) and r.facts["half_life"] == pytest.approx(np.log(2) / lam)
    steps = convergence.beta_convergence(panel.set_axis([f"t{i}" for i in range(6)], axis=1))  # labels: steps of 1
    assert steps.facts["beta"] == pytest.approx(2 * b) and steps.facts["speed"] == pytest.approx(-np.log(1 + 2 * b))
    m = convergence.beta_convergence(panel.iloc[:, :2])
    assert isinstance(m, Missing) and m.key == "too_few_periods"
    assert isinstance(convergence.beta_convergence(panel.iloc[:4]), Missing)
    assert convergence.sigma_convergence is dispersion.sigma_convergence


# ------------------------------------------------------------------ MCDA
X4 = pd.DataFrame({"gdp": [9.0, 7, 6, 3], "users": [95.0, 90, 40, 30], "cost": [2.0, 3, 5, 6]}, index=list("ABCD"))
W4 = {"gdp": 0.5, "users": 0.3, "cost": 0.2}


def hand_topsis(X, w, cost, norm):
    """Hwang & Yoon step by step on lists: normalise, weight, ideal / anti-ideal, distances."""
    n, cols = len(X), list(X.columns)
    C = {}
    r = {}
    for c in cols:
        col = list(X[c])
        if norm == "vector":
            r[c] = [v / sum(u * u for u in col) ** 0.5 for v in col]
        else:
            lo, hi = min(col), max(col)
            r[c] = [(hi - v) / (hi - lo) if c in cost else (v - lo) / (hi - lo) for v in col]
    v = {c: [w[c] * x for x in r[c]] for c in cols}
    if norm == "vector":
        best = {c: min(v[c]) if c in cost else max(v[c]) for c in cols}
        worst = {c: max(v[c]) if c in cost else min(v[c]) for c in cols}
    else:
        best, worst = {c: max(v[c]) for c in cols}, {c: min(v[c]) for c in cols}
    for i in range(n):
        dp = sum((v[c][i] - best[c]) ** 2 for c in cols) ** 0.5
        dm = sum((v[c][i] - worst[c]) ** 2 for c in cols) ** 0.5
        C[X.index[i]] = dm / (dp + dm)
    return C


@pytest.mark.parametrize("norm", ["vector", "minmax"])
def test_topsis_equals_hand_hwang_yoon(norm):
    r = mcda.topsis(X4, weights={"gdp": 5, "users": 3, "cost": 2}, directions={"cost": -1}, normalisation=norm)
    t = r.table.set_index("unit_id")
    assert t["closeness"].to_dict() == pytest.approx(hand_topsis(X4, W4, {"cost"}, norm), rel=1e-12)
    assert t["closeness"].to_numpy() == pytest.approx((t["d_minus"] / (t["d_plus"] + t["d_minus"])).to_numpy(), rel=1e-12)
    # A is best on every criterion (cost lowest) and D worst: C = 1 and 0
    assert (t.loc["A", "closeness"], t.loc["D", "closeness"]) == pytest.approx((1.0, 0.0))
    assert list(r.table["unit_id"]) == ["A", "B", "C", "D"] and list(r.table["rank"]) == [1, 2, 3, 4]


def test_entropy_topsis_weights_and_closeness():
    from dgkit.weights import entropy

    rng = np.random.default_rng(6)
    X = pd.DataFrame(rng.uniform(1, 10, (12, 4)), columns=list("pqrs"), index=[f"u{i}" for i in range(12)])
    r = mcda.entropy_topsis(X, directions={"s": -1})
    R = (X - X.min()) / (X.max() - X.min())
    R["s"] = (X["s"].max() - X["s"]) / (X["s"].max() - X["s"].min())
    assert r.extra["weights"].to_numpy() == pytest.approx(entropy(R).to_numpy(), rel=1e-12)
    e = {}
    for c in R.columns:  # e_j = −1/ln n Σ p ln p, 0 ln 0 = 0
        p = R[c] / R[c].sum()
        e[c] = -sum(v * np.log(v) for v in p if v > 0) / np.log(len(R))
    w = {c: (1 - e[c]) / sum(1 - x for x in e.values()) for c in R.columns}
    assert r.extra["weights"].to_dict() == pytest.approx(w, rel=1e-12)
    hand = hand_topsis(R, w, set(), "minmax")  # R is already in [0, 1] with min 0 and max 1: min-max is the identity
    assert r.table.set_index("unit_id")["closeness"].to_dict() == pytest.approx(hand, rel=1e-12)


def test_coupling_coordination_formulas_and_bands():
    rng = np.random.default_rng(9)
    U = pd.DataFrame(rng.uniform(0.05, 1, (20, 2)), columns=["u1", "u2"], index=[f"r{i}" for i in range(20)])
    t = mcda.coupling_coordination(U).table.set_index("unit_id").loc[U.index]
    assert t["C"].to_numpy() == pytest.approx((2 * np.sqrt(U.u1 * U.u2) / (U.u1 + U.u2)).to_numpy(), rel=1e-12)
    assert t["D"].to_numpy() == pytest.approx(np.sqrt(t["C"] * (U.u1 + U.u2) / 2).to_numpy(), rel=1e-12)
    U3 = pd.DataFrame(rng.uniform(0.05, 1, (10, 3)), columns=list("abc"))
    t3 = mcda.coupling_coordination(U3, weights={"a": 2, "b": 1, "c": 1}).table.set_index("unit_id").loc[U3.index]
    assert t3["C"].to_numpy() == pytest.approx((3 * np.cbrt(U3.prod(axis=1)) / U3.sum(axis=1)).to_numpy(), rel=1e-12)
    assert t3["T"].to_numpy() == pytest.approx((0.5 * U3.a + 0.25 * U3.b + 0.25 * U3.c).to_numpy(), rel=1e-12)
    eq = mcda.coupling_coordination(pd.DataFrame({"a": [0.25, 0.7, 0.0], "b": [0.25, 0.7, 0.4]}, index=["x", "y", "z"]))
    e = eq.table.set_index("unit_id")
    assert e.loc["x", "C"] == 1.0 and e.loc["x", "D"] == 0.5 and e.loc["x", "band"] == "@ccd_barely_coordinated"
    assert e.loc["y", "C"] == pytest.approx(1.0) and e.loc["z", "C"] == 0.0 and e.loc["z", "band"] == "@ccd_extreme_imbalance"
    names = ["extreme_imbalance", "serious_imbalance", "moderate_imbalance", "mild_imbalance", "near_imbalance",
             "barely_coordinated", "primary_coordination", "intermediate_coordination", "good_coordination", "high_quality_coordination"]
    edges = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    for i, lo in enumerate(edges):
        assert mcda.coordination_band(lo) == names[i]
        assert mcda.coordination_band(np.nextafter(edges[i + 1], 0) if i < 9 else 1.0) == names[i]
    assert isinstance(mcda.coupling_coordination(U[["u1"]]), Missing)
    with pytest.raises(ValueError):
        mcda.coupling_coordination(U * 100)


def test_obstacle_degree_hand_and_rows_sum_to_one():
    # min-max: x1 → 0, .5, 1; cost x2 (10, 30, 20) → 1, 0, .5; deviations I = 1 − x': (1, 0), (.5, 1), (0, .5);
    # F I with w = (.6, .4): (.6, 0), (.3, .4), (0, .2) → O = (1, 0), (3/7, 4/7), (0, 1)
    X = pd.DataFrame({"x1": [1.0, 2, 3], "x2": [10.0, 30, 20]}, index=["a", "b", "c"])
    r = mcda.obstacle_degree(X, pd.Series({"x1": 3, "x2": 2}), directions={"x2": -1}, top=1)
    assert r.extra["matrix"].to_numpy() == pytest.approx(np.array([[1, 0], [3 / 7, 4 / 7], [0, 1]]))
    assert r.table.set_index("unit_id")["indicator"].to_dict() == {"a": "x1", "b": "x2", "c": "x2"}
    rng = np.random.default_rng(10)
    Xr = pd.DataFrame(rng.uniform(0, 1, (15, 5)), columns=list("abcde"))
    Om = mcda.obstacle_degree(Xr, pd.Series(rng.uniform(0.1, 1, 5), index=list("abcde"))).extra["matrix"]
    assert Om.sum(axis=1).to_numpy() == pytest.approx(np.ones(15)) and (Om >= 0).all().all()
    # a unit best on every indicator has no deviation: 0/0, reported as a row of zeros (not summing to 1)
    best = mcda.obstacle_degree(X4, pd.Series(W4), directions={"cost": -1}).extra["matrix"]
    assert (best.loc["A"] == 0).all() and best.drop("A").sum(axis=1).to_numpy() == pytest.approx(np.ones(3))
    with pytest.raises(ValueError):
        mcda.obstacle_degree(Xr, pd.Series({"a": 1.0}))


def test_results_state_their_finding_in_zh_and_en_with_n_periods_and_options(egdi):
    r = markov.markov_chain(egdi, k=4, scheme="pooled")
    en, zh = r.text("markov", "en"), r.text("markov", "zh")
    n, first, last = r.facts["n"], str(egdi.columns[0]), str(egdi.columns[-1])
    assert f"{n} units" in en and f"{first}–{last}" in en and "pooled quantiles" in en
    assert f"{n} 个单位" in zh and f"{first}–{last}" in zh and "混合分位数" in zh
    b = convergence.beta_convergence(egdi, "conditional")
    assert "unit and period fixed effects" in b.text("beta_conditional", "en") and "双向固定效应" in b.text("beta_conditional", "zh")


def test_beta_speed_is_stated_only_where_it_is_defined():
    """λ = −ln(1 + βΔt)/Δt needs βΔt > −1: every unit reaching the same level in one step gives
    β = −1 exactly (growth = ln c − ln y), so the speed and half-life are undefined, and said so."""
    from dgkit.stats import convergence

    y0 = pd.Series([10.0, 20.0, 35.0, 50.0, 80.0, 120.0], index=[f"u{i}" for i in range(6)])
    panel = pd.DataFrame({2020: y0, 2021: 60.0, 2022: 60.0})
    r = convergence.beta_convergence(panel, "absolute")
    assert r.facts["beta"] == pytest.approx(-1.0) and r.facts["speed_text"] == "@speed_beta_below_bound"
    assert "无定义" in r.text("beta_absolute", "zh") and "nan" not in r.text("beta_absolute", "en")
    half = pd.DataFrame({2020: y0, 2021: y0 ** 0.5 * 8, 2022: (y0 ** 0.5 * 8) ** 0.5 * 8})  # β = −0.5: λ = ln 2, half-life 1 year
    h = convergence.beta_convergence(half, "absolute")
    assert h.facts["beta"] == pytest.approx(-0.5) and h.facts["half_life"] == pytest.approx(1.0)
    assert h.facts["speed_text"] == "@speed_half_life" and "半衰期 1.0 年" in h.text("beta_absolute", "zh")
