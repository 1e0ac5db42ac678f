"""Pilot tests of the main screen: panes, keys, layout and list rows."""

from __future__ import annotations

import re
from enum import Enum

import pytest
from rich.cells import cell_len
from ui_harness import make_app, notifications, press, screen_lines, screen_text, wait_for

from thaw_tui.progress import Progress
from thaw_tui.ui.pane_specs import PANE_KEYS, PANES, PaneRole, PaneSpec
from thaw_tui.ui.screens import main
from thaw_tui.ui.screens.detail import DetailScreen
from thaw_tui.ui.screens.main import MainScreen
from thaw_tui.ui.screens.too_small import TooSmallScreen
from thaw_tui.ui.widgets.bars import PaneBar
from thaw_tui.ui.widgets.item_list import ItemList
from thaw_tui.ui.widgets.list_pane import ListPane

PANE_ORDER = [pane.id for pane in PANES if pane.role is not PaneRole.MAP]  # (no list)


async def test_starts_on_story_with_title_and_progress_in_header() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        first_line = screen_lines(app)[0]
        assert "Thawing Relations Under Fire" in first_line
        assert "0/18 seen" in first_line
        assert "progress not saved" in first_line  # plain Progress is not persistent
        focused = app.focused
        assert isinstance(focused, ItemList)
        assert focused.current_id == "section-1"


async def test_number_keys_switch_panes_in_order() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for pane_id in PANE_ORDER:
            await press(pilot, PANE_KEYS[pane_id])
            main = app.main
            assert main.current_pane == pane_id
            assert app.screen.query_one(PaneBar).current == pane_id
            shown = [pane.id for pane in main.query(ListPane) if pane.display]
            assert shown == [f"pane-{pane_id}"]
            assert app.focused is main.pane(pane_id).item_list


async def test_tab_and_shift_tab_cycle_panes() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "tab", "tab")
        assert app.main.current_pane == "actors"
        await press(pilot, "shift+tab", "shift+tab", "shift+tab")
        assert app.main.current_pane == PANES[-1].id  # wraps round


async def test_cursor_keys_move_and_skip_era_headings() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "2")
        items = app.main.pane("timeline").item_list
        assert items.rows[0].is_heading  # "── The war (1945)"
        assert items.current_id == "soviet-invasion"
        await press(pilot, "j")
        assert items.current_id == "abe-putin-talks"  # the "thaw" heading was skipped
        # "Aug 2014" (day unknown) sorts after "12 Aug 2014".
        await press(pilot, "down", "down")
        assert items.current_id == "japan-sanctions"
        await press(pilot, "k")
        assert items.current_id == "island-drills"
        await press(pilot, "G")
        assert items.current_id == "japan-sanctions"
        await press(pilot, "g")
        assert items.current_id == "soviet-invasion"
        await press(pilot, "pagedown")
        assert items.current_id == "japan-sanctions"
        await press(pilot, "pageup")
        assert items.current_id == "soviet-invasion"
        assert "── The thaw (2012–2013)" in screen_text(app)


async def test_rows_show_dates_roles_sides_and_footnotes() -> None:
    app = make_app()
    async with app.run_test(size=(99, 30)) as pilot:  # no preview: rows get the width
        await press(pilot, "2")
        text = screen_text(app)
        assert "18 Aug 1945" in text and "Apr 2013" in text
        await press(pilot, "3")
        assert "person · Prime minister of Japan" in screen_text(app)
        await press(pilot, "4")
        assert "日本 Japan and Россия Russia" in screen_text(app)  # not "vs"
        await press(pilot, "6")
        text = screen_text(app)
        assert "[3]     12 Aug 2014 Russia holds drills on disputed isles  Reuters" in text
        # Written out, not abbreviated: a context source, and one with no date.
        assert "context no date     Kuril Islands" in text


async def test_wide_names_line_up_in_actor_rows() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "3")
        columns = set()
        for line in screen_lines(app):
            for marker in ("state · ", "person · "):
                if marker in line:
                    columns.add(cell_len(line[: line.index(marker)]))
        assert len(columns) == 1, columns  # 日本 / Россия rows start roles in the same cell


async def test_preview_beside_list_only_when_wide() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "4")
        preview = app.main.pane("disputes").query_one("#preview")
        assert preview.display and preview.size.width > 0
        assert "Four islands both sides claim." in screen_text(app)
        assert "Both claim them." in screen_text(app)  # the body, in the preview
        summary = app.main.pane("disputes").query_one("#summary-line")
        assert summary.size.height == 0  # no summary line: the preview says it all
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert preview.size.width == 0
        assert "Both claim them." not in screen_text(app)
        # Narrow: the highlighted item's summary on the line under the list.
        assert "Four islands both sides claim." in screen_lines(app)[summary.region.y]


async def test_too_small_terminal_says_what_it_needs_and_recovers() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "at least 40x12" in screen_text(app)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "A warming cut short" in screen_text(app)


