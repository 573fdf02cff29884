"""Edition params: safe YAML loading and validation against a schema, before any notebook runs.

One YAML per edition in ``params/``. Every problem is listed at once (:class:`ParamsProblems`), each
naming the file and the key: unknown keys (with the nearest valid key, at any depth), wrong types
(true/false is never a number), numbers outside their documented range (:data:`BOUNDS`, from
:mod:`dgkit.limits`), tier thresholds and cuts that are not strictly ordered or in range, periods,
groupings, covariates and units the dataset does not have, datasets and frameworks that do not open.

**Paths.** ``edition`` names the report folder and must be a safe slug (:func:`check_edition_name`);
``out`` may be any folder of the user's (relative to the params file), but not a file, the project
or a folder containing it, nor one of the kit's own folders (:func:`check_output_folder`; the
command line applies the same rule to ``--out``).

**YAML** (:func:`safe_load_yaml`, used for every YAML the kit reads: params, dataset and framework
YAMLs, the report's labels). Safe loading only; refused with the file and the row: a file above
``MAX_YAML_BYTES`` (before it is read), more than ``MAX_YAML_ALIASES`` aliases, more than
``MAX_YAML_NODES`` values once aliases are expanded, nesting deeper than ``MAX_YAML_DEPTH`` (all
checked on the parser's events, before anything is built), recursive aliases, a key given twice in
one mapping, tabs used for indentation, several documents in one file, a number YAML would read as
octal (``0012``) or base 60 (``1:20``), binary files, bytes that are not text. Repaired and logged
(``Params.notes``, ``Framework.notes``, a dataset's assumptions and the ``dgkit`` logger): a UTF-8
byte-order mark; a UTF-16/32 file; a GB18030/GBK file (Chinese Windows); a name or code written
plainly that YAML would turn into something else (``code: 1.10`` → "1.10", not 1.1; ``cohort: [NO]``
→ "NO", not false; ``code: 0012`` → "0012") is kept as the text written, for the keys
:data:`TEXT_KEYS` lists; a mapping key YAML would read as true/false, null or a changed number is
kept as text everywhere.
"""

from __future__ import annotations

import difflib
import functools
import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dgkit.errors import DgkitError, ParamsError
from dgkit.limits import (
    MAX_JOBS,
    MAX_MC_DRAWS,
    MAX_SOBOL_N,
    MAX_YAML_ALIASES,
    MAX_YAML_BYTES,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
)

CHAPTERS = {
    1: "01_index_construction",
    2: "02_ranking",
    3: "03_tiers",
    4: "04_pillars",
    5: "05_regions",
    6: "06_economy",
    7: "07_progress",
    8: "08_dispersion",
    9: "09_cities",
    10: "10_robustness",
    11: "11_benchmark",
    12: "12_disparity",
    13: "13_dynamics",
}

# key -> type, or a nested schema (dict), or a list item schema ([dict]); ``ANY`` accepts any mapping
ANY = object()
# text in the edition's language: a string, or {zh: …, en: …} for an edition run in both languages
TEXT = object()
_TIER_SCHEME = {"name": str, "label": TEXT, "scheme": str, "thresholds": list, "cuts": list, "k": int, "labels": list, "published": str, "by": str}
SCHEMA: dict[str, Any] = {
    "edition": str,
    "title": TEXT,
    "description": TEXT,
    "lang": str,
    "quick": bool,
    "seed": int,
    "out": str,
    "figure_formats": list,
    "figure_font": str,
    "chapters": list,
    "jobs": int,
    # the data: which dataset, which index (given or built), which periods
    "dataset": str,
    "panel_edition": str,
    "index": {"measure": str, "components": list, "label": TEXT, "framework": str, "options": dict,
              "variant": {"label": TEXT, "base_label": TEXT, "options": dict}},
    "year": int,
    "compare": (list, str),
    "cohort": (str, list),
    "groupings": list,
    "covariates": ANY,
    "tiers": [_TIER_SCHEME],
    "published_references": list,
    # chapter options
    "ranks": {"ties": str},
    "dispersion": {"ddof": int, "threshold": (int, float), "scale": list, "grouping": str},
    "progress": {"method": str, "ddof": int, "top": int},
    "pillars": {"top_n": int, "grouping": str},
    "cities": {"dataset": str, "types": str, "tiers": str, "shares": str},
    "robustness": {"mc_draws": int, "sobol_n": int},
    "dynamics": {"grouping": str, "bandwidth": (str, int, float), "classes": int, "scheme": str, "cuts": list, "weights": str,
                 "k": int, "permutations": int, "alpha": float},
    "benchmark": {"datasets": list, "kappa": {"scheme": str, "dataset": str, "reference": str, "mapping": dict, "categories": list}},
}
_COVARIATE = {"year": int, "vintage": str, "column": str}
REQUIRED = ("edition", "dataset", "index")
ENUMS = {
    ("lang",): ("zh", "en"),
    ("figure_font",): ("sans", "serif"),
    ("progress", "method"): ("z_change", "percentile_change", "relative_change"),
    ("ranks", "ties"): ("min", "average", "max", "first", "dense"),
    ("dynamics", "scheme"): ("quantile", "pooled", "fixed"),
}
TYPE_NAMES = {str: "text", bool: "true/false", int: "a whole number", list: "a list", dict: "a mapping", float: "a number"}
# keys of earlier params files and where their content went (named in the error)
MOVED = {"scores": "dataset + index.measure + year", "index.data": "dataset", "index.year": "year", "index.years": "compare",
         "gdp": "covariates: {gdp: {year: …, vintage: …}}", "regions": "groupings", "international": "benchmark",
         "robustness.indices": "benchmark.datasets", "robustness.kappa": "benchmark.kappa", "progress.panel": "dataset",
         "progress.editions": "compare", "cities.enabled": "cities.dataset"}


# ---------------------------------------------------------------------------------------------- YAML
# Keys whose values are names or codes, per kind of YAML file: a plain scalar there is kept as the text
# written (``code: 1.10`` is the code "1.10", never the number 1.1; ``code: yes`` is "yes", never True).
# A scalar value, the items of a list value and the values of a mapping value are kept as text.
TEXT_KEYS: dict[str, frozenset[str]] = {
    "params": frozenset({"edition", "title", "description", "lang", "dataset", "measure", "components", "label", "base_label",
                         "framework", "cohort", "groupings", "grouping", "name", "labels", "published", "by", "types", "tiers",
                         "shares", "reference", "datasets", "published_references", "scheme", "panel_edition", "out", "column",
                         "vintage", "method"}),
    "dataset": frozenset({"name", "aliases", "title", "short_title", "headline", "measures", "measure_column", "value_column",
                          "column", "name_en", "groupings", "references", "mean_of", "measure", "key", "level", "parent_level"}),
    "framework": frozenset({"code", "parent", "alt_parent", "name", "name_en", "members", "type"}),
}
_KIND_SHAPE = {
    "params": ("a params file", "keys such as edition:, dataset:, index:"),
    "dataset": ("a dataset YAML", "keys such as name:, file:, units:, period:"),
    "framework": ("a framework YAML", "keys such as name:, pillars:, indicators:"),
}
_TEXT_TAGS = ("bool", "int", "float", "timestamp")
_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")  # YAML 1.1 reads 0012 as octal 10
log = logging.getLogger("dgkit")


class _Limit(Exception):
    """A YAML limit (aliases, nodes, depth) crossed while reading the events."""

    def __init__(self, problem: str, line: int, expected: str) -> None:
        self.problem, self.line, self.expected = problem, line, expected
        super().__init__(problem)


