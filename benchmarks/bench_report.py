"""P1 (issue 6): the full report of the default edition vs papermill running empty notebooks.

Target: wall(report) ≤ 1.0 × (number of chapters × wall(papermill, empty notebook)), both
measured here, in the same environment and run. Prints the ratio.
Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_report.py [--jobs N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def empty_notebook_seconds(tmp: Path, repeats: int = 5) -> float:
    import nbformat
    import papermill as pm
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell("pass")], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    src = tmp / "empty.ipynb"
    nbformat.write(nb, str(src))
    times = []
    for i in range(repeats):
        t0 = time.perf_counter()
        pm.execute_notebook(str(src), str(tmp / f"empty_out{i}.ipynb"), kernel_name="python3", progress_bar=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--params", default=str(ROOT / "params" / "2020.yaml"))
    ap.add_argument("--jobs", type=int, default=None)
    args = ap.parse_args()
    from dgkit.params import load_params
    from dgkit.report.runner import run_report

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        e = empty_notebook_seconds(tmp)
        n = len(load_params(args.params).chapters())
        t0 = time.perf_counter()
        res = run_report(args.params, out=tmp / "reports", jobs=args.jobs, progress=False)
        wall = time.perf_counter() - t0
        for f in res.failures:  # a failed chapter makes the ratio meaningless: say which and why
            print(f"FAILED chapter {f['chapter']} (cell {f.get('cell')}): {f.get('error')}")
    budget = n * e
    print(f"papermill, empty notebook (median of 5): {e:.2f} s")
    print(f"full report ({n} chapters, ok={res.ok}):     {wall:.2f} s")
    print(f"budget = {n} × {e:.2f} s = {budget:.2f} s")
    print(f"P1 ratio report / budget = {wall / budget:.2f}  (target ≤ 1.00) {'OK' if wall <= budget and res.ok else 'MISSED'}")
    slow = sorted(res.timings.items(), key=lambda kv: -kv[1])[:3]
    print("slowest chapters: " + ", ".join(f"{k} {v:.1f} s" for k, v in slow))


if __name__ == "__main__":
    main()
