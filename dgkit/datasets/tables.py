"""Reading a dataset's files: csv / tsv / xlsx into text cells with spreadsheet row numbers, and
vectorised number parsing that logs every repair and collects every bad cell.

Row numbers are spreadsheet rows: the header is row 1 (or the row it was found on), data start
one below it. Files are opened read-only.
"""

from __future__ import annotations

import difflib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dgkit.datasets.spec import Problem
from dgkit.readers import MISSING_TOKENS, Repair, parse_number

EXCEL_ERRORS = {"#div/0!", "#n/a", "#value!", "#ref!", "#name?", "#num!", "#null!", "#getting_data", "#spill!", "#calc!"}


@dataclass
class Table:
    """Text cells of one file (header cleaned), their spreadsheet row numbers, and the file label."""

    frame: pd.DataFrame
    rows: pd.Series
    file: str


def _clean_header(v: Any) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    s = unicodedata.normalize("NFKC", str(v))
    return "".join(ch for ch in s if ch not in "\u200b\u200c\u200d\ufeff").strip()


TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


@dataclass
class _Text:
    """A text file's bytes (BOM removed), separator and encoding: read once, parsed twice (head, body)."""

    blob: bytes
    sep: str
    enc: str


def _load_text(path: Path, file: str, problems: list[Problem]) -> _Text | None:
    """UTF-8 (with or without BOM), else GB18030; tab-separated for .tsv. The BOM is dropped here
    (pandas' utf-8-sig decoder is slow)."""
    with open(path, "rb") as fh:
        blob = fh.read()
    if blob.startswith(b"\xef\xbb\xbf"):
        blob = blob[3:]
    sample = blob[: 1 << 16]
    for enc in ("utf-8", "gb18030"):
        try:
            sample.decode(enc)
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 4:  # not just a character cut at the end of the sample
                continue
        return _Text(blob, "\t" if path.suffix.lower() == ".tsv" else ",", enc)
    problems.append(Problem("cannot decode the file", file=file, expected="UTF-8 or GB18030 text"))
    return None


def _head_cells(text: _Text, n: int = 10) -> pd.DataFrame:
    """The first ``n`` rows as cells (for finding the header), read with the csv module."""
    import csv

    rows = []
    sample = text.blob[: 1 << 16].decode(text.enc, errors="ignore")
    for i, r in enumerate(csv.reader(io.StringIO(sample), delimiter=text.sep)):
        if i >= n:
            break
        rows.append(r)
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


def _parse_text(text: _Text, file: str, problems: list[Problem], header_row: int,
                text_columns: set[int] | None) -> pd.DataFrame | None:
    """The rows below ``header_row`` (0-based) with pandas' typing, columns 0 … n−1 (the caller names them)."""
    blob, sep, enc = text.blob, text.sep, text.enc

    def parse(keep_blank: bool) -> pd.DataFrame:  # pandas reads the header row: cheaper than header=None
        return pd.read_csv(io.BytesIO(blob), sep=sep, encoding=enc, header=header_row, keep_default_na=False,
                           na_values=[""], skip_blank_lines=not keep_blank, dtype={c: str for c in text_columns or ()} or None)

    try:
        df = parse(keep_blank=False)
        # blank lines would shift spreadsheet row numbers: when lines and rows disagree, keep them as rows
        lines = blob.count(b"\n") + (0 if blob.endswith(b"\n") else 1)
        if lines != len(df) + header_row + 1:
            df = parse(keep_blank=True)
    except UnicodeDecodeError:
        problems.append(Problem("cannot decode the file", file=file, expected="UTF-8 or GB18030 text"))
        return None
    except pd.errors.ParserError as exc:
        problems.append(Problem(f"cannot parse the file: {str(exc).splitlines()[0]}", file=file,
                                expected=f"{'tab' if sep == chr(9) else 'comma'}-separated text with the same number of cells in every row"))
        return None
    except pd.errors.EmptyDataError:
        problems.append(Problem("the file is empty", file=file))
        return None
    df.columns = range(df.shape[1])
    return df


