"""Safe YAML loading and (later) params validation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dgkit.errors import ParamsError


def safe_load_yaml(path: str | Path) -> Any:
    """Load YAML with ``yaml.safe_load`` (no Python tags); errors name the file and line."""
    import yaml

    p = Path(path)
    try:
        with open(p, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise ParamsError(
            f"unsafe or unknown YAML tag: {exc.problem}", file=str(p),
            row=(mark.line + 1) if mark else None, expected="plain YAML (no !!python tags)",
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ParamsError(f"invalid YAML: {getattr(exc, 'problem', exc)}", file=str(p),
                          row=(mark.line + 1) if mark else None) from None
