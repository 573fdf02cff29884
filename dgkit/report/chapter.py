"""What a chapter notebook uses: its params, its data, and recorders for figures, tables, facts.

A notebook does ``ch = Chapter.open(params_path, "02_ranking", out_dir)``; the runner passes an
``out_dir`` in its staging folder. Opened by hand in JupyterLab (``out_dir=None``) the outputs go
to ``reports/.lab/<edition>/`` so that exploring never touches a finished report.

Every output of a build on SYNTHETIC data says so: figure titles, table captions, fact sentences.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dgkit import paths
from dgkit.params import Params, load_params
from dgkit.plotting.style import SYNTH_TAG
from dgkit.report.files import atomic_write_bytes, atomic_write_text


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
    return v


class Chapter:
    """Params, data accessors and output recorders of one chapter run."""

    def __init__(self, params: Params, name: str, out_dir: Path, quick: bool = False) -> None:
        self.params = params
        self.name = name
        self.out = out_dir
        self.quick = quick or params.quick
        self.lang = params.lang
        for sub in ("figures", "tables", "facts"):
            (self.out / sub).mkdir(parents=True, exist_ok=True)
        self._facts: dict[str, Any] = {}

    @classmethod
    def open(cls, params_path: str | Path, name: str, out_dir: str | Path | None = None, quick: bool = False) -> Chapter:
        p = load_params(params_path)
        out = Path(out_dir) if out_dir else paths.reports_dir() / ".lab" / p.edition
        return cls(p, name, out, quick)

    # ------------------------------------------------------------ language
    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    # ------------------------------------------------------------ datasets
    def dataset(self, name: str):  # noqa: ANN201
        """A dataset named in the params: a bundled name or alias, or a dataset YAML (relative to the project)."""
        from dgkit.datasets import open_dataset

        return open_dataset(name)

    @functools.cached_property
    def index_dataset(self):  # noqa: ANN201
        """The dataset chapter 1 builds its index from (None when ``index.data`` is a bare indicator file)."""
        src = str(self.params.get("index.data", "demo"))
        if src.lower().endswith((".csv", ".tsv", ".xlsx", ".xlsm")):
            return None
        return self.dataset(src)

    @functools.cached_property
    def scores_dataset(self):  # noqa: ANN201
        """The dataset whose index chapters 2-8 analyse."""
        return self.dataset(str(self.params.get("scores.source", "tsinghua_2020")))

    @property
    def scores_are_built(self) -> bool:
        """True when the analysed scores are the index built in chapter 1 (same dataset)."""
        idx = self.index_dataset
        return idx is not None and idx.spec_path == self.scores_dataset.spec_path

    @property
    def analysed_dataset(self):  # noqa: ANN201
        """The dataset of the analysed scores (the index's dataset when the index is built here)."""
        return self.index_dataset if self.scores_are_built else self.scores_dataset

    @property
    def synthetic(self) -> bool:
        """Read from the datasets (never from a name): the analysed scores' dataset, or the index's."""
        if self.scores_are_built:
            return self.index_synthetic
        return bool(self.scores_dataset.synthetic)

    @property
    def index_synthetic(self) -> bool:
        idx = self.index_dataset
        return bool(idx.synthetic) if idx is not None else False

    def mark(self, text: str, synthetic: bool | None = None) -> str:
        syn = self.synthetic if synthetic is None else synthetic
        return (SYNTH_TAG[self.lang] + text) if syn else text

    # ------------------------------------------------------------ data
    @functools.cached_property
    def build(self):  # noqa: ANN201
        """The index of chapter 1 (CCID method by default) built from the params with :func:`dgkit.build`."""
        from dgkit.pipeline.build import build
        from dgkit.readers import read_indicators

        fw = self.params.get("index.framework", "ccid_2020")
        opts = dict(self.params.get("index.options") or {})
        ds = self.index_dataset
        if ds is not None:
            years = self.params.get("index.years") or [self.params.get("index.year")]
            return build(ds, fw, periods=years, **opts)
        src = self.params.get("index.data")
        d = read_indicators(paths.project_root() / src, framework=fw, unit_level=self.params.get("index.unit_level", "province"))
        return build(d, fw, **opts)

    @property
    def year(self) -> int:
        return int(self.params.get("scores.year") or self.params.get("index.year"))

    def cohort(self, units: pd.Index) -> pd.Index:
        """The units of the cohort the params ask for: ``all`` (default), ``provinces`` (the 31),
        ``provinces_with_corps`` (32, with 新疆生产建设兵团), or a list of names/codes."""
        from dgkit.units import resolver

        c = self.params.get("cohort", "all")
        if c == "all":
            return units
        if c == "provinces":
            return units[units != "XJBT"]
        if c == "provinces_with_corps":
            return units
        if isinstance(c, list):
            wanted = set(resolver("province").resolve_many(c, file=str(self.params.path), column="cohort"))
            return units[units.isin(wanted)]
        from dgkit.errors import ParamsError

        raise ParamsError("unknown cohort", file=str(self.params.path), column="cohort", expected="all, provinces, provinces_with_corps or a list of units", got=c)

    @functools.cached_property
    def scores(self) -> pd.Series:
        """The index analysed in chapters 2-8, by unit_id (restricted to the params' cohort)."""
        if self.scores_are_built:
            s = self.build.index.xs(int(self.params.get("index.year")), level="period").rename("score")
        else:
            ds = self.scores_dataset
            y = self.params.get("scores.year")
            s = ds.cross_section(int(y) if y is not None and int(y) in ds.periods else None).rename("score")
        return s.loc[self.cohort(s.index)]

    @functools.cached_property
    def components(self) -> pd.DataFrame | None:
        """Pillar scores of the analysed index when it is built here (None for published scores)."""
        if not self.scores_are_built:
            return None
        b = self.build
        P = b.pillars.xs(int(self.params.get("index.year")), level="period")
        w = b.pillar_weights
        comp = P.mul(w, axis=1)
        comp.columns = [b.framework.label(c, self.lang) for c in comp.columns]
        return comp

    @functools.cached_property
    def names(self) -> pd.Series:
        """Display names of the analysed units in the edition's language, from their dataset."""
        ds = self.index_dataset if self.scores_are_built else self.scores_dataset
        return ds.unit_names(self.lang)

    def gdp(self) -> pd.Series:
        from dgkit import data

        return data.gdp_by_unit(int(self.params.get("gdp.year", 2019)), self.params.get("gdp.vintage", "revised"))

    def population(self) -> pd.Series:
        from dgkit import data

        pop = data.population()
        return pop[pop["year"] == int(self.params.get("gdp.year", 2019))].set_index("unit_id")["population"]

    def scores_label(self) -> str:
        return self.mark(self.params.get("scores.label", "index"))

    def index_source(self) -> str:
        """The citation of the index built in chapter 1: its dataset × its framework."""
        ds = self.index_dataset
        fw = self.params.get("index.framework", "ccid_2020")
        src = ds.citation if ds is not None else str(self.params.get("index.data"))
        name = Path(str(fw)).stem if str(fw).endswith((".yaml", ".yml")) else str(fw)
        return self.mark(f"{src} × {name} method", self.index_synthetic)

    def scores_source(self) -> str:
        """The citation of the analysed scores, from their dataset."""
        if self.scores_are_built:
            return self.index_source()
        ds = self.scores_dataset
        return ds.citation or ds.title

    # ------------------------------------------------------------ outputs
    def figure(self, fig, name: str):  # noqa: ANN001, ANN201
        """Save a figure in every requested format (PNG at 300 dpi); return it for display."""
        formats = list(self.params.get("figure_formats") or ["png", "svg"])
        if "png" not in formats:
            formats.insert(0, "png")
        meta = {"png": {"Software": None}, "pdf": {"Creator": None, "Producer": None, "CreationDate": None}, "svg": {"Date": None, "Creator": None}}
        # one cheap draw gives the tight box for every format (saves each format its own extra draw)
        fig.canvas.draw()
        bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(0.1)
        for f in formats:
            fig.savefig(self.out / "figures" / f"{self.name}__{name}.{f}", dpi=300, metadata=meta.get(f), bbox_inches=bbox)
        # Show the saved 300-dpi PNG instead of letting the inline backend render the figure again,
        # and close it (no second rendering, no pile of open figures).
        import matplotlib.pyplot as plt

        plt.close(fig)
        try:
            from IPython import get_ipython
            from IPython.display import Image, display

            if get_ipython() is not None:
                display(Image(filename=str(self.out / "figures" / f"{self.name}__{name}.png"), width=720))
        except ImportError:  # pragma: no cover
            pass
        return fig

    def table(self, df: pd.DataFrame, name: str, caption: str = "", source: str = "", index: bool = False, decimals: int = 2) -> pd.DataFrame:
        """Save a table as CSV and LaTeX (booktabs); the source goes in the caption and the CSV footer."""
        out = df.copy()
        num = out.select_dtypes("number").columns
        out[num] = out[num].round(decimals)
        base = self.out / "tables" / f"{self.name}__{name}"
        csv = out.to_csv(index=index, lineterminator="\n", float_format=f"%.{decimals}f")
        if source:
            csv += f"# source: {source}\n"
        atomic_write_text(base.with_suffix(".csv"), csv)
        cap = caption + (f" Source: {source}." if source else "")
        sty = out.style.format(precision=decimals, na_rep="—")
        if not index:
            sty = sty.hide(axis="index")
        tex = "% requires \\usepackage{booktabs} (and xeCJK for Chinese)\n" + sty.to_latex(
            hrules=True, caption=_latex_escape(cap) if cap else None, label=f"tab:{self.name}:{name}")
        atomic_write_text(base.with_suffix(".tex"), tex)
        return df

    def fact(self, key: str, value: Any, sentence: str, source: str = "") -> None:
        """Record a headline number with a citation-ready sentence (written at once)."""
        self._facts[key] = {"value": _clean(value), "sentence": sentence, "source": source, "chapter": self.name}
        atomic_write_bytes(self.out / "facts" / f"{self.name}.json",
                           json.dumps(self._facts, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"))


def _latex_escape(s: str) -> str:
    for a, b in (("\\", "\\textbackslash{}"), ("&", "\\&"), ("%", "\\%"), ("_", "\\_"), ("#", "\\#"), ("$", "\\$")):
        s = s.replace(a, b)
    return s
