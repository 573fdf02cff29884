"""Build a composite index: data → impute → treat → normalise → weight → aggregate (level by level) → rank.

:func:`build` is the one way dgkit builds an index; Monte Carlo, Sobol and leave-one-out replay the
same recipe (:mod:`dgkit.uncertainty`). It returns a :class:`~dgkit.pipeline.result.Build` with
every stage, the fitted steps and the recipe as a log; ``regen(**changes)`` replays from the
original data and framework.

**Panels.** ``base="per_period"`` (default) fits normalisation (and any aggregation that learns
from data, e.g. TOPSIS's ideal) on each period's own units: scores are relative within the period.
``base="base_period"`` fits them once on ``base_period`` (default: the first) and applies them to
every period, for every normalisation method: common growth shows, periods are comparable in level.
Imputation and outlier treatment always work within each period (the panel imputers
``carry_forward`` and ``interpolate`` across periods). Data-driven weights (entropy, CRITIC, PCA)
are fitted on the pooled periods, or on the base period with ``base="base_period"``.

**Options** (anything else is an error naming the valid ones):

=============== ==============================================================================
periods         periods to build (default: all of the data)
impute          imputation step (default ``none``), e.g. ``"median"``, ``{"method": "group_mean", "groups": "常规地区"}``
treat           outlier treatment (default ``none``), e.g. ``"winsorise"`` or ``{"method": "winsorise", "winmax": 3}``
normalisation   step for the indicators, or ``{level: step}``; default: the framework's (else ``ccid``)
base            ``per_period`` | ``base_period``; default: the framework's (else ``per_period``)
base_period     the period fitted once when ``base="base_period"`` (default: the first)
weights         weighting step for every level, or ``{level: step}``; default ``framework``
node_weights    ``{code: weight}``: fixed weights of nodes among their siblings (siblings given together)
aggregation     step for every level, or ``{level: step}``; default: the framework's (else ``arithmetic``)
rank            rank step (default ``{"method": "standard", "ties": "min", "decimals": None}``: unrounded scores;
                ``decimals: 1`` ranks the scores as a report prints them, so equal printed scores tie)
drop            codes of indicators (or pillars) to leave out
types           ``{code: "count" | "index"}``: CCID indicator types to change
=============== ==============================================================================

A step is a registered name, ``{"method": name, **options}``, a Step, or a function with the
kind's signature (:mod:`dgkit.pipeline.steps`). Levels: 1 = indicators, the index is the top.
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from dgkit.errors import FrameworkError, NormalisationError
from dgkit.framework import Framework, load_framework
from dgkit.paths import display_path
from dgkit.pipeline.steps import StepError, make_step

OPTIONS = ("periods", "impute", "treat", "normalisation", "base", "base_period", "weights", "node_weights", "aggregation",
           "rank", "drop", "types")
BASES = ("per_period", "base_period")
OPTION_KINDS = {"impute": "impute", "treat": "treat", "normalisation": "normalise", "weights": "weight",
                "aggregation": "aggregate", "rank": "rank"}  # build options that name steps
DEFAULT_RANK = {"method": "standard", "ties": "min", "decimals": None}


def _ensure_steps_registered() -> None:
    import dgkit.aggregate  # noqa: F401
    import dgkit.impute  # noqa: F401
    import dgkit.normalise  # noqa: F401
    import dgkit.tiers  # noqa: F401
    import dgkit.weights  # noqa: F401


# ------------------------------------------------------------------ input
def as_panel(data: Any) -> tuple[pd.DataFrame, bool, Any]:
    """(unit_id, period) × measures as floats, whether the data are synthetic, and the dataset (or None)."""
    dataset = None
    if hasattr(data, "values") and hasattr(data, "synthetic") and hasattr(data, "measures"):  # a dgkit Dataset
        X, synthetic, dataset = data.values, bool(data.synthetic), data
    elif hasattr(data, "wide") and hasattr(data, "long"):  # dgkit.readers.IndicatorTable
        X, synthetic = data.wide, False
    else:
        synthetic = bool(getattr(data, "attrs", {}).get("synthetic", False))
        df = pd.DataFrame(data)
        if isinstance(df.index, pd.MultiIndex):
            X = df
        else:
            if "unit_id" not in df.columns:
                raise FrameworkError("data need a 'unit_id' column (or an index of (unit_id, period))", expected="a Dataset, or a table with unit_id")
            per = next((c for c in ("period", "year") if c in df.columns), None)
            df = df.assign(period=df[per] if per else 0)
            if per == "year":
                df = df.drop(columns="year")
            X = df.set_index(["unit_id", "period"])
        X = X.drop(columns=[c for c in ("province", "name", "city", "country", "name_en") if c in X.columns])
    X = X.apply(pd.to_numeric, errors="raise").astype(float).sort_index()
    X.index = X.index.set_names(["unit_id", "period"])
    return X, synthetic, dataset


def match_indicators(X: pd.DataFrame, fw: Framework) -> tuple[pd.DataFrame, dict[str, str]]:
    """Columns named by a leaf's ``name`` or ``name_en``, or its code in another case, are renamed to the code."""

    def key(x: object) -> str:  # headers are read NFKC-normalised (（ → (), so names are compared that way
        return unicodedata.normalize("NFKC", str(x)).strip().casefold()

    codes = fw.leaves
    by_name: dict[str, str] = {key(c): c for c in codes}
    for t in (fw.pillars, fw.indicators):
        for col in ("name", "name_en"):
            if col in t.columns:
                by_name.update({key(n): str(c) for n, c in zip(t[col], t["code"], strict=True) if n and c in codes})
    renamed = {c: by_name[key(c)] for c in X.columns
               if c not in codes and key(c) in by_name and by_name[key(c)] not in X.columns}
    return (X.rename(columns=renamed) if renamed else X), renamed


