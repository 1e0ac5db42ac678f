"""The map: coastlines filled in dots, the disputed islands hatched, labels and markers.

`MapRenderer(region).draw(frame_id, width, height, ...)` returns a `MapPicture`: the
rows of runs, plus where each marker landed, so a widget can move between markers
and say which item is under the cursor without knowing any geometry.

How the disputed islands stand out without colour: ordinary land is solid dots, a
disputed island is its coastline plus a diagonal hatch (in ASCII, `X` instead of
`#`), and its label gives both names ("Kunashiri / Kunashir"). The legend row says
so, and gives a scale bar.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from thaw_tui.pack.atlas import Frame, MapRegion, Place
from thaw_tui.pictures import raster
from thaw_tui.pictures.geo import Projection, fit
from thaw_tui.pictures.glyphs import (
    ASCII_DISPUTED_WEIGHTS,
    ASCII_LAND_WEIGHTS,
    BRAILLE_WEIGHTS,
    UNICODE,
    Glyphs,
)
from thaw_tui.pictures.runs import Grid, Picture

# Style codes while drawing; the names are what the picture's runs carry.
SEA, LAND, DISPUTED, DISPUTED_TOO = 0, 1, 2, 3  # 3: a cell with both kinds of land
LABEL, LABEL_DISPUTED, LABEL_SEA, LABEL_SELECTED = 4, 5, 6, 7
MARKER, MARKER_SELECTED, LEGEND, SCALE = 8, 9, 10, 11
STYLES = (
    "map.sea",
    "map.land",
    "map.disputed",
    "map.disputed",
    "map.label",
    "map.label.disputed",
    "map.label.sea",
    "map.label.selected",
    "map.marker",
    "map.marker.selected",
    "map.legend",
    "map.scale",
)
HATCH_PERIOD = 3
CELL_ASPECT = 2.0  # a terminal cell's height over its width
MIN_LEGEND_HEIGHT = 6  # below this many rows, the legend gives its row to the map
DIRECTIONS = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}


@dataclass(frozen=True)
class Marker:
    """An item shown on the map. With `place`, the marker stands on that atlas place
    and takes its label and its anchor; the place is then not labelled twice. With
    `places` (an item about several places, such as the four islands), it stands at
    `lon`/`lat` and, when selected, highlights every one of those places' labels."""

    id: str
    lon: float
    lat: float
    label: str
    disputed: bool = False
    place: str | None = None
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class MapPicture(Picture):
    frame: Frame | None = None
    projection: Projection | None = None
    glyphs: Glyphs = UNICODE
    # Visible markers: item id -> (column, row) of its cell, in the order given.
    markers: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    selected: str | None = None
    labels: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # text -> cell

    def cell_of(self, lon: float, lat: float) -> tuple[int, int]:
        """The cell a geographic point falls in (it may be outside the picture)."""
        assert self.projection is not None
        x, y = self.projection.dot(lon, lat)
        return math.floor(x / self.glyphs.dots_x), math.floor(y / self.glyphs.dots_y)


@dataclass
class _Base:
    """What does not change when the selection does: the land, encoded."""

    projection: Projection
    chars: list[str]
    codes: list[bytes]  # per cell: SEA, LAND, DISPUTED or DISPUTED_TOO


class MapRenderer:
    """Draws one region; keeps the land of the last few sizes so that moving the
    selection only redraws labels and markers."""

    def __init__(self, region: MapRegion, *, cache_size: int = 4) -> None:
        self.region = region
        self._cache: dict[tuple[str, int, int, str], _Base] = {}
        self._cache_size = cache_size

    def draw(
        self,
        frame_id: str,
        width: int,
        height: int,
        *,
        markers: Sequence[Marker] = (),
        selected: str | None = None,
        glyphs: Glyphs = UNICODE,
        legend: bool = True,
    ) -> MapPicture:
        frame = self.region.frame(frame_id)
        with_legend = legend and height >= MIN_LEGEND_HEIGHT
        map_height = height - 1 if with_legend else height
        base = self._base(frame, width, map_height, glyphs)
        grid = Grid(width, height, STYLES)
        for y in range(map_height):
            grid.set_row(y, base.chars[y], base.codes[y])
        places = {place.id: place for place in self.region.places}
        cells = _place_markers(grid, base, glyphs, markers, selected, map_height, places)
        labels = _place_labels(grid, base, glyphs, markers, selected, cells, map_height, places)
        if with_legend:
            _legend(grid, base.projection, glyphs, frame, bool(cells), height - 1)
        picture = grid.picture()
        return MapPicture(
            width=picture.width,
            rows=picture.rows,
            frame=frame,
            projection=base.projection,
            glyphs=glyphs,
            markers=cells,
            selected=selected if selected in cells else None,
            labels=labels,
        )

    def _base(self, frame: Frame, width: int, height: int, glyphs: Glyphs) -> _Base:
        key = (frame.id, width, height, glyphs.name)
        base = self._cache.get(key)
        if base is None:
            base = _draw_land(self.region, frame, width, height, glyphs)
            if len(self._cache) >= self._cache_size:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = base
        return base


