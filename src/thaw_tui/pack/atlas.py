"""Coastline data for the map, as written by scripts/cut_coastlines.py.

The file is JSON (`format: "thaw-atlas/1"`): a header with the data's source, licence
and the cutting parameters, then `regions`, each with its cut `bounds`
(`[west, south, east, north]` in degrees), its `frames` (the zoom levels, widest
first), its `places` (labels) and its `shapes` (one land ring each, a flat list of
`[lon, lat]` pairs, closed implicitly; `place` names the island a ring belongs to,
`disputed` marks the islands whose sovereignty is contested).

`parse_atlas` takes the decoded JSON and returns frozen dataclasses, or raises
`AtlasError` naming the path of the first bad value (`regions[0].shapes[3].ring`).
It reads no file itself: whoever loads the pack decides where the JSON comes from.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

FORMAT = "thaw-atlas/1"
PLACE_KINDS = ("island", "land", "sea")
EARTH_RADIUS_KM = 6371.0
COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")


class AtlasError(ValueError):
    """The map data is not what thaw can draw; the message says where and why."""


class Bounds(NamedTuple):
    west: float
    south: float
    east: float
    north: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def overlaps(self, other: Bounds) -> bool:
        return (
            self.west <= other.east
            and other.west <= self.east
            and self.south <= other.north
            and other.south <= self.north
        )


@dataclass(frozen=True)
class Frame:
    """One zoom level: the box a view must show at least."""

    id: str
    title: str
    bounds: Bounds
    detail: bool = False


@dataclass(frozen=True)
class Place:
    """A label on the map. `names` are the names it goes by, Japanese first."""

    id: str
    names: tuple[str, ...]
    lon: float
    lat: float
    kind: str  # one of PLACE_KINDS
    disputed: bool = False

    @property
    def label(self) -> str:
        return " / ".join(self.names)


@dataclass(frozen=True)
class Shape:
    """One ring of land."""

    place: str | None
    disputed: bool
    ring: tuple[tuple[float, float], ...]
    bounds: Bounds


@dataclass(frozen=True)
class MapRegion:
    id: str
    title: str
    bounds: Bounds
    frames: tuple[Frame, ...]
    places: tuple[Place, ...]
    shapes: tuple[Shape, ...]

    def frame(self, frame_id: str) -> Frame:
        for frame in self.frames:
            if frame.id == frame_id:
                return frame
        raise KeyError(frame_id)

    def place(self, place_id: str) -> Place:
        for place in self.places:
            if place.id == place_id:
                return place
        raise KeyError(place_id)

    def shapes_of(self, place_id: str) -> tuple[Shape, ...]:
        return tuple(shape for shape in self.shapes if shape.place == place_id)

    def where(
        self, places: Sequence[str], point: tuple[float, float] | None
    ) -> tuple[float, float]:
        """Where an item placed on these places (or at this point) stands: the point, the
        place's anchor, or the middle of several places' anchors."""
        if point is not None:
            return point
        anchors = [self.place(place_id) for place_id in places]
        return (
            sum(place.lon for place in anchors) / len(anchors),
            sum(place.lat for place in anchors) / len(anchors),
        )


@dataclass(frozen=True)
class Atlas:
    source: Mapping[str, object]
    licence: str
    cut: Mapping[str, object]
    regions: tuple[MapRegion, ...]

    def region(self, region_id: str) -> MapRegion:
        for region in self.regions:
            if region.id == region_id:
                return region
        raise KeyError(region_id)


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def compass(start: tuple[float, float], end: tuple[float, float]) -> str:
    """Which way `end` lies from `start`, as one of the eight compass points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*start, *end))
    east = math.sin(lon2 - lon1) * math.cos(lat2)
    north = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(
        lon2 - lon1
    )
    bearing = math.degrees(math.atan2(east, north)) % 360
    return COMPASS[round(bearing / 45) % 8]


def parse_atlas(data: object) -> Atlas:
    """Check decoded atlas JSON and build the model; raise AtlasError on the first fault."""
    top = _mapping(data, "atlas")
    if top.get("format") != FORMAT:
        raise AtlasError(f"format: expected {FORMAT!r}, found {top.get('format')!r}")
    regions = tuple(
        _region(value, f"regions[{index}]")
        for index, value in enumerate(_sequence(top.get("regions"), "regions"))
    )
    if not regions:
        raise AtlasError("regions: the atlas has no region")
    _unique([region.id for region in regions], "regions")
    return Atlas(
        source=_mapping(top.get("source"), "source"),
        licence=_text(top.get("licence"), "licence"),
        cut=_mapping(top.get("cut"), "cut"),
        regions=regions,
    )


