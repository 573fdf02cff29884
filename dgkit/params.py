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
    11: "11_benchmark",
    12: "12_disparity",
    13: "13_dynamics",
}

# key -> type, or a nested schema (dict), or a list item schema ([dict]); ``ANY`` accepts any mapping
ANY = object()
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
    # the data: which dataset, which index (given or built), which periods
    "dataset": str,
    "panel_edition": str,
    "index": {"measure": str, "components": list, "label": str, "framework": str, "options": dict,
              "variant": {"label": str, "base_label": str, "options": dict}},
    "year": int,
    "compare": (list, str),
    "cohort": (str, list),
    "groupings": list,
    "covariates": ANY,
    "tiers": [_TIER_SCHEME],
    "published_references": list,
    # chapter options
    "ranks": {"ties": str},
    "dispersion": {"ddof": int, "threshold": (int, float), "scale": list, "grouping": str},
    "progress": {"method": str, "ddof": int, "top": int},
    "pillars": {"top_n": int, "grouping": str},
    "cities": {"dataset": str, "types": str, "tiers": str, "shares": str},
    "robustness": {"mc_draws": int, "sobol_n": int},
    "dynamics": {"grouping": str, "bandwidth": (str, int, float), "classes": int, "scheme": str, "cuts": list, "weights": str,
                 "k": int, "permutations": int, "alpha": float},
    "benchmark": {"datasets": list, "kappa": {"scheme": str, "dataset": str, "reference": str, "mapping": dict, "categories": list}},
}
_COVARIATE = {"year": int, "vintage": str, "column": str}
REQUIRED = ("edition", "dataset", "index")
ENUMS = {
    ("lang",): ("zh", "en"),
    ("progress", "method"): ("z_change", "percentile_change", "relative_change"),
    ("ranks", "ties"): ("min", "average", "max", "first", "dense"),
    ("dynamics", "scheme"): ("quantile", "pooled", "fixed"),
}
TYPE_NAMES = {str: "text", bool: "true/false", int: "a whole number", list: "a list", dict: "a mapping", float: "a number"}
# keys of earlier params files and where their content went (named in the error)
MOVED = {"scores": "dataset + index.measure + year", "index.data": "dataset", "index.year": "year", "index.years": "compare",
         "gdp": "covariates: {gdp: {year: …, vintage: …}}", "regions": "groupings", "international": "benchmark",
         "robustness.indices": "benchmark.datasets", "robustness.kappa": "benchmark.kappa", "progress.panel": "dataset",
         "progress.editions": "compare", "cities.enabled": "cities.dataset"}


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


def _check(d: Any, schema: dict[str, Any], where: tuple[str, ...], file: str, problems: list[ParamsError]) -> None:
    """Append a ParamsError to ``problems`` for every unknown key, wrong type or invalid value."""
    if not isinstance(d, dict):
        problems.append(ParamsError(f"'{'.'.join(where) or 'params'}' must be a mapping", file=file, got=type(d).__name__))
        return
    for k, v in d.items():
        key = ".".join((*where, str(k)))
        if k not in schema:
            moved = MOVED.get(key)
            if moved:
                problems.append(ParamsError(f"'{key}' is a key of the earlier params format", file=file, column=key,
                                            expected=f"{moved} (see README, params reference)"))
                continue
            close = difflib.get_close_matches(str(k), list(schema), n=1, cutoff=0.5)
            problems.append(ParamsError(f"unknown key '{key}'", file=file, column=key, expected="one of " + ", ".join(schema),
                                        suggestion=[".".join((*where, c)) for c in close] or None))
            continue
        spec = schema[k]
        if spec is ANY:
            if not isinstance(v, dict):
                problems.append(ParamsError(f"'{key}' must be a mapping", file=file, column=key, got=v))
            else:
                for name, c in v.items():
                    _check(c if c is not None else {}, _COVARIATE, (*where, str(k), str(name)), file, problems)
            continue
        if isinstance(spec, dict):
            _check(v, spec, (*where, str(k)), file, problems)
        elif isinstance(spec, list):
            if not isinstance(v, list):
                problems.append(ParamsError(f"'{key}' must be a list", file=file, column=key, got=v))
                continue
            for i, item in enumerate(v):
                _check(item, spec[0], (*where, f"{k}[{i}]"), file, problems)
        else:
            types = spec if isinstance(spec, tuple) else (spec,)
            ok = isinstance(v, types) and not (bool not in types and isinstance(v, bool))
            if not ok:
                want = " or ".join(TYPE_NAMES.get(t, t.__name__) for t in types)
                problems.append(ParamsError(f"wrong type for '{key}'", file=file, column=key, expected=want, got=v))
                continue
        enum = ENUMS.get((*where, str(k)))
        if enum and v not in enum:
            problems.append(ParamsError(f"invalid value for '{key}'", file=file, column=key, expected=" / ".join(enum), got=v,
                                        suggestion=difflib.get_close_matches(str(v), enum, n=1) or None))


