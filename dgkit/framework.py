"""Indicator frameworks: indicator → … → index, of any depth, with weights, directions, types and methods.

A framework is read from a YAML in ``data/frameworks/`` (or any path, a dict or a DataFrame) and
validated before use: unknown parents, cycles, duplicate codes, directions other than ±1, types
other than ``count``/``index`` and weights that do not sum to 1 within a group are errors that say
where and by how much. Missing (``null``) weights mean "not published": the group is then
equal-weighted and the build log says so. Weights are normalised only when asked
(``normalise_weights=True``).

**The tree.** ``indicators`` are the measured leaves (``parent``: a pillar, or the index).
``pillars`` are every aggregate node; a pillar's ``parent`` names the node above it (default: the
index), so depth is free: indicator → sub-pillar → pillar → index. A pillar without children is
itself measured (a leaf: e.g. the UN's OSI, HCI, TII). Levels count from the leaves: level 1 =
indicators, level n = nodes built from level n − 1 and below; the index is the top level.

**Methods** declared in the YAML (and overridden by :func:`dgkit.build`'s options, logged):

.. code-block:: yaml

    normalisation: {method: ccid, scale: 80, base: per_period, levels: {2: minmax}}
    weights: {method: framework, levels: {2: entropy}}
    aggregation: {method: arithmetic, indicator_to_pillar: arithmetic, pillar_to_index: geometric, levels: {3: sum}}

``method`` applies to every level; ``indicator_to_pillar`` is level 2 and ``pillar_to_index`` the
top level; ``levels`` names any level. Normalisation's ``method`` is for the indicators (level 1);
a higher level is re-normalised only when ``levels`` says so. Other keys of a block are options of
the block's ``method`` (``scale: 80``), except the notes ``source``, ``formula``, ``note``; a
method under ``levels`` takes its options as a mapping (``{method: minmax, hi: 1}``). Per node: an
indicator may set ``normalisation`` and its parameters ``target``, ``lower``, ``upper``; a pillar
may set ``aggregation``. The spellings ``weighted_arithmetic``, ``weighted_geometric`` and
``points`` (= ``none``) of the bundled frameworks are read as such; ``unknown`` means the publisher
did not say, and a build must then choose.
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
NOTE_KEYS = ("source", "formula", "note", "notes")
METHOD_ALIASES = {"weighted_arithmetic": "arithmetic", "weighted_geometric": "geometric", "points": "none"}


def _alias(m: Any) -> Any:
    """A declared method (name or ``{method: …}``) with the bundled frameworks' spellings read."""
    if isinstance(m, dict):
        return {**m, "method": METHOD_ALIASES.get(m.get("method"), m.get("method"))}
    return METHOD_ALIASES.get(m, m)