@functools.cache
def _loader_class() -> type:
    """The safe loader (libyaml's when present) with duplicate keys refused and names kept as text."""
    import yaml
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        text_keys: frozenset[str] = frozenset()
        notes: list[str]
        file: str = ""

        def _plain_non_text(self, node: Any) -> bool:
            return (isinstance(node, ScalarNode) and not node.style  # plain: None (Python parser) or "" (libyaml)
                    and node.tag.rsplit(":", 1)[-1] in _TEXT_TAGS and node.tag.startswith("tag:yaml.org,2002:"))

        def _as_text(self, node: Any, key: str) -> str:
            if node in self.done:
                return node.value
            self.done.add(node)
            try:
                value = super().construct_object(node, deep=True)
            except (ValueError, TypeError, KeyError, OverflowError):  # 2020-02-30: no date, and text is what was wanted
                self.recursive_objects.pop(node, None)
                return node.value
            if value is None or isinstance(value, bool) or str(value) != node.value:
                where = f"the key {node.value}" if not key else f"{key}: {node.value}"
                self.notes.append(f"{self.file}, row {node.start_mark.line + 1}: {where} kept as the text {node.value!r} "
                                  f"(plain YAML reads it as {value!r}); quote it to say so: \"{node.value}\"")
            return node.value

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            key = self.marked.get(node)
            if key is not None:  # "" for a mapping key
                return self._as_text(node, key)
            if (isinstance(node, ScalarNode) and not node.style and node.tag == "tag:yaml.org,2002:int"
                    and (_OCTAL.match(node.value) or ":" in node.value)):
                value = super().construct_object(node, deep=deep)
                sign = "-" if node.value.startswith("-") else ""
                plain = sign + (node.value.replace("_", "").lstrip("+-").lstrip("0") or "0")
                octal = ":" not in node.value
                raise ParamsError(f"YAML reads {node.value} as the number {value} ({'octal' if octal else 'base 60'})", file=self.file,
                                  row=node.start_mark.line + 1, got=node.value,
                                  expected=(f"{plain} for the number" if octal else "a number without ':'")
                                  + f", or \"{node.value}\" (quoted) for the text")
            try:
                return super().construct_object(node, deep=deep)
            except DgkitError:
                raise
            except (ValueError, TypeError, KeyError, OverflowError) as exc:  # 2020-13-45, !!int abc …
                shown = node.value if isinstance(node, ScalarNode) else node.tag
                tag = node.tag.rsplit(":", 1)[-1]
                what = {"timestamp": "a date", "int": "a whole number", "float": "a number", "bool": "true/false"}.get(tag, f"!!{tag}")
                raise ParamsError(f"YAML cannot read {shown!r} as {what} ({exc})", file=self.file,
                                  row=node.start_mark.line + 1, expected=f"a valid value, or \"{shown}\" (quoted) for the text") from None

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, MappingNode):
                seen: dict[Any, int] = {}
                for k_node, v_node in node.value:
                    if k_node.tag == "tag:yaml.org,2002:merge":
                        continue
                    if self._plain_non_text(k_node) or (isinstance(k_node, ScalarNode) and not k_node.style
                                                        and k_node.tag == "tag:yaml.org,2002:null"):
                        try:
                            v = super().construct_object(k_node, deep=True)
                            lossy = v is None or isinstance(v, bool) or str(v) != k_node.value  # 2: stays 2; yes:, 1.10:, ~: text
                        except (ValueError, TypeError, KeyError, OverflowError):  # 2020-13-45: no date
                            self.recursive_objects.pop(k_node, None)
                            lossy = True
                        if lossy:
                            self.marked[k_node] = ""
                    key = self.construct_object(k_node, deep=True)
                    line = k_node.start_mark.line + 1
                    try:
                        first = seen.get(key)
                    except TypeError:  # an unhashable key: the base constructor says so
                        continue
                    if first is not None:
                        raise ParamsError(f"key '{key}' given twice (first at row {first}); YAML would silently keep the last one",
                                          file=self.file, row=line, column=str(key), expected="each key once in a mapping")
                    seen[key] = line
                    if isinstance(key, str) and key in self.text_keys:
                        kids = (v_node.value if isinstance(v_node, SequenceNode)
                                else [v for _, v in v_node.value] if isinstance(v_node, MappingNode) else [v_node])
                        for kid in kids:
                            if self._plain_non_text(kid):
                                self.marked[kid] = key
            return super().construct_mapping(node, deep=deep)

    return Loader


def _decode_yaml(data: bytes, file: str, notes: list[str]) -> str:
    """The text of a YAML file: UTF-8 (a byte-order mark is removed), UTF-16/32 with a BOM or
    recognisable by its zero bytes, or GB18030/GBK (Chinese Windows); each non-UTF-8 reading is noted."""
    import codecs

    boms = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
            (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for magic, what in ((b"PK\x03\x04", "a ZIP file (an Excel workbook?)"), (b"\xd0\xcf\x11\xe0", "an old Office file (.xls/.doc)"),
                        (b"%PDF", "a PDF file")):
        if data.startswith(magic):
            raise ParamsError(f"{what}, not YAML text", file=file, expected="a YAML text file (UTF-8)")
    enc = next((e for bom, e in boms if data.startswith(bom)), None)
    head = data[:64]
    if enc is None and len(head) >= 4 and b"\x00" in head:  # UTF-16 without a byte-order mark: every other byte zero
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd >= len(head) // 4 and even == 0:
            enc = "utf-16-le"
        elif even >= len(head) // 4 and odd == 0:
            enc = "utf-16-be"
    how = "save it as UTF-8 (in Notepad, Excel or VS Code: Save as → Encoding: UTF-8)"
    if enc is not None:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            raise ParamsError(f"the file looks like {enc.upper()} text but byte {exc.start} cannot be read as such", file=file,
                              expected=f"a UTF-8 text file; {how}") from None
        notes.append(f"{file}: read as {enc.upper().replace('-SIG', ' with a byte-order mark')}"
                     + ("" if enc == "utf-8-sig" else f"; {how} to silence this note"))
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start:exc.start + 2]
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise ParamsError(f"the file is not UTF-8 text (byte {bad[:1].hex().upper()} cannot be read; Latin-1 or Windows-1252?)",
                              file=file, row=row, expected=f"a UTF-8 text file; {how}") from None
        notes.append(f"{file}: not UTF-8 (byte {bad[:1].hex(' ').upper()} at row {row}): read as GB18030/GBK, the Chinese Windows "
                     f"encoding; {how} to silence this note")
        return text


def _check_yaml_limits(text: str, file: str) -> None:
    """Walk the YAML events (no recursion, no expansion) and refuse a document beyond the limits:
    more than MAX_YAML_ALIASES aliases, MAX_YAML_NODES nodes once aliases are expanded, nesting
    deeper than MAX_YAML_DEPTH, or an alias to its own enclosing node."""
    import yaml
    from yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        ScalarEvent,
    )

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        depth = aliases = nodes = 0
        sizes: dict[str, int] = {}
        stack: list[tuple[str | None, int]] = []
        while loader.check_event():
            ev = loader.get_event()
            line = ev.start_mark.line + 1 if ev.start_mark else 0
            if isinstance(ev, CollectionStartEvent):
                depth += 1
                nodes += 1
                if depth > MAX_YAML_DEPTH:
                    raise _Limit(f"YAML nested more than {MAX_YAML_DEPTH} levels deep", line,
                                 f"at most {MAX_YAML_DEPTH} levels of nesting (dgkit.limits.MAX_YAML_DEPTH)")
                stack.append((ev.anchor, nodes))
            elif isinstance(ev, CollectionEndEvent):
                anchor, start = stack.pop()
                depth -= 1
                if anchor:
                    sizes[anchor] = nodes - start + 1
            elif isinstance(ev, ScalarEvent):
                nodes += 1
                if ev.anchor:
                    sizes[ev.anchor] = 1
            elif isinstance(ev, AliasEvent):
                aliases += 1
                if aliases > MAX_YAML_ALIASES:
                    raise _Limit(f"more than {MAX_YAML_ALIASES} YAML aliases (*name)", line,
                                 f"at most {MAX_YAML_ALIASES} aliases in one file (dgkit.limits.MAX_YAML_ALIASES); write the values out")
                if ev.anchor in {a for a, _ in stack}:
                    raise _Limit(f"alias *{ev.anchor} inside the node it names (a recursive structure)", line,
                                 "an alias to a node defined before it, outside it")
                nodes += sizes.get(ev.anchor, 0)  # an undefined alias: the loader says so
            if nodes > MAX_YAML_NODES:
                raise _Limit(f"more than {MAX_YAML_NODES:,} values once the YAML aliases are expanded (an alias bomb?)", line,
                             f"at most {MAX_YAML_NODES:,} values after expansion (dgkit.limits.MAX_YAML_NODES)")
    finally:
        loader.dispose()


