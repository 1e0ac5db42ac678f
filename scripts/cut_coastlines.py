"""Cut real coastlines to the two regions the article is about, once, at authoring time.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz     # only to run this
    .venv/bin/python scripts/cut_coastlines.py --topojson package/land-10m.json [--out FILE]

The coastlines are Natural Earth's land polygons at 1:10m (version 4.1.0, public
domain), as the npm package `world-atlas` 2.0.2 ships them: TopoJSON, quantized to
about 0.0036 degrees of longitude by 0.0017 of latitude (some 300 by 200 m here).
Only the outer ring of each land polygon is kept; lakes are below what a terminal
can show. (The file was first cut from GSHHG, which is LGPL; see
content/maps/README.md for why it changed and how the two compared.)

What the script does, in order:

1. decodes the TopoJSON `land` object: each arc is delta-encoded integers, scaled and
   translated back to degrees; a polygon's outer ring is its arcs joined end to end
   (a negative index means the arc reversed);
2. keeps the polygons that reach into a region's cut box and clips them to the box
   (Sutherland–Hodgman against each side; the pieces a clip leaves on the box's edge
   are drawn as no coastline by thaw, which knows the box);
3. drops islets below a region's minimum area, except inside the close-up frames;
4. simplifies each ring with Douglas–Peucker; a point may move by its finest frame's
   tolerance (under half a braille dot of that frame at 250 columns), and by the
   region's coarse tolerance where no frame shows it;
5. names the rings that matter (Hokkaido, the four disputed islands, the Senkakus...)
   by a point known to lie on them, and marks the disputed ones;
6. writes one JSON file: the source, licence and these parameters, then per region
   its frames (the zoom levels), its places (labels) and its shapes.

The result is data, not code: thaw reads it with `json` and checks it with
`thaw_tui.pack.atlas.parse_atlas`. Nothing here runs when thaw runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

Point = tuple[float, float]  # (lon, lat)
Box = tuple[float, float, float, float]  # (west, south, east, north)

DECIMALS = 3  # 0.001 degree: about 100 m, a tenth of a close-up braille dot


@dataclass(frozen=True)
class Frame:
    id: str
    title: str
    bounds: Box
    tolerance: float  # degrees a point may move: under half a dot at 250 columns
    detail: bool = False  # a close-up: no islet dropped


@dataclass(frozen=True)
class Place:
    """A label: one name, or the Japanese / Russian (or Chinese) pair."""

    id: str
    names: tuple[str, ...]
    lon: float
    lat: float
    kind: str  # "island", "land" or "sea"
    disputed: bool = False


@dataclass(frozen=True)
class Naming:
    """Which rings belong to a place: the ring containing `inside`, or all rings in `box`."""

    place: str
    inside: Point | None = None
    box: Box | None = None
    disputed: bool = False


@dataclass(frozen=True)
class Region:
    id: str
    title: str
    cut: Box
    frames: tuple[Frame, ...]
    places: tuple[Place, ...]
    namings: tuple[Naming, ...]
    min_area_km2: float
    tolerance: float  # degrees, where no frame shows the coast
    extra: dict[str, object] = field(default_factory=dict)


# The points used to name rings are points on land, checked below: the script stops if
# one of them falls in no ring or in two. Places are where labels are anchored.
REGIONS = (
    Region(
        id="kurils",
        title="Hokkaido, the disputed islands and the Kuril chain",
        cut=(120.0, 35.0, 175.0, 64.0),
        frames=(
            Frame("okhotsk", "The Sea of Okhotsk", (135.0, 41.0, 163.5, 60.0), 0.05),
            Frame("chain", "Hokkaido to Kamchatka", (139.2, 41.3, 157.2, 51.8), 0.025),
            Frame("islands", "The four disputed islands", (144.8, 42.9, 149.2, 45.7), 0.004, True),
        ),
        places=(
            Place("hokkaido", ("Hokkaido",), 142.9, 43.5, "land"),
            Place("etorofu", ("Etorofu", "Iturup"), 147.65, 45.05, "island", True),
            Place("kunashiri", ("Kunashiri", "Kunashir"), 145.85, 44.1, "island", True),
            Place("shikotan", ("Shikotan",), 146.75, 43.8, "island", True),
            Place("habomai", ("Habomai", "Khabomai"), 146.1, 43.47, "island", True),
            Place("uruppu", ("Uruppu", "Urup"), 150.0, 45.9, "island"),
            Place("kuril-chain", ("Kuril Islands",), 152.3, 47.2, "sea"),
            Place("sakhalin", ("Sakhalin",), 142.8, 50.0, "land"),
            Place("kamchatka", ("Kamchatka",), 157.6, 52.6, "land"),
            Place("okhotsk-sea", ("Sea of Okhotsk",), 148.5, 49.5, "sea"),
            Place("pacific", ("Pacific Ocean",), 152.0, 43.5, "sea"),
            Place("nemuro-strait", ("Nemuro Strait",), 145.35, 43.85, "sea"),
        ),
        namings=(
            Naming("hokkaido", inside=(142.8, 43.5)),
            Naming("etorofu", inside=(147.617, 45.033), disputed=True),
            Naming("kunashiri", inside=(145.85, 44.117), disputed=True),
            Naming("shikotan", inside=(146.75, 43.8), disputed=True),
            Naming("habomai", box=(145.8, 43.3, 146.45, 43.7), disputed=True),
            Naming("uruppu", inside=(150.0, 45.9)),
            Naming("sakhalin", inside=(142.8, 50.0)),
            Naming("asia", inside=(158.5, 54.0)),
        ),
        min_area_km2=1.0,
        tolerance=0.08,
    ),
    Region(
        id="senkaku",
        title="The Senkaku / Diaoyu islands, Okinawa, Taiwan and China",
        cut=(110.0, 18.0, 140.0, 34.0),
        frames=(
            Frame("east-china-sea", "The East China Sea", (118.3, 21.8, 131.0, 30.2), 0.02),
            Frame(
                "senkaku", "The Senkaku / Diaoyu islands", (123.35, 25.6, 123.85, 26.0), 0.002, True
            ),
        ),
        places=(
            Place("senkaku", ("Senkaku", "Diaoyu"), 123.52, 25.77, "island", True),
            Place("taiwan", ("Taiwan",), 121.0, 23.7, "land"),
            Place("okinawa", ("Okinawa",), 127.95, 26.5, "island"),
            Place("ishigaki", ("Ishigaki",), 124.17, 24.42, "island"),
            Place("china", ("China",), 118.9, 27.3, "land"),
            Place("east-china-sea", ("East China Sea",), 125.5, 28.6, "sea"),
            Place("pacific", ("Pacific Ocean",), 129.5, 23.5, "sea"),
        ),
        namings=(
            Naming("senkaku", box=(123.3, 25.6, 124.7, 26.05), disputed=True),
            Naming("taiwan", inside=(121.0, 23.7)),
            Naming("okinawa", inside=(127.95, 26.5)),
            Naming("ishigaki", inside=(124.17, 24.42)),
            Naming("asia", inside=(118.9, 27.3)),
        ),
        min_area_km2=3.0,
        tolerance=0.05,
    ),
)


@dataclass
class Polygon:
    area_km2: float
    points: list[Point]


def read_topojson(path: Path, boxes: Sequence[Box]) -> list[Polygon]:
    """The outer rings of the `land` polygons whose bounding box meets one of the boxes."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs: list[list[Point]] = []
    for encoded in topology["arcs"]:
        x = y = 0
        points: list[Point] = []
        for step_x, step_y in encoded:
            x, y = x + step_x, y + step_y
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)

    def ring_of(indexes: list[int]) -> list[Point]:
        ring: list[Point] = []
        for index in indexes:
            piece = arcs[index] if index >= 0 else arcs[~index][::-1]
            ring.extend(piece if not ring else piece[1:])  # arcs share their end points
        if len(ring) > 1 and ring[0] == ring[-1]:
            ring.pop()
        return ring

    found = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for rings in polygons:
            outer = ring_of(rings[0])
            if len(outer) >= 3 and any(overlaps(bbox(outer), box) for box in boxes):
                found.append(Polygon(ring_area_km2(outer), outer))
    return found


