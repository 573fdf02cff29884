"""What the build scripts share: render rows as CSV, and write or ``--check`` the bundled file."""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
from collections.abc import Callable
from pathlib import Path


def render(rows: list[dict[str, object]], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def run(description: str, build: Callable[[Path], list[dict[str, object]]], columns: list[str], out: Path) -> int:
    """Build in a temporary folder; write ``out``, or with ``--check`` compare it byte for byte (exit 1 on a difference)."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--check", action="store_true", help="compare with the bundled file instead of writing")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as t:
        text = render(build(Path(t)), columns)
    if args.check:
        same = out.read_text(encoding="utf-8") == text
        print(f"{out.name} is up to date" if same else f"{out.name} differs from a fresh build")
        return 0 if same else 1
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({text.count(chr(10)) - 1} rows)")
    return 0