def safe_load_yaml(path: str | Path, *, kind: str | None = None, notes: list[str] | None = None) -> Any:
    """Load a YAML file safely (no Python tags); every problem names the file and its row (line).

    Refused: a file above MAX_YAML_BYTES (before it is read), a document beyond MAX_YAML_ALIASES,
    MAX_YAML_NODES or MAX_YAML_DEPTH (checked on the events, before anything is built), a key
    given twice in one mapping, tabs used for indentation, bytes that are neither UTF-8, UTF-16/32
    nor GB18030. Repaired and noted (``notes`` and the ``dgkit`` logger): a byte-order mark, a
    UTF-16/32 or GB18030/GBK file; a plain name or code YAML would turn into something else
    (``code: 1.10``, ``code: yes``, ``groupings: [on]``) is kept as the text written, for the keys
    :data:`TEXT_KEYS` lists for ``kind`` ("params", "dataset", "framework"), and a mapping key that
    YAML would read as true/false, null or a number that changes when written back is kept as text
    everywhere. With ``kind``, the document must be a mapping."""
    import yaml

    p = Path(path)
    file = str(p)
    if "\x00" in file:
        raise ParamsError("a file name with a NUL character", file=file.replace("\x00", "\\x00"), expected="a file name")
    if not _exists(p):
        raise ParamsError("file not found", file=file)
    if p.is_dir():
        raise ParamsError("a folder, not a file", file=file, expected="a YAML file")
    size = p.stat().st_size
    if size > MAX_YAML_BYTES:
        raise ParamsError("YAML file too large", file=file, got=f"{size:,} bytes",
                          expected=f"at most {MAX_YAML_BYTES:,} bytes (dgkit.limits.MAX_YAML_BYTES)")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ParamsError(f"cannot read the file: {exc.strerror or exc}", file=file) from None
    mine: list[str] = []
    text = _decode_yaml(data, file, mine)
    loader = None
    try:
        _check_yaml_limits(text, file)
        loader = _loader_class()(text)
        loader.file, loader.notes, loader.marked, loader.done = file, mine, {}, set()
        loader.text_keys = TEXT_KEYS.get(kind or "", frozenset())
        doc = loader.get_single_data()
    except _Limit as exc:
        raise ParamsError(exc.problem, file=file, row=exc.line, expected=exc.expected) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        unsafe = "constructor for the tag" in str(exc.problem)
        raise ParamsError(f"unsafe or unknown YAML tag: {exc.problem}" if unsafe else f"invalid YAML: {exc.problem}", file=file,
                          row=(mark.line + 1) if mark else None, expected="plain YAML (no !!python tags)" if unsafe else None) from None
    except yaml.reader.ReaderError as exc:
        row = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        raise ParamsError(f"a control character (#x{exc.character:04x}) in the text" if isinstance(exc.character, int)
                          else f"unreadable text: {exc.reason}", file=file, row=row,
                          expected="a YAML text file (is it a binary file, or saved in another encoding?)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = str(getattr(exc, "problem", None) or getattr(exc, "context", None) or exc)
        row = (mark.line + 1) if mark else None
        tabbed = next((i + 1 for i, ln in enumerate(text.splitlines()) if "\t" in ln[: len(ln) - len(ln.lstrip())]), None)
        if tabbed is not None and (row is None or tabbed <= row + 1):
            raise ParamsError("a tab used for indentation", file=file, row=tabbed,
                              expected="indentation with spaces only (YAML forbids tabs): replace the tab by spaces") from None
        if "another document" in problem:
            raise ParamsError("more than one YAML document in the file (a second '---' line)", file=file, row=row,
                              expected="one document per file: remove the '---' line, or split the file in two") from None
        line = text.splitlines()[row - 1] if row and row <= len(text.splitlines()) else ""
        if "sequence entries are not allowed" in problem and re.search(r":\s*-\s*(#.*)?$", line):
            raise ParamsError("a lone '-' after a key starts a list in YAML", file=file, row=row,
                              expected="to write the text '-', quote it: \"-\" (for a direction: -1)") from None
        raise ParamsError(f"invalid YAML: {problem}", file=file, row=row) from None
    except RecursionError:  # the depth limit makes this unreachable; kept as a last guard
        raise ParamsError("YAML nested too deep", file=file, expected=f"at most {MAX_YAML_DEPTH} levels of nesting") from None
    finally:
        if loader is not None:
            loader.dispose()
    for n in mine:  # a byte-order mark is harmless; the other repairs are worth seeing
        (log.info if "byte-order mark" in n else log.warning)(n)
    if notes is not None:
        notes.extend(mine)
    if kind and not isinstance(doc, dict):
        what, keys = _KIND_SHAPE[kind]
        if doc is None:
            raise ParamsError(f"{what} with no keys (the file is empty or only comments)", file=file, expected=f"a mapping of {keys}")
        got = f"a list of {len(doc)} item(s)" if isinstance(doc, list) else doc
        raise ParamsError(f"{what} must be a mapping of keys", file=file, row=1, expected=keys, got=got)
    return doc


# ---------------------------------------------------------------------------------------------- paths
def _exists(p: Path, what: str = "any") -> bool:
    """``p`` exists (as a file with ``what="file"``); a name the system cannot look up (a NUL
    character, too long) does not exist."""
    try:
        return p.is_file() if what == "file" else p.exists()
    except (OSError, ValueError):
        return False


EDITION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
RESERVED_SUFFIXES = (".failed", ".lab")
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
KIT_FOLDERS = ("dgkit", "data", "params", "notebooks", "tests", ".git", ".venv")
EDITION_RULE = "a plain folder name: letters, digits, '.', '_' or '-', at most 64, starting with a letter or digit"


def _slug(name: str) -> str:
    """The closest safe edition name: ASCII letters and digits, other runs of characters as '-'."""
    import unicodedata

    t = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    t = re.sub(r"[^A-Za-z0-9._-]+", "-", t)
    t = re.sub(r"\.{2,}", ".", t).strip("._-")[:64].rstrip("._-")
    while t.lower().endswith(RESERVED_SUFFIXES):
        t = t.rsplit(".", 1)[0].rstrip("._-")
    if t.split(".")[0].upper() in WINDOWS_RESERVED:
        t = f"{t.split('.')[0]}-edition"
    return t or "my-edition"


def check_edition_name(name: str, *, file: str | None, column: str = "edition") -> str:
    """``name`` when it is a safe report folder name (:data:`EDITION_RE`, not ``..``, not a Windows
    device name, not ending in ``.failed``/``.lab``); else a :class:`ParamsError` with a slug to use."""
    if not isinstance(name, str):
        raise ParamsError(f"'{column}' must be text", file=file, column=column, expected=EDITION_RULE, got=name)
    problem = None
    if not name.strip():
        problem = "the edition name is empty"
    elif "/" in name or "\\" in name or name.startswith("~") or re.match(r"^[A-Za-z]:", name):
        problem = "the edition is a path, not a name (the report folder is <output folder>/<edition>)"
    elif ".." in name:
        problem = "the edition name contains '..'"
    elif "\0" in name or any(ord(ch) < 32 for ch in name):
        problem = "the edition name contains a control character"
    elif name.startswith("."):
        problem = "the edition name starts with '.' (a hidden folder; the kit's staging folders start so)"
    elif name.lower().endswith(RESERVED_SUFFIXES):
        problem = f"the edition name ends in {name[name.rfind('.'):]!r}, the kit's suffix for its own folders"
    elif name.split(".")[0].upper() in WINDOWS_RESERVED:
        problem = f"{name.split('.')[0]!r} is a reserved device name on Windows"
    elif " " in name:
        problem = "the edition name contains spaces"
    elif not EDITION_RE.match(name):
        problem = "the edition name is not a safe folder name" + (" (longer than 64 characters)" if len(name) > 64 else "")
    if problem:
        raise ParamsError(problem, file=file, column=column, expected=EDITION_RULE, got=name, suggestion=_slug(name))
    return name


def check_output_folder(path: Path, *, file: str | None, column: str, root: Path | None = None) -> Path:
    """The resolved output folder, or a :class:`ParamsError`: ``path`` may be any folder of the
    user's, but not an existing file, the project folder or one of its ancestors, or a folder of
    the kit itself (:data:`KIT_FOLDERS`, or inside one). A relative ``path`` is taken from the
    working folder; params resolve ``out`` from the params file's folder before calling this.
    ``root``: the project folder (default :func:`dgkit.paths.project_root`)."""
    from dgkit import paths

    root = (root or paths.project_root()).resolve()
    if "\x00" in str(path) or any(ord(ch) < 32 for ch in str(path)):
        raise ParamsError("output folder name with a control character", file=file, column=column, expected="a folder name", got=str(path))
    target = Path(path).expanduser().absolute().resolve()
    mine = f"a folder of your own, such as {root / 'reports'}"
    if _exists(target) and not target.is_dir():
        raise ParamsError("output folder is an existing file", file=file, column=column, expected=mine, got=str(path))
    if target == root or target in root.parents:
        what = "the project folder itself" if target == root else "a folder that contains the project"
        raise ParamsError(f"output folder is {what}", file=file, column=column, expected=mine, got=str(path))
    for name in KIT_FOLDERS:
        kit = root / name
        if target == kit or kit in target.parents:
            raise ParamsError(f"output folder inside the kit's own '{name}' folder", file=file, column=column, expected=mine,
                              got=str(path))
    return target


def _check(d: Any, schema: dict[str, Any], where: tuple[str, ...], file: str, problems: list[ParamsError]) -> None:
    """Append a ParamsError to ``problems`` for every unknown key, wrong type or invalid value."""
    if not isinstance(d, dict):
        problems.append(ParamsError(f"'{'.'.join(where) or 'params'}' must be a mapping", file=file, column=".".join(where) or None,
                                    expected="key: value lines (or {key: value, …})", got=d if where else type(d).__name__))
        return
    for k, v in d.items():
        key = ".".join((*where, str(k)))
        if k not in schema:
            moved = MOVED.get(key)
            if moved:
                problems.append(ParamsError(f"'{key}' is a key of the earlier params format", file=file, column=key,
                                            expected=f"{moved} (see README, params reference)"))
                continue
            close = difflib.get_close_matches(str(k), list(schema), n=1, cutoff=0.5)
            problems.append(ParamsError(f"unknown key '{key}'", file=file, column=key, expected="one of " + ", ".join(schema),
                                        suggestion=[".".join((*where, c)) for c in close] or None))
            continue
        spec = schema[k]
        if spec is TEXT:
            if isinstance(v, dict):
                bad = [str(x) for x in v if x not in ("zh", "en")]
                if bad or not v or not all(isinstance(x, str) and x.strip() for x in v.values()):
                    problems.append(ParamsError(f"'{key}' must be text, or text per language", file=file, column=key,
                                                expected="text, or {zh: …, en: …}", got=v,
                                                suggestion=difflib.get_close_matches(bad[0], ["zh", "en"], n=1) or None if bad else None))
            elif not isinstance(v, str):
                problems.append(ParamsError(f"wrong type for '{key}'", file=file, column=key, expected="text, or {zh: …, en: …}", got=v))
            continue
        if spec is ANY:
            if not isinstance(v, dict):
                problems.append(ParamsError(f"'{key}' must be a mapping", file=file, column=key, got=v))
            else:
                for name, c in v.items():
                    _check(c if c is not None else {}, _COVARIATE, (*where, str(k), str(name)), file, problems)
            continue
        if isinstance(spec, dict):
            if v is not None:  # an empty section (`dispersion:` with its options commented out) is no section
                _check(v, spec, (*where, str(k)), file, problems)
        elif isinstance(spec, list):
            if not isinstance(v, list):
                problems.append(ParamsError(f"'{key}' must be a list", file=file, column=key, got=v))
                continue
            for i, item in enumerate(v):
                _check(item, spec[0], (*where, f"{k}[{i}]"), file, problems)
        else:
            types = spec if isinstance(spec, tuple) else (spec,)
            named = [t for t in types if not (t is int and float in types)]  # "a number" covers whole numbers
            types = (*types, int) if float in types else types
            ok = isinstance(v, types) and not (bool not in types and isinstance(v, bool))
            if not ok:
                want = " or ".join(TYPE_NAMES.get(t, t.__name__) for t in named)
                problems.append(ParamsError(f"wrong type for '{key}'", file=file, column=key, expected=want, got=v))
                continue
            if isinstance(v, float) and not math.isfinite(v):
                problems.append(ParamsError(f"'{key}' must be a finite number", file=file, column=key, expected=want_number(key), got=v))
                continue
        enum = ENUMS.get((*where, str(k)))
        if enum and v not in enum:
            problems.append(ParamsError(f"invalid value for '{key}'", file=file, column=key, expected=" / ".join(enum), got=v,
                                        suggestion=difflib.get_close_matches(str(v), enum, n=1) or None))


# numeric params checked before any work: dotted key -> (lowest, highest, what it is); None = no bound
BOUNDS: dict[str, tuple[float | None, float | None, str]] = {
    "jobs": (1, MAX_JOBS, "chapters run in parallel"),
    "seed": (0, 2**32 - 1, "the random seed"),
    "robustness.mc_draws": (2, MAX_MC_DRAWS, "Monte Carlo draws"),
    "robustness.sobol_n": (2, MAX_SOBOL_N, "the Sobol base sample size; a power of two such as 256 is best"),
    "progress.top": (1, None, "how many units the progress tables list"),
    "pillars.top_n": (1, None, "how many units the pillar tables list"),
    "dispersion.ddof": (0, 1, "0: population SD, the reports' choice; 1: sample SD"),
    "progress.ddof": (0, 1, "0: population SD, the reports' choice; 1: sample SD"),
}
POSITIVE = {"dispersion.threshold": "the SD threshold on the index's scale, e.g. 5"}


def want_number(key: str) -> str:
    """What a numeric key accepts, for messages."""
    if key in BOUNDS:
        lo, hi, what = BOUNDS[key]
        return f"{lo} … {hi} ({what})" if hi is not None else f"at least {lo} ({what})"
    return POSITIVE.get(key, "a finite number")


def _is_num(v: Any) -> bool:
    """A real number (true/false are not numbers here, although Python counts them as ints)."""
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _dotted(d: dict[str, Any], key: str) -> Any:
    cur: Any = d
    for part in key.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def _check_bounds(d: dict[str, Any], file: str, problems: list[ParamsError]) -> None:
    """Numeric params outside their documented range (:data:`BOUNDS`, dgkit.limits), before any work."""
    for key, (lo, hi, _what) in BOUNDS.items():
        v = _dotted(d, key)
        if _is_num(v) and ((lo is not None and v < lo) or (hi is not None and v > hi)):
            near = max(v, lo) if lo is not None else v
            near = min(near, hi) if hi is not None else near
            problems.append(ParamsError(f"'{key}' out of range", file=file, column=key, expected=want_number(key), got=v,
                                        suggestion=str(near)))
    for key, what in POSITIVE.items():
        v = _dotted(d, key)
        if _is_num(v) and not v > 0:
            problems.append(ParamsError(f"'{key}' must be positive", file=file, column=key, expected=f"a number > 0 ({what})", got=v))


@dataclass
class Params:
    """Validated params of one edition (``raw`` is the YAML mapping, ``path`` its file)."""

    raw: dict[str, Any]
    path: Path
    year_override: int | None = None
    as_written: dict[str, Any] | None = None  # the YAML as the user wrote it (paths not resolved): what the manifest echoes
    notes: list[str] = field(default_factory=list)  # repairs made while reading the YAML (encoding, names kept as text)

    @property
    def edition(self) -> str:
        return str(self.raw["edition"])

    @property
    def folder(self) -> str:
        """The report folder's name: the edition, with ``-<year>`` when the year was overridden."""
        return self.edition if self.year_override is None else f"{self.edition}-{self.year_override}"

    @property
    def lang(self) -> str:
        return self.raw.get("lang", "zh")

    def text(self, dotted: str, default: Any = None) -> Any:
        """A text key (``title``, ``index.label`` …) in the edition's language: the string written, or
        the ``zh``/``en`` entry of a mapping (the other language when this one is missing)."""
        v = self.get(dotted, default)
        if isinstance(v, dict):
            return v.get(self.lang) or v.get("en" if self.lang == "zh" else "zh") or default
        return v

    @property
    def quick(self) -> bool:
        return bool(self.raw.get("quick", False))

    def get(self, dotted: str, default: Any = None) -> Any:
        cur: Any = self.raw
        for part in dotted.split("."):
            if not isinstance(cur, dict) or part not in cur:
                return default
            cur = cur[part]
        return cur

    def chapters(self) -> list[str]:
        chs = self.raw.get("chapters") or list(CHAPTERS)
        return [CHAPTERS[c] if isinstance(c, int) else str(c) for c in chs]


def validate_params(d: Any, file: str, root: Path | None = None) -> None:
    """Raise :class:`~dgkit.errors.ParamsProblems` listing *every* problem of a params mapping:
    its structure (unknown keys, types, enums), then what it names in its dataset (measure,
    components, year, compare periods, groupings, covariates, tier references, cohort units),
    its framework and build options, and every other dataset it names."""
    from dgkit import paths
    from dgkit.errors import ParamsProblems

    problems: list[ParamsError] = []
    _check(d, SCHEMA, (), file, problems)
    if not isinstance(d, dict):
        raise ParamsProblems(file, problems)
    bad = [(key, v) for key, v in _strings(d) if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in v)]
    if bad:  # never handed to the file system
        problems += [ParamsError(f"a control character in '{key}'", file=file, column=key, expected="printable text", got=v) for key, v in bad]
        raise ParamsProblems(file, problems)
    for k in REQUIRED:
        if k not in d:
            problems.append(ParamsError(f"missing required key '{k}'", file=file, column=k,
                                        expected={"edition": "a short name (the report folder)",
                                                  "dataset": "a bundled dataset name or a path to a dataset YAML",
                                                  "index": "{measure: X} to analyse an index of the dataset, or {framework: F} to build one"}[k]))
    root = root or paths.project_root()
    if isinstance(d.get("edition"), str):
        try:
            check_edition_name(d["edition"], file=file)
        except ParamsError as exc:
            problems.append(exc)
    out = d.get("out")
    if isinstance(out, str):
        o = Path(out).expanduser()
        try:
            check_output_folder(o if o.is_absolute() else Path(file).absolute().parent / o, file=file, column="out", root=root)
        except ParamsError as exc:  # echo ``out`` as written
            problems.append(ParamsError(exc.problem, file=file, column="out", expected=exc.expected, got=out))
    _check_bounds(d, file, problems)
    seen_ch: set[str] = set()
    for c in _list(d.get("chapters")):
        if not (isinstance(c, int) and not isinstance(c, bool) and c in CHAPTERS) and not (isinstance(c, str) and c in CHAPTERS.values()):
            problems.append(ParamsError("unknown chapter", file=file, column="chapters", got=c,
                                        expected=", ".join(f"{k} ({v})" for k, v in CHAPTERS.items())))
            continue
        name = CHAPTERS[c] if isinstance(c, int) else c
        if name in seen_ch:
            problems.append(ParamsError(f"chapter {name} listed twice", file=file, column="chapters", got=c, expected="each chapter once"))
        seen_ch.add(name)
    for f in _list(d.get("figure_formats")):
        if f not in ("png", "pdf", "svg"):
            problems.append(ParamsError("unsupported figure format", file=file, column="figure_formats", expected="png, pdf or svg", got=f))
    ds = _dataset_or_problem(d.get("dataset"), "dataset", file, problems) if "dataset" in d else None
    index = d.get("index") if isinstance(d.get("index"), dict) else {}
    _check_index(index, ds, file, problems)
    names: dict[str, int] = {}
    for i, t in enumerate(_list(d.get("tiers"))):
        if isinstance(t, dict):
            _check_tier(t, f"tiers[{i}]", ds, file, problems)
            if isinstance(t.get("name"), str) and t["name"] in names:
                problems.append(ParamsError(f"tier scheme name {t['name']!r} used twice (tiers[{names[t['name']]}] and tiers[{i}])",
                                            file=file, column=f"tiers[{i}].name", expected="a name of its own for each tier scheme"))
            names.setdefault(t.get("name") if isinstance(t.get("name"), str) else "", i)
    if ds is not None:
        _check_in_dataset(d, ds, file, problems)
    for i, v in enumerate(_list(d.get("published_references"))):
        _dataset_or_problem(v, f"published_references[{i}]", file, problems)
    bench = d.get("benchmark") if isinstance(d.get("benchmark"), dict) else {}
    for i, v in enumerate(_list(bench.get("datasets"))):
        _dataset_or_problem(v, f"benchmark.datasets[{i}]", file, problems)
    kap = bench.get("kappa") if isinstance(bench.get("kappa"), dict) else None
    if kap:
        other = _dataset_or_problem(kap.get("dataset"), "benchmark.kappa.dataset", file, problems) if kap.get("dataset") else None
        if other is not None and isinstance(kap.get("reference"), str) and kap["reference"] not in other.references.columns:
            problems.append(_unknown("reference", "benchmark.kappa.reference", kap["reference"], list(other.references.columns), file))
        names = [t.get("name") for t in _list(d.get("tiers")) if isinstance(t, dict) and t.get("scheme") == "fixed"]
        if kap.get("scheme") and kap["scheme"] not in names:
            problems.append(_unknown("fixed tier scheme", "benchmark.kappa.scheme", kap["scheme"], names, file))
    cities = d.get("cities") if isinstance(d.get("cities"), dict) else {}
    if cities.get("dataset"):
        cds = _dataset_or_problem(cities["dataset"], "cities.dataset", file, problems)
        if cds is not None:
            if isinstance(cities.get("types"), str) and cities["types"] not in cds.grouping_names:
                problems.append(_unknown("grouping", "cities.types", cities["types"], cds.grouping_names, file))
            if isinstance(cities.get("tiers"), str) and cities["tiers"] not in cds.references.columns:
                problems.append(_unknown("reference", "cities.tiers", cities["tiers"], list(cds.references.columns), file))
            if isinstance(cities.get("shares"), str) and cities["shares"] not in cds.reference_tables:
                problems.append(_unknown("reference table", "cities.shares", cities["shares"], list(cds.reference_tables), file))
    if problems:
        raise ParamsProblems(file, problems)


