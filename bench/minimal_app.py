"""A minimal Textual app: the baseline that `thaw`'s first paint and key latency are
compared with in `bench_ui.py`.

It shows one line of text and a short list that `j`/`k` move through, so the same
keys can be timed here and in thaw. Run it directly: `python bench/minimal_app.py`.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static

READY_TEXT = "Minimal app ready"


class MinimalApp(App[None]):
    CSS = "OptionList { height: 1fr; }"
    BINDINGS = [
        Binding("j", "cursor_down", "Down"),
        Binding("k", "cursor_up", "Up"),
        Binding("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(READY_TEXT)
        yield OptionList(*(f"Option {number}" for number in range(1, 41)))

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()


if __name__ == "__main__":
    MinimalApp().run()
