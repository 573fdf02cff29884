"""Editions on any dataset, end to end: ``run_report`` on four kinds of edition, checked on the files
it writes.

* ``egdi``    — real country data: three UN E-Government Surveys (2014, 2016, 2018), EGDI with its
  components, cut from the shared reference data (tests/data/editions/un_egdi_2014_2018.*).
* ``county``  — SYNTHETIC county data: 2,850 counties × 2017–2023 from ``dgkit.demo.write_county_panel``,
  its headline measure analysed as given (no framework has its three measures).
* ``cpsc``    — one period only: 中央党校 2019 provinces (tests/data/editions/cpsc_single_period.yaml).
* ``default`` — params/2020.yaml.
* ``egdi-2016`` — the 2016 report of ``run_report(..., years=[2016, 2018])`` on the egdi edition.

Each report runs once (module-scoped fixtures, quick mode). What every report must satisfy: no chapter
fails; nothing is marked synthetic unless its dataset says so (and then everything is); units appear
by name, never by code or as NaN; figures fit one A4 page in height; every skipped section states a
reason, shown in the chapter and on the index page; no absolute or staging path in any file; files
0644 and folders 0755.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import socket
import stat
import struct
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from dgkit.datasets import open_dataset
from dgkit.params import CHAPTERS
from dgkit.report.recorder import SYNTH_TAG
from dgkit.report.runner import run_report

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "editions"
EGDI_PARAMS = DATA / "egdi_three_editions.yaml"
EGDI_CSV = DATA / "un_egdi_2014_2018.csv"
CPSC_PARAMS = DATA / "cpsc_single_period.yaml"
A4_HEIGHT_PX = 11.69 * 300  # A4 is 11.69 in tall; figures are written at 300 dpi
TEXT_SUFFIXES = {".ipynb", ".html", ".json", ".md", ".csv", ".tex", ".log", ".svg", ".txt"}
SYNTH_MARKS = ("SYNTHETIC", "合成数据")
NAN_WORD = re.compile(r"(?<![A-Za-z])(nan|NaN|None|<NA>)(?![A-Za-z])")
OUTCOMES = {"ok", "partial", "skipped"}
# every report here is a full end-to-end run, run once per test process (pytest-xdist --dist loadfile keeps this file on one worker; the default edition's run
# is shared with tests/test_report.py through conftest.py)
pytestmark = pytest.mark.slow


@dataclass
class Report:
    """One finished report and what the checks need to know about it."""

    key: str
    result: object
    path: Path
    dataset: object
    out: Path  # the ``out`` folder given to run_report (its staging folders live there)
    elsewhere: tuple[Path, ...] = ()  # other temporary folders of the run (e.g. the county data)

    @property
    def synthetic(self) -> bool:
        return bool(self.dataset.synthetic)

    @property
    def codes(self) -> set[str]:
        """Every unit id of the dataset and of the units' parents (ISO3, 6-digit codes …)."""
        u = self.dataset.units
        ids = {str(i) for i in u.index}
        if "parent" in u.columns:
            ids |= {str(p) for p in u["parent"].dropna() if str(p)}
        return ids


def _run(params, out, **kw):
    return run_report(params, out=out, quick=True, progress=False, **kw)


def _check_ok(res):
    assert res.ok, res.summary()
    assert res.failures == []


# ---------------------------------------------------------------------------------- the reports
@pytest.fixture(scope="module")
def egdi_report(egdi_years):
    """The edition's own year (2018) from the run of ``--years 2016,2018`` below: the same kernels,
    the same chapters, its folder ``<edition>-2018``."""
    out, results = egdi_years
    res = results[1]
    assert res.path.name.endswith("-2018")
    return Report("egdi", res, res.path, open_dataset(str(DATA / "un_egdi_2014_2018.yaml")), out)


