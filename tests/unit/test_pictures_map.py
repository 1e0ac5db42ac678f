"""The islands map: the shipped coastline data, the projection, and what gets drawn.

Real positions used below (degrees; each cited where it was checked):

- Shikotan 43.800 N 146.750 E, area 225 km² — the island's Wikipedia infobox (as
  mirrored at wikimili.com/en/Shikotan).
- Kunashiri / Kunashir 44.117 N 145.850 E, area 1,490 km², 123 km long — its Wikipedia
  infobox (mirrored at wiki.outremer.quest, Kunashiri_Island). That point is where the
  infobox pins the island, on its west side, not its centre of area: the coastline ring's
  centroid lies about 10 km to the north-east of it, which is why Kunashiri is held to
  the infobox point at 12 km (a tenth of its length) and, separately, the point must
  fall on the island's own cells.
- Etorofu / Iturup 45.033 N 147.617 E, area 3,139 km² — its Wikipedia infobox
  (mirrored at wikimili.com/en/Iturup).
- Uotsuri (Diaoyu), the largest Senkaku island, 25°46′N 123°31′E — hotelasia.cc's
  table of the Senkaku islands (Wikipedia's figures).
- Sapporo 43.06 N 141.35 E, on Hokkaido; the Nemuro Strait between Hokkaido and
  Kunashiri is some 25 km wide at 43.8 N (145.1-145.4 E in the data itself).
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest

from thaw_tui.pack.atlas import Atlas, AtlasError, MapRegion, parse_atlas
from thaw_tui.pictures import geo, raster
from thaw_tui.pictures.glyphs import ASCII, UNICODE, glyphs_for_environment
from thaw_tui.pictures.mapdraw import MapPicture, MapRenderer, Marker, draw_map, step

ROOT = Path(__file__).resolve().parents[2]
ATLAS_PATH = ROOT / "content" / "maps" / "coastlines.json"
SIZES = [(80, 24), (120, 40), (200, 60)]

SHIKOTAN = (146.750, 43.800)
KUNASHIRI = (145.850, 44.117)
ETOROFU = (147.617, 45.033)
UOTSURI = (123 + 31 / 60, 25 + 46 / 60)
SAPPORO = (141.35, 43.06)
NEMURO_STRAIT = (145.25, 43.80)


@pytest.fixture(scope="module")
def raw() -> Any:
    return json.loads(ATLAS_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def atlas(raw: Any) -> Atlas:
    return parse_atlas(raw)


@pytest.fixture(scope="module")
def kurils(atlas: Atlas) -> MapRegion:
    return atlas.region("kurils")


def dot_centre_back(picture: MapPicture, lon: float, lat: float) -> tuple[float, float]:
    """Where a point lands on the canvas (the dot holding it), read back as lon/lat."""
    assert picture.projection is not None
    x, y = picture.projection.dot(lon, lat)
    return picture.projection.lonlat(math.floor(x) + 0.5, math.floor(y) + 0.5)


def test_the_data_file_is_small_and_says_where_it_comes_from(raw: Any, atlas: Atlas) -> None:
    assert ATLAS_PATH.stat().st_size < 256 * 1024
    assert "Natural Earth" in str(atlas.source["name"])
    assert "world-atlas 2.0.2" in str(atlas.source["via"])
    assert atlas.licence.startswith("Public domain")
    # The ISC notice of the package the data came through ships beside it.
    notice = (ATLAS_PATH.parent / "LICENSE-world-atlas.txt").read_text(encoding="utf-8")
    assert "Copyright 2013-2019 Michael Bostock" in notice
    assert atlas.cut["script"] == "scripts/cut_coastlines.py"
    assert {region.id for region in atlas.regions} == {"kurils", "senkaku"}


def test_every_named_island_is_there(atlas: Atlas) -> None:
    kurils, senkaku = atlas.region("kurils"), atlas.region("senkaku")
    for place in ("hokkaido", "etorofu", "kunashiri", "shikotan", "habomai", "sakhalin"):
        assert kurils.shapes_of(place), place
    assert len(kurils.shapes_of("habomai")) >= 4  # a group of islets, not one blob
    assert senkaku.shapes_of("senkaku") and senkaku.shapes_of("taiwan")
    disputed = {shape.place for shape in kurils.shapes if shape.disputed}
    assert disputed == {"etorofu", "kunashiri", "shikotan", "habomai"}
    assert {shape.place for shape in senkaku.shapes if shape.disputed} == {"senkaku"}


def test_labels_give_both_names(kurils: MapRegion) -> None:
    assert kurils.place("etorofu").label == "Etorofu / Iturup"
    assert kurils.place("kunashiri").label == "Kunashiri / Kunashir"
    assert kurils.place("habomai").label == "Habomai / Khabomai"


@pytest.mark.parametrize("size", SIZES)
def test_shikotan_centre_lands_within_a_few_km_of_its_real_position(
    kurils: MapRegion, size: tuple[int, int]
) -> None:
    picture = draw_map(kurils, "islands", *size)
    centre = geo.rings_centroid([shape.ring for shape in kurils.shapes_of("shikotan")])
    landed = dot_centre_back(picture, *centre)
    assert picture.projection is not None
    half_dot = picture.projection.km_per_dot * math.sqrt(2) / 2
    assert geo.km_between(landed, SHIKOTAN) < 3 + half_dot


@pytest.mark.parametrize("size", SIZES)
def test_kunashiri_centre_and_reference_point_land_on_kunashiri(
    kurils: MapRegion, size: tuple[int, int]
) -> None:
    picture = draw_map(kurils, "islands", *size)
    centre = geo.rings_centroid([shape.ring for shape in kurils.shapes_of("kunashiri")])
    landed = dot_centre_back(picture, *centre)
    assert picture.projection is not None
    half_dot = picture.projection.km_per_dot * math.sqrt(2) / 2
    assert geo.km_between(landed, KUNASHIRI) < 12 + half_dot
    # The reference point itself is drawn as disputed land, on Kunashiri's side.
    x, y = picture.cell_of(*KUNASHIRI)
    assert picture.style_at(x, y) == "map.disputed"


def test_areas_match_the_published_ones(kurils: MapRegion) -> None:
    for place, published in (("kunashiri", 1490), ("etorofu", 3139)):
        area = sum(geo.ring_area_km2(shape.ring) for shape in kurils.shapes_of(place))
        assert abs(area - published) / published < 0.06, (place, area)


def test_senkaku_largest_island_is_where_uotsuri_is(atlas: Atlas) -> None:
    senkaku = atlas.region("senkaku")
    largest = max(senkaku.shapes_of("senkaku"), key=lambda s: geo.ring_area_km2(s.ring))
    assert geo.km_between(geo.ring_centroid(largest.ring), UOTSURI) < 3


@pytest.mark.parametrize("size", SIZES)
def test_the_nemuro_strait_is_sea_and_sapporo_is_land(
    kurils: MapRegion, size: tuple[int, int]
) -> None:
    assert not any(geo.contains(shape.ring, *NEMURO_STRAIT) for shape in kurils.shapes)
    close = draw_map(kurils, "islands", *size)
    x, y = close.cell_of(*NEMURO_STRAIT)
    assert close.style_at(x, y) == "map.sea"
    assert close.lines()[y][x] == " "
    # Between the strait and Kunashiri's reference point lies a coast: sea, then island.
    assert close.style_at(*close.cell_of(*KUNASHIRI)) == "map.disputed"
    whole = draw_map(kurils, "chain", *size)
    x, y = whole.cell_of(*SAPPORO)
    assert whole.style_at(x, y) == "map.land"
    assert whole.lines()[y][x] != " "


@pytest.mark.parametrize("frame", ["okhotsk", "chain", "islands"])
@pytest.mark.parametrize("size", SIZES)
def test_every_frame_shows_all_it_promises_at_every_size(
    kurils: MapRegion, frame: str, size: tuple[int, int]
) -> None:
    picture = draw_map(kurils, frame, *size)
    assert picture.height == size[1]
    assert all(sum(len(text) for text, _ in row) == size[0] for row in picture.rows)
    bounds = kurils.frame(frame).bounds
    for lon, lat in ((bounds.west, bounds.south), (bounds.east, bounds.north)):
        x, y = picture.cell_of(lon, lat)
        assert 0 <= x <= size[0] and 0 <= y <= size[1] - 1  # the last row is the legend
    assert picture.projection is not None
    p = picture.projection
    assert p.lonlat(*p.dot(146.0, 44.0)) == pytest.approx((146.0, 44.0))


def test_disputed_islands_stand_out_by_pattern_not_colour(kurils: MapRegion) -> None:
    picture = draw_map(kurils, "islands", 120, 40)
    lines = picture.lines()
    full = UNICODE.cells[0xFF]
    disputed = [
        lines[y][x]
        for y in range(picture.height - 1)
        for x in range(picture.width)
        if picture.style_at(x, y) == "map.disputed"
    ]
    land = [
        lines[y][x]
        for y in range(picture.height - 1)
        for x in range(picture.width)
        if picture.style_at(x, y) == "map.land"
    ]
    # Hokkaido is mostly solid; the disputed islands are hatched, almost never solid.
    assert land.count(full) / len(land) > 0.5
    assert len(disputed) > 40
    assert disputed.count(full) / len(disputed) < 0.1
    text = picture.text()
    assert "Kunashiri / Kunashir" in text or "Kunashiri/Kunashir" in text
    assert "Etorofu" in text and "Iturup" in text
    assert "disputed" in lines[-1]  # the legend says what the hatch means


def test_ascii_map_is_pure_ascii_and_marks_disputed_land_with_x(kurils: MapRegion) -> None:
    picture = draw_map(kurils, "islands", 80, 24, glyphs=ASCII)
    text = picture.text()
    assert text.isascii()
    x, y = picture.cell_of(*KUNASHIRI)
    assert picture.lines()[y][x] in "xX"
    whole = draw_map(kurils, "chain", 80, 24, glyphs=ASCII)
    x, y = whole.cell_of(*SAPPORO)
    assert whole.lines()[y][x] == "#"


def test_markers_are_placed_and_walked_by_direction(kurils: MapRegion) -> None:
    markers = [
        Marker("kunashiri", 0, 0, "Kunashiri", True, place="kunashiri"),
        Marker("etorofu", 0, 0, "Etorofu", True, place="etorofu"),
        Marker("shikotan", 0, 0, "Shikotan", True, place="shikotan"),
        Marker("shumshu-landing", 156.4, 50.75, "Shumshu"),  # off the close-up
    ]
    picture = draw_map(kurils, "islands", 120, 40, markers=markers, selected="kunashiri")
    assert set(picture.markers) == {"kunashiri", "etorofu", "shikotan"}
    assert len(set(picture.markers.values())) == 3
    x, y = picture.markers["kunashiri"]
    assert picture.lines()[y][x] == UNICODE.marker_selected
    assert picture.style_at(x, y) == "map.marker.selected"
    assert step(picture.markers, "kunashiri", "right") in {"etorofu", "shikotan"}
    assert step(picture.markers, "kunashiri", "up") == "etorofu"
    assert step(picture.markers, "kunashiri", "down") == "shikotan"
    assert step(picture.markers, "kunashiri", "left") is None
    assert step(picture.markers, None, "left") == "kunashiri"
    wide = draw_map(kurils, "chain", 80, 24, markers=markers)
    assert "shumshu-landing" in wide.markers


def test_the_selected_marker_is_labelled(kurils: MapRegion) -> None:
    markers = [Marker("medvedev-visit-2010", 145.86, 44.03, "Medvedev on Kunashiri")]
    picture = draw_map(kurils, "islands", 120, 40, markers=markers, selected=markers[0].id)
    assert "Medvedev on Kunashiri" in picture.text()
    assert picture.selected == "medvedev-visit-2010"


def test_a_renderer_reuses_the_land_when_only_the_selection_moves(kurils: MapRegion) -> None:
    renderer = MapRenderer(kurils)
    markers = [Marker("a", 145.9, 44.1, "A"), Marker("b", 147.6, 45.0, "B")]
    first = renderer.draw("islands", 80, 24, markers=markers, selected="a")
    second = renderer.draw("islands", 80, 24, markers=markers, selected="b")
    assert first.projection is second.projection
    assert first.markers == second.markers and first.text() != second.text()


def test_a_legend_row_carries_a_scale_bar_in_round_km(kurils: MapRegion) -> None:
    picture = draw_map(kurils, "islands", 80, 24)
    legend = picture.lines()[-1]
    assert legend.startswith(UNICODE.scale_left)
    amount = int(legend.split(UNICODE.scale_right, 1)[1].split("km")[0])
    bar_cells = legend.index(UNICODE.scale_right) + 1
    assert picture.projection is not None
    km_per_cell = picture.projection.km_per_dot * UNICODE.dots_x
    assert abs(bar_cells * km_per_cell - amount) <= km_per_cell  # the bar measures it
    tiny = draw_map(kurils, "islands", 40, 5)
    assert UNICODE.scale_left not in tiny.text()  # too short for a legend: all map


def test_bad_atlas_data_is_refused_with_its_path(raw: Any) -> None:
    broken = copy.deepcopy(raw)
    broken["regions"][0]["shapes"][2]["ring"][1] = [145.0, 95.0]
    with pytest.raises(AtlasError, match=r"regions\[0\]\.shapes\[2\]\.ring\[1\]: latitude"):
        parse_atlas(broken)
    broken = copy.deepcopy(raw)
    broken["regions"][1]["places"][0]["names"] = ["Senkaku\x1b[2J"]
    with pytest.raises(AtlasError, match="control characters"):
        parse_atlas(broken)
    broken = copy.deepcopy(raw)
    broken["format"] = "something-else/2"
    with pytest.raises(AtlasError, match="format"):
        parse_atlas(broken)


def test_outline_keeps_only_the_edge_and_not_the_canvas_border() -> None:
    rows = raster.blank(6)
    raster.fill_ring(rows, 8, [(0.0, 0.0), (8.0, 0.0), (8.0, 3.9), (0.0, 3.9)])
    assert rows[:4] == [0xFF] * 4 and rows[4:] == [0, 0]
    edge = raster.outline(rows, 8)
    assert edge[:3] == [0, 0, 0]  # the top and sides run off the canvas: no coast there
    assert edge[3] == 0xFF  # the bottom row meets the sea


def test_the_braille_encoder_packs_dots_into_cells() -> None:
    encoder = raster.CellEncoder(((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80)))
    rows = [0b01, 0b10, 0, 0b11]  # dot (0,0), dot (1,1), dots (0,3) and (1,3)
    assert encoder.encode(rows, 1) == [bytes([0x01 | 0x10 | 0x40 | 0x80])]


@pytest.mark.parametrize(
    ("environ", "name"),
    [
        ({"LANG": "en_GB.UTF-8"}, "unicode"),
        ({"LANG": "C"}, "ascii"),
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, "ascii"),  # Python's own PEP 538 coercion
        ({"LANG": "C.UTF-8"}, "unicode"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "C"}, "ascii"),
        ({"LANG": "C", "LC_ALL": "en_US.utf8"}, "unicode"),
        ({}, "ascii"),
    ],
)
def test_the_character_set_follows_the_locale(environ: dict[str, str], name: str) -> None:
    assert glyphs_for_environment(environ).name == name
