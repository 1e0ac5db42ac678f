"""Every key does what it says (issue 8): no lock-up, keys typed while a screen opens
land where meant, and every key the footer shows does something visible."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from key_fuzz import Case, run_case, run_cases
from support.sample_pack import SAMPLE_THREADS
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static
from ui_harness import make_app, notifications, press, screen_text, wait_for

from thaw_tui.progress import Position, Progress
from thaw_tui.ui.app import ThawApp
from thaw_tui.ui.key_hold import HOLD_SECONDS, KeyHold
from thaw_tui.ui.pane_specs import PANE_KEYS, PANES
from thaw_tui.ui.screens.detail import DetailScreen
from thaw_tui.ui.screens.dialogs import ConfirmScreen, ContinueScreen
from thaw_tui.ui.screens.help import HelpScreen
from thaw_tui.ui.screens.main import MainScreen
from thaw_tui.ui.screens.thread import ThreadScreen
from thaw_tui.ui.widgets.key_bar import KeyBar
from thaw_tui.ui.widgets.list_pane import FilterBox

STALLED = SAMPLE_THREADS[0]
THREADS_KEY = PANE_KEYS["threads"]
FUZZ_SEED = 8
FUZZ_CASES = 24  # bench/fuzz_keys.py runs hundreds


def burst(app: App[int], *keys: str) -> None:
    """Send keys at once, as a paste or a script would: none waits for the one before."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_random_key_sequences_never_leave_the_reader_deaf() -> None:
    """After any sequence of keys, in any place, the next key still acts."""
    failures = await run_cases(FUZZ_SEED, FUZZ_CASES)
    recipes = [f"{outcome.case.recipe()}: {outcome.failure}" for outcome in failures]
    assert not recipes, "\n".join(recipes)


# The five ways the reader used to stop answering (ux-review B1), each first showing a
# message: the fuzz above found them; here they are by name.
LOCK_UP_RECIPES = [
    Case("pane", "none", "none", "1", ("c",), "paced"),  # c on a pane but Threads
    Case("pane", "all", "none", "4", ("n",), "paced"),  # n where everything is seen
    Case("pane", "all", "none", THREADS_KEY, ("c",), "paced"),  # c on a finished thread
    Case("thread", "all", "none", THREADS_KEY, ("c",), "paced"),  # c in a finished thread's steps
    Case("thread", "all", "none", THREADS_KEY, ("n",), "paced"),  # n in a finished thread's steps
    Case("pane", "none", "nothing", "4", ("n",), "paced"),  # n when the filter hides all
]


@pytest.mark.parametrize("case", LOCK_UP_RECIPES, ids=lambda case: f"{case.place}-{case.keys}")
async def test_the_lock_up_recipes_leave_the_keys_working(case: Case) -> None:
    outcome = await run_case(case)
    assert outcome.failure is None, outcome.failure


async def test_n_when_the_filter_hides_everything_says_so() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "4", "slash", "q", "z", "x", "enter", "n")
        assert "No unseen item is shown: the filter hides 1 (Esc clears it)." in notifications(app)
        assert isinstance(app.screen, MainScreen)


async def test_keys_typed_before_a_dialog_is_shown_never_answer_it() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "M", "y")  # "mark all seen?" and a y typed before it was asked
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert progress.seen == set()
        await press(pilot, "y")  # asked and answered
        assert progress.seen == {"section-1", "section-2"}


async def test_keys_typed_while_a_page_opens_go_to_that_page() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, THREADS_KEY, "enter", "c", "j", "enter")  # a thread, its first step, its link 2
        assert await wait_for(pilot, lambda: progress.is_seen("putin"))
        page = app.screen
        assert isinstance(page, DetailScreen)
        assert page.location.item_id == "putin"
        assert progress.seen == {"section-1", "putin"}


class SlowView(Static, can_focus=True):
    """A view that says it is being built for a key, and never takes focus."""


class HoldingApp(App[int]):
    def __init__(self) -> None:
        super().__init__()
        self.seen_keys: list[str] = []
        self.key_hold = KeyHold(self, self._send_again)
        self.view = SlowView("slow")

    def compose(self) -> ComposeResult:
        yield self.view

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key):
            await super().on_event(event)
        elif not self.key_hold.keep(event):
            with self.key_hold.handling(event):
                await super().on_event(event)

    async def _send_again(self, key: events.Key) -> None:
        await self.on_event(events.Key(key.key, key.character))

    def on_key(self, event: events.Key) -> None:
        self.seen_keys.append(event.key)
        if event.key == "o":
            self.key_hold.opened(self.view, dialog=False)


