"""Matplotlib style and the Simplified-Chinese font.

The font is Noto Sans CJK SC shipped by the PyPI package ``mplfonts``. It is registered with
``matplotlib.font_manager.fontManager.addfont`` — never with ``mplfonts init``, which rewrites the
matplotlib installation. Registration is idempotent.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

CJK_FAMILY = "Noto Sans CJK SC"
# the mark every output built on synthetic data carries (titles, captions, sentences)
SYNTH_TAG = {"zh": "【合成数据 SYNTHETIC】", "en": "[SYNTHETIC] "}
_registered: str | None = None


def cjk_font_path() -> Path:
    """Path of NotoSansCJKsc-Regular.otf inside the installed mplfonts package."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("mplfonts is not installed; it ships the CJK font dgkit uses (pip install mplfonts)")
    p = Path(list(spec.submodule_search_locations)[0]) / "fonts" / "NotoSansCJKsc-Regular.otf"
    if not p.exists():
        raise RuntimeError(f"CJK font not found at {p}")
    return p


def register_cjk_font() -> str:
    """Register the CJK font with matplotlib and make it the first sans-serif; return its family."""
    global _registered
    import matplotlib as mpl
    from matplotlib import font_manager

    if _registered is None:
        path = cjk_font_path()
        font_manager.fontManager.addfont(str(path))
        _registered = font_manager.FontProperties(fname=str(path)).get_name()
    fam = [_registered] + [f for f in mpl.rcParams["font.sans-serif"] if f != _registered]
    mpl.rcParams["font.sans-serif"] = fam
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["axes.unicode_minus"] = False  # the CJK font lacks U+2212
    return _registered


def use_style(lang: str = "zh") -> None:
    """dgkit's figure style: seaborn-like ticks, CJK font, 300-dpi saves, tight boxes."""
    import matplotlib as mpl

    # seaborn's "ticks" look, set directly: importing seaborn (and scipy.stats with it) costs ~1.5 s
    mpl.rcParams.update({
        "axes.facecolor": "white", "axes.edgecolor": ".15", "axes.grid": False, "axes.labelcolor": ".15",
        "xtick.direction": "out", "ytick.direction": "out", "xtick.color": ".15", "ytick.color": ".15",
        "xtick.major.size": 4, "ytick.major.size": 4, "axes.prop_cycle": mpl.cycler(color=[
            "#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974", "#64b5cd"]),
        "font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10, "legend.fontsize": 9,
    })
    register_cjk_font()
    mpl.rcParams.update({
        "savefig.dpi": 300,
        "savefig.bbox": "tight",
        "figure.dpi": 100,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "dgkit",  # deterministic SVG ids
        "pdf.compression": 6,
    })
