"""Build data/reference/countries.csv from two PyPI packages (pinned), reproducibly.

    python data/build/build_countries.py            # writes data/reference/countries.csv
    python data/build/build_countries.py --check    # rebuilds in memory, compares, exit 1 on a difference

Sources (both downloaded as wheels with ``pip download``; nothing is imported or installed):

* ``hdx-python-country==4.2.5`` ships OCHA's *Countries & Territories Taxonomy MVP* (256 rows):
  ISO 3166-1 alpha-2/alpha-3 (and OCHA's ``x`` codes such as XKX for Kosovo and CHI for the
  Channel Islands), M49 codes, UN names in the six UN languages (Chinese included), UN M49
  region / sub-region / intermediate region, and the World Bank income level.
* ``pycountry==26.2.16`` ships the Debian iso-codes database with its translations: ISO names,
  official and common names, and the zh_CN name where OCHA gives no Chinese name (e.g. Taiwan).

Kept: every row with an ISO3 or ``x`` alpha-3 code that is not deprecated. The World Bank *region*
(East Asia & Pacific …) is in neither package and no registry package carries it: the column
``wb_region`` is therefore not provided (see data/README.md).
"""

from __future__ import annotations

import csv
import gettext
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

HDX = "hdx-python-country==4.2.5"
PYCOUNTRY = "pycountry==26.2.16"
OUT = Path(__file__).resolve().parents[1] / "reference" / "countries.csv"
TAXONOMY = "hdx/location/Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"
SOURCE = ("OCHA Countries & Territories Taxonomy MVP, as shipped in PyPI hdx-python-country 4.2.5 "
          "(codes, UN names incl. Chinese, UN M49 regions, World Bank income level); "
          "ISO 3166-1 names and zh_CN translations from PyPI pycountry 26.2.16 (Debian iso-codes)")
INCOME = {"High": "High income", "Upper middle": "Upper middle income",
          "Lower middle": "Lower middle income", "Low": "Low income", "": ""}
COLUMNS = ["iso3", "iso2", "m49", "name_en", "name_zh", "name_short_en", "name_formal_en",
           "aliases", "independent", "un_region", "un_sub_region", "un_intermediate_region",
           "wb_income_group", "source"]


def _wheels(tmp: Path) -> tuple[Path, Path]:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(tmp), HDX, PYCOUNTRY],
                   check=True)
    hdx = next(tmp.glob("hdx_python_country-*.whl"))
    pyc = next(tmp.glob("pycountry-*.whl"))
    return hdx, pyc


def build(tmp: Path) -> list[dict[str, str]]:
    hdx, pyc = _wheels(tmp)
    with zipfile.ZipFile(hdx) as z:
        tax = list(csv.DictReader(io.StringIO(z.read(TAXONOMY).decode("utf-8"))))
    with zipfile.ZipFile(pyc) as z:
        iso = {c["alpha_3"]: c for c in json.loads(z.read("pycountry/databases/iso3166-1.json"))["3166-1"]}
        zh = gettext.GNUTranslations(io.BytesIO(z.read("pycountry/locales/zh_CN/LC_MESSAGES/iso3166-1.mo")))
    rows = []
    for r in tax:
        code = r["ISO 3166-1 Alpha 3-Codes"] or r["x Alpha3 codes"]
        if not code or r["Deprecated"] == "Y":
            continue
        p = iso.get(code, {})
        name_en = r["M49 English"] or r["Preferred Term"]
        zh_name = r["M49 Chinese"] or r["Chinese Short"]
        if not zh_name and p.get("name"):
            t = zh.gettext(p["name"])
            zh_name = t if t != p["name"] else ""
        zh_iso = [zh.gettext(p[k]) for k in ("name", "official_name", "common_name") if p.get(k)]
        zh_iso = [t for t in zh_iso if t not in (p.get("name"), p.get("official_name"), p.get("common_name"))]
        aliases = [*zh_iso, r["Preferred Term"], r["ISO Alt Term"], r["DGACM Alt Term"], r["HPC Tools Alt Term"],
                   r["RW Short Name"], r["RW API Alt Term"], r["English Short"], r["English Formal"],
                   r["Chinese Short"], p.get("name", ""), p.get("official_name", ""), p.get("common_name", "")]
        seen: list[str] = []
        for a in aliases:
            a = a.strip()
            if a and a not in seen and a not in (name_en, zh_name):
                seen.append(a)
        rows.append({
            "iso3": code, "iso2": r["ISO 3166-1 Alpha 2-Codes"] or p.get("alpha_2", ""),
            "m49": r["m49 numerical code"], "name_en": name_en, "name_zh": zh_name,
            "name_short_en": r["English Short"] or name_en, "name_formal_en": r["English Formal"],
            "aliases": ";".join(seen), "independent": r["Independent"],
            "un_region": r["Region Name"], "un_sub_region": r["Sub-region Name"],
            "un_intermediate_region": r["Intermediate Region Name"],
            "wb_income_group": INCOME[r["World Bank Income Level"]], "source": SOURCE,
        })
    rows.sort(key=lambda x: x["iso3"])
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    from _build import run

    raise SystemExit(run(__doc__.splitlines()[0], build, COLUMNS, OUT))
