"""One bibliography for every output: citations by key, GB/T 7714-2015 and APA 7 reference lists, BibTeX.

The single source is ``data/bibliography.json``, a CSL-JSON array (CSL 1.0.2). A user adds their
own CSL-JSON files with :func:`load_bibliography` (a key defined twice is an error naming both
files). Fields the kit requires of an entry (checked on load, :data:`REQUIRED`): ``id``, ``type``
(one of :data:`TYPE_CODES`), ``title``, ``author`` (persons ``{family, given}`` or organisations
``{literal}``), ``language`` (``zh-CN`` or ``en``) and ``issued`` (``{"date-parts": [[2020, 6]]}``;
only software may go without); an article needs ``container-title``. A Chinese-language entry also
carries ``custom.en`` (the English ``author`` and ``title``, optionally ``publisher``,
``publisher-place``, ``container-title``, ``genre``) and ``custom.pinyin`` (the first author in
pinyin, the sort key of the Chinese group). ``custom.seed_file`` names the seed report a bundled
entry stands for and ``custom.aliases`` the short names free-text sources use (``CCID 2020``):
:meth:`Bibliography.resolve` turns such text into keys.

**Chinese (``lang="zh"``): GB/T 7714-2015, 著者-出版年制** (the author–year system, chosen so that
in-text citations read the same in both languages). A reference is
``著者, 出版年. 题名[文献类型标识]. 出版地: 出版者.``, with the document type codes [M] book,
[R] report, [J] article, [S] standard, [DS] dataset, [CP] software, [EB] web page and ``/OL``
appended for a resource given with its URL (web pages are always [EB/OL]); an article ends
``刊名, 卷(期): 起-止页.``; ``DOI:…`` closes a reference when known. Western persons are written
``DAGUM C`` (surname in capitals, initials without points); after three authors the list stops with
``, et al.`` (``, 等`` for a Chinese-language entry). A missing place or publisher of a book, report
or standard is written ``[出版地不详]`` / ``[出版者不详]`` (``[S.l.]`` / ``[s.n.]`` for a Western
entry); an entry without a year (software) gets ``[出版年不详]`` (a kit convention). A reference
keeps the language of its source, as GB/T 7714 does. The in-text citation is
``(著者, 出版年: 定位)`` — the form of Chinese social-science journals — with only the first author
and ``et al.``/``等`` for several authors (GB/T 7714-2015 §10.2); Western authors by surname.

**English (``lang="en"``): APA 7th edition.** ``Author, A. A., & Author, B. (Year). Title. Source,
volume(issue), pages. https://doi.org/…``; up to 20 authors, then the first 19, an ellipsis and the
last; a publisher equal to the author is left out; software ``(Version x) [Computer software]``,
datasets ``[Data set]``. A Chinese-language entry is rendered from ``custom.en`` and its title ends
``[in Chinese]``. In-text: ``(Author, Year, Locator)``, two authors joined by ``&``, three or more
``First et al.``. Strings are plain text (italics are left to the renderer).

**Order of a reference list.** APA: by the first author's surname (or organisation) A–Z, then year,
then title. GB/T 7714 著者-出版年: Chinese-language entries first, by ``custom.pinyin`` of the first
author (then year, title), then the others A–Z by first author, year and title. Both are total
orders on the stored fields, so every list is deterministic.

Locators are stored in Chinese (``表3-1``, ``第3章``, ``三(二)``); :func:`translate_locator` gives
their English form (``Table 3-1``, ``Chapter 3``, ``Section 3.2``) and refuses a locator it cannot
translate. ``python -m dgkit.report.bibliography --write-bib`` regenerates ``data/bibliography.bib``
(biblatex) from the JSON.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dgkit.errors import InputError
from dgkit.paths import data_dir, display_path

# GB/T 7714-2015 document type codes (文献类型标识) of the CSL types the kit accepts.
TYPE_CODES: dict[str, str] = {
    "book": "M", "report": "R", "article-journal": "J", "standard": "S", "dataset": "DS",
    "software": "CP", "webpage": "EB", "thesis": "D",
}
LANGUAGES = ("zh-CN", "en")
REQUIRED = ("id", "type", "title", "author", "language", "issued")
BIBTEX_TYPES: dict[str, str] = {
    "book": "book", "report": "report", "article-journal": "article", "standard": "report", "dataset": "dataset",
    "software": "software", "webpage": "online", "thesis": "thesis",
}
SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_URL = re.compile(r"^https?://\S+$")
_KEY = re.compile(r"^[A-Za-z0-9_.:-]+$")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


class BibliographyError(InputError):
    """A bibliography file, entry, key or locator that cannot be used (names the file, entry and field)."""


@dataclass(frozen=True)
class Citation:
    """A cited entry and where in it (a locator as stored, in Chinese: ``表3-1``)."""

    key: str
    locator: str | None = None


# ------------------------------------------------------------------ loading and validation
def kit_bibliography_path() -> Path:
    return data_dir() / "bibliography.json"


def _err(file: Path | str, problem: str, **kw: Any) -> BibliographyError:
    return BibliographyError(problem, file=display_path(file) if isinstance(file, Path) else file, **kw)


def _check_names(names: Any, file: Path, where: str) -> None:
    if not isinstance(names, list) or not names:
        raise _err(file, f"{where}: 'author' must be a non-empty list", expected='[{"family": "Dagum", "given": "Camilo"}] or [{"literal": "国家统计局"}]', got=names)
    for j, n in enumerate(names):
        ok = isinstance(n, dict) and (isinstance(n.get("literal"), str) and n["literal"].strip()
                                      or isinstance(n.get("family"), str) and n["family"].strip())
        if not ok:
            raise _err(file, f"{where}: author[{j}] is neither a person nor an organisation",
                       expected='{"family": …, "given": …} or {"literal": …}', got=n)


def _check_entry(e: Any, i: int, file: Path) -> None:
    """Raise on the first missing or malformed field of entry ``i`` (see the module docstring)."""
    if not isinstance(e, dict):
        raise _err(file, f"entry {i} is not an object", expected="a CSL-JSON item {id, type, title, …}", got=e)
    key = e.get("id")
    if not isinstance(key, str) or not _KEY.match(key):
        raise _err(file, f"entry {i}: field 'id' is missing or not a plain key", expected="letters, digits, _ . : - (e.g. dagum1997)", got=key)
    where = f"entry {i} ('{key}')"
    for f in REQUIRED:
        if f not in e and not (f == "issued" and e.get("type") == "software"):
            raise _err(file, f"{where}: field '{f}' is missing", expected="the fields " + ", ".join(REQUIRED))
    if e["type"] not in TYPE_CODES:
        raise _err(file, f"{where}: field 'type' is not a type the kit renders", expected=", ".join(TYPE_CODES), got=e["type"],
                   suggestion=difflib.get_close_matches(str(e["type"]), TYPE_CODES, n=1) or None)
    if not isinstance(e["title"], str) or not e["title"].strip():
        raise _err(file, f"{where}: field 'title' is empty", expected="the title as printed", got=e["title"])
    _check_names(e["author"], file, where)
    if e["language"] not in LANGUAGES:
        raise _err(file, f"{where}: field 'language' is not supported", expected=" or ".join(LANGUAGES), got=e["language"],
                   suggestion=difflib.get_close_matches(str(e["language"]), LANGUAGES, n=1) or None)
    if "issued" in e:
        parts = e["issued"].get("date-parts") if isinstance(e["issued"], dict) else None
        ok = (isinstance(parts, list) and 1 <= len(parts) <= 2 and all(
            isinstance(d, list) and 1 <= len(d) <= 3 and all(isinstance(x, int) and not isinstance(x, bool) for x in d) for d in parts))
        if not ok:
            raise _err(file, f"{where}: field 'issued' is not a CSL date", expected='{"date-parts": [[2020, 6]]} (a range: [[2014], [2024]])', got=e["issued"])
    if e["type"] == "article-journal" and not e.get("container-title"):
        raise _err(file, f"{where}: field 'container-title' is missing (the journal of an article)", expected="the journal's name")
    if "DOI" in e and not (isinstance(e["DOI"], str) and _DOI.match(e["DOI"])):
        raise _err(file, f"{where}: field 'DOI' is not a DOI", expected="10.xxxx/… without https://doi.org/", got=e["DOI"])
    if "URL" in e and not (isinstance(e["URL"], str) and _URL.match(e["URL"])):
        raise _err(file, f"{where}: field 'URL' is not a web address", expected="https://…", got=e["URL"])
    custom = e.get("custom", {})
    if not isinstance(custom, dict):
        raise _err(file, f"{where}: field 'custom' must be an object", got=custom)
    if "seed_file" in custom and not (isinstance(custom["seed_file"], str) and SEED_FILE.fullmatch(custom["seed_file"])):
        raise _err(file, f"{where}: field 'custom.seed_file' is not a seed file name", expected="e.g. 001_704c0132a6179eba.txt", got=custom["seed_file"])
    if "aliases" in custom and not (isinstance(custom["aliases"], list) and all(isinstance(a, str) and a.strip() for a in custom["aliases"])):
        raise _err(file, f"{where}: field 'custom.aliases' must be a list of names", got=custom["aliases"])
    if e["language"] == "zh-CN":
        en = custom.get("en")
        if not isinstance(en, dict) or not isinstance(en.get("title"), str) or not en["title"].strip():
            raise _err(file, f"{where}: field 'custom.en.title' is missing (the English rendering of a Chinese entry)",
                       expected='custom: {en: {author: […], title: …}}')
        _check_names(en.get("author"), file, f"{where} custom.en")
        if CJK.search(json.dumps(en, ensure_ascii=False)):
            raise _err(file, f"{where}: field 'custom.en' holds Chinese characters", expected="English only", got=en)
        if not isinstance(custom.get("pinyin"), str) or not custom["pinyin"].strip():
            raise _err(file, f"{where}: field 'custom.pinyin' is missing (the first author in pinyin, the sort key)",
                       expected="e.g. guojia tongjiju")


@functools.lru_cache(maxsize=32)
def _read(path: Path, stamp: tuple[int, int]) -> tuple[tuple[str, dict[str, Any]], ...]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _err(path, "bibliography file not found", expected="a CSL-JSON file (an array of items)") from None
    except UnicodeDecodeError as exc:
        raise _err(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})", expected="a CSL-JSON file in UTF-8") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _err(path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", expected="a CSL-JSON array") from None
    if isinstance(data, dict) and "id" in data:
        data = [data]
    if not isinstance(data, list):
        raise _err(path, "a CSL-JSON bibliography is an array of items", expected="[{…}, {…}]", got=type(data).__name__)
    seen: dict[str, int] = {}
    out = []
    for i, e in enumerate(data):
        _check_entry(e, i, path)
        if e["id"] in seen:
            raise _err(path, f"entry {i}: key '{e['id']}' is already used by entry {seen[e['id']]}", expected="a unique id per entry")
        seen[e["id"]] = i
        out.append((e["id"], e))
    return tuple(out)


def read_csl(path: str | Path) -> list[dict[str, Any]]:
    """The validated items of one CSL-JSON file (errors name the file, the entry and the field)."""
    p = Path(path).resolve()
    try:
        st = p.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = (0, 0)
    return [e for _, e in _read(p, stamp)]


def load_bibliography(extra: Sequence[str | Path] = ()) -> Bibliography:
    """The kit's ``data/bibliography.json`` plus the user's CSL-JSON files ``extra`` (in order).

    A key defined in two files is an error naming both files."""
    entries: dict[str, dict[str, Any]] = {}
    origin: dict[str, Path] = {}
    for path in [kit_bibliography_path(), *(Path(x).resolve() for x in extra)]:
        for e in read_csl(path):
            if e["id"] in entries:
                raise _err(path, f"key '{e['id']}' is already defined in {display_path(origin[e['id']])}",
                           expected="a key of your own (e.g. with a prefix: my_" + e["id"] + ")")
            entries[e["id"]] = e
            origin[e["id"]] = path
    return Bibliography(entries, origin)


# ------------------------------------------------------------------ names, years, locators
def _is_cjk(s: str) -> bool:
    return bool(CJK.search(s))


def _initials(given: str, sep: str, hyphen: str) -> list[str]:
    """'Ching-Lai' → ['C-L'] style pieces; 'P. A. P.' → ['P', 'A', 'P']."""
    out = []
    for word in given.replace(".", " ").split():
        parts = [w for w in word.split("-") if w]
        out.append(hyphen.join(p[0] + sep for p in parts) if parts else "")
    return [o for o in out if o]


def _gbt_name(n: dict[str, Any]) -> str:
    if "literal" in n:
        return n["literal"]
    fam, given = n["family"], n.get("given", "")
    if _is_cjk(fam):
        return fam + given
    ini = " ".join(p.replace("-", " ") for p in _initials(given, "", "-"))
    return f"{fam.upper()} {ini}".strip()


def _apa_name(n: dict[str, Any]) -> str:
    if "literal" in n:
        return n["literal"]
    ini = " ".join(_initials(n.get("given", ""), ".", "-"))
    return f"{n['family']}, {ini}" if ini else n["family"]


def _short_name(n: dict[str, Any]) -> str:
    """The name an in-text citation uses: an organisation in full, a person by surname (a Chinese person in full)."""
    if "literal" in n:
        return n["literal"]
    return n["family"] + (n.get("given", "") if _is_cjk(n["family"]) else "")


def _years(e: dict[str, Any], dash: str, missing: str) -> str:
    parts = (e.get("issued") or {}).get("date-parts")
    if not parts:
        return missing
    ys = [str(d[0]) for d in parts]
    return (ys[0] if len(ys) == 1 or ys[0] == ys[-1] else f"{ys[0]}{dash}{ys[-1]}") + str(e.get("_suffix", ""))


def _end(s: str) -> str:
    s = s.rstrip()
    return s if s.endswith((".", "?", "!")) else s + "."


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "[零一二三四五六七八九十]+"


def _cn_int(s: str) -> int:
    """一 … 九十九 (and Arabic digits) as an integer."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[s]


