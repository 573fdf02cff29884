"""Indicator frameworks: indicator → … → index, of any depth, with weights, directions, types and methods.

A framework is read from a YAML in ``data/frameworks/`` (or any path, a dict or a DataFrame) and
validated before use: unknown parents, cycles, duplicate codes, directions other than ±1, types
other than ``count``/``index`` and weights that do not sum to 1 within a group are errors that say
where and by how much. Missing (``null``) weights mean "not published": the group is then
equal-weighted and the build log says so. Weights are normalised only when asked
(``normalise_weights=True``).

**Entries are read exactly.** A weight may be a number, a fraction (``"1/3"``) or a percentage
(``60%`` → 0.6, noted in ``Framework.notes``); a weight of 0 is kept and noted (the node does
not count; a group whose weights are all 0 is refused by the sum); a weight that is text,
true/false, NaN, infinite or negative is refused with the node's code (never replaced by equal
weights). A direction may be ±1 or spelt ``+``/``-``, ``positive``/``negative``, ``正向``/``负向``
(noted); anything else, true/false included, is refused with the valid spellings. Codes and
parents are text (a YAML ``code: 1.10`` is kept as "1.10"). Refused as well: an empty framework,
an entry without a code, an indicator without a parent or whose parent is an indicator, and — in
a framework with indicators — a pillar that no node names as its parent.

**The tree.** ``indicators`` are the measured leaves (``parent``: a pillar, or the index).
``pillars`` are every aggregate node; a pillar's ``parent`` names the node above it (default: the
index), so depth is free: indicator → sub-pillar → pillar → index. In a framework without
indicators the pillars are themselves measured (leaves: e.g. the UN's OSI, HCI, TII). Levels
count from the leaves: level 1 = indicators, level n = nodes built from level n − 1 and below;
the index is the top level.

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
        """+1 / -1 per indicator (a framework without indicators has none)."""
        t = self.indicators.set_index("code")
        return (t["direction"] if "direction" in t.columns else pd.Series(1, index=t.index, name="direction")).astype(int)

    def types(self) -> pd.Series:
        """count / index per indicator."""
        t = self.indicators.set_index("code")
        return t["type"] if "type" in t.columns else pd.Series("index", index=t.index, name="type", dtype=object)

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


DIRECTIONS = {"+": 1, "+1": 1, "1": 1, "positive": 1, "pos": 1, "正": 1, "正向": 1, "正指标": 1,
              "-": -1, "-1": -1, "negative": -1, "neg": -1, "负": -1, "负向": -1, "逆向": -1, "负指标": -1, "反向": -1}


def _code(v: Any, what: str, column: str, file: str | None) -> str:
    """A node code (or parent) as text: whole numbers become their digits; true/false, fractions,
    empty or missing are refused (``code: 1.10`` in a YAML is kept as the text "1.10" when loading)."""
    if isinstance(v, str) and v.strip():
        return v.strip()
    if isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_):
        return str(int(v))
    if v is None or (isinstance(v, float) and np.isnan(v)) or isinstance(v, str):
        raise FrameworkError(f"{what} is missing", file=file, column=column, expected="a code (text, e.g. INF01)")
    raise FrameworkError(f"{what} is not text", file=file, column=column, expected=f'a code written as text; quote it: "{v}"', got=v)


def _weight(v: Any, code: str, kind: str, file: str | None, notes: list[str], nan_is_missing: bool = False) -> float:
    """A published weight, parsed exactly: a number, a fraction ``"1/3"`` or a percentage ``60%``
    (→ 0.6, noted); null means "not published" (and NaN, from a DataFrame, with ``nan_is_missing``);
    0 is kept and noted (the node does not count); anything else, and negative, NaN or ∞ weights, are refused."""
    import unicodedata
    from fractions import Fraction

    want = 'a number ≥ 0 such as 0.25, a fraction such as "1/3", a percentage such as 60%, or null (not published)'
    if v is None:
        return np.nan
    if isinstance(v, bool | np.bool_):
        raise FrameworkError(f"weight of {kind} {code} is true/false", file=file, column="weight", expected=want, got=v)
    if isinstance(v, str):
        text = unicodedata.normalize("NFKC", v).strip().replace(" ", "")
        pct = text.endswith("%")
        try:
            x = Fraction(text[:-1] if pct else text) / (100 if pct else 1)
        except (ValueError, ZeroDivisionError):
            raise FrameworkError(f"weight of {kind} {code} is not a number", file=file, column="weight", expected=want, got=v) from None
        if pct:
            notes.append(f"weight of {kind} {code} given as a percentage: {v} read as {float(x):g}")
        val = float(x)
    elif isinstance(v, int | float | np.integer | np.floating):
        val = float(v)
    else:
        raise FrameworkError(f"weight of {kind} {code} is not a number", file=file, column="weight", expected=want, got=v)
    if np.isnan(val) and nan_is_missing:
        return np.nan
    if not np.isfinite(val):
        raise FrameworkError(f"weight of {kind} {code} is {v!s}", file=file, column="weight", expected=want, got=v)
    if val < 0:
        raise FrameworkError(f"negative weight of {kind} {code}", file=file, column="weight", expected=want, got=v)
    if val == 0:
        notes.append(f"weight 0 for {kind} {code}: it is kept in the framework but does not count in its group")
    return val


def _direction(v: Any, code: str, file: str | None, notes: list[str]) -> Any:
    """+1 / -1 from the usual spellings (+, -, positive, negative, 正向, 负向 …); anything else is kept
    for :func:`validate` to refuse with the valid spellings."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return 1
    if isinstance(v, bool | np.bool_):
        return v
    if isinstance(v, int | float | np.integer | np.floating) and v in (1, -1):
        return int(v)
    if isinstance(v, str) and v.strip().lower() in DIRECTIONS:
        d = DIRECTIONS[v.strip().lower()]
        if v.strip() not in ("1", "-1", "+1"):
            notes.append(f"direction of {code}: {v!r} read as {d:+d}")
        return d
    return v


