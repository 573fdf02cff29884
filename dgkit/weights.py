"""Weights: framework (expert), equal, entropy, CRITIC, PCA, AHP — and implied weights.

Conventions (Python libraries disagree on these, so they are stated):

* **entropy** (Shannon entropy weight method). Input: a non-negative matrix, normally min-max
  normalised so that direction is already applied. ``p_ij = x_ij / Σ_i x_ij``;
  ``e_j = −(1/ln n) Σ_i p_ij ln p_ij`` with ``0·ln 0 = 0``; ``d_j = 1 − e_j``; ``w_j = d_j / Σ d``.
  Negative values are an error; a column that sums to 0 carries no information (d_j = 0). Needs
  two or more units (ln 1 = 0) and at least one column with information (else every d_j = 0).
* **CRITIC** (Diakoulaki et al. 1995). Input: min-max normalised matrix.
  ``C_j = σ_j Σ_k (1 − r_jk)``, σ_j the **sample** SD (ddof = 1), r the Pearson correlation
  (0 for a constant column); ``w_j = C_j / Σ C``. A constant column gets weight 0; a single column
  weight 1. Needs two or more units and one column that varies.
* **PCA** (OECD/JRC Handbook, simplified): the squared loadings of the first principal component
  of the z-scored data (unit-norm eigenvector of the correlation matrix), ``w_j = a_j²`` (Σ = 1).
  A constant column has no correlation: it gets weight 0 and the others share 1; a single column
  weight 1.
* **AHP** (Saaty): principal right eigenvector of the pairwise matrix; ``CI = (λmax − n)/(n − 1)``,
  ``CR = CI / RI(n)`` with Saaty's random indices; CR > 0.1 is reported as inconsistent.
* **implied weights**: the non-negative weights summing to 1 that best reproduce a published total
  from its published components (constrained least squares), with a bootstrap or rounding-jitter
  stability check — see :func:`implied_weights`.

The weighting steps of the pipeline (``framework``, ``equal``, ``entropy``, ``critic``, ``pca``)
are registered here; entropy and CRITIC are computed on the children min-max scaled to [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dgkit.pipeline.steps import Step, register
from dgkit.stats.result import scale_of

# Saaty's random consistency index, n = 1..10
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}


def expert(scores: pd.DataFrame) -> pd.Series:
    """Expert weights as CCID 2020 describes them (附录 02 2、): each expert distributes 100 points
    over the indicators (rows = experts, columns = indicators); the weight is the mean score,
    λ_j = mean_e s_ej, returned normalised to sum 1. A row that does not sum to 100 is an error."""
    tot = scores.sum(axis=1)
    bad = tot[(tot - 100).abs() > 1e-6]
    if len(bad):
        raise ValueError(f"expert {bad.index[0]!r} gives {bad.iat[0]:g} points; each expert distributes 100")
    lam = scores.mean()
    return (lam / lam.sum()).rename("weight")


def equal(columns: list[str]) -> pd.Series:
    return pd.Series(1.0 / len(columns), index=columns, name="weight")


def _weights_error(problem: str) -> Exception:
    from dgkit.errors import NormalisationError

    return NormalisationError(problem)


def _enough_units(X: pd.DataFrame, method: str) -> None:
    from dgkit.stats.result import require_finite, unit_names

    require_finite(X, f"{method} weights", error=type(_weights_error("")))
    if len(X) < 2:
        raise _weights_error(f"{method} weights need two or more units with every indicator; got {len(X)}"
                             + (f" ({unit_names(X.index)})" if len(X) else ""))


def entropy(X: pd.DataFrame) -> pd.Series:
    """Entropy weights (convention in the module docstring)."""
    X = X.dropna()
    neg = X < 0
    if neg.any().any():
        from dgkit.stats.result import unit_names

        c = X.columns[neg.any().to_numpy()][0]
        raise _weights_error(f"entropy weights need non-negative data (normalise with minmax first); indicator {c} is "
                             f"{float(X.loc[neg[c], c].iat[0]):g} for unit {unit_names(X.index[neg[c].to_numpy()])}")
    _enough_units(X, "entropy")
    n = len(X)
    with np.errstate(over="ignore"):
        col = X.sum()
    if np.isinf(col).any():  # p_ij is scale-free: sums of values near 1e308 taken on x / max x
        X = X / pd.Series({c: scale_of(X[c]) for c in X.columns}, dtype=float)
        col = X.sum()
    P = X / col.where(col > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        L = np.where(P > 0, P * np.log(P), 0.0)
    e = -L.sum(axis=0) / np.log(n)
    e = pd.Series(e, index=X.columns).where(col > 0, 1.0)
    d = 1 - e
    if not d.sum() > 1e-12:
        raise _weights_error(f"entropy weights are undefined: no indicator carries information (each of {', '.join(map(str, X.columns))} "
                             "is all zero or spread evenly over the units, so every d_j = 1 − e_j is 0)")
    return (d / d.sum()).clip(lower=0).rename("weight")


def critic(X: pd.DataFrame) -> pd.Series:
    """CRITIC weights (sample SD, Pearson r)."""
    X = X.dropna()
    _enough_units(X, "CRITIC")
    if X.shape[1] == 1:
        return pd.Series(1.0, index=X.columns, name="weight")
    with np.errstate(over="ignore", invalid="ignore"):
        sd = X.std(ddof=1)
    if not np.isfinite(sd).all():  # C_j is proportional to σ_j: a common scale (values near 1e308) changes nothing
        X = X / scale_of(X)
        sd = X.std(ddof=1)
    if not (sd > 0).any():
        raise _weights_error(f"CRITIC weights are undefined: every indicator ({', '.join(map(str, X.columns))}) is constant over the "
                             f"{len(X)} units (σ_j = 0 for all)")
    R = X.corr().fillna(0)
    C = sd * (1 - R).sum()
    if not C.sum() > 0:
        raise _weights_error("CRITIC weights are undefined: the indicators that vary are perfectly correlated (every C_j is 0)")
    return (C / C.sum()).rename("weight")


def pca(X: pd.DataFrame) -> pd.Series:
    """Squared loadings of the first principal component of the standardised data."""
    X = X.dropna()
    _enough_units(X, "PCA")
    if X.shape[1] == 1:
        return pd.Series(1.0, index=X.columns, name="weight")
    varies = X.nunique() > 1
    if varies.sum() == 0:
        raise _weights_error(f"PCA weights are undefined: every indicator ({', '.join(map(str, X.columns))}) is constant over the "
                             f"{len(X)} units")
    out = pd.Series(0.0, index=X.columns, name="weight")  # a constant column: no correlation, weight 0
    V = X.loc[:, varies.to_numpy()]
    if V.shape[1] == 1:
        out[V.columns] = 1.0
        return out
    V = V / scale_of(V) if not np.isfinite(V.std(ddof=0)).all() else V  # the correlation is scale-free
    Zs = (V - V.mean()) / V.std(ddof=0)
    vals, vecs = np.linalg.eigh(np.corrcoef(Zs.to_numpy(), rowvar=False))
    a = vecs[:, np.argmax(vals)]
    out[V.columns] = a**2 / (a**2).sum()
    return out


@dataclass
class AHPResult:
    weights: pd.Series
    lambda_max: float
    ci: float
    cr: float

    @property
    def consistent(self) -> bool:
        return self.cr <= 0.1

    def summary(self) -> str:
        flag = "consistent" if self.consistent else "INCONSISTENT (CR > 0.1): revise the judgements"
        return f"AHP: λmax = {self.lambda_max:.4f}, CI = {self.ci:.4f}, CR = {self.cr:.4f} — {flag}"


def ahp(matrix: pd.DataFrame | np.ndarray, labels: list[str] | None = None) -> AHPResult:
    """AHP weights from a reciprocal pairwise comparison matrix, with its consistency ratio."""
    from dgkit.errors import FrameworkError

    A = np.asarray(matrix, dtype=float)
    n = A.shape[0] if A.ndim == 2 else 0
    if n == 0:
        raise FrameworkError("an AHP pairwise matrix needs one or more criteria", expected="a square n × n matrix, n ≥ 1", got=A.shape)
    if A.shape != (n, n) or not np.isfinite(A).all() or (A <= 0).any() or not np.allclose(A * A.T, 1.0, rtol=1e-6):
        raise FrameworkError("the pairwise matrix must be square and reciprocal (a_ji = 1/a_ij) with positive finite judgements",
                             got=f"shape {A.shape}")
    labels = labels or (list(matrix.columns) if isinstance(matrix, pd.DataFrame) else [f"c{i + 1}" for i in range(n)])
    vals, vecs = np.linalg.eig(A)
    k = int(np.argmax(vals.real))
    w = np.abs(vecs[:, k].real)
    w = w / w.sum()
    lam = float(vals[k].real)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX.get(n, 1.49)
    cr = ci / ri if ri > 0 else 0.0
    return AHPResult(pd.Series(w, index=labels, name="weight"), lam, ci, cr)


@dataclass
class ImpliedWeights:
    """Result of :func:`implied_weights`: weights, fitted totals, residuals and a stability check."""

    weights: pd.Series
    fitted: pd.Series
    residuals: pd.Series
    rmse: float
    max_abs_residual: float
    stability: pd.DataFrame
    method: str = "bootstrap"

    def summary(self) -> str:
        st = self.stability
        rows = "\n".join(f"  {k:<12} {v:.4f}   [{st.loc[k, 'q05']:.4f}, {st.loc[k, 'q95']:.4f}]  sd {st.loc[k, 'sd']:.4f}"
                         for k, v in self.weights.items())
        return (f"Implied weights (NNLS, w ≥ 0, Σw = 1) from {len(self.residuals)} units; 5–95 % by {self.method}:\n{rows}\n"
                f"fit: RMSE {self.rmse:.4g}, max |residual| {self.max_abs_residual:.4g}")

    def _repr_html_(self) -> str:  # pragma: no cover - notebooks
        return "<pre>" + self.summary() + "</pre>"


def _nnls_simplex(S: np.ndarray, t: np.ndarray, penalty: float) -> np.ndarray:
    from scipy.optimize import nnls

    A = np.vstack([S, penalty * np.ones(S.shape[1])])
    w, _ = nnls(A, np.append(t, penalty))
    return w / w.sum() if w.sum() > 0 else np.full(S.shape[1], np.nan)


def implied_weights(components: pd.DataFrame, total: pd.Series, stability: str = "bootstrap", n: int = 200,
                    decimals: int | None = None, seed: int = 0, penalty: float = 1e4) -> ImpliedWeights:
    """Recover the weights of a published total from its published components:
    min ‖C w − t‖² subject to w ≥ 0, Σw = 1 (constrained least squares).

    Solved by non-negative least squares (scipy.optimize.nnls) with the sum-to-one constraint
    appended as a heavily weighted row. Needs at least as many complete units as components.
    Stability: ``"bootstrap"`` refits on ``n`` resamples of the units; ``"jitter"`` refits after
    adding uniform noise of ± half the last printed digit (``decimals``, guessed from the data
    when None) to components and totals — the rounding of the publication. ``.stability`` gives
    each weight's SD and 5–95 % range over the refits.
    """
    if stability not in ("bootstrap", "jitter"):
        raise ValueError(f"stability must be 'bootstrap' or 'jitter', got {stability!r}")
    both = components.join(total.rename("__total__"), how="inner").dropna()
    if len(both) < components.shape[1]:
        raise ValueError(f"implied weights of {components.shape[1]} components need at least {components.shape[1]} complete units, got {len(both)}")
    S, t = both[components.columns].to_numpy(float), both["__total__"].to_numpy(float)
    w = _nnls_simplex(S, t, penalty)
    fitted = pd.Series(S @ w, index=both.index, name="fitted")
    res = (both["__total__"] - fitted).rename("residual")
    rng = np.random.default_rng(seed)
    if stability == "jitter" and decimals is None:
        vals = np.r_[S.ravel(), t]
        decimals = next((d for d in range(7) if np.allclose(vals, np.round(vals, d), atol=1e-9)), 6)
    draws = []
    for _ in range(n):
        if stability == "bootstrap":
            i = rng.integers(0, len(S), len(S))
            draws.append(_nnls_simplex(S[i], t[i], penalty))
        else:
            h = 0.5 * 10.0 ** -decimals
            draws.append(_nnls_simplex(S + rng.uniform(-h, h, S.shape), t + rng.uniform(-h, h, t.shape), penalty))
    D = np.array(draws)
    st = pd.DataFrame({"sd": D.std(axis=0, ddof=1), "q05": np.nanpercentile(D, 5, axis=0), "q95": np.nanpercentile(D, 95, axis=0)},
                      index=components.columns)
    return ImpliedWeights(pd.Series(w, index=components.columns, name="weight"), fitted, res,
                          float(np.sqrt((res**2).mean())), float(res.abs().max()), st, stability)


def _scaled(Z: pd.DataFrame) -> pd.DataFrame:
    """Min-max to [0, 1] per column; a constant column is 0 (it carries no information)."""
    return ((Z - Z.min()) / (Z.max() - Z.min()).replace(0, np.nan)).fillna(0)


class Weighter(Step):
    """A weighting step: ``fit(Z, nominal=…)`` on the children of one node; ``transform`` returns the weights."""

    kind = "weight"

    def transform(self, Z: Any = None, **_: Any) -> pd.Series:
        return self.fitted_["weights"]

    @property
    def weights_(self) -> pd.Series:
        return self.fitted_["weights"]


@register("weight")
class FrameworkWeights(Weighter):
    """The framework's weights (equal where the framework publishes none)."""

    name = "framework"

    def fit(self, Z: pd.DataFrame, nominal: pd.Series | None = None, **_: Any) -> Step:
        w = pd.Series(1.0, index=Z.columns) if nominal is None else pd.Series(nominal, dtype=float).reindex(Z.columns)
        self.fitted_ = {"weights": (w / w.sum()).rename("weight")}
        return self


class _FromData(Weighter):
    """Weights computed from the children's data alone (``compute``)."""

    compute: Any

    def fit(self, Z: pd.DataFrame, **_: Any) -> Step:
        self.fitted_ = {"weights": type(self).compute(Z)}
        return self


for _name, _compute, _doc in (
    ("equal", lambda Z: equal(list(Z.columns)), "1/k for each of k children."),
    ("entropy", lambda Z: entropy(_scaled(Z)), "Entropy weights on the min-max scaled children (module docstring)."),
    ("critic", lambda Z: critic(_scaled(Z)), "CRITIC weights on the min-max scaled children (module docstring)."),
    ("pca", pca, "Squared loadings of the first principal component (module docstring)."),
):
    register("weight")(type(f"{_name.capitalize()}Weights", (_FromData,), {"name": _name, "compute": staticmethod(_compute), "__doc__": _doc}))
