"""The :class:`Dataset` — units × periods × measures with its unit table, groupings, covariates,
provenance and published references — and the loader that builds it from a dataset YAML.

The loader never stops at the first problem: it reads every file, resolves every unit name, parses
every cell and collects all problems; :func:`load` returns them beside the dataset (``None`` when
anything is wrong). Repairs it makes (those of :mod:`dgkit.readers` — encodings, separators, title
rows, two-row headers, ``1,234`` → 1234, ``#DIV/0!`` → missing, invisible characters in names — plus
exact duplicate rows merged and names matched by their words) are logged in ``Dataset.repairs``.
Files are read by :func:`dgkit.datasets.tables.read_table` with the file checks of
:func:`dgkit.readers.check_file`: the same files are refused in the same words as by
``read_indicators``.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dgkit.datasets.spec import DatasetSpec, FileSpec, Problem, SideSpec
from dgkit.datasets.tables import (
    Table,
    clean_values,
    closest_column,
    factor,
    first_rows,
    is_numeric_column,
    problem_of,
    read_table,
    text,
    to_numbers,
)
from dgkit.errors import InputError
from dgkit.paths import sha256_file as sha256
from dgkit.readers import EXCEL_ERRORS, Repair, check_file, decode_text, log_cleaned
from dgkit.units import (
    BUILTIN_GROUPINGS,
    builtin_grouping_lists,
    province_table,
    resolver,
    unit_table,
)

META_COLUMNS = {"source", "note", "notes", "备注", "来源", "name", "名称"}




@dataclass
class Dataset:
    """A researcher's data: ``values`` is indexed by (unit_id, period) with a float column per measure.

    ``units`` holds one row per unit: ``name_zh``, ``name_en``, ``level``, ``parent`` and a column
    per grouping (built-in ones of the level, then the dataset's own). ``covariates`` and
    ``references`` are indexed like ``values``. ``synthetic`` comes from the dataset YAML only.
    """

    name: str
    title: str
    citation: str
    synthetic: bool
    level: str
    values: pd.DataFrame
    units: pd.DataFrame
    covariates: pd.DataFrame
    references: pd.DataFrame
    reference_tables: dict[str, pd.DataFrame]
    grouping_names: list[str]
    headline: str | None
    labels: dict[str, dict[str, str]]
    files: list[dict[str, str]]
    spec_path: Path | None = None
    description: str = ""
    notes: list[str] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    ordinals: dict[str, list[str]] = field(default_factory=dict)
    short_title: str = ""
    title_en: str = ""
    short_title_en: str = ""
    scales: dict[str, tuple[float, float]] = field(default_factory=dict)
    checks: list[dict[str, Any]] = field(default_factory=list)
    cite: list[str] = field(default_factory=list)  # bibliography keys of the source (dgkit.report.bibliography)
    locator: str | None = None  # where in the cited work (stored in Chinese: 表3-1)
    reference_cites: dict[str, dict[str, Any]] = field(default_factory=dict)  # table -> {cite, locator}
    bibliography: Path | None = None  # the YAML's own CSL-JSON file, when it names one

    def __post_init__(self) -> None:
        self.short_title = self.short_title or self.name

    def text(self, key: str, lang: str = "zh") -> str:
        """``title`` or ``short_title`` in ``lang``: the ``_en`` key in English when the YAML gives it."""
        en = getattr(self, f"{key}_en", "") if lang == "en" else ""
        return str(en or getattr(self, key))

    # ------------------------------------------------------------------ views
    def flags(self) -> pd.DataFrame:
        """Rows the dataset's ``checks`` flag (kept as given, never repaired): unit_id, name, period,
        the measure as given, the mean of its components, the difference and the reason
        (``zero``: printed as 0 although the components are positive; ``deviates``: more than the
        tolerance from the component mean)."""
        cols = ["unit_id", "name", "period", "measure", "value", "component_mean", "difference", "reason"]
        out = []
        for c in self.checks:
            v = self.values[c["measure"]]
            m = self.values[c["mean_of"]].mean(axis=1, skipna=False)
            d = v - m
            zero = (v == 0) & (m > 0)
            dev = ~zero & (d.abs() > c["tolerance"])
            for mask, why in ((zero, "zero"), (dev, "deviates")):
                rows = self.values.index[mask.fillna(False).to_numpy()]
                for u, p in rows:
                    out.append({"unit_id": u, "name": self.units.at[u, "name_zh"] if u in self.units.index else u, "period": p,
                                "measure": c["measure"], "value": float(v[(u, p)]), "component_mean": float(m[(u, p)]),
                                "difference": float(d[(u, p)]), "reason": why})
        t = pd.DataFrame(out, columns=cols)
        return t.sort_values(["period", "reason", "unit_id"]).reset_index(drop=True)

    @property
    def measures(self) -> list[str]:
        return list(self.values.columns)

    @property
    def periods(self) -> list[int]:
        return sorted(self.values.index.get_level_values("period").unique().tolist())

    @property
    def groupings(self) -> pd.DataFrame:
        """unit_id × grouping (multi-membership groupings hold ``;``-separated lists)."""
        return self.units[self.grouping_names].copy()

    def panel(self, measure: str | None = None) -> pd.DataFrame:
        """A units × periods table of one measure (default: the headline measure, which may be a
        printed total kept as a reference)."""
        m = self._measure(measure)
        col = self.values[m] if m in self.values.columns else pd.to_numeric(self.references[m], errors="coerce")
        p = col.unstack("period")
        p.columns.name = "period"
        return p.reindex(columns=self.periods)

    def cross_section(self, period: int | None = None, measure: str | None = None) -> pd.Series:
        """One period of one measure (default: the latest period, the headline measure), missing dropped."""
        period = self.periods[-1] if period is None else period
        if period not in self.periods:
            from dgkit.errors import InputError

            raise InputError(f"dataset {self.name!r} has no period {period}", expected=", ".join(map(str, self.periods)))
        return self.panel(measure)[period].dropna().rename(self._measure(measure))

    def grouping(self, name: str) -> pd.Series:
        if name not in self.grouping_names:
            self._unknown("grouping", name, self.grouping_names)
        return self.units[name].rename(name)

    def members(self, name: str) -> pd.DataFrame:
        """Long table ``unit_id, group`` of a grouping (a unit in several groups has several rows;
        units without a group are left out)."""
        g = self.grouping(name)
        m = g.str.split(";").explode().str.strip()
        m = m[m.notna() & (m != "")]
        return pd.DataFrame({"unit_id": m.index.to_numpy(), "group": m.to_numpy()})

    def partitions(self) -> list[str]:
        """Groupings in which every grouped unit is in exactly one group and there are at least two groups."""
        out = []
        for n in self.grouping_names:
            m = self.members(n)
            if len(m) and not m["unit_id"].duplicated().any() and m["group"].nunique() >= 2:
                out.append(n)
        return out

    def covariate(self, name: str) -> pd.DataFrame:
        """A units × periods table of one covariate."""
        if name not in self.covariates.columns:
            self._unknown("covariate", name, list(self.covariates.columns))
        return self.covariates[name].unstack("period")

    def reference(self, name: str) -> pd.Series:
        """A printed reference (rank, tier, total) indexed by (unit_id, period)."""
        if name not in self.references.columns:
            self._unknown("reference", name, list(self.references.columns))
        return self.references[name]

    def unit_names(self, lang: str = "zh") -> pd.Series:
        return self.units["name_zh" if lang == "zh" else "name_en"]

    def label(self, measure: str, lang: str = "zh") -> str:
        return self.labels.get(measure, {}).get(lang, measure)

    @property
    def long(self) -> pd.DataFrame:
        """Tidy: unit_id, period, measure, value."""
        lg = self.values.stack(future_stack=True).rename("value").reset_index()
        return lg.rename(columns={lg.columns[2]: "measure"})

    def _measure(self, measure: str | None) -> str:
        m = measure or self.headline or (self.measures[0] if self.measures else None)
        if m is None or (m not in self.values.columns and m != self.headline):
            self._unknown("measure", str(m), self.measures)
        return str(m)

    def ordinal(self, reference: str, period: int | None = None) -> pd.Series:
        """An ordinal reference (e.g. printed grades) as ranks 1 … k from its declared category order."""
        order = self.ordinals.get(reference)
        if order is None:
            self._unknown("ordinal reference", reference, list(self.ordinals))
        period = self.periods[-1] if period is None else period
        r = self.reference(reference).xs(period, level="period")
        return r.map({c: float(i + 1) for i, c in enumerate(order)}).dropna().rename(reference)

    def comparable(self, period: int | None = None) -> pd.Series | None:
        """What this dataset contributes when indices are compared: the headline measure, else its
        first ordinal reference as ranks, else None."""
        if self.headline:
            return self.cross_section(period)
        if self.ordinals:
            return self.ordinal(next(iter(self.ordinals)), period)
        return None

    def _unknown(self, what: str, name: str, valid: list[str]) -> None:
        import difflib

        from dgkit.errors import InputError

        raise InputError(f"dataset {self.name!r} has no {what} {name!r}", expected="one of " + (", ".join(valid) or "none"),
                         suggestion=difflib.get_close_matches(name, valid, n=2, cutoff=0.4) or None)

    # ------------------------------------------------------------------ report
    def counts(self) -> pd.DataFrame:
        """Per period: units, cells, missing cells."""
        v = self.values
        g = v.groupby(level="period")
        return pd.DataFrame({"units": g.size(), "cells": g.size() * v.shape[1],
                             "missing": g.apply(lambda x: int(x.isna().to_numpy().sum()))})

    def summary(self) -> str:
        tag = "SYNTHETIC — " if self.synthetic else ""
        lines = [f"{tag}{self.title} [{self.name}]", f"  citation: {self.citation or '—'}",
                 f"  level: {self.level}; {len(self.units)} units; periods: {', '.join(map(str, self.periods)) or '—'}"]
        c = self.counts()
        lines.append("  units per period: " + ", ".join(f"{p}: {int(n)}" for p, n in c["units"].items()))
        miss = int(c["missing"].sum())
        lines.append(f"  measures ({len(self.measures)}): {', '.join(self.measures)}"
                     + (f"; headline: {self.headline}" if self.headline else ""))
        lines.append(f"  missing cells: {miss} of {int(c['cells'].sum())}")
        if self.grouping_names:
            lines.append("  groupings: " + ", ".join(self.grouping_names))
        if len(self.covariates.columns):
            lines.append("  covariates: " + ", ".join(self.covariates.columns))
        if len(self.references.columns) or self.reference_tables:
            lines.append("  published references: " + ", ".join([*self.references.columns, *self.reference_tables]))
        if self.scales:
            lines.append("  scales: " + ", ".join(f"{m} [{lo:g}, {hi:g}]" for m, (lo, hi) in self.scales.items()))
        if self.checks:
            f = self.flags()
            by = f.groupby(["reason"]).size().to_dict()
            lines.append(f"  checks: {len(f)} row(s) flagged (kept as given, listed in chapter 2)"
                         + (": " + ", ".join(f"{n} {r}" for r, n in by.items()) if by else ""))
        for a in self.assumptions:
            lines.append(f"  assumed: {a}")
        for w in self.warnings:
            lines.append(f"  note: {w}")
        lines.append(f"  repairs: {len(self.repairs)}")
        for r in self.repairs[:20]:
            where = ", ".join(x for x in (r.file, f"row {r.row}" if r.row else "", f"column '{r.column}'" if r.column else "") if x)
            lines.append(f"    - {where}: {r.what} ({r.before!r} → {r.after!r})")
        if len(self.repairs) > 20:
            lines.append(f"    … and {len(self.repairs) - 20} more (Dataset.repairs_frame())")
        return "\n".join(lines)

    def file_hashes(self) -> list[dict[str, str]]:
        """Every file the dataset read (its YAML, data files, unit reference tables, covariates,
        reference tables) with its SHA-256, computed now (validation does not hash: reports do)."""
        return [{**f, "sha256": sha256(Path(f["path"]))} for f in self.files]

    def repairs_frame(self) -> pd.DataFrame:
        return pd.DataFrame([r.__dict__ for r in self.repairs], columns=["file", "row", "column", "before", "after", "what"])

    def __repr__(self) -> str:
        return (f"Dataset({self.name!r}, level={self.level!r}, units={len(self.units)}, periods={self.periods}, "
                f"measures={len(self.measures)}, synthetic={self.synthetic})")


# ====================================================================== loading
class _Loader:
    def __init__(self, spec: DatasetSpec) -> None:
        self.spec = spec
        self.problems: list[Problem] = []
        self.repairs: list[Repair] = []
        self.warnings: list[str] = []
        self.files: list[dict[str, str]] = []
        self.unit_names: dict[str, tuple[str, str]] = {}
        self.parents: dict[str, str] = {}
        self.columns_seen: list[str] = []

    def record(self, path: Path, role: str, source: str = "") -> None:
        if path.exists() and not any(f["path"] == str(path) for f in self.files):
            self.files.append({"path": str(path), "role": role, "source": source})

    def label(self, path: Path) -> str:
        """A file as messages show it: relative to the dataset YAML, else to the project, else absolute."""
        from dgkit import paths

        for base in (self.spec.path.parent, paths.project_root()):
            try:
                return str(path.relative_to(base))
            except ValueError:
                continue
        return str(path)

    # -------------------------------------------------------------- units
    def resolve_units(self, t: Table) -> pd.Series:
        """unit ids per row ('' where unresolved; every problem collected). Excel error values in the
        unit column are refused; names cleaned of invisible characters and full-width or
        non-breaking spaces are logged."""
        col = self.spec.unit_column
        raw = t.frame[col]
        if raw.dtype.kind not in "iufb":
            uniq = [u for u in pd.unique(raw.dropna()) if isinstance(u, str)]
            err = [u for u in uniq if u.strip().casefold() in EXCEL_ERRORS]
            for u in err:
                self.problems.append(Problem(
                    f"an Excel error value ({u.strip()}) in the unit column: the formula that fills it failed", file=t.file,
                    row=self._rows_of(t, raw == u), column=col, got=u,
                    expected="a unit name or code: fix the formula (e.g. a VLOOKUP that found nothing) and save again"))
            for u in uniq:
                if not (u.isascii() and u.isprintable()):
                    clean = _clean_unit(u)
                    if clean != u.strip():
                        first = int(t.rows[(raw == u).to_numpy()].iat[0])
                        log_cleaned(u, clean, self.repairs, file=t.file, row=first, column=col, what="unit name cleaned")
            if err:
                keep = ~raw.isin(err).to_numpy()
                sub = Table(t.frame[keep].reset_index(drop=True), t.rows[keep].reset_index(drop=True), t.file, t.sep)
                out = pd.Series("", index=t.frame.index, dtype=object)
                out[keep] = self._resolve_units(sub).to_numpy()
                return out
        return self._resolve_units(t)

    def _resolve_units(self, t: Table) -> pd.Series:
        spec, col = self.spec, self.spec.unit_column
        codes, uniq = factor(t.frame[col])
        if spec.level == "county" and all(len(u) == 6 and u.isdigit() for u in uniq):
            return self._county_codes(t, codes, uniq)
        raw = pd.Series(np.asarray(uniq, dtype=object)[codes], index=t.frame.index, dtype=object)
        parent = text(t.frame[spec.parent_column]) if spec.parent_column in t.frame.columns else None
        if spec.level in ("province", "city", "country"):
            return self._resolve_reference(t, raw, parent)
        if spec.level == "county":
            return self._resolve_county(t, raw, parent)
        empty = raw == ""
        for i in np.flatnonzero(empty.to_numpy())[:50]:
            self.problems.append(Problem("empty unit id", file=t.file, row=int(t.rows.iat[i]), column=col))
        return raw

    def _rows_of(self, t: Table, mask: pd.Series, n: int = 8) -> str:
        rows = t.rows[np.asarray(mask, dtype=bool)].tolist()
        more = f" … (+{len(rows) - n})" if len(rows) > n else ""
        return ", ".join(map(str, rows[:n])) + more

    def _resolve_reference(self, t: Table, raw: pd.Series, parent: pd.Series | None) -> pd.Series:
        spec = self.spec
        res = resolver(spec.level)
        out = pd.Series("", index=raw.index, dtype=object)
        keys = raw if parent is None else raw + "\x1f" + parent
        for key in pd.unique(keys):
            mask = keys == key
            name, _, par = str(key).partition("\x1f")
            if name == "":
                self.problems.append(Problem(f"empty {spec.level} name", file=t.file, row=self._rows_of(t, mask),
                                             column=spec.unit_column))
                continue
            r = res.lookup(name)
            if r.unit_id is None and r.ambiguous and par and spec.level == "city":
                pid = _try_resolve("province", par)
                table = unit_table("city").set_index("unit_id")["province_id"]
                narrowed = [c for c in r.candidate_ids if table.get(c) == pid]
                if len(narrowed) == 1:
                    r.unit_id = narrowed[0]
            if r.unit_id is None:
                kind = "ambiguous" if r.ambiguous else "unknown"
                hint = "a spelling that names one unit: a code, the full name, or a parent column (units.parent)" if r.ambiguous else None
                self.problems.append(Problem(f"{kind} {spec.level} name", file=t.file, row=self._rows_of(t, mask),
                                             column=spec.unit_column, got=name, expected=hint,
                                             suggestion=r.candidates or None))
                continue
            if r.note:
                first = int(t.rows[mask.to_numpy()].iat[0])
                self.repairs.append(Repair(t.file, first, spec.unit_column, name, r.unit_id, r.note))
            out[mask] = r.unit_id
        if spec.name_column and spec.name_column in t.frame.columns and spec.name_column != spec.unit_column:
            self._check_names(t, out, spec.level)
        return out

    def _check_names(self, t: Table, ids: pd.Series, level: str) -> None:
        """The name column must name the same unit as the id column (World Bank or UN spelling, Chinese …)."""
        res = resolver(level)
        names = text(t.frame[self.spec.name_column])
        pairs = pd.DataFrame({"id": ids, "name": names})
        unknown: list[str] = []
        for (uid, name), grp in pairs.groupby(["id", "name"], sort=False):
            if not uid or not name:
                continue
            r = res.lookup(name)
            if r.unit_id is None:
                unknown.append(name)
            elif r.unit_id != uid:
                mask = (ids == uid) & (names == name)
                self.problems.append(Problem(
                    f"the name names another unit: {name!r} is {res.display_name(r.unit_id)} ({r.unit_id}) but the id column says {uid}",
                    file=t.file, row=self._rows_of(t, mask), column=self.spec.name_column,
                    expected=f"a name of {res.display_name(uid)}"))
            elif r.note:
                self.repairs.append(Repair(t.file, int(grp.index[0]) + 2, self.spec.name_column, name, uid, r.note))
        if unknown:
            self.warnings.append(f"{len(unknown)} name(s) in '{self.spec.name_column}' are not known spellings; the ids decide "
                                 f"(e.g. {', '.join(map(repr, unknown[:5]))})")

    def _county_codes(self, t: Table, codes: np.ndarray, uniq: list[str]) -> pd.Series:
        """County ids that are 6-digit codes: the province prefix must exist; names and parents are
        taken from each code's first row. Computed once per distinct code."""
        spec = self.spec
        prefixes = {p[:2] for p in _province_ids() if p.isdigit()}
        ok = np.fromiter((u[:2] in prefixes for u in uniq), dtype=bool, count=len(uniq))
        for k in np.flatnonzero(~ok):
            self.problems.append(Problem("county code with no province prefix", file=t.file,
                                         row=self._rows_of(t, pd.Series(codes == k)), column=spec.unit_column, got=uniq[k],
                                         expected="a 6-digit GB/T 2260 code whose first two digits are a province (11 … 65)"))
        first = first_rows(codes, len(uniq))  # every code of a factorisation occurs
        keys, rows = uniq, first
        if spec.name_column in t.frame.columns:  # each code's name and parent: from its first row
            names = clean_values(t.frame[spec.name_column].to_numpy()[rows])
            self.unit_names = {**dict(zip(keys, zip(names, names, strict=True), strict=True)), **self.unit_names}
        if spec.parent_column in t.frame.columns:
            parents = clean_values(t.frame[spec.parent_column].to_numpy()[rows])
            self.parents = {**dict(zip(keys, parents, strict=True)), **self.parents}
        ids_u = np.asarray(uniq, dtype=object)
        if not ok.all():
            ids_u[~ok] = ""
        else:  # distinct valid ids: the index can be built from these codes
            self._codes_hint = (codes, ids_u)
        ids = ids_u[codes]
        return pd.Series(ids, index=t.frame.index, dtype=object)

    def _resolve_county(self, t: Table, raw: pd.Series, parent: pd.Series | None) -> pd.Series:
        spec = self.spec
        uniq = pd.unique(raw)
        code6 = {u for u in uniq if len(u) == 6 and u.isdigit()}
        digits = {u for u in uniq if u.isdigit()}
        is_code = raw.isin(code6)
        if len(code6) == len(uniq):
            provinces = set(province_table()["unit_id"])
            bad_codes = {u for u in uniq if u[:2] + "0000" not in provinces}
            bad = raw.isin(bad_codes)
            for code in sorted(bad_codes):
                m = raw == code
                self.problems.append(Problem("county code with no province prefix", file=t.file, row=self._rows_of(t, m),
                                             column=spec.unit_column, got=code,
                                             expected="a 6-digit GB/T 2260 code whose first two digits are a province (11 … 65)"))
            if spec.name_column in t.frame.columns:
                pairs = pd.DataFrame({"u": raw, "n": text(t.frame[spec.name_column])}).drop_duplicates("u")
                for uid, nm in zip(pairs["u"], pairs["n"], strict=True):
                    self.unit_names.setdefault(uid, (nm, nm))
            if parent is not None:
                pairs = pd.DataFrame({"u": raw, "p": parent}).drop_duplicates("u")
                for uid, p in zip(pairs["u"], pairs["p"], strict=True):
                    self.parents.setdefault(uid, p)
            return raw.where(~bad, "")
        looks_code = raw.isin(digits)
        for v in pd.unique(raw[looks_code & ~is_code]):
            m = raw == v
            self.problems.append(Problem("county code is not 6 digits", file=t.file, row=self._rows_of(t, m),
                                         column=spec.unit_column, got=v, expected="a 6-digit GB/T 2260 code such as 110101"))
        names = raw[~looks_code]
        if parent is None:
            ids = raw.where(~looks_code, "")
        else:
            ids = pd.Series("", index=raw.index, dtype=object)
            for p in pd.unique(parent):
                m = (parent == p) & ~looks_code
                if p == "":
                    self.problems.append(Problem("empty parent", file=t.file, row=self._rows_of(t, m), column=spec.parent_column))
                    continue
                pid = _try_resolve(spec.parent_level or "city", p)
                if pid is None:
                    r = resolver(spec.parent_level or "city").lookup(p)
                    self.problems.append(Problem(f"unknown parent ({spec.parent_level or 'city'})", file=t.file,
                                                 row=self._rows_of(t, m), column=spec.parent_column, got=p,
                                                 suggestion=r.candidates or None))
                    continue
                ids[m] = pid + ":" + raw[m]
                for uid in pd.unique(ids[m]):
                    self.parents[uid] = pid
        for uid, nm in zip(ids, raw, strict=True):
            if uid:
                self.unit_names.setdefault(uid, (nm, nm))
        if parent is None and len(names):
            per = self.period_values(t)
            if per is not None:
                dup = pd.DataFrame({"n": raw, "p": per})[~looks_code].duplicated(keep=False)
                for nm in pd.unique(raw[~looks_code][dup]):
                    m = (raw == nm)
                    self.problems.append(Problem("county name appears more than once in a period: names alone are ambiguous",
                                                 file=t.file, row=self._rows_of(t, m), column=spec.unit_column, got=nm,
                                                 expected="6-digit codes, or a parent column (units.parent) naming the city"))
        return ids

    # -------------------------------------------------------------- periods
    def period_values(self, t: Table) -> pd.Series | None:
        p = self.spec.period
        if isinstance(p, int) and not isinstance(p, bool):
            return pd.Series(p, index=t.frame.index, dtype="int64")
        if p not in t.frame.columns:
            return None
        col = t.frame[p]
        if pd.api.types.is_numeric_dtype(col.dtype):
            return col.astype(float)
        codes, uniq = pd.factorize(col, use_na_sentinel=True)
        vals = []
        for u in uniq:
            v = _clean_period(u)
            vals.append(v)
        return pd.Series(np.array([*vals, np.nan], dtype=float)[codes], index=col.index)

    def periods(self, t: Table) -> pd.Series:
        num = self.period_values(t)
        if num is None:
            self.problems.append(Problem(f"period column {self.spec.period!r} not found", file=t.file, column=str(self.spec.period),
                                         expected="a column of years or editions, or a number for one cross-section",
                                         suggestion=closest_column(str(self.spec.period), list(t.frame.columns))))
            return pd.Series(-1, index=t.frame.index, dtype="int64")
        bad = ~np.isfinite(num) | (num != num.round())
        if not bad.any():
            return num.astype("int64")
        per_text = text(t.frame[str(self.spec.period)])
        for v in pd.unique(per_text[bad.to_numpy()])[:20]:
            m = per_text == v
            self.problems.append(Problem("not a period (a whole number such as a year or edition)", file=t.file,
                                         row=self._rows_of(t, m), column=str(self.spec.period), got=v))
        return num.fillna(-1).astype("int64")

    # -------------------------------------------------------------- one file
    def text_columns(self) -> set[str]:
        """Columns read as text whatever they hold: the unit and parent ids of levels whose ids may
        start with 0 (country, custom), so that ``007`` stays ``007``. GB/T 2260 codes never start
        with 0, so province, city and county ids are read as pandas reads them and turned into text
        (440000 → "440000"); other columns too where text is needed (2020 → "2020")."""
        sp = self.spec
        if sp.level in ("province", "city", "county"):
            return set()
        return {c for c in (sp.unit_column, sp.parent_column) if c}

    def read_file(self, fs: FileSpec) -> pd.DataFrame | None:
        spec = self.spec
        t = read_table(fs.path, sheet=fs.sheet, must_have=spec.unit_column, problems=self.problems,
                       repairs=self.repairs, label=self.label(fs.path), text=self.text_columns(), hidden=fs.hidden)
        self.record(fs.path, "data", fs.source)
        if t is None:
            return None
        where = {**spec.where, **fs.where}
        for c, v in where.items():
            if c not in t.frame.columns:
                self.problems.append(Problem(f"'where' names a column that is not in the file: {c!r}", file=t.file, column=c,
                                             suggestion=closest_column(c, list(t.frame.columns))))
                continue
            allowed = {str(x) for x in (v if isinstance(v, list) else [v])}
            keep = text(t.frame[c]).isin(allowed)
            t = Table(t.frame[keep.to_numpy()].reset_index(drop=True), t.rows[keep.to_numpy()].reset_index(drop=True), t.file)
        cols = list(t.frame.columns)
        self.columns_seen += [c for c in cols if c not in self.columns_seen]
        if spec.unit_column not in cols:
            self.problems.append(Problem(f"unit column {spec.unit_column!r} (units.column) not found; the other checks need it",
                                         file=t.file, column=spec.unit_column,
                                         expected="one of the file's columns: " + ", ".join(cols[:15]) + (" …" if len(cols) > 15 else ""),
                                         suggestion=closest_column(spec.unit_column, cols)))
            return None
        for key in ("name_column", "name_en_column", "parent_column"):
            c = getattr(spec, key)
            if c and c not in cols:
                self.problems.append(Problem(f"column {c!r} (units.{key.replace('_column', '')}) not found", file=t.file, column=c,
                                             suggestion=closest_column(c, cols)))
        ids = self.resolve_units(t)
        per = self.periods(t)
        rec = pd.DataFrame({"unit_id": ids.to_numpy(), "period": per.to_numpy(), "_row": t.rows.to_numpy()})
        rec["_file"] = t.file
        used = {spec.unit_column, spec.name_column, spec.name_en_column, spec.parent_column,
                spec.period if isinstance(spec.period, str) else None}
        side_cols = {s.column for s in [*spec.groupings, *spec.covariates, *spec.references] if s.file is None and s.builtin is None}
        for s in [*spec.groupings, *spec.references]:
            if s.file is None and s.builtin is None and s.column in cols:
                col = t.frame[s.column]
                rec["g:" + s.name if s in spec.groupings else "r:" + s.name] = (
                    text(col) if s in spec.groupings or not pd.api.types.is_numeric_dtype(col.dtype) else col).to_numpy()
        for s in spec.covariates:
            if s.file is None and s.builtin is None and s.column in cols:
                rec["c:" + s.name] = to_numbers(t.frame[s.column], t.rows, file=t.file, column=s.column,
                                                problems=self.problems, repairs=self.repairs, comma=t.comma).to_numpy()
        if spec.name_en_column in cols:
            pairs = pd.DataFrame({"u": ids, "n": text(t.frame[spec.name_en_column])}).drop_duplicates("u")
            for uid, nm in zip(pairs["u"], pairs["n"], strict=True):
                if uid:
                    self.unit_names[uid] = (self.unit_names.get(uid, (nm, nm))[0], nm)
        if spec.level == "custom" and spec.name_column in cols:
            pairs = pd.DataFrame({"u": ids, "n": text(t.frame[spec.name_column])}).drop_duplicates("u")
            for uid, nm in zip(pairs["u"], pairs["n"], strict=True):
                if uid:
                    self.unit_names.setdefault(uid, (nm, nm))
        if spec.format == "long":
            return self._long_values(t, rec, cols)
        if spec.measures is not None:
            for m, c in spec.measures.items():
                if c in cols:
                    rec["m:" + m] = to_numbers(t.frame[c], t.rows, file=t.file, column=c, problems=self.problems,
                                               repairs=self.repairs, comma=t.comma).to_numpy()
        else:
            for c in cols:
                if c in used or c in side_cols or c.casefold() in META_COLUMNS or not is_numeric_column(t.frame[c]):
                    continue
                rec["m:" + c] = to_numbers(t.frame[c], t.rows, file=t.file, column=c, problems=self.problems,
                                           repairs=self.repairs, comma=t.comma).to_numpy()
        return rec

    def _long_values(self, t: Table, rec: pd.DataFrame, cols: list[str]) -> pd.DataFrame | None:
        spec = self.spec
        mc, vc = spec.measure_column, spec.value_column
        for c in (mc, vc):
            if c not in cols:
                self.problems.append(Problem(f"long format needs a column {c!r}", file=t.file, column=c,
                                             expected="measure_column / value_column naming it", suggestion=closest_column(c, cols)))
        if mc not in cols or vc not in cols:
            return None
        rec["_measure"] = text(t.frame[mc]).to_numpy()
        rec["_value"] = to_numbers(t.frame[vc], t.rows, file=t.file, column=vc, problems=self.problems,
                                   repairs=self.repairs, comma=t.comma).to_numpy()
        if spec.measures is not None:
            inv = {c: m for m, c in spec.measures.items()}
            rec = rec[rec["_measure"].isin(inv)].copy()
            rec["_measure"] = rec["_measure"].map(inv)
        return rec

    # -------------------------------------------------------------- assembly
    def combine(self, recs: list[pd.DataFrame]) -> pd.DataFrame:
        spec = self.spec
        rec = recs[0] if len(recs) == 1 else pd.concat(recs, ignore_index=True, sort=False)
        valid = (rec["unit_id"].to_numpy(dtype=object) != "") & (rec["period"].to_numpy() >= 0)
        if not valid.all():
            rec = rec[valid]
        if spec.format == "long":
            key = ["unit_id", "period", "_measure"]
            rec = self._dedupe(rec, key)
            vals = rec.pivot(index=["unit_id", "period"], columns="_measure", values="_value")
            vals.columns = ["m:" + str(c) for c in vals.columns]
            other = rec.drop(columns=["_measure", "_value"]).groupby(["unit_id", "period"], sort=False).first()
            return other.join(vals).reset_index()
        hint = getattr(self, "_codes_hint", None) if len(recs) == 1 and valid.all() else None
        self._index = _sorted_index(rec, hint)
        if self._index[0].has_duplicates:  # rare: duplicates to merge or report
            self._index = None
            return self._dedupe(rec, ["unit_id", "period"])
        return rec

    def _dedupe(self, rec: pd.DataFrame, key: list[str]) -> pd.DataFrame:
        dup = rec.duplicated(key, keep=False)
        if not dup.any():
            return rec
        data_cols = [c for c in rec.columns if c not in (*key, "_row", "_file")]
        keep_idx: list[int] = []
        for k, grp in rec[dup].groupby(key, sort=False):
            conflict = [c for c in data_cols if grp[c].dropna().astype(str).nunique() > 1]
            where = "; ".join(f"{f} row {r}" for f, r in zip(grp["_file"], grp["_row"], strict=True))
            if conflict:
                values = "; ".join(f"{c.split(':', 1)[-1]} = {', '.join(map(str, grp[c].tolist()))}" for c in conflict)
                self.problems.append(Problem(
                    f"conflicting duplicate rows for unit {k[0]}, period {k[1]}" + (f", measure {k[2]}" if len(k) > 2 else "")
                    + f" ({where}): {values}",
                    file=str(grp["_file"].iat[0]), row=int(grp["_row"].iat[1]),
                    expected="one row per unit and period (per measure in long format)"))
            elif grp["_file"].nunique() == len(grp):  # one row per file: the files are joined
                pass
            else:
                self.repairs.append(Repair(str(grp["_file"].iat[1]), int(grp["_row"].iat[1]), None,
                                           f"duplicate of {where.split(';')[0]}", None, "exact duplicate row merged"))
            keep_idx.append(grp.index[0])
            merged = grp[data_cols].bfill().iloc[0]
            rec.loc[grp.index[0], data_cols] = merged.to_numpy()
        return pd.concat([rec[~dup], rec.loc[keep_idx]]).sort_index()

    def side_file(self, s: SideSpec, role: str) -> pd.DataFrame | None:
        """A grouping or covariate kept in its own file: key (unit) column, value column, optional period."""
        t = read_table(s.file, sheet=s.sheet, must_have=s.key or self.spec.unit_column, problems=self.problems,
                       repairs=self.repairs, label=self.label(s.file), text={s.key or self.spec.unit_column}, hidden=s.hidden)
        self.record(s.file, role, s.source)
        if t is None:
            return None
        key = s.key or self.spec.unit_column
        cols = list(t.frame.columns)
        for c in (key, s.column):
            if c not in cols:
                self.problems.append(Problem(f"column {c!r} not found ({role} {s.name!r})", file=t.file, column=c,
                                             suggestion=closest_column(str(c), cols)))
        if key not in cols or s.column not in cols:
            return None
        sub = _Loader(DatasetSpec(path=self.spec.path, name=self.spec.name, level=self.spec.level, unit_column=key,
                                  period=s.period if s.period is not None else 0))
        sub.problems, sub.repairs = self.problems, self.repairs  # one list of problems and repairs
        ids = sub.resolve_units(t)
        out = pd.DataFrame({"unit_id": ids.to_numpy()})
        if s.period is not None:
            out["period"] = sub.periods(t).to_numpy()
        if role == "covariate":
            out["value"] = to_numbers(t.frame[s.column], t.rows, file=t.file, column=s.column, problems=self.problems,
                                      repairs=self.repairs, comma=t.comma).to_numpy()
        else:
            out["value"] = text(t.frame[s.column]).to_numpy()
        return out[out["unit_id"] != ""]


@functools.cache
def _province_ids() -> frozenset[str]:
    return frozenset(province_table()["unit_id"])


def _sorted_index(rec: pd.DataFrame, hint: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[pd.MultiIndex, np.ndarray]:
    """The (unit_id, period) MultiIndex of ``rec`` in sorted order, and the row order that sorts it
    (built from codes: no string sort of the whole column). ``hint`` = (codes, distinct ids) of the
    unit column when the reader already has them (then only the distinct ids are sorted)."""
    if hint is not None:
        codes, ids_u = hint
        perm = np.argsort(ids_u, kind="stable")
        rank = np.empty_like(perm)
        rank[perm] = np.arange(len(perm))
        uc, uu = rank[codes], ids_u[perm]
    else:
        uc, uu = pd.factorize(rec["unit_id"].to_numpy(dtype=object), sort=True)
    pc, pu = pd.factorize(rec["period"].to_numpy(dtype=np.int64), sort=True)
    order = np.lexsort((pc, uc))
    idx = pd.MultiIndex(levels=[pd.Index(uu, dtype=object), pd.Index(pu, dtype=np.int64)], codes=[uc[order], pc[order]],
                        names=["unit_id", "period"], verify_integrity=False)
    return idx, order


def _clean_unit(v: str) -> str:
    from dgkit.readers import clean_text

    return clean_text(v)


def _clean_period(v: object) -> float:
    """2019, 2019.0, "2019", "２０１９", "2019年" → 2019.0; anything else NaN."""
    import unicodedata

    if isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool):
        return float(v)
    s = unicodedata.normalize("NFKC", str(v)).strip()
    if s.endswith("年"):
        s = s[:-1].strip()
    try:
        return float(s)
    except ValueError:
        return np.nan


def _try_resolve(level: str, name: str) -> str | None:
    try:
        return resolver(level).lookup(name).unit_id
    except ValueError:
        return None


def _builtin_covariate(s: SideSpec, level: str, loader: _Loader) -> pd.Series | None:
    from dgkit import data

    if level != "province":
        loader.problems.append(Problem(f"built-in covariate {s.builtin!r} exists for provinces only", file=str(loader.spec.path),
                                       column=f"covariates.{s.name}", got=level))
        return None
    if s.builtin == "gdp":
        g = data.gdp(s.vintage if s.vintage in ("revised", "first_release") else "revised")
        loader.record(data.path("gdp" if s.vintage != "first_release" else "gdp_vintages"), "covariate")
        return g.set_index(["unit_id", "year"])["gdp"].rename_axis(["unit_id", "period"])
    p = data.population()
    loader.record(data.path("population"), "covariate")
    return p.set_index(["unit_id", "year"])["population"].rename_axis(["unit_id", "period"])


def load(spec: DatasetSpec) -> tuple[Dataset | None, _Loader]:
    """Build the dataset of ``spec``; the loader holds every problem, repair and note."""
    from dgkit import data

    L = _Loader(spec)
    L.record(spec.path, "dataset yaml")
    recs = [r for fs in spec.files if (r := L.read_file(fs)) is not None]
    ref_files = {"province": ["provinces"], "city": ["prefectures", "cities"], "country": ["countries", "country_aliases"],
                 "county": ["provinces"], "custom": []}[spec.level]
    for nm in ref_files:
        L.record(data.path(nm), "unit reference")
    if not recs:
        return None, L
    rec = L.combine(recs)
    mcols = sorted((c for c in rec.columns if c.startswith("m:")), key=lambda c: list(rec.columns).index(c))
    if spec.measures is not None:
        missing = [m for m in spec.measures if "m:" + m not in rec.columns]
        for m in missing:
            col = spec.measures[m]
            L.problems.append(Problem(f"measure {m!r} not found" + (f" (column {col!r})" if col != m else ""),
                                      file=L.label(spec.files[0].path), column=col,
                                      expected="a column of the file" if spec.format == "wide" else f"a value of '{spec.measure_column}'",
                                      suggestion=None if spec.format == "long" else closest_column(col, L.columns_seen)))
        mcols = ["m:" + m for m in spec.measures if "m:" + m in rec.columns]
    if not mcols and not spec.references and spec.measures is None:
        L.problems.append(Problem("no measures: no numeric column found", file=L.label(spec.files[0].path),
                                  expected="numeric columns, or 'measures: [...]' naming them"))
    idx, order = L._index if getattr(L, "_index", None) is not None else _sorted_index(rec)

    def take(c: str, dtype: Any = None) -> np.ndarray:  # a column of rec in the index's order
        return rec[c].to_numpy(dtype=dtype)[order]

    values = pd.DataFrame({c[2:]: take(c, float) for c in mcols}, index=idx)
    references = pd.DataFrame({c[2:]: take(c) for c in rec.columns if c.startswith("r:")}, index=idx)
    for r in spec.references:
        if r.file is None and r.column not in {c[2:] for c in rec.columns if c.startswith("r:")} and "r:" + r.name not in rec.columns:
            L.problems.append(Problem(f"reference column {r.column!r} not found", file=L.label(spec.files[0].path), column=r.column))
    # covariates
    cov = pd.DataFrame({c[2:]: take(c, float) for c in rec.columns if c.startswith("c:")}, index=idx)
    for s in spec.covariates:
        if s.builtin:
            ser = _builtin_covariate(s, spec.level, L)
            if ser is not None:
                cov[s.name] = ser.reindex(cov.index).to_numpy()
                n_miss = int(cov[s.name].isna().sum())
                if n_miss:
                    L.warnings.append(f"covariate {s.name!r} (built-in {s.builtin}) has no value for {n_miss} unit-period(s)")
        elif s.file is not None:
            side = L.side_file(s, "covariate")
            if side is not None:
                key = ["unit_id", "period"] if "period" in side else ["unit_id"]
                ser = side.drop_duplicates(key).set_index(key)["value"]
                cov[s.name] = (ser.reindex(cov.index) if len(key) == 2 else cov.index.get_level_values("unit_id").map(ser)).to_numpy()
        elif "c:" + s.name not in rec.columns:
            L.problems.append(Problem(f"covariate column {s.column!r} not found", file=L.label(spec.files[0].path), column=s.column,
                                      suggestion=closest_column(str(s.column), L.columns_seen)))
    # units
    lv = values.index.levels[0]  # sorted distinct ids (the index is built from codes)
    uid_list = lv.tolist() if len(lv) == values.index.codes[0].max(initial=-1) + 1 else \
        sorted(values.index.get_level_values("unit_id").unique().tolist())
    uids = pd.Index(uid_list, name="unit_id")
    if spec.level in ("province", "city", "country"):
        ut = unit_table(spec.level).set_index("unit_id").reindex(uids)
        cols: dict[str, Any] = {"name_zh": ut["name_zh"].tolist(), "name_en": ut["name_en"].tolist()}
    else:
        pairs = [L.unit_names.get(u) or (u, u) for u in uid_list]
        cols = {"name_zh": [p[0] for p in pairs], "name_en": [p[1] for p in pairs]}
    cols["level"] = spec.level
    cols["parent"] = [L.parents.get(u, "") for u in uid_list]
    builtin = builtin_grouping_lists(spec.level, uid_list)
    if spec.level == "county" and "" in builtin["province"]:  # names with a parent city: province and belt from it
        belt = dict(zip(province_table()["name_zh"], province_table()["四大地带"], strict=True))
        city_prov = dict(zip(unit_table("city")["unit_id"], unit_table("city")["province"], strict=True))
        builtin["province"] = [p or city_prov.get(par, "") for p, par in zip(builtin["province"], cols["parent"], strict=True)]
        builtin["四大地带"] = [belt.get(p, "") for p in builtin["province"]]
    names = list(BUILTIN_GROUPINGS[spec.level])
    units = pd.DataFrame({**cols, **builtin}, index=uids)
    for g in spec.groupings:
        if g.file is not None:
            side = L.side_file(g, "grouping")
            vals = side.drop_duplicates("unit_id").set_index("unit_id")["value"] if side is not None else pd.Series(dtype=object)
        else:
            col = "g:" + g.name
            if col not in rec.columns:
                L.problems.append(Problem(f"grouping column {g.column!r} not found", file=L.label(spec.files[0].path), column=g.column,
                                          suggestion=closest_column(str(g.column), L.columns_seen)))
                continue
            per_unit = rec.groupby("unit_id")[col].agg(lambda s: sorted(set(s) - {""}))
            changing = per_unit[per_unit.map(len) > 1]
            for u, vs in changing.head(20).items():
                L.warnings.append(f"grouping {g.name!r} changes across periods for {u}: {vs} (the latest is used)")
            latest = rec.sort_values("period").groupby("unit_id")[col].agg(lambda s: next((x for x in s[::-1] if x), ""))
            vals = latest
        units[g.name] = vals.reindex(uids).fillna("").to_numpy()
        if g.name not in names:
            names.append(g.name)
    units = units.loc[:, ["name_zh", "name_en", "level", "parent", *names]]
    # reference tables
    ref_tables: dict[str, pd.DataFrame] = {}
    for nm, fs in spec.reference_tables.items():
        if not fs.path.exists():
            L.problems.append(Problem(f"reference table {nm!r}: file not found", file=L.label(fs.path)))
            continue
        try:  # the same file checks and decoding as data files
            label = L.label(fs.path)
            if check_file(fs.path, label) != "text":
                raise InputError("a reference table is a csv file", file=label, expected="comma-separated text")
            with open(fs.path, "rb") as fh:
                txt, _ = decode_text(fh.read(), label, L.repairs)
            ref_tables[nm] = pd.read_csv(io.StringIO(txt), dtype=str, keep_default_na=False)
            ref_tables[nm].attrs.update({"cite": list(fs.cite or spec.cite), "locator": fs.locator})
        except InputError as exc:
            L.problems.append(problem_of(exc))
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            L.problems.append(Problem(f"reference table {nm!r}: cannot parse the file ({str(exc).splitlines()[0][:200]})",
                                      file=L.label(fs.path), expected="comma-separated text"))
            continue
        L.record(fs.path, "reference table", fs.source)
    headline = spec.headline
    if headline and headline not in values.columns and headline not in references.columns:
        L.problems.append(Problem(f"headline measure {headline!r} is not a measure", file=str(spec.path), column="headline",
                                  expected=", ".join(values.columns), suggestion=closest_column(headline, list(values.columns))))
    if L.problems:
        return None, L
    sources = sorted({f["source"] for f in L.files if f["source"]})
    ds = Dataset(
        name=spec.name, title=spec.title, citation=spec.citation, synthetic=spec.synthetic, level=spec.level,
        values=values, units=units, covariates=cov, references=references, reference_tables=ref_tables,
        grouping_names=names, headline=headline or (values.columns[0] if len(values.columns) == 1 else None),
        labels=spec.labels, files=L.files, spec_path=spec.path, description=spec.description, notes=spec.notes,
        repairs=L.repairs, warnings=L.warnings, assumptions=spec.assumptions, aliases=spec.aliases, sources=sources,
        ordinals=spec.ordinal, short_title=spec.short_title, title_en=spec.title_en, short_title_en=spec.short_title_en, scales=spec.scales, checks=spec.checks,
        cite=list(spec.cite), locator=spec.locator, bibliography=spec.bibliography,
        reference_cites={nm: {"cite": list(fs.cite or spec.cite), "locator": fs.locator}
                         for nm, fs in spec.reference_tables.items()},
    )
    for m in spec.scales:
        if m not in values.columns and m not in references.columns:
            L.problems.append(Problem(f"scales: {m!r} is not a measure", file=str(spec.path), key=f"scales.{m}",
                                      expected=", ".join(values.columns), suggestion=closest_column(m, list(values.columns))))
    for c in spec.checks:
        unknown = [m for m in (c["measure"], *c["mean_of"]) if m not in values.columns]
        if unknown:
            L.problems.append(Problem(f"checks: {unknown[0]!r} is not a measure", file=str(spec.path), key="checks",
                                      expected=", ".join(values.columns), suggestion=closest_column(unknown[0], list(values.columns))))
    if L.problems:
        return None, L
    return ds, L
