"""Figures in one consistent style, Chinese labels via a bundled CJK font (see style.py)."""

from dgkit.plotting.style import register_cjk_font, use_style

__all__ = ["register_cjk_font", "use_style"]
