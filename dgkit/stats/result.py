"""A small result object: a tidy table, headline facts and a citation-ready sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


def fmt_p(p: float) -> str:
    """'p < 0.001', 'p < 0.01', 'p = 0.03' — the way papers print p-values."""
    if p != p:  # NaN
        return "p = n/a"
    if p < 0.001:
        return "p < 0.001"
    if p < 0.01:
        return "p < 0.01"
    return f"p = {p:.2f}"


@dataclass
class StatResult:
    """``table`` (tidy DataFrame), ``facts`` (name → number) and ``sentence`` (one line to cite)."""

    table: pd.DataFrame
    sentence: str
    facts: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        return self.sentence + "\n" + self.table.to_string()

    def text(self, key: str, lang: str = "zh") -> str:
        """The finding in ``lang``: the catalogue's ``facts.<key>`` (dgkit/report/labels.yaml) filled
        with this result's facts, ``@word`` fields in that language (the recorder adds unit names)."""
        from dgkit.report.labels import Labels

        t = Labels(lang)
        return t(f"facts.{key}", **{k: t.word(v, self.facts) for k, v in self.facts.items()})

    def _repr_html_(self) -> str:  # pragma: no cover - notebooks
        return f"<p>{self.sentence}</p>" + self.table.to_html()


class Missing:
    """An input an analysis needs and the edition does not have (no GDP covariate, one period, no
    external index on common units …). It is falsy, states its ``reason`` in the edition's
    language, and propagates: an attribute, an item or a call of it is the same ``Missing``, and
    every analysis or plotting function decorated with :func:`skippable` returns it unchanged
    instead of running. The recorder turns it into a stated skip; nothing crashes and no bundled
    data is substituted.
    """

    __slots__ = ("fields", "key", "reason")

    def __init__(self, reason: str, key: str | None = None, **fields: Any) -> None:
        self.reason = str(reason)
        self.key = key  # a skip reason of the labels catalogue (skips.<key>), for the edition's language
        self.fields = fields

    @classmethod
    def undefined(cls, key: str, reason: str, **fields: Any) -> Missing:
        """A result the data cannot define (e.g. Theil T of non-positive values): ``reason`` in
        English, ``key`` naming the catalogue's text for the report's language."""
        return cls(reason, key, **fields)

    def __bool__(self) -> bool:
        return False

    def __call__(self, *args: Any, **kwargs: Any) -> Missing:
        return self

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key: Any) -> Missing:
        return self

    def __len__(self) -> int:
        return 0

    def __iter__(self):  # noqa: ANN204
        return iter(())

    def __repr__(self) -> str:
        return f"Missing({self.reason!r})"

    def summary(self) -> str:
        return f"skipped: {self.reason}"

    def _repr_markdown_(self) -> str:  # pragma: no cover - notebooks
        return f"> ⊘ {self.reason}"


def skippable(func):  # noqa: ANN001, ANN201
    """Decorator: a :class:`Missing` for a *required* argument returns that Missing instead of
    calling ``func`` (the section is skipped, with its reason); a Missing for an *optional*
    argument (one with a default) is treated as not given (None)."""
    import functools
    import inspect

    sig = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        bound = sig.bind_partial(*args, **kwargs)
        for name, v in list(bound.arguments.items()):
            if isinstance(v, Missing):
                if sig.parameters[name].default is inspect.Parameter.empty:
                    return v
                bound.arguments[name] = None
        return func(*bound.args, **bound.kwargs)

    return wrapper

