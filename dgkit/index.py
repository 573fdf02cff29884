"""Build a composite index: framework → audit → impute/treat → normalise → weight → aggregate → rank.

:func:`build_index` returns an :class:`IndexResult` that carries every stage (raw, imputed,
treated, normalised, pillars, index), the weights actually used, ranks, each indicator's
contribution to the total and a log of every choice — so the same build can be re-run with one
option changed (``result.rebuild(normalisation="minmax")``) and compared (``result.compare(other)``).

Data: a wide table with ``unit_id``, optional ``year`` and one column per indicator code (or a
DataFrame indexed by (unit_id, year), or a :class:`dgkit.readers.IndicatorTable`). Each year is a
separate cohort for normalisation unless ``base="base_year"``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dgkit import aggregate as agg
from dgkit import normalise as norm
from dgkit import weights as wts
from dgkit.audit import AuditResult, audit
from dgkit.framework import Framework, load_framework
from dgkit.impute import LOG_COLUMNS, impute, treat_outliers
from dgkit.tiers import rank_scores


@dataclass(frozen=True)
class BuildOptions:
    """Every choice of a build (defaults: the CCID 2020 method)."""

    impute: str = "none"
    impute_groups: str | None = None
    treat: bool = False
    winmax: int = 5
    normalisation: str = "ccid"
    base: str = "per_year"
    base_year: int | None = None
    ddof: int = 0
    indicator_weights: str = "framework"
    pillar_weights: str = "framework"
    aggregation: str = "arithmetic"
    pillar_aggregation: str | None = None
    zeros: str = "error"
    missing: str = "available"
    ties: str = "dense"
    decimals: int | None = 1
    drop_indicators: tuple[str, ...] = ()
    types: tuple[tuple[str, str], ...] = ()


def match_indicators(X: pd.DataFrame, fw: Framework) -> tuple[pd.DataFrame, dict[str, str]]:
    """Columns named by an indicator's ``name`` (or ``name_en``) rather than its ``code`` are renamed to the code."""
    import unicodedata

    def key(x: object) -> str:  # headers are read NFKC-normalised (（ → (), so names are compared that way
        return unicodedata.normalize("NFKC", str(x)).strip()

    codes = set(fw.indicator_codes)
    by_name: dict[str, str] = {}
    for col in ("name", "name_en"):
        if col in fw.indicators.columns:
            by_name.update({key(n): str(c) for n, c in zip(fw.indicators[col], fw.indicators["code"], strict=True) if n})
    renamed = {c: by_name[key(c)] for c in X.columns if c not in codes and key(c) in by_name and by_name[key(c)] not in X.columns}
    return (X.rename(columns=renamed) if renamed else X), renamed


def _to_panel(data: Any, year: int | None) -> tuple[pd.DataFrame, bool]:
    synthetic = False
    if hasattr(data, "panel") and hasattr(data, "synthetic") and hasattr(data, "values"):  # a dgkit Dataset
        X = data.values if year is None else data.values.xs(year, level="period", drop_level=False)
        synthetic = bool(data.synthetic)
    elif hasattr(data, "wide") and hasattr(data, "long"):
        X = data.wide
    else:
        synthetic = bool(getattr(data, "attrs", {}).get("synthetic", False))
        df = pd.DataFrame(data)
        if isinstance(df.index, pd.MultiIndex):
            X = df
        else:
            if "unit_id" not in df.columns:
                raise ValueError("data needs a 'unit_id' column (or an index of unit ids)")
            if "year" not in df.columns:
                df = df.assign(year=0 if year is None else year)
            X = df.set_index(["unit_id", "year"])
        X = X.drop(columns=[c for c in ("province", "name", "city", "country") if c in X.columns])
    X = X.apply(pd.to_numeric, errors="raise").astype(float).sort_index()
    X.index = X.index.set_names(["unit_id", "year"])
    return X, synthetic


