"""A thread's steps in order, with seen marks; Enter or `c` follows it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Key
from textual.screen import Screen
from textual.widgets import Static

from thaw_tui.navigation import History, Location
from thaw_tui.pack.model import Pack, Thread
from thaw_tui.progress import Progress
from thaw_tui.ui.keys import FORWARD_BINDING, binding_keys
from thaw_tui.ui.pane_specs import THREADS_PANE
from thaw_tui.ui.progress_actions import (
    confirm_mark_seen,
    first_unseen_step,
    toggle_seen,
    undo_last,
)
from thaw_tui.ui.rows import Row, seen_glyph, thread_progress, title_column
from thaw_tui.ui.screens.base import BurstSafe, ShowsProgress
from thaw_tui.ui.text import clean, fit, one_line
from thaw_tui.ui.widgets.bars import Breadcrumb, header_for
from thaw_tui.ui.widgets.item_list import ItemList
from thaw_tui.ui.widgets.key_bar import KeyBar


class ThreadScreen(ShowsProgress, BurstSafe, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("backspace,escape,h,left", "back", "Back"),
        Binding("c,n", "continue", "Continue"),
        Binding("m", "toggle_seen", "Seen"),
        Binding("u", "undo", "Undo", show=False),
        Binding("M", "mark_thread_seen", "Mark thread seen"),
        FORWARD_BINDING,
    ]
    DEFAULT_CSS = """
    ThreadScreen #thread-about { padding: 1 1 0 1; height: auto; }
    ThreadScreen #steps { margin-top: 1; }
    """

    def __init__(self, pack: Pack, progress: Progress, thread: Thread) -> None:
        super().__init__()
        self.pack = pack
        self.progress = progress
        self.thread = thread
        self.history = History(f"{THREADS_PANE.title} › {one_line(thread.title)}")

    def compose(self) -> ComposeResult:
        yield header_for(self.pack, self.progress)
        yield Breadcrumb()
        yield Static(id="thread-about")
        yield ItemList(id="steps")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.burst_resumed()

    def on_key(self, event: Key) -> None:
        self.catch_burst(event)

    def replaces_screen(self, event: Key) -> bool:
        return event.key in REPLACING_KEYS

    def on_mount(self) -> None:
        self.query_one(Breadcrumb).parts = (THREADS_PANE.title, one_line(self.thread.title))
        self.refresh_seen(None)
        self.query_one("#steps", ItemList).focus()

    def step_rows(self) -> list[Row]:
        rows = []
        items = [self.pack.items[step] for step in self.thread.steps if step in self.pack.items]
        width = title_column(items) + 2
        for number, item in enumerate(items, 1):
            step = item.id
            text = Text(no_wrap=True, overflow="ellipsis", end="")
            text.append(f"{seen_glyph(self.progress.is_seen(step))} {number:>2}. ")
            text.append(fit(one_line(item.title), width))
            text.append(item.kind.label, style="dim")
            rows.append(Row(text, step, one_line(item.title)))
        return rows

    def refresh_seen(self, item_ids: list[str] | None) -> None:
        done = self.progress.count_seen(self.thread.steps)
        about = Text()
        about.append(clean(self.thread.summary).strip() + "\n")
        about.append(thread_progress(done, len(self.thread.steps)) + " seen", style="bold")
        self.query_one("#thread-about", Static).update(about)
        self.query_one("#steps", ItemList).set_rows(self.step_rows())

    # --- following ---------------------------------------------------------------------
    def open_step(self, step: int) -> None:
        from thaw_tui.ui.screens.detail import Origin, push_detail

        steps = self.query_one("#steps", ItemList)
        steps.cursor = step
        self.history.restart(self.history.root)
        self.history.visit(Location(self.thread.steps[step], self.thread.id, step))
        origin = Origin(self.history.root, THREADS_PANE.id, self.thread.steps)
        push_detail(self.app, self.pack, self.progress, self.history, origin)

    @on(ItemList.Chosen, "#steps")
    def _chosen(self, event: ItemList.Chosen) -> None:
        event.stop()
        cursor = event.item_list.cursor
        if cursor is not None:
            self.open_step(cursor)

    def action_continue(self) -> None:
        step = first_unseen_step(self.thread, self.progress.is_seen)
        if step is None:
            self.notify(f"Every step of {one_line(self.thread.title)} is seen.", markup=False)
        else:
            self.open_step(step)

    def action_back(self) -> None:
        self.dismiss()

    def action_forward(self) -> None:
        from thaw_tui.ui.screens.detail import Origin, push_detail

        if not self.history.can_forward:
            self.notify("Nothing to go forward to.", timeout=2)
            return
        self.history.forward()
        origin = Origin(self.history.root, THREADS_PANE.id, self.thread.steps)
        push_detail(self.app, self.pack, self.progress, self.history, origin)

    def action_toggle_seen(self) -> None:
        step = self.query_one("#steps", ItemList).current_id
        if step is None:
            return
        toggle_seen(self, self.progress, self.pack, step)

    def action_undo(self) -> None:
        undo_last(self, self.progress, self.pack)

    def action_mark_thread_seen(self) -> None:
        unseen = [s for s in self.thread.steps if not self.progress.is_seen(s)]
        if not unseen:
            self.notify("Every step is already seen.", timeout=3)
            return
        title = one_line(self.thread.title)
        question = f"Mark all {len(unseen)} unseen steps of {title} as seen?"
        confirm_mark_seen(self, self.progress, unseen, question, "steps")


# Keys that open a step or close this screen (see `BurstSafe`).
REPLACING_KEYS = binding_keys(ItemList.BINDINGS, "choose") | binding_keys(
    ThreadScreen.BINDINGS, "back", "continue"
)
