"""The analysis of each chapter, composed from dgkit's functions; notebooks call these.

Each function records its tables, figures and facts through the :class:`Chapter` and returns a
dict of the objects a reader may want to display or explore.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dgkit import data, tiers
from dgkit.plotting import figures
from dgkit.report.chapter import Chapter
from dgkit.stats import coherence, concordance, correlation, dispersion, progress, regions

TIER_ORDER = tiers.TSINGHUA_LABELS



# ------------------------------------------------------------------ 1 index construction
def index_construction(ch: Chapter) -> dict[str, Any]:
    b = ch.build
    fw = b.framework
    y = int(ch.params.get("index.year"))
    syn = ch.index_synthetic
    ind = fw.indicators[["code", "name", "name_en", "parent", "type", "direction"]].copy()
    ind["weight_in_pillar"] = b.indicator_weights.reindex(ind["code"]).to_numpy()
    ind["weight_in_index"] = b.overall_weights.reindex(ind["code"]).to_numpy()
    ch.table(ind, "framework", ch.mark(ch.t("指标体系与权重", "Framework and weights"), syn), fw.meta.get("source", ""), decimals=4)
    top_rows = fw.pillars[fw.pillars["code"].isin(b.top_nodes)]
    pil = top_rows[["code", "name", "name_en"]].assign(weight=b.pillar_weights.reindex(top_rows["code"]).to_numpy())
    ws = top_rows["weight_source"].dropna().astype(str) if "weight_source" in top_rows.columns else pd.Series(dtype=str)
    implied = ws.str.contains("implied").any()
    ch.table(pil, "pillar_weights", ch.t("一级指标权重" + (" (由公布的分项与总分反推)" if implied else ""),
                                         "Pillar weights" + (" (implied from published sub-scores and totals)" if implied else "")),
             (ws.iat[0] if len(ws) else fw.meta.get("source", "")) or f"framework {fw.name}", decimals=4)
    au = b.audits[y].indicators.reset_index(names="indicator")
    ch.table(au, "audit", ch.mark(ch.t(f"{y} 年数据审计", f"Data audit {y}"), syn), "dgkit.audit", decimals=3)
    if len(b.impute_log):
        ch.table(b.impute_log, "imputation_log", ch.mark(ch.t("插补记录", "Imputation log"), syn), "dgkit.impute", decimals=2)
    if len(b.treat_log):
        ch.table(b.treat_log, "treatment_log", ch.mark(ch.t("异常值处理记录", "Outlier treatment log"), syn), "dgkit.impute", decimals=2)
    tab = b.table(y, ch.lang).reset_index()
    ch.table(tab, "scores", ch.mark(ch.t(f"{y} 年分项及总指数", f"Pillar and index scores {y}"), syn), ch.index_source(), decimals=1)
    fig = figures.ranking_bar(b.index.xs(y, level="period"), ch.names, lang=ch.lang, synthetic=syn,
                              title=ch.t(f"按 {fw.name} 指标体系构建的总指数 ({y})", f"Index built with the {fw.name} framework ({y})"))
    ch.figure(fig, "index_bar")
    top = tab.iloc[0]
    ch.fact("index_mean", float(b.index.xs(y, level="period").mean()),
            ch.mark(f"{fw.name} index {y}: mean {b.index.xs(y, level='period').mean():.3g}, top {top['name']} {top['index']:.3g} (n = {len(tab)})", syn),
            ch.index_source())
    return {"result": b, "framework": ind, "audit": au, "scores": tab, "log": b.log}


# ------------------------------------------------------------------ 2 ranking
def ranking(ch: Chapter) -> dict[str, Any]:
    s = ch.scores
    ranks = tiers.rank_scores(s, ties="min")  # unrounded scores; equal scores share the better rank (1, 1, 3)
    tab = pd.DataFrame({"unit_id": s.index, ch.t("地区", "unit"): ch.names.reindex(s.index).to_numpy(), ch.t("得分", "score"): s.to_numpy(), ch.t("排名", "rank"): ranks.to_numpy()})
    if ch.components is not None:
        tab = tab.join(ch.components.round(2), on="unit_id")
    tab = tab.sort_values(ch.t("排名", "rank"))
    ch.table(tab, "ranking", ch.mark(ch.t("总指数及排名", "Overall index and ranking")), ch.scores_source(), decimals=1)
    mean = float(s.mean())
    n_above = int((s >= mean).sum())
    fig = figures.ranking_bar(s, ch.names, ch.components, lang=ch.lang, synthetic=ch.synthetic, title=ch.params.get("scores.label", ""))
    ch.figure(fig, "ranking_bar")
    ch.fact("mean", mean, ch.mark(f"national mean {mean:.1f}; {n_above} of {len(s)} units at or above it"), ch.scores_source())
    ch.fact("n_at_or_above_mean", n_above, ch.mark(f"{n_above} units score at or above the mean {mean:.1f}"), ch.scores_source())
    top_id = s.idxmax()
    ch.fact("top", float(s.max()), ch.mark(f"top: {ch.names.get(top_id, top_id)} {s.max():.4g}"), ch.scores_source())
    out: dict[str, Any] = {"table": tab, "mean": mean, "n_at_or_above_mean": n_above, "figure": fig}
    ds = ch.scores_dataset
    if not ch.scores_are_built and "rank_printed" in ds.references.columns:
        printed = pd.to_numeric(ds.reference("rank_printed").xs(ds.periods[-1], level="period"), errors="coerce")
        r = tiers.rank_scores(s, ties="min")
        mism = printed[printed.reindex(s.index).index][printed.reindex(s.index) != r]
        out["rank_check"] = pd.DataFrame({"name": ch.names.reindex(mism.index), "score": s.reindex(mism.index),
                                          "rank_printed": mism, "rank_from_printed_scores": r.reindex(mism.index)})
        ch.table(out["rank_check"].reset_index(names="unit_id"), "rank_check", ch.t("印刷排名与印刷得分的核对 (同分不同名次)", "Printed ranks vs printed scores (ties ranked apart)"), ch.scores_source(), decimals=1)
    for name in ch.params.get("published_references") or []:
        ref = ch.dataset(name)
        facts = ref.reference_tables.get("facts")
        if facts is not None and "count_at_or_above_mean" in set(facts["metric"]):
            row = facts.set_index("metric").loc["count_at_or_above_mean"]
            out[f"{ref.name}_n_at_or_above_mean"] = float(row["value"])
            ch.fact(f"{ref.name}_n_at_or_above_mean", float(row["value"]),
                    f"{ref.title} (another index): {float(row['value']):.0f} units at or above its national mean", ref.citation)
    return out


# ------------------------------------------------------------------ 3 tiers
def tier_schemes(ch: Chapter) -> dict[str, Any]:
    s = ch.scores
    out: dict[str, Any] = {}
    table = pd.DataFrame({ch.t("地区", "unit"): ch.names.reindex(s.index), ch.t("得分", "score"): s})
    panels: dict[str, tuple[pd.Series, list[str]]] = {}
    for spec in ch.params.get("tiers") or []:
        name, scheme = spec["name"], spec["scheme"]
        if scheme == "fixed":
            t = tiers.fixed_tiers(s, spec["thresholds"], spec.get("labels") or TIER_ORDER)
            order = spec.get("labels") or TIER_ORDER
        elif scheme == "percentile":
            t = tiers.percentile_tiers(s, spec["cuts"], spec.get("labels") or TIER_ORDER)
            order = spec.get("labels") or TIER_ORDER
        elif scheme == "five_equal":
            t = tiers.five_equal_parts(s, spec.get("by", "range"))
            order = tiers.ECHELON_LABELS
        elif scheme == "natural_breaks":
            k = int(spec.get("k", 4))
            t = tiers.natural_breaks(s, k)
            order = tiers.ECHELON_LABELS[:k]
        else:
            raise ValueError(f"unknown tier scheme {scheme!r}")
        table[name] = t.map(lambda x: tiers.label(x, ch.lang))
        panels[name] = (table[name], [tiers.label(o, ch.lang) for o in order])
        counts = t.value_counts().reindex(order).fillna(0).astype(int).rename(index=lambda x: tiers.label(x, ch.lang))
        ch.fact(f"{name}_counts", counts.to_dict(), ch.mark(f"{name}: " + ", ".join(f"{k} {v}" for k, v in counts.items())), ch.scores_source())
        if spec.get("published"):
            ds_name, _, col = spec["published"].rpartition(".")
            pds = ch.dataset(ds_name) if ds_name else ch.scores_dataset
            last = pds.periods[-1]
            pub = pds.reference(col).xs(last, level="period")
            rec = tiers.reconcile(t, pub, s)
            out[f"reconcile_{name}"] = rec
            ch.table(rec.assign(name=lambda d: d["unit"].map(ch.names)), f"reconcile_{name}", ch.t("与公布梯度的核对 (仅列出不一致者)", "Reconciliation with the published tiers (differences only)"), pds.citation, decimals=1)
            if "tier_label_in_flat_text" in pds.references.columns:
                flat = pds.reference("tier_label_in_flat_text").xs(last, level="period")
                order = pds.reference("rank_printed").xs(last, level="period").astype(float).sort_values().index
                naive = flat.reindex(order).replace("", np.nan).ffill()
                rec2 = tiers.reconcile(t, naive, s)
                out["reconcile_flat_text"] = rec2
                ch.table(rec2.assign(name=lambda d: d["unit"].map(ch.names)), "reconcile_flat_text", ch.t("与文本抽取中合并单元格标签的核对", "Against the labels as the flattened text places them"), pds.citation, decimals=1)
            ch.fact(f"{name}_differences", len(rec), f"{name}: {len(rec)} unit(s) differ from the published tiers", pds.citation)
    if panels and ch.analysed_dataset.level == "province":  # the tile map is a map of China's provinces
        fig = figures.tile_maps(panels, ch.names, ch.lang, ch.t("发展梯度 (各方案)", "Tiers under each scheme"), ch.synthetic)
        ch.figure(fig, "tier_maps")
    ch.table(table.reset_index(names="unit_id").sort_values(ch.t("得分", "score"), ascending=False), "tiers", ch.mark(ch.t("各梯度方案", "Every tier scheme")), ch.scores_source(), decimals=1)
    out["table"] = table
    return out


# ------------------------------------------------------------------ 4 pillars
def pillars(ch: Chapter) -> dict[str, Any]:
    b = ch.build
    y = int(ch.params.get("index.year"))
    syn = ch.index_synthetic
    P = b.pillars.xs(y, level="period")
    P.columns = [b.framework.label(c, ch.lang) for c in P.columns]
    means = P.mean().to_frame(ch.t("全国", "national")).T
    belt = data.provinces().set_index("unit_id")["ccid_belt"]
    by_belt = P.groupby(belt.reindex(P.index)).mean()
    ch.table(pd.concat([means, by_belt]).reset_index(names=ch.t("范围", "scope")), "pillar_means", ch.mark(ch.t("分项指数平均值 (全国及四大地带)", "Pillar means (national and by belt)"), syn), ch.index_source(), decimals=1)
    ch.figure(figures.radar(means, ch.lang, ch.t("全国平均 (按指数类别)", "National mean by pillar"), syn), "radar_national")
    ch.figure(figures.radar(by_belt, ch.lang, ch.t("平均指数 (按区域)", "Mean by region"), syn), "radar_regions")
    echelons = P.apply(lambda c: tiers.natural_breaks(c, 4))
    ch.table(echelons.reset_index(names="unit_id").assign(name=lambda d: d["unit_id"].map(ch.names)), "pillar_echelons", ch.mark(ch.t("分项梯队 (Fisher-Jenks)", "Pillar echelons (Fisher-Jenks)"), syn), "dgkit.tiers.natural_breaks", decimals=1)
    n = int(ch.params.get("pillars.top_n", 5))
    top = b.index.xs(y, level="period").sort_values(ascending=False).head(n).index
    prof = P.loc[top]
    prof.index = [ch.names.get(u, u) for u in top]
    ch.figure(figures.radar(prof, ch.lang, ch.t(f"Top{n} 地区分项雷达图", f"Top {n}: pillar profiles"), syn), "radar_top")
    sw = []
    for u in top:
        row = P.loc[u]
        sw.append({"unit": ch.names.get(u, u), "strongest": row.idxmax(), "strongest_score": row.max(), "weakest": row.idxmin(), "weakest_score": row.min()})
    sw = pd.DataFrame(sw)
    ch.table(sw, "strengths", ch.mark(ch.t("Top 地区的优势与短板", "Strengths and weaknesses of the top units"), syn), ch.index_source(), decimals=1)
    low = means.T.iloc[:, 0].idxmin()
    ch.fact("weakest_pillar", float(means.T.iloc[:, 0].min()), ch.mark(f"lowest pillar mean: {low} {means.T.iloc[:, 0].min():.1f}", syn), ch.index_source())
    return {"means": means, "by_belt": by_belt, "echelons": echelons, "strengths": sw}


# ------------------------------------------------------------------ 5 regions
def region_analysis(ch: Chapter) -> dict[str, Any]:
    """Totals, shares and means per group of each grouping of the analysed dataset (the params'
    ``regions.groupings``, else every grouping the dataset has), with a Theil decomposition where
    the grouping is a partition."""
    s = ch.scores
    ds = ch.analysed_dataset
    out: dict[str, Any] = {}
    wanted = ch.params.get("regions.groupings") or ds.grouping_names
    parts = set(ds.partitions())
    for g in [g for g in wanted if g in ds.grouping_names]:
        members = ds.members(g)
        members = members[members["unit_id"].isin(s.index)]
        if members["group"].nunique() < 2:
            continue
        r = regions.regional_structure(s, g, members=members, lang=ch.lang)
        out[g] = r
        ge = regions.region_label(g, ch.lang)
        ch.table(r.table, f"region_{g}", ch.mark(ch.t(f"{g}: 总量、占比、均值", f"{ge}: totals, shares, means")), ch.scores_source(), decimals=2)
        ch.fact(f"lead_{g}", float(r.table.iloc[0]["share_pct"]), ch.mark(r.sentence), ch.scores_source())
        grp = members.assign(group=members["group"].map(lambda x: regions.region_label(x, ch.lang)))
        if g in parts:
            ch.figure(figures.group_strip(s, grp.set_index("unit_id")["group"], ch.lang, ch.t(f"{g} 内的分布", f"Distribution within the {ge}"), ch.synthetic), f"strip_{g}")
            th = dispersion.theil_decomposition(s.reindex(members["unit_id"]), members.set_index("unit_id")["group"])
            ch.fact(f"theil_{g}", th.facts["between_share"], ch.mark(f"{ge}: " + th.sentence), ch.scores_source())
    for name in ch.params.get("published_references") or []:
        ref = ch.dataset(name)
        pub = ref.reference_tables.get("regions")
        if pub is not None:
            out["published"] = pub
            cols = [c for c in ("grouping", "region", "metric", "value", "note") if c in pub.columns]
            ch.table(pub[cols], f"{ref.name}_published_regions", ch.t(f"{ref.title} 公布的区域数据 (另一指数, 对照)", f"{ref.title}: published regional figures (another index, for comparison)"), ref.citation, decimals=1)
    tables = [r.table for k, r in out.items() if hasattr(r, "table")]
    out["summary"] = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    return out


# ------------------------------------------------------------------ 6 economy
def economy(ch: Chapter) -> dict[str, Any]:
    s, g, pop = ch.scores, ch.gdp(), ch.population()
    vintage = ch.params.get("gdp.vintage")
    src = f"GDP {ch.params.get('gdp.year')} ({vintage}), data/reference; {ch.scores_source()}"
    e = correlation.economy(s, g, pop)
    ch.table(e.table, "correlations", ch.mark(ch.t("与经济规模的相关", "Correlation with the economy")), src, decimals=3)
    ch.fact("pearson_r_gdp", e.facts["pearson_r_gdp"], ch.mark(e.sentence + f" (GDP {ch.params.get('gdp.year')}, {vintage})"), src)
    f = correlation.fit_log_gdp(s, g, ch.names)
    ch.table(f.table.reset_index(names="unit_id"), "ols_residuals", ch.mark(ch.t("指数对 ln GDP 回归的残差", "Residuals of the index on ln GDP")), src, decimals=2)
    ch.fact("ols_log_gdp", f.facts["r2"], ch.mark(f.sentence), src)
    fig = figures.labelled_scatter(g.reindex(s.index), s, ch.names, ch.lang, xlabel=ch.t("GDP (亿元, 对数轴)", "GDP (100 m yuan, log axis)"),
                                   ylabel=ch.t("指数", "index"), logx=True, synthetic=ch.synthetic, title=ch.t("指数与 GDP", "Index and GDP"))
    ch.figure(fig, "scatter_gdp")
    for name in ch.params.get("published_references") or []:
        ref = ch.dataset(name)
        if "facts" in ref.reference_tables:
            ch.table(ref.reference_tables["facts"], f"{ref.name}_published_facts", ch.t(f"{ref.title} 公布的相关与标准差", f"{ref.title}: published correlations and SDs"), ref.citation, decimals=2)
    return {"correlations": e.table, "ols": f, "sentence": e.sentence}


# ------------------------------------------------------------------ 7 progress
def _panel(ch: Chapter) -> tuple[pd.DataFrame, str, bool, pd.Series]:
    """The multi-edition panel of chapter 7: the built index when ``progress.panel`` is the index's
    dataset, else the headline measure of that dataset. Returns panel, citation, synthetic, names."""
    ds = ch.dataset(str(ch.params.get("progress.panel", "un_egdi")))
    if ch.index_dataset is not None and ds.spec_path == ch.index_dataset.spec_path:
        w = ch.build.index.unstack("period")
        src = ch.index_source()
    else:
        w = ds.panel()
        src = ds.citation
    eds = [e for e in (ch.params.get("progress.editions") or list(w.columns)) if e in w.columns]
    return w[eds], src, ds.synthetic, ds.unit_names(ch.lang)


def progress_analysis(ch: Chapter) -> dict[str, Any]:
    w, src, syn, names = _panel(ch)
    z = progress.zscores(w, ddof=int(ch.params.get("progress.ddof", 0)))
    ch.table(z.reset_index(names="unit"), "zscores", ch.mark(ch.t("各版 Z 分数", "Z-scores per edition"), syn), src, decimals=3)
    out: dict[str, Any] = {"zscores": z}
    if w.shape[1] < 2:
        ch.fact("editions", 1, ch.mark("only one edition: no 推进率 can be computed", syn), src)
        return out
    r = progress.advancement_rate(w, ch.params.get("progress.method", "z_change"), int(ch.params.get("progress.ddof", 0)))
    last = r.table[r.table["to"] == w.columns[-1]].sort_values("rate", ascending=False)
    if names is not None:
        last = last.assign(name=last["unit"].map(names))
    n = int(ch.params.get("progress.top", 10))
    ch.table(r.table, "advancement", ch.mark(ch.t("推进率 (Z 分数之差)", "Advancement rate (change in Z-score)"), syn), src, decimals=3)
    ch.table(last.head(n), "top_advancers", ch.mark(ch.t(f"推进率前 {n}", f"Top {n} advancers"), syn), src, decimals=3)
    ch.fact("top_advancer", float(last["rate"].iat[0]), ch.mark(r.sentence, syn), src)
    m = progress.rank_mobility(w)
    ch.table(m.table, "rank_mobility", ch.mark(ch.t("排名流动", "Rank mobility"), syn), src, decimals=3)
    ch.fact("kendall_tau_last", m.facts["kendall_tau_last"], ch.mark(m.sentence, syn), src)
    if len(r.extra["missing"]):
        ch.table(r.extra["missing"], "missing_units", ch.t("只出现在一版中的单位", "Units present in only one edition"), src)
    focus = ch.params.get("international.focus") if not syn else None
    if focus:
        from dgkit.units import resolver

        level = ch.dataset(str(ch.params.get("progress.panel", "un_egdi"))).level
        focus = resolver(level).lookup(focus).unit_id if level in ("province", "city", "country") else focus
    if focus and focus in w.index:
        fr = r.table[r.table["unit"] == focus]
        ch.fact("focus_rates", fr.set_index("to")["rate"].to_dict(), f"{names.get(focus, focus)}: 推进率 " + ", ".join(f"{a}→{b} {v:+.2f}" for a, b, v in fr[["from", "to", "rate"]].itertuples(index=False)), src)
    return {**out, "advancement": r, "mobility": m, "top": last.head(n)}


# ------------------------------------------------------------------ 8 dispersion
def dispersion_analysis(ch: Chapter) -> dict[str, Any]:
    s = ch.scores
    ddof, th = int(ch.params.get("dispersion.ddof", 0)), float(ch.params.get("dispersion.threshold", 5))
    d = dispersion.describe(s, ddof=ddof, threshold=th, label=ch.params.get("scores.label", ""))
    other = dispersion.describe(s, ddof=1 - ddof, threshold=th)
    tab = pd.concat([d.table, other.table.assign(label=ch.t("另一种 SD 口径", "other SD convention"))], ignore_index=True)
    ch.table(tab, "dispersion", ch.mark(ch.t("离散度 (标准差口径见 ddof 列)", "Dispersion (ddof column gives the SD convention)")), ch.scores_source(), decimals=3)
    ch.fact("sd", d.facts["sd"], ch.mark(d.sentence), ch.scores_source())
    out: dict[str, Any] = {"describe": d}
    ds = ch.analysed_dataset
    parts = ds.partitions()
    g = ch.params.get("dispersion.grouping") or (parts[0] if parts else None)
    if g:
        groups = ds.grouping(g).replace("", np.nan).reindex(s.index)
        th_ = dispersion.theil_decomposition(s[groups.notna()], groups.dropna(), check_with_pysal=True)
        gl = regions.region_label(g, ch.lang)
        ch.table(th_.table, "theil", ch.mark(ch.t(f"泰尔指数分解 ({g})", f"Theil decomposition ({gl})")), ch.scores_source(), decimals=4)
        ch.fact("theil_between_share", th_.facts["between_share"], ch.mark(th_.sentence), ch.scores_source())
        out["theil"] = th_
    w, src, syn, _ = _panel(ch)
    if w.shape[1] >= 2:
        sc = dispersion.sigma_convergence(w)
        ch.table(sc.table, "sigma_convergence", ch.mark(ch.t("σ 收敛", "σ-convergence"), syn), src, decimals=4)
        ch.fact("sigma_convergence", sc.facts["cv_slope"], ch.mark(sc.sentence, syn), src)
        years = float(w.columns[-1]) - float(w.columns[0]) if all(isinstance(c, int | np.integer) for c in w.columns) else float(w.shape[1] - 1)
        bc = dispersion.beta_convergence(w.iloc[:, 0], w.iloc[:, -1], years)
        ch.table(bc.table.reset_index(names="term"), "beta_convergence", ch.mark(ch.t("β 收敛", "β-convergence"), syn), src, decimals=4)
        ch.fact("beta_convergence", bc.facts["beta"], ch.mark(bc.sentence, syn), src)
        out.update(sigma=sc, beta=bc)
    if ch.params.get("dispersion.threshold") is not None:
        g = data.load("guomai_2023_facts")
        ch.table(g[g["metric"].str.contains("sd")], "guomai_sd", ch.t("国脉 2023: 标准差阈值 5", "国脉 2023: SD against the threshold 5"), "003_bcc288fad2ab52c2.txt 一 6")
    return out


# ------------------------------------------------------------------ 9 cities
def cities(ch: Chapter) -> dict[str, Any]:
    c = data.cities()
    t = data.load("tsinghua_2020_city_tiers")
    other = data.load("tsinghua_2020_other_cities").set_index("city")
    src = "001_704c0132a6179eba.txt (Tsinghua CDG 2020) 表4-1, 表4-2, 表4-3"
    pseudo = pd.Series(np.arange(len(t), 0, -1, dtype=float), index=t["city"])
    computed = tiers.percentile_tiers(pseudo, [0.10, 0.25, 0.45, 0.65], TIER_ORDER)
    rec = tiers.reconcile(computed, t.set_index("city")["tier"])
    sizes = tiers.tier_sizes(len(t), [0.10, 0.25, 0.45, 0.65])
    ch.fact("percentile_tier_sizes", sizes, f"percentile rule 10/25/45/65 % on {len(t)} cities gives tiers of {sizes} (floor rule); {len(rec)} difference(s) from table 4-2", src)
    types = c.set_index("city")[["tsinghua_fusheng", "tsinghua_capital", "tsinghua_other"]]
    rows = []
    for col, label in (("tsinghua_fusheng", "副省级城市"), ("tsinghua_capital", "省会城市"), ("tsinghua_other", "其他大中城市")):
        members = types.index[types[col] == 1]
        tt = t.set_index("city").loc[members, "tier"].value_counts().reindex(TIER_ORDER).fillna(0).astype(int)
        for tier_, n in tt.items():
            rows.append({"city_type": label, "tier": tier_, "n": int(n), "share_pct": 100 * n / len(members)})
    shares = pd.DataFrame(rows)
    pub = data.load("tsinghua_2020_city_type_shares")
    shares = shares.merge(pub[["city_type", "tier", "share_printed_pct", "note"]], on=["city_type", "tier"], how="left")
    ch.table(shares, "type_tier_shares", ch.t("城市类型 × 梯度占比 (计算值与报告印刷值)", "City type × tier shares (computed and as printed)"), src, decimals=1)
    bad = shares[(shares["share_printed_pct"].notna()) & ((shares["share_printed_pct"] - shares["share_pct"]).abs() > 0.05)]
    ch.fact("share_discrepancies", len(bad), f"{len(bad)} printed city-type shares disagree with table 4-3: " + "; ".join(f"{r.city_type} {r.tier} printed {r.share_printed_pct}% vs {r.share_pct:.1f}%" for r in bad.itertuples()), src)
    dims = other[["organisation", "institutions", "capability", "effect"]]
    prof = dims.mean().to_frame(ch.t("其他大中城市平均", "other cities, mean")).T
    prof = pd.concat([prof, dims.head(5)])
    prof.columns = [ch.t("组织机构", "organisation"), ch.t("制度体系", "institutions"), ch.t("治理能力", "capability"), ch.t("治理效果", "effect")]
    ch.figure(figures.radar(prof, ch.lang, ch.t("其他大中城市前五名的维度得分", "Top five other cities: dimension scores")), "radar_other_cities")
    ch.table(dims.reset_index(), "other_city_dimensions", ch.t("68 个其他大中城市的四维得分", "Four dimensions of the 68 other cities"), src, decimals=1)
    by_prov = c.merge(t[["city", "tier"]], on="city").groupby("province")["tier"].apply(lambda x: (x.isin(TIER_ORDER[:2])).mean())
    return {"reconcile": rec, "shares": shares, "dimensions": dims, "leading_share_by_province": by_prov}


# ------------------------------------------------------------------ 10 robustness
def robustness(ch: Chapter) -> dict[str, Any]:
    """Agreement between indices: every dataset in ``robustness.indices`` enters with its headline
    measure, or its ordinal reference (grades) as ranks 1…k, or — for a partial published list
    (fewer than half the units of the analysed index) — as a table of where its units stand."""
    out: dict[str, Any] = {}
    series: dict[str, pd.Series] = {}
    partial: dict[str, tuple[Any, pd.Series]] = {}
    n_full = len(ch.scores)
    for name in ch.params.get("robustness.indices") or []:
        ds = ch.dataset(str(name))
        s = ds.comparable()
        if s is None:
            continue
        label = ds.short_title
        if len(s) < n_full / 2:
            partial[label] = (ds, s)
        else:
            series[label] = s
    if len(series) >= 2:
        rc = concordance.rank_concordance(series)
        src = "; ".join(ch.dataset(str(n)).citation for n in ch.params.get("robustness.indices") or [])
        ch.table(rc.table, "concordance", ch.t("指数之间的秩相关 (共同单位)", "Rank agreement between indices (shared units)"), src, decimals=3)
        ch.figure(figures.heatmap(rc.extra["spearman"], ch.lang, ch.t("Spearman 秩相关", "Spearman rank correlation")), "concordance_heatmap")
        ch.fact("min_spearman", rc.facts["min_spearman"], rc.sentence, src)
        cont = {k: v for k, v in series.items() if v.nunique() > 6}
        if len(cont) >= 2:
            w = concordance.kendalls_w(pd.DataFrame(cont))
            ch.fact("kendalls_w", w.facts["W"], w.sentence, src)
        out["concordance"] = rc
    kap = ch.params.get("robustness.kappa")
    if kap:
        scheme = next(t for t in ch.params.get("tiers") or [] if t["name"] == kap["scheme"])
        other = ch.dataset(kap["dataset"])
        ref = other.reference(kap["reference"]).xs(other.periods[-1], level="period")
        mine = tiers.fixed_tiers(ch.scores, scheme["thresholds"], scheme.get("labels") or TIER_ORDER).map(kap["mapping"])
        k = concordance.weighted_kappa(mine, ref, kap["categories"])
        ch.fact("kappa", k.facts["kappa"], f"{kap['scheme']} tiers (mapped as the params state) vs {other.short_title}: " + k.sentence,
                f"{ch.scores_source()}; {other.citation}; the mapping is the edition's (params robustness.kappa)")
        ch.table(k.table.reset_index(names="mapped"), "kappa_table", ch.t("梯度 (映射) × 档次", "Tiers (mapped) × grades"), other.citation)
        out["kappa"] = k
    first = next(iter(series.values()), ch.scores)
    for label, (ds, s) in partial.items():
        comp = pd.DataFrame({label: s, ch.t("本指数", "this index"): first.reindex(s.index),
                             ch.t("本指数排名", "rank in this index"): tiers.rank_scores(first, "min").reindex(s.index)})
        comp.insert(0, "name", comp.index.map(ch.names))
        ch.table(comp.reset_index(names="unit_id"), f"{ds.name}_vs_index", ch.t(f"{label} 所列单位在本指数中的位置", f"Where the units of {label} stand in this index"), ds.citation, decimals=1)
        out[f"{ds.name}_partial"] = comp
    b = ch.build
    y = int(ch.params.get("index.year"))
    coh = coherence.coherence(b, y)
    ch.table(coh.table, "coherence_indicators", ch.mark(ch.t("统计一致性: 指标与分项/总指数的相关", "Statistical coherence: indicator correlations"), ch.index_synthetic), "dgkit.stats.coherence", decimals=3)
    ch.table(coh.extra["pillars"], "coherence_pillars", ch.mark(ch.t("Cronbach α 与第一主成分解释率", "Cronbach's alpha and PC1 share"), ch.index_synthetic), "dgkit.stats.coherence", decimals=3)
    ch.fact("coherence", coh.facts["negative"], ch.mark(coh.sentence, ch.index_synthetic), "dgkit.stats.coherence")
    out["coherence"] = coh
    try:
        from dgkit import uncertainty
    except ImportError:  # pragma: no cover
        return out
    n = int(ch.params.get("robustness.mc_draws", 1000))
    n = min(n, 200) if ch.quick else n
    mc = uncertainty.monte_carlo(b, period=y, n=n, seed=int(ch.params.get("seed", 0)))
    ch.table(mc.table.reset_index(names="unit_id").assign(name=lambda d: d["unit_id"].map(ch.names)), "rank_intervals",
             ch.mark(ch.t(f"蒙特卡洛排名区间 ({n} 次)", f"Monte Carlo rank intervals ({n} draws)"), ch.index_synthetic), "dgkit.uncertainty", decimals=2)
    ch.figure(figures.rank_intervals(mc.table, ch.names, ch.lang, ch.t("排名的不确定性", "Rank uncertainty"), ch.index_synthetic), "rank_intervals")
    ch.fact("mc_mean_interval_width", mc.facts["mean_interval_width"], ch.mark(mc.sentence, ch.index_synthetic), "dgkit.uncertainty")
    nb = int(ch.params.get("robustness.sobol_n", 256))
    so = uncertainty.sobol(b, period=y, n=min(nb, 64) if ch.quick else nb, seed=int(ch.params.get("seed", 0)))
    ch.table(so.table.reset_index(names="input"), "sobol", ch.mark(ch.t("Sobol 敏感性指数 (平均排名变化)", "Sobol sensitivity indices (mean absolute rank shift)"), ch.index_synthetic), "dgkit.uncertainty (SALib)", decimals=3)
    ch.figure(figures.bars(so.table["ST"], ch.lang, ch.t("总效应 Sobol 指数", "Total-order Sobol index"), "ST", so.table[["ST_low", "ST_high"]], ch.index_synthetic), "sobol")
    ch.fact("sobol_top", float(so.table["ST"].max()), ch.mark(so.sentence, ch.index_synthetic), "dgkit.uncertainty")
    loo = uncertainty.leave_one_out(b, period=y, level="pillar")
    ch.table(loo.table.reset_index(names="dropped"), "leave_one_pillar_out", ch.mark(ch.t("逐一剔除分项后的排名变化", "Rank shifts when a pillar is left out"), ch.index_synthetic), "dgkit.uncertainty", decimals=2)
    out.update(mc=mc, sobol=so, loo=loo)
    return out


# ------------------------------------------------------------------ 11 international
def international(ch: Chapter) -> dict[str, Any]:
    """A country-level index (``international.dataset``, default UN EGDI): the focus country's
    score, components and rank, Z-scores and 推进率 over the editions, means by the level's first
    grouping (UN region), and a table of peers."""
    from dgkit.units import resolver

    ds = ch.dataset(str(ch.params.get("international.dataset", "un_egdi")))
    w_all = ds.panel()
    eds = [e for e in (ch.params.get("international.editions") or ds.periods) if e in w_all.columns]
    w = w_all[eds].dropna(how="all")
    names = ds.unit_names(ch.lang)
    src = ds.citation
    res = resolver(ds.level) if ds.level in ("province", "city", "country") else None
    focus_name = ch.params.get("international.focus", "China")
    focus = res.resolve(focus_name, file=str(ch.params.path), column="international.focus") if res else focus_name
    head = ds.headline or ds.measures[0]
    comps = [m for m in ds.measures if m != head]
    per = ds.values[ds.values.index.get_level_values("period").isin(eds)]
    f = per.xs(focus, level="unit_id") if focus in per.index.get_level_values("unit_id") else per.iloc[:0].droplevel("unit_id")
    if "rank_printed" in ds.references.columns:
        f = f.join(pd.to_numeric(ds.reference("rank_printed").xs(focus, level="unit_id"), errors="coerce").rename("rank_printed"))
    out: dict[str, Any] = {"focus": f}
    if len(f):
        label = names.get(focus, focus)
        ch.table(f.reset_index(), "focus", ch.t(f"{label}: {ds.label(head, 'zh')} 及其构成", f"{label}: {ds.label(head, 'en')} and components"), src, decimals=4)
        last_y = int(f.index[-1])
        n = int(w[last_y].notna().sum())
        rank = int(f["rank_printed"].iat[-1]) if "rank_printed" in f and pd.notna(f["rank_printed"].iat[-1]) else int(w[last_y].rank(ascending=False, method="min")[focus])
        ch.fact("focus_rank", rank, f"{label}: {head.upper()} {f[head].iat[-1]:.4f}, rank {rank} of {n} in {last_y}", src)
        radar_cols = [c for c in comps if c in f.columns][:5]
        if len(radar_cols) >= 3:
            comp = f[radar_cols]
            comp.columns = [c.upper() for c in radar_cols]
            ch.figure(figures.radar(comp.rename(index=str), ch.lang, ch.t(f"{label} 的构成", f"{label}: the components"), ylim=(0, 1)), "focus_radar")
        z = progress.zscores(w)
        ch.fact("focus_z", float(z.loc[focus].iloc[-1]), f"{label}: Z-score {z.loc[focus].iloc[-1]:.2f} in {w.columns[-1]} (population SD, {n} units)", src)
        out["z"] = z
    if w.shape[1] >= 2:
        r = progress.advancement_rate(w)
        top = r.table[r.table["to"] == w.columns[-1]].sort_values("rate", ascending=False).head(10)
        top = top.assign(name=top["unit"].map(names))
        ch.table(top, "top_advancers", ch.t("推进率前十", "Top ten advancers"), src, decimals=3)
        ch.fact("top_advancer", float(top["rate"].iat[0]), r.sentence, src)
    grouping = next(iter(ds.grouping_names), None)
    if grouping:
        g = ds.grouping(grouping)
        long = w.stack().rename("value").reset_index()
        long.columns = ["unit_id", "period", "value"]
        long["group"] = long["unit_id"].map(g)
        rm = long.groupby(["period", "group"])["value"].agg(["count", "mean", "std"]).reset_index()
        ch.table(rm, "region_means", ch.t(f"按 {grouping} 的均值", f"Mean by {grouping}"), src, decimals=4)
        out["region_means"] = rm
        fr = g.get(focus)
        if fr and len(f):
            last_y = int(w.columns[-1])
            m = float(rm[(rm["period"] == last_y) & (rm["group"] == fr)]["mean"].iat[0])
            ch.fact("focus_vs_region", float(w.loc[focus, last_y] - m),
                    f"{names.get(focus, focus)} {head.upper()} {w.loc[focus, last_y]:.4f} vs {fr} mean {m:.4f} in {last_y} ({w.loc[focus, last_y] - m:+.4f})", src)
    peers = ch.params.get("international.peers") or ["China", "Republic of Korea", "Japan", "Singapore", "United States", "United Kingdom",
                                                      "Denmark", "India", "Russian Federation", "Brazil"]
    ids = [res.resolve(p, file=str(ch.params.path), column="international.peers") if res else p for p in peers]
    ids = [u for u in ids if u in w.index]
    pw = w.reindex(ids)
    pw.insert(0, "name", pw.index.map(names))
    ch.table(pw.reset_index(), "peers", ch.t("部分单位", "Selected units"), src, decimals=4)
    out["peers"] = pw
    return out