async def test_usable_at_60x20_and_fills_200x60() -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await press(pilot, "6")
        lines = screen_lines(app)
        bar = " ".join(lines[1 : 1 + app.main.query_one(PaneBar).size.height])
        assert "[6 Sources ○" in bar
        # Every tab in full, whichever is current: its key, its title, its unseen count.
        keys = re.findall(r"(\d) [A-Z]", bar)
        assert keys == [PANE_KEYS[pane.id] for pane in PANES]
        assert all(pane.title in bar for pane in PANES)
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        assert len(lines) == 60 and all(cell_len(line) == 200 for line in lines)
        assert "Opening digest" not in lines[3]
        assert app.main.pane("story").query_one("#preview").size.width > 60


async def test_quit_key_exits() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "q")
        assert app.return_code == 0
        assert not app.is_running


async def test_l_and_right_open_and_home_end_jump() -> None:
    from thaw_tui.ui.screens.detail import DetailScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "3", "end")
        actors = app.main.pane("actors").item_list
        assert actors.current_id == "russia"
        await press(pilot, "home")
        assert actors.current_id == "abe"
        await press(pilot, "l")
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.location.item_id == "abe"
        await press(pilot, "left", "j", "right")
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.location.item_id == "putin"
        await press(pilot, "left")
        assert isinstance(app.screen, MainScreen)
        await press(pilot, "alt+right")  # forward again, like a browser
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.location.item_id == "putin"


async def test_terminal_cursor_follows_the_highlighted_row_for_screen_readers() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "3")
        first_row = app.main.pane("actors").item_list.content_region.y
        assert first_row >= 2  # under the header and the pane bar
        # The pane is built on first use: under load its first frame can come later.
        assert await wait_for(pilot, lambda: app.cursor_position.y == first_row)
        await press(pilot, "j", "j")
        assert await wait_for(pilot, lambda: app.cursor_position.y == first_row + 2)
        assert app.cursor_position.x == 0


async def test_an_empty_pane_says_so() -> None:
    from support.sample_pack import SAMPLE_THREADS, manifest, sample_items

    from thaw_tui.pack.model import Pack

    items = {item.id: item for item in sample_items() if item.kind.value != "consequence"}
    pack = Pack.build(manifest(), items, SAMPLE_THREADS)
    app = make_app(pack)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "5", "enter")
        assert "This pack has nothing under Consequences." in screen_text(app)
        assert isinstance(app.screen, MainScreen)
        await press(pilot, "n")  # on to the next pane with something unseen: Sources
        assert "Everything in Consequences is seen: on to Sources." in notifications(app)
        assert isinstance(app.screen, DetailScreen) and app.screen.location.item_id == "mofa"


class FutureRole(Enum):
    MAP = "map"  # a pane that lists neither items nor threads


async def test_a_pane_of_a_new_role_is_not_taken_for_the_threads_pane(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only a pane whose role is THREADS opens, continues and marks threads.

    The stand-in pane is drawn by the threads widget, so its rows are thread ids: a
    check of the form "not an item pane, so threads" would open one of them.
    """
    from thaw_tui.ui.widgets.threads_pane import ThreadsPane

    monkeypatch.setitem(main.PANES_BY_ID, "threads", PaneSpec("threads", "Map", FutureRole.MAP))
    monkeypatch.setitem(main.PANE_WIDGETS, FutureRole.MAP, lambda: ThreadsPane)
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, PANE_KEYS["threads"])
        pane = app.main.pane()
        assert pane.spec.role is FutureRole.MAP
        assert app.pack.thread(pane.current_id or "") is not None
        assert not app.main.check_action("continue_thread", ())
        # The actions themselves, as their keys would run them (keys would also run the
        # burst handling, which is not what this test is about).
        pane.item_list.action_choose()  # Enter
        app.main.action_continue_thread()  # c (which the binding check hides here)
        app.main.action_next_unseen()  # n
        app.main.action_toggle_seen()  # m
        app.main.action_mark_pane_seen()  # M
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)  # no thread's steps, no question
        assert progress.seen == set()
        hint = f"Continue works on a thread: press {PANE_KEYS['threads']} and pick one."
        assert hint in notifications(app)


async def test_the_threads_pane_opens_threads_and_the_hint_names_its_key() -> None:
    from textual.binding import Binding

    from thaw_tui.ui.screens.thread import ThreadScreen

    (key,) = [
        binding.key
        for binding in MainScreen.BINDINGS
        if isinstance(binding, Binding) and binding.action == "switch_pane('threads')"
    ]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.main.action_continue_thread()  # on the Story pane
        await pilot.pause()
        assert f"Continue works on a thread: press {key} and pick one." in notifications(app)
        await press(pilot, key)
        assert app.main.check_action("continue_thread", ())
        app.main.pane().item_list.action_choose()
        await pilot.pause()
        assert isinstance(app.screen, ThreadScreen)


def test_a_pane_spec_takes_a_kind_with_the_items_role_and_only_with_it() -> None:
    from thaw_tui.pack.model import Kind

    assert PaneSpec("events", "Timeline", PaneRole.ITEMS, Kind.EVENT).kind is Kind.EVENT
    with pytest.raises(ValueError, match="a kind goes with the items role"):
        PaneSpec("events", "Timeline", PaneRole.ITEMS)
    with pytest.raises(ValueError, match="a kind goes with the items role"):
        PaneSpec("threads", "Threads", PaneRole.THREADS, Kind.EVENT)
