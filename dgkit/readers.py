"""Read users' own indicator data (CSV or XLSX, long or wide) safely.

Formats (templates in ``data/templates/``):

* **long**: one row per unit × year × indicator — columns ``unit``, ``year``, ``indicator``, ``value``.
* **wide**: one row per unit × year — columns ``unit``, ``year`` and one column per indicator code.

Accepted header spellings: unit = unit / unit_id / province / 省份 / 省 / 地区 / city / 城市 /
country; year = year / 年份 / 年度 / 年. ``year`` may be omitted for a single cross-section (pass
``year=`` then).

The file layer here (:func:`check_file`, :func:`decode_text`, :func:`sniff_separator`,
:func:`read_workbook`, :func:`header_layout`) is shared with the dataset route
(:mod:`dgkit.datasets.tables`), so both routes accept and refuse the same files in the same words.

Repairs that are made, always logged in ``IndicatorTable.repairs`` (file, row, column, before,
after, what):

* **files**: a UTF-8 byte-order mark removed (also a second one, or one left in the first header
  name, and its Windows-1252 mojibake ``ï»¿``); UTF-16 LE/BE text (Excel's "Unicode text", with or
  without a BOM) and GB18030/GBK text decoded, the encoding logged; a ``.csv`` that is tab-,
  semicolon- or pipe-separated read with the separator it uses (logged);
* **headers**: zero-width characters (U+200B–U+200D, U+2060, U+FEFF), soft hyphens, non-breaking
  and full-width spaces and full-width letters in header cells (NFKC); title rows above the
  header skipped; a two-row header (一级指标 merged over its 二级指标 in row 1, the indicator names in
  row 2; in CSV the upper row has blanks where Excel merged cells) combined: columns are named by
  the lower row, and a lower name that repeats under several groups becomes ``group/name``; a
  units row under the header (``亿元``, ``万人``) skipped; a row that repeats the header (below it,
  or further down where two exports were pasted together) skipped; fully empty unnamed columns
  dropped;
* **cells**: full-width digits and punctuation → ASCII (NFKC), zero-width characters and
  non-breaking spaces removed; thousands separators ``1,234`` → 1234; ``85%`` → 85 (kept in
  percent points; an xlsx cell formatted as a percentage, 0.85 shown as 85%, is read as 85 too,
  so csv and xlsx agree); Excel's text marker ``'123`` → 123; blank / ``-`` / ``—`` / ``NA`` /
  ``..`` → missing; Excel error values (``#DIV/0!``, ``#N/A``, ``#VALUE!``, ``#REF!``,
  ``#NAME?``, ``#NUM!``, ``#NULL!`` …) → missing; zero-width characters and full-width spaces in
  unit names removed (``北　京``); an xlsx cell merged down over several rows (a unit name over its
  years) gives its value to each of them; rows that are exact duplicates dropped.

Everything else is an error naming file, row and column (see ``docs/errors.md``): files larger than
:data:`dgkit.limits.MAX_DATA_FILE_BYTES` (refused before reading; a workbook that unpacks to more
than 10 × that limit too), folders, empty files, files with a
header but no data, binary files, web pages and PDFs, a workbook named ``.csv`` or a CSV named
``.xlsx``, old ``.xls`` / ``.et`` / ``.ods`` workbooks ("save as .xlsx"), password-protected or
damaged workbooks, Excel / LibreOffice lock files (``~$name.xlsx``) and macOS ``._`` files, Big5
or Windows-1252 text (never read as GB18030 mojibake), a file that mixes UTF-8 and GBK rows;
sheets: no sheet named while the data are on another sheet, or on several sheets; hidden rows
and columns holding data (rows filtered out by an AutoFilter are hidden rows) unless the caller
says ``hidden="include"`` or ``"drop"`` (dataset YAML: ``hidden: include | drop``), hidden sheets
are never read unless named; formula cells without a saved result; headers: ``Unnamed: 0`` (a
pandas index written back), values under an empty header; cells: text that is no number, ``inf``
/ ``nan`` / ``1e400`` (not finite), dates in numeric columns (Excel turned ``3-5`` into a date),
magnitude suffixes (``12.5万``, ``3亿``: refused with the exact value, since the column's unit
decides what it means), units after a number (``12元``), bounds (``<0.1``), accounting negatives
(``(1,234)``: refused with ``-1234`` as the closest value), a comma in a number of
a semicolon-separated file (``1,5``: decimal comma or thousands?), an Excel error value in the
unit column (a formula that failed); unknown or ambiguous unit names (with the closest names),
conflicting duplicates, empty or all-missing indicators, negative counts, indicators not in the
framework. The input file is opened read-only.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dgkit import limits
from dgkit.errors import DataValidationError, InputError

UNIT_HEADERS = ("unit", "unit_id", "province", "省份", "省", "地区", "省份名称", "city", "城市", "country", "国家")
YEAR_HEADERS = ("year", "年份", "年度", "年")
MISSING_TOKENS = {"", "-", "--", "—", "–", "na", "n/a", "null", "none", "..", "…", "缺失", "无数据"}
EXCEL_ERRORS = {"#div/0!", "#n/a", "#value!", "#ref!", "#name?", "#num!", "#null!", "#getting_data", "#spill!", "#calc!",
                "#field!", "#blocked!", "#connect!", "#busy!", "#unknown!", "#python!"}
NON_FINITE = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan", "+nan", "-nan", "∞", "-∞", "+∞"}
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
BOOK_SUFFIXES = (".xlsx", ".xlsm")
HIDDEN_CHOICES = ("include", "drop")
SAVE_AS = {  # spreadsheet formats dgkit does not read: what they are
    ".xls": "an Excel 97–2003 workbook (.xls)", ".xlsb": "an Excel binary workbook (.xlsb)",
    ".et": "a WPS spreadsheet (.et)", ".ett": "a WPS spreadsheet template (.ett)",
    ".ods": "an OpenDocument (LibreOffice) spreadsheet (.ods)", ".numbers": "an Apple Numbers spreadsheet (.numbers)",
    ".xltx": "an Excel template (.xltx)", ".wps": "a WPS document (.wps)",
}
SAVE_AS_HOW = "open it in Excel, WPS or LibreOffice and save as .xlsx (Excel Workbook) or CSV UTF-8"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DROP_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))
_BOM_MOJIBAKE = "ï»¿"  # a UTF-8 BOM read as Windows-1252 (Excel's text import), kept in a header cell
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NUM = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_MAGNITUDES = {"百": 2, "千": 3, "万": 4, "十万": 5, "百万": 6, "千万": 7, "亿": 8, "十亿": 9, "百亿": 10, "千亿": 11, "万亿": 12}
_MAGNITUDE = re.compile(rf"^({_NUM})(万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千|百)(\D{{0,4}})$")
_WITH_UNIT = re.compile(rf"^({_NUM})([^\d.,+\-eE%][^\d]{{0,7}})$")
_BOUND = re.compile(rf"^(<=|>=|<|>|≤|≥|约|~|≈)({_NUM})$")
_ACCOUNTING = re.compile(r"^\(((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\)$")
_COMMA_NUMBER = re.compile(r"^[+-]?\d[\d,]*,\d+(\.\d+)?$")
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_DATE = re.compile(rf"^(\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}(\s*\d{{1,2}}:\d{{2}}(:\d{{2}})?)?|\d{{4}}年\d{{1,2}}月(\d{{1,2}}日)?|\d{{1,2}}月\d{{1,2}}日"
                   rf"|\d{{1,2}}-({_MONTHS})[a-z]*(-\d{{2,4}})?|({_MONTHS})[a-z]*-\d{{2,4}})$", re.IGNORECASE)
_UNNAMED = re.compile(r"^Unnamed: \d+(_level_\d+)?$")


@dataclass
class Repair:
    file: str
    row: int | None
    column: str | None
    before: Any
    after: Any
    what: str


@dataclass
class IndicatorTable:
    """Tidy indicator data: ``long`` (unit_id, year, indicator, value) and ``wide`` views."""

    long: pd.DataFrame
    file: str
    unit_level: str
    repairs: list[Repair] = field(default_factory=list)

    @property
    def wide(self) -> pd.DataFrame:
        w = self.long.pivot(index=["unit_id", "year"], columns="indicator", values="value")
        w.columns.name = None
        return w

    def repairs_frame(self) -> pd.DataFrame:
        return pd.DataFrame([r.__dict__ for r in self.repairs], columns=["file", "row", "column", "before", "after", "what"])

    def summary(self) -> str:
        lg = self.long
        years = sorted(lg["year"].dropna().unique().tolist())
        n_missing = int(lg["value"].isna().sum())
        return (
            f"{self.file}: {lg['unit_id'].nunique()} {self.unit_level} unit(s), {lg['indicator'].nunique()} indicator(s), "
            f"years {years or '—'}, {len(lg)} cells ({n_missing} missing); {len(self.repairs)} logged repair(s)"
        )


# ====================================================================== cells
def clean_text(v: Any) -> str:
    """A header or name cell as text: NFKC (full-width letters, non-breaking and full-width spaces),
    invisible characters (zero-width, BOM, soft hyphen, direction marks) and a BOM's mojibake
    removed, stripped. ``None`` / NaN → ``""``."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    s = str(v)
    if s.isascii() and s.isprintable():
        return s.strip()
    s = unicodedata.normalize("NFKC", s).translate(_DROP_INVISIBLE).strip()
    if s.startswith(_BOM_MOJIBAKE):
        s = s[len(_BOM_MOJIBAKE):].strip()
    return s


