"""P2 (issues 7, 12): Monte Carlo on the shared recipe vs the naive regen loop and vs a bare numpy floor.

P2a: 10,000 weight draws, 31 units × 34 indicators (the CCID demo, 2023): dgkit's monte_carlo (the
     vectorised fast path of the build's own aggregation steps) vs the naive way — one
     ``result.regen(node_weights=…)`` per draw, the whole recipe replayed. The naive time is
     measured on ``--naive-draws`` draws and scaled to 10,000 (linear in the draws by
     construction); target ≥ 100× faster.
P2b: 10,000 weight draws, 2,850 units (county scale) × 50 indicators in 5 pillars (SYNTHETIC random
     data made here, not saved), built with dgkit.build: monte_carlo vs the floor of one numpy
     matrix product of the same shape plus an argsort; target ≤ 3× the floor, peak memory ≤ 1 GiB
     (tracemalloc; numpy reports to it).
Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_uncertainty.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dgkit import data, uncertainty  # noqa: E402
from dgkit.framework import load_framework  # noqa: E402
from dgkit.pipeline.build import build  # noqa: E402

DRAWS = 10_000


def p2a(naive_draws: int) -> None:
    panel = data.demo_panel()
    panel = panel[panel["year"] == 2023]
    res = build(panel)
    t0 = time.perf_counter()
    mc = uncertainty.monte_carlo(res, 2023, n=DRAWS, seed=1)
    fast = time.perf_counter() - t0
    # naive: the whole recipe replayed once per draw with the drawn weights
    t0 = time.perf_counter()
    for k in range(naive_draws):
        _ = res.regen(node_weights=mc.weights.iloc[k].dropna().to_dict()).ranks
    naive = (time.perf_counter() - t0) / naive_draws * DRAWS
    print(f"P2a  31 × 34, {DRAWS} draws: dgkit {fast:.3f} s; naive regen loop {naive:.1f} s "
          f"(measured on {naive_draws} draws, scaled); speed-up {naive / fast:,.0f}×  (target ≥ 100×) {'OK' if naive / fast >= 100 else 'MISSED'}")


def p2b() -> None:
    rng = np.random.default_rng(7)
    n_units, n_ind, n_pil = 2850, 50, 5
    ind = [{"code": f"I{j:02d}", "name": f"I{j:02d}", "parent": f"P{j // 10}", "type": "index"} for j in range(n_ind)]
    pil = [{"code": f"P{p}", "name": f"P{p}", "weight": 1 / n_pil} for p in range(n_pil)]
    fw = load_framework({"name": "county_synthetic", "pillars": pil, "indicators": ind})
    X = pd.DataFrame(rng.lognormal(3, 0.5, size=(n_units, n_ind)), columns=[i["code"] for i in ind])
    X.insert(0, "unit_id", [f"C{i:04d}" for i in range(n_units)])
    res = build(X.assign(period=2020), fw, normalisation="minmax")
    Z = res.normalised.to_numpy()
    W = rng.dirichlet(np.ones(n_ind), size=DRAWS)
    # floor: one matrix product of the same shape plus an argsort
    t0 = time.perf_counter()
    S = Z @ W.T
    np.argsort(-S, axis=0)
    floor = time.perf_counter() - t0
    del S
    tracemalloc.start()
    t0 = time.perf_counter()
    mc = uncertainty.monte_carlo(res, 2020, n=DRAWS, seed=1, chunk=1000)
    t = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"P2b  {n_units} × {n_ind}, {DRAWS} draws (SYNTHETIC data): dgkit {t:.2f} s; floor (numpy product + argsort) {floor:.2f} s; "
          f"ratio {t / floor:.2f}  (target ≤ 3) {'OK' if t / floor <= 3 else 'MISSED'}; peak memory {peak / 2**20:.0f} MiB (target ≤ 1024)")
    assert len(mc.table) == n_units


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--naive-draws", type=int, default=100)
    a = ap.parse_args()
    p2a(a.naive_draws)
    p2b()