_PAREN = r"[（(]"
_CLOSE = r"[）)]"
_SECTION = re.compile(rf"({_CN_NUM})(?:、)?((?:{_PAREN}{_CN_NUM}{_CLOSE})*)((?:\d+|{_PAREN}\d+{_CLOSE})*)")
_WORDS = {"附录": "Appendix", "前言": "Preface", "后记": "Afterword", "目录": "Contents", "摘要": "Abstract",
          "引言": "Introduction", "概述": "Overview", "报告概述": "Overview", "正文": "Main text", "表": "Table", "图": "Figure",
          "注": "Note", "脚注": "Footnote", "封面": "Cover"}
_RANGE = "[-–—~～至]"


def _token_en(tok: str) -> str | None:
    """English form of one structural locator token, or None when it has none."""
    tok = tok.strip()
    if tok in _WORDS:
        return _WORDS[tok]
    n = rf"(\d+|{_CN_NUM})"
    rules: list[tuple[str, Any]] = [
        (rf"第{n}{_RANGE}{n}章", lambda m: f"Chapters {_cn_int(m[1])}–{_cn_int(m[2])}"),
        (rf"第{n}章", lambda m: f"Chapter {_cn_int(m[1])}"),
        (rf"第{n}节", lambda m: f"Section {_cn_int(m[1])}"),
        (rf"第{n}部分", lambda m: f"Part {_cn_int(m[1])}"),
        (rf"第?(\d+){_RANGE}(\d+)页", lambda m: f"pp. {m[1]}–{m[2]}"),
        (r"第?(\d+)页", lambda m: f"p. {m[1]}"),
        (rf"页(\d+){_RANGE}(\d+)", lambda m: f"pp. {m[1]}–{m[2]}"),
        (r"页(\d+)", lambda m: f"p. {m[1]}"),
        (r"(?:附)?表(\d+(?:[-–.]\d+)*)", lambda m: ("Appendix Table " if tok.startswith("附") else "Table ") + m[1]),
        (r"(?:附)?图(\d+(?:[-–.]\d+)*)", lambda m: ("Appendix Figure " if tok.startswith("附") else "Figure ") + m[1]),
        (rf"附录{n}", lambda m: f"Appendix {_cn_int(m[1])}"),
        (r"(?i)part[\s_]*(\d+)", lambda m: f"Part {m[1]}"),
    ]
    for pat, fmt in rules:
        m = re.fullmatch(pat, tok)
        if m:
            return fmt(m)
    m = _SECTION.fullmatch(tok)
    if m:
        nums = [str(_cn_int(m[1]))] + [str(_cn_int(x)) for x in re.findall(_CN_NUM, m[2])] + re.findall(r"\d+", m[3])
        return "Section " + ".".join(nums)
    return None


