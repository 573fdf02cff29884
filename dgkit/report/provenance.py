"""What an edition reads: its datasets (with every file each one read) and its framework.

The report's manifest records these with SHA-256 hashes, so that a figure can be traced to the
exact bytes it came from. ``synthetic`` is read from each dataset, never from a name.
"""

from __future__ import annotations

from typing import Any

from dgkit import paths
from dgkit.params import Params
from dgkit.paths import relative_path

# params keys whose values name datasets (a bundled name or alias, or a dataset YAML path)
DATASET_KEYS = ("dataset", "cities.dataset", "benchmark.kappa.dataset")
DATASET_LIST_KEYS = ("published_references", "benchmark.datasets")


def dataset_names(params: Params) -> list[str]:
    """Every dataset an edition names, in params order, without repeats (bare indicator files excluded)."""
    out: list[str] = []
    for k in DATASET_KEYS:
        v = params.get(k)
        if v is not None:
            out.append(str(v))
    for k in DATASET_LIST_KEYS:
        out += [str(v) for v in params.get(k) or []]
    if params.get("benchmark.datasets") is None:  # the default benchmarks: every bundled dataset of the same level
        from dgkit.datasets import open_dataset
        from dgkit.report.edition import default_benchmarks

        if params.get("dataset"):
            out += default_benchmarks(open_dataset(str(params.get("dataset"))))
    for t in params.get("tiers") or []:
        name, _, _ = str(t.get("published") or "").rpartition(".")
        if name:
            out.append(name)
    seen: list[str] = []
    for v in out:
        if v not in seen and not v.lower().endswith((".csv", ".tsv", ".xlsx", ".xlsm")):
            seen.append(v)
    return seen





def edition_inputs(params: Params) -> dict[str, Any]:
    """``{"datasets": {name: {title, citation, synthetic, files: [...]}}, "framework": {...}, "synthetic": bool}``."""
    from dgkit.data import framework_path
    from dgkit.datasets import open_dataset
    from dgkit.datasets.dataset import sha256

    root = paths.project_root()
    datasets: dict[str, Any] = {}
    for name in dataset_names(params):
        ds = open_dataset(name)
        datasets[ds.name] = {
            "named_in_params_as": relative_path(name, root) if name.lower().endswith((".yaml", ".yml")) else name, "title": ds.title, "title_en": ds.text("title", "en"), "cite": list(getattr(ds, "cite", [])), "citation": ds.citation, "synthetic": ds.synthetic,
            "level": ds.level, "files": [{**f, "path": relative_path(f["path"], root)} for f in ds.file_hashes()],
        }
    if params.get("panel_edition"):  # the panel edition's data are inputs of this report too
        from dgkit.params import load_params

        datasets.update(edition_inputs(load_params(params.get("panel_edition")))["datasets"])
    out: dict[str, Any] = {"datasets": datasets, "synthetic": any(d["synthetic"] for d in datasets.values())}
    fw = params.get("index.framework")
    if fw:
        fp = framework_path(str(fw))
        if not fp.is_absolute():
            fp = root / fp
        if fp.exists():
            out["framework"] = {"name": relative_path(fw, root) if str(fw).lower().endswith((".yaml", ".yml")) else str(fw), "path": relative_path(fp, root), "sha256": sha256(fp)}
    return out