def ring_area_km2(ring: Sequence[Point]) -> float:
    """Area by the shoelace formula on km around the ring's mean latitude (fine for the
    islets the minimum-area rule is about; the continents are kept whatever it says)."""
    mean_lat = sum(lat for _, lat in ring) / len(ring)
    km_lon, km_lat = 111.2 * math.cos(math.radians(mean_lat)), 111.2
    twice = 0.0
    x0, y0 = ring[-1]
    for x1, y1 in ring:
        twice += (x0 * km_lon) * (y1 * km_lat) - (x1 * km_lon) * (y0 * km_lat)
        x0, y0 = x1, y1
    return abs(twice) / 2


def bbox(points: Iterable[Point]) -> Box:
    xs, ys = zip(*points, strict=True)
    return (min(xs), min(ys), max(xs), max(ys))


def overlaps(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def inside_box(point: Point, box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def clip(points: list[Point], box: Box) -> list[Point]:
    """Sutherland–Hodgman: the ring cut to an axis-aligned box (convex, so exact)."""
    west, south, east, north = box
    sides = (
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    )
    ring = points
    for keep, cross in sides:
        if not ring:
            break
        out: list[Point] = []
        previous = ring[-1]
        for current in ring:
            if keep(current):
                if not keep(previous):
                    out.append(cross(previous, current))
                out.append(current)
            elif keep(previous):
                out.append(cross(previous, current))
            previous = current
        ring = out
    return ring


def _cross_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(points: list[Point], tolerance_at: Callable[[Point], float]) -> list[Point]:
    """Douglas–Peucker on a closed ring, the tolerance depending on where a point is.

    Distances are measured with longitude scaled by cos(latitude), so a tolerance
    in degrees of latitude means the same ground distance east-west and north-south.
    """
    if len(points) <= 4:
        return points
    # Split the ring at its first point and at the point farthest from it.
    first = points[0]
    far = max(range(len(points)), key=lambda i: _ground(points[i], first))
    chain_a = points[: far + 1]
    chain_b = points[far:] + [first]
    kept_a = _douglas_peucker(chain_a, tolerance_at)
    kept_b = _douglas_peucker(chain_b, tolerance_at)
    return kept_a[:-1] + kept_b[:-1]


def _ground(a: Point, b: Point) -> float:
    k = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * k, a[1] - b[1])


def _offset(p: Point, a: Point, b: Point) -> float:
    k = math.cos(math.radians(p[1]))
    ax, ay, bx, by, px, py = a[0] * k, a[1], b[0] * k, b[1], p[0] * k, p[1]
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy)
    if length == 0:
        return math.hypot(px - ax, py - ay)
    return abs(dx * (ay - py) - dy * (ax - px)) / length


