"""Write systems/reference_data/boundaries/stp21.geojson and icb22.geojson: the boundaries of
the 42 STPs of April 2021 and the 42 ICBs of July 2022, simplified, for the pages' maps.

Source: ONS Open Geography Portal, "Sustainability and Transformation Partnerships (April
2021)" (ultra generalised, 500 m) and "Integrated Care Boards (July 2022)" boundaries, Open
Government Licence v3, contains OS data (c) Crown copyright and database right; as packaged in
the R package geographr (humaniverse/geographr, MIT, commit c026be5c), data/boundaries_stp21.rda
and data/boundaries_icb22.rda (see ../shared/data-sources/SOURCES.md).

A development-time script; the project ships the GeoJSON it writes and never reads the .rda
files at run time. The .rda files need the `rdata` package, which the project does not use, so
run it from a throwaway virtual environment:

    python3.12 -m venv /tmp/rdata-venv && /tmp/rdata-venv/bin/pip install rdata pandas
    /tmp/rdata-venv/bin/python scripts/convert_boundaries.py ../shared/data-sources

Each feature is keyed by its ONS code (feature `id` and `properties.code`) and carries the ONS
name; the collection carries its source, licence and the date the boundaries describe.
Coordinates (WGS84 longitude, latitude) are simplified with Douglas-Peucker at TOLERANCE
degrees (about 400 m) and rounded to DECIMALS places (about 10 m), which keeps both files to a
few hundred kilobytes in all. Outer rings run clockwise and holes anticlockwise, as d3-geo
(which draws plotly's geographic traces) reads them on the sphere: the other way round (the
GeoJSON standard's), each area would be drawn as the whole world but itself. Every code must
be one the project holds for a footprint
(systems/reference_data/codes.csv), else the script stops: no area is dropped or guessed.
"""

import csv
import itertools
import json
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "systems" / "reference_data"
OUT = DATA / "boundaries"

DECIMALS = 4
TOLERANCE = 0.005
LICENCE = "Open Government Licence v3; contains OS data (c) Crown copyright and database right"
PACKAGED = "as packaged in the R package geographr (humaniverse/geographr, commit c026be5c)"
SETS = {
    "stp21": {
        "title": "Sustainability and Transformation Partnerships (April 2021)",
        "valid_on": "2021-04-01",
        "source": (
            "ONS Open Geography Portal, Sustainability and Transformation Partnerships "
            f"(April 2021) boundaries, ultra generalised; {PACKAGED}"
        ),
    },
    "icb22": {
        "title": "Integrated Care Boards (July 2022)",
        "valid_on": "2022-07-01",
        "source": (
            "ONS Open Geography Portal, Integrated Care Boards (July 2022) boundaries, "
            f"generalised; {PACKAGED}"
        ),
    },
}


def _perpendicular(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker over one open line of (x, y) points."""
    if len(points) < 3:
        return points
    index, furthest = 0, 0.0
    for i in range(1, len(points) - 1):
        distance = _perpendicular(points[i], points[0], points[-1])
        if distance > furthest:
            index, furthest = i, distance
    if furthest <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def ring(coordinates) -> list | None:
    """A closed ring simplified and rounded, or None where too little of it is left."""
    points = [(float(x), float(y)) for x, y in coordinates]
    # Simplify the ring as two halves so its start and middle points are kept.
    middle = len(points) // 2
    kept = simplify(points[: middle + 1], TOLERANCE)[:-1] + simplify(points[middle:], TOLERANCE)
    rounded = []
    for x, y in kept:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    return rounded if len(rounded) >= 4 else None


def signed_area(points: list) -> float:
    """Twice the ring's area on the plane, positive when it runs anticlockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(points))


def wound(points: list, clockwise: bool) -> list:
    return points if (signed_area(points) < 0) == clockwise else points[::-1]


def geometry(multipolygon) -> dict:
    polygons = []
    for polygon in multipolygon:
        rings = [ring(r) for r in polygon]
        if rings[0] is None:
            continue  # an islet smaller than the tolerance
        outer, *holes = [r for r in rings if r is not None]
        polygons.append([wound(outer, True), *(wound(h, False) for h in holes)])
    return {"type": "MultiPolygon", "coordinates": polygons}


def known_codes() -> set[str]:
    with (DATA / "codes.csv").open(encoding="utf-8") as handle:
        return {
            row["code"]
            for row in csv.DictReader(handle)
            if row["owner_type"] == "footprint" and row["scheme"] == "ons"
        }


def convert(folder: Path, name: str, codes: set[str]) -> dict:
    import rdata

    with warnings.catch_warnings():
        # rdata knows no constructors for sf's classes and returns their plain R objects.
        warnings.simplefilter("ignore")
        frame = rdata.read_rda(folder / f"boundaries_{name}.rda")[f"boundaries_{name}"]
    features = []
    for _, row in frame.iterrows():
        code, area_name = str(row[f"{name}_code"]), " ".join(str(row[f"{name}_name"]).split())
        if code not in codes:
            raise SystemExit(f"boundaries_{name}: {code} ({area_name}) is not a footprint code")
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": area_name},
                "geometry": geometry(row["geometry"]),
            }
        )
    features.sort(key=lambda feature: feature["id"])
    return {
        "type": "FeatureCollection",
        "name": name,
        **SETS[name],
        "licence": LICENCE,
        "simplified": f"Douglas-Peucker at {TOLERANCE} degrees, {DECIMALS} decimal places",
        "features": features,
    }


def main(folder: Path) -> None:
    codes = known_codes()
    OUT.mkdir(exist_ok=True)
    for name in SETS:
        collection = convert(folder, name, codes)
        path = OUT / f"{name}.geojson"
        path.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
        points = sum(
            len(r) for f in collection["features"] for p in f["geometry"]["coordinates"] for r in p
        )
        print(f"{path.relative_to(ROOT)}: {len(collection['features'])} areas, {points} points")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]))
