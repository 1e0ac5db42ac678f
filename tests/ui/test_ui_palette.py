"""Ctrl+P jumps to items by title or alias and runs app actions; `?` lists every key."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.pilot import Pilot
from ui_harness import make_app, press, screen_text

from thaw_tui.ui.screens.detail import DetailScreen
from thaw_tui.ui.screens.help import HelpScreen
from thaw_tui.ui.screens.main import MainScreen


async def palette(pilot: Pilot[int], query: str) -> None:
    await press(pilot, "ctrl+p")
    await press(pilot, *query)
    await pilot.pause(0.4)


async def test_palette_jumps_to_an_item_by_title() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await palette(pilot, "reuters drills")
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
        await palette(pilot, "Путин")
        await press(pilot, "enter")
        await pilot.pause()
        page = app.screen
        assert isinstance(page, DetailScreen)
        assert page.location.item_id == "putin"
        assert len(app.screen_stack) == 3  # default, main, this page: the old page closed


async def test_palette_runs_app_actions() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await palette(pilot, "Go to Timeline")
        await press(pilot, "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.main.current_pane == "timeline"
        await palette(pilot, "Only unseen")
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


async def test_help_lists_keys_generated_from_bindings() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.help_text().plain
        for binding in DetailScreen.BINDINGS:
            description = getattr(binding, "description", "")
            assert description in text
        assert (
            "1 2 3 4 5 6 7 8 9  Follow link by number" in text
            and "Only unseen" in text
            and "Mark all seen" in text
        )
        assert "Keys" in screen_text(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
