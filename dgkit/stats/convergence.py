"""σ- and β-convergence of an index panel (units × periods).

* **σ-convergence** (:func:`sigma_convergence`): the SD and the coefficient of variation CV = SD/mean
  per period, with the OLS trend of each over the periods. The two can disagree when the mean moves
  (a rising mean lowers the CV at a constant SD); the sentence judges on the **CV**, which is
  scale-free, and says whether the SD agrees. A balanced panel: units present in every period.
* **β-convergence, panel form** (:func:`beta_convergence`): with annualised growth
  g_it = ln(y_i,t+1 / y_it) / Δt (Δt in years when periods are years, else 1 per step),

  - absolute:     g_it = α + β ln y_it + ε_it                       (pooled OLS)
  - conditional:  g_it = β ln y_it + γ'X_it + μ_i + η_t + ε_it      (unit and period fixed effects,
    optional controls X; Miller & Upadhyay 2002 call the fixed-effects form conditional even
    without X, as most 数字政府/数字经济 papers do), estimated by the within transformation; SEs
    as ``reghdfe`` (unit effects nested in the unit clusters are not counted in K)

  β < 0 means convergence; speed λ = −ln(1 + β Δt)/Δt and half-life ln 2 / λ (in years when the
  periods are years, else in steps). Standard errors are
  clustered by unit (statsmodels OLS, ``cov_type="cluster"``). Values must be positive.

The cross-section form (first to last period only) is :func:`dgkit.stats.dispersion.beta_convergence`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dgkit.errors import AnalysisError
from dgkit.stats.dispersion import period_steps, sigma_convergence
from dgkit.stats.result import Missing, StatResult, fmt_p, require_finite, skippable

__all__ = ["beta_convergence", "sigma_convergence"]


def _demean_two_way(df: pd.DataFrame, cols: list[str], tol: float = 1e-13, max_iter: int = 1000) -> pd.DataFrame:
    """``cols`` with unit and period means swept out (alternating projections; exact after one
    pass on a balanced panel, converging geometrically on an unbalanced one)."""
    out = df[cols].astype(float).copy()
    for _ in range(max_iter):
        before = out.to_numpy().copy()
        out = out - out.groupby(df["unit"].to_numpy()).transform("mean")
        out = out - out.groupby(df["period"].to_numpy()).transform("mean")
        if np.max(np.abs(out.to_numpy() - before)) < tol * max(1.0, float(np.max(np.abs(before)))):
            break
    return out


def _two_way_fe(df: pd.DataFrame, regressors: list[str], codes: np.ndarray):  # noqa: ANN202 - statsmodels results
    """Two-way fixed effects by the within transformation (Frisch–Waugh–Lovell: the same β as OLS
    with unit and period dummies, without an n-column design at county scale). SEs clustered by
    unit with the small-sample factor G/(G−1)·(N−1)/(N−K) where K counts the regressors and the
    period effects (T − 1) but not the unit effects, which are nested in the clusters (as Stata's
    ``reghdfe … vce(cluster unit)``)."""
    from types import SimpleNamespace

    from scipy.stats import norm
    from statsmodels.regression.linear_model import OLS

    d = _demean_two_way(df, ["growth", *regressors])
    m = OLS(d["growth"], d[regressors]).fit(cov_type="cluster", cov_kwds={"groups": codes})  # factor with K = len(regressors)
    N, k = len(d), len(regressors)
    K = k + df["period"].nunique() - 1
    bse = m.bse * np.sqrt((N - k) / (N - K))  # statsmodels' (N−1)/(N−k) → (N−1)/(N−K)
    p = pd.Series(2 * norm.sf(np.abs(m.params / bse)), index=m.params.index)
    return SimpleNamespace(params=m.params, bse=bse, pvalues=p, nobs=m.nobs, rsquared=m.rsquared, within=m)


@skippable
def beta_convergence(panel: pd.DataFrame, kind: str = "absolute", controls: dict[str, pd.DataFrame] | None = None) -> StatResult | Missing:
    """Panel β-convergence, ``kind="absolute"`` (pooled OLS) or ``"conditional"`` (two-way fixed
    effects, optional ``controls``: name → units × periods table, taken at the start of each step)."""
    if kind not in ("absolute", "conditional"):
        raise AnalysisError(f"unknown kind of β-convergence {kind!r}", expected="'absolute' or 'conditional'")
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.tools import add_constant

    cols = list(panel.columns)
    if len(cols) < 3:
        return Missing("panel β-convergence needs three or more periods", "too_few_periods", n=len(cols), need=3)
    require_finite(panel, "panel β-convergence")
    dt = period_steps(cols)
    if (dt <= 0).any():
        raise AnalysisError("panel β-convergence needs the periods in increasing order (growth is divided by the time between them)",
                            expected="periods in time order", got=cols)
    rows = []
    for (a, b), d in zip(zip(cols, cols[1:], strict=False), dt, strict=True):
        both = panel[[a, b]].dropna()
        both = both[(both > 0).all(axis=1)]
        row = pd.DataFrame({"unit": both.index, "period": a, "growth": np.log(both[b] / both[a]).to_numpy() / d,
                            "ln_level": np.log(both[a]).to_numpy(), "step": d})
        for name, tab in (controls or {}).items():
            row[name] = tab.reindex(both.index)[a].to_numpy() if a in tab.columns else np.nan
        rows.append(row)
    df = pd.concat(rows, ignore_index=True).dropna()
    units, periods = df["unit"].nunique(), df["period"].nunique()
    if units < 5 or len(df) < 10:
        return Missing.undefined("beta_nonpositive", f"panel β-convergence needs 5 or more units with positive values in two consecutive periods, got {units}", n=units)
    if (df.groupby("period")["ln_level"].nunique() < 2).all():
        return Missing.undefined("constant_values", "every unit has the same value in each period: β-convergence compares units "
                                 "with different starting levels", n=int(units))
    regressors = ["ln_level", *(controls or {})]
    codes = pd.factorize(df["unit"])[0]
    if kind == "conditional":
        within = _demean_two_way(df, ["ln_level"])["ln_level"]
        if not within.abs().max() > 1e-12 * max(1.0, float(df["ln_level"].abs().max())):
            return Missing.undefined("beta_no_within", "once unit and period effects are removed, ln y has no variation left: "
                                     "the conditional β is not identified (each unit keeps its distance to the others)", n=int(units))
        m = _two_way_fe(df, regressors, codes)
        keep = regressors
    else:
        m = OLS(df["growth"], add_constant(df[regressors], has_constant="add")).fit(cov_type="cluster", cov_kwds={"groups": codes})
        keep = ["const", *regressors]
    beta, se, p = float(m.params["ln_level"]), float(m.bse["ln_level"]), float(m.pvalues["ln_level"])
    step = float(np.median(dt))
    lam = -np.log(1 + beta * step) / step if 1 + beta * step > 0 else np.nan
    half = float(np.log(2) / lam) if np.isfinite(lam) and lam > 0 else np.nan
    table = pd.DataFrame({"term": ["intercept" if k == "const" else k for k in keep], "coef": m.params[keep].to_numpy(), "se": m.bse[keep].to_numpy(), "p": m.pvalues[keep].to_numpy()})
    verdict = "@converging" if beta < 0 and p < 0.05 else ("@diverging" if beta > 0 and p < 0.05 else "@not_significant")
    facts = {"kind": f"@beta_{kind}", "beta": beta, "se": se, "p": p, "p_text": fmt_p(p), "n_obs": int(m.nobs), "units": int(units),
             "periods": int(periods) + 1, "first": str(cols[0]), "last": str(cols[-1]), "speed": float(lam) if np.isfinite(lam) else np.nan,
             "half_life": half, "r2": float(m.rsquared), "verdict": verdict, "controls": ", ".join(controls or {}) or "—",
             "fixed_effects": "@fe_two_way" if kind == "conditional" else "@fe_none",
             "speed_text": "@speed_half_life" if np.isfinite(half) else ("@speed_beta_below_bound" if not np.isfinite(lam) else "@speed_no_half_life")}
    s = (f"{kind} β-convergence ({cols[0]}–{cols[-1]}, {units} units, {int(m.nobs)} unit-steps): β = {beta:.4f} "
         f"(SE {se:.4f}, clustered by unit), {fmt_p(p)}" + (f", half-life {half:.1f} years" if np.isfinite(half) else ""))
    return StatResult(table, s, facts, {"model": m})
