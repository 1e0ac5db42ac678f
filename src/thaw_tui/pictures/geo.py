"""Projection and ring geometry.

The projection is equirectangular with the longitude scaled by the cosine of the
frame's middle latitude: at the scale of a terminal (a dot is one to a few km) and the
latitudes drawn here (22-60 degrees N, each frame spanning at most 19 degrees) it
keeps shapes and distances within a few per cent, and it inverts exactly, which the
tests use to read positions back off the canvas.

A dot is the unit of the canvas: a braille cell holds 2x4 of them, an ASCII cell 1x2.
Terminal cells are about twice as tall as wide, so either way a dot is about square;
`dot_aspect` (a dot's width over its height) says so and can be changed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from thaw_tui.pack.atlas import Bounds
from thaw_tui.pack.atlas import km_between as km_between  # distances are the atlas's

KM_PER_DEGREE_LAT = 111.2  # mean length of a degree of latitude


@dataclass(frozen=True)
class Projection:
    """Degrees to dots and back. `x` grows eastwards, `y` southwards, from the view's
    north-west corner; dot (i, j) covers x in [i, i+1) and y in [j, j+1)."""

    view: Bounds  # what the canvas shows (may be wider than the frame asked for)
    width: int  # dots
    height: int  # dots
    dots_per_lon: float
    dots_per_lat: float

    def dot(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            (lon - self.view.west) * self.dots_per_lon,
            (self.view.north - lat) * self.dots_per_lat,
        )

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        return (
            self.view.west + x / self.dots_per_lon,
            self.view.north - y / self.dots_per_lat,
        )

    @property
    def km_per_dot(self) -> float:
        """Ground distance of one dot, north-south (east-west is the same at mid-frame)."""
        return KM_PER_DEGREE_LAT / self.dots_per_lat


def fit(
    frame: Bounds,
    limit: Bounds,
    width: int,
    height: int,
    *,
    dot_aspect: float = 1.0,
) -> Projection:
    """The projection that shows all of `frame` in `width` x `height` dots.

    The scale is the largest that fits the frame; the box's spare room shows more
    around it, as far as `limit` (the data's cut) reaches: past it there is no
    coastline data, so the view stops there and the rest of the box stays blank.
    """
    if width < 1 or height < 1:
        raise ValueError(f"a canvas of {width}x{height} dots cannot show a map")
    mid_lat = (frame.south + frame.north) / 2
    shrink = math.cos(math.radians(mid_lat))
    # Dots per degree of latitude; a degree of longitude is `shrink` as long.
    per_lat = min(
        width * dot_aspect / ((frame.east - frame.west) * shrink),
        height / (frame.north - frame.south),
    )
    per_lon = per_lat * shrink / dot_aspect
    west, east = _span((frame.west + frame.east) / 2, width / per_lon, limit.west, limit.east)
    south, north = _span(
        (frame.south + frame.north) / 2, height / per_lat, limit.south, limit.north
    )
    # When the limit cut the view short, centre what there is in the box.
    pad_x = (width / per_lon - (east - west)) / 2
    pad_y = (height / per_lat - (north - south)) / 2
    view = Bounds(west - pad_x, south - pad_y, east + pad_x, north + pad_y)
    return Projection(view, width, height, per_lon, per_lat)


def _span(centre: float, length: float, low: float, high: float) -> tuple[float, float]:
    """An interval of `length` around `centre`, slid (then cut) to stay in [low, high]."""
    start, end = centre - length / 2, centre + length / 2
    if end - start >= high - low:
        return low, high
    if start < low:
        start, end = low, low + length
    elif end > high:
        start, end = high - length, high
    return start, end


def ring_area_km2(ring: Sequence[tuple[float, float]]) -> float:
    """Area of a small ring on the sphere, by the shoelace formula on local km."""
    lat0 = sum(lat for _, lat in ring) / len(ring)
    kx = KM_PER_DEGREE_LAT * math.cos(math.radians(lat0))
    twice = 0.0
    x0, y0 = ring[-1]
    for x1, y1 in ring:
        twice += (x0 * kx) * (y1 * KM_PER_DEGREE_LAT) - (x1 * kx) * (y0 * KM_PER_DEGREE_LAT)
        x0, y0 = x1, y1
    return abs(twice) / 2


def ring_centroid(ring: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The centre of area of a ring, as (lon, lat)."""
    twice = cx = cy = 0.0
    x0, y0 = ring[-1]
    for x1, y1 in ring:
        cross = x0 * y1 - x1 * y0
        twice += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
        x0, y0 = x1, y1
    if twice == 0:
        return (sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring))
    return cx / (3 * twice), cy / (3 * twice)


def rings_centroid(rings: Sequence[Sequence[tuple[float, float]]]) -> tuple[float, float]:
    """Centre of area of several rings together (an island group)."""
    total = sx = sy = 0.0
    for ring in rings:
        area = ring_area_km2(ring)
        lon, lat = ring_centroid(ring)
        total += area
        sx += lon * area
        sy += lat * area
    if total == 0:
        raise ValueError("the rings have no area")
    return sx / total, sy / total


def contains(ring: Sequence[tuple[float, float]], lon: float, lat: float) -> bool:
    """Whether (lon, lat) is inside the ring (even-odd rule)."""
    inside = False
    x0, y0 = ring[-1]
    for x1, y1 in ring:
        if (y1 > lat) != (y0 > lat) and lon < x1 + (lat - y1) * (x0 - x1) / (y0 - y1):
            inside = not inside
        x0, y0 = x1, y1
    return inside