def _strings(v: Any, where: str = "") -> list[tuple[str, str]]:
    """Every text value of a params mapping with its dotted key."""
    if isinstance(v, str):
        return [(where, v)]
    if isinstance(v, dict):
        return [x for k, c in v.items() for x in _strings(c, f"{where}.{k}" if where else str(k))]
    if isinstance(v, list):
        return [x for i, c in enumerate(v) for x in _strings(c, f"{where}[{i}]")]
    return []


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []


def _unknown(what: str, key: str, got: Any, valid: list[Any], file: str) -> ParamsError:
    return ParamsError(f"unknown {what}", file=file, column=key, got=got, expected="one of " + (", ".join(map(str, valid)) or "none"),
                       suggestion=difflib.get_close_matches(str(got), [str(v) for v in valid], n=1, cutoff=0.4) or None)


def _dataset_or_problem(name: Any, key: str, file: str, problems: list[ParamsError]) -> Any:
    """Open a dataset named in the params (a bundled name or alias, or a dataset YAML path)."""
    from dgkit.datasets import _catalogue_index, dataset_path, open_dataset
    from dgkit.errors import DatasetError, InputError

    if not isinstance(name, str):
        problems.append(ParamsError(f"wrong type for '{key}'", file=file, column=key, expected="a dataset name or a path to a dataset YAML", got=name))
        return None
    try:
        dataset_path(name)
    except InputError as exc:
        unknown = not name.endswith((".yaml", ".yml"))
        problems.append(ParamsError("unknown dataset" if unknown else exc.problem, file=file, column=key, got=name,
                                    expected="a bundled dataset name (dgkit data) or a path to a dataset YAML",
                                    suggestion=difflib.get_close_matches(name, list(_catalogue_index()), n=2, cutoff=0.4) if unknown else None))
        return None
    except (OSError, ValueError) as exc:  # a name the system cannot look up (too long …)
        problems.append(ParamsError(f"not a usable dataset name or path: {exc}", file=file, column=key, got=name))
        return None
    try:
        return open_dataset(name)
    except DatasetError as exc:
        problems.append(ParamsError(f"dataset {name!r} has problems: " + "; ".join(str(p) for p in exc.problems[:20]), file=file, column=key))
    except InputError as exc:
        problems.append(ParamsError(f"dataset {name!r}: {exc}", file=file, column=key))
    return None


