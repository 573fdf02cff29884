"""One name resolver for provinces, cities and countries.

``广东``, ``广东省``, ``Guangdong``, ``guǎngdōng``, ``440000`` and ``４４００００`` all resolve to the
unit id ``"440000"``. Input is NFKC-normalised (full-width letters and digits become ASCII),
white space (also the ideographic space) is removed and Latin text is compared case- and
tone-insensitively. An unknown or ambiguous name raises an error listing the closest names.

Unit ids: the GB/T 2260 code for provinces and cities (``"440000"``, ``"440300"``), ``"XJBT"``
for 新疆生产建设兵团 (no GB/T 2260 code), and the UN English name for countries.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from dgkit.errors import AmbiguousUnitError, UnknownUnitError

LEVELS = ("province", "city", "country")

# Spellings seen in the wild that are not in the reference tables.
_EXTRA_ALIASES: dict[str, list[str]] = {
    "150000": ["Nei Mongol", "Neimenggu", "内蒙"],
    "540000": ["Xizang", "Tibet Autonomous Region"],
    "450000": ["Guangxi Zhuang Autonomous Region", "广西自治区"],
    "640000": ["Ningxia Hui Autonomous Region", "宁夏自治区"],
    "650000": ["Xinjiang Uygur Autonomous Region", "Xinjiang Uyghur", "新疆自治区"],
    "XJBT": ["兵团", "新疆兵团", "新疆建设兵团", "XPCC", "Bingtuan"],
    "532900": ["大理州", "大理市"],
}


def normalise_name(text: object, keep_tones: bool = False) -> str:
    """Canonical form used for matching: NFKC, no spaces, lower case, no tone marks."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    s = "".join(ch for ch in s if not ch.isspace())
    if keep_tones:
        return s.casefold().replace("'", "").replace("’", "")
    decomposed = unicodedata.normalize("NFD", s)
    s = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", s).casefold().replace("'", "").replace("’", "")


@dataclass
class UnitResolver:
    """Resolve free-text unit names to unit ids at one level (province, city or country)."""

    level: str = "province"
    _index: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)
    _display: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, got {self.level!r}")
        for unit_id, display, aliases in _alias_rows(self.level):
            self._display[unit_id] = display
            for prio, a in aliases:
                if a is None or (isinstance(a, float) and pd.isna(a)) or str(a) == "":
                    continue
                slot = self._index.setdefault(normalise_name(a), {})
                slot[unit_id] = min(prio, slot.get(unit_id, prio))
                toned = normalise_name(a, keep_tones=True)
                if toned != normalise_name(a):  # "Shǎnxī" itself names 陕西
                    self._index.setdefault(toned, {})[unit_id] = 0

    def _hits(self, key: str) -> set[str]:
        """Units matching ``key``; a name or code beats a tone-less pinyin spelling
        (``Shanxi`` is 山西, ``Shaanxi`` 陕西, although both are ``shanxi`` without tones)."""
        slot = self._index.get(key)
        if not slot:
            return set()
        best = min(slot.values())
        return {u for u, p in slot.items() if p == best}

    @property
    def unit_ids(self) -> list[str]:
        return list(self._display)

    def display_name(self, unit_id: str) -> str:
        return self._display[unit_id]

    def closest(self, name: object, n: int = 3) -> list[str]:
        key = normalise_name(name)
        keys = difflib.get_close_matches(key, list(self._index), n=n * 3, cutoff=0.4)
        out: list[str] = []
        for k in keys:
            for uid in sorted(self._hits(k)):
                d = self._display[uid]
                if d not in out:
                    out.append(d)
        return out[:n]

    def resolve(
        self,
        name: object,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> str:
        """Return the unit id of ``name`` or raise UnknownUnitError / AmbiguousUnitError."""
        if name is None or (isinstance(name, float) and pd.isna(name)) or str(name).strip() == "":
            raise UnknownUnitError(
                f"empty {self.level} name", file=file, row=row, column=column,
                expected=f"a {self.level} name or code",
            )
        hits = self._hits(normalise_name(name, keep_tones=True)) or self._hits(normalise_name(name))
        if not hits:
            raise UnknownUnitError(
                f"unknown {self.level} name", file=file, row=row, column=column,
                expected=f"a known {self.level} (中文名, English name, pinyin or code)",
                got=str(name), suggestion=self.closest(name) or None,
            )
        if len(hits) > 1:
            names = sorted(self._display[h] for h in hits)
            raise AmbiguousUnitError(
                f"ambiguous {self.level} name: it matches {len(hits)} units", file=file, row=row,
                column=column, expected="a name that identifies one unit (add the province, or use the full name or code)",
                got=str(name), suggestion=names,
            )
        return next(iter(hits))

    def resolve_many(
        self, values: Iterable[object], *, file: str | None = None, column: str | None = None,
        first_row: int = 2,
    ) -> list[str]:
        """Resolve a column; the error names the spreadsheet row (header = row 1)."""
        return [
            self.resolve(v, file=file, row=first_row + i, column=column)
            for i, v in enumerate(values)
        ]


def _alias_rows(level: str) -> list[tuple[str, str, list[tuple[int, object]]]]:
    """(unit id, display name, [(priority, alias)]): priority 0 for names and codes, 1 for pinyin."""
    from dgkit import data

    rows: list[tuple[str, str, list[tuple[int, object]]]] = []
    if level == "province":
        for r in data.provinces().itertuples(index=False):
            names = [r.unit_id, r.adcode, r.name_full, r.name_short, r.name_en, *_EXTRA_ALIASES.get(r.unit_id, [])]
            if r.name_en:
                names.append(str(r.name_en) + " Province")
            rows.append((r.unit_id, r.name_short, [(0, a) for a in names] + [(1, r.pinyin)]))
    elif level == "city":
        for r in data.cities().itertuples(index=False):
            names = [r.adcode, r.city, r.name_full, r.name_en, *_EXTRA_ALIASES.get(r.adcode, [])]
            rows.append((r.adcode, r.city, [(0, a) for a in names] + [(1, str(r.name_en).split(" (")[0])]))
    else:
        for n in data.egdi()["country"].drop_duplicates():
            rows.append((n, n, [(0, n)]))
    return rows


@functools.cache
def resolver(level: str = "province") -> UnitResolver:
    """A cached resolver for ``level``."""
    return UnitResolver(level)


def resolve(name: object, level: str = "province") -> str:
    """Resolve one name: ``resolve("广东省") == "440000"``."""
    return resolver(level).resolve(name)


def display_name(unit_id: str, level: str = "province", lang: str = "zh") -> str:
    """Short display name of a unit id in Chinese (``lang="zh"``) or English."""
    from dgkit import data

    if level == "province":
        t = data.provinces().set_index("unit_id")
        return str(t.loc[unit_id, "name_short" if lang == "zh" else "name_en"])
    if level == "city":
        t = data.cities().set_index("adcode")
        return str(t.loc[unit_id, "city" if lang == "zh" else "name_en"])
    return unit_id