def _read_workbook(path: Path, sheet: str | int | None, file: str, problems: list[Problem], nrows: int | None = None,
                   skiprows: int = 0) -> pd.DataFrame | None:
    """Cells of a workbook sheet as text (blank = NaN), columns 0 … n−1."""
    with open(path, "rb") as fh:
        try:
            book = pd.ExcelFile(fh, engine="openpyxl")
        except Exception as exc:  # noqa: BLE001 - a damaged or renamed file
            problems.append(Problem(f"cannot read the workbook ({type(exc).__name__})", file=file,
                                    expected="an .xlsx workbook saved by Excel, WPS or LibreOffice"))
            return None
        names = book.sheet_names
        if sheet is None:
            sheet = 0
        if (isinstance(sheet, str) and sheet not in names) or (isinstance(sheet, int) and sheet >= len(names)):
            problems.append(Problem(f"no sheet {sheet!r}", file=file, key="sheet",
                                    expected="one of the sheets " + ", ".join(names),
                                    suggestion=difflib.get_close_matches(str(sheet), names, n=1) or None))
            return None
        df = book.parse(sheet, header=None, dtype=object)
    df = df.iloc[skiprows:] if nrows is None else df.iloc[skiprows:skiprows + nrows]
    df = df.map(lambda v: np.nan if v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() == "" else str(v))
    df.columns = range(df.shape[1])
    return df.reset_index(drop=True)


def head_rows(path: Path, sheet: str | int | None = None, n: int = 10) -> pd.DataFrame | None:
    """The first ``n`` rows of a csv/tsv/xlsx as cells, without reading the whole file as a table."""
    problems: list[Problem] = []
    if path.suffix.lower() in TEXT_SUFFIXES:
        loaded = _load_text(path, str(path), problems)
        return _head_cells(loaded, n) if loaded is not None else None
    return _read_workbook(path, sheet, str(path), problems, nrows=n)


def read_table(path: Path, *, sheet: str | int | None = None, must_have: str | None = None,
               problems: list[Problem], repairs: list[Repair], label: str | None = None,
               text: set[str] | None = None) -> Table | None:
    """Read ``path``. The header is the first of the first ten rows that contains ``must_have``
    (rows above it are title rows: skipped, logged); without ``must_have`` row 1. Columns named in
    ``text`` are read as text; the others keep pandas' typing (numbers stay numbers)."""
    file = label or str(path)
    if not path.exists():
        near = difflib.get_close_matches(path.name, [p.name for p in path.parent.glob("*")], n=1) if path.parent.exists() else []
        problems.append(Problem("file not found", file=file, suggestion=near or None))
        return None
    suffix = path.suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, ".xlsx", ".xlsm"):
        problems.append(Problem("unsupported file type", file=file, expected=".csv, .tsv or .xlsx", got=suffix))
        return None
    loaded = _load_text(path, file, problems) if suffix in TEXT_SUFFIXES else None
    if suffix in TEXT_SUFFIXES and loaded is None:
        return None
    head = _head_cells(loaded) if loaded is not None else _read_workbook(path, sheet, file, problems, nrows=10)
    if head is None:
        return None
    if head.empty:
        problems.append(Problem("the file has no rows", file=file))
        return None
    h = 0
    if must_have is not None:
        want = _clean_header(must_have).casefold()
        for i in range(min(len(head), 10)):
            if any(_clean_header(v).casefold() == want for v in head.iloc[i].tolist()):
                h = i
                break
    header = [_clean_header(v) for v in head.iloc[h].tolist()]
    text_idx = {j for j, n in enumerate(header) if n in (text or set())}
    body = (_parse_text(loaded, file, problems, h, text_idx) if loaded is not None
            else _read_workbook(path, sheet, file, problems, skiprows=h + 1))
    if body is None:
        return None
    if h:
        repairs.append(Repair(file, 1, None, f"{h} row(s) above the header", None, "title rows skipped"))
    if body.shape[1] < len(header):
        for j in range(body.shape[1], len(header)):
            body[j] = np.nan
    rows = pd.Series(np.arange(len(body)) + h + 2)
    keep, names = [], []
    for j, name in enumerate(header):
        col = body.iloc[:, j]
        if name == "":
            if col.isna().all():
                if len(body):
                    repairs.append(Repair(file, h + 1, f"#{j + 1}", "empty unnamed column", None, "dropped"))
                continue
            problems.append(Problem("column without a header holds values", file=file, row=h + 1, column=f"#{j + 1}",
                                    expected="a header for every column with data"))
            continue
        if name in names:
            problems.append(Problem(f"duplicate column header {name!r}", file=file, row=h + 1, column=name))
            continue
        keep.append(j)
        names.append(name)
    frame = body if len(keep) == body.shape[1] else body.iloc[:, keep]
    frame.columns = names
    if not len(names):
        blank = np.ones(len(frame), dtype=bool)
    else:  # a blank row has no unit: look at the other cells of those rows only
        key = must_have if must_have in names else names[0]
        cand = frame[key].isna().to_numpy()
        blank = np.zeros(len(frame), dtype=bool)
        if cand.any():
            blank[cand] = frame[cand].isna().all(axis=1).to_numpy()
    if blank.any():
        frame, rows = frame[~blank].reset_index(drop=True), rows[~blank].reset_index(drop=True)
    return Table(frame, rows, file)


