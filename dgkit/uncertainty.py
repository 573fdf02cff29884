"""Uncertainty and sensitivity analysis of an index, vectorised.

:func:`monte_carlo` perturbs, in any combination: the weights (``weights="dirichlet"``: indicator
weights within each pillar and pillar weights drawn from Dirichlet(α·w_nominal), so their mean
is the nominal weight; ``"uniform"``: w·U(1 − x, 1 + x) renormalised), the normalisation method,
the aggregation method, the imputation choice and dropping one indicator. For every unit it
reports the nominal rank, the median rank and the 5–95 % rank interval, and — when tiers are
given — the share of draws in which the unit keeps its nominal tier. Seeded: the same call gives
the same numbers.

**How it is fast.** The normalised matrix is computed once per discrete choice (normalisation ×
aggregation × imputation × dropped indicator); within a choice every weight draw is evaluated at
once: for each pillar p, ``num_p = Z_p · W_pᵀ`` and ``den_p = M_p · W_pᵀ`` (M = availability, so
missing values renormalise exactly as in :func:`dgkit.aggregate.aggregate`), pillar scores =
num/den, then the index = Σ_p v_p ⊙ pillar_p. Geometric means run the same products on ln z.
Draws are processed in chunks (``chunk``) and ranks are accumulated into a units × ranks count
matrix, so memory is bounded by the chunk, not by the number of draws.

:func:`sobol` estimates first-order and total Sobol indices (SALib's Saltelli/Sobol sampling and
estimator, bootstrap confidence intervals) of the pillar weights and the discrete choices, both
for the mean absolute rank shift and for every unit's rank (COINr offers only the former).
:func:`leave_one_out` drops each indicator or pillar in turn.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dgkit import normalise as norm
from dgkit.stats.result import StatResult

NORMALISATIONS = ("ccid", "minmax", "zscore_minmax", "rank")


@dataclass
class Structure:
    """The arrays one year of a build needs for fast re-aggregation."""

    units: list[str]
    indicators: list[str]
    pillars: list[str]
    groups: list[np.ndarray]           # indicator column positions of each pillar
    iw: np.ndarray                     # nominal indicator weights within pillars (n_ind,)
    pw: np.ndarray                     # nominal pillar weights (n_pil,)


def structure(result: Any, drop: str | None = None) -> Structure:
    fw = result.framework
    inds = [c for c in fw.indicator_codes if c != drop]
    pils = [p for p in fw.pillar_codes if any(i in inds for i in fw.members(p))]
    groups = [np.array([inds.index(i) for i in fw.members(p) if i in inds]) for p in pils]
    iw = result.indicator_weights.reindex(inds).to_numpy(float)
    pw = result.pillar_weights.reindex(pils).to_numpy(float)
    return Structure(list(result.raw.xs(result.years[0], level="year").index), inds, pils, groups, iw, pw / pw.sum())


def _normalised(result: Any, year: int, method: str, imputation: str | None, drop: str | None) -> pd.DataFrame:
    """The normalised matrix of one year for a discrete choice (treated data of the build)."""
    if imputation is None or imputation == result.options.impute:
        X = result.treated.xs(year, level="year")
    else:
        from dgkit.impute import impute

        X = impute(result.raw, imputation)[0].xs(year, level="year") if imputation in ("carry_forward", "interpolate") \
            else impute(result.raw.xs(year, level="year"), imputation)[0]
    fw = result.framework
    cols = [c for c in fw.indicator_codes if c != drop]
    return norm.normalise(X[cols], method, types=fw.types()[cols], directions=fw.directions()[cols], ddof=result.options.ddof)


def draw_weights(st: Structure, n: int, rng: np.random.Generator, how: str = "dirichlet", alpha: float = 50.0,
                 spread: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    """Indicator weights (n × n_ind, summing to 1 within each pillar) and pillar weights (n × n_pil)."""
    IW = np.empty((n, len(st.indicators)))
    for g in st.groups:
        w = st.iw[g] / st.iw[g].sum()
        if how == "none" or len(g) == 1:
            IW[:, g] = w
        elif how == "dirichlet":
            IW[:, g] = rng.dirichlet(alpha * w * len(g), size=n)
        else:
            d = w * rng.uniform(1 - spread, 1 + spread, size=(n, len(g)))
            IW[:, g] = d / d.sum(axis=1, keepdims=True)
    if how == "none":
        PW = np.tile(st.pw, (n, 1))
    elif how == "dirichlet":
        PW = rng.dirichlet(alpha * st.pw * len(st.pw), size=n)
    else:
        d = st.pw * rng.uniform(1 - spread, 1 + spread, size=(n, len(st.pw)))
        PW = d / d.sum(axis=1, keepdims=True)
    return IW, PW


def aggregate_draws(Z: np.ndarray, st: Structure, IW: np.ndarray, PW: np.ndarray, method: str = "arithmetic") -> np.ndarray:
    """Index for every draw at once: units × draws (see module docstring)."""
    M = ~np.isnan(Z)
    if method == "geometric":
        shift = 0.0
        zmin = np.nanmin(Z)
        if zmin <= 0:
            shift = 1.0 - zmin
        V = np.where(M, np.log(np.where(M, Z + shift, 1.0)), 0.0)
    else:
        shift = 0.0
        V = np.where(M, Z, 0.0)
    Mf = M.astype(float)
    out = np.zeros((Z.shape[0], IW.shape[0]))
    for k, g in enumerate(st.groups):
        num = V[:, g] @ IW[:, g].T
        den = Mf[:, g] @ IW[:, g].T
        pil = num / np.where(den > 0, den, np.nan)
        if method == "geometric":
            out += PW[:, k] * pil  # still in logs: Σ v_p ln(pillar_p) with pillar_p = exp(pil)
        else:
            out += PW[:, k] * pil
    if method == "geometric":
        out = np.exp(out) - shift
    return out


def ranks_of(S: np.ndarray) -> np.ndarray:
    """Competition ranks (1 = highest) down each column of a units × draws matrix."""
    order = np.argsort(-S, axis=0, kind="stable")
    R = np.empty_like(order)
    np.put_along_axis(R, order, np.arange(1, S.shape[0] + 1)[:, None].repeat(S.shape[1], axis=1), axis=0)
    return R


def _quantiles_from_counts(C: np.ndarray, qs: tuple[float, ...]) -> np.ndarray:
    """Rank quantiles per unit from a units × ranks count matrix (ranks 1..n)."""
    cum = np.cumsum(C, axis=1) / C.sum(axis=1, keepdims=True)
    return np.stack([np.argmax(cum >= q - 1e-12, axis=1) + 1 for q in qs], axis=1)


@dataclass
class MCResult(StatResult):
    draws: int = 0
    weights: dict[str, np.ndarray] = field(default_factory=dict)


def monte_carlo(result: Any, year: int | None = None, n: int = 1000, seed: int = 0, weights: str = "dirichlet",
                alpha: float = 50.0, spread: float = 0.25, normalisations: tuple[str, ...] | None = None,
                aggregations: tuple[str, ...] | None = None, imputations: tuple[str, ...] | None = None,
                drop_one: bool = False, tiers: pd.Series | None = None, tier_fn: Any = None, chunk: int = 2000,
                keep_scores: bool = False) -> MCResult:
    """Monte Carlo rank intervals (module docstring). ``tier_fn(scores: Series) -> Series`` gives tiers."""
    y = result.years[-1] if year is None else year
    rng = np.random.default_rng(seed)
    o = result.options
    norms = normalisations or (o.normalisation,)
    aggs = aggregations or (o.aggregation,)
    imps = imputations or (None,)
    drops: tuple[str | None, ...] = (None,) + (tuple(result.framework.indicator_codes) if drop_one else ())
    choices = list(itertools.product(norms, aggs, imps, drops))
    pick = rng.integers(0, len(choices), size=n)
    st0 = structure(result)
    units = st0.units
    nu = len(units)
    nominal = result.index.xs(y, level="year").reindex(units)
    nominal_rank = pd.Series(ranks_of(nominal.to_numpy()[:, None])[:, 0], index=units)
    C = np.zeros((nu, nu), dtype=np.int64)
    keep = np.zeros(nu)
    kept_IW, kept_PW, kept_S = [], [], []
    nominal_tiers = tiers.reindex(units) if tiers is not None else None
    for ci, (nm, ag, im, dr) in enumerate(choices):
        idx = np.flatnonzero(pick == ci)
        if len(idx) == 0:
            continue
        st = structure(result, dr)
        Z = _normalised(result, y, nm, im, dr).reindex(units)[st.indicators].to_numpy(float)
        for start in range(0, len(idx), chunk):
            m = len(idx[start:start + chunk])
            IW, PW = draw_weights(st, m, rng, weights, alpha, spread)
            S = aggregate_draws(Z, st, IW, PW, ag)
            R = ranks_of(S)
            C += np.bincount((np.arange(nu)[:, None] * nu + (R - 1)).ravel(), minlength=nu * nu).reshape(nu, nu)
            if nominal_tiers is not None and tier_fn is not None:
                for j in range(m):
                    t = tier_fn(pd.Series(S[:, j], index=units))
                    keep += (t.to_numpy() == nominal_tiers.to_numpy())
            if n <= 20000:
                full = np.zeros((m, len(st0.indicators)))
                pos = [st0.indicators.index(c) for c in st.indicators]
                full[:, pos] = IW
                kept_IW.append(full)
                pfull = np.zeros((m, len(st0.pillars)))
                pfull[:, [st0.pillars.index(p) for p in st.pillars]] = PW
                kept_PW.append(pfull)
            if keep_scores:
                kept_S.append((idx[start:start + m], S))
    q = _quantiles_from_counts(C, (0.05, 0.5, 0.95))
    table = pd.DataFrame({"nominal": nominal_rank, "median": q[:, 1], "q05": q[:, 0], "q95": q[:, 2]}, index=units)
    table["width"] = table["q95"] - table["q05"]
    if nominal_tiers is not None and tier_fn is not None:
        table["tier"] = nominal_tiers
        table["tier_kept_share"] = keep / n
    table = table.sort_values("nominal")
    width = float(table["width"].mean())
    sentence = (f"{n} Monte Carlo draws ({weights} weights" + (f", {len(choices)} method combination(s)" if len(choices) > 1 else "")
                + f", seed {seed}): mean 5–95 % rank interval width {width:.1f} places; widest: {table['width'].idxmax()} ({int(table['width'].max())})")
    res = MCResult(table, sentence, {"mean_interval_width": width, "n": n}, {"counts": C, "choices": choices, "pick": pick}, n,
                   {"indicator": np.vstack(kept_IW) if kept_IW else np.empty((0, 0)), "pillar": np.vstack(kept_PW) if kept_PW else np.empty((0, 0))})
    if keep_scores:
        S_all = np.empty((nu, n))
        for ids, S in kept_S:
            S_all[:, ids] = S
        res.extra["scores"] = S_all
    return res


def sobol(result: Any, year: int | None = None, n: int = 256, seed: int = 0, spread: float = 0.5,
          normalisations: tuple[str, ...] = NORMALISATIONS, aggregations: tuple[str, ...] = ("arithmetic", "geometric"),
          num_resamples: int = 200, per_unit: bool = True) -> StatResult:
    """Sobol indices of the pillar weights (each w_p·U(1 − spread, 1 + spread)) and of the choice of
    normalisation and aggregation, for the mean absolute rank shift and (``per_unit``) each unit's rank."""
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    y = result.years[-1] if year is None else year
    st = structure(result)
    names = [f"w_{p}" for p in st.pillars] + ["normalisation", "aggregation"]
    bounds = [[1 - spread, 1 + spread]] * len(st.pillars) + [[0, len(normalisations)], [0, len(aggregations)]]
    problem = {"num_vars": len(names), "names": names, "bounds": bounds}
    X = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    units = st.units
    nominal_rank = ranks_of(result.index.xs(y, level="year").reindex(units).to_numpy()[:, None])[:, 0]
    Zs = {m: _normalised(result, y, m, None, None).reindex(units)[st.indicators].to_numpy(float) for m in normalisations}
    R = np.empty((len(units), len(X)), dtype=np.int64)
    ni = np.minimum(X[:, -2].astype(int), len(normalisations) - 1)
    ai = np.minimum(X[:, -1].astype(int), len(aggregations) - 1)
    IW = np.tile(st.iw, (len(X), 1))
    PW = st.pw * X[:, : len(st.pillars)]
    PW = PW / PW.sum(axis=1, keepdims=True)
    for a, b in itertools.product(range(len(normalisations)), range(len(aggregations))):
        sel = np.flatnonzero((ni == a) & (ai == b))
        if len(sel):
            S = aggregate_draws(Zs[normalisations[a]], st, IW[sel], PW[sel], aggregations[b])
            R[:, sel] = ranks_of(S)
    shift = np.abs(R - nominal_rank[:, None]).mean(axis=0)
    Si = sobol_analyze.analyze(problem, shift, calc_second_order=False, num_resamples=num_resamples, seed=seed)
    table = pd.DataFrame({"S1": Si["S1"], "S1_conf": Si["S1_conf"], "ST": Si["ST"], "ST_conf": Si["ST_conf"]}, index=names)
    table["ST_low"] = table["ST"] - table["ST_conf"]
    table["ST_high"] = table["ST"] + table["ST_conf"]
    extra: dict[str, Any] = {"problem": problem, "samples": len(X)}
    if per_unit:
        Yu = R.T.astype(float)
        s1, st_ = saltelli_indices(Yu, len(names))
        extra["per_unit_S1"] = pd.DataFrame(s1, index=units, columns=names)
        extra["per_unit_ST"] = pd.DataFrame(st_, index=units, columns=names)
        # bootstrap over the N base samples (SALib's resampling), vectorised over units
        rng = np.random.default_rng(seed)
        blocks = Yu.reshape(n, len(names) + 2, -1)
        boots = []
        for _ in range(min(num_resamples, 100)):
            idx = rng.integers(0, n, n)
            boots.append(saltelli_indices(blocks[idx].reshape(-1, Yu.shape[1]), len(names))[1])
        half = 0.5 * (np.percentile(boots, 97.5, axis=0) - np.percentile(boots, 2.5, axis=0))
        extra["per_unit_ST_conf"] = pd.DataFrame(half, index=units, columns=names)
    top = table["ST"].idxmax()
    sentence = f"Sobol (N = {n}, {len(X)} model runs): the largest total-order index is {top}, S_T = {table.loc[top, 'ST']:.2f} ± {table.loc[top, 'ST_conf']:.2f}"
    return StatResult(table, sentence, {"top": top, "ST_top": float(table.loc[top, "ST"])}, extra)


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


