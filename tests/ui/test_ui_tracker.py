"""Pilot tests of the reading tracker: marks, undo, threads, only-unseen, continue."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from support.sample_pack import SAMPLE_THREADS
from textual import events
from textual.pilot import Pilot
from ui_harness import (
    list_line,
    make_app,
    notifications,
    press,
    screen_lines,
    screen_text,
    wait_for,
)

from thaw_tui.progress import PackDelta, Position, Progress
from thaw_tui.ui.app import ThawApp
from thaw_tui.ui.pane_specs import PANE_KEYS
from thaw_tui.ui.screens.detail import DetailScreen
from thaw_tui.ui.screens.dialogs import ConfirmScreen, ContinueScreen
from thaw_tui.ui.screens.main import MainScreen
from thaw_tui.ui.screens.thread import ThreadScreen
from thaw_tui.ui.widgets.bars import Breadcrumb

THREADS_KEY = PANE_KEYS["threads"]

STALLED = SAMPLE_THREADS[0]


async def offer_shown(pilot: Pilot[int], app: ThawApp) -> bool:
    """Run the app until the continue offer (pushed after start-up) is painted."""

    def painted() -> bool:
        return isinstance(app.screen, ContinueScreen) and "Last read:" in screen_text(app)

    return await wait_for(pilot, painted)


async def test_lists_show_seen_glyphs_and_m_toggles_and_u_undoes() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert list_line(app, 0).startswith("▸ ○ ¶1")
        await press(pilot, "m")
        assert progress.is_seen("section-1")
        assert list_line(app, 0).startswith("▸ ✓ ¶1")  # the glyph, not only a colour
        assert "1/18 seen" in screen_lines(app)[0]
        await press(pilot, "u")
        assert not progress.is_seen("section-1")
        assert list_line(app, 0).startswith("▸ ○ ¶1")
        assert "Undone: A warming cut short is not seen again." in notifications(app)
        await press(pilot, "u")
        assert "Nothing to undo." in notifications(app)


async def test_marking_a_pane_seen_asks_first() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "2", "M")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert isinstance(app.screen, MainScreen)
        assert progress.seen == set()
        await press(pilot, "M", "y")
        assert progress.seen == {
            "soviet-invasion",
            "abe-putin-talks",
            "island-drills",
            "japan-sanctions",
        }
        await press(pilot, "u")  # one undoable step
        assert progress.seen == set()


async def test_marking_a_thread_seen_from_the_threads_pane_asks_first() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, THREADS_KEY, "j", "M")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert "in the thread The islands since 1945 as seen?" in confirm.question
        await press(pilot, "y")
        assert progress.seen == set(SAMPLE_THREADS[1].steps)
        assert "4/4  The islands since 1945" in screen_text(app)


async def test_reset_all_progress_asks_first() -> None:
    progress = Progress()
    progress.mark(["abe", "putin"])
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_reset_progress()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "escape")
        assert progress.seen == {"abe", "putin"}
        app.action_reset_progress()
        await pilot.pause()
        await press(pilot, "y")
        assert progress.seen == set()
        assert "0/18 seen" in screen_lines(app)[0]


async def test_n_on_the_main_screen_opens_next_unseen_item() -> None:
    progress = Progress()
    progress.mark(["section-1"])
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "n")
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        assert screen.location.item_id == "section-2"


async def test_threads_pane_shows_progress_and_thread_flow_with_n_and_p() -> None:
    progress = Progress()
    progress.mark(["section-1"])
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, THREADS_KEY)
        text = screen_text(app)
        assert "[██░░░░░░░░] 1/6  Why the thaw stalled" in text
        assert "0/4  The islands since 1945" in text
        await press(pilot, "enter")
        steps = app.screen
        assert isinstance(steps, ThreadScreen)
        assert "✓  1. A warming cut short" in screen_text(app)
        assert "○  2. Abe and Putin meet five times" in screen_text(app)
        await press(pilot, "enter")
        page = app.screen
        assert isinstance(page, DetailScreen)
        assert page.location.item_id == "section-1" and page.location.step == 0
        await press(pilot, "n", "n")
        assert page.location.item_id == "section-2"
        assert page.query_one(Breadcrumb).parts == (
            "Threads › Why the thaw stalled",
            "step 3 of 6: Sanctions after MH17",
        )
        await press(pilot, "p")
        assert page.location.item_id == "abe-putin-talks"
        assert progress.position == Position("threads", "abe-putin-talks", STALLED.id)
        await press(pilot, "n", "n", "n", "n", "n")
        assert page.location.item_id == "thaw-stalls"
        assert "That was the last step of Why the thaw stalled." in notifications(app)
        assert "Step 6 of 6 in Why the thaw stalled" in screen_text(app)
        await press(pilot, "escape")  # stepping filled no history: back to the steps
        assert app.screen is steps


async def test_continue_opens_next_unseen_step() -> None:
    progress = Progress()
    progress.mark(["section-1", "abe-putin-talks"])
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, THREADS_KEY, "c")
        page = app.screen
        assert isinstance(page, DetailScreen)
        assert page.location.item_id == "section-2" and page.location.step == 2
        await press(pilot, "escape")
        assert isinstance(app.screen, ThreadScreen)
        await press(pilot, "M", "y")
        assert progress.count_seen(STALLED.steps) == len(STALLED.steps)
        assert "6/6 seen" in screen_text(app)


async def test_only_unseen_keeps_the_item_just_read_until_leaving_the_pane() -> None:
    progress = Progress()
    progress.mark(["abe"])
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "3", "o")
        actors = app.main.pane("actors")
        assert "abe" not in actors.visible_ids()
        assert "5 of 6 shown (only unseen)" in screen_text(app)
        first = actors.current_id
        assert first is not None
        await press(pilot, "enter", "escape")
        assert progress.is_seen(first)
        assert first in actors.visible_ids()  # just read: still listed
        await press(pilot, "1", "3")
        assert first not in actors.visible_ids()  # left the pane: now it drops out
        await press(pilot, "o")
        assert "abe" in actors.visible_ids()


async def test_keys_typed_fast_after_switching_to_a_new_pane_reach_the_filter() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "m")  # something `u` could undo if it leaked to the list
        # Post the keys in one burst, as a paste or a script would, without waiting.
        for key, char in [
            ("6", "6"),
            ("slash", "/"),
            ("r", "r"),
            ("e", "e"),
            ("u", "u"),
            ("t", "t"),
        ]:
            app.post_message(events.Key(key, char))
        sources = app.main.pane("sources")
        await wait_for(pilot, lambda: sources.query_text == "reut")
        assert sources.query_text == "reut"
        assert sources.visible_ids() == ["reuters-drills"]
        assert progress.is_seen("section-1")


async def test_a_burst_of_keys_after_a_pane_switch_moves_the_new_pane() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ("2", "j", "j", "tab", "j"):
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        actors, timeline = app.main.pane("actors"), app.main.pane("timeline")
        await wait_for(pilot, lambda: actors.current_id == "putin" and timeline.ready)
        assert app.main.pane("story").current_id == "section-1"  # untouched
        assert app.main.pane("timeline").current_id == "island-drills"
        assert app.main.current_pane == "actors"
        assert app.main.pane("actors").current_id == "putin"


async def test_filter_narrows_and_highlights_and_escape_clears() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "3", "slash", *"vlad")
        actors = app.main.pane("actors")
        assert actors.visible_ids() == ["putin"]
        row = actors.item_list.rows[0]
        assert row.text.plain.count("Vlad") == 1
        assert actors.item_list.query_text == "vlad"
        await press(pilot, "enter")
        assert app.focused is actors.item_list
        await press(pilot, "escape")
        assert len(actors.visible_ids()) == 6
        assert actors.item_list.query_text == ""


async def test_continue_offer_on_start_opens_next_unseen_step() -> None:
    progress = Progress()
    progress.mark(["section-1", "abe-putin-talks"])
    progress.remember_position(Position("threads", "abe-putin-talks", STALLED.id))
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await offer_shown(pilot, app)
        text = screen_text(app)
        assert "step 3 of 6: Sanctions after MH17" in text
        assert "Last read: Abe and Putin meet five times" in text
        await press(pilot, "enter")
        await pilot.pause()
        page = app.screen
        assert isinstance(page, DetailScreen)
        assert page.location.item_id == "section-2"


async def test_continue_offer_for_a_last_item_and_declining_it() -> None:
    progress = Progress()
    progress.remember_position(Position("actors", "hirohito", None))
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await offer_shown(pilot, app)
        assert "Last read: Emperor Hirohito (Actor)" in screen_text(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await offer_shown(pilot, app)
        assert "Next unseen: Soviet Union" in screen_text(app)
        await press(pilot, "enter")  # the next unseen actor, not the one already read
        page = app.screen
        assert isinstance(page, DetailScreen)
        assert page.location.item_id == "ussr"
        assert app.main.current_pane == "actors"


class ChangedPack(Progress):
    """Progress that reports a pack delta and a notice, as the store would."""

    def note_pack(self, version: str, fingerprints: Mapping[str, str]) -> PackDelta:
        assert set(fingerprints) >= {"abe", "putin"}
        return PackDelta(new=frozenset({"abe"}), changed=frozenset({"putin"}))


async def test_new_and_changed_items_are_flagged_and_notices_shown() -> None:
    progress = ChangedPack()
    progress.notices.append("Your progress file was damaged and moved aside.")
    app = make_app(progress=progress)
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "3")
        text = screen_text(app)
        assert "Shinzo Abe new" in text
        assert "Vladimir Putin changed" in text
        assert "Your progress file was damaged and moved aside." in notifications(app)


async def test_theme_choice_is_remembered_and_restored() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
        assert progress.settings["theme"] == "nord"
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"


async def test_marks_from_another_session_appear_after_refresh() -> None:
    class Shared(Progress):
        incoming: set[str] = set()

        def refresh(self) -> None:
            self.seen |= self.incoming

    progress = Shared()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        progress.incoming = {"section-1", "abe"}
        app.poll_progress()
        await pilot.pause()
        assert "2/18 seen" in screen_lines(app)[0]
        assert list_line(app, 0).startswith("▸ ✓ ¶1")


async def test_without_colour_the_cursor_and_seen_state_still_show(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    progress = Progress()
    progress.mark(["section-2"])
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
        lines = screen_lines(app)
        assert lines[1].startswith("[1 Story ")  # the current pane is bracketed
        assert list_line(app, 0).startswith("▸ ○ ¶1")  # cursor and unseen, in characters
        assert list_line(app, 1).startswith("  ✓ ¶2")


async def test_thread_steps_screen_marks_undoes_and_goes_back() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, THREADS_KEY, "enter", "j", "m")
        assert isinstance(app.screen, ThreadScreen)
        assert progress.seen == {"abe-putin-talks"}
        assert "[██░░░░░░░░] 1/6 seen" in screen_text(app)
        await press(pilot, "u")
        assert progress.seen == set()
        await press(pilot, "n")  # continue: the first unseen step
        page = app.screen
        assert isinstance(page, DetailScreen)
        assert page.location.step == 0
        await press(pilot, "escape", "right_square_bracket")  # forward from the steps
        assert isinstance(app.screen, DetailScreen)
        await press(pilot, "escape", "h")
        assert isinstance(app.screen, MainScreen)
        assert app.main.current_pane == "threads"


async def test_a_key_typed_over_the_continue_offer_declines_it_and_still_works() -> None:
    progress = Progress()
    progress.remember_position(Position("actors", "hirohito", None))
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await offer_shown(pilot, app)
        await press(pilot, "2")
        assert await wait_for(pilot, lambda: app.main.current_pane == "timeline")
        assert isinstance(app.screen, MainScreen)
