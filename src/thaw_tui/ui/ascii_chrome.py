"""ASCII for what Textual draws itself (scrollbars), under a locale that is not UTF-8.

The app's own marks come from `ui/glyphs.py` and its borders from `ui/ascii.tcss`
(rules for the app's `-ascii` class); this is the rest: Textual's scrollbar draws the
ends of its thumb with eighth blocks (▁▂▃...), which a plain terminal shows as rubbish.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.scrollbar import ScrollBar, ScrollBarRender

ASCII_CLASS = "-ascii"


class AsciiScrollBarRender(ScrollBarRender):
    """A thumb of whole cells: its colour, and no block characters."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


def use_ascii_chrome(app: App[object]) -> None:
    """From now on, draw scrollbars and borders in ASCII (for the whole process, which
    is one reader's: thaw serve runs each reader in a process of its own)."""
    ScrollBar.renderer = AsciiScrollBarRender
    app.add_class(ASCII_CLASS)
