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

import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dgkit import __version__, paths
from dgkit.errors import ParamsError, ReportError, ReportInterrupted
from dgkit.params import CHAPTERS, load_params
from dgkit.paths import relative_path
from dgkit.paths import sha256_file as _sha256
from dgkit.report.files import atomic_write_text
from dgkit.report.labels import Labels

KERNEL = "python3"
# relative cost of each chapter (seconds measured on the default edition), for longest-first scheduling
EXPECTED_COST = {"06_economy": 3.4, "03_tiers": 2.8, "13_dynamics": 2.2, "10_robustness": 2.1, "11_benchmark": 1.9, "12_disparity": 1.8,
                 "01_index_construction": 1.3, "04_pillars": 1.0, "02_ranking": 0.7, "05_regions": 0.5, "07_progress": 0.5,
                 "08_dispersion": 0.2, "09_cities": 0.2}
PACKAGES = ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "seaborn", "papermill", "nbconvert", "pandera", "mapclassify", "salib", "inequality", "libpysal", "esda", "mplfonts", "openpyxl")


@dataclass
class ReportResult:
    ok: bool
    path: Path
    edition: str
    timings: dict[str, float] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # repairs made while reading the params (a BOM, codes kept as text …)

    def summary(self) -> str:
        if self.ok:
            return f"report {self.edition}: {len(self.timings)} chapter(s) in {self.seconds:.1f} s → {self.path}"
        from dgkit.errors import ChapterError

        return f"report {self.edition}: previous report (if any) kept; " + str(ChapterError(self.failures))


def select_chapters(spec: list[str] | None, default: list[str]) -> list[str]:
    """Chapters named on the command line (numbers or names); an unknown one names the closest valid."""
    import difflib

    if not spec:
        return default
    out = []
    for s in spec:
        s = str(s).strip()
        if s.isdigit() and int(s) in CHAPTERS:
            out.append(CHAPTERS[int(s)])
        elif s in CHAPTERS.values():
            out.append(s)
        else:
            names = list(CHAPTERS.values())
            close = difflib.get_close_matches(s, names + [n.split("_", 1)[1] for n in names], n=2, cutoff=0.5)
            close = [next(n for n in names if c in (n, n.split("_", 1)[1])) for c in close]
            raise ParamsError("--chapters: unknown chapter", got=s, suggestion=list(dict.fromkeys(close)) or None,
                              expected=", ".join(f"{k} ({v})" for k, v in CHAPTERS.items()))
    return out


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


# chapters that import the same heavy library run in the same kernel (it is imported once):
# scipy.stats (1.3 s) and statsmodels by economy and disparity; benchmark, dispersion and progress
# (scipy.stats where they have data) with the light chapters in the other kernel
AFFINITY = (("06_economy", "12_disparity"), ("11_benchmark", "08_dispersion", "07_progress", "09_cities"))


def import_notebook_tools() -> None:
    """Import jsonschema (under nbformat, papermill and nbconvert) without its optional IRI checker.

    rfc3987-syntax 1.1.0, which jupyterlab pulls in through ``jsonschema[format-nongpl]``, compiles
    39 Lark grammars when it is imported: 2 s of CPU in every report, more than a chapter costs
    (python-jsonschema/jsonschema#1392 and #1521). The notebook schema has no IRI field, so the
    checker is never used here. The block is lifted as soon as jsonschema is in, so an explicit
    ``import rfc3987_syntax`` later in the process still works.
    """
    if "jsonschema" in sys.modules:
        return
    block = "rfc3987_syntax" not in sys.modules
    if block:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment] - makes the import fail fast
    try:
        import jsonschema  # noqa: F401
    finally:
        if block:
            del sys.modules["rfc3987_syntax"]


