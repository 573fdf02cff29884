"""Where things live: the project root, bundled data, params and reports."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The dgkit checkout (holds data/, params/, notebooks/).

    ``DGKIT_ROOT`` overrides it; otherwise the folder above the package.
    """
    env = os.environ.get("DGKIT_ROOT")
    return Path(env).resolve() if env else PACKAGE_DIR.parent


def data_dir() -> Path:
    return project_root() / "data"


def params_dir() -> Path:
    return project_root() / "params"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def reports_dir() -> Path:
    return project_root() / "reports"


def sha256_file(path: str | Path) -> str:
    """SHA-256 of a file's bytes (read in 1 MiB chunks)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def display_path(path: str | Path | None) -> str:
    """A path as outputs show it: relative to the project (or its bare file name outside it),
    never absolute."""
    if path is None:
        return "memory"
    p = Path(path)
    if not p.is_absolute():
        return str(p)
    root = project_root()
    return str(p.relative_to(root)) if p.is_relative_to(root) else p.name


def relative_path(path: str | Path, root: Path | None = None) -> str:
    """A path relative to the project (``../`` steps outside it): what manifests record, never absolute."""
    root = root or project_root()
    p = Path(path)
    return str(p.relative_to(root)) if p.is_relative_to(root) else os.path.relpath(p, root)