async def test_keys_wait_for_a_view_that_is_slow_to_build_no_longer_than_the_limit() -> None:
    app = HoldingApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.set_focus(app.view)
        await pilot.pause()
        burst(app, "o", "a", "b")
        await pilot.pause()
        assert app.seen_keys == ["o"] and app.key_hold.holding
        assert await wait_for(pilot, lambda: app.seen_keys == ["o", "a", "b"], HOLD_SECONDS * 4)
        assert not app.key_hold.holding


async def test_a_burst_over_the_welcome_back_offer_declines_it_once() -> None:
    progress = Progress()
    progress.remember_position(Position("actors", "hirohito", None))
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, ContinueScreen))
        burst(app, "3", "j", "j")
        assert await wait_for(pilot, lambda: app.main.pane("actors").current_id == "hirohito")
        assert isinstance(app.screen, MainScreen)
        assert app.screen_stack[-1] is app.main


# --- the footer tells the truth ---------------------------------------------------------
Setup = Callable[[Pilot[int], ThawApp], Awaitable[None]]


def keys_then(*keys: str) -> Setup:
    async def setup(pilot: Pilot[int], app: ThawApp) -> None:
        await press(pilot, *keys)

    return setup


async def offer(pilot: Pilot[int], app: ThawApp) -> None:
    assert await wait_for(pilot, lambda: isinstance(app.screen, ContinueScreen))


PLACES: dict[str, tuple[str, Setup]] = {
    # place: (progress: "none" / "some" / "all", how to get there)
    **{f"{pane.title} pane": ("some", keys_then(PANE_KEYS[pane.id])) for pane in PANES},
    "actors pane, only unseen": ("some", keys_then("3", "o")),
    "threads pane": ("some", keys_then(THREADS_KEY)),
    "threads pane, all seen": ("all", keys_then(THREADS_KEY)),
    "filter box": ("none", keys_then("2", "slash", "s")),
    "filter applied": ("none", keys_then("2", "slash", "s", "enter")),
    "item page": ("none", keys_then("4", "enter")),
    "item page, forward": ("none", keys_then("4", "enter", "1", "escape")),
    "thread's steps": ("some", keys_then(THREADS_KEY, "enter")),
    "step page": ("none", keys_then(THREADS_KEY, "enter", "j", "enter")),
    "page from a step": ("none", keys_then(THREADS_KEY, "enter", "j", "enter", "1")),
    "help": ("none", keys_then("question_mark")),
    "confirmation": ("none", keys_then("4", "M")),
    "fact checks": ("none", keys_then("f")),
    "welcome back": ("some", offer),
}


def progress_for(state: str) -> Progress:
    progress = Progress()
    if state == "some":
        progress.mark(["section-1", "abe", "mofa"])
        progress.remember_position(Position("actors", "abe", None))
    elif state == "all":
        from support.sample_pack import sample_pack

        progress.mark(list(sample_pack().items))
    return progress


async def shown_keys(state: str, setup: Setup) -> list[tuple[str, str]]:
    app = make_app(progress=progress_for(state))
    async with app.run_test(size=(120, 30)) as pilot:
        await setup(pilot, app)
        await pilot.pause()
        bars = app.screen.query(KeyBar)
        if not bars:  # (dialogs show their keys in words)
            return []
        return [(b.key.split(",")[0], b.description) for b in bars.first().shown_bindings()]


async def key_acts(state: str, setup: Setup, key: str) -> bool:
    app = make_app(progress=progress_for(state))
    async with app.run_test(size=(120, 30)) as pilot:
        await setup(pilot, app)
        await pilot.pause()
        before, told = screen_text(app), len(notifications(app))
        await pilot.press(key)

        def acted() -> bool:
            if not app.is_running:
                return True  # q: the reader quit
            return screen_text(app) != before or len(notifications(app)) > told

        return await wait_for(pilot, acted, timeout=1.0)


@pytest.mark.parametrize("place", list(PLACES))
async def test_every_key_the_footer_shows_does_something_visible(place: str) -> None:
    state, setup = PLACES[place]
    keys = await shown_keys(state, setup)
    dead = [f"{key} ({what})" for key, what in keys if not await key_acts(state, setup, key)]
    assert not dead, f"in {place}, shown but doing nothing: {', '.join(dead)}"


