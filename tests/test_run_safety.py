"""Issue 16, parts 2 and 4: a report run never writes outside its output folder, never replaces what is
not a dgkit report, holds a lock per edition, survives SIGINT/SIGTERM and a full disk, cleans what killed
runs left, notices inputs that change under it, and leaves files others can read.

The runs here use tiny stand-in chapter notebooks (a parameters cell and one step), so what is tested is
the runner, not the chapters."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from standins import write_standin

from dgkit.errors import OutputExistsError, ParamsError, ReportError, ReportInterrupted
from dgkit.report import safety
from dgkit.report.runner import run_report

ROOT = Path(__file__).resolve().parents[1]
P2020 = ROOT / "params" / "2020.yaml"


def _notebooks(tmp: Path, body: str = "x = 1", name: str = "02_ranking") -> Path:
    """A folder holding one stand-in chapter: the parameters cell, then ``body``."""
    return write_standin(tmp / "nbs", name, body)


def _run(tmp: Path, out: Path, **kw):
    return run_report(kw.pop("params", P2020), chapters=["2"], out=out, quick=True, progress=False,
                      notebooks=kw.pop("notebooks", None) or _notebooks(tmp), **kw)


# ------------------------------------------------------------------ paths
def test_a_symlink_inside_the_output_folder_is_never_written_through(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    out = tmp_path / "reports"
    out.mkdir()
    (out / "2020").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ReportError, match="symbolic link"):
        _run(tmp_path, out, force=True)
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"], "nothing written or deleted outside --out"
    assert (out / "2020").is_symlink()


def test_force_replaces_only_a_previous_dgkit_report(tmp_path):
    out = tmp_path / "reports"
    mine = out / "2020"
    mine.mkdir(parents=True)
    (mine / "thesis.docx").write_text("three years of work")
    with pytest.raises(OutputExistsError, match="not a dgkit report"):
        _run(tmp_path, out, force=True)
    assert (mine / "thesis.docx").read_text() == "three years of work"
    (mine / "thesis.docx").unlink()
    first = _run(tmp_path, out)  # an empty folder is taken as absent
    assert first.ok and safety.is_dgkit_report(first.path)
    again = _run(tmp_path, out, force=True)
    assert again.ok and json.loads((again.path / "manifest.json").read_text())["edition"] == "2020"


def test_cli_out_and_params_out_follow_the_same_rule(tmp_path):
    """--out into the kit's own data/ is refused like a params `out` is; a params `out` is honoured."""
    with pytest.raises(ParamsError, match="kit's own"):
        _run(tmp_path, ROOT / "data")
    params = tmp_path / "ed.yaml"
    params.write_text(P2020.read_text(encoding="utf-8").replace("panel_edition: nbs.yaml", f"panel_edition: {ROOT / 'params' / 'nbs.yaml'}")
                      + "\nout: my_reports\n", encoding="utf-8")
    res = run_report(params, chapters=["2"], quick=True, progress=False, notebooks=_notebooks(tmp_path))
    assert res.ok and res.path == (tmp_path / "my_reports" / "2020").resolve()


