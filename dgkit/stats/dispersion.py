"""Dispersion and convergence (国脉: SD against a threshold of 5; CCID: SD 7.12 / 4.31).

* SD with ``ddof`` stated (0 = population, 1 = sample; the seeds do not say which) and the
  threshold flag ``sd > threshold`` (国脉: "上限5表示样本离散偏大");
* CV = SD/mean, range, IQR (numpy's linear interpolation);
* Gini = Σ_i Σ_j |x_i − x_j| / (2 n² μ);
* Theil T = (1/n) Σ (x_i/μ) ln(x_i/μ), decomposed into between-group
  Σ_g s_g ln(μ_g/μ) and within-group Σ_g s_g T_g with s_g = the group's share of the total
  (checked against PySAL ``inequality.theil.TheilD``);
* σ-convergence: SD and CV per edition and their trend; β-convergence: OLS of the annualised
  growth ln(x_end/x_start)/T on ln x_start (β < 0 = convergence), with the half-life.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dgkit.errors import AnalysisError
from dgkit.stats.result import (
    Missing,
    StatResult,
    fmt_p,
    mean_sd,
    require_finite,
    scale_of,
    skippable,
)


def _values(x: pd.Series | np.ndarray, statistic: str) -> np.ndarray:
    """The non-missing values of x, refused when there is none or one is ±inf."""
    s = pd.Series(x).dropna().astype(float)
    if s.empty:
        raise AnalysisError(f"{statistic} of no values", expected="one or more units with a value", got=0)
    require_finite(s, statistic)
    return s.to_numpy()


def gini(x: pd.Series | np.ndarray) -> float:
    """Gini = Σ_i Σ_j |x_i − x_j| / (2 n² μ), for non-negative values with a positive mean (scale-free:
    computed on x / max x when the sums of values near 1e308 would overflow)."""
    v = _values(x, "the Gini coefficient")
    if (v < 0).any() or not (v > 0).any():
        raise AnalysisError("the Gini coefficient needs non-negative values with a positive mean",
                            expected="values ≥ 0, not all 0", got=f"{int((v < 0).sum())} negative value(s), mean {mean_sd(v)[0]:g}")
    n = len(v)
    with np.errstate(over="ignore", invalid="ignore"):
        g = float(np.abs(v[:, None] - v[None, :]).sum() / (2 * n * n * v.mean()))
    if not np.isfinite(g):
        v = v / scale_of(v)
        g = float(np.abs(v[:, None] - v[None, :]).sum() / (2 * n * n * v.mean()))
    return g


def theil(x: pd.Series | np.ndarray) -> float:
    """Theil T = (1/n) Σ (x_i/μ) ln(x_i/μ), for positive values (scale-free, as :func:`gini`)."""
    v = _values(x, "Theil T")
    if (v <= 0).any():
        raise AnalysisError("Theil T needs positive values", expected="values > 0", got=f"{int((v <= 0).sum())} value(s) ≤ 0")
    with np.errstate(over="ignore"):
        mu = v.mean()
    if not np.isfinite(mu):
        v = v / scale_of(v)
        mu = v.mean()
    r = v / mu
    return float(np.mean(r * np.log(r)))


@skippable
def describe(scores: pd.Series, ddof: int = 0, threshold: float | None = None, label: str = "",
             scale: tuple[float, float] | None = None) -> StatResult:
    """n, mean, SD (``ddof`` stated), CV, range, IQR, Gini, Theil.

    ``threshold`` is 国脉 2023's convention, "标准差 0–5" for its 0–100 scores (上限 5 表示样本离散
    偏大): a number on the **0–100 scale**, applied only where the index's ``scale`` (lowest,
    highest) is known. On 0–100 it is used as given; on another scale it is rescaled by
    (highest − lowest) / 100 (5 → 0.05 on 0–1) and the rule is stated; with no known scale it is
    omitted and the sentence says why. It is a convention of that release, not a statistical test."""
    if ddof not in (0, 1):
        raise AnalysisError("the SD's ddof must be 0 (population) or 1 (sample)", expected="0 or 1", got=ddof)
    s = scores.dropna().astype(float)
    if len(s) < 2:
        return Missing.undefined("too_few_units", f"dispersion needs two or more units, got {len(s)}", n=len(s))
    require_finite(s, "the dispersion (SD, CV, Gini)")
    mean, sd = mean_sd(s, ddof)
    q1, q3 = np.percentile(s, [25, 75])
    positive = bool((s > 0).all())  # CV, Gini and Theil compare with the mean: defined for positive values only
    facts = {"n": len(s), "mean": mean, "sd": sd, "ddof": ddof, "cv": sd / mean if positive else np.nan,
             "min": float(s.min()), "max": float(s.max()), "range": float(s.max() / 2 - s.min() / 2) * 2, "iqr": float(q3 / 2 - q1 / 2) * 2,
             "gini": gini(s) if positive else np.nan, "theil": theil(s) if positive else np.nan,
             "n_nonpositive": int((s <= 0).sum()),
             "relative_note": "" if positive else "@relative_undefined_nonpositive"}
    facts["convention"] = "@population_sd" if ddof == 0 else "@sample_sd"
    facts["threshold_verdict"] = "@no_threshold"
    applied = None
    if threshold is not None and scale is None:
        facts["threshold_verdict"] = "@threshold_no_scale"
        facts["threshold"] = threshold
    elif threshold is not None:
        lo, hi = float(scale[0]), float(scale[1])
        applied = float(threshold) * (hi - lo) / 100.0
        facts["threshold"] = threshold
        facts["threshold_applied"] = applied
        facts["scale"] = f"{lo:g}–{hi:g}"
        above = sd > applied
        if (lo, hi) == (0.0, 100.0):
            facts["threshold_verdict"] = "@above_guomai_threshold" if above else "@within_guomai_threshold"
        else:
            facts["threshold_verdict"] = "@above_guomai_threshold_rescaled" if above else "@within_guomai_threshold_rescaled"
        facts["sd_exceeds_threshold"] = bool(above)
    t = pd.DataFrame([{"label": label, **{k: v for k, v in facts.items()
                                          if not (isinstance(v, str) and (v.startswith("@") or k in ("scale", "relative_note")))}}])
    conv = "population" if ddof == 0 else "sample"
    s_ = (f"{label + ': ' if label else ''}SD = {sd:{'.2f' if abs(sd) < 1e6 else '.3g'}} ({conv}, n = {len(s)})"
          + (f", {'above' if sd > applied else 'within'} 国脉 2023's convention of {threshold:g} on 0–100 ({applied:g} on {facts['scale']})"
             if applied is not None else "")
          + (f"; CV = {facts['cv']:.3f}, Gini = {facts['gini']:.3f}" if positive else
             f"; CV and Gini undefined ({facts['n_nonpositive']} unit(s) score zero or less; both are relative to the mean)"))
    return StatResult(t, s_, facts)


@skippable
def theil_decomposition(scores: pd.Series, groups: pd.Series, check_with_pysal: bool = False) -> StatResult:
    """Theil T of the units with a group, split into between- and within-group parts."""
    df = pd.concat([scores.rename("x"), groups.replace("", np.nan).rename("g")], axis=1).dropna()
    if df["g"].nunique() < 2:
        return Missing.undefined("too_few_groups", f"a Theil decomposition needs two or more groups; got {df['g'].nunique()}", n=int(df["g"].nunique()))
    if (df["x"] <= 0).any():
        return Missing.undefined("theil_nonpositive", "Theil T needs positive values", n=int((df["x"] <= 0).sum()))
    require_finite(df["x"], "Theil T")
    if df["x"].nunique() == 1:
        return Missing.undefined("no_inequality", f"every one of the {len(df)} units has the same value: Theil T = 0 and its "
                                 "between-group share is 0/0", n=len(df))
    if not np.isfinite(df["x"].sum()):  # shares and ratios are scale-free: values near 1e308 taken on x / max x
        df = df.assign(x=df["x"] / scale_of(df["x"]))
    mu, total = df["x"].mean(), df["x"].sum()
    rows = []
    for g, sub in df.groupby("g"):
        share = sub["x"].sum() / total
        rows.append({"group": g, "n": len(sub), "mean": sub["x"].mean(), "share": share, "theil_within_group": theil(sub["x"]),
                     "between_term": share * np.log(sub["x"].mean() / mu)})
    t = pd.DataFrame(rows)
    T = theil(df["x"])
    between = float(t["between_term"].sum())
    within = float((t["share"] * t["theil_within_group"]).sum())
    facts = {"theil": T, "between": between, "within": within, "between_share": between / T if T else np.nan, "n": len(df),
             "groups": int(df["g"].nunique()), "between_share_pct": 100 * between / T if T else np.nan}
    if check_with_pysal:
        from inequality.theil import TheilD

        td = TheilD(df["x"].to_numpy(), df["g"].astype("category").cat.codes.to_numpy())
        facts["pysal_between"] = float(np.ravel(td.bg)[0])
        facts["pysal_within"] = float(np.ravel(td.wg)[0])
    s = f"Theil T = {T:.4f}: between groups {between:.4f} ({facts['between_share']:.0%}), within groups {within:.4f}"
    return StatResult(t, s, facts)


@skippable
def sigma_convergence(wide: pd.DataFrame, ddof: int = 0) -> StatResult:
    """SD and CV per edition (columns = editions); the slope of SD on edition order."""
    if ddof not in (0, 1):
        raise AnalysisError("the SD's ddof must be 0 (population) or 1 (sample)", expected="0 or 1", got=ddof)
    if wide.shape[1] < 2:
        return Missing("σ-convergence compares two or more periods", "too_few_periods", n=wide.shape[1], need=2)
    wide = wide.dropna()  # a balanced panel: the same units in every period (else the CVs compare different sets)
    if len(wide) < 2:
        return Missing.undefined("too_few_units", f"σ-convergence needs two or more units present in every period, got {len(wide)}", n=len(wide))
    require_finite(wide, "σ-convergence")
    ms = [mean_sd(wide[c], ddof) for c in wide.columns]
    t = pd.DataFrame({"edition": wide.columns, "n": wide.notna().sum().to_numpy(), "mean": [m for m, _ in ms], "sd": [v for _, v in ms]})
    t["cv"] = np.where(((wide >= 0).all().to_numpy() & (t["mean"] > 0).to_numpy()), t["sd"] / t["mean"], np.nan)  # defined for non-negative data with a positive mean
    slope = float(np.polyfit(np.arange(len(t)), t["cv"], 1)[0]) if len(t) > 1 and t["cv"].notna().all() else np.nan
    with np.errstate(over="ignore", invalid="ignore"):
        sd_slope = float(np.polyfit(np.arange(len(t)), t["sd"], 1)[0])
    if not np.isfinite(sd_slope):  # SDs near 1e308: the slope on a scale that does not overflow
        sd_slope = float(np.polyfit(np.arange(len(t)), t["sd"] / scale_of(t["sd"]), 1)[0]) * scale_of(t["sd"])
    words = {"@converging": "converging", "@diverging": "diverging", "@no_change": "no change", "@undefined": "undefined"}
    if np.isfinite(slope):
        s = (f"σ-convergence: CV from {t['cv'].iat[0]:.3f} ({t['edition'].iat[0]}) to {t['cv'].iat[-1]:.3f} ({t['edition'].iat[-1]}); "
             f"{words[_verdict(slope)]} (slope {slope:+.4f} per edition)")
    else:
        s = (f"σ-convergence: the CV is undefined (some values are negative or a mean is not positive); SD from {t['sd'].iat[0]:.3g} "
             f"({t['edition'].iat[0]}) to {t['sd'].iat[-1]:.3g} ({t['edition'].iat[-1]}), {words[_verdict(sd_slope)]}")
    return StatResult(t, s, {"cv_slope": slope, "sd_slope": sd_slope, "first": t["edition"].iat[0], "last": t["edition"].iat[-1],
                             "cv_first": float(t["cv"].iat[0]), "cv_last": float(t["cv"].iat[-1]), "sd_first": float(t["sd"].iat[0]),
                             "sd_last": float(t["sd"].iat[-1]), "n": int(t["n"].min()), "periods": len(t),
                             "agree": bool(np.sign(slope) == np.sign(sd_slope)),
                             "cv_verdict": _verdict(slope), "sd_verdict": _verdict(sd_slope),
                             "judge": "@judged_by_cv" if np.isfinite(slope) else "@cv_undefined_judged_by_sd"})


def _verdict(slope: float) -> str:
    if not np.isfinite(slope):
        return "@undefined"
    return "@converging" if slope < -1e-12 else ("@diverging" if slope > 1e-12 else "@no_change")


def period_steps(periods: list) -> np.ndarray:
    """The length of each step between consecutive periods: the difference in years when the
    periods are whole numbers (years), else 1 per step."""
    numeric = all(isinstance(c, int | np.integer) for c in periods)
    return np.diff(np.asarray(periods, dtype=float)) if numeric else np.ones(len(periods) - 1)


@skippable
def beta_convergence(start: pd.Series, end: pd.Series, years: float) -> StatResult:
    """Absolute β: OLS of ln(x_end/x_start)/T on ln x_start (units with positive values in both)."""
    from statsmodels.regression.linear_model import (
        OLS,  # not statsmodels.api: it imports graphics and tsa too (0.6 s)
    )
    from statsmodels.tools.tools import add_constant

    if not (isinstance(years, int | float | np.integer | np.floating) and np.isfinite(years) and years > 0):
        raise AnalysisError("β-convergence divides the growth by the time between the two periods", expected="a positive number of years (or steps)", got=years)
    df = pd.concat([start.rename("x0"), end.rename("x1")], axis=1).dropna()
    require_finite(df, "β-convergence")
    df = df[(df > 0).all(axis=1)]
    if len(df) < 5:
        return Missing.undefined("beta_nonpositive", f"β-convergence needs 5 or more units positive in both periods, got {len(df)}", n=len(df))
    if df["x0"].nunique() < 2:
        return Missing.undefined("constant", "every unit has the same starting value")
    g = np.log(df["x1"] / df["x0"]) / years
    m = OLS(g, add_constant(np.log(df["x0"]))).fit()
    beta = float(m.params.iloc[1])
    half = float(np.log(2) / -beta) if beta < 0 else np.inf
    t = pd.DataFrame({"coef": m.params, "se": m.bse, "p": m.pvalues})
    s = f"β-convergence: β = {beta:.4f}, {fmt_p(float(m.pvalues.iloc[1]))}, n = {int(m.nobs)}" + (f", half-life {half:.1f} years" if np.isfinite(half) else " (no convergence)")
    t.index = ["intercept", "ln_x_start"]
    return StatResult(t.rename_axis("term").reset_index(), s, {"beta": beta, "p": float(m.pvalues.iloc[1]), "p_text": fmt_p(float(m.pvalues.iloc[1])),
                                                               "half_life": half, "r2": float(m.rsquared), "n": int(m.nobs), "years": years,
                                                               "verdict": "@converging" if beta < 0 and m.pvalues.iloc[1] < 0.05 else ("@diverging" if beta > 0 and m.pvalues.iloc[1] < 0.05 else "@no_significant_convergence")})


@skippable
def beta_convergence_panel(wide: pd.DataFrame) -> StatResult:
    """:func:`beta_convergence` from the first to the last period of a units × periods table
    (T = last − first when the periods are years, else the number of steps)."""
    cols = list(wide.columns)
    if len(cols) < 2:
        return Missing("β-convergence compares a first and a last period", "too_few_periods", n=len(cols), need=2)
    years = float(period_steps(cols).sum())
    r = beta_convergence(wide[cols[0]], wide[cols[-1]], years)
    if not isinstance(r, Missing):
        r.facts.update(first=cols[0], last=cols[-1])
    return r