# ------------------------------------------------------------------ options
def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Reject unknown options (closest valid named) and bad values of ``base``."""
    for k in options:
        if k not in OPTIONS:
            raise StepError(f"build() has no option {k!r}", expected=", ".join(OPTIONS),
                            suggestion=difflib.get_close_matches(k, OPTIONS, n=3, cutoff=0.5) or None)
    if options.get("base") is not None and options["base"] not in BASES:
        raise StepError(f"base={options['base']!r} is not valid", expected=" | ".join(BASES),
                        suggestion=difflib.get_close_matches(str(options["base"]), BASES, n=1, cutoff=0.3) or None)
    out = dict(options)
    if isinstance(out.get("treat"), bool):  # treat: true/false reads as winsorise/none
        out["treat"] = "winsorise" if out["treat"] else "none"
    for k in ("drop", "periods"):
        if out.get(k) is not None and not isinstance(out[k], list | tuple):
            out[k] = [out[k]]
    return out


def _is_level_map(spec: Any) -> bool:
    return isinstance(spec, dict) and "method" not in spec and all(isinstance(k, int | str) and str(k).isdigit() for k in spec)


def _option_covers(option: Any, level: int, stage: str) -> bool:
    """Whether a build option sets the method at this level (a plain method: every level it applies to)."""
    if option is None:
        return False
    if _is_level_map(option):
        return level in {int(k) for k in option}
    return level == 1 if stage == "normalisation" else True


def _level_specs(stage: str, option: Any, fw: Framework, default: Any, log: list[str]) -> dict[int, Any]:
    """The step spec of every level (2 … top for weights/aggregation; 1 … for normalisation)."""
    decl = fw.declared(stage)
    first = 1 if stage == "normalisation" else 2
    levels = range(first, fw.depth + 1)
    spec: dict[int, Any] = {}
    for lev in levels:
        if lev in decl["levels"]:
            spec[lev] = decl["levels"][lev]
        elif decl["default"] is not None and (stage != "normalisation" or lev == 1):
            spec[lev] = decl["default"]
        elif stage != "normalisation" or lev == 1:
            spec[lev] = default
    declared = dict(spec)
    if option is not None:
        given = {int(k): v for k, v in option.items()} if _is_level_map(option) else \
            ({1: option} if stage == "normalisation" else dict.fromkeys(levels, option))
        bad = [k for k in given if k not in levels]
        if bad:
            raise StepError(f"{stage}: level {bad[0]} is not a level of framework '{fw.name}'",
                            expected=f"levels {first}–{fw.depth} (1 = indicators, {fw.depth} = the index)")
        for lev, v in given.items():
            if lev in declared and declared[lev] != v:
                log.append(f"override: {stage} at level {lev} is {_describe(v)} (the framework declares {_describe(declared[lev])})")
            spec[lev] = v
    for lev, v in spec.items():
        if v == "unknown":
            raise StepError(f"framework '{fw.name}' does not publish its {stage} at level {lev} ('unknown'); choose one",
                            expected=f"build(..., {stage}=<method>)")
    return spec


def _describe(spec: Any) -> str:
    if isinstance(spec, str):
        return spec
    if isinstance(spec, dict):
        return spec.get("method", "?") + "(" + ", ".join(f"{k}={v!r}" for k, v in spec.items() if k != "method") + ")"
    return getattr(spec, "name", None) or getattr(spec, "__name__", repr(spec))


# ------------------------------------------------------------------ the build
def build(data: Any, framework: str | Framework | dict[str, Any] = "ccid_2020", **options: Any) -> Any:
    """Build an index (module docstring) and return its :class:`~dgkit.pipeline.result.Build`."""
    fw = framework if isinstance(framework, Framework) else load_framework(framework)
    X0, synthetic, dataset = as_panel(data)
    return run(X0, fw, check_options(options), data=data, synthetic=synthetic, dataset=dataset)


def run(X0: pd.DataFrame, fw0: Framework, options: dict[str, Any], *, data: Any = None, synthetic: bool = False,
        dataset: Any = None, prior: tuple[tuple[str, ...], dict[Any, Any]] | None = None) -> Any:
    """One build from the original panel and framework (what ``regen`` replays). ``prior``: the
    indicator codes and per-period audits of an earlier build of the same panel; an audit reads the
    raw indicators only, so a period with the same indicators reuses it."""
    from dgkit.audit import audit
    from dgkit.impute import LOG_COLUMNS, changes
    from dgkit.pipeline.result import Build

    _ensure_steps_registered()
    o = options
    log: list[str] = [f"framework {fw0.name} from {display_path(fw0.file)} (depth {fw0.depth}: "
                      f"{len(fw0.leaves)} indicators → … → {fw0.index_code})"]
    log += [f"framework note: {n}" for n in fw0.notes]  # repairs made while reading it (60% → 0.6, 正向 → +1 …)
    if synthetic:
        log.append("input data are SYNTHETIC (marked in every output)")
    X = X0
    if o.get("periods") is not None:
        have = sorted(X.index.get_level_values("period").unique())
        miss = [p for p in o["periods"] if p not in have]
        if miss:
            raise StepError(f"period {miss[0]!r} is not in the data", expected=f"one of {have}")
        X = X[X.index.get_level_values("period").isin(list(o["periods"]))]
    fw = fw0
    if o.get("types"):
        fw = fw.with_changes(type=dict(o["types"]))
        log.append(f"indicator types changed: {dict(o['types'])}")
    if o.get("drop"):
        fw = fw.without(list(o["drop"]))
        log.append(f"dropped: {', '.join(map(str, o['drop']))}")
    X, renamed = match_indicators(X, fw0)
    if renamed:
        log.append("measures matched to indicators by name: " + ", ".join(f"{a} → {b}" for a, b in renamed.items()))
    leaves = fw.leaves
    X = X.drop(columns=[c for c in fw0.leaves if c not in set(leaves) and c in X.columns])  # dropped indicators
    unused = [c for c in X.columns if c not in set(leaves)]
    if unused and dataset is not None:
        X = X.drop(columns=unused)
        log.append(f"{len(unused)} measure(s) of dataset {dataset.name!r} are not in the framework and are not used: {', '.join(map(str, unused))}")
    fw.check_data(list(X.columns), file=getattr(dataset, "spec_file", None))
    X = X[leaves]
    periods = sorted(X.index.get_level_values("period").unique())
    if not periods:
        raise StepError("no data to build: the data have no rows (check periods)")
    by_period = {p: X.index.get_level_values("period") == p for p in periods}

    # ---- base period
    base = o.get("base") or fw.declared("normalisation")["base"] or "per_period"
    if base == "cohort_mean":  # the wording of earlier framework YAMLs (X̄ = the cohort's mean): each period's own cohort
        base = "per_period"
        log.append("normalisation.base 'cohort_mean' read as per_period")
    if base not in BASES:
        raise FrameworkError(f"normalisation.base {base!r} is not valid", file=fw.file, column="normalisation.base", expected=" | ".join(BASES))
    base_period = None
    if base == "base_period":
        base_period = periods[0] if o.get("base_period") is None else o["base_period"]
        if base_period not in periods:
            raise StepError(f"base_period {base_period!r} is not among the periods built", expected=f"one of {periods}")
        log.append(f"panel: fitted once on the base period {base_period} and applied to every period (levels comparable over time)")
    else:
        if o.get("base_period") is not None:
            raise StepError("base_period is given but base is 'per_period'", expected="base='base_period' with base_period, or neither")
        log.append("panel: fitted on each period's own units (scores are relative within each period)"
                   if len(periods) > 1 else f"one period ({periods[0]}): fitted on its own units")

    def fit_rows(p: Any) -> np.ndarray:
        return by_period[base_period] if base_period is not None else by_period[p]

    reuse = prior[1] if prior is not None and prior[0] == tuple(X.columns) else {}
    audits = {p: reuse[p] if p in reuse else audit(X.loc[by_period[p]].droplevel("period")) for p in periods}
    for p, a in audits.items():
        fl = a.flagged_indicators
        if len(fl):
            log.append(f"audit {p}: flagged {', '.join(fl.index)}")

    steps: dict[str, Any] = {}
    groupings = dataset.grouping if dataset is not None else _builtin_grouping(X)

    def each_period(kind: str, step: Any, data: pd.DataFrame, **context: Any) -> tuple[pd.DataFrame, dict[Any, Any]]:
        """A copy of the step fitted and applied within each period (the cohort of impute and treat)."""
        parts, fitted = [], {}
        for p in periods:
            fitted[p] = make_step(kind, step)
            parts.append(fitted[p].fit(data.loc[by_period[p]], **context).transform(data.loc[by_period[p]]))
        return pd.concat(parts).reindex(data.index), fitted

    # ---- imputation
    imp = make_step("impute", o.get("impute") or "none", "impute")
    if getattr(imp, "panel", False):
        imputed = imp.fit(X, groupings=groupings).transform(X)
        steps["impute"] = imp
    else:
        imputed, steps["impute"] = each_period("impute", imp, X, groupings=groupings)
    ilog = changes(X, imputed, f"impute:{imp.describe()}") if imp.name != "none" else pd.DataFrame(columns=LOG_COLUMNS)
    log.append(f"imputation: {imp.describe()} ({len(ilog)} cell(s) filled)")
    if imputed.isna().to_numpy().any():
        log.append(f"{int(imputed.isna().to_numpy().sum())} cell(s) still missing: aggregation renormalises weights over available children")

    # ---- outlier treatment (within each period)
    tr = make_step("treat", o.get("treat") or "none", "treat")
    if tr.name == "none":
        treated, tlog = imputed, pd.DataFrame(columns=LOG_COLUMNS)
        steps["treat"] = tr
    else:
        treated, steps["treat"] = each_period("treat", tr, imputed)
        tlog = changes(imputed, treated, f"treat:{tr.describe()}")
    log.append(f"outlier treatment: {tr.describe()} ({len(tlog)} cell(s) changed)")

    # ---- normalisation of the leaves
    # methods are declared per level of the ORIGINAL framework, so a drop never moves them to other nodes
    norm_levels = _level_specs("normalisation", o.get("normalisation"), fw0, "ccid", log)
    if fw0.declared("normalisation")["default"] is None and o.get("normalisation") is None and 1 not in fw0.declared("normalisation")["levels"]:
        log.append("normalisation: the framework declares none; dgkit's default ccid")
    info = fw.leaf_info()
    dirs = info["direction"].astype(int)
    per_leaf: dict[str, Any] = {}
    overridden = []
    for c in leaves:
        own = fw.node_method(c, "normalisation")
        per_leaf[c] = own if own is not None and not _option_covers(o.get("normalisation"), 1, "normalisation") else norm_levels[1]
        if own is not None and per_leaf[c] != own:
            overridden.append(c)
    if overridden:
        log.append(f"override: normalisation {_describe(norm_levels[1])} also for {', '.join(overridden)} (the framework gives them their own)")
    groups: dict[str, list[str]] = {}
    for c, spec in per_leaf.items():
        groups.setdefault(_describe(spec), []).append(c)
    Z = pd.DataFrame(index=treated.index, columns=leaves, dtype=float)
    steps["normalise"] = {}
    for label, cols in groups.items():
        spec = per_leaf[cols[0]]
        for p in periods if base_period is None else [base_period]:
            st = make_step("normalise", spec, "normalisation")
            ref = treated.loc[fit_rows(p), cols]
            st.fit(ref, directions=dirs[cols], info=info.loc[cols], context=f" in {p}")
            targets = periods if base_period is not None else [p]
            for q in targets:
                rows = by_period[q]
                Z.loc[rows, cols] = st.transform(treated.loc[rows, cols], directions=dirs[cols], info=info.loc[cols], context=f" in {q}").to_numpy(float)
            steps["normalise"][(label, p)] = st
        log.append(f"normalisation: {label} for {len(cols)} indicator(s)" + (f" ({', '.join(cols)})" if len(groups) > 1 else ""))

    # ---- weights and aggregation, level by level
    w_levels = _level_specs("weights", o.get("weights"), fw0, "framework", log)
    a_levels = _level_specs("aggregation", o.get("aggregation"), fw0, "arithmetic", log)
    nominal = fw.weights_within_parent()
    given = {str(k): float(v) for k, v in (o.get("node_weights") or {}).items()}
    all_nodes = list(fw0.parents)
    unknown = [k for k in given if k not in all_nodes]
    if unknown:
        raise StepError(f"node_weights: {unknown[0]!r} is not a node of framework '{fw.name}'",
                        suggestion=difflib.get_close_matches(unknown[0], all_nodes, n=3) or all_nodes[:8])
    given = {k: v for k, v in given.items() if k in nominal.index}  # nodes left out by `drop` take their weights with them
    lev = fw0.levels
    values = Z.copy()
    weights: dict[str, float] = {}
    steps["weight"], steps["aggregate"], steps["normalise_level"] = {}, {}, {}
    pooled = np.ones(len(values), bool) if base_period is None else by_period[base_period]
    missing: dict[int, int] = {}
    agg_log: list[str] = []
    for node in fw.internal_nodes:
        kids = fw.children(node)
        C = values[kids]
        # weights
        if any(k in given for k in kids):
            miss = [k for k in kids if k not in given]
            if miss:
                raise StepError(f"node_weights gives weights for some children of {node} but not for {', '.join(miss)}",
                                expected="all siblings together")
            w = pd.Series({k: given[k] for k in kids})
            if (w < 0).any() or not w.sum() > 0:
                raise StepError(f"node_weights of the children of {node} must be ≥ 0 and not all 0", got=w.to_dict())
            w = w / w.sum()
            steps["weight"][node] = "given"
        else:
            ws = make_step("weight", w_levels[lev[node]], "weights")
            try:
                ws.fit(C.loc[pooled], nominal=nominal[kids])
            except NormalisationError as e:  # data-driven weights the data cannot define: say which node and rows
                where = f"the base period {base_period}" if base_period is not None else f"the pooled periods {', '.join(map(str, periods))}"
                raise NormalisationError(f"{e} — {ws.describe()} weights of the children of {node} ({', '.join(kids)}), fitted on {where}") from None
            w = ws.transform(C)
            steps["weight"][node] = ws
        weights.update(w.to_dict())
        # aggregation
        own = fw.node_method(node, "aggregation") if node != fw.index_code else None
        spec = a_levels[lev[node]] if own is None or _option_covers(o.get("aggregation"), lev[node], "aggregation") else own
        if own is not None and spec != own:
            log.append(f"override: aggregation of {node} is {_describe(spec)} (the framework declares {_describe(own)} for it)")
        ag = make_step("aggregate", spec, "aggregation")
        missing[lev[node]] = missing.get(lev[node], 0) + int(C.isna().to_numpy().sum())
        out = pd.Series(np.nan, index=values.index)
        for p in periods:
            rows = by_period[p]
            ref = C.loc[fit_rows(p)]
            out.loc[rows] = ag.transform(C.loc[rows], w, ref=ref, label=f" ({node}, {p})", log=agg_log).to_numpy()
        steps["aggregate"][node] = ag
        values[node] = out
        # optional re-normalisation of this level
        nspec = norm_levels.get(lev[node]) if lev[node] > 1 and node != fw.index_code else None
        if nspec is not None and nspec != "none":
            for p in periods if base_period is None else [base_period]:
                st = make_step("normalise", nspec, "normalisation")
                st.fit(values.loc[fit_rows(p), [node]], info=pd.DataFrame({"type": ["index"]}, index=[node]), context=f" ({node}, {p})")
                for q in (periods if base_period is not None else [p]):
                    values.loc[by_period[q], node] = st.transform(values.loc[by_period[q], [node]], context=f" ({node}, {q})").iloc[:, 0].to_numpy()
                steps["normalise_level"][(node, p)] = st
    for lv in sorted({lev[n] for n in fw.internal_nodes}):
        nodes = [n for n in fw.internal_nodes if lev[n] == lv]
        ws = {"given" if steps["weight"][n] == "given" else steps["weight"][n].describe() for n in nodes}
        ags = {steps["aggregate"][n].describe() for n in nodes}
        log.append(f"level {lv} ({len(nodes)} node(s)): weights {', '.join(sorted(ws))}; aggregation {', '.join(sorted(ags))}"
                   + (f"; {missing[lv]} missing child value(s), weights renormalised over the available ones" if missing.get(lv) else ""))
    log += [x for x in dict.fromkeys(agg_log) if "missing cell" not in x]
    if steps["normalise_level"]:
        renorm = sorted({f"{k[0]} by {v.describe()}" for k, v in steps["normalise_level"].items()})
        log.append("re-normalised before the next level: " + "; ".join(renorm))

    index = values[fw.index_code].rename("index")
    no_index = index[index.isna()]
    if len(no_index):  # a unit without any value (after imputation): no index, no rank — said, never a silent blank
        from dgkit.stats.result import unit_names

        for p in periods:
            gone = [u for u, q in no_index.index if q == p]
            if gone:
                log.append(f"no index for {len(gone)} unit(s) in {p} ({unit_names(gone)}): none of their indicators has a value; "
                           "they are not ranked")
    rk = make_step("rank", o.get("rank") or DEFAULT_RANK, "rank")
    ranks = pd.concat([rk.transform(index.loc[by_period[p]]) for p in periods]).reindex(index.index).rename("rank")
    steps["rank"] = rk
    log.append(f"ranks: {rk.describe()} within each period")
    return Build(
        framework=fw, framework_original=fw0, options=dict(o), data=data, panel=X0, synthetic=synthetic, dataset=dataset,
        raw=X, imputed=imputed, treated=treated, normalised=Z, scores=values.drop(columns=leaves), weights=pd.Series(weights, name="weight"),
        index=index, ranks=ranks, steps=steps, audits=audits, impute_log=ilog, treat_log=tlog, log=log,
        base=base, base_period=base_period,
    )


def _builtin_grouping(X: pd.DataFrame) -> Any:
    """Groupings for a bare table of provinces (GB/T 2260 codes): the built-in ones."""
    def get(name: str) -> pd.Series:
        from dgkit.units import builtin_groupings

        units = X.index.get_level_values("unit_id").unique()
        g = builtin_groupings("province", units)
        if name not in g.columns:
            raise StepError(f"no grouping {name!r} is known for these data; pass a Dataset with its groupings",
                            suggestion=difflib.get_close_matches(name, list(g.columns), n=3) or list(g.columns))
        return g[name]
    return get

