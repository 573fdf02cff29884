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
    pil = fw.pillars[["code", "name", "name_en"]].assign(weight=b.pillar_weights.reindex(fw.pillars["code"]).to_numpy())
    ch.table(pil, "pillar_weights", ch.t("一级指标权重 (由第4章 Top5 数据反推)", "Pillar weights (implied from the published top-5 table)"), "000_040576678a80d79e.txt 第4章; dgkit.weights.implied_weights", decimals=4)
    au = b.audits[y].indicators.reset_index(names="indicator")
    ch.table(au, "audit", ch.mark(ch.t(f"{y} 年数据审计", f"Data audit {y}"), syn), "dgkit.audit", decimals=3)
    if len(b.impute_log):
        ch.table(b.impute_log, "imputation_log", ch.mark(ch.t("插补记录", "Imputation log"), syn), "dgkit.impute", decimals=2)
    if len(b.treat_log):
        ch.table(b.treat_log, "treatment_log", ch.mark(ch.t("异常值处理记录", "Outlier treatment log"), syn), "dgkit.impute", decimals=2)
    tab = b.table(y, ch.lang).reset_index()
    ch.table(tab, "scores", ch.mark(ch.t(f"{y} 年分项及总指数", f"Pillar and index scores {y}"), syn), "CCID 2020 method on the demo panel", decimals=1)
    fig = figures.ranking_bar(b.index.xs(y, level="year"), ch.names, lang=ch.lang, synthetic=syn,
                              title=ch.t(f"CCID 方法构建的总指数 ({y})", f"Index built with the CCID method ({y})"))
    ch.figure(fig, "index_bar")
    top = tab.iloc[0]
    ch.fact("index_mean", float(b.index.xs(y, level="year").mean()),
            ch.mark(f"CCID-method index {y}: mean {b.index.xs(y, level='year').mean():.1f}, top {top['name']} {top['index']:.1f} (n = {len(tab)})", syn),
            "SYNTHETIC demo panel" if syn else str(ch.params.get("index.data")))
    return {"result": b, "framework": ind, "audit": au, "scores": tab, "log": b.log}


