"""The dataset YAML: its keys (the public contract), parsing and checks that collect every problem.

Example (a country index in World Bank spelling, keyed by ISO3)::

    name: gtmi
    title: GovTech Maturity Index
    citation: "World Bank. GovTech Maturity Index ... Washington, DC: World Bank."
    file: gtmi.csv              # csv / tsv / xlsx, relative to this YAML; `files:` for several
    format: wide                # wide: a row per unit and period; long: unit, period, measure, value
    units: {level: country, column: iso3, name: economy, parent: null}
    period: edition
    measures: [gtmi, cgsi, psdi, dcei, gtei]   # default: every numeric column
    groupings: {gtmi_group: group}            # name -> column, or {file, column, key}
    covariates: {}                            # name -> column, {file, column, key, period} or {builtin: gdp}
    synthetic: false

Keys beyond the contract: ``aliases`` (other names to open it by), ``description``, ``source``
(source of the file; ``files:`` entries may carry their own), ``sheet``, ``where`` (keep rows whose
column equals a value or one of a list), ``measure_column`` / ``value_column`` (long format;
default ``measure`` / ``value``), ``headline`` (the measure that is the index), ``labels``
(measure → {zh, en}), ``references`` (name → column: printed ranks, tiers, totals per unit and
period), ``reference_tables`` (name → file: published tables kept for reconciliation), ``ordinal``
(reference → its categories from lowest to highest, e.g. grades), ``short_title`` (for legends),
``notes``, ``hidden`` (``include`` or ``drop``: what to do with hidden rows and columns of a workbook
that hold data — by default they are refused, since Excel does not show them; ``files:`` entries and
side files may carry their own), ``scales`` (measure → [lowest, highest] of the scale it is published on, e.g. ``score: [0,
100]``; conventions such as 国脉's SD threshold of 5 apply only on a declared scale) and ``checks``
(consistency rules that flag rows, never repair them: ``{measure: egdi, mean_of: [osi, hci, tii],
tolerance: 0.0005}`` flags every row where the measure is 0 or differs from the mean of the others
by more than the tolerance). ``headline`` may also name a numeric reference (a printed total).
``cite`` (a key or a list of keys of ``data/bibliography.json``) and ``locator`` (where in the work,
stored in Chinese: ``表3-1``, ``第3章``) cite the source by key; ``reference_tables`` entries may carry
their own ``cite`` and ``locator``. ``bibliography`` names the YAML's own CSL-JSON file (relative to
the YAML) whose keys ``cite`` may also use; an unknown key is a problem naming the closest key.
``period`` may be a column or a number (a cross-section of one period). ``units.name_en`` names a
column with English names; ``units.parent_level`` the level of ``units.parent``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dgkit.limits import echo
from dgkit.readers import HIDDEN_CHOICES
from dgkit.units import LEVELS


@dataclass
class Problem:
    """One thing wrong in a dataset, located as precisely as possible."""

    problem: str
    file: str | None = None
    row: int | str | None = None
    column: str | None = None
    got: Any = None
    expected: str | None = None
    suggestion: list[str] | str | None = None
    key: str | None = None  # a key of the YAML (instead of a column of a data file)

    def __str__(self) -> str:
        rows = "rows" if isinstance(self.row, str) and "," in self.row else "row"
        where = [x for x in (self.file, f"{rows} {self.row}" if self.row not in (None, "") else None,
                             f"column '{self.column}'" if self.column else None, f"key '{self.key}'" if self.key else None) if x]
        text = (", ".join(where) + ": " if where else "") + self.problem
        if self.expected:
            text += f"; expected {self.expected}"
        if self.got is not None:
            text += f", got {echo(self.got)}"
        if self.suggestion:
            sug = ", ".join(map(str, self.suggestion)) if isinstance(self.suggestion, list | tuple) else self.suggestion
            text += f" (closest valid: {sug})"
        return text


KEYS: dict[str, Any] = {
    "name": str, "title": str, "citation": str, "description": str, "aliases": list, "synthetic": bool,
    "file": str, "files": list, "source": str, "sheet": (str, int), "format": str,
    "units": dict, "period": (str, int), "measures": (list, dict), "measure_column": str, "value_column": str,
    "headline": str, "labels": dict, "groupings": dict, "covariates": dict, "references": dict,
    "reference_tables": dict, "where": dict, "notes": (list, str), "url": str, "license": str,
    "short_title": str, "title_en": str, "short_title_en": str, "ordinal": dict, "scales": dict, "checks": list, "hidden": str,
    "cite": (str, list), "locator": str, "bibliography": str,
}
REF_TABLE_KEYS = {"file": str, "source": str, "cite": (str, list), "locator": str}
CHECK_KEYS = {"measure": str, "mean_of": list, "tolerance": (int, float), "note": str}
UNIT_KEYS = {"level": str, "column": str, "name": (str, type(None)), "name_en": (str, type(None)),
             "parent": (str, type(None)), "parent_level": (str, type(None))}
FILE_KEYS = {"path": str, "source": str, "sheet": (str, int), "where": dict, "hidden": str}
SIDE_KEYS = {"file": str, "column": str, "key": str, "period": (str, int), "source": str, "builtin": str,
             "vintage": str, "sheet": (str, int), "hidden": str}
FORMATS = ("wide", "long")
BUILTIN_COVARIATES = ("gdp", "population")
TYPE_NAMES = {str: "text", bool: "true/false", int: "a whole number", list: "a list", dict: "a mapping",
              type(None): "null"}


@dataclass
class FileSpec:
    path: Path
    source: str = ""
    sheet: str | int | None = None
    where: dict[str, Any] = field(default_factory=dict)
    hidden: str | None = None  # hidden rows/columns of a workbook: include | drop (None: refuse them)
    cite: list[str] = field(default_factory=list)  # bibliography keys (reference tables)
    locator: str | None = None


@dataclass
class SideSpec:
    """A grouping, covariate or reference: a column of the main file, or a column of another file."""

    name: str
    column: str | None = None
    file: Path | None = None
    key: str | None = None
    period: str | int | None = None
    source: str = ""
    builtin: str | None = None
    vintage: str = "revised"
    sheet: str | int | None = None
    hidden: str | None = None


@dataclass
class DatasetSpec:
    """A parsed dataset YAML (paths made absolute against the YAML's folder)."""

    path: Path
    name: str
    title: str = ""
    citation: str = ""
    description: str = ""
    aliases: list[str] = field(default_factory=list)
    synthetic: bool = False
    synthetic_stated: bool = True
    files: list[FileSpec] = field(default_factory=list)
    format: str = "wide"
    level: str = "custom"
    unit_column: str = "unit"
    name_column: str | None = None
    name_en_column: str | None = None
    parent_column: str | None = None
    parent_level: str | None = None
    period: str | int | None = None
    measures: dict[str, str] | None = None  # measure name -> column; None = every numeric column
    measure_column: str = "measure"
    value_column: str = "value"
    headline: str | None = None
    short_title: str = ""
    title_en: str = ""  # the titles in English, for an English edition (title and short_title in the data's language)
    short_title_en: str = ""
    ordinal: dict[str, list[str]] = field(default_factory=dict)
    scales: dict[str, tuple[float, float]] = field(default_factory=dict)
    checks: list[dict[str, Any]] = field(default_factory=list)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    groupings: list[SideSpec] = field(default_factory=list)
    covariates: list[SideSpec] = field(default_factory=list)
    references: list[SideSpec] = field(default_factory=list)
    reference_tables: dict[str, FileSpec] = field(default_factory=dict)
    where: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    cite: list[str] = field(default_factory=list)  # keys of the bibliography
    locator: str | None = None
    bibliography: Path | None = None  # the YAML's own CSL-JSON (besides data/bibliography.json)


def _type_ok(v: Any, spec: Any) -> bool:
    types = spec if isinstance(spec, tuple) else (spec,)
    return isinstance(v, types) and not (bool not in types and isinstance(v, bool))


def _check_keys(d: dict[str, Any], schema: dict[str, Any], where: str, file: str, problems: list[Problem]) -> dict[str, Any]:
    """Report unknown and wrongly typed keys; return the mapping without them (what the rest may use)."""
    ok: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{where}{k}"
        if k not in schema:
            close = difflib.get_close_matches(str(k), list(schema), n=1, cutoff=0.5)
            problems.append(Problem(f"unknown key '{key}'", file=file, key=key,
                                    expected="one of " + ", ".join(schema), suggestion=[where + c for c in close] or None))
        elif not _type_ok(v, schema[k]):
            t = schema[k] if isinstance(schema[k], tuple) else (schema[k],)
            problems.append(Problem(f"wrong type for '{key}'", file=file, key=key,
                                    expected=" or ".join(TYPE_NAMES.get(x, x.__name__) for x in t), got=v))
        else:
            ok[k] = v
    return ok


def _path(base: Path, v: Any, key: str, file: str, problems: list[Problem]) -> Path | None:
    """``v`` relative to the YAML's folder; a path the system cannot name (a NUL character, too long) is a problem."""
    text = str(v)
    try:
        if "\x00" in text:
            raise ValueError("a NUL character")
        return (base / text).resolve()
    except (OSError, ValueError, RuntimeError) as exc:
        problems.append(Problem(f"not a usable file path ({exc})", file=file, key=key, got=text,
                                expected="a file name relative to this YAML, e.g. mydata.csv"))
        return None


def _hidden(v: Any, key: str, file: str, problems: list[Problem]) -> str | None:
    if v is None or v in HIDDEN_CHOICES:
        return v
    problems.append(Problem(f"invalid value for '{key}'", file=file, key=key, got=v,
                            expected=" / ".join(HIDDEN_CHOICES) + " (what to do with hidden rows and columns of a workbook)",
                            suggestion=difflib.get_close_matches(str(v), HIDDEN_CHOICES, n=1) or None))
    return None


def _side(name: str, v: Any, base: Path, file: str, where: str, problems: list[Problem]) -> SideSpec | None:
    if isinstance(v, str):
        return SideSpec(name, column=v)
    if isinstance(v, dict):
        v = _check_keys(v, SIDE_KEYS, f"{where}.{name}.", file, problems)
        s = SideSpec(name, column=v.get("column"), key=v.get("key"), period=v.get("period"),
                     source=str(v.get("source", "")), builtin=v.get("builtin"), vintage=str(v.get("vintage", "revised")),
                     sheet=v.get("sheet"), hidden=_hidden(v.get("hidden"), f"{where}.{name}.hidden", file, problems))
        if v.get("file"):
            s.file = _path(base, v["file"], f"{where}.{name}.file", file, problems)
            if s.column is None:
                s.column = name
        if s.builtin is not None and s.builtin not in BUILTIN_COVARIATES:
            problems.append(Problem(f"unknown built-in covariate for '{where}.{name}'", file=file, key=f"{where}.{name}.builtin",
                                    got=s.builtin, expected=" / ".join(BUILTIN_COVARIATES),
                                    suggestion=difflib.get_close_matches(str(s.builtin), BUILTIN_COVARIATES, n=1) or None))
        if s.builtin is None and s.column is None:
            problems.append(Problem(f"'{where}.{name}' names no column", file=file, key=f"{where}.{name}",
                                    expected="a column name, {file, column, key} or {builtin: gdp}"))
        return s
    problems.append(Problem(f"wrong type for '{where}.{name}'", file=file, key=f"{where}.{name}",
                            expected="a column name or a mapping", got=v))
    return None


def parse_spec(d: Any, path: Path, problems: list[Problem]) -> DatasetSpec | None:
    """Turn the YAML mapping into a :class:`DatasetSpec`, appending every problem found."""
    file = str(path)
    if not isinstance(d, dict):
        problems.append(Problem("a dataset YAML must be a mapping of keys", file=file, got=type(d).__name__))
        return None
    d = _check_keys(d, KEYS, "", file, problems)
    base = path.parent
    hidden = _hidden(d.get("hidden"), "hidden", file, problems)
    name = d.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem("missing required key 'name'", file=file, key="name", expected="a short name, e.g. gtmi"))
        name = path.stem
    spec = DatasetSpec(path=path, name=str(name))
    for k in ("title", "citation", "description", "headline", "measure_column", "value_column", "short_title", "title_en", "short_title_en"):
        if isinstance(d.get(k), str):
            setattr(spec, k, d[k])
    spec.aliases = [str(a) for a in d.get("aliases") or []]
    if "synthetic" in d and isinstance(d["synthetic"], bool):
        spec.synthetic = d["synthetic"]
    else:
        spec.synthetic_stated = False
        spec.assumptions.append("'synthetic' is not stated: the data are taken as real (synthetic: false)")
    if not spec.title:
        spec.assumptions.append("no 'title': the name is used")
        spec.title = spec.name
    if not spec.citation and not spec.synthetic:
        spec.assumptions.append("no 'citation': outputs will cite only the title")
    # files
    entries: list[Any] = []
    if d.get("file") is not None and d.get("files") is not None:
        problems.append(Problem("give either 'file' or 'files', not both", file=file, key="files"))
    if isinstance(d.get("file"), str):
        entries = [{"path": d["file"], "source": d.get("source", "")}]
    elif isinstance(d.get("files"), list):
        entries = d["files"]
    else:
        problems.append(Problem("missing required key 'file'", file=file, key="file",
                                expected="the data file (csv, tsv or xlsx) relative to this YAML"))
    for i, e in enumerate(entries):
        if isinstance(e, str):
            e = {"path": e, "source": d.get("source", "")}
        if not isinstance(e, dict) or "path" not in e:
            problems.append(Problem(f"files[{i}] must be a path or a mapping with 'path'", file=file, key=f"files[{i}]", got=e))
            continue
        e = _check_keys(e, FILE_KEYS, f"files[{i}].", file, problems)
        fpath = _path(base, e["path"], f"files[{i}]", file, problems) if "path" in e else None
        if fpath is None:
            continue
        spec.files.append(FileSpec(fpath, str(e.get("source") or d.get("source", "")),
                                   e.get("sheet", d.get("sheet")), dict(e.get("where") or {}),
                                   _hidden(e.get("hidden"), f"files[{i}].hidden", file, problems) or hidden))
    fmt = d.get("format", "wide")
    if fmt not in FORMATS:
        problems.append(Problem("invalid value for 'format'", file=file, key="format", got=fmt, expected=" / ".join(FORMATS),
                                suggestion=difflib.get_close_matches(str(fmt), FORMATS, n=1) or None))
    else:
        spec.format = fmt
    if "format" not in d:
        spec.assumptions.append("no 'format': wide (a row per unit and period)")
    # units
    u = d.get("units")
    if not isinstance(u, dict):
        problems.append(Problem("missing required key 'units'", file=file, key="units",
                                expected="{level: province|city|county|country|custom, column: <unit column>}"))
    else:
        u = _check_keys(u, UNIT_KEYS, "units.", file, problems)
        lvl = u.get("level", "custom")
        if lvl not in LEVELS:
            problems.append(Problem("invalid value for 'units.level'", file=file, key="units.level", got=lvl,
                                    expected=" / ".join(LEVELS), suggestion=difflib.get_close_matches(str(lvl), LEVELS, n=1) or None))
        else:
            spec.level = lvl
        if "column" not in u:
            problems.append(Problem("missing required key 'units.column'", file=file, key="units.column",
                                    expected="the column that identifies units (a code or a name)"))
        spec.unit_column = str(u.get("column", "unit"))
        spec.name_column = u.get("name")
        spec.name_en_column = u.get("name_en")
        spec.parent_column = u.get("parent")
        pl = u.get("parent_level")
        if pl is not None and pl not in LEVELS:
            problems.append(Problem("invalid value for 'units.parent_level'", file=file, key="units.parent_level",
                                    got=pl, expected=" / ".join(LEVELS)))
        spec.parent_level = pl or {"county": "city", "city": "province"}.get(spec.level)
    # period
    if "period" in d:
        spec.period = d["period"]
    else:
        spec.assumptions.append("no 'period': one cross-section (period 0)")
        spec.period = 0
    # measures
    m = d.get("measures")
    if isinstance(m, list):
        spec.measures = {str(x): str(x) for x in m}
    elif isinstance(m, dict):
        spec.measures = {str(k): str(v) for k, v in m.items()}
    for k, v in (d.get("labels") or {}).items():
        if isinstance(v, dict):
            spec.labels[str(k)] = {str(a): str(b) for a, b in v.items()}
        else:
            spec.labels[str(k)] = {"zh": str(v), "en": str(v)}
    for attr, key in (("groupings", "groupings"), ("covariates", "covariates"), ("references", "references")):
        for nm, v in (d.get(key) or {}).items():
            s = _side(str(nm), v, base, file, key, problems)
            if s is not None:
                s.hidden = s.hidden or hidden
                getattr(spec, attr).append(s)
    for nm, v in (d.get("reference_tables") or {}).items():
        if isinstance(v, str):
            if (rp := _path(base, v, f"reference_tables.{nm}", file, problems)) is not None:
                spec.reference_tables[str(nm)] = FileSpec(rp)
        elif isinstance(v, dict) and "file" in v:
            v = _check_keys(v, REF_TABLE_KEYS, f"reference_tables.{nm}.", file, problems)
            if "file" in v and (rp := _path(base, v["file"], f"reference_tables.{nm}.file", file, problems)) is not None:
                spec.reference_tables[str(nm)] = FileSpec(rp, str(v.get("source", "")), cite=_cite_list(
                    v.get("cite"), f"reference_tables.{nm}.cite", file, problems), locator=v.get("locator"))
        else:
            problems.append(Problem(f"reference_tables.{nm} must be a file path or {{file, source}}", file=file,
                                    key=f"reference_tables.{nm}", got=v))
    spec.where = dict(d.get("where") or {})
    for k, v in (d.get("ordinal") or {}).items():
        if not isinstance(v, list) or not v:
            problems.append(Problem(f"ordinal.{k} must list the categories from lowest to highest", file=file,
                                    key=f"ordinal.{k}", got=v))
        elif k not in {r.name for r in spec.references}:
            problems.append(Problem(f"ordinal.{k} names no reference", file=file, key=f"ordinal.{k}",
                                    expected="a name under 'references'", suggestion=[r.name for r in spec.references] or None))
        else:
            spec.ordinal[str(k)] = [str(x) for x in v]
    for k, v in (d.get("scales") or {}).items():  # measure -> [lo, hi]: the scale the index is published on
        ok = isinstance(v, list) and len(v) == 2 and all(isinstance(x, int | float) and not isinstance(x, bool) for x in v) and v[0] < v[1]
        if not ok:
            problems.append(Problem(f"scales.{k} must be [lowest, highest] of the scale, e.g. [0, 100]", file=file, key=f"scales.{k}", got=v))
        else:
            spec.scales[str(k)] = (float(v[0]), float(v[1]))
    for i, c in enumerate(d.get("checks") or []):  # consistency checks that flag rows (never repair them)
        if not isinstance(c, dict):
            problems.append(Problem("checks entries are mappings {measure, mean_of, tolerance}", file=file, key=f"checks[{i}]", got=c))
            continue
        c = _check_keys(c, CHECK_KEYS, f"checks[{i}].", file, problems)
        if not isinstance(c.get("measure"), str) or not isinstance(c.get("mean_of"), list) or len(c.get("mean_of") or []) < 2:
            problems.append(Problem("a check needs 'measure' and 'mean_of' (two or more measures)", file=file, key=f"checks[{i}]",
                                    expected="{measure: egdi, mean_of: [osi, hci, tii], tolerance: 0.0005}"))
            continue
        spec.checks.append({"measure": c["measure"], "mean_of": [str(m) for m in c["mean_of"]],
                            "tolerance": float(c.get("tolerance", 0.0005)), "note": str(c.get("note", ""))})
    notes = d.get("notes") or []
    spec.notes = [notes] if isinstance(notes, str) else [str(n) for n in notes]
    spec.cite = _cite_list(d.get("cite"), "cite", file, problems)
    spec.locator = d.get("locator")
    if isinstance(d.get("bibliography"), str):
        spec.bibliography = _path(base, d["bibliography"], "bibliography", file, problems)
    _check_cites(spec, file, problems)
    return spec


