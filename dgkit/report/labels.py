"""The zh/en labels catalogue (``labels.yaml`` beside this module): table captions, figure titles,
skip reasons and the findings sentences of every chapter. Code holds no inline translation pairs.

``Labels("zh")("tables.ranking", year=2020)`` formats the zh text of key ``tables.ranking`` with
``str.format`` fields. A key missing from the catalogue, or present in one language only, is an
error (a test checks that every key has both).
"""

from __future__ import annotations

import functools
import math
import numbers
import string
from pathlib import Path
from typing import Any

LANGS = ("zh", "en")


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    """Flat ``{dotted.key: {zh, en}}`` view of labels.yaml."""
    from dgkit.params import safe_load_yaml

    raw = safe_load_yaml(Path(__file__).with_name("labels.yaml"))
    out: dict[str, dict[str, str]] = {}

    def walk(d: dict[str, Any], prefix: str) -> None:
        for k, v in d.items():
            key = f"{prefix}{k}"
            if isinstance(v, dict) and set(v) <= set(LANGS) and v:
                out[key] = {lang: str(v.get(lang, "")) for lang in LANGS}
            elif isinstance(v, dict):
                walk(v, key + ".")
            else:
                raise ValueError(f"labels.yaml: {key} must map zh/en to text")

    walk(raw, "")
    return out


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Labels:
    """Text of the catalogue in one language."""

    def __init__(self, lang: str = "zh") -> None:
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}; expected zh or en")
        self.lang = lang

    def has(self, key: str) -> bool:
        return key in catalogue()

    def __call__(self, key: str, **fields: Any) -> str:
        entry = catalogue().get(key)
        if entry is None:
            import difflib

            raise KeyError(f"labels.yaml has no key {key!r}; closest: {difflib.get_close_matches(key, list(catalogue()), n=3)}")
        return string.Formatter().vformat(entry[self.lang], (), _Default(fields))

    def fields(self, key: str) -> list[str]:
        """The format fields a key's text uses, in order of appearance (English text, then any the
        Chinese text adds)."""
        out: list[str] = []
        for lang in ("en", "zh"):
            for _, f, _, _ in string.Formatter().parse(catalogue()[key][lang]):
                name = f.split(".")[0].split("[")[0].split("!")[0] if f else ""
                if name and name not in out:
                    out.append(name)
        return out

    def word(self, v: Any, values: dict[str, Any] | None = None) -> Any:
        """A fact's field in this language: ``@word`` from the catalogue's words (formatted with
        ``values``), a number the data cannot define as the word for undefined (never "nan"; it
        takes any format spec), anything else as it is."""
        if isinstance(v, numbers.Real) and not math.isfinite(v):  # numpy floats included
            return Undefined(self("words.undefined"))
        if isinstance(v, str) and v.startswith("@") and self.has(f"words.{v[1:]}"):
            return self(f"words.{v[1:]}", **(values or {}))
        return v


class Undefined(str):
    """A number the data cannot define, shown as a word whatever the format spec (``{cv:.3f}``)."""

    def __format__(self, spec: str) -> str:
        return str(self)