@dataclass
class Params:
    """Validated params of one edition (``raw`` is the YAML mapping, ``path`` its file)."""

    raw: dict[str, Any]
    path: Path
    year_override: int | None = None
    as_written: dict[str, Any] | None = None  # the YAML as the user wrote it (paths not resolved): what the manifest echoes

    @property
    def edition(self) -> str:
        return str(self.raw["edition"])

    @property
    def folder(self) -> str:
        """The report folder's name: the edition, with ``-<year>`` when the year was overridden."""
        return self.edition if self.year_override is None else f"{self.edition}-{self.year_override}"

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
    """Raise :class:`~dgkit.errors.ParamsProblems` listing *every* problem of a params mapping:
    its structure (unknown keys, types, enums), then what it names in its dataset (measure,
    components, year, compare periods, groupings, covariates, tier references, cohort units),
    its framework and build options, and every other dataset it names."""
    from dgkit import paths
    from dgkit.errors import ParamsProblems

    problems: list[ParamsError] = []
    _check(d, SCHEMA, (), file, problems)
    if not isinstance(d, dict):
        raise ParamsProblems(file, problems)
    for k in REQUIRED:
        if k not in d:
            problems.append(ParamsError(f"missing required key '{k}'", file=file, column=k,
                                        expected={"edition": "a short name (the report folder)",
                                                  "dataset": "a bundled dataset name or a path to a dataset YAML",
                                                  "index": "{measure: X} to analyse an index of the dataset, or {framework: F} to build one"}[k]))
    root = root or paths.project_root()
    out = d.get("out")
    if isinstance(out, str):
        reports = (root / "reports").resolve()
        target = (root / out).resolve()
        if target != reports and reports not in target.parents:
            problems.append(ParamsError("output folder outside the project's report folder", file=file, column="out",
                                        expected=f"a folder inside {reports}", got=out))
    for c in _list(d.get("chapters")):
        if not (isinstance(c, int) and c in CHAPTERS) and c not in CHAPTERS.values():
            problems.append(ParamsError("unknown chapter", file=file, column="chapters", got=c,
                                        expected=", ".join(f"{k} ({v})" for k, v in CHAPTERS.items())))
    for f in _list(d.get("figure_formats")):
        if f not in ("png", "pdf", "svg"):
            problems.append(ParamsError("unsupported figure format", file=file, column="figure_formats", expected="png, pdf or svg", got=f))
    ds = _dataset_or_problem(d.get("dataset"), "dataset", file, problems) if "dataset" in d else None
    index = d.get("index") if isinstance(d.get("index"), dict) else {}
    _check_index(index, ds, file, problems)
    if ds is not None:
        _check_in_dataset(d, ds, file, problems)
    for i, v in enumerate(_list(d.get("published_references"))):
        _dataset_or_problem(v, f"published_references[{i}]", file, problems)
    bench = d.get("benchmark") if isinstance(d.get("benchmark"), dict) else {}
    for i, v in enumerate(_list(bench.get("datasets"))):
        _dataset_or_problem(v, f"benchmark.datasets[{i}]", file, problems)
    kap = bench.get("kappa") if isinstance(bench.get("kappa"), dict) else None
    if kap:
        other = _dataset_or_problem(kap.get("dataset"), "benchmark.kappa.dataset", file, problems) if kap.get("dataset") else None
        if other is not None and kap.get("reference") and kap["reference"] not in other.references.columns:
            problems.append(_unknown("reference", "benchmark.kappa.reference", kap["reference"], list(other.references.columns), file))
        names = [t.get("name") for t in _list(d.get("tiers")) if isinstance(t, dict) and t.get("scheme") == "fixed"]
        if kap.get("scheme") and kap["scheme"] not in names:
            problems.append(_unknown("fixed tier scheme", "benchmark.kappa.scheme", kap["scheme"], names, file))
    cities = d.get("cities") if isinstance(d.get("cities"), dict) else {}
    if cities.get("dataset"):
        cds = _dataset_or_problem(cities["dataset"], "cities.dataset", file, problems)
        if cds is not None:
            if cities.get("types") and cities["types"] not in cds.grouping_names:
                problems.append(_unknown("grouping", "cities.types", cities["types"], cds.grouping_names, file))
            if cities.get("tiers") and cities["tiers"] not in cds.references.columns:
                problems.append(_unknown("reference", "cities.tiers", cities["tiers"], list(cds.references.columns), file))
            if cities.get("shares") and cities["shares"] not in cds.reference_tables:
                problems.append(_unknown("reference table", "cities.shares", cities["shares"], list(cds.reference_tables), file))
    if problems:
        raise ParamsProblems(file, problems)


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []


