"""Kernel density of an index per period (the 分布动态 figure of 区域差异 papers).

f̂_t(x) = 1/(n_t h_t) Σ_i K((x − y_it)/h_t), K the Gaussian kernel, estimated by
``scipy.stats.gaussian_kde`` on each period's units. Bandwidth h_t = factor × SD_t (sample SD) with
the factor from **Scott's rule** n^(−1/5) (default) or **Silverman's rule** (n (d+2)/4)^(−1/(d+4)), or
a number given as the factor. All periods share one grid spanning the pooled range ± 3 h.

Reported per period: n, bandwidth, the location of the main peak, the number of peaks (local maxima
of f̂ at least 10 % of the highest; 多极分化 when there are two or more), and the SD.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dgkit.errors import AnalysisError
from dgkit.stats.result import Missing, StatResult, mean_sd, require_finite, scale_of, skippable

PEAK_FLOOR = 0.10  # a local maximum below 10 % of the highest is not counted as a peak


def _peaks(f: np.ndarray) -> np.ndarray:
    i = np.flatnonzero((f[1:-1] > f[:-2]) & (f[1:-1] >= f[2:])) + 1
    return i[f[i] >= PEAK_FLOOR * f.max()]


@skippable
def kernel_density(panel: pd.DataFrame | pd.Series, bandwidth: str | float = "scott", points: int = 200) -> StatResult | Missing:
    """Gaussian kernel density of each period (column) of ``panel``; see the module docstring."""
    from scipy.stats import gaussian_kde

    if isinstance(panel, pd.Series):
        panel = panel.to_frame("value")
    if isinstance(bandwidth, str) and bandwidth not in ("scott", "silverman"):
        raise AnalysisError(f"unknown bandwidth rule {bandwidth!r}", expected="'scott', 'silverman' or a positive number")
    if not isinstance(bandwidth, str) and not (isinstance(bandwidth, int | float) and np.isfinite(bandwidth) and bandwidth > 0):
        raise AnalysisError("a kernel density needs a positive bandwidth factor (h = factor × SD)", expected="'scott', 'silverman' or a positive number", got=bandwidth)
    require_finite(panel, "a kernel density")
    counts = panel.notna().sum()
    distinct = panel.nunique()
    cols = [c for c in panel.columns if counts[c] >= 3 and distinct[c] > 1]
    if not cols:
        if int(counts.max() if len(counts) else 0) >= 3:  # enough units, no spread
            return Missing.undefined("constant_values", "every unit has the same value in every period: a kernel density needs spread "
                                     "(its bandwidth is a multiple of the SD, here 0)", n=int(counts.max()))
        return Missing.undefined("too_few_units", "a kernel density needs three or more units with a value in a period",
                                 n=int(counts.max() if len(counts) else 0))
    left_out = [c for c in panel.columns if c not in cols]
    m = scale_of(panel[cols])
    m = m if m > 1e150 else 1.0  # the estimate on x / m, scaled back: the variance of values near 1e308 would overflow
    kdes = {c: gaussian_kde(panel[c].dropna().to_numpy(dtype=float) / m, bw_method=bandwidth) for c in cols}
    h = {c: float(np.sqrt(k.covariance[0, 0])) * m for c, k in kdes.items()}
    lo = min(float(panel[c].min()) / m - 3 * h[c] / m for c in cols)
    hi = max(float(panel[c].max()) / m + 3 * h[c] / m for c in cols)
    with np.errstate(over="ignore"):
        grid = np.linspace(lo, hi, points) * m
    if not np.isfinite(grid).all():
        raise AnalysisError(f"a kernel density of values near {m:.3g} spans beyond the largest float (its grid reaches ± 3 bandwidths past "
                            "the data)", expected="values well below 1e308 (rescale the index)")
    curves, summary = [], []
    for c in cols:
        f = kdes[c](grid / m) / m
        pk = _peaks(f)
        curves.append(pd.DataFrame({"period": c, "x": grid, "density": f}))
        summary.append({"period": c, "n": int(panel[c].notna().sum()), "bandwidth": h[c], "bandwidth_factor": float(kdes[c].factor),
                        "main_peak": float(grid[int(np.argmax(f))]), "peaks": len(pk), "sd": mean_sd(panel[c], 1)[1]})
    by = pd.DataFrame(summary)
    first, last = by.iloc[0], by.iloc[-1]
    rule = f"@bw_{bandwidth}" if isinstance(bandwidth, str) else f"factor {bandwidth}"
    facts = {"periods": len(by), "first": str(cols[0]), "last": str(cols[-1]), "n": int(by["n"].min()),
             "n_max": int(by["n"].max()), "bandwidth_rule": rule, "peak_first": float(first["main_peak"]),
             "peak_last": float(last["main_peak"]), "peaks_first": int(first["peaks"]), "peaks_last": int(last["peaks"]),
             "sd_first": float(first["sd"]), "sd_last": float(last["sd"]),
             "shape": "@kde_multi" if last["peaks"] >= 2 else "@kde_single",
             "spread": "@kde_wider" if last["sd"] > first["sd"] else "@kde_narrower"}
    s = (f"Gaussian kernel density ({bandwidth if isinstance(bandwidth, str) else f'factor {bandwidth}'} bandwidth) of {len(by)} period(s): "
         f"main peak {facts['peak_first']:.3g} → {facts['peak_last']:.3g}, peaks {facts['peaks_first']} → {facts['peaks_last']}, "
         f"SD {facts['sd_first']:.3g} → {facts['sd_last']:.3g}"
         + (f"; left out: {', '.join(map(str, left_out))} (fewer than three units or no spread)" if left_out else ""))
    facts["left_out"] = ", ".join(map(str, left_out))
    facts["left_out_note"] = "@kde_left_out" if left_out else ""
    return StatResult(by, s, facts, {"curves": pd.concat(curves, ignore_index=True), "grid": grid, "left_out": left_out})