@pytest.fixture(scope="module")
def county_data(tmp_path_factory):
    """The synthetic county panel and a params file analysing its headline measure."""
    from dgkit.demo import write_county_panel

    folder = tmp_path_factory.mktemp("county_data")
    yml = write_county_panel(folder)
    ds = open_dataset(str(yml))
    assert ds.synthetic and ds.level == "county" and len(ds.units) == 2850 and len(ds.periods) >= 5
    # its measures match no framework's indicators: the index is analysed as given
    assert ds.measures == ["gov_service_online_rate", "data_open_items", "digital_staff_per_10k"]
    params = folder / "county.yaml"
    # a dataset path is read as given or relative to the project folder (as params files write it)
    params.write_text(
        "edition: county\n"
        "title: 测试版 (县级合成数据 SYNTHETIC)\n"
        "lang: zh\nseed: 7\nfigure_formats: [png]\n"
        f"dataset: {os.path.relpath(yml, ROOT)}\n"
        "index: {measure: gov_service_online_rate}\n"
        "compare: all\n"
        "tiers:\n  - {name: five_equal_count, scheme: five_equal, by: count}\n"
        "  - {name: natural_breaks, scheme: natural_breaks, k: 4}\n"
        "progress: {method: z_change, ddof: 0, top: 10}\n"
        "benchmark: {datasets: []}\n", encoding="utf-8")
    return params, ds, folder


@pytest.fixture(scope="module")
def county_report(county_data, tmp_path_factory):
    params, ds, folder = county_data
    out = tmp_path_factory.mktemp("county") / "reports"
    res = _run(params, out)
    _check_ok(res)
    return Report("county", res, res.path, ds, out, (folder,))


@pytest.fixture(scope="module")
def cpsc_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("cpsc") / "reports"
    res = _run(CPSC_PARAMS, out)
    _check_ok(res)
    return Report("cpsc", res, res.path, open_dataset("cpsc_2019_provinces"), out)


@pytest.fixture(scope="module")
def default_report(report_2020_result):
    """params/2020.yaml: the session's shared run (conftest.py)."""
    res = report_2020_result
    _check_ok(res)
    return Report("default", res, res.path, open_dataset("tsinghua_2020_provinces"), res.path.parent)


@pytest.fixture(scope="module")
def egdi_years(tmp_path_factory):
    out = tmp_path_factory.mktemp("egdi_years") / "reports"
    results = _run(EGDI_PARAMS, out, years=[2016, 2018])
    assert isinstance(results, list) and len(results) == 2
    for r in results:
        _check_ok(r)
    return out, results


@pytest.fixture(scope="module")
def egdi_2016_report(egdi_years):
    out, results = egdi_years
    res = results[0]
    return Report("egdi-2016", res, res.path, open_dataset(str(DATA / "un_egdi_2014_2018.yaml")), out)


EDITIONS = ["egdi", "county", "cpsc", "default", "egdi_2016"]


@pytest.fixture(params=EDITIONS)
def report(request) -> Report:
    return request.getfixturevalue(f"{request.param}_report")


# ---------------------------------------------------------------------------------- helpers
def _facts(r: Report) -> dict:
    return json.loads((r.path / "facts.json").read_text(encoding="utf-8"))


def _manifest(r: Report) -> dict:
    return json.loads((r.path / "manifest.json").read_text(encoding="utf-8"))


def _table(path: Path) -> pd.DataFrame:
    """A report CSV as text cells, its columns named by their keys (the headers are the edition's language)."""
    from dgkit.report.tablewriter import read_table

    return read_table(path, dtype=str, keep_default_na=False)


def _leaves(v):
    """Every scalar inside a fact's value (a number, a string, a list or a mapping)."""
    if isinstance(v, dict):
        for x in v.values():
            yield from _leaves(x)
    elif isinstance(v, list | tuple):
        for x in v:
            yield from _leaves(x)
    else:
        yield v


def _strings(v):
    yield from (x for x in _leaves(v) if isinstance(x, str))


def _numbers(v):
    yield from (x for x in _leaves(v) if isinstance(x, int | float) and not isinstance(x, bool))


def _text_files(root: Path):
    return [p for p in sorted(root.rglob("*")) if p.is_file() and p.suffix in TEXT_SUFFIXES]


def _path_patterns(r: Report) -> list[tuple[str, re.Pattern]]:
    """An absolute path names a folder from its root: one not preceded by '.' (a relative path such
    as ``../../tmp/…`` — which the kit writes for files outside the project — is not one)."""
    pats = [("/work/", re.compile(r"(?<![.\w])/work/")), (".tmp-", re.compile(re.escape(".tmp-")))]
    for p in (r.out, *r.elsewhere, ROOT):
        pats.append((str(p), re.compile(r"(?<![.\w])" + re.escape(str(p)))))
    return pats


def _path_hits(r: Report, text: str) -> list[str]:
    hits = []
    for name, pat in _path_patterns(r):
        for m in pat.finditer(text):
            hits.append(f"{name!r}: …{text[max(0, m.start() - 60):m.end() + 40]}…")
    return hits


def _has_cjk(s: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in s)


