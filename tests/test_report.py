"""Issue 6 (and 8): chapters, params, `dgkit report` end to end, atomic outputs, reruns, browser."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from standins import write_standin

from dgkit.errors import OutputExistsError, ParamsError, ReportError
from dgkit.params import CHAPTERS, load_params
from dgkit.report.runner import run_report

ROOT = Path(__file__).resolve().parents[1]
PARAMS = sorted((ROOT / "params").glob("*.yaml"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


# ------------------------------------------------------------------ notebooks as committed
def test_one_notebook_per_chapter():
    assert [p.stem for p in NOTEBOOKS] == list(CHAPTERS.values())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_read_as_chapters_and_hold_no_logic(path):
    """Point 5: a parameters cell in plain words, method markdown, 5–15 visible steps calling dgkit's
    public functions, findings at the end; no loops, branches, comprehensions or definitions."""
    import ast

    nb = nbformat.read(str(path), as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "outputs must be stripped"
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assert {"params", "year", "out_dir"} <= {t.id for n in ast.parse(params[0].source).body for t in n.targets}
    assert params[0].source.count("#") >= 4, "the parameters cell explains each parameter"
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "第" in first.source and "Chapter" in first.source
    assert "$" in first.source or "(" in first.source  # a formula or a source reference
    steps = 0
    banned = (ast.For, ast.While, ast.If, ast.IfExp, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp, ast.Lambda,
              ast.FunctionDef, ast.ClassDef, ast.Try, ast.With, ast.AsyncFunctionDef)
    for c in code:
        tree = ast.parse(c.source)
        bad = [type(n).__name__ for n in ast.walk(tree) if isinstance(n, banned)]
        assert not bad, f"{path.stem}: analysis logic belongs in dgkit ({bad})"
        imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        assert all((getattr(n, "module", "") or "").startswith("dgkit") or all(a.name.startswith("dgkit") for a in n.names) for n in imports)
        if c not in params and c is not code[-1]:  # the steps: set-up and analysis, before the findings
            steps += sum(1 for n in tree.body if not isinstance(n, ast.Import | ast.ImportFrom))
    assert 5 <= steps <= 15, f"{path.stem}: {steps} steps"
    assert code[-1].source.strip() == "rec.findings()" and "Findings" in nb.cells[-2].source


def test_every_params_file_validates():
    eds = {load_params(p).edition for p in PARAMS}
    assert {"2020", "2023", "demo"} <= eds


def _params(tmp_path, text):
    p = tmp_path / "p.yaml"
    p.write_text(text, encoding="utf-8")
    return p


OK = "edition: x\ndataset: tsinghua_2020_provinces\nindex: {measure: score}\n"


@pytest.mark.parametrize("text, match", [
    (OK + "language: zh\n", "unknown key 'language'.*closest valid: lang"),
    (OK + "dispersion: {treshold: 5}\n", "unknown key 'dispersion.treshold'.*dispersion.threshold"),
    (OK + "quick: yes please\n", "wrong type for 'quick'.*true/false"),
    (OK + "seed: 1.5\n", "wrong type for 'seed'"),
    (OK + "lang: fr\n", "invalid value for 'lang'"),
    (OK + f"out: {ROOT / 'data' / 'my_reports'}\n", "inside the kit's own 'data' folder"),
    ("edition: x\ndataset: data/missing.yaml\nindex: {measure: score}\n", "column 'dataset'"),
    (OK + "chapters: [14]\n", "unknown chapter"),
    ("edition: !!python/object/apply:os.system ['echo hacked']\n", "unsafe or unknown YAML tag"),
    ("title: no edition\n", "missing required key 'edition'"),
    (OK + "tiers: [{name: a, shceme: fixed}]\n", "unknown key 'tiers\\[0\\].shceme'"),
    (OK + "year: 2021\n", "has no period 2021.*closest valid: 2020"),
    (OK.replace("score}", "scor}"), "unknown measure.*closest valid: score"),
    (OK + "groupings: [四大地区]\n", "unknown grouping.*closest valid: 四大地带"),
    (OK + "covariates: {gpd: {year: 2019}}\n", "has no covariate 'gpd'"),
    (OK + "tiers: [{name: a, scheme: fixed, thresholds: [50, 60]}]\n", "descending order"),
    (OK + "tiers: [{name: a, scheme: fixed, thresholds: [60, 50], published: tier_printd}]\n", "closest valid: tier_printed"),
    ("edition: x\ndataset: un_egdi\nindex: {measure: egdi}\ncohort: provinces\n", "is for provincial data"),
    ("edition: x\ndataset: demo_panel\nindex: {framework: ccid_2020, options: {normalisation: minmaxx}}\n", "closest valid: minmax"),
    (OK + "scores: {source: tsinghua_2020}\n", "earlier params format.*dataset \\+ index.measure"),
])
def test_bad_params_are_refused_before_anything_runs(tmp_path, text, match):
    with pytest.raises(ParamsError, match=match):
        load_params(_params(tmp_path, text))


def test_every_params_problem_is_reported_at_once(tmp_path):
    from dgkit.errors import ParamsProblems

    text = OK + "year: 2019\nlangg: zh\ngroupings: [四大地区]\ncovariates: {gdp: {vintage: frst}}\ntiers: [{name: a, scheme: fixd}]\n"
    with pytest.raises(ParamsProblems) as exc:
        load_params(_params(tmp_path, text))
    msg = str(exc.value)
    assert len(exc.value.problems) == 5 and msg.startswith("5 problems in params file")
    for part in ("no period 2019", "unknown key 'langg'", "四大地带", "closest valid: first_release", "closest valid: fixed"):
        assert part in msg, part


# ------------------------------------------------------------------ nothing lost
def _nb_dir(tmp_path, source=None):
    """Stand-in chapters 02 and 07 (a parameters cell and one step; 07 then runs ``source``): these
    tests are about the runner, so they need no real chapter."""
    for c, extra in (("02_ranking", None), ("07_progress", source)):
        write_standin(tmp_path / "nbs", c, f"open(out_dir + '/facts/{c}.json', 'w').write('{{}}')", *([extra] if extra else []))
    return tmp_path / "nbs"


def test_existing_report_is_kept_without_force(tmp_path):
    nbs = _nb_dir(tmp_path)
    first = run_report(ROOT / "params" / "2020.yaml", chapters=["2"], out=tmp_path, quick=True, progress=False, notebooks=nbs)
    marker = first.path / "facts.json"
    before = marker.read_bytes()
    with pytest.raises(OutputExistsError, match="--force"):
        run_report(ROOT / "params" / "2020.yaml", chapters=["2"], out=tmp_path, quick=True, progress=False, notebooks=nbs)
    assert marker.read_bytes() == before
    again = run_report(ROOT / "params" / "2020.yaml", chapters=["2", "7"], out=tmp_path, quick=True, progress=False, force=True, notebooks=nbs)
    assert again.ok and (again.path / "notebooks" / "07_progress.ipynb").exists()
    assert [p.name for p in tmp_path.glob(".2020*")] == [".2020.lock"], "no staging folder left behind (the lock file stays)"


@pytest.mark.parametrize("source, expect", [
    ("raise ValueError('chapter broke on purpose')", "ValueError: chapter broke on purpose"),
    ("import os\nos._exit(1)", "kernel died"),
])
def test_failed_chapter_keeps_the_previous_report_and_the_failed_notebook(tmp_path, source, expect):
    good = run_report(ROOT / "params" / "2020.yaml", chapters=["2"], out=tmp_path, quick=True, progress=False, notebooks=_nb_dir(tmp_path / "good"))
    before = (good.path / "facts.json").read_bytes()
    nbs = _nb_dir(tmp_path, source)
    res = run_report(ROOT / "params" / "2020.yaml", chapters=["2", "7"], out=tmp_path, quick=True, progress=False,
                     force=True, notebooks=nbs)
    assert not res.ok
    assert (good.path / "facts.json").read_bytes() == before, "previous report intact"
    f = res.failures[0]
    assert f["chapter"] == "07_progress" and expect in f["error"]
    assert Path(f["notebook"]).exists() and Path(f["notebook"]).parent.parent.name == "2020.failed"
    if "ValueError" in expect:
        assert isinstance(f["cell"], int) and f"cell {f['cell']}" in res.summary()
    assert "07_progress" in res.summary()


def test_fresh_kernels_run_each_chapter_with_papermill(tmp_path):
    """--fresh-kernels: papermill.execute_notebook in a kernel of its own per chapter (the stand-ins)."""
    res = run_report(ROOT / "params" / "2020.yaml", chapters=["2", "7"], out=tmp_path, quick=True, progress=False,
                     notebooks=_nb_dir(tmp_path), fresh_kernels=True)
    assert res.ok, res.summary()
    nb = nbformat.read(str(res.path / "notebooks" / "07_progress.ipynb"), as_version=4)
    assert nb.metadata["papermill"]["output_path"] == "reports/2020/notebooks/07_progress.ipynb"
    assert not list((res.path / "logs").glob("kernel-*.log")), "no warm kernel was used"


def test_cli_exit_codes(tmp_path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    ok = subprocess.run([sys.executable, "-m", "dgkit", "report", "--chapters", "2", "--quick", "--out", str(tmp_path / "r"), "--no-progress"],
                        capture_output=True, text=True, env=env, cwd=ROOT)
    assert ok.returncode == 0 and "report 2020" in ok.stdout
    again = subprocess.run([sys.executable, "-m", "dgkit", "report", "--chapters", "2", "--quick", "--out", str(tmp_path / "r"), "--no-progress"],
                           capture_output=True, text=True, env=env, cwd=ROOT)
    assert again.returncode == 2 and "--force" in again.stderr
    bad = subprocess.run([sys.executable, "-m", "dgkit", "report", "--params", str(_params(tmp_path, "edition: x\nlangg: zh\n"))],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    assert bad.returncode == 2 and "unknown key 'langg'" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_output_folder_is_a_clear_error(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, stat.S_IRUSR | stat.S_IXUSR)
    with pytest.raises(ReportError, match="cannot write the report"):
        run_report(ROOT / "params" / "2020.yaml", chapters=["2"], out=ro / "reports", quick=True, progress=False)


def test_full_disk_or_unwritable_output_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the report folder should be")
    with pytest.raises(ReportError, match="cannot write the report"):
        run_report(ROOT / "params" / "2020.yaml", chapters=["2"], out=blocker / "reports", quick=True, progress=False)


def test_cohort_restricts_the_analysed_units(tmp_path):
    from dgkit.report.edition import open_edition

    text = (ROOT / "params" / "2020.yaml").read_text(encoding="utf-8").replace("cohort: provinces", "cohort: [北京, 上海, Guangdong, 330000]")
    ed = open_edition(_params(tmp_path, text))
    assert set(ed.scores().index) == {"110000", "310000", "440000", "330000"}
    with pytest.raises(ParamsError, match="Guangdon.*closest valid: Guangdong"):
        open_edition(_params(tmp_path, text.replace("[北京, 上海, Guangdong, 330000]", "[北京, 上海市, Guangdon]")))


def test_notebook_tools_import_without_the_iri_grammars_and_leave_them_importable():
    """jsonschema comes in without rfc3987-syntax (2 s of grammar compiling); a later import still works."""
    import importlib.util

    if importlib.util.find_spec("rfc3987_syntax") is None:
        pytest.skip("rfc3987-syntax is not installed (jupyterlab pulls it in through jsonschema[format-nongpl])")
    code = ("import sys\nfrom dgkit.report.runner import import_notebook_tools\nimport_notebook_tools()\n"
            "assert 'jsonschema' in sys.modules and 'rfc3987_syntax' not in sys.modules\n"
            "from jsonschema import FormatChecker\nassert 'iri' not in FormatChecker.checkers and 'date' in FormatChecker.checkers\n"
            "import nbformat, papermill\nassert 'rfc3987_syntax' not in sys.modules\n"
            "import rfc3987_syntax\nprint(rfc3987_syntax.is_valid_syntax('iri', 'http://例え.jp/'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"
