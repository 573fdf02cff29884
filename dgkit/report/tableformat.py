"""Per-column number formats of a report table: one rule per kind of column, used by every writer.

A column is one of six kinds (:func:`column_kind`):

``"bool"``
    a boolean column (bool dtype, or an object column holding only ``True``/``False``).
``"int"``
    an integer dtype (``int64``, nullable ``Int64``), or a float column whose every finite value is
    integral *and* whose name says it counts or ranks (:func:`is_count_name`: ``n``, ``n_obs``,
    ``rank``, ``rank_printed``, ``max_abs_rank_shift``, ``permutations`` …). A float column that
    happens to hold whole numbers but is a score (``score``, ``index``) stays a float: the name
    decides, because a score of 76.0 is printed as 76.00 beside 74.50.
``"p"``
    a p-value: a float column named ``p``, ``p_value``, ``pvalue``, ``pval``, ``p_<x>`` (``p_sim``,
    ``p_norm``, ``p_spearman``, ``p_kendall``, ``p_slope``), ``<x>_p``, ``<x>_pvalue`` or
    ``<x>_pval``, whose finite values all lie in [0, 1] (so a column named ``p`` that holds
    something else is not mistaken for one).
``"percent"``
    a number already in percent units (0–100), named ``pct``/``percent`` or ``<x>_pct``,
    ``<x>_percent``, ``pct_<x>``, or with ``%`` in the name (``share_pct``, ``占比(%)``). Printed like
    a float; the kind lets a spreadsheet or reader know the unit.
``"float"``
    any other number.
``"text"``
    everything else.

Text outputs (LaTeX, Word) use :func:`format_cell`; the CSV uses :func:`csv_cell`, which keeps the
full precision of p-values. Missing values are an em dash in text outputs and an empty cell in CSV.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

KINDS = ("p", "int", "float", "percent", "text", "bool")
NUMERIC_KINDS = frozenset({"p", "int", "float", "percent"})
NA = "—"
P_FLOOR = 0.001  # p-values below this are printed "<0.001" (APA 7th ed., 6.36; most journals' house style)
P_DECIMALS = 3
P_UNDERFLOW = "<1e-300"  # a p-value computed as exactly 0.0: the true value underflowed the double range (< 5e-324)
# A spreadsheet executes a text cell that starts with one of these (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_P_NAMES = frozenset({"p", "pvalue", "p_value", "pval", "p_val", "p>|t|", "p>|z|"})
_P_PATTERN = re.compile(r"^(p_.+|.+_p|.+_pvalue|.+_p_value|.+_pval)$")
# names (or first/last ``_`` tokens of names) that count or rank things, seen in the report's tables
_COUNT_NAMES = frozenset({
    "n", "count", "counts", "changes", "units", "permutations", "peaks", "ddof", "k", "groups", "group_size",
    "max_rise", "max_fall", "dropped", "periods", "steps", "nobs", "n_obs", "size", "members", "observations",
    "freq", "frequency",
})
_COUNT_FIRST = frozenset({"n", "num", "count", "rank"})
_COUNT_LAST = frozenset({"n", "count", "rank", "size", "changes", "units"})
# tokens that make a rank-related column a statistic of ranks, not a rank (mean_abs_rank_change)
_NOT_COUNT = frozenset({"mean", "avg", "average", "sd", "std", "share", "pct", "ratio", "rate", "corr", "tau", "rho", "r", "cv"})
_COUNT_CJK = ("排名", "名次", "个数", "数量", "次数", "频数", "样本量")
_PERCENT_PATTERN = re.compile(r"^(pct|percent|.+_pct|.+_percent|pct_.+)$")


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[_\s]+", name.lower()) if t]


def is_p_name(name: str) -> bool:
    """True for a p-value column name (see module docstring)."""
    low = name.strip().lower()
    return low in _P_NAMES or bool(_P_PATTERN.match(low))


def is_count_name(name: str) -> bool:
    """True for a name that counts or ranks (exact names, first/last ``_`` token, or ``rank``
    anywhere unless the name is a statistic of ranks such as ``mean_abs_rank_change``)."""
    low = name.strip().lower()
    if low in _COUNT_NAMES or any(c in name for c in _COUNT_CJK):
        return True
    toks = _tokens(low)
    if not toks:
        return False
    if toks[0] in _COUNT_FIRST or toks[-1] in _COUNT_LAST:
        return not (set(toks) & _NOT_COUNT) or toks[0] in ("n", "num", "count")
    return "rank" in toks and not set(toks) & _NOT_COUNT


def is_percent_name(name: str) -> bool:
    low = name.strip().lower()
    return "%" in low or bool(_PERCENT_PATTERN.match(low))


def _all_bool(values: pd.Series) -> bool:
    vals = values.dropna()
    return len(vals) > 0 and all(isinstance(v, bool | np.bool_) for v in vals)


def column_kind(name: str, values: pd.Series) -> str:
    """The kind of a column: ``"p"``, ``"int"``, ``"float"``, ``"percent"``, ``"text"`` or ``"bool"``."""
    name = str(name)
    if pd.api.types.is_bool_dtype(values) or (values.dtype == object and _all_bool(values)):
        return "bool"
    if pd.api.types.is_integer_dtype(values):
        return "int"
    if not pd.api.types.is_numeric_dtype(values):
        return "text"
    vals = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    finite = vals[np.isfinite(vals)]
    if is_p_name(name) and bool(((finite >= 0) & (finite <= 1)).all()):
        return "p"
    if is_count_name(name) and not np.isinf(vals).any() and bool((finite == np.round(finite)).all()):
        return "int"
    if is_percent_name(name):
        return "percent"
    return "float"


def column_kinds(df: pd.DataFrame) -> list[str]:
    """:func:`column_kind` of every column, in order (columns named by their ``str``)."""
    return [column_kind(str(c), df.iloc[:, j]) for j, c in enumerate(df.columns)]


def is_missing(value: Any) -> bool:
    """None, NaN, pd.NA and NaT are missing; strings and other objects are not."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    return False