# ------------------------------------------------------------------ 2 ranking
def ranking(ch: Chapter) -> dict[str, Any]:
    s = ch.scores
    ranks = tiers.rank_scores(s, ties="dense", decimals=1)
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
    top = tab.iloc[0]
    ch.fact("top", float(s.max()), ch.mark(f"top: {top.iloc[1]} {s.max():.1f}"), ch.scores_source())
    out: dict[str, Any] = {"table": tab, "mean": mean, "n_at_or_above_mean": n_above, "figure": fig}
    if ch.params.get("scores.source") == "tsinghua_2020":
        t = data.tsinghua_provinces().set_index("unit_id")
        r = tiers.rank_scores(s, ties="min")
        mism = t[(t["rank_printed"] != r.reindex(t.index))]
        out["rank_check"] = mism[["province", "score", "rank_printed"]].assign(rank_from_printed_scores=r.reindex(mism.index))
        ch.table(out["rank_check"].reset_index(), "rank_check", ch.t("印刷排名与印刷得分的核对 (同分不同名次)", "Printed ranks vs printed scores (ties ranked apart)"), ch.scores_source(), decimals=1)
        ccid = data.load("ccid_2020_facts").set_index("metric")
        out["ccid_reference"] = ccid.loc["count_at_or_above_mean", "value"]
        ch.fact("ccid_n_at_or_above_mean", float(out["ccid_reference"]), "CCID 2020 (another index, data year 2019): 14 provinces at or above the national mean 51.7",
                "000_040576678a80d79e.txt 第3章")
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
            tab_name, col = spec["published"].split(".")
            pub = data.load(tab_name)
            from dgkit.units import resolver

            pub.index = resolver("province").resolve_many(pub[pub.columns[0]])
            rec = tiers.reconcile(t, pub[col], s)
            out[f"reconcile_{name}"] = rec
            ch.table(rec.assign(name=lambda d: d["unit"].map(ch.names)), f"reconcile_{name}", ch.t("与公布梯度的核对 (仅列出不一致者)", "Reconciliation with the published tiers (differences only)"), f"data/published/{tab_name}.csv", decimals=1)
            if "tier_label_in_flat_text" in pub.columns:
                naive = pub["tier_label_in_flat_text"].replace("", np.nan).ffill()
                rec2 = tiers.reconcile(t, naive, s)
                out["reconcile_flat_text"] = rec2
                ch.table(rec2.assign(name=lambda d: d["unit"].map(ch.names)), "reconcile_flat_text", ch.t("与文本抽取中合并单元格标签的核对", "Against the labels as the flattened text places them"), f"data/published/{tab_name}.csv", decimals=1)
            ch.fact(f"{name}_differences", len(rec), f"{name}: {len(rec)} unit(s) differ from the published tiers", f"data/published/{tab_name}.csv")
    if panels:
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
    P = b.pillars.xs(y, level="year")
    P.columns = [b.framework.label(c, ch.lang) for c in P.columns]
    means = P.mean().to_frame(ch.t("全国", "national")).T
    belt = data.provinces().set_index("unit_id")["ccid_belt"]
    by_belt = P.groupby(belt.reindex(P.index)).mean()
    ch.table(pd.concat([means, by_belt]).reset_index(names=ch.t("范围", "scope")), "pillar_means", ch.mark(ch.t("分项指数平均值 (全国及四大地带)", "Pillar means (national and by belt)"), syn), "CCID method", decimals=1)
    ch.figure(figures.radar(means, ch.lang, ch.t("全国平均 (按指数类别)", "National mean by pillar"), syn), "radar_national")
    ch.figure(figures.radar(by_belt, ch.lang, ch.t("平均指数 (按区域)", "Mean by region"), syn), "radar_regions")
    echelons = P.apply(lambda c: tiers.natural_breaks(c, 4))
    ch.table(echelons.reset_index(names="unit_id").assign(name=lambda d: d["unit_id"].map(ch.names)), "pillar_echelons", ch.mark(ch.t("分项梯队 (Fisher-Jenks)", "Pillar echelons (Fisher-Jenks)"), syn), "dgkit.tiers.natural_breaks", decimals=1)
    n = int(ch.params.get("pillars.top_n", 5))
    top = b.index.xs(y, level="year").sort_values(ascending=False).head(n).index
    prof = P.loc[top]
    prof.index = [ch.names.get(u, u) for u in top]
    ch.figure(figures.radar(prof, ch.lang, ch.t(f"Top{n} 地区分项雷达图", f"Top {n}: pillar profiles"), syn), "radar_top")
    sw = []
    for u in top:
        row = P.loc[u]
        sw.append({"unit": ch.names.get(u, u), "strongest": row.idxmax(), "strongest_score": row.max(), "weakest": row.idxmin(), "weakest_score": row.min()})
    sw = pd.DataFrame(sw)
    ch.table(sw, "strengths", ch.mark(ch.t("Top 地区的优势与短板", "Strengths and weaknesses of the top units"), syn), "CCID method", decimals=1)
    low = means.T.iloc[:, 0].idxmin()
    ch.fact("weakest_pillar", float(means.T.iloc[:, 0].min()), ch.mark(f"lowest pillar mean: {low} {means.T.iloc[:, 0].min():.1f}", syn), "CCID method")
    return {"means": means, "by_belt": by_belt, "echelons": echelons, "strengths": sw}


# ------------------------------------------------------------------ 5 regions
def region_analysis(ch: Chapter) -> dict[str, Any]:
    s = ch.scores
    out = {}
    for g in (ch.params.get("regions.groupings") or ["常规地区", "四大地带", "热点地区"]):
        r = regions.regional_structure(s, g, lang=ch.lang)
        out[g] = r
        ge = regions.region_label(g, ch.lang)
        ch.table(r.table, f"region_{g}", ch.mark(ch.t(f"{g}: 总量、占比、均值", f"{ge}: totals, shares, means")), ch.scores_source(), decimals=2)
        ch.fact(f"lead_{g}", float(r.table.iloc[0]["share_pct"]), ch.mark(r.sentence), ch.scores_source())
        grp = regions.membership(g)
        grp = grp.assign(group=grp["group"].map(lambda x: regions.region_label(x, ch.lang)))
        if g != "热点地区":
            ch.figure(figures.group_strip(s, grp.set_index("unit_id")["group"], ch.lang, ch.t(f"{g} 内的分布", f"Distribution within the {ge}"), ch.synthetic), f"strip_{g}")
            th = dispersion.theil_decomposition(s, grp.set_index("unit_id")["group"])
            ch.fact(f"theil_{g}", th.facts["between_share"], ch.mark(f"{ge}: " + th.sentence), ch.scores_source())
    if ch.params.get("scores.source") == "tsinghua_2020":
        pub = data.load("ccid_2020_regions")
        out["ccid_published"] = pub
        ch.table(pub[["grouping", "region", "metric", "value", "note"]], "ccid_published_regions", ch.t("赛迪 2020 公布的区域数据 (另一指数, 对照)", "CCID 2020 published regional figures (another index, for comparison)"), "000_040576678a80d79e.txt 第2、3章", decimals=1)
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
    if ch.params.get("scores.source") == "tsinghua_2020":
        ccid = data.load("ccid_2020_facts")
        ch.table(ccid, "ccid_published_correlations", ch.t("赛迪 2020 公布的相关与标准差", "CCID 2020 published correlations and SDs"), "000_040576678a80d79e.txt 第2章", decimals=2)
    return {"correlations": e.table, "ols": f, "sentence": e.sentence}


