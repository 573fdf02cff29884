"""Steps of an index build and their registry (scikit-learn's verbs, COINr's stages).

A step is a small object of one **kind** — ``impute``, ``treat``, ``normalise``, ``weight``,
``aggregate`` or ``rank`` — found by name in a registry. Its options are validated when it is made:
an unknown option, or a value outside the allowed ones, is a :class:`StepError` naming it and the
valid values (closest first). ``fit`` learns from a reference table and keeps what it learned in
``fitted_`` (means, min/max, base-period statistics, weights); ``transform`` applies it.

Signatures (what a user's own function must accept to be registered or passed directly):

========== =============================================== ===============================
kind       function signature                              fit on
========== =============================================== ===============================
impute     ``f(X: DataFrame) -> DataFrame``                 one period (rows = units)
treat      ``f(X: DataFrame) -> DataFrame``                 one period
normalise  ``f(X, ref, directions) -> DataFrame``           ``ref``: the fitting cohort
weight     ``f(Z: DataFrame) -> Series`` (sums to 1)        the children of one node
aggregate  ``f(Z: DataFrame, w: Series) -> Series``         the children of one node
rank       ``f(scores: Series) -> Series``                  one period
========== =============================================== ===============================

``register("normalise", "mine")(f)`` adds a function (or a :class:`Step` subclass) under a name;
``build(..., normalisation=f)`` uses one without registering it.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from dgkit.errors import StepError

KINDS = ("impute", "treat", "normalise", "weight", "aggregate", "rank")


@dataclass(frozen=True)
class Param:
    """One option of a step: its default and either the allowed values or a checker."""

    default: Any
    choices: tuple[Any, ...] | None = None
    check: Callable[[Any], bool] | None = None
    expected: str = ""

    def validate(self, step: str, name: str, value: Any) -> Any:
        bool_mismatch = isinstance(value, bool) and self.choices is not None and not any(isinstance(c, bool) for c in self.choices)
        if self.choices is not None and (value not in self.choices or bool_mismatch):
            close = difflib.get_close_matches(str(value), [str(c) for c in self.choices], n=3, cutoff=0.4)
            raise StepError(f"{step}: option {name}={value!r} is not valid", expected=" | ".join(map(repr, self.choices)),
                            suggestion=close or None)
        if self.check is not None and not self.check(value):
            raise StepError(f"{step}: option {name}={value!r} is not valid", expected=self.expected or "see the step's docstring")
        return value


def _number(lo: float | None = None) -> Callable[[Any], bool]:
    def ok(v: Any) -> bool:
        return isinstance(v, int | float) and not isinstance(v, bool) and np.isfinite(v) and (lo is None or v >= lo)
    return ok


NUMBER = _number()


class Step:
    """Base class: validated options, ``fit`` / ``transform``, ``fitted_``."""

    kind: ClassVar[str] = ""
    name: ClassVar[str] = ""
    params: ClassVar[dict[str, Param]] = {}

    def __init__(self, **options: Any) -> None:
        label = f"{self.kind} {self.name!r}"
        unknown = [k for k in options if k not in self.params]
        if unknown:
            valid = sorted(self.params)
            close = difflib.get_close_matches(unknown[0], valid, n=3, cutoff=0.4)
            raise StepError(f"{label} has no option {unknown[0]!r}", expected=("options " + ", ".join(valid)) if valid else "no options",
                            suggestion=close or None)
        self.options = {k: p.default for k, p in self.params.items()}
        for k, v in options.items():
            self.options[k] = self.params[k].validate(label, k, v)
        self.fitted_: dict[str, Any] = {}

    def get_params(self) -> dict[str, Any]:
        """The options, such that ``type(step)(**step.get_params())`` makes the same step."""
        return dict(self.options)

    def spec(self) -> dict[str, Any]:
        """``{"method": name, **options}`` — what a recipe records and ``make_step`` reads back."""
        return {"method": self.name, **self.get_params()}

    def fit(self, X: Any, **context: Any) -> Step:
        return self

    def transform(self, X: Any, **context: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def fit_transform(self, X: Any, **context: Any) -> Any:
        return self.fit(X, **context).transform(X, **context)

    def describe(self) -> str:
        opts = ", ".join(f"{k}={v!r}" for k, v in self.options.items() if v != self.params[k].default)
        return f"{self.name}({opts})" if opts else self.name

    def __repr__(self) -> str:
        return f"<{self.kind} step {self.describe()}>"


_REGISTRY: dict[str, dict[str, type[Step]]] = {k: {} for k in KINDS}


def register(kind: str, name: str | None = None) -> Callable[[Any], Any]:
    """Decorator: register a :class:`Step` subclass, or a function with the kind's signature."""
    if kind not in KINDS:
        raise StepError(f"unknown step kind {kind!r}", expected=" | ".join(KINDS),
                        suggestion=difflib.get_close_matches(kind, KINDS, n=2) or None)

    def deco(obj: Any) -> Any:
        cls = obj if isinstance(obj, type) and issubclass(obj, Step) else function_step(kind, obj, name)
        key = name or cls.name
        if not key:
            raise StepError(f"a {kind} step needs a name")
        if cls.name != key:
            cls = type(cls.__name__, (cls,), {"name": key, "kind": kind})
        cls.kind = kind
        _REGISTRY[kind][key] = cls
        return obj

    return deco


