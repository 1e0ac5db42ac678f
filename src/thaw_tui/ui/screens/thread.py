"""A thread's steps in order, with seen marks; Enter or `c` follows it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from thaw_tui.navigation import History, Location
from thaw_tui.pack.model import Pack, Thread
from thaw_tui.progress import Progress
from thaw_tui.ui.glyphs import g
from thaw_tui.ui.keys import BACK_BINDING, FORWARD_BINDING, open_binding
from thaw_tui.ui.pane_specs import THREADS_PANE
from thaw_tui.ui.progress_actions import (
    confirm_mark_seen,
    first_unseen_step,
    toggle_seen,
    undo_last,
)
from thaw_tui.ui.rows import Columns, Row, compose_row, seen_glyph, thread_progress
from thaw_tui.ui.screens.base import ReaderScreen
from thaw_tui.ui.text import clean, one_line
from thaw_tui.ui.widgets.bars import Breadcrumb, header_for
from thaw_tui.ui.widgets.item_list import ItemList
from thaw_tui.ui.widgets.key_bar import KeyBar


class ThreadScreen(ReaderScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        open_binding("Open"),
        BACK_BINDING,
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
        super().__init__(pack, progress)
        self.thread = thread
        self.history = History(f"{THREADS_PANE.title}{g().crumb}{one_line(thread.title)}")
        self._cursor: int | None = None  # the step to highlight once the list is built

    def compose(self) -> ComposeResult:
        yield header_for(self.pack, self.progress)
        yield Breadcrumb()
        yield Static(id="thread-about")
        yield ItemList(id="steps")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Breadcrumb).parts = (THREADS_PANE.title, one_line(self.thread.title))
        self.refresh_seen(None)
        steps = self.query_one("#steps", ItemList)
        if self._cursor is not None:
            steps.cursor = self._cursor
        steps.focus()

    def step_rows(self) -> list[Row]:
        """Each step in columns the list lays out as it draws them: the title gets the
        width the kind beside it can spare, and the two never run together."""
        rows = []
        items = [self.pack.items[step] for step in self.thread.steps if step in self.pack.items]
        for number, item in enumerate(items, 1):
            prefix = Text(no_wrap=True, end="")
            prefix.append(f"{seen_glyph(self.progress.is_seen(item.id))} {number:>2}. ")
            columns = Columns(prefix, one_line(item.title), item.kind.label)
            rows.append(Row(compose_row(columns, 0), item.id, one_line(item.title), columns))
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
        """Open a step's page (the steps are under it, their cursor on that step)."""
        from thaw_tui.ui.screens.detail import Origin, push_detail

        if self.is_mounted:
            self.query_one("#steps", ItemList).cursor = step
        else:
            self._cursor = step  # (opened with the steps, before they were built)
        self.history.restart(self.history.root)
        self.history.visit(Location(self.thread.steps[step], self.thread.id, step))
        origin = Origin(self.history.root, THREADS_PANE.id, self.thread.steps)
        push_detail(self.app, self.pack, self.progress, self.history, origin)

    def action_open(self) -> None:
        cursor = self.query_one("#steps", ItemList).cursor
        if cursor is not None:
            self.open_step(cursor)

    @on(ItemList.Chosen, "#steps")
    def _chosen(self, event: ItemList.Chosen) -> None:
        """A step was double-clicked."""
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that can do nothing here are neither shown nor run."""
        if action == "forward":
            return self.history.can_forward
        if action in ("open", "toggle_seen") and self.is_mounted:
            return self.query_one("#steps", ItemList).current_id is not None
        return True

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
