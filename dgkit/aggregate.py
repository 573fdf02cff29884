"""Aggregation: children of a node (indicators, pillars …) into the node (one step kind of the pipeline).

With weights w (summing to 1 over the children) and availability m (1 where a child has a value):

* ``arithmetic`` — ``Σ w z m / Σ w m`` (CCID 2020 附录 02: Z_i = Σλ_j Z_ij / Σλ_j). Fully compensatory.
* ``geometric`` — ``exp(Σ w m ln z / Σ w m)``. Needs z > 0: a zero drives the mean to 0 whatever the
  other values (the trap COINr users fall into). ``zeros="error"`` (default) names the units and
  children; ``zeros="shift"`` adds c = 1 − min(z) to every value before the mean and subtracts it
  after, min over the period's values and the reference rows (logged).
* ``generalised_mean`` — ``(Σ w m z^p / Σ w m)^(1/p)``; p = 1 arithmetic, p → 0 geometric (used
  for p = 0), p = −1 harmonic. p < 0 needs z > 0 and any other p ≠ 1 needs z ≥ 0 (``zeros`` as
  for geometric).
* ``sum`` — points: ``Σ w m z · k`` with k children, i.e. the plain sum under equal weights
  (Tsinghua, CSTC). A missing child counts 0.
* ``topsis`` — closeness ``C = D⁻/(D⁺ + D⁻)`` with ``D± = √(Σ (w_j z_j − w_j z_j^±)²)``, weights
  renormalised over available children, and the ideal z⁺ (anti-ideal z⁻) the column max (min) of
  the reference rows: the same period, or the base period (Hwang & Yoon 1981; 熵权 TOPSIS papers).
  Normalise first so that higher is better (``vector`` or ``minmax``).
* ``none`` — a node with one child takes its value.

Weights must be ≥ 0 with a positive sum; a child value of ±inf is refused, as is a TOPSIS node
whose reference units are identical on every child (closeness 0/0) — each a NormalisationError
naming the node and period.

Missing values: ``missing="available"`` (default) renormalises the weights over the children a unit
has, as above; ``missing="error"`` refuses. The build log reports the cells.

Each step computes from one numpy core, :meth:`Aggregator.combine`, that takes values of shape
(units, k) or (units, k, draws) and weights (draws, k) — the same code aggregates the nominal build
and every Monte Carlo draw (see :mod:`dgkit.uncertainty`).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from dgkit.errors import NormalisationError
from dgkit.pipeline.steps import NUMBER, Param, Step, make_step, register


def _wsum(A: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Σ_k A[u, k(, d)]·W[d, k] → (units, draws)."""
    return A @ W.T if A.ndim == 2 else np.einsum("ukd,dk->ud", A, W, optimize=True)


def _label(i: object) -> str:
    return "/".join(map(str, i)) if isinstance(i, tuple) else str(i)


