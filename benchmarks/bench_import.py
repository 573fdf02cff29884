"""Import-time benchmark (issue 2, target: import dgkit ≤ 1.3 × import pandas).

Runs each import in N fresh interpreters, alternating, and prints the medians and their ratio.
Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_import.py [N]``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def wall(code: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - t0


def main(n: int = 9) -> float:
    wall("import pandas, dgkit")  # warm the file cache
    base, kit, empty = [], [], []
    for _ in range(n):
        empty.append(wall("pass"))
        base.append(wall("import pandas"))
        kit.append(wall("import dgkit"))
    e, b, k = (statistics.median(x) for x in (empty, base, kit))
    ratio = k / b
    print(f"interpreter start   median {e * 1000:7.1f} ms")
    print(f"import pandas       median {b * 1000:7.1f} ms")
    print(f"import dgkit        median {k * 1000:7.1f} ms")
    print(f"ratio dgkit/pandas  {ratio:.2f}  (target ≤ 1.30) {'OK' if ratio <= 1.3 else 'MISSED'}")
    print("import dgkit, data  (dgkit.data.provinces()) for reference:")
    full = statistics.median(wall("import dgkit; dgkit.data.provinces()") for _ in range(3))
    print(f"                    median {full * 1000:7.1f} ms  ratio to pandas {full / b:.2f}")
    return ratio


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