def available(kind: str) -> list[str]:
    """Names registered for a kind."""
    return sorted(_REGISTRY[kind])


def registry(kind: str) -> dict[str, type[Step]]:
    return dict(_REGISTRY[kind])


def make_step(kind: str, spec: Any, where: str = "") -> Step:
    """A step from a name, ``{"method": name, **options}``, a Step (copied), a Step class or a function."""
    if isinstance(spec, Step):
        if spec.kind != kind:
            raise StepError(f"{where or kind}: a {spec.kind} step cannot be used as a {kind} step")
        return type(spec)(**spec.get_params())
    if isinstance(spec, type) and issubclass(spec, Step):
        return spec()
    if callable(spec) and not isinstance(spec, str | dict):
        return function_step(kind, spec)()
    options: dict[str, Any] = {}
    if isinstance(spec, dict):
        if "method" not in spec:
            raise StepError(f"{where or kind}: a step given as a mapping needs a 'method'", expected="{method: name, option: value, …}")
        options = {k: v for k, v in spec.items() if k != "method"}
        spec = spec["method"]
    names = _REGISTRY[kind]
    if not isinstance(spec, str) or spec not in names:
        close = difflib.get_close_matches(str(spec), list(names), n=3, cutoff=0.5)
        raise StepError(f"{where or kind}: unknown {kind} method {spec!r}", expected=" | ".join(sorted(names)), suggestion=close or None)
    return names[spec](**options)


# ------------------------------------------------------------------ functions as steps
def function_step(kind: str, fn: Callable[..., Any], name: str | None = None) -> type[Step]:
    """Wrap a function with the kind's signature (module docstring) as a Step class."""
    label = name or getattr(fn, "__name__", "custom")
    nargs = len([p for p in inspect.signature(fn).parameters.values() if p.default is inspect.Parameter.empty
                 and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)])
    need = {"impute": 1, "treat": 1, "normalise": 3, "weight": 1, "aggregate": 2, "rank": 1}[kind]
    if nargs != need:
        raise StepError(f"{kind} function {label!r} takes {nargs} required argument(s)",
                        expected=f"{need}: see dgkit.pipeline.steps for the {kind} signature")
    base = _FUNCTION_BASES[kind]
    return type(f"Function_{label}", (base,), {"name": label, "kind": kind, "fn": staticmethod(fn), "params": {}})


class _FunctionImpute(Step):
    fn: Callable[..., Any]

    def transform(self, X: pd.DataFrame, **context: Any) -> pd.DataFrame:
        return pd.DataFrame(self.fn(X)).reindex(index=X.index, columns=X.columns)


class _FunctionNormalise(Step):
    fn: Callable[..., Any]

    def fit(self, X: pd.DataFrame, directions: pd.Series | None = None, **context: Any) -> Step:
        self.fitted_ = {"ref": X.copy()}
        return self

    def transform(self, X: pd.DataFrame, directions: pd.Series | None = None, **context: Any) -> pd.DataFrame:
        d = pd.Series(1, index=X.columns) if directions is None else directions.reindex(X.columns)
        return pd.DataFrame(self.fn(X, self.fitted_["ref"], d)).reindex(index=X.index, columns=X.columns).astype(float)


class _FunctionWeight(Step):
    fn: Callable[..., Any]

    def fit(self, Z: pd.DataFrame, **context: Any) -> Step:
        w = pd.Series(self.fn(Z), dtype=float).reindex(Z.columns)
        if w.isna().any() or (w < 0).any() or not w.sum() > 0:
            raise StepError(f"weight function {self.name!r} returned {w.to_dict()}", expected="one non-negative weight per column, not all 0")
        self.fitted_ = {"weights": w / w.sum()}
        return self

    def transform(self, Z: pd.DataFrame, **context: Any) -> pd.Series:
        return self.fitted_["weights"]


class _FunctionAggregate(Step):
    fn: Callable[..., Any]

    def transform(self, Z: pd.DataFrame, w: pd.Series | None = None, **context: Any) -> pd.Series:
        return pd.Series(self.fn(Z, w), index=Z.index, dtype=float)


class _FunctionRank(Step):
    fn: Callable[..., Any]

    def transform(self, s: pd.Series, **context: Any) -> pd.Series:
        return pd.Series(self.fn(s), index=s.index).rename("rank")


_FUNCTION_BASES: dict[str, type[Step]] = {"impute": _FunctionImpute, "treat": _FunctionImpute, "normalise": _FunctionNormalise,
                                          "weight": _FunctionWeight, "aggregate": _FunctionAggregate, "rank": _FunctionRank}