def _unknown(what: str, key: str, got: Any, valid: list[Any], file: str) -> ParamsError:
    return ParamsError(f"unknown {what}", file=file, column=key, got=got, expected="one of " + (", ".join(map(str, valid)) or "none"),
                       suggestion=difflib.get_close_matches(str(got), [str(v) for v in valid], n=1, cutoff=0.4) or None)


def _dataset_or_problem(name: Any, key: str, file: str, problems: list[ParamsError]) -> Any:
    """Open a dataset named in the params (a bundled name or alias, or a dataset YAML path)."""
    from dgkit.datasets import _catalogue_index, dataset_path, open_dataset
    from dgkit.errors import DatasetError, InputError

    if not isinstance(name, str):
        problems.append(ParamsError(f"wrong type for '{key}'", file=file, column=key, expected="a dataset name or a path to a dataset YAML", got=name))
        return None
    try:
        dataset_path(name)
    except InputError as exc:
        unknown = not name.endswith((".yaml", ".yml"))
        problems.append(ParamsError("unknown dataset" if unknown else exc.problem, file=file, column=key, got=name,
                                    expected="a bundled dataset name (dgkit data) or a path to a dataset YAML",
                                    suggestion=difflib.get_close_matches(name, list(_catalogue_index()), n=2, cutoff=0.4) if unknown else None))
        return None
    try:
        return open_dataset(name)
    except DatasetError as exc:
        problems.append(ParamsError(f"dataset {name!r} has problems: " + "; ".join(str(p) for p in exc.problems[:20]), file=file, column=key))
    except InputError as exc:
        problems.append(ParamsError(f"dataset {name!r}: {exc}", file=file, column=key))
    return None


def _check_index(index: dict[str, Any], ds: Any, file: str, problems: list[ParamsError]) -> None:
    """``index``: either ``measure`` (+ ``components``) of the dataset, or ``framework`` (+ ``options``)."""
    if not index:
        return
    if ("measure" in index) == ("framework" in index):
        problems.append(ParamsError("'index' needs exactly one of 'measure' (analyse an existing index) or 'framework' (build one)",
                                    file=file, column="index", got=sorted(index)))
    if "framework" in index and "components" in index:
        problems.append(ParamsError("'index.components' goes with 'index.measure'; a built index has its framework's pillars",
                                    file=file, column="index.components"))
    if "options" in index and "framework" not in index:
        problems.append(ParamsError("'index.options' needs 'index.framework'", file=file, column="index.options"))
    if ds is not None and isinstance(index.get("measure"), str):
        valid = [*ds.measures, *([ds.headline] if ds.headline and ds.headline not in ds.measures else [])]
        if index["measure"] not in valid:
            problems.append(_unknown(f"measure of dataset {ds.name!r}", "index.measure", index["measure"], valid, file))
        for i, c in enumerate(_list(index.get("components"))):
            if c not in ds.measures:
                problems.append(_unknown(f"measure of dataset {ds.name!r}", f"index.components[{i}]", c, ds.measures, file))
    fw = index.get("framework")
    if isinstance(fw, str):
        from dgkit.framework import load_framework

        try:
            framework = load_framework(fw)
        except Exception as exc:  # noqa: BLE001 - any problem of the framework file is reported here
            problems.append(ParamsError(f"framework {fw!r}: {exc}", file=file, column="index.framework"))
            framework = None
        if framework is not None and ds is not None:
            from dgkit.pipeline.build import match_indicators

            X, _ = match_indicators(ds.values, framework)
            missing = [c for c in framework.leaves if c not in X.columns]
            if missing:
                problems.append(ParamsError(f"dataset {ds.name!r} lacks {len(missing)} indicator(s) of framework {fw!r}: "
                                            + ", ".join(missing[:10]) + (" …" if len(missing) > 10 else ""), file=file, column="index.framework",
                                            suggestion=difflib.get_close_matches(missing[0], list(X.columns), n=1, cutoff=0.5) or None))
    opts = index.get("options") or {}
    if isinstance(opts, dict):
        _check_options(opts, file, problems)
    variant = index.get("variant")
    if isinstance(variant, dict):
        if "framework" not in index:
            problems.append(ParamsError("'index.variant' (a second build to compare with) needs 'index.framework'", file=file,
                                        column="index.variant"))
        if not isinstance(variant.get("options"), dict) or not variant["options"]:
            problems.append(ParamsError("'index.variant.options' must name the build options that differ (e.g. {normalisation: ccid})",
                                        file=file, column="index.variant.options", got=variant.get("options")))
        else:
            _check_options(variant["options"], file, problems, where="index.variant.options")


