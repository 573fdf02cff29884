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
        if ind.type == "count":
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
        if ind.type == "count":
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