# ------------------------------------------------------------------ lock, stale staging
def test_a_second_run_of_the_same_edition_refuses_while_the_first_holds_the_lock(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    with safety.EditionLock(out, ["2020"]), pytest.raises(ReportError, match=r"another dgkit report is writing .*2020 \(pid \d+"):
        _run(tmp_path, out)
    assert not (out / "2020").exists()
    assert _run(tmp_path, out).ok, "the lock is released with its holder"


def test_wait_queues_behind_the_first_run(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from dgkit.report.safety import EditionLock
        with EditionLock(Path({str(out)!r}), ["2020"]):
            print("locked", flush=True)
            time.sleep(1.5)
        """)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert holder.stdout.readline().strip() == "locked"
    res = _run(tmp_path, out, wait=True)
    assert holder.wait(timeout=30) == 0
    assert res.ok


def test_staging_left_by_a_killed_run_is_removed_at_the_next_start(tmp_path):
    out = tmp_path / "reports"
    for left in (".2020.tmp-99999/notebooks", ".2020.old-99998/tables"):
        (out / left).mkdir(parents=True)
    (out / ".other.tmp-1").mkdir()  # another edition's staging is not ours to touch
    assert _run(tmp_path, out).ok
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".") and not p.name.endswith(".lock")) == [".other.tmp-1"]


# ------------------------------------------------------------------ signals
@pytest.mark.slow
@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_kernels_removes_staging_and_keeps_the_previous_report(tmp_path, sig, code):
    out = tmp_path / "reports"
    first = _run(tmp_path, out)
    before = (first.path / "manifest.json").read_bytes()
    marker = tmp_path / "kernel.pid"
    nbs = _notebooks(tmp_path / "slow", f"import os, time\nopen({str(marker)!r}, 'w').write(str(os.getpid()))\ntime.sleep(120)")
    script = textwrap.dedent(f"""
        import sys
        from dgkit import cli, paths
        paths.notebooks_dir = lambda: __import__("pathlib").Path({str(nbs)!r})
        sys.exit(cli.main(["report", "--chapters", "2", "--quick", "--force", "--no-progress", "--out", {str(out)!r}]))
        """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not marker.exists() or not marker.read_text():
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    kernel = int(marker.read_text())
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"dgkit: interrupted by {signal.Signals(sig).name}"), err
    assert "previous report kept" in lines[0] and "Traceback" not in err
    assert not list(out.glob(".2020.tmp-*")), "staging removed"
    assert (first.path / "manifest.json").read_bytes() == before, "previous report kept"
    state = Path(f"/proc/{kernel}/stat")
    assert not state.exists() or state.read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X"), "the kernel is gone"


def test_interrupt_guard_defers_a_signal_during_the_swap():
    guard = safety.InterruptGuard()
    with guard, pytest.raises(ReportInterrupted) as info:
        with guard.critical():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            swapped = True  # reached: the signal waited for the critical section
        raise AssertionError("the deferred signal must be raised when the section ends")
    assert swapped and info.value.exit_code == 143 and info.value.signal_name == "SIGTERM"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL or callable(signal.getsignal(signal.SIGTERM))


# ------------------------------------------------------------------ full disk
def test_a_full_disk_during_finalising_is_a_report_error_and_leaves_no_staging(tmp_path, monkeypatch):
    out = tmp_path / "reports"

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    from dgkit.report import runner

    monkeypatch.setattr(runner, "_facts_md", full)  # finalising writes facts.md after every chapter ran
    with pytest.raises(ReportError, match="disk is full"):
        _run(tmp_path, out)
    assert not list(out.glob(".2020.tmp-*"))


def _tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True).returncode == 0


@pytest.mark.slow
def test_a_really_full_disk_is_a_report_error_and_the_next_run_is_not_blocked(tmp_path):
    disk = tmp_path / "disk"
    if not _tmpfs(disk, "64k"):
        pytest.skip("cannot mount a small tmpfs here (needs root and mount); the monkeypatched test above covers the logic")
    try:
        nbs = _notebooks(tmp_path, "open(out_dir + '/tables/02_ranking__big.csv', 'w').write('x' * 200_000)")
        with pytest.raises(ReportError, match="disk is full"):
            _run(tmp_path, disk / "reports", notebooks=nbs)
        assert not list((disk / "reports").glob(".2020.tmp-*")), "nothing left on the full disk"
        assert _run(tmp_path, disk / "reports").ok, "the next run is not blocked by the first one's leftovers"
    finally:
        subprocess.run(["umount", str(disk)], check=False)


# ------------------------------------------------------------------ inputs that change, file modes
def test_an_input_changed_during_the_run_is_reported_and_the_report_not_published(tmp_path):
    params = tmp_path / "ed.yaml"
    params.write_text(P2020.read_text(encoding="utf-8").replace("panel_edition: nbs.yaml", f"panel_edition: {ROOT / 'params' / 'nbs.yaml'}"),
                      encoding="utf-8")
    nbs = _notebooks(tmp_path, f"open({str(params)!r}, 'a').write('# edited while the report ran\\n')")
    res = _run(tmp_path, tmp_path / "reports", params=params, notebooks=nbs)
    assert not res.ok and not (tmp_path / "reports" / "2020").exists()
    f = res.failures[0]
    assert f["chapter"] == "inputs" and "changed during the run" in f["error"] and "ed.yaml" in f["error"]
    manifest = json.loads((res.path / "manifest.json").read_text())
    assert any("ed.yaml" in c for c in manifest["inputs_changed_during_run"])


def test_outputs_are_readable_by_others_under_a_private_umask(tmp_path):
    old = os.umask(0o077)
    try:
        res = _run(tmp_path, tmp_path / "reports")
    finally:
        os.umask(old)
    assert res.ok
    modes = {p.relative_to(res.path.parent).as_posix(): p.stat().st_mode & 0o777 for p in [res.path, *res.path.rglob("*")]}
    assert all(m == (0o755 if (res.path.parent / k).is_dir() else 0o644) for k, m in modes.items()), modes
    assert (tmp_path / "reports").stat().st_mode & 0o777 == 0o755
