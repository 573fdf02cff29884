"""A small result object: a tidy table, headline facts and a citation-ready sentence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
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
        sep = "、" if lang == "zh" else ", "  # lists joined as the recorder joins them (never a Python list's repr)
        return t(f"facts.{key}", **{k: sep.join(map(str, v)) if isinstance(v, list | tuple) else t.word(v, self.facts)
                                    for k, v in self.facts.items()})

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

    def explain(self, lang: str = "en") -> str:
        """Why the result is missing, in ``lang``: the catalogue's ``skips.<key>`` filled with the
        fields (what a report prints), else the English reason."""
        from dgkit.report.labels import Labels

        t = Labels(lang)
        if self.key and t.has(f"skips.{self.key}"):
            return t(f"skips.{self.key}", **self.fields)
        return self.reason

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



# ------------------------------------------------------------------ degenerate inputs (issue 16)
def unit_names(ids: Iterable[Any], limit: int = 5) -> str:
    """Units for a message: a province code with its name (``440000 广东``), anything else as it is;
    at most ``limit`` shown, then how many in all."""
    ids = [str(i[0] if isinstance(i, tuple) else i) for i in ids]  # (unit, period) rows: the unit (the period is said elsewhere)
    try:
        from dgkit.units import province_table

        names = dict(zip(province_table()["unit_id"].astype(str), province_table()["name_zh"].astype(str), strict=False))
    except Exception:  # noqa: BLE001 - names are a courtesy; a message never fails for want of them
        names = {}
    shown = [f"{i} {names[i]}" if i in names else i for i in ids[:limit]]
    return ", ".join(shown) + (f" … ({len(ids)} in all)" if len(ids) > limit else "")


def require_finite(values: pd.Series | pd.DataFrame, statistic: str, error: type[Exception] | None = None) -> None:
    """Raise (``AnalysisError`` by default) naming the units and columns that hold ±inf: no statistic
    of dgkit is defined on an infinite value (a ratio divided by zero upstream, or an overflow)."""
    v = values.to_frame() if isinstance(values, pd.Series) else values
    a = v.to_numpy(dtype=float)
    bad = np.isinf(a)
    if not bad.any():
        return
    from dgkit.errors import AnalysisError

    r, c = np.argwhere(bad)[0]
    col = v.columns[c]
    cells = [f"{v.index[i]}" for i in np.flatnonzero(bad[:, c])]
    problem = f"{statistic} needs finite values; unit {unit_names(cells)} has {a[r, c]:+g}".replace("+inf", "inf")
    if error is None or error is AnalysisError:
        raise AnalysisError(problem, column=None if isinstance(values, pd.Series) and values.name is None else str(col),
                            expected="finite numbers (check for a division by zero or an overflow upstream)")
    raise error(problem + " (check for a division by zero or an overflow upstream)")


def scale_of(v: np.ndarray | pd.Series | pd.DataFrame) -> float:
    """The largest |value| (1 when every value is 0 or there is none): dividing by it keeps sums of
    up to 10³⁰⁰ values finite, so means and SDs of values near 1e308 do not overflow to inf."""
    a = np.abs(np.asarray(v, dtype=float))
    a = a[np.isfinite(a)]
    m = float(a.max()) if a.size else 0.0
    return m if m > 0 else 1.0


def mean_sd(v: np.ndarray | pd.Series, ddof: int = 0) -> tuple[float, float]:
    """Mean and SD (``ddof``) of the non-missing values as pandas computes them; when the sum of
    squares overflows (values near 1e308) they are computed on v / max|v| and scaled back."""
    a = np.asarray(v, dtype=float)
    a = a[~np.isnan(a)]
    if len(a) == 0:
        return float("nan"), float("nan")
    with np.errstate(over="ignore", invalid="ignore"):
        mean = float(pd.Series(a).mean())
        sd = float(pd.Series(a).std(ddof=ddof)) if len(a) > ddof else float("nan")
    if np.isfinite(mean) and (np.isfinite(sd) or len(a) <= ddof) or not np.isfinite(a).all():
        return mean, sd
    m = scale_of(a)
    x = pd.Series(a / m)
    return float(x.mean()) * m, (float(x.std(ddof=ddof)) * m if len(a) > ddof else float("nan"))