def _check_options(opts: dict[str, Any], file: str, problems: list[ParamsError], where: str = "index.options") -> None:
    from dgkit.pipeline.build import (
        BASES,
        OPTION_KINDS,
        OPTIONS,
        _ensure_steps_registered,
        _is_level_map,
    )
    from dgkit.pipeline.steps import StepError, make_step

    for k, v in opts.items():
        if k in ("periods",) or k not in OPTIONS:
            problems.append(ParamsError("unknown build option", file=file, column=f"{where}.{k}", got=k,
                                        expected=", ".join(o for o in OPTIONS if o != "periods") + " (periods come from year/compare)",
                                        suggestion=difflib.get_close_matches(str(k), OPTIONS, n=2, cutoff=0.5) or None))
            continue
        if k == "base" and v not in BASES:
            problems.append(ParamsError("unknown base", file=file, column=f"{where}.base", got=v, expected=" | ".join(BASES),
                                        suggestion=difflib.get_close_matches(str(v), BASES, n=1, cutoff=0.3) or None))
        kind = OPTION_KINDS.get(k)
        if kind == "treat" and isinstance(v, bool):
            continue
        if kind:
            _ensure_steps_registered()
            for lev, spec in (v.items() if _is_level_map(v) else [(None, v)]):
                try:
                    make_step(kind, spec, k)
                except StepError as exc:
                    problems.append(ParamsError(exc.problem, file=file, column=f"{where}.{k}" + (f".{lev}" if lev is not None else ""),
                                                expected=exc.expected, suggestion=exc.suggestion))


TIER_SCHEMES = ("fixed", "percentile", "five_equal", "natural_breaks")
COHORTS = ("all", "provinces", "provinces_with_corps")


def _closest_period(periods: list[int], y: Any) -> str | None:
    return str(min(periods, key=lambda p: abs(p - y))) if periods and isinstance(y, int) else None


