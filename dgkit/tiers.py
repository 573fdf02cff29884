"""Tiers (梯队 / 梯度 / 档次) and ranks.

* :func:`rank_scores` — ranks with ties sharing a rank. ``ties="min"`` (default) gives
  competition ranks (1, 1, 3); ``ties="dense"`` (1, 1, 2, 3, 3, 4) is how some seeds word ties
  (Tsinghua 三(三)2 并列第二 … 并列第三). ``decimals`` rounds scores first (published scores are
  rounded, so equal printed scores tie).
* :func:`fixed_tiers` — fixed thresholds with **inclusive lower bounds**: Tsinghua provinces
  70/65/60/50 (三(二): "70 分（含）以上 … 50 分以下"), CSTC bands [95,100), [85,95) … [0,60).
* :func:`percentile_tiers` — by rank position: unit at rank r (1 = best) of N is in band k when
  ⌊c₍k−1₎·N⌋ < r ≤ ⌊c_k·N⌋. A boundary between two ranks is resolved by flooring: Tsinghua's
  cuts 10/25/45/65 % on 101 cities give 10/15/20/20/36, the sizes it prints. Ties in score follow
  rank order (the published order).
* :func:`five_equal_parts` — 国脉 五等分, both readings: ``"range"`` splits [min, max] into five
  equal-width intervals (mapclassify.EqualInterval); ``"count"`` splits the ranking into five
  equal groups (cuts 20/40/60/80 % by the percentile rule).
* :func:`natural_breaks` — Fisher-Jenks for 梯队 without stated cuts.

Class breaks: ``engine="numpy"`` (default) computes equal intervals and exact Fisher-Jenks
(dynamic programming, O(k·n²)) in a few lines; ``engine="mapclassify"`` uses the library. The
tests check that both give identical classes. The default avoids importing mapclassify in every
report kernel (its import pulls scipy.stats, scikit-learn and networkx: 1.5–2 s per chapter).
* :func:`reconcile` — computed vs published tiers: every unit that differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from dgkit.errors import AnalysisError, InputError
from dgkit.pipeline.steps import Param, Step, StepError, register
from dgkit.stats.result import Missing, StatResult, require_finite, skippable, unit_names

TSINGHUA_LABELS = ["引领型", "优质型", "特色型", "发展型", "追赶型"]
CSTC_LABELS = ["卓越", "优秀", "良好", "发展", "起步"]
ECHELON_LABELS = ["第一梯队", "第二梯队", "第三梯队", "第四梯队", "第五梯队"]


def label(tier: object, lang: str = "zh") -> object:
    """Display label of a tier in ``lang``: the labels catalogue's ``values.<tier>`` (the data keep the
    reports' Chinese labels), else the tier as it is."""
    if not isinstance(tier, str):
        return tier
    from dgkit.report.labels import Labels

    t = Labels(lang)
    return t(f"values.{tier}") if t.has(f"values.{tier}") else tier


def rank_scores(scores: pd.Series, ties: str = "min", decimals: int | None = None, ascending: bool = False) -> pd.Series:
    """Rank (1 = best); equal scores share a rank (see module docstring)."""
    s = scores.round(decimals) if decimals is not None else scores
    return s.rank(method=ties, ascending=ascending).astype("Int64").rename("rank")


class Ranking(Step):
    """The rank step of the pipeline: :func:`rank_scores` within each period (``ties``, ``decimals``)."""

    kind = "rank"
    name = "standard"
    params = {"ties": Param("min", choices=("dense", "min", "max", "average", "first")),
              "decimals": Param(None, check=lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0),
                                expected="None or an integer ≥ 0")}

    def transform(self, scores: pd.Series, **_: object) -> pd.Series:
        return rank_scores(scores, ties=self.options["ties"], decimals=self.options["decimals"])


register("rank")(Ranking)


