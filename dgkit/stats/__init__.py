"""Statistics the seed reports run on an index, each returning a tidy result and a sentence.

Modules: :mod:`correlation` (economy), :mod:`progress` (Z-score, 推进率, rank mobility),
:mod:`dispersion` (SD threshold, CV, Gini, Theil, convergence), :mod:`regions` (regional totals,
shares, means), :mod:`concordance` (cross-index agreement), :mod:`coherence` (statistical audit).
"""

from dgkit.stats.result import StatResult, fmt_p

__all__ = ["StatResult", "fmt_p"]