@dataclass
class IndexResult:
    """Every stage of one build; see the module docstring."""

    framework: Framework
    options: BuildOptions
    raw: pd.DataFrame
    imputed: pd.DataFrame
    treated: pd.DataFrame
    normalised: pd.DataFrame
    pillars: pd.DataFrame
    index: pd.Series
    ranks: pd.Series
    indicator_weights: pd.Series
    pillar_weights: pd.Series
    contributions: pd.DataFrame
    audits: dict[int, AuditResult]
    impute_log: pd.DataFrame
    treat_log: pd.DataFrame
    log: list[str] = field(default_factory=list)
    synthetic: bool = False
    _data: Any = None

    @property
    def years(self) -> list[int]:
        return sorted(self.index.index.get_level_values("year").unique())

    @property
    def overall_weights(self) -> pd.Series:
        """Each indicator's weight in the index: pillar weight × weight within the pillar."""
        parent = self.framework.indicators.set_index("code")["parent"]
        iw = self.indicator_weights
        return (iw * parent.reindex(iw.index).map(self.pillar_weights)).rename("overall_weight")

    def table(self, year: int | None = None, lang: str = "zh") -> pd.DataFrame:
        """Ranking table of one year: unit, name, pillars, index, rank (sorted by rank)."""
        y = self.years[-1] if year is None else year
        P = self.pillars.xs(y, level="year").copy()
        P.columns = [self.framework.label(c, lang) for c in P.columns]
        out = P.assign(**{"index": self.index.xs(y, level="year"), "rank": self.ranks.xs(y, level="year")})
        from dgkit.units import display_name

        names = []
        for u in out.index:
            try:
                names.append(display_name(u, "province", lang))
            except KeyError:
                names.append(u)
        out.insert(0, "name", names)
        return out.sort_values(["rank", "index"], ascending=[True, False])

    def rebuild(self, **changes: Any) -> IndexResult:
        """The same build with some options changed, e.g. ``rebuild(normalisation="minmax")``."""
        return build_index(self._data, self.framework, **{**asdict(self.options), **changes})

    def compare(self, other: IndexResult, year: int | None = None) -> pd.DataFrame:
        """Index and rank of this build beside another, with the rank change (other − this)."""
        y = self.years[-1] if year is None else year
        a, b = self.index.xs(y, level="year"), other.index.xs(y, level="year")
        ra, rb = self.ranks.xs(y, level="year"), other.ranks.xs(y, level="year")
        df = pd.DataFrame({"index_a": a, "index_b": b, "rank_a": ra, "rank_b": rb})
        df["rank_change"] = (df["rank_b"] - df["rank_a"]).astype("Int64")
        return df.sort_values("rank_a")

    def summary(self) -> str:
        o = self.options
        y = self.years[-1]
        top = self.table(y).head(5)
        lines = [
            f"Composite index '{self.framework.name}'" + (" — SYNTHETIC DATA" if self.synthetic else ""),
            f"  units × years: {self.raw.index.get_level_values(0).nunique()} × {len(self.years)} {self.years}; indicators: {len(self.indicator_weights)}",
            f"  impute={o.impute} treat={o.treat} normalisation={o.normalisation} (base={o.base}{'' if o.base_year is None else ' ' + str(o.base_year)})"
            f" weights={o.indicator_weights}/{o.pillar_weights} aggregation={o.aggregation}/{o.pillar_aggregation or o.aggregation}",
            f"  {y}: mean {self.index.xs(y, level='year').mean():.2f}; top 5: " + ", ".join(f"{r.name} {r['index']:.1f}" for _, r in top.iterrows()),
            "  log:",
        ] + [f"    - {entry}" for entry in self.log]
        return "\n".join(lines)