# ---------------------------------------------------------------------------------- every edition
def test_no_chapter_fails_and_manifest_states_outcomes(report):
    res = report.result
    assert res.ok and res.failures == [], res.summary()
    assert res.path == report.out / res.edition and res.path.is_dir()
    assert not list(report.out.glob(".*.tmp-*")) and not list(report.out.glob("*.failed")), "staging folders left behind"
    m = _manifest(report)
    assert set(m["chapters"]) == set(CHAPTERS.values())
    for c, info in m["chapters"].items():
        assert info["status"] == "ok", (c, info)
        assert info["outcome"] in OUTCOMES, (c, info)
        assert (report.path / "notebooks" / f"{c}.ipynb").exists()
        assert (report.path / "html" / f"{c}.html").exists() and (report.path / "html" / "code" / f"{c}.html").exists()
    assert m["synthetic_inputs"] is report.synthetic
    assert m["datasets"][report.dataset.name]["synthetic"] is report.synthetic


def test_synthetic_mark_only_where_the_dataset_says_so(report):
    facts = _facts(report)
    assert facts, "no facts recorded"
    tag = SYNTH_TAG["zh"]
    html_pages = sorted((report.path / "html").rglob("*.html"))
    if report.synthetic:
        unmarked = [k for k, f in facts.items() if not f["sentence"].startswith(tag)]
        assert not unmarked, f"fact sentences without the synthetic mark: {unmarked}"
        for tex in (report.path / "tables").glob("*.tex"):
            assert tag in tex.read_text(encoding="utf-8"), f"{tex.name}: caption without the synthetic mark"
        for c in CHAPTERS.values():  # the edition line at the top of every chapter warns
            assert "合成数据" in (report.path / "html" / f"{c}.html").read_text(encoding="utf-8"), c
        assert "SYNTHETIC" in (report.path / "index.html").read_text(encoding="utf-8")
    else:
        for k, f in facts.items():
            assert not any(w in f["sentence"] for w in SYNTH_MARKS), (k, f["sentence"])
        files = [*(report.path / "tables").glob("*.csv"), *(report.path / "tables").glob("*.tex"), *html_pages,
                 report.path / "index.html", report.path / "facts.md", report.path / "facts.json"]
        marked = [p.relative_to(report.path).as_posix() for p in files if any(w in p.read_text(encoding="utf-8") for w in SYNTH_MARKS)]
        assert not marked, f"real data marked synthetic in {marked}"


def test_facts_name_units_never_codes_or_nan(report):
    codes = report.codes
    for k, f in _facts(report).items():
        s = f["sentence"]
        assert not NAN_WORD.search(s), (k, s)
        tokens = set(re.findall(r"[A-Za-z0-9_]+", s))
        assert not tokens & codes, f"{k}: unit codes {sorted(tokens & codes)} in {s!r}"
        if report.dataset.level == "county":
            assert not re.search(r"(?<!\d)\d{6}(?!\d)", s), (k, s)
        for v in _strings(f["value"]):
            assert v not in codes and not NAN_WORD.fullmatch(v), (k, f["value"])


def test_table_name_columns_hold_names(report):
    codes = report.codes
    tables = sorted((report.path / "tables").glob("*.csv"))
    assert tables
    with_names = 0
    for t in tables:
        df = _table(t)
        if "name" not in df.columns:
            continue
        with_names += 1
        names = df["name"].str.strip()
        bad = df[names.eq("") | names.str.fullmatch(NAN_WORD.pattern)]
        assert bad.empty, f"{t.name}: empty or NaN names in rows {bad.index.tolist()[:5]}"
        as_codes = sorted(set(names) & codes)
        assert not as_codes, f"{t.name}: codes shown as names: {as_codes[:5]}"
        if "unit_id" in df.columns and len(df):
            assert not (df["name"] == df["unit_id"]).any(), f"{t.name}: name equals unit_id"
    assert with_names >= 1, "no table names its units"


def test_figures_fit_one_a4_page(report):
    pngs = sorted((report.path / "figures").glob("*.png"))
    assert pngs, "no figure"
    for p in pngs:
        head = p.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", p.name
        width, height = struct.unpack(">II", head[16:24])
        assert height <= A4_HEIGHT_PX, f"{p.name}: {height} px = {height / 300:.2f} in at 300 dpi, taller than A4"
    from PIL import Image

    with Image.open(pngs[0]) as im:
        assert round(im.info["dpi"][1]) == 300