def draw_map(
    region: MapRegion,
    frame_id: str,
    width: int,
    height: int,
    *,
    markers: Sequence[Marker] = (),
    selected: str | None = None,
    glyphs: Glyphs = UNICODE,
    legend: bool = True,
) -> MapPicture:
    """One picture, nothing kept (see MapRenderer to redraw cheaply)."""
    return MapRenderer(region, cache_size=1).draw(
        frame_id,
        width,
        height,
        markers=markers,
        selected=selected,
        glyphs=glyphs,
        legend=legend,
    )


def _draw_land(region: MapRegion, frame: Frame, width: int, height: int, glyphs: Glyphs) -> _Base:
    dots_w, dots_h = width * glyphs.dots_x, height * glyphs.dots_y
    dot_aspect = (1 / glyphs.dots_x) / (CELL_ASPECT / glyphs.dots_y)
    projection = fit(frame.bounds, region.bounds, dots_w, dots_h, dot_aspect=dot_aspect)
    view = projection.view
    plain, disputed = raster.blank(dots_h), raster.blank(dots_h)
    kx, ky, west, north = projection.dots_per_lon, projection.dots_per_lat, view.west, view.north
    for shape in region.shapes:
        if not shape.bounds.overlaps(view):
            continue
        target = disputed if shape.disputed else plain
        bounds = shape.bounds
        if (bounds.east - bounds.west) * kx < 1 and (bounds.north - bounds.south) * ky < 1:
            # An islet within one dot: that dot, without walking its ring.
            x, y = (bounds.west - west) * kx, (north - bounds.north) * ky
            if 0 <= x < dots_w and 0 <= y < dots_h:
                target[int(y)] |= 1 << int(x)
            continue
        points = [((lon - west) * kx, (north - lat) * ky) for lon, lat in shape.ring]
        raster.fill_ring(target, dots_w, points)

    if glyphs.unicode:
        braille = raster.CellEncoder(BRAILLE_WEIGHTS)
        hatch = raster.pattern(dots_w, dots_h, HATCH_PERIOD)
        shown = raster.combine(
            plain, raster.outline(disputed, dots_w), raster.intersect(disputed, hatch)
        )
        char_codes = braille.encode(shown, width)
        plain_codes = braille.encode(plain, width)
        disputed_codes = braille.encode(disputed, width)
    else:
        plain_codes = raster.CellEncoder(ASCII_LAND_WEIGHTS).encode(plain, width)
        disputed_codes = raster.CellEncoder(ASCII_DISPUTED_WEIGHTS).encode(disputed, width)
        char_codes = [
            (int.from_bytes(a, "little") | int.from_bytes(b, "little")).to_bytes(width, "little")
            for a, b in zip(plain_codes, disputed_codes, strict=True)
        ]
    table = {code: ord(char) for code, char in glyphs.cells.items()}
    chars = [codes.decode("latin-1").translate(table) for codes in char_codes]
    styles = [
        (raster.flags(a, LAND) | raster.flags(b, DISPUTED)).to_bytes(width, "little")
        for a, b in zip(plain_codes, disputed_codes, strict=True)
    ]
    return _Base(projection, chars, styles)


def _cell(projection: Projection, glyphs: Glyphs, lon: float, lat: float) -> tuple[int, int]:
    x, y = projection.dot(lon, lat)
    return math.floor(x / glyphs.dots_x), math.floor(y / glyphs.dots_y)