LEAF_PARAMS = ("target", "lower", "upper")


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
        """The indicators directly under a node."""
        return list(self.indicators.loc[self.indicators["parent"] == pillar, "code"])

    # ---------------------------------------------------------------- the tree
    @property
    def index_code(self) -> str:
        return str((self.meta.get("index") or {}).get("code") or "index")

    @property
    def parents(self) -> dict[str, str]:
        """Every node's parent; top-level nodes have the index as parent."""
        out: dict[str, str] = {}
        top = self.index_code
        for t in (self.pillars, self.indicators):
            par = t["parent"] if "parent" in t.columns else pd.Series([None] * len(t), index=t.index)
            for c, p in zip(t["code"], par):
                out[str(c)] = str(p) if isinstance(p, str) and p else top
        return out

    def children(self, code: str) -> list[str]:
        """Children in framework order (pillars first, then indicators)."""
        return [c for c, p in self.parents.items() if p == code]

    @property
    def leaves(self) -> list[str]:
        """The measured nodes: indicators, and pillars without children (data columns)."""
        par = self.parents
        has_child = set(par.values())
        return [c for c in self.pillar_codes if c not in has_child] + self.indicator_codes

    @property
    def levels(self) -> dict[str, int]:
        """Level of every node, the index included: leaves 1, a node 1 + its highest child."""
        par = self.parents
        lev = {c: 1 for c in self.leaves}
        nodes = [*self.pillar_codes, self.index_code]
        for _ in range(len(nodes) + 1):
            for n in nodes:
                kids = [c for c, p in par.items() if p == n]
                if kids and all(k in lev for k in kids):
                    lev[n] = 1 + max(lev[k] for k in kids)
        return lev

    @property
    def depth(self) -> int:
        """The index's level (2 for indicator → index, 3 for indicator → pillar → index)."""
        return self.levels[self.index_code]

    @property
    def internal_nodes(self) -> list[str]:
        """Aggregate nodes bottom-up (by level, then framework order), the index last."""
        lev = self.levels
        order = [c for c in self.pillar_codes if c not in set(self.leaves)] + [self.index_code]
        return sorted(order, key=lambda c: (lev[c], order.index(c)))

    def weights_within_parent(self) -> pd.Series:
        """Every node's weight among its siblings (sums to 1 per parent; equal where unpublished)."""
        w = pd.concat([self.pillars.set_index("code")["weight"], self.indicators.set_index("code")["weight"]]).astype(float)
        par = pd.Series(self.parents)
        out = {}
        for _, sib in par.groupby(par):
            ws = w.reindex(sib.index)
            ws = pd.Series(1.0, index=sib.index) if ws.isna().all() else ws
            out.update((ws / ws.sum()).to_dict())
        return pd.Series(out, name="weight").reindex(list(par.index))

    def leaf_info(self) -> pd.DataFrame:
        """Per leaf: type, direction and the normalisation parameters (target, lower, upper) given."""
        rows = []
        for t in (self.pillars, self.indicators):
            for r in t.to_dict("records"):
                rows.append({"code": r["code"], "type": r.get("type", "index") if isinstance(r.get("type"), str) else "index",
                             "direction": r.get("direction", 1) if r.get("direction") in (1, -1) else 1,
                             **{k: r.get(k) for k in LEAF_PARAMS}})
        df = pd.DataFrame(rows).set_index("code")
        for k in LEAF_PARAMS:
            df[k] = pd.to_numeric(df[k], errors="coerce")
        return df.reindex(self.leaves)

    def declared(self, stage: str) -> dict[str, Any]:
        """What the YAML declares for a stage (normalisation, weights, aggregation):
        ``{"default": spec or None, "levels": {level: spec}, "base": …}`` with aliases resolved."""
        block = self.meta.get(stage)
        out: dict[str, Any] = {"default": None, "levels": {}, "base": None}
        if block is None:
            return out
        if isinstance(block, str):
            block = {"method": block}
        if not isinstance(block, dict):
            raise FrameworkError(f"'{stage}' must be a method name or a mapping", file=self.file, column=stage)
        opts = {k: v for k, v in block.items() if k not in (*NOTE_KEYS, "method", "levels", "base", "indicator_to_pillar", "pillar_to_index")}

        def spec(m: Any, with_opts: bool = False) -> Any:
            m = _alias(m)
            if isinstance(m, dict):
                return m
            return {"method": m, **opts} if opts and with_opts else m

        if block.get("method") is not None:
            out["default"] = spec(block["method"], with_opts=True)
        if stage == "aggregation":
            if block.get("indicator_to_pillar") is not None:
                out["levels"][2] = spec(block["indicator_to_pillar"])
            if block.get("pillar_to_index") is not None:
                out["levels"][self.depth] = spec(block["pillar_to_index"])
        for k, m in (block.get("levels") or {}).items():
            try:
                out["levels"][int(k)] = spec(m)
            except (TypeError, ValueError):
                raise FrameworkError(f"'{stage}.levels' keys are level numbers (1 = indicators)", file=self.file,
                                     column=f"{stage}.levels", got=k) from None
        out["base"] = block.get("base")
        return out

    def node_method(self, code: str, stage: str) -> Any:
        """A method a node declares for itself (``aggregation`` on a pillar, ``normalisation`` on an indicator)."""
        for t in (self.pillars, self.indicators):
            if stage in t.columns:
                hit = t.loc[t["code"] == code, stage]
                if len(hit) and isinstance(hit.iat[0], str | dict):
                    m = hit.iat[0]
                    return _alias(m)
        return None

    def without(self, codes: list[str] | tuple[str, ...]) -> Framework:
        """A copy without these nodes (and everything under them); a pillar left with no children goes too."""
        import difflib

        par = self.parents
        allc = list(par)
        unknown = [c for c in codes if c not in par]
        if unknown:
            raise FrameworkError(f"cannot drop {unknown[0]!r}: not a node of framework '{self.name}'", file=self.file,
                                 suggestion=difflib.get_close_matches(unknown[0], allc, n=3) or None)
        gone = set(codes)
        changed = True
        while changed:  # descendants of dropped nodes
            changed = False
            for c, p in par.items():
                if p in gone and c not in gone:
                    gone.add(c)
                    changed = True
        had_children = set(par.values())
        changed = True
        while changed:  # pillars emptied by the drop
            changed = False
            for c in self.pillar_codes:
                if c in had_children and c not in gone and not [k for k, p in par.items() if p == c and k not in gone]:
                    gone.add(c)
                    changed = True
        ind = self.indicators[~self.indicators["code"].isin(gone)].reset_index(drop=True)
        pil = self.pillars[~self.pillars["code"].isin(gone)].reset_index(drop=True)
        if not len(ind) and not len(pil):
            raise FrameworkError(f"dropping {', '.join(codes)} leaves framework '{self.name}' empty", file=self.file)
        return Framework(self.name, ind, pil, dict(self.meta), self.file, list(self.notes))

    def indicator_weights(self) -> pd.Series:
        """Weight of each indicator among its siblings (equal where unpublished)."""
        return self.weights_within_parent().reindex(self.indicator_codes).rename("weight")

    def pillar_weights(self) -> pd.Series:
        """Weights of the nodes just below the index (sum to 1; equal where unpublished)."""
        return self.weights_within_parent().reindex(self.children(self.index_code)).rename("weight")

    def directions(self) -> pd.Series:
        return self.indicators.set_index("code")["direction"].astype(int)

    def types(self) -> pd.Series:
        return self.indicators.set_index("code")["type"]

    def sub_indices(self) -> dict[str, list[str]]:
        return {s["code"]: list(s["members"]) for s in self.meta.get("sub_indices", []) or []}

    def check_data(self, columns: list[str], file: str | None = None) -> None:
        """Leaves (indicators, and pillars measured directly) in the data but not in the framework, and vice versa, are errors."""
        import difflib

        have = set(columns)
        leaves = self.leaves
        missing = [c for c in leaves if c not in have]
        extra = sorted(have - set(leaves))
        if extra:
            sug = [m for e in extra for m in difflib.get_close_matches(e, leaves, n=1)]
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

    def summary(self) -> str:
        """The tree, one line per aggregate node with its children and their weights."""
        w = self.weights_within_parent()
        lev = self.levels
        lines = [f"Framework {self.name}: depth {self.depth}, {len(self.pillars)} aggregate node(s), {len(self.leaves)} indicator(s)"]
        for n in reversed(self.internal_nodes):
            label = self.label(n) if n != self.index_code else str((self.meta.get("index") or {}).get("name", n))
            lines.append(f"  {'  ' * (self.depth - lev[n])}{n} {label} (level {lev[n]}"
                         + (f", w={w[n]:.4f}" if n in w.index else "") + "): "
                         + ", ".join(f"{c} ({w[c]:.3f})" for c in self.children(n)))
        return "\n".join(lines)

    def with_changes(self, **changes: Any) -> Framework:
        """A copy with leaf attributes changed, e.g. ``with_changes(type={"INF03": "count"})``; an
        unknown code, or a type other than count/index, is an error."""
        import difflib

        ind, pil = self.indicators.copy(), self.pillars.copy()
        leaves = self.leaves
        for col, mapping in changes.items():
            for code, val in mapping.items():
                if code not in leaves:
                    raise FrameworkError(f"cannot change {col} of {code!r}: not an indicator of framework '{self.name}'", file=self.file,
                                         suggestion=difflib.get_close_matches(str(code), leaves, n=3) or leaves[:8])
                if col == "type" and val not in TYPES:
                    raise FrameworkError(f"type of {code} cannot be {val!r}", file=self.file, column="type", expected=" | ".join(TYPES))
                t = ind if code in set(ind["code"]) else pil
                if col not in t.columns:
                    t[col] = None
                t.loc[t["code"] == code, col] = val
        return Framework(self.name, ind, pil, dict(self.meta), self.file, list(self.notes))


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
    import difflib

    top = str((fw.meta.get("index") or {}).get("code") or "index")
    if top in codes:
        raise FrameworkError(f"code {top!r} is the index's own code; give the node another code", file=f)
    known = set(pil["code"]) | {top}
    if len(ind):
        if "parent" not in ind.columns:
            raise FrameworkError("indicators need a 'parent' (their pillar)", file=f)
        for r in ind.itertuples():
            if r.parent not in known:
                raise FrameworkError(
                    f"indicator {r.code} has unknown parent {r.parent!r}", file=f, column="parent",
                    expected=f"a pillar code (or {top!r}, the index)", suggestion=difflib.get_close_matches(str(r.parent), sorted(known), n=3) or None,
                )
    if "parent" in pil.columns:
        for r in pil.itertuples():
            if isinstance(r.parent, str) and r.parent and r.parent not in known:
                raise FrameworkError(f"pillar {r.code} has unknown parent {r.parent!r}", file=f, column="parent",
                                     expected=f"another pillar's code (or {top!r}, the index)",
                                     suggestion=difflib.get_close_matches(str(r.parent), sorted(known), n=3) or None)
    if len(ind):
        ind["direction"] = ind["direction"].fillna(1) if "direction" in ind.columns else 1
        ind["direction"] = [int(v) if isinstance(v, int | float) and v in (1, -1) else v for v in ind["direction"]]
        for r in ind.itertuples():
            if r.direction not in (1, -1):
                raise FrameworkError(f"indicator {r.code} has direction {r.direction!r}", file=f, column="direction",
                                     expected="+1 (positive indicator) or -1 (negative indicator)")
        ind["type"] = ind["type"].fillna("index") if "type" in ind.columns else "index"
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
    # weights per group of siblings
    par = fw.parents
    allw = pd.concat([pil[["code", "weight"]], ind[["code", "weight"]]], ignore_index=True)
    allw["parent"] = allw["code"].map(par)
    groups = [("pillars" if p == top else f"pillar {p}", sub) for p, sub in allw.groupby("parent", sort=False)]
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
