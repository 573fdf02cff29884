"""Units: the levels a dataset can be at, name resolution, and the built-in groupings.

Levels (``LEVELS``):

* ``province`` — 31 provinces plus 新疆生产建设兵团 (``XJBT``) as a distinct unit. Ids are GB/T 2260
  codes (``"440000"``). Full, short, English, pinyin (with or without tones) and code spellings.
* ``city`` — the 338 prefecture-level units (``data/reference/prefectures.csv``: 地级市, 地区, 自治州,
  盟, plus the four 直辖市) with ``city_type`` 直辖市 / 副省级 / 省会 / 地级市 / 地区 / 自治州 / 盟 and
  their province. Ids are 6-digit codes.
* ``county`` — 6-digit codes *as given*: codes change over time, so the data's own codes and names
  are the identity. The kit checks the format, uniqueness and that the province prefix exists.
  Names alone are ambiguous; a ``parent`` column resolves them (see :mod:`dgkit.datasets`).
* ``country`` — ISO3 ids. ISO3, ISO2, M49, UN, ISO and World Bank spellings and Chinese names of
  the 254 economies and territories of ``data/reference/countries.csv`` (OCHA Countries &
  Territories Taxonomy + ISO 3166; every World Bank economy, Kosovo, Taiwan, Hong Kong, Macao,
  the Channel Islands and West Bank and Gaza included), with UN region / sub-region and World Bank
  income group.
* ``custom`` — any id; names come from the file.

Matching: input is NFKC-normalised (full-width letters and digits become ASCII), white space is
removed for Chinese and Latin text is compared case- and tone-insensitively. Country names are also
compared as *sets of words* after expanding the World Bank's abbreviations (``Dem.``, ``Rep.``,
``PDR``, ``SAR``, ``St.``, ``Fed. Sts.``, ``RB`` …), so ``Congo, Dem. Rep.`` is the Democratic
Republic of the Congo and ``Korea, Rep.`` the Republic of Korea. A name whose words are a subset
of exactly one unit's name (``Moldova``, ``Tanzania``) resolves to it and the resolution is logged.

Suggestions for an unknown name never point at a different unit that merely shares a word: every
word of a suggestion must be close (similarity ≥ 0.8) to a word of the name and vice versa.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from dgkit.errors import AmbiguousUnitError, UnknownUnitError

LEVELS = ("province", "city", "county", "country", "custom")

_LATIN = re.compile(r"[a-z]")
_WORD = re.compile(r"[a-z0-9]+")
# World Bank / UN abbreviations; both sides of a comparison go through the same mapping.
_WORD_MAP = {
    "democratic": "dem", "republic": "rep", "saint": "st", "federated": "fed", "federal": "fed",
    "peoples": "people", "people": "people", "islamic": "islamic", "isl": "islamic", "sts": "states",
    "is": "islands", "island": "islands",
}
_PHRASES = (
    (re.compile(r"\bpdr\b"), "people dem rep"),
    (re.compile(r"\bdpr\b"), "dem people rep"),
    (re.compile(r"\brb\b"), "bolivarian rep"),
    (re.compile(r"\bsar\b"), "special administrative region"),
    (re.compile(r"\bu\.?\s?s\.?\b"), "united states"),
    (re.compile(r"\bu\.?\s?k\.?\b"), "united kingdom"),
    (re.compile(r"&"), " and "),
)
_STOP = {"the", "of", "and"}


def normalise_name(text: object, keep_tones: bool = False) -> str:
    """Canonical form used for matching: NFKC, no spaces, lower case, no tone marks."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    s = "".join(ch for ch in s if not ch.isspace() and ch not in "\u200b\u200c\u200d\ufeff")
    if keep_tones:
        return s.casefold().replace("'", "").replace("’", "")
    decomposed = unicodedata.normalize("NFD", s)
    s = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", s).casefold().replace("'", "").replace("’", "")


_SPELL_OUT = {"dem": "democratic", "rep": "republic", "st": "saint", "fed": "federal", "sts": "states", "people": "peoples",
              "is": "islands", "isl": "islamic"}