# ------------------------------------------------------------------ 7 progress
def _panel(ch: Chapter) -> tuple[pd.DataFrame, str, bool]:
    if ch.params.get("progress.panel") == "demo":
        b = ch.build
        w = b.index.unstack("year")
        eds = [e for e in (ch.params.get("progress.editions") or list(w.columns)) if e in w.columns]
        return w[eds], "SYNTHETIC demo panel × CCID method", True
    e = data.egdi()
    w = e.pivot(index="country", columns="survey_year", values="egdi")
    eds = ch.params.get("progress.editions") or list(w.columns)
    return w[eds], "UN E-Government Survey (data/reference/un_egdi_2018_2024.csv)", False


def progress_analysis(ch: Chapter) -> dict[str, Any]:
    w, src, syn = _panel(ch)
    names = ch.names if syn else None
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
    if focus and focus in w.index:
        fr = r.table[r.table["unit"] == focus]
        ch.fact("focus_rates", fr.set_index("to")["rate"].to_dict(), f"{focus}: 推进率 " + ", ".join(f"{a}→{b} {v:+.2f}" for a, b, v in fr[["from", "to", "rate"]].itertuples(index=False)), src)
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
    belts = data.provinces().set_index("unit_id")["ccid_belt"]
    th_ = dispersion.theil_decomposition(s, belts.reindex(s.index), check_with_pysal=True)
    ch.table(th_.table, "theil", ch.mark(ch.t("泰尔指数分解 (四大地带)", "Theil decomposition (four belts)")), ch.scores_source(), decimals=4)
    ch.fact("theil_between_share", th_.facts["between_share"], ch.mark(th_.sentence), ch.scores_source())
    out = {"describe": d, "theil": th_}
    w, src, syn = _panel(ch)
    if w.shape[1] >= 2:
        sc = dispersion.sigma_convergence(w)
        ch.table(sc.table, "sigma_convergence", ch.mark(ch.t("σ 收敛", "σ-convergence"), syn), src, decimals=4)
        ch.fact("sigma_convergence", sc.facts["cv_slope"], ch.mark(sc.sentence, syn), src)
        years = float(w.columns[-1]) - float(w.columns[0]) if all(isinstance(c, int | np.integer) for c in w.columns) else float(w.shape[1] - 1)
        bc = dispersion.beta_convergence(w.iloc[:, 0], w.iloc[:, -1], years)
        ch.table(bc.table.reset_index(names="term"), "beta_convergence", ch.mark(ch.t("β 收敛", "β-convergence"), syn), src, decimals=4)
        ch.fact("beta_convergence", bc.facts["beta"], ch.mark(bc.sentence, syn), src)
        out.update(sigma=sc, beta=bc)
    if ch.params.get("scores.source") == "tsinghua_2020":
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
    out: dict[str, Any] = {}
    wanted = ch.params.get("robustness.indices") or []
    series: dict[str, pd.Series] = {}
    if "tsinghua_2020" in wanted:
        series["Tsinghua 2020"] = data.tsinghua_provinces().set_index("unit_id")["score"]
    if "cpsc_2019" in wanted:
        series["中央党校 2019"] = data.cpsc_2019().set_index("unit_id")["overall_index"]
    if "cstc_2019" in wanted:
        g = data.cstc_grades("province").set_index("unit_id")["grade"]
        series["CSTC 2019 (grade)"] = g.map({"卓越": 5, "优秀": 4, "良好": 3, "发展": 2, "起步": 1}).astype(float)
    if "ccid_2020_top5" in wanted:
        top = data.load("ccid_2020_top5").groupby("province")["total"].first()
        from dgkit.units import resolver

        top.index = resolver("province").resolve_many(top.index)
        out["ccid_top5"] = top
    if len(series) >= 2:
        rc = concordance.rank_concordance(series)
        ch.table(rc.table, "concordance", ch.t("指数之间的秩相关 (共同单位)", "Rank agreement between indices (shared units)"), "data/published", decimals=3)
        ch.figure(figures.heatmap(rc.extra["spearman"], ch.lang, ch.t("Spearman 秩相关", "Spearman rank correlation")), "concordance_heatmap")
        ch.fact("min_spearman", rc.facts["min_spearman"], rc.sentence, "data/published")
        cont = {k: v for k, v in series.items() if "grade" not in k}
        if len(cont) >= 2:
            w = concordance.kendalls_w(pd.DataFrame(cont))
            ch.fact("kendalls_w", w.facts["W"], w.sentence, "data/published")
        if "CSTC 2019 (grade)" in series and "Tsinghua 2020" in series:
            ts = tiers.fixed_tiers(series["Tsinghua 2020"], [70, 65, 60, 50], TIER_ORDER).map(dict(zip(TIER_ORDER, ["优秀", "优秀", "良好", "发展", "起步"])))
            g = data.cstc_grades("province").set_index("unit_id")["grade"]
            k = concordance.weighted_kappa(ts, g, ["卓越", "优秀", "良好", "发展", "起步"])
            ch.fact("kappa_tsinghua_cstc", k.facts["kappa"], "Tsinghua 2020 tiers (mapped 引领/优质→优秀, 特色→良好, 发展→发展, 追赶→起步) vs CSTC 2019 grades: " + k.sentence,
                    "data/published; the mapping is dgkit's")
            ch.table(k.table.reset_index(names="tsinghua_mapped"), "kappa_table", ch.t("清华梯度 (映射) × 软评档次", "Tsinghua tiers (mapped) × CSTC grades"), "data/published")
        if "ccid_top5" in out and "Tsinghua 2020" in series:
            tp = out["ccid_top5"]
            comp = pd.DataFrame({"CCID 2020 total": tp, "Tsinghua 2020": series["Tsinghua 2020"].reindex(tp.index),
                                 "Tsinghua rank": tiers.rank_scores(series["Tsinghua 2020"], "min").reindex(tp.index)})
            comp.insert(0, "name", comp.index.map(ch.names))
            ch.table(comp.reset_index(names="unit_id"), "ccid_top5_vs_tsinghua", ch.t("赛迪 Top5 在清华指数中的位置", "CCID's top five in the Tsinghua index"), "data/published", decimals=1)
        out["concordance"] = rc
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
    mc = uncertainty.monte_carlo(b, year=y, n=n, seed=int(ch.params.get("seed", 0)))
    ch.table(mc.table.reset_index(names="unit_id").assign(name=lambda d: d["unit_id"].map(ch.names)), "rank_intervals",
             ch.mark(ch.t(f"蒙特卡洛排名区间 ({n} 次)", f"Monte Carlo rank intervals ({n} draws)"), ch.index_synthetic), "dgkit.uncertainty", decimals=2)
    ch.figure(figures.rank_intervals(mc.table, ch.names, ch.lang, ch.t("排名的不确定性", "Rank uncertainty"), ch.index_synthetic), "rank_intervals")
    ch.fact("mc_mean_interval_width", mc.facts["mean_interval_width"], ch.mark(mc.sentence, ch.index_synthetic), "dgkit.uncertainty")
    nb = int(ch.params.get("robustness.sobol_n", 256))
    so = uncertainty.sobol(b, year=y, n=min(nb, 64) if ch.quick else nb, seed=int(ch.params.get("seed", 0)))
    ch.table(so.table.reset_index(names="input"), "sobol", ch.mark(ch.t("Sobol 敏感性指数 (平均排名变化)", "Sobol sensitivity indices (mean absolute rank shift)"), ch.index_synthetic), "dgkit.uncertainty (SALib)", decimals=3)
    ch.figure(figures.bars(so.table["ST"], ch.lang, ch.t("总效应 Sobol 指数", "Total-order Sobol index"), "ST", so.table[["ST_low", "ST_high"]], ch.index_synthetic), "sobol")
    ch.fact("sobol_top", float(so.table["ST"].max()), ch.mark(so.sentence, ch.index_synthetic), "dgkit.uncertainty")
    loo = uncertainty.leave_one_out(b, year=y, level="pillar")
    ch.table(loo.table.reset_index(names="dropped"), "leave_one_pillar_out", ch.mark(ch.t("逐一剔除分项后的排名变化", "Rank shifts when a pillar is left out"), ch.index_synthetic), "dgkit.uncertainty", decimals=2)
    out.update(mc=mc, sobol=so, loo=loo)
    return out


