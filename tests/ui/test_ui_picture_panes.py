"""The picture panes in the reader: the ruler following the Timeline, the relations
matrix following its events, the map's markers, and `w` on an item's page."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from ui_harness import make_app, press, screen_lines, screen_segments, screen_text, wait_for

from thaw_tui.pictures.glyphs import UNICODE
from thaw_tui.pictures.ruler import ROW_CURSOR
from thaw_tui.progress import Progress
from thaw_tui.ui.pane_specs import PANE_KEYS
from thaw_tui.ui.screens.detail import DetailScreen
from thaw_tui.ui.screens.map import MapScreen
from thaw_tui.ui.widgets.map_panel import MapPanel
from thaw_tui.ui.widgets.picture_panes import MapPane, RelationsPane, TimelinePane


def segments_with(app: object, text: str) -> list[Segment]:
    return [segment for segment in screen_segments(app) if text in segment.text]  # type: ignore[arg-type]


async def test_the_ruler_follows_the_timeline_cursor_and_zooms_into_its_year() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, PANE_KEYS["timeline"])
        pane = app.main.pane("timeline")
        assert isinstance(pane, TimelinePane)
        assert await wait_for(pilot, lambda: pane.ruler is not None)
        ruler = pane.ruler
        assert ruler is not None and ruler.cursor == pane.current_id == "soviet-invasion"
        lines = screen_lines(app)
        ruler_top = next(i for i, line in enumerate(lines) if "1945" in line) - 3
        assert "18 Aug 1945" in lines[ruler_top + ROW_CURSOR]

        await press(pilot, "G")  # the list's last event: the ruler's cursor follows
        assert pane.current_id == ruler.cursor == "japan-sanctions"  # "Aug 2014" sorts last
        assert "Aug 2014" in screen_lines(app)[ruler_top + ROW_CURSOR]
        assert ruler.zoom == "years"

        await press(pilot, "z")  # into the cursor's year, month by month
        assert ruler.zoom == "months" and ruler.year == 2014
        scale = screen_lines(app)[ruler_top + 3]
        assert scale.lstrip().startswith("Jan") and "Dec" in scale
        august = scale.index("Aug"), scale.index("Sep")
        columns = ruler.picture.columns
        for event in ("japan-sanctions", "island-drills"):  # both in August, apart
            assert august[0] <= columns[event] < august[1], event
        assert columns["japan-sanctions"] != columns["island-drills"]
        await press(pilot, "k")  # still 2014: the months stay, the cursor moves
        assert ruler.cursor == "island-drills" and ruler.zoom == "months"
        assert "12 Aug 2014" in screen_lines(app)[ruler_top + ROW_CURSOR]
        await press(pilot, "z")
        assert ruler.zoom == "years"
        assert "1945" in screen_lines(app)[ruler_top + 3]


async def test_the_relations_matrix_follows_its_events_and_opens_them() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, PANE_KEYS["relations"])
        pane = app.main.pane("relations")
        assert isinstance(pane, RelationsPane)
        assert await wait_for(pilot, lambda: pane.view is not None)
        view = pane.view
        assert view is not None
        text = screen_text(app)
        assert "Who did what to whom, 2014" in text
        assert "drills" in text and "sanctions" in text and "protest" in text
        assert "↩" in text  # the drills answer Japan's sanctions (responds_to)

        # The rows, by cell: Japan -> Russia (the protest at the drills, the sanctions),
        # then Russia -> Japan (the drills): the drills event is listed under both.
        assert pane.current_id == "island-drills"
        assert view.selected == pane.current_cell() == ("japan", "russia")
        chosen = segments_with(app, "protest")
        assert any(s.style is not None and s.style.reverse for s in chosen)  # no colour needed

        await press(pilot, "j")
        assert pane.current_id == "japan-sanctions" and view.selected == ("japan", "russia")
        await press(pilot, "j")  # over the heading: the same event, under the other cell
        assert pane.current_id == "island-drills"
        assert view.selected == ("russia", "japan")
        assert any(s.style is not None and s.style.reverse for s in segments_with(app, "drills"))

        await press(pilot, "enter")
        assert isinstance(app.screen, DetailScreen) and app.screen.item.id == "island-drills"
        await press(pilot, "escape")
        # Back in the same cell, not at the event's first listing.
        assert pane.current_id == "island-drills" and view.selected == ("russia", "japan")


async def test_walking_the_map_markers_shows_each_item_and_enter_opens_it() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, PANE_KEYS["map"])
        pane = app.main.pane("map")
        assert isinstance(pane, MapPane)
        assert await wait_for(pilot, lambda: pane.panel is not None and pane.current_id is not None)
        panel = pane.panel
        assert panel is not None and app.focused is panel.view
        seen: list[str] = []
        for key in ("down", "down", "left", "left", "up", "up", "right", "right"):
            await press(pilot, key)
            current = pane.current_id
            assert current is not None
            seen.append(current)
            item = app.main.pack.items[current]
            info = screen_text(app)
            assert item.title in info  # the line under the map names the marked item
            assert item.summary.split()[0] in info  # and begins its summary
        assert {"soviet-invasion", "island-drills", "islands-dispute"} <= set(seen)

        target = pane.current_id
        await press(pilot, "enter")
        assert isinstance(app.screen, DetailScreen) and app.screen.item.id == target
        await press(pilot, "escape")
        assert pane.current_id == target  # the map kept its marker

        await press(pilot, "r")  # the other map: the Senkakus, with nothing on it here
        assert panel.map_region is not None and panel.map_region.id == "senkaku"
        assert pane.current_id is None
        assert "no item is marked" in screen_text(app)


async def test_w_on_a_placed_items_page_opens_the_map_on_it() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, PANE_KEYS["disputes"], "enter")
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.item.id == "islands-dispute"
        assert "w Map" in screen_lines(app)[-1].replace("  ", " ")  # the key bar offers it
        await press(pilot, "w")
        screen = app.screen
        assert isinstance(screen, MapScreen)
        assert await wait_for(pilot, lambda: screen.panel.current_id == "islands-dispute")
        view = screen.panel.view
        assert view is not None and view.frame_id == "islands"  # zoomed in on the four
        # Choosing it highlights every one of its places, by style, not colour alone.
        drawn = [segment for y in range(view.size.height) for segment in view.render_line(y)]
        for name in ("Etorofu", "Kunashiri", "Shikotan", "Habomai"):
            label = [segment for segment in drawn if name in segment.text]
            assert label and all(s.style is not None and s.style.reverse for s in label), name
        assert UNICODE.marker_selected in screen_text(app)

        await press(pilot, "escape")
        assert isinstance(app.screen, DetailScreen) and app.screen.item.id == "islands-dispute"
        await press(pilot, "w")
        screen = app.screen
        assert isinstance(screen, MapScreen)
        await wait_for(pilot, lambda: screen.panel.current_id is not None)
        for _ in range(6):  # to another marker
            if screen.panel.current_id != "islands-dispute":
                break
            await press(pilot, "up")
        other = screen.panel.current_id
        assert other not in (None, "islands-dispute")
        await press(pilot, "enter")  # opens it like a link: Back returns to the dispute
        assert isinstance(app.screen, DetailScreen) and app.screen.item.id == other
        await press(pilot, "escape")
        assert isinstance(app.screen, DetailScreen) and app.screen.item.id == "islands-dispute"


async def test_w_is_not_offered_where_an_item_has_no_place() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, PANE_KEYS["actors"], "enter")
        assert isinstance(app.screen, DetailScreen) and app.screen.item.location is None
        assert "Map" not in screen_lines(app)[-1]
        await press(pilot, "w")
        assert isinstance(app.screen, DetailScreen)


@pytest.mark.parametrize("lang", ["C", "en_US.UTF-8"])
async def test_the_map_follows_the_locale_and_reads_without_colour(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", lang)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_CTYPE", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(progress=Progress())
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, PANE_KEYS["map"])
        panel = app.main.pane("map").query_one(MapPanel)
        assert await wait_for(pilot, lambda: panel.current_id is not None)
        view = panel.view
        assert view is not None
        lines = [view.render_line(y).text for y in range(view.size.height)]
        assert all(line.isascii() for line in lines) == (lang == "C")
        x, y = view.picture.markers[panel.current_id or ""]
        marker = view.render_line(y).text[x]
        assert marker == view.glyphs.marker_selected
        styles = [
            segment.style
            for segment in view.render_line(y)
            if segment.text and segment.text[0] == marker
        ]
        assert styles and all(s is not None and s.reverse for s in styles)
