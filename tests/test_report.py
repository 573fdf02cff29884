"""Issue 6 (and 8): chapters, params, `dgkit report` end to end, atomic outputs, reruns, browser."""

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

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


# ------------------------------------------------------------------ every chapter, every edition
@pytest.mark.slow
@pytest.mark.parametrize("params", [p for p in PARAMS if p.stem != "2020"], ids=lambda p: p.stem)
def test_every_chapter_executes_for_every_edition_in_quick_mode(tmp_path, params):
    """2020.yaml is run by the shared fixture (conftest.py) that test_report_files checks."""
    res = run_report(params, out=tmp_path, quick=True, progress=False)
    assert res.ok, res.summary()
    assert len(list((res.path / "notebooks").glob("*.ipynb"))) == len(CHAPTERS)


@pytest.fixture
def report_2020(report_2020_result):
    return report_2020_result.path


@pytest.mark.slow
@pytest.mark.xdist_group("report_2020")
def test_report_files(report_2020):
    r = report_2020
    assert len(list((r / "notebooks").glob("*.ipynb"))) == len(CHAPTERS)
    for c in CHAPTERS.values():
        assert (r / "notebooks" / f"{c}.ipynb").exists() and (r / "html" / f"{c}.html").stat().st_size > 1000
        assert (r / "html" / "code" / f"{c}.html").stat().st_size > (r / "html" / f"{c}.html").stat().st_size  # the version with code
    hidden = (r / "html" / "02_ranking.html").read_text(encoding="utf-8")
    assert "printed_rank_differences" not in hidden and "printed_rank_differences" in (r / "html" / "code" / "02_ranking.html").read_text(encoding="utf-8")
    assert "主要发现" in hidden and "<table" in hidden
    pngs = list((r / "figures").glob("*.png"))
    assert len(pngs) >= 5 and len(list((r / "figures").glob("*.svg"))) == len(pngs)
    from PIL import Image

    with Image.open(pngs[0]) as im:
        assert round(im.info["dpi"][0]) == 300
    assert len(list((r / "tables").glob("*.csv"))) == len(list((r / "tables").glob("*.tex"))) > 15
    assert "\\toprule" in (r / "tables" / "02_ranking__ranking.tex").read_text()
    import openpyxl

    wb = openpyxl.load_workbook(r / "tables" / "tables.xlsx", read_only=True)
    assert len(wb.sheetnames) == len(list((r / "tables").glob("*.csv")))
    csv = (r / "tables" / "02_ranking__ranking.csv").read_text(encoding="utf-8")
    assert csv.rstrip().splitlines()[-1].startswith("# source: 清华大学数据治理研究中心. 2020 数字政府发展指数报告")
    m = json.loads((r / "manifest.json").read_text())
    for key in ("inputs_sha256", "params", "packages", "git_commit", "chapters", "created_utc"):
        assert key in m
    assert m["inputs_sha256"]["data/published/tsinghua_2020_provinces.csv"]
    import hashlib

    ts = {f["path"]: f["sha256"] for f in m["datasets"]["tsinghua_2020_provinces"]["files"]}
    for rel in ("data/datasets/tsinghua_2020_provinces.yaml", "data/published/tsinghua_2020_provinces.csv", "data/reference/provinces.csv"):
        assert ts[rel] == hashlib.sha256((ROOT / rel).read_bytes()).hexdigest()
    assert m["synthetic_inputs"] is False and "demo_panel" not in m["datasets"]
    assert all(v["status"] == "ok" for v in m["chapters"].values())
    # real data everywhere: the published Tsinghua index is analysed and the NBS example index is built
    # (chapters 1, 4, 7, 10, 12, 13 through panel_edition), so no chapter skips for want of a built index
    for c in ("01_index_construction", "04_pillars", "07_progress", "10_robustness", "12_disparity", "13_dynamics"):
        assert m["chapters"][c]["outcome"] == "ok", (c, m["chapters"][c].get("skipped_sections"))
    assert "nbs_digital" in m["datasets"]
    assert m["chapters"]["02_ranking"]["outcome"] == "partial"  # Tsinghua declares no consistency check
    index = (r / "index.html").read_text(encoding="utf-8")
    assert "html/code/02_ranking.html" in index and "清华大学数据治理研究中心" in index
    assert "# Facts" in (r / "facts.md").read_text()