def name_words(text: object, abbreviate: bool = True) -> frozenset[str]:
    """The set of words of a Latin name with the World Bank's abbreviations made uniform
    (``Korea, Rep.`` → {korea, rep}). ``abbreviate=False`` spells them out instead
    ({korea, republic}): suggestions compare those, so that a typo in *Republic* is still close."""
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(text)))
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn").casefold()
    s = s.replace("'", "").replace("’", "")
    for pat, rep in _PHRASES:
        s = pat.sub(" " + rep + " ", s)
    words = [_WORD_MAP.get(w, w) for w in _WORD.findall(s)]
    if not abbreviate:
        words = [_SPELL_OUT.get(w, w) for w in words]
    return frozenset(w for w in words if w not in _STOP)


def _is_latin(key: str) -> bool:
    return bool(_LATIN.search(key))


@dataclass
class Resolution:
    """Outcome of resolving one name: ``unit_id`` or ``None``, and a note when words were matched."""

    unit_id: str | None
    note: str = ""
    candidates: list[str] = field(default_factory=list)
    ambiguous: bool = False
    candidate_ids: list[str] = field(default_factory=list)


class UnitResolver:
    """Resolve free-text unit names to unit ids at one level.

    ``aliases`` are ``(unit_id, alias, priority)``: 0 for names and codes, 1 for pinyin and other
    secondary spellings, 2 for former units (a name shared with a current unit goes to the current
    one). ``display`` maps unit id → the name shown in messages.
    """

    def __init__(self, level: str, aliases: Iterable[tuple[str, object, int]], display: dict[str, str],
                 word_match: bool = False) -> None:
        self.level = level
        self._display = dict(display)
        self._index: dict[str, dict[str, int]] = {}
        self._words: dict[frozenset[str], dict[str, int]] = {}
        self._spelled: dict[frozenset[str], set[str]] = {}  # words spelled out, for suggestions
        self.word_match = word_match
        for unit_id, alias, prio in aliases:
            if alias is None or (isinstance(alias, float) and pd.isna(alias)) or str(alias).strip() == "":
                continue
            for key in {normalise_name(alias), normalise_name(alias, keep_tones=True)}:
                slot = self._index.setdefault(key, {})
                # a toned pinyin spelling ("Shǎnxī") names its own unit outright
                p = 0 if (key != normalise_name(alias) and prio == 1) else prio
                slot[unit_id] = min(p, slot.get(unit_id, p))
            if word_match and _is_latin(normalise_name(alias)):
                w = name_words(alias)
                if w:
                    slot = self._words.setdefault(w, {})
                    slot[unit_id] = min(prio, slot.get(unit_id, prio))
                    self._spelled.setdefault(name_words(alias, abbreviate=False), set()).add(unit_id)

    # ------------------------------------------------------------------ lookups
    @property
    def unit_ids(self) -> list[str]:
        return list(self._display)

    def display_name(self, unit_id: str) -> str:
        return self._display.get(unit_id, unit_id)

    @staticmethod
    def _best(slot: dict[str, int]) -> set[str]:
        best = min(slot.values())
        return {u for u, p in slot.items() if p == best}

    def _hits(self, key: str) -> set[str]:
        slot = self._index.get(key)
        return self._best(slot) if slot else set()

    def lookup(self, name: object) -> Resolution:
        """Resolve without raising: exact spelling, then (countries) word sets, then unique word subsets."""
        if name is None or (isinstance(name, float) and pd.isna(name)) or str(name).strip() == "":
            return Resolution(None)
        if isinstance(name, float) and name.is_integer():
            name = int(name)
        hits = self._hits(normalise_name(name, keep_tones=True)) or self._hits(normalise_name(name))
        if not hits and self.word_match:
            w = name_words(name)
            slot = self._words.get(w)
            if slot:
                hits = self._best(slot)
            elif w:
                sup: dict[str, int] = {}
                for words, s in self._words.items():
                    if w < words:
                        for u, p in s.items():
                            sup[u] = min(p, sup.get(u, p))
                if len(sup) == 1:
                    uid = next(iter(sup))
                    return Resolution(uid, note=f"matched by its words to {self.display_name(uid)} ({uid})")
                if len(sup) > 1:
                    hits = set(sup)
        if len(hits) == 1:
            return Resolution(next(iter(hits)))
        if len(hits) > 1:
            return Resolution(None, candidates=sorted(self.display_name(h) for h in hits), ambiguous=True,
                              candidate_ids=sorted(hits))
        return Resolution(None, candidates=self.closest(name))

    def closest(self, name: object, n: int = 3) -> list[str]:
        """Up to ``n`` display names close to ``name``; never a unit that merely shares a word."""
        key = normalise_name(name)
        if not key:
            return []
        latin = _is_latin(key)
        out: list[str] = []
        if latin:
            scored: list[tuple[float, str]] = []
            # words spelled out (a typo in "Republic") and abbreviated ("Rp." for "Rep.") both count
            for q, index in ((list(name_words(name, abbreviate=False)), self._spelled),
                             (list(name_words(name)), {w: set(slot) for w, slot in self._words.items()})):
                for words, units in index.items():
                    if _words_close(q, words):
                        ratio = difflib.SequenceMatcher(None, " ".join(sorted(q)), " ".join(sorted(words))).ratio()
                        scored.extend((ratio, u) for u in units)
            if not self._words:  # provinces, cities: whole-key similarity of Latin spellings
                for k in difflib.get_close_matches(key, [k for k in self._index if _is_latin(k)], n=n * 3, cutoff=0.75):
                    scored.extend((difflib.SequenceMatcher(None, key, k).ratio(), u) for u in self._hits(k))
            for _, u in sorted(scored, key=lambda t: (-t[0], t[1])):
                d = self._display.get(u, u)
                if d not in out:
                    out.append(d)
        else:
            # Chinese: compare without the generic suffixes (国, 省, 市 …) so that 美国 never suggests 泰国
            stem = _cjk_stem(key)
            scored = []
            for k in self._index:
                if _is_latin(k) or not stem:
                    continue
                r = difflib.SequenceMatcher(None, stem, _cjk_stem(k)).ratio()
                if r >= 0.5:
                    scored.append((r, k))
            for _, k in sorted(scored, key=lambda t: (-t[0], t[1]))[: n * 3]:
                for u in sorted(self._hits(k)):
                    d = self._display.get(u, u)
                    if d not in out:
                        out.append(d)
        return out[:n]

    def resolve(self, name: object, *, file: str | None = None, row: int | None = None,
                column: str | None = None) -> str:
        """Return the unit id of ``name`` or raise UnknownUnitError / AmbiguousUnitError."""
        if name is None or (isinstance(name, float) and pd.isna(name)) or str(name).strip() == "":
            raise UnknownUnitError(f"empty {self.level} name", file=file, row=row, column=column,
                                   expected=f"a {self.level} name or code")
        r = self.lookup(name)
        if r.unit_id is not None:
            return r.unit_id
        if r.ambiguous:
            raise AmbiguousUnitError(
                f"ambiguous {self.level} name: it matches {len(r.candidates)} units", file=file, row=row, column=column,
                expected="a name that identifies one unit (add the province, or use the full name or code)",
                got=str(name), suggestion=r.candidates)
        raise UnknownUnitError(
            f"unknown {self.level} name", file=file, row=row, column=column,
            expected=f"a known {self.level} (中文名, English name, pinyin or code)", got=str(name),
            suggestion=r.candidates or None)

    def resolve_many(self, values: Iterable[object], *, file: str | None = None, column: str | None = None,
                     first_row: int = 2) -> list[str]:
        """Resolve a column, raising at the first bad name (the error names the spreadsheet row)."""
        return [self.resolve(v, file=file, row=first_row + i, column=column) for i, v in enumerate(values)]