def _fixed(v: float, decimals: int) -> str:
    """``v`` to ``decimals`` places; a value that rounds to zero is printed without a minus sign."""
    s = f"{v:.{decimals}f}"
    if s.startswith("-") and not s.strip("-0.").strip():
        s = s[1:]
    return s


def _infinite(v: float) -> str:
    return "∞" if v > 0 else "−∞"


def format_cell(kind: str, value: Any, decimals: int, *, words: Mapping[bool, str] | None = None) -> str:
    """A cell for a text output (LaTeX, Word).

    p-values: ``<0.001`` below 0.001 (including an underflowed 0.0), else 3 decimals: never ``0``,
    ``0.000`` or ``nan``. Integers without decimals; floats and percents to ``decimals`` places
    (``-0.00`` printed ``0.00``); ±∞ as ``∞``/``−∞``; booleans as ``words[True]``/``words[False]``
    (default ``True``/``False``); missing as an em dash ``—``."""
    if kind not in KINDS:
        raise ValueError(f"unknown column kind {kind!r}; expected one of {', '.join(KINDS)}")
    if is_missing(value):
        return NA
    if kind == "bool":
        b = bool(value)
        return (words or {True: "True", False: "False"})[b]
    if kind == "text":
        return str(value)
    v = float(value)
    if math.isinf(v):
        return _infinite(v)
    if kind == "p":
        return f"<{P_FLOOR:g}" if v < P_FLOOR else f"{v:.{P_DECIMALS}f}"
    if kind == "int":
        return str(int(round(v)))
    return _fixed(v, decimals)


def csv_cell(kind: str, value: Any, decimals: int) -> str:
    """A cell of the CSV file (machine-readable; read back with ``pd.read_csv``).

    p-values keep their full precision (shortest text that reads back to the same double): below
    0.001 in scientific notation (``2.31e-05``), above as decimals (``0.071``). A p-value of exactly
    0.0 is a floating-point underflow, not a probability of zero: it is written ``<1e-300`` (a
    true bound: the smallest positive double is 4.9e-324), so it is never read as 0. Integers
    without decimals, floats and percents to ``decimals`` places, infinities ``inf``/``-inf``,
    booleans ``True``/``False``, missing as an empty cell. Text is protected by :func:`safe_text`."""
    if kind not in KINDS:
        raise ValueError(f"unknown column kind {kind!r}; expected one of {', '.join(KINDS)}")
    if is_missing(value):
        return ""
    if kind == "bool":
        return "True" if bool(value) else "False"
    if kind == "text":
        return safe_text(str(value))
    v = float(value)
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if kind == "p":
        if v == 0.0:
            return P_UNDERFLOW
        return _shortest(v)
    if kind == "int":
        return str(int(round(v)))
    return _fixed(v, decimals)


def _shortest(v: float) -> str:
    """The shortest text that reads back to the same double: scientific below 0.001 (``2.31e-05``,
    ``1e-07``), else decimals (``0.071``)."""
    if v >= P_FLOOR:
        return repr(v)
    for digits in range(17):
        s = f"{v:.{digits}e}"
        if float(s) == v:
            return s
    return f"{v:.17e}"  # pragma: no cover - 17 significant digits always round-trip


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def safe_text(s: str) -> str:
    """A text cell a spreadsheet will not execute (OWASP "CSV Injection"): a cell that starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and is not a number (``-3.5`` stays as it
    is), gets a leading ``'``. A cell that already starts with ``'`` followed by one of those gets a
    second ``'``, so :func:`unsafe_text` recovers every original exactly."""
    if s.startswith(FORMULA_START) and not _is_number(s):
        return "'" + s
    if s.startswith("'") and s[1:].startswith(FORMULA_START) and not _is_number(s[1:]):
        return "'" + s
    return s


def unsafe_text(s: str) -> str:
    """The inverse of :func:`safe_text`: the original text of a protected CSV cell."""
    if s.startswith("'") and s[1:].lstrip("'").startswith(FORMULA_START):
        return s[1:]
    return s


def parse_csv_cell(kind: str, s: str) -> Any:
    """The value of a CSV cell written by :func:`csv_cell` (None for an empty cell); the p-value
    bound ``<1e-300`` stays text (it is a bound, not a number)."""
    if s == "":
        return None
    if kind == "bool":
        return {"True": True, "False": False}.get(s, s)
    if kind == "text":
        return unsafe_text(s)
    if kind == "p" and s == P_UNDERFLOW:
        return s
    try:
        v = float(s)
    except ValueError:
        return s
    if kind == "int" and math.isfinite(v) and v == int(v):
        return int(v)
    return v
