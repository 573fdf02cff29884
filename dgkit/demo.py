"""Generate the SYNTHETIC CCID demo panel (34 indicators × 31 provinces × 2019-2023).

The seeds publish no raw indicator values, so the CCID pipeline needs demo data. This script makes
it from real drivers — log GDP and log GDP per capita (data/reference, NBS revised vintage) — with
a fixed seed, so that ``dgkit make-demo`` regenerates ``data/demo/ccid_demo_panel_synthetic.csv``
byte for byte. Everything that uses it is marked synthetic.

Model, per province i, year t and indicator j::

    latent_it   = 0.7·z(log GDP_it) + 0.3·z(log GDP per capita_it) + u_i        (u_i ~ N(0, 0.35))
    count_ijt   = exp(a_j + 1.1·latent_it + 0.08·(t - 2019) + e_ijt)              (e ~ N(0, 0.45))
    index_ijt   = clip(60 + 12·latent_it + 2·(t - 2019) + 8·e_ijt, 5, 100)       (e ~ N(0, 1))

Then about 1.5 % of cells are set missing (never a whole indicator-year) and one extreme outlier
is planted: 贵州's 数据中心数量 (INF02) ×25 in every year (Guizhou's data-centre cluster), which the
audit flags and the outlier treatment handles.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20200601
YEARS = (2019, 2020, 2021, 2022, 2023)
OUTLIER = ("520000", "INF02", 25.0)
MISSING_SHARE = 0.015


def make_demo_panel(seed: int = SEED) -> pd.DataFrame:
    """Build the synthetic panel (wide: unit_id, province, year, INF01 … DAT04)."""
    from dgkit import data
    from dgkit.framework import load_framework

    fw = load_framework("ccid_2020")
    inds = fw.indicators
    rng = np.random.default_rng(seed)
    prov = data.provinces(include_corps=False)[["unit_id", "name_short"]]
    g = data.gdp("revised")
    pop = data.population()
    drv = g.merge(pop[["unit_id", "year", "population"]], on=["unit_id", "year"])
    drv = drv[drv["year"].isin(YEARS)].copy()
    drv["log_gdp"] = np.log(drv["gdp"])
    drv["log_gdppc"] = np.log(drv["gdp"] / drv["population"])
    z = lambda s: (s - s.mean()) / s.std(ddof=0)  # noqa: E731
    drv["z1"] = drv.groupby("year")["log_gdp"].transform(z)
    drv["z2"] = drv.groupby("year")["log_gdppc"].transform(z)
    u = pd.Series(rng.normal(0, 0.35, len(prov)), index=prov["unit_id"].to_numpy())
    drv["latent"] = 0.7 * drv["z1"] + 0.3 * drv["z2"] + drv["unit_id"].map(u)
    drv = drv.merge(prov, on="unit_id").sort_values(["year", "unit_id"]).reset_index(drop=True)

    out = drv[["unit_id", "name_short", "year"]].rename(columns={"name_short": "province"}).copy()
    t = (drv["year"] - 2019).to_numpy()
    lat = drv["latent"].to_numpy()
    for ind in inds.itertuples():
        if getattr(ind, "type_by_name", ind.type) == "count":  # what the indicator counts (the CCID scoring type is count for all: data/frameworks/ccid_2020.yaml)
            a = rng.uniform(2.0, 7.0)
            e = rng.normal(0, 0.45, len(drv))
            v = np.exp(a + 1.1 * lat + 0.08 * t + e)
            v = np.round(v, 0)
        else:
            e = rng.normal(0, 1.0, len(drv))
            v = np.clip(60 + 12 * lat + 2 * t + 8 * e, 5, 100)
            v = np.round(v, 2)
        out[ind.code] = v
    uid, code, factor = OUTLIER
    mask = out["unit_id"] == uid
    out.loc[mask, code] = np.round(out.loc[mask, code] * factor, 0)
    codes = list(inds["code"])
    n = len(out) * len(codes)
    k = int(round(MISSING_SHARE * n))
    flat = rng.choice(n, size=k, replace=False)
    for f in sorted(flat):
        r, c = divmod(int(f), len(codes))
        if (out["unit_id"].iat[r], codes[c]) == (uid, code):
            continue
        out.iat[r, 3 + c] = np.nan
    for ind in inds.itertuples():
        if getattr(ind, "type_by_name", ind.type) == "count":  # what the indicator counts (the CCID scoring type is count for all: data/frameworks/ccid_2020.yaml)
            out[ind.code] = out[ind.code].round(0).astype("Int64")
    return out


def demo_path() -> Path:
    from dgkit import data

    return data.path("demo_panel")


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """Deterministic CSV serialisation used for the committed file."""
    return df.to_csv(index=False, lineterminator="\n", float_format="%.2f").encode("utf-8")


def write_demo_panel(out: str | Path | None = None, force: bool = False) -> Path:
    """Write the demo panel; refuses to overwrite an existing file unless ``force``."""
    from dgkit.errors import OutputExistsError
    from dgkit.report.files import atomic_write_bytes

    target = Path(out) if out else demo_path()
    if target.exists() and not force:
        raise OutputExistsError(f"{target} exists; pass --force to overwrite it")
    atomic_write_bytes(target, to_csv_bytes(make_demo_panel()))
    return target


# ---------------------------------------------------------------------- synthetic county panel
COUNTY_SEED = 20240101
COUNTY_YEARS = tuple(range(2017, 2024))
COUNTY_MEASURES = ("gov_service_online_rate", "data_open_items", "digital_staff_per_10k")


def make_county_panel(n_counties: int = 2850, years: tuple[int, ...] = COUNTY_YEARS, seed: int = COUNTY_SEED) -> pd.DataFrame:
    """SYNTHETIC county-level panel: ``n_counties`` × ``years``, long enough to test the county route.

    Units are the prefecture-level cities of ``data/reference/prefectures.csv`` (current ones) with
    ``n_counties`` county codes spread over them in turn: code = the city's first four digits + a
    two-digit serial (01 …), so every code is 6 digits with a real province prefix. Names are
    ``示例县NN`` — repeated across cities on purpose: only the code, or the name with its parent city,
    identifies a county. Values (drifting upwards over the years):

        gov_service_online_rate = clip(55 + 10·z_c + 3·(t − t0) + N(0, 4), 0, 100)     (percent)
        data_open_items         = round(exp(4 + 0.8·z_c + 0.1·(t − t0) + N(0, 0.5)))   (count)
        digital_staff_per_10k   = exp(1 + 0.5·z_c + N(0, 0.3))                          (rate)

    with z_c ~ N(0, 1) per county. About 1 % of cells are missing.
    """
    from dgkit import data

    rng = np.random.default_rng(seed)
    pref = data.load("prefectures")
    pref = pref[(pref["valid_until"] == "") & (pref["city_type"] != "直辖市")].reset_index(drop=True)
    if n_counties > 99 * len(pref):
        raise ValueError(f"at most {99 * len(pref)} synthetic counties")
    serial = np.arange(n_counties) // len(pref) + 1
    city = pref.iloc[np.arange(n_counties) % len(pref)].reset_index(drop=True)
    codes = city["unit_id"].str[:4] + pd.Series(serial).map("{:02d}".format)
    z = rng.normal(size=n_counties)
    rows = []
    t0 = years[0]
    for t in years:
        online = np.clip(55 + 10 * z + 3 * (t - t0) + rng.normal(0, 4, n_counties), 0, 100).round(2)
        items = np.round(np.exp(4 + 0.8 * z + 0.1 * (t - t0) + rng.normal(0, 0.5, n_counties)))
        staff = np.exp(1 + 0.5 * z + rng.normal(0, 0.3, n_counties)).round(3)
        rows.append(pd.DataFrame({
            "county_code": codes, "county_name": [f"示例县{s:02d}" for s in serial], "city_code": city["unit_id"],
            "city": city["name_short"], "year": t, COUNTY_MEASURES[0]: online, COUNTY_MEASURES[1]: items,
            COUNTY_MEASURES[2]: staff}))
    df = pd.concat(rows, ignore_index=True)
    vals = df[list(COUNTY_MEASURES)].to_numpy(dtype=float, copy=True)
    vals[rng.random(vals.shape) < 0.01] = np.nan
    df[list(COUNTY_MEASURES)] = vals
    return df


COUNTY_YAML = """\
name: county_demo_synthetic
title: 县级数字政府示例面板 (合成数据 SYNTHETIC)
citation: "dgkit synthetic county panel, generated by dgkit.demo.make_county_panel (seed {seed}). Not real data."
file: {file}
format: wide
units: {{level: county, column: county_code, name: county_name, parent: city_code}}
period: year
headline: {headline}
measures: [{measures}]
synthetic: true
"""


def write_county_panel(out_dir: str | Path, n_counties: int = 2850, force: bool = False) -> Path:
    """Write the synthetic county panel (CSV) and its dataset YAML into ``out_dir``; return the YAML."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv, yml = out / "county_demo_synthetic.csv", out / "county_demo_synthetic.yaml"
    for p in (csv, yml):
        if p.exists() and not force:
            from dgkit.errors import InputError

            raise InputError("file exists (use --force to replace it)", file=str(p))
    df = make_county_panel(n_counties)
    csv.write_bytes(df.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    yml.write_text(COUNTY_YAML.format(seed=COUNTY_SEED, file=csv.name, headline=COUNTY_MEASURES[0], measures=", ".join(COUNTY_MEASURES)),
                   encoding="utf-8")
    return yml