def _cite_list(v: Any, key: str, file: str, problems: list[Problem]) -> list[str]:
    """``cite: key`` or ``cite: [key, …]`` as a list of keys."""
    if v is None:
        return []
    keys = [v] if isinstance(v, str) else v
    if not isinstance(keys, list) or not all(isinstance(k, str) and k.strip() for k in keys):
        problems.append(Problem(f"'{key}' must be a bibliography key or a list of keys", file=file, key=key, got=v,
                                expected="e.g. tsinghua2020 or [nbs_yearbook, nbs_database]"))
        return []
    return [k.strip() for k in keys]


def _check_cites(spec: DatasetSpec, file: str, problems: list[Problem]) -> None:
    """Every ``cite`` key must be in data/bibliography.json or the YAML's own ``bibliography`` file."""
    cites = [("cite", spec.cite)] + [(f"reference_tables.{nm}.cite", fs.cite) for nm, fs in spec.reference_tables.items()]
    if not any(keys for _, keys in cites):
        return
    from dgkit.report.bibliography import BibliographyError, load_bibliography

    try:
        bib = load_bibliography([spec.bibliography] if spec.bibliography else [])
    except BibliographyError as exc:
        problems.append(Problem(f"bibliography: {exc.problem}", file=exc.file or file, key="bibliography",
                                expected=exc.expected, got=exc.got, suggestion=exc.suggestion))
        return
    where = "data/bibliography.json" + (f" or {spec.bibliography.name}" if spec.bibliography else "")
    for key, keys in cites:
        for k, close in bib.unknown(keys):
            problems.append(Problem(f"unknown bibliography key {k!r} in '{key}'", file=file, key=key,
                                    expected=f"a key of {where}", suggestion=close))