def _check_in_dataset(d: dict[str, Any], ds: Any, file: str, problems: list[ParamsError]) -> None:
    """What the params name inside their dataset: periods, groupings, covariates, references, units."""
    periods = ds.periods
    year = d.get("year")
    if isinstance(year, int) and not isinstance(year, bool) and year not in periods:
        problems.append(ParamsError(f"dataset {ds.name!r} has no period {year}", file=file, column="year", got=year,
                                    expected="one of " + ", ".join(map(str, periods)), suggestion=_closest_period(periods, year)))
    comp = d.get("compare")
    if isinstance(comp, str) and comp != "all":
        problems.append(ParamsError("invalid value for 'compare'", file=file, column="compare", expected="all or a list of periods", got=comp))
    for i, c in enumerate(_list(comp)):
        if c not in periods:
            problems.append(ParamsError(f"dataset {ds.name!r} has no period {c}", file=file, column=f"compare[{i}]", got=c,
                                        expected="one of " + ", ".join(map(str, periods)), suggestion=_closest_period(periods, c)))
    for i, g in enumerate(_list(d.get("groupings"))):
        if g not in ds.grouping_names:
            problems.append(_unknown(f"grouping of dataset {ds.name!r}", f"groupings[{i}]", g, ds.grouping_names, file))
    covs = d.get("covariates") if isinstance(d.get("covariates"), dict) else {}
    for name, c in covs.items():
        c = c if isinstance(c, dict) else {}
        col = c.get("column", name)
        builtin = name in ("gdp", "population") and ds.level == "province"
        if col not in ds.covariates.columns and not builtin:
            problems.append(ParamsError(f"dataset {ds.name!r} has no covariate {col!r}", file=file, column=f"covariates.{name}",
                                        expected="one of " + (", ".join(ds.covariates.columns) or "none")
                                        + ("" if ds.level != "province" else "; or the built-in gdp / population of provinces"),
                                        suggestion=difflib.get_close_matches(str(col), list(ds.covariates.columns), n=1) or None))
        if c.get("vintage") not in (None, "revised", "first_release"):
            problems.append(ParamsError("invalid value for covariate vintage", file=file, column=f"covariates.{name}.vintage",
                                        expected="revised / first_release", got=c.get("vintage"),
                                        suggestion=difflib.get_close_matches(str(c.get("vintage")), ["revised", "first_release"], n=1, cutoff=0.3) or None))
    for i, t in enumerate(_list(d.get("tiers"))):
        if isinstance(t, dict):
            _check_tier(t, f"tiers[{i}]", ds, file, problems)
    cohort = d.get("cohort")
    if isinstance(cohort, str) and cohort not in COHORTS:
        problems.append(_unknown("cohort", "cohort", cohort, [*COHORTS, "a list of units"], file))
    elif isinstance(cohort, str) and cohort.startswith("provinces") and ds.level != "province":
        problems.append(ParamsError(f"cohort {cohort!r} is for provincial data; dataset {ds.name!r} is at level {ds.level!r}",
                                    file=file, column="cohort", expected="all or a list of units"))
    if isinstance(cohort, list):
        from dgkit.report.edition import match_units

        _, unknown = match_units(ds, cohort)
        names = [*ds.units["name_zh"].dropna().astype(str), *ds.units["name_en"].dropna().astype(str)]
        for u in unknown:
            problems.append(_unknown(f"unit of dataset {ds.name!r}", "cohort", u, names, file))
    for sect in ("dispersion", "pillars", "dynamics"):
        grp = d[sect].get("grouping") if isinstance(d.get(sect), dict) else None
        if grp and grp not in ds.grouping_names:
            problems.append(_unknown(f"grouping of dataset {ds.name!r}", f"{sect}.grouping", grp, ds.grouping_names, file))
    _check_dynamics(d.get("dynamics"), file, problems)
    sc = (d.get("dispersion") or {}).get("scale") if isinstance(d.get("dispersion"), dict) else None
    if sc is not None and not (isinstance(sc, list) and len(sc) == 2 and all(isinstance(x, int | float) and not isinstance(x, bool) for x in sc)
                               and sc[0] < sc[1]):
        problems.append(ParamsError("dispersion.scale must be [lowest, highest] of the index's scale", file=file, column="dispersion.scale",
                                    got=sc, expected="e.g. [0, 100] or [0, 1]"))
    _check_panel_edition(d.get("panel_edition"), file, problems)


def _check_panel_edition(pe: Any, file: str, problems: list[ParamsError]) -> None:
    """``panel_edition``: another params file, valid itself, whose index has several periods (it may
    not name a panel edition of its own)."""
    if not isinstance(pe, str):
        return
    path = Path(pe)
    if not path.is_file():
        from dgkit import paths

        path = paths.project_root() / pe
    if not path.is_file():
        problems.append(ParamsError("panel_edition names no params file", file=file, column="panel_edition", got=pe,
                                    expected="a params YAML, e.g. nbs.yaml beside this file"))
        return
    if path.resolve() == Path(file).resolve():
        problems.append(ParamsError("panel_edition names this params file itself", file=file, column="panel_edition", got=pe))
        return
    try:
        raw = safe_load_yaml(path)
        if isinstance(raw, dict) and raw.get("panel_edition"):  # checked before loading it: a chain (or a cycle) is never followed
            problems.append(ParamsError("a panel edition may not name a panel edition of its own", file=file, column="panel_edition", got=pe))
            return
        load_params(path)
    except ParamsError as exc:  # ParamsProblems is a ParamsError
        problems.append(ParamsError(f"panel_edition {path.name} is not valid: {exc}", file=file, column="panel_edition"))


