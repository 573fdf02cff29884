"""``dgkit report``: execute the chapters with papermill, in parallel, into ``reports/<edition>/``.

Nothing is lost: params are validated before any notebook starts; the report is written to a
staging folder beside the target and moved into place only when every chapter succeeded; an
existing report is kept unless ``force``; a failed run leaves the previous report intact and puts
the partially executed notebooks in ``reports/<edition>.failed/``.

Layout of a report: ``notebooks/`` (executed), ``html/``, ``figures/`` (PNG 300 dpi + PDF/SVG),
``tables/`` (CSV, LaTeX with booktabs, ``tables.xlsx`` with a sheet per table), ``facts.json``
and ``facts.md`` (headline numbers with citation-ready sentences), ``manifest.json`` (input
hashes, params, package versions, git commit, timings). Tables and facts are byte-identical
between runs on the same inputs; timestamps and timings live only in the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dgkit import __version__, paths
from dgkit.errors import OutputExistsError, ParamsError
from dgkit.params import CHAPTERS, load_params
from dgkit.report.files import atomic_write_text

KERNEL = "python3"
PACKAGES = ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "seaborn", "papermill", "nbconvert", "pandera", "mapclassify", "salib", "inequality", "mplfonts", "openpyxl")


@dataclass
class ReportResult:
    ok: bool
    path: Path
    edition: str
    timings: dict[str, float] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        if self.ok:
            return f"report {self.edition}: {len(self.timings)} chapter(s) in {self.seconds:.1f} s → {self.path}"
        lines = [f"report {self.edition}: {len(self.failures)} chapter(s) failed; previous report (if any) kept; partial notebooks in {self.path}"]
        for f in self.failures:
            lines.append(f"  - {f['chapter']}: cell {f.get('cell', '?')}: {f.get('error', '')}")
        return "\n".join(lines)


def select_chapters(spec: list[str] | None, default: list[str]) -> list[str]:
    if not spec:
        return default
    out = []
    for s in spec:
        if s.isdigit() and int(s) in CHAPTERS:
            out.append(CHAPTERS[int(s)])
        elif s in CHAPTERS.values():
            out.append(s)
        else:
            raise ParamsError(f"unknown chapter {s!r}", expected=", ".join(f"{k} ({v})" for k, v in CHAPTERS.items()))
    return out


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def _git_commit(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "") if out.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for p in PACKAGES:
        try:
            out[p] = version(p)
        except PackageNotFoundError:
            out[p] = "not installed"
    return out


def _run_one(nb_in: Path, nb_out: Path, parameters: dict[str, Any], cwd: Path) -> dict[str, Any]:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    t0 = time.perf_counter()
    try:
        pm.execute_notebook(str(nb_in), str(nb_out), parameters=parameters, kernel_name=KERNEL, progress_bar=False,
                            cwd=str(cwd), log_output=False, request_save_on_cell_execute=False)
        return {"status": "ok", "seconds": time.perf_counter() - t0}
    except PapermillExecutionError as exc:
        return {"status": "failed", "seconds": time.perf_counter() - t0, "cell": exc.exec_count, "error": f"{exc.ename}: {exc.evalue}"}
    except Exception as exc:  # a dying kernel, a missing notebook …
        return {"status": "failed", "seconds": time.perf_counter() - t0, "cell": None, "error": f"{type(exc).__name__}: {exc}"}


def _html(nb_path: Path, out: Path) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(nb_path), as_version=4)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    atomic_write_text(out, body)


def _collect_facts(stage: Path, chapters: list[str]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for ch in chapters:
        f = stage / "facts" / f"{ch}.json"
        if f.exists():
            for k, v in json.loads(f.read_text(encoding="utf-8")).items():
                facts[f"{ch}.{k}"] = v
    return dict(sorted(facts.items()))


def _facts_md(facts: dict[str, Any], edition: str) -> str:
    lines = [f"# Facts — edition {edition}", "", "Every headline number of the report with a sentence to cite.", ""]
    chapter = None
    for k, v in facts.items():
        if v["chapter"] != chapter:
            chapter = v["chapter"]
            lines += ["", f"## {chapter}", ""]
        src = f" (source: {v['source']})" if v.get("source") else ""
        lines.append(f"- `{k}`: {v['sentence']}{src}")
    return "\n".join(lines) + "\n"


def _workbook(tables_dir: Path) -> None:
    import pandas as pd

    csvs = sorted(tables_dir.glob("*.csv"))
    if not csvs:
        return
    with pd.ExcelWriter(tables_dir / "tables.xlsx", engine="openpyxl") as xw:
        used: set[str] = set()
        for c in csvs:
            df = pd.read_csv(c, comment="#")
            name = c.stem.split("__", 1)[-1][:28]
            base, i = name, 1
            while name in used:
                i += 1
                name = f"{base[:25]}_{i}"
            used.add(name)
            df.to_excel(xw, sheet_name=name, index=False)


def run_report(params_path: str | Path = "params/2020.yaml", chapters: list[str] | None = None, jobs: int | None = None,
               out: str | Path = "reports", force: bool = False, quick: bool = False, progress: bool = True) -> ReportResult:
    """Run the report of one edition (see module docstring)."""
    t_start = time.perf_counter()
    root = paths.project_root()
    params = load_params(params_path)  # validated before any notebook starts
    selected = select_chapters(chapters, params.chapters())
    out_root = Path(out)
    if not out_root.is_absolute():
        out_root = root / out_root
    final = out_root / params.edition
    if final.exists() and not force:
        raise OutputExistsError(f"{final} exists; pass --force to replace it (it is replaced only when the new report is complete)")
    try:
        out_root.mkdir(parents=True, exist_ok=True)
        stage = out_root / f".{params.edition}.tmp-{os.getpid()}"
        if stage.exists():
            shutil.rmtree(stage)
        for sub in ("notebooks", "html", "figures", "tables", "facts"):
            (stage / sub).mkdir(parents=True)
    except OSError as exc:
        from dgkit.errors import ReportError

        raise ReportError(f"cannot write the report under {out_root}: {exc.strerror or exc}") from None

    nb_dir = paths.notebooks_dir()
    missing = [c for c in selected if not (nb_dir / f"{c}.ipynb").exists()]
    if missing:
        shutil.rmtree(stage, ignore_errors=True)
        raise ParamsError(f"chapter notebook(s) not found: {', '.join(missing)}", file=str(nb_dir))
    jobs = jobs or os.cpu_count() or 1
    parameters = {"params_path": str(params.path), "out_dir": str(stage), "quick": bool(quick or params.quick)}
    results: dict[str, dict[str, Any]] = {}
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(selected), desc=f"dgkit report {params.edition}", unit="chapter")
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(selected)))) as pool:
        futs = {pool.submit(_run_one, nb_dir / f"{c}.ipynb", stage / "notebooks" / f"{c}.ipynb", parameters, root): c for c in selected}
        for f in as_completed(futs):
            c = futs[f]
            results[c] = f.result()
            if bar is not None:
                bar.set_postfix_str(f"{c} {results[c]['status']}")
                bar.update(1)
    if bar is not None:
        bar.close()

    failures = [{"chapter": c, "notebook": str(stage / "notebooks" / f"{c}.ipynb"), **r} for c, r in results.items() if r["status"] != "ok"]
    for c, r in results.items():
        nb = stage / "notebooks" / f"{c}.ipynb"
        if nb.exists():
            try:
                _html(nb, stage / "html" / f"{c}.html")
            except Exception as exc:  # noqa: BLE001 - HTML is a convenience; record and go on
                r["html_error"] = str(exc)
    facts = _collect_facts(stage, selected)
    atomic_write_text(stage / "facts.json", json.dumps(facts, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    atomic_write_text(stage / "facts.md", _facts_md(facts, params.edition))
    _workbook(stage / "tables")
    inputs = {str(p.relative_to(root)): _sha256(p) for p in sorted((root / "data").rglob("*")) if p.is_file()}
    inputs[str(params.path.relative_to(root)) if params.path.is_relative_to(root) else str(params.path)] = _sha256(params.path)
    for c in selected:
        inputs[f"notebooks/{c}.ipynb"] = _sha256(nb_dir / f"{c}.ipynb")
    manifest = {
        "dgkit_version": __version__, "edition": params.edition, "params_file": str(params.path), "params": params.raw,
        "chapters": {c: {k: (round(v, 3) if isinstance(v, float) else v) for k, v in results[c].items()} for c in selected},
        "quick": parameters["quick"], "jobs": jobs, "inputs_sha256": inputs, "packages": _versions(),
        "python": platform.python_version(), "git_commit": _git_commit(root),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"), "seconds_total": round(time.perf_counter() - t_start, 3),
        "synthetic_inputs": params.get("index.data", "demo") == "demo" or params.get("scores.source") == "demo_index",
    }
    atomic_write_text(stage / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n")
    timings = {c: results[c]["seconds"] for c in selected}
    if failures:
        failed = out_root / f"{params.edition}.failed"
        if failed.exists():
            shutil.rmtree(failed)
        os.replace(stage, failed)
        for f in failures:
            f["notebook"] = str(failed / "notebooks" / f"{f['chapter']}.ipynb")
        return ReportResult(False, failed, params.edition, timings, failures, time.perf_counter() - t_start)
    old = None
    if final.exists():
        old = out_root / f".{params.edition}.old-{os.getpid()}"
        os.replace(final, old)
    os.replace(stage, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    stale = out_root / f"{params.edition}.failed"
    if stale.exists():
        shutil.rmtree(stale, ignore_errors=True)
    return ReportResult(True, final, params.edition, timings, [], time.perf_counter() - t_start)
