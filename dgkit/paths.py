"""Where things live: the project root, bundled data, params and reports."""

from __future__ import annotations

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