def _place_markers(
    grid: Grid,
    base: _Base,
    glyphs: Glyphs,
    markers: Sequence[Marker],
    selected: str | None,
    map_height: int,
    places: Mapping[str, Place],
) -> dict[str, tuple[int, int]]:
    """Put each marker in its cell, or the nearest free one; return where they went."""
    cells: dict[str, tuple[int, int]] = {}
    taken: set[tuple[int, int]] = set()
    for marker in markers:
        lon, lat = marker.lon, marker.lat
        place = places.get(marker.place or "")
        if place is not None:
            lon, lat = place.lon, place.lat
        x, y = _cell(base.projection, glyphs, lon, lat)
        if not (0 <= x < grid.width and 0 <= y < map_height):
            continue
        spot = _free_cell(x, y, taken, grid.width, map_height)
        if spot is None:
            continue
        taken.add(spot)
        cells[marker.id] = spot
    for marker_id, (x, y) in cells.items():
        if marker_id == selected:
            grid.put(x, y, glyphs.marker_selected, MARKER_SELECTED)
        else:
            grid.put(x, y, glyphs.marker, MARKER)
    return cells


def _free_cell(
    x: int, y: int, taken: set[tuple[int, int]], width: int, height: int
) -> tuple[int, int] | None:
    for radius in range(0, 4):
        for dy in range(-radius, radius + 1):
            for dx in range(-radius, radius + 1):
                if max(abs(dx), abs(dy)) != radius:
                    continue
                spot = (x + dx, y + dy)
                if spot not in taken and 0 <= spot[0] < width and 0 <= spot[1] < height:
                    return spot
    return None


@dataclass(frozen=True)
class _Label:
    lines_options: tuple[tuple[str, ...], ...]  # one line, or the names stacked
    anchor: tuple[int, int]
    style: int
    kind: str  # "land" and "sea" labels sit on their anchor, "island" labels beside it


def _place_labels(
    grid: Grid,
    base: _Base,
    glyphs: Glyphs,
    markers: Sequence[Marker],
    selected: str | None,
    marker_cells: Mapping[str, tuple[int, int]],
    map_height: int,
    places: Mapping[str, Place],
) -> dict[str, tuple[int, int]]:
    wanted: list[_Label] = []
    skip_place: str | None = None
    highlighted: set[str] = set()
    chosen = next((m for m in markers if m.id == selected and m.id in marker_cells), None)
    if chosen is not None:
        highlighted = {p for p in chosen.places if p in places}
        names: tuple[str, ...] = (chosen.label,)
        place = places.get(chosen.place or "")
        if place is not None:
            skip_place = place.id
            names = place.names
        if place is not None or not highlighted:
            wanted.append(
                _Label(_variants(names), marker_cells[chosen.id], LABEL_SELECTED, "island")
            )
    ordered = sorted(
        (p for p in places.values() if p.id != skip_place),
        key=lambda p: (p.id not in highlighted, not p.disputed, p.kind == "sea"),
    )
    for place in ordered:
        anchor = _cell(base.projection, glyphs, place.lon, place.lat)
        if not (0 <= anchor[0] < grid.width and 0 <= anchor[1] < map_height):
            continue
        if place.id in highlighted:
            style = LABEL_SELECTED
        elif place.disputed:
            style = LABEL_DISPUTED
        else:
            style = LABEL_SEA if place.kind == "sea" else LABEL
        wanted.append(_Label(_variants(place.names), anchor, style, place.kind))

    taken = bytearray(grid.width * map_height)
    for x, y in marker_cells.values():
        taken[y * grid.width + x] = 1
    placed: dict[str, tuple[int, int]] = {}
    for label in wanted:
        spot = _best_spot(label, grid, base, taken, map_height)
        if spot is None:
            continue
        lines, x, y = spot
        for offset, line in enumerate(lines):
            grid.put(x, y + offset, line, label.style)
            start = max(0, x - 1)
            end = min(grid.width, x + len(line) + 1)
            taken[(y + offset) * grid.width + start : (y + offset) * grid.width + end] = b"\x01" * (
                end - start
            )
        placed[" / ".join(lines)] = (x, y)
    return placed


