"""Tsinghua CDG 2020's own city types as one grouping column (``;`` where a city is in two types).

Reads the tsinghua_* flags of data/reference/cities.csv (Tsinghua 2020 四(一): 副省级城市 includes
苏州 and not 西安 as the report groups them; 广州 etc. are both 副省级 and 省会) and writes
data/published/tsinghua_2020_city_types.csv. Run: python data/build/build_tsinghua_city_types.py
"""

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
c = pd.read_csv(ROOT / "data" / "reference" / "cities.csv", dtype=str)
c = c[c["in_tsinghua_2020"] == "1"]
types = {"tsinghua_fusheng": "副省级城市", "tsinghua_capital": "省会城市", "tsinghua_other": "其他大中城市"}
c["tsinghua_type"] = c.apply(lambda r: ";".join(v for k, v in types.items() if r[k] == "1"), axis=1)
c["source"] = "Tsinghua CDG 2020 四(一) city groups (flags in data/reference/cities.csv)"
out = ROOT / "data" / "published" / "tsinghua_2020_city_types.csv"
c[["city", "tsinghua_type", "source"]].to_csv(out, index=False, lineterminator="\n")
print(f"wrote {out} ({len(c)} cities)")