# --- single promises --------------------------------------------------------------------
async def test_ctrl_c_quits_even_from_the_filter_box() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "slash", "a")
        assert isinstance(app.focused, FilterBox)
        await pilot.press("ctrl+c")
        assert await wait_for(pilot, lambda: not app.is_running)


async def test_the_palettes_keys_command_opens_the_key_list() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        keys = [c for c in app.get_system_commands(app.screen) if c.title == "Keys"]
        assert len(keys) == 1
        keys[0].callback()
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert not app.screen.query("HelpPanel")


async def test_the_palettes_screenshot_says_where_it_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shots = [c for c in app.get_system_commands(app.screen) if c.title == "Screenshot"]
        assert len(shots) == 1
        shots[0].callback()
        await pilot.pause()
        saved = list(tmp_path.glob("*.svg"))
        assert len(saved) == 1 and "Thawing" in saved[0].read_text("utf-8")
        assert f"Screenshot saved: {saved[0]}" in notifications(app)
        gone = tmp_path / "gone"
        gone.mkdir()
        monkeypatch.chdir(gone)
        gone.rmdir()  # a folder that no longer exists: nowhere to save
        shots[0].callback()
        await pilot.pause()
        assert any(m.startswith("Could not save a screenshot here") for m in notifications(app))


async def test_the_peek_goes_when_the_page_changes() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "4", "enter", "i")
        assert len(notifications(app)) == 1  # the first link's summary
        await press(pilot, "1")
        assert notifications(app) == []
        await press(pilot, "i", "escape")
        assert notifications(app) == []


async def test_o_hides_read_items_at_once_but_the_one_under_the_cursor() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "2", "enter", "escape", "j", "enter", "escape")  # two read
        timeline = app.main.pane("timeline")
        assert timeline.current_id == "abe-putin-talks"
        await press(pilot, "o")
        assert sorted(timeline.visible_ids()) == [
            "abe-putin-talks",
            "island-drills",
            "japan-sanctions",
        ]
        assert "3 of 4 shown (only unseen)" in screen_text(app)
        await press(pilot, "o")
        assert len(timeline.visible_ids()) == 4
        await press(pilot, "3", "o")  # nothing read here yet: the line says so all the same
        assert "6 of 6 shown (only unseen)" in screen_text(app)


async def test_a_link_from_a_step_keeps_the_thread_and_n_p_go_on_from_that_step() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, THREADS_KEY, "enter", "j", "enter")  # step 2: Abe and Putin meet
        page = app.screen
        assert isinstance(page, DetailScreen)
        assert "Step 2 of 6 in Why the thaw stalled" in screen_text(app)
        await press(pilot, "1")  # a link from the step: Shinzo Abe
        assert page.location.item_id == "abe"
        assert "From step 2 of 6 in Why the thaw stalled" in screen_text(app)
        assert page.check_action("previous", ()) is True
        assert progress.position == Position("threads", "abe", STALLED.id)
        await press(pilot, "n")  # on from step 2
        assert page.location.item_id == "section-2"
        assert "Step 3 of 6" in screen_text(app)
        await press(pilot, "p", "p")  # stepping: in place
        assert page.location.item_id == "section-1"
        await press(pilot, "escape")  # back to the page the step was left from
        assert page.location.item_id == "abe"
        await press(pilot, "p")  # from step 2 again
        assert page.location.item_id == "section-1"
        await press(pilot, "escape", "escape", "escape")  # abe, step 2, the steps
        assert isinstance(app.screen, ThreadScreen)


async def test_last_read_is_the_last_page_looked_at_not_one_passed_on_the_way_back() -> None:
    progress = Progress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "1", "escape", "escape")
        assert progress.position == Position("story", "abe", None)


async def test_typing_a_flag_into_the_filter_keeps_the_row_as_wide_as_the_others() -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await press(pilot, "3", "slash")
        burst(app, "🇯", "🇵")
        app.post_message(events.Paste("Путин🇯🇵"))
        box = app.focused
        assert isinstance(box, FilterBox)
        assert await wait_for(pilot, lambda: box.value == "Путин")
        assert app.main.pane("actors").visible_ids() == ["putin"]


async def test_reset_from_the_palette_counts_seen_items_as_the_header_does() -> None:
    progress = Progress()
    progress.mark(["abe", "putin", "an-item-no-longer-in-the-pack"])
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "2/" in screen_text(app).splitlines()[0]
        app.action_reset_progress()
        question = "Forget all your progress (2 items seen)?"
        assert await wait_for(pilot, lambda: question in screen_text(app)), screen_text(app)
