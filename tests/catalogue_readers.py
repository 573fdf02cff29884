"""Issue 16, bad input files and cells: encodings and formats (E01–E40) and cells (C01–C40).

Every case runs the same input through both reading routes — ``dgkit.readers.read_indicators``
and a dataset YAML opened with ``dgkit.datasets.open_dataset`` — and requires that they agree: the
same refusal (route 1's problem text inside route 2's list), or the same logged repairs. The
catalogue shows route 1's message, or its repair log when the input is repaired.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from dgkit import errors as E

BASE = "province,year,A\n广东,2020,1\n浙江,2020,2\n"


# ---------------------------------------------------------------- the two routes
def _route2(tmp: Path, path: Path, *, level: str, unit: str, period: str, yaml: str) -> tuple[str, Any]:
    from dgkit import datasets

    y = tmp / "dataset.yaml"
    y.write_text(f'name: t\nfile: "{path.name}"\nsynthetic: false\nunits: {{level: {level}, column: "{unit}"}}\n'
                 f"period: {period}\n{yaml}", encoding="utf-8")
    datasets._CACHE.clear()
    try:
        return "ok", datasets.open_dataset(y)
    except E.DgkitError as exc:
        return "error", exc


def _log(repairs: list[Any]) -> str:
    return "; ".join(f"{r.file}" + (f", row {r.row}" if r.row is not None else "") + (f", column '{r.column}'" if r.column else "")
                     + f": {r.before!r} → {r.after!r}: {r.what}" for r in repairs)


def _both(make: Callable[[Path], Path], *, level: str = "province", unit: str = "province", period: str = "year",
          yaml: str = "", **read_kw: Any) -> Callable[[Path], str]:
    """Run ``make(tmp)``'s file through both routes; they must agree. Raises route 1's error, or
    returns its repair log."""
    def run(tmp: Path) -> str:
        from dgkit.readers import read_indicators

        path = make(tmp)
        kind2, out2 = _route2(tmp, path, level=level, unit=unit, period=period, yaml=yaml)
        try:
            table = read_indicators(path, unit_level=level, **read_kw)
        except E.InputError as exc:
            assert kind2 == "error", f"route 2 read what route 1 refuses ({exc.problem})"
            assert exc.problem in str(out2), (exc.problem, str(out2))
            raise
        assert kind2 == "ok", f"route 2 refuses what route 1 reads: {out2}"
        whats1 = {r.what for r in table.repairs}
        whats2 = {r.what for r in out2.repairs}
        assert whats1 == whats2, (whats1, whats2)
        w1, w2 = table.wide.sort_index().sort_index(axis=1), out2.values.sort_index().sort_index(axis=1)
        assert list(w1.columns) == list(w2.columns), (list(w1.columns), list(w2.columns))
        assert [(u, int(y)) for u, y in w1.index] == [(u, int(y)) for u, y in w2.index]
        np.testing.assert_array_equal(w1.to_numpy(float), w2.to_numpy(float))
        return _log(table.repairs)
    return run


def _text(text: str, name: str = "mydata.csv", enc: str = "utf-8") -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        p = tmp / name
        p.write_bytes(text.encode(enc))
        return p
    return make


def _bytes(data: bytes, name: str = "mydata.csv") -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        p = tmp / name
        p.write_bytes(data)
        return p
    return make


def _book(build: Callable[[Any], None], name: str = "mydata.xlsx") -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        import openpyxl

        wb = openpyxl.Workbook()
        build(wb)
        p = tmp / name
        wb.save(p)
        return p
    return make


def _rows(ws: Any, rows: list[list[Any]]) -> None:
    for r in rows:
        ws.append(r)


def _basic(ws: Any) -> None:
    _rows(ws, [["province", "year", "A"], ["广东", 2020, 1], ["浙江", 2020, 2]])


def _basic_book(wb: Any) -> None:
    _basic(wb.active)


# ---------------------------------------------------------------- encodings and formats
def _ole2(extra: bytes = b"") -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + extra + bytes(512)


def _truncated(tmp: Path) -> Path:
    p = _book(_basic_book)(tmp)
    p.write_bytes(p.read_bytes()[:1500])
    return p


def _zip_of_csvs(tmp: Path) -> Path:
    p = tmp / "mydata.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("2019.csv", BASE)
        z.writestr("2020.csv", BASE)
    return p


def _xlsx_named_csv(tmp: Path) -> Path:
    p = _book(_basic_book)(tmp)
    return p.rename(tmp / "mydata.csv")


def _lock_file(tmp: Path) -> Path:
    _book(_basic_book)(tmp)
    p = tmp / "~$mydata.xlsx"
    p.write_bytes(b"\x05Alice" + bytes(47) + "Alice".encode("utf-16-le") + bytes(100))
    return p


def _apple_double(tmp: Path) -> Path:
    (tmp / "mydata.csv").write_text(BASE, encoding="utf-8")
    p = tmp / "._mydata.csv"
    p.write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(4000))
    return p


def _sheets_explained_first(wb: Any) -> None:
    wb.active.title = "说明"
    _rows(wb.active, [["本表为 2020 年各省数字政府指标"], ["来源: 省统计局"]])
    _basic(wb.create_sheet("数据"))


def _sheet_per_year(wb: Any) -> None:
    wb.active.title = "2019"
    _basic(wb.active)
    _basic(wb.create_sheet("2020"))


def _hidden_old_sheet(wb: Any) -> None:
    wb.active.title = "旧数据"
    _rows(wb.active, [["province", "year", "A"], ["广东", 2020, 99], ["浙江", 2020, 98]])
    wb.active.sheet_state = "hidden"
    _basic(wb.create_sheet("数据"))


def _hidden_data_sheet(wb: Any) -> None:
    wb.active.title = "封面"
    _rows(wb.active, [["数字政府评估 2020"]])
    s = wb.create_sheet("raw")
    _basic(s)
    s.sheet_state = "hidden"


def _merged_header(wb: Any) -> None:
    ws = wb.active
    _rows(ws, [["省份", "年份", "数字基础设施", None, "政务服务", None], [None, None, "宽带普及率", "5G基站", "网上办理率", "一网通办"],
               ["广东", 2020, 95.1, 12.3, 88.0, 1], ["浙江", 2020, 96.4, 10.1, 91.0, 1]])
    for rng in ("A1:A2", "B1:B2", "C1:D1", "E1:F1"):
        ws.merge_cells(rng)


def _merged_repeated(wb: Any) -> None:
    ws = wb.active
    _rows(ws, [["省份", "年份", "数字基础设施", None, "政务服务", None], [None, None, "得分", "排名", "得分", "排名"],
               ["广东", 2020, 81.5, 2, 90.2, 1], ["浙江", 2020, 83.0, 1, 88.7, 2]])
    for rng in ("A1:A2", "B1:B2", "C1:D1", "E1:F1"):
        ws.merge_cells(rng)


def _bom_mojibake(wb: Any) -> None:
    _basic(wb.active)
    wb.active["A1"] = "ï»¿province"


def _with_limit(limit: int, run: Callable[[Path], Any]) -> Callable[[Path], Any]:
    def wrapped(tmp: Path) -> Any:
        from dgkit import limits

        old = limits.MAX_DATA_FILE_BYTES
        limits.MAX_DATA_FILE_BYTES = limit
        try:
            return run(tmp)
        finally:
            limits.MAX_DATA_FILE_BYTES = old
    return wrapped


_BIG5 = "省份,年份,A\n廣東,2020,1\n臺灣,2020,2\n浙江,2020,3\n"
_LATIN = "country,year,egdi\nCôte d'Ivoire,2020,0.41\nCuraçao,2020,0.52\nTürkiye,2020,0.77\n"
_HTML = "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n"
_HTML_XLS = "<html><head><meta charset='utf-8'></head><body><table><tr><td>省份</td><td>年份</td></tr></table></body></html>"
_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)

ENCODING_CASES = [
    ("E01", "encoding", "a GBK / GB18030 file (Excel's 'CSV' on Chinese Windows)", _both(_text(BASE, enc="gb18030")), None,
     ["mydata.csv", "decoded as GB18030 (GBK)"]),
    ("E02", "encoding", "a short GBK file whose bytes are also valid UTF-8 (双鸭山 reads as ˫Ѽɽ)",
     _both(_text("city,year,A\n双鸭山,2020,1\n", enc="gb18030"), level="city", unit="city"), None,
     ["mydata.csv", "decoded as GB18030 (GBK): the bytes are also valid UTF-8, but read so they are mojibake ('˫Ѽɽ')"]),
    ("E03", "encoding", "two byte-order marks: the second one ends up in the first header name", _both(_text("\ufeff\ufeff" + BASE)), None,
     ["mydata.csv, row 1, column 'province'", "'\\ufeffprovince' → 'province'", "header cleaned: byte-order mark removed"]),
    ("E04", "encoding", "an xlsx whose first header cell holds a BOM read as Windows-1252 (ï»¿province)", _both(_book(_bom_mojibake)), None,
     ["mydata.xlsx, row 1, column 'province'", "'ï»¿province' → 'province'", "byte-order mark removed"]),
    ("E05", "encoding", "Excel's 'Unicode text' export: UTF-16 LE with a BOM, tab-separated", _both(_text(BASE.replace(",", "\t"), "mydata.txt", "utf-16")), None,
     ["mydata.txt", "decoded as UTF-16 with a byte-order mark", "separator detected: tab"]),
    ("E06", "encoding", "UTF-16 BE with a byte-order mark", _both(_bytes(b"\xfe\xff" + BASE.encode("utf-16-be"))), None,
     ["mydata.csv", "decoded as UTF-16 with a byte-order mark"]),
    ("E07", "encoding", "UTF-16 LE without a byte-order mark", _both(_text(BASE, enc="utf-16-le")), None,
     ["mydata.csv", "decoded as UTF-16 LE without a byte-order mark"]),
    ("E08", "encoding", "a Big5 file (traditional Chinese, saved in Taiwan or Hong Kong)", _both(_text(_BIG5, enc="big5")), E.InputError,
     ["mydata.csv", "looks like Big5", "not UTF-8 or GB18030", "save it as CSV UTF-8"]),
    ("E09", "encoding", "a Windows-1252 country file (Côte d'Ivoire, Curaçao, Türkiye)",
     _both(_text(_LATIN, enc="cp1252"), level="country", unit="country"), E.InputError,
     ["mydata.csv", "looks like Windows-1252", "would be mojibake", "save it as CSV UTF-8"]),
    ("E10", "encoding", "a UTF-8 file with one row pasted from a GBK file", _both(_bytes(BASE.encode() + "江苏,2020,3\n".encode("gbk"))),
     E.InputError, ["mydata.csv, row 4", "mixes encodings", "got '江苏,2020,3 (read as GBK)'", "save it again as CSV UTF-8"]),
    ("E11", "encoding", "a UTF-8 file cut off in the middle of a character (an interrupted download)",
     _both(_bytes(BASE.encode() + "江苏,2020,3\n江".encode()[:-1])), E.InputError,
     ["mydata.csv, row 5", "ends in the middle of a character", "the complete file"]),
    ("E12", "encoding", "a tab-separated file named .csv", _both(_text(BASE.replace(",", "\t"))), None,
     ["mydata.csv, row 1", "separator detected: tab"]),
    ("E13", "encoding", "a semicolon-separated .csv (Excel with a European list separator)", _both(_text(BASE.replace(",", ";"))), None,
     ["mydata.csv, row 1", "separator detected: semicolon"]),
    ("E14", "encoding", "two exports pasted together: the header repeats below the data", _both(_text(BASE + "province,year,A\n江苏,2020,3\n")),
     None, ["mydata.csv, row 4", "the header repeated below the data (files pasted together?): row skipped"]),
    ("E15", "encoding", "a CSV renamed .xlsx", _both(_text(BASE, "mydata.xlsx")), E.InputError,
     ["mydata.xlsx", "a text (CSV) file named .xlsx", "closest valid: mydata.csv"]),
    ("E16", "encoding", "an Excel 97–2003 .xls workbook", _both(_bytes(_ole2(), "mydata.xls")), E.InputError,
     ["mydata.xls", "Excel 97–2003 workbook", "save as .xlsx"]),
    ("E17", "encoding", "an HTML table saved as .xls (a web portal's 'export to Excel')", _both(_text(_HTML_XLS, "mydata.xls")), E.InputError,
     ["mydata.xls", "an HTML table named .xls", "save as .xlsx"]),
    ("E18", "encoding", "a password-protected .xlsx", _both(_bytes(_ole2("EncryptionInfo".encode("utf-16-le")), "mydata.xlsx")), E.InputError,
     ["mydata.xlsx", "password-protected", "remove the password"]),
    ("E19", "encoding", "an .xlsx cut short (an interrupted download)", _both(_truncated), E.InputError,
     ["mydata.xlsx", "damaged workbook", "incomplete or corrupt", "download or copy it again"]),
    ("E20", "encoding", "a zip of CSV files renamed .xlsx", _both(_zip_of_csvs), E.InputError,
     ["mydata.xlsx", "a zip archive but not an Excel workbook", "2019.csv, 2020.csv"]),
    ("E21", "encoding", "an .xlsx workbook renamed .csv", _both(_xlsx_named_csv), E.InputError,
     ["mydata.csv", "an Excel workbook (.xlsx) named .csv", "closest valid: mydata.xlsx"]),
    ("E22", "encoding", "a web page saved as .csv (a failed download: 404 Not Found)", _both(_text(_HTML)), E.InputError,
     ["mydata.csv", "an HTML web page", "a failed download"]),
    ("E23", "encoding", "Excel's lock file (~$mydata.xlsx) instead of the workbook", _both(_lock_file), E.InputError,
     ["~$mydata.xlsx", "a lock file that Excel or WPS writes while 'mydata.xlsx' is open", "closest valid: mydata.xlsx"]),
    ("E24", "encoding", "a macOS '._' resource-fork file from a zip or USB drive (._mydata.csv)", _both(_apple_double), E.InputError,
     ["._mydata.csv", "macOS resource-fork file", "closest valid: mydata.csv"]),
    ("E25", "encoding", "a WPS spreadsheet (.et)", _both(_bytes(_ole2(), "mydata.et")), E.InputError,
     ["mydata.et", "a WPS spreadsheet (.et)", "save as .xlsx"]),
    ("E26", "encoding", "the data on the second sheet, no sheet named (sheet 1 explains the table)", _both(_book(_sheets_explained_first)),
     E.InputError, ["mydata.xlsx", "the first sheet '说明' holds no header", "the data are on sheet '数据'", "sheet: 数据"]),
    ("E27", "encoding", "one sheet per year, no sheet named (only the first would be read)", _both(_book(_sheet_per_year)), E.InputError,
     ["mydata.xlsx", "2 sheets hold data: '2019', '2020'", "one files: entry per sheet"]),
    ("E28", "encoding", "a hidden first sheet with old data, no sheet named", _both(_book(_hidden_old_sheet)), None,
     ["mydata.xlsx", "hidden sheet(s) not read: 旧数据", "read sheet '数据'"]),
    ("E29", "encoding", "the only data sheet is hidden", _both(_book(_hidden_data_sheet)), E.InputError,
     ["mydata.xlsx", "the data are on the hidden sheet 'raw'", "sheet: raw", "封面, raw (hidden)"]),
    ("E30", "encoding", "a two-row header with merged cells (一级指标 over 二级指标)", _both(_book(_merged_header), unit="省份", period="年份"),
     None, ["mydata.xlsx, row 2", "two-row header combined: columns named by row 2", "数字基础设施 = 宽带普及率, 5G基站"]),
    ("E31", "encoding", "a two-row header in CSV (the upper row blank where Excel merged it)",
     _both(_text("省份,年份,数字基础设施,,政务服务,\n,,宽带普及率,5G基站,网上办理率,一网通办\n广东,2020,95.1,12.3,88,1\n浙江,2020,96.4,10.1,91,1\n"),
           unit="省份", period="年份"), None, ["mydata.csv, row 2", "two-row header combined", "政务服务 = 网上办理率, 一网通办"]),
    ("E32", "encoding", "a two-row header whose lower names repeat under each group (得分, 排名)",
     _both(_book(_merged_repeated), unit="省份", period="年份"), None,
     ["mydata.xlsx, row 2", "数字基础设施/得分, 数字基础设施/排名, 政务服务/得分, 政务服务/排名"]),
    ("E33", "encoding", "a units row under the header (亿元, 万人)", _both(_text("province,year,GDP,人口\n,,亿元,万人\n广东,2020,110761,12601\n")),
     None, ["mydata.csv, row 2", "units row below the header skipped", "GDP = 亿元, 人口 = 万人"]),
    ("E34", "encoding", "a header cell that holds only a zero-width space, with values below", _both(_text("province,year,A,\u200b\n广东,2020,1,5\n")),
     E.InputError, ["mydata.csv, row 1, column '#4'", "column without a header holds values"]),
    ("E35", "encoding", "a pandas index written by to_csv() (empty header, 0, 1, 2 …)", _both(_text(",province,year,A\n0,广东,2020,1\n1,浙江,2020,2\n")),
     E.InputError, ["mydata.csv, row 1, column '#1'", "a pandas index?", "index=False"]),
    ("E36", "encoding", "an 'Unnamed: 0' column (a pandas index read and written back)",
     _both(_text("Unnamed: 0,province,year,A\n0,广东,2020,1\n1,浙江,2020,2\n")), E.InputError,
     ["mydata.csv, row 1, column 'Unnamed: 0'", "written by pandas", "index=False"]),
    ("E37", "encoding", "an empty file (0 bytes)", _both(_bytes(b"")), E.InputError, ["mydata.csv", "the file is empty (0 bytes)"]),
    ("E38", "encoding", "a file with a header and no data rows", _both(_text("province,year,A\n")), E.InputError,
     ["mydata.csv, row 1", "a header but no data rows"]),
    ("E39", "encoding", "a file that is not text at all (an image saved as .csv)", _both(_bytes(_PNG)), E.InputError,
     ["mydata.csv", "an image, not .csv text"]),
    ("E40", "encoding", "a data file larger than dgkit.limits.MAX_DATA_FILE_BYTES (limit set to 64 bytes here)",
     _with_limit(64, _both(_text(BASE + "江苏,2020,3\n" * 3))), E.InputError,
     ["mydata.csv", "file too large: 86 bytes", "the limit is 64 bytes", "MAX_DATA_FILE_BYTES"]),
]


# ---------------------------------------------------------------- cells
def _hidden_row(wb: Any) -> None:
    ws = wb.active
    _rows(ws, [["province", "year", "A"], ["广东", 2020, 1], ["浙江", 2020, 2], ["新疆生产建设兵团", 2020, 50]])
    ws.row_dimensions[4].hidden = True


def _filtered(wb: Any) -> None:
    ws = wb.active
    _rows(ws, [["province", "year", "tier"], ["广东", 2020, 1], ["浙江", 2020, 1], ["甘肃", 2020, 3]])
    ws.auto_filter.ref = "A1:C4"
    ws.row_dimensions[4].hidden = True


def _hidden_column(wb: Any) -> None:
    ws = wb.active
    _rows(ws, [["province", "year", "A", "A_2019版"], ["广东", 2020, 1, 0.7], ["浙江", 2020, 2, 0.9]])
    ws.column_dimensions["D"].hidden = True


def _formulas(wb: Any) -> None:
    _rows(wb.active, [["province", "year", "A", "B"], ["广东", 2020, 1, "=C2*2"], ["浙江", 2020, 2, "=C3*2"]])


_ERRORS = ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]
_PROVINCES = ["广东", "浙江", "江苏", "山东", "河南", "河北", "湖北", "湖南"]


def _error_cells(wb: Any) -> None:
    _rows(wb.active, [["province", "year", "A"], *[[p, 2020, e] for p, e in zip(_PROVINCES, [*_ERRORS, 3])]])


def _percent_cells(wb: Any) -> None:
    ws = wb.active
    _basic(ws)
    for cell, v in (("C2", 0.85), ("C3", 0.925)):
        ws[cell] = v
        ws[cell].number_format = "0.0%"


def _date_cell(wb: Any) -> None:
    _basic(wb.active)
    wb.active["C2"] = dt.datetime(2024, 3, 5)


def _merged_names(wb: Any) -> None:
    ws = wb.active
    _rows(ws, [["province", "year", "A"], ["广东", 2019, 1], [None, 2020, 2], ["浙江", 2019, 3], [None, 2020, 4]])
    ws.merge_cells("A2:A3")
    ws.merge_cells("A4:A5")


def _csv(rows: str) -> Callable[[Path], Path]:
    return _text("province,year,A\n" + rows)


CELL_CASES = [
    ("C01", "cell", "a hidden row in an xlsx (兵团 hidden under the provinces)", _both(_book(_hidden_row)), E.InputError,
     ["mydata.xlsx, row 4", "hidden row(s) 4 (新疆生产建设兵团)", "Excel does not show them", "hidden: drop | include"]),
    ("C02", "cell", "the same hidden row with hidden: drop (read_indicators(hidden='drop'))",
     _both(_book(_hidden_row), yaml="hidden: drop\n", hidden="drop"), None, ["mydata.xlsx, row 4", "hidden row dropped (hidden: drop)"]),
    ("C03", "cell", "rows hidden by an AutoFilter left on when the workbook was saved", _both(_book(_filtered)), E.InputError,
     ["mydata.xlsx, row 4", "hidden row(s) 4 (甘肃)", "the sheet has a filter on"]),
    ("C04", "cell", "a hidden column holding an old version of an indicator", _both(_book(_hidden_column)), E.InputError,
     ["mydata.xlsx", "hidden column(s) D (A_2019版)", "hidden: drop | include"]),
    ("C05", "cell", "formula cells without a saved result (a workbook written by a program)", _both(_book(_formulas)), E.InputError,
     ["mydata.xlsx", "2 formula cell(s) without a saved result: D2, D3", "open it in Excel, WPS or LibreOffice and save it"]),
    ("C06", "cell", "Excel error values in a CSV (#DIV/0!, #N/A, #VALUE!, #REF!, #NAME?, #NUM!, #NULL!)",
     _both(_csv("".join(f"{p},2020,{e}\n" for p, e in zip(_PROVINCES, [*_ERRORS, 3])))), None,
     ["mydata.csv, row 2, column 'A': '#DIV/0!' → None: Excel error value read as missing", "row 8, column 'A': '#NULL!' → None"]),
    ("C07", "cell", "Excel error values in xlsx cells", _both(_book(_error_cells)), None,
     ["mydata.xlsx, row 3, column 'A': '#N/A' → None: Excel error value read as missing", "row 6, column 'A': '#NAME?'"]),
    ("C08", "cell", "#N/A in the unit column (a VLOOKUP that found nothing)", _both(_csv("#N/A,2020,1\n浙江,2020,2\n")), E.InputError,
     ["mydata.csv, row 2, column 'province'", "Excel error value (#N/A) in the unit column", "fix the formula"]),
    ("C09", "cell", "a zero-width space at the end of a header (A\u200b)", _both(_text("province,year,A\u200b\n广东,2020,1\n")), None,
     ["mydata.csv, row 1, column 'A'", "'A\\u200b' → 'A'", "zero-width character removed"]),
    ("C10", "cell", "non-breaking and full-width spaces in a header (人均\u00a0GDP\u3000)", _both(_text("province,year,人均\u00a0GDP\u3000\n广东,2020,1\n")),
     None, ["mydata.csv, row 1, column '人均 GDP'", "non-breaking / full-width spaces made plain"]),
    ("C11", "cell", "unit names copied from a web page with zero-width spaces and a BOM", _both(_csv("广东\u200b,2020,1\n\ufeff浙江,2020,2\n")), None,
     ["mydata.csv, row 2, column 'province': '广东\\u200b' → '广东'", "row 3", "byte-order mark removed"]),
    ("C12", "cell", "names aligned with full-width spaces (北\u3000京, 上\u3000海)", _both(_csv("北\u3000京,2020,1\n上\u3000海,2020,2\n")), None,
     ["mydata.csv, row 2, column 'province': '北\\u3000京' → '北 京'", "full-width spaces made plain"]),
    ("C13", "cell", "a number that overflows (1e400)", _both(_csv("广东,2020,1e400\n浙江,2020,2\n")), E.InputError,
     ["mydata.csv, row 2, column 'A'", "not a finite number", "overflows to infinity", "got '1e400'"]),
    ("C14", "cell", "a negative number that overflows (-1e400)", _both(_csv("广东,2020,-1e400\n浙江,2020,2\n")), E.InputError,
     ["mydata.csv, row 2, column 'A'", "not a finite number", "got '-1e400'"]),
    ("C15", "cell", "infinity written as text (Infinity, as JavaScript and Excel exports write it)", _both(_csv("广东,2020,Infinity\n浙江,2020,2\n")),
     E.InputError, ["mydata.csv, row 2, column 'A'", "not a finite number", "got 'Infinity'"]),
    ("C16", "cell", "nan written as text (numpy.savetxt, str(float('nan')))", _both(_csv("广东,2020,nan\n浙江,2020,2\n")), E.InputError,
     ["mydata.csv, row 2, column 'A'", "not a finite number", "leave the cell blank", "got 'nan'"]),
    ("C17", "cell", "a number with a magnitude suffix (12.5万)", _both(_csv("广东,2020,12.5万\n浙江,2020,2\n")), E.InputError,
     ["mydata.csv, row 2, column 'A'", "magnitude suffix '万' (×10^4)", "closest valid: 125000, or 12.5 in a column of 万"]),
    ("C18", "cell", "a magnitude and a unit after a number (3亿元)", _both(_csv("广东,2020,3亿元\n浙江,2020,2\n")), E.InputError,
     ["mydata.csv, row 2, column 'A'", "magnitude suffix '亿' (×10^8) and the unit '元'", "300000000"]),
    ("C19", "cell", "a unit after a number (12个)", _both(_csv("广东,2020,12个\n浙江,2020,2\n")), E.InputError,
     ["mydata.csv, row 2, column 'A'", "a number followed by '个'", "the unit belongs in the header", "closest valid: 12"]),
    ("C20", "cell", "Excel's text marker before a number ('123)", _both(_csv("广东,2020,'123\n浙江,2020,2\n")), None,
     ["mydata.csv, row 2, column 'A': \"'123\" → 123.0", "leading apostrophe (Excel's text marker) removed"]),
    ("C21", "cell", "a decimal comma in a semicolon-separated file (1,5)", _both(_text("province;year;A\n广东;2020;1,5\n浙江;2020;2\n")),
     E.InputError, ["mydata.csv, row 2, column 'A'", "a comma in a number of a semicolon-separated file", "got '1,5'"]),
    ("C22", "cell", "percent-formatted xlsx cells (0.85 shown as 85%)", _both(_book(_percent_cells)), None,
     ["mydata.xlsx, row 2, column 'A': 0.85 → 85.0", "percent-formatted cell read in percent points"]),
    ("C23", "cell", "a date in a numeric xlsx column (Excel turned 3-5 into 5 March)", _both(_book(_date_cell)), E.InputError,
     ["mydata.xlsx, row 2, column 'A'", "a date, not a number", "got '2024-03-05'"]),
    ("C24", "cell", "a date in a numeric CSV column (5-Mar, as Excel exports it)", _both(_csv("广东,2020,5-Mar\n浙江,2020,2\n")), E.InputError,
     ["mydata.csv, row 2, column 'A'", "a date, not a number", "got '5-Mar'"]),
    ("C25", "cell", "a bound instead of a value (<0.1)", _both(_csv("广东,2020,<0.1\n浙江,2020,2\n")), E.InputError,
     ["mydata.csv, row 2, column 'A'", "a bound or an approximation, not a value", "blank cell"]),
    ("C26", "cell", "a number copied from a web page with a zero-width space (12\u200b5)", _both(_csv("广东,2020,12\u200b5\n浙江,2020,2\n")), None,
     ["mydata.csv, row 2, column 'A': '12\\u200b5' → 125.0", "invisible characters normalised"]),
    ("C27", "cell", "a unit name merged down over its year rows (广东 over 2019 and 2020)", _both(_book(_merged_names)), None,
     ["mydata.xlsx, row 2, column 'province'", "merged cells A2:A3 filled: each of rows 2–3 gets '广东'"]),
    ("C28", "cell", "a negative number in accounting format ((1,234))", _both(_csv('广东,2020,"(1,234)"\n浙江,2020,2\n')), E.InputError,
     ["mydata.csv, row 2, column 'A'", "accounting format for a negative number", "closest valid: -1234"]),
]

CASES = ENCODING_CASES + CELL_CASES
