"""Spatial weights, Moran's I and LISA: hand formulas, PySAL (esda) and the capitals' geography."""

import numpy as np
import pandas as pd
import pytest

from dgkit.errors import InputError
from dgkit.stats import spatial
from dgkit.stats.result import Missing


def _ring(n: int):
    from libpysal.weights import W

    ids = [f"u{i:02d}" for i in range(n)]
    return W({ids[i]: [ids[(i - 1) % n], ids[(i + 1) % n]] for i in range(n)}, id_order=ids), ids


def test_moran_equals_the_hand_formula_and_esda():
    import esda

    w, ids = _ring(20)
    rng = np.random.default_rng(4)
    y = pd.Series(np.sin(np.arange(20) / 3) + rng.normal(0, 0.2, 20), index=ids)
    r = spatial.moran(y, w, permutations=199, seed=7)
    z = y.to_numpy() - y.mean()
    Wm = np.zeros((20, 20))
    for i in range(20):
        Wm[i, (i - 1) % 20] = Wm[i, (i + 1) % 20] = 0.5  # row-standardised ring
    hand = (20 / Wm.sum()) * (z @ Wm @ z) / (z @ z)
    assert r.facts["I"] == pytest.approx(hand, rel=1e-12)
    assert r.facts["EI"] == pytest.approx(-1 / 19)
    np.random.seed(7)
    m = esda.Moran(y.to_numpy(), w, transformation="r", permutations=199)
    assert r.facts["p"] == pytest.approx(m.p_sim) and r.facts["z"] == pytest.approx(m.z_norm)
    assert r.facts["verdict"] == "@clustered"  # a smooth wave on a ring is clustered
    state = np.random.get_state()[1].copy()
    spatial.moran(y, w, permutations=9, seed=1)
    assert (np.random.get_state()[1] == state).all(), "moran must not change numpy's global random state"


def test_moran_of_a_panel_has_a_row_per_period():
    w, ids = _ring(12)
    rng = np.random.default_rng(2)
    panel = pd.DataFrame(rng.normal(size=(12, 3)), index=ids, columns=[2021, 2022, 2023])
    r = spatial.moran(panel, w, permutations=0)
    assert list(r.table["period"]) == [2021, 2022, 2023]
    single = spatial.moran(panel[2022], w, permutations=0)
    assert r.table.loc[1, "I"] == pytest.approx(single.facts["I"])


def test_lisa_equals_the_hand_formula_and_quadrants():
    w, ids = _ring(10)
    y = pd.Series([5.0, 6, 7, 6, 5, 1, 0, 1, 2, 1], index=ids)
    r = spatial.local_moran(y, w, permutations=99, seed=3)
    z = (y - y.mean()).to_numpy()
    lagz = np.array([(z[(i - 1) % 10] + z[(i + 1) % 10]) / 2 for i in range(10)])
    assert np.allclose(r.table["Ii"], (10 - 1) * z * lagz / (z @ z))  # esda's scaling (n − 1) z_i lag_i / Σ z²
    assert r.table["Ii"].sum() / 10 == pytest.approx(spatial.moran(y, w, permutations=0).facts["I"] * 9 / 10)  # mean I_i = I (n−1)/n
    expect = np.where(z > 0, np.where(lagz > 0, "HH", "HL"), np.where(lagz > 0, "LH", "LL"))
    assert list(r.table["quadrant"]) == list(expect)
    assert set(r.table["cluster"]) <= {"HH", "LL", "LH", "HL", "ns"}


def test_units_without_weights_are_left_out_and_counted():
    w, ids = _ring(10)
    y = pd.Series(np.arange(11.0), index=[*ids, "elsewhere"])
    r = spatial.moran(y, w, permutations=0)
    assert r.facts["n"] == 10 and r.facts["dropped"] == 1 and r.extra["dropped"] == ["elsewhere"]


def test_too_few_units_is_missing():
    w, ids = _ring(10)
    assert isinstance(spatial.moran(pd.Series([1.0, 2, 3], index=ids[:3]), w), Missing)


def test_knn_and_distance_weights_from_the_capitals():
    knn = spatial.province_weights("knn", k=4)
    assert len(knn.id_order) == 31 and set(knn.cardinalities.values()) == {4}
    assert knn.neighbors["110000"][0] == "120000"  # 北京's nearest capital is 天津
    assert "310000" in knn.neighbors["320000"]  # 南京 → 上海 among the four nearest
    cap = spatial.capitals()
    d = spatial._great_circle_km(cap["lon"].to_numpy(), cap["lat"].to_numpy())
    i, j = list(cap.index).index("110000"), list(cap.index).index("310000")
    assert d[i, j] == pytest.approx(1067, abs=15)  # 北京–上海 great-circle distance ≈ 1,067 km
    dist = spatial.province_weights("distance")
    k = dist.neighbors["110000"].index("310000")
    assert dist.weights["110000"][k] == pytest.approx(1 / d[i, j])
    with pytest.raises(InputError, match="knn"):
        spatial.province_weights("knnn")


def test_weights_from_a_table_and_a_matrix():
    t = pd.DataFrame({"unit_id": ["a", "b", "b", "c"], "neighbour_id": ["b", "a", "c", "b"], "weight": [1, 1, 2, 2]})
    w = spatial.weights_from_table(t)
    assert w.neighbors == {"a": ["b"], "b": ["a", "c"], "c": ["b"]} and w.weights["b"] == [1.0, 2.0]
    m = pd.DataFrame([[0, 1, 0], [1, 0, 2], [0, 2, 0]], index=list("abc"), columns=list("abc"))
    w2 = spatial.weights_from_table(m)
    assert w2.neighbors == w.neighbors and w2.weights == w.weights