def leave_one_out(result: Any, year: int | None = None, level: str = "indicator") -> StatResult:
    """Rank shifts when each indicator (or pillar) is left out, weights renormalised."""
    y = result.years[-1] if year is None else year
    st = structure(result)
    Z = result.normalised.xs(y, level="year").reindex(st.units)[st.indicators].to_numpy(float)
    base = ranks_of(aggregate_draws(Z, st, st.iw[None, :], st.pw[None, :], result.options.aggregation))[:, 0]
    rows, per_unit = [], {}
    items = st.indicators if level == "indicator" else st.pillars
    for k, item in enumerate(items):
        IW, PW = st.iw[None, :].copy(), st.pw[None, :].copy()
        if level == "indicator":
            IW[0, k] = 0.0
            g = next(g for g in st.groups if k in g)
            if IW[0, g].sum() == 0:
                PW[0, st.groups.index(g)] = 0.0
        else:
            PW[0, k] = 0.0
        PW = PW / PW.sum()
        with np.errstate(invalid="ignore"):
            S = aggregate_draws(Z, st, IW, PW, result.options.aggregation)
        S = np.nan_to_num(S, nan=0.0)
        r = ranks_of(S)[:, 0]
        d = r - base
        per_unit[item] = d
        rows.append({"dropped": item, "mean_abs_rank_shift": float(np.abs(d).mean()), "max_abs_rank_shift": int(np.abs(d).max())})
    t = pd.DataFrame(rows).set_index("dropped").sort_values("mean_abs_rank_shift", ascending=False)
    s = f"leave one {level} out: largest mean |rank shift| {t['mean_abs_rank_shift'].iat[0]:.2f} places when {t.index[0]} is dropped"
    return StatResult(t, s, {"top": t.index[0]}, {"per_unit": pd.DataFrame(per_unit, index=st.units)})
