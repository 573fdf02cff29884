"""Recomputations of the figures printed in Tsinghua CDG 2020 (数字政府发展指数报告), from the
bundled tables ``tsinghua_2020_*`` (claims: data/published/claims/tsinghua_2020.csv)."""

from __future__ import annotations

from dgkit import data
from dgkit.fidelity import check


def _provinces():
    return data.load("tsinghua_2020_provinces")


@check
def tsinghua_province_mean() -> float:
    """Mean of the 31 printed provincial scores (表3-1)."""
    return float(_provinces()["score"].mean())


@check
def tsinghua_fixed_tier_count(tier: str) -> int:
    """Provinces in a fixed tier by the report's rule (≥70 引领型, 65–70 优质型, 60–65 特色型,
    50–60 发展型, <50 追赶型) applied to the printed scores."""
    from dgkit import tiers

    t = tiers.fixed_tiers(_provinces()["score"], [70, 65, 60, 50], ["引领型", "优质型", "特色型", "发展型", "追赶型"])
    return int((t == tier).sum())