def _conditional_permutation_p(z: np.ndarray, neighbours: list[np.ndarray], weights: list[np.ndarray], perms: int, seed: int) -> np.ndarray:
    """Anselin's (1995) conditional permutation by hand: unit i keeps its value, its k_i neighbours'
    values are drawn without replacement from the other n − 1 units, perms times; pseudo
    p = (min(#{I* ≥ I}, #{I* ≤ I}) + 1) / (perms + 1), the folded rule of esda's ``p_sim``."""
    rng = np.random.default_rng(seed)
    n = len(z)
    out = np.empty(n)
    for i in range(n):
        others = np.delete(z, i)
        k = len(neighbours[i])
        draws = np.argsort(rng.random((perms, n - 1)), axis=1)[:, :k]  # k distinct others per permutation
        lag = (others[draws] * weights[i]).sum(axis=1)
        I_obs = z[i] * (weights[i] * z[neighbours[i]]).sum()
        I_perm = z[i] * lag
        larger = min((I_perm >= I_obs).sum(), (I_perm <= I_obs).sum())
        out[i] = (larger + 1) / (perms + 1)
    return out


def test_lisa_matches_esda_is_quadrants_and_p_values_in_distribution():
    """I_i and quadrants equal esda's Moran_Local; with 9,999 permutations each pseudo p is within
    Monte Carlo error (|Δp| ≤ 0.02, about four standard errors) of a conditional permutation computed by
    hand. (esda's own permutation p-values need numba to compile for ~16 s per process, and differ draw
    for draw with or without numba, so the p-values are checked against the definition instead.)"""
    import warnings

    import esda
    from libpysal.weights import lat2W

    w0 = lat2W(6, 6)
    ids = [f"c{i:02d}" for i in range(36)]
    w = spatial.weights_from_table(pd.DataFrame([(ids[i], ids[j]) for i in w0.neighbors for j in w0.neighbors[i]],
                                                columns=["unit_id", "neighbour_id"]))
    rng = np.random.default_rng(11)
    y = pd.Series(np.add.outer(np.arange(6), np.arange(6)).ravel() + rng.normal(0, 2, 36), index=ids)
    r = spatial.local_moran(y, w, permutations=9999, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        lm = esda.Moran_Local(y.to_numpy(), w, transformation="r", permutations=0)
    assert np.allclose(r.table["Ii"], lm.Is)
    assert list(r.table["quadrant"]) == [spatial.QUADRANTS[q] for q in lm.q]
    z = (y.to_numpy() - y.mean()) / y.std(ddof=0)
    pos = {u: i for i, u in enumerate(ids)}
    nbrs = [np.array([pos[v] for v in w.neighbors[u]]) for u in ids]
    wts = [np.asarray(w.weights[u], float) / np.sum(w.weights[u]) for u in ids]  # row-standardised
    lag = np.array([(wt * z[nb]).sum() for nb, wt in zip(nbrs, wts, strict=True)])
    assert np.allclose(z * lag * 35 / 36, lm.Is)  # esda's I_i = (n − 1) z_i lag_i / Σz² with z = y − ȳ
    p_hand = _conditional_permutation_p(z, nbrs, wts, 9999, seed=17)
    assert np.max(np.abs(r.table["p_sim"].to_numpy() - p_hand)) <= 0.02
    assert r.table["p_sim"].min() < 0.01  # the gradient makes the corners significant
    again = spatial.local_moran(y, w, permutations=9999, seed=5)
    assert (again.table["p_sim"] == r.table["p_sim"]).all()  # seeded


def test_a_weights_object_keyed_by_numbers_keeps_its_links_when_a_value_is_missing():
    from libpysal.weights import W

    w = W({i: [(i - 1) % 8, (i + 1) % 8] for i in range(8)}, id_order=list(range(8)))
    y = pd.Series([1.0, 2, 3, 4, 4, 3, 2, np.nan], index=range(8))
    r = spatial.moran(y, w, permutations=0)
    wr, ids = _ring(8)
    ref = spatial.moran(pd.Series(y.to_numpy(), index=ids).dropna(), wr, permutations=0)
    assert r.facts["n"] == 7 and np.isfinite(r.facts["I"]) and r.facts["I"] == pytest.approx(ref.facts["I"])


def test_spatial_markov_leaves_out_units_without_neighbours():
    from libpysal.weights import W

    from dgkit.stats import markov

    w, ids = _ring(11)
    neigh = {u: list(w.neighbors[u]) for u in ids}
    neigh["island"] = []
    w2 = W(neigh, id_order=[*ids, "island"], silence_warnings=True)
    rng = np.random.default_rng(2)
    panel = pd.DataFrame(rng.uniform(50, 100, (12, 4)), index=[*ids, "island"], columns=[2020, 2021, 2022, 2023])
    r = markov.spatial_markov(panel, w2, k=3, scheme="quantile")
    assert r.facts["n"] == 11 and r.facts["dropped"] == 1 and "island" not in r.extra["lag_classes"].index


def test_borders_listed_once_count_both_ways():
    w = spatial.weights_from_table(pd.DataFrame({"unit_id": ["a", "b", "c"], "neighbour_id": ["b", "c", "d"]}))
    assert w.neighbors["d"] == ["c"] and sorted(w.neighbors["b"]) == ["a", "c"] and not w.islands
