"""Indicator frameworks: indicator → pillar → index, with weights, directions and types.

A framework is read from a YAML in ``data/frameworks/`` (or any path, or a DataFrame) and
validated before use: unknown parents, cycles, duplicate codes, directions other than ±1, types
other than ``count``/``index`` and weights that do not sum to 1 within a group are errors that say
where and by how much. Missing (``null``) weights mean "not published": the group is then
equal-weighted and the build log says so. Weights are normalised only when asked
(``normalise_weights=True``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dgkit.errors import FrameworkError

WEIGHT_TOL = 1e-3
TYPES = ("count", "index")


@dataclass
class Framework:
    """A validated indicator framework.

    Attributes: ``name``; ``meta`` (the YAML's other keys: title, source, decisions, tiers …);
    ``indicators`` (code, name, name_en, parent, type, direction, weight, …);
    ``pillars`` (code, name, name_en, weight, …); ``file`` (where it was read from).
    """

    name: str
    indicators: pd.DataFrame
    pillars: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    file: str | None = None
    notes: list[str] = field(default_factory=list)

    # ---------------------------------------------------------------- views
    @property
    def indicator_codes(self) -> list[str]:
        return list(self.indicators["code"])

    @property
    def pillar_codes(self) -> list[str]:
        return list(self.pillars["code"])

    def label(self, code: str, lang: str = "zh") -> str:
        """Display name of an indicator or pillar code."""
        col = "name" if lang == "zh" else "name_en"
        for t in (self.indicators, self.pillars):
            hit = t.loc[t["code"] == code, col]
            if len(hit):
                return str(hit.iat[0])
        if code == self.meta.get("index", {}).get("code"):
            return str(self.meta["index"].get(col, code))
        return code

    def members(self, pillar: str) -> list[str]:
        return list(self.indicators.loc[self.indicators["parent"] == pillar, "code"])

    def indicator_weights(self) -> pd.Series:
        """Effective weight of each indicator within its pillar (sums to 1 per pillar)."""
        out = {}
        for p in self.pillar_codes:
            sub = self.indicators[self.indicators["parent"] == p]
            w = sub["weight"].astype(float)
            if w.isna().all():
                w = pd.Series(1.0 / len(sub), index=sub.index)
            out.update(dict(zip(sub["code"], w / w.sum())))
        return pd.Series(out, name="weight").reindex(self.indicator_codes)

    def pillar_weights(self) -> pd.Series:
        """Effective pillar weights in the index (sum to 1); equal where unpublished."""
        w = self.pillars.set_index("code")["weight"].astype(float)
        if w.isna().all():
            w = pd.Series(1.0 / len(w), index=w.index)
        return (w / w.sum()).rename("weight")

    def directions(self) -> pd.Series:
        return self.indicators.set_index("code")["direction"].astype(int)

    def types(self) -> pd.Series:
        return self.indicators.set_index("code")["type"]

    def sub_indices(self) -> dict[str, list[str]]:
        return {s["code"]: list(s["members"]) for s in self.meta.get("sub_indices", []) or []}

    def check_data(self, columns: list[str], file: str | None = None) -> None:
        """Indicators in the data but not in the framework, and vice versa, are errors."""
        have = set(columns)
        need = set(self.indicator_codes)
        missing = sorted(need - have)
        extra = sorted(have - need)
        if extra:
            import difflib

            sug = [m for e in extra for m in difflib.get_close_matches(e, self.indicator_codes, n=1)]
            also = f"; and {len(missing)} framework indicator(s) are missing from the data: {', '.join(missing)}" if missing else ""
            raise FrameworkError(
                f"{len(extra)} indicator(s) in the data are not in framework '{self.name}': {', '.join(extra)}{also}",
                file=file, expected="indicator codes of the framework", suggestion=sug or None,
            )
        if missing:
            shown = ", ".join(sorted(have)[:12]) + (" …" if len(have) > 12 else "")
            raise FrameworkError(
                f"{len(missing)} indicator(s) of framework '{self.name}' are not in the data: {', '.join(missing)} "
                f"(indicators are matched by their code, or by their name in a dataset; the data have: {shown or 'nothing'})",
                file=file, expected="one column (wide) or indicator value (long) per framework indicator",
            )
        if extra:
            import difflib

            sug = [m for e in extra for m in difflib.get_close_matches(e, self.indicator_codes, n=1)]
            raise FrameworkError(
                f"{len(extra)} indicator(s) in the data are not in framework '{self.name}': {', '.join(extra)}",
                file=file, expected="indicator codes of the framework", suggestion=sug or None,
            )

    def summary(self) -> str:
        lines = [f"Framework {self.name}: {len(self.pillars)} pillars, {len(self.indicators)} indicators"]
        iw = self.indicator_weights()
        pw = self.pillar_weights()
        for p in self.pillars.itertuples():
            mem = self.members(p.code)
            lines.append(f"  {p.code} {p.name} (w={pw[p.code]:.4f}): " + ", ".join(f"{m} ({iw[m]:.3f})" for m in mem))
        return "\n".join(lines)

    def with_changes(self, **changes: Any) -> Framework:
        """A copy with indicator attributes changed, e.g. ``with_changes(type={"INF03": "count"})``."""
        ind = self.indicators.copy()
        for col, mapping in changes.items():
            for code, val in mapping.items():
                ind.loc[ind["code"] == code, col] = val
        return validate(Framework(self.name, ind, self.pillars.copy(), dict(self.meta), self.file))


def _as_frame(items: list[dict[str, Any]], kind: str, file: str | None) -> pd.DataFrame:
    if not items:
        return pd.DataFrame(columns=["code", "name", "name_en", "weight"])
    df = pd.DataFrame(items)
    for col in ("code", "name"):
        if col not in df.columns:
            raise FrameworkError(f"{kind} entries need a '{col}'", file=file)
    if "name_en" not in df.columns:
        df["name_en"] = df["name"]
    if "weight" not in df.columns:
        df["weight"] = np.nan
    df["weight"] = pd.to_numeric(df["weight"], errors="coerce")
    return df


def validate(fw: Framework, normalise_weights: bool = False) -> Framework:
    """Check a framework; raise FrameworkError naming the item and the problem."""
    f = fw.file
    ind, pil = fw.indicators, fw.pillars
    codes = list(ind["code"]) + list(pil["code"])
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise FrameworkError(f"duplicate code(s): {', '.join(dup)}", file=f)
    if len(ind):
        if "parent" not in ind.columns:
            raise FrameworkError("indicators need a 'parent' (their pillar)", file=f)
        known = set(pil["code"])
        for r in ind.itertuples():
            if r.parent not in known:
                import difflib

                raise FrameworkError(
                    f"indicator {r.code} has unknown parent {r.parent!r}", file=f, column="parent",
                    expected="a pillar code", suggestion=difflib.get_close_matches(str(r.parent), sorted(known), n=3) or None,
                )
        if "direction" not in ind.columns:
            ind["direction"] = 1
        for r in ind.itertuples():
            if r.direction not in (1, -1):
                raise FrameworkError(f"indicator {r.code} has direction {r.direction!r}", file=f, column="direction",
                                     expected="+1 (positive indicator) or -1 (negative indicator)")
        if "type" not in ind.columns:
            ind["type"] = "index"
        for r in ind.itertuples():
            if r.type not in TYPES:
                raise FrameworkError(f"indicator {r.code} has type {r.type!r}", file=f, column="type",
                                     expected="'count' (CCID: ln(1+X/X̄)·80) or 'index' (X/X̄·80)")
    # cycles: follow parent links across every node that has one
    parent = {}
    for t in (ind, pil):
        if "parent" in t.columns:
            parent.update({r.code: r.parent for r in t.itertuples() if isinstance(r.parent, str) and r.parent})
    for start in parent:
        seen = [start]
        node = start
        while node in parent:
            node = parent[node]
            if node in seen:
                raise FrameworkError("cycle in the framework: " + " → ".join(seen + [node]), file=f, column="parent")
            seen.append(node)
    # weights per group
    groups = [("pillars", pil)] + [(f"pillar {p}", ind[ind["parent"] == p]) for p in pil["code"]] if len(ind) else [("pillars", pil)]
    for label, sub in groups:
        w = sub["weight"]
        if w.isna().all() or len(sub) == 0:
            continue
        if w.isna().any():
            miss = ", ".join(sub.loc[w.isna(), "code"])
            raise FrameworkError(f"weights of {label} are given for some members but not for {miss}", file=f, column="weight")
        if (w < 0).any():
            raise FrameworkError(f"negative weight in {label}", file=f, column="weight", got=float(w.min()))
        total = float(w.sum())
        scale = 100.0 if abs(total - 100) < 100 * WEIGHT_TOL else 1.0
        if abs(total - scale) > WEIGHT_TOL * scale:
            if normalise_weights:
                fw.notes.append(f"weights of {label} summed to {total:g}; normalised to 1 as asked")
            else:
                raise FrameworkError(
                    f"weights of {label} sum to {total:g}, off by {total - 1:+g} from 1 (or {total - 100:+g} from 100)",
                    file=f, column="weight", expected="weights summing to 1 (or expert points summing to 100); pass normalise_weights=True to rescale",
                )
    return fw


def load_framework(source: str | Path | pd.DataFrame | dict[str, Any] = "ccid_2020", normalise_weights: bool = False) -> Framework:
    """Load and validate a framework from a bundled name, a YAML path, a dict or a DataFrame.

    A DataFrame needs columns ``code, name, level`` (``indicator``/``pillar``), ``parent`` for
    indicators, and optionally ``weight, direction, type, name_en``.
    """
    if isinstance(source, pd.DataFrame):
        df = source.copy()
        if "level" not in df.columns:
            raise FrameworkError("a framework DataFrame needs a 'level' column (indicator or pillar)")
        d = {
            "name": df.attrs.get("name", "custom"),
            "pillars": df[df["level"] == "pillar"].drop(columns=["level"]).to_dict("records"),
            "indicators": df[df["level"] == "indicator"].drop(columns=["level"]).to_dict("records"),
        }
        file = None
    elif isinstance(source, dict):
        d, file = dict(source), None
    else:
        from dgkit.data import framework_path
        from dgkit.params import safe_load_yaml

        p = framework_path(str(source))
        if not p.exists():
            import difflib

            from dgkit.data import FRAMEWORKS

            raise FrameworkError(f"no framework {source!r}", expected="a bundled framework name or a YAML path",
                                 suggestion=difflib.get_close_matches(str(source), FRAMEWORKS, n=3) or list(FRAMEWORKS))
        d = safe_load_yaml(p)
        file = str(p)
    if not isinstance(d, dict):
        raise FrameworkError("a framework must be a mapping", file=file)
    ind = _as_frame(d.get("indicators") or [], "indicator", file)
    pil = _as_frame(d.get("pillars") or [], "pillar", file)
    meta = {k: v for k, v in d.items() if k not in ("indicators", "pillars")}
    fw = Framework(str(d.get("name", "custom")), ind.reset_index(drop=True), pil.reset_index(drop=True), meta, file)
    return validate(fw, normalise_weights=normalise_weights)