def translate_locator(locator: str | None, lang: str = "en", strict: bool = True) -> str | None:
    """A stored (Chinese) locator in ``lang``: ``zh`` unchanged; ``en`` token by token —
    表3-1 → Table 3-1, 图2 → Figure 2, 第3章 → Chapter 3, 第2–4章 → Chapters 2–4, 第3节 → Section 3,
    第5页 → p. 5, 附录 → Appendix, 三(二)1 → Section 3.2.1, PART 2 → Part 2; 、，；和 become separators.

    ``strict`` (default): a token that stays Chinese is an error naming it; otherwise it is dropped
    (a table's caption after its number, say) and ``None`` is returned when nothing is left."""
    if locator is None or not str(locator).strip():
        return None
    loc = str(locator).strip()
    _lang(lang)
    if lang == "zh":
        return loc
    text = re.sub(r"(?i)\bpart\s+(\d+)", lambda m: "PART_" + m[1], loc)
    groups = [g for g in re.split(r"\s*[;；]\s*", text) if g.strip()]
    out_groups, untranslated = [], []
    for g in groups:
        pieces: list[tuple[str, bool]] = []
        for tok in re.split(r"[\s、，,]+|(?<=[\u4e00-\u9fff\d）)])(?:和|及|与)(?=[\u4e00-\u9fff\d])|(?<=\S)/(?=\S)", g):
            if not tok:
                continue
            en = _token_en(tok)
            if en is not None:
                pieces.append((en, True))
            elif _is_cjk(tok):
                untranslated.append(tok)
            else:
                pieces.append((tok, False))
        s = ""
        for j, (t, struct) in enumerate(pieces):
            if j:
                s += ", " if struct and pieces[j - 1][1] else " "
            s += t
        if s:
            out_groups.append(s)
    if untranslated and strict:
        raise BibliographyError(f"locator {loc!r} has no English form for {', '.join(repr(u) for u in untranslated)}",
                                expected="structural parts only: 表3-1, 图2, 第3章, 第3节, 第5页, 附录, 三(二)1, PART 2")
    return "; ".join(out_groups) or None


