"""Statistics run on an index, each returning a result with ``.table``, ``.facts`` and a sentence.

Modules (loaded on first use, e.g. ``dgkit.stats.ranking.rank``): :mod:`ranking` (competition
ranks, printed ranks), :mod:`correlation` (economy), :mod:`progress` (Z-score, 推进率, rank
mobility), :mod:`dispersion` (SD, CV, Gini, Theil, σ/β-convergence), :mod:`regions` (totals,
shares, means by group; city types), :mod:`pillars` (pillar profiles), :mod:`concordance`
(agreement between indices), :mod:`coherence` (statistical audit of a built index).

:class:`Missing` stands for an input an edition does not have; every analysis function accepts
it and returns it unchanged, so a chapter states what it skipped instead of crashing.

Degenerate inputs (issue 16; ``tests/catalogue_analysis.py``): a statistic the data cannot define
(every unit equal, too few units, a class never visited …) is a :class:`Missing` whose reason the
report prints in zh and en (:meth:`Missing.explain`), or a result whose sentence says which part is
undefined and why; an input that can only be a mistake (ddof = 2, n = 1 draw, ±inf, a grouping that
covers no unit) is a :class:`~dgkit.errors.AnalysisError`. No sentence ever shows "nan".
"""

from __future__ import annotations

from dgkit._lazy import lazy_submodules
from dgkit.stats.result import Missing, StatResult, fmt_p, skippable

_SUBMODULES = {"coherence", "concordance", "convergence", "correlation", "dagum", "density", "dispersion", "markov", "mcda", "pillars",
               "progress", "ranking", "regions", "spatial"}
__all__ = ["Missing", "StatResult", "fmt_p", "skippable", *sorted(_SUBMODULES)]
__getattr__ = lazy_submodules("dgkit.stats", _SUBMODULES, globals())
