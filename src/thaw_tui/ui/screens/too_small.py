"""Shown instead of everything else while the terminal is too small to read in."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH = 40
MIN_HEIGHT = 12


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "app.quit", "Quit")]
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen Static { width: 100%; height: auto; text-align: center; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="message")

    def on_resize(self) -> None:
        self.query_one("#message", Static).update(
            Text(
                f"thaw needs at least {MIN_WIDTH}x{MIN_HEIGHT}; this terminal is "
                f"{self.size.width}x{self.size.height}. Make it larger (80x24 is best), "
                "or press q to quit."
            )
        )
