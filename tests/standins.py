"""Stand-in chapter notebooks for the runner's tests: a parameters cell and the given steps, so what a
test checks is the runner (staging, locks, signals, failures), not a real chapter."""

from __future__ import annotations

from pathlib import Path

import nbformat


def write_standin(folder: Path, name: str, *cells: str) -> Path:
    """``folder/<name>.ipynb``: the parameters cell the runner injects into, then ``cells``."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    p = nbformat.v4.new_code_cell("params = None\nyear = None\nout_dir = None\nquick = False")
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p, *(nbformat.v4.new_code_cell(c) for c in cells)]
    nbformat.write(nb, str(folder / f"{name}.ipynb"))
    return folder
