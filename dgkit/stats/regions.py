"""Regional structure (CCID 2020 第2章 03, 第3章): totals, shares of the national total, means and
counts at or above the national mean, per group. 热点地区 overlap (北京 is in 环渤海 and 京津冀), so
their shares do not add to 100 %; 常规地区 and 四大地带 partition the 31 provinces.
"""

from __future__ import annotations

import pandas as pd

from dgkit.stats.result import StatResult

GROUPINGS = {"常规地区": "ccid_region", "四大地带": "ccid_belt", "热点地区": "ccid_hotspots"}
# English display names (lang: en)
REGION_EN = {"常规地区": "conventional regions", "四大地带": "four belts", "热点地区": "hotspot regions",
             "华北": "North China", "东北": "Northeast", "华东": "East China", "中南": "Central-South", "西南": "Southwest", "西北": "Northwest",
             "东部": "East", "中部": "Centre", "西部": "West",
             "长江三角洲": "Yangtze River Delta", "环渤海": "Bohai Rim", "泛珠三角": "Pan-Pearl River Delta", "京津冀": "Beijing-Tianjin-Hebei",
             "副省级城市": "sub-provincial cities", "省会城市": "provincial capitals", "其他大中城市": "other large and medium cities"}


def region_label(name: object, lang: str = "zh") -> object:
    return REGION_EN.get(name, name) if lang == "en" and isinstance(name, str) else name


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
    national_total, national_mean = float(s.sum()), float(s.mean())
    rows = []
    for g, sub in m.groupby("group", sort=False):
        v = s.reindex(sub["unit_id"]).dropna()
        rows.append({"grouping": grouping, "group": g, "n": len(v), "total": float(v.sum()),
                     "share_pct": 100 * float(v.sum()) / national_total, "mean": float(v.mean()),
                     "sd": float(v.std(ddof=0)), "n_at_or_above_national_mean": int((v >= national_mean).sum())})
    t = pd.DataFrame(rows)
    if order:
        t = t.set_index("group").reindex(order).reset_index()
    t = t.sort_values("total", ascending=False) if not order else t
    top = t.iloc[0]
    overlap = bool(m["unit_id"].duplicated().any())
    ungrouped = int((~s.index.isin(m["unit_id"])).sum())
    s_ = (f"{grouping}: {top['group']} leads with a total of {top['total']:.1f} ({top['share_pct']:.1f}% of the national total {national_total:.1f})"
          + ("; groups overlap, so shares do not add to 100%" if overlap else "")
          + (f"; {ungrouped} unit(s) have no group" if ungrouped else ""))
    return StatResult(t, s_, {"national_total": national_total, "national_mean": national_mean})


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
    tab = pd.DataFrame(rows)
    top = tab.sort_values("share_pct", ascending=False).iloc[0]
    return StatResult(tab, f"largest tier share: {top['tier']} among {top['group']}, {top['share_pct']:.1f}% ({top['n']}/{top['group_size']})")