def _entries(d: dict[str, Any], key: str, file: str | None) -> list[dict[str, Any]]:
    items = d.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise FrameworkError(f"'{key}' must be a list of entries (one mapping per node)", file=file, column=key,
                             expected="- {code: …, name: …, parent: …, weight: …}", got=items)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise FrameworkError(f"{key}[{i}] must be a mapping", file=file, column=f"{key}[{i}]",
                                 expected="{code: …, name: …, parent: …, weight: …}", got=item)
    return items


def _as_frame(items: list[dict[str, Any]], kind: str, file: str | None, notes: list[str] | None = None,
              nan_is_missing: bool = False) -> pd.DataFrame:
    """The entries of ``indicators`` or ``pillars`` as a table; codes, parents, weights and
    directions checked entry by entry (each error names the code)."""
    notes = notes if notes is not None else []
    if not items:
        return pd.DataFrame(columns=["code", "name", "name_en", "weight"])
    rows = []
    for i, item in enumerate(items):
        r = dict(item)
        r["code"] = _code(r.get("code"), f"the code of {kind} entry {i + 1}", "code", file)
        c = r["code"]
        if not isinstance(r.get("name"), str) or not r["name"].strip():
            if r.get("name") is None:
                raise FrameworkError(f"{kind} entries need a 'name' ({kind} {c} has none)", file=file, column="name",
                                     expected="a display name, e.g. name: 基础设施")
            r["name"] = str(r["name"])
        if isinstance(r.get("parent"), str) and not r["parent"].strip():
            r["parent"] = None  # an empty parent: none (a pillar's is then the index)
        if r.get("parent") is not None:
            r["parent"] = _code(r["parent"], f"the parent of {kind} {c}", "parent", file)
        if "weight" in r:
            r["weight"] = _weight(r["weight"], c, kind, file, notes, nan_is_missing)
        if "direction" in r:
            r["direction"] = _direction(r["direction"], c, file, notes)
        rows.append(r)
    df = pd.DataFrame(rows)
    if "name_en" not in df.columns:
        df["name_en"] = df["name"]
    if "weight" not in df.columns:
        df["weight"] = np.nan
    df["weight"] = df["weight"].astype(float)
    return df