def test_skips_state_their_reason_in_chapter_and_index(report):
    m = _manifest(report)
    index = (report.path / "index.html").read_text(encoding="utf-8")
    for c, info in m["chapters"].items():
        f = report.path / "skips" / f"{c}.json"
        skips = json.loads(f.read_text(encoding="utf-8")) if f.exists() else []
        assert info["skipped_sections"] == skips, c
        assert (info["outcome"] == "ok") == (not skips), (c, info["outcome"], skips)
        page = (report.path / "html" / f"{c}.html").read_text(encoding="utf-8")
        for s in skips:
            assert s["section"].strip() and len(s["reason"].strip()) > 10, (c, s)
            assert html.escape(s["reason"]) in index, f"index.html does not list the skip of {c}/{s['section']}"
            shown = re.sub(r"`([^`]*)`", r"<code>\1</code>", html.escape(s["reason"]))  # Markdown code spans render as <code>
            assert shown in page, f"html/{c}.html does not state why {s['section']} was skipped"


def test_no_absolute_or_staging_path_in_outputs(report):
    """Every text file: executed notebooks (cells and metadata), HTML, facts, tables, manifest, index."""
    hits = {}
    for p in _text_files(report.path):
        h = _path_hits(report, p.read_text(encoding="utf-8", errors="replace"))
        if h:
            hits[p.relative_to(report.path).as_posix()] = h[:2]
    assert not hits, hits


def test_files_0644_and_folders_0755(report):
    """Everything inside the report folder (the folder itself: see the umask test below)."""
    wrong = []
    for p in report.path.rglob("*"):
        mode = stat.S_IMODE(p.stat().st_mode)
        want = 0o755 if p.is_dir() else 0o644
        if mode != want:
            wrong.append(f"{p.relative_to(report.path)} {oct(mode)}")
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("key", [
    "egdi", "cpsc", "default", "egdi_2016", "county",
])
def test_skip_reasons_in_the_edition_language(key, request):
    r = request.getfixturevalue(f"{key}_report")
    english = [(f.stem, s["section"], s["reason"]) for f in sorted((r.path / "skips").glob("*.json"))
               for s in json.loads(f.read_text(encoding="utf-8")) if not _has_cjk(s["reason"])]
    assert not english, english


# ---------------------------------------------------------------------------------- per edition
def test_egdi_is_real_country_data_with_three_editions(egdi_report):
    ds = egdi_report.dataset
    assert ds.level == "country" and ds.periods == [2014, 2016, 2018] and not ds.synthetic
    assert len(ds.units) == 193
    # the fixture is the reference data as printed, with its source per row
    ref = pd.read_csv(ROOT / "data" / "reference" / "un_egdi_2003_2024.csv", dtype=str, keep_default_na=False)
    cut = pd.read_csv(EGDI_CSV, dtype=str, keep_default_na=False)
    ref = ref[ref["survey_year"].isin(["2014", "2016", "2018"])][list(cut.columns)].reset_index(drop=True)
    pd.testing.assert_frame_equal(cut, ref)
    assert cut["source"].str.startswith("github:").all()
    m = _manifest(egdi_report)
    assert m["chapters"]["07_progress"]["outcome"] == "ok" and m["chapters"]["04_pillars"]["outcome"] == "ok"
    meta = json.loads((egdi_report.path / "tables" / "02_ranking__ranking.meta.json").read_text(encoding="utf-8"))
    assert meta["cite"] == [] and meta["source"] == ds.citation.rstrip(".")  # this test's dataset names no bibliography key: its citation as written
    assert "source" not in (egdi_report.path / "tables" / "02_ranking__ranking.csv").read_text(encoding="utf-8-sig")
    rank = _table(egdi_report.path / "tables" / "02_ranking__ranking.csv")
    assert rank.loc[0, "name"] == "丹麦"  # Denmark led the 2018 survey
    facts = _facts(egdi_report)
    assert "2016→2018" in facts["07_progress.top_advancers"]["sentence"]


def test_county_report_at_scale(county_report):
    r = county_report
    ds = r.dataset
    rank = _table(r.path / "tables" / "02_ranking__ranking.csv")
    assert len(rank) == ds.panel("gov_service_online_rate")[ds.periods[-1]].notna().sum() > 2700
    assert rank["unit_id"].str.fullmatch(r"\d{6}").all() and rank["name"].str.startswith("示例县").all()
    m = _manifest(r)
    assert m["chapters"]["07_progress"]["outcome"] == "ok" and m["chapters"]["08_dispersion"]["outcome"] == "ok"
    # the long ranking is drawn as top and bottom, within one page
    from PIL import Image

    with Image.open(r.path / "figures" / "02_ranking__ranking_bar.png") as im:
        assert im.size[1] <= A4_HEIGHT_PX


