"""One table, three files: ``<stem>.csv``, ``<stem>.tex`` and ``<stem>.meta.json``.

The CSV holds the table and nothing else (UTF-8 with a byte-order mark, so Excel opens Chinese
correctly; LF line ends; display headers), the LaTeX file is a booktabs table with caption, label,
source and notes, and the meta file says what the CSV cannot: caption, source, citation keys,
language, chapter, each column's key, display header, kind and decimals. :mod:`dgkit.report.export`
builds the workbook and the Word file from the CSV and meta files alone.

Each file is written atomically (temp file, then rename) and the bytes depend only on the inputs,
so reruns of a report compare byte for byte.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from dgkit.errors import InputError
from dgkit.report.files import atomic_write_bytes
from dgkit.report.labels import LANGS, Labels
from dgkit.report.latex import booktabs_table, label_for
from dgkit.report.tableformat import P_DECIMALS, column_kinds, csv_cell, safe_text

BOM = "\ufeff"
META_SUFFIX = ".meta.json"


def check_lang(lang: str, where: str = "") -> str:
    """``lang`` if it is a language of the labels catalogue, else an error naming the closest."""
    if lang not in LANGS:
        raise InputError("unknown language", file=where or None, column="lang", expected=" or ".join(LANGS), got=lang,
                         suggestion=difflib.get_close_matches(str(lang), LANGS, n=1, cutoff=0.0))
    return lang


def bool_words(lang: str) -> dict[bool, str]:
    """How a text output prints booleans in ``lang`` (catalogue keys ``export.bool_true``/``_false``)."""
    t = Labels(lang)
    return {True: t("export.bool_true"), False: t("export.bool_false")}


def source_template(lang: str) -> str:
    """The catalogue's source line (``report.source_line``) with ``{source}`` left to fill."""
    return Labels(lang)("report.source_line", source="{source}")


def column_decimals(kind: str, decimals: int) -> int | None:
    """Decimals a text output prints for a column of ``kind`` (None: not a number)."""
    return {"p": P_DECIMALS, "int": 0, "float": decimals, "percent": decimals}.get(kind)


def _check_stem(stem: str, folder: Path) -> None:
    if not stem or stem.startswith(".") or any(ch in stem for ch in "/\\\0") or stem != stem.strip():
        raise InputError("a table's file name must be a plain name (no folder, no leading dot or space)",
                         file=folder, column="stem", expected="e.g. 02_ranking__rank_check", got=stem)


def csv_text(df: pd.DataFrame, kinds: Sequence[str], headers: Sequence[str], decimals: int) -> str:
    """The CSV text (without BOM): display headers, then each row per :func:`~dgkit.report.tableformat.csv_cell`."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_text(h) for h in headers])
    cols = [[csv_cell(k, v, decimals) for v in df.iloc[:, j].astype(object)] for j, k in enumerate(kinds)]
    w.writerows(zip(*cols, strict=True))
    return buf.getvalue()


def write_table(folder: Path, stem: str, df: pd.DataFrame, *, headers: Mapping[str, str] | None, caption: str, source: str,
                cite: Sequence[str] = (), lang: str = "zh", decimals: int = 2, index: bool = False, chapter: str = "",
                notes: Sequence[str] = ()) -> None:
    """Write ``<stem>.csv``, ``<stem>.tex`` and ``<stem>.meta.json`` of ``df`` into ``folder``.

    ``headers`` maps a column to its display header (a column without one keeps its name);
    ``decimals`` applies to float and percent columns (p-values and counts have their own rules,
    :mod:`dgkit.report.tableformat`); ``index`` writes the index as leading column(s).

    CSV: UTF-8 with BOM, LF, no source row. A text cell that starts with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return and is not a number gets a leading ``'`` (OWASP "CSV
    Injection": a spreadsheet would otherwise run it as a formula).
    LaTeX: booktabs (``longtable`` above 40 rows), ``\\label{tab:<stem>}``, the source and notes
    under the table, every special character escaped."""
    folder = Path(folder)
    _check_stem(stem, folder)
    check_lang(lang, str(folder / f"{stem}.csv"))
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 15:
        raise InputError("decimals must be a whole number from 0 to 15", file=folder / f"{stem}.csv", column="decimals", got=decimals)
    if index:
        df = df.reset_index()
    headers = dict(headers or {})
    keys = [str(c) for c in df.columns]
    unknown = [k for k in headers if str(k) not in keys]
    if unknown:
        raise InputError("a display header names a column the table does not have", file=folder / f"{stem}.csv",
                         column=str(unknown[0]), expected=f"one of {', '.join(keys)}",
                         suggestion=difflib.get_close_matches(str(unknown[0]), keys, n=1))
    shown = [str(headers.get(c, headers.get(k, k))) for c, k in zip(df.columns, keys, strict=True)]
    kinds = column_kinds(df)
    atomic_write_bytes(folder / f"{stem}.csv", (BOM + csv_text(df, kinds, shown, decimals)).encode("utf-8"))
    tex = booktabs_table(df, caption, label_for(stem), decimals=decimals, headers=dict(zip(df.columns, shown, strict=True)),
                         kinds=kinds, source=source, source_line=source_template(lang), notes=notes, words=bool_words(lang))
    atomic_write_bytes(folder / f"{stem}.tex", tex.encode("utf-8"))
    meta: dict[str, Any] = {
        "stem": stem, "chapter": chapter, "caption": caption, "source": source, "cite": [str(c) for c in cite], "lang": lang,
        "index": bool(index), "rows": int(len(df)), "notes": [str(n) for n in notes],
        "columns": [{"key": k, "header": h, "kind": kind, "decimals": column_decimals(kind, decimals)}
                    for k, h, kind in zip(keys, shown, kinds, strict=True)],
    }
    atomic_write_bytes(folder / f"{stem}{META_SUFFIX}", (json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"))


def read_table(path: str | Path, keys: bool = True, **read_csv: Any) -> pd.DataFrame:
    """A report table read back: the CSV (its byte-order mark removed) with, when ``keys``, the
    columns named by their keys (``unit_id``, ``p_sim`` …) from the meta file instead of the display
    headers of the edition's language. ``read_csv``: options for :func:`pandas.read_csv` (e.g. ``dtype=str``)."""
    path = Path(path)
    df = pd.read_csv(path, encoding="utf-8-sig", **read_csv)
    meta = path.with_name(path.stem + META_SUFFIX)
    if keys and meta.exists():
        cols = json.loads(meta.read_text(encoding="utf-8")).get("columns", [])
        by_header = {c["header"]: c["key"] for c in cols}
        df = df.rename(columns={h: by_header.get(h, h) for h in df.columns})
    return df