def fixed_tiers(scores: pd.Series, thresholds: Sequence[float], labels: Sequence[str]) -> pd.Series:
    """Tier by descending thresholds with inclusive lower bounds: score ≥ thresholds[0] → labels[0] …"""
    th = list(thresholds)
    if len(labels) != len(th) + 1:
        raise InputError(f"fixed tiers need one more label than thresholds; got {len(th)} threshold(s) and {len(labels)} label(s)",
                            expected=f"{len(th) + 1} labels")
    if any(a <= b for a, b in zip(th, th[1:])):
        raise InputError("fixed tier thresholds must be strictly decreasing", expected="e.g. [70, 65, 60, 50]",
                            got=th)
    require_finite(scores.dropna(), "fixed tiers")
    def one(x: float) -> str | float:
        if pd.isna(x):
            return np.nan
        for t, lab in zip(th, labels):
            if x >= t:
                return lab
        return labels[-1]
    return scores.map(one).rename("tier")


def percentile_tiers(scores: pd.Series, cuts: Sequence[float], labels: Sequence[str], order: Sequence | None = None) -> pd.Series:
    """Tier by rank position with the flooring rule (see module docstring)."""
    s = scores.dropna()
    if order is not None:
        idx = [u for u in order if u in s.index]
    else:
        idx = list(s.sort_values(ascending=False, kind="mergesort").index)
    n = len(idx)
    k = len(cuts) + 1
    if len(labels) != k:
        raise InputError(f"percentile tiers need one more label than cuts; got {len(cuts)} cut(s) and {len(labels)} label(s)",
                            expected=f"{k} labels")
    if 0 < n < k:  # by the flooring rule the best unit would land in a low tier: the scheme is meaningless here
        raise AnalysisError(f"percentile tiers by rank position need at least as many units as tiers; got {n} unit(s) "
                            f"({unit_names(idx)}) for {k} tiers (by the flooring rule the best of them would be put in "
                            f"{labels[next(i for i, b in enumerate([int(np.floor(c * n + 1e-9)) for c in cuts] + [n]) if b >= 1)]})",
                            expected=f"{k} or more units, or fixed thresholds")
    bounds = [int(np.floor(c * n + 1e-9)) for c in cuts] + [n]
    out = {}
    for r, u in enumerate(idx, start=1):
        k = next(i for i, b in enumerate(bounds) if r <= b)
        out[u] = labels[k]
    return pd.Series(out, name="tier").reindex(scores.index)


def tier_sizes(n: int, cuts: Sequence[float]) -> list[int]:
    """Sizes the percentile rule gives for n units."""
    b = [0] + [int(np.floor(c * n + 1e-9)) for c in cuts] + [n]
    return [b2 - b1 for b1, b2 in zip(b, b[1:])]


def equal_interval_classes(x: np.ndarray, k: int) -> np.ndarray:
    """Class 0 … k−1 (0 = lowest) of equal-width intervals over [min, max], upper bounds inclusive
    (mapclassify.EqualInterval's convention)."""
    lo, hi = float(np.min(x)), float(np.max(x))
    width = (hi - lo) / k
    bins = lo + width * np.arange(1, k + 1)
    bins[-1] = hi
    return np.searchsorted(bins, x, side="left")


def fisher_jenks_classes(x: np.ndarray, k: int) -> np.ndarray:
    """Exact Fisher-Jenks: contiguous classes of the sorted values minimising the total within-class
    sum of squared deviations; class 0 = lowest."""
    v = np.sort(np.asarray(x, dtype=float))
    n = len(v)
    k = min(k, len(np.unique(v)))
    c1, c2 = np.concatenate([[0.0], np.cumsum(v)]), np.concatenate([[0.0], np.cumsum(v * v)])

    INF = np.inf
    D = np.full((k + 1, n + 1), INF)
    arg = np.zeros((k + 1, n + 1), dtype=int)
    D[0, 0] = 0.0
    for c in range(1, k + 1):
        for j in range(c, n + 1):  # vectorised over the start i of the last class (values i..j-1)
            i = np.arange(c - 1, j)
            m = j - i
            s = c1[j] - c1[i]
            val = D[c - 1, i] + (c2[j] - c2[i] - s * s / m)
            best = val.min()
            bi = int(i[np.argmax(val <= best + 1e-12)])  # the first start within rounding of the minimum
            D[c, j], arg[c, j] = best, bi
    uppers, j = [], n
    for c in range(k, 0, -1):
        uppers.append(v[j - 1])
        j = arg[c, j]
    bins = np.array(sorted(uppers))
    return np.searchsorted(bins, np.asarray(x, dtype=float), side="left")