def _douglas_peucker(chain: list[Point], tolerance_at: Callable[[Point], float]) -> list[Point]:
    keep = [False] * len(chain)
    keep[0] = keep[-1] = True
    stack = [(0, len(chain) - 1)]
    while stack:
        start, end = stack.pop()
        worst, worst_excess = -1, 0.0
        for i in range(start + 1, end):
            excess = _offset(chain[i], chain[start], chain[end]) - tolerance_at(chain[i])
            if excess > worst_excess:
                worst, worst_excess = i, excess
        if worst >= 0:
            keep[worst] = True
            stack.append((start, worst))
            stack.append((worst, end))
    return [p for p, k in zip(chain, keep, strict=True) if k]


def contains(ring: Sequence[Point], point: Point) -> bool:
    """Even-odd ray casting."""
    x, y = point
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def cut_region(region: Region, polygons: list[Polygon]) -> dict[str, object]:
    details = [f.bounds for f in region.frames if f.detail]
    overview = [f.bounds for f in region.frames if not f.detail]

    def tolerance_at(point: Point) -> float:
        found = [f.tolerance for f in region.frames if inside_box(point, f.bounds)]
        return min(found, default=region.tolerance)

    shapes: list[dict[str, object]] = []
    for polygon in polygons:
        box = bbox(polygon.points)
        if not overlaps(box, region.cut):
            continue
        in_detail = any(overlaps(box, d) for d in details)
        if polygon.area_km2 < region.min_area_km2 and not in_detail:
            continue
        if not in_detail and not any(overlaps(box, o) for o in overview):
            continue  # only in the cut's margin, which no frame shows
        ring = clip(polygon.points, region.cut)
        if len(ring) < 3:
            continue
        ring = simplify(ring, tolerance_at)
        rounded: list[list[float]] = []
        for lon, lat in ring:
            pair = [round(lon, DECIMALS), round(lat, DECIMALS)]
            if not rounded or pair != rounded[-1]:
                rounded.append(pair)
        if len(rounded) >= 2 and rounded[0] == rounded[-1]:
            rounded.pop()
        if len(rounded) < 3:
            # An islet below the tolerance: keep its outline as the clipped box corners.
            west, south, east, north = bbox(ring)
            rounded = [
                [round(west, DECIMALS), round(south, DECIMALS)],
                [round(east, DECIMALS), round(south, DECIMALS)],
                [round(east, DECIMALS), round(north, DECIMALS)],
                [round(west, DECIMALS), round(north, DECIMALS)],
            ]
        shapes.append({"place": None, "disputed": False, "area_km2": polygon.area_km2,
                       "ring": rounded})  # fmt: skip

    for naming in region.namings:
        matched = []
        for shape in shapes:
            ring = [(p[0], p[1]) for p in shape["ring"]]  # type: ignore[attr-defined]
            if naming.inside is not None and contains(ring, naming.inside):
                matched.append(shape)
            elif naming.box is not None and all(inside_box(p, naming.box) for p in ring):
                matched.append(shape)
        if naming.inside is not None and len(matched) != 1:
            sys.exit(f"{region.id}: {naming.place}'s point {naming.inside} lies in "
                     f"{len(matched)} rings; move it onto the island")  # fmt: skip
        if not matched:
            sys.exit(f"{region.id}: no ring lies inside {naming.place}'s box {naming.box}")
        for shape in matched:
            if shape["place"] is not None:
                sys.exit(f"{region.id}: a ring is claimed by {shape['place']} and {naming.place}")
            shape["place"] = naming.place
            shape["disputed"] = naming.disputed

    # Named shapes first (they are what tests and labels look for), then by size.
    shapes.sort(key=lambda s: (s["place"] is None, -float(s["area_km2"])))  # type: ignore[arg-type]
    for shape in shapes:
        del shape["area_km2"]
    return {
        "id": region.id,
        "title": region.title,
        "bounds": list(region.cut),
        "frames": [
            {"id": f.id, "title": f.title, "bounds": list(f.bounds), "detail": f.detail}
            for f in region.frames
        ],
        "places": [
            {
                "id": p.id,
                "names": list(p.names),
                "lon": p.lon,
                "lat": p.lat,
                "kind": p.kind,
                "disputed": p.disputed,
            }  # fmt: skip
            for p in region.places
        ],
        "shapes": shapes,
    }