def plan_workers(chapters: list[str], n: int) -> list[list[str]]:
    """Longest-processing-time-first assignment of chapter groups to n workers (one kernel each)."""
    groups: list[list[str]] = []
    left = list(chapters)
    for aff in AFFINITY:
        g = [c for c in aff if c in left]
        if g:
            groups.append(g)
            left = [c for c in left if c not in g]
    groups += [[c] for c in left]
    groups.sort(key=lambda g: -sum(EXPECTED_COST.get(c, 1.0) for c in g))
    plan: list[list[str]] = [[] for _ in range(n)]
    load = [0.0] * n
    for g in groups:
        i = load.index(min(load))
        plan[i] += g
        load[i] += sum(EXPECTED_COST.get(c, 1.0) for c in g)
    return plan


class WarmKernel:
    """One kernel reused for several chapters (one per worker thread).

    Each chapter is parameterised by papermill (the same ``parameters`` cell injection as
    ``papermill.execute_notebook``) and executed by nbclient — papermill's own executor — on a
    kernel whose namespace is reset before every chapter (``reset(new_session=True)``: empty
    namespace, execution counts from 1). What is shared is only the cache of imported modules, which
    is what makes a report cost little more than its kernels' start-up. A kernel that dies is
    replaced for the next chapter. ``fresh_kernels=True`` (``--fresh-kernels``) runs every chapter
    with ``papermill.execute_notebook`` in a kernel of its own instead.
    """

    def __init__(self, cwd: Path, log: Path | None = None) -> None:
        self.cwd = cwd
        self.log = log  # the kernel's own stderr (start-up chatter, crashes) goes here, not to the terminal
        self.km: Any = None
        self.kc: Any = None

    def _ensure(self) -> None:
        from jupyter_core.utils import run_sync

        if self.km is not None and run_sync(self.km.is_alive)():
            return
        from jupyter_client.manager import AsyncKernelManager

        self.shutdown()
        self.km = AsyncKernelManager(kernel_name=KERNEL)
        self.kc = None
        kw: dict[str, Any] = {}
        if self.log is not None:
            self._log_fh = open(self.log, "ab")  # noqa: SIM115 - closed in shutdown
            kw = {"stdout": subprocess.DEVNULL, "stderr": self._log_fh}
        run_sync(self.km.start_kernel)(cwd=str(self.cwd), **kw)

    def shutdown(self) -> None:
        import contextlib

        from jupyter_core.utils import run_sync

        if self.kc is not None:
            with contextlib.suppress(Exception):
                self.kc.stop_channels()
        if self.km is not None:
            with contextlib.suppress(Exception):  # best effort on a kernel that may be gone
                run_sync(self.km.shutdown_kernel)(now=True)
        self.km = None
        self.kc = None
        fh = getattr(self, "_log_fh", None)
        if fh is not None:
            fh.close()
            self._log_fh = None

    def run(self, nb_in: Path, nb_out: Path, parameters: dict[str, Any]) -> dict[str, Any]:
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, DeadKernelError
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        t0 = time.perf_counter()
        nb = None
        try:
            nb = load_notebook_node(str(nb_in))
            nb = parameterize_notebook(nb, parameters, kernel_name=KERNEL, language="python")
            self._ensure()
            # a first cell resets the namespace (removed from the saved notebook again)
            reset = nbformat.v4.new_code_cell("get_ipython().reset(new_session=True, aggressive=False); get_ipython().execution_count = 0")
            reset.metadata["tags"] = ["dgkit-reset"]
            nb.cells.insert(0, reset)
            client = NotebookClient(nb, km=self.km, kernel_name=KERNEL, timeout=1800, allow_errors=False,
                                    resources={"metadata": {"path": str(self.cwd)}})
            client.kc = self.kc  # one client (its channels and their ready handshake) for every chapter
            try:
                client.execute()
            finally:
                self.kc = client.kc
                nb.cells = [c for c in nb.cells if "dgkit-reset" not in c.metadata.get("tags", [])]
            status: dict[str, Any] = {"status": "ok"}
        except CellExecutionError as exc:
            cell = next((c.get("execution_count") for c in nb.cells if c.get("cell_type") == "code"
                         and any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
            status = {"status": "failed", "cell": cell, "error": f"{exc.ename}: {exc.evalue}"}
        except DeadKernelError as exc:
            running = [i for i, c in enumerate(nb.cells) if c.get("cell_type") == "code" and "dgkit-reset" not in c.metadata.get("tags", [])
                       and c.get("execution_count") is None]
            where = f"code cell {running[0] + 1} of the notebook" if running else "?"
            status = {"status": "failed", "cell": where, "error": f"the kernel died while running {where}: {exc}"}
            self.shutdown()
        except Exception as exc:  # noqa: BLE001
            status = {"status": "failed", "cell": None, "error": f"{type(exc).__name__}: {exc}"}
            self.shutdown()
        if nb is not None:
            nbformat.write(nb, str(nb_out))
        status["seconds"] = time.perf_counter() - t0
        return status


# DGKIT_KEEP_KERNELS=1: kernels outlive a run and serve the next run of this process (a test suite that
# runs many small reports pays the kernel start-up and library imports once). Each chapter still starts
# from an empty namespace (WarmKernel.run), exactly as between the chapters of one run.
_POOL: list[WarmKernel] = []
_ATEXIT: list[bool] = []


def _keep_kernels() -> bool:
    return os.environ.get("DGKIT_KEEP_KERNELS", "") == "1"


def _kernel(cwd: Path, log: Path) -> WarmKernel:
    while _keep_kernels() and _POOL:
        k = _POOL.pop()
        if k.cwd == cwd:
            k.log = log  # a restart after a crash logs to this run
            log.write_text("kernel started by an earlier run of this process (DGKIT_KEEP_KERNELS=1); its messages are in that run's log\n",
                           encoding="utf-8")
            return k
        k.shutdown()
    return WarmKernel(cwd, log)


def _release(k: WarmKernel, cancelled: bool) -> None:
    if _keep_kernels() and not cancelled and k.km is not None:
        if not _ATEXIT:
            import atexit

            atexit.register(_shutdown_pool)
            _ATEXIT.append(True)
        _POOL.append(k)
    else:
        k.shutdown()


def _shutdown_pool() -> None:
    while _POOL:
        _POOL.pop().shutdown()


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


def _html(nb_path: Path, out: Path, with_code: Path | None = None) -> None:
    """HTML by nbconvert: code hidden (``out``), and with code (``with_code``)."""
    from dgkit.report.html import notebook_to_html

    atomic_write_text(out, notebook_to_html(nb_path, code=False))
    if with_code is not None:
        atomic_write_text(with_code, notebook_to_html(nb_path, code=True))


def _clean_parameters(nb_out: Path, params: Any, root: Path, quick: bool = False) -> None:
    """Replace the injected parameters of an executed notebook by values that name no absolute or
    staging path (re-running it in JupyterLab writes to ``reports/.lab/<edition>/``), and cut its
    bilingual prose to the edition's language (:func:`dgkit.report.language.markdown_in`)."""
    import nbformat

    from dgkit.report.language import markdown_in

    nb = nbformat.read(str(nb_out), as_version=4)
    rel = os.path.relpath(params.path, paths.notebooks_dir())
    for c in nb.cells:
        if c.cell_type == "markdown":  # the chapter's prose in the edition's language only
            c.source = markdown_in(c.source, params.lang)
        if "injected-parameters" in c.metadata.get("tags", []):
            c.source = (f"# Parameters of the run that wrote reports/{params.folder}/ "
                        f"(re-running here writes to reports/.lab/{params.folder}/)\n"
                        f"params = {rel!r}\nyear = {params.year_override!r}\nout_dir = None\nquick = {quick!r}")
    pm = nb.metadata.get("papermill")
    if pm is not None:  # papermill's own record of the run names the staging paths too
        pm["parameters"] = {"params": rel, "year": params.year_override, "out_dir": None, "quick": quick}
        pm["input_path"] = f"notebooks/{nb_out.name}"
        pm["output_path"] = f"reports/{params.folder}/notebooks/{nb_out.name}"
    nbformat.write(nb, str(nb_out))
    nb_out.chmod(0o644)


def _collect_facts(stage: Path, chapters: list[str]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for ch in chapters:
        f = stage / "facts" / f"{ch}.json"
        if f.exists():
            for k, v in json.loads(f.read_text(encoding="utf-8")).items():
                facts[f"{ch}.{k}"] = v
    return dict(sorted(facts.items()))


def _cited_keys(stage: Path, chapters: list[str], facts: dict[str, Any]) -> list[str]:
    """Every bibliography key the chapters cited (tables, figures, facts), in chapter order."""
    keys: list[str] = []
    for ch in chapters:
        f = stage / "sources" / f"{ch}.json"
        if f.exists():
            keys += json.loads(f.read_text(encoding="utf-8"))
    for v in facts.values():
        keys += v.get("cite") or []
    return list(dict.fromkeys(keys))


def _references(params: Any, keys: list[str]) -> tuple[list[str], str]:
    """The reference list (GB/T 7714 in zh, APA in en) and the BibTeX of the cited keys."""
    from dgkit.report.bibliography import Bibliography, to_bibtex
    from dgkit.report.edition import open_edition

    bib = open_edition(params.path, params.year_override).bibliography
    keys = [k for k in keys if k in bib] + ["dgkit"] * ("dgkit" in bib and "dgkit" not in keys)
    sub = Bibliography({k: bib.entry(k) for k in keys})
    return bib.reference_list(keys, params.lang), to_bibtex(sub)


def _facts_md(facts: dict[str, Any], params: Any, chapters: list[str], nb_dir: Path, references: list[str],
              skips_dir: Path | None = None) -> str:
    """The findings of every chapter as prose in the edition's language, each sentence with its
    numbers, n and p and its source cited by key, then the reference list."""
    from dgkit.report.html import chapter_title

    t = Labels(params.lang)
    title = params.text("title") or params.edition
    lines = [f"# {t('report.facts_title', edition=params.folder)}", "", str(title), "", t("report.facts_intro"), ""]
    by_chapter: dict[str, list[tuple[str, Any]]] = {}
    for k, v in facts.items():
        by_chapter.setdefault(v["chapter"], []).append((k, v))
    for ch in chapters:
        items = by_chapter.get(ch, [])
        f = skips_dir / f"{ch}.json" if skips_dir is not None else None
        skipped = json.loads(f.read_text(encoding="utf-8")) if f is not None and f.exists() else []
        if not items and not skipped:
            continue
        lines += ["", f"## {chapter_title(nb_dir / f'{ch}.ipynb', params.lang)}", ""]
        for k, v in items:
            src = f" ({v['source']})" if v.get("source") else ""
            lines.append(f"- {v['sentence']}{src} <!-- {k} -->")
        if skipped:  # what the chapter did not analyse, and why: a reader sees it beside the findings
            lines += ["", f"*{t('report.not_analysed')}*", ""] + [f"- {s['reason']} <!-- {s['section']} -->" for s in skipped]
    if references:
        lines += ["", f"## {t('report.references')}", ""]
        lines += [f"- {r}" for r in references]  # author–year: the list is alphabetical, not numbered
    return "\n".join(lines) + "\n"


@dataclass
class _Run:
    """One report of a run: its params (year applied), staging and final folders, results."""

    params: Any
    stage: Path
    final: Path
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    read: dict[str, Any] = field(default_factory=dict)


def output_root(out: str | Path | None, params: Any, root: Path) -> Path:
    """The chosen output folder: ``--out`` (relative to the working folder), else the params' ``out``
    (relative to the params file), else ``<project>/reports``; checked by the rule of
    :func:`dgkit.params.check_output_folder` (never the kit's own folders)."""
    from dgkit.params import check_output_folder

    if out is not None:
        return check_output_folder(Path(out).absolute(), file=None, column="--out")
    if params.get("out"):
        o = Path(params.get("out"))
        return check_output_folder(o if o.is_absolute() else Path(params.path).parent / o, file=str(params.path), column="out")
    return root / "reports"


def input_hashes(params: Any, selected: list[str], nb_dir: Path, root: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """SHA-256 of every input of a report: the kit's data/, the params file (and its panel edition),
    the chapter notebooks and every file the edition's datasets and framework read; and what
    :func:`~dgkit.report.provenance.edition_inputs` says the edition reads (for the manifest)."""
    from dgkit.report.provenance import edition_inputs

    inputs = {str(p.relative_to(root)): _sha256(p) for p in sorted((root / "data").rglob("*")) if p.is_file()}
    inputs[relative_path(params.path, root)] = _sha256(params.path)
    for c in selected:
        inputs[relative_path(nb_dir / f"{c}.ipynb", root)] = _sha256(nb_dir / f"{c}.ipynb")
    read = edition_inputs(params)
    for d in read["datasets"].values():  # the files the datasets read, the user's own included
        for f in d["files"]:
            inputs.setdefault(f["path"], f["sha256"])
    if read.get("framework"):
        inputs.setdefault(read["framework"]["path"], read["framework"]["sha256"])
    return inputs, read


def _changed_inputs(before: dict[str, str], root: Path) -> list[str]:
    """Inputs whose bytes changed (or that vanished) since the run started."""
    out = []
    for rel, h in before.items():
        p = Path(rel) if Path(rel).is_absolute() else root / rel
        try:
            now = _sha256(p)
        except OSError:
            now = "missing"
        if now != h:
            out.append(f"{rel} (sha256 {h[:12]}… at the start, {now[:12]}{'…' if now != 'missing' else ''} at the end)")
    return out


def _env_jobs() -> int | None:
    """``DGKIT_JOBS``: the default number of parallel chapters when neither ``--jobs`` nor the params
    say (a CI runner, or a test suite that already runs in parallel, sets it to 1)."""
    v = os.environ.get("DGKIT_JOBS", "").strip()
    if not v:
        return None
    if not v.isdigit() or not 1 <= int(v) <= 64:
        raise ParamsError("DGKIT_JOBS: not a number of parallel chapters", expected="a whole number from 1 to 64", got=v)
    return int(v)


def _disk_error(exc: OSError, where: Path) -> ReportError:
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ReportError(f"cannot write the report under {where}: the disk is full ({exc.strerror}); "
                           "the staging folder was removed and the previous report kept; free some space and run again")
    return ReportError(f"cannot write the report under {where}: {exc.strerror or exc}")


def run_report(params_path: str | Path = "params/2020.yaml", chapters: list[str] | None = None, jobs: int | None = None,
               out: str | Path | None = None, force: bool = False, quick: bool = False, progress: bool = True,
               fresh_kernels: bool = False, notebooks: str | Path | None = None, year: int | None = None,
               years: list[int] | None = None, wait: bool = False) -> ReportResult | list[ReportResult]:
    """Run the report of one edition (see module docstring). ``year`` overrides the focus year
    (folder ``<edition>-<year>``); ``years`` runs one report per year, each in its own folder,
    sharing the kernels (and the datasets they have loaded). With ``years`` a list is returned.

    ``out`` (else the params' ``out``, else ``reports/``) is the output folder; the report goes to
    ``<out>/<edition>`` and nothing is written outside ``<out>``. A run holds a lock on its report
    folders (``wait=True`` queues behind another run instead of refusing); SIGINT and SIGTERM stop
    the kernels, remove the staging folders, keep the previous report and raise
    :class:`~dgkit.errors.ReportInterrupted` (exit 130 / 143)."""
    from dgkit.limits import MAX_JOBS as MAX_JOBS_HINT
    from dgkit.report import safety

    t_start = time.perf_counter()
    import_notebook_tools()
    root = paths.project_root()
    wanted = list(years) if years else [year]
    plist = [load_params(params_path, year=y) for y in wanted]  # every year validated before any notebook starts
    selected = select_chapters(chapters, plist[0].chapters())
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= MAX_JOBS_HINT):
        raise ParamsError("--jobs: invalid number of parallel chapters", expected=f"a whole number from 1 to {MAX_JOBS_HINT}", got=jobs)
    jobs = jobs or plist[0].get("jobs") or _env_jobs() or os.cpu_count() or 1
    out_root = output_root(out, plist[0], root)
    nb_dir = Path(notebooks) if notebooks else paths.notebooks_dir()
    missing = [c for c in selected if not (nb_dir / f"{c}.ipynb").exists()]
    if missing:
        raise ParamsError(f"chapter notebook(s) not found: {', '.join(missing)}", file=str(nb_dir))
    try:
        if not out_root.exists():
            out_root.mkdir(parents=True)
            out_root.chmod(0o755)  # readable by others whatever the umask, like the report inside it
    except OSError as exc:
        raise _disk_error(exc, out_root) from None
    finals = [safety.report_folder(out_root, p.folder) for p in plist]
    runs: list[_Run] = []
    cancel = threading.Event()
    kernels: list[WarmKernel] = []
    threads: list[threading.Thread] = []

    def stop_kernels() -> None:
        cancel.set()
        safety.kill_children()

    guard = safety.InterruptGuard(on_signal=stop_kernels)
    with safety.EditionLock(out_root, [p.folder for p in plist], wait=wait), guard:
        try:
            for params, final in zip(plist, finals, strict=True):
                safety.remove_stale(out_root, params.folder)
                safety.check_replaceable(final, force)
                safety.check_replaceable(out_root / f"{params.folder}.failed", force=True)
            for params, final in zip(plist, finals, strict=True):  # every year checked before any staging folder is made
                stage = out_root / f".{params.folder}.tmp-{os.getpid()}"
                try:
                    for sub in ("notebooks", "html", "html/code", "figures", "tables", "facts", "skips", "logs"):
                        (stage / sub).mkdir(parents=True)
                except OSError as exc:
                    shutil.rmtree(stage, ignore_errors=True)
                    raise _disk_error(exc, out_root) from None
                run = _Run(params, stage, final)
                run.inputs, run.read = input_hashes(params, selected, nb_dir, root)
                runs.append(run)
            _execute(runs, selected, nb_dir, root, jobs, quick, progress, fresh_kernels, cancel, kernels, threads)
            if cancel.is_set():  # a signal arrived while a worker was finishing
                raise ReportInterrupted(*((("SIGTERM", 143)) if guard.received == signal.SIGTERM else ("SIGINT", 130)))
            out_results = [_finalise(run, selected, nb_dir, root, jobs, quick, t_start, guard) for run in runs]
        except ReportInterrupted as exc:
            stop_kernels()
            deadline = time.monotonic() + 3.0  # the workers see their kernel die and stop writing; then the staging goes
            for t in threads:
                t.join(max(0.0, deadline - time.monotonic()))
            for r in runs:
                shutil.rmtree(r.stage, ignore_errors=True)
            kept = [str(f) for f in finals if f.exists()]
            raise ReportInterrupted(exc.signal_name, exc.exit_code,
                                    "kernels stopped, staging folder removed" + (f", previous report kept: {', '.join(kept)}" if kept else "")) from None
        except OSError as exc:
            for r in runs:
                shutil.rmtree(r.stage, ignore_errors=True)
            raise _disk_error(exc, out_root) from None
        except BaseException:
            for r in runs:
                shutil.rmtree(r.stage, ignore_errors=True)
            raise
    return out_results if years else out_results[0]


def _execute(runs: list[_Run], selected: list[str], nb_dir: Path, root: Path, jobs: int, quick: bool, progress: bool,
             fresh_kernels: bool, cancel: threading.Event, kernels: list[WarmKernel], threads: list[threading.Thread]) -> None:
    """Every (report, chapter) job goes to one pool of warm kernels, longest chapters first. The
    worker threads are daemons, so an interrupted run never waits on them to exit."""
    bar = None
    total = len(selected) * len(runs)
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, desc=f"dgkit report {runs[0].params.edition}", unit="chapter")
    n_workers = max(1, min(jobs, total))
    plan = plan_workers(selected, n_workers)
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker(i: int, mine: list[str]) -> None:
        warm = None if fresh_kernels else _kernel(root, runs[0].stage / "logs" / f"kernel-{i + 1}.log")
        if warm is not None:
            kernels.append(warm)
        try:
            for run in runs:
                parameters = {"params": str(run.params.path), "year": run.params.year_override, "out_dir": str(run.stage),
                              "quick": bool(quick or run.params.quick)}
                for c in mine:
                    if cancel.is_set():
                        return
                    nb_out = run.stage / "notebooks" / f"{c}.ipynb"
                    r = (_run_one(nb_dir / f"{c}.ipynb", nb_out, parameters, root) if warm is None
                         else warm.run(nb_dir / f"{c}.ipynb", nb_out, parameters))
                    if cancel.is_set():
                        return
                    if nb_out.exists():
                        try:
                            _clean_parameters(nb_out, run.params, root, bool(quick or run.params.quick))
                            _html(nb_out, run.stage / "html" / f"{c}.html", run.stage / "html" / "code" / f"{c}.html")
                        except Exception as exc:  # noqa: BLE001 - HTML is a convenience; record and go on
                            r["html_error"] = str(exc)
                    with lock:
                        run.results[c] = r
                        if bar is not None:
                            bar.set_postfix_str(f"{run.params.folder} {c} {r['status']}")
                            bar.update(1)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            if not cancel.is_set():
                errors.append(exc)
        finally:
            if warm is not None:
                _release(warm, cancel.is_set())

    threads += [threading.Thread(target=worker, args=(i, mine), daemon=True, name=f"dgkit-worker-{i + 1}")
                for i, mine in enumerate(plan) if mine]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():  # join in short steps: a signal handler runs between them
            t.join(0.2)
    if bar is not None:
        bar.close()
    if errors:
        raise errors[0]


def _chapter_status(stage: Path, c: str) -> tuple[str, list[dict[str, str]]]:
    """``ok``, ``partial`` (some sections skipped) or ``skipped`` (nothing recorded), and the skips."""
    f = stage / "skips" / f"{c}.json"
    skips = json.loads(f.read_text(encoding="utf-8")) if f.exists() else []
    produced = any(stage.glob(f"tables/{c}__*")) or any(stage.glob(f"figures/{c}__*")) or (stage / "facts" / f"{c}.json").exists()
    return ("skipped" if not produced else "partial") if skips else "ok", skips


def _finalise(run: _Run, selected: list[str], nb_dir: Path, root: Path, jobs: int, quick: bool, t_start: float,
              guard: Any = None) -> ReportResult:
    params, stage, final = run.params, run.stage, run.final
    results = run.results
    out_root = final.parent
    failures = [{"chapter": c, "notebook": str(stage / "notebooks" / f"{c}.ipynb"), **r} for c, r in sorted(results.items()) if r["status"] != "ok"]
    full = [f for f in failures if "No space left on device" in str(f.get("error", "")) or "Errno 28" in str(f.get("error", ""))]
    if full:
        raise OSError(28, "No space left on device", str(stage))
    t_fin = time.perf_counter()
    facts = _collect_facts(stage, selected)
    atomic_write_text(stage / "facts.json", json.dumps(facts, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    references, bibtex = _references(params, _cited_keys(stage, selected, facts))
    atomic_write_text(stage / "facts.md", _facts_md(facts, params, selected, nb_dir, references, stage / "skips"))
    atomic_write_text(stage / "references.md", f"# {Labels(params.lang)('report.references')}\n\n" + "".join(f"- {r}\n" for r in references))
    atomic_write_text(stage / "references.bib", bibtex)
    from dgkit.report.export import write_docx, write_workbook

    export_notes: list[str] = []
    if any((stage / "tables").glob("*.csv")):
        export_notes = write_workbook(stage / "tables", stage / "tables" / "tables.xlsx", params.lang)
        write_docx(stage / "tables", stage / "tables" / "tables.docx", params.lang, str(params.text("title") or params.edition), references)
    changed = _changed_inputs(run.inputs, root)
    if changed:
        failures.append({"chapter": "inputs", "cell": "-", "notebook": str(stage / "manifest.json"),
                         "error": "input file(s) changed during the run, so chapters may have read different versions: "
                                  + "; ".join(changed) + "; run the report again"})
    read = run.read
    status = {c: _chapter_status(stage, c) for c in selected}
    manifest = {
        "datasets": read["datasets"], "framework": read.get("framework"),
        "dgkit_version": __version__, "edition": params.edition, "folder": params.folder, "year": params.get("year"), "year_override": params.year_override,
        "params_file": relative_path(params.path, root), "params": params.as_written,
        "chapters": {c: {**{k: (round(v, 3) if isinstance(v, float) else v) for k, v in results.get(c, {}).items()},
                         "outcome": status[c][0], "skipped_sections": status[c][1]} for c in selected},
        "quick": bool(quick or params.quick), "jobs": jobs, "inputs_sha256": run.inputs, "packages": _versions(),
        "python": platform.python_version(), "git_commit": _git_commit(root),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"), "seconds_total": round(time.perf_counter() - t_start, 3),
        "seconds_finalise": round(time.perf_counter() - t_fin, 3),
        "synthetic_inputs": read["synthetic"],
    }
    if changed:
        manifest["inputs_changed_during_run"] = changed
    if export_notes:  # sheet names the workbook had to change, said, never silent
        manifest["export_notes"] = export_notes
    if params.notes:  # repairs made while reading the params (a BOM, codes kept as text …)
        manifest["params_notes"] = list(params.notes)
    atomic_write_text(stage / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n")
    from dgkit.report.html import index_page

    atomic_write_text(stage / "index.html", index_page(params, selected, status, read, results, nb_dir))
    stage.chmod(0o755)
    for p in stage.rglob("*"):  # outputs are readable by others (mkstemp, a private umask and some writers create 0600)
        p.chmod(0o755 if p.is_dir() else 0o644)
    timings = {c: results[c]["seconds"] for c in selected if c in results}
    critical = guard.critical() if guard is not None else contextlib.nullcontext()
    with critical:  # a signal here waits until the swap is done: the report is the old one or the new one
        if failures:
            failed = out_root / f"{params.folder}.failed"
            if failed.exists():
                shutil.rmtree(failed)
            os.replace(stage, failed)
            for f in failures:
                f["notebook"] = str(failed / "notebooks" / f"{f['chapter']}.ipynb") if f["chapter"] != "inputs" else str(failed / "manifest.json")
            return ReportResult(False, failed, params.folder, timings, failures, time.perf_counter() - t_start, list(params.notes))
        old = None
        if final.exists():
            old = out_root / f".{params.folder}.old-{os.getpid()}"
            os.replace(final, old)
        os.replace(stage, final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        stale = out_root / f"{params.folder}.failed"
        if stale.exists():
            shutil.rmtree(stale, ignore_errors=True)
    return ReportResult(True, final, params.folder, timings, [], time.perf_counter() - t_start, list(params.notes))