_CJK_SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "省", "市", "州", "盟", "县", "区", "国")


def _cjk_stem(key: str) -> str:
    for suf in _CJK_SUFFIXES:
        if key.endswith(suf) and len(key) > len(suf):
            return key[: -len(suf)]
    return key


def _words_close(a: Iterable[str], b: Iterable[str], cutoff: float = 0.8) -> bool:
    """Every word of ``a`` is close to a word of ``b`` and vice versa."""
    a, b = list(a), list(b)
    if not a or not b:
        return False

    def near(x: str, ys: list[str]) -> bool:
        return any(x == y or difflib.SequenceMatcher(None, x, y).ratio() >= cutoff for y in ys)

    return all(near(x, b) for x in a) and all(near(y, a) for y in b)


# ---------------------------------------------------------------------- reference tables per level
@functools.cache
def province_table() -> pd.DataFrame:
    """unit_id, name_zh, name_en and the province groupings (四大地带, 常规地区, 七大区, 热点地区, 南北)."""
    from dgkit import data

    p = data.provinces()
    return pd.DataFrame({
        "unit_id": p["unit_id"], "name_zh": p["name_short"], "name_en": p["name_en"], "level": "province",
        "四大地带": p["ccid_belt"], "常规地区": p["ccid_region"], "七大区": p["region7"],
        "热点地区": p["ccid_hotspots"], "南北": p["north_south"],
    })


