"""Issue 16, part 5: fuzzing of the two reading routes — ``read_indicators`` and a dataset YAML.

Inputs: arbitrary bytes under every accepted name; CSV text built from a grammar of plausible and
hostile cells (unit names, numbers, Excel error tokens, unicode spaces, separators, quotes,
magnitude suffixes, encodings); workbooks with hidden rows, merged headers and odd cells; and
arbitrary dataset YAML mappings. Whatever the input, a failure is a :class:`~dgkit.errors.DgkitError`
whose message names the file, and a row and a column whenever it is about one cell.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dgkit import datasets
from dgkit.errors import DatasetError, DgkitError, InputError
from dgkit.readers import read_indicators

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_N", 100)), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# a message about one cell names its row and column (route 1: the InputError; route 2: each listed problem)
CELL_PROBLEMS = ("not a number", "not a finite number", "a date, not a number", "magnitude suffix", "a number followed by",
                 "a bound or an approximation", "a comma in a number", "Excel error value", "unknown province name",
                 "empty province name", "not a valid year", "not a period")


def _check_message(msg: str, file: str) -> None:
    assert "Traceback" not in msg, msg
    assert file in msg, (file, msg)
    if any(p in msg for p in CELL_PROBLEMS):
        assert re.search(r"rows? \d", msg) and "column '" in msg, msg


def _route1(path: Path, **kw: Any) -> None:
    try:
        read_indicators(path, **kw)
    except DgkitError as exc:
        _check_message(str(exc), path.name)
        if isinstance(exc, InputError) and exc.row is not None:
            assert exc.row >= 1


def _route2(path: Path, *, unit: str = "province", extra: str = "") -> None:
    y = path.parent / "dataset.yaml"
    y.write_text(f'name: fuzz\nfile: "{path.name}"\nsynthetic: true\nunits: {{level: province, column: "{unit}"}}\n'
                 f"period: year\n{extra}", encoding="utf-8")
    datasets._CACHE.clear()
    try:
        datasets.open_dataset(y)
    except DatasetError as exc:
        assert exc.problems, str(exc)
        for p in exc.problems:
            line = str(p)
            _check_message(line, path.name if "dataset.yaml" not in line else "dataset.yaml")
    except DgkitError as exc:  # pragma: no cover - open_dataset raises DatasetError for a YAML it could parse
        _check_message(str(exc), y.name)


def _in_tmp(name: str, data: bytes, check: Callable[[Path], None]) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(data)
        check(p)


# ---------------------------------------------------------------------------------------------- bytes
SUFFIXES = st.sampled_from([".csv", ".tsv", ".txt", ".xlsx", ".xls"])
PREFIXES = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                            b"province,year,A\n", b"<html>", "省份,年份,A\n".encode("gb18030")])


@FUZZ
@given(prefix=PREFIXES, data=st.binary(max_size=600), suffix=SUFFIXES)
def test_arbitrary_bytes_are_read_or_refused_with_the_file_named(prefix: bytes, data: bytes, suffix: str) -> None:
    blob = prefix + data
    _in_tmp("mydata" + suffix, blob, _route1)
    _in_tmp("mydata" + suffix, blob, _route2)


# ---------------------------------------------------------------------------------------------- CSV grammar
UNITS = ["广东", "浙江省", "Guangdong", "440000", "北\u3000京", "上海\u200b", "\ufeff江苏", " 山东 ", "新疆生产建设兵团", "#N/A",
         "广栋", "", "Taiwan", "广东省广州市", "'440000", "ＧＵＡＮＧＤＯＮＧ"]
NUMBERS = ["1", "12.5", "-3", "1,234", "1,23,4", "85%", "１２.５", "1e400", "-1e400", "inf", "Infinity", "nan", "NaN", "'123",
           "12.5万", "3亿元", "12个", "<0.1", "≈5", "5-Mar", "2024-03-05", "#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?",
           "#NUM!", "#NULL!", "-", "—", "NA", "..", "", " ", "12\u200b5", "1\u00a0234", "1_000", "0x1A", "1.2.3", "八五", "TRUE",
           "(12)", "1e-400", "9" * 400, "1,5"]
YEARS = ["2020", "2019", "２０２０", "2020年", "20x0", "", "1899", "2020.0", "'2020", "#REF!"]
HEADERS = ["A", "B", "A\u200b", "人均\u00a0GDP", "得分", "", "\u200b", "Unnamed: 0", "A", "指标\u3000", "province", "value"]
SEPS = [",", ",", ",", "\t", ";", "|"]
ENCODINGS = ["utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le"]


def _quote(cell: str, sep: str, quote: bool) -> str:
    if quote or sep in cell or '"' in cell or "\n" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[str, bytes]:
    sep = draw(st.sampled_from(SEPS))
    unit_h = draw(st.sampled_from(["province", "省份", "\ufeffprovince", "province\u200b", "Province"]))
    year_h = draw(st.sampled_from(["year", "年份", "year", ""]))
    inds = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=4))
    header = [unit_h] + ([year_h] if year_h else []) + inds
    rows: list[list[str]] = []
    if draw(st.booleans()):  # a title row, or a second header row
        rows.append(draw(st.sampled_from([["2020年各省数字政府指标"], [""] * len(header),
                                          ["", ""] + ["子指标"] * (len(header) - 2)])))
    rows.append(header)
    for _ in range(draw(st.integers(0, 6))):
        cells = [draw(st.sampled_from(UNITS))] + ([draw(st.sampled_from(YEARS))] if year_h else [])
        cells += [draw(st.one_of(st.sampled_from(NUMBERS), st.text(max_size=5))) for _ in inds]
        if draw(st.integers(0, 9)) == 0:
            cells.append(draw(st.sampled_from(NUMBERS)))  # a cell under no header
        rows.append(cells)
    quote = draw(st.booleans())
    eol = draw(st.sampled_from(["\n", "\r\n", "\n"]))
    text = eol.join(sep.join(_quote(c, sep, quote) for c in r) for r in rows) + draw(st.sampled_from([eol, ""]))
    enc = draw(st.sampled_from(ENCODINGS))
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    name = "mydata" + (".tsv" if sep == "\t" and draw(st.booleans()) else ".csv")
    return name, data


@FUZZ
@given(f=csv_files())
def test_csv_from_a_grammar_of_hostile_cells(f: tuple[str, bytes]) -> None:
    name, data = f
    _in_tmp(name, data, _route1)
    unit = next((u for u in ("province", "省份", "Province") if u.encode() in data or u.encode("utf-16-le") in data
                 or u.encode("gb18030") in data), "province")
    _in_tmp(name, data, lambda p: _route2(p, unit=unit))


# ---------------------------------------------------------------------------------------------- workbooks
CELLS = st.one_of(st.sampled_from(NUMBERS), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
                  st.booleans(), st.none(), st.text(max_size=6))


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    if draw(st.booleans()):
        ws.title = "说明"
        ws.append(["notes"])
        ws = wb.create_sheet(draw(st.sampled_from(["数据", "Data", "2020"])))
        if draw(st.booleans()):
            wb.active = 1
    inds = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=3))
    ws.append(["province", "year", *inds])
    if draw(st.booleans()):
        ws.append([None, None, *draw(st.lists(st.sampled_from(["得分", "排名", "宽带", None]), min_size=len(inds), max_size=len(inds)))])
    for _ in range(draw(st.integers(0, 5))):
        row = [draw(st.sampled_from(UNITS)), draw(st.sampled_from([2020, 2019, "2020", None, "#REF!"]))]
        row += [draw(CELLS) for _ in inds]
        try:
            ws.append(row)
        except Exception:  # noqa: BLE001 - openpyxl refuses some strings (control characters): leave the row out
            continue
    n = ws.max_row
    for r in draw(st.lists(st.integers(1, max(n, 1)), max_size=2)):
        ws.row_dimensions[r].hidden = True
    if draw(st.booleans()):
        ws.column_dimensions["C"].hidden = True
    if draw(st.booleans()) and len(inds) >= 2:
        ws.merge_cells("C1:D1")
    if draw(st.booleans()):
        ws["C2"] = "=A1*2"
    if draw(st.booleans()):
        ws["C2"].number_format = "0%"
    if draw(st.booleans()) and len(wb.worksheets) > 1:
        wb.worksheets[0].sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@FUZZ
@given(data=workbooks(), hidden=st.sampled_from([None, "include", "drop"]))
def test_workbooks_with_hidden_rows_merged_headers_and_odd_cells(data: bytes, hidden: str | None) -> None:
    _in_tmp("mydata.xlsx", data, lambda p: _route1(p, hidden=hidden))
    _in_tmp("mydata.xlsx", data, lambda p: _route2(p, extra=f"hidden: {hidden}\n" if hidden else ""))


# ---------------------------------------------------------------------------------------------- dataset YAML
KEYS = ["name", "title", "file", "files", "format", "units", "period", "measures", "sheet", "hidden", "where", "labels",
        "groupings", "covariates", "references", "reference_tables", "ordinal", "scales", "checks", "notes", "aliases",
        "synthetic", "headline", "measure_column", "value_column", "citation", "source", "nonsense"]
SUB_KEYS = ["level", "column", "name", "parent", "path", "sheet", "where", "hidden", "file", "key", "builtin", "measure",
            "mean_of", "tolerance", "zh", "en", "x"]
LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-3, 2030), st.floats(allow_nan=False, allow_infinity=False),
                   st.sampled_from(["mydata.csv", "missing.csv", "province", "year", "A", "wide", "long", "custom", "country",
                                    "include", "drop", "keep", "gdp", "x", "", "../../etc/passwd", "Sheet", "数据"]),
                   st.text(max_size=5))
VALUES = st.recursive(LEAVES, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.sampled_from(SUB_KEYS), inner, max_size=3)),
                      max_leaves=8)


@FUZZ
@given(spec=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8), base=st.booleans())
def test_arbitrary_dataset_yaml_mappings(spec: dict[str, Any], base: bool) -> None:
    if base:  # start from a valid dataset and break parts of it
        spec = {"name": "t", "file": "mydata.csv", "units": {"level": "province", "column": "province"}, "period": "year",
                "synthetic": False, **spec}
    with tempfile.TemporaryDirectory() as d:
        Path(d, "mydata.csv").write_text("province,year,A\n广东,2020,1\n浙江,2020,2\n", encoding="utf-8")
        y = Path(d) / "dataset.yaml"
        y.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
        datasets._CACHE.clear()
        try:
            datasets.open_dataset(y)
        except DgkitError as exc:
            msg = str(exc)
            assert "Traceback" not in msg and "dataset.yaml" in msg, msg
            for p in getattr(exc, "problems", []):  # each problem names its file (as the YAML wrote it) or its key
                assert p.file or p.key, str(p)
                assert str(p).startswith(p.file or "") and (p.key is None or f"key '{p.key}'" in str(p)), str(p)


# ---------------------------------------------------------------------------------------------- encodings
def _chinese_names() -> list[str]:
    from dgkit.units import unit_table

    names = [*unit_table("province")["name_zh"], *unit_table("city")["name_zh"], *unit_table("country")["name_zh"]]
    return sorted({n for n in names if isinstance(n, str) and not n.isascii()}) + ["埇桥区", "鄠邑区", "濉溪县", "歙县", "黟县", "睢宁县", "蕲春县"]


TRADITIONAL = ["廣東", "臺灣", "廣西", "黑龍江", "遼寧", "貴州", "雲南", "陝西", "寧夏", "內蒙古", "澳門", "香港", "臺北", "臺中",
               "高雄", "新北", "桃園", "臺南", "數位政府", "縣市"]


@FUZZ
@given(names=st.lists(st.sampled_from(_chinese_names()), min_size=1, max_size=30), header=st.sampled_from(["省份,年份,指标", "unit,year,A"]))
def test_gbk_files_are_read_never_mistaken_for_big5_or_latin(names: list[str], header: str) -> None:
    from dgkit.readers import decode_text

    text = header + "\n" + "".join(f"{n},2020,{i}\n" for i, n in enumerate(names))
    repairs: list[Any] = []
    assert decode_text(text.encode("gb18030"), "mydata.csv", repairs) == (text, "gb18030")
    assert len(repairs) == 1 and repairs[0].what.startswith("decoded as GB18030 (GBK)")


@FUZZ
@given(names=st.lists(st.sampled_from(TRADITIONAL), min_size=3, max_size=8, unique=True),
       header=st.sampled_from(["地區,年份,指標", "province,year,A", "縣市,年度,分數"]))
def test_big5_files_are_refused_never_read_as_mojibake(names: list[str], header: str) -> None:
    text = header + "\n" + "".join(f"{n},2020,{i}\n" for i, n in enumerate(names))
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "mydata.csv"
        p.write_bytes(text.encode("big5"))
        try:
            read_indicators(p)
        except InputError as exc:
            assert "looks like Big5" in exc.problem and exc.file == str(p)
        else:  # pragma: no cover - the property fails
            raise AssertionError("a Big5 file was read")
