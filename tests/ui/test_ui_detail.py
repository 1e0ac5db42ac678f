"""Pilot tests of item pages: drill-down, links, history, breadcrumb, peek."""

from __future__ import annotations

from textual import events
from ui_harness import (
    make_app,
    notifications,
    press,
    screen_lines,
    screen_segments,
    screen_text,
    wait_for,
)

from thaw_tui.navigation import Location
from thaw_tui.progress import Progress
from thaw_tui.ui.screens.detail import DetailScreen
from thaw_tui.ui.screens.main import MainScreen
from thaw_tui.ui.widgets.bars import Breadcrumb
from thaw_tui.ui.widgets.link_list import LinkList


def detail(app: object) -> DetailScreen:
    screen = getattr(app, "screen", None)
    assert isinstance(screen, DetailScreen), screen
    return screen


def link_number(screen: DetailScreen, item_id: str) -> int:
    ids = [row.item_id for row in screen.links.rows if row.item_id is not None]
    return ids.index(item_id) + 1


async def test_enter_opens_page_with_meta_summary_provenance_and_marks_seen() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "4", "enter")
        page = detail(app)
        assert page.location == Location("islands-dispute")
        text = screen_text(app)
        assert "The islands dispute" in text
        assert "Disputes (key 4) · between 日本 Japan and Россия Russia" in text
        assert "Four islands both sides claim." in text
        assert progress.is_seen("islands-dispute")
        assert progress.position is not None
        assert progress.position.item_id == "islands-dispute"
        assert progress.position.pane == "disputes"
        assert "1/18 seen" in text
        assert isinstance(app.focused, LinkList)


async def test_provenance_is_one_line_and_s_names_every_source_each_label_once() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await press(pilot, "4", "enter")
        text = screen_text(app)
        assert "From the article ¶5 · footnote [2] · 1 context source" in text
        assert "Britannica" not in text  # named only in full
        await press(pilot, "s")
        text = screen_text(app)
        assert "The article: ¶5" in text
        assert "Footnote: [2] MOFA, Northern Territories Issue" in text
        assert "Added for context: Britannica, Kuril Islands" in text
        assert "What the context adds: The names of the four islands." in text
        assert text.count("Context:") == 0  # no label twice, none ambiguous
        await press(pilot, "s")
        assert "Added for context" not in screen_text(app)


async def test_dispute_sides_read_as_sentences_with_one_pair_of_brackets() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await press(pilot, "4", "enter")
        text = screen_text(app)
        assert "日本 Japan calls it Northern Territories (北方領土)." in text
        assert "Россия Russia calls it Southern Kurils (Южные Курилы)." in text
        lines = screen_lines(app)
        (side,) = [line for line in lines if "calls it Northern Territories" in line]
        (position,) = [line for line in lines if line.strip() == "Japanese land."]
        indent = len(side) - len(side.lstrip())
        assert len(position) - len(position.lstrip()) == indent + 2  # under its side


async def test_links_are_grouped_by_how_this_page_relates_to_them() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await press(pilot, "4", "enter")
        rows = [row.text.plain for row in detail(app).links.rows]
        headings = [row for row in rows if row.startswith("── ")]
        # Links to this page read from this page: the peace treaty is about this dispute,
        # so this dispute is "Discussed in" it.
        assert headings == ["── Caused by", "── Cites", "── Between", "── Discussed in"]
        assert any(row.startswith("1 ○ Soviet forces take the islands") for row in rows)
        discussed_in = rows[rows.index("── Discussed in") + 1 :]
        assert any("Peace treaty" in row for row in discussed_in)


async def test_digit_follows_link_and_enter_follows_highlighted_link() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "4", "enter")
        page = detail(app)
        await press(pilot, str(link_number(page, "soviet-invasion")))
        assert page.location.item_id == "soviet-invasion"
        # Walk the cursor to Hirohito and press Enter.
        for _ in range(10):
            if page.links.current_id == "hirohito":
                break
            await press(pilot, "j")
        assert page.links.current_id == "hirohito"
        await press(pilot, "enter")
        assert page.location.item_id == "hirohito"
        assert app.screen is page  # one page screen, walking its history


async def test_done_criterion_path_back_twice_then_search_to_reuters() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "4", "enter")
        page = detail(app)
        await press(pilot, str(link_number(page, "soviet-invasion")))
        await press(pilot, str(link_number(page, "hirohito")))
        crumb = page.query_one(Breadcrumb).parts
        assert crumb == (
            "Disputes",
            "The islands dispute",
            "Soviet forces take the islands",
            "Emperor Hirohito",
        )
        await press(pilot, "backspace")
        assert page.location.item_id == "soviet-invasion"
        await press(pilot, "h")
        assert page.location.item_id == "islands-dispute"
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        await press(pilot, "6", "slash", *"reut", "enter", "enter")
        assert detail(app).location.item_id == "reuters-drills"
        assert progress.seen == {"islands-dispute", "soviet-invasion", "hirohito", "reuters-drills"}


async def test_back_keys_and_forward_like_a_browser() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "4", "enter")
        page = detail(app)
        await press(pilot, str(link_number(page, "soviet-invasion")))
        await press(pilot, "left")
        assert page.location.item_id == "islands-dispute"
        await press(pilot, "right_square_bracket")
        assert page.location.item_id == "soviet-invasion"
        await press(pilot, "escape", "h")
        assert isinstance(app.screen, MainScreen)
        # Forward from the pane reopens the page we backed out of.
        await press(pilot, "L")
        assert detail(app).location.item_id == "islands-dispute"
        await press(pilot, "L")
        assert detail(app).location.item_id == "soviet-invasion"
        await press(pilot, "L")  # nothing further: stays
        assert detail(app).location.item_id == "soviet-invasion"


