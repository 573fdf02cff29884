"""Submodules that load on first attribute access (``dgkit.stats``, ``dgkit.stats.ranking`` …)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_submodules(package: str, names: set[str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``package.<name>`` for ``name`` in ``names`` once and
    keeps it in the package's ``namespace``."""

    def __getattr__(name: str) -> Any:
        if name in names:
            module = importlib.import_module(f"{package}.{name}")
            namespace[name] = module
            return module
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