@functools.cache
def city_table() -> pd.DataFrame:
    """unit_id, name_zh, name_en, level, city_type, province (short name: the grouping) and province_id."""
    from dgkit import data

    c = data.load("prefectures")
    return pd.DataFrame({
        "unit_id": c["unit_id"], "name_zh": c["name_short"], "name_en": c["name_en"], "level": "city",
        "city_type": c["city_type"], "province": c["province"], "province_id": c["province_id"],
        "valid_until": c["valid_until"],
    })


@functools.cache
def country_table() -> pd.DataFrame:
    """unit_id (ISO3), name_zh, name_en, level, un_region, un_sub_region, wb_income_group."""
    from dgkit import data

    c = data.load("countries")
    return pd.DataFrame({
        "unit_id": c["iso3"], "name_zh": c["name_zh"].where(c["name_zh"] != "", c["name_en"]),
        "name_en": c["name_en"], "level": "country", "un_region": c["un_region"],
        "un_sub_region": c["un_sub_region"], "wb_income_group": c["wb_income_group"],
    })


# grouping name -> (column of the level table, True when a unit may belong to several groups)
BUILTIN_GROUPINGS: dict[str, dict[str, bool]] = {
    "province": {"四大地带": False, "常规地区": False, "七大区": False, "热点地区": True, "南北": False},
    "city": {"city_type": False, "province": False},
    "county": {"province": False, "四大地带": False},
    "country": {"un_region": False, "un_sub_region": False, "wb_income_group": False},
    "custom": {},
}


def unit_table(level: str) -> pd.DataFrame:
    """The reference unit table of a level (a copy; empty for county and custom: units come from the data)."""
    _check_level(level)
    if level == "province":
        return province_table().copy()
    if level == "city":
        return city_table().copy()
    if level == "country":
        return country_table().copy()
    return pd.DataFrame(columns=["unit_id", "name_zh", "name_en", "level"])


def _check_level(level: str) -> None:
    if level not in LEVELS:
        close = difflib.get_close_matches(str(level), LEVELS, n=1)
        from dgkit.errors import InputError

        raise InputError(f"unknown unit level {level!r}", expected=" / ".join(LEVELS), suggestion=close or None)


# Spellings seen in the wild that are not in the reference tables.
_EXTRA_ALIASES: dict[str, list[str]] = {
    "150000": ["Nei Mongol", "Neimenggu", "内蒙"],
    "540000": ["Xizang", "Tibet Autonomous Region"],
    "450000": ["Guangxi Zhuang Autonomous Region", "广西自治区"],
    "640000": ["Ningxia Hui Autonomous Region", "宁夏自治区"],
    "650000": ["Xinjiang Uygur Autonomous Region", "Xinjiang Uyghur", "新疆自治区"],
    "XJBT": ["兵团", "新疆兵团", "新疆建设兵团", "XPCC", "Bingtuan"],
}


def _province_aliases() -> tuple[list[tuple[str, object, int]], dict[str, str]]:
    from dgkit import data

    al: list[tuple[str, object, int]] = []
    disp: dict[str, str] = {}
    for r in data.provinces().itertuples(index=False):
        disp[r.unit_id] = r.name_short
        for a in (r.unit_id, r.adcode, r.name_full, r.name_short, r.name_en, *_EXTRA_ALIASES.get(r.unit_id, [])):
            al.append((r.unit_id, a, 0))
        if r.name_en:
            al.append((r.unit_id, f"{r.name_en} Province", 0))
        if r.adcode:
            al.append((r.unit_id, r.adcode[:2], 1))  # two-digit province prefix
        al.append((r.unit_id, r.pinyin, 1))
    return al, disp


def _city_aliases() -> tuple[list[tuple[str, object, int]], dict[str, str]]:
    from dgkit import data

    al: list[tuple[str, object, int]] = []
    disp: dict[str, str] = {}
    known = data.cities().set_index("adcode")
    for r in data.load("prefectures").itertuples(index=False):
        former = bool(r.valid_until)
        disp[r.unit_id] = r.name_short + (f" ({r.name_full}, until {r.valid_until})" if former else "")
        names = [r.unit_id, r.name_full, r.name_short]
        if r.city_type == "自治州":
            names.append(r.name_short + "州")
        if r.unit_id in known.index:
            k = known.loc[r.unit_id]
            names += [k["city"], k["name_full"], k["name_en"]]
        al += [(r.unit_id, a, 2 if former else 0) for a in names]
        al.append((r.unit_id, r.name_en, 3 if former else 1))
        al.append((r.unit_id, str(r.name_en).split(" (")[0], 3 if former else 1))
    return al, disp


