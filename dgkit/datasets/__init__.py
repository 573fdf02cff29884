"""Datasets: a researcher's own panel — any units, any periods, any measures — described by a small YAML.

>>> import dgkit
>>> ds = dgkit.open_dataset("un_egdi")            # a bundled dataset, by name or alias
>>> ds = dgkit.open_dataset("my/gtmi.yaml")       # or your own dataset YAML
>>> ds.panel("egdi")                              # units × periods
>>> ds.units, ds.groupings, ds.covariates, ds.citation, ds.synthetic

The YAML keys are documented in :mod:`dgkit.datasets.spec`; bundled datasets live in
``data/datasets/*.yaml`` and are declared exactly like a user's (no code branches on a dataset's
name). :func:`validate_dataset` checks everything and reports every problem at once;
:func:`validate_file` does the same for a bare csv/xlsx, saying what it assumed.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dgkit.datasets.dataset import Dataset, load
from dgkit.datasets.spec import DatasetSpec, FileSpec, Problem, parse_spec
from dgkit.errors import DatasetError, InputError


def datasets_dir() -> Path:
    from dgkit import paths

    return paths.data_dir() / "datasets"


@functools.cache
def _catalogue_index() -> dict[str, Path]:
    """name and aliases → YAML path of every bundled dataset (read with the kit's safe YAML rules)."""
    from dgkit.params import safe_load_yaml

    out: dict[str, Path] = {}
    for p in sorted(datasets_dir().glob("*.yaml")):
        d = safe_load_yaml(p, kind="dataset")
        aliases = d.get("aliases") or []
        aliases = [aliases] if isinstance(aliases, str) else aliases if isinstance(aliases, list) else []
        for n in [d.get("name", p.stem), *aliases]:
            out[str(n)] = p
    return out


def bundled() -> list[str]:
    """Names of the bundled datasets."""
    return sorted({p.stem for p in datasets_dir().glob("*.yaml")})


def catalogue() -> Any:
    """One row per bundled dataset: name, title, level, synthetic, citation (read from the YAMLs)."""
    import pandas as pd

    from dgkit.params import safe_load_yaml

    rows = []
    for n in bundled():
        d = safe_load_yaml(datasets_dir() / f"{n}.yaml", kind="dataset")
        rows.append({"name": d.get("name", n), "title": d.get("title", ""), "level": (d.get("units") or {}).get("level", ""),
                     "synthetic": bool(d.get("synthetic", False)), "citation": d.get("citation", "")})
    return pd.DataFrame(rows)


def dataset_path(name_or_path: str | Path) -> Path:
    """The YAML of a bundled dataset name/alias, or the given path (as given, else relative to the
    project folder, as params files write it)."""
    from dgkit import paths

    p = Path(name_or_path)
    if p.suffix.lower() in (".yaml", ".yml"):
        for cand in (p, paths.project_root() / p):
            if cand.exists():
                return cand.resolve()
        raise InputError("dataset YAML not found", file=str(p))
    idx = _catalogue_index()
    if str(name_or_path) in idx:
        return idx[str(name_or_path)]
    if p.suffix or "/" in str(name_or_path) or "\\" in str(name_or_path):
        raise InputError("a dataset is opened from its YAML", file=str(p),
                         expected="a dataset YAML that names this file (README: Bring your own data), or a bundled dataset name; "
                                  "for a bare csv/xlsx use dgkit.datasets.validate_file or `dgkit validate FILE`")
    raise InputError(f"no dataset called {str(name_or_path)!r}", expected="a bundled dataset name or a path to a dataset YAML",
                     suggestion=difflib.get_close_matches(str(name_or_path), list(idx), n=3, cutoff=0.4) or bundled()[:6])


def read_spec(path: Path, problems: list[Problem]) -> DatasetSpec | None:
    from dgkit.errors import ParamsError
    from dgkit.params import safe_load_yaml

    notes: list[str] = []
    try:
        d = safe_load_yaml(path, kind="dataset", notes=notes)
    except ParamsError as exc:
        problems.append(Problem(exc.problem, file=exc.file, row=exc.row, column=exc.column, expected=exc.expected,
                                got=exc.got, suggestion=exc.suggestion))
        return None
    spec = parse_spec(d, path, problems)
    if spec is not None:
        spec.assumptions += notes  # repairs made while reading the YAML (encoding, names kept as text)
    return spec


@dataclass
class Validation:
    """What ``dgkit validate`` reports: every problem, the dataset when there were none, and a summary."""

    source: str
    problems: list[Problem]
    dataset: Dataset | None
    assumptions: list[str] = field(default_factory=list)
    repairs: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        lines = []
        if self.problems:
            lines.append(f"{len(self.problems)} problem(s) in {self.source}:")
            lines += [f"  - {p}" for p in self.problems]
            lines += [f"  assumed: {a}" for a in self.assumptions]
            lines.append(f"  repairs made so far: {self.repairs}")
            return "\n".join(lines)
        assert self.dataset is not None
        return f"OK {self.source}\n" + self.dataset.summary()


def _stamp(spec: DatasetSpec) -> tuple:
    paths = [spec.path, *(f.path for f in spec.files), *(s.file for s in [*spec.groupings, *spec.covariates] if s.file),
             *(f.path for f in spec.reference_tables.values())]
    return tuple((str(p), p.stat().st_mtime_ns if p.exists() else 0) for p in paths)


_CACHE: dict[tuple, Dataset] = {}


def validate_dataset(name_or_path: str | Path) -> Validation:
    """Check a dataset YAML and every file it reads; collect every problem (never stops at the first)."""
    path = dataset_path(name_or_path)
    problems: list[Problem] = []
    spec = read_spec(path, problems)
    if spec is None:
        return Validation(str(path), problems, None)
    key = _stamp(spec)
    if not problems and key in _CACHE:
        return Validation(str(path), [], _CACHE[key], spec.assumptions)
    ds, loader = load(spec)
    problems += loader.problems
    if ds is not None and not problems:
        _CACHE[key] = ds
    return Validation(str(path), problems, ds if not problems else None, spec.assumptions, len(loader.repairs))


def open_dataset(name_or_path: str | Path) -> Dataset:
    """Open a bundled dataset (name or alias) or a dataset YAML; raise :class:`DatasetError` listing
    every problem when anything is wrong."""
    v = validate_dataset(name_or_path)
    if not v.ok:
        raise DatasetError(v.source, v.problems)
    assert v.dataset is not None
    return v.dataset


def infer_spec(path: str | Path, level: str = "province", fmt: str | None = None) -> DatasetSpec:
    """A dataset spec for a bare csv/xlsx: the unit and period columns are found by their headers,
    every numeric column is a measure; ``spec.assumptions`` says what was assumed."""
    from dgkit.datasets.tables import _clean_header, head_rows
    from dgkit.readers import UNIT_HEADERS, YEAR_HEADERS

    p = Path(path).resolve()
    keys = {h.casefold() for h in UNIT_HEADERS}
    spec = DatasetSpec(path=p, name=p.stem, title=p.name, level=level, files=[FileSpec(p)])
    head = head_rows(p) if p.exists() else None
    unit_col = None
    if head is not None and len(head):
        # the header: the first row naming a unit column (title rows above it are skipped)
        rows = [[c for c in map(_clean_header, head.iloc[i].tolist()) if c] for i in range(len(head))]
        header = next((r for r in rows if any(v.casefold() in keys for v in r)), rows[0])
        unit_col = next((c for c in header if c.casefold() in keys), None)
        year_col = next((c for c in header if c.casefold() in {y.casefold() for y in YEAR_HEADERS}), None)
        low = {c.casefold() for c in header}
        is_long = {"indicator", "value"} <= low or {"指标", "值"} <= set(header) or {"measure", "value"} <= low
        spec.format = fmt or ("long" if is_long else "wide")
        if is_long:
            spec.measure_column = next(c for c in header if c.casefold() in ("indicator", "measure", "指标"))
            spec.value_column = next(c for c in header if c.casefold() in ("value", "值"))
        spec.period = year_col if year_col else 0
        spec.assumptions += [
            f"unit column {unit_col!r} at level {level!r}" if unit_col else "no unit column found",
            f"period column {year_col!r}" if year_col else "no year column: one cross-section (period 0)",
            f"format {spec.format}" + (f" (measure column {spec.measure_column!r}, value column {spec.value_column!r})" if is_long else
                                       ": every numeric column is a measure"),
            "synthetic: false (a bare file cannot say; write a dataset YAML to state it)",
        ]
    spec.unit_column = unit_col or "unit"
    spec.synthetic_stated = False
    return spec


def validate_file(path: str | Path, level: str = "province", framework: Any = None) -> Validation:
    """``dgkit validate FILE``: a bare csv/xlsx, checked like a dataset, with the assumptions stated.
    With a framework, every measure must be one of its indicators."""
    spec = infer_spec(path, level)
    problems: list[Problem] = []
    if not Path(path).exists():
        return Validation(str(path), [Problem("file not found", file=str(path))], None)
    ds, loader = load(spec)
    problems += loader.problems
    if framework is not None and ds is not None:
        from dgkit.framework import Framework, load_framework

        fw = framework if isinstance(framework, Framework) else load_framework(framework)
        known = set(fw.indicator_codes)
        for m in ds.measures:
            if m not in known:
                problems.append(Problem(f"indicator {m!r} is not in framework {fw.name!r}", file=str(path), column=m,
                                        suggestion=difflib.get_close_matches(m, sorted(known), n=2) or None))
    return Validation(str(path), problems, ds if not problems else None, spec.assumptions, len(loader.repairs))


__all__ = ["Dataset", "DatasetSpec", "Problem", "Validation", "bundled", "catalogue", "dataset_path", "datasets_dir",
           "infer_spec", "open_dataset", "validate_dataset", "validate_file"]