def what_was_cleaned(raw: str, clean: str) -> str:
    """Say what :func:`clean_text` changed in ``raw`` (for the repair log)."""
    parts = []
    gone = []
    if "\ufeff" in raw or _BOM_MOJIBAKE in raw:
        gone.append("byte-order mark")
    if any(ch in "\u200b\u200c\u200d\u2060" for ch in raw):
        gone.append("zero-width character")
    if any(ch in INVISIBLE and ch not in "\ufeff\u200b\u200c\u200d\u2060" for ch in raw):
        gone.append("invisible character")
    if gone:
        parts.append(" and ".join(gone) + " removed")
    if any(ch in "\u00a0\u3000\u2007\u202f\u2002\u2003\u2009" for ch in raw):
        parts.append("non-breaking / full-width spaces made plain")
    if any(not ch.isspace() and ch not in INVISIBLE and unicodedata.normalize("NFKC", ch) != ch for ch in raw):
        parts.append("full-width characters normalised (NFKC)")
    return "; ".join(parts) or f"cleaned to {clean!r}"


def log_cleaned(raw: Any, clean: str, repairs: list[Repair] | None, *, file: str, row: int | None, column: str | None,
                what: str) -> None:
    """Log a cleaned header or name when more than surrounding ASCII spaces changed."""
    if repairs is None or not isinstance(raw, str) or raw.strip() == clean:
        return
    repairs.append(Repair(file, row, column, raw, clean, f"{what}: {what_was_cleaned(raw, clean)}"))


def _exact(num: str, power: int) -> str:
    d = (Decimal(num) * (Decimal(10) ** power)).normalize()
    return f"{d:f}"


def parse_number(cell: Any, *, file: str = "", row: int | None = None, column: str | None = None,
                 repairs: list[Repair] | None = None, comma: str = "thousands") -> float:
    """Parse one cell to float, logging any repair; raise InputError for a cell that is no finite
    number. ``comma="ambiguous"`` (a semicolon-separated file) refuses a comma inside a number."""
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return np.nan
    where = {"file": file, "row": row, "column": column}
    if isinstance(cell, int | float | np.integer | np.floating) and not isinstance(cell, bool):
        try:
            val = float(cell)
        except OverflowError:  # an integer of hundreds of digits
            val = np.inf
        if not np.isfinite(val):
            raise InputError("not a finite number", **where, got=str(cell),
                             expected="a finite number (1e400 overflows to infinity; inf and nan are not values: "
                                      "leave the cell blank for a missing value)")
        return val
    if isinstance(cell, datetime | date | time):
        raise InputError("a date, not a number", **where, got=str(cell),
                         expected="a number (Excel turns entries such as 3-5 or 1/2 into dates: format the column as "
                                  "Number or Text and enter the values again)")
    raw = str(cell)
    s = unicodedata.normalize("NFKC", raw).translate(_DROP_INVISIBLE).strip().replace(" ", "")
    s = s.replace("−", "-").replace("，", ",")
    what = []
    if s != raw.strip():
        what.append("full-width or invisible characters normalised")
    if s.startswith("'") and len(s) > 1:
        s = s[1:]
        what.append("leading apostrophe (Excel's text marker) removed")
    low = s.casefold()
    if low in EXCEL_ERRORS:
        if repairs is not None:
            repairs.append(Repair(file, row, column, raw, None, "Excel error value read as missing"))
        return np.nan
    if low in MISSING_TOKENS:
        if raw.strip() and repairs is not None:
            repairs.append(Repair(file, row, column, raw, None, "missing-value marker read as missing"))
        return np.nan
    if low in NON_FINITE:
        raise InputError("not a finite number", **where, got=raw,
                         expected="a finite number (inf and nan are not values: leave the cell blank, or write NA, "
                                  "for a missing value)")
    if s.endswith("%"):
        s = s[:-1]
        what.append("percent sign removed (value kept in percent points)")
    if comma == "ambiguous" and _COMMA_NUMBER.match(s):
        raise InputError("a comma in a number of a semicolon-separated file", **where, got=raw,
                         expected="'.' as the decimal point: in a ';'-separated file 1,5 usually means 1.5 (a European "
                                  "decimal comma) but 1,234 may mean 1234; save the file with '.' as the decimal point")
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
        what.append("thousands separators removed")
    if not _NUMBER.match(s):
        raise _not_a_number(raw, s, where)
    val = float(s)
    if not np.isfinite(val):
        raise InputError("not a finite number", **where, got=raw,
                         expected="a finite number (this one overflows to infinity: the largest is about 1.8e308)")
    if what and repairs is not None:
        repairs.append(Repair(file, row, column, raw, val, "; ".join(what)))
    return val


def _not_a_number(raw: str, s: str, where: dict[str, Any]) -> InputError:
    """The clearest refusal for a cell that is not a number."""
    if _DATE.match(s):
        return InputError("a date, not a number", **where, got=raw,
                          expected="a number (Excel turns entries such as 3-5 or 1/2 into dates: format the column as "
                                   "Number or Text and enter the values again)")
    m = _MAGNITUDE.match(s)
    if m:
        num, suffix, unit = m.group(1), m.group(2), m.group(3)
        try:
            exact = _exact(num.replace(",", ""), _MAGNITUDES[suffix])
        except InvalidOperation:  # pragma: no cover - the regex admits decimals only
            exact = "?"
        return InputError(f"a number with the magnitude suffix '{suffix}' (×10^{_MAGNITUDES[suffix]})" + (f" and the unit '{unit}'" if unit else ""),
                          **where, got=raw,
                          expected="a plain number in the column's unit (say the unit in the header, e.g. 人口(万人))",
                          suggestion=f"{exact}, or {num} in a column of {suffix}{unit}")
    m = _ACCOUNTING.match(s)
    if m:
        return InputError("a number in parentheses (accounting format for a negative number, or a note?)", **where, got=raw,
                          expected="a plain number: a negative one with a minus sign", suggestion="-" + m.group(1).replace(",", ""))
    m = _BOUND.match(s)
    if m:
        return InputError("a bound or an approximation, not a value", **where, got=raw,
                          expected="the value itself, or a blank cell (missing) when only the bound is known")
    m = _WITH_UNIT.match(s)
    if m:
        return InputError(f"a number followed by '{m.group(2)}'", **where, got=raw,
                          expected="the number alone (the unit belongs in the header)", suggestion=m.group(1))
    return InputError("not a number", **where, expected="a number such as 12.5, 1,234 or 85%", got=raw)