@pytest.mark.slow
@pytest.mark.xdist_group("report_2020")
def test_facts_hold_the_headline_numbers(report_2020):
    f = json.loads((report_2020 / "facts.json").read_text(encoding="utf-8"))
    from dgkit import data

    t = data.tsinghua_provinces()["score"]
    rk = f["02_ranking.ranking"]
    assert rk["value"]["mean"] == pytest.approx(t.mean(), abs=1e-6) == pytest.approx(57.416, abs=0.001)
    assert rk["value"]["n_at_or_above_mean"] == int((t >= t.mean()).sum()) == 17
    assert "17 个单位达到或高于均值" in rk["sentence"] and "竞争排名" in rk["sentence"]
    # competition ranks on unrounded scores against the printed ranks: the printed ties differ in 2 places
    # they differ only by the tie rule (the report ranks unrounded scores): no printed rank contradicts the scores
    assert f["02_ranking.printed_ranks"]["value"] == {"n_printed_differ": 2, "n_printed": 31, "n_printed_inconsistent": 0,
                                                      "ties": "竞争排名 (1, 2, 2, 4)"}
    eco = f["06_economy.economy"]
    assert eco["value"]["pearson_r_gdp"] == pytest.approx(0.558, abs=0.001)
    assert "R = 0.56" in eco["sentence"] and "n = 31, p < 0.01" in eco["sentence"]
    assert "tsinghua_fixed 0/31" in f["03_tiers.tier_reconciliation"]["sentence"]
    assert f["09_cities.type_tier_shares"]["value"]["n_printed_differ"] == 2
    iw = f["11_benchmark.implied_weights"]
    assert iw["value"]["n"] == 5 and "CCID 2020" in iw["sentence"]
    assert f["11_benchmark.kappa"]["value"]["n"] == 31
    built = f["01_index_construction.build_variant"]["value"]
    assert built["n"] == 31 and built["label_a"] == "熵权法" and 0.9 < built["rho"] <= 1
    claims = f["11_benchmark.published_claims"]["value"]
    assert claims["n"] > 300 and claims["n_inconsistent"] == sum(k.startswith("11_benchmark.published_claims.") for k in f)
    assert "高于国脉 2023 的惯例阈值 5 (0–100 分制" in f["08_dispersion.dispersion"]["sentence"]
    assert not any("SYNTHETIC" in v["sentence"] or "合成" in v["sentence"] for v in f.values())
    assert all(v["source"] for v in f.values())


@pytest.mark.slow
def test_reruns_are_byte_identical(tmp_path):
    a = run_report(ROOT / "params" / "demo.yaml", chapters=["1", "3", "6", "10"], out=tmp_path / "a", quick=True, progress=False)
    b = run_report(ROOT / "params" / "demo.yaml", chapters=["1", "3", "6", "10"], out=tmp_path / "b", quick=True, progress=False)
    assert a.ok and b.ok
    files = sorted(p.relative_to(a.path) for p in a.path.rglob("*") if p.suffix in (".csv", ".tex") or p.name == "facts.json")
    assert len(files) > 20
    for rel in files:
        assert (a.path / rel).read_bytes() == (b.path / rel).read_bytes(), rel


# ------------------------------------------------------------------ nothing lost
def _nb_dir(tmp_path, source=None):
    """Stand-in chapters 02 and 07 (a parameters cell and one step; 07 then runs ``source``): these
    tests are about the runner, so they need no real chapter."""
    d = tmp_path / "nbs"
    d.mkdir(parents=True, exist_ok=True)
    for c, extra in (("02_ranking", None), ("07_progress", source)):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        p = nbformat.v4.new_code_cell("params = None\nyear = None\nout_dir = None\nquick = False")
        p.metadata["tags"] = ["parameters"]
        nb.cells = [p, nbformat.v4.new_code_cell(f"open(out_dir + '/facts/{c}.json', 'w').write('{{}}')")]
        if extra:
            nb.cells.append(nbformat.v4.new_code_cell(extra))
        nbformat.write(nb, str(d / f"{c}.ipynb"))
    return d


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


