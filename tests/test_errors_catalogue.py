"""Issue 8: the catalogue of bad inputs. Every case raises (or reports) a clear message naming
where and what; docs/errors.md lists each with the message a user sees.

Regenerate the document after changing a message:
    DGKIT_WRITE_ERRORS_DOC=1 .venv/bin/python -m pytest tests/test_errors_catalogue.py
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dgkit import errors as E

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "errors.md"


def _csv(tmp: Path, text: str, name: str = "mydata.csv") -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


def _read(text, **kw):
    def run(tmp):
        from dgkit.readers import read_indicators

        read_indicators(_csv(tmp, text), **kw)
    return run


def _fw(d):
    def run(tmp):
        from dgkit.framework import load_framework

        load_framework(d)
    return run


def _params(text):
    def run(tmp):
        from dgkit.params import load_params

        p = tmp / "edition.yaml"
        p.write_text(text, encoding="utf-8")
        load_params(p)
    return run


def _dataset(yaml_text, csv_text, csv_name="mydata.csv"):
    def run(tmp):
        from dgkit.datasets import open_dataset

        _csv(tmp, csv_text, csv_name)
        p = tmp / "dataset.yaml"
        p.write_text(yaml_text, encoding="utf-8")
        open_dataset(p)
    return run


def _xlsx_dataset(tmp):
    import openpyxl

    from dgkit.datasets import open_dataset

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标"
    ws.append(["province", "year", "x"])
    ws.append(["广东", 2020, 1])
    wb.create_sheet("说明")
    wb.save(tmp / "mydata.xlsx")
    p = tmp / "dataset.yaml"
    p.write_text("name: t\nfile: mydata.xlsx\nsheet: Data\nunits: {level: province, column: province}\nperiod: year\nsynthetic: false\n",
                 encoding="utf-8")
    open_dataset(p)


_DS = "name: t\nfile: mydata.csv\nsynthetic: false\n"
P2 = [{"code": "P", "name": "P", "weight": 0.6}, {"code": "Q", "name": "Q", "weight": 0.4}]
I2 = [{"code": "a", "name": "a", "parent": "P"}, {"code": "b", "name": "b", "parent": "Q"}]
CCID_COLS = None


def _ccid_header():
    from dgkit.framework import load_framework

    return load_framework("ccid_2020").indicator_codes


def _ccid_row(values):
    cols = _ccid_header()
    return "province,year," + ",".join(cols) + "\n广东,2020," + ",".join(values(cols)) + "\n"


def _build_zero_mean(tmp):
    from dgkit.pipeline.build import build

    fw = {"name": "t", "pillars": [{"code": "P", "name": "P", "weight": 1}], "indicators": [{"code": "x", "name": "x", "parent": "P", "type": "count"}]}
    from dgkit.framework import load_framework

    build(pd.DataFrame({"unit_id": ["440000", "330000"], "year": [2020, 2020], "x": [0.0, 0.0]}), load_framework(fw))


def _build_with(**options):
    def run(tmp):
        from dgkit import data
        from dgkit.pipeline.build import build

        build(data.demo_panel(), "ccid_2020", **options)
    return run


def _build_guomai(tmp):
    from dgkit.pipeline.build import build

    pillars = ["OVR", "CAP", "FND", "SEC", "OUT"]
    build(pd.DataFrame({"unit_id": ["440000", "330000"], **{p: [1.0, 2.0] for p in pillars}}), "guomai_2023")


def _minmax_constant(tmp):
    from dgkit.normalise import minmax

    minmax(pd.DataFrame({"x": [5.0, 5.0, 5.0]}), context=" in 2021")


def _geometric_zero(tmp):
    from dgkit.aggregate import aggregate

    aggregate(pd.DataFrame({"a": [0.0, 50.0], "b": [10.0, 20.0]}, index=["440000", "330000"]), pd.Series({"a": 0.5, "b": 0.5}), "geometric")


def _missing_edition(tmp):
    from dgkit.stats.progress import advancement_rate

    w = pd.DataFrame({2018: [0.5, 0.6, 0.7], 2020: [0.55, np.nan, 0.75]}, index=["China", "Japan", "Korea"])
    return advancement_rate(w).sentence + "; listed: " + ", ".join(advancement_rate(w).extra["missing"]["unit"])


def _existing_report(tmp):
    from dgkit.report.runner import run_report

    (tmp / "reports" / "2020").mkdir(parents=True)
    (tmp / "reports" / "2020" / "manifest.json").write_text('{"dgkit_version": "0.1.0", "edition": "2020"}')
    run_report(ROOT / "params" / "2020.yaml", chapters=["2"], out=tmp / "reports", progress=False)


def _unwritable(tmp):
    from dgkit.report.runner import run_report

    (tmp / "blocked").write_text("a file where the report folder should be")
    run_report(ROOT / "params" / "2020.yaml", chapters=["2"], out=tmp / "blocked" / "reports", progress=False)


def _unknown_dataset(tmp):
    from dgkit import data

    data.load("tsinghua_2020_provinse")


def _ahp_not_reciprocal(tmp):
    from dgkit.weights import ahp

    ahp(np.array([[1, 3], [3, 1]]))


def _bad_direction_normalise(tmp):
    from dgkit.normalise import normalise

    normalise(pd.DataFrame({"x": [1.0, 2.0]}), "minmax", directions={"x": 0})


def _unknown_normalisation(tmp):
    from dgkit.normalise import normalise

    normalise(pd.DataFrame({"x": [1.0, 2.0]}), "min_max")


# id, category, bad input, callable, exception (None = a report, not an error), must contain
CASES = [
    ("D01", "data", "misspelt province name (广栋)", _read("province,year,A\n广东,2020,1\n广栋,2020,2\n"), E.UnknownUnitError, ["row 3", "column 'province'", "广东"]),
    ("D02", "data", "ambiguous unit name (Taizhou: 台州 or 泰州)", _read("city,year,A\nTaizhou,2020,1\n", unit_level="city"), E.AmbiguousUnitError, ["row 2", "台州", "泰州"]),
    ("D03", "data", "empty unit name", _read("province,year,A\n,2020,1\n"), E.UnknownUnitError, ["row 2", "empty province name"]),
    ("D04", "data", "two rows for the same unit, year and indicator with different values", _read("province,year,A\n广东,2020,1\n广东省,2020,2\n"), E.DataValidationError, ["rows 2, 3", "conflicting duplicate"]),
    ("D05", "data", "text in a numeric cell (八五)", _read("province,year,A\n广东,2020,八五\n"), E.InputError, ["row 2", "column 'A'", "not a number", "八五"]),
    ("D06", "data", "malformed thousands separators (1,23,4)", _read('province,year,A\n广东,2020,"1,23,4"\n'), E.InputError, ["row 2", "not a number"]),
    ("D07", "data", "an indicator column with no values at all", _read("province,year,A,B\n广东,2020,1,\n浙江,2020,2,\n"), E.DataValidationError, ["column 'B'", "empty"]),
    ("D08", "data", "an indicator that is all missing markers (NA, -)", _read("province,year,A,B\n广东,2020,1,NA\n浙江,2020,2,-\n"), E.DataValidationError, ["column 'B'", "all missing"]),
    ("D09", "data", "a year that is not a year (20x0)", _read("province,year,A\n广东,20x0,1\n"), E.InputError, ["row 2", "column 'year'"]),
    ("D10", "data", "values in a column without a header", _read("province,year,A,\n广东,2020,1,5\n"), E.InputError, ["without a header"]),
    ("D11", "data", "the same column header twice", _read("province,year,A,A\n广东,2020,1,2\n"), E.InputError, ["duplicate column header"]),
    ("D12", "data", "no recognisable header row", _read("name,A\n广东,1\n"), E.InputError, ["no header row", "province"]),
    ("D13", "data", "a negative count (CCID count indicator)", _read(_ccid_row(lambda cols: ["-3"] + ["1"] * (len(cols) - 1)), framework="ccid_2020"), E.DataValidationError, ["negative value for a count indicator", "INF01"]),
    ("D14", "data", "an indicator code not in the framework (DAT4X)", _read(_ccid_row(lambda cols: ["1"] * len(cols)).replace("DAT04", "DAT4X"), framework="ccid_2020"), E.FrameworkError, ["DAT4X", "not in framework", "DAT04"]),
    ("D15", "data", "a framework indicator missing from the data", _read(_ccid_row(lambda cols: ["1"] * len(cols)).replace(",DAT04", "").rsplit(",", 1)[0] + "\n", framework="ccid_2020"), E.FrameworkError, ["not in the data", "DAT04"]),
    ("D16", "data", "an unsupported file type", lambda tmp: __import__("dgkit.readers", fromlist=["x"]).read_indicators(_csv(tmp, "x", "data.docx")), E.InputError, ["unsupported file type", ".docx"]),
    ("D17", "data", "a file that does not exist", lambda tmp: __import__("dgkit.readers", fromlist=["x"]).read_indicators(tmp / "nope.csv"), E.InputError, ["file not found"]),
    ("D18", "data", "an all-zero indicator under ln(1 + X/X̄) (zero base mean)", _build_zero_mean, E.NormalisationError, ["positive base mean", "X̄ = 0", "in 2020"]),
    ("D19", "data", "a constant indicator under min-max", _minmax_constant, E.NormalisationError, ["constant", "in 2021"]),
    ("D20", "data", "zeros under a geometric mean", _geometric_zero, E.NormalisationError, ["zero or negative at 440000/a", "zeros='shift'"]),
    ("D21", "data", "a unit missing in one edition (推进率)", _missing_edition, None, ["missing in one edition", "Japan"]),
    ("D22", "data", "an unknown bundled data set name", _unknown_dataset, E.InputError, ["no bundled data set", "tsinghua_2020_provinces"]),
    ("F01", "framework", "weights that do not sum to 1 within a group", _fw({"name": "t", "pillars": [{"code": "P", "name": "P", "weight": 0.7}, {"code": "Q", "name": "Q", "weight": 0.4}], "indicators": I2}), E.FrameworkError, ["sum to 1.1", "off by +0.1"]),
    ("F02", "framework", "an unknown parent", _fw({"name": "t", "pillars": P2, "indicators": [{"code": "a", "name": "a", "parent": "PP"}]}), E.FrameworkError, ["unknown parent 'PP'", "closest valid: P"]),
    ("F03", "framework", "a cycle of parents", _fw({"name": "t", "pillars": [{"code": "P", "name": "P", "parent": "Q"}, {"code": "Q", "name": "Q", "parent": "P"}], "indicators": I2}), E.FrameworkError, ["cycle", "P → Q → P"]),
    ("F04", "framework", "a direction that is not ±1", _fw({"name": "t", "pillars": P2, "indicators": [{"code": "a", "name": "a", "parent": "P", "direction": 0}, {"code": "b", "name": "b", "parent": "Q"}]}), E.FrameworkError, ["direction", "+1", "-1"]),
    ("F05", "framework", "a type that is not count or index", _fw({"name": "t", "pillars": P2, "indicators": [{"code": "a", "name": "a", "parent": "P", "type": "ratio"}, {"code": "b", "name": "b", "parent": "Q"}]}), E.FrameworkError, ["type 'ratio'", "count"]),
    ("F06", "framework", "the same code twice", _fw({"name": "t", "pillars": P2, "indicators": [{"code": "a", "name": "a", "parent": "P"}, {"code": "a", "name": "a2", "parent": "Q"}]}), E.FrameworkError, ["duplicate code", "a"]),
    ("F07", "framework", "weights given for some members of a group only", _fw({"name": "t", "pillars": P2, "indicators": [{"code": "a", "name": "a", "parent": "P", "weight": 0.5}, {"code": "a2", "name": "a2", "parent": "P"}, {"code": "b", "name": "b", "parent": "Q"}]}), E.FrameworkError, ["some members but not for a2"]),
    ("F08", "framework", "an unknown framework name", lambda tmp: __import__("dgkit.framework", fromlist=["x"]).load_framework("ccid2020"), E.FrameworkError, ["no framework 'ccid2020'", "ccid_2020"]),
    ("F09", "framework", "an AHP matrix that is not reciprocal", _ahp_not_reciprocal, ValueError, ["reciprocal"]),
    ("F10", "framework", "a direction of 0 passed to a normalisation", _bad_direction_normalise, E.NormalisationError, ["direction of x is 0"]),
    ("F11", "framework", "an unknown normalisation method", _unknown_normalisation, E.StepError, ["unknown normalise method 'min_max'", "closest valid: minmax"]),
    ("B01", "build", "an unknown build option", _build_with(base_year=2019), E.StepError, ["no option 'base_year'", "closest valid: base_period"]),
    ("B02", "build", "a misspelt base (baseyear)", _build_with(base="baseyear"), E.StepError, ["base='baseyear' is not valid", "base_period"]),
    ("B03", "build", "an unknown option of a step", _build_with(normalisation={"method": "minmax", "high": 1}), E.StepError,
     ["normalise 'minmax' has no option 'high'", "closest valid: hi"]),
    ("B04", "build", "an option value outside the allowed ones", _build_with(aggregation={"method": "geometric", "zeros": "drop"}), E.StepError,
     ["zeros='drop' is not valid", "'error' | 'shift'"]),
    ("B05", "build", "a level the framework does not have", _build_with(aggregation={4: "geometric"}), E.StepError,
     ["level 4 is not a level", "levels 2–3"]),
    ("B06", "build", "a framework that does not publish its method", _build_guomai, E.StepError, ["does not publish its normalisation", "choose one"]),
    ("B07", "build", "dropping a code that is not in the framework", _build_with(drop=["INF99"]), E.FrameworkError, ["cannot drop 'INF99'", "closest valid: INF"]),
    ("B08", "build", "distance to target without targets", _build_with(normalisation="target"), E.NormalisationError, ["needs 'target' for indicator(s) INF01", "(34 in all)", "set `target:` on each indicator"]),
    ("P10", "params", "an unknown build option in index.options", _params("edition: x\nindex: {options: {treatment: winsorise}}\n"), E.ParamsError,
     ["index.options.treatment", "unknown build option", "closest valid: treat"]),
    ("P11", "params", "several problems in one params file (all listed at once)", _params("edition: x\ndataset: tsinghua_2020_provinces\nindex: {measure: score}\nyear: 2019\ngroupings: [四大地区]\ntiers: [{name: a, scheme: fixed, thresholds: [50, 70]}]\n"),
     E.ParamsProblems, ["3 problems in params file", "no period 2019", "closest valid: 2020", "closest valid: 四大地带", "descending order"]),
    ("P12", "params", "a key of the earlier params format", _params("edition: x\ndataset: un_egdi\nindex: {measure: egdi}\nscores: {source: un_egdi}\n"), E.ParamsError,
     ["earlier params format", "dataset + index.measure + year"]),
    ("P13", "params", "a measure the dataset does not have", _params("edition: x\ndataset: un_egdi\nindex: {measure: egdii, components: [osi, hci, tij]}\n"), E.ParamsError,
     ["unknown measure of dataset 'un_egdi'", "closest valid: egdi", "closest valid: tii"]),
    ("P01", "params", "an unknown key", _params("edition: x\nlanguage: zh\n"), E.ParamsError, ["unknown key 'language'", "closest valid: lang"]),
    ("P02", "params", "a value of the wrong type", _params("edition: x\nquick: maybe\n"), E.ParamsError, ["wrong type for 'quick'", "true/false"]),
    ("P03", "params", "an edition whose dataset YAML does not exist", _params("edition: x\ndataset: data/my_2024.yaml\nindex: {measure: x}\n"), E.ParamsError, ["column 'dataset'", "my_2024.yaml"]),
    ("P04", "params", "an output folder inside the kit's own folders (out: <project>/data/reports)", _params(f"edition: x\nout: {ROOT / 'data' / 'reports'}\n"), E.ParamsError, ["column 'out'", "inside the kit's own 'data' folder", "a folder of your own"]),
    ("P05", "params", "an unsafe YAML tag", _params("edition: !!python/object/apply:os.system ['echo hacked']\n"), E.ParamsError, ["unsafe or unknown YAML tag", "row 1"]),
    ("P06", "params", "invalid YAML", _params("edition: x\n  lang: [zh\n"), E.ParamsError, ["invalid YAML"]),
    ("P07", "params", "no edition key", _params("title: untitled\n"), E.ParamsError, ["missing required key 'edition'"]),
    ("P08", "params", "an unknown chapter", _params("edition: x\ndataset: un_egdi\nindex: {measure: egdi}\nchapters: [14]\n"), E.ParamsError, ["unknown chapter", "13 (13_dynamics)"]),
    ("P09", "params", "a dataset name that does not exist", _params("edition: x\ndataset: tsinghua\nindex: {measure: score}\n"), E.ParamsError, ["unknown dataset", "column 'dataset'", "tsinghua_2020"]),
    ("V01", "dataset", "an unknown key in a dataset YAML", _dataset(_DS + "units: {level: province, column: province}\nperiod: year\nmeasure: [x]\n", "province,year,x\n广东,2020,1\n"), E.DatasetError, ["unknown key 'measure'", "closest valid: measures"]),
    ("V02", "dataset", "an unknown unit level", _dataset(_DS + "units: {level: provence, column: province}\nperiod: year\n", "province,year,x\n广东,2020,1\n"), E.DatasetError, ["units.level", "closest valid: province"]),
    ("V03", "dataset", "a unit column that is not in the file", _dataset(_DS + "units: {level: province, column: provinces}\nperiod: year\n", "province,year,x\n广东,2020,1\n"), E.DatasetError, ["unit column 'provinces' (units.column) not found", "closest valid: province"]),
    ("V04", "dataset", "several unknown country names (all listed, each with its rows)", _dataset(_DS + "units: {level: country, column: economy}\nperiod: year\n", "economy,year,x\nKorea Rep,2020,1\nNarnia,2020,2\nGermany,2020,3\nNarnia,2021,2\nCongo Dem Rep,2020,4\n"), E.DatasetError, ["1 problem(s)", "got 'Narnia'", "rows 3, 5"]),
    ("V05", "dataset", "an ambiguous name (Korea)", _dataset(_DS + "units: {level: country, column: economy}\nperiod: year\n", "economy,year,x\nKorea,2020,1\n"), E.DatasetError, ["ambiguous country name", "Republic of Korea", "Democratic People's Republic of Korea"]),
    ("V06", "dataset", "a name column that names another unit than the id column", _dataset(_DS + "units: {level: country, column: iso3, name: economy}\nperiod: year\n", "iso3,economy,year,x\nGBR,France,2020,1\n"), E.DatasetError, ["'France' is France (FRA) but the id column says GBR"]),
    ("V07", "dataset", "a county code that is not 6 digits", _dataset(_DS + "units: {level: county, column: code}\nperiod: year\n", "code,year,x\n110101,2020,1\n11010,2020,2\n"), E.DatasetError, ["county code is not 6 digits", "got '11010'"]),
    ("V08", "dataset", "county names repeated in a period without a parent column", _dataset(_DS + "units: {level: county, column: county}\nperiod: year\n", "county,year,x\n朝阳区,2020,1\n朝阳区,2020,2\n"), E.DatasetError, ["names alone are ambiguous", "parent column"]),
    ("V09", "dataset", "conflicting duplicate rows", _dataset(_DS + "units: {level: province, column: province}\nperiod: year\n", "province,year,x\n广东,2020,1\n广东省,2020,2\n"), E.DatasetError, ["conflicting duplicate rows for unit 440000, period 2020", "row 2", "row 3"]),
    ("V10", "dataset", "a period that is not a whole number", _dataset(_DS + "units: {level: province, column: province}\nperiod: year\n", "province,year,x\n广东,二〇二〇,1\n"), E.DatasetError, ["not a period", "got '二〇二〇'"]),
    ("V11", "dataset", "a measure named in the YAML that the file lacks", _dataset(_DS + "units: {level: province, column: province}\nperiod: year\nmeasures: [scor]\n", "province,year,score\n广东,2020,1\n"), E.DatasetError, ["measure 'scor' not found", "closest valid: score"]),
    ("V12", "dataset", "a workbook sheet that does not exist (the sheets are listed)", _xlsx_dataset, E.DatasetError, ["no sheet 'Data'", "one of the sheets 指标, 说明"]),
    ("R01", "run", "a report that already exists, without --force", _existing_report, E.OutputExistsError, ["exists", "--force"]),
    ("R02", "run", "an output folder that cannot be written (a file in the way, a read-only or full disk)", _unwritable, E.ReportError, ["cannot write the report"]),
]
T_SAFETY = "tests/test_run_safety.py::"
RUN_CASES_ELSEWHERE = [
    ("R03", "run", "a chapter that raises", "ChapterError summary", "report exits 1: `07_progress: cell 7: ValueError: …` — the previous report is kept, the partial notebook is in `reports/<edition>.failed/`", "tests/test_report.py::test_failed_chapter_keeps_the_previous_report_and_the_failed_notebook"),
    ("R04", "run", "a kernel that dies", "ChapterError summary", "report exits 1: `07_progress: cell ?: the kernel died: …` — as above; the next chapter gets a new kernel", "tests/test_report.py::test_failed_chapter_keeps_the_previous_report_and_the_failed_notebook"),
    ("R20", "run", "Ctrl-C (SIGINT) while chapters run", "ReportInterrupted", "exit 130 with one line: `dgkit: interrupted by SIGINT: kernels stopped, staging folder removed, previous report kept: <dir>/reports/2020` (kernels killed at once; about 0.6 s, benchmarks/bench_interrupt.py)", T_SAFETY + "test_a_signal_stops_the_kernels_removes_staging_and_keeps_the_previous_report"),
    ("R21", "run", "SIGTERM (kill, a scheduler's time limit) while chapters run", "ReportInterrupted", "exit 143 with one line: `dgkit: interrupted by SIGTERM: …` as above", T_SAFETY + "test_a_signal_stops_the_kernels_removes_staging_and_keeps_the_previous_report"),
    ("R22", "run", "staging folders left by a run that was killed (SIGKILL, power cut)", "(repair)", "removed at the next start of the same edition, once its lock is held (`.2020.tmp-<pid>`, `.2020.old-<pid>`); other editions' folders are left alone", T_SAFETY + "test_staging_left_by_a_killed_run_is_removed_at_the_next_start"),
    ("R23", "run", "an input file (data, params, notebook) edited while the report runs", "(report, not published)", "report exits 1: `inputs: input file(s) changed during the run, so chapters may have read different versions: <file> (sha256 … at the start, … at the end); run the report again` — the new report goes to `<edition>.failed/`, its manifest lists `inputs_changed_during_run`", T_SAFETY + "test_an_input_changed_during_the_run_is_reported_and_the_report_not_published"),
    ("R24", "run", "a really full disk (a 64 KiB tmpfs)", "ReportError", "`cannot write the report under <dir>: the disk is full (No space left on device); the staging folder was removed and the previous report kept; free some space and run again`; the next run is not blocked", T_SAFETY + "test_a_really_full_disk_is_a_report_error_and_the_next_run_is_not_blocked"),
    ("R25", "run", "a private umask (077)", "(repair)", "every output file is mode 644 and every folder 755, the output folder included", T_SAFETY + "test_outputs_are_readable_by_others_under_a_private_umask"),
]


# Cases of issue 16 live in one module per area (tests/catalogue_<area>.py, each with a CASES list in
# the format above), so the areas can grow independently; they are run and documented here.
EXTRA_MODULES = sorted(p.stem for p in Path(__file__).parent.glob("catalogue_*.py"))
for _name in EXTRA_MODULES:
    CASES += __import__(_name).CASES
_ids = [c[0] for c in CASES] + [c[0] for c in RUN_CASES_ELSEWHERE]
assert len(_ids) == len(set(_ids)), sorted({i for i in _ids if _ids.count(i) > 1})


def _message(case, tmp):
    cid, cat, what, fn, exc, needles = case
    if exc is None:
        return fn(tmp)
    with pytest.raises(exc) as info:
        fn(tmp)
    return str(info.value)


def _clean(msg: str, tmp: Path) -> str:
    return msg.replace(str(tmp), "<dir>").replace(str(ROOT), "<project>")


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_message(case, tmp_path):
    msg = _message(case, tmp_path)
    for n in case[5]:
        assert n in msg, (case[0], n, msg)
    assert "Traceback" not in msg
    if case[4] is not None and case[4] is not ValueError:
        assert issubclass(case[4], E.DgkitError)
    if case[1] == "data" and case[0] <= "D17":
        assert "mydata.csv" in msg or "nope.csv" in msg or "data.docx" in msg, "names the file"


def test_catalogue_is_large_and_documented(tmp_path_factory):
    assert len(CASES) + len(RUN_CASES_ELSEWHERE) >= 130
    rows = []
    for case in CASES if os.environ.get("DGKIT_WRITE_ERRORS_DOC") else []:  # each case's message is checked above
        tmp = tmp_path_factory.mktemp(case[0])
        msg = _clean(_message(case, tmp), tmp).replace("|", "\\|").replace("\n", " ")
        rows.append(f"| {case[0]} | {case[1]} | {case[2]} | {'(report, not an error)' if case[4] is None else case[4].__name__} | {msg} |")
    for cid, cat, what, exc, msg, test in RUN_CASES_ELSEWHERE:
        rows.append(f"| {cid} | {cat} | {what} | {exc} | {msg} (test: `{test}`) |")
    doc = "\n".join([
        "# What dgkit says when an input is wrong",
        "",
        "Every case below has a test (`tests/test_errors_catalogue.py`; runs: `tests/test_report.py`).",
        "Errors derive from `dgkit.errors.DgkitError`; the command line prints them as `dgkit: error: …`",
        "and exits 2 (a failed chapter exits 1). Rows are spreadsheet rows: the header is row 1.",
        "`<dir>` stands for the folder of your file.",
        "",
        "Dataset YAMLs (`dgkit validate dataset.yaml`, `dgkit.open_dataset`) report every problem at once:",
        "the V cases below show one problem each, but a file with several gets them all in one message.",
        "",
        "Repairs that are made and logged instead of refused (`IndicatorTable.repairs`, `Dataset.repairs`,",
        "`Params.notes`, `Framework.notes` and the build log), each with its file, row and column:",
        "",
        "- **files**: the encoding when it is not UTF-8 (GBK/GB18030, UTF-16 with or without a byte-order mark,",
        "  a doubled BOM); the separator of a `.csv` that uses tabs or semicolons; a hidden first sheet skipped",
        "  for the visible data sheet; a header repeated below the data, a units row (亿元, 万人) and title",
        "  rows above the header skipped; two-row headers (一级指标 over 二级指标, merged or blank-filled)",
        "  combined; a unit name merged down over its years filled in;",
        "- **cells**: full-width digits and punctuation (`１２.５`); thousands separators (`1,234`);",
        "  percentages (`85%` → 85, and Excel cells formatted as percent alike); missing markers (blank, `-`,",
        "  `—`, `NA`, `..`) and Excel error values (`#DIV/0!`, `#N/A`, in CSV and XLSX alike) read as missing;",
        "  zero-width, non-breaking and full-width spaces in headers, names and numbers; a leading apostrophe",
        "  (`'123`); empty unnamed columns; exact duplicate rows;",
        "- **units**: a country name matched by its words (`Taiwan, China` → TWN); countries renamed between",
        "  UN editions harmonised (`dgkit.data.egdi`);",
        "- **YAML**: a byte-order mark, UTF-16 and GBK files decoded; names and codes that plain YAML would turn",
        "  into numbers, booleans or dates (`1.10`, `NO`, `0012`) kept as written; weights written as",
        "  percentages (`60%` → 0.6) or fractions (`1/3`, exact); directions written `+`, `-`, `positive`,",
        "  `正向`, `负向`; a weight of 0 kept and noted;",
        "- **runs**: staging folders of killed runs removed; outputs made readable by others (mode 644).",
        "",
        "Refused, never guessed: `nan`, `inf` and `1e400` as cell text (not finite numbers); magnitude",
        "suffixes (`12.5万`: the exact value is offered); hidden rows, columns and sheets unless the dataset",
        "YAML says `hidden: include` or `drop`; Big5 and Windows-1252 files; anything over the limits of",
        "`dgkit/limits.py` (README, *Reliability*).",
        "",
        "| id | kind | bad input | exception | what the user sees |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ])
    if os.environ.get("DGKIT_WRITE_ERRORS_DOC"):
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(doc, encoding="utf-8")
    text = DOC.read_text(encoding="utf-8")
    for case in CASES:
        assert f"| {case[0]} |" in text, f"{case[0]} missing from docs/errors.md (regenerate it)"
        for n in case[5]:
            assert n.replace("|", "\\|") in text, (case[0], n)