def _clean_cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v).strip()
    if s.isascii() and s.isprintable():  # the common cases: nothing to clean
        return s
    if s.isprintable() and unicodedata.is_normalized("NFKC", s):
        return s
    s = unicodedata.normalize("NFKC", s)
    return "".join(ch for ch in s if ch not in "\u200b\u200c\u200d\ufeff").strip()


def clean_values(values: np.ndarray | pd.Series) -> list[str]:
    """:func:`_clean_cell` of each value; whole numbers in a numeric column are converted at once."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        return arr.astype(str).tolist()
    if arr.dtype.kind == "f" and np.isfinite(arr).all() and (arr == np.round(arr)).all():
        return arr.astype(np.int64).astype(str).tolist()
    codes, uniq = pd.factorize(arr.astype(object), use_na_sentinel=True)  # clean each distinct value once
    cleaned = np.array([_clean_cell(u) for u in uniq.tolist()] + [""], dtype=object)
    return cleaned[codes].tolist()


def factor(col: pd.Series) -> tuple[np.ndarray, list[str]]:
    """(codes, distinct clean texts): ``[u[c] for c in codes]`` is :func:`text` of the column; a
    missing cell has the code of ``""``."""
    arr = col.to_numpy()
    codes, uniq = pd.factorize(arr if arr.dtype.kind in "iuf" else col.to_numpy(dtype=object), use_na_sentinel=True)
    cleaned = clean_values(uniq) if uniq.dtype.kind in "iuf" else [_clean_cell(u) for u in uniq.tolist()]
    if (codes < 0).any():
        codes = np.where(codes < 0, len(cleaned), codes)
        cleaned.append("")
    return codes, cleaned


def first_rows(codes: np.ndarray, n: int) -> np.ndarray:
    """Row index of the first occurrence of each code 0 … n−1 (−1 where a code never occurs)."""
    first = np.full(n, -1, dtype=np.int64)
    u, idx = np.unique(codes, return_index=True)
    first[u] = idx
    return first


def text(col: pd.Series) -> pd.Series:
    """Cells as clean text (NFKC, stripped, blank for missing; ``110101.0`` → ``110101``), computed
    once per distinct value."""
    codes, uniq = pd.factorize(col, use_na_sentinel=True)
    cleaned = np.array([_clean_cell(u) for u in uniq] + [""], dtype=object)
    return pd.Series(cleaned[codes], index=col.index, dtype=object)


def closest_column(name: str, columns: list[str]) -> list[str] | None:
    c = difflib.get_close_matches(name, columns, n=2, cutoff=0.5)
    if not c:
        low = {x.casefold(): x for x in columns}
        c = [low[k] for k in difflib.get_close_matches(name.casefold(), list(low), n=2, cutoff=0.5)]
    return c or None


def to_numbers(col: pd.Series, rows: pd.Series, *, file: str, column: str, problems: list[Problem],
               repairs: list[Repair], max_problems: int = 50) -> pd.Series:
    """Parse cells to floats. A column pandas already read as numbers is taken as it is; otherwise
    each distinct text goes once through :func:`dgkit.readers.parse_number` (repairs logged per
    cell) and every cell that is no number is a problem. Excel error tokens (``#DIV/0!``, ``#N/A``
    …) and missing markers become missing, logged."""
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        out = col.astype(float)
    else:
        codes, uniq = pd.factorize(col, use_na_sentinel=True)
        parsed = np.full(len(uniq) + 1, np.nan)
        status: list[tuple[str, Any, str]] = []  # per unique: (kind, value/raw, what)
        for k, u in enumerate(uniq):
            if isinstance(u, int | float | np.integer | np.floating) and not isinstance(u, bool):
                parsed[k] = float(u)
                status.append(("ok", None, ""))
                continue
            raw = str(u).strip()
            if raw.isascii():  # float() also reads full-width digits: those go through the logged repair
                try:
                    parsed[k] = float(raw)
                    status.append(("ok", None, ""))
                    continue
                except ValueError:
                    pass
            low = raw.casefold()
            if low in EXCEL_ERRORS:
                status.append(("repair", raw, "Excel error value read as missing"))
            elif low in MISSING_TOKENS:
                status.append(("repair", raw, "missing-value marker read as missing"))
            else:
                local: list[Repair] = []
                try:
                    parsed[k] = parse_number(raw, file=file, column=column, repairs=local)
                    status.append(("repair", raw, local[0].what) if local else ("ok", None, ""))
                except Exception:  # noqa: BLE001 - collected as a problem
                    status.append(("bad", raw, ""))
        out = pd.Series(parsed[codes], index=col.index)
        n_bad = 0
        for k, (kind, raw, what) in enumerate(status):
            if kind == "ok":
                continue
            for i in np.flatnonzero(codes == k):
                r = int(rows.iat[i])
                if kind == "repair":
                    repairs.append(Repair(file, r, column, raw, None if np.isnan(parsed[k]) else float(parsed[k]), what))
                else:
                    n_bad += 1
                    if n_bad <= max_problems:
                        problems.append(Problem("not a number", file=file, row=r, column=column, got=raw,
                                                expected="a number such as 12.5, 1,234 or 85%"))
        if n_bad > max_problems:
            problems.append(Problem(f"… {n_bad - max_problems} more cells that are not numbers", file=file, column=column))
    arr = out.to_numpy(dtype=float)
    for i in np.flatnonzero(np.isinf(arr))[:max_problems]:
        problems.append(Problem("number out of range (overflow)", file=file, row=int(rows.iat[i]), column=column,
                                got=str(col.iat[i]), expected="a finite number"))
    return out.astype(float)


def is_numeric_column(col: pd.Series) -> bool:
    """A column is numeric when pandas read it as numbers, or at least half of its distinct
    non-empty texts read as numbers."""
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        return bool(col.notna().any())
    vals = [str(u).strip() for u in pd.unique(col.dropna())]
    vals = [v for v in vals if v and v.casefold() not in MISSING_TOKENS | EXCEL_ERRORS]
    if not vals:
        return False
    ok = 0
    for v in vals:
        try:
            float(v.replace(",", "").rstrip("%"))
            ok += 1
        except ValueError:
            pass
    return ok / len(vals) >= 0.5