def five_equal_parts(scores: pd.Series, by: str = "range", labels: Sequence[str] = ECHELON_LABELS, engine: str = "numpy") -> pd.Series:
    """国脉 五等分: ``by="range"`` equal score intervals, ``by="count"`` equal numbers of units."""
    s = scores.dropna()
    if by not in ("range", "count"):
        raise InputError(f"五等分 by {by!r} is not a reading of it", expected="'range' or 'count'")
    if s.empty:
        raise AnalysisError("五等分 of no scores", expected="one or more units with a score")
    if by == "count":
        return percentile_tiers(scores, [0.2, 0.4, 0.6, 0.8], labels)
    require_finite(s, "五等分")
    if s.nunique() < 2:
        raise AnalysisError(f"五等分 by range splits [min, max] into five equal intervals, but all {len(s)} unit(s) score {s.iat[0]:g} "
                            "(max = min)", expected="scores that differ (or by='count')")
    if engine == "mapclassify":
        import mapclassify

        yb = mapclassify.EqualInterval(s.to_numpy(), k=5).yb
    else:
        yb = equal_interval_classes(s.to_numpy(), 5)
    # class 0 = lowest interval; the first echelon is the highest
    return pd.Series([labels[4 - int(c)] for c in yb], index=s.index, name="tier").reindex(scores.index)


def natural_breaks(scores: pd.Series, k: int = 4, labels: Sequence[str] | None = None, engine: str = "numpy") -> pd.Series:
    """Fisher-Jenks natural breaks into k classes; labels[0] is the highest class."""
    s = scores.dropna()
    if not (isinstance(k, int | np.integer) and k >= 1):
        raise InputError("natural breaks need one or more classes", expected="an integer ≥ 1", got=k)
    if s.empty:
        return pd.Series(np.nan, index=scores.index, name="tier", dtype=object)
    require_finite(s, "natural breaks")
    labels = list(labels or ECHELON_LABELS[:k])
    k = min(k, int(s.nunique()))  # no more classes than distinct scores: every class holds a score, labels[0] the highest
    if engine == "mapclassify":
        import warnings

        import mapclassify

        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Numba not installed")
            yb = mapclassify.FisherJenks(s.to_numpy(), k=k).yb
    else:
        yb = fisher_jenks_classes(s.to_numpy(), k)
    return pd.Series([labels[k - 1 - int(c)] for c in yb], index=s.index, name="tier").reindex(scores.index)


def reconcile(computed: pd.Series, published: pd.Series, scores: pd.Series | None = None) -> pd.DataFrame:
    """Every unit whose computed tier differs from the published one (or is missing on one side)."""
    df = pd.DataFrame({"computed": computed, "published": published})
    if scores is not None:
        df.insert(0, "score", scores)
    diff = df[(df["computed"].astype(str) != df["published"].astype(str))]
    return diff.rename_axis("unit").reset_index()


