"""Edition params: safe YAML loading and validation against a schema, before any notebook runs.

One YAML per edition in ``params/``. Unknown keys are errors that suggest the nearest valid key;
wrong types name the key and the expected type; an ``out`` folder must stay inside the project's
``reports/`` folder; data paths must exist. YAML is read with ``yaml.safe_load`` only.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dgkit.errors import ParamsError

CHAPTERS = {
    1: "01_index_construction",
    2: "02_ranking",
    3: "03_tiers",
    4: "04_pillars",
    5: "05_regions",
    6: "06_economy",
    7: "07_progress",
    8: "08_dispersion",
    9: "09_cities",
    10: "10_robustness",
    11: "11_international",
}

# key -> type, or a nested schema (dict), or a list item schema ([dict])
_TIER_SCHEME = {"name": str, "scheme": str, "thresholds": list, "cuts": list, "k": int, "labels": list, "published": str, "by": str}
SCHEMA: dict[str, Any] = {
    "edition": str,
    "title": str,
    "description": str,
    "lang": str,
    "quick": bool,
    "seed": int,
    "out": str,
    "figure_formats": list,
    "chapters": list,
    "jobs": int,
    "cohort": (str, list),
    "index": {"framework": str, "data": str, "year": int, "years": list, "options": dict, "unit_level": str},
    "scores": {"source": str, "label": str, "year": int},
    "published_references": list,
    "gdp": {"year": int, "vintage": str},
    "tiers": [_TIER_SCHEME],
    "regions": {"groupings": list},
    "dispersion": {"ddof": int, "threshold": (int, float), "grouping": str},
    "progress": {"panel": str, "method": str, "editions": list, "ddof": int, "top": int},
    "cities": {"enabled": bool},
    "robustness": {"indices": list, "mc_draws": int, "sobol_n": int,
                   "kappa": {"scheme": str, "dataset": str, "reference": str, "mapping": dict, "categories": list}},
    "international": {"editions": list, "focus": str, "dataset": str, "peers": list},
    "pillars": {"top_n": int},
}
REQUIRED = ("edition",)
ENUMS = {
    ("lang",): ("zh", "en"),
    ("gdp", "vintage"): ("first_release", "revised"),
    ("progress", "method"): ("z_change", "percentile_change", "relative_change"),
}
TYPE_NAMES = {str: "text", bool: "true/false", int: "a whole number", list: "a list", dict: "a mapping", float: "a number"}


def safe_load_yaml(path: str | Path) -> Any:
    """Load YAML with ``yaml.safe_load`` (no Python tags); errors name the file and line."""
    import yaml

    p = Path(path)
    if not p.exists():
        raise ParamsError("file not found", file=str(p))
    try:
        with open(p, encoding="utf-8") as fh:  # libyaml's safe loader when present (same rules, faster)
            return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise ParamsError(
            f"unsafe or unknown YAML tag: {exc.problem}", file=str(p),
            row=(mark.line + 1) if mark else None, expected="plain YAML (no !!python tags)",
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ParamsError(f"invalid YAML: {getattr(exc, 'problem', exc)}", file=str(p),
                          row=(mark.line + 1) if mark else None) from None


def _check(d: Any, schema: dict[str, Any], where: tuple[str, ...], file: str) -> None:
    if not isinstance(d, dict):
        raise ParamsError(f"'{'.'.join(where) or 'params'}' must be a mapping", file=file, got=type(d).__name__)
    for k, v in d.items():
        key = ".".join((*where, str(k)))
        if k not in schema:
            close = difflib.get_close_matches(str(k), list(schema), n=1, cutoff=0.5)
            raise ParamsError(f"unknown key '{key}'", file=file, column=key, expected="one of " + ", ".join(schema),
                              suggestion=[".".join((*where, c)) for c in close] or None)
        spec = schema[k]
        if isinstance(spec, dict):
            _check(v, spec, (*where, str(k)), file)
        elif isinstance(spec, list):
            if not isinstance(v, list):
                raise ParamsError(f"'{key}' must be a list", file=file, column=key, got=v)
            for i, item in enumerate(v):
                _check(item, spec[0], (*where, f"{k}[{i}]"), file)
        else:
            types = spec if isinstance(spec, tuple) else (spec,)
            ok = isinstance(v, types) and not (bool not in types and isinstance(v, bool))
            if not ok:
                want = " or ".join(TYPE_NAMES.get(t, t.__name__) for t in types)
                raise ParamsError(f"wrong type for '{key}'", file=file, column=key, expected=want, got=v)
        enum = ENUMS.get((*where, str(k)))
        if enum and v not in enum:
            raise ParamsError(f"invalid value for '{key}'", file=file, column=key, expected=" / ".join(enum), got=v,
                              suggestion=difflib.get_close_matches(str(v), enum, n=1) or None)


@dataclass
class Params:
    """Validated params of one edition (``raw`` is the YAML mapping, ``path`` its file)."""

    raw: dict[str, Any]
    path: Path

    @property
    def edition(self) -> str:
        return str(self.raw["edition"])

    @property
    def lang(self) -> str:
        return self.raw.get("lang", "zh")

    @property
    def quick(self) -> bool:
        return bool(self.raw.get("quick", False))

    def get(self, dotted: str, default: Any = None) -> Any:
        cur: Any = self.raw
        for part in dotted.split("."):
            if not isinstance(cur, dict) or part not in cur:
                return default
            cur = cur[part]
        return cur

    def chapters(self) -> list[str]:
        chs = self.raw.get("chapters") or list(CHAPTERS)
        return [CHAPTERS[c] if isinstance(c, int) else str(c) for c in chs]


def validate_params(d: Any, file: str, root: Path | None = None) -> None:
    """Raise ParamsError for anything wrong in a params mapping (see module docstring)."""
    from dgkit import paths

    _check(d, SCHEMA, (), file)
    for k in REQUIRED:
        if k not in d:
            raise ParamsError(f"missing required key '{k}'", file=file, column=k)
    root = root or paths.project_root()
    out = d.get("out")
    if out is not None:
        reports = (root / "reports").resolve()
        target = (root / out).resolve()
        if target != reports and reports not in target.parents:
            raise ParamsError("output folder outside the project's report folder", file=file, column="out",
                              expected=f"a folder inside {reports}", got=out)
    for c in d.get("chapters") or []:
        if not (isinstance(c, int) and c in CHAPTERS) and c not in CHAPTERS.values():
            raise ParamsError("unknown chapter", file=file, column="chapters", got=c,
                              expected=", ".join(f"{k} ({v})" for k, v in CHAPTERS.items()))
    data = (d.get("index") or {}).get("data")
    if data and str(data).lower().endswith((".csv", ".tsv", ".xlsx", ".xlsm")):
        if not (root / data).exists():
            raise ParamsError("edition without data: the indicator file does not exist", file=file, column="index.data", got=data)
    elif data:
        _check_dataset(str(data), "index.data", file, root)
    opts = (d.get("index") or {}).get("options") or {}
    if opts:
        import difflib

        from dgkit.pipeline.build import BASES, OPTION_KINDS, OPTIONS

        for k, v in opts.items():
            if k in ("periods",) or k not in OPTIONS:
                raise ParamsError("unknown build option", file=file, column=f"index.options.{k}", got=k,
                                  expected=", ".join(o for o in OPTIONS if o != "periods") + " (periods come from index.year/index.years)",
                                  suggestion=difflib.get_close_matches(str(k), OPTIONS, n=2, cutoff=0.5) or None)
            if k == "base" and v not in BASES:
                raise ParamsError("unknown base", file=file, column="index.options.base", got=v, expected=" | ".join(BASES),
                                  suggestion=difflib.get_close_matches(str(v), BASES, n=1, cutoff=0.3) or None)
            kind = OPTION_KINDS.get(k)
            if kind == "treat" and isinstance(v, bool):
                continue
            if kind:
                from dgkit.pipeline.build import _ensure_steps_registered, _is_level_map
                from dgkit.pipeline.steps import StepError, make_step

                _ensure_steps_registered()
                for lev, spec in (v.items() if _is_level_map(v) else [(None, v)]):
                    try:
                        make_step(kind, spec, k)
                    except StepError as exc:
                        raise ParamsError(exc.problem, file=file, column=f"index.options.{k}" + (f".{lev}" if lev is not None else ""),
                                          expected=exc.expected, suggestion=exc.suggestion) from None
    for key in ("scores.source", "progress.panel", "international.dataset"):
        sect, _, k = key.partition(".")
        v = (d.get(sect) or {}).get(k)
        if v is not None:
            _check_dataset(str(v), key, file, root)
    for i, v in enumerate(((d.get("robustness") or {}).get("indices")) or []):
        _check_dataset(str(v), f"robustness.indices[{i}]", file, root)
    for i, v in enumerate(d.get("published_references") or []):
        _check_dataset(str(v), f"published_references[{i}]", file, root)
    for f in d.get("figure_formats") or []:
        if f not in ("png", "pdf", "svg"):
            raise ParamsError("unsupported figure format", file=file, column="figure_formats", expected="png, pdf or svg", got=f)


def _check_dataset(name: str, key: str, file: str, root: Path) -> None:
    """A params value that names a dataset: a bundled name or alias, or a dataset YAML path."""
    from dgkit.datasets import _catalogue_index, dataset_path
    from dgkit.errors import InputError

    try:
        dataset_path(name)
    except InputError as exc:
        unknown = not name.endswith((".yaml", ".yml"))
        raise ParamsError("unknown dataset" if unknown else exc.problem, file=file, column=key, got=name,
                          expected="a bundled dataset name (dgkit data) or a path to a dataset YAML",
                          suggestion=difflib.get_close_matches(name, list(_catalogue_index()), n=2, cutoff=0.4) if unknown else None) from None


def load_params(path: str | Path) -> Params:
    """Load and validate an edition's params file."""
    from dgkit import paths

    p = Path(path)
    if not p.is_absolute() and not p.exists():
        p = paths.project_root() / p
    d = safe_load_yaml(p)
    validate_params(d, str(p))
    return Params(d, p.resolve())