def validate(fw: Framework, normalise_weights: bool = False) -> Framework:
    """Check a framework; raise FrameworkError naming the item and the problem."""
    f = fw.file
    ind, pil = fw.indicators, fw.pillars
    codes = list(ind["code"]) + list(pil["code"])
    if not codes:
        raise FrameworkError(f"framework '{fw.name}' has no indicators and no pillars", file=f, column="indicators",
                             expected="indicators: [{code, name, parent, …}] (the measured leaves) and/or pillars: [{code, name, …}]")
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise FrameworkError(f"duplicate code(s): {', '.join(dup)}", file=f, column="code", expected="each code once")
    import difflib

    top = str((fw.meta.get("index") or {}).get("code") or "index")
    if top in codes:
        raise FrameworkError(f"code {top!r} is the index's own code; give the node another code", file=f, column="code")
    known = set(pil["code"]) | {top}
    leaves_given = set(ind["code"])
    pillars_hint = ", ".join(sorted(known - {top})[:8]) or "none"
    if len(ind):
        no_parent = [r.code for r in ind.itertuples()] if "parent" not in ind.columns else \
            [r.code for r in ind.itertuples() if not isinstance(r.parent, str)]
        if no_parent:
            raise FrameworkError(f"indicator {no_parent[0]} has no 'parent' (its pillar)"
                                 + (f", nor {len(no_parent) - 1} other indicator(s)" if len(no_parent) > 1 else ""),
                                 file=f, column="parent", expected=f"a pillar code ({pillars_hint}) or {top!r} (the index)")
        for r in ind.itertuples():
            if r.parent in leaves_given:
                raise FrameworkError(f"indicator {r.code} has the indicator {r.parent!r} as its parent", file=f, column="parent",
                                     expected=f"a pillar code ({pillars_hint}) or {top!r}; an indicator is a measured leaf: "
                                              f"to nest under {r.parent!r}, list it under pillars")
            if r.parent not in known:
                raise FrameworkError(
                    f"indicator {r.code} has unknown parent {r.parent!r}", file=f, column="parent",
                    expected=f"a pillar code (or {top!r}, the index)", suggestion=difflib.get_close_matches(str(r.parent), sorted(known), n=3) or None,
                )
    if "parent" in pil.columns:
        for r in pil.itertuples():
            if isinstance(r.parent, str) and r.parent in leaves_given:
                raise FrameworkError(f"pillar {r.code} has the indicator {r.parent!r} as its parent", file=f, column="parent",
                                     expected=f"another pillar's code or {top!r} (the index); indicators are leaves")
            if isinstance(r.parent, str) and r.parent and r.parent not in known:
                raise FrameworkError(f"pillar {r.code} has unknown parent {r.parent!r}", file=f, column="parent",
                                     expected=f"another pillar's code (or {top!r}, the index)",
                                     suggestion=difflib.get_close_matches(str(r.parent), sorted(known), n=3) or None)
    if len(ind):
        used = set(ind["parent"]) | ({p for p in pil["parent"] if isinstance(p, str)} if "parent" in pil.columns else set())
        empty = [c for c in pil["code"] if c not in used]
        if empty:
            raise FrameworkError(f"pillar {empty[0]} has no indicators: no indicator or pillar names {empty[0]!r} as its parent", file=f,
                                 column="parent", expected=f"indicators with parent: {empty[0]}, or no pillar {empty[0]} (a framework "
                                 "measured at the pillar level, like un_egdi, has no indicators at all)")
        ind["direction"] = ind["direction"].fillna(1) if "direction" in ind.columns else 1
        ind["direction"] = [int(v) if isinstance(v, int | float) and not isinstance(v, bool) and v in (1, -1) else v for v in ind["direction"]]
        for r in ind.itertuples():
            if isinstance(r.direction, bool) or r.direction not in (1, -1):
                raise FrameworkError(f"indicator {r.code} has direction {r.direction!r}", file=f, column="direction",
                                     expected="+1 (positive indicator) or -1 (negative indicator); also read: + / -, positive / negative, "
                                              "正向 / 负向")
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
    notes: list[str] = []
    nan_is_missing = isinstance(source, pd.DataFrame)
    if isinstance(source, pd.DataFrame):
        df = source.copy()
        if "level" not in df.columns:
            raise FrameworkError("a framework DataFrame needs a 'level' column (indicator or pillar)", column="level")
        d = {
            "name": df.attrs.get("name", "custom"),
            "pillars": df[df["level"] == "pillar"].drop(columns=["level"]).to_dict("records"),
            "indicators": df[df["level"] == "indicator"].drop(columns=["level"]).to_dict("records"),
        }
        for entries in (d["pillars"], d["indicators"]):  # a DataFrame's empty cells are missing values
            for e in entries:
                for k in [k for k, v in e.items() if k != "weight" and isinstance(v, float) and np.isnan(v)]:
                    e[k] = None
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
        d = safe_load_yaml(p, kind="framework", notes=notes)
        file = str(p)
    if not isinstance(d, dict):
        raise FrameworkError("a framework must be a mapping", file=file, column="framework",
                             expected="keys such as name:, pillars:, indicators:", got=type(d).__name__)
    ind = _as_frame(_entries(d, "indicators", file), "indicator", file, notes, nan_is_missing)
    pil = _as_frame(_entries(d, "pillars", file), "pillar", file, notes, nan_is_missing)
    if not isinstance(d.get("index") or {}, dict):
        raise FrameworkError("'index' must be a mapping", file=file, column="index", expected="{code: …, name: …}", got=d.get("index"))
    meta = {k: v for k, v in d.items() if k not in ("indicators", "pillars")}
    fw = Framework(str(d.get("name", "custom")), ind.reset_index(drop=True), pil.reset_index(drop=True), meta, file, notes)
    return validate(fw, normalise_weights=normalise_weights)