@skippable
def classify(scores: pd.Series, schemes: Sequence[dict], lang: str = "zh") -> StatResult:
    """Every tier scheme of an edition on one index: ``fixed`` (``thresholds``, ``labels``),
    ``percentile`` (``cuts``), ``five_equal`` (``by``: range | count) and ``natural_breaks`` (``k``).

    ``.table``: unit_id × scheme (labels in ``lang``) with the score; ``.extra["counts"]``: scheme,
    tier, n; ``.extra["tiers"]``: scheme → raw tiers; ``.extra["order"]``: scheme → tier order."""
    s = scores.dropna()
    table = pd.DataFrame({"unit_id": s.index, "score": s.to_numpy()})
    counts, raw, orders = [], {}, {}
    if s.empty:
        raise AnalysisError("no scores to put into tiers" + (f": every one of the {len(scores)} units' scores is missing" if len(scores) else ""),
                            expected="one or more units with a score")
    require_finite(s, "tiers")
    undefined: dict[str, str] = {}
    for spec in schemes:
        name, scheme = spec["name"], spec["scheme"]
        try:
            t, order = _scheme(s, spec, scheme)
        except AnalysisError as e:  # one scheme undefined on these data (not a mistake in the scheme, an InputError): the others are shown, this one is stated
            undefined[name] = e.problem
            raw[name], orders[name] = pd.Series(np.nan, index=s.index, name="tier", dtype=object), []
            table[name] = None
            continue
        raw[name], orders[name] = t, order
        table[name] = t.reindex(s.index).map(lambda x: label(x, lang)).to_numpy()
        vc = t.value_counts()
        counts += [{"scheme": name, "tier": label(o, lang), "n": int(vc.get(o, 0))} for o in order]
    c = pd.DataFrame(counts, columns=["scheme", "tier", "n"])
    table = table.sort_values("score", ascending=False).reset_index(drop=True)
    defined = [sp["name"] for sp in schemes if sp["name"] not in undefined]
    if schemes and not defined:
        return Missing.undefined("tiers_undefined", "no tier scheme is defined on these scores: " + "; ".join(f"{k}: {v}" for k, v in undefined.items()),
                                 schemes=", ".join(undefined), n=len(s))
    first = defined[0] if defined else ""
    fc = c[c["scheme"] == first]
    facts = {"n": len(s), "schemes": len(schemes), "first_scheme": first,
             "first_counts": ", ".join(f"{r.tier} {r.n}" for r in fc.itertuples()),
             "undefined_schemes": ", ".join(undefined), "undefined_note": "@tier_schemes_undefined" if undefined else ""}
    sentence = (f"{len(schemes)} tier scheme(s) on n = {len(s)} units; {first}: {facts['first_counts']}"
                + "".join(f"; {k} undefined: {v}" for k, v in undefined.items()))
    return StatResult(table, sentence, facts, {"counts": c, "tiers": raw, "order": orders, "undefined": undefined})


def _scheme(s: pd.Series, spec: dict, scheme: str) -> tuple[pd.Series, list]:
    """The tiers of one scheme of :func:`classify` and their order."""
    if scheme == "fixed":
        order = list(spec.get("labels") or TSINGHUA_LABELS)
        t = fixed_tiers(s, spec["thresholds"], order)
    elif scheme == "percentile":
        order = list(spec.get("labels") or TSINGHUA_LABELS)
        t = percentile_tiers(s, spec["cuts"], order)
    elif scheme == "five_equal":
        order = list(ECHELON_LABELS)
        t = five_equal_parts(s, spec.get("by", "range"))
    elif scheme == "natural_breaks":
        k = min(int(spec.get("k", 4)), max(1, s.nunique()))
        order = list(ECHELON_LABELS[:k])
        t = natural_breaks(s, k)
    else:
        raise StepError(f"unknown tier scheme {scheme!r}", expected="fixed, percentile, five_equal or natural_breaks")
    return t, order


@skippable
def reconcile_published(classes: StatResult, published: dict[str, pd.Series], scores: pd.Series,
                        names: pd.Series | None = None, lang: str = "zh", labels: Any = None) -> StatResult:
    """Computed tiers against published ones, for every scheme with a published reference: one
    row per unit that differs (or is missing on one side), and per scheme the count (``labels``:
    scheme name → its display label, for the sentence)."""
    rows, per = [], []
    for name, pub in published.items():
        t = classes.extra["tiers"].get(name)
        if t is None:
            continue
        rec = reconcile(t, pub.reindex(t.index.union(pub.dropna().index)), scores)
        per.append({"scheme": name, "n": int(pub.dropna().index.isin(t.index).sum()), "differences": len(rec)})
        for r in rec.itertuples(index=False):
            rows.append({"scheme": name, "unit_id": r.unit, "name": names.get(r.unit, r.unit) if names is not None else r.unit,
                         "score": getattr(r, "score", np.nan), "computed": label(r.computed, lang), "published": label(r.published, lang)})
    t = pd.DataFrame(rows, columns=["scheme", "unit_id", "name", "score", "computed", "published"])
    p = pd.DataFrame(per, columns=["scheme", "n", "differences"])
    facts = {"n_schemes": len(p), "differences": int(p["differences"].sum()) if len(p) else 0,
             "detail": ", ".join(f"{labels.get(r.scheme, r.scheme) if labels is not None else r.scheme} {r.differences}/{r.n}" for r in p.itertuples())}
    return StatResult(t, f"computed vs published tiers: {facts['detail']}", facts, {"per_scheme": p})
