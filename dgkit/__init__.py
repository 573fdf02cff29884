"""dgkit — a research kit for evaluating digital government (数字政府评估).

Importing ``dgkit`` is light: submodules (and the heavy libraries they need: scipy,
statsmodels, matplotlib, seaborn, papermill) load on first attribute access, e.g.
``dgkit.data.provinces()``; ``dgkit.build(dataset, framework)`` builds an index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dgkit._lazy import lazy_submodules

__version__ = "0.1.0"

_SUBMODULES = {
    "aggregate",
    "audit",
    "cli",
    "data",
    "datasets",
    "demo",
    "errors",
    "framework",
    "impute",
    "normalise",
    "params",
    "paths",
    "pipeline",
    "plotting",
    "readers",
    "report",
    "schemas",
    "stats",
    "tiers",
    "uncertainty",
    "units",
    "weights",
}

__all__ = sorted(_SUBMODULES | {"__version__", "open_dataset", "build"})


def build(data: Any, framework: Any = "ccid_2020", **options: Any) -> Any:
    """Build a composite index from a dataset and a framework: see :func:`dgkit.pipeline.build.build`."""
    from dgkit.pipeline.build import build as _build

    return _build(data, framework, **options)


def open_dataset(name_or_path: Any) -> Any:
    """Open a bundled dataset (name or alias) or a dataset YAML: see :mod:`dgkit.datasets`."""
    from dgkit.datasets import open_dataset as _open

    return _open(name_or_path)


__getattr__ = lazy_submodules("dgkit", _SUBMODULES, globals())


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover
    from dgkit import data, errors, paths  # noqa: F401
