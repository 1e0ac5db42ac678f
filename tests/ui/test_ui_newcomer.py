"""The newcomer's first five minutes (issue 11): a way in, the glossary, and the reading
conventions of less and newsboat, checked through the app's own screen."""

from __future__ import annotations

import re

import msgspec
import pytest
from support.sample_pack import sample_pack
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from ui_harness import (
    make_app,
    notifications,
    press,
    screen_lines,
    screen_segments,
    screen_text,
    wait_for,
)

from thaw_tui.pack.model import Link, Pack, Thread
from thaw_tui.progress import Progress
from thaw_tui.ui.app import ThawApp
from thaw_tui.ui.pane_specs import PANE_KEYS
from thaw_tui.ui.screens.detail import DetailScreen
from thaw_tui.ui.screens.main import MainScreen
from thaw_tui.ui.screens.thread import ThreadScreen
from thaw_tui.ui.screens.welcome import WELCOME_SETTING, WelcomeScreen
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


async def test_the_tabs_count_once_per_change_not_once_per_layout() -> None:
    """Counting walks every item of every pane (10,000 in a big pack): a layout asks
    for the tabs' lines more than once, so the counts are kept until items change."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.main.query_one(PaneBar)
        asked: list[str] = []
        count = bar.unseen

        def counting(pane_id: str) -> int:
            asked.append(pane_id)
            return count(pane_id)

        bar.unseen = counting
        bar.refresh(layout=True)
        await pilot.pause()
        assert asked == []  # nothing changed: the kept counts
        await press(pilot, "m")  # an item marked: every pane counted again, once
        assert sorted(asked) == sorted(tab.pane_id for tab in bar.tabs)


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


# --- search that finds things -----------------------------------------------------------
FINDS = [
    # (pane, typed, the items it must find): what the row shows, and what it does not
    ("story", "second", ["section-2"]),  # the body only ("Second digest.")
    ("story", "abe putin", ["section-1"]),  # every word, anywhere: here the summary
    ("timeline", "august 1945", ["soviet-invasion"]),  # a date as written out
    ("timeline", "1945-08-18", ["soviet-invasion"]),  # and in ISO form
    ("actors", "裕仁", ["hirohito"]),  # a name in another language
    ("actors", "Путин", ["putin"]),  # an alias
    ("disputes", "japanese land", ["islands-dispute"]),  # a side's position
    ("sources", "writer", ["reuters-drills"]),  # an author
    ("sources", "britannica", ["britannica"]),  # an outlet
    ("threads", "hirohito", ["islands-since-1945"]),  # a step's title
]


@pytest.mark.parametrize(("pane", "typed", "found"), FINDS, ids=[f[1] for f in FINDS])
async def test_the_filter_finds_by_everything_an_item_has(
    pane: str, typed: str, found: list[str]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, PANE_KEYS[pane], "slash", *typed)
        shown = app.main.pane(pane).visible_ids()
        assert shown == found


async def test_a_match_in_the_text_shows_under_the_list_where_it_is() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "slash", *"second")
        line = screen_lines(app)[app.main.pane().query_one("#summary-line").region.y]
        assert "In the text:" in line and "Second digest." in line
        await press(pilot, "escape", "slash", *"sanctions")  # a title: the summary
        line = screen_lines(app)[app.main.pane().query_one("#summary-line").region.y]
        assert "Japan followed its allies." in line


async def test_nothing_found_points_to_the_palette() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "4", "slash", *"zqx")
        assert "0 of 1 shown (filtered); Ctrl+P looks in every pane" in screen_text(app)


def pack_with_a_long_body() -> Pack:
    """The sample pack, the first section's body a long one with a rare word at its end."""
    items = dict(sample_pack().items)
    filler = "\n\n".join(
        f"Paragraph {n} of a long digest, with nothing to find." for n in range(40)
    )
    items["section-1"] = msgspec.structs.replace(
        items["section-1"], body=f"{filler}\n\nAt last the word zanzibar appears."
    )
    return Pack.build(sample_pack().manifest, items, sample_pack().threads)


async def test_the_preview_scrolls_to_a_match_in_the_text_and_marks_it() -> None:
    app = make_app(pack_with_a_long_body())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "zanzibar" not in screen_text(app)  # far down the preview
        await press(pilot, "slash", *"zanzibar")
        await pilot.pause()
        assert "zanzibar appears" in screen_text(app)
        marked = [s.text for s in screen_segments(app) if s.style and s.style.reverse]
        assert "zanzibar" in marked  # the match, marked in the list row and the preview