def _check_index(index: dict[str, Any], ds: Any, file: str, problems: list[ParamsError]) -> None:
    """``index``: either ``measure`` (+ ``components``) of the dataset, or ``framework`` (+ ``options``)."""
    if not index:
        return
    if ("measure" in index) == ("framework" in index):
        problems.append(ParamsError("'index' needs exactly one of 'measure' (analyse an existing index) or 'framework' (build one)",
                                    file=file, column="index", got=sorted(index)))
    if "framework" in index and "components" in index:
        problems.append(ParamsError("'index.components' goes with 'index.measure'; a built index has its framework's pillars",
                                    file=file, column="index.components"))
    if "options" in index and "framework" not in index:
        problems.append(ParamsError("'index.options' needs 'index.framework'", file=file, column="index.options"))
    if ds is not None and isinstance(index.get("measure"), str):
        valid = [*ds.measures, *([ds.headline] if ds.headline and ds.headline not in ds.measures else [])]
        if index["measure"] not in valid:
            problems.append(_unknown(f"measure of dataset {ds.name!r}", "index.measure", index["measure"], valid, file))
        for i, c in enumerate(_list(index.get("components"))):
            if c not in ds.measures:
                problems.append(_unknown(f"measure of dataset {ds.name!r}", f"index.components[{i}]", c, ds.measures, file))
    fw = index.get("framework")
    if isinstance(fw, str):
        from dgkit.framework import load_framework

        try:
            framework = load_framework(fw)
        except Exception as exc:  # noqa: BLE001 - any problem of the framework file is reported here
            problems.append(ParamsError(f"framework {fw!r}: {exc}", file=file, column="index.framework"))
            framework = None
        if framework is not None and ds is not None:
            from dgkit.pipeline.build import match_indicators

            X, _ = match_indicators(ds.values, framework)
            missing = [c for c in framework.leaves if c not in X.columns]
            if missing:
                problems.append(ParamsError(f"dataset {ds.name!r} lacks {len(missing)} indicator(s) of framework {fw!r}: "
                                            + ", ".join(missing[:10]) + (" …" if len(missing) > 10 else ""), file=file, column="index.framework",
                                            suggestion=difflib.get_close_matches(missing[0], list(X.columns), n=1, cutoff=0.5) or None))
    opts = index.get("options") or {}
    if isinstance(opts, dict):
        _check_options(opts, file, problems)
    variant = index.get("variant")
    if isinstance(variant, dict):
        if "framework" not in index:
            problems.append(ParamsError("'index.variant' (a second build to compare with) needs 'index.framework'", file=file,
                                        column="index.variant"))
        if not isinstance(variant.get("options"), dict) or not variant["options"]:
            problems.append(ParamsError("'index.variant.options' must name the build options that differ (e.g. {normalisation: ccid})",
                                        file=file, column="index.variant.options", got=variant.get("options")))
        else:
            _check_options(variant["options"], file, problems, where="index.variant.options")


