"""Uncertainty and sensitivity analysis of an index, through the build's own recipe.

Every analysis here perturbs the recipe of a :class:`~dgkit.pipeline.result.Build` and replays it:
a discrete choice (normalisation, aggregation, imputation, an indicator left out) is a
``result.regen(...)`` — the same code that built the index, base period and per-level methods
included. Weight draws within one choice take a vectorised fast path, :class:`DrawEvaluator`,
that runs each aggregation step's own numpy core (:meth:`dgkit.aggregate.Aggregator.combine`) on
all draws at once; a contract test checks that it equals ``regen(node_weights=…)`` draw for draw
for every registered aggregation. A recipe the fast path cannot follow (a level re-normalised
between aggregations) is replayed with ``regen`` per draw (slow, logged in ``extra["path"]``).

**Weight draws.** ``weights="dirichlet"``: the weights of the children of every node are drawn from
Dirichlet(α·K·w), with w the build's weights of the K siblings: mean w, Var(w_j) =
w_j(1 − w_j)/(α·K + 1), so α is the concentration per sibling (default 50). ``"uniform"``: w_j·U(1 −
spread, 1 + spread), renormalised. ``"none"``: the nominal weights (only method choices vary).

:func:`monte_carlo` reports each unit's nominal rank, median rank and 5–95 % rank interval and —
with tiers — the share of draws in which the unit keeps its nominal tier. Seeded. Draws are
processed in chunks and ranks accumulated into a units × ranks count matrix, so memory is bounded by
the chunk. :func:`sobol` estimates first-order and total Sobol indices (SALib's sampling and
estimator, bootstrap intervals) of the top-level weights and the method choices, for the mean
absolute rank shift and for every unit's rank. :func:`leave_one_out` rebuilds without each
indicator (or top-level node) in turn.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dgkit.stats.result import StatResult, skippable


class DrawEvaluator:
    """The aggregation of one period of a build, for many weight draws at once.

    Rows are the period's units, plus the base period's when the build fits on a base period (a
    step that learns from reference rows, e.g. TOPSIS's ideal, sees the same rows as in the build).
    """

    def __init__(self, result: Any, period: Any) -> None:
        self.result, self.period = result, period
        fw = result.framework
        per = result.normalised.index.get_level_values("period")
        rows = per == period
        self.units = list(result.normalised.index[rows].get_level_values("unit_id"))
        self.n = int(rows.sum())
        Z = result.normalised.to_numpy(float)
        self.L = Z[rows]
        # with a base period, the base rows are built on their own first, then serve as reference rows
        self.L_base = Z[per == result.base_period] if result.base_period is not None and result.base_period != period else None
        self.leaf_pos = {c: j for j, c in enumerate(result.normalised.columns)}
        self.nodes = fw.internal_nodes
        self.children = {nd: fw.children(nd) for nd in self.nodes}
        self.steps = {nd: result.steps["aggregate"][nd] for nd in self.nodes}
        self.nominal = {nd: result.weights.reindex(self.children[nd]).to_numpy(float) for nd in self.nodes}
        self.index_code = fw.index_code
        self.supported = not result.steps["normalise_level"] and all(hasattr(s, "combine") for s in self.steps.values())

    def _level(self, L: np.ndarray, W: dict[str, np.ndarray], base: dict[str, np.ndarray] | None, B: np.ndarray | None) -> dict[str, np.ndarray]:
        """Node values for the rows of L; with ``base`` (the base rows' node values, B their leaves) as reference rows."""
        vals: dict[str, np.ndarray] = {}
        d = next(iter(W.values())).shape[0]

        def children(nd: str, leaves: np.ndarray, known: dict[str, np.ndarray]) -> np.ndarray:
            kids = self.children[nd]
            if all(k in self.leaf_pos for k in kids):
                return leaves[:, [self.leaf_pos[k] for k in kids]]
            return np.stack([known[k] if k in known else np.repeat(leaves[:, self.leaf_pos[k], None], d, axis=1) for k in kids], axis=1)

        for nd in self.nodes:
            Wn = W[nd] / W[nd].sum(axis=1, keepdims=True)
            V = children(nd, L, vals)
            if base is None:
                vals[nd] = self.steps[nd].combine(V, Wn, np.ones(len(V), bool))
            else:
                Vb = children(nd, B, base)
                if V.ndim != Vb.ndim:
                    V, Vb = (np.repeat(V[:, :, None], d, axis=2), Vb) if V.ndim == 2 else (V, np.repeat(Vb[:, :, None], d, axis=2))
                both = np.concatenate([V, Vb], axis=0)
                vals[nd] = self.steps[nd].combine(both, Wn, np.r_[np.zeros(len(V), bool), np.ones(len(Vb), bool)])[: len(V)]
        return vals

    def evaluate(self, W: dict[str, np.ndarray]) -> np.ndarray:
        """Index of the period's units for every draw: (units, draws). ``W[node]``: (draws, children)."""
        base = self._level(self.L_base, W, None, None) if self.L_base is not None else None
        return self._level(self.L, W, base, self.L_base)[self.index_code][: self.n]

    def scores(self, W: dict[str, np.ndarray], units: list[str]) -> tuple[np.ndarray, str]:
        """Index of ``units`` (rows, in that order) for every draw, and the route taken: the vectorised
        path, or one ``regen(node_weights=…)`` per draw when the recipe has a step the fast path cannot follow."""
        if self.supported:
            S, path = self.evaluate(W), "vectorised"
        else:
            d = next(iter(W.values())).shape[0]
            S = np.column_stack([self.result.regen(node_weights=node_weights(self, W, j)).index.xs(self.period, level="period")
                                 .reindex(self.units).to_numpy() for j in range(d)])
            path = "regen per draw"
        return pd.DataFrame(S, index=self.units).reindex(units).to_numpy(), path

    def draw(self, n: int, rng: np.random.Generator, how: str = "dirichlet", alpha: float = 50.0, spread: float = 0.25) -> dict[str, np.ndarray]:
        """Weight draws for every node (module docstring)."""
        return {nd: draw_group(self.nominal[nd], n, rng, how, alpha, spread) for nd in self.nodes}


def draw_group(w: np.ndarray, n: int, rng: np.random.Generator, how: str = "dirichlet", alpha: float = 50.0,
               spread: float = 0.25) -> np.ndarray:
    """n draws of the weights of K siblings: Dirichlet(α·K·w), w·U(1 ± spread) renormalised, or fixed."""
    w = np.asarray(w, float) / np.sum(w)
    k = len(w)
    if how == "none" or k == 1:
        return np.tile(w, (n, 1))
    if how == "dirichlet":
        if (w <= 0).any():  # a zero weight stays zero
            out = np.zeros((n, k))
            pos = w > 0
            out[:, pos] = rng.dirichlet(alpha * k * w[pos], size=n)
            return out
        return rng.dirichlet(alpha * k * w, size=n)
    if how == "uniform":
        d = w * rng.uniform(1 - spread, 1 + spread, size=(n, k))
        return d / d.sum(axis=1, keepdims=True)
    raise ValueError(f"weights must be 'dirichlet', 'uniform' or 'none', got {how!r}")


def node_weights(ev: DrawEvaluator, W: dict[str, np.ndarray], j: int) -> dict[str, float]:
    """Draw j as ``node_weights`` for ``regen`` (code → weight among its siblings)."""
    return {c: float(v) for nd in ev.nodes for c, v in zip(ev.children[nd], W[nd][j] / W[nd][j].sum(), strict=True)}


def ranks_of(S: np.ndarray) -> np.ndarray:
    """Competition ranks (1 = highest; exactly equal scores share the best rank, 1, 1, 3) down each
    column of a units × draws matrix."""
    order = np.argsort(-S, axis=0, kind="stable")
    srt = np.take_along_axis(S, order, axis=0)
    new = np.ones(srt.shape, bool)
    new[1:] = srt[1:] != srt[:-1]
    pos = np.arange(1, S.shape[0] + 1)[:, None]
    rk = np.maximum.accumulate(np.where(new, pos, 0), axis=0)
    R = np.empty_like(order)
    np.put_along_axis(R, order, rk, axis=0)
    return R


def _quantiles_from_counts(C: np.ndarray, qs: tuple[float, ...]) -> np.ndarray:
    """Rank quantiles per unit from a units × ranks count matrix (ranks 1..n)."""
    cum = np.cumsum(C, axis=1) / C.sum(axis=1, keepdims=True)
    return np.stack([np.argmax(cum >= q - 1e-12, axis=1) + 1 for q in qs], axis=1)


def _variant(result: Any, changes: dict[str, Any], cache: dict[Any, Any]) -> Any:
    from dgkit.errors import NormalisationError

    key = repr(sorted(changes.items(), key=lambda kv: kv[0]))
    if key not in cache:
        try:
            cache[key] = result.regen(**changes) if changes else result
        except NormalisationError as e:  # an alternative method the data cannot take: say it is the analysis's variant, and how to leave it out
            arg = {"normalisation": "normalisations=(…)", "aggregation": "aggregations=(…)", "impute": "imputations=(…)", "drop": "drop_one=False"}
            how = " or ".join(arg.get(k, k) for k in changes)
            raise NormalisationError(f"{e} — in the variant {', '.join(f'{k}={v!r}' for k, v in changes.items())} of the uncertainty analysis; "
                                     f"leave that alternative out ({how} without it)") from None
    return cache[key]


MIN_MC_DRAWS = 2   # a 5–95 % rank interval of one draw is that draw: no interval
MIN_SOBOL_N = 8    # Saltelli base samples: fewer give no usable variance estimate or bootstrap interval (SALib's bootstrap resamples them)


def _period(result: Any, period: Any) -> Any:
    p = result.periods[-1] if period is None else period
    if p not in result.periods:
        from dgkit.errors import StepError

        raise StepError(f"period {p!r} is not in the build", expected=f"one of {list(result.periods)}")
    return p


def _enough(result: Any, period: Any, what: str, n: int | None = None, least: int = 0, option: str = "n") -> None:
    """Refuse a sample size below ``least`` and a period with fewer than two units (ranks do not move)."""
    from dgkit.errors import AnalysisError
    from dgkit.stats.result import unit_names

    if n is not None and not (isinstance(n, int | np.integer) and not isinstance(n, bool) and n >= least):
        raise AnalysisError(f"{what} needs {least} or more {'draws' if least == MIN_MC_DRAWS else 'base samples'} (n)",
                            expected=f"an integer ≥ {least}", got=n)
    units = result.index.xs(period, level="period").dropna().index
    if len(units) < 2:
        raise AnalysisError(f"{what} of ranks needs two or more units with an index value in {period}; got {len(units)}"
                            + (f" ({unit_names(units)})" if len(units) else "") + ": a single unit is always first",
                            expected="two or more units")


@dataclass
class MCResult(StatResult):
    draws: int = 0
    weights: pd.DataFrame = field(default_factory=pd.DataFrame)


@skippable
def monte_carlo(result: Any, period: Any = None, n: int = 1000, seed: int = 0, weights: str = "dirichlet",
                alpha: float = 50.0, spread: float = 0.25, normalisations: tuple[Any, ...] | None = None,
                aggregations: tuple[Any, ...] | None = None, imputations: tuple[Any, ...] | None = None,
                drop_one: bool = False, tiers: pd.Series | None = None, tier_fn: Any = None, chunk: int = 2000,
                keep_scores: bool = False) -> MCResult:
    """Monte Carlo rank intervals (module docstring). Each draw picks one combination of the method
    choices (each a ``regen`` of the build) and one weight draw. ``tier_fn(scores) -> tiers``.
    Needs ``n`` ≥ 2 draws and two or more units in the period (an error otherwise)."""
    y = _period(result, period)
    _enough(result, y, "a Monte Carlo analysis", n, MIN_MC_DRAWS)
    rng = np.random.default_rng(seed)
    drops: tuple[Any, ...] = (None,) + (tuple(result.framework.leaves) if drop_one else ())
    choices = list(itertools.product(normalisations or (None,), aggregations or (None,), imputations or (None,), drops))
    pick = rng.integers(0, len(choices), size=n)
    ev0 = DrawEvaluator(result, y)
    units = ev0.units
    nu = len(units)
    nominal = result.index.xs(y, level="period").reindex(units)
    nominal_rank = pd.Series(ranks_of(nominal.to_numpy()[:, None])[:, 0], index=units)
    C = np.zeros((nu, nu), dtype=np.int64)
    keep = np.zeros(nu)
    codes = [c for nd in ev0.nodes for c in ev0.children[nd]]
    Wkept = np.full((n, len(codes)), np.nan) if n <= 20000 else None
    S_all = np.empty((nu, n)) if keep_scores else None
    nominal_tiers = tiers.reindex(units) if tiers is not None else None
    cache: dict[Any, Any] = {}
    paths = set()
    for ci, (nm, ag, im, dr) in enumerate(choices):
        idx = np.flatnonzero(pick == ci)
        if len(idx) == 0:
            continue
        changes: dict[str, Any] = {}
        if nm is not None:
            changes["normalisation"] = nm
        if ag is not None:
            changes["aggregation"] = ag
        if im is not None:
            changes["impute"] = im
        if dr is not None:
            changes["drop"] = [*result.options.get("drop", []), dr]
        r = _variant(result, changes, cache)
        ev = DrawEvaluator(r, y)
        pos = [codes.index(c) for nd in ev.nodes for c in ev.children[nd]]
        for start in range(0, len(idx), chunk):
            ids = idx[start:start + chunk]
            W = ev.draw(len(ids), rng, weights, alpha, spread)
            S, path = ev.scores(W, units)
            paths.add(path)
            R = ranks_of(S)
            C += np.bincount((np.arange(nu)[:, None] * nu + (R - 1)).ravel(), minlength=nu * nu).reshape(nu, nu)
            if nominal_tiers is not None and tier_fn is not None:
                for j in range(len(ids)):
                    t = tier_fn(pd.Series(S[:, j], index=units))
                    keep += (t.to_numpy() == nominal_tiers.to_numpy())
            if Wkept is not None:
                Wkept[np.ix_(ids, pos)] = np.hstack([W[nd] / W[nd].sum(axis=1, keepdims=True) for nd in ev.nodes])
            if S_all is not None:
                S_all[:, ids] = S
    q = _quantiles_from_counts(C, (0.05, 0.5, 0.95))
    table = pd.DataFrame({"nominal": nominal_rank, "median": q[:, 1], "q05": q[:, 0], "q95": q[:, 2]}, index=units)
    table["width"] = table["q95"] - table["q05"]
    if nominal_tiers is not None and tier_fn is not None:
        table["tier"] = nominal_tiers
        table["tier_kept_share"] = keep / n
    table = table.sort_values("nominal")
    width = float(table["width"].mean())
    sentence = (f"{n} Monte Carlo draws ({weights} weights" + (f", {len(choices)} method combination(s)" if len(choices) > 1 else "")
                + (f", seed {seed}): mean 5–95 % rank interval width {width:.1f} places; widest: {table['width'].idxmax()} ({int(table['width'].max())})"
                   if table["width"].max() > 0 else f", seed {seed}): no draw moves any rank (every 5–95 % interval has width 0)"))
    extra: dict[str, Any] = {"counts": C, "choices": choices, "pick": pick, "path": sorted(paths), "period": y}
    if S_all is not None:
        extra["scores"] = S_all
    W_df = pd.DataFrame(Wkept, columns=codes) if Wkept is not None else pd.DataFrame()
    widest = table["width"].idxmax()
    facts = {"mean_interval_width": width, "n": n, "units": len(table), "seed": seed, "widest": widest, "widest_width": float(table["width"].max()),
             "still_note": "" if table["width"].max() > 0 else "@no_rank_moves",
             "weights": weights}
    return MCResult(table.rename_axis("unit_id"), sentence, facts, extra, n, W_df)


@skippable
def sobol(result: Any, period: Any = None, n: int = 256, seed: int = 0, spread: float = 0.5,
          normalisations: tuple[Any, ...] | None = None, aggregations: tuple[Any, ...] | None = None,
          imputations: tuple[Any, ...] | None = None, drop_one: bool = False,
          num_resamples: int = 200, per_unit: bool = True) -> StatResult:
    """Sobol indices of the top-level weights (each w·U(1 − spread, 1 + spread), renormalised) and of
    the discrete choices — normalisation, aggregation, and when asked imputation and the indicator set
    (none or one indicator left out) — for the mean absolute rank shift and (``per_unit``) each unit's
    rank. Each combination of choices is a ``regen`` of the build. Defaults: the build's own methods
    (``None``) and the usual alternatives. Needs ``n`` ≥ 8 base samples (a power of two is best) and two
    or more units; when no input ever moves a rank, every index is 0 and the sentence says so."""
    import warnings

    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    y = _period(result, period)
    _enough(result, y, "a Sobol analysis", n, MIN_SOBOL_N)
    own = next(iter(result.steps["normalise"].values())).name
    norms = normalisations or (None, *[m for m in ("minmax", "rank", "zscore_minmax") if m != own])  # None: the build's own
    own_agg = result.steps["aggregate"][result.framework.index_code].name
    aggs = aggregations or (None, "arithmetic" if own_agg != "arithmetic" else {"method": "geometric", "zeros": "shift"})
    cache: dict[Any, Any] = {}
    notes: list[str] = []
    left_out: list[str] = []
    if normalisations is None:  # alternatives the user names must work (their error stands); a default one these data cannot take is left out, and said so
        norms = _usable_defaults(result, "normalisation", norms, cache, notes, left_out)
    if aggregations is None:
        aggs = _usable_defaults(result, "aggregation", aggs, cache, notes, left_out)
    factors: list[tuple[str, str, tuple[Any, ...]]] = [("normalisation", "normalisation", tuple(norms)), ("aggregation", "aggregation", tuple(aggs))]
    if imputations:
        factors.append(("imputation", "impute", tuple(imputations)))
    if drop_one:
        factors.append(("indicator_set", "drop", (None, *result.framework.leaves)))
    fw = result.framework
    top = fw.index_code
    kids = fw.children(top)
    names = [f"w_{p}" for p in kids] + [f[0] for f in factors]
    bounds = [[1 - spread, 1 + spread]] * len(kids) + [[0, len(f[2])] for f in factors]
    problem = {"num_vars": len(names), "names": names, "bounds": bounds}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        X = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    if any("power of 2" in str(w.message) for w in caught):
        notes.append(f"N = {n} is not a power of two: the Sobol' sequence loses its balance properties (use {1 << (n - 1).bit_length()})")
    ev0 = DrawEvaluator(result, y)
    units = ev0.units
    nominal_rank = ranks_of(result.index.xs(y, level="period").reindex(units).to_numpy()[:, None])[:, 0]
    R = np.empty((len(units), len(X)), dtype=np.int64)
    picks = np.column_stack([np.minimum(X[:, len(kids) + j].astype(int), len(f[2]) - 1) for j, f in enumerate(factors)])
    for combo in sorted({tuple(r) for r in picks.tolist()}):
        sel = np.flatnonzero((picks == np.array(combo)).all(axis=1))
        changes: dict[str, Any] = {}
        for (_, option, choices), i in zip(factors, combo, strict=True):
            v = choices[i]
            if v is not None:
                changes[option] = [*result.options.get("drop", []), v] if option == "drop" else v
        r = _variant(result, changes, cache)
        ev = DrawEvaluator(r, y)
        W = {nd: np.tile(ev.nominal[nd], (len(sel), 1)) for nd in ev.nodes}
        live = [k for k in kids if k in ev.children[top]]
        W[top] = ev.nominal[top] * X[np.ix_(sel, [kids.index(k) for k in live])]
        R[:, sel] = ranks_of(ev.scores(W, units)[0])
    shift = np.abs(R - nominal_rank[:, None]).mean(axis=0)
    still = bool(np.ptp(shift) == 0)  # no input moves any rank: every index is 0 (SALib would warn and divide 0 by 0)
    if still:
        zero = np.zeros(len(names))
        Si = {"S1": zero, "S1_conf": zero, "ST": zero, "ST_conf": zero}
        notes.append(f"no input moves any rank in {len(X)} runs: every Sobol index is 0")
    else:
        with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            Si = sobol_analyze.analyze(problem, shift, calc_second_order=False, num_resamples=num_resamples, seed=seed)
    table = pd.DataFrame({"S1": Si["S1"], "S1_conf": Si["S1_conf"], "ST": Si["ST"], "ST_conf": Si["ST_conf"]}, index=names)
    table["ST_low"] = table["ST"] - table["ST_conf"]
    table["ST_high"] = table["ST"] + table["ST_conf"]
    extra: dict[str, Any] = {"problem": problem, "samples": len(X), "factors": {f[0]: f[2] for f in factors}, "regens": len(cache),
                             "notes": notes}
    if per_unit:
        Yu = R.T.astype(float)
        s1, st_ = saltelli_indices(Yu, len(names))
        extra["per_unit_S1"] = pd.DataFrame(s1, index=units, columns=names)
        extra["per_unit_ST"] = pd.DataFrame(st_, index=units, columns=names)
        rng = np.random.default_rng(seed)  # bootstrap over the N base samples (SALib's resampling), vectorised over units
        blocks = Yu.reshape(n, len(names) + 2, -1)
        boots = []
        for _ in range(min(num_resamples, 100)):
            idx = rng.integers(0, n, n)
            boots.append(saltelli_indices(blocks[idx].reshape(-1, Yu.shape[1]), len(names))[1])
        half = 0.5 * (np.percentile(boots, 97.5, axis=0) - np.percentile(boots, 2.5, axis=0))
        extra["per_unit_ST_conf"] = pd.DataFrame(half, index=units, columns=names)
    topi = table["ST"].fillna(-np.inf).idxmax()
    if still:
        sentence = f"Sobol (N = {n}, {len(X)} model runs): no input moves any rank, so every index is 0 (the ranking is insensitive to them)"
    else:
        sentence = f"Sobol (N = {n}, {len(X)} model runs): the largest total-order index is {topi}, S_T = {table.loc[topi, 'ST']:.2f} ± {table.loc[topi, 'ST_conf']:.2f}"
    sentence += "".join(f"; {x}" for x in notes if not x.startswith("no input"))
    return StatResult(table.rename_axis("input"), sentence,
                      {"top": topi, "ST_top": float(table.loc[topi, "ST"]), "ST_conf_top": float(table.loc[topi, "ST_conf"]),
                       "S1_top": float(table.loc[topi, "S1"]), "N": n, "runs": len(X), "still": still,
                       "sobol_text": "@sobol_still" if still else "@sobol_top", "left_out": ", ".join(left_out),
                       "left_out_note": "@sobol_left_out" if left_out else ""}, extra)


def _usable_defaults(result: Any, option: str, choices: tuple[Any, ...], cache: dict[Any, Any], notes: list[str],
                     left_out: list[str]) -> tuple[Any, ...]:
    """The default alternatives of ``option`` that the build's data can take (each a ``regen``, cached)."""
    from dgkit.errors import NormalisationError

    kept = []
    for v in choices:
        try:
            if v is not None:
                _variant(result, {option: v}, cache)
            kept.append(v)
        except NormalisationError as e:
            notes.append(f"the default alternative {option} {v!r} is left out: {str(e).split(' — in the variant')[0]}")
            left_out.append(v if isinstance(v, str) else repr(v))
    return tuple(kept)


def saltelli_indices(Y: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray]:
    """First-order (Saltelli 2010) and total (Jansen) Sobol estimates for many outputs at once.

    ``Y``: (N·(d + 2)) × outputs, rows in SALib's order without second order (A, AB_1 … AB_d, B).
    The same estimators as ``SALib.analyze.sobol`` (``S1 = mean(f_B (f_ABi − f_A))/V``,
    ``ST = mean((f_A − f_ABi)²)/(2V)``, ``V = var([f_A; f_B])``), vectorised over the outputs; an
    output that never changes gets 0.
    """
    n = Y.shape[0] // (d + 2)
    blocks = Y.reshape(n, d + 2, -1)
    A, B, AB = blocks[:, 0, :], blocks[:, -1, :], blocks[:, 1:-1, :]
    V = np.var(np.concatenate([A, B], axis=0), axis=0)
    safe = np.where(V > 0, V, 1.0)
    S1 = (np.mean(B[:, None, :] * (AB - A[:, None, :]), axis=0) / safe).T
    ST = (0.5 * np.mean((A[:, None, :] - AB) ** 2, axis=0) / safe).T
    S1[V == 0] = 0.0
    ST[V == 0] = 0.0
    return S1, ST


@skippable
def leave_one_out(result: Any, period: Any = None, level: str = "indicator") -> StatResult:
    """Rank shifts when each indicator (``level="indicator"``) or each node just below the index
    (``"pillar"``) is left out: a ``regen(drop=[…])`` each, so weights renormalise as the recipe says."""
    from dgkit.errors import AnalysisError

    y = _period(result, period)
    if level not in ("indicator", "pillar"):
        raise AnalysisError(f"unknown leave-one-out level {level!r}", expected="'indicator' or 'pillar'")
    _enough(result, y, "leaving one out")
    units = result.index.xs(y, level="period").index
    base = pd.Series(ranks_of(result.index.xs(y, level="period").to_numpy()[:, None])[:, 0], index=units)
    items = result.framework.leaves if level == "indicator" else result.top_nodes
    if len(items) < 2:
        raise AnalysisError(f"leave-one-out needs two or more {level}s to leave out in turn; framework '{result.framework.name}' has "
                            f"{len(items)} ({', '.join(map(str, items))}): without it nothing is left to build",
                            expected=f"two or more {level}s" + (" (or level='indicator')" if level == "pillar" else ""))
    rows, per_unit = [], {}
    for item in items:
        r = result.regen(drop=[*result.options.get("drop", []), item])
        s = r.index.xs(y, level="period").reindex(units)
        d = pd.Series(ranks_of(s.fillna(-np.inf).to_numpy()[:, None])[:, 0], index=units) - base
        per_unit[item] = d
        rows.append({"dropped": item, "mean_abs_rank_shift": float(d.abs().mean()), "max_abs_rank_shift": int(d.abs().max())})
    t = pd.DataFrame(rows).set_index("dropped").sort_values("mean_abs_rank_shift", ascending=False)
    s = f"leave one {level} out: largest mean |rank shift| {t['mean_abs_rank_shift'].iat[0]:.2f} places when {t.index[0]} is dropped"
    still = not t["mean_abs_rank_shift"].max() > 0
    if still:
        s = f"leave one {level} out: no {level} moves any rank when left out (n = {len(units)})"
    return StatResult(t, s, {"top": t.index[0], "top_shift": float(t["mean_abs_rank_shift"].iat[0]), "level": level, "n": len(units),
                             "still_note": "@still_leave_one_out" if still else ""},
                      {"per_unit": pd.DataFrame(per_unit, index=units)})