def test_county_names_identify_units(county_report):
    rank = _table(county_report.path / "tables" / "02_ranking__ranking.csv")
    assert rank["name"].nunique() == rank["unit_id"].nunique()


def test_single_period_states_why_progress_is_skipped(cpsc_report):
    r = cpsc_report
    assert r.dataset.periods == [2019]
    skips = json.loads((r.path / "skips" / "07_progress.json").read_text(encoding="utf-8"))
    assert skips and all("2019" in s["reason"] for s in skips), skips
    assert all("2" in s["reason"] and ("期" in s["reason"] or "period" in s["reason"]) for s in skips), skips
    m = _manifest(r)
    assert m["chapters"]["07_progress"]["outcome"] == "skipped"
    assert m["chapters"]["08_dispersion"]["outcome"] == "ok"  # the cross-section is analysed
    assert m["chapters"]["12_disparity"]["outcome"] == "skipped"  # convergence needs periods
    index = (r.path / "index.html").read_text(encoding="utf-8")
    assert all(html.escape(s["reason"]) in index for s in skips)
    assert not list((r.path / "tables").glob("07_progress__*"))
    assert (r.path / "tables" / "08_dispersion__dispersion.csv").exists()


def test_default_edition(default_report):
    m = _manifest(default_report)
    assert m["edition"] == "2020" and m["params_file"] == "params/2020.yaml"
    assert m["chapters"]["09_cities"]["outcome"] == "ok" and m["chapters"]["11_benchmark"]["outcome"] == "ok"


# ---------------------------------------------------------------------------------- years
def _egdi_scores(year: int) -> pd.Series:
    d = pd.read_csv(EGDI_CSV, dtype={"iso3": str})
    return d[d["survey_year"] == year].set_index("iso3")["egdi"]


def test_years_write_one_report_per_year(egdi_years):
    out, (r16, r18) = egdi_years
    assert (r16.path.name, r18.path.name) == ("egdi3-2016", "egdi3-2018")
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["egdi3-2016", "egdi3-2018"]
    for r, y in ((r16, 2016), (r18, 2018)):
        m = json.loads((r.path / "manifest.json").read_text(encoding="utf-8"))
        assert m["year"] == y and m["folder"] == r.path.name and m["edition"] == "egdi3"
        rank = _table(r.path / "tables" / "02_ranking__ranking.csv").set_index("unit_id")["score"].astype(float)
        expect = _egdi_scores(y).reindex(rank.index)
        assert (rank - expect).abs().max() < 0.0006, f"{r.path.name}: ranking is not of {y}"


def test_2016_report_never_uses_2018_data(egdi_years, egdi_2016_report):
    r = egdi_2016_report
    ds = r.dataset
    names_of_dataset = [ds.title, ds.short_title, ds.citation]  # they name the survey years the file holds

    def scrub(s: str) -> str:
        for n in names_of_dataset:
            s = s.replace(n, "")
        return s

    facts = _facts(r)
    for k, f in facts.items():
        assert "2018" not in scrub(f["sentence"]), (k, f["sentence"])
        assert all("2018" not in scrub(v) for v in _strings(f["value"])), (k, f["value"])
        assert 2018 not in set(_numbers(f["value"])), (k, f["value"])
    assert "2014→2016" in facts["07_progress.top_advancers"]["sentence"]
    for t in sorted((r.path / "tables").glob("*.csv")):
        df = _table(t)
        assert "2018" not in df.columns, t.name
        for col in ("from", "to", "edition", "period", "year", "first", "last"):
            if col in df.columns:
                years = pd.to_numeric(df[col], errors="coerce").dropna()
                assert (years <= 2016).all(), (t.name, col)
    z = _table(r.path / "tables" / "07_progress__zscores.csv")
    assert {"2014", "2016"} <= set(z.columns)
    # the 2016 focus year differs from the file's year: its top unit is 2016's, not 2018's
    top16, top18 = _egdi_scores(2016).idxmax(), _egdi_scores(2018).idxmax()
    assert top16 != top18
    rank = _table(r.path / "tables" / "02_ranking__ranking.csv")
    assert rank.loc[0, "unit_id"] == top16


