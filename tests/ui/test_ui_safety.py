"""Content is data: markup is shown literally and no escape sequence leaves the app."""

from __future__ import annotations

import re
from pathlib import Path

from support.sample_pack import hostile_pack
from textual.app import App
from textual.command import CommandPalette
from ui_harness import (
    make_app,
    press,
    screen_lines,
    screen_segments,
    screen_strips,
    screen_text,
    wait_for,
)

from thaw_tui.ui.screens.detail import DetailScreen
from thaw_tui.ui.screens.main import MainScreen
from thaw_tui.ui.text import clean

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# How every hostile string looks on screen: the markup exactly as typed, and each
# escape byte (ESC, BEL, CSI) replaced by a visible U+FFFD, never sent to the terminal.
HOSTILE_SHOWN = (
    "[@click=app.quit][link=file:///etc/passwd]x[/link][bold red]"
    "\ufffd[31m\ufffd]8;;file:///etc/passwd\ufffd\ufffd2J"
)


def assert_no_control_characters(app: App[int]) -> None:
    """No segment the compositor would write holds a control character from data."""
    for segment in screen_segments(app):
        assert not UNSAFE.search(segment.text), repr(segment.text)


def assert_nothing_clickable(app: App[int]) -> None:
    """No segment carries a link or an action, which is what markup would have added."""
    for segment in screen_segments(app):
        style = segment.style
        assert style is None or not (style.link or "@click" in style.meta), repr(segment)


def test_clean_replaces_escapes_and_bidi_overrides() -> None:
    assert clean("a\x1b[31mb\x07c\x9bd\u202ee\tf") == "a\ufffd[31mb\ufffdc\ufffdd\ufffde    f"
    assert clean("plain [bold]text[/bold]") == "plain [bold]text[/bold]"


async def test_markup_in_data_is_shown_literally_everywhere() -> None:
    app = make_app(hostile_pack())
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]" in text
        assert "[link=file:///etc/passwd]x[/link]" in text
        assert "[bold red]" in text
        assert_no_control_characters(app)
        assert_nothing_clickable(app)
        for pane in "234567":
            await press(pilot, pane)
            assert "[@click=app.quit]" in screen_text(app)
            assert_no_control_characters(app)
            assert_nothing_clickable(app)
        assert_nothing_clickable(app)
        await press(pilot, "4", "enter")
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert "[@click=app.quit]" in text and "[bold red]" in text
        assert_no_control_characters(app)
        assert_nothing_clickable(app)
        await press(pilot, "space")  # peek: a notification built from data
        await pilot.pause()
        assert_no_control_characters(app)
        assert_nothing_clickable(app)


async def test_clicking_and_pressing_on_hostile_text_does_not_run_actions() -> None:
    app = make_app(hostile_pack())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # Click on the header title and on the first row, both starting with the markup.
        await pilot.click(offset=(3, 0))
        row = app.main.pane().item_list.content_region.y  # the list's first row
        await pilot.click(offset=(6, row))
        await pilot.click(offset=(6, row), times=2)
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, DetailScreen)  # a double click opens the row
        await pilot.click(offset=(3, 3))
        await pilot.click(offset=(10, 5))
        await press(pilot, "enter", "space")
        assert app.is_running and app.return_code is None  # app.quit never ran
        assert isinstance(app.screen, DetailScreen)
        # The page shows the body's hostile paragraph literally and unstyled (wrapped at
        # the page's measure, so perhaps over two lines).
        assert "".join(HOSTILE_SHOWN.split()) in "".join(screen_text(app).split())
        region = app.screen.query_one("#body").region
        rows = screen_strips(app)[region.y : region.bottom]
        body = [s for row in rows for s in row if "[bold" in s.text or "red]" in s.text]
        assert body, screen_text(app)
        for segment in body:
            style = segment.style
            assert style is not None and not (style.bold or style.underline or style.link)
            assert style.color is None or style.color.name != "red"
        assert_nothing_clickable(app)
        assert_no_control_characters(app)


async def test_palette_shows_hostile_titles_literally() -> None:
    app = make_app(hostile_pack())
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "ctrl+p", *"islands")
        hit = "[@click=app.quit] Drills on the islands [@click=app.quit][link=file:///etc/passwd]"
        assert await wait_for(pilot, lambda: hit in screen_text(app)), screen_text(app)
        assert isinstance(app.screen, CommandPalette)
        assert_nothing_clickable(app)
        assert_no_control_characters(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)


async def test_exported_screen_holds_no_escape_from_data() -> None:
    app = make_app(hostile_pack())
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "4", "enter")
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\x9b" not in svg and "\x07" not in svg
        assert "[@click=app.quit]" in svg.replace("&#160;", " ")


HOSTILE_YAML = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "hostile"


async def test_hostile_yaml_pack_renders_literally_and_never_quits() -> None:
    from thaw_tui.pack.load import load_pack

    app = make_app(load_pack(HOSTILE_YAML))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "[@click=app.quit]Quit[/] [bold red]Title[/bold red]" in screen_text(app)
        assert "[@click=app.quit]Click me[/] opening" in screen_text(app)
        for key in "1234567":
            await press(pilot, key)
            await pilot.click(offset=(8, 2))
            await pilot.click(offset=(70, 3))
            assert app.is_running
        await press(pilot, "4", "enter")
        text = screen_text(app)
        assert "[@click=app.quit]North[/]" in text
        assert "[link=file:///etc/passwd]x[/link]" in text
        for y in range(2, 20, 3):
            await pilot.click(offset=(10, y))
        assert app.is_running
        await press(pilot, "escape", "6", "enter")
        assert "Address (y copies it):\n" in "\n".join(line.strip() for line in screen_lines(app))
        assert "file:///etc/passwd" in screen_text(app)
        assert app.is_running


def test_markdown_bodies_keep_markup_and_html_literal_and_drop_escapes() -> None:
    from thaw_tui.ui.markdown_text import markdown_to_text

    text = markdown_to_text(
        "**[@click=app.quit]** <script>x</script> [a](file:///etc/passwd) \x1b]8;;x\x07 [bold]"
    )
    assert "[@click=app.quit]" in text.plain
    assert "<script>x</script>" in text.plain
    assert "[a](file:///etc/passwd)" in text.plain  # not a link: shown as written
    assert "[bold]" in text.plain
    assert not UNSAFE.search(text.plain)
    assert all("link" not in str(span.style) for span in text.spans)