# ------------------------------------------------------------------ 11 international
def international(ch: Chapter) -> dict[str, Any]:
    e = data.egdi()
    eds = ch.params.get("international.editions") or sorted(e["survey_year"].unique())
    focus = ch.params.get("international.focus", "China")
    e = e[e["survey_year"].isin(eds)]
    src = "UN E-Government Survey 2018-2024 (data/reference/un_egdi_2018_2024.csv)"
    f = e[e["country"] == focus][["survey_year", "egdi_rank", "egdi", "osi", "hci", "tii", "epart_index"]]
    ch.table(f, "focus", ch.t(f"{focus}: EGDI 及其构成", f"{focus}: EGDI and components"), src, decimals=4)
    last = f.iloc[-1]
    ch.fact("focus_rank", int(last["egdi_rank"]), f"{focus}: EGDI {last['egdi']:.4f}, rank {int(last['egdi_rank'])} of 193 in {int(last['survey_year'])}", src)
    comp = f.set_index("survey_year")[["osi", "hci", "tii"]]
    comp.columns = ["OSI", "HCI", "TII"]
    ch.figure(figures.radar(comp.rename(index=str), ch.lang, ch.t(f"{focus} 的三项构成", f"{focus}: the three components"), ylim=(0, 1)), "focus_radar")
    w = e.pivot(index="country", columns="survey_year", values="egdi")
    z = progress.zscores(w)
    ch.fact("focus_z", float(z.loc[focus].iloc[-1]), f"{focus}: Z-score {z.loc[focus].iloc[-1]:.2f} in {w.columns[-1]} (population SD, 193 countries)", src)
    if w.shape[1] >= 2:
        r = progress.advancement_rate(w)
        top = r.table[r.table["to"] == w.columns[-1]].sort_values("rate", ascending=False).head(10)
        ch.table(top, "top_advancers", ch.t("EGDI 推进率前十", "Top ten EGDI advancers"), src, decimals=3)
        ch.fact("top_advancer", float(top["rate"].iat[0]), r.sentence, src)
    reg = data.un_regions().set_index("country")
    rm = e.assign(region=e["country"].map(reg["region"])).groupby(["survey_year", "region"])["egdi"].agg(["count", "mean", "std"]).reset_index()
    ch.table(rm, "region_means", ch.t("各大洲 EGDI 均值", "EGDI mean by UN region"), src + "; regions: data/reference/un_country_regions.csv", decimals=4)
    fr = reg.loc[focus, "region"] if focus in reg.index else None
    if fr is not None:
        last_y = int(w.columns[-1])
        m = float(rm[(rm["survey_year"] == last_y) & (rm["region"] == fr)]["mean"].iat[0])
        ch.fact("focus_vs_region", float(w.loc[focus, last_y] - m),
                f"{focus} EGDI {w.loc[focus, last_y]:.4f} vs {fr} mean {m:.4f} in {last_y} ({w.loc[focus, last_y] - m:+.4f})", src)
    peers = ["China", "Republic of Korea", "Japan", "Singapore", "United States of America", "United Kingdom of Great Britain and Northern Ireland", "Denmark", "India", "Russian Federation", "Brazil"]
    pw = w.reindex([p for p in peers if p in w.index])
    ch.table(pw.reset_index(), "peers", ch.t("部分国家 EGDI", "EGDI of selected countries"), src, decimals=4)
    return {"focus": f, "z": z, "peers": pw, "region_means": rm}
