"""Issue 13 benchmarks: the Dagum decomposition and Moran's I at county scale, against naive loops.

Targets (printed with the ratios):

* Dagum Gini decomposition of 2,850 units × 7 periods in 4 groups ≤ 1 s;
* global Moran's I with 999 permutations on 2,850 units with kNN (k = 6) weights ≤ 5 s.

"Naive" is the textbook loop in plain Python: every pair of units for Dagum (S_jh = ΣΣ|y_i − y_r|),
every unit's neighbours for each permutation of Moran's I; both are timed on a slice and scaled
(quadratic in n for Dagum, linear in permutations for Moran). Data: dgkit's synthetic county panel
(``dgkit.demo.write_county_panel``), provinces as 4 groups by code; kNN on random coordinates.
Run: ``.venv/bin/python benchmarks/bench_dynamics.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def county_panel() -> pd.DataFrame:
    from dgkit.datasets import open_dataset
    from dgkit.demo import write_county_panel

    with tempfile.TemporaryDirectory() as d:
        path = write_county_panel(Path(d))
        ds = open_dataset(path)
        return ds.panel(ds.measures[0])


def naive_dagum_seconds(y: np.ndarray, g: np.ndarray, m: int = 400) -> float:
    """Seconds of the pairwise loop on ``m`` units, scaled by (n / m)² to n units."""
    ys, gs = y[:m], g[:m]
    t0 = time.perf_counter()
    groups = sorted(set(gs))
    S = {}
    for a in groups:
        for b in groups:
            s = 0.0
            for yi, gi in zip(ys, gs, strict=True):
                if gi != a:
                    continue
                for yr, gr in zip(ys, gs, strict=True):
                    if gr == b:
                        s += abs(yi - yr)
            S[a, b] = s
    return (time.perf_counter() - t0) * (len(y) / m) ** 2


def naive_moran_seconds(z: np.ndarray, neighbours: list[list[int]], permutations: int, m: int = 20) -> float:
    """Seconds of ``m`` permutations of the per-unit neighbour loop, scaled to ``permutations``."""
    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    for _ in range(m):
        zp = list(rng.permutation(z))
        num = 0.0
        for i, nb in enumerate(neighbours):
            num += zp[i] * sum(zp[j] for j in nb) / len(nb)
        _ = num / sum(v * v for v in zp)
    return (time.perf_counter() - t0) * permutations / m


def main() -> None:
    from libpysal.weights import KNN

    from dgkit.stats.dagum import dagum_gini
    from dgkit.stats.spatial import moran

    panel = county_panel()
    groups = pd.Series(np.array(["east", "centre", "west", "northeast"])[panel.index.str[:2].astype(int) % 4], index=panel.index)
    print(f"data: {panel.shape[0]} counties × {panel.shape[1]} periods (SYNTHETIC), {groups.nunique()} groups")

    t0 = time.perf_counter()
    r = dagum_gini(panel, groups)
    t_dagum = time.perf_counter() - t0
    last = panel[panel.columns[-1]].dropna()
    naive = naive_dagum_seconds(last.to_numpy(), groups.reindex(last.index).to_numpy()) * panel.shape[1]
    print(f"Dagum {panel.shape[1]} periods: {t_dagum:.3f} s (target ≤ 1 s) {'OK' if t_dagum <= 1 else 'MISSED'}; "
          f"naive pairwise loop ≈ {naive:.0f} s; ratio naive / dgkit = {naive / t_dagum:,.0f}×  (G {r.G:.4f})")

    rng = np.random.default_rng(1)
    y = last
    coords = rng.uniform(0, 100, (len(y), 2))
    w = KNN.from_array(coords, k=6, ids=list(y.index))
    t0 = time.perf_counter()
    m = moran(y, w, permutations=999, seed=1)
    t_moran = time.perf_counter() - t0
    pos = {u: i for i, u in enumerate(w.id_order)}
    neigh = [[pos[v] for v in w.neighbors[u]] for u in w.id_order]
    z = (y.reindex(w.id_order) - y.mean()).to_numpy()
    naive_m = naive_moran_seconds(z, neigh, 999)
    print(f"Moran's I, 999 permutations, {len(y)} units, kNN k=6: {t_moran:.3f} s (target ≤ 5 s) {'OK' if t_moran <= 5 else 'MISSED'}; "
          f"naive neighbour loop ≈ {naive_m:.1f} s; ratio naive / dgkit = {naive_m / t_moran:,.1f}×  (I {m.facts['I']:.4f})")


if __name__ == "__main__":
    main()