WEIGHT_KINDS = ("contiguity", "knn", "distance")
BANDWIDTHS = ("scott", "silverman")
MAX_PERMUTATIONS = 99_999


def _check_dynamics(dyn: Any, file: str, problems: list[ParamsError]) -> None:
    """The options of chapters 12 and 13 (kernel density, Dagum grouping, Markov classes, spatial weights, permutations)."""
    if not isinstance(dyn, dict):
        return
    bw = dyn.get("bandwidth")
    if isinstance(bw, str) and bw not in BANDWIDTHS:
        problems.append(_unknown("bandwidth rule", "dynamics.bandwidth", bw, list(BANDWIDTHS), file))
    elif isinstance(bw, int | float) and not isinstance(bw, bool) and not bw > 0:
        problems.append(ParamsError("a bandwidth factor must be positive", file=file, column="dynamics.bandwidth", got=bw, expected="scott, silverman or a number > 0"))
    k = dyn.get("classes")
    if isinstance(k, int) and not 2 <= k <= 10:
        problems.append(ParamsError("Markov classes must be between 2 and 10", file=file, column="dynamics.classes", got=k, expected="2–10 (4 or 5 usual)"))
    cuts = dyn.get("cuts")
    if cuts is not None and not isinstance(cuts, list):
        return  # its type is already reported
    if isinstance(k, int) and cuts and len(cuts) + 1 != k:
        problems.append(ParamsError("dynamics.classes disagrees with dynamics.cuts", file=file, column="dynamics.classes", got=k,
                                    expected=f"{len(cuts) + 1} (one more than the cuts), or leave classes out"))
    if dyn.get("scheme") == "fixed" and (not cuts or not all(isinstance(x, int | float) for x in cuts) or list(cuts) != sorted(set(cuts))):
        problems.append(ParamsError("scheme 'fixed' needs increasing numeric cuts", file=file, column="dynamics.cuts", got=cuts, expected="e.g. [0.25, 0.5, 0.75]"))
    if cuts is not None and dyn.get("scheme") != "fixed":
        problems.append(ParamsError("dynamics.cuts are used only with scheme: fixed", file=file, column="dynamics.cuts", got=cuts,
                                    expected="scheme: fixed, or no cuts"))
    w = dyn.get("weights")
    if isinstance(w, str) and w not in WEIGHT_KINDS and not (w.lower().endswith(".csv") and Path(w).exists()):
        problems.append(ParamsError("spatial weights must be a kind or an existing CSV (unit_id, neighbour_id[, weight])", file=file,
                                    column="dynamics.weights", got=w, expected=" | ".join(WEIGHT_KINDS) + " | path/to/weights.csv",
                                    suggestion=(difflib.get_close_matches(w, WEIGHT_KINDS, n=1) or [None])[0]))
    kk = dyn.get("k")
    if isinstance(kk, int) and not 1 <= kk <= 30:
        problems.append(ParamsError("k nearest neighbours must be between 1 and 30", file=file, column="dynamics.k", got=kk, expected="1–30 (4 usual)"))
    perm = dyn.get("permutations")
    if isinstance(perm, int) and not 0 <= perm <= MAX_PERMUTATIONS:
        problems.append(ParamsError("permutations out of range", file=file, column="dynamics.permutations", got=perm, expected=f"0–{MAX_PERMUTATIONS} (999 usual)"))
    a = dyn.get("alpha")
    if isinstance(a, int | float) and not 0 < a < 1:
        problems.append(ParamsError("alpha must be between 0 and 1", file=file, column="dynamics.alpha", got=a, expected="e.g. 0.05"))


