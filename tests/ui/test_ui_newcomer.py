"""The newcomer's first five minutes (issue 11): a way in, the glossary, and the reading
conventions of less and newsboat, checked through the app's own screen."""

from __future__ import annotations

import pytest
from ui_harness import make_app, notifications, press, screen_lines, screen_text, wait_for

from thaw_tui.progress import Progress
from thaw_tui.ui.pane_specs import PANE_KEYS
from thaw_tui.ui.screens.detail import DetailScreen
from thaw_tui.ui.screens.main import MainScreen
from thaw_tui.ui.widgets.bars import PaneBar


class SavedProgress(Progress):
    """Progress as a reader's store has it: saved (so the header has no warning)."""

    @property
    def persistent(self) -> bool:
        return True


@pytest.mark.parametrize("width", [60, 80, 160])
async def test_the_header_names_the_article_its_author_and_year(width: int) -> None:
    app = make_app(progress=SavedProgress())
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        header = screen_lines(app)[0]
        assert "Thawing Relations Under Fire" in header
        assert "Tests, 2014" in header  # the sample pack's author and year
        assert "0/18" in header and "not saved" not in header
        if width >= 160:
            assert "Test pack" in header  # the subtitle, where there is room


async def test_the_glossary_has_its_pane_and_a_term_says_where_it_lives() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, PANE_KEYS["glossary"])
        assert app.main.current_pane == "glossary"
        assert app.main.pane().visible_ids() == ["peace-treaty"]
        await press(pilot, "enter")
        assert isinstance(app.screen, DetailScreen)
        assert f"Glossary{' › '}Peace treaty" in screen_text(app)  # the breadcrumb


async def test_each_tab_counts_its_unseen_items() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        bar = app.main.query_one(PaneBar)
        text = " ".join(screen_lines(app)[1 : 1 + bar.size.height])
        assert "[1 Story ○2]" in text and "3 Actors ○6" in text and "7 Glossary ○1" in text
        await press(pilot, PANE_KEYS["glossary"], "m")  # the one term, marked seen
        text = " ".join(screen_lines(app)[1 : 1 + bar.size.height])
        assert "[7 Glossary ✓]" in text
        await press(pilot, "u")
        text = " ".join(screen_lines(app)[1 : 1 + bar.size.height])
        assert "[7 Glossary ○1]" in text


async def test_n_goes_on_to_the_next_pane_with_unseen_items_and_N_comes_back() -> None:
    progress = Progress()
    progress.mark(["section-1", "section-2"])  # the whole Story pane
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "n")
        page = app.screen
        assert isinstance(page, DetailScreen)
        assert page.location.item_id == "soviet-invasion"  # the Timeline's first
        assert "Everything in Story is seen: on to Timeline." in notifications(app)
        await press(pilot, "n")
        assert page.location.item_id == "abe-putin-talks"
        await press(pilot, "N")
        assert page.location.item_id == "japan-sanctions"  # back, wrapping round
        await press(pilot, "escape", "escape", "escape")
        assert isinstance(app.screen, MainScreen)
        assert app.main.current_pane == "timeline"  # where the reading went on


async def test_n_on_a_page_goes_on_to_the_next_pane() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, PANE_KEYS["glossary"], "enter", "n")
        page = app.screen
        assert isinstance(page, DetailScreen)
        assert page.location.item_id == "section-1"  # past the last item pane: Story
        assert "Everything in Glossary is seen: on to Story." in notifications(app)
        assert f"Story{' › '}A warming cut short" in screen_text(app)
        await press(pilot, "n")  # and on through Story
        assert page.location.item_id == "section-2"
        await press(pilot, "escape", "escape")
        assert isinstance(app.screen, MainScreen)
        assert app.main.current_pane == "story"
        assert app.main.pane().current_id == "section-1"


async def test_q_on_a_page_goes_back_one_level_and_Q_quits_from_anywhere() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "4", "enter", "1")
        page = app.screen
        assert isinstance(page, DetailScreen)
        first = page.location.item_id
        assert "q Back" in screen_lines(app)[-1] and "Q Quit" in screen_lines(app)[-1]
        await press(pilot, "q")
        assert page.location.item_id == "islands-dispute" != first
        await press(pilot, "q")
        assert isinstance(app.screen, MainScreen) and app.is_running
        assert "q Quit" in screen_lines(app)[-1]
        await press(pilot, "enter", "Q")
        assert await wait_for(pilot, lambda: not app.is_running)


async def test_space_pages_down_lists_and_pages_and_i_peeks() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "6", "space")
        sources = app.main.pane("sources")
        assert sources.current_id == "britannica"  # the last of three: a page down
        await press(pilot, "4", "enter", "space")
        assert notifications(app) == []  # Space no longer peeks
        await press(pilot, "i")
        assert notifications(app) == ["Soviet troops landed after the surrender."]  # link 1