def build_index(data: Any, framework: str | Framework = "ccid_2020", year: int | None = None,
                periods: list[int] | None = None, **options: Any) -> IndexResult:
    """Build the index (see module docstring); ``options`` are the fields of :class:`BuildOptions`.
    ``data`` may be a :class:`~dgkit.datasets.Dataset` (``periods`` then selects its periods): its
    measures are matched to the framework's indicators by code or name, and the others left out (logged)."""
    fw = framework if isinstance(framework, Framework) else load_framework(framework)
    if "drop_indicators" in options:
        options["drop_indicators"] = tuple(options["drop_indicators"])
    if "types" in options and isinstance(options["types"], dict):
        options["types"] = tuple(sorted(options["types"].items()))
    opt = BuildOptions(**options)
    log: list[str] = [f"framework {fw.name} from {fw.file or 'memory'}"]
    X, synthetic = _to_panel(data, year)
    if periods is not None:
        X = X[X.index.get_level_values("year").isin(list(periods))]
    if hasattr(data, "panel") and hasattr(data, "measures"):  # a Dataset may hold more measures than the framework uses
        X, renamed = match_indicators(X, fw)
        if renamed:
            log.append("measures matched to indicators by name: " + ", ".join(f"{a} → {b}" for a, b in renamed.items()))
        unused = [c for c in X.columns if c not in set(fw.indicator_codes)]
        if unused:
            X = X.drop(columns=unused)
            log.append(f"{len(unused)} measure(s) of dataset {data.name!r} are not in the framework and are not used: {', '.join(unused)}")
    if synthetic:
        log.append("input data are SYNTHETIC (marked in every output)")
    if opt.types:
        fw = fw.with_changes(type=dict(opt.types))
        log.append(f"indicator types changed: {dict(opt.types)}")
    if opt.drop_indicators:
        keep = fw.indicators[~fw.indicators["code"].isin(opt.drop_indicators)].reset_index(drop=True)
        fw = Framework(fw.name, keep, fw.pillars[fw.pillars["code"].isin(set(keep["parent"]))].reset_index(drop=True), fw.meta, fw.file)
        X = X.drop(columns=[c for c in opt.drop_indicators if c in X.columns])
        log.append(f"dropped indicator(s): {', '.join(opt.drop_indicators)}")
    fw.check_data(list(X.columns))
    X = X[fw.indicator_codes]
    years = sorted(X.index.get_level_values("year").unique())

    audits = {y: audit(X.xs(y, level="year")) for y in years}
    for y, a in audits.items():
        fl = a.flagged_indicators
        if len(fl):
            log.append(f"audit {y}: flagged {', '.join(fl.index)}")

    # ---- imputation
    groups = None
    if opt.impute_groups:
        from dgkit import data as dgdata

        groups = dgdata.provinces().set_index("unit_id")[opt.impute_groups]
    if opt.impute in ("carry_forward", "interpolate", "none"):
        imputed, ilog = impute(X, opt.impute)
    else:
        parts, logs = [], []
        for y in years:
            xi, li = impute(X.xs(y, level="year", drop_level=False), opt.impute, groups)
            parts.append(xi)
            logs.append(li)
        imputed, ilog = pd.concat(parts).sort_index(), pd.concat(logs, ignore_index=True)
    log.append(f"imputation: {opt.impute}" + (f" by {opt.impute_groups}" if opt.impute_groups else "") + f" ({len(ilog)} cell(s) filled)")
    if imputed.isna().any().any():
        log.append(f"{int(imputed.isna().sum().sum())} cell(s) still missing: aggregation renormalises weights over available indicators ({opt.missing})")

    # ---- outlier treatment (per year cohort)
    if opt.treat:
        parts, logs = [], []
        for y in years:
            ti, tl = treat_outliers(imputed.xs(y, level="year", drop_level=False), winmax=opt.winmax)
            parts.append(ti)
            logs.append(tl)
        treated, tlog = pd.concat(parts).sort_index(), pd.concat(logs, ignore_index=True)
        log.append(f"outlier treatment: winsorise ≤ {opt.winmax} points, else log ({len(tlog)} cell(s) changed)")
    else:
        treated, tlog = imputed, pd.DataFrame(columns=LOG_COLUMNS)
        log.append("outlier treatment: none")

    # ---- normalisation
    types, dirs = fw.types(), fw.directions()
    base = None
    if opt.base == "base_year":
        by = opt.base_year if opt.base_year is not None else years[0]
        if by not in years:
            raise ValueError(f"base year {by} not in the data ({years})")
        base = norm.reflect(treated.xs(by, level="year"), dirs).mean()
        log.append(f"normalisation base: fixed base year {by} (years comparable in level)")
    elif opt.normalisation == "ccid":
        log.append("normalisation base: each year's own cohort mean (scores are relative within each year)")
    parts = []
    for y in years:
        Xy = treated.xs(y, level="year")
        Zy = norm.normalise(Xy, opt.normalisation, types=types, directions=dirs, base=base, ddof=opt.ddof, context=f" in {y}")
        parts.append(Zy.assign(year=y).set_index("year", append=True))
    Z = pd.concat(parts).sort_index()
    log.append(f"normalisation: {opt.normalisation}")

    # ---- weights
    if opt.indicator_weights == "framework":
        iw = fw.indicator_weights()
        if fw.indicators["weight"].isna().all():
            log.append("indicator weights: not published in the framework → equal within each pillar")
    else:
        iw_parts = {}
        for p in fw.pillar_codes:
            mem = fw.members(p)
            iw_parts.update(wts.compute(opt.indicator_weights, Z[mem]).to_dict())
        iw = pd.Series(iw_parts).reindex(fw.indicator_codes)
        log.append(f"indicator weights: {opt.indicator_weights}, computed within each pillar on the pooled normalised data")
    pw_source = fw.pillar_weights()
    P_parts = {}
    pil_method = opt.aggregation
    for p in fw.pillar_codes:
        mem = fw.members(p)
        P_parts[p] = agg.aggregate(Z[mem], iw[mem] / iw[mem].sum(), pil_method, zeros=opt.zeros, missing=opt.missing, log=log, label=f" (pillar {p})")
    P = pd.DataFrame(P_parts)
    if opt.pillar_weights == "framework":
        pw = pw_source
        ws = fw.pillars.get("weight_source")
        if ws is not None and ws.astype(str).str.contains("implied").any():
            log.append("pillar weights: implied from published sub-scores and totals (see framework decisions)")
        elif fw.pillars["weight"].isna().all():
            log.append("pillar weights: not published → equal")
    else:
        pw = wts.compute(opt.pillar_weights, P)
        log.append(f"pillar weights: {opt.pillar_weights}")
    top_method = opt.pillar_aggregation or opt.aggregation
    idx = agg.aggregate(P, pw, top_method, zeros=opt.zeros, missing=opt.missing, log=log, label=" (index)").rename("index")
    log.append(f"aggregation: {pil_method} (indicators → pillars), {top_method} (pillars → index)")

    ranks = idx.groupby(level="year", group_keys=False).apply(lambda s: rank_scores(s, ties=opt.ties, decimals=opt.decimals))
    log.append(f"ranks: ties={opt.ties} on scores rounded to {opt.decimals} decimal(s); equal scores share a rank")

    # ---- contributions (additive only for arithmetic means with complete data)
    parent = fw.indicators.set_index("code")["parent"]
    ow = iw * parent.map(pw)
    if pil_method == "arithmetic" and top_method == "arithmetic":
        contrib = Z.mul(ow, axis=1)
        avail = Z.notna().mul(ow, axis=1).sum(axis=1)
        contrib = contrib.div(avail, axis=0)  # exact when data are complete; approximate otherwise
    else:
        contrib = pd.DataFrame(np.nan, index=Z.index, columns=Z.columns)
        log.append("contributions: not additive under a geometric mean (left empty)")

    res = IndexResult(fw, opt, X, imputed, treated, Z, P, idx, ranks, iw.rename("weight"), pw.rename("weight"), contrib,
                      audits, ilog, tlog, log, synthetic, data)
    return res
