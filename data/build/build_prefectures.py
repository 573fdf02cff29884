"""Build data/reference/prefectures.csv: every prefecture-level unit of mainland China, reproducibly.

    python data/build/build_prefectures.py            # writes data/reference/prefectures.csv
    python data/build/build_prefectures.py --check    # rebuilds in memory, compares, exit 1 on a difference

Sources (downloaded with ``pip``; nothing is installed into the project's environment):

* ``cpca==0.5.5`` (MIT) ships ``resources/adcodes.csv``: GB/T 2260 codes (12 digits), names and
  centroid coordinates of provinces, prefectures and counties (the 2020 division list).
* ``pypinyin==0.55.0`` gives the pinyin of names that ``data/reference/cities.csv`` has no English
  name for (its 101 cities keep their English names).

Rows: codes ``PP CC 00`` with CC ≠ 00 are prefecture-level units (地级市, 地区, 自治州, 盟), except the
placeholders 市辖区 / 县 / 省直辖县级行政区划; the four municipalities (北京, 天津, 上海, 重庆) are
added as city-level units under their own codes (``110000`` …), as Chinese city rankings list them.

``city_type``: 直辖市, 副省级 (the 15 State Council 副省级城市), 省会 (the other 省会/首府), 地级市,
地区, 自治州, 盟. A 副省级 city that is also a 省会 keeps both flags (``fusheng``, ``capital``).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

CPCA = "cpca==0.5.5"
PYPINYIN = "pypinyin==0.55.0"
DATA = Path(__file__).resolve().parents[1]
OUT = DATA / "reference" / "prefectures.csv"
SOURCE = ("codes, names, coordinates: PyPI cpca 0.5.5 resources/adcodes.csv (GB/T 2260); types: State Council "
          "designations as in data/reference/cities.csv; English: cities.csv, else pypinyin 0.55.0; 那曲市 (540600) added, see valid_until")
SKIP = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
ETHNIC = ("藏族", "羌族", "土家族", "朝鲜族", "蒙古", "哈萨克", "回族", "白族", "傣族", "傈僳族", "彝族", "壮族",
          "布依族", "苗族", "哈尼族", "柯尔克孜", "侗族", "景颇族")
COLUMNS = ["unit_id", "name_full", "name_short", "name_en", "province_id", "province", "city_type", "fusheng",
           "capital", "lon", "lat", "valid_until", "successor", "source"]
# Prefecture-level changes after cpca's division list (State Council approvals published by 民政部).
# code: (valid until, successor code, new unit (code, name) or None, source)
CHANGES = {
    "542400": ("2017", "540600", ("540600", "那曲市"),
               "民政部 行政区划变更: 那曲地区 became the prefecture-level city 那曲市 (State Council approval, 2017)"),
    "371200": ("2019", "370100", None,
               "民政部 行政区划变更: 莱芜市 merged into 济南市 (State Council approval, January 2019)"),
}


def short_name(full: str) -> tuple[str, str]:
    """(short name, kind): 石家庄市 → (石家庄, 地级市); 大理白族自治州 → (大理, 自治州)."""
    if full.endswith("自治州"):
        cut = min((full.index(e) for e in ETHNIC if e in full), default=len(full) - 3)
        return full[:cut], "自治州"
    for suffix, kind in (("地区", "地区"), ("盟", "盟"), ("市", "地级市")):
        if full.endswith(suffix) and len(full) > len(suffix) + 1:
            return full[: -len(suffix)], kind
    return full, "地级市"


def build(tmp: Path) -> list[dict[str, str]]:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(tmp), CPCA], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(tmp / "lib"), PYPINYIN],
                   check=True)
    sys.path.insert(0, str(tmp / "lib"))
    from pypinyin import lazy_pinyin  # noqa: PLC0415

    with zipfile.ZipFile(next(tmp.glob("cpca-*.whl"))) as z:
        codes = list(csv.DictReader(io.StringIO(z.read("cpca/resources/adcodes.csv").decode("utf-8"))))
    with open(DATA / "reference" / "provinces.csv", encoding="utf-8") as fh:
        provinces = {r["adcode"]: r for r in csv.DictReader(fh) if r["adcode"]}
    with open(DATA / "reference" / "cities.csv", encoding="utf-8") as fh:
        known = {r["adcode"]: r for r in csv.DictReader(fh)}
    coords = {c["adcode"][:6]: (c["longitude"], c["latitude"]) for c in codes}
    rows = []
    for c in codes:
        code = c["adcode"][:6]
        if c["adcode"][6:] != "000000" or code[2:4] == "00" or code[4:] != "00" or c["name"] in SKIP:
            continue
        short, kind = short_name(c["name"])
        rows.append((code, c["name"], short, kind))
    for old, (_, _, new, _) in CHANGES.items():
        if new:
            rows.append((new[0], new[1], *short_name(new[1])))
            coords.setdefault(new[0], coords.get(old, ("", "")))
    for code, p in provinces.items():
        if p["name_full"].endswith("市"):  # the four municipalities
            rows.append((code, p["name_full"], p["name_short"], "直辖市"))
    out = []
    for code, full, short, kind in sorted(rows):
        k = known.get(code, {})
        fusheng = k.get("official_fusheng") == "1"
        capital = k.get("official_capital") == "1"
        ctype = kind if kind == "直辖市" else "副省级" if fusheng else "省会" if capital else kind
        if k.get("name_en"):
            en = k["name_en"].split(" (")[0]
        else:
            en = "".join(lazy_pinyin(short)).capitalize()
            en += {"自治州": " Prefecture", "地区": " Prefecture", "盟": " League"}.get(kind, "")
        prov = provinces[code[:2] + "0000"]
        lon, lat = coords.get(code, ("", ""))
        until, successor, _, why = CHANGES.get(code, ("", "", None, ""))
        out.append({"unit_id": code, "name_full": full, "name_short": short, "name_en": en,
                    "province_id": prov["adcode"], "province": prov["name_short"], "city_type": ctype,
                    "fusheng": int(fusheng), "capital": int(capital or kind == "直辖市"), "lon": lon, "lat": lat,
                    "valid_until": until, "successor": successor, "source": SOURCE + (f"; {why}" if why else "")})
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    from _build import run

    raise SystemExit(run(__doc__.splitlines()[0], build, COLUMNS, OUT))
