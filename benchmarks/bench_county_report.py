"""P4: the county-scale report vs the province-scale report on the same kind of data.

Target: wall(report, 2,850 counties) ≤ 2 × wall(report, 31 units), both measured here, in the same
environment and run, with the same chapters, the same params options and the same Monte Carlo sizes.
Prints both wall times, the ratio county / province and the per-chapter timings.
Run: ``.venv/bin/python benchmarks/bench_county_report.py [--jobs N] [--quick] [--keep DIR]``.

The data (all SYNTHETIC, written to a temporary folder, never to data/):

* county scale: ``dgkit.demo.write_county_panel(tmp)`` — 2,850 counties × 2017-2023 × 3 measures
  (``gov_service_online_rate``, ``data_open_items``, ``digital_staff_per_10k``), level ``county``,
  groupings ``province`` and ``四大地带`` derived from the county codes.
* province scale: the *same* generated panel restricted to 31 of its counties, one per province
  first (all 27 provinces that have counties), then a second county of the first provinces by code
  until there are 31; written with the same dataset YAML (``dgkit.demo.COUNTY_YAML``, only the name
  and file differ). Same generator, seed, values, measures, periods, missing cells, level and
  groupings (27 province groups and 4 地带 in both runs); only the number of units differs, which
  is what P4 is about.

  Not chosen: ``write_county_panel(n_counties=31)`` (also the same generator, but its 31 counties
  all fall in 河北/山西/内蒙古, so the ``province`` grouping would have 3 groups instead of 27), and
  the bundled ``demo_panel`` (31 provinces, but 34 indicators built with the ccid_2020 framework:
  the index would be built in one run and given in the other, and it has GDP/population covariates
  the county panel lacks — the ratio would measure different work, not scale).

The index is ``index: {measure: gov_service_online_rate}`` (the dataset's headline) in both runs:
no bundled framework has these three measures, so the ``framework`` form is not available, and the
three measures are not components of one total, so ``index.components`` is not given. Consequently
the chapters that need a built index (01 construction beyond the description, 10 robustness) and
those that need covariates, city data or benchmark datasets (06, 09, 11) are stated skips in *both*
runs; the manifest's per-chapter outcome is printed so that this is visible. Monte Carlo at county
scale is benchmarked by P2b (bench_uncertainty.py).

One untimed warm-up report (province scale) runs first, so that neither timed run pays for cold
disk caches of the imports.

``ReportResult.timings`` is the kernel execution of each chapter only; the wall time also holds the
HTML conversion of every executed notebook (nbconvert, with and without code, in the worker threads
right after each chapter) and the finalising (facts, workbook, manifest). After the timed runs, the
breakdown (``--no-breakdown`` to leave it out) re-converts the county notebooks to HTML to show that
part per chapter, and lists the slowest cells (nbclient's execution timestamps in the notebooks).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET = 2.0
N_PROVINCE_SCALE = 31

PARAMS = """\
# SYNTHETIC benchmark edition (benchmarks/bench_county_report.py), {scale}
edition: {edition}
title: P4 benchmark, {scale} (合成数据 SYNTHETIC)
lang: zh
seed: 2020
quick: {quick}
figure_formats: [png]
dataset: {dataset}
index: {{measure: gov_service_online_rate}}
year: 2023
compare: all
cohort: all
groupings: [province, 四大地带]
tiers:
  - {{name: five_equal_count, scheme: five_equal, by: count}}
  - {{name: natural_breaks, scheme: natural_breaks, k: 4}}