def test_year_override_changes_the_focus_year(tmp_path):
    res = run_report(EGDI_PARAMS, out=tmp_path / "reports", quick=True, progress=False, year=2016, chapters=["2", "7"])
    _check_ok(res)
    assert res.path.name == "egdi3-2016"
    m = json.loads((res.path / "manifest.json").read_text(encoding="utf-8"))
    assert m["year"] == 2016 and m["year_override"] == 2016 and m["params"]["year"] == 2018  # the params as written, and the override
    rank = _table(res.path / "tables" / "02_ranking__ranking.csv").set_index("unit_id")["score"].astype(float)
    assert (rank - _egdi_scores(2016).reindex(rank.index)).abs().max() < 0.0006
    assert (rank - _egdi_scores(2018).reindex(rank.index)).abs().max() > 0.01
    facts = json.loads((res.path / "facts.json").read_text(encoding="utf-8"))
    assert "2014→2016" in facts["07_progress.rank_mobility"]["sentence"]
    z = _table(res.path / "tables" / "07_progress__zscores.csv")
    assert "2018" not in z.columns
    page = (res.path / "html" / "02_ranking.html").read_text(encoding="utf-8")
    assert "关注年份 2016; 比较期 2014, 2016;" in page  # the edition line at the top of the chapter


# ---------------------------------------------------------------------------------- permissions
@pytest.fixture(scope="module")
def report_under_umask_077(tmp_path_factory):
    """A small report written while the process umask is 077 (kernels inherit it)."""
    out = tmp_path_factory.mktemp("umask") / "reports"
    old = os.umask(0o077)
    try:
        res = run_report(EGDI_PARAMS, out=out, quick=True, progress=False, chapters=["2", "3"])
    finally:
        os.umask(old)
    _check_ok(res)
    return res.path


def test_files_readable_by_others_under_a_private_umask(report_under_umask_077):
    wrong = [f"{p.relative_to(report_under_umask_077)} {oct(stat.S_IMODE(p.stat().st_mode))}"
             for p in report_under_umask_077.rglob("*")
             if stat.S_IMODE(p.stat().st_mode) != (0o755 if p.is_dir() else 0o644)]
    assert not wrong, wrong[:10]


def test_report_folder_readable_by_others_under_a_private_umask(report_under_umask_077):
    assert stat.S_IMODE(report_under_umask_077.stat().st_mode) == 0o755


# ------------------------------------------------------------------ the default edition's report (params/2020.yaml), in detail
@pytest.fixture
def report_2020(report_2020_result):
    return report_2020_result.path


@pytest.mark.slow
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
    assert len(wb.sheetnames) == len(list((r / "tables").glob("*.csv"))) + 1  # an index sheet first
    csv = (r / "tables" / "02_ranking__ranking.csv").read_bytes()
    assert csv.startswith("\ufeff".encode()) and b"# source" not in csv  # a BOM and nothing but the table
    meta = json.loads((r / "tables" / "02_ranking__ranking.meta.json").read_text(encoding="utf-8"))
    assert meta["cite"] == ["tsinghua2020"] and meta["source"] == "清华大学数据治理研究中心, 2020: 三(二) 表3-1"
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
    assert (r / "facts.md").read_text(encoding="utf-8").startswith("# 主要发现")  # the findings in the edition's language


@pytest.mark.slow
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
    assert "清华 2020 固定阈值 0/31" in f["03_tiers.tier_reconciliation"]["sentence"]  # the scheme by its label
    assert f["09_cities.type_tier_shares"]["value"]["n_printed_differ"] == 2
    iw = f["11_benchmark.implied_weights"]
    assert iw["value"]["n"] == 5 and "赛迪 2020 总指数" in iw["sentence"]  # the dataset by its short title in the edition's language
    assert f["11_benchmark.kappa"]["value"]["n"] == 31
    built = f["01_index_construction.build_variant"]["value"]
    assert built["n"] == 31 and built["label_a"] == "熵权法" and 0.9 < built["rho"] <= 1
    claims = f["11_benchmark.published_claims"]["value"]
    assert claims["n"] > 300 and claims["n_inconsistent"] == sum(k.startswith("11_benchmark.published_claims.") for k in f)
    assert "高于国脉 2023 的惯例阈值 5 (0–100 分制" in f["08_dispersion.dispersion"]["sentence"]
    assert not any("SYNTHETIC" in v["sentence"] or "合成" in v["sentence"] for v in f.values())
    assert all(v["source"] for v in f.values())


# ------------------------------------------------------------------ JupyterLab in a browser
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.browser
@pytest.mark.slow
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
