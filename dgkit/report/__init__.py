"""Reports: an edition resolved once (:func:`open_edition`), a recorder of outputs, the zh/en
labels catalogue, and the runner (``dgkit report``) that executes the chapter notebooks."""

from __future__ import annotations

from typing import Any


def open_edition(*args: Any, **kwargs: Any):  # noqa: ANN201
    from dgkit.report.edition import open_edition as _open

    return _open(*args, **kwargs)


def run_report(*args: Any, **kwargs: Any):  # noqa: ANN201
    from dgkit.report.runner import run_report as _run

    return _run(*args, **kwargs)
