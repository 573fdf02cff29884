"""Matplotlib style, the Simplified-Chinese fonts and the kit's palettes.

Fonts. Noto Sans CJK SC (and, for journals that want 宋体-like text, Noto Serif CJK SC) shipped by the
PyPI package ``mplfonts``. They are registered with ``matplotlib.font_manager.fontManager.addfont`` —
never with ``mplfonts init``, which rewrites the matplotlib installation. Registration is idempotent.
``use_style(lang, serif=True)`` makes the serif family the default; the figure functions keep the
choice (they call :func:`use_style` with :func:`serif_in_use`).

Palettes (every figure draws from these):

* :data:`CATEGORICAL` — Okabe & Ito (2008), "Color Universal Design": eight colours that stay apart
  for protan, deutan and tritan viewers;
* :func:`ordered_colours` — ``n`` colours for ordered classes (tiers, grades, Markov classes) sampled
  from *cividis* (Nuñez, Anderton & Renslow 2018, PLoS ONE 13(7): e0199239), which is monotone in
  lightness and designed for colour-vision deficiency; the first class is the darkest;
* :data:`CLUSTER_COLOURS` — LISA clusters with the conventional meaning (HH red, LL blue, HL light
  red, LH light blue, not significant light grey), chosen so that the five differ in greyscale.

Checks (used by the tests, and by anyone checking their own colours): :func:`luma` (ITU-R BT.709
luma of the gamma-encoded colour, what a greyscale conversion prints), :func:`simulate_cvd`
(Machado, Oliveira & Fernandes 2009, IEEE TVCG 15(6): 1291–1298, severity 1.0, applied in linear
sRGB) and :func:`delta_e76` (CIE 1976 ΔE*ab in CIELAB, D65).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np

CJK_FAMILY = "Noto Sans CJK SC"
CJK_SERIF_FAMILY = "Noto Serif CJK SC"
# the mark every output built on synthetic data carries (titles, captions, sentences)
SYNTH_TAG = {"zh": "【合成数据 SYNTHETIC】", "en": "[SYNTHETIC] "}
_FONT_FILES = {"sans": "NotoSansCJKsc-Regular.otf", "serif": "NotoSerifCJKsc-Regular.otf"}
_registered: dict[str, str] = {}
_serif = False

# Okabe & Ito (2008): black, orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple.
# Black leads the list in the original; it is last here so that the first colours of a line/bar
# chart are chromatic (black stays available for an eighth series).
CATEGORICAL: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
# single colours for one-series marks (bars, points) and for a highlight against them
MAIN = CATEGORICAL[0]
ACCENT = CATEGORICAL[3]
MUTED = "#B0B0B0"
# LISA clusters: greys (BT.709 luma) 0.23 / 0.36 / 0.61 / 0.78 / 0.93 — apart by ≥ 0.13 in greyscale
CLUSTER_COLOURS: dict[str, str] = {"HH": "#B2182B", "LL": "#2166AC", "HL": "#EF8A62", "LH": "#A6CEE3", "ns": "#EEEEEE"}
# cividis is cut at 0.92: its last 8 % are a pale yellow that vanishes on white paper
_ORDERED_SPAN = (0.0, 0.92)

# Machado, Oliveira & Fernandes (2009), Table 1 at severity 1.0: linear-sRGB simulation matrices
MACHADO_2009: dict[str, np.ndarray] = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]),
}


# ------------------------------------------------------------------ palettes
def ordered_colours(n: int) -> list[str]:
    """``n`` hex colours for ordered classes, darkest first (first tier / grade = darkest), sampled
    evenly from cividis over [0, 0.92]. Adjacent colours differ in BT.709 luma by ≥ 0.08 up to 9
    classes; beyond 9 they still darken monotonically but print closer together."""
    import matplotlib as mpl

    if n < 1:
        raise ValueError(f"ordered_colours needs n ≥ 1, got {n}")
    cm = mpl.colormaps["cividis"]
    xs = np.linspace(_ORDERED_SPAN[0], _ORDERED_SPAN[1], n) if n > 1 else np.array([0.5])
    return [mpl.colors.to_hex(cm(x)) for x in xs]


def categorical_colours(n: int) -> list[str]:
    """``n`` colours of :data:`CATEGORICAL`, cycled when ``n`` > 8 (then colours repeat)."""
    return [CATEGORICAL[i % len(CATEGORICAL)] for i in range(n)]


def text_colour(face: object) -> str:
    """Black or white, whichever contrasts more with ``face`` (BT.709 luma threshold 0.5)."""
    return "black" if luma(face) > 0.5 else "white"


# ------------------------------------------------------------------ colour checks
def _rgb(c: object) -> np.ndarray:
    import matplotlib as mpl

    return np.asarray(mpl.colors.to_rgb(c), dtype=float)


def luma(c: object) -> float:
    """ITU-R BT.709 luma Y' = 0.2126 R' + 0.7152 G' + 0.0722 B' of the gamma-encoded sRGB colour (0–1)."""
    return float(np.dot([0.2126, 0.7152, 0.0722], _rgb(c)))


def _to_linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def simulate_cvd(c: object, kind: str) -> np.ndarray:
    """Linear-sRGB colour seen with ``kind`` (protanopia, deuteranopia, tritanopia): Machado et al.
    (2009) matrix at severity 1.0 applied to the linearised colour, clipped to [0, 1]."""
    if kind not in MACHADO_2009:
        import difflib

        raise ValueError(f"unknown colour-vision deficiency {kind!r}; closest: {difflib.get_close_matches(kind, list(MACHADO_2009), n=1)}")
    return np.clip(MACHADO_2009[kind] @ _to_linear(_rgb(c)), 0.0, 1.0)


def lab_from_linear(lin: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear-sRGB colour (IEC 61966-2-1 matrix; CIE 1976 L*a*b*)."""
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.asarray(lin, float)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    d = 6 / 29
    f = np.where(t > d**3, np.cbrt(t), t / (3 * d * d) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e76(a: object, b: object, cvd: str | None = None) -> float:
    """CIE76 ΔE*ab between two colours, as seen with deficiency ``cvd`` (None: normal vision)."""
    la = simulate_cvd(a, cvd) if cvd else _to_linear(_rgb(a))
    lb = simulate_cvd(b, cvd) if cvd else _to_linear(_rgb(b))
    return float(np.linalg.norm(lab_from_linear(la) - lab_from_linear(lb)))


def min_pairwise_delta_e(colours: Sequence[object], cvd: str | None = None) -> float:
    """The smallest ΔE76 between any two of ``colours`` (under ``cvd``)."""
    cs = list(colours)
    return min(delta_e76(cs[i], cs[j], cvd) for i in range(len(cs)) for j in range(i + 1, len(cs)))


# ------------------------------------------------------------------ fonts
def cjk_font_path(kind: str = "sans") -> Path:
    """Path of the Noto CJK SC font (``sans`` or ``serif``) inside the installed mplfonts package."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("mplfonts is not installed; it ships the CJK font dgkit uses (pip install mplfonts)")
    p = Path(list(spec.submodule_search_locations)[0]) / "fonts" / _FONT_FILES[kind]
    if not p.exists():
        raise RuntimeError(f"CJK font not found at {p}")
    return p


def _register(kind: str) -> str:
    from matplotlib import font_manager

    if kind not in _registered:
        path = cjk_font_path(kind)
        font_manager.fontManager.addfont(str(path))
        _registered[kind] = font_manager.FontProperties(fname=str(path)).get_name()
    return _registered[kind]


def register_cjk_font(serif: bool = False) -> str:
    """Register the CJK font(s) with matplotlib, put them first in the sans-serif and serif lists,
    make ``serif`` or ``sans-serif`` the family; return the family in use."""
    import matplotlib as mpl

    sans = _register("sans")
    mpl.rcParams["font.sans-serif"] = [sans] + [f for f in mpl.rcParams["font.sans-serif"] if f != sans]
    fam = sans
    if serif:
        fam = _register("serif")
        mpl.rcParams["font.serif"] = [fam] + [f for f in mpl.rcParams["font.serif"] if f != fam]
    mpl.rcParams["font.family"] = "serif" if serif else "sans-serif"
    mpl.rcParams["axes.unicode_minus"] = False  # the CJK fonts lack U+2212
    return fam


def serif_in_use() -> bool:
    """Whether the last :func:`use_style` chose the serif family (the figures keep that choice)."""
    return _serif


def use_style(lang: str = "zh", serif: bool = False) -> None:
    """dgkit's figure style: seaborn-like ticks, Okabe–Ito colour cycle, CJK font (Noto Serif CJK SC
    when ``serif``), 300-dpi saves, tight boxes."""
    global _serif
    import matplotlib as mpl

    # seaborn's "ticks" look, set directly: importing seaborn (and scipy.stats with it) costs ~1.5 s
    mpl.rcParams.update({
        "axes.facecolor": "white", "axes.edgecolor": ".15", "axes.grid": False, "axes.labelcolor": ".15",
        "xtick.direction": "out", "ytick.direction": "out", "xtick.color": ".15", "ytick.color": ".15",
        "xtick.major.size": 4, "ytick.major.size": 4, "axes.prop_cycle": mpl.cycler(color=list(CATEGORICAL)),
        "font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10, "legend.fontsize": 9,
    })
    _serif = bool(serif)
    register_cjk_font(_serif)
    mpl.rcParams.update({
        "savefig.dpi": 300,
        "savefig.bbox": "tight",
        "figure.dpi": 100,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "dgkit",  # deterministic SVG ids
        "pdf.compression": 6,
    })
