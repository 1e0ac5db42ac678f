"""The Threads pane: each thread with a progress bar and x/y; rows are thread ids."""

from __future__ import annotations

from rich.text import Text

from thaw_tui.pack.model import Thread
from thaw_tui.ui.rows import Row, thread_preview, thread_row
from thaw_tui.ui.text import one_line
from thaw_tui.ui.widgets.list_pane import ListPane


class ThreadsPane(ListPane):
    def build_rows(self) -> list[Row]:
        # Bars and counts padded alike, so the titles after them line up (4/43, 0/8).
        counts = [len(str(len(thread.steps))) for thread in self.pack.threads]
        width = max(counts, default=1)
        return [
            thread_row(thread, self.done(thread), count_width=width) for thread in self.pack.threads
        ]

    def refresh_seen(self, item_ids: list[str] | None = None) -> None:
        # Any item may be a step of any thread: recount them all (there are few threads).
        super().refresh_seen(None)

    def preview(self, item_id: str) -> Text:
        return thread_preview(self.pack, self.thread(item_id), self.progress.is_seen)

    def summary(self, item_id: str) -> str:
        return one_line(self.thread(item_id).summary)

    def text_of(self, item_id: str) -> str:
        """A thread is found by the titles of its steps too."""
        steps = (self.pack.items.get(step) for step in self.thread(item_id).steps)
        return " ".join(one_line(item.title) for item in steps if item is not None)

    def is_done(self, item_id: str) -> bool:
        thread = self.thread(item_id)
        return self.done(thread) == len(thread.steps)

    def thread(self, thread_id: str) -> Thread:
        thread = self.pack.thread(thread_id)
        assert thread is not None
        return thread

    def done(self, thread: Thread) -> int:
        return self.progress.count_seen(thread.steps)
