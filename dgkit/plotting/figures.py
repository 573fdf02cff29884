"""The kit's figures. Each function returns a matplotlib Figure; labels follow ``lang`` (zh/en).

Plain matplotlib in seaborn's look (see style.py): importing seaborn costs each report kernel
about a second, which the P1 benchmark cannot afford; ``use_style`` gives the same appearance.

* :func:`ranking_bar` — ranking, optionally stacked by component (Tsinghua 图 3-1), with the mean;
* :func:`tile_map` — a tile-grid map of the provinces (no geodata needed), numeric or categorical;
* :func:`radar` — radar chart of pillar profiles (CCID 雷达图);
* :func:`labelled_scatter` — index vs an economic variable with the OLS line and labels;
* :func:`group_strip` — scores by group (regions, city types);
* :func:`heatmap` — a correlation/concordance matrix;
* :func:`rank_intervals` — Monte Carlo rank intervals sorted by nominal rank;
* :func:`bars` — a simple horizontal bar chart (Sobol indices, weights).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from dgkit.plotting.style import SYNTH_TAG, use_style
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


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _t(lang: str, key: str, **fields: object) -> str:
    """Text of the labels catalogue (dgkit/report/labels.yaml) in ``lang``."""
    from dgkit.report.labels import Labels

    return Labels(lang)(key, **fields)


def _names(units: Sequence[str], names: Mapping[str, str] | pd.Series | None) -> list[str]:
    if names is None:
        return [str(u) for u in units]
    return [str(names.get(u, u)) for u in units]


@skippable
def ranking_bar(scores: pd.Series, names=None, components: pd.DataFrame | None = None, lang: str = "zh",
                title: str | None = None, mean_line: bool = True, synthetic: bool = False, max_bars: int = MAX_ROWS):
    """Horizontal ranking bars, stacked by ``components`` (columns) when given. More than
    ``max_bars`` units: the top and bottom ``max_bars // 2`` are drawn (the mean is of all units)."""
    use_style(lang)
    plt = _plt()
    full = scores.dropna().sort_values()
    s = full if len(full) <= max_bars else pd.concat([full.iloc[: max_bars // 2], full.iloc[-(max_bars // 2):]])
    if len(s) < len(full):
        extra = _t(lang, "figures.top_bottom", half=max_bars // 2, n=len(full))
        title = f"{title} — {extra}" if title else extra
    fig, ax = plt.subplots(figsize=(7, max(4, 0.22 * len(s))))
    labels = _names(list(s.index), names)
    pos = np.arange(len(s))  # positions, not category labels: different units may share a name
    if components is not None:
        left = np.zeros(len(s))
        comp = components.reindex(s.index)
        for c in comp.columns:
            ax.barh(pos, comp[c].to_numpy(), left=left, label=str(c))
            left += comp[c].fillna(0).to_numpy()
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    else:
        ax.barh(pos, s.to_numpy(), color="#3b6ea5")
    ax.set_yticks(pos, labels)
    ax.set_ylim(-0.6, len(s) - 0.4)
    if mean_line:
        m = full.mean()
        ax.axvline(m, color="#c0392b", lw=1, ls="--")
        ax.text(m, len(s) - 0.5, " " + _t(lang, "figures.mean", value=f"{m:.1f}"), color="#c0392b", fontsize=8, va="top")
    ax.set_xlabel(_t(lang, "words.score"))
    ax.tick_params(axis="y", labelsize=8)
    _title(ax, title, synthetic, lang)
    return fig


def _title(ax, title: str | None, synthetic: bool, lang: str) -> None:
    t = title or ""
    if synthetic:
        t = SYNTH_TAG[lang] + t
    if t:
        ax.set_title(t, fontsize=11)


@skippable
def tile_map(values: pd.Series, names=None, lang: str = "zh", title: str | None = None, categorical: bool | None = None,
             order: Sequence[str] | None = None, cmap: str = "YlGnBu", synthetic: bool = False, ax=None,  # noqa: ANN001
             colours: Mapping[str, str] | None = None):
    """Tile-grid map: one square per province at TILES; colour by value (numeric) or category
    (``colours`` maps categories to colours; default a palette over ``order``)."""
    use_style(lang)
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
        pal = mpl.colormaps[cmap if cmap != "YlGnBu" else "RdYlGn_r"].resampled(max(len(cats), 2))
        colours = dict(colours) if colours else {c: pal(i / max(len(cats) - 1, 1)) for i, c in enumerate(cats)}
        colour_of = lambda x: colours.get(x, "#dddddd")  # noqa: E731
    else:
        norm = mpl.colors.Normalize(vmin=float(v.min()), vmax=float(v.max()))
        cm = mpl.colormaps[cmap]
        colour_of = lambda x: cm(norm(x))  # noqa: E731
    for uid, (r, c) in TILES.items():
        if uid == "XJBT" and uid not in v.index:
            continue
        val = v.get(uid, np.nan)
        face = "#eeeeee" if (not categorical and pd.isna(val)) or (categorical and uid not in v.index) else colour_of(val)
        ax.add_patch(mpl.patches.FancyBboxPatch((c, -r), 0.92, 0.92, boxstyle="round,pad=0.02", fc=face, ec="white"))
        label = _names([uid], names)[0]
        txt = label if categorical or pd.isna(val) else f"{label}\n{val:.1f}"
        lum = np.dot(mpl.colors.to_rgb(face), [0.299, 0.587, 0.114])
        ax.text(c + 0.46, -r + 0.46, txt, ha="center", va="center", fontsize=6.5, color="black" if lum > 0.55 else "white")
    ax.set_xlim(-0.2, 8.2)
    ax.set_ylim(-7.2, 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    if categorical:
        ax.legend(handles=[Patch(color=colours[c], label=str(c)) for c in cats], loc="lower left", fontsize=8, frameon=False)
    else:
        fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cm), ax=ax, shrink=0.5)
    _title(ax, title, synthetic, lang)
    return fig


@skippable
def tile_maps(panels: dict[str, tuple[pd.Series, Sequence[str] | None]], names=None, lang: str = "zh", title: str | None = None,
              synthetic: bool = False, ncols: int = 2):  # noqa: ANN001
    """Several categorical tile maps side by side: {panel title: (tiers, order)}."""
    use_style(lang)
    plt = _plt()
    n = len(panels)
    nc = min(ncols, n)
    nr = int(np.ceil(n / nc))
    fig, axes = plt.subplots(nr, nc, figsize=(6.0 * nc, 5.2 * nr), squeeze=False)
    for ax, (t, (vals, order)) in zip(axes.ravel(), panels.items()):
        tile_map(vals, names, lang, t, order=order, ax=ax)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    if title or synthetic:
        fig.suptitle((SYNTH_TAG[lang] if synthetic else "") + (title or ""), fontsize=12)
    return fig


@skippable
def radar(profiles: pd.DataFrame, lang: str = "zh", title: str | None = None, synthetic: bool = False, ylim: tuple[float, float] | None = None):
    """Radar chart: rows = series (units or regions), columns = axes (pillars)."""
    use_style(lang)
    plt = _plt()
    axes_labels = [str(c) for c in profiles.columns]
    n = len(axes_labels)
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False).tolist()
    fig = plt.figure(figsize=(5.5, 5.5))
    ax = fig.add_subplot(111, polar=True)
    for name, row in profiles.iterrows():
        vals = row.to_numpy(dtype=float).tolist()
        ax.plot(ang + ang[:1], vals + vals[:1], lw=1.5, label=str(name))
        ax.fill(ang + ang[:1], vals + vals[:1], alpha=0.08)
    ax.set_xticks(ang)
    ax.set_xticklabels(axes_labels, fontsize=9)
    if ylim:
        ax.set_ylim(*ylim)
    ax.legend(loc="upper right", bbox_to_anchor=(1.25, 1.1), fontsize=8, frameon=False)
    _title(ax, title, synthetic, lang)
    return fig


@skippable
def labelled_scatter(x: pd.Series, y: pd.Series, names=None, lang: str = "zh", xlabel: str = "", ylabel: str = "",
                     title: str | None = None, fit: bool = True, logx: bool = False, synthetic: bool = False):
    use_style(lang)
    plt = _plt()
    df = pd.concat([x.rename("x"), y.rename("y")], axis=1).dropna()
    fig, ax = plt.subplots(figsize=(7, 5))
    big = len(df) > MAX_ROWS
    ax.scatter(df["x"], df["y"], s=6 if big else 18, color="#3b6ea5", alpha=0.5 if big else 1.0)
    # many units: label the five highest and five lowest only
    shown = df if not big else pd.concat([df.nlargest(5, "y"), df.nsmallest(5, "y")])
    for u, r in shown.iterrows():
        ax.annotate(_names([u], names)[0], (r["x"], r["y"]), fontsize=7, xytext=(2, 2), textcoords="offset points")
    if fit and len(df) > 2:
        xx = np.log(df["x"]) if logx else df["x"]
        b, a = np.polyfit(xx, df["y"], 1)
        grid = np.linspace(xx.min(), xx.max(), 50)
        ax.plot(np.exp(grid) if logx else grid, a + b * grid, color="#c0392b", lw=1)
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    _title(ax, title, synthetic, lang)
    return fig


@skippable
def build_comparison(compared, lang: str = "zh", title: str | None = None, synthetic: bool = False):  # noqa: ANN001
    """Ranks of one build against another (a :func:`dgkit.stats.ranking.compare_builds` result): one
    point per unit, the diagonal where ranks agree, the units that move most labelled."""
    use_style(lang)
    plt = _plt()
    t = compared.table
    a, b = compared.facts["label_a"], compared.facts["label_b"]
    x, y = t[f"rank_{a}"].to_numpy(float), t[f"rank_{b}"].to_numpy(float)
    n = len(t)
    fig, ax = plt.subplots(figsize=(5.5, 5.5))
    ax.plot([1, n], [1, n], color="#999999", lw=0.8, ls="--", zorder=1)
    moved = t["rank_change"].abs().to_numpy()
    ax.scatter(x, y, s=10 if n > MAX_ROWS else 22, c=np.where(moved > 0, "#d55e00", "#0072b2"), zorder=2)
    show = np.argsort(-moved, kind="stable")[: min(8, n)] if n > 40 else np.arange(n)
    for i in show:
        ax.annotate(str(t["name"].iat[i]), (x[i], y[i]), fontsize=6.5, xytext=(3, 2), textcoords="offset points")
    ax.invert_xaxis()
    ax.invert_yaxis()
    ax.set_xlabel(_t(lang, "words.rank_of", label=a))
    ax.set_ylabel(_t(lang, "words.rank_of", label=b))
    _title(ax, title, synthetic, lang)
    return fig


@skippable
def group_strip(scores: pd.Series, groups: pd.Series, lang: str = "zh", title: str | None = None, synthetic: bool = False):
    use_style(lang)
    plt = _plt()
    df = pd.DataFrame({"score": scores, "group": groups.reindex(scores.index)}).dropna()
    order = df.groupby("group")["score"].mean().sort_values(ascending=False).index.tolist()
    fig, ax = plt.subplots(figsize=(7, 4))
    data = [df.loc[df["group"] == g, "score"].to_numpy() for g in order]
    ax.boxplot(data, widths=0.5, showfliers=False, patch_artist=True, boxprops={"facecolor": "#dfe8f3", "edgecolor": "#555"},
               medianprops={"color": "#555"})
    rng = np.random.default_rng(0)  # fixed jitter: identical figures on every run
    for i, d in enumerate(data, start=1):
        ax.scatter(i + rng.uniform(-0.12, 0.12, len(d)), d, s=14, color="#3b6ea5", zorder=3)
    ax.set_xticks(range(1, len(order) + 1))
    ax.set_xticklabels([str(g) for g in order], rotation=30 if len(order) > 5 else 0, ha="right" if len(order) > 5 else "center")
    ax.set_xlabel("")
    ax.set_ylabel(_t(lang, "words.score"))
    _title(ax, title, synthetic, lang)
    return fig


@skippable
def heatmap(matrix: pd.DataFrame, lang: str = "zh", title: str | None = None, vmin: float = -1, vmax: float = 1, synthetic: bool = False):
    use_style(lang)
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
    return fig


@skippable
def rank_intervals(table: pd.DataFrame, names=None, lang: str = "zh", title: str | None = None, synthetic: bool = False):
    """``table`` with columns nominal, median, q05, q95 (ranks) indexed by unit; sorted by nominal rank."""
    use_style(lang)
    plt = _plt()
    t = table.sort_values("nominal")
    if len(t) > MAX_ROWS:
        t = pd.concat([t.head(MAX_ROWS // 2), t.tail(MAX_ROWS // 2)])
        extra = _t(lang, "figures.top_bottom", half=MAX_ROWS // 2, n=len(table))
        title = f"{title} — {extra}" if title else extra
    fig, ax = plt.subplots(figsize=(7, max(4, 0.22 * len(t))))
    y = np.arange(len(t))
    ax.hlines(y, t["q05"], t["q95"], color="#9bb7d4", lw=4)
    ax.plot(t["median"], y, "o", color="#3b6ea5", ms=4, label=_t(lang, "figures.median"))
    ax.plot(t["nominal"], y, "x", color="#c0392b", ms=5, label=_t(lang, "figures.nominal"))
    ax.set_yticks(y)
    ax.set_yticklabels(_names(list(t.index), names), fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(_t(lang, "figures.rank_interval"))
    ax.legend(fontsize=8, frameon=False)
    _title(ax, title, synthetic, lang)
    return fig


@skippable
def bars(values: pd.Series, lang: str = "zh", title: str | None = None, xlabel: str = "", err: pd.DataFrame | None = None, synthetic: bool = False):
    use_style(lang)
    plt = _plt()
    v = values.sort_values()
    fig, ax = plt.subplots(figsize=(6, max(2.5, 0.3 * len(v))))
    xerr = None
    if err is not None:
        e = err.reindex(v.index)
        xerr = np.vstack([(v - e.iloc[:, 0]).clip(lower=0).to_numpy(), (e.iloc[:, 1] - v).clip(lower=0).to_numpy()])
    ax.barh([str(i) for i in v.index], v.to_numpy(), xerr=xerr, color="#3b6ea5")
    ax.set_xlabel(xlabel)
    _title(ax, title, synthetic, lang)
    return fig


@skippable
def tier_strips(classes, names=None, lang: str = "zh", title: str | None = None):  # noqa: ANN001
    """Scores of every unit on one line per tier scheme, coloured by tier (any unit count; for
    provinces :func:`tile_maps` draws the same as maps). ``classes``: :func:`dgkit.tiers.classify`."""
    use_style(lang)
    plt = _plt()
    t = classes.table
    schemes = [c for c in t.columns if c not in ("unit_id", "score")]
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.7 * max(1, len(schemes))))
    cmap = plt.get_cmap("viridis")
    rng = np.random.default_rng(0)
    for i, sch in enumerate(schemes):
        order = list(dict.fromkeys(t.sort_values("score", ascending=False)[sch]))
        colours = {lab: cmap(j / max(1, len(order) - 1)) for j, lab in enumerate(order)}
        y = i + rng.uniform(-0.18, 0.18, len(t))
        for lab in order:
            m = (t[sch] == lab).to_numpy()
            ax.scatter(t["score"].to_numpy()[m], y[m], s=8 if len(t) > MAX_ROWS else 20, color=colours[lab], label=None)
            xs = t["score"].to_numpy()[m]
            if len(xs):
                ax.text(np.median(xs), i + 0.3, str(lab), fontsize=7, ha="center", va="bottom", color="#333")
    ax.set_yticks(range(len(schemes)), schemes)
    ax.set_ylim(-0.6, len(schemes) - 0.2)
    ax.set_xlabel(_t(lang, "words.score"))
    _title(ax, title, False, lang)
    return fig


@skippable
def tier_figure(classes, names=None, level: str = "province", lang: str = "zh", title: str | None = None):  # noqa: ANN001
    """Tile maps of every scheme for China's provinces, tier strips for any other units."""
    t = classes.table.set_index("unit_id")
    schemes = [c for c in t.columns if c != "score"]
    if level == "province" and set(t.index) <= set(TILES):
        from dgkit.tiers import label

        panels = {s: (t[s], [label(o, lang) for o in classes.extra["order"][s]]) for s in schemes}
        return tile_maps(panels, names, lang, title)
    return tier_strips(classes, names, lang, title)


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
    use_style(lang)
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
    return fig


@skippable
def density_surface(kde, lang: str = "zh", title: str | None = None, xlabel: str = "", synthetic: bool = False):  # noqa: ANN001
    """3-D surface of the kernel densities: value × period × density."""
    use_style(lang)
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
    return fig


@skippable
def dagum_contributions(by_period: pd.DataFrame, lang: str = "zh", title: str | None = None, synthetic: bool = False):
    """Stacked bars of the three sources of the Dagum Gini per period (shares of G, %), G on a second axis."""
    use_style(lang)
    plt = _plt()
    t = by_period
    x = np.arange(len(t))
    fig, ax = plt.subplots(figsize=(max(5.5, 0.55 * len(t) + 2), 4.2))
    bottom = np.zeros(len(t))
    for col, key, colour in (("Gw_share", "words.dagum_within", "#4c72b0"), ("Gnb_share", "words.dagum_between", "#dd8452"),
                             ("Gt_share", "words.dagum_transvariation", "#55a868")):
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
    return fig


CLUSTER_COLOURS = {"HH": "#d7191c", "LL": "#2c7bb6", "LH": "#abd9e9", "HL": "#fdae61", "ns": "#dddddd"}


@skippable
def moran_scatter(lisa, w, names=None, lang: str = "zh", title: str | None = None, synthetic: bool = False):  # noqa: ANN001
    """Moran scatter plot: standardised value against its standardised spatial lag, the slope is
    Moran's I; points coloured by LISA cluster, the significant ones labelled."""
    use_style(lang)
    plt = _plt()
    from dgkit.stats.spatial import lag

    t = lisa.table
    y = pd.Series(t["value"].to_numpy(dtype=float), index=t["unit_id"])
    z = (y - y.mean()) / y.std(ddof=0)
    lz = pd.Series(lag(w, z), index=z.index)
    fig, ax = plt.subplots(figsize=(6.2, 5.4))
    colours = [CLUSTER_COLOURS.get(c, "#dddddd") for c in t["cluster"]]
    ax.scatter(z, lz, c=colours, s=28, edgecolor="#444444", lw=0.4, zorder=3)
    slope = float(np.polyfit(z, lz, 1)[0])
    xs = np.linspace(float(z.min()), float(z.max()), 10)
    ax.plot(xs, slope * xs, color="black", lw=1)
    ax.axhline(0, color="#888888", lw=0.6)
    ax.axvline(0, color="#888888", lw=0.6)
    sig = t["cluster"] != "ns"
    if sig.sum() <= 25:
        for u in t.loc[sig, "unit_id"]:
            ax.annotate(_names([u], names)[0], (z[u], lz[u]), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel(_t(lang, "figures.standardised"))
    ax.set_ylabel(_t(lang, "figures.spatial_lag"))
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=v, label=k if k != "ns" else _t(lang, "figures.not_significant")) for k, v in CLUSTER_COLOURS.items()],
              fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)  # outside: points reach every corner
    _title(ax, f"{title} — I = {slope:.3f}" if title else f"I = {slope:.3f}", synthetic, lang)
    return fig


@skippable
def lisa_map(lisa, names=None, level: str = "province", lang: str = "zh", title: str | None = None, synthetic: bool = False):  # noqa: ANN001
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
                    colours={**CLUSTER_COLOURS, ns: CLUSTER_COLOURS["ns"]})


@skippable
def transition_heatmap(P: pd.DataFrame, counts: pd.DataFrame | None = None, lang: str = "zh", title: str | None = None,
                       synthetic: bool = False):
    """Markov transition probabilities as a heatmap, with the counts under each probability."""
    use_style(lang)
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
    return fig