def _check_tier(t: dict[str, Any], where: str, ds: Any, file: str, problems: list[ParamsError]) -> None:
    for k in ("name", "scheme"):
        if k not in t:
            problems.append(ParamsError(f"tier scheme without '{k}'", file=file, column=where))
    if t.get("scheme") is not None and t["scheme"] not in TIER_SCHEMES:
        problems.append(_unknown("tier scheme", f"{where}.scheme", t["scheme"], list(TIER_SCHEMES), file))
    if t.get("scheme") == "fixed":
        th = t.get("thresholds")
        if not th or not all(isinstance(x, int | float) for x in th) or list(th) != sorted(th, reverse=True):
            problems.append(ParamsError("fixed tiers need numeric thresholds in descending order", file=file, column=f"{where}.thresholds",
                                        got=th, expected="e.g. [70, 65, 60, 50]"))
        elif len(t.get("labels") or []) != len(th) + 1 and (t.get("labels") or len(th) != 4):
            problems.append(ParamsError("fixed tiers need one label more than thresholds (without labels: 4 thresholds, Tsinghua's five tiers)",
                                        file=file, column=f"{where}.labels", got=len(t.get("labels") or []), expected=str(len(th) + 1)))
    if t.get("scheme") == "percentile":
        cuts = t.get("cuts")
        if not cuts or not all(isinstance(x, int | float) and 0 < x < 1 for x in cuts) or list(cuts) != sorted(cuts):
            problems.append(ParamsError("percentile tiers need increasing cuts between 0 and 1", file=file, column=f"{where}.cuts",
                                        got=cuts, expected="e.g. [0.10, 0.25, 0.45, 0.65]"))
        elif len(t.get("labels") or []) != len(cuts) + 1 and (t.get("labels") or len(cuts) != 4):
            problems.append(ParamsError("percentile tiers need one label more than cuts (without labels: 4 cuts, Tsinghua's five tiers)",
                                        file=file, column=f"{where}.labels", got=len(t.get("labels") or []), expected=str(len(cuts) + 1)))
    if t.get("scheme") == "natural_breaks" and not (isinstance(t.get("k", 4), int) and 2 <= t.get("k", 4) <= 5):
        problems.append(ParamsError("natural breaks need k between 2 and 5", file=file, column=f"{where}.k", got=t.get("k"), expected="2 … 5"))
    pub = t.get("published")
    if isinstance(pub, str):
        name, _, col = pub.rpartition(".")
        other = _dataset_or_problem(name, f"{where}.published", file, problems) if name else ds
        if other is not None and col not in other.references.columns:
            problems.append(_unknown(f"reference of dataset {other.name!r}", f"{where}.published", col, list(other.references.columns), file))


def load_params(path: str | Path, year: int | None = None) -> Params:
    """Load and validate an edition's params file; ``year`` overrides its focus ``year``
    (``dgkit report --year``) and is validated like the rest."""
    from dgkit import paths

    p = Path(path)
    if not p.is_absolute() and not p.exists():
        p = paths.project_root() / p
    d = safe_load_yaml(p)
    written = d
    if isinstance(d, dict):
        d = _resolve_paths(d, p.resolve().parent)
    if year is not None and isinstance(d, dict):
        d = {**d, "year": int(year)}
    validate_params(d, str(p))
    return Params(d, p.resolve(), int(year) if year is not None else None, written)


def _resolve_paths(d: dict[str, Any], base: Path) -> dict[str, Any]:
    """A dataset or framework YAML named by a relative path is read beside the params file first
    (then, as before, from the current folder or the project)."""
    import copy

    d = copy.deepcopy(d)

    def fix(v: Any, suffixes: tuple[str, ...] = (".yaml", ".yml"), *elsewhere: Path) -> Any:
        if isinstance(v, str) and v.lower().endswith(suffixes) and not Path(v).is_absolute():
            for folder in (base, *elsewhere):
                if (folder / v).exists():
                    return str((folder / v).resolve())
        return v

    d["dataset"] = fix(d.get("dataset")) if "dataset" in d else None
    if d["dataset"] is None:
        d.pop("dataset")
    for sect, key in (("index", "framework"), ("cities", "dataset")):
        if isinstance(d.get(sect), dict) and key in d[sect]:
            d[sect][key] = fix(d[sect][key])
    if isinstance(d.get("benchmark"), dict):
        b = d["benchmark"]
        if isinstance(b.get("datasets"), list):
            b["datasets"] = [fix(x) for x in b["datasets"]]
        if isinstance(b.get("kappa"), dict) and "dataset" in b["kappa"]:
            b["kappa"]["dataset"] = fix(b["kappa"]["dataset"])
    if isinstance(d.get("published_references"), list):
        d["published_references"] = [fix(x) for x in d["published_references"]]
    if "panel_edition" in d:  # beside the params file, else the project's params/
        from dgkit import paths

        d["panel_edition"] = fix(d["panel_edition"], (".yaml", ".yml"), paths.project_root() / "params")
    if isinstance(d.get("dynamics"), dict) and "weights" in d["dynamics"]:  # a weights table beside the params file
        d["dynamics"]["weights"] = fix(d["dynamics"]["weights"], (".csv",))
    return d