class Aggregator(Step):
    """An aggregation step: ``transform(Z, w, ref=None)`` → one value per row of Z."""

    kind = "aggregate"
    params = {"missing": Param("available", choices=("available", "error"))}

    def combine(self, V: np.ndarray, W: np.ndarray, fit: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        """Values (units, k[, draws]), weights (draws, k), reference-row mask (units,) → (units, draws)."""
        raise NotImplementedError

    def fit(self, Z: pd.DataFrame, w: Any = None, **_: Any) -> Step:
        return self

    def transform(self, Z: pd.DataFrame, w: pd.Series | None = None, ref: pd.DataFrame | None = None, label: str = "",
                  log: list[str] | None = None, **_: Any) -> pd.Series:
        w = pd.Series(1.0 / Z.shape[1], index=Z.columns) if w is None else pd.Series(w, dtype=float).reindex(Z.columns)
        if w.isna().any():
            raise NormalisationError(f"no weight for {', '.join(w[w.isna()].index)}{label}")
        if (w < 0).any():
            raise NormalisationError(f"negative weight for {w[w < 0].index[0]} ({w[w < 0].iat[0]:g}){label}: weights must be ≥ 0 "
                                     "(a negative indicator is oriented by its direction, not by its weight)")
        if not w.sum() > 0:
            raise NormalisationError(f"the weights of {', '.join(map(str, w.index))}{label} sum to 0: there is nothing to aggregate with")
        inf = np.isinf(Z.to_numpy(float))
        if inf.any():
            from dgkit.stats.result import unit_names

            r, c = np.argwhere(inf)[0]
            raise NormalisationError(f"{Z.columns[c]} is {Z.iat[r, c]:g} for unit {unit_names([Z.index[i] for i in np.flatnonzero(inf[:, c])])}"
                                     f"{label}: aggregation needs finite values (check for a division by zero or an overflow upstream)")
        na = Z.isna()
        if na.to_numpy().any():
            if self.options["missing"] == "error":
                r, c = np.argwhere(na.to_numpy())[0]
                raise NormalisationError(f"missing value for unit {_label(Z.index[r])}, indicator {Z.columns[c]}{label}; "
                                         "impute first or use missing='available'")
            if log is not None:
                log.append(f"aggregate{label}: {int(na.to_numpy().sum())} missing cell(s); weights renormalised over available children")
        V = Z.to_numpy(float)
        fit = np.ones(len(V), bool)
        if ref is not None:  # reference rows (e.g. the base period) that are not among Z's rows join the computation
            extra = ref.loc[~ref.index.isin(Z.index), Z.columns].to_numpy(float)
            V = np.vstack([V, extra])
            fit = np.r_[Z.index.isin(ref.index), np.ones(len(extra), bool)]
        self._frame = (Z, label, log)
        try:
            out = self.combine(V, (w / w.sum()).to_numpy(float)[None, :], fit)[: len(Z), 0]
        finally:
            self._frame = None
        return pd.Series(out, index=Z.index)

    # ------------------------------------------------------------ helpers for positive-only means
    def _positive(self, V: np.ndarray, fit: np.ndarray, what: str, strict: bool = True) -> tuple[np.ndarray, np.ndarray | float]:
        """Values shifted to be positive (zeros='shift') or an error naming cells; returns (V + c, c).
        ``strict=False`` accepts zeros (a positive power of 0 is 0)."""
        nonpos = V <= 0 if strict else V < 0
        if not nonpos.any():
            return V, 0.0
        if self.options["zeros"] == "error":
            cells = ""
            frame = getattr(self, "_frame", None)
            if frame is not None and V.ndim == 2:
                Z, label, _ = frame
                idx = [(r, c) for r, c in np.argwhere(nonpos[: len(Z)])[:5]]
                cells = " at " + ", ".join(f"{_label(Z.index[r])}/{Z.columns[c]}" for r, c in idx)
                what += label
            need = "positive values; zero or negative" if strict else "non-negative values; negative"
            raise NormalisationError(f"{what} needs {need}{cells} — use a normalisation with a positive "
                                     "range (e.g. ccid, or minmax to [1, 100]) or zeros='shift'")
        if V.ndim == 2:
            c = 1.0 - float(np.nanmin(V))
            frame = getattr(self, "_frame", None)
            if frame is not None and frame[2] is not None:
                frame[2].append(f"aggregate{frame[1]}: {what} with zeros; all values shifted by +{c:g} and back")
        else:  # per draw, exactly as the 2-D case decides for one draw
            low = np.nanmin(V, axis=(0, 1))
            bad = nonpos.any(axis=(0, 1))
            c = np.where(bad, 1.0 - low, 0.0)
        return V + c, c


@register("aggregate")
class Arithmetic(Aggregator):
    """Σ w m z / Σ w m."""

    name = "arithmetic"

    def combine(self, V: np.ndarray, W: np.ndarray, fit: np.ndarray) -> np.ndarray:
        M = ~np.isnan(V)
        if M.all():
            return _wsum(V, W) / W.sum(axis=1)[None, :]
        den = _wsum(M.astype(float), W)
        return _wsum(np.where(M, V, 0.0), W) / np.where(den > 0, den, np.nan)


@register("aggregate")
class Geometric(Aggregator):
    """exp(Σ w m ln z / Σ w m); zeros: error or shift."""

    name = "geometric"
    params = {**Aggregator.params, "zeros": Param("error", choices=("error", "shift"))}

    def combine(self, V: np.ndarray, W: np.ndarray, fit: np.ndarray) -> np.ndarray:
        M = ~np.isnan(V)
        Vs, c = self._positive(V, fit, "geometric mean")
        L = np.where(M, np.log(np.where(M, Vs, 1.0)), 0.0)
        den = _wsum(M.astype(float), W)
        return np.exp(_wsum(L, W) / np.where(den > 0, den, np.nan)) - c


@register("aggregate")
class GeneralisedMean(Aggregator):
    """(Σ w m z^p / Σ w m)^(1/p); p = 0 is the geometric mean."""

    name = "generalised_mean"
    params = {**Aggregator.params, "p": Param(1.0, check=NUMBER, expected="a number (1 arithmetic, 0 geometric, −1 harmonic)"),
              "zeros": Param("error", choices=("error", "shift"))}

    def combine(self, V: np.ndarray, W: np.ndarray, fit: np.ndarray) -> np.ndarray:
        p = float(self.options["p"])
        if p == 0:
            return Geometric(missing=self.options["missing"], zeros=self.options["zeros"]).combine(V, W, fit)
        M = ~np.isnan(V)
        c: np.ndarray | float = 0.0
        if p != 1:  # a power mean is defined for z ≥ 0 (z > 0 when p < 0)
            V, c = self._positive(V, fit, f"generalised mean (p = {p:g})", strict=p < 0)
        P = np.where(M, np.where(M, V, 1.0) ** p, 0.0)
        den = _wsum(M.astype(float), W)
        with np.errstate(invalid="ignore"):
            return (_wsum(P, W) / np.where(den > 0, den, np.nan)) ** (1.0 / p) - c


@register("aggregate")
class Sum(Aggregator):
    """Points: Σ w m z · k (the plain sum under equal weights)."""

    name = "sum"

    def combine(self, V: np.ndarray, W: np.ndarray, fit: np.ndarray) -> np.ndarray:
        M = ~np.isnan(V)
        out = _wsum(np.where(M, V, 0.0), W) * V.shape[1] / W.sum(axis=1)[None, :]
        if not M.all():
            out = np.where(_wsum(M.astype(float), W) > 0, out, np.nan)
        return out


@register("aggregate")
class TOPSIS(Aggregator):
    """Closeness D⁻/(D⁺ + D⁻) to the ideal (max) and anti-ideal (min) of the reference rows."""

    name = "topsis"

    def combine(self, V: np.ndarray, W: np.ndarray, fit: np.ndarray) -> np.ndarray:
        dplus, dminus = topsis_distances(V, W, fit)
        frame = getattr(self, "_frame", None)
        if frame is not None and V.ndim == 2 and ((dplus + dminus) == 0).any():
            Z, label, _ = frame
            raise NormalisationError(f"TOPSIS closeness{label} is 0/0: every reference unit has the same value on every child "
                                     f"({', '.join(map(str, Z.columns))}), so the ideal and the anti-ideal coincide — TOPSIS needs "
                                     "units that differ on at least one child (use arithmetic aggregation, or more units)")
        with np.errstate(invalid="ignore", divide="ignore"):
            return dminus / (dplus + dminus)


def topsis_distances(V: np.ndarray, W: np.ndarray, fit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TOPSIS distances D⁺, D⁻ (units, draws) of the values V to the ideal (column max) and
    anti-ideal (column min) of the reference rows ``fit``, with the weights W (draws, k)
    renormalised over the children a unit has; shared by the aggregation step and
    :func:`dgkit.stats.mcda.topsis`."""
    M = ~np.isnan(V)
    ref = V[fit]
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a child with no reference value: its ideal is NaN, its cells count as missing
        best, worst = np.nanmax(ref, axis=0), np.nanmin(ref, axis=0)
    V = np.clip(V, worst, best)  # past the reference ideal counts as at it (possible with a base period)
    den = _wsum(M.astype(float), W)
    den = np.where(den > 0, den, np.nan)
    W2 = W**2
    # squared in units of the widest range, then scaled back: tiny ranges (1e-189) do not underflow to 0
    span = np.nanmax(np.where(np.isfinite(best - worst), best - worst, np.nan), initial=0.0) if best.size else 0.0
    s = span if np.isfinite(span) and span > 0 else 1.0
    dplus = s * np.sqrt(_wsum(np.where(M, ((V - best) / s) ** 2, 0.0), W2)) / den
    dminus = s * np.sqrt(_wsum(np.where(M, ((V - worst) / s) ** 2, 0.0), W2)) / den
    return dplus, dminus


@register("aggregate")
class Single(Aggregator):
    """A node with one child takes its value."""

    name = "none"

    def combine(self, V: np.ndarray, W: np.ndarray, fit: np.ndarray) -> np.ndarray:
        if V.shape[1] != 1:
            raise NormalisationError(f"aggregation 'none' needs exactly one child, got {V.shape[1]}; choose arithmetic, geometric, …")
        return np.repeat(V[:, 0, None], W.shape[0], axis=1) if V.ndim == 2 else V[:, 0, :]


def aggregate(Z: pd.DataFrame, weights: pd.Series, method: Any = "arithmetic", *, zeros: str = "error",
              missing: str = "available", log: list[str] | None = None, label: str = "") -> pd.Series:
    """Aggregate the columns of Z with weights (aligned by column name); one cohort."""
    opts: dict[str, Any] = {"missing": missing}
    if method in ("geometric", "generalised_mean"):
        opts["zeros"] = zeros
    step = make_step("aggregate", {"method": method, **opts} if isinstance(method, str) else method)
    return step.transform(Z, weights, label=label, log=log)
