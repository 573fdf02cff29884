"""The result of one build (COINr's ``coin``): every stage, the fitted steps, the recipe and a log.

``regen(**changes)`` replays the build from the ORIGINAL data and framework with some options
changed, so a change can always be undone (``b.regen(drop=["INF02"]).regen(drop=[])`` equals
``b``); ``compare(other)`` sets two builds side by side; ``summary()`` prints as text and renders
as HTML (in a notebook) and LaTeX (``summary().as_latex()``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dgkit.paths import display_path


@dataclass
class Summary:
    """Titled sections of (key, value) rows; printable, with ``as_text``, ``as_html``, ``as_latex``."""

    title: str
    sections: list[tuple[str, list[tuple[str, str]]]]
    notes: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        width = max((len(k) for _, rows in self.sections for k, _ in rows), default=8)
        out = [self.title, "=" * len(self.title)]
        for head, rows in self.sections:
            out.append(head)
            out += [f"  {k:<{width}}  {v}" for k, v in rows]
        if self.notes:
            out.append("Log")
            out += [f"  - {n}" for n in self.notes]
        return "\n".join(out)

    def as_html(self) -> str:
        e = html.escape
        parts = [f"<table><caption><b>{e(self.title)}</b></caption>"]
        for head, rows in self.sections:
            parts.append(f"<tr><th colspan='2' style='text-align:left'>{e(head)}</th></tr>")
            parts += [f"<tr><td>{e(k)}</td><td style='text-align:left'>{e(v)}</td></tr>" for k, v in rows]
        parts.append("</table>")
        if self.notes:
            parts.append("<details><summary>Log</summary><ul>" + "".join(f"<li>{e(n)}</li>" for n in self.notes) + "</ul></details>")
        return "".join(parts)

    def as_latex(self) -> str:
        from dgkit.report.latex import escape as tex
        lines = [r"\begin{table}[htbp]", r"\centering", f"\\caption{{{tex(self.title)}}}", r"\begin{tabular}{ll}", r"\hline"]
        for head, rows in self.sections:
            lines.append(f"\\multicolumn{{2}}{{l}}{{\\textbf{{{tex(head)}}}}} \\\\")
            lines += [f"{tex(k)} & {tex(v)} \\\\" for k, v in rows]
            lines.append(r"\hline")
        lines += [r"\end{tabular}", r"\end{table}"]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.as_text()

    def __repr__(self) -> str:
        return self.as_text()

    def _repr_html_(self) -> str:  # pragma: no cover - notebooks
        return self.as_html()


@dataclass
class Comparison:
    """Two builds of the same units side by side (``compare``)."""

    table: pd.DataFrame
    recipe_changes: dict[str, tuple[Any, Any]]
    period: Any

    @property
    def mean_abs_rank_change(self) -> float:
        return float(self.table["rank_change"].abs().mean())

    def summary(self) -> Summary:
        rows = [(k, f"{a if a is not None else '—'} → {b if b is not None else '—'}") for k, (a, b) in self.recipe_changes.items()] \
            or [("(none)", "the same recipe")]
        t = self.table
        moved = t[t["rank_change"] != 0]
        stats = [("units", str(len(t))), ("units whose rank changes", str(len(moved))),
                 ("mean |rank change|", f"{self.mean_abs_rank_change:.2f}"),
                 ("largest |rank change|", f"{int(t['rank_change'].abs().max())}" if len(t) else "—"),
                 ("Spearman ρ of the two indices", f"{t['index_a'].corr(t['index_b'], method='spearman'):.4f}")]
        return Summary(f"Comparison of two builds, period {self.period}", [("What changed", rows), ("Effect", stats)])

    def _repr_html_(self) -> str:  # pragma: no cover - notebooks
        return self.summary().as_html() + self.table.to_html()


@dataclass
class Build:
    """Every stage of one build; see the module docstring and :func:`dgkit.build`."""

    framework: Any
    framework_original: Any
    options: dict[str, Any]
    data: Any
    panel: pd.DataFrame
    synthetic: bool
    dataset: Any
    raw: pd.DataFrame
    imputed: pd.DataFrame
    treated: pd.DataFrame
    normalised: pd.DataFrame
    scores: pd.DataFrame
    weights: pd.Series
    index: pd.Series
    ranks: pd.Series
    steps: dict[str, Any]
    audits: dict[Any, Any]
    impute_log: pd.DataFrame
    treat_log: pd.DataFrame
    log: list[str]
    base: str = "per_period"
    base_period: Any = None

    # ------------------------------------------------------------ views
    @property
    def periods(self) -> list[Any]:
        return sorted(self.index.index.get_level_values("period").unique())

    @property
    def units(self) -> list[str]:
        return list(self.index.index.get_level_values("unit_id").unique())

    @property
    def top_nodes(self) -> list[str]:
        """The nodes aggregated into the index (the pillars of a three-level framework)."""
        return self.framework.children(self.framework.index_code)

    @property
    def pillars(self) -> pd.DataFrame:
        """Scores of the nodes just below the index (for a leaf there, its normalised value)."""
        both = pd.concat([self.normalised, self.scores], axis=1)
        return both[self.top_nodes]

    @property
    def indicator_weights(self) -> pd.Series:
        """Weight of every indicator among its siblings."""
        return self.weights.reindex(self.framework.leaves).rename("weight")

    @property
    def pillar_weights(self) -> pd.Series:
        """Weight of every node just below the index."""
        return self.weights.reindex(self.top_nodes).rename("weight")

    @property
    def overall_weights(self) -> pd.Series:
        """Each indicator's weight in the index: the product of its weights up the tree."""
        par = self.framework.parents
        top = self.framework.index_code
        out = {}
        for c in self.framework.leaves:
            w, node = 1.0, c
            while node != top:
                w *= float(self.weights[node])
                node = par[node]
            out[c] = w
        return pd.Series(out, name="overall_weight")

    @property
    def additive(self) -> bool:
        """True when the index is a weighted arithmetic mean of the indicators (contributions add up)."""
        return all(getattr(s, "name", "") in ("arithmetic", "none") for s in self.steps["aggregate"].values()) and not self.steps["normalise_level"]

    @property
    def contributions(self) -> pd.DataFrame:
        """Each indicator's part of the index in index points, ``w_overall·z / Σ_available w_overall``:
        the parts of a unit add up to its index (exact with arithmetic means; NaN otherwise)."""
        Z = self.normalised
        if not self.additive:
            return pd.DataFrame(np.nan, index=Z.index, columns=Z.columns)
        ow = self.overall_weights.reindex(Z.columns)
        return Z.mul(ow, axis=1).div(Z.notna().mul(ow, axis=1).sum(axis=1), axis=0)

    def recipe(self) -> pd.DataFrame:
        """One row per step: stage, level/node, method and options (what ``regen`` replays)."""
        rows = []
        lev = self.framework.levels

        def one(stage: str, where: str, st: Any) -> None:
            if isinstance(st, dict):
                st = next(iter(st.values()), None)
            if st is None:
                return
            if st == "given":
                rows.append({"stage": stage, "where": where, "method": "given (node_weights)", "options": ""})
                return
            rows.append({"stage": stage, "where": where, "method": st.name,
                         "options": ", ".join(f"{k}={v!r}" for k, v in st.get_params().items())})

        one("impute", "all", self.steps["impute"])
        one("treat", "all", self.steps["treat"])
        first: dict[str, Any] = {}  # one row per group of indicators sharing a normalisation
        for (label, _), st in self.steps["normalise"].items():
            first.setdefault(label, st)
        fit = f"fitted on base period {self.base_period}" if self.base_period is not None else "fitted per period"
        for label, st in first.items():
            rows.append({"stage": "normalise", "where": "level 1" + (f": {label}" if len(first) > 1 else ""),
                         "method": st.name, "options": ", ".join([*(f"{k}={v!r}" for k, v in st.get_params().items()), fit])})
        for lv in sorted({lev[n] for n in self.framework.internal_nodes}):
            nodes = [n for n in self.framework.internal_nodes if lev[n] == lv]
            for stage, key in (("weight", "weight"), ("aggregate", "aggregate")):
                by: dict[str, list[str]] = {}
                for n in nodes:
                    st = self.steps[key][n]
                    by.setdefault("given" if st == "given" else repr(st.spec()), []).append(n)
                for _, ns in by.items():
                    one(stage, f"level {lv}: {', '.join(ns)}", self.steps[key][ns[0]])
        one("rank", "each period", self.steps["rank"])
        return pd.DataFrame(rows)

    def fitted(self, stage: str = "normalise") -> dict[Any, dict[str, Any]]:
        """The fitted parameters of a stage's steps, e.g. ``fitted("normalise")[(method, period)]["mean"]``."""
        st = self.steps[stage]
        if not isinstance(st, dict):
            return {"all": st.fitted_}
        return {k: (v.fitted_ if hasattr(v, "fitted_") else v) for k, v in st.items()}

    def table(self, period: Any = None, lang: str = "zh") -> pd.DataFrame:
        """Ranking table of one period: name, top-level scores, index, rank (sorted by rank)."""
        p = self.periods[-1] if period is None else period
        P = self.pillars.xs(p, level="period").copy()
        P.columns = [self.framework.label(c, lang) for c in P.columns]
        out = P.assign(index=self.index.xs(p, level="period"), rank=self.ranks.xs(p, level="period"))
        out.insert(0, "name", [self.unit_name(u, lang) for u in out.index])
        return out.sort_values(["rank", "index"], ascending=[True, False])

    def framework_table(self, lang: str = "zh") -> pd.DataFrame:
        """Every indicator: code, name (in ``lang``), parent, direction, weight within its parent
        and overall weight in the index (as this build used them)."""
        fw = self.framework
        ind = fw.indicators.set_index("code")
        rows = [{"code": c, "name": fw.label(c, lang), "parent": fw.label(str(ind.at[c, "parent"]), lang) if "parent" in ind else "",
                 "direction": ind.at[c, "direction"] if "direction" in ind else "", "weight_in_parent": self.indicator_weights.get(c),
                 "weight_in_index": self.overall_weights.get(c)} for c in fw.leaves if c in ind.index]
        return pd.DataFrame(rows)

    def audit_table(self, period: Any = None) -> pd.DataFrame:
        """The data audit of one period: per indicator n, missing share, skew, kurtosis, outliers …"""
        p = self.periods[-1] if period is None else period
        return self.audits[p].indicators.rename_axis("indicator").reset_index()

    def log_table(self) -> pd.DataFrame:
        """Every imputed or treated cell (step, unit, period, indicator, before → after)."""
        parts = [t.assign(step=name) for name, t in (("impute", self.impute_log), ("treat", self.treat_log)) if len(t)]
        if not parts:
            return pd.DataFrame(columns=["step", "unit_id", "period", "indicator", "before", "after"])
        out = pd.concat(parts, ignore_index=True)
        return out[["step", *[c for c in out.columns if c != "step"]]]

    def unit_name(self, unit: str, lang: str = "zh") -> str:
        if self.dataset is not None:
            return str(self.dataset.unit_names(lang).get(unit, unit))
        from dgkit.units import display_name

        return display_name(unit, "province", lang)

    # ------------------------------------------------------------ verbs
    def regen(self, **changes: Any) -> Build:
        """The same build with some options changed, replayed from the original data and framework.
        An option set to None returns to its default."""
        from dgkit.pipeline.build import check_options, run

        merged = {**self.options, **changes}
        if changes.get("base") == "per_period" and "base_period" not in changes:
            merged.pop("base_period", None)  # back to per-period fitting: the base period goes with it
        opts = {k: v for k, v in merged.items() if v is not None}
        return run(self.panel, self.framework_original, check_options(opts), data=self.data, synthetic=self.synthetic, dataset=self.dataset,
                   prior=(tuple(self.raw.columns), self.audits))

    def compare(self, other: Build, period: Any = None) -> Comparison:
        """Index and rank of this build beside another, the rank change (other − this) and what changed."""
        p = self.periods[-1] if period is None else period
        a, b = self.index.xs(p, level="period"), other.index.xs(p, level="period")
        ra, rb = self.ranks.xs(p, level="period"), other.ranks.xs(p, level="period")
        df = pd.DataFrame({"index_a": a, "index_b": b, "rank_a": ra, "rank_b": rb})
        df["rank_change"] = (df["rank_b"] - df["rank_a"]).astype("Int64")
        def steps(b: Build) -> dict[str, str]:
            return {f"{r.stage} [{r.where}]": r.method + (f" ({r.options})" if r.options else "") for r in b.recipe().itertuples()}

        ra, rb = steps(self), steps(other)
        diff: dict[str, tuple[Any, Any]] = {k: (ra.get(k), rb.get(k)) for k in dict.fromkeys([*ra, *rb]) if ra.get(k) != rb.get(k)}
        for k in ("periods", "drop", "types", "node_weights"):
            if self.options.get(k) != other.options.get(k):
                diff[k] = (self.options.get(k), other.options.get(k))
        if self.framework_original is not other.framework_original:
            diff["framework"] = (self.framework_original.name, other.framework_original.name)
        return Comparison(df.sort_values("rank_a"), diff, p)

    def summary(self) -> Summary:
        fw = self.framework
        lev = fw.levels
        p = self.periods[-1]
        s = self.index.xs(p, level="period")
        top = self.table(p).head(5)
        periods = self.periods
        data = [("framework", f"{fw.name} ({display_path(fw.file)})"),
                ("data", ("SYNTHETIC — " if self.synthetic else "") + (self.dataset.name if self.dataset is not None else "a table")),
                ("units × periods", f"{len(self.units)} × {len(periods)} ({periods[0]}–{periods[-1]})" if len(periods) > 1 else f"{len(self.units)} × 1 ({p})"),
                ("tree", f"{len(fw.leaves)} indicators → " + " → ".join(
                    f"{sum(1 for n in fw.internal_nodes if lev[n] == lv)} node(s)" for lv in range(2, fw.depth + 1)))]
        recipe = [(f"{r.stage} [{r.where}]", r.method + (f" ({r.options})" if r.options else "")) for r in self.recipe().itertuples()]
        res = [("mean / sd", f"{s.mean():.3f} / {s.std(ddof=0):.3f} (population sd)"), ("min – max", f"{s.min():.3f} – {s.max():.3f}"),
               ("top 5", ", ".join(f"{r.name} {r.index:.2f}" for r in top.itertuples()))]
        title = f"Composite index '{fw.name}'" + (" — SYNTHETIC DATA" if self.synthetic else "")
        return Summary(title, [("Data", data), ("Recipe", recipe), (f"Index, period {p}", res)], list(self.log))

    def _repr_html_(self) -> str:  # pragma: no cover - notebooks
        return self.summary().as_html()

    def __repr__(self) -> str:
        return f"<dgkit Build {self.framework.name}: {len(self.units)} units × {len(self.periods)} period(s); .summary() for the recipe>"
