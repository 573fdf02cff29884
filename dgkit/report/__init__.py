"""The report runner: ``dgkit report`` executes the chapters with papermill (see runner.py)."""

from __future__ import annotations

from typing import Any


def run_report(*args: Any, **kwargs: Any):  # noqa: ANN201
    from dgkit.report.runner import run_report as _run

    return _run(*args, **kwargs)
