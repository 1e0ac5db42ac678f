"""Ctrl+P jumps to items by title or alias and runs app actions; `?` lists every key."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from ui_harness import make_app, press, screen_text, wait_for

from thaw_tui.ui.screens.detail import LINK_KEYS, DetailScreen
from thaw_tui.ui.screens.help import HelpScreen
from thaw_tui.ui.screens.main import MainScreen


async def palette(pilot: Pilot[int], query: str, top_hit: str) -> None:
    """Type `query` into the palette and wait until `top_hit` is the highlighted hit.

    Hits arrive from a worker; Enter runs whichever is highlighted, so the test waits
    for the one it means to run rather than for a fixed time.
    """
    await press(pilot, "ctrl+p")
    await press(pilot, *query)

    def highlighted_is_top_hit() -> bool:
        palette = pilot.app.screen
        if not isinstance(palette, CommandPalette):
            return False
        hits = palette.query_one(CommandList)
        if hits.highlighted is None:
            return False
        prompt = str(hits.get_option_at_index(hits.highlighted).prompt)
        return prompt.splitlines()[0] == top_hit

    assert await wait_for(pilot, highlighted_is_top_hit), screen_text(pilot.app)


async def test_palette_jumps_to_an_item_by_title() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await palette(pilot, "reuters drills", "Reuters: Russia holds drills on disputed isles")
        assert isinstance(app.screen, CommandPalette)
        await press(pilot, "enter")
        await pilot.pause()
        page = app.screen
        assert isinstance(page, DetailScreen)
        assert page.location.item_id == "reuters-drills"
        assert app.main.current_pane == "sources"  # back goes to the item's own pane
        await press(pilot, "escape")
        assert app.main.pane("sources").current_id == "reuters-drills"


async def test_palette_finds_an_item_by_alias_from_a_page() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "4", "enter")
        await palette(pilot, "Путин", "Vladimir Putin (Путин)")
        await press(pilot, "enter")
        await pilot.pause()
        page = app.screen
        assert isinstance(page, DetailScreen)
        assert page.location.item_id == "putin"
        assert len(app.screen_stack) == 2  # main, this page: the old page closed


async def test_palette_runs_app_actions() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await palette(pilot, "Go to Timeline", "Go to Timeline")
        await press(pilot, "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.main.current_pane == "timeline"
        await palette(pilot, "Only unseen", "Only unseen items")
        await press(pilot, "enter")
        await pilot.pause()
        assert app.main.pane("timeline").only_unseen


async def test_served_mode_offers_no_screenshot_or_host_actions() -> None:
    app = make_app(served=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Screenshot" not in titles
        assert {"Continue reading", "Reset all progress", "Theme"} <= titles
        assert app.deliver_screenshot() is None
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Screenshot" in titles


def help_sections(text: str) -> dict[str, list[tuple[str, str]]]:
    """The help text as {heading: [(keys, description), ...]}, in the order shown.

    Rows are indented and split into keys and description by a run of two or more
    spaces; a row's keys may hold single spaces ("1 2 3").
    """
    sections: dict[str, list[tuple[str, str]]] = {}
    rows: list[tuple[str, str]] | None = None
    title, first_screen, *lines = text.splitlines()
    assert title.startswith("Keys") and "w shows the first screen again" in first_screen
    for line in lines:
        if not line.strip():
            continue
        if not line.startswith(" "):
            rows = sections.setdefault(line.strip(), [])
            continue
        assert rows is not None, line
        keys, _, description = line.strip().partition("  ")
        rows.append((keys.strip(), description.strip()))
    return sections


async def test_help_lists_each_key_beside_its_description_under_its_screen() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        sections = help_sections(app.screen.help_text().plain)
        assert list(sections) == [
            "Everywhere",
            "Lists",
            "Main screen",
            "Timeline",
            "Map",
            "Item page",
            "Thread steps",
        ]
        assert ("z", "Zoom ruler") in sections["Timeline"]
        assert ("← h", "Marker to the west") in sections["Map"]
        assert ("r", "Other map") in sections["Map"]
        assert ("w", "Map") in sections["Item page"]
        # Each key sits beside its own description, under the screen it works on.
        assert ("1 2 3 4 5 6 7 8 9 0", LINK_KEYS) in sections["Item page"]
        assert ("i", "Peek at link") in sections["Item page"]
        assert ("o", "Only unseen") in sections["Main screen"]
        assert ("M", "Mark all seen") in sections["Main screen"]
        assert ("M", "Mark thread seen") in sections["Thread steps"]
        assert ("Q Ctrl+C", "Quit") in sections["Everywhere"]  # spelled out, not ^c
        assert ("q", "Quit") in sections["Main screen"]  # q quits only from there
        assert ("q ⌫ Esc h ←", "Back") in sections["Item page"]  # and goes back
        assert "Keys" in screen_text(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
