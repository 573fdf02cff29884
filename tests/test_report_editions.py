"""Every chapter of every bundled edition runs in quick mode (params/2020.yaml: tests/test_editions.py,
through the session's shared run), reruns are byte-identical, and an English edition is English."""

import json
from pathlib import Path

import pytest

from dgkit.params import CHAPTERS
from dgkit.report.runner import run_report

ROOT = Path(__file__).resolve().parents[1]
PARAMS = sorted((ROOT / "params").glob("*.yaml"))
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """params/demo.yaml, every chapter: checked below and the reference of the rerun test."""
    return run_report(ROOT / "params" / "demo.yaml", out=tmp_path_factory.mktemp("demo") / "reports", quick=True, progress=False)


@pytest.mark.parametrize("params", [p for p in PARAMS if p.stem not in ("2020", "demo")], ids=lambda p: p.stem)
def test_every_chapter_executes_for_every_edition_in_quick_mode(tmp_path, params):
    """2020.yaml is run by the shared fixture (conftest.py) that tests/test_editions.py checks; demo.yaml below."""
    res = run_report(params, out=tmp_path, quick=True, progress=False)
    assert res.ok, res.summary()
    assert len(list((res.path / "notebooks").glob("*.ipynb"))) == len(CHAPTERS)


def test_every_chapter_executes_for_the_demo_edition(demo_run):
    assert demo_run.ok, demo_run.summary()
    assert len(list((demo_run.path / "notebooks").glob("*.ipynb"))) == len(CHAPTERS)


def test_reruns_are_byte_identical(tmp_path, demo_run):
    """Chapters 1, 3, 6 and 10 (the build, tiers, GDP, Monte Carlo and Sobol) run again in other kernels
    give the same tables and facts, byte for byte, as in the full run."""
    b = run_report(ROOT / "params" / "demo.yaml", chapters=["1", "3", "6", "10"], out=tmp_path / "b", quick=True, progress=False)
    assert demo_run.ok and b.ok
    files = sorted(p.relative_to(b.path) for p in b.path.rglob("*") if p.suffix in (".csv", ".tex") or p.parent.name == "facts")
    assert len(files) > 20
    for rel in files:
        assert (demo_run.path / rel).read_bytes() == (b.path / rel).read_bytes(), rel


def test_english_edition_is_english_throughout(tmp_path, report_2020_result):
    """The default edition built in English (every chapter): no Chinese character in any output a
    reader sees (tables in every format, figures' text, facts, references, HTML pages, the index);
    and the Chinese build of the same edition has no English word beyond the symbols and names
    Chinese papers write in Latin letters (its references keep each work's language, GB/T 7714)."""
    from dgkit.report.language import scan_outputs
    from dgkit.report.tablewriter import read_table

    p = tmp_path / "en.yaml"
    p.write_text((ROOT / "params" / "2020.yaml").read_text(encoding="utf-8").replace("lang: zh", "lang: en").replace('edition: "2020"', 'edition: "2020-en"')
                 .replace("panel_edition: nbs.yaml", f"panel_edition: {ROOT / 'params' / 'nbs.yaml'}"), encoding="utf-8")
    res = run_report(p, out=tmp_path / "r", quick=True, progress=False)
    assert res.ok, res.summary()
    assert scan_outputs(res.path, "en") == {}
    assert scan_outputs(report_2020_result.path, "zh") == {}
    tab = read_table(res.path / "tables" / "02_ranking__ranking.csv", keys=False)
    assert list(tab.columns[:5]) == ["unit ID", "name", "score", "rank", "printed rank"] and "Shanghai" in set(tab["name"])
    tiers_csv = (res.path / "tables" / "03_tiers__tiers.csv").read_text(encoding="utf-8-sig")
    assert "Leading" in tiers_csv and "Tsinghua 2020 fixed thresholds" in tiers_csv
    facts = json.loads((res.path / "facts.json").read_text(encoding="utf-8"))
    assert "Leading 4" in facts["03_tiers.tiers"]["sentence"] and facts["02_ranking.ranking"]["sentence"].startswith("The 31 units average")
    assert facts["02_ranking.ranking"]["source"] == "Center on Data and Governance, Tsinghua University, 2020, Section 3.2, Table 3-1"
    regions_csv = (res.path / "tables" / "05_regions__regions.csv").read_text(encoding="utf-8-sig")
    assert "East" in regions_csv
    refs = (res.path / "references.md").read_text(encoding="utf-8")
    assert "[in Chinese]" in refs and "Dagum, C. (1997)" in refs  # APA, the Chinese reports in English
    zh_refs = (report_2020_result.path / "references.md").read_text(encoding="utf-8")
    assert "清华大学数据治理研究中心, 2020. 2020数字政府发展指数报告[R]" in zh_refs and "DAGUM C, 1997" in zh_refs  # GB/T 7714


def test_paper_outputs_of_the_default_report(tmp_path, report_2020_result):
    """Every LaTeX table of the default report compiles in one xelatex + xeCJK document; no output
    names a seed report by its file; every output file name is ASCII; chapter 9 has its figure."""
    import re

    from latex_helpers import compile_tables

    r = report_2020_result.path
    pdf, _ = compile_tables(sorted((r / "tables").glob("*.tex")), tmp_path)
    assert pdf.stat().st_size > 10_000
    seed_file = re.compile(rb"\d{3}_[0-9a-f]{16}\.txt")
    outputs = [p for p in r.rglob("*") if p.is_file() and p.relative_to(r).parts[0] not in ("logs", "notebooks") and p.name != "manifest.json"]
    assert not [p.name for p in outputs if p.suffix in (".csv", ".tex", ".json", ".md", ".html", ".svg", ".bib") and seed_file.search(p.read_bytes())]
    assert all(p.name.isascii() for p in r.rglob("*"))
    assert (r / "figures" / "09_cities__type_tier_shares.png").exists()