async def test_coming_back_restores_list_cursor_and_page_scroll() -> None:
    app = make_app()
    async with app.run_test(size=(60, 12)) as pilot:
        await press(pilot, "3", "j", "j")
        actors = app.main.pane("actors").item_list
        chosen = actors.current_id
        await press(pilot, "enter")
        page = detail(app)
        scroller = page.query_one("#page")
        assert scroller.max_scroll_y > 3  # a page long enough to scroll
        scroller.scroll_to(y=3, animate=False, immediate=True)
        await pilot.pause()
        assert scroller.scroll_y == 3
        first_link = page.links.rows[1].item_id
        assert first_link is not None
        await press(pilot, "1")
        await press(pilot, "backspace")
        assert scroller.scroll_y == 3  # the page scroll came back too
        await press(pilot, "backspace")
        assert isinstance(app.screen, MainScreen)
        assert actors.current_id == chosen
        assert app.focused is actors


async def test_i_peeks_without_leaving_the_page() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "4", "enter")
        page = detail(app)
        target = page.links.current_id
        assert target is not None
        await press(pilot, "i")
        assert page.location.item_id == "islands-dispute"
        messages = notifications(app)
        assert app.pack.items[target].summary in messages


async def test_body_markdown_renders_and_links_only_show_their_address() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "2", "enter")
        text = screen_text(app)
        assert "The invasion began on 18 August 1945." in text  # ** markers rendered away
        assert "See the map (https://example.org/map)." in text  # the address, as text
        # Nothing in the page is clickable: no style carries an action or a link.
        for segment in screen_segments(app):
            style = segment.style
            assert style is None or (not style.link and not style.meta.get("@click"))
        app.open_url("https://example.org/map")
        await pilot.pause()
        messages = notifications(app)
        assert any("https://example.org/map" in m and "not opened" in m for m in messages)
        assert app.is_running


async def test_n_outside_a_thread_opens_next_unseen_item_of_the_pane() -> None:
    progress = Progress()
    progress.mark(["abe-putin-talks"])
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "2", "enter")
        page = detail(app)
        assert page.location.item_id == "soviet-invasion"
        await press(pilot, "n")
        assert page.location.item_id == "island-drills"  # abe-putin-talks was seen
        assert page.check_action("previous", ()) is False  # p is for thread steps only


async def test_m_on_a_page_toggles_and_u_undoes() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "4", "enter", "m")
        assert not progress.is_seen("islands-dispute")
        await press(pilot, "u")
        assert progress.is_seen("islands-dispute")
        messages = notifications(app)
        assert "Undone: The islands dispute is seen again." in messages


async def test_breadcrumb_shortens_to_fit_and_keeps_the_current_page() -> None:
    app = make_app()
    async with app.run_test(size=(50, 20)) as pilot:
        await press(pilot, "4", "enter")
        page = detail(app)
        await press(pilot, str(link_number(page, "soviet-invasion")))
        await press(pilot, str(link_number(page, "hirohito")))
        line = screen_text(app).splitlines()[1]
        assert line.rstrip().endswith("Emperor Hirohito")
        assert "…" in line  # earlier parts were shortened or dropped
        assert len(line) == 50


async def test_a_burst_of_keys_across_page_changes_lands_where_meant() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # Open the dispute, follow its first link, back twice, open the first actor.
        for key in ("4", "enter", "1", "escape", "escape", "3", "enter"):
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await wait_for(pilot, lambda: progress.is_seen("abe"))
        await pilot.pause()
        page = detail(app)
        assert page.location.item_id == "abe"
        assert progress.seen == {"islands-dispute", "soviet-invasion", "abe"}


async def test_quitting_while_the_page_is_built_ahead_does_not_crash() -> None:
    """CI caught `q` then ^C in one burst: the app began to exit between building the
    page screen ahead of the first Enter and composing it, and its on_mount found no
    page (NoMatches) and the reader ended with exit 1."""
    from thaw_tui.ui.screens.detail import DETAIL_SCREEN, prepare_detail

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        if app.is_screen_installed(DETAIL_SCREEN):
            app.uninstall_screen(DETAIL_SCREEN)
        app.exit(0)
        prepare_detail(app, app.pack, app.progress, app.main.pane().current_id)
        await pilot.pause()
    assert app.return_code == 0


async def test_the_page_built_ahead_is_put_away_and_keys_typed_meanwhile_reach_the_list() -> None:
    """The page is built ahead on top of the list for a moment (so that Textual starts
    its update timer before the first Enter); keys typed then wait for the list."""
    from thaw_tui.ui.screens.detail import DETAIL_SCREEN

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.uninstall_screen(DETAIL_SCREEN)  # built at start: build it again, here
        built: list[str] = []
        app.prepare_page(then=lambda: built.append(app.screen.__class__.__name__))
        story = app.main.pane()
        assert story.current_id == story.visible_ids()[0]
        assert isinstance(app.screen, DetailScreen)  # on top, until it goes idle
        await app.on_event(events.Key("j", "j"))  # as the terminal would send it
        await wait_for(pilot, lambda: story.current_id == story.visible_ids()[1])
        assert built == ["MainScreen"]  # put away before the offers of a way in
        assert app.screen is app.main and app.is_screen_installed(DETAIL_SCREEN)
