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

Degenerate inputs are refused with a :class:`NormalisationError` naming the indicator, the period and
the units: ±inf; an indicator with no value (ccid, minmax, zscore, vector); one value or a constant
(minmax, zscore, rank); a negative count under ``ccid`` (ln(1 + X/X̄) is for counts X ≥ 0). Values
near 1e308 whose sums overflow are handled on a scaled copy (the same results, no inf).

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
from dgkit.stats.result import mean_sd, scale_of

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


def _check_values(X: pd.DataFrame, method: str, context: str, empty: bool = True) -> None:
    """Refuse ±inf (named by unit and indicator) and, with ``empty``, an indicator with no value at all
    (the methods that learn a statistic from it: mean, SD, min and max of nothing)."""
    a = X.to_numpy(dtype=float)
    inf = np.isinf(a)
    if inf.any():
        from dgkit.stats.result import unit_names

        r, c = np.argwhere(inf)[0]
        units = [X.index[i] for i in np.flatnonzero(inf[:, c])]
        raise NormalisationError(f"indicator {X.columns[c]}{context} is {a[r, c]:g} for unit {unit_names(units)}: {method} needs finite values "
                                 "(check for a division by zero or an overflow in the data)")
    none = X.columns[np.isnan(a).all(axis=0)] if len(X) else X.columns
    if empty and len(none):
        raise NormalisationError(f"indicator {none[0]}{context} has no values: {method} cannot be fitted "
                                 "(drop the indicator, or impute it from other periods)")


def _no_spread(X: pd.DataFrame, col: str, context: str, what: str) -> str:
    """Why an indicator has no spread: a value for one unit only, or the same value for every unit."""
    from dgkit.stats.result import unit_names

    v = X[col].dropna()
    if len(v) == 1:
        return f"indicator {col}{context} has a value for one unit only ({unit_names(v.index)}: {v.iat[0]:g}): {what}"
    return f"indicator {col}{context} is constant (all {len(v)} units have {v.iat[0]:g}): {what}"


class Normaliser(Step):
    """A normalisation step: ``fit(ref, directions=…, info=…)`` then ``transform(X, …)``."""

    kind = "normalise"


@register("normalise")
class NoNormalisation(Normaliser):
    name = "none"

    def fit(self, X: pd.DataFrame, directions: Any = None, info: Any = None, context: str = "", **_: Any) -> Step:
        d = _dirs(X, directions)
        _check_values(X, "normalisation 'none'", context, empty=False)
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
        _check_values(X, "CCID normalisation", context)
        cnt = t.eq("count") & d.eq(1)
        neg = X.loc[:, cnt.to_numpy()].lt(0)
        if neg.to_numpy().any():
            self._negative_count(X, neg, context)
        lo, hi = X.min(), X.max()
        Xr = self._reflect(X, d, lo, hi)
        xbar = pd.Series({c: mean_sd(Xr[c])[0] for c in Xr.columns}, dtype=float)  # scaled: a mean of values near 1e308 stays finite
        bad = xbar[~(xbar > 0)]
        if len(bad):
            raise NormalisationError(
                f"CCID normalisation needs a positive base mean X̄, but indicator {bad.index[0]}{context} has X̄ = {float(bad.iat[0]):g}: "
                "ln(1 + X/X̄) and X/X̄ are undefined (check for an all-zero or negative indicator)")
        self.fitted_ = {"mean": xbar, "min": lo, "max": hi, "directions": d, "type": t}
        return self

    @staticmethod
    def _negative_count(X: pd.DataFrame, neg: pd.DataFrame, context: str) -> None:
        from dgkit.stats.result import unit_names

        c = neg.columns[neg.any().to_numpy()][0]
        units = list(neg.index[neg[c].to_numpy()])
        raise NormalisationError(f"count indicator {c}{context} has a negative value ({float(X.loc[units[0], c]):g} for unit "
                                 f"{unit_names(units)}): ln(1 + X/X̄) is for counts X ≥ 0 (fix the data, or declare the indicator "
                                 "type: index)")

    @staticmethod
    def _reflect(X: pd.DataFrame, d: pd.Series, lo: pd.Series, hi: pd.Series) -> pd.DataFrame:
        neg = d.reindex(X.columns).eq(-1)
        if not neg.any():
            return X.astype(float)
        return X.astype(float).where(~neg, hi + lo - X, axis=1)

    def transform(self, X: pd.DataFrame, context: str = "", **_: Any) -> pd.DataFrame:
        f = self.fitted_
        cnt_pos = f["type"].reindex(X.columns).eq("count") & f["directions"].reindex(X.columns).eq(1)
        neg = X.loc[:, cnt_pos.to_numpy()].lt(0)
        if neg.to_numpy().any():  # another period than the fitted one
            self._negative_count(X, neg, context)
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
        _check_values(X, "min-max", context)
        Xs = X * d
        lo, hi = Xs.min(), Xs.max()
        zero = (hi - lo)[~(hi > lo)]
        if len(zero):
            raise NormalisationError(_no_spread(X, zero.index[0], context, "min-max is undefined (max = min)"))
        self.fitted_ = {"min": lo, "max": hi, "directions": d}
        return self

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        f, o = self.fitted_, self.options
        with np.errstate(over="ignore", invalid="ignore"):
            out = o["lo"] + (o["hi"] - o["lo"]) * (X * f["directions"] - f["min"]) / (f["max"] - f["min"])
        if np.isinf(out.to_numpy(float)).any():  # max − min of values near ±1e308 overflows: the same share from halves
            share = (X * f["directions"] / 2 - f["min"] / 2) / (f["max"] / 2 - f["min"] / 2)
            out = o["lo"] + (o["hi"] - o["lo"]) * share
        return out


