"""The one-line box that `/` opens, in a pane (the filter) and on a page (find).

It takes focus as soon as it is mounted. Its text goes to `typed` while the key that
changed it is handled, rather than in a `Changed` message handled later: what it
filters or marks changes in the same frame as the box, not in the next one (a
keystroke repaints once, within a frame). Typed or pasted text loses what terminals
draw at varying widths (`steady_width`), which would shift the line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Input

from thaw_tui.ui.text import steady_width


class TypedBox(Input):
    def __init__(self, typed: Callable[[str], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._typed = typed

    def on_mount(self) -> None:
        self.focus()

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        self._typed(value)

    def insert_text_at_cursor(self, text: str) -> None:
        steady = steady_width(text)
        if steady:
            super().insert_text_at_cursor(steady)
