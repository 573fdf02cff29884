"""The Recorder writes a notebook's figures, tables and facts, with provenance.

It knows nothing about chapters: it is given an output folder, a prefix for the file names, the
edition's language and labels, the default source (citation) and whether the data are synthetic.
Every output built on synthetic data says so (figure stamp, table caption, fact sentence). A
:class:`~dgkit.stats.Missing` handed to any method becomes a stated skip, shown in the notebook
and listed in ``skips/<prefix>.json`` (the report index shows it).

Files: ``figures/<prefix>__<name>.<fmt>`` (PNG at 300 dpi and the params' formats),
``tables/<prefix>__<name>.csv`` and ``.tex``, ``facts/<prefix>.json``, ``skips/<prefix>.json``.
Every file is written atomically and readable by others (mode 644).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dgkit.plotting.style import SYNTH_TAG
from dgkit.report.files import atomic_write_bytes
from dgkit.report.labels import Labels
from dgkit.report.language import ID_KEYS, has_cjk
from dgkit.report.tablewriter import write_table
from dgkit.stats.result import Missing

# the methods a chapter's findings rest on, by the catalogue's fact key → bibliography keys: the
# sentence cites them beside its data, and they enter the report's reference list
METHOD_CITES: dict[str, tuple[str, ...]] = {
    "dagum": ("dagum1997",), "lisa": ("anselin1995",), "moran": ("moran1950",), "markov": ("rey2001",),
    "spatial_markov": ("rey2001",), "sobol": ("saltelli2010", "jansen1999"), "rank_intervals": ("oecd2008",),
    "leave_one_out": ("oecd2008",), "coherence": ("cronbach1951", "oecd2008"), "entropy_topsis": ("hwang1981",),
    "kappa": ("cohen1968",), "kernel_density": ("silverman1986", "scott1992"), "theil": ("theil1967",),
    "regions_theil": ("theil1967",), "pillar_echelons": ("jenks1967",), "beta_absolute": ("barro1992",),
    "beta_conditional": ("barro1992",), "sigma_convergence": ("barro1992",), "rank_mobility": ("kendall1939",),
    "build_variant": ("oecd2008",),
}
DISPLAY_ROWS = 40  # rows of a long table shown in the notebook (first and last 20)
# columns that hold identifiers (codes, keys): shown as they are, in no language (the language scanner skips them too)
ID_COLUMNS = ID_KEYS


def _clean(v: Any) -> Any:
    """JSON-safe, rounded, deterministic values."""
    if isinstance(v, float | np.floating):
        return None if not np.isfinite(v) else round(float(v), 6)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_clean(x) for x in v]
    if isinstance(v, pd.Series):
        return _clean(v.to_dict())
    return v


def _display(obj: Any) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display(obj)
    except ImportError:  # pragma: no cover
        pass


class Recorder:
    """Write figures, tables and facts of one notebook (see module docstring)."""

    def __init__(self, out: str | Path, prefix: str, lang: str = "zh", source: str = "", synthetic: bool = False,
                 formats: list[str] | None = None, names: pd.Series | None = None, period: Any = None, bib: Any = None,
                 sources: dict[str, list[Any]] | None = None) -> None:
        self.out = Path(out)
        self.prefix = prefix
        self.lang = lang
        self.t = Labels(lang)
        self.source = source
        self.synthetic = synthetic
        self.formats = ["png", *[f for f in (formats or ["svg"]) if f != "png"]]
        for sub in ("figures", "tables", "facts", "skips", "sources"):
            (self.out / sub).mkdir(parents=True, exist_ok=True)
        self.period = period  # the data year a figure shows unless the figure says (``fig.dgkit_period``)
        self.bib = bib  # the bibliography sources are cited from (dgkit.report.bibliography), None: sources as written
        self.sources: dict[str, list[Any]] = dict(sources or {})  # a dataset's citation text → its citations by key
        self.cited: list[str] = []  # every bibliography key this chapter cited, in order
        self.names = names  # unit_id → display name: tables get a name column, facts name units, never codes
        self.facts: dict[str, Any] = {}
        self.skips: list[dict[str, str]] = []

    # ------------------------------------------------------------------ provenance
    def mark(self, text: str, synthetic: bool | None = None) -> str:
        syn = self.synthetic if synthetic is None else synthetic
        return (SYNTH_TAG[self.lang] + text) if syn else text

    def skip(self, section: str, reason: Missing | str) -> None:
        """Record that a section was not analysed, and why (shown in the notebook and the report index)."""
        why = reason.reason if isinstance(reason, Missing) else str(reason)
        if isinstance(reason, Missing) and reason.key and self.t.has(f"skips.{reason.key}"):
            why = self.t(f"skips.{reason.key}", **reason.fields)
        if not any(s["reason"] == why and s["section"] == section for s in self.skips):
            self.skips.append({"section": section, "reason": why})
            atomic_write_bytes(self.out / "skips" / f"{self.prefix}.json",
                               json.dumps(self.skips, ensure_ascii=False, indent=2).encode("utf-8"))
            from IPython.display import Markdown

            _display(Markdown(f"> ⊘ **{self.t('report.skipped')}** ({section}): {why}"))

    def summary(self, obj: Any, section: str = "summary") -> None:
        """Show an object's summary (a build, a result), or the reason it is missing."""
        if isinstance(obj, Missing):
            self.skip(section, obj)
            return
        _display(obj.summary() if hasattr(obj, "summary") else obj)

    # ------------------------------------------------------------------ outputs
    def figure(self, fig: Any, name: str, source: Any = None) -> None:
        """Save a figure (PNG at 300 dpi plus the params' formats), stamped when synthetic; show it."""
        if isinstance(fig, Missing):
            self.skip(name, fig)
            return None
        import matplotlib.pyplot as plt

        if source is not None and not isinstance(source, str | list | tuple):  # a result: the sources it names
            source = (getattr(source, "extra", {}) or {}).get("source")
        src, _ = self.cite_source(source if source is not None else self.source)
        if self.synthetic:
            fig.text(0.01, 0.995, SYNTH_TAG[self.lang].strip(), color="#b2182b", fontsize=9, ha="left", va="top", weight="bold")
        import numpy as np

        # Drawing is not analysis: mplot3d's projection sporadically overflows on a 3-D surface
        # (matplotlib suppresses the same errors in its own 3-D code), and such a warning would land in the chapter.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            fig.draw_without_rendering()  # lays the figure out once without rasterising it (each save below rasterises)
            renderer = fig.canvas.get_renderer()
            if src:  # below everything the figure draws (the tight box grows to hold it)
                bottom = fig.get_tightbbox(renderer).y0 / fig.get_figheight()
                import textwrap

                n = getattr(fig, "dgkit_n", None)
                period = getattr(fig, "dgkit_period", None) or self.period
                if period is not None:  # source, data year and n on every figure
                    key = "report.figure_line" if n is not None else "report.figure_line_no_n"
                    line = self.t(key, source=_short(src, 400), period=period, n=n)
                else:
                    line = self.t("report.source_line", source=_short(src, 400))
                width = max(40, int(fig.get_figwidth() * 15))  # characters per line at 6.5 pt (CJK counted as one): the line never widens the figure
                fig.text(0.01, bottom - 0.01, "\n".join(textwrap.wrap(line, width)), color="#555555", fontsize=6.5, ha="left", va="top")
            meta = {"png": {"Software": None}, "pdf": {"Creator": None, "Producer": None, "CreationDate": None}, "svg": {"Date": None, "Creator": None}}
            bbox = fig.get_tightbbox(renderer).padded(0.1)
            for f in self.formats:
                path = self.out / "figures" / f"{self.prefix}__{name}.{f}"
                extra = {"pil_kwargs": {"compress_level": 1}} if f == "png" else {}  # fast zlib: 20 % of a save, files ~30 % larger, same pixels
                fig.savefig(path, dpi=300, metadata=meta.get(f), bbox_inches=bbox, **extra)
                path.chmod(0o644)
        plt.close(fig)
        try:
            from IPython.display import Image

            _display(Image(filename=str(self.out / "figures" / f"{self.prefix}__{name}.png"), width=720))
        except ImportError:  # pragma: no cover
            pass

    def table(self, df: Any, name: str, caption: str | None = None, source: str | None = None, decimals: int = 2,
              index: bool = False, **fields: Any) -> None:
        """Save a table (:func:`~dgkit.report.tablewriter.write_table`: CSV with a BOM, LaTeX, and a
        meta file with caption, source and citation keys) in the edition's language, and show it
        rounded, without row numbers.

        ``caption`` defaults to the catalogue's ``tables.<name>`` formatted with ``fields``."""
        if isinstance(df, Missing):
            self.skip(name, df)
            return None
        if hasattr(df, "table") and not isinstance(df, pd.DataFrame):
            source = source if source is not None else (getattr(df, "extra", {}) or {}).get("source")
            df = df.table
        df = self.localise(self._with_names(df))
        if df.index.name is not None or not pd.api.types.is_integer_dtype(df.index):  # a meaningful index is a column; row numbers are not
            index = True
        cap = self.mark(caption if caption is not None else self.t(f"tables.{name}", **fields))
        src = source if source is not None else (df.attrs.get("cite") or df.attrs.get("source") or self.source)  # a table of another dataset cites it
        src, keys = self.cite_source(src)
        base = self.out / "tables" / f"{self.prefix}__{name}"
        headers = {c: self.header(c) for c in df.columns}
        seen: dict[str, int] = {}
        for c, h in headers.items():  # two columns never share a header
            seen[h] = seen.get(h, 0) + 1
            if seen[h] > 1:
                headers[c] = f"{h} ({c})"
        if index and df.index.name is not None:
            headers[df.index.name] = self.header(df.index.name)
        write_table(self.out / "tables", base.name, df, headers=headers, caption=cap, source=src, cite=keys, lang=self.lang,
                    decimals=decimals, index=index, chapter=self.prefix)
        full = cap + (f" {self.t('report.source_line', source=src)}" if src else "")
        df = df.rename(columns=headers)
        if index and df.index.name is not None:
            df.index = df.index.rename(headers[df.index.name])
        view = df
        if len(df) > DISPLAY_ROWS:  # the notebook shows the first and last rows; the files hold every row
            half = DISPLAY_ROWS // 2
            view = pd.concat([df.head(half), df.tail(half)])
            full += " " + self.t("report.rows_shown", shown=DISPLAY_ROWS, n=len(df), file=f"tables/{base.name}.csv")
        shown = view.style.format(precision=decimals, na_rep="—", thousands=None).set_caption(full)
        if not index:
            shown = shown.hide(axis="index")
        _display(shown)

    def fact(self, key: str, result: Any = None, value: Any = None, source: str | None = None, template: str | None = None,
             **fields: Any) -> None:
        """Record a finding: a sentence in the edition's language and the numbers it states.

        The sentence is the catalogue's ``facts.<template>`` (default: ``key``) formatted with
        ``result.facts`` (a result object) and ``fields``; ``value`` defaults to every field the
        sentence names (a mapping)."""
        tkey = template or key
        if isinstance(result, Missing):
            self.skip(key, result)
            return
        for v in fields.values():
            if isinstance(v, Missing):
                self.skip(key, v)
                return
        values: dict[str, Any] = {}
        if result is not None and hasattr(result, "facts"):
            values.update(result.facts)
            values.setdefault("sentence", getattr(result, "sentence", ""))
        elif result is not None:
            values["value"] = result
        values.update(fields)
        missing = [f for f in self.t.fields(f"facts.{tkey}") if f not in values]
        if missing:
            raise KeyError(f"facts.{key} names {missing}, which the result does not have (it has {sorted(values)})")
        shown = {k: v if isinstance(v, str) and v.startswith("@") else self._word(v) for k, v in values.items()}  # names, values in the language
        sentence = self.mark(self.t(f"facts.{tkey}", **{k: self._word(v, shown) for k, v in shown.items()}))
        if source is None and result is not None:
            source = (getattr(result, "extra", {}) or {}).get("source")
        if value is None:  # every number the sentence states, by name (facts.json keeps them unrounded)
            named = self.t.fields(f"facts.{tkey}")
            for f in list(named):  # and the numbers inside a word the sentence uses ("@ci": "CI {ci_low}–{ci_high}")
                w = values.get(f)
                if isinstance(w, str) and w.startswith("@") and self.t.has(f"words.{w[1:]}"):
                    named += [x for x in self.t.fields(f"words.{w[1:]}") if x not in named]
            value = values["value"] if "value" in values else {
                f: (str(self._word(values[f], values)) if isinstance(values[f], str) else
                    [str(self._word(x, values)) if isinstance(x, str) else x for x in values[f]] if isinstance(values[f], list | tuple) else values[f])  # ids as names
                for f in named if f in values}
        methods = [k for k in METHOD_CITES.get(tkey, ()) if self.bib is not None and k in self.bib]
        src, keys = self.cite_source(source if source is not None else self.source)
        if methods:
            msrc, mkeys = self.cite_source(methods)
            src, keys = ("；" if self.lang == "zh" else "; ").join(x for x in (src, msrc) if x), [*keys, *mkeys]
        self.facts[key] = {"value": _clean(value), "sentence": sentence, "source": src, "cite": keys,
                           "chapter": self.prefix}
        atomic_write_bytes(self.out / "facts" / f"{self.prefix}.json",
                           json.dumps(self.facts, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"))

    def result(self, result: Any, name: str, decimals: int = 3, source: str | None = None, **fields: Any) -> None:
        """Record a result object: its table (``tables.<name>``) and its fact (``facts.<name>``)."""
        if isinstance(result, Missing):
            self.skip(name, result)
            return
        src = source if source is not None else (getattr(result, "extra", {}) or {}).get("source")
        self.table(result.table, name, decimals=decimals, source=src, **fields)  # type: ignore[arg-type]
        self.fact(name, result, source=src, **fields)

    def items(self, result: Any, name: str) -> None:
        """One fact per item of a result (``result.extra["items"]``: mappings with a ``key`` and the
        fields of the catalogue's ``facts.<name>_item``), each with its own source when it has one:
        e.g. every printed figure that a recomputation contradicts."""
        if isinstance(result, Missing):
            return
        for it in (getattr(result, "extra", {}) or {}).get("items", []):
            fields = {k: v for k, v in it.items() if k not in ("key", "source")}
            self.fact(f"{name}.{it['key']}", source=it.get("source"), template=f"{name}_item", **fields)

    def _word(self, v: Any, values: dict[str, Any] | None = None) -> Any:
        """A fact's field in the edition's language: ``@word`` from the catalogue's words, a unit id as
        its name, a number the data cannot define as the word for undefined (never "nan")."""
        if isinstance(v, str) and not v.startswith("@"):
            return self.value(v)
        if isinstance(v, list | tuple):
            return "、".join(str(self._word(x)) for x in v) if self.lang == "zh" else ", ".join(str(self._word(x)) for x in v)
        return self.t.word(v, values)

    # ------------------------------------------------------------------ citations by key
    def cite_source(self, src: Any) -> tuple[str, list[str]]:
        """A source as the edition cites it: ``(text, keys)`` (:func:`cite_text`); the keys are
        collected for the report's reference list."""
        text, keys = cite_text(src, self.bib, self.sources, self.lang, self.value)
        new = [k for k in keys if k not in self.cited]
        if new:
            self.cited += new
            atomic_write_bytes(self.out / "sources" / f"{self.prefix}.json", json.dumps(self.cited, ensure_ascii=False).encode("utf-8"))
        return text, keys

    # ------------------------------------------------------------------ one language per edition
    def header(self, column: Any) -> str:
        """A column's header in the edition's language: the catalogue's ``columns.<key>``, a unit,
        pillar or scheme code by its name, ``rank_<x>``/``score_<x>`` as "rank (x)", a year as it is."""
        c = str(column)
        if self.t.has(f"columns.{c}"):
            return self.t(f"columns.{c}")
        if self.names is not None and c in self.names.index:
            return str(self.names[c])
        for stem in ("rank", "score", "z", "rate", "p"):
            if c.startswith(stem + "_") and self.t.has(f"columns.{stem}"):
                rest = c[len(stem) + 1:]
                return f"{self.t(f'columns.{stem}')} ({self.value(rest)})"
        return str(self.value(c))

    def value(self, v: Any) -> Any:
        """A text value of a table in the edition's language: a code by its name, a value or group of the
        catalogue (``values.``, ``groups.``), an ``@word``; in English, a Chinese list (``北京、上海``)
        item by item. Anything else as it is."""
        if not isinstance(v, str) or not v:
            return v
        if self.names is not None and v in self.names.index:
            return str(self.names[v])
        for section in ("values", "groups"):
            if self.t.has(f"{section}.{v}"):
                return self.t(f"{section}.{v}")
        if v.startswith("@"):
            return self.t.word(v)
        if v.startswith("w_") and self.names is not None and v[2:] in self.names.index:  # a weight of the uncertainty analysis
            return self.t("values.weight_of", name=self.names[v[2:]])
        if self.lang == "en" and "、" in v:
            items = [self.value(x.strip()) for x in v.split("、")]
            return ", ".join(map(str, items))
        if self.lang == "en" and has_cjk(v):
            en = _english_name(v)
            if en:
                return en
        return v

    def localise(self, df: pd.DataFrame) -> pd.DataFrame:
        """The table in the edition's language: of a column ``x`` and its variant ``x_en``/``x_zh``, the
        edition's language is kept under ``x``; booleans as 是/否 or yes/no; text values by :meth:`value`
        (identifier columns as they are)."""
        out = df.copy()
        for c in list(out.columns):
            if not isinstance(c, str):
                continue
            for lang in ("zh", "en"):
                base = c[: -len(lang) - 1]
                if c.endswith(f"_{lang}") and base in out.columns:
                    if lang == self.lang:
                        alt = out[c]
                        out[base] = alt.where(alt.notna() & (alt.astype(str) != ""), out[base])
                    out = out.drop(columns=c)
        if "name" in out.columns and self.names is not None:  # a table's own names (a dataset's, in its language) in the edition's
            key = next((c for c in ("unit_id", "unit") if c in out.columns), None)
            if key is not None:
                mapped = out[key].map(lambda u: self.names.get(u) if isinstance(u, str) else None)
                out["name"] = mapped.where(mapped.notna(), out["name"])
        for c in out.columns:
            col = out[c]
            if str(c) in ID_COLUMNS:
                continue
            if str(c) == "source":  # a source column cites by key, like captions
                out[c] = col.map(lambda x: self.cite_source(x)[0] if isinstance(x, str | list | tuple) else x)
                continue
            if pd.api.types.is_bool_dtype(col):
                out[c] = col.map(lambda b: self.t(f"values.{bool(b)}")).astype(object)
            elif col.dtype == object or pd.api.types.is_string_dtype(col):
                out[c] = col.map(lambda x: self.t(f"values.{x}") if isinstance(x, bool | np.bool_) else self.value(x))
        if out.index.name is not None and str(out.index.name) not in ID_COLUMNS and (out.index.dtype == object or pd.api.types.is_string_dtype(out.index)):
            out.index = pd.Index([self.value(x) for x in out.index], name=out.index.name)
        return out

    def _with_names(self, df: pd.DataFrame) -> pd.DataFrame:
        """Insert a ``name`` column beside the units (``unit_id``/``unit`` column or index) if there is none."""
        if self.names is None or "name" in df.columns:
            return df
        key = next((c for c in ("unit_id", "unit") if c in df.columns), None)
        if key is not None:
            ids = df[key]
        elif df.index.name in ("unit_id", "unit") or (len(df) and pd.Index(df.index).isin(self.names.index).mean() > 0.8):
            ids = pd.Series(df.index, index=df.index)
        else:
            return df
        out = df.copy()
        pos = list(out.columns).index(key) + 1 if key is not None else 0
        mapped = pd.Series(ids.to_numpy(), dtype=object).map(self.names)  # a unit without a name keeps its id
        out.insert(pos, "name", mapped.where(mapped.notna(), pd.Series(ids.to_numpy(), dtype=object)).astype(str).to_numpy())
        return out

    def findings(self) -> None:
        """The chapter's findings as prose: every recorded fact, then what was not analysed and why."""
        from IPython.display import Markdown

        lines = [f"- {f['sentence']}" for f in self.facts.values()]
        if not self.facts:
            lines.append(f"- {self.t('report.no_findings')}")
        if self.skips:
            lines += ["", f"**{self.t('report.not_analysed')}**", ""]
            lines += [f"- {s['section']}: {s['reason']}" for s in self.skips]
        _display(Markdown("\n".join(lines)))




_SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")  # a seed report named by its file (data/ records where each number came from)


def cite_text(src: Any, bib: Any, sources: dict[str, list[Any]], lang: str, translate: Any = None) -> tuple[str, list[str]]:
    """A source as an edition cites it: ``(text, keys)``. A dataset's citation text (``sources``
    maps it to its citations) or a seed report named by its file (``bib.resolve``) becomes an
    author–year citation by bibliography key in ``lang`` (GB/T 7714 in zh, APA in en); what names no
    entry stays as written (through ``translate``). ``src`` may also be a list of
    :class:`~dgkit.report.bibliography.Citation` or keys."""
    if src is None or (isinstance(src, str) and not src.strip()):
        return "", []
    from dgkit.report.bibliography import Citation

    cites: list[Any] = []
    rest: list[str] = []
    if isinstance(src, list | tuple):
        cites = [c if isinstance(c, Citation) else Citation(str(c), None) for c in src]
    else:
        text = str(src)
        for known in sorted(sources, key=len, reverse=True):
            if known and known in text:
                cites += sources[known]
                text = text.replace(known, "\x00")
        for piece in re.split(r"[\x00;；]", text):
            piece = piece.strip(" .;；。,")
            if not piece:
                continue
            found = bib.resolve(piece) if bib is not None and _SEED_FILE.search(piece) else []
            if found:
                cites += found
            else:
                rest.append(str(translate(piece)) if translate is not None else piece)
    seen: set[tuple[str, Any]] = set()
    uniq = [c for c in cites if (c.key, c.locator) not in seen and not seen.add((c.key, c.locator))]
    keys = list(dict.fromkeys(c.key for c in uniq))
    parts: list[str] = []
    if uniq and bib is not None:
        cited = bib.cite_all(uniq, lang, strict=False)
        parts.append(cited[1:-1] if cited.startswith("(") and cited.endswith(")") else cited)
    parts += rest
    return ("；" if lang == "zh" else "; ").join(parts), keys


@functools.cache
def _english_name(name: str) -> str | None:
    """The English name of a province or city written in Chinese (北京, 北京市, 吉林省), by the
    units' resolver (:mod:`dgkit.units`): a province first, then a city; None when it names neither."""
    from dgkit.units import display_name, resolver

    for level in ("province", "city"):
        r = resolver(level).lookup(name)
        if r.unit_id is not None:
            return display_name(r.unit_id, level, "en")
    return None


def _short(src: str, n: int = 160) -> str:
    return src if len(src) <= n else src[: n - 1] + "…"
