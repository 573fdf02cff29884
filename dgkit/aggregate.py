"""Aggregation of normalised indicators into pillars and of pillars into the index.

* ``arithmetic`` — weighted arithmetic mean ``Σ w_j z_j / Σ w_j`` (CCID 2020 附录 02: Z_i =
  Σλ_j Z_ij / Σλ_j). Fully compensatory.
* ``geometric`` — weighted geometric mean ``exp(Σ w_j ln z_j / Σ w_j)``. Needs z > 0: a zero
  drives the mean to 0 whatever the other values (the trap COINr users fall into). ``zeros``
  decides: ``"error"`` (default) names the units and indicators; ``"shift"`` adds a constant
  c = 1 − min(z) to all values of the group before the mean and subtracts it after (logged).
* ``sum`` — plain sum of points (Tsinghua, CSTC).

Missing values: by default the weights are renormalised over the indicators a unit has
(``missing="available"``); ``missing="error"`` refuses. Both are reported in the log.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dgkit.errors import NormalisationError

METHODS = ("arithmetic", "geometric", "sum")


def aggregate(Z: pd.DataFrame, weights: pd.Series, method: str = "arithmetic", *, zeros: str = "error",
              missing: str = "available", log: list[str] | None = None, label: str = "") -> pd.Series:
    """Aggregate the columns of Z with weights (aligned by column name)."""
    w = pd.Series(weights, dtype=float).reindex(Z.columns)
    if w.isna().any():
        raise NormalisationError(f"no weight for {', '.join(w[w.isna()].index)}{label}")
    na = Z.isna()
    if na.any().any():
        if missing == "error":
            r, c = np.argwhere(na.to_numpy())[0]
            raise NormalisationError(f"missing value for unit {'/'.join(map(str, Z.index[r])) if isinstance(Z.index[r], tuple) else Z.index[r]}, indicator {Z.columns[c]}{label}; impute first or use missing='available'")
        if log is not None:
            log.append(f"aggregate{label}: {int(na.sum().sum())} missing cell(s); weights renormalised over available indicators")
    W = na.rsub(1).mul(w, axis=1)  # weight 0 where missing
    wsum = W.sum(axis=1)
    if method == "sum":
        return Z.fillna(0).mul(w / w.mean(), axis=1).sum(axis=1).where(wsum > 0)
    if method == "arithmetic":
        return (Z.fillna(0) * W).sum(axis=1) / wsum.where(wsum > 0)
    if method == "geometric":
        Zg = Z
        nonpos = (Z <= 0) & ~na
        if nonpos.any().any():
            if zeros == "error":
                def name(i: object) -> str:
                    return "/".join(map(str, i)) if isinstance(i, tuple) else str(i)
                cells = [f"{name(Z.index[r])}/{Z.columns[c]}" for r, c in np.argwhere(nonpos.to_numpy())[:5]]
                raise NormalisationError(
                    f"geometric mean{label} needs positive values; zero or negative at {', '.join(cells)}"
                    " — use a normalisation with a positive range (e.g. ccid, or minmax to [1, 100]) or zeros='shift'"
                )
            if zeros == "shift":
                c = 1.0 - float(Z.min().min())
                Zg = Z + c
                if log is not None:
                    log.append(f"aggregate{label}: geometric mean with zeros; all values shifted by +{c:g} and back")
                out = np.exp((np.log(Zg).fillna(0) * W).sum(axis=1) / wsum.where(wsum > 0))
                return out - c
            raise ValueError("zeros must be 'error' or 'shift'")
        return np.exp((np.log(Zg).fillna(0) * W).sum(axis=1) / wsum.where(wsum > 0))
    raise NormalisationError(f"unknown aggregation {method!r}; expected one of {METHODS}")