# ====================================================================== files
def _size_text(n: int) -> str:
    """``n`` bytes, with MB or KB when that is shorter to read."""
    if n >= 1024**2:
        return f"{n:,} bytes ({n / 1024**2:,.1f} MB)"
    return f"{n:,} bytes ({n / 1024:,.1f} KB)" if n >= 1024 else f"{n:,} bytes"


def _kind_of(head: bytes) -> str:
    """What the first bytes of a file say it is: zip, ole2, html, xml-spreadsheet, pdf, gzip, image or ''."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    t = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if t.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head.lower():
        return "xml-spreadsheet"
    if t.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")) or (t.startswith(b"<?xml") and b"<html" in t):
        return "html"
    return ""


def _zip_members(path: Path) -> list[str] | None:
    try:
        with zipfile.ZipFile(path) as z:
            return z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _unpacked_size(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as z:
            return sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return 0


def _looks_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    printable = sum(1 for b in head if b >= 0x20 or b in (9, 10, 13))
    return printable / len(head) > 0.97


def check_file(path: Path, file: str) -> str:
    """Check a data file before reading it: lock and resource-fork files, the size limit, an empty
    file, and that its first bytes agree with its name. Returns ``"text"`` or ``"xlsx"``; raises
    :class:`InputError` saying what the file really is and what to do."""
    name, suffix = path.name, path.suffix.lower()
    if name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#")):
        real = name[2:] if name.startswith("~$") else name[len(".~lock."):-1]
        near = [p.name for p in path.parent.glob("*") if p.name.endswith(real) and p.name != name] if path.parent.exists() else []
        app = "Excel or WPS" if name.startswith("~$") else "LibreOffice"
        raise InputError(f"a lock file that {app} writes while '{real}' is open, not the data", file=file,
                         expected=f"the workbook itself ({real})", suggestion=near[:1] or real)
    if path.exists() and not path.is_file():
        raise InputError("not a file (a folder?)", file=file, expected="a .csv, .tsv or .xlsx file")
    if suffix not in (*TEXT_SUFFIXES, *BOOK_SUFFIXES):
        if suffix in SAVE_AS:
            kind = _kind_of(_head_bytes(path))
            if suffix == ".xls" and kind in ("html", "xml-spreadsheet"):
                what = "an HTML table" if kind == "html" else "an XML Spreadsheet 2003 file"
                raise InputError(f"unsupported file type: {what} named .xls (web portals and older systems export tables like this)",
                                 file=file, expected=f"a real workbook: {SAVE_AS_HOW}", got=suffix)
            if suffix == ".xls" and _looks_text(_head_bytes(path)):
                raise InputError("a text file named .xls (some systems export tab-separated text under this name)", file=file,
                                 expected="the .csv (or .tsv) name: rename it", suggestion=path.with_suffix(".csv").name)
            if suffix == ".xls" and kind == "zip":
                raise InputError("an .xlsx workbook named .xls", file=file, expected="the .xlsx name: rename it",
                                 suggestion=path.with_suffix(".xlsx").name)
            raise InputError(f"unsupported file type: {SAVE_AS[suffix]}", file=file, expected=f".csv, .tsv or .xlsx: {SAVE_AS_HOW}",
                             got=suffix)
        raise InputError("unsupported file type", file=file, expected=".csv, .tsv or .xlsx", got=suffix)
    size = path.stat().st_size
    if size > limits.MAX_DATA_FILE_BYTES:
        raise InputError(f"file too large: {_size_text(size)}; the limit is {_size_text(limits.MAX_DATA_FILE_BYTES)} "
                         "(dgkit.limits.MAX_DATA_FILE_BYTES), checked before reading", file=file,
                         expected="a data file within the limit: split it by year or region (one dataset may list several files)")
    if size == 0:
        raise InputError("the file is empty (0 bytes)", file=file, expected="a header row and data rows")
    try:
        head = _head_bytes(path)
    except OSError as exc:
        raise InputError(f"cannot open the file ({exc.strerror or type(exc).__name__})", file=file,
                         expected="a file you may read") from None
    kind = _kind_of(head)
    if name.startswith("._") and head.startswith(b"\x00\x05\x16\x07"):
        raise InputError("a macOS resource-fork file (the '._' copy a Mac writes beside each file on USB drives and in zips), "
                         "not the data", file=file, expected=f"the file itself ({name[2:]})", suggestion=name[2:])
    what = {"pdf": "a PDF document", "gzip": "a gzip-compressed file (unpack it first)", "image": "an image",
            "html": "an HTML web page (a failed download, or a web table saved under this name)",
            "xml-spreadsheet": "an XML Spreadsheet 2003 file"}.get(kind)
    if suffix in TEXT_SUFFIXES:
        if kind == "zip":
            members = _zip_members(path) or []
            if "xl/workbook.xml" in members:
                raise InputError(f"an Excel workbook (.xlsx) named {suffix}", file=file, expected="the .xlsx name: rename it",
                                 suggestion=path.with_suffix(".xlsx").name)
            raise InputError("a zip archive, not text", file=file, expected=f"{suffix} text: unpack the archive first",
                             got=", ".join(members[:5]) or None)
        if kind == "ole2":
            raise InputError(f"an old Excel (.xls) or Office file named {suffix}, not text", file=file,
                             expected=f"CSV text: {SAVE_AS_HOW}")
        if what:
            raise InputError(f"{what}, not {suffix} text", file=file, expected="comma- or tab-separated text")
        return "text"
    if kind == "zip":
        members = _zip_members(path)
        if members is None:
            raise InputError("a damaged workbook: the .xlsx (zip) container is incomplete or corrupt", file=file,
                             expected="a complete .xlsx: download or copy it again, or open it in Excel and save it again")
        unpacked = _unpacked_size(path)
        if unpacked > limits.MAX_XLSX_UNPACKED_BYTES:
            raise InputError(f"the workbook unpacks to {_size_text(unpacked)}, more than the limit of "
                             f"{_size_text(limits.MAX_XLSX_UNPACKED_BYTES)} (dgkit.limits.MAX_XLSX_UNPACKED_BYTES)", file=file,
                             expected="a workbook within the limit: split it by year or region")
        if "xl/workbook.xml" not in members:
            raise InputError("a zip archive but not an Excel workbook (no xl/workbook.xml)", file=file,
                             expected="an .xlsx saved by Excel, WPS or LibreOffice", got=", ".join(members[:5]) or "(empty archive)")
        return "xlsx"
    if kind == "ole2":
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in _head_bytes(path, 1 << 16):
            raise InputError("a password-protected (encrypted) workbook", file=file,
                             expected="an unprotected .xlsx: open it, remove the password (File → Info → Protect Workbook) and save")
        raise InputError(f"an Excel 97–2003 workbook (.xls) named {suffix}", file=file, expected=f"a real .xlsx: {SAVE_AS_HOW}")
    if what:
        raise InputError(f"{what} named {suffix}, not a workbook", file=file, expected=f"a real .xlsx: {SAVE_AS_HOW}")
    if _looks_text(head) or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"a text (CSV) file named {suffix}, not a workbook", file=file, expected="the .csv name: rename it",
                         suggestion=path.with_suffix(".csv").name)
    raise InputError("a damaged workbook: not an .xlsx (zip) container", file=file,
                     expected="an .xlsx saved by Excel, WPS or LibreOffice")


def _head_bytes(path: Path, n: int = 4096) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def _line_of(blob: bytes, offset: int) -> int:
    return blob.count(b"\n", 0, offset) + 1


def _common_share(chars: list[str], codec: str, leads: tuple[tuple[int, int], ...]) -> float:
    """Share of ``chars`` that are frequent characters of ``codec`` (lead byte in ``leads``)."""
    if not chars:
        return 0.0
    ok = 0
    for c in chars:
        try:
            b = c.encode(codec)
        except UnicodeEncodeError:
            continue
        if len(b) == 2 and any(lo <= b[0] <= hi for lo, hi in leads):
            ok += 1
    return ok / len(chars)


_GB_COMMON = ((0xA1, 0xA3), (0xB0, 0xD7))      # GB2312 punctuation, full-width ASCII, level-1 hanzi
_GB_LETTERS = ((0xA1, 0xA3), (0xA6, 0xA8), (0xB0, 0xD7))  # … and Greek, Cyrillic and pinyin letters
_BIG5_COMMON = ((0xA1, 0xA3), (0xA4, 0xC6))    # Big5 punctuation and frequent hanzi


def _other_encoding(blob: bytes, gb_text: str | None) -> str | None:
    """Big5 or Windows-1252 when the bytes look like that rather than GB18030 (``gb_text``: the
    GB18030 reading, ``None`` when it failed)."""
    sample = blob[: 1 << 18]
    try:
        b5 = sample.decode("cp950")
    except UnicodeDecodeError:
        b5 = None
    if b5 is not None:
        han_b5 = [c for c in b5 if ord(c) > 0x2E7F]
        high_gb = [c for c in (gb_text or "")[: len(b5)] if ord(c) > 0x7F]
        if len(han_b5) >= 2 and _common_share(han_b5, "cp950", _BIG5_COMMON) > (
                _common_share(high_gb, "gb2312", _GB_LETTERS) if gb_text is not None else 0.0) + 0.15:
            return "Big5 (traditional Chinese, Taiwan / Hong Kong)"
    try:
        latin = sample.decode("cp1252")
    except UnicodeDecodeError:
        return None
    high = [c for c in latin if ord(c) > 0x7F]
    if high and sum(c.isalpha() or c in "’‘“”–—…·°€£" for c in high) / len(high) > 0.9:
        if gb_text is None:
            return "Windows-1252 / Latin-1 (Western European)"
        han = [c for c in gb_text if ord(c) > 0x2E7F]
        wedged = len(re.findall(r"[A-Za-z][\u2e80-\U0002ffff][A-Za-z]", gb_text))
        if han and (wedged >= max(1, len(han) // 3) or _common_share(han, "gb2312", _GB_COMMON) < 0.5):
            return "Windows-1252 / Latin-1 (Western European)"
    return None


_BEYOND_2_BYTES = re.compile("[\u0800-\U0010ffff]")


def _gbk_read_as_utf8(text: str, body: bytes) -> bool:
    """GB18030 bytes that happen to be valid UTF-8 (short files: 双鸭山 is also ˫Ѽɽ). True when the
    UTF-8 reading has only 1- and 2-byte characters from several scripts side by side (IPA,
    Cyrillic, Armenian … — not the accented letters of a Western text) while the GB18030 reading
    is common Chinese."""
    if body.isascii() or _BEYOND_2_BYTES.search(text):
        return False
    high = [c for c in text[: 1 << 16] if ord(c) > 0x7F]
    if all(0xA0 <= ord(c) <= 0x17F or c in "’‘“”–—…·°€£" for c in high):  # accented Latin: a real Western text
        return False
    try:
        gb = body[: 1 << 16].decode("gb18030", errors="strict")
    except UnicodeDecodeError:
        return False
    han = [c for c in gb if ord(c) > 0x2E7F]
    if not han or _common_share(han, "gb2312", _GB_COMMON) < 0.9:
        return False
    def block(o: int) -> int:
        return 0 if o < 0x250 else 1 if o < 0x300 else 2 if o < 0x370 else 3 if o < 0x400 else 4 if o < 0x530 else 5

    for run in re.findall(r"[^\x00-\x7f]{2,}", text[: 1 << 16]):  # a word of one script, or mojibake of several
        if len({block(ord(c)) for c in run}) >= 2:
            return True
    return False


def decode_text(blob: bytes, file: str, repairs: list[Repair], *, partial: bool = False) -> tuple[str, str]:
    """The text of a data file and its encoding: UTF-8 (a BOM removed), UTF-16 LE/BE (with or without
    BOM) or GB18030 — the last two logged. Big5, Windows-1252, binary and mixed files are refused,
    naming the row where the problem starts. ``partial``: ``blob`` is the start of a longer file (a
    character cut at its end is no error)."""
    enc = ""
    if blob.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        enc = "utf-32"
    elif blob.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    else:
        sample = blob[:4096]
        if b"\x00" in sample and len(sample) >= 4:
            even, odd = sample[0::2].count(0), sample[1::2].count(0)
            half = len(sample) // 2
            if odd >= 0.1 * half and even <= 0.01 * half:
                enc = "utf-16-le"
            elif even >= 0.1 * half and odd <= 0.01 * half:
                enc = "utf-16-be"
            else:
                raise InputError("not a text file (binary data)", file=file, expected="CSV text (UTF-8 or GB18030)",
                                 got=f"NUL byte at offset {sample.index(0)}")
    if enc:
        try:
            text = blob.decode(enc)
        except UnicodeDecodeError as exc:
            raise InputError(f"cannot decode the file as {enc.upper()}", file=file, row=_line_of(blob.replace(b"\x00", b""), exc.start // 2),
                             expected="complete UTF-16 text (Excel 'Unicode text')") from None
        text = text.lstrip("\ufeff")
        label = {"utf-16": "UTF-16 with a byte-order mark", "utf-16-le": "UTF-16 LE without a byte-order mark",
                 "utf-16-be": "UTF-16 BE without a byte-order mark", "utf-32": "UTF-32"}[enc]
        if "\x00" in text:
            raise InputError("not a text file (binary data)", file=file, expected="CSV text (UTF-8 or GB18030)")
        repairs.append(Repair(file, None, None, label, "text", f"decoded as {label} (Excel's 'Unicode text' export)"))
        return text, enc
    bom = blob.startswith(b"\xef\xbb\xbf")
    body = blob[3:] if bom else blob
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        k = exc.start
        if k >= len(body) - 3 and exc.reason == "unexpected end of data":
            if partial:
                return decode_text(blob[: len(blob) - (len(body) - k)], file, repairs)
            raise InputError("the file ends in the middle of a character (it was cut short: an incomplete download or copy?)",
                             file=file, row=_line_of(body, k), expected="the complete file") from None
        prefix = body[:k].decode("utf-8")
        if bom or sum("\u4e00" <= c <= "\u9fff" for c in prefix) >= 2:
            start = body.rfind(b"\n", 0, k) + 1
            line = body[start:start + 80].split(b"\n")[0].rstrip(b"\r")
            try:
                got: Any = line.decode("gb18030") + " (read as GBK)"
            except UnicodeDecodeError:
                got = line
            raise InputError("the file mixes encodings: it is UTF-8 up to this row, then not UTF-8 (a row pasted from a GBK file?)",
                             file=file, row=_line_of(body, k), expected="one encoding for the whole file: save it again as CSV UTF-8",
                             got=got) from None
        try:
            text = body.decode("gb18030")
        except UnicodeDecodeError as exc2:
            if partial and exc2.start >= len(body) - 3:
                return decode_text(blob[: len(blob) - (len(body) - exc2.start)], file, repairs)
            other = _other_encoding(body, None)
            raise InputError("cannot decode the file" + (f": it looks like {other} text" if other else ""), file=file,
                             row=_line_of(body, exc2.start), expected="UTF-8 or GB18030 (GBK) text: save it as CSV UTF-8",
                             got=body[exc2.start:exc2.start + 8]) from None
        other = _other_encoding(body, text)
        if other:
            raise InputError(f"the file looks like {other} text, not UTF-8 or GB18030: read as GB18030 it would be mojibake", file=file,
                             expected="UTF-8 text: open it in Excel or a text editor and save it as CSV UTF-8") from None
        repairs.append(Repair(file, None, None, "GB18030 / GBK bytes", "text", "decoded as GB18030 (GBK): the file is not UTF-8"))
        return text, "gb18030"
    if b"\x00" in body:
        raise InputError("not a text file (binary data)", file=file, expected="CSV text (UTF-8 or GB18030)",
                         row=_line_of(body, body.index(b"\x00")))
    if not bom and _gbk_read_as_utf8(text, body):
        gb = body.decode("gb18030")
        shown = next((w for w in re.findall(r"[^\x00-\x7f]+", text)), "")
        repairs.append(Repair(file, None, None, "GB18030 / GBK bytes", "text",
                              f"decoded as GB18030 (GBK): the bytes are also valid UTF-8, but read so they are mojibake ({shown!r})"))
        return gb, "gb18030"
    if bom:
        repairs.append(Repair(file, 1, None, "UTF-8 byte-order mark", None, "byte-order mark removed"))
    return text, "utf-8"


SEPARATORS = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}


def sniff_separator(text: str, default: str, is_header: Callable[[str], bool], file: str, repairs: list[Repair]) -> str:
    """The separator of a text file: ``default`` (comma; tab for .tsv) unless the header row splits
    only with another one (tab, semicolon, pipe); a change is logged."""
    lines = [ln for ln in text[: 1 << 13].splitlines()[:40] if ln.strip()][:12]
    if not lines:
        return default

    def split(sep: str) -> list[list[str]]:
        try:
            return list(csv.reader(lines, delimiter=sep))
        except csv.Error:
            return []

    def header_width(sep: str) -> int:
        for r in split(sep):
            if any(is_header(clean_text(c)) for c in r):
                return sum(1 for c in r if c.strip())
        return 0

    if header_width(default) >= 2:
        return default
    best = max((s for s in SEPARATORS if s != default), key=header_width)
    chosen = best if header_width(best) >= 2 else None
    if chosen is None:  # no header found with any separator: the one that splits rows consistently
        widths = {s: [len(r) for r in split(s)] for s in SEPARATORS}
        if max(widths[default], default=1) <= 1:
            good = [s for s in SEPARATORS if s != default and widths[s] and min(widths[s]) >= 2
                    and widths[s].count(max(set(widths[s]), key=widths[s].count)) >= 0.8 * len(widths[s])]
            chosen = good[0] if good else None
    if chosen is None:
        return default
    repairs.append(Repair(file, 1, None, f"{SEPARATORS[chosen]}-separated", None,
                          f"separator detected: {SEPARATORS[chosen]} (the file is not {SEPARATORS[default]}-separated)"))
    return chosen


def read_text_cells(path: Path, file: str, repairs: list[Repair], is_header: Callable[[str], bool]) -> tuple[list[list[str]], str]:
    """All rows of a text file as cells (after :func:`check_file`), and the separator."""
    with open(path, "rb") as fh:
        blob = fh.read()
    text, _ = decode_text(blob, file, repairs)
    sep = sniff_separator(text, "\t" if path.suffix.lower() == ".tsv" else ",", is_header, file, repairs)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except csv.Error as exc:
        raise InputError(f"cannot parse the file as {SEPARATORS[sep]}-separated text ({exc})", file=file,
                         expected="CSV text with quotes closed in every row") from None
    return rows, sep


# ====================================================================== workbooks
def _cell_value(c: Any) -> Any:
    v = c.value
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time(0) else v.isoformat(sep=" ")
    if isinstance(v, date | time):
        return v.isoformat()
    if isinstance(v, str) and not v.strip():
        return None
    return v


def _percent(v: Any, fmt: str) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and "%" in (fmt or "").replace("\\%", "").replace('"%"', "")


def _cells_of(ws: Any) -> list[tuple[tuple[int, int], Any]]:
    """(row, column) → cell of every cell a worksheet holds (not the blank ones of its dimensions)."""
    held = getattr(ws, "_cells", None)
    if isinstance(held, dict):
        return list(held.items())
    return [((c.row, c.column), c) for row in ws.iter_rows() for c in row]  # pragma: no cover - other openpyxl versions


def _sheet_has_header(ws: Any, is_header: Callable[[str], bool], n: int = 10) -> bool:
    return any(r <= n and cell.value is not None and is_header(clean_text(cell.value)) for (r, _), cell in _cells_of(ws))


def _formula_cells(path: Path, title: str, blank: set[tuple[int, int]]) -> list[str]:
    """Coordinates of formula cells among ``blank`` (cells read as empty): formulas without a saved result."""
    import openpyxl

    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        if not any(re.search(rb"<(?:\w+:)?f[\s>/]", z.read(n)) for n in sheets):
            return []
    with warnings.catch_warnings(), open(path, "rb") as fh:
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=False)
        try:
            ws = wb[title]
            out = []
            for row in ws.iter_rows():
                for c in row:
                    v = getattr(c, "value", None)
                    if v is None or (c.row, c.column) not in blank:
                        continue
                    if (isinstance(v, str) and v.startswith("=")) or type(v).__name__ in ("ArrayFormula", "DataTableFormula"):
                        out.append(c.coordinate)
            return out
        finally:
            wb.close()


def read_workbook(path: Path, file: str, repairs: list[Repair], is_header: Callable[[str], bool], *,
                  sheet: str | int | None = None, hidden: str | None = None) -> list[list[Any]]:
    """The cells of one sheet (row 1 first; ``None`` = blank; numbers stay numbers, dates become
    ISO text, percent-formatted numbers percent points, logged). Which sheet: the one named, else the
    only visible sheet whose first rows hold a header cell (``is_header``); hidden sheets are read
    only when named. Hidden rows and columns holding data are refused unless ``hidden`` is
    ``"include"`` or ``"drop"`` (dropped ones are blanked, so row numbers stay spreadsheet rows);
    formula cells without a saved result are refused."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        with warnings.catch_warnings(), open(path, "rb") as fh:
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(fh, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged workbook raises anything from zip, XML or openpyxl
        raise InputError(f"a damaged workbook: cannot read it ({type(exc).__name__}: {str(exc)[:120]})", file=file,
                         expected="an .xlsx saved by Excel, WPS or LibreOffice: open it and save it again") from None
    sheets = wb.worksheets
    names = [ws.title for ws in sheets]
    state = {ws.title: ws.sheet_state for ws in sheets}
    listing = ", ".join(n + (" (hidden)" if state[n] != "visible" else "") for n in names) or "(none)"
    if not sheets:
        raise InputError("the workbook has no worksheets", file=file, expected="a sheet with a header row and data")
    if sheet is not None:
        if not isinstance(sheet, str | int) or isinstance(sheet, bool) or (isinstance(sheet, int) and not 0 <= sheet < len(sheets)) or (
                isinstance(sheet, str) and sheet not in names):
            import difflib

            raise InputError(f"no sheet {sheet!r}", file=file, expected="one of the sheets " + ", ".join(names),
                             suggestion=difflib.get_close_matches(str(sheet), names, n=1) or None)
        ws = sheets[sheet] if isinstance(sheet, int) else wb[sheet]
        if ws.sheet_state != "visible":
            repairs.append(Repair(file, None, None, f"sheet {ws.title!r}", None, f"sheet {ws.title!r} is hidden in the workbook: read because it was named"))
    else:
        visible = [ws for ws in sheets if ws.sheet_state == "visible"] or sheets
        holders = [ws for ws in sheets if _sheet_has_header(ws, is_header)]
        shown = [ws for ws in holders if ws.sheet_state == "visible"]
        ws = visible[0]
        if len(shown) > 1:
            raise InputError(f"no sheet named and {len(shown)} sheets hold data: " + ", ".join(repr(w.title) for w in shown), file=file,
                             expected="the sheet to read: sheet: <name> in the dataset YAML (read_indicators(..., sheet=...)), or one "
                                      "files: entry per sheet ({path, sheet})", suggestion=shown[0].title)
        if shown and shown[0] is not ws:
            raise InputError(f"no sheet named and the first sheet {ws.title!r} holds no header; the data are on sheet {shown[0].title!r}",
                             file=file, expected=f"the sheet to read (the workbook's sheets: {listing}): sheet: {shown[0].title} "
                                                 "in the dataset YAML (read_indicators(..., sheet=...))", suggestion=shown[0].title)
        if not shown and holders:
            raise InputError(f"the data are on the hidden sheet {holders[0].title!r}", file=file,
                             expected=f"a visible sheet, or name the hidden one to read it: sheet: {holders[0].title} "
                                      f"(the workbook's sheets: {listing})", suggestion=holders[0].title)
        skipped = [w.title for w in sheets if w.sheet_state != "visible"]
        if skipped:
            repairs.append(Repair(file, None, None, "hidden sheet(s) " + ", ".join(skipped), None,
                                  f"hidden sheet(s) not read: {', '.join(skipped)} (name one with sheet: to read it); read sheet {ws.title!r}"))
    percent: list[tuple[int, int, Any]] = []
    found: dict[tuple[int, int], Any] = {}
    for (r, c), cell in _cells_of(ws):  # only cells the file holds: a sheet formatted down to row 1,048,576 stays cheap
        v = _cell_value(cell)
        if v is None:
            continue
        if _percent(v, cell.number_format):
            percent.append((r, c, v))
            v = float(Decimal(repr(float(v))) * 100)
        found[(r, c)] = v
    nrows = max((r for r, _ in found), default=0)
    width = max((c for _, c in found), default=0)
    cells: list[list[Any]] = [[None] * width for _ in range(nrows)]
    for (r, c), v in found.items():
        cells[r - 1][c - 1] = v
    title = f"sheet {ws.title!r}"
    # where the table starts: hidden rows and columns above the header are title rows, not data
    start = next((i for i, r in enumerate(cells[:10]) if any(v is not None and is_header(clean_text(v)) for v in r)), 0)
    def label(j: int) -> str:  # a column as messages name it: its header, else its letter
        return (clean_text(cells[start][j - 1]) if start < len(cells) and j <= width else "") or get_column_letter(j)

    # a cell merged down over several rows (a unit name over its years): every row gets its value, logged
    for rng in sorted(ws.merged_cells.ranges, key=lambda m: (m.min_row, m.min_col)):
        if rng.min_col == rng.max_col and rng.max_row > rng.min_row and rng.min_row >= start + 2 and rng.max_row <= len(cells):
            v = cells[rng.min_row - 1][rng.min_col - 1] if rng.min_col <= width else None
            if v is None:
                continue
            for r in range(rng.min_row + 1, rng.max_row + 1):
                cells[r - 1][rng.min_col - 1] = v
            repairs.append(Repair(file, rng.min_row, label(rng.min_col), v, v,
                                  f"merged cells {rng.coord} filled: each of rows {rng.min_row}–{rng.max_row} gets {v!r}"))
    hid_rows = sorted(r for r, d in ws.row_dimensions.items() if d.hidden and start < r <= len(cells)
                      and any(v is not None for v in cells[r - 1]))
    hid_cols: set[int] = set()
    for key, d in ws.column_dimensions.items():
        if d.hidden:
            lo = d.min or openpyxl.utils.column_index_from_string(key)
            hi = d.max or lo
            hid_cols.update(j for j in range(lo, min(hi, width) + 1) if any(r[j - 1] is not None for r in cells[start:]))
    if hid_rows or hid_cols:
        filt = " (the sheet has a filter on: rows it filters out are hidden)" if ws.auto_filter and ws.auto_filter.ref else ""
        parts = []
        if hid_rows:
            shown_rows = ", ".join(f"{r} ({next((str(v) for v in cells[r - 1] if v is not None), '')[:30]})" for r in hid_rows[:8])
            parts.append(f"hidden row(s) {shown_rows}" + (f" … ({len(hid_rows)} in all)" if len(hid_rows) > 8 else ""))
        if hid_cols:
            cols = sorted(hid_cols)
            parts.append("hidden column(s) " + ", ".join(
                f"{get_column_letter(j)} ({clean_text(cells[start][j - 1]) or 'no header'})" for j in cols[:8]))
        if hidden not in HIDDEN_CHOICES:
            raise InputError(f"{title} has " + " and ".join(parts) + " holding data" + filt
                             + ": they would be read as data although Excel does not show them", file=file,
                             row=hid_rows[0] if hid_rows else None,
                             expected="no hidden rows or columns, or say what to do with them: hidden: drop | include in the dataset YAML "
                                      "(read_indicators(..., hidden='drop' | 'include'))")
        for r in hid_rows:
            if hidden == "drop":
                cells[r - 1] = [None] * width
            repairs.append(Repair(file, r, None, "hidden row", None, f"hidden row {'dropped' if hidden == 'drop' else 'read'} (hidden: {hidden})"))
        for j in sorted(hid_cols):
            if hidden == "drop":
                for r in cells:
                    r[j - 1] = None
            repairs.append(Repair(file, None, label(j), f"hidden column {get_column_letter(j)}", None,
                                  f"hidden column {'dropped' if hidden == 'drop' else 'read'} (hidden: {hidden})"))
    blank = {(i + 1, j + 1) for i, r in enumerate(cells) for j, v in enumerate(r) if v is None}
    formulas = _formula_cells(path, ws.title, blank) if blank else []
    if formulas:
        raise InputError(f"{title}: {len(formulas)} formula cell(s) without a saved result: " + ", ".join(formulas[:10])
                         + (" …" if len(formulas) > 10 else ""), file=file,
                         expected="values: the workbook was written by a program and never calculated; open it in Excel, WPS or "
                                  "LibreOffice and save it (or paste the values), so the results are stored")
    for r, j, v in percent:
        if r - 1 < len(cells) and j - 1 < width and cells[r - 1][j - 1] is not None:
            repairs.append(Repair(file, r, label(j), v, cells[r - 1][j - 1],
                                  "percent-formatted cell read in percent points (as the text 85% is)"))
    return cells


# ====================================================================== headers
@dataclass
class Layout:
    """Where a table's header is (0-based row), how many rows it has (1 or 2) and the column names."""

    row: int
    rows: int
    names: list[str]


def _is_text_label(v: Any) -> bool:
    if v is None:
        return False
    s = clean_text(v)
    if not s:
        return False
    try:
        parse_number(s)
    except InputError:
        return True
    return False


def header_layout(cells: list[list[Any]], is_header: Callable[[str], bool], file: str, repairs: list[Repair], *,
                  required: bool) -> Layout:
    """Find the header (the first of the first ten rows with a cell ``is_header`` accepts; row 1 when
    none does and not ``required``), clean its names (logged), and recognise a two-row header or a
    units row below it (see the module docstring)."""
    if not any(clean_text(v) for r in cells[:12] for v in r):
        raise InputError("the file has no rows with data (only blank cells or separators)", file=file,
                         expected="a header row and data rows")
    h = next((i for i, r in enumerate(cells[:10]) if any(is_header(clean_text(v)) for v in r)), None)
    if h is None:
        if required:
            raise InputError("no header row with a unit column found in the first 10 rows", file=file,
                             expected="a header naming the unit column: " + ", ".join(UNIT_HEADERS))
        h = 0
    if h:
        repairs.append(Repair(file, 1, None, f"{h} row(s) above the header", None, "title rows skipped"))
    up = list(cells[h]) if h < len(cells) else []
    names = []
    for j, v in enumerate(up):
        name = clean_text(v)
        log_cleaned(v, name, repairs, file=file, row=h + 1, column=name or f"#{j + 1}", what="header cleaned")
        names.append(name)
    for name in names:
        if _UNNAMED.match(name):
            raise InputError(f"a column header {name!r} written by pandas for a column without a header (often the index)",
                             file=file, row=h + 1, column=name,
                             expected="real column names: write the file with DataFrame.to_csv(..., index=False), or delete or name the column")
    unit_j = next((j for j, n in enumerate(names) if is_header(n)), None)
    lo = list(cells[h + 1]) if h + 1 < len(cells) else []
    lo += [None] * (len(names) - len(lo))
    nonblank = [j for j, v in enumerate(lo[: len(names)]) if clean_text(v)]
    if unit_j is None or clean_text(lo[unit_j]) not in ("", names[unit_j]) or not nonblank or not all(
            _is_text_label(lo[j]) for j in nonblank):  # the unit cell of a second header row is blank or repeats the header
        return Layout(h, 1, names)
    nonblank = [j for j in nonblank if clean_text(lo[j]) != names[j]]  # a name repeated below itself (not merged)
    if not nonblank:
        repairs.append(Repair(file, h + 2, None, f"row {h + 2} repeats the header", None, "repeated header row skipped"))
        return Layout(h, 2, names)
    lower = [clean_text(v) for v in lo[: len(names)]]
    spanned = [j for j in nonblank if not names[j]]
    if not spanned:  # a units row: 亿元, 万人 under the names
        shown = ", ".join(f"{names[j]} = {lower[j]}" for j in nonblank[:8])
        repairs.append(Repair(file, h + 2, None, shown, None, f"units row below the header skipped (units: {shown})"))
        return Layout(h, 2, names)
    groups: list[str] = []
    current = ""
    for j in range(len(names)):
        if names[j]:
            current = names[j]
        groups.append(current if lower[j] else names[j])
    combined = []
    for j in range(len(names)):
        if not lower[j]:
            combined.append(names[j])
        elif lower.count(lower[j]) > 1 and groups[j]:
            combined.append(f"{groups[j]}/{lower[j]}")
        else:
            combined.append(lower[j])
    spans: dict[str, list[str]] = {}
    for j in range(len(names)):
        if lower[j] and groups[j] and lower[j] != names[j]:
            spans.setdefault(groups[j], []).append(lower[j])
    shown = "; ".join(f"{g} = {', '.join(v)}" for g, v in list(spans.items())[:6])
    repairs.append(Repair(file, h + 2, None, f"two header rows {h + 1}–{h + 2}", ", ".join(combined),
                          f"two-row header combined: columns named by row {h + 2} (row {h + 1} groups them: {shown})"))
    return Layout(h, 2, combined)


REPEATED_HEADER = "the header repeated below the data (files pasted together?): row skipped"


def repeated_header_rows(frame: pd.DataFrame, names: list[str]) -> np.ndarray:
    """Rows whose every cell repeats its column's header (two exports pasted together)."""
    if not len(frame) or not len(names):
        return np.zeros(len(frame), dtype=bool)
    first = frame.iloc[:, 0]
    if first.dtype.kind in "iufb":
        return np.zeros(len(frame), dtype=bool)
    hits = [u for u in pd.unique(first.dropna()) if clean_text(u) == names[0]]  # once per distinct value
    cand = np.array(first.isin(hits), dtype=bool)
    if not cand.any():
        return cand
    sub = frame[cand]
    same = np.array([all(clean_text(v) == n for v, n in zip(row, names, strict=False)) for row in sub.itertuples(index=False)])
    cand[np.flatnonzero(cand)] = same
    return cand


def headerless_hint(values: list[Any]) -> str:
    """The ``expected`` of 'column without a header holds values' (a pandas index is named as such)."""
    nums = []
    for v in values:
        s = clean_text(v)
        if not s:
            continue
        try:
            nums.append(float(s))
        except ValueError:
            break
    else:
        if len(nums) >= 2 and nums == [nums[0] + k for k in range(len(nums))] and nums[0] in (0, 1):
            return ("a header for every column with data (this one counts 0, 1, 2 …: a pandas index? write the file with "
                    "DataFrame.to_csv(..., index=False))")
    return "a header for every column with data"


def _is_unit_header(cell: str) -> bool:
    return cell.casefold() in _UNIT_KEYS


_UNIT_KEYS = {h.casefold() for h in UNIT_HEADERS}


def read_cells(path: Path, file: str, repairs: list[Repair], is_header: Callable[[str], bool], *,
               sheet: str | int | None = None, hidden: str | None = None) -> tuple[list[list[Any]], str]:
    """Every cell of a csv/tsv/xlsx after :func:`check_file` (rows from spreadsheet row 1), and the
    separator of a text file (``""`` for a workbook)."""
    kind = check_file(path, file)
    if kind == "text":
        return read_text_cells(path, file, repairs, is_header)
    return read_workbook(path, file, repairs, is_header, sheet=sheet, hidden=hidden), ""


# ====================================================================== route 1
def _read_raw(path: Path, repairs: list[Repair] | None = None, *, sheet: str | int | None = None,
              hidden: str | None = None) -> tuple[pd.DataFrame, str]:
    """The cells of ``path`` as a frame (row 0 = spreadsheet row 1) and the separator."""
    rows, sep = read_cells(path, str(path), repairs if repairs is not None else [], _is_unit_header, sheet=sheet, hidden=hidden)
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], dtype=object), sep


