"""Figures in one consistent style, Chinese labels via a bundled CJK font (see style.py); colour-blind
safe palettes; an optional province choropleth on real boundaries (maps.py, ``dgkit[maps]``)."""

from dgkit.plotting.style import (
    CATEGORICAL,
    CLUSTER_COLOURS,
    ordered_colours,
    register_cjk_font,
    use_style,
)

__all__ = ["CATEGORICAL", "CLUSTER_COLOURS", "ordered_colours", "register_cjk_font", "use_style"]