@register("normalise")
class ZScore(Normaliser):
    """(X − mean)/sd of the reference; sd with the given ddof."""

    name = "zscore"
    params = {"ddof": Param(0, choices=(0, 1))}

    def fit(self, X: pd.DataFrame, directions: Any = None, context: str = "", **_: Any) -> Step:
        d = _dirs(X, directions)
        _check_values(X, "z-score", context)
        Xs = X * d
        ddof = self.options["ddof"]
        ms = {c: mean_sd(Xs[c], ddof) for c in Xs.columns}  # scaled: no overflow near 1e308
        mean, sd = pd.Series({c: v[0] for c, v in ms.items()}, dtype=float), pd.Series({c: v[1] for c, v in ms.items()}, dtype=float)
        zero = sd[~(sd > 0)]
        if len(zero):
            c = zero.index[0]
            if X[c].notna().sum() <= ddof:
                raise NormalisationError(f"indicator {c}{context} has a value for {int(X[c].notna().sum())} unit(s): the sample SD "
                                         "(ddof = 1) needs two or more — z-score undefined")
            raise NormalisationError(_no_spread(X, c, context, "zero variance, z-score undefined"))
        self.fitted_ = {"mean": mean, "sd": sd, "directions": d}
        return self

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        f = self.fitted_
        with np.errstate(over="ignore", invalid="ignore"):
            out = (X * f["directions"] - f["mean"]) / f["sd"]
        if np.isinf(out.to_numpy(float)).any():  # X − mean of values near ±1e308 overflows
            out = X * f["directions"] / f["sd"] - f["mean"] / f["sd"]
        return out


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

    def fit(self, X: pd.DataFrame, directions: Any = None, context: str = "", **_: Any) -> Step:
        d = _dirs(X, directions)
        _check_values(X, "rank normalisation", context, empty=False)
        one = X.columns[X.notna().sum().to_numpy() == 1]  # none at all: missing, as any missing cell
        if len(one):
            raise NormalisationError(_no_spread(X, one[0], context, "a percentile rank 100·(r − 1)/(n − 1) needs two or more units"))
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
        _check_values(X, "vector normalisation", context)
        m = pd.Series(1.0, index=X.columns)
        with np.errstate(over="ignore"):
            norm = np.sqrt(((X * d) ** 2).sum())
        if np.isinf(norm).any():  # Σx² of values near 1e308 overflows: X/m / √Σ(x/m)² with m = max|x| (the norm itself may exceed 1e308)
            m = pd.Series({c: scale_of(X[c]) for c in X.columns}, dtype=float)
            norm = np.sqrt((((X * d) / m) ** 2).sum())
        zero = norm[~(norm > 0)]
        if len(zero):
            raise NormalisationError(f"indicator {zero.index[0]}{context} is all zero: vector normalisation undefined")
        self.fitted_ = {"norm": norm, "scale": m, "directions": d}
        return self

    def transform(self, X: pd.DataFrame, **_: Any) -> pd.DataFrame:
        f = self.fitted_
        return X * f["directions"] / f["scale"] / f["norm"]


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
