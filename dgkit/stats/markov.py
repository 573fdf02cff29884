"""Traditional and spatial Markov chains of an index panel (units × periods).

**Classes.** Each value is put into one of k classes by cut-offs c_1 < … < c_{k−1}; a value equal
to a cut-off falls in the lower class (mapclassify's rule, upper bounds inclusive):

* ``scheme="quantile"`` — the k-quantiles of each period (relative position; linear interpolation);
* ``scheme="pooled"``   — the k-quantiles of all periods pooled (absolute level, giddy's ``fixed=True``);
* ``scheme="fixed"``    — cut-offs given by the user (``cuts``).

**Traditional chain.** n_ij counts units in class i at t and j at t+1 over all consecutive periods;
P_ij = n_ij / n_i. The **steady state** π solves π P = π, Σ π = 1 (a class never left counts as
absorbing, as in giddy); the **mean first passage time** m_ij = (z_jj − z_ij) / π_j with
Z = (I − P + 1π)^{-1}, and m_ii = 1/π_i (Kemeny & Snell 1976, as giddy's ``ergodic.mfpt``).

**Spatial Markov** (Rey 2001): the spatial lag L_it = Σ_j w_ij y_jt (row-standardised weights) is
classed by the same scheme, and a chain is estimated for each lag class of the unit at t.

Tested equal to PySAL giddy (``Markov``, ``Spatial_Markov``, ``ergodic``) on the same classes;
computed here with numpy so that a report does not import giddy (3.8 s with quantecon and numba).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dgkit.errors import AnalysisError
from dgkit.stats.result import Missing, StatResult, require_finite, skippable

SCHEMES = ("quantile", "pooled", "fixed")


def class_cuts(panel: pd.DataFrame, k: int = 4, scheme: str = "quantile", cuts: list[float] | None = None) -> dict:
    """Cut-offs per period (``{period: array}``) for ``scheme``; see the module docstring."""
    if scheme not in SCHEMES:
        raise AnalysisError(f"unknown Markov class scheme {scheme!r}", expected=" | ".join(SCHEMES))
    if cuts is not None and scheme != "fixed":
        raise AnalysisError(f"cuts are used only with scheme 'fixed' (scheme is {scheme!r})", expected="scheme: fixed")
    if scheme != "fixed" and not (isinstance(k, int | np.integer) and k >= 2):
        raise AnalysisError("a Markov chain needs two or more classes", expected="an integer ≥ 2", got=k)
    q = np.arange(1, k) / k
    if scheme == "fixed":
        if not cuts:
            raise AnalysisError("scheme 'fixed' needs cuts (k − 1 increasing numbers)", expected="one or more numbers")
        c = np.asarray(sorted(cuts), dtype=float)
        if not np.isfinite(c).all() or (np.diff(c) <= 0).any():
            raise AnalysisError("fixed Markov cut-offs must be distinct finite numbers", expected="increasing numbers", got=list(cuts))
        return dict.fromkeys(panel.columns, c)
    if scheme == "pooled":
        c = np.quantile(panel.to_numpy(dtype=float)[~np.isnan(panel.to_numpy(dtype=float))], q)
        return dict.fromkeys(panel.columns, c)
    return {p: np.quantile(panel[p].dropna().to_numpy(dtype=float), q) for p in panel.columns}


def classify(panel: pd.DataFrame, cuts: dict) -> pd.DataFrame:
    """Class 0 … k−1 of every value (NaN stays missing): the number of cut-offs below the value."""
    out = pd.DataFrame(index=panel.index, columns=panel.columns, dtype="float")
    for p in panel.columns:
        v = panel[p].to_numpy(dtype=float)
        cls = np.searchsorted(cuts[p], v, side="left").astype(float)
        out[p] = np.where(np.isnan(v), np.nan, cls)
    return out


def _counts(classes: pd.DataFrame, k: int, condition: pd.DataFrame | None = None, level: int | None = None) -> np.ndarray:
    a = classes.to_numpy()[:, :-1].ravel()
    b = classes.to_numpy()[:, 1:].ravel()
    ok = ~(np.isnan(a) | np.isnan(b))
    if condition is not None:
        c = condition.to_numpy()[:, :-1].ravel()
        ok &= c == level
    T = np.zeros((k, k))
    np.add.at(T, (a[ok].astype(int), b[ok].astype(int)), 1)
    return T


def transition_matrix(counts: np.ndarray) -> np.ndarray:
    """P = counts / row sums; a class with no transitions out stays in place (P_ii = 1, as giddy)."""
    rows = counts.sum(axis=1, keepdims=True)
    P = np.divide(counts, rows, out=np.zeros_like(counts, dtype=float), where=rows > 0)
    empty = rows.ravel() == 0
    P[empty, empty] = 1.0
    return P


def steady_state(P: np.ndarray) -> np.ndarray:
    """π with π P = π, Σ π = 1 (least squares on the stacked system; unique for an ergodic chain)."""
    k = len(P)
    A = np.vstack([P.T - np.eye(k), np.ones(k)])
    b = np.concatenate([np.zeros(k), [1.0]])
    return np.linalg.lstsq(A, b, rcond=None)[0]


def mean_first_passage(P: np.ndarray, pi: np.ndarray | None = None) -> np.ndarray:
    """Mean first passage times m_ij, recurrence times 1/π_i on the diagonal (ergodic chains);
    ``pi`` is the steady state when already known."""
    pi = steady_state(P) if pi is None else pi
    k = len(P)
    Z = np.linalg.inv(np.eye(k) - P + np.outer(np.ones(k), pi))
    M = (np.diag(Z)[None, :] - Z) / pi[None, :]
    M[np.diag_indices(k)] = 1 / pi
    return M


def _check_panel(panel: pd.DataFrame, k: int, scheme: str, cuts: list[float] | None, what: str) -> Missing | None:
    """±inf refused; fewer than two units with values, a Missing."""
    require_finite(panel, what)
    n = int(panel.notna().any(axis=1).sum())
    if n < 2:
        return Missing.undefined("too_few_units", f"{what} needs two or more units with values, got {n}", n=n)
    return None


def _tied_cuts(cc: dict, scheme: str, k: int) -> Missing | None:
    """Quantile cut-offs that coincide (many equal values) leave classes that no value can enter: the
    chain of k classes is undefined (say so, rather than count empty classes as absorbing)."""
    if scheme == "fixed":
        return None
    for period, c in cc.items():
        if len(c) and (np.diff(c) <= 0).any() or not np.isfinite(c).all():
            return Missing.undefined("markov_ties", f"in {period}, the {k}-quantile cut-offs coincide ({', '.join(f'{x:g}' for x in c)}): "
                                     f"too many equal values to form {k} classes", period=str(period), k=k,
                                     cuts=", ".join(f"{x:g}" for x in c))
    return None


def _labels(k: int) -> list[str]:
    return [f"C{i + 1}" for i in range(k)]


def _chain_table(T: np.ndarray, P: np.ndarray, lag: str | None = None) -> pd.DataFrame:
    k = len(T)
    lab = _labels(k)
    t = pd.DataFrame(P, columns=lab)
    t.insert(0, "n", T.sum(axis=1).astype(int))
    t.insert(0, "from", lab)
    if lag is not None:
        t.insert(0, "lag_class", lag)
    return t


def _ergodic(P: np.ndarray) -> bool:
    k = len(P)
    R = (np.linalg.matrix_power(np.eye(k) + (P > 0), k) > 0)
    return bool(R.all())


@skippable
def markov_chain(panel: pd.DataFrame, k: int = 4, scheme: str = "quantile", cuts: list[float] | None = None) -> StatResult | Missing:
    """Traditional Markov chain of ``panel`` (units × periods, in time order); see the module docstring."""
    if panel.shape[1] < 2:
        return Missing("a Markov chain needs two or more periods", "too_few_periods", n=panel.shape[1], need=2)
    undefined = _check_panel(panel, k, scheme, cuts, "a Markov chain")
    if undefined is not None:
        return undefined
    cc = class_cuts(panel, k, scheme, cuts)
    k = len(next(iter(cc.values()))) + 1
    tied = _tied_cuts(cc, scheme, k)
    if tied is not None:
        return tied
    classes = classify(panel, cc)
    T = _counts(classes, k)
    if T.sum() == 0:
        return Missing.undefined("no_shared_units", "no unit is present in two consecutive periods")
    P = transition_matrix(T)
    lab = _labels(k)
    seen = np.zeros(k, bool)
    seen[np.unique(classes.to_numpy()[~np.isnan(classes.to_numpy())]).astype(int)] = True
    unvisited = [lab[i] for i in np.flatnonzero(~seen)]
    ergodic = _ergodic(P) and not unvisited
    pi = steady_state(P) if not unvisited else np.full(k, np.nan)  # a class never observed: its row is a convention, π is not data
    M = mean_first_passage(P, pi) if ergodic else np.full((k, k), np.nan)
    up = float(np.triu(T, 1).sum() / T.sum())
    down = float(np.tril(T, -1).sum() / T.sum())
    facts = {"n": int(panel.dropna(how="all").shape[0]), "periods": panel.shape[1], "first": str(panel.columns[0]), "last": str(panel.columns[-1]),
             "k": k, "scheme": f"@scheme_{scheme}", "transitions": int(T.sum()), "persistence": float(np.mean(np.diag(P))),
             "stay": float(np.trace(T) / T.sum()), "up": up, "down": down, "steady_top": float(pi[-1]), "steady_bottom": float(pi[0]),
             "ergodic": ergodic, "unvisited": ", ".join(unvisited),
             "steady_text": "@steady_state_unvisited" if unvisited else "@steady_state"}
    s = (f"Markov chain ({k} classes, {scheme}; {facts['n']} units, {panel.columns[0]}–{panel.columns[-1]}, {int(T.sum())} transitions): "
         f"{facts['stay']:.0%} stay in their class, {up:.0%} move up, {down:.0%} move down; "
         + (f"steady state of the top class {pi[-1]:.2f}" if not unvisited else
            f"no steady state: {'class' if len(unvisited) == 1 else 'classes'} {', '.join(unvisited)} "
            f"{'is' if len(unvisited) == 1 else 'are'} never observed (check the cut-offs)"))
    extra = {"counts": pd.DataFrame(T.astype(int), index=lab, columns=lab), "P": pd.DataFrame(P, index=lab, columns=lab),
             "steady_state": pd.Series(pi, index=lab, name="steady_state"), "mfpt": pd.DataFrame(M, index=lab, columns=lab),
             "classes": classes, "cuts": cc}
    return StatResult(_chain_table(T, P), s, facts, extra)


@skippable
def spatial_markov(panel: pd.DataFrame, w, k: int = 4, scheme: str = "pooled", cuts: list[float] | None = None,  # noqa: ANN001
                   lag_cuts: list[float] | None = None) -> StatResult | Missing:
    """Spatial Markov chain: one transition matrix per class of the spatial lag at the start of each
    step. ``w`` is a libpysal ``W`` keyed by unit id (row-standardised here); units outside ``w``
    are left out and counted. ``up_poor``/``up_rich`` average the probability of moving up over the
    classes below the top that are left at least once in the lowest/highest lag class (a class never
    left there has only the identity row of the convention, not data); none: undefined, stated."""
    if panel.shape[1] < 2:
        return Missing("a Markov chain needs two or more periods", "too_few_periods", n=panel.shape[1], need=2)
    from dgkit.stats.spatial import align, lag

    undefined = _check_panel(panel, k, scheme, cuts, "a spatial Markov chain")
    if undefined is not None:
        return undefined
    y, w, dropped = align(panel.dropna(), w)
    if len(y) and len(y) == len(w.islands):
        return Missing.undefined("no_neighbours", f"none of the {len(y)} units has a neighbour in the weights", n=len(y))
    if w.islands:  # no neighbour (in the weights, or none left with data): no spatial lag to condition on
        islands = [str(i) for i in w.islands]
        dropped = sorted([*dropped, *islands])
        y, w, _ = align(y.drop(index=islands), w)
    if len(y) and (y.nunique(axis=0) < 2).all() and y.stack().nunique() < 2:
        return Missing.undefined("constant_values", f"all {len(y)} units have the same value in every period: no class can change",
                                 n=len(y))
    if len(y) < 2 * k:
        return Missing.undefined("too_few_units", f"a spatial Markov chain needs {2 * k} or more units with weights and values in every period, got {len(y)}", n=len(y))
    L = pd.DataFrame({p: lag(w, y[p]) for p in y.columns}, index=y.index)
    cc = class_cuts(y, k, scheme, cuts)
    k = len(next(iter(cc.values()))) + 1
    if scheme == "fixed" and not lag_cuts:
        raise AnalysisError("scheme 'fixed' needs lag_cuts for the spatial lag as well as cuts", expected="k − 1 increasing numbers")
    lc = class_cuts(L, k, scheme, lag_cuts)
    tied = _tied_cuts(cc, scheme, k) or _tied_cuts(lc, scheme, k)
    if tied is not None:
        return tied
    classes, lag_classes = classify(y, cc), classify(L, lc)
    lab = _labels(k)
    tables, Ps, counts = [], {}, {}
    for level in range(k):
        T = _counts(classes, k, lag_classes, level)
        P = transition_matrix(T)
        Ps[lab[level]], counts[lab[level]] = pd.DataFrame(P, index=lab, columns=lab), pd.DataFrame(T.astype(int), index=lab, columns=lab)
        tables.append(_chain_table(T, P, lab[level]))
    table = pd.concat(tables, ignore_index=True)
    base = transition_matrix(_counts(classes, k))
    # the neighbourhood effect: how much more likely a unit moves up with rich rather than poor neighbours
    def up(level: str) -> float:  # mean probability of moving up, over the classes that are left at least once in this lag class
        T, P = counts[level].to_numpy(), Ps[level].to_numpy()
        rows = T.sum(axis=1)[:-1] > 0
        return float(np.triu(P, 1).sum(axis=1)[:-1][rows].mean()) if rows.any() else np.nan

    up_rich, up_poor = up(lab[-1]), up(lab[0])
    empty = [lv for lv in (lab[0], lab[-1]) if not counts[lv].to_numpy()[:-1].sum() > 0]
    facts = {"n": len(y), "periods": y.shape[1], "first": str(y.columns[0]), "last": str(y.columns[-1]), "k": k, "scheme": f"@scheme_{scheme}",
             "up_rich": up_rich, "up_poor": up_poor, "dropped": len(dropped), "persistence": float(np.mean(np.diag(base))),
             "empty_lag_classes": ", ".join(empty), "empty_note": "@lag_class_empty" if empty else ""}
    s = (f"Spatial Markov ({k} classes, {scheme}; {len(y)} units, {y.columns[0]}–{y.columns[-1]}): mean probability of moving up "
         f"{up_poor:.2f} with neighbours in the lowest class, {up_rich:.2f} with neighbours in the highest" if not empty else
         f"Spatial Markov ({k} classes, {scheme}; {len(y)} units, {y.columns[0]}–{y.columns[-1]}): no unit below the top class has its "
         f"neighbours in lag class {', '.join(empty)}, so the probability of moving up there is undefined")
    return StatResult(table, s, facts, {"P": Ps, "counts": counts, "classes": classes, "lag_classes": lag_classes, "cuts": cc, "lag_cuts": lc,
                                        "dropped": dropped})
