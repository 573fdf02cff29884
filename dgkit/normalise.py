"""Normalisation: put indicators on a common scale (one step kind of :mod:`dgkit.pipeline`).

Every method is a step: ``fit`` learns from a reference cohort (the same period, or a fixed base
period — see :func:`dgkit.build`) and keeps what it learned in ``fitted_``; ``transform`` applies
it to any period, so with a base period the scores of later periods are comparable in level.
``directions`` (+1/−1 per column) orient every method so that higher is better.

* ``none`` — pass-through ``Z = X`` (data already on a common scale, e.g. the UN's published
  OSI/HCI/TII in [0, 1]). A negative indicator is an error: nothing would orient it.
* ``ccid`` — CCID 2020 (000_… 附录 02): count indicators ``Z = ln(1 + X/X̄)·80``, index-type
  indicators ``Z = X/X̄·80``, X̄ the reference cohort's mean. A unit at the mean scores
  80·ln 2 ≈ 55.45 (count) or 80 (index). X̄ ≤ 0 is an error, not inf. Fitted: X̄.
* ``minmax`` — ``lo + (hi − lo)·(X − min)/(max − min)`` (default [0, 100]); a constant indicator
  is an error. Fitted: min, max.
* ``zscore`` — ``(X − mean)/sd``, ``ddof`` 0 (population, default) or 1. Fitted: mean, sd.
* ``zscore_minmax`` — z-score, then min-max of the z-scores to [lo, hi] (default [0, 1]; the UN
  EGDI's convention for its components). Fitted: mean, sd, min and max of z.
* ``rank`` — percentile rank ``100·(r − 1)/(n − 1)`` with r the average rank among the n
  reference values (ties averaged); a value outside the reference gets the rank it would have.
* ``target`` — distance to target, ``100·min(X/target, 1)``; a negative indicator scores
  ``100·min(target/X, 1)``. ``target`` per indicator in the framework.
* ``goalposts`` — ``100·(X − lower)/(upper − lower)`` clipped to [0, 100] (OECD/JRC Handbook
  §5; SDG Index); a negative indicator scores ``100·(upper − X)/(upper − lower)``. ``lower`` and
  ``upper`` per indicator in the framework.
* ``vector`` — ``X/√(Σ X²)`` over the reference (TOPSIS's vector normalisation).

Negative indicators: the linear methods (minmax, zscore, zscore_minmax, rank, vector) multiply the
column by −1. For ``ccid`` that would make the mean negative, so a negative indicator is reflected
within the reference range first, ``X' = max + min − X``: X' ≥ 0, the same spread, the order
reversed (the fitted max and min are kept, so other periods are reflected the same way).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from dgkit.errors import NormalisationError
from dgkit.pipeline.steps import NUMBER, Param, Step, make_step, register

CCID_SCALE = 80.0


def _dirs(X: pd.DataFrame, directions: Mapping[str, int] | pd.Series | None) -> pd.Series:
    if directions is None:
        return pd.Series(1, index=X.columns)
    d = pd.Series(directions).reindex(X.columns).fillna(1).astype(int)
    bad = d[~d.isin([1, -1])]
    if len(bad):
        raise NormalisationError(f"direction of {bad.index[0]} is {bad.iat[0]}; expected +1 or -1")
    return d


def _info(X: pd.DataFrame, info: pd.DataFrame | None, col: str, what: str, context: str) -> pd.Series:
    """A per-indicator parameter from the framework (type, target, lower, upper)."""
    if info is None or col not in info.columns:
        raise NormalisationError(f"{what} needs '{col}' for every indicator (set it in the framework){context}")
    v = info[col].reindex(X.columns)
    if v.isna().any():
        miss = list(map(str, v[v.isna()].index))
        shown = ", ".join(miss[:5]) + (f" … ({len(miss)} in all)" if len(miss) > 5 else "")
        raise NormalisationError(f"{what} needs '{col}' for indicator(s) {shown}{context}; set `{col}:` on each indicator in the framework YAML")
    return v


def _positive(v: Any) -> bool:
    return NUMBER(v) and v > 0


class Normaliser(Step):
    """A normalisation step: ``fit(ref, directions=…, info=…)`` then ``transform(X, …)``."""

    kind = "normalise"


@register("normalise")
class NoNormalisation(Normaliser):
    name = "none"

    def fit(self, X: pd.DataFrame, directions: Any = None, info: Any = None, context: str = "", **_: Any) -> Step:
        d = _dirs(X, directions)
        if (d == -1).any():
            raise NormalisationError(f"normalisation 'none' cannot orient the negative indicator(s) {', '.join(d.index[d == -1])}{context}; "
                                     "use a method that does (minmax, zscore, …) or set direction: 1")
        return self

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        return X.astype(float)


@register("normalise")
class CCID(Normaliser):
    """CCID 2020: ln(1 + X/X̄)·scale for counts, X/X̄·scale for index-type indicators."""

    name = "ccid"
    params = {"scale": Param(CCID_SCALE, check=_positive, expected="a positive number")}

    def fit(self, X: pd.DataFrame, directions: Any = None, info: pd.DataFrame | None = None, context: str = "", **_: Any) -> Step:
        d = _dirs(X, directions)
        t = _info(X, info, "type", "CCID normalisation", context)
        bad_t = t[~t.isin(["count", "index"])]
        if len(bad_t):
            raise NormalisationError(f"indicator {bad_t.index[0]} has type {bad_t.iat[0]!r}; expected 'count' or 'index'{context}")
        lo, hi = X.min(), X.max()
        Xr = self._reflect(X, d, lo, hi)
        xbar = Xr.mean()
        bad = xbar[~(xbar > 0)]
        if len(bad):
            raise NormalisationError(
                f"CCID normalisation needs a positive base mean X̄, but indicator {bad.index[0]}{context} has X̄ = {float(bad.iat[0]):g}: "
                "ln(1 + X/X̄) and X/X̄ are undefined (check for an all-zero or negative indicator)")
        self.fitted_ = {"mean": xbar, "min": lo, "max": hi, "directions": d, "type": t}
        return self

    @staticmethod
    def _reflect(X: pd.DataFrame, d: pd.Series, lo: pd.Series, hi: pd.Series) -> pd.DataFrame:
        neg = d.reindex(X.columns).eq(-1)
        if not neg.any():
            return X.astype(float)
        return X.astype(float).where(~neg, hi + lo - X, axis=1)

    def transform(self, X: pd.DataFrame, context: str = "", **_: Any) -> pd.DataFrame:
        f = self.fitted_
        ratio = np.array(self._reflect(X, f["directions"], f["min"], f["max"]) / f["mean"], dtype=float)  # a writable copy
        cnt = f["type"].reindex(X.columns).eq("count").to_numpy()
        with np.errstate(invalid="ignore"):
            bad = (ratio[:, cnt] <= -1).any(axis=0)
        if bad.any():
            c = X.columns[np.flatnonzero(cnt)[np.flatnonzero(bad)[0]]]
            why = (" (a negative indicator is reflected within the reference range, X' = max + min − X; this value lies beyond it: "
                   "fit on each period, base='per_period', or use minmax/zscore)") if f["directions"].get(c, 1) == -1 else ""
            raise NormalisationError(f"X/X̄ ≤ −1 for indicator {c}{context}: ln(1 + X/X̄) undefined{why}")
        ratio[:, cnt] = np.log1p(ratio[:, cnt])
        return pd.DataFrame(ratio * self.options["scale"], index=X.index, columns=X.columns)


@register("normalise")
class MinMax(Normaliser):
    """lo + (hi − lo)·(X − min)/(max − min), min and max of the reference."""

    name = "minmax"
    params = {"lo": Param(0.0, check=NUMBER, expected="a number"), "hi": Param(100.0, check=NUMBER, expected="a number")}

    def fit(self, X: pd.DataFrame, directions: Any = None, context: str = "", **_: Any) -> Step:
        d = _dirs(X, directions)
        Xs = X * d
        lo, hi = Xs.min(), Xs.max()
        zero = (hi - lo)[~(hi - lo > 0)]
        if len(zero):
            raise NormalisationError(f"indicator {zero.index[0]}{context} is constant: min-max is undefined (max = min)")
        self.fitted_ = {"min": lo, "max": hi, "directions": d}
        return self

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        f, o = self.fitted_, self.options
        return o["lo"] + (o["hi"] - o["lo"]) * (X * f["directions"] - f["min"]) / (f["max"] - f["min"])


@register("normalise")
class ZScore(Normaliser):
    """(X − mean)/sd of the reference; sd with the given ddof."""

    name = "zscore"
    params = {"ddof": Param(0, choices=(0, 1))}

    def fit(self, X: pd.DataFrame, directions: Any = None, context: str = "", **_: Any) -> Step:
        d = _dirs(X, directions)
        Xs = X * d
        sd = Xs.std(ddof=self.options["ddof"])
        zero = sd[~(sd > 0)]
        if len(zero):
            raise NormalisationError(f"indicator {zero.index[0]}{context} has zero variance: z-score undefined")
        self.fitted_ = {"mean": Xs.mean(), "sd": sd, "directions": d}
        return self

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        f = self.fitted_
        return (X * f["directions"] - f["mean"]) / f["sd"]


@register("normalise")
class ZScoreMinMax(Normaliser):
    """z-score, then min-max of the reference z-scores to [lo, hi] (UN EGDI components)."""

    name = "zscore_minmax"
    params = {"ddof": Param(0, choices=(0, 1)), "lo": Param(0.0, check=NUMBER, expected="a number"),
              "hi": Param(1.0, check=NUMBER, expected="a number")}

    def fit(self, X: pd.DataFrame, directions: Any = None, context: str = "", **_: Any) -> Step:
        self._z = ZScore(ddof=self.options["ddof"]).fit(X, directions, context=context)
        self._m = MinMax(lo=self.options["lo"], hi=self.options["hi"]).fit(self._z.transform(X), None, context=context)
        self.fitted_ = {**self._z.fitted_, "z_min": self._m.fitted_["min"], "z_max": self._m.fitted_["max"]}
        return self

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        return self._m.transform(self._z.transform(X))


@register("normalise")
class PercentileRank(Normaliser):
    """100·(r − 1)/(n − 1), r the average rank among the reference values."""

    name = "rank"
    params = {"scale": Param(100.0, check=_positive, expected="a positive number")}

    def fit(self, X: pd.DataFrame, directions: Any = None, **_: Any) -> Step:
        d = _dirs(X, directions)
        self.fitted_ = {"directions": d, "reference": {c: np.sort((X[c] * d[c]).dropna().to_numpy(float)) for c in X.columns}}
        return self

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        out = {}
        for c in X.columns:
            ref = self.fitted_["reference"][c]
            n = len(ref)
            x = (X[c] * self.fitted_["directions"][c]).to_numpy(float)
            less = np.searchsorted(ref, x, side="left")
            equal = np.searchsorted(ref, x, side="right") - less
            r = less + (equal + 1) / 2
            v = self.options["scale"] * (r - 1) / (n - 1) if n > 1 else np.full(len(x), np.nan)
            out[c] = np.where(np.isnan(x), np.nan, np.clip(v, 0, self.options["scale"]))
        return pd.DataFrame(out, index=X.index)


@register("normalise")
class DistanceToTarget(Normaliser):
    """100·min(X/target, 1); negative indicators 100·min(target/X, 1). ``target`` per indicator."""

    name = "target"
    params = {"scale": Param(100.0, check=_positive, expected="a positive number"), "cap": Param(True, choices=(True, False))}

    def fit(self, X: pd.DataFrame, directions: Any = None, info: pd.DataFrame | None = None, context: str = "", **_: Any) -> Step:
        tg = _info(X, info, "target", "distance to target", context).astype(float)
        if (tg <= 0).any():
            raise NormalisationError(f"distance to target needs a positive target; {tg[tg <= 0].index[0]} has {tg[tg <= 0].iat[0]:g}{context}")
        self.fitted_ = {"target": tg, "directions": _dirs(X, directions)}
        return self

    def transform(self, X: pd.DataFrame, context: str = "", **_: Any) -> pd.DataFrame:
        tg, d = self.fitted_["target"], self.fitted_["directions"]
        neg = d.eq(-1)
        if neg.any() and (X.loc[:, neg] <= 0).any().any():
            raise NormalisationError(f"distance to target of a negative indicator needs X > 0{context}")
        r = (X / tg).where(~neg, tg / X, axis=1) * self.options["scale"]
        return r.clip(upper=self.options["scale"]) if self.options["cap"] else r


@register("normalise")
class Goalposts(Normaliser):
    """100·(X − lower)/(upper − lower), clipped; ``lower``/``upper`` per indicator (OECD/JRC §5)."""

    name = "goalposts"
    params = {"scale": Param(100.0, check=_positive, expected="a positive number"), "clip": Param(True, choices=(True, False))}

    def fit(self, X: pd.DataFrame, directions: Any = None, info: pd.DataFrame | None = None, context: str = "", **_: Any) -> Step:
        lo = _info(X, info, "lower", "goalposts", context).astype(float)
        hi = _info(X, info, "upper", "goalposts", context).astype(float)
        bad = (hi - lo)[~(hi - lo > 0)]
        if len(bad):
            raise NormalisationError(f"goalposts of {bad.index[0]} need lower < upper{context}")
        self.fitted_ = {"lower": lo, "upper": hi, "directions": _dirs(X, directions)}
        return self

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        f = self.fitted_
        up = (X - f["lower"]) / (f["upper"] - f["lower"])
        z = up.where(f["directions"].eq(1), 1 - up, axis=1) * self.options["scale"]
        return z.clip(0, self.options["scale"]) if self.options["clip"] else z


@register("normalise")
class Vector(Normaliser):
    """X/√(Σ X²) over the reference (TOPSIS)."""

    name = "vector"

    def fit(self, X: pd.DataFrame, directions: Any = None, context: str = "", **_: Any) -> Step:
        d = _dirs(X, directions)
        norm = np.sqrt(((X * d) ** 2).sum())
        zero = norm[~(norm > 0)]
        if len(zero):
            raise NormalisationError(f"indicator {zero.index[0]}{context} is all zero: vector normalisation undefined")
        self.fitted_ = {"norm": norm, "directions": d}
        return self

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        return X * self.fitted_["directions"] / self.fitted_["norm"]


# ------------------------------------------------------------------ functions (one cohort: fit and transform on X)
def normalise(X: pd.DataFrame, method: Any = "ccid", *, types: Any = None, directions: Any = None, targets: Any = None,
              context: str = "", **options: Any) -> pd.DataFrame:
    """Normalise one cohort with a method by name (fitted on X itself)."""
    info = pd.DataFrame(index=X.columns)
    if types is not None:
        info["type"] = pd.Series(types).reindex(X.columns)
    if targets is not None:
        info["target"] = pd.Series(targets).reindex(X.columns)
    step = make_step("normalise", {"method": method, **options} if isinstance(method, str) else method)
    return step.fit(X, directions=directions, info=info, context=context).transform(X, context=context)


def ccid(X: pd.DataFrame, types: Any, directions: Any = None, scale: float = CCID_SCALE, context: str = "") -> pd.DataFrame:
    return normalise(X, "ccid", types=types, directions=directions, scale=scale, context=context)


def minmax(X: pd.DataFrame, directions: Any = None, lo: float = 0.0, hi: float = 100.0, context: str = "") -> pd.DataFrame:
    return normalise(X, "minmax", directions=directions, lo=lo, hi=hi, context=context)


def zscore(X: pd.DataFrame, directions: Any = None, ddof: int = 0, context: str = "") -> pd.DataFrame:
    return normalise(X, "zscore", directions=directions, ddof=ddof, context=context)


def zscore_minmax(X: pd.DataFrame, directions: Any = None, ddof: int = 0, context: str = "") -> pd.DataFrame:
    return normalise(X, "zscore_minmax", directions=directions, ddof=ddof, context=context)


def rank(X: pd.DataFrame, directions: Any = None) -> pd.DataFrame:
    return normalise(X, "rank", directions=directions)
