"""Reading a dataset's files: csv / tsv / xlsx into text cells with spreadsheet row numbers, and
vectorised number parsing that logs every repair and collects every bad cell.

The file checks, decoding, separator sniffing, workbook reading (sheets, hidden rows and columns,
formula cells, percent formats) and header layout (title rows, two-row headers, units rows) are
those of :mod:`dgkit.readers`, so a dataset and ``read_indicators`` accept and refuse the same files
with the same messages; here a refusal becomes a :class:`Problem` and reading goes on with the
other files. Cells are parsed by :func:`dgkit.readers.parse_number` (once per distinct text).

Row numbers are spreadsheet rows: the header is row 1 (or the row it was found on), data start
one below it (two below a two-row header). Files are opened read-only.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dgkit.datasets.spec import Problem
from dgkit.errors import InputError
from dgkit.readers import (
    _NUMBER,
    EXCEL_ERRORS,
    MISSING_TOKENS,
    REPEATED_HEADER,
    SEPARATORS,
    TEXT_SUFFIXES,
    UNIT_HEADERS,
    Repair,
    check_file,
    clean_text,
    decode_text,
    header_layout,
    headerless_hint,
    parse_number,
    read_workbook,
    repeated_header_rows,
    sniff_separator,
)

__all__ = ["EXCEL_ERRORS", "TEXT_SUFFIXES", "Table", "clean_values", "closest_column", "factor", "first_rows", "head_rows",
           "is_numeric_column", "read_table", "text", "to_numbers"]


@dataclass
class Table:
    """Text cells of one file (header cleaned), their spreadsheet row numbers, the file label and
    the separator of a text file (``""`` for a workbook)."""

    frame: pd.DataFrame
    rows: pd.Series
    file: str
    sep: str = ","

    @property
    def comma(self) -> str:
        """How :func:`to_numbers` reads a comma in a number: a semicolon-separated file makes it ambiguous."""
        return "ambiguous" if self.sep == ";" else "thousands"


def _clean_header(v: Any) -> str:
    return clean_text(v)


def problem_of(exc: InputError) -> Problem:
    """An :class:`InputError` of the file layer as a dataset :class:`Problem`."""
    return Problem(exc.problem, file=exc.file, row=exc.row, column=exc.column, got=exc.got, expected=exc.expected,
                   suggestion=exc.suggestion)


@dataclass
class _Text:
    """A text file's bytes (BOM removed; UTF-16 re-encoded as UTF-8), separator, encoding and its
    first 64 KB as text: read once, parsed twice (head, body). ``raw``: the bytes as read."""

    blob: bytes
    sep: str
    enc: str
    head: str
    raw: bytes


_SAMPLE = 1 << 16


def _load_text(path: Path, file: str, repairs: list[Repair], is_header: Callable[[str], bool]) -> _Text:
    """Decode (:func:`dgkit.readers.decode_text`) and find the separator; raises :class:`InputError`.
    A large UTF-8 or GB18030 file is decoded from its first 64 KB (pandas decodes the rest; a
    failure there is explained by decoding the whole file, see :func:`read_table`)."""
    with open(path, "rb") as fh:
        blob = fh.read()
    if len(blob) > _SAMPLE and not blob.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in blob[:4096]:
        head, enc = decode_text(blob[:_SAMPLE], file, repairs, partial=True)
        return _text_of(blob, head, enc, path, file, repairs, is_header)
    txt, enc = decode_text(blob, file, repairs)
    return _text_of(blob, txt, enc, path, file, repairs, is_header)


def _text_of(blob: bytes, txt: str, enc: str, path: Path, file: str, repairs: list[Repair],
             is_header: Callable[[str], bool]) -> _Text:
    sep = sniff_separator(txt, "\t" if path.suffix.lower() == ".tsv" else ",", is_header, file, repairs)
    if enc == "utf-8":
        data = blob[3:] if blob.startswith(b"\xef\xbb\xbf") else blob
    elif enc == "gb18030":
        data = blob
    else:  # UTF-16 / UTF-32: pandas reads the UTF-8 bytes of the decoded text
        data, enc = txt.encode("utf-8"), "utf-8"
    return _Text(data, sep, enc, txt[:_SAMPLE], blob)


def _head_cells(text: _Text, n: int = 12) -> list[list[str]]:
    """The first ``n`` rows as cells (for finding the header), read with the csv module."""
    import csv

    rows = []
    try:
        for i, r in enumerate(csv.reader(io.StringIO(text.head, newline=""), delimiter=text.sep)):
            if i >= n:
                break
            rows.append(r)
    except csv.Error:
        pass  # a NUL or an over-long field: pandas says what is wrong when the body is read
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _parse_text(text: _Text, file: str, problems: list[Problem], header_row: int,
                text_columns: set[int] | None) -> pd.DataFrame | None:
    """The rows below ``header_row`` (0-based) with pandas' typing, columns 0 … n−1 (the caller names them).
    A column pandas reads as numbers but holding ``inf`` (``1e400``, ``inf``) is read again as text,
    so its cells are refused with their own text."""
    blob, sep, enc = text.blob, text.sep, text.enc

    def parse(keep_blank: bool, as_text: set[int], all_text: bool = False) -> pd.DataFrame:  # pandas reads the header row
        return pd.read_csv(io.BytesIO(blob), sep=sep, encoding=enc, header=header_row, keep_default_na=False,
                           na_values=[""], skip_blank_lines=not keep_blank,
                           dtype=str if all_text else ({c: str for c in as_text} or None))

    what = f"{SEPARATORS.get(sep, repr(sep))}-separated text with the same number of cells in every row"
    try:
        keep = False
        df = parse(keep, text_columns or set())
        # blank lines would shift spreadsheet row numbers: when lines and rows disagree, keep them as rows
        lines = blob.count(b"\n") + (0 if blob.endswith(b"\n") else 1)
        if lines != len(df) + header_row + 1:
            keep = True
            df = parse(keep, text_columns or set())
        if not isinstance(df.index, pd.RangeIndex):  # rows wider than the header: pandas took their first cells as an index
            df = parse(keep, set(), all_text=True).reset_index()  # every cell in its place; those beyond the header are refused
        floats = [j for j, dt in enumerate(df.dtypes.tolist()) if dt.kind == "f"]
        inf = {floats[i] for i in np.flatnonzero(np.isinf(df.iloc[:, floats].to_numpy(dtype=float)).any(axis=0))} if floats else set()
        if inf:
            df = parse(keep, (text_columns or set()) | inf)
    except UnicodeDecodeError:
        raise  # the caller decodes the whole file to say where
    except pd.errors.EmptyDataError:
        problems.append(Problem("the file has no rows with data", file=file, expected="a header row and data rows"))
        return None
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:
            n, line, saw = map(int, m.groups())
            problems.append(Problem(f"column without a header holds values (line {line} has {saw} cells, the header {n})", file=file,
                                    row=header_row + 1, column=f"#{n + 1}", expected="a header for every column with data"))
        else:
            problems.append(Problem(f"cannot parse the file: {str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__}",
                                    file=file, expected=what))
        return None
    except (ValueError, OverflowError, MemoryError) as exc:
        problems.append(Problem(f"cannot parse the file: {str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__}",
                                file=file, expected=what))
        return None
    df.columns = range(df.shape[1])
    return df


def _workbook_body(cells: list[list[Any]], start: int, width: int) -> pd.DataFrame:
    """Workbook cells from row ``start`` (0-based) as text (blank = NaN), columns 0 … width−1."""
    rows = [list(r[:width]) + [None] * (width - len(r[:width])) for r in cells[start:]]
    df = pd.DataFrame(rows, columns=range(width), dtype=object)
    return df.map(lambda v: np.nan if v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() == "" else str(v))


def _matcher(must_have: str | None) -> Callable[[str], bool]:
    if must_have is None:
        keys = {h.casefold() for h in UNIT_HEADERS}
        return lambda c: c.casefold() in keys
    want = clean_text(must_have).casefold()
    return lambda c: c.casefold() == want


def head_rows(path: Path, sheet: str | int | None = None, n: int = 10) -> pd.DataFrame | None:
    """The first ``n`` rows of a csv/tsv/xlsx as cells, without reading the whole file as a table
    (``None`` when the file cannot be read: reading it as a dataset says why)."""
    file, is_header = str(path), _matcher(None)
    try:
        if check_file(path, file) == "text":
            return pd.DataFrame(_head_cells(_load_text(path, file, [], is_header), n), dtype=object)
        return pd.DataFrame(read_workbook(path, file, [], is_header, sheet=sheet, hidden="include")[:n], dtype=object)
    except InputError:
        return None


def read_table(path: Path, *, sheet: str | int | None = None, must_have: str | None = None,
               problems: list[Problem], repairs: list[Repair], label: str | None = None,
               text: set[str] | None = None, hidden: str | None = None) -> Table | None:
    """Read ``path``. The header is the first of the first ten rows that contains ``must_have``
    (rows above it are title rows: skipped, logged); without ``must_have`` row 1. Columns named in
    ``text`` are read as text; the others keep pandas' typing (numbers stay numbers). ``hidden``
    (``include`` / ``drop``) says what to do with hidden rows and columns of a workbook."""
    file = label or str(path)
    if not path.exists():
        near = difflib.get_close_matches(path.name, [p.name for p in path.parent.glob("*")], n=1) if path.parent.exists() else []
        problems.append(Problem("file not found", file=file, suggestion=near or None))
        return None
    is_header = _matcher(must_have)
    local: list[Repair] = []
    loaded: _Text | None = None
    cells: list[list[Any]] = []
    try:
        if check_file(path, file) == "text":
            loaded = _load_text(path, file, local, is_header)
            head = _head_cells(loaded)
        else:
            cells = read_workbook(path, file, local, is_header, sheet=sheet, hidden=hidden)
            head = cells[:12]
        lay = header_layout(head, is_header, file, local, required=False)
    except InputError as exc:
        repairs.extend(local)
        problems.append(problem_of(exc))
        return None
    repairs.extend(local)
    h, header = lay.row, lay.names
    text_idx = {j for j, n in enumerate(header) if n in (text or set())}
    if loaded is not None:
        try:
            body = _parse_text(loaded, file, problems, h, text_idx)
        except UnicodeDecodeError:  # beyond the first 64 KB: decode the whole file to say where, or in what
            local = []
            try:
                txt, enc = decode_text(loaded.raw, file, local)
                loaded = _text_of(loaded.raw, txt, enc, path, file, [], is_header)
                body = _parse_text(loaded, file, problems, h, text_idx)
            except InputError as exc:
                problems.append(problem_of(exc))
                return None
            except UnicodeDecodeError:
                problems.append(Problem("cannot decode the file", file=file, expected="UTF-8 or GB18030 text"))
                return None
            repairs.extend(r for r in local if r.row is None)  # the encoding; the head's repairs are logged
        if body is None:
            return None
        if lay.rows == 2:
            body = body.iloc[1:].reset_index(drop=True)
    else:
        body = _workbook_body(cells, h + lay.rows, max(len(header), max((len(r) for r in cells), default=0)))
    if body.shape[1] < len(header):
        for j in range(body.shape[1], len(header)):
            body[j] = np.nan
    header += [""] * (body.shape[1] - len(header))
    rows = pd.Series(np.arange(len(body)) + h + lay.rows + 1)
    keep, names = [], []
    for j, name in enumerate(header):
        col = body.iloc[:, j]
        if name == "":
            if col.isna().all():
                if len(body):
                    repairs.append(Repair(file, h + 1, f"#{j + 1}", "empty unnamed column", None, "dropped"))
                continue
            problems.append(Problem("column without a header holds values", file=file, row=h + 1, column=f"#{j + 1}",
                                    expected=headerless_hint(col.head(50).tolist())))
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
    again = repeated_header_rows(frame, names)
    if again.any():
        repairs.extend(Repair(file, int(r), None, "the header again", None, REPEATED_HEADER) for r in rows[again])
        frame, rows = frame[~again].reset_index(drop=True), rows[~again].reset_index(drop=True)
    if not len(frame) and names:
        problems.append(Problem("the file has a header but no data rows", file=file, row=h + 1,
                                expected=f"data rows below the header (row {h + 1})"))
        return None
    return Table(frame, rows, file, loaded.sep if loaded is not None else "")


def _clean_cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v).strip()
    if s.isascii() and s.isprintable():  # the common cases: nothing to clean
        return s
    return clean_text(s)


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
               repairs: list[Repair], max_problems: int = 50, comma: str = "thousands") -> pd.Series:
    """Parse cells to floats. A column pandas already read as numbers is taken as it is (infinite
    values refused); otherwise each distinct text goes once through
    :func:`dgkit.readers.parse_number` (repairs logged per cell) and every cell that is no finite
    number is a problem with parse_number's words. Excel error tokens (``#DIV/0!``, ``#N/A`` …) and
    missing markers become missing, logged. ``comma="ambiguous"``: a semicolon-separated file."""
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        out = col.astype(float)
        arr = out.to_numpy(dtype=float)
        for i in np.flatnonzero(np.isinf(arr))[:max_problems]:
            problems.append(Problem("not a finite number", file=file, row=int(rows.iat[i]), column=column, got=str(col.iat[i]),
                                    expected="a finite number (1e400 overflows to infinity; inf and nan are not values: "
                                             "leave the cell blank for a missing value)"))
        return out
    codes, uniq = pd.factorize(col, use_na_sentinel=True)
    parsed = np.full(len(uniq) + 1, np.nan)
    status: list[tuple[str, Any, Any]] = []  # per unique: (kind, raw, what or the InputError)
    for k, u in enumerate(uniq):
        if isinstance(u, int | float | np.integer | np.floating) and not isinstance(u, bool):
            try:
                parsed[k] = float(u)
            except OverflowError:  # an integer of hundreds of digits
                parsed[k] = np.inf
            if np.isfinite(parsed[k]):
                status.append(("ok", None, ""))
                continue
            u = str(u)
        raw = str(u).strip()
        if raw.isascii() and _NUMBER.match(raw):  # the common case; float() alone would also take nan, inf and 1_000
            parsed[k] = float(raw)
            if np.isfinite(parsed[k]):
                status.append(("ok", None, ""))
                continue
        local: list[Repair] = []
        try:
            parsed[k] = parse_number(u if not isinstance(u, str) else raw, file=file, column=column, repairs=local, comma=comma)
            status.append(("repair", raw, local[0].what) if local else ("ok", None, ""))
        except InputError as exc:
            parsed[k] = np.nan
            status.append(("bad", raw, exc))
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
                    problems.append(Problem(what.problem, file=file, row=r, column=column, got=raw, expected=what.expected,
                                            suggestion=what.suggestion))
    if n_bad > max_problems:
        problems.append(Problem(f"… {n_bad - max_problems} more cells that are not numbers", file=file, column=column))
    return out.astype(float)


def is_numeric_column(col: pd.Series) -> bool:
    """A column is numeric when pandas read it as numbers, or at least half of its distinct
    non-empty texts read as numbers."""
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        return bool(col.notna().any())
    vals = [str(u).strip() for u in pd.unique(col.dropna())]
    vals = [v for v in vals if v and v.casefold() not in MISSING_TOKENS | EXCEL_ERRORS]
    vals = [v[1:] if v.startswith("'") else v for v in vals]
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