def _variants(names: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Both names on one line, then closer together, then one above the other."""
    if len(names) == 1:
        return ((names[0],),)
    return ((" / ".join(names),), ("/".join(names),), names)


def _best_spot(
    label: _Label, grid: Grid, base: _Base, taken: bytearray, map_height: int
) -> tuple[tuple[str, ...], int, int] | None:
    ax, ay = label.anchor
    for lines in label.lines_options:
        wide = max(len(line) for line in lines)
        tall = len(lines)
        spots = [
            (ax + 2, ay - tall // 2),
            (ax - wide - 1, ay - tall // 2),
            (ax + 1, ay - tall),
            (ax + 1, ay + 1),
            (ax - wide, ay - tall),
            (ax - wide, ay + 1),
            (ax - wide // 2, ay - tall),
            (ax - wide // 2, ay + 1),
            (ax + 2, ay - tall - 1),
            (ax + 2, ay + 2),
            (ax - wide - 1, ay - tall - 1),
            (ax - wide - 1, ay + 2),
        ]
        if label.kind != "island":
            spots.insert(0, (ax - wide // 2, ay - tall // 2))
        best: tuple[float, int, int] | None = None
        for rank, (x, y) in enumerate(spots):
            if x < 0 or y < 0 or x + wide > grid.width or y + tall > map_height:
                continue
            cost = _cost(lines, x, y, grid, base, taken, label.kind)
            if cost is None:
                continue
            cost += rank * 0.5
            if best is None or cost < best[0]:
                best = (cost, x, y)
        if best is not None:
            return lines, best[1], best[2]
    return None


def _cost(
    lines: tuple[str, ...],
    x: int,
    y: int,
    grid: Grid,
    base: _Base,
    taken: bytearray,
    kind: str,
) -> float | None:
    """How much land a label would hide; None if it would cover another label, or if
    it names a sea and would cover any land."""
    cost = 0.0
    for offset, line in enumerate(lines):
        row = y + offset
        start = row * grid.width + x
        if any(taken[start : start + len(line)]):
            return None
        styles = base.codes[row][x : x + len(line)]
        disputed = len(styles) - styles.count(SEA) - styles.count(LAND)
        land = styles.count(LAND)
        if kind == "sea" and (land or disputed):
            return None
        cost += 4 * disputed + (0 if kind == "land" else land)
    return cost


def _legend(
    grid: Grid,
    projection: Projection,
    glyphs: Glyphs,
    frame: Frame,
    has_markers: bool,
    y: int,
) -> None:
    """A scale bar, what the fills mean, and which frame this is, as far as they fit."""
    km_per_cell = projection.km_per_dot * glyphs.dots_x
    pieces: list[tuple[str, int]] = []
    bar = _scale_bar(km_per_cell, glyphs)
    if bar:
        pieces.append((bar, SCALE))
    pieces.append((f"{glyphs.land_swatch} land", LAND))
    pieces.append((f"{_hatch_swatch(glyphs)} disputed", DISPUTED))
    if has_markers:
        pieces.append((f"{glyphs.marker} item", MARKER))
    pieces.append((frame.title, LEGEND))
    x = 0
    for text, style in pieces:
        if x + len(text) > grid.width:
            break
        grid.put(x, y, text, style)
        x += len(text) + 2


def _scale_bar(km_per_cell: float, glyphs: Glyphs) -> str:
    """A bar of a round number of km, 4 to 12 cells long ("├───┤ 100 km")."""
    best = ""
    for exponent in range(-1, 5):
        for mantissa in (1, 2, 5):
            km = mantissa * 10**exponent
            cells = round(km / km_per_cell)
            if 4 <= cells <= 12:
                amount = f"{km:g}"
                best = f"{glyphs.scale_left}{glyphs.scale_line * (cells - 2)}{glyphs.scale_right}"
                best += f" {amount} km"
    return best


def _hatch_swatch(glyphs: Glyphs) -> str:
    """One cell of the disputed islands' hatch, as drawn."""
    if not glyphs.unicode:
        return glyphs.disputed_swatch
    rows = raster.pattern(glyphs.dots_x, glyphs.dots_y, HATCH_PERIOD)
    code = raster.CellEncoder(BRAILLE_WEIGHTS).encode(rows, 1)[0][0]
    return glyphs.cells[code]


def step(cells: Mapping[str, tuple[int, int]], current: str | None, direction: str) -> str | None:
    """The marker to move to from `current` in a direction; None if there is none.

    Candidates lie ahead in that direction; the nearest wins, where being off to the
    side counts double (rows are twice as tall as columns are wide, so a row counts
    as two columns).
    """
    if not cells:
        return None
    if current is None or current not in cells:
        return next(iter(cells))
    dx, dy = DIRECTIONS[direction]
    cx, cy = cells[current]
    best: tuple[float, str] | None = None
    for marker_id, (x, y) in cells.items():
        if marker_id == current:
            continue
        ex, ey = (x - cx), (y - cy) * 2
        ahead = ex * dx + ey * dy
        if ahead <= 0:
            continue
        aside = abs(ex * dy - ey * dx)
        score = ahead + 2 * aside
        if best is None or score < best[0]:
            best = (score, marker_id)
    return best[1] if best else None