dispersion: {{ddof: 0}}
progress: {{method: z_change, ddof: 0, top: 10}}
pillars: {{top_n: 5}}
robustness: {{mc_draws: 1000, sobol_n: 128}}
benchmark: {{datasets: []}}
"""


def write_data(tmp: Path) -> tuple[Path, Path, int]:
    """The county panel (2,850 units) and its 31-unit restriction; returns both YAMLs and the county count."""
    import pandas as pd

    from dgkit.demo import COUNTY_MEASURES, COUNTY_SEED, COUNTY_YAML, write_county_panel

    county_yaml = write_county_panel(tmp / "county", force=True)
    df = pd.read_csv(county_yaml.parent / "county_demo_synthetic.csv", dtype={"county_code": str, "city_code": str})
    units = df[["county_code"]].drop_duplicates().sort_values("county_code")
    units["province"] = units["county_code"].str[:2]
    units["k"] = units.groupby("province").cumcount()  # 0 = first county of its province
    keep = units.sort_values(["k", "county_code"]).head(N_PROVINCE_SCALE)["county_code"]
    small = df[df["county_code"].isin(set(keep))]
    pdir = tmp / "province"
    pdir.mkdir(exist_ok=True)
    csv = pdir / "county_demo_synthetic_31.csv"
    csv.write_bytes(small.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    text = COUNTY_YAML.format(seed=COUNTY_SEED, file=csv.name, headline=COUNTY_MEASURES[0], measures=", ".join(COUNTY_MEASURES))
    text = text.replace("name: county_demo_synthetic\n", f"name: county_demo_synthetic_{N_PROVINCE_SCALE}\n", 1)
    prov_yaml = pdir / "county_demo_synthetic_31.yaml"
    prov_yaml.write_text(text, encoding="utf-8")
    return county_yaml, prov_yaml, units.shape[0]


def write_params(tmp: Path, edition: str, scale: str, dataset: Path, quick: bool) -> Path:
    p = tmp / f"{edition}.yaml"
    p.write_text(PARAMS.format(edition=edition, scale=scale, dataset=dataset.as_posix(), quick=str(quick).lower()), encoding="utf-8")
    return p


def timed_report(params: Path, out: Path, jobs: int | None) -> tuple[Any, float]:
    from dgkit.report.runner import run_report

    t0 = time.perf_counter()
    res = run_report(params, out=out, jobs=jobs, progress=False, force=True)
    return res, time.perf_counter() - t0


def outcomes(res: Any) -> dict[str, str]:
    m = Path(res.path) / "manifest.json"
    if not m.exists():
        return {}
    return {c: v.get("outcome", "?") for c, v in json.loads(m.read_text(encoding="utf-8"))["chapters"].items()}


def print_failures(label: str, res: Any) -> None:
    """Each failed chapter: cell, error and the traceback from the executed notebook."""
    import nbformat

    for f in res.failures:
        print(f"\n{label} FAILED chapter {f['chapter']} (cell {f.get('cell')}): {f.get('error')}")
        print(f"  notebook: {f['notebook']}")
        nb_path = Path(f["notebook"])
        if not nb_path.exists():
            continue
        nb = nbformat.read(str(nb_path), as_version=4)
        for c in nb.cells:
            for o in c.get("outputs", []) if c.cell_type == "code" else []:
                if o.get("output_type") == "error":
                    tb = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(o.get("traceback", [])))
                    print(f"  --- traceback (code cell, execution_count {c.get('execution_count')}) ---")
                    print("  " + tb.replace("\n", "\n  "))


def _seconds(cell: Any) -> float | None:
    from datetime import datetime

    ex = cell.get("metadata", {}).get("execution", {})
    a, b = ex.get("iopub.execute_input"), ex.get("shell.execute_reply")
    if not (a and b):
        return None
    return (datetime.fromisoformat(b.replace("Z", "+00:00")) - datetime.fromisoformat(a.replace("Z", "+00:00"))).total_seconds()


def breakdown(res: Any, top: int = 6) -> None:
    """Per chapter: kernel seconds, HTML seconds (re-measured now), notebook size; then the slowest cells."""
    import nbformat

    from dgkit.report.html import notebook_to_html

    nb_dir = Path(res.path) / "notebooks"
    cells = []
    print(f"\nbreakdown of the county report\n{'chapter':<24}{'kernel s':>9}{'html s':>8}{'notebook MB':>13}")
    for c in sorted(res.timings):
        nb_path = nb_dir / f"{c}.ipynb"
        if not nb_path.exists():
            continue
        t0 = time.perf_counter()
        notebook_to_html(nb_path, code=False)
        notebook_to_html(nb_path, code=True)
        html = time.perf_counter() - t0
        print(f"{c:<24}{res.timings[c]:>9.2f}{html:>8.2f}{nb_path.stat().st_size / 1e6:>13.2f}")
        nb = nbformat.read(str(nb_path), as_version=4)
        for cell in nb.cells:
            sec = _seconds(cell) if cell.cell_type == "code" else None
            if sec is not None:
                cells.append((sec, c, cell.source.strip().splitlines()[0][:100] if cell.source.strip() else ""))
    print("slowest cells (county):")
    for sec, c, src in sorted(cells, reverse=True)[:top]:
        print(f"  {sec:6.2f} s  {c}: {src}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--quick", action="store_true", help="quick mode in both params files")
    ap.add_argument("--no-warmup", action="store_true")
    ap.add_argument("--no-breakdown", action="store_true", help="leave out the HTML and per-cell breakdown of the county run")
    ap.add_argument("--keep", default=None, help="write data, params and reports here instead of a temporary folder")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(args.keep).resolve() if args.keep else Path(d)
        tmp.mkdir(parents=True, exist_ok=True)
        county_yaml, prov_yaml, n_counties = write_data(tmp)
        p_prov = write_params(tmp, "p4_province", f"{N_PROVINCE_SCALE} units", prov_yaml, args.quick)
        p_county = write_params(tmp, "p4_county", f"{n_counties} counties", county_yaml, args.quick)
        out = tmp / "reports"
        if not args.no_warmup:
            timed_report(p_prov, tmp / "warmup", args.jobs)
        prov, t_prov = timed_report(p_prov, out, args.jobs)
        county, t_county = timed_report(p_county, out, args.jobs)
        oc_prov, oc_county = outcomes(prov), outcomes(county)

        ratio = t_county / t_prov
        print(f"province-scale report ({N_PROVINCE_SCALE} units, {len(prov.timings)} chapters, ok={prov.ok}): {t_prov:.2f} s")
        print(f"county-scale report ({n_counties} units, {len(county.timings)} chapters, ok={county.ok}): {t_county:.2f} s")
        print(f"P4 ratio county / province = {ratio:.2f}  (target ≤ {TARGET:.2f}) {'OK' if ratio <= TARGET and county.ok and prov.ok else 'MISSED'}")
        slow = sorted(county.timings.items(), key=lambda kv: -kv[1])[:3]
        print("slowest chapters (county): " + ", ".join(f"{k} {v:.1f} s" for k, v in slow))
        print(f"\n{'chapter':<24}{'province s':>11}{'county s':>10}{'×':>7}  outcome (province / county)")
        for c in sorted(set(prov.timings) | set(county.timings)):
            a, b = prov.timings.get(c), county.timings.get(c)
            x = f"{b / a:7.2f}" if a and b else f"{'—':>7}"
            print(f"{c:<24}{(f'{a:.2f}' if a is not None else '—'):>11}{(f'{b:.2f}' if b is not None else '—'):>10}{x}"
                  f"  {oc_prov.get(c, '?')} / {oc_county.get(c, '?')}")
        print_failures("province", prov)
        print_failures("county", county)
        if not args.no_breakdown:
            breakdown(county)
        if args.keep:
            print(f"\nreports kept under {out}")


if __name__ == "__main__":
    main()