def _check_options(opts: dict[str, Any], file: str, problems: list[ParamsError], where: str = "index.options") -> None:
    from dgkit.pipeline.build import (
        BASES,
        OPTION_KINDS,
        OPTIONS,
        _ensure_steps_registered,
        _is_level_map,
    )
    from dgkit.pipeline.steps import StepError, make_step

    for k, v in opts.items():
        if k in ("periods",) or k not in OPTIONS:
            problems.append(ParamsError("unknown build option", file=file, column=f"{where}.{k}", got=k,
                                        expected=", ".join(o for o in OPTIONS if o != "periods") + " (periods come from year/compare)",
                                        suggestion=difflib.get_close_matches(str(k), OPTIONS, n=2, cutoff=0.5) or None))
            continue
        if k == "base" and v not in BASES:
            problems.append(ParamsError("unknown base", file=file, column=f"{where}.base", got=v, expected=" | ".join(BASES),
                                        suggestion=difflib.get_close_matches(str(v), BASES, n=1, cutoff=0.3) or None))
        kind = OPTION_KINDS.get(k)
        if kind == "treat" and isinstance(v, bool):
            continue
        specs = v.items() if kind and _is_level_map(v) else [(None, v)]
        typo = [(lev, key) for lev, spec in specs if isinstance(spec, dict) and "method" not in spec
                for key in spec if difflib.get_close_matches(str(key), ["method"], n=1, cutoff=0.6)]
        if typo:
            lev, key = typo[0]
            problems.append(ParamsError(f"unknown key '{key}' in the {k} step", file=file, got=key,
                                        column=f"{where}.{k}" + (f".{lev}" if lev is not None else "") + f".{key}",
                                        expected="{method: name, option: value, …}", suggestion="method"))
            continue
        if kind:
            _ensure_steps_registered()
            for lev, spec in (v.items() if _is_level_map(v) else [(None, v)]):
                try:
                    make_step(kind, spec, k)
                except StepError as exc:
                    problems.append(ParamsError(exc.problem, file=file, column=f"{where}.{k}" + (f".{lev}" if lev is not None else ""),
                                                expected=exc.expected, suggestion=exc.suggestion))


TIER_SCHEMES = ("fixed", "percentile", "five_equal", "natural_breaks")
COHORTS = ("all", "provinces", "provinces_with_corps")


def _closest_period(periods: list[int], y: Any) -> str | None:
    return str(min(periods, key=lambda p: abs(p - y))) if periods and isinstance(y, int) else None


def _check_in_dataset(d: dict[str, Any], ds: Any, file: str, problems: list[ParamsError]) -> None:
    """What the params name inside their dataset: periods, groupings, covariates, references, units."""
    periods = ds.periods
    year = d.get("year")
    if isinstance(year, int) and not isinstance(year, bool) and year not in periods:
        problems.append(ParamsError(f"dataset {ds.name!r} has no period {year}", file=file, column="year", got=year,
                                    expected="one of " + ", ".join(map(str, periods)), suggestion=_closest_period(periods, year)))
    comp = d.get("compare")
    if isinstance(comp, str) and comp != "all":
        problems.append(ParamsError("invalid value for 'compare'", file=file, column="compare", expected="all or a list of periods", got=comp))
    for i, c in enumerate(_list(comp)):
        if c not in periods:
            problems.append(ParamsError(f"dataset {ds.name!r} has no period {c}", file=file, column=f"compare[{i}]", got=c,
                                        expected="one of " + ", ".join(map(str, periods)), suggestion=_closest_period(periods, c)))
    for i, g in enumerate(_list(d.get("groupings"))):
        if g not in ds.grouping_names:
            problems.append(_unknown(f"grouping of dataset {ds.name!r}", f"groupings[{i}]", g, ds.grouping_names, file))
    covs = d.get("covariates") if isinstance(d.get("covariates"), dict) else {}
    for name, c in covs.items():
        c = c if isinstance(c, dict) else {}
        col = c.get("column", name)
        if not isinstance(col, str):
            continue  # its type is already reported
        builtin = name in ("gdp", "population") and ds.level == "province"
        if col not in ds.covariates.columns and not builtin:
            problems.append(ParamsError(f"dataset {ds.name!r} has no covariate {col!r}", file=file, column=f"covariates.{name}",
                                        expected="one of " + (", ".join(ds.covariates.columns) or "none")
                                        + ("" if ds.level != "province" else "; or the built-in gdp / population of provinces"),
                                        suggestion=difflib.get_close_matches(str(col), list(ds.covariates.columns), n=1) or None))
        yr = c.get("year")
        if isinstance(yr, int) and not isinstance(yr, bool):
            years = _covariate_years(ds, name, col, c.get("vintage") or "revised", builtin)
            if years is not None and yr not in years:
                problems.append(ParamsError(f"covariate {name!r} has no year {yr}", file=file, column=f"covariates.{name}.year", got=yr,
                                            expected="one of " + (", ".join(map(str, years)) or "none"), suggestion=_closest_period(years, yr)))
        if c.get("vintage") not in (None, "revised", "first_release"):
            problems.append(ParamsError("invalid value for covariate vintage", file=file, column=f"covariates.{name}.vintage",
                                        expected="revised / first_release", got=c.get("vintage"),
                                        suggestion=difflib.get_close_matches(str(c.get("vintage")), ["revised", "first_release"], n=1, cutoff=0.3) or None))
    cohort = d.get("cohort")
    if isinstance(cohort, str) and cohort not in COHORTS:
        problems.append(_unknown("cohort", "cohort", cohort, [*COHORTS, "a list of units"], file))
    elif isinstance(cohort, str) and cohort.startswith("provinces") and ds.level != "province":
        problems.append(ParamsError(f"cohort {cohort!r} is for provincial data; dataset {ds.name!r} is at level {ds.level!r}",
                                    file=file, column="cohort", expected="all or a list of units"))
    if isinstance(cohort, list):
        from dgkit.report.edition import match_units

        _, unknown = match_units(ds, cohort)
        names = [*ds.units["name_zh"].dropna().astype(str), *ds.units["name_en"].dropna().astype(str)]
        for u in unknown:
            problems.append(_unknown(f"unit of dataset {ds.name!r}", "cohort", u, names, file))
    for sect in ("dispersion", "pillars", "dynamics"):
        grp = d[sect].get("grouping") if isinstance(d.get(sect), dict) else None
        if grp and grp not in ds.grouping_names:
            problems.append(_unknown(f"grouping of dataset {ds.name!r}", f"{sect}.grouping", grp, ds.grouping_names, file))
    _check_dynamics(d.get("dynamics"), file, problems)
    sc = (d.get("dispersion") or {}).get("scale") if isinstance(d.get("dispersion"), dict) else None
    if sc is not None and not (isinstance(sc, list) and len(sc) == 2 and all(isinstance(x, int | float) and not isinstance(x, bool) for x in sc)
                               and sc[0] < sc[1]):
        problems.append(ParamsError("dispersion.scale must be [lowest, highest] of the index's scale", file=file, column="dispersion.scale",
                                    got=sc, expected="e.g. [0, 100] or [0, 1]"))
    _check_panel_edition(d.get("panel_edition"), file, problems)


