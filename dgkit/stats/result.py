"""A small result object: a tidy table, headline facts and a citation-ready sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


def fmt_p(p: float) -> str:
    """'p < 0.001', 'p < 0.01', 'p = 0.03' — the way papers print p-values."""
    if p != p:  # NaN
        return "p = n/a"
    if p < 0.001:
        return "p < 0.001"
    if p < 0.01:
        return "p < 0.01"
    return f"p = {p:.2f}"


@dataclass
class StatResult:
    """``table`` (tidy DataFrame), ``facts`` (name → number) and ``sentence`` (one line to cite)."""

    table: pd.DataFrame
    sentence: str
    facts: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        return self.sentence + "\n" + self.table.to_string()

    def _repr_html_(self) -> str:  # pragma: no cover - notebooks
        return f"<p>{self.sentence}</p>" + self.table.to_html()