# --- a way in ----------------------------------------------------------------------------
def pack_with_the_article_thread() -> Pack:
    """The sample pack with a thread through the article, as the shipped pack has."""
    pack = sample_pack()
    article = Thread(
        "read-the-article",
        "The article, paragraph by paragraph",
        "The article in its own order.",
        ("section-1", "abe", "putin", "section-2", "japan-sanctions"),
    )
    return Pack.build(pack.manifest, dict(pack.items), (article, *pack.threads))


async def first_screen(pilot: Pilot[int], app: ThawApp) -> WelcomeScreen:
    """Wait for the first screen to be up, and drawn."""

    def drawn() -> bool:
        return isinstance(app.screen, WelcomeScreen) and "Welcome to thaw" in screen_text(app)

    assert await wait_for(pilot, drawn)
    screen = app.screen
    assert isinstance(screen, WelcomeScreen)
    return screen


async def test_a_first_start_offers_three_ways_in_and_reads_the_article_in_order() -> None:
    progress = Progress()
    app = make_app(pack_with_the_article_thread(), progress, first_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_screen(pilot, app)
        text = " ".join(re.sub("[│╭╮╰╯─]", " ", screen_text(app)).split())  # (as wrapped)
        assert "Welcome to thaw" in text and "by Tests, 2014" in text
        assert "Read the article in order" in text
        assert "Why the thaw stalled" in text and "The islands since 1945" in text
        assert "Browse the panes" in text
        assert "○ marks what you have not read yet" in text  # the marks, explained
        await press(pilot, "enter")
        page = app.screen
        assert isinstance(page, DetailScreen)
        assert page.location.item_id == "section-1"
        assert "Step 1 of 5 in The article, paragraph by paragraph" in screen_text(app)
        await press(pilot, "n")  # reading on, in the article's order
        assert page.location.item_id == "abe"
        assert progress.settings[WELCOME_SETTING] == "closed"
    again = make_app(pack_with_the_article_thread(), progress, first_start=True)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        assert not isinstance(again.screen, WelcomeScreen)  # not shown again


async def test_without_an_article_thread_reading_in_order_starts_the_story() -> None:
    app = make_app(first_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_screen(pilot, app)
        assert "its 2 paragraphs, one after another" in screen_text(app)
        await press(pilot, "enter")
        page = app.screen
        assert isinstance(page, DetailScreen) and page.location.item_id == "section-1"
        await press(pilot, "n")
        assert page.location.item_id == "section-2"


async def test_a_guided_thread_is_one_choice_away() -> None:
    app = make_app(first_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_screen(pilot, app)
        await press(pilot, "j", "j")  # past the article, onto the second thread
        await press(pilot, "enter")
        assert isinstance(app.screen, DetailScreen)
        assert "Step 1 of 4 in The islands since 1945" in screen_text(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, ThreadScreen)  # its steps, under the first


async def test_a_pane_key_closes_the_first_screen_and_shows_its_pane() -> None:
    progress = Progress()
    app = make_app(progress=progress, first_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_screen(pilot, app)
        await press(pilot, "2")
        assert isinstance(app.screen, MainScreen) and app.main.current_pane == "timeline"
        assert progress.settings[WELCOME_SETTING] == "closed"


async def test_escape_browses_and_the_first_screen_comes_back_from_help_and_palette() -> None:
    app = make_app(first_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_screen(pilot, app)
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        assert any("switch panes" in message for message in notifications(app))
        await press(pilot, "question_mark")
        assert "w shows the first screen again" in screen_text(app)
        assert notifications(app) == []  # the hint of keys does not cover the keys
        await press(pilot, "w")
        await first_screen(pilot, app)
        await press(pilot, "escape")
        (ways_in,) = [c for c in app.get_system_commands(app.screen) if c.title == "Ways in"]
        ways_in.callback()
        await first_screen(pilot, app)


async def test_the_browse_hint_leaves_a_warning_up_when_a_page_opens() -> None:
    app = make_app(first_start=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await first_screen(pilot, app)
        app.notify("Your progress will not be saved this session.", severity="warning")
        await press(pilot, "escape")
        await wait_for(pilot, lambda: len(notifications(app)) == 2)
        await press(pilot, "enter")
        assert isinstance(app.screen, DetailScreen)
        assert len(notifications(app)) == 2  # the warning stays, and the hint with it


async def test_the_browse_hint_goes_when_a_page_opens() -> None:
    app = make_app(first_start=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await first_screen(pilot, app)
        await press(pilot, "escape")
        assert any("switch panes" in message for message in notifications(app))
        await press(pilot, "enter")
        assert isinstance(app.screen, DetailScreen)
        assert notifications(app) == []


async def test_a_returning_reader_gets_no_first_screen() -> None:
    progress = Progress()
    progress.mark(["section-1"])
    app = make_app(progress=progress, first_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        assert not isinstance(app.screen, WelcomeScreen)


# --- pages that read well ------------------------------------------------------------------
def status_line(app: ThawApp) -> str:
    return screen_lines(app)[app.screen.query_one("#page-status").region.y]


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_a_long_page_says_it_has_links_and_enter_goes_to_them_first(
    size: tuple[int, int],
) -> None:
    app = make_app(pack_with_a_long_body())
    async with app.run_test(size=size) as pilot:
        await press(pilot, "enter")
        page = app.screen
        assert isinstance(page, DetailScreen)
        assert "Shinzo Abe" not in screen_text(app)  # the links are far below
        line = status_line(app)
        assert "✓ seen" in line and "2 links below" in line and "Enter goes to them" in line
        await press(pilot, "enter")
        assert page.location.item_id == "section-1"  # not opened unseen: moved to them
        assert "Shinzo Abe" in screen_text(app)
        assert "link 1 of 2: Enter opens it" in status_line(app)
        await press(pilot, "enter")
        assert page.location.item_id == "abe"


async def test_the_page_shows_its_own_seen_state() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "4", "enter")
        assert "✓ seen" in status_line(app)
        await press(pilot, "m")
        assert "○ not seen" in status_line(app)


def pack_with_many_links() -> Pack:
    """The sample pack with a glossary term linked to every other item, and linked back
    by one of them in a second way (so it would be listed twice)."""
    pack = sample_pack()
    items = dict(pack.items)
    others = [item_id for item_id in items if item_id != "peace-treaty"]
    items["peace-treaty"] = msgspec.structs.replace(
        items["peace-treaty"], links=tuple(Link("related", other) for other in others)
    )
    thaw = items["thaw-stalls"]
    items["thaw-stalls"] = msgspec.structs.replace(
        thaw, links=(*thaw.links, Link("caused_by", "peace-treaty"))
    )
    return Pack.build(pack.manifest, items, pack.threads)


async def test_every_link_has_a_key_and_a_link_is_listed_once() -> None:
    app = make_app(pack_with_many_links())
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, PANE_KEYS["glossary"], "enter")
        page = app.screen
        assert isinstance(page, DetailScreen)
        targets = page.links.item_ids
        assert len(targets) == len(set(targets)) == 17  # thaw-stalls once, not twice
        (row,) = [r.text.plain for r in page.links.rows if r.item_id == "thaw-stalls"]
        assert row.endswith("Consequence · led to")  # its second link, noted
        await press(pilot, "1")
        assert "link 1…: another digit, or Enter" in status_line(app)
        await press(pilot, "2")
        assert page.location.item_id == targets[11]  # link 12
        await press(pilot, "escape", "1", "enter")
        assert page.location.item_id == targets[0]  # link 1, confirmed with Enter
        await press(pilot, "escape", "1", "escape")
        assert page.location.item_id == "peace-treaty"  # Esc drops the half-typed number
        await press(pilot, "1", "7")
        assert page.location.item_id == targets[16]


async def test_links_read_from_the_page_they_are_on() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "6", "j", "enter")  # the Reuters report: cited by two events
        page = app.screen
        assert isinstance(page, DetailScreen) and page.location.item_id == "reuters-drills"
        rows = [row.text.plain for row in page.links.rows]
        heading = rows.index("── Cited by")
        assert "Japan imposes sanctions" in rows[heading + 1]
        assert not any("Linked from" in row for row in rows)


async def test_text_keeps_a_reading_measure_on_a_wide_terminal() -> None:
    app = make_app(pack_with_a_long_body())
    async with app.run_test(size=(160, 40)) as pilot:
        await press(pilot, "enter")
        body = app.screen.query_one("#body")
        assert 60 <= body.size.width <= 88


async def test_lists_hang_and_addresses_never_wrap() -> None:
    pack = sample_pack()
    items = dict(pack.items)
    bullet = "a point long enough that it must wrap onto a second line at this width"
    items["section-1"] = msgspec.structs.replace(items["section-1"], body=f"- {bullet}\n- short")
    url = "https://example.org/" + "-".join(["a-long-address"] * 8)
    items["mofa"] = msgspec.structs.replace(items["mofa"], url=url)
    app = make_app(Pack.build(pack.manifest, items, pack.threads))
    async with app.run_test(size=(60, 20)) as pilot:
        await press(pilot, "enter")
        lines = screen_lines(app)
        (first,) = [n for n, line in enumerate(lines) if "• a point long enough" in line]
        bullet_at = lines[first].index("•")
        follow = lines[first + 1]
        assert follow[bullet_at : bullet_at + 2] == "  " and follow[bullet_at + 2] != " "
        await press(pilot, "escape", "6", "enter")
        lines = screen_lines(app)
        (shown,) = [line for line in lines if "https://example.org/" in line]
        assert shown.rstrip().endswith("…")  # cut at the edge, on its one line
        assert not any("a-long-address" in line and "https" not in line for line in lines)
        await press(pilot, "y")
        assert app.clipboard == url  # whole, for pasting


async def test_slash_finds_on_the_page_n_and_N_step_and_esc_ends() -> None:
    app = make_app(pack_with_a_long_body())
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "slash", *"digest")
        assert '"digest": 1 of 40' in status_line(app)
        await press(pilot, "enter")
        assert '"digest": 1 of 40' in status_line(app)
        assert "n next, N previous, Esc ends" in status_line(app)
        await press(pilot, "n", "n")
        assert '"digest": 3 of 40' in status_line(app)
        assert "Paragraph 2 of a long digest" in screen_text(app)  # scrolled to it
        marked = [s.text for s in screen_segments(app) if s.style and s.style.reverse]
        assert "digest" in marked
        await press(pilot, "N", "N", "N")
        assert '"digest": 40 of 40' in status_line(app)  # round the end
        await press(pilot, "escape")
        page = app.screen
        assert isinstance(page, DetailScreen) and page.location.item_id == "section-1"
        assert "digest" not in status_line(app)  # the search ended; still on the page
        marked = [s.text for s in screen_segments(app) if s.style and s.style.reverse]
        assert "digest" not in marked
        await press(pilot, "n")
        assert page.location.item_id == "section-2"  # n reads on again


# --- the palette finds items, once each ---------------------------------------------------
def palette_hits(app: ThawApp) -> list[str]:
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    hits = palette.query_one(CommandList)
    return [
        str(hits.get_option_at_index(n).prompt).splitlines()[0] for n in range(hits.option_count)
    ]


async def test_esc_while_typing_a_search_ends_it_and_stays_on_the_page() -> None:
    """The box's own Esc used to end the search, and the same key then went on to the
    page's Esc (back), which found no search left and closed the page."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "4", "enter", "slash", *"Four")
        assert '"Four": 1 of' in status_line(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, DetailScreen)
        assert "Four" not in status_line(app) and not app.screen.query("#find:focus")
        await press(pilot, "escape")  # and the next Esc goes back
        assert not isinstance(app.screen, DetailScreen)


async def test_the_palette_says_it_finds_items_and_lists_each_once() -> None:
    pack = sample_pack()
    items = dict(pack.items)
    items["putin"] = msgspec.structs.replace(items["putin"], aliases=("Путин", "Putin V. V."))
    app = make_app(Pack.build(pack.manifest, items, pack.threads))
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "ctrl+p")
        assert "Find an item (by title, name, date or source) or a command" in screen_text(app)
        await press(pilot, *"putin")
        assert await wait_for(pilot, lambda: "Vladimir Putin" in palette_hits(app))
        await pilot.pause(0.3)  # (every provider has answered)
        assert palette_hits(app).count("Vladimir Putin") == 1  # not once per alias


async def test_the_palette_finds_dates_and_not_scattered_letters() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "ctrl+p", *"1945")
        assert await wait_for(pilot, lambda: bool(palette_hits(app)))
        await pilot.pause(0.3)
        assert palette_hits(app)[0] == "Soviet forces take the islands"  # 18 Aug 1945
        await press(pilot, *["backspace"] * 4, *"abe")
        assert await wait_for(pilot, lambda: "Shinzo Abe" in palette_hits(app))
        await pilot.pause(0.3)
        # Words as typed: no hit with an a, a b and an e scattered through its title.
        assert all("abe" in hit.casefold() for hit in palette_hits(app)), palette_hits(app)
