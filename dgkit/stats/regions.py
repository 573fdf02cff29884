"""Regional structure (CCID 2020 第2章 03, 第3章): totals, shares of the national total, means and
counts at or above the national mean, per group. 热点地区 overlap (北京 is in 环渤海 and 京津冀), so
their shares do not add to 100 %; 常规地区 and 四大地带 partition the 31 provinces.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dgkit.errors import AnalysisError
from dgkit.stats.result import StatResult, mean_sd, require_finite, skippable, unit_names

GROUPINGS = {"常规地区": "ccid_region", "四大地带": "ccid_belt", "热点地区": "ccid_hotspots"}


def region_label(name: object, lang: str = "zh") -> object:
    """A grouping or group name in ``lang`` from the labels catalogue (``groups.<name>``), else as it is."""
    if not isinstance(name, str):
        return name
    from dgkit.report.labels import Labels

    t = Labels(lang)
    return t(f"groups.{name}") if t.has(f"groups.{name}") else name


def membership(grouping: str) -> pd.DataFrame:
    """Long table unit_id → group for a CCID grouping (常规地区, 四大地带, 热点地区)."""
    from dgkit import data

    if grouping in ("热点地区", "ccid_hotspots"):
        return data.province_hotspots().rename(columns={"hotspot": "group"})[["unit_id", "group"]]
    col = GROUPINGS.get(grouping, grouping)
    p = data.provinces(include_corps=False)
    return p[["unit_id", col]].rename(columns={col: "group"})


def regional_structure(scores: pd.Series, grouping: str = "常规地区", members: pd.DataFrame | None = None,
                       order: list[str] | None = None, lang: str = "zh") -> StatResult:
    """Per group: n, total, share of the national total (%), mean, SD, n at/above the national mean."""
    m = members if members is not None else membership(grouping)
    if lang == "en":
        m = m.assign(group=m["group"].map(lambda g: region_label(g, "en")))
        grouping = str(region_label(grouping, "en"))
    s = scores.dropna()
    if s.empty:
        raise AnalysisError(f"{grouping}: no unit has a score", expected="one or more units with a score")
    require_finite(s, f"the regional structure by {grouping}")
    covered = s.index.isin(m["unit_id"])
    if not covered.any():
        raise AnalysisError(f"grouping {grouping} covers none of the {len(s)} scored units ({unit_names(s.index)})",
                            expected="a membership table whose unit_id column holds the scores' unit ids (its first ids: "
                            + (", ".join(map(str, m["unit_id"].head(3))) or "none") + ")")
    national_total, national_mean = float(s.sum()), mean_sd(s)[0]
    if not np.isfinite(national_total):
        raise AnalysisError(f"{grouping}: the national total of {len(s)} scores overflows (values near {s.abs().max():.3g})",
                            expected="scores whose sum is below 1.8e308 (rescale the index)")
    shares = national_total > 0 and bool((s >= 0).all())  # a share of a total is defined for non-negative scores with a positive total
    rows = []
    for g, sub in m.groupby("group", sort=False):
        v = s.reindex(sub["unit_id"]).dropna()
        rows.append({"grouping": grouping, "group": g, "n": len(v), "total": float(v.sum()),
                     "share_pct": 100 * float(v.sum()) / national_total if shares else float("nan"),
                     "mean": float(v.mean()) if len(v) else float("nan"),
                     "sd": float(v.std(ddof=0)) if len(v) else float("nan"), "n_at_or_above_national_mean": int((v >= national_mean).sum())})
    t = pd.DataFrame(rows)
    if order:
        t = t.set_index("group").reindex(order).reset_index()
    t = t.sort_values("total", ascending=False) if not order else t
    top = t.iloc[0]
    overlap = bool(m["unit_id"].duplicated().any())
    ungrouped = int((~s.index.isin(m["unit_id"])).sum())
    share = (f"{top['share_pct']:.1f}% of the national total {national_total:.1f}" if shares else
             f"no share of the national total {national_total:.1f}: shares need non-negative scores with a positive total")
    s_ = (f"{grouping}: {top['group']} leads with a total of {top['total']:.1f} ({share})"
          + ("; groups overlap, so shares do not add to 100%" if overlap else "")
          + (f"; {ungrouped} unit(s) have no group" if ungrouped else ""))
    return StatResult(t, s_, {"national_total": national_total, "national_mean": national_mean, "shares_defined": shares})


CITY_TYPES = {"副省级城市": "fusheng", "省会城市": "capital", "其他大中城市": "other"}


def city_types(grouping: str = "tsinghua") -> pd.DataFrame:
    """Long table city → type (副省级城市, 省会城市, 其他大中城市); a city can be in two types (广州 is both
    副省级 and 省会). ``grouping="tsinghua"`` uses Tsinghua 2020's own groups (its 副省级 group holds 苏州
    and not 西安), ``"official"`` the State Council designations."""
    from dgkit import data

    c = data.cities()
    rows = []
    for label, key in CITY_TYPES.items():
        if key == "other":
            col = c["tsinghua_other"] if grouping == "tsinghua" else ((c["official_fusheng"] == 0) & (c["official_capital"] == 0)).astype(int)
        else:
            col = c[f"{grouping}_{key}"]
        rows += [{"unit_id": city, "group": label} for city in c.loc[col == 1, "city"]]
    return pd.DataFrame(rows)


def tier_shares(tiers: pd.Series, members: pd.DataFrame, order: list[str] | None = None) -> StatResult:
    """Share of each tier within each group (Tsinghua 表4-3 text): group, tier, n, share_pct."""
    rows = []
    for g, sub in members.groupby("group", sort=False):
        t = tiers.reindex(sub["unit_id"]).dropna()
        cats = order or sorted(t.unique())
        for tier in cats:
            n = int((t == tier).sum())
            rows.append({"group": g, "tier": tier, "n": n, "group_size": len(t), "share_pct": 100 * n / len(t) if len(t) else float("nan")})
    tab = pd.DataFrame(rows, columns=["group", "tier", "n", "group_size", "share_pct"])
    if not (tab["group_size"] > 0).any():
        raise AnalysisError(f"tier shares: none of the {len(tiers.dropna())} units with a tier is in a group of the membership table",
                            expected="a membership table (unit_id, group) for the tiered units")
    top = tab.sort_values("share_pct", ascending=False).iloc[0]
    return StatResult(tab, f"largest tier share: {top['tier']} among {top['group']}, {top['share_pct']:.1f}% ({top['n']}/{top['group_size']})")


def _long(grouping: pd.Series) -> pd.DataFrame:
    """unit → group Series (multi-membership ``;``-separated) as a long table unit_id, group."""
    m = grouping.dropna().astype(str).str.split(";").explode().str.strip()
    m = m[m != ""]
    return pd.DataFrame({"unit_id": m.index.to_numpy(), "group": m.to_numpy()})


@skippable
def summarise(scores: pd.Series, groupings: dict[str, pd.Series]) -> StatResult:
    """:func:`regional_structure` for every grouping (name → unit→group Series) in one table:
    grouping, group, n, total, share of the national total (%), mean, SD (population), n at or
    above the national mean. Groups overlap where a unit has several (``;``); their shares then
    do not add to 100 %."""
    s = scores.dropna()
    tables, leads = [], []
    for name, g in groupings.items():
        m = _long(g.reindex(s.index))
        if m["group"].nunique() < 1:
            continue
        r = regional_structure(s, str(name), members=m)
        tables.append(r.table)
        leads.append(r.table.iloc[0])
    t = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    lead = leads[0] if leads else None
    facts = {"n": len(s), "groupings": len(tables), "national_total": float(s.sum()), "national_mean": float(s.mean())}
    if lead is not None:
        shares = bool(np.isfinite(lead["share_pct"]))
        facts.update(grouping=lead["grouping"], lead=lead["group"], lead_share=float(lead["share_pct"]), lead_n=int(lead["n"]),
                     lead_mean=float(lead["mean"]), lead_share_text="@lead_share" if shares else ("@lead_share_undefined" if (s < 0).any() else "@lead_share_zero_total"),
                     n_negative=int((s < 0).sum()))
    sentence = ((f"{lead['grouping']}: {lead['group']} leads with {lead['share_pct']:.1f}% of the national total (n = {len(s)})" if shares else
                 f"{lead['grouping']}: {lead['group']} has the largest total; no shares of the national total, as "
                 + (f"{int((s < 0).sum())} unit(s) score below zero" if (s < 0).any() else "the total is 0") + f" (n = {len(s)})") if lead is not None
                else "no grouping with two or more groups")
    return StatResult(t, sentence, facts)


@skippable
def theil_by(scores: pd.Series, partitions: dict[str, pd.Series]) -> StatResult:
    """Theil T decomposed into between- and within-group parts for every partition (see
    :func:`dgkit.stats.dispersion.theil_decomposition`); one row per partition."""
    from dgkit.stats.dispersion import theil_decomposition

    rows = []
    from dgkit.stats.result import Missing

    undefined = None
    for name, g in partitions.items():
        g = g.reindex(scores.index).replace("", pd.NA).dropna()
        if g.nunique() < 2:
            continue
        th = theil_decomposition(scores.reindex(g.index), g)
        if isinstance(th, Missing):
            undefined = th
            continue
        rows.append({"grouping": name, "n": int(th.facts["n"]), "groups": int(g.nunique()), "theil": th.facts["theil"],
                     "between": th.facts["between"], "within": th.facts["within"], "between_share": th.facts["between_share"]})
    t = pd.DataFrame(rows, columns=["grouping", "n", "groups", "theil", "between", "within", "between_share"])
    if t.empty:
        return undefined if undefined is not None else Missing.undefined("too_few_groups", "no partition with two or more groups", n=0)
    top = t.sort_values("between_share", ascending=False).iloc[0]
    facts = {"grouping": top["grouping"], "between_share_pct": 100 * float(top["between_share"]), "theil": float(top["theil"]),
             "n": int(top["n"]), "groups": int(top["groups"])}
    return StatResult(t, f"Theil T = {top['theil']:.4f}; between {top['grouping']} groups {top['between_share']:.0%} (n = {int(top['n'])})", facts)


@skippable
def stack_tables(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Several published tables (title → table) stacked with a ``source`` column."""
    return pd.concat([t.assign(source=k) for k, t in tables.items()], ignore_index=True)


