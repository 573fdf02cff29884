"""Dataset validation time as a ratio to ``pandas.read_csv`` of the same file (goal ≤ 3×).

The file is the SYNTHETIC county panel (2,850 counties × 7 years × 3 measures, written to a
temporary folder). Validation = reading, checking every code and cell, building the Dataset
(the in-memory cache is cleared before each run). Best of 15 runs after one warm-up (the minimum
is the least noisy estimate on a shared machine, as ``timeit`` recommends); medians are printed too.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from dgkit import datasets
from dgkit.demo import write_county_panel


def _times(fn, n: int = 15) -> list[float]:
    fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        yml = write_county_panel(Path(d))
        csv = yml.with_suffix(".csv")

        def validate() -> None:
            datasets._CACHE.clear()
            v = datasets.validate_dataset(yml)
            assert v.ok, v.summary()

        t_read = _times(lambda: pd.read_csv(csv))
        t_val = _times(validate)
        rows = csv.read_text(encoding="utf-8").count("\n") - 1
    print(f"county panel: {rows} rows; read_csv best {min(t_read) * 1000:.1f} ms (median {statistics.median(t_read) * 1000:.1f}); "
          f"validate_dataset best {min(t_val) * 1000:.1f} ms (median {statistics.median(t_val) * 1000:.1f})")
    print(f"validation / read_csv = {min(t_val) / min(t_read):.2f}x best-of-15, "
          f"{statistics.median(t_val) / statistics.median(t_read):.2f}x median (goal <= 3x)")


if __name__ == "__main__":
    main()
