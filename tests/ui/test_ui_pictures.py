"""The map and ruler widgets in a tiny app: keys move, zoom and choose; lines are drawn."""

from __future__ import annotations

import json
from pathlib import Path

from textual.app import App, ComposeResult
from textual.message import Message

from thaw_tui.pack.atlas import MapRegion, parse_atlas
from thaw_tui.pack.model import PartialDate
from thaw_tui.pictures.glyphs import ASCII, UNICODE
from thaw_tui.pictures.mapdraw import Marker
from thaw_tui.pictures.ruler import ROW_CURSOR, RulerEvent
from thaw_tui.ui.widgets.map_view import MapView
from thaw_tui.ui.widgets.ruler_view import RulerView

ROOT = Path(__file__).resolve().parents[2]


def kurils() -> MapRegion:
    raw = json.loads((ROOT / "content" / "maps" / "coastlines.json").read_text("utf-8"))
    return parse_atlas(raw).region("kurils")


MARKERS = [
    Marker("kunashiri", 0, 0, "Kunashiri / Kunashir", True, place="kunashiri"),
    Marker("etorofu", 0, 0, "Etorofu / Iturup", True, place="etorofu"),
    Marker("shikotan", 0, 0, "Shikotan", True, place="shikotan"),
    Marker("soviet-kuril-invasion", 156.4, 50.75, "Soviet landing on Shumshu"),
]

EVENTS = [
    RulerEvent("potsdam", PartialDate(1945, 8, 15), "war"),
    RulerEvent("joint-declaration", PartialDate(1956, 10, 19), "war"),
    RulerEvent("medvedev", PartialDate(2010, 11, 1), "thaw"),
    RulerEvent("mh17", PartialDate(2014, 7, 17), "crisis"),
    RulerEvent("drills", PartialDate(2014, 8), "crisis"),
]


class PictureApp(App[None]):
    def __init__(self, widget: MapView | RulerView) -> None:
        super().__init__()
        self.widget = widget
        self.seen: list[Message] = []

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_mount(self) -> None:
        self.widget.focus()

    def on_map_view_marker_highlighted(self, message: MapView.MarkerHighlighted) -> None:
        self.seen.append(message)

    def on_map_view_marker_chosen(self, message: MapView.MarkerChosen) -> None:
        self.seen.append(message)

    def on_ruler_view_event_highlighted(self, message: RulerView.EventHighlighted) -> None:
        self.seen.append(message)

    def on_ruler_view_event_chosen(self, message: RulerView.EventChosen) -> None:
        self.seen.append(message)


def ids(app: PictureApp, kind: type[Message]) -> list[str | None]:
    found: list[str | None] = []
    for message in app.seen:
        if isinstance(message, kind):
            found.append(getattr(message, "item_id", None) or getattr(message, "event_id", None))
    return found


def lines(widget: MapView | RulerView) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def test_map_keys_walk_markers_zoom_and_open() -> None:
    view = MapView(kurils(), MARKERS, frame="islands", glyphs=UNICODE)
    app = PictureApp(view)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert view.selected == "kunashiri"  # the first marker in view is selected
        assert ids(app, MapView.MarkerHighlighted) == ["kunashiri"]
        assert "soviet-kuril-invasion" not in view.picture.markers  # off the close-up

        await pilot.press("k")
        assert view.selected == "etorofu"
        await pilot.press("down")
        await pilot.press("j")
        assert view.selected == "shikotan"
        await pilot.press("enter")
        assert ids(app, MapView.MarkerChosen) == ["shikotan"]

        await pilot.press("minus")
        assert view.frame_id == "chain"
        assert "soviet-kuril-invasion" in view.picture.markers
        assert view.selected == "shikotan"  # still in view: kept
        await pilot.press("minus", "minus")
        assert view.frame_id == "okhotsk"  # the widest frame is as far as it goes
        await pilot.press("plus", "equals_sign")
        assert view.frame_id == "islands"


async def test_map_draws_the_picture_it_computed_with_styles_that_survive_no_colour() -> None:
    view = MapView(kurils(), MARKERS, frame="islands", glyphs=UNICODE)
    app = PictureApp(view)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        drawn = lines(view)
        assert drawn == view.picture.lines()
        assert any("Kunashiri / Kunashir" in line or "Kunashiri/Kunashir" in line for line in drawn)
        x, y = view.picture.markers["kunashiri"]
        strip = view.render_line(y)
        segment = next(seg for seg in strip if seg.text == UNICODE.marker_selected)
        assert segment.style is not None and segment.style.reverse  # visible without colour
        assert drawn[y][x] == UNICODE.marker_selected


async def test_map_in_ascii_and_show_zooms_out_to_an_item() -> None:
    view = MapView(kurils(), MARKERS, frame="islands", glyphs=ASCII)
    app = PictureApp(view)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert all(line.isascii() for line in lines(view))
        view.show("soviet-kuril-invasion")
        await pilot.pause()
        assert view.frame_id == "chain"
        assert view.selected == "soviet-kuril-invasion"
        await pilot.press("enter")
        assert ids(app, MapView.MarkerChosen) == ["soviet-kuril-invasion"]


async def test_ruler_keys_move_zoom_and_open() -> None:
    eras = {"war": "The war", "thaw": "A thaw", "crisis": "The 2014 crisis"}
    view = RulerView(EVENTS, eras, cursor="medvedev", glyphs=UNICODE)
    app = PictureApp(view)
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        assert view.size.height == 5
        assert "10 Nov 2010" not in lines(view)[ROW_CURSOR]
        assert "1 Nov 2010 · A thaw" in lines(view)[ROW_CURSOR]
        await pilot.press("l")
        assert view.cursor == "mh17"
        await pilot.press("right", "right")
        assert view.cursor == "drills"  # the last event: stays
        assert ids(app, RulerView.EventHighlighted) == ["mh17", "drills"]

        await pilot.press("plus")
        assert view.zoom == "months"
        assert lines(view)[3].startswith("Jan")
        await pilot.press("h")  # back to MH17, still in 2014
        assert view.picture.columns["mh17"] < view.picture.columns["drills"]
        await pilot.press("enter")
        assert ids(app, RulerView.EventChosen) == ["mh17"]
        await pilot.press("minus")
        assert view.zoom == "years"
        assert lines(view)[3].startswith("1945")

        view.show("potsdam")  # the Timeline list moved
        await pilot.pause()
        assert view.cursor == "potsdam"
        assert lines(view)[ROW_CURSOR][view.picture.columns["potsdam"]] == UNICODE.cursor
