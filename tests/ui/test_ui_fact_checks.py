"""Fact-check notes: the block on an item's page, the list of all notes, the palette."""

from __future__ import annotations

from support.sample_pack import hostile_pack
from test_ui_palette import palette
from test_ui_safety import assert_no_control_characters, assert_nothing_clickable
from textual.pilot import Pilot
from ui_harness import make_app, press, screen_lines, screen_text, wait_for

from thaw_tui.progress import Progress
from thaw_tui.ui.app import ThawApp
from thaw_tui.ui.screens.detail import DetailScreen
from thaw_tui.ui.screens.fact_checks import FactChecksScreen
from thaw_tui.ui.screens.help import KEY_COLUMN, HelpScreen
from thaw_tui.ui.screens.main import MainScreen
from thaw_tui.ui.widgets.bars import Breadcrumb

NOTED = "japan-sanctions"  # the sample pack's one item with a note
ARTICLE_SAYS = "The article says: Japan joined the sanctions in August."
SOURCES_SAY = "The sources say: Its first measures came in March; August widened them."
SOURCES = (
    "Sources: 1 [3] Reuters, Russia holds drills on disputed isles · "
    "2 [2] MOFA, Northern Territories Issue"
)


async def open_from_timeline(pilot: Pilot[int], app: ThawApp, item_id: str) -> DetailScreen:
    """Walk the Timeline pane down to `item_id` with j, and open it with Enter."""
    await press(pilot, "2")
    for _ in range(10):
        if app.main.pane().current_id == item_id:
            break
        await press(pilot, "j")
    await press(pilot, "enter")
    page = app.screen
    assert isinstance(page, DetailScreen) and page.location.item_id == item_id
    return page


async def test_an_item_page_shows_its_note_in_a_titled_bordered_block() -> None:
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        page = await open_from_timeline(pilot, app, NOTED)
        lines = screen_lines(app)
        text = "\n".join(lines)
        # (read across the block's lines: the page's measure may wrap them)
        flat = " ".join(text.replace("│", " ").split())
        for expected in (ARTICLE_SAYS, SOURCES_SAY, SOURCES):
            assert expected in flat, text
        # The heading is a glyph and a word on the block's top border, and the note's
        # lines sit inside side borders: it stands apart without colour.
        (top,) = [line for line in lines if "⚑ Fact check" in line]
        assert top.strip().startswith("╭") and top.strip().endswith("╮")
        (inside,) = [line for line in lines if ARTICLE_SAYS in line]
        assert inside.strip().startswith("│") and inside.strip().endswith("│")
        # The note comes after the body and before the provenance line.
        assert text.index("Body.") < text.index("⚑ Fact check") < text.index("From the article ¶3")
        # Its sources are the first links, numbered as the block says.
        rows = [row.text.plain for row in page.links.rows]
        assert rows[0] == "── Fact-check sources"
        assert rows[1].startswith("1 ○ Russia holds drills on disputed isles")
        assert rows[2].startswith("2 ○ Northern Territories Issue")


async def test_the_numbers_in_the_note_follow_its_sources() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        page = await open_from_timeline(pilot, app, NOTED)
        await press(pilot, "2")
        assert page.location.item_id == "mofa"
        await press(pilot, "escape", "1")
        assert page.location.item_id == "reuters-drills"


async def test_a_page_without_a_note_shows_no_block() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await press(pilot, "4", "enter")
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert "Fact check" not in text and "The article says:" not in text
        # The page is reused: a note shown before must not linger on the next page.
        await press(pilot, "escape")
        await open_from_timeline(pilot, app, NOTED)
        assert "⚑ Fact check" in screen_text(app)
        await press(pilot, "escape", "4", "enter")
        assert "⚑ Fact check" not in screen_text(app)


async def test_f_lists_every_note_and_enter_opens_its_item() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(100, 30)) as pilot:
        assert "f Fact checks" in screen_text(app)  # in the key bar of the main screen
        await press(pilot, "f")
        screen = app.screen
        assert isinstance(screen, FactChecksScreen)
        text = screen_text(app)
        assert "1 note on 1 item" in text
        assert "○ ⚑ Japan imposes sanctions" in text
        assert "Event · Aug 2014" in text
        # The highlighted row's note, in full, under the list.
        assert "⚑ Fact check: Japan imposes sanctions" in text
        assert ARTICLE_SAYS in text and SOURCES_SAY in text
        await press(pilot, "enter")
        page = app.screen
        assert isinstance(page, DetailScreen) and page.location.item_id == NOTED
        assert page.query_one(Breadcrumb).parts[0] == "⚑ Fact checks"
        assert progress.is_seen(NOTED)
        await press(pilot, "escape")
        assert app.screen is screen
        assert "✓ ⚑ Japan imposes sanctions" in screen_text(app)  # now seen
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_lists_the_key_for_the_notes() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await press(pilot, "question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        main_keys = help_screen.help_text().plain.split("\nMain screen\n", 1)[1]
        assert f"  {'f':<{KEY_COLUMN}} Fact checks\n" in main_keys


async def test_the_palette_opens_the_notes_and_each_noted_item() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await palette(pilot, "fact checks", "Fact checks")
        await press(pilot, "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, FactChecksScreen))
        await press(pilot, "escape")
        await palette(pilot, "fact check japan", "Fact check: Japan imposes sanctions")
        await press(pilot, "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen))
        page = app.screen
        assert isinstance(page, DetailScreen) and page.location.item_id == NOTED


async def test_hostile_notes_are_shown_literally() -> None:
    app = make_app(hostile_pack())
    async with app.run_test(size=(160, 50)) as pilot:
        await press(pilot, "f")
        assert isinstance(app.screen, FactChecksScreen)
        text = screen_text(app)
        assert "The article says: [@click=app.quit][link=file:///etc/passwd]" in text
        assert_no_control_characters(app)
        assert_nothing_clickable(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, DetailScreen)
        assert "[bold red]" in screen_text(app)
        assert_no_control_characters(app)
        assert_nothing_clickable(app)
        assert app.is_running and app.return_code is None


async def test_the_wide_preview_shows_the_note_of_the_highlighted_item() -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await press(pilot, "2")
        assert "⚑ Fact check" not in screen_text(app)  # the first event has no note
        for _ in range(10):
            if app.main.pane().current_id == NOTED:
                break
            await press(pilot, "j")
        text = screen_text(app)
        assert "⚑ Fact check" in text
        assert "The article says: Japan joined the sanctions" in text