def _covariate_years(ds: Any, name: str, col: Any, vintage: str, builtin: bool) -> list[int] | None:
    """The years a covariate has (the dataset's own, or the built-in provincial GDP / population); None if unknown."""
    try:
        if col in ds.covariates.columns:
            return sorted(int(y) for y in ds.covariate(col).columns)
        if builtin:
            from dgkit import data

            if name == "gdp":
                return sorted(int(y) for y in data.gdp(vintage if vintage in ("revised", "first_release") else "revised")["year"].unique())
            return sorted(int(y) for y in data.population()["year"].unique())
    except Exception:  # noqa: BLE001 - the chapter says what is missing; this check only helps earlier
        return None
    return None


def _check_panel_edition(pe: Any, file: str, problems: list[ParamsError]) -> None:
    """``panel_edition``: another params file, valid itself, whose dataset has several periods (it may
    not name a panel edition of its own)."""
    if not isinstance(pe, str):
        return
    path = Path(pe)
    if not _exists(path, "file"):
        from dgkit import paths

        path = paths.project_root() / pe
    if not _exists(path, "file"):
        problems.append(ParamsError("panel_edition names no params file", file=file, column="panel_edition", got=pe,
                                    expected="a params YAML, e.g. nbs.yaml beside this file"))
        return
    if path.resolve() == Path(file).resolve():
        problems.append(ParamsError("panel_edition names this params file itself", file=file, column="panel_edition", got=pe))
        return
    try:
        raw = safe_load_yaml(path)
        if isinstance(raw, dict) and raw.get("panel_edition"):  # checked before loading it: a chain (or a cycle) is never followed
            problems.append(ParamsError("a panel edition may not name a panel edition of its own", file=file, column="panel_edition", got=pe))
            return
        inner = load_params(path)
        from dgkit.datasets import open_dataset

        periods = open_dataset(inner.raw["dataset"]).periods
        if len(periods) < 2:
            problems.append(ParamsError(f"panel_edition {path.name} analyses one period only ({', '.join(map(str, periods))})",
                                        file=file, column="panel_edition", got=pe,
                                        expected="a params file whose dataset has several periods (a panel), e.g. nbs.yaml"))
    except ParamsError as exc:  # ParamsProblems is a ParamsError
        problems.append(ParamsError(f"panel_edition {path.name} is not valid: {exc}", file=file, column="panel_edition"))


WEIGHT_KINDS = ("contiguity", "knn", "distance")
BANDWIDTHS = ("scott", "silverman")
MAX_PERMUTATIONS = 99_999


def _check_dynamics(dyn: Any, file: str, problems: list[ParamsError]) -> None:
    """The options of chapters 12 and 13 (kernel density, Dagum grouping, Markov classes, spatial weights, permutations)."""
    if not isinstance(dyn, dict):
        return
    bw = dyn.get("bandwidth")
    if isinstance(bw, str) and bw not in BANDWIDTHS:
        problems.append(_unknown("bandwidth rule", "dynamics.bandwidth", bw, list(BANDWIDTHS), file))
    elif _is_num(bw) and not bw > 0:
        problems.append(ParamsError("a bandwidth factor must be positive", file=file, column="dynamics.bandwidth", got=bw, expected="scott, silverman or a number > 0"))
    k = dyn.get("classes")
    k = k if isinstance(k, int) and not isinstance(k, bool) else None
    if k is not None and not 2 <= k <= 10:
        problems.append(ParamsError("Markov classes must be between 2 and 10", file=file, column="dynamics.classes", got=k, expected="2–10 (4 or 5 usual)"))
    cuts = dyn.get("cuts")
    if cuts is not None and not isinstance(cuts, list):
        return  # its type is already reported
    if isinstance(k, int) and cuts and len(cuts) + 1 != k:
        problems.append(ParamsError("dynamics.classes disagrees with dynamics.cuts", file=file, column="dynamics.classes", got=k,
                                    expected=f"{len(cuts) + 1} (one more than the cuts), or leave classes out"))
    if dyn.get("scheme") == "fixed" and (not cuts or not all(_is_num(x) for x in cuts) or list(cuts) != sorted(set(cuts))):
        problems.append(ParamsError("scheme 'fixed' needs increasing numeric cuts", file=file, column="dynamics.cuts", got=cuts, expected="e.g. [0.25, 0.5, 0.75]"))
    if cuts is not None and dyn.get("scheme") != "fixed":
        problems.append(ParamsError("dynamics.cuts are used only with scheme: fixed", file=file, column="dynamics.cuts", got=cuts,
                                    expected="scheme: fixed, or no cuts"))
    w = dyn.get("weights")
    if isinstance(w, str) and w not in WEIGHT_KINDS and not (w.lower().endswith(".csv") and _exists(Path(w))):
        problems.append(ParamsError("spatial weights must be a kind or an existing CSV (unit_id, neighbour_id[, weight])", file=file,
                                    column="dynamics.weights", got=w, expected=" | ".join(WEIGHT_KINDS) + " | path/to/weights.csv",
                                    suggestion=(difflib.get_close_matches(w, WEIGHT_KINDS, n=1) or [None])[0]))
    kk = dyn.get("k")
    if isinstance(kk, int) and not isinstance(kk, bool) and not 1 <= kk <= 30:
        problems.append(ParamsError("k nearest neighbours must be between 1 and 30", file=file, column="dynamics.k", got=kk, expected="1–30 (4 usual)"))
    perm = dyn.get("permutations")
    if isinstance(perm, int) and not isinstance(perm, bool) and not 0 <= perm <= MAX_PERMUTATIONS:
        problems.append(ParamsError("permutations out of range", file=file, column="dynamics.permutations", got=perm, expected=f"0–{MAX_PERMUTATIONS} (999 usual)"))
    a = dyn.get("alpha")
    if _is_num(a) and not 0 < a < 1:
        problems.append(ParamsError("alpha must be between 0 and 1", file=file, column="dynamics.alpha", got=a, expected="e.g. 0.05"))


