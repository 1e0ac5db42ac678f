"""Pilot tests of terminal sizes at start-up: too small from the very first frame."""

from __future__ import annotations

import pytest
from ui_harness import make_app, press, screen_lines, screen_text

from thaw_tui.ui.app import ThawApp
from thaw_tui.ui.screens.main import MainScreen
from thaw_tui.ui.screens.too_small import TooSmallScreen


@pytest.mark.parametrize("size", [(36, 10), (30, 8), (39, 24), (80, 11)])
async def test_starting_too_small_shows_the_notice_at_once(size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        text = " ".join(screen_text(app).split())
        assert "thaw needs at least 40x12" in text
        assert f"this terminal is {size[0]}x{size[1]}" in text
        assert "press q to quit" in text  # the whole sentence is readable, not cut off


async def test_growing_after_a_small_start_shows_the_reader() -> None:
    app = make_app()
    async with app.run_test(size=(30, 8)) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "Thawing Relations Under Fire" in screen_text(app)


def key_bar_entries(app: ThawApp) -> list[str]:
    """The key bar's entries ("⏎ Open", ...) left of the palette key, as drawn."""
    line = screen_lines(app)[-1]
    assert line.rstrip().endswith("Ctrl+P Find"), line
    left = line.rstrip().removesuffix("Ctrl+P Find")
    return [entry.strip() for entry in left.split("  ") if entry.strip()]


@pytest.mark.parametrize("width", [60, 64, 80])
@pytest.mark.parametrize("keys", [(), ("enter",), ("8",), ("8", "enter")])
async def test_key_bar_drops_whole_keys_and_keeps_help_and_quit(
    width: int, keys: tuple[str, ...]
) -> None:
    app = make_app()
    async with app.run_test(size=(width, 20)) as pilot:
        await press(pilot, *keys)
        entries = key_bar_entries(app)
        descriptions = {
            binding.description
            for _node, binding, _enabled, _tip in app.screen.active_bindings.values()
        }
        # (q quits from the main screen; on pages it goes back, and Q quits)
        assert {"q Quit", "Q Quit"} & set(entries) and "? Keys" in entries, entries
        assert "…" not in screen_lines(app)[-1]
        for entry in entries:  # every entry whole: a key, a space, a full description
            key, _, description = entry.partition(" ")
            assert key and description in descriptions, entry
        assert len(entries) >= 4  # the most useful keys still fit beside them