# ------------------------------------------------------------------ JupyterLab in a browser
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.xdist_group("report_2020")
def test_jupyterlab_shows_a_chapter_with_its_figure(report_2020, tmp_path):
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("Debian's chromium is not installed (.ci/ensure-chromium installs it as root)")
    lab_dir = tmp_path / "lab"
    lab_dir.mkdir()
    shutil.copy(report_2020 / "notebooks" / "02_ranking.ipynb", lab_dir / "02_ranking.ipynb")
    port = _free_port()
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1", "--ServerApp.token=",
           "--ServerApp.password=", f"--ServerApp.root_dir={lab_dir}", "--allow-root"]
    lab = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start")
        dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                              "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'chrome'}",
                              "--window-size=1400,1000", "--virtual-time-budget=30000", "--dump-dom",
                              f"http://127.0.0.1:{port}/lab/tree/02_ranking.ipynb"], capture_output=True, text=True, timeout=120).stdout
    finally:
        lab.terminate()
        lab.wait(timeout=20)
    assert "jp-Notebook" in dom
    assert "总指数及排名" in dom
    assert "data:image/png" in dom  # the rendered ranking figure


@pytest.mark.slow
def test_english_labels_and_fresh_kernels(tmp_path):
    p = tmp_path / "en.yaml"
    p.write_text((ROOT / "params" / "2020.yaml").read_text(encoding="utf-8").replace("lang: zh", "lang: en").replace('edition: "2020"', 'edition: "2020-en"'), encoding="utf-8")
    res = run_report(p, chapters=["2", "3", "5"], out=tmp_path / "r", quick=True, progress=False, fresh_kernels=True)
    assert res.ok, res.summary()
    tab = (res.path / "tables" / "02_ranking__ranking.csv").read_text(encoding="utf-8")
    assert tab.startswith("unit_id,name,score,rank,rank_printed") and "Shanghai" in tab
    tiers_csv = (res.path / "tables" / "03_tiers__tiers.csv").read_text(encoding="utf-8")
    assert "Leading" in tiers_csv and "引领型" not in tiers_csv
    facts = json.loads((res.path / "facts.json").read_text(encoding="utf-8"))
    assert "Leading 4" in facts["03_tiers.tiers"]["sentence"] and facts["02_ranking.ranking"]["sentence"].startswith("The 31 units average")
    regions_csv = (res.path / "tables" / "05_regions__regions.csv").read_text(encoding="utf-8")
    assert "East" in regions_csv and "东部" not in regions_csv


def test_cohort_restricts_the_analysed_units(tmp_path):
    from dgkit.report.edition import open_edition

    text = (ROOT / "params" / "2020.yaml").read_text(encoding="utf-8").replace("cohort: provinces", "cohort: [北京, 上海, Guangdong, 330000]")
    ed = open_edition(_params(tmp_path, text))
    assert set(ed.scores().index) == {"110000", "310000", "440000", "330000"}
    with pytest.raises(ParamsError, match="Guangdon.*closest valid: Guangdong"):
        open_edition(_params(tmp_path, text.replace("[北京, 上海, Guangdong, 330000]", "[北京, 上海市, Guangdon]")))


@pytest.mark.slow
@pytest.mark.xdist_group("report_2020")
def test_executed_notebook_rerun_in_lab_writes_to_the_lab_folder(report_2020, tmp_path):
    """Point 7: the saved notebook names no absolute or staging path; re-run as it is, it writes to reports/.lab/."""
    import papermill as pm

    nb = (report_2020 / "notebooks" / "02_ranking.ipynb").read_text(encoding="utf-8")
    assert str(report_2020.parent) not in nb and ".tmp-" not in nb and "/work/" not in nb
    injected = next(c for c in nbformat.reads(nb, as_version=4).cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "out_dir = None" in injected.source and "params = '../params/2020.yaml'" in injected.source
    lab = ROOT / "reports" / ".lab" / "2020"
    before = (lab / "facts" / "02_ranking.json").stat().st_mtime if (lab / "facts" / "02_ranking.json").exists() else 0
    pm.execute_notebook(str(report_2020 / "notebooks" / "02_ranking.ipynb"), str(tmp_path / "rerun.ipynb"), kernel_name="python3",
                        progress_bar=False, cwd=str(ROOT / "notebooks"))
    assert (lab / "facts" / "02_ranking.json").stat().st_mtime > before
    assert (report_2020 / "facts" / "02_ranking.json").exists()  # the finished report is untouched


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