TIER_KEYS = {"fixed": ("thresholds", "labels"), "percentile": ("cuts", "labels"), "five_equal": ("by",), "natural_breaks": ("k",)}


def _check_tier(t: dict[str, Any], where: str, ds: Any, file: str, problems: list[ParamsError]) -> None:
    """One tier scheme: its keys, thresholds or cuts (numbers, strictly ordered, in range) and labels
    (one per tier, each once); ``ds`` (None when the dataset did not open) checks ``published``."""
    def bad(problem: str, key: str, got: Any = None, expected: str | None = None, suggestion: Any = None) -> None:
        problems.append(ParamsError(problem, file=file, column=f"{where}.{key}" if key else where, got=got, expected=expected,
                                    suggestion=suggestion))

    for k in ("name", "scheme"):
        if k not in t:
            bad(f"tier scheme without '{k}'", "", expected="name: …, scheme: fixed | percentile | five_equal | natural_breaks")
    scheme = t.get("scheme")
    if scheme is not None and scheme not in TIER_SCHEMES:
        problems.append(_unknown("tier scheme", f"{where}.scheme", scheme, list(TIER_SCHEMES), file))
        return
    for k in ("thresholds", "cuts", "labels", "by", "k"):
        if k in t and scheme in TIER_KEYS and k not in TIER_KEYS[scheme]:
            users = [s for s, ks in TIER_KEYS.items() if k in ks]
            bad(f"'{k}' is not used by scheme {scheme!r}", k, got=t[k], expected=f"no '{k}' (it is read by scheme {' / '.join(users)})"
                + ("; the tiers of five_equal and natural_breaks are named 第一梯队 … in order" if k == "labels" else ""))
    labels = t.get("labels")
    if isinstance(labels, list):
        dup = sorted({str(x) for x in labels if labels.count(x) > 1})
        if dup:
            bad(f"tier label {dup[0]!r} given twice", "labels", got=labels, expected="a different label for each tier")
    n_labels = len(labels) if isinstance(labels, list) else 0
    if scheme == "fixed":
        th = t.get("thresholds")
        if not isinstance(th, list) or not th or not all(_is_num(x) for x in th):
            bad("fixed tiers need numeric thresholds in descending order", "thresholds", got=th, expected="e.g. [70, 65, 60, 50]")
        elif len(set(th)) < len(th):
            bad(f"threshold {sorted({x for x in th if th.count(x) > 1})[0]} given twice (it would make an empty tier)", "thresholds",
                got=th, expected="strictly descending thresholds", suggestion=str(sorted(set(th), reverse=True)))
        elif list(th) != sorted(th, reverse=True):
            bad("fixed tiers need numeric thresholds in descending order", "thresholds", got=th,
                expected="the highest tier's lower bound first, e.g. [70, 65, 60, 50]", suggestion=str(sorted(th, reverse=True)))
        elif n_labels != len(th) + 1 and (labels or len(th) != 4):
            bad("fixed tiers need one label more than thresholds (without labels: 4 thresholds, Tsinghua's five tiers)", "labels",
                got=n_labels, expected=str(len(th) + 1))
    if scheme == "percentile":
        cuts = t.get("cuts")
        if not isinstance(cuts, list) or not cuts or not all(_is_num(x) for x in cuts):
            bad("percentile tiers need numeric cuts", "cuts", got=cuts, expected="increasing shares between 0 and 1, e.g. [0.10, 0.25, 0.45, 0.65]")
        elif not all(0 < x < 1 for x in cuts):
            pct = all(0 < x < 100 for x in cuts)
            bad("percentile cuts are shares between 0 and 1 (exclusive)" + (", not percentages" if pct and any(x >= 1 for x in cuts) else ""),
                "cuts", got=cuts, expected="e.g. [0.10, 0.25, 0.45, 0.65]",
                suggestion=str([round(x / 100, 6) for x in cuts]) if pct and any(x >= 1 for x in cuts) else None)
        elif len(set(cuts)) < len(cuts):
            bad(f"cut {sorted({x for x in cuts if cuts.count(x) > 1})[0]} given twice (it would make an empty tier)", "cuts", got=cuts,
                expected="strictly increasing cuts", suggestion=str(sorted(set(cuts))))
        elif list(cuts) != sorted(cuts):
            bad("percentile tiers need increasing cuts between 0 and 1", "cuts", got=cuts, expected="the top tier's share first, e.g. "
                "[0.10, 0.25, 0.45, 0.65]", suggestion=str(sorted(cuts)))
        elif n_labels != len(cuts) + 1 and (labels or len(cuts) != 4):
            bad("percentile tiers need one label more than cuts (without labels: 4 cuts, Tsinghua's five tiers)", "labels",
                got=n_labels, expected=str(len(cuts) + 1))
    if scheme == "five_equal" and t.get("by", "range") not in ("range", "count"):
        problems.append(_unknown("way to split five equal parts", f"{where}.by", t.get("by"), ["range", "count"], file))
    if scheme == "natural_breaks":
        k = t.get("k", 4)
        if not (isinstance(k, int) and not isinstance(k, bool) and 2 <= k <= 5):
            bad("natural breaks need k between 2 and 5", "k", got=k, expected="2 … 5")
    pub = t.get("published")
    if isinstance(pub, str) and (ds is not None or "." in pub):
        name, _, col = pub.rpartition(".")
        other = _dataset_or_problem(name, f"{where}.published", file, problems) if name else ds
        if other is not None and col not in other.references.columns:
            problems.append(_unknown(f"reference of dataset {other.name!r}", f"{where}.published", col, list(other.references.columns), file))


def load_params(path: str | Path, year: int | None = None, lang: str | None = None) -> Params:
    """Load and validate an edition's params file; ``year`` overrides its focus ``year``
    (``dgkit report --year``) and is validated like the rest; ``lang`` its language (a panel
    edition speaks the language of the edition that names it)."""
    from dgkit import paths

    p = Path(path)
    if not p.is_absolute() and not _exists(p):
        p = paths.project_root() / p
    notes: list[str] = []
    d = safe_load_yaml(p, kind="params", notes=notes)
    written = d
    if isinstance(d, dict):
        d = _resolve_paths(d, p.resolve().parent)
    if year is not None and isinstance(d, dict):
        d = {**d, "year": int(year)}
    if lang is not None and isinstance(d, dict):
        d = {**d, "lang": lang}
    validate_params(d, str(p))
    return Params(d, p.resolve(), int(year) if year is not None else None, written, notes)


def _resolve_paths(d: dict[str, Any], base: Path) -> dict[str, Any]:
    """A dataset or framework YAML named by a relative path is read beside the params file first
    (then, as before, from the current folder or the project)."""
    import copy

    d = copy.deepcopy(d)

    def fix(v: Any, suffixes: tuple[str, ...] = (".yaml", ".yml"), *elsewhere: Path) -> Any:
        if isinstance(v, str) and v.lower().endswith(suffixes) and not Path(v).is_absolute():
            for folder in (base, *elsewhere):
                if _exists(folder / v):
                    return str((folder / v).resolve())
        return v

    d["dataset"] = fix(d.get("dataset")) if "dataset" in d else None
    if d["dataset"] is None:
        d.pop("dataset")
    for sect, key in (("index", "framework"), ("cities", "dataset")):
        if isinstance(d.get(sect), dict) and key in d[sect]:
            d[sect][key] = fix(d[sect][key])
    if isinstance(d.get("benchmark"), dict):
        b = d["benchmark"]
        if isinstance(b.get("datasets"), list):
            b["datasets"] = [fix(x) for x in b["datasets"]]
        if isinstance(b.get("kappa"), dict) and "dataset" in b["kappa"]:
            b["kappa"]["dataset"] = fix(b["kappa"]["dataset"])
    if isinstance(d.get("published_references"), list):
        d["published_references"] = [fix(x) for x in d["published_references"]]
    if "panel_edition" in d:  # beside the params file, else the project's params/
        from dgkit import paths

        d["panel_edition"] = fix(d["panel_edition"], (".yaml", ".yml"), paths.project_root() / "params")
    if isinstance(d.get("dynamics"), dict) and "weights" in d["dynamics"]:  # a weights table beside the params file
        d["dynamics"]["weights"] = fix(d["dynamics"]["weights"], (".csv",))
    return d