def write_atlas(regions: list[dict[str, object]], out: Path, topojson: Path) -> None:
    digest = hashlib.sha256(topojson.read_bytes()).hexdigest()
    header = {
        "format": "thaw-atlas/1",
        "source": {
            "name": "Natural Earth 4.1.0, land polygons at 1:10m",
            "authors": "Natural Earth (naturalearthdata.com)",
            "url": "https://www.naturalearthdata.com/downloads/10m-physical-vectors/",
            "via": f"npm package world-atlas 2.0.2 (Mike Bostock), land-10m.json (sha256 {digest})",
        },
        "licence": "Public domain: Natural Earth data may be used for any purpose without "
        "permission (https://www.naturalearthdata.com/about/terms-of-use/); the TopoJSON "
        "packaging is world-atlas's, whose ISC notice is in LICENSE-world-atlas.txt",
        "cut": {
            "script": "scripts/cut_coastlines.py",
            "resolution": "10m",
            "rings": "outer rings of the land polygons (no lakes)",
            "coordinates": "[longitude, latitude] in degrees (WGS84), rounded to "
            f"{DECIMALS} decimals; rings are closed implicitly",
            "clip": "Sutherland-Hodgman to each region's bounds; ring edges lying on the "
            "bounds are cut lines, not coastline",
            "simplify": "Douglas-Peucker, distances with longitude scaled by cos(latitude)",
            "regions": {
                r.id: {
                    "min_area_km2": r.min_area_km2,
                    "tolerance_outside_frames_deg": r.tolerance,
                    "tolerance_per_frame_deg": {f.id: f.tolerance for f in r.frames},
                }
                for r in REGIONS
            },
        },
    }
    lines = ["{"]
    for key, value in header.items():
        lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    lines.append('"regions": [')
    for r_index, region in enumerate(regions):
        lines.append("{")
        shapes = region["shapes"]
        for key, value in region.items():
            if key != "shapes":
                lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
        lines.append('"shapes": [')
        for s_index, shape in enumerate(shapes):  # type: ignore[arg-type]
            comma = "," if s_index < len(shapes) - 1 else ""  # type: ignore[arg-type]
            lines.append(json.dumps(shape, separators=(",", ":")) + comma)
        lines.append("]")
        lines.append("}" + ("," if r_index < len(regions) - 1 else ""))
    lines.append("]")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # the file must stay valid JSON
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--topojson",
        type=Path,
        required=True,
        help="land-10m.json from the npm package world-atlas 2.0.2",
    )
    parser.add_argument("--out", type=Path, default=Path("content/maps/coastlines.json"))
    args = parser.parse_args(argv)
    polygons = read_topojson(args.topojson, [r.cut for r in REGIONS])
    regions = [cut_region(region, polygons) for region in REGIONS]
    write_atlas(regions, args.out, args.topojson)
    for region in regions:
        shapes = region["shapes"]
        points = sum(len(s["ring"]) for s in shapes)  # type: ignore[attr-defined, union-attr]
        print(f"{region['id']}: {len(shapes)} shapes, {points} points")  # type: ignore[arg-type]
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