@skippable
def type_tier_shares(city_types: tuple, lang: str = "zh") -> StatResult:
    """Tier shares within each unit type (Tsinghua 2020 表4-3) from published tiers, beside the
    shares the report prints where it prints them (``share_printed_pct``)."""
    from dgkit.stats.result import Missing
    from dgkit.tiers import TSINGHUA_LABELS, label

    tiers_, members, printed = city_types
    order = [t for t in TSINGHUA_LABELS if t in set(tiers_)] or sorted(tiers_.unique())
    r = tier_shares(tiers_, members, order)
    t = r.table
    if not isinstance(printed, Missing) and printed is not None:
        pr = printed.rename(columns={"city_type": "group"})[["group", "tier", "share_printed_pct"]]
        pr = pr.assign(share_printed_pct=pd.to_numeric(pr["share_printed_pct"], errors="coerce"))
        t = t.merge(pr, on=["group", "tier"], how="left")
        t["difference"] = t["share_printed_pct"] - t["share_pct"]
    bad = t[t["difference"].abs() > 0.05] if "difference" in t else t.iloc[:0]
    t = t.assign(group=t["group"].map(lambda g: region_label(g, lang)), tier=t["tier"].map(lambda x: label(x, lang)))
    top = t.sort_values("share_pct", ascending=False).iloc[0]
    facts = {"n": int(tiers_.index.isin(members["unit_id"]).sum()), "types": int(members["group"].nunique()),
             "top_type": top["group"], "top_tier": top["tier"], "top_share": float(top["share_pct"]),
             "n_printed_differ": len(bad),
             "printed_differ": "; ".join(f"{region_label(r.group, lang)} {label(r.tier, lang)} {r.share_printed_pct}% / {r.share_pct:.1f}%" for r in bad.itertuples()) or "—"}
    matrix = t.pivot_table(index="group", columns="tier", values="share_pct", sort=False).reindex(columns=[label(x, lang) for x in order])
    return StatResult(t, r.sentence, facts, {"matrix": matrix})  # matrix: city type × tier, share in %
