"""Issue 16: catalogue cases of report runs and output paths (R05–R30). Every case stops before a
chapter runs, so the cases are fast; the runs that do execute kernels are in tests/test_run_safety.py."""

from __future__ import annotations

import errno
from pathlib import Path

from dgkit import errors as E

ROOT = Path(__file__).resolve().parents[1]
P2020 = ROOT / "params" / "2020.yaml"


def _report(**kw):
    def run(tmp: Path):
        from dgkit.report.runner import run_report

        run_report(kw.pop("params", P2020), progress=False, quick=True, **{"out": tmp / "reports", **kw})
    return run


def _cli(*argv: str):
    def run(tmp: Path):
        from dgkit.cli import build_parser

        args = build_parser().parse_args(["report", *argv])
        args.func(args)
    return run


def _locked(tmp: Path):
    from dgkit.report.runner import run_report
    from dgkit.report.safety import EditionLock

    (tmp / "reports").mkdir()
    with EditionLock(tmp / "reports", ["2020"]):
        run_report(P2020, chapters=["2"], out=tmp / "reports", progress=False)


def _not_a_report(tmp: Path):
    (tmp / "reports" / "2020").mkdir(parents=True)
    (tmp / "reports" / "2020" / "thesis.docx").write_text("years of work")
    _report(chapters=["2"], force=True)(tmp)


def _file_in_the_way(tmp: Path):
    (tmp / "reports").mkdir()
    (tmp / "reports" / "2020").write_text("a file named like the edition")
    _report(chapters=["2"], force=True)(tmp)


def _symlink(tmp: Path):
    (tmp / "elsewhere").mkdir()
    (tmp / "reports").mkdir()
    (tmp / "reports" / "2020").symlink_to(tmp / "elsewhere", target_is_directory=True)
    _report(chapters=["2"], force=True)(tmp)


def _failed_not_ours(tmp: Path):
    (tmp / "reports" / "2020.failed").mkdir(parents=True)
    (tmp / "reports" / "2020.failed" / "notes.txt").write_text("mine")
    _report(chapters=["2"])(tmp)


def _full_disk(tmp: Path):
    from dgkit.report import runner

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    saved = runner.input_hashes
    runner.input_hashes = full  # the first write after the staging folder is made
    try:
        _report(chapters=["2"])(tmp)
    finally:
        runner.input_hashes = saved


def _missing_notebook(tmp: Path):
    (tmp / "nbs").mkdir()
    _report(chapters=["2"], notebooks=tmp / "nbs")(tmp)


# id, kind, bad input, callable, exception, must contain
CASES = [
    ("R05", "run", "a second run of an edition while the first is still writing it", _locked, E.ReportError,
     ["another dgkit report is writing", "2020", "pid", "--wait"]),
    ("R06", "run", "--force over a folder that is not a dgkit report (a thesis folder named like the edition)", _not_a_report, E.OutputExistsError,
     ["not a dgkit report", "--force replaces only a previous dgkit report", "move it away"]),
    ("R07", "run", "--force where a file stands at <out>/<edition>", _file_in_the_way, E.OutputExistsError, ["is a file", "choose another --out"]),
    ("R08", "run", "a symbolic link at <out>/<edition> pointing elsewhere", _symlink, E.ReportError,
     ["symbolic link", "never written through a link", "elsewhere"]),
    ("R09", "run", "a <edition>.failed folder that dgkit did not write", _failed_not_ours, E.OutputExistsError, ["2020.failed", "not a dgkit report"]),
    ("R10", "run", "--out inside the kit's own data/ folder", _report(chapters=["2"], out=ROOT / "data" / "reports"), E.ParamsError,
     ["column '--out'", "inside the kit's own 'data' folder", "a folder of your own"]),
    ("R11", "run", "--out is the project folder itself", _report(chapters=["2"], out=ROOT), E.ParamsError, ["the project folder itself", "reports"]),
    ("R12", "run", "--out is an existing file", lambda tmp: (tmp / "f.txt").write_text("x") and _report(chapters=["2"], out=tmp / "f.txt")(tmp),
     E.ParamsError, ["output folder is an existing file", "f.txt"]),
    ("R13", "run", "--jobs 0", _report(chapters=["2"], jobs=0), E.ParamsError, ["--jobs", "from 1 to", "got 0"]),
    ("R14", "run", "an unknown chapter on the command line (--chapters tiers)", _cli("--chapters", "tiers", "--no-progress"), E.ParamsError,
     ["--chapters: unknown chapter", "got 'tiers'", "closest valid: 03_tiers"]),
    ("R15", "run", "a misspelt params file on the command line", _cli("--params", "params/2021.yaml"), E.ParamsError,
     ["--params: params file not found", "params/2021.yaml", "closest valid: params/2023.yaml"]),
    ("R16", "run", "--years that is not a list of years (2019..2023)", _cli("--years", "2019..2023"), E.ParamsError,
     ["--years: not a list of years", "2019-2023", "got '2019..2023'"]),
    ("R17", "run", "--year not in the edition's data", _report(chapters=["2"], year=2019), E.ParamsError,
     ["column 'year'", "no period 2019", "closest valid: 2020"]),
    ("R18", "run", "a disk that fills up while the report is written", _full_disk, E.ReportError,
     ["the disk is full", "staging folder was removed", "previous report kept"]),
    ("R19", "run", "a chapter notebook missing from the notebooks folder", _missing_notebook, E.ParamsError,
     ["chapter notebook(s) not found", "02_ranking"]),
]
