"""Issue 16: how fast SIGINT / SIGTERM stop a running report (target: kernels stopped and the command
exited within 5 s). Runs the default edition's real report, signals it once every chapter kernel is
busy, and prints the seconds from the signal to the exit, as a ratio of the 5 s target."""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 5.0


def one(sig: signal.Signals, out: Path) -> tuple[float, int, str]:
    proc = subprocess.Popen([sys.executable, "-m", "dgkit", "report", "--quick", "--no-progress", "--force", "--out", str(out)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(6.0)  # kernels started, chapters running
    t0 = time.perf_counter()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    return time.perf_counter() - t0, proc.returncode, err.strip()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for sig in (signal.SIGINT, signal.SIGTERM):
            secs, code, err = one(sig, Path(tmp) / "reports")
            left = sorted(p.name for p in (Path(tmp) / "reports").glob(".*tmp-*"))
            print(f"{sig.name}: exit {code} after {secs:.2f} s = {secs / TARGET:.2f}× the 5 s target; staging left: {left or 'none'}")
            print(f"  stderr: {err}")


if __name__ == "__main__":
    main()
