"""Read users' own indicator data (CSV or XLSX, long or wide) safely.

Formats (templates in ``data/templates/``):

* **long**: one row per unit × year × indicator — columns ``unit``, ``year``, ``indicator``, ``value``.
* **wide**: one row per unit × year — columns ``unit``, ``year`` and one column per indicator code.

Accepted header spellings: unit = unit / unit_id / province / 省份 / 省 / 地区 / city / 城市 /
country; year = year / 年份 / 年度 / 年. ``year`` may be omitted for a single cross-section (pass
``year=`` then).

Repairs that are made, always logged in ``IndicatorTable.repairs`` (file, row, column, before,
after): full-width digits and punctuation → ASCII (NFKC); thousands separators ``1,234`` → 1234;
``85%`` → 85 (kept in percent points); blank / ``-`` / ``—`` / ``NA`` / ``..`` → missing; title
rows above the header skipped; fully empty unnamed columns dropped; rows that are exact duplicates
dropped. Everything else is an error naming file, row and column: unknown or ambiguous unit names
(with the closest names), text that is not a number, conflicting duplicates, empty or all-missing
indicators, negative counts, indicators not in the framework. The input file is opened read-only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dgkit.errors import DataValidationError, InputError

UNIT_HEADERS = ("unit", "unit_id", "province", "省份", "省", "地区", "省份名称", "city", "城市", "country", "国家")
YEAR_HEADERS = ("year", "年份", "年度", "年")
MISSING_TOKENS = {"", "-", "--", "—", "–", "na", "n/a", "nan", "null", "none", "..", "…", "缺失", "无数据"}
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


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


def parse_number(cell: Any, *, file: str = "", row: int | None = None, column: str | None = None,
                 repairs: list[Repair] | None = None) -> float:
    """Parse one cell to float, logging any repair; raise InputError for text that is no number."""
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return np.nan
    if isinstance(cell, int | float | np.integer | np.floating) and not isinstance(cell, bool):
        return float(cell)
    raw = str(cell)
    s = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    s = s.replace("−", "-").replace("，", ",")
    what = []
    if s != raw.strip():
        what.append("full-width characters normalised")
    if s.casefold() in MISSING_TOKENS:
        if raw.strip() and repairs is not None:
            repairs.append(Repair(file, row, column, raw, None, "missing-value marker read as missing"))
        return np.nan
    if s.endswith("%"):
        s = s[:-1]
        what.append("percent sign removed (value kept in percent points)")
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
        what.append("thousands separators removed")
    if not _NUMBER.match(s):
        raise InputError("not a number", file=file, row=row, column=column,
                         expected="a number such as 12.5, 1,234 or 85%", got=raw)
    val = float(s)
    if what and repairs is not None:
        repairs.append(Repair(file, row, column, raw, val, "; ".join(what)))
    return val


def _read_raw(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        with open(path, "rb") as fh:
            return pd.read_excel(fh, header=None, dtype=object, engine="openpyxl")
    if suffix in (".csv", ".txt", ".tsv"):
        sep = "\t" if suffix == ".tsv" else ","
        import csv

        for enc in ("utf-8-sig", "gb18030"):
            try:
                with open(path, encoding=enc, newline="") as fh:
                    rows = list(csv.reader(fh, delimiter=sep))
            except UnicodeDecodeError:
                continue
            width = max((len(r) for r in rows), default=0)
            return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
        raise InputError("cannot decode the file", file=str(path), expected="UTF-8 or GB18030 text")
    raise InputError("unsupported file type", file=str(path), expected=".csv, .tsv or .xlsx", got=suffix)


def _find_header(raw: pd.DataFrame, file: str, repairs: list[Repair]) -> int:
    keys = {h.casefold() for h in UNIT_HEADERS}
    for i in range(min(len(raw), 10)):
        vals = [unicodedata.normalize("NFKC", str(v)).strip().casefold() for v in raw.iloc[i].tolist() if v is not None]
        if any(v in keys for v in vals):
            if i:
                repairs.append(Repair(file, 1, None, f"{i} row(s) above the header", None, "title / merged header rows skipped"))
            return i
    raise InputError("no header row with a unit column found in the first 10 rows", file=file,
                     expected="a header naming the unit column: " + ", ".join(UNIT_HEADERS))


def read_indicators(path: str | Path, framework: Any = None, unit_level: str = "province",
                    year: int | None = None) -> IndicatorTable:
    """Read, repair (logged) and validate a user's indicator file; see the module docstring."""
    from dgkit.units import resolver

    p = Path(path)
    file = str(p)
    if not p.exists():
        raise InputError("file not found", file=file)
    repairs: list[Repair] = []
    raw = _read_raw(p)
    h = _find_header(raw, file, repairs)
    header = [unicodedata.normalize("NFKC", str(c)).strip() if c is not None and str(c).strip() != "" else "" for c in raw.iloc[h]]
    body = raw.iloc[h + 1:].reset_index(drop=True)
    body.columns = range(body.shape[1])
    first_row = h + 2  # spreadsheet row of body row 0
    # drop fully empty unnamed columns, refuse empty named ones later
    keep = []
    for j, name in enumerate(header):
        col = body[j]
        empty = col.isna() | (col.astype(str).str.strip() == "")
        if name == "":
            if empty.all():
                repairs.append(Repair(file, h + 1, f"#{j + 1}", "empty unnamed column", None, "dropped"))
                continue
            raise InputError("column without a header holds values", file=file, row=h + 1, column=f"#{j + 1}",
                             expected="a header for every column with data")
        keep.append(j)
    body = body[keep]
    header = [header[j] for j in keep]
    dup = sorted({c for c in header if header.count(c) > 1})
    if dup:
        raise InputError(f"duplicate column header(s): {', '.join(dup)}", file=file, row=h + 1)
    body.columns = header
    # drop fully blank rows
    blank = body.apply(lambda r: all(str(v).strip() == "" or v is None for v in r), axis=1)
    row_no = pd.Series(np.arange(len(body)) + first_row, index=body.index)
    body, row_no = body[~blank], row_no[~blank]
    lower = {c.casefold(): c for c in header}
    ucol = next((lower[k.casefold()] for k in UNIT_HEADERS if k.casefold() in lower), None)
    ycol = next((lower[k.casefold()] for k in YEAR_HEADERS if k.casefold() in lower), None)
    assert ucol is not None
    res = resolver(unit_level)
    unit_ids = [res.resolve(v, file=file, row=int(r), column=ucol) for v, r in zip(body[ucol], row_no)]
    if ycol is not None:
        years = []
        for v, r in zip(body[ycol], row_no):
            y = parse_number(v, file=file, row=int(r), column=ycol, repairs=repairs)
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
            records.append((uid, y, str(ind).strip(), parse_number(v, file=file, row=int(r), column=vcol, repairs=repairs), int(r)))
    else:
        ind_cols = [c for c in header if c not in (ucol, ycol) and c.casefold() not in ("province_name", "name", "note", "source", "名称", "备注")]
        for c in ind_cols:
            vals = body[c]
            if all(str(v).strip() == "" for v in vals):
                raise DataValidationError("indicator column is empty (all cells blank)", file=file, column=c,
                                          expected="at least one value, or drop the column")
        for (uid, y, r), (_, rowvals) in zip(zip(unit_ids, years, row_no), body.iterrows()):
            for c in ind_cols:
                records.append((uid, y, c, parse_number(rowvals[c], file=file, row=int(r), column=c, repairs=repairs), int(r)))
    lg = pd.DataFrame(records, columns=["unit_id", "year", "indicator", "value", "_row"])
    lg["year"] = lg["year"].astype("Int64")
    # duplicates
    key = ["unit_id", "year", "indicator"]
    d = lg[lg.duplicated(key, keep=False)]
    if len(d):
        for _, grp in d.groupby(key, dropna=False):
            vals = grp["value"].tolist()
            if len(set(map(repr, vals))) > 1:
                rows = ", ".join(map(str, grp["_row"]))
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