def _country_aliases() -> tuple[list[tuple[str, object, int]], dict[str, str]]:
    from dgkit import data

    al: list[tuple[str, object, int]] = []
    disp: dict[str, str] = {}
    for r in data.load("countries").itertuples(index=False):
        disp[r.iso3] = r.name_en
        for a in (r.iso3, r.iso2, r.name_en, r.name_zh, r.name_short_en, r.name_formal_en, *str(r.aliases).split(";")):
            al.append((r.iso3, a, 0))
        if r.m49:
            al.append((r.iso3, str(r.m49).zfill(3), 1))
    for r in data.load("country_aliases").itertuples(index=False):
        al.append((r.iso3, r.alias, 0))
    return al, disp


@functools.cache
def resolver(level: str = "province") -> UnitResolver:
    """A cached resolver for ``province``, ``city`` or ``country`` (county and custom units come from the data)."""
    _check_level(level)
    if level == "province":
        return UnitResolver("province", *_province_aliases())
    if level == "city":
        return UnitResolver("city", *_city_aliases())
    if level == "country":
        return UnitResolver("country", *_country_aliases(), word_match=True)
    raise ValueError(f"level {level!r} has no reference list: its units come from the data (see dgkit.datasets)")


def resolve(name: object, level: str = "province") -> str:
    """Resolve one name: ``resolve("广东省") == "440000"``; ``resolve("Korea, Rep.", "country") == "KOR"``."""
    return resolver(level).resolve(name)


def display_name(unit_id: str, level: str = "province", lang: str = "zh") -> str:
    """Short display name of a unit id in Chinese (``lang="zh"``) or English."""
    t = unit_table(level).set_index("unit_id")
    if unit_id not in t.index:
        return unit_id
    return str(t.loc[unit_id, "name_zh" if lang == "zh" else "name_en"])


# ---------------------------------------------------------------------- county codes
COUNTY_CODE = re.compile(r"^\d{6}$")


def province_of_code(code: str) -> str | None:
    """The province id of a 6-digit GB/T 2260 code (``"440305"`` → ``"440000"``), or None."""
    pid = str(code)[:2] + "0000"
    return pid if pid in set(province_table()["unit_id"]) else None


def builtin_groupings(level: str, unit_ids: Iterable[str]) -> pd.DataFrame:
    """The built-in groupings of ``unit_ids`` at ``level`` (index unit_id, a column per grouping).

    Multi-membership groupings (热点地区) hold ``;``-separated lists. ``province`` holds the province's
    short name (广东). Counties get their province and 四大地带 from the code prefix (names without
    codes get them from the dataset's ``parent``).
    """
    id_list = [str(u) for u in unit_ids]
    return pd.DataFrame(builtin_grouping_lists(level, id_list), index=pd.Index(id_list, name="unit_id"))


def builtin_grouping_lists(level: str, id_list: list[str]) -> dict[str, list[str]]:
    """:func:`builtin_groupings` as plain lists (grouping → one label per id), for building tables fast."""
    names = list(BUILTIN_GROUPINGS[level])
    if level in ("province", "city", "country"):
        t = unit_table(level).set_index("unit_id").reindex(id_list)[names].fillna("")
        return {n: t[n].tolist() for n in names}
    if level == "county":
        pt = province_table()
        by_prefix = {u[:2]: (n, b) for u, n, b in zip(pt["unit_id"], pt["name_zh"], pt["四大地带"], strict=True) if u.isdigit()}
        none = ("", "")
        pairs = [by_prefix.get(u[:2], none) if len(u) == 6 and u.isdigit() else none for u in id_list]
        return {"province": [p[0] for p in pairs], "四大地带": [p[1] for p in pairs]}
    return {}


__all__ = [
    "BUILTIN_GROUPINGS", "COUNTY_CODE", "LEVELS", "Resolution", "UnitResolver", "builtin_groupings", "display_name",
    "name_words", "normalise_name", "province_of_code", "resolve", "resolver", "unit_table",
]