def _region(value: object, path: str) -> MapRegion:
    data = _mapping(value, path)
    bounds = _bounds(data.get("bounds"), f"{path}.bounds")
    frames = tuple(
        _frame(item, f"{path}.frames[{index}]", bounds)
        for index, item in enumerate(_sequence(data.get("frames"), f"{path}.frames"))
    )
    if not frames:
        raise AtlasError(f"{path}.frames: a region needs at least one frame")
    places = tuple(
        _place(item, f"{path}.places[{index}]")
        for index, item in enumerate(_sequence(data.get("places"), f"{path}.places"))
    )
    shapes = tuple(
        _shape(item, f"{path}.shapes[{index}]")
        for index, item in enumerate(_sequence(data.get("shapes"), f"{path}.shapes"))
    )
    _unique([frame.id for frame in frames], f"{path}.frames")
    _unique([place.id for place in places], f"{path}.places")
    return MapRegion(
        id=_text(data.get("id"), f"{path}.id"),
        title=_text(data.get("title"), f"{path}.title"),
        bounds=bounds,
        frames=frames,
        places=places,
        shapes=shapes,
    )


def _frame(value: object, path: str, region: Bounds) -> Frame:
    data = _mapping(value, path)
    bounds = _bounds(data.get("bounds"), f"{path}.bounds")
    if not (
        region.contains(bounds.west, bounds.south) and region.contains(bounds.east, bounds.north)
    ):
        raise AtlasError(f"{path}.bounds: the frame reaches outside its region's bounds {region}")
    return Frame(
        id=_text(data.get("id"), f"{path}.id"),
        title=_text(data.get("title"), f"{path}.title"),
        bounds=bounds,
        detail=_flag(data.get("detail", False), f"{path}.detail"),
    )


def _place(value: object, path: str) -> Place:
    data = _mapping(value, path)
    names = tuple(
        _label(name, f"{path}.names[{index}]")
        for index, name in enumerate(_sequence(data.get("names"), f"{path}.names"))
    )
    if not names:
        raise AtlasError(f"{path}.names: a place needs at least one name")
    kind = _text(data.get("kind"), f"{path}.kind")
    if kind not in PLACE_KINDS:
        raise AtlasError(f"{path}.kind: expected one of {', '.join(PLACE_KINDS)}, found {kind!r}")
    lon, lat = _coordinate([data.get("lon"), data.get("lat")], path)
    return Place(
        id=_text(data.get("id"), f"{path}.id"),
        names=names,
        lon=lon,
        lat=lat,
        kind=kind,
        disputed=_flag(data.get("disputed", False), f"{path}.disputed"),
    )


def _shape(value: object, path: str) -> Shape:
    data = _mapping(value, path)
    place = data.get("place")
    if place is not None:
        place = _text(place, f"{path}.place")
    raw = _sequence(data.get("ring"), f"{path}.ring")
    if len(raw) < 3:
        raise AtlasError(f"{path}.ring: a ring needs at least 3 points, found {len(raw)}")
    ring = tuple(_coordinate(point, f"{path}.ring[{index}]") for index, point in enumerate(raw))
    lons = [lon for lon, _ in ring]
    lats = [lat for _, lat in ring]
    return Shape(
        place=place,
        disputed=_flag(data.get("disputed", False), f"{path}.disputed"),
        ring=ring,
        bounds=Bounds(min(lons), min(lats), max(lons), max(lats)),
    )


def _coordinate(value: object, path: str) -> tuple[float, float]:
    pair = _sequence(value, path)
    if len(pair) != 2:
        raise AtlasError(f"{path}: expected [longitude, latitude], found {len(pair)} numbers")
    lon, lat = (_number(item, path) for item in pair)
    if not -180.0 <= lon <= 180.0:
        raise AtlasError(f"{path}: longitude {lon} is outside -180..180")
    if not -90.0 <= lat <= 90.0:
        raise AtlasError(f"{path}: latitude {lat} is outside -90..90")
    return lon, lat


def _bounds(value: object, path: str) -> Bounds:
    numbers = _sequence(value, path)
    if len(numbers) != 4:
        raise AtlasError(f"{path}: expected [west, south, east, north]")
    west, south = _coordinate(numbers[:2], path)
    east, north = _coordinate(numbers[2:], path)
    if not (west < east and south < north):
        raise AtlasError(f"{path}: west must be less than east and south less than north")
    return Bounds(west, south, east, north)


def _mapping(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise AtlasError(f"{path}: expected an object, found {type(value).__name__}")
    return value


def _sequence(value: object, path: str) -> Sequence[object]:
    if not isinstance(value, list | tuple):
        raise AtlasError(f"{path}: expected a list, found {type(value).__name__}")
    return value


def _number(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise AtlasError(f"{path}: expected a number, found {value!r}")
    return float(value)


def _text(value: object, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise AtlasError(f"{path}: expected a non-empty string, found {value!r}")
    if not value.isprintable():
        raise AtlasError(f"{path}: control characters are not allowed in {value!r}")
    return value


def _label(value: object, path: str) -> str:
    """A place name: the map draws it one character per terminal cell."""
    text = _text(value, path)
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F") or unicodedata.combining(char):
            raise AtlasError(
                f"{path}: {char!r} in {text!r} takes more or less than one terminal cell; "
                "map labels are drawn a character a cell, so write the name without it "
                "(e.g. in Latin letters)"
            )
    return text


def _flag(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise AtlasError(f"{path}: expected true or false, found {value!r}")
    return value


def _unique(ids: list[str], path: str) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise AtlasError(f"{path}: the id {item_id!r} appears twice")
        seen.add(item_id)
