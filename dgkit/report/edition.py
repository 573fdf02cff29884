"""An edition: a params file resolved, once, into a dataset, an index (given or built), a focus
year, the compared periods, a cohort, groupings, covariates, tier schemes, labels and a language.

``open_edition("params/2020.yaml")`` validates the params (every problem at once, see
:mod:`dgkit.params`) and returns an :class:`Edition`. Chapter notebooks ask it for their inputs:
``ed.scores()``, ``ed.panel()``, ``ed.components()``, ``ed.covariate("gdp")``, ``ed.groupings()`` …
An input the edition does not have comes back as :class:`~dgkit.stats.Missing` with the reason
in the edition's language; analysis and plotting functions pass it through and the recorder
turns it into a stated skip. No code here or in a notebook branches on a dataset's name.

Conventions stated where they act:

* ``year`` is the focus period; ``compare`` (a list, or ``all``) gives the periods of 推进率 and
  dynamics, restricted to periods up to the focus year (a report for 2021 never uses 2023 data).
* Ranks are competition ranks (1, 2, 2, 4) on unrounded scores unless ``ranks.ties`` says otherwise.
* ``cohort``: ``all`` (default), ``provinces`` (the 31, without 新疆生产建设兵团),
  ``provinces_with_corps`` or a list of unit names or ids.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pandas as pd

from dgkit import paths
from dgkit.params import Params, load_params
from dgkit.report.labels import Labels
from dgkit.stats.result import Missing, StatResult


def match_units(ds: Any, wanted: list[Any]) -> tuple[list[str], list[str]]:
    """Unit ids of ``wanted`` (ids, zh or en names, or names the level's resolver knows) and the
    entries that match no unit of the dataset."""
    u = ds.units
    lookup: dict[str, str] = {}
    for col in ("name_zh", "name_en"):
        if col in u.columns:
            lookup.update({str(n).casefold(): i for i, n in u[col].dropna().items()})
    lookup.update({str(i).casefold(): i for i in u.index})
    ids, unknown = [], []
    for w in wanted:
        uid = lookup.get(str(w).casefold())
        if uid is None and ds.level in ("province", "city", "country"):
            from dgkit.units import resolver

            try:
                r = resolver(ds.level).lookup(str(w)).unit_id
                uid = r if r in u.index else None
            except (ValueError, KeyError):
                uid = None
        (ids if uid is not None else unknown).append(uid if uid is not None else w)
    return ids, unknown


# the seed reports' bibliography keys (data/bibliography.json), by the seed names of the claims register
SEED_CITES = {"ccid_2020": "ccid2020", "tsinghua_2020": "tsinghua2020", "cstc_2019": "cstc2019", "guomai_2023": "guomai2023",
              "caict_2021": "caict2021", "cpsc_2019": "cpsc2020"}


def _cites(ds: Any, table: str | None = None) -> list[Any]:
    """A dataset's citations by key (of one of its reference tables when ``table`` is given)."""
    from dgkit.report.bibliography import Citation

    spec = (getattr(ds, "reference_cites", {}) or {}).get(table) if table else None
    keys, loc = (spec["cite"], spec["locator"]) if spec else (getattr(ds, "cite", []), getattr(ds, "locator", None))
    return [Citation(k, loc) for k in keys]


def default_benchmarks(ds: Any) -> list[str]:
    """The external indices of an edition that names none: every bundled dataset of the same level
    (synthetic ones only for synthetic data)."""
    from dgkit.datasets import catalogue

    cat = catalogue()
    return [n for n, lev, syn in zip(cat["name"], cat["level"], cat["synthetic"], strict=False)
            if lev == ds.level and (ds.synthetic or not syn)]


def _resolve_params_path(params: str | Path) -> Path:
    p = Path(params)
    if p.is_absolute() or p.exists():
        return p
    for base in (paths.project_root(), paths.notebooks_dir()):
        if (base / p).exists():
            return (base / p).resolve()
    return p


@functools.lru_cache(maxsize=8)
def _open(path: str, mtime: float, year: int | None, lang: str | None = None) -> Edition:
    return Edition(load_params(path, year=year, lang=lang))


def open_edition(params: str | Path = "params/2020.yaml", year: int | None = None, lang: str | None = None) -> Edition:
    """Validate a params file (every problem at once) and resolve its edition; ``year`` overrides
    the focus year, ``lang`` the language. Cached per file (and its modification time), year and language."""
    p = _resolve_params_path(params)
    mtime = p.stat().st_mtime if p.exists() else 0.0
    return _open(str(p), mtime, None if year is None else int(year), lang)


class Edition:
    """The resolved edition (see module docstring)."""

    def __init__(self, params: Params) -> None:
        from dgkit.datasets import open_dataset

        self.params = params
        self.lang: str = params.lang
        self.t = Labels(self.lang)
        self.dataset = open_dataset(str(params.get("dataset")))
        idx = params.get("index") or {}
        self.built = "framework" in idx
        self.measure: str | None = idx.get("measure")
        self.framework_name: str | None = idx.get("framework")
        periods = self.dataset.periods
        self.year: int = int(params.get("year") or periods[-1])
        comp = params.get("compare", "all")
        wanted = periods if comp == "all" else [int(c) for c in comp]
        self.periods: list[int] = sorted({p for p in wanted if p <= self.year} | {self.year})
        self.quick: bool = params.quick
        self.seed: int = int(params.get("seed", 0))
        from dgkit.plotting import style

        serif = params.get("figure_font") == "serif"  # Noto Serif CJK (宋体-like) for journals that want it
        if serif or style.serif_in_use():  # (a kernel kept between reports goes back to sans)
            style.use_style(self.lang, serif=serif)

    # ------------------------------------------------------------------ identity and provenance
    @property
    def name(self) -> str:
        return self.params.folder

    @property
    def title(self) -> str:
        return str(self.params.text("title") or self.params.edition)

    @property
    def synthetic(self) -> bool:
        """From the dataset's YAML only, never from a name."""
        return bool(self.dataset.synthetic)

    @property
    def level(self) -> str:
        return self.dataset.level

    @property
    def index_label(self) -> str:
        lab = self.params.text("index.label")
        if lab:
            return str(lab)
        if self.built:
            return self.t("report.built_index", framework=self.framework_label, dataset=self.dataset.text("short_title", self.lang))
        return self.dataset.label(self.measure or "", self.lang)

    @functools.cached_property
    def framework_label(self) -> str:
        """The framework's title in the edition's language (``title`` / ``title_en``), else its name."""
        fw = str(self.framework_name or "")
        if fw:
            try:
                from dgkit.framework import load_framework

                meta = load_framework(fw).meta
                title = meta.get("title_en" if self.lang == "en" else "title") or meta.get("title")
                if title:
                    return str(title)
            except Exception:  # noqa: BLE001 - a name is always a label
                pass
        return Path(fw).stem if fw.endswith((".yaml", ".yml")) else fw

    @property
    def citation(self) -> str:
        """What the analysed index is: the dataset's citation (× the framework when built here)."""
        c = self.dataset.citation or self.dataset.title
        return self.t("report.built_citation", citation=c, framework=self.framework_label) if self.built else c

    def describe(self, of: Edition | None = None) -> Any:
        """A short statement of what this edition analyses (shown at the top of every chapter);
        ``of``: the edition that names this one as its panel edition (the statement says so)."""
        from IPython.display import Markdown

        how = self.t("report.how_built", framework=self.framework_label) if self.built else self.t("report.how_given", measure=self.measure)
        text = self.t("report.edition_line", title=self.title, dataset=self.dataset.text("title", self.lang), level=self.t(f"levels.{self.level}"),
                      n=len(self.scores()), year=self.year, periods=", ".join(map(str, self.periods)), how=how, citation=self.cited(self.citation))
        if of is not None and of is not self:
            text = of.t("report.panel_line", edition=of.name, title=of.title, panel=self.title) + "\n\n" + text
        if self.synthetic:
            text = "**" + self.t("report.synthetic_warning") + "**\n\n" + text
        return Markdown(text)

    def recorder(self, prefix: str, out_dir: str | Path | None = None) -> Any:
        """A :class:`~dgkit.report.recorder.Recorder` writing to ``out_dir`` (None: ``<out>/.lab/<edition>/``,
        ``<out>`` being the params' ``out`` or ``reports/``, so that exploring in JupyterLab never touches a
        finished report)."""
        from dgkit.report.recorder import Recorder

        if out_dir:
            out = Path(out_dir)
        else:
            o = self.params.get("out")
            base = (Path(o) if Path(o).is_absolute() else Path(self.params.path).parent / o) if o else paths.reports_dir()
            out = base / ".lab" / self.name
        names = self.names
        schemes = self.scheme_labels
        names = pd.concat([names, schemes[~schemes.index.isin(names.index)]])  # a scheme's name is said by its label
        if self.built:  # a pillar or indicator code in a sentence is said by its label
            fw = self._build.framework
            codes = [*fw.pillars["code"], *fw.indicators["code"]]
            names = pd.concat([names, pd.Series({c: fw.label(c, self.lang) for c in codes if c not in names.index})])
        return Recorder(out, prefix, self.lang, self.citation, self.synthetic, list(self.params.get("figure_formats") or ["png", "svg"]),
                        names=names, period=self.year, bib=self.bibliography, sources=self.source_citations)

    def cited(self, source: Any) -> str:
        """A source text cited by key in the edition's language (:func:`dgkit.report.recorder.cite_text`)."""
        from dgkit.report.recorder import cite_text

        return cite_text(source, self.bibliography, self.source_citations, self.lang)[0]

    @functools.cached_property
    def bibliography(self) -> Any:
        """The kit's bibliography with the CSL-JSON files the edition's datasets name (``bibliography:``)."""
        from dgkit.report.bibliography import load_bibliography

        own = [d.bibliography for d in self._datasets() if getattr(d, "bibliography", None)]
        return load_bibliography(list(dict.fromkeys(own)))

    def _datasets(self) -> list[Any]:
        from dgkit.datasets import open_dataset
        from dgkit.report.provenance import dataset_names

        names = dataset_names(self.params)  # every dataset the edition reads, default benchmarks included (as the manifest lists them)
        out, seen = [], set()
        for n in names:
            try:
                ds = open_dataset(str(n))
            except Exception:  # noqa: BLE001 - a dataset that cannot be opened cites nothing
                continue
            if ds.spec_path not in seen:
                seen.add(ds.spec_path)
                out.append(ds)
        if self.params.get("panel_edition"):
            out += [d for d in self.panel_edition()._datasets() if d.spec_path not in seen]
        return out

    @functools.cached_property
    def source_citations(self) -> dict[str, list[Any]]:
        """Every citation text of the bundled and the edition's datasets → its citations by key (the
        recorder cites a source by key wherever the text appears)."""
        from dgkit.report.bibliography import Citation

        out: dict[str, list[Any]] = {}
        for ds in self._datasets():
            if ds.citation and getattr(ds, "cite", None):
                out[ds.citation] = [Citation(k, ds.locator) for k in ds.cite]
        gdp = self.t("report.covariate_source_builtin")
        out[gdp] = [Citation("nbs_database", None)]
        return out

    def built_scores(self, period: int | None = None) -> pd.Series | Missing:
        """The scores when the index is built here (Missing for a given index)."""
        return self.scores(period) if self.built else self.build()

    def draws(self, option: str, quick: bool = False) -> int:
        """``robustness.mc_draws`` (default 1000) or ``robustness.sobol_n`` (256); fewer in quick mode."""
        n = int(self.params.get(f"robustness.{option}", 1000 if option == "mc_draws" else 256))
        return min(n, 200 if option == "mc_draws" else 64) if quick or self.quick else n

    # ------------------------------------------------------------------ the analysed index
    @functools.cached_property
    def _build(self) -> Any:
        import dataclasses

        from dgkit.pipeline.build import build

        opts = dict((self.params.get("index") or {}).get("options") or {})
        ds = self.dataset
        keep = self.cohort(ds.units.index)
        if len(keep) < len(ds.units):  # the cohort is what is built: normalisation and weights see no other unit
            v = ds.values[ds.values.index.get_level_values("unit_id").isin(keep)]
            ds = dataclasses.replace(ds, values=v, units=ds.units.loc[keep])
        return build(ds, self.framework_name, periods=self.periods, **opts)

    def build(self) -> Any:
        """The :class:`~dgkit.pipeline.result.Build` of the index (Missing when the index is given)."""
        if not self.built:
            return Missing(self.t("skips.not_built", measure=self.measure, dataset=self.dataset.text("short_title", self.lang)))
        return self._build

    def variant(self) -> Any:
        """The second build of params ``index.variant`` (the same data and framework with some
        options changed, e.g. the CCID formulas beside the entropy method), or Missing."""
        b = self.build()
        v = (self.params.get("index") or {}).get("variant")
        if isinstance(b, Missing) or not v:
            return b if isinstance(b, Missing) else Missing(self.t("skips.no_variant"))
        return b.regen(**v["options"])

    def variant_labels(self) -> tuple[str, str]:
        """Names of the build and of its variant (params ``index.variant.base_label`` and ``label``;
        default: the options that differ)."""
        v = (self.params.get("index") or {}).get("variant") or {}
        opts = v.get("options") or {}
        base = (self.params.get("index") or {}).get("options") or {}
        return (str(self.params.text("index.variant.base_label") or ", ".join(f"{k}: {base.get(k, '—')}" for k in opts) or "A"),
                str(self.params.text("index.variant.label") or ", ".join(f"{k}: {o}" for k, o in opts.items()) or "B"))

    @functools.cached_property
    def _panel_all(self) -> pd.DataFrame:
        if self.built:
            w = self._build.index.unstack("period")
        else:
            w = self.dataset.panel(self.measure)
        w = w.reindex(columns=[p for p in self.periods if p in w.columns])
        return w.loc[self.cohort(w.index)]

    def cohort(self, units: pd.Index) -> pd.Index:
        c = self.params.get("cohort", "all")
        if c in ("all", "provinces_with_corps"):
            return units
        if c == "provinces":
            return units[units != "XJBT"]
        ids, _ = match_units(self.dataset, list(c))
        return units[units.isin(ids)]

    def scores(self, period: int | None = None) -> pd.Series | Missing:
        """The analysed index in ``period`` (default: the focus year), by unit_id, units without a score dropped."""
        p = self.year if period is None else int(period)
        s = self._panel_all[p].dropna() if p in self._panel_all.columns else pd.Series(dtype=float)
        if s.empty:
            return Missing(f"no index values in {p}", "no_scores", year=p, dataset=self.dataset.text("short_title", self.lang))
        return s.rename(self.index_label)

    def panel(self, min_periods: int = 2) -> pd.DataFrame | Missing:
        """Units × compared periods of the analysed index (Missing with fewer than ``min_periods``)."""
        w = self._panel_all.dropna(how="all")
        if w.shape[1] < min_periods:
            return Missing(self.t("skips.one_period", periods=", ".join(map(str, w.columns)) or "—", n=min_periods))
        return w

    @functools.cached_property
    def names(self) -> pd.Series:
        """Display names in the edition's language (the other language, then the id, where one is missing)."""
        u = self.dataset.units
        first, second = ("name_zh", "name_en") if self.lang == "zh" else ("name_en", "name_zh")
        n = u[first] if first in u.columns else pd.Series(index=u.index, dtype=object)
        if second in u.columns:
            n = n.where(n.notna() & (n.astype(str) != ""), u[second])
        n = n.where(n.notna() & (n.astype(str) != "nan") & (n.astype(str) != ""), pd.Series(u.index, index=u.index)).astype(str)
        dup = n.duplicated(keep=False)
        if dup.any() and "parent" in u.columns:  # 朝阳区 (北京) and 朝阳区 (长春): a name with its parent identifies a unit
            parent = u["parent"].map(lambda p: n.get(p) or self._known_name(p) if isinstance(p, str) and p else None)
            ok = dup & parent.notna() & (parent.astype(str) != "")
            n = n.where(~ok, n + "（" + parent.astype(str) + "）" if self.lang == "zh" else n + " (" + parent.astype(str) + ")")
        dup = n.duplicated(keep=False)
        if dup.any():  # still the same: the id decides
            n = n.where(~dup, n + " " + pd.Series(u.index, index=u.index).astype(str))
        return n

    def _known_name(self, unit_id: str) -> str | None:
        """The name of a unit outside the dataset (a county's city: 130100 → 石家庄), if a level knows it."""
        from dgkit.units import display_name

        for level in ("city", "province"):
            try:
                name = display_name(unit_id, level, self.lang)
            except (KeyError, ValueError):
                continue
            if name and name != unit_id:
                return str(name)
        return None

    def components(self, period: int | None = None) -> pd.DataFrame | Missing:
        """Component scores of the analysed index (a built index's top-level pillars, or the
        params' ``index.components``), labelled in the edition's language."""
        p = self.year if period is None else int(period)
        if self.built:
            b = self._build
            P = b.pillars.xs(p, level="period")
            P.columns = [b.framework.label(c, self.lang) for c in P.columns]
        else:
            comps = (self.params.get("index") or {}).get("components") or []
            if not comps:
                return Missing(self.t("skips.no_components", dataset=self.dataset.text("short_title", self.lang)))
            P = self.dataset.values[comps].xs(p, level="period")
            P.columns = [self.dataset.label(c, self.lang) for c in comps]
        s = self.scores(p)
        if isinstance(s, Missing):
            return s
        P = P.loc[P.index.isin(s.index)].dropna(how="all")
        if P.shape[1] < 2 or P.empty:
            return Missing(self.t("skips.no_components", dataset=self.dataset.text("short_title", self.lang)))
        return P

    def contributions(self, period: int | None = None) -> pd.DataFrame | Missing:
        """Each top-level pillar's part of the index (parts add up to the index): a built index
        with weighted arithmetic means only (Missing otherwise: no honest stacking exists)."""
        if not self.built:
            return Missing(self.t("skips.not_additive"))
        b = self._build
        if not b.additive:
            return Missing(self.t("skips.not_additive"))
        p = self.year if period is None else int(period)
        C = b.contributions.xs(p, level="period")
        fw, top = b.framework, b.framework.index_code
        par = fw.parents

        def top_of(code: str) -> str:
            while par.get(code, top) != top:
                code = par[code]
            return code

        parts = C.T.groupby([top_of(c) for c in C.columns]).sum().T  # index points: the parts add up to the index
        parts.columns = [fw.label(c, self.lang) for c in parts.columns]
        s = self.scores(p)
        return parts.loc[parts.index.isin(s.index)] if not isinstance(s, Missing) else s

    # ------------------------------------------------------------------ groupings and covariates
    def groupings(self) -> dict[str, pd.Series] | Missing:
        """The params' ``groupings`` (default: every grouping of the dataset), unit → group
        (multi-membership groups ``;``-separated), in the edition's language."""
        ds = self.dataset
        names = self.params.get("groupings")
        names = ds.grouping_names if names is None else names
        s = self.scores()
        if isinstance(s, Missing):
            return s
        out = {}
        for g in names:
            col = ds.grouping(g).reindex(s.index).replace("", pd.NA)  # a unit without a group is not a group
            if col.replace("", pd.NA).dropna().str.split(";").explode().nunique() >= 2:
                out[self.group_label(g)] = col.map(lambda v: ";".join(self.group_label(x) for x in str(v).split(";")) if isinstance(v, str) and v else v)
        if not out:
            return Missing(self.t("skips.no_groupings", dataset=ds.text("short_title", self.lang)))
        return out

    def partitions(self) -> dict[str, pd.Series] | Missing:
        """The groupings in which every grouped unit is in exactly one group."""
        g = self.groupings()
        if isinstance(g, Missing):
            return g
        out = {k: v for k, v in g.items() if not v.dropna().astype(str).str.contains(";").any()}
        return out or Missing(self.t("skips.no_partition", dataset=self.dataset.text("short_title", self.lang)))

    def partition(self, name: str | None = None) -> pd.Series | Missing:
        """One partition: ``name`` (a grouping of the dataset), else the first."""
        if name:  # any grouping of the dataset, named in the params or not
            s = self.scores()
            if isinstance(s, Missing):
                return s
            g = self.dataset.grouping(name).reindex(s.index).replace("", pd.NA)
            if g.dropna().astype(str).str.contains(";").any() or g.nunique() < 2:
                return Missing(self.t("skips.no_partition", dataset=self.dataset.text("short_title", self.lang)))
            return g.map(self.group_label).rename(self.group_label(name))
        parts = self.partitions()
        if isinstance(parts, Missing):
            return parts
        return next(iter(parts.values()))

    @property
    def national_label(self) -> str:
        """What "all units" is called at this level (全国 for provinces, 全部国家 for countries …)."""
        return self.t(f"national.{self.level}")

    def group_label(self, name: Any) -> Any:
        from dgkit.stats.regions import region_label

        return region_label(name, self.lang)

    def covariate(self, name: str) -> pd.Series | Missing:
        """A covariate for the focus year (the params' ``covariates.<name>.year`` if given): the
        dataset's own, or for provinces the built-in GDP (vintage stated) and population."""
        spec = (self.params.get("covariates") or {}).get(name)
        if spec is None and name not in (self.params.get("covariates") or {}):
            return Missing(self.t("skips.no_covariate", name=name, dataset=self.dataset.text("short_title", self.lang)))
        spec = spec or {}
        year = int(spec.get("year", self.year))
        col = spec.get("column", name)
        ds = self.dataset
        if col in ds.covariates.columns:
            c = ds.covariate(col)
            if year not in c.columns:
                return Missing(self.t("skips.covariate_year", name=name, year=year))
            v = c[year].dropna()
        elif name in ("gdp", "population") and ds.level == "province":
            from dgkit import data

            if name == "gdp":
                try:
                    v = data.gdp_by_unit(year, spec.get("vintage", "revised"))
                except ValueError:
                    return Missing(self.t("skips.covariate_year", name=name, year=year))
            else:
                pop = data.population()
                v = pop[pop["year"] == year].set_index("unit_id")["population"]
                if v.empty:
                    return Missing(self.t("skips.covariate_year", name=name, year=year))
        else:
            return Missing(self.t("skips.no_covariate", name=name, dataset=ds.text("short_title", self.lang)))
        s = self.scores()
        if isinstance(s, Missing):
            return s
        v = v[v > 0] if name == "gdp" else v  # ln GDP needs positive values
        shared = v.index.intersection(s.index)
        if len(shared) < 3:
            return Missing(self.t("skips.too_few_shared", what=name, n=len(shared)))
        return v.loc[shared].rename(name)

    def covariate_source(self, name: str) -> str:
        """The analysed index's citation with the covariate's year and vintage (chapter 6's source)."""
        spec = (self.params.get("covariates") or {}).get(name) or {}
        vintage = spec.get("vintage", "revised") if name == "gdp" else ""
        cov = self.t("report.covariate_source", name=self.t(f"values.{name}") if self.t.has(f"values.{name}") else name,
                     year=spec.get("year", self.year), vintage=self.t(f"values.{vintage}") if self.t.has(f"values.{vintage}") else vintage)
        builtin = name in ("gdp", "population") and self.level == "province" and name not in self.dataset.covariates.columns
        return f"{self.citation}; {cov}" + (f"; {self.t('report.covariate_source_builtin')}" if builtin else "")

    # ------------------------------------------------------------------ published references
    def period_of(self, ds: Any) -> int | None:
        """The period of another dataset that goes with the focus year: the latest not after it."""
        ok = [p for p in ds.periods if p <= self.year]
        return max(ok) if ok else None

    def index_scale(self) -> tuple[float, float] | None:
        """The scale the analysed index lives on: params ``dispersion.scale``, else the dataset's
        ``scales`` entry for the measure, else, for a built index, the min-max range when every
        indicator is min-max scaled per period and every level is an arithmetic mean; None when
        unknown (a convention tied to a scale, such as 国脉's SD threshold, is then not applied)."""
        sc = self.option("dispersion.scale")
        if sc:
            return float(sc[0]), float(sc[1])
        if not self.built:
            return self.dataset.scales.get(str(self.measure))
        b = self._build
        norm, agg = list(b.steps["normalise"].values()), list(b.steps["aggregate"].values())
        if b.base != "per_period" or b.steps["normalise_level"] or any(s.name != "minmax" for s in norm) or any(s.name != "arithmetic" for s in agg):
            return None
        lims = {(float(s.options["lo"]), float(s.options["hi"])) for s in norm}
        return next(iter(lims)) if len(lims) == 1 else None

    def data_flags(self) -> StatResult | Missing:
        """The rows the dataset's ``checks`` flag (:meth:`Dataset.flags`), as a result: the table and
        the counts by reason and period. Missing when the dataset declares no check."""
        ds = self.dataset
        if not ds.checks:
            return Missing(self.t("skips.no_flags"))
        t = ds.flags()
        t = t[t["unit_id"].isin(self.cohort(pd.Index(t["unit_id"].unique())))].reset_index(drop=True)
        tol = " / ".join(dict.fromkeys(f"{k['tolerance']:g}" for k in ds.checks))  # each check's own tolerance
        rule = "; ".join(f"{k['measure']} = mean({', '.join(k['mean_of'])}) ± {k['tolerance']:g}" for k in ds.checks)
        counts = t["reason"].value_counts()
        by_reason = (", " if self.lang == "en" else "; ").join(
            self.t(f"skips.flag_{r}", n=int(counts[r]), tolerance=tol) for r in ("zero", "deviates") if r in counts)
        periods = ", ".join(f"{p} ({n})" for p, n in t.groupby("period").size().items()) or "—"
        facts = {"n": len(t), "rule": rule, "by_reason": by_reason or "—", "periods": periods,
                 "n_zero": int(counts.get("zero", 0)), "n_deviates": int(counts.get("deviates", 0))}
        return StatResult(t, f"{len(t)} rows flagged ({rule})", facts)

    def printed_ranks(self) -> pd.Series | Missing:
        """The dataset's printed ranks for the focus year (reference ``rank_printed``)."""
        if self.built or "rank_printed" not in self.dataset.references.columns:
            return Missing(self.t("skips.no_printed_ranks", dataset=self.dataset.text("short_title", self.lang)))
        r = pd.to_numeric(self.dataset.reference("rank_printed").xs(self.year, level="period"), errors="coerce").dropna()
        s = self.scores()
        if isinstance(s, Missing):
            return s
        if not set(r.index) <= set(s.index):  # printed ranks rank every unit of the publication, not the cohort
            return Missing(self.t("skips.printed_ranks_cohort", n=len(s), printed=len(r)))
        return r if len(r) else Missing(self.t("skips.no_printed_ranks", dataset=self.dataset.text("short_title", self.lang)))

    def scheme_label(self, spec: dict[str, Any]) -> str:
        """A tier scheme's name in tables, figures and sentences: the params' ``label`` (text or
        {zh, en}), else what the scheme is (``固定阈值 70/65/60/50``, ``five equal parts (by count)`` …)."""
        lab = spec.get("label")
        if isinstance(lab, dict):
            lab = lab.get(self.lang) or next(iter(lab.values()))
        if lab:
            return str(lab)
        kind = spec.get("scheme")
        cuts = "/".join(f"{x:g}" for x in spec.get("thresholds") or spec.get("cuts") or [])
        by = spec.get("by", "range")
        return self.t(f"schemes.{kind}", cuts=cuts, by=self.t(f"schemes.by_{by}") if kind == "five_equal" else by, k=spec.get("k", 4)) \
            if self.t.has(f"schemes.{kind}") else str(spec.get("name"))

    @property
    def scheme_labels(self) -> pd.Series:
        """Tier scheme name → its label in the edition's language (:meth:`scheme_label`)."""
        return pd.Series({str(sp["name"]): self.scheme_label(sp) for sp in self.params.get("tiers") or [] if sp.get("name")}, dtype=object)

    def tier_schemes(self) -> list[dict[str, Any]] | Missing:
        t = list(self.params.get("tiers") or [])
        return t or Missing(self.t("skips.no_tiers"))

    def published_tiers(self) -> dict[str, pd.Series] | Missing:
        """Scheme name → the published tier of each unit, for schemes with ``published:`` (a
        reference of the dataset, or ``other_dataset.reference``)."""
        from dgkit.datasets import open_dataset

        out = {}
        for spec in self.params.get("tiers") or []:
            pub = spec.get("published")
            if not pub:
                continue
            name, _, col = pub.rpartition(".")
            ds = open_dataset(name) if name else self.dataset
            per = self.period_of(ds)
            if per is None:
                continue
            pub = ds.reference(col).xs(per, level="period")
            s = self.scores()
            pub = pub[pub.index.isin(s.index)] if not isinstance(s, Missing) else pub  # the cohort's units only
            pub.attrs["source"] = ds.citation
            pub.attrs["cite"] = _cites(ds)
            out[spec["name"]] = pub
        return out or Missing(self.t("skips.no_published_tiers"))

    def published_tables(self, table: str) -> dict[str, pd.DataFrame] | Missing:
        """A reference table (``regions``, ``facts`` …) of the dataset and of every dataset in
        ``published_references``: dataset title → table (another index's printed figures)."""
        from dgkit.datasets import open_dataset

        out = {}
        for name in [self.params.get("dataset"), *(self.params.get("published_references") or [])]:
            ds = open_dataset(str(name))
            if table in ds.reference_tables:
                t = ds.reference_tables[table].copy()
                t.attrs["source"] = ds.citation
                t.attrs["cite"] = _cites(ds, table)
                out[ds.text("short_title", self.lang)] = t
        return out or Missing(self.t("skips.no_published_table", table=table))

    def implied_weights(self) -> StatResult | Missing:
        """Implied weights (NNLS, w ≥ 0, Σw = 1) with residuals wherever a dataset holds a
        published total and its components: the analysed dataset (``index.components``) and each
        dataset in ``published_references`` (its headline total and its measures)."""
        from dgkit.datasets import open_dataset
        from dgkit.weights import implied_weights

        cases = []
        comps = (self.params.get("index") or {}).get("components") or []
        if not self.built and comps:
            cases.append((self.dataset, self.measure, comps, self.year))
        for name in self.params.get("published_references") or []:
            ds = open_dataset(str(name))
            per = self.period_of(ds)
            if ds.headline and len(ds.measures) >= 2 and ds.headline not in ds.measures and per is not None:
                cases.append((ds, ds.headline, ds.measures, per))
        rows, resid, sources, too_few = [], [], [], []
        for ds, total, comps, per in cases:
            C = ds.values[comps].xs(per, level="period").dropna()
            t = ds.panel(total)[per].dropna()
            if ds is self.dataset:
                keep = self.cohort(C.index)
                C, t = C.loc[keep], t[t.index.isin(keep)]
            if len(C.index.intersection(t.index)) < len(comps):
                too_few.append(f"{ds.text('short_title', self.lang)} ({len(C.index.intersection(t.index))}/{len(comps)})")
                continue
            sources.append(ds.citation)
            iw = implied_weights(C, t, stability="jitter", seed=self.seed)
            for c, w in iw.weights.items():
                rows.append({"index": ds.text("short_title", self.lang), "period": per, "component": ds.label(c, self.lang), "weight": w,
                             "q05": iw.stability.loc[c, "q05"], "q95": iw.stability.loc[c, "q95"],
                             "n": len(iw.residuals), "rmse": iw.rmse, "max_abs_residual": iw.max_abs_residual})
            names = ds.unit_names(self.lang).reindex(iw.residuals.index).fillna(pd.Series(iw.residuals.index, index=iw.residuals.index))
            resid.append(pd.DataFrame({"index": ds.text("short_title", self.lang), "unit_id": iw.residuals.index, "name": names.to_numpy(),
                                       "printed_total": t.reindex(iw.residuals.index).to_numpy(), "fitted": iw.fitted.to_numpy(),
                                       "residual": iw.residuals.to_numpy()}))
        if not rows:
            if too_few:
                return Missing(self.t("skips.too_few_for_weights", which=", ".join(too_few)))
            return Missing(self.t("skips.no_total_components"))
        tab = pd.DataFrame(rows)
        first = tab.iloc[0]
        facts = {"index": first["index"], "n": int(first["n"]), "rmse": float(first["rmse"]), "max_abs_residual": float(first["max_abs_residual"]),
                 "weights": ", ".join(f"{r.component} {r.weight:.3f}" for r in tab[tab["index"] == first["index"]].itertuples())}
        residuals = pd.concat(resid, ignore_index=True)
        residuals.attrs["source"] = "; ".join(sources)
        return StatResult(tab, "", facts, {"residuals": residuals, "source": "; ".join(sources)})

    def residuals(self, implied: Any) -> Any:
        """The residual table of :meth:`implied_weights` (printed total − fitted)."""
        if isinstance(implied, Missing):
            return implied
        return implied.extra["residuals"]

    def data_names(self) -> set[str]:
        """Names of the bundled datasets this edition reads (its dataset, the cities, benchmark,
        published-reference and panel editions' datasets) and of the published tables behind their
        files; the built-in reference tables every dataset of a level reads (provinces, cities, GDP)
        are not named, so a claim about them belongs to no edition in particular."""
        from dgkit import data
        from dgkit.datasets import open_dataset

        names = {self.dataset.name, *map(str, self.params.get("published_references") or []),
                 *map(str, (self.params.get("benchmark") or {}).get("datasets") or [])}
        if (self.params.get("cities") or {}).get("dataset"):
            names.add(str(self.params.get("cities")["dataset"]))
        if self.params.get("panel_edition"):
            names.add(self.panel_edition().dataset.name)
        files: set[Path] = set()
        for n in list(names):
            try:
                ds = open_dataset(n)
            except Exception:  # noqa: BLE001 - a name params already validated; a missing one has nothing to add
                continue
            names.add(ds.name)
            files |= {Path(f["path"]).resolve() for f in ds.files if f.get("path")}
        by_path = {data.path(k).resolve(): k for k in data.CATALOGUE if data.CATALOGUE[k][1] == "published"}
        return names | {by_path[f] for f in files if f in by_path}

    def published_claims(self) -> StatResult | Missing:
        """Every printed figure of the seed reports about this edition's data, recomputed
        (:func:`dgkit.fidelity.verify`); Missing when none concerns it."""
        from dgkit import fidelity
        from dgkit.report.bibliography import Citation

        res = fidelity.verify(datasets=self.data_names(), lang=self.lang)
        if isinstance(res, Missing):
            return res
        # each printed figure cites its report by key, at the place it stands (GB/T 7714 or APA, in the edition's language)
        cite = [[Citation(SEED_CITES.get(s, s), loc)] for s, loc in zip(res.table["seed"], res.table["locator"], strict=True)]
        res.table["source"] = pd.Series(cite, index=res.table.index, dtype=object)
        res.table.drop(columns=["locator"], inplace=True)
        for it in res.extra.get("items", []):
            row = res.table[res.table["claim_id"].str.replace(".", "_", regex=False) == it["key"]]
            if len(row):
                it["source"] = row["source"].iloc[0]
        return res

    # ------------------------------------------------------------------ other indices
    def benchmarks(self) -> dict[str, pd.Series] | Missing:
        """External indices on the units they share with the analysed index (≥ 3): the params'
        ``benchmark.datasets``, else every bundled dataset of the same level with a comparable
        measure. Each enters with its headline measure, or its ordinal reference as ranks."""
        from dgkit.datasets import open_dataset

        bench = self.params.get("benchmark") or {}
        names = bench.get("datasets")
        if names is None:
            names = default_benchmarks(self.dataset)
        own = self.dataset.spec_path
        s = self.scores()
        if isinstance(s, Missing):
            return s
        out: dict[str, pd.Series] = {}
        for n in names:
            ds = open_dataset(str(n))
            if ds.spec_path == own or (ds.synthetic and not self.synthetic):  # real data are never compared with synthetic
                continue
            per = self.period_of(ds)  # never a period after the focus year
            c = ds.comparable(per) if per is not None else None
            if c is None:
                continue
            c = c[c.index.isin(s.index)]
            if len(c) >= 3:
                c.attrs["source"] = ds.citation
                out[f"{ds.text('short_title', self.lang)} {per}" if per != self.year and str(per) not in ds.text("short_title", self.lang) else ds.text("short_title", self.lang)] = c
        if not out:
            return Missing(self.t("skips.no_benchmark", level=self.t(f"levels.{self.level}")))
        own_s = s.copy()
        own_s.attrs["source"] = self.citation
        return {self.t("report.this_index"): own_s, **out}

    def kappa_inputs(self) -> tuple[pd.Series, pd.Series, list[str]] | Missing:
        """(this index's tiers mapped as the params state, the other dataset's grades, categories)."""
        from dgkit import tiers
        from dgkit.datasets import open_dataset

        kap = (self.params.get("benchmark") or {}).get("kappa")
        if not kap:
            return Missing(self.t("skips.no_kappa"))
        scheme = next(t for t in self.params.get("tiers") or [] if t["name"] == kap["scheme"])
        other = open_dataset(kap["dataset"])
        per = self.period_of(other)
        s = self.scores()
        if per is None or isinstance(s, Missing):
            return s if isinstance(s, Missing) else Missing(self.t("skips.no_period_before", dataset=other.text("short_title", self.lang), year=self.year))
        ref = other.reference(kap["reference"]).xs(per, level="period")
        mine = tiers.fixed_tiers(s, scheme["thresholds"], scheme.get("labels") or tiers.TSINGHUA_LABELS).map(kap["mapping"])
        ref.attrs["source"] = other.citation
        return mine, ref, list(kap["categories"])

    def city_types(self) -> tuple[pd.Series, pd.DataFrame, Any] | Missing:
        """(published tier per city, city → type members, published shares or Missing) of the
        params' ``cities`` dataset (a city-level dataset with a type grouping and printed tiers)."""
        from dgkit.datasets import open_dataset

        c = self.params.get("cities") or {}
        if not c.get("dataset") or not c.get("types") or not c.get("tiers"):
            return Missing(self.t("skips.no_city_types"))
        ds = open_dataset(c["dataset"])
        per = self.period_of(ds)
        if per is None:
            return Missing(self.t("skips.no_period_before", dataset=ds.text("short_title", self.lang), year=self.year))
        tier = ds.reference(c["tiers"]).xs(per, level="period").dropna()
        members = ds.members(c["types"])
        members.attrs["source"] = ds.citation
        shares = ds.reference_tables.get(c.get("shares", "")) if c.get("shares") else None
        return tier, members, shares if shares is not None else Missing(self.t("skips.no_published_table", table="shares"))

    def panel_edition(self) -> Edition:
        """The edition whose built, multi-period index chapters 1 (build), 4 (pillars), 7 (progress),
        10 (robustness), 12 and 13 (disparity, dynamics) analyse: the one named by params
        ``panel_edition``, else this edition itself. The default edition analyses Tsinghua 2020's
        published one-period index in the other chapters and names the NBS example index of
        2013-2023 (nbs.yaml) for these."""
        pe = self.params.get("panel_edition")
        return open_edition(pe, lang=self.lang) if pe else self

    def spatial_weights(self, values: Any = None) -> Any:
        """Spatial weights of the analysed units (params ``dynamics.weights``, default contiguity):
        a kind of :func:`dgkit.stats.spatial.province_weights` for provincial data, or a CSV of
        ``unit_id, neighbour_id[, weight]`` for any level. Missing where neither applies, and the
        Missing of ``values`` (the data the weights are for) when those are missing."""
        if isinstance(values, Missing):
            return values
        kind = self.option("dynamics.weights", "contiguity")
        from dgkit.stats import spatial

        if str(kind).lower().endswith(".csv"):
            return spatial.weights_from_table(str(kind))
        if self.level != "province":
            return Missing(self.t("skips.no_weights", level=self.t(f"levels.{self.level}")))
        return spatial.province_weights(kind, k=self.option("dynamics.k", 4))

    def subsystems(self, period: int | None = None) -> pd.DataFrame | Missing:
        """The components as subsystems in [0, 1] for coupling coordination: kept as they are when
        every score is in [0, 1], divided by 100 when every score is in [0, 100] (the usual 0–100
        pillar scale), else min-max rescaled over the units (the rule is in ``attrs["rule"]``)."""
        P = self.components(period)
        if isinstance(P, Missing):
            return P
        lo, hi = float(P.min().min()), float(P.max().max())
        if lo >= 0 and hi <= 1:
            out, rule = P, "@scale_unit"
        elif lo >= 0 and hi <= 100:
            out, rule = P / 100, "@scale_percent"
        else:
            rng = (P.max() - P.min()).replace(0, float("nan"))
            out, rule = ((P - P.min()) / rng).fillna({c: 1.0 for c in P.columns[rng.isna()]}), "@scale_minmax"  # a constant pillar is fully developed
        out = out.copy()
        out.attrs["rule"] = rule
        return out

    def option(self, dotted: str, default: Any = None) -> Any:
        """A chapter option of the params (e.g. ``dispersion.ddof``)."""
        return self.params.get(dotted, default)
