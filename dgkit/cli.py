"""The ``dgkit`` command line: ``dgkit report``, ``dgkit lab``, ``dgkit validate`` …"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from dgkit import __version__


def _cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dgkit import paths
    from dgkit.errors import ParamsError
    from dgkit.report import run_report

    if not Path(args.params).exists():
        import difflib

        known = sorted(str(p.relative_to(paths.project_root())) for p in paths.params_dir().glob("*.yaml"))
        raise ParamsError("--params: params file not found", got=args.params, expected="a params YAML, such as params/2020.yaml",
                          suggestion=difflib.get_close_matches(args.params, known, n=2, cutoff=0.3) or known[:3])
    chapters = [c.strip() for c in args.chapters.split(",") if c.strip()] if args.chapters else None
    years = _parse_years(args.years) if args.years else None
    result = run_report(
        params_path=args.params,
        chapters=chapters,
        jobs=args.jobs,
        out=args.out,
        force=args.force,
        quick=args.quick,
        progress=not args.no_progress,
        fresh_kernels=args.fresh_kernels,
        year=args.year,
        years=years,
        wait=args.wait,
    )
    results = result if isinstance(result, list) else [result]
    for note in results[0].notes:  # repairs made while reading the params, said once
        print(f"note: {note}", file=sys.stderr)
    for r in results:
        print(r.summary())
    return 0 if all(r.ok for r in results) else 1


def _parse_years(spec: str) -> list[int]:
    """``2019-2023`` or ``2019,2021,2023`` (or both: ``2016-2018,2022``)."""
    from dgkit.errors import ParamsError

    out: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        a, sep, b = part.partition("-")
        try:
            out += list(range(int(a), int(b) + 1)) if sep else [int(a)]
        except ValueError:
            raise ParamsError("--years: not a list of years", expected="e.g. 2019-2023 or 2019,2021", got=spec) from None
    if not out:
        raise ParamsError("--years: not a list of years", expected="e.g. 2019-2023 or 2019,2021", got=spec)
    return sorted(set(out))


def _cmd_lab(args: argparse.Namespace) -> int:
    from dgkit import paths

    cmd = [sys.executable, "-m", "jupyter", "lab", f"--notebook-dir={paths.notebooks_dir()}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    if args.no_browser:
        cmd.append("--no-browser")
    os.execv(sys.executable, cmd)
    return 0  # pragma: no cover


def _cmd_validate(args: argparse.Namespace) -> int:
    """A dataset YAML (or a bundled dataset name) is checked whole; a bare csv/xlsx is read with the
    assumptions printed. Every problem is listed at once; exit 2 when there is any."""
    from pathlib import Path

    from dgkit.datasets import _catalogue_index, validate_dataset, validate_file

    target = args.file
    if Path(target).suffix.lower() in (".yaml", ".yml") or (not Path(target).exists() and target in _catalogue_index()):
        v = validate_dataset(target)
    else:
        v = validate_file(target, level=args.level, framework=args.framework)
        if v.ok:
            print("assumed (write a dataset YAML to state these):")
            for a in v.assumptions:
                print(f"  - {a}")
    print(v.summary())
    return 0 if v.ok else 2


def _cmd_data(args: argparse.Namespace) -> int:
    from dgkit import data
    from dgkit.datasets import catalogue

    print("datasets (dgkit.open_dataset(name); data/datasets/*.yaml):")
    print(catalogue()[["name", "level", "synthetic", "title"]].to_string(index=False))
    print("\nfiles (dgkit.data.load(name)):")
    print(data.catalogue().to_string(index=False))
    return 0


def _cmd_make_demo(args: argparse.Namespace) -> int:
    from dgkit.demo import write_county_panel, write_demo_panel

    if args.county:
        path = write_county_panel(args.out or ".", force=args.force)
        print(f"wrote {path} and its CSV (SYNTHETIC county panel, 2,850 counties × 2017-2023)")
        return 0
    path = write_demo_panel(out=args.out, force=args.force)
    print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dgkit",
        description="dgkit: composite indices and analysis chapters for digital-government evaluation.",
    )
    p.add_argument("--version", action="version", version=f"dgkit {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    r = sub.add_parser("report", help="run the analysis chapters of an edition into reports/<edition>/")
    r.add_argument("--params", default="params/2020.yaml", help="edition params YAML (default: params/2020.yaml)")
    r.add_argument("--chapters", default=None, help="comma-separated chapter numbers or names, e.g. 3,5")
    r.add_argument("--jobs", type=int, default=None, help="chapters run in parallel (default: number of cores)")
    r.add_argument("--out", default=None, help="output folder; the report goes to <out>/<edition> (default: the params' out, else reports)")
    r.add_argument("--force", action="store_true", help="replace an existing report of this edition (only a folder holding a dgkit report)")
    r.add_argument("--wait", action="store_true", help="if another run is writing this edition, wait for it instead of refusing")
    r.add_argument("--quick", action="store_true", help="quick mode (fewer Monte Carlo draws), as the tests use")
    r.add_argument("--no-progress", action="store_true", help="no progress bar")
    r.add_argument("--year", type=int, default=None, help="focus year (overrides the params' year; folder <edition>-<year>)")
    r.add_argument("--years", default=None, help="one report per year, e.g. 2019-2023 or 2019,2021 (each in its own folder)")
    r.add_argument("--fresh-kernels", action="store_true", help="one new kernel per chapter (slower; default reuses a reset kernel per worker)")
    r.set_defaults(func=_cmd_report)

    lab = sub.add_parser("lab", help="open JupyterLab on notebooks/")
    lab.add_argument("--no-browser", action="store_true")
    lab.set_defaults(func=_cmd_lab)

    v = sub.add_parser("validate", help="check a dataset YAML (or a bare CSV/XLSX) and report every problem at once")
    v.add_argument("file", help="a dataset YAML, a bundled dataset name, or a CSV/XLSX (long or wide, see data/templates/)")
    v.add_argument("--framework", default=None, help="bare files: framework name or YAML path whose indicators the columns must be")
    v.add_argument("--level", default="province", choices=["province", "city", "county", "country", "custom"],
                   help="bare files: the unit level (default province)")
    v.set_defaults(func=_cmd_validate)

    d = sub.add_parser("data", help="list the bundled data files (catalogue)")
    d.set_defaults(func=_cmd_data)

    m = sub.add_parser("make-demo", help="regenerate the synthetic CCID demo panel (or write a synthetic county panel)")
    m.add_argument("--out", default=None, help="output CSV (default: data/demo/…synthetic.csv); with --county a folder")
    m.add_argument("--county", action="store_true", help="write the SYNTHETIC county panel and its dataset YAML instead")
    m.add_argument("--force", action="store_true", help="overwrite an existing file")
    m.set_defaults(func=_cmd_make_demo)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from dgkit.errors import DgkitError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    from dgkit.errors import ReportInterrupted

    try:
        return int(args.func(args) or 0)
    except ReportInterrupted as exc:
        print(f"dgkit: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:  # Ctrl-C before any report folder was touched
        print("dgkit: interrupted by SIGINT: nothing was written", file=sys.stderr)
        return 130
    except DgkitError as exc:
        print(f"dgkit: error: {exc}", file=sys.stderr)
        return 2
