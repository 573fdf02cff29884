"""Weights: framework (expert), equal, entropy, CRITIC, PCA, AHP — and implied weights.

Conventions (Python libraries disagree on these, so they are stated):

* **entropy** (Shannon entropy weight method). Input: a non-negative matrix, normally min-max
  normalised so that direction is already applied. ``p_ij = x_ij / Σ_i x_ij``;
  ``e_j = −(1/ln n) Σ_i p_ij ln p_ij`` with ``0·ln 0 = 0``; ``d_j = 1 − e_j``; ``w_j = d_j / Σ d``.
  Negative values are an error; a column that sums to 0 carries no information (d_j = 0).
* **CRITIC** (Diakoulaki et al. 1995). Input: min-max normalised matrix.
  ``C_j = σ_j Σ_k (1 − r_jk)``, σ_j the **sample** SD (ddof = 1), r the Pearson correlation;
  ``w_j = C_j / Σ C``. A constant column gets weight 0.
* **PCA** (OECD/JRC Handbook, simplified): the squared loadings of the first principal component
  of the z-scored data (unit-norm eigenvector of the correlation matrix), ``w_j = a_j²`` (Σ = 1).
* **AHP** (Saaty): principal right eigenvector of the pairwise matrix; ``CI = (λmax − n)/(n − 1)``,
  ``CR = CI / RI(n)`` with Saaty's random indices; CR > 0.1 is reported as inconsistent.
* **implied weights**: the non-negative weights summing to 1 that best reproduce published totals
  from published sub-scores (least squares) — see :func:`implied_weights`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

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


def entropy(X: pd.DataFrame) -> pd.Series:
    """Entropy weights (convention in the module docstring)."""
    X = X.dropna()
    if (X < 0).any().any():
        raise ValueError("entropy weights need non-negative data (normalise with minmax first)")
    n = len(X)
    col = X.sum()
    P = X / col.where(col > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        L = np.where(P > 0, P * np.log(P), 0.0)
    e = -L.sum(axis=0) / np.log(n)
    e = pd.Series(e, index=X.columns).where(col > 0, 1.0)
    d = 1 - e
    return (d / d.sum()).rename("weight")


def critic(X: pd.DataFrame) -> pd.Series:
    """CRITIC weights (sample SD, Pearson r)."""
    X = X.dropna()
    sd = X.std(ddof=1)
    R = X.corr().fillna(0)
    C = sd * (1 - R).sum()
    return (C / C.sum()).rename("weight")


def pca(X: pd.DataFrame) -> pd.Series:
    """Squared loadings of the first principal component of the standardised data."""
    X = X.dropna()
    Zs = (X - X.mean()) / X.std(ddof=0)
    vals, vecs = np.linalg.eigh(np.corrcoef(Zs.to_numpy(), rowvar=False))
    a = vecs[:, np.argmax(vals)]
    return pd.Series(a**2 / (a**2).sum(), index=X.columns, name="weight")


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
    A = np.asarray(matrix, dtype=float)
    n = A.shape[0]
    if A.shape != (n, n) or not np.allclose(A * A.T, 1.0, rtol=1e-6):
        raise ValueError("the pairwise matrix must be square and reciprocal (a_ji = 1/a_ij)")
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
    """Result of :func:`implied_weights`: weights, fitted totals and residuals."""

    weights: pd.Series
    fitted: pd.Series
    residuals: pd.Series
    rmse: float
    max_abs_residual: float

    def summary(self) -> str:
        w = ", ".join(f"{k} {v:.4f}" for k, v in self.weights.items())
        return (f"Implied weights (NNLS, Σw = 1): {w}\n"
                f"fit: RMSE {self.rmse:.4f}, max |residual| {self.max_abs_residual:.4f} over {len(self.residuals)} units")


def implied_weights(sub_scores: pd.DataFrame, totals: pd.Series, penalty: float = 1e4) -> ImpliedWeights:
    """Recover the weights a publisher must have used: min ‖S w − t‖² s.t. w ≥ 0, Σw = 1.

    Solved by non-negative least squares (scipy.optimize.nnls) with the sum-to-one constraint
    appended as a heavily weighted row. With k sub-scores the problem needs ≥ k units to be
    determined; with rounded published numbers the residuals show the rounding.
    """
    from scipy.optimize import nnls

    S = sub_scores.loc[totals.index].to_numpy(float)
    t = totals.to_numpy(float)
    A = np.vstack([S, penalty * np.ones(S.shape[1])])
    b = np.append(t, penalty)
    w, _ = nnls(A, b)
    w = w / w.sum()
    fitted = pd.Series(S @ w, index=totals.index, name="fitted")
    res = (totals - fitted).rename("residual")
    return ImpliedWeights(pd.Series(w, index=sub_scores.columns, name="weight"), fitted, res,
                          float(np.sqrt((res**2).mean())), float(res.abs().max()))


def compute(method: str, Z: pd.DataFrame | None = None, framework_weights: pd.Series | None = None) -> pd.Series:
    """Weights by name: framework, equal, entropy, critic, pca (data-driven ones need Z)."""
    if method == "framework":
        assert framework_weights is not None
        return framework_weights
    if Z is None:
        raise ValueError(f"{method} weights need data")
    if method == "equal":
        return equal(list(Z.columns))
    mm = (Z - Z.min()) / (Z.max() - Z.min()).replace(0, np.nan)
    if method == "entropy":
        return entropy(mm.fillna(0))
    if method == "critic":
        return critic(mm.fillna(0))
    if method == "pca":
        return pca(Z)
    raise ValueError(f"unknown weighting {method!r}; expected framework, equal, entropy, critic, pca (or ahp via weights.ahp)")