def _lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise BibliographyError(f"unknown language {lang!r} for a citation", expected="zh or en",
                                suggestion=difflib.get_close_matches(str(lang), ["zh", "en"], n=1) or None)
    return lang


# ------------------------------------------------------------------ the bibliography
class Bibliography:
    """Validated CSL-JSON entries by key, with the file each came from."""

    def __init__(self, entries: dict[str, dict[str, Any]], origin: dict[str, Path] | None = None) -> None:
        self.entries = entries
        self.origin = origin or {}
        self._matcher: tuple[re.Pattern[str], dict[str, str]] | None = None

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterable[str]:
        return iter(self.entries)

    @property
    def keys(self) -> list[str]:
        return list(self.entries)

    def closest(self, key: str) -> str | None:
        """The nearest existing key (difflib), for error messages."""
        m = difflib.get_close_matches(str(key), self.keys, n=1, cutoff=0.5)
        return m[0] if m else None

    def entry(self, key: str) -> dict[str, Any]:
        if key not in self.entries:
            files = sorted({display_path(p) for p in self.origin.values()}) or ["data/bibliography.json"]
            raise BibliographyError(f"unknown bibliography key {key!r}", expected="a key of " + " or ".join(files),
                                    suggestion=self.closest(key))
        return self.entries[key]

    def _view(self, key: str, lang: str) -> dict[str, Any]:
        """The fields to render: a Chinese-language entry in English takes ``custom.en`` over its own;
        ``_suffix`` tells works of one author and year apart (2014a, 2014b)."""
        e = self.entry(key)
        if lang == "en" and e["language"] == "zh-CN":
            v = {k: val for k, val in e.items() if k not in ("publisher", "publisher-place", "container-title", "genre")}
            v.update(e["custom"]["en"])
            v["title"] = e["custom"]["en"]["title"].rstrip() + " [in Chinese]"
        else:
            v = dict(e)
        suffix = self._suffixes(lang).get(key, "")
        if suffix:
            v["_suffix"] = suffix
        return v

    def _suffixes(self, lang: str) -> dict[str, str]:
        """Works with the same author(s) in the text and the same year get a, b, c … after the year, in
        the order of their titles (GB/T 7714-2015 §10.2 and APA 7 §8.19 alike)."""
        cache = self.__dict__.setdefault("_suffix_cache", {})
        if lang not in cache:
            groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
            for k in self.keys:
                e = self.entry(k)
                v = e
                if lang == "en" and e["language"] == "zh-CN":
                    v = {**e, **e["custom"]["en"]}
                groups.setdefault((self._names_in_text(v, lang), _years(e, "-", "")), []).append((str(v.get("title", "")).casefold(), k))
            cache[lang] = {k: "abcdefghijklmnopqrstuvwxyz"[i] for g in groups.values() if len(g) > 1
                           for i, (_, k) in enumerate(sorted(g))}
        return cache[lang]

    # -------------------------------------------------------------- GB/T 7714-2015 (著者-出版年制)
    def _gbt(self, e: dict[str, Any]) -> str:
        western = e["language"] != "zh-CN"
        names = [_gbt_name(n) for n in e["author"]]
        authors = ", ".join(names[:3]) + ((", et al." if western else ", 等") if len(names) > 3 else "")
        year = _years(e, "-", "[出版年不详]")
        online = bool(e.get("URL")) or e["type"] == "webpage"
        code = TYPE_CODES[e["type"]] + ("/OL" if online else "")
        title = e["title"]
        if e["type"] == "standard" and e.get("number"):
            title += f": {e['number']}"
        if e["type"] == "software" and e.get("version"):
            title += f": {'version ' if western else '版本 '}{e['version']}"
        s = f"{authors}, {year}. {title}[{code}]"
        if e["type"] == "article-journal":
            s += f". {e['container-title']}, {e['volume']}" if e.get("volume") else f". {e['container-title']}"
            if e.get("issue"):
                s += f"({e['issue']})"
            if e.get("page"):
                s += f": {e['page'].replace('–', '-')}"
        else:
            place, pub = e.get("publisher-place"), e.get("publisher")
            if e["type"] in ("book", "report", "standard", "thesis"):
                place = place or ("[S.l.]" if western else "[出版地不详]")
                pub = pub or ("[s.n.]" if western else "[出版者不详]")
            if place and pub:
                s += f". {place}: {pub}"
            elif pub or place:
                s += f". {pub or place}"
            if e["type"] == "webpage" and len(e["issued"]["date-parts"][0]) == 3:
                s += ", ({:04d}-{:02d}-{:02d})".format(*e["issued"]["date-parts"][0])
        if e.get("accessed"):
            d = e["accessed"]["date-parts"][0]
            s += "[" + "-".join(f"{x:02d}" if i else str(x) for i, x in enumerate(d)) + "]"
        s += "."
        if e.get("URL"):
            s += f" {e['URL']}."
        if e.get("DOI"):
            s += f" DOI:{e['DOI']}."
        return s

    # -------------------------------------------------------------- APA 7
    def _apa(self, e: dict[str, Any]) -> str:
        names = [_apa_name(n) for n in e["author"]]
        if len(names) == 1:
            authors = names[0]
        elif len(names) <= 20:
            authors = ", ".join(names[:-1]) + ", & " + names[-1]
        else:
            authors = ", ".join(names[:19]) + ", … " + names[-1]
        year = _years(e, "–", "n.d.")
        d = (e.get("issued") or {}).get("date-parts", [[]])[0]
        if e["type"] == "webpage" and len(d) >= 2:
            year += f", {_MONTHS[d[1] - 1]}" + (f" {d[2]}" if len(d) == 3 else "")
        s = f"{_end(authors)} ({year}). "
        title = e["title"]
        if e["type"] == "article-journal":
            s += _end(title) + f" {e['container-title']}"
            if e.get("volume"):
                s += f", {e['volume']}"
                if e.get("issue"):
                    s += f"({e['issue'].replace('-', '–')})"
            if e.get("page"):
                s += f", {e['page'].replace('-', '–')}"
            s += "."
        else:
            extra = []
            if e["type"] == "software" and e.get("version"):
                extra.append(f"(Version {e['version']})")
            if e["type"] == "standard" and e.get("number"):
                extra.append(f"({e['number']})")
            label = {"dataset": "[Data set]", "software": "[Computer software]"}.get(e["type"])
            s += " ".join([title, *extra, *([label] if label else [])])
            s = _end(s)
            pub = e.get("publisher")
            own = {n.get("literal") for n in e["author"]}
            if pub and pub not in own:
                s += f" {_end(pub)}"
        if e.get("DOI"):
            s += f" https://doi.org/{e['DOI']}"
        elif e.get("URL"):
            s += f" {e['URL']}"
        return s

    def reference(self, key: str, lang: str = "zh") -> str:
        """The reference-list entry of ``key``: GB/T 7714-2015 著者-出版年制 (``zh``) or APA 7 (``en``)."""
        _lang(lang)
        return self._gbt(self._view(key, "zh")) if lang == "zh" else self._apa(self._view(key, "en"))

    def _names_in_text(self, e: dict[str, Any], lang: str) -> str:
        names = [_short_name(n) for n in e["author"]]
        if lang == "zh":
            if len(names) == 1:
                return names[0]
            return names[0] + (" 等" if e["language"] == "zh-CN" else " et al.")
        if len(names) == 1:
            return names[0]
        return f"{names[0]} & {names[1]}" if len(names) == 2 else f"{names[0]} et al."

    def _cite_part(self, c: Citation, lang: str, strict: bool) -> str:
        e = self._view(c.key, lang)
        year = _years(e, "–" if lang == "en" else "-", "n.d." if lang == "en" else "[出版年不详]")
        loc = translate_locator(c.locator, lang, strict=strict)
        s = f"{self._names_in_text(e, lang)}, {year}"
        if loc:
            s += (f": {loc}" if lang == "zh" else f", {loc}")
        return s

    def cite(self, key: str, lang: str = "zh", locator: str | None = None, strict: bool = True) -> str:
        """In-text author–year citation: ``(清华大学数据治理研究中心, 2020: 表3-1)`` /
        ``(Center on Data and Governance, Tsinghua University, 2020, Table 3-1)``."""
        _lang(lang)
        return "(" + self._cite_part(Citation(key, locator), lang, strict) + ")"

    def cite_all(self, citations: Sequence[Citation | str], lang: str = "zh", strict: bool = True) -> str:
        """Several works in one parenthesis, in the order given, separated by ``; ``."""
        _lang(lang)
        cs = [c if isinstance(c, Citation) else Citation(c) for c in citations]
        return "(" + "; ".join(self._cite_part(c, lang, strict) for c in dict.fromkeys(cs)) + ")" if cs else ""

    def reference_list(self, keys: Iterable[str], lang: str = "zh") -> list[str]:
        """Deduplicated references of ``keys`` in the order the style prescribes (module docstring)."""
        _lang(lang)
        uniq = list(dict.fromkeys(keys))
        for k in uniq:
            self.entry(k)

        def first(e: dict[str, Any]) -> tuple[str, ...]:
            """Every author's sort name in order (a single author sorts before the same author with others)."""
            return tuple((n.get("literal") or f"{n['family']} {n.get('given', '')}").casefold() for n in e["author"])

        def sort_key(k: str) -> tuple:
            e = self.entry(k)
            if lang == "en":
                v = self._view(k, "en")
                return (first(v), _years(v, "–", "0000"), v["title"].casefold(), k)
            if e["language"] == "zh-CN":
                return (0, e["custom"]["pinyin"].casefold(), _years(e, "-", "0000"), e["title"], k)
            return (1, first(e), _years(e, "-", "0000"), e["title"].casefold(), k)

        return [self.reference(k, lang) for k in sorted(uniq, key=sort_key)]

    # -------------------------------------------------------------- free text → keys
    def _matchers(self) -> tuple[re.Pattern[str], dict[str, str]]:
        if self._matcher is None:
            names: dict[str, str] = {}
            for k, e in self.entries.items():
                c = e.get("custom", {})
                for n in ([c["seed_file"]] if c.get("seed_file") else []) + list(c.get("aliases", [])):
                    names.setdefault(n.casefold(), k)
            alts = []
            for n in sorted(names, key=len, reverse=True):
                pat = re.escape(n)
                if re.match(r"\w", n, re.ASCII):
                    pat = r"(?<![A-Za-z0-9_])" + pat
                if re.search(r"\w$", n, re.ASCII):
                    pat += r"(?![A-Za-z0-9_])"
                alts.append(pat)
            self._matcher = (re.compile("|".join(alts) or r"(?!)", re.IGNORECASE), names)
        return self._matcher

    _LOCATOR_START = re.compile(rf"^(第|表|图|附录|附表|前言|后记|PART\b|{_CN_NUM}[（(、]|\d)", re.IGNORECASE)

    def resolve(self, text: str) -> list[Citation]:
        """The entries a free-text source names (a seed file such as ``001_704c0132a6179eba.txt``, or an
        alias such as ``CCID 2020``) with what follows each as its locator, e.g.
        ``001_704c0132a6179eba.txt (Tsinghua CDG 2020) 三(二) 表3-1`` → ``[Citation('tsinghua2020', '三(二) 表3-1')]``.
        Parts are separated by ``;``; a part naming no entry but starting like a locator (``第4章 …``)
        adds to the previous citation's locator. Text naming no known entry gives ``[]``."""
        if not isinstance(text, str) or not text.strip():
            return []
        pattern, names = self._matchers()
        out: list[Citation] = []
        for seg in re.split(r"\s*[;；]\s*", text):
            ms = list(pattern.finditer(seg))
            if not ms:
                if out and seg.strip() and self._LOCATOR_START.match(seg.strip()):
                    last = out[-1]
                    out[-1] = Citation(last.key, "; ".join(x for x in (last.locator, _clean_locator(seg)) if x) or None)
                continue
            skip_to = -1
            for j, m in enumerate(ms):
                if m.start() < skip_to:
                    continue
                key = names[m.group(0).casefold()]
                start = m.end()
                paren = re.match(r"\s*[（(]([^()（）]*)[)）]", seg[start:])
                if paren and any(names.get(x.group(0).casefold()) == key for x in pattern.finditer(paren.group(1))):
                    start += paren.end()
                    skip_to = start
                nxt = next((x.start() for x in ms[j + 1:] if x.start() >= start), len(seg))
                cit = Citation(key, _clean_locator(seg[start:nxt]))
                if cit not in out:
                    out.append(cit)
        return out

    # -------------------------------------------------------------- checks
    def unknown(self, keys: Iterable[str]) -> list[tuple[str, str | None]]:
        """Keys not in the bibliography, each with the closest existing key."""
        return [(k, self.closest(k)) for k in keys if k not in self.entries]