def _unit_cell(v: Any, file: str, row: int, column: str, repairs: list[Repair]) -> Any:
    if not isinstance(v, str):
        return v
    s = clean_text(v)
    if s.casefold() in EXCEL_ERRORS:
        raise InputError(f"an Excel error value ({s}) in the unit column: the formula that fills it failed", file=file, row=row,
                         column=column, expected="a unit name or code: fix the formula (e.g. a VLOOKUP that found nothing) and save again",
                         got=v)
    log_cleaned(v, s, repairs, file=file, row=row, column=column, what="unit name cleaned")
    return s


def read_indicators(path: str | Path, framework: Any = None, unit_level: str = "province",
                    year: int | None = None, *, sheet: str | int | None = None, hidden: str | None = None) -> IndicatorTable:
    """Read, repair (logged) and validate a user's indicator file; see the module docstring.

    ``sheet`` names the sheet of a workbook; ``hidden`` says what to do with hidden rows and
    columns of a workbook that hold data: ``"include"`` or ``"drop"`` (default: refuse them)."""
    from dgkit.units import resolver

    p = Path(path)
    file = str(p)
    if not p.exists():
        raise InputError("file not found", file=file)
    if hidden is not None and hidden not in HIDDEN_CHOICES:
        raise InputError("invalid value for hidden", file=file, expected=" or ".join(map(repr, HIDDEN_CHOICES)), got=hidden)
    repairs: list[Repair] = []
    raw, sep = _read_raw(p, repairs, sheet=sheet, hidden=hidden)
    comma = "ambiguous" if sep == ";" else "thousands"
    lay = header_layout(raw.values[:12].tolist(), _is_unit_header, file, repairs, required=True)
    h = lay.row
    header = lay.names
    body = raw.iloc[h + lay.rows:].reset_index(drop=True)
    body = body.reindex(columns=range(len(header)))
    body.columns = range(body.shape[1])
    first_row = h + lay.rows + 1  # spreadsheet row of body row 0
    # drop fully empty unnamed columns, refuse empty named ones later
    keep = []
    for j, name in enumerate(header):
        col = body[j]
        empty = col.map(lambda v: clean_text(v) == "")
        if name == "":
            if empty.all():
                repairs.append(Repair(file, h + 1, f"#{j + 1}", "empty unnamed column", None, "dropped"))
                continue
            raise InputError("column without a header holds values", file=file, row=h + 1, column=f"#{j + 1}",
                             expected=headerless_hint(col.tolist()))
        keep.append(j)
    body = body[keep]
    header = [header[j] for j in keep]
    dup = sorted({c for c in header if header.count(c) > 1})
    if dup:
        raise InputError(f"duplicate column header(s): {', '.join(dup)}", file=file, row=h + 1)
    body.columns = header
    # drop fully blank rows
    blank = body.apply(lambda r: all(clean_text(v) == "" for v in r), axis=1) if len(body) else pd.Series(dtype=bool)
    row_no = pd.Series(np.arange(len(body)) + first_row, index=body.index)
    body, row_no = body[~blank], row_no[~blank]
    again = repeated_header_rows(body, header)
    if again.any():
        for r in row_no[again]:
            repairs.append(Repair(file, int(r), None, "the header again", None, REPEATED_HEADER))
        body, row_no = body[~again], row_no[~again]
    if not len(body):
        raise InputError("the file has a header but no data rows", file=file, row=h + 1,
                         expected=f"data rows below the header (row {h + 1})")
    lower = {c.casefold(): c for c in header}
    ucol = next((lower[k.casefold()] for k in UNIT_HEADERS if k.casefold() in lower), None)
    ycol = next((lower[k.casefold()] for k in YEAR_HEADERS if k.casefold() in lower), None)
    if ucol is None:  # pragma: no cover - header_layout found a unit header
        raise InputError("no unit column", file=file, row=h + 1, expected=", ".join(UNIT_HEADERS))
    res = resolver(unit_level)
    unit_ids = [res.resolve(_unit_cell(v, file, int(r), ucol, repairs), file=file, row=int(r), column=ucol)
                for v, r in zip(body[ucol], row_no)]
    if ycol is not None:
        years = []
        for v, r in zip(body[ycol], row_no):
            y = parse_number(v.strip().removesuffix("年") if isinstance(v, str) else v, file=file, row=int(r), column=ycol, repairs=repairs)
            if np.isnan(y) or y != int(y) or not 1990 <= y <= 2100:
                raise InputError("not a valid year", file=file, row=int(r), column=ycol, expected="a year such as 2019", got=v)
            years.append(int(y))
    else:
        years = [year] * len(body)
    is_long = {"indicator", "value"} <= {c.casefold() for c in header} or {"指标", "值"} <= set(header)
    records = []
    if is_long:
        icol = lower.get("indicator") or "指标"
        vcol = lower.get("value") or "值"
        for uid, y, ind, v, r in zip(unit_ids, years, body[icol], body[vcol], row_no):
            records.append((uid, y, clean_text(ind), parse_number(v, file=file, row=int(r), column=vcol, repairs=repairs, comma=comma),
                            int(r)))
    else:
        ind_cols = [c for c in header if c not in (ucol, ycol) and c.casefold() not in ("province_name", "name", "note", "source", "名称", "备注")]
        for c in ind_cols:
            vals = body[c]
            if all(clean_text(v) == "" for v in vals):
                raise DataValidationError("indicator column is empty (all cells blank)", file=file, column=c,
                                          expected="at least one value, or drop the column")
        for (uid, y, r), (_, rowvals) in zip(zip(unit_ids, years, row_no), body.iterrows()):
            for c in ind_cols:
                records.append((uid, y, c, parse_number(rowvals[c], file=file, row=int(r), column=c, repairs=repairs, comma=comma),
                                int(r)))
    lg = pd.DataFrame(records, columns=["unit_id", "year", "indicator", "value", "_row"])
    lg["year"] = lg["year"].astype("Int64")
    # duplicates
    key = ["unit_id", "year", "indicator"]
    d = lg[lg.duplicated(key, keep=False)]
    if len(d):
        for _, grp in d.groupby(key, dropna=False):
            vals = grp["value"].tolist()
            if len(set(map(repr, vals))) > 1:
                rows = ", ".join(map(str, grp["_row"].head(10))) + (f" … ({len(grp)} rows)" if len(grp) > 10 else "")
                raise DataValidationError(
                    f"conflicting duplicate rows {rows} for unit {grp['unit_id'].iat[0]}, year {grp['year'].iat[0]}, indicator {grp['indicator'].iat[0]}",
                    file=file, row=int(grp["_row"].iat[1]), expected="one value per unit, year and indicator", got=vals)
        dropped = lg[lg.duplicated(key, keep="first")]
        for r in sorted(set(dropped["_row"])):
            repairs.append(Repair(file, int(r), None, "exact duplicate", None, "duplicate row dropped"))
        lg = lg.drop_duplicates(key, keep="first")
    # all-missing indicators
    for ind, grp in lg.groupby("indicator"):
        if grp["value"].isna().all():
            raise DataValidationError("indicator has no values at all (all missing)", file=file, column=str(ind),
                                      expected="at least one value")
    if framework is not None:
        from dgkit.framework import Framework, load_framework

        fw = framework if isinstance(framework, Framework) else load_framework(framework)
        fw.check_data(sorted(lg["indicator"].unique()), file=file)
        types = fw.types()
        neg = lg[(lg["indicator"].map(types) == "count") & (lg["value"] < 0)]
        if len(neg):
            r = neg.iloc[0]
            raise DataValidationError("negative value for a count indicator", file=file, row=int(r["_row"]),
                                      column=str(r["indicator"]) if not is_long else "value",
                                      expected="a count ≥ 0", got=float(r["value"]))
    from dgkit.schemas import INDICATORS_LONG, validate

    lg = lg.drop(columns="_row").reset_index(drop=True)
    validate(lg, INDICATORS_LONG, file=file)
    return IndicatorTable(lg, file, unit_level, repairs)