def _clean_locator(s: str) -> str | None:
    s = re.sub(r"\s+", " ", s).strip(" ,，:：.;；")
    while s.startswith(("(", "（")) and not re.search(r"[)）]", s):
        s = s[1:].strip()
    while s.endswith((")", "）")) and s.count("(") + s.count("（") < s.count(")") + s.count("）"):
        s = s[:-1].strip()
    return s or None


# ------------------------------------------------------------------ BibTeX (biblatex)
def tex_escape(s: str) -> str:
    """LaTeX special characters escaped (UTF-8 text kept: biber reads it)."""
    from dgkit.report.latex import escape_specials

    return escape_specials(s)


def _bib_names(names: list[dict[str, Any]]) -> str:
    out = []
    for n in names:
        if "literal" in n:
            out.append("{" + tex_escape(n["literal"]) + "}")
        else:
            fam = tex_escape(n["family"])
            fam = "{" + fam + "}" if " " in fam else fam
            out.append(f"{fam}, {tex_escape(n['given'])}" if n.get("given") else fam)
    return " and ".join(out)


def to_bibtex(bib: Bibliography) -> str:
    """biblatex entries of every item (in file order): @report @book @article @dataset @software @online
    (a standard is @report with ``type = {standard}``); ``langid``; a Chinese entry's English title in
    ``usera``; titles braced to keep their case; url and doi verbatim."""
    chunks = ["% Generated by `python -m dgkit.report.bibliography --write-bib` from data/bibliography.json.",
              "% Do not edit: edit the JSON and regenerate.", ""]
    for key, e in bib.entries.items():
        f: list[tuple[str, str]] = [("author", _bib_names(e["author"])), ("title", "{" + tex_escape(e["title"]) + "}")]
        if e["type"] == "article-journal":
            f.append(("journaltitle", tex_escape(e["container-title"])))
        parts = (e.get("issued") or {}).get("date-parts")
        if parts:
            ds = ["-".join(f"{x:02d}" if i else f"{x:04d}" for i, x in enumerate(d)) for d in parts]
            f.append(("date", ds[0] if len(ds) == 1 else f"{ds[0]}/{ds[-1]}"))
        pub = "institution" if e["type"] in ("report", "standard", "thesis") else "publisher"  # biblatex's field for a report
        for csl, bt in (("volume", "volume"), ("issue", "number"), ("page", "pages"), ("publisher", pub),
                        ("publisher-place", "location"), ("version", "version"), ("ISBN", "isbn"), ("genre", "type")):
            if e.get(csl):
                v = str(e[csl])
                f.append((bt, tex_escape(v.replace("–", "-").replace("-", "--")) if csl == "page" else tex_escape(v)))
        if e["type"] == "standard":
            f.append(("type", "standard"))
            if e.get("number"):
                f.append(("number", tex_escape(e["number"])))
        if e.get("URL"):
            f.append(("url", e["URL"]))
        if e.get("DOI"):
            f.append(("doi", e["DOI"]))
        f.append(("langid", "chinese" if e["language"] == "zh-CN" else "english"))
        if e["language"] == "zh-CN":
            f.append(("usera", "{" + tex_escape(e["custom"]["en"]["title"]) + "}"))
        if e.get("note"):
            f.append(("note", tex_escape(e["note"])))
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in f)
        chunks.append(f"@{BIBTEX_TYPES[e['type']]}{{{key},\n{body}\n}}\n")
    return "\n".join(chunks)


def kit_bib_path() -> Path:
    return data_dir() / "bibliography.bib"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dgkit.report.bibliography", description=__doc__.split("\n")[0])
    ap.add_argument("--write-bib", action="store_true", help="regenerate data/bibliography.bib from data/bibliography.json")
    ap.add_argument("--check-bib", action="store_true", help="exit 1 when data/bibliography.bib is not up to date")
    ap.add_argument("--list", choices=["zh", "en"], help="print the whole reference list in this language")
    args = ap.parse_args(argv)
    bib = load_bibliography()
    text = to_bibtex(bib)
    if args.write_bib:
        kit_bib_path().write_text(text, encoding="utf-8")
        print(f"wrote {display_path(kit_bib_path())} ({len(bib)} entries)")
    if args.check_bib:
        current = kit_bib_path().read_text(encoding="utf-8") if kit_bib_path().exists() else ""
        if current != text:
            print(f"{display_path(kit_bib_path())} is out of date: run python -m dgkit.report.bibliography --write-bib")
            return 1
    if args.list:
        print("\n".join(bib.reference_list(bib.keys, args.list)))
    if not (args.write_bib or args.check_bib or args.list):
        ap.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
