"""On start: offer to continue where the reader left off."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ContinueScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,c,y", "answer(True)", "Continue"),
        Binding("escape,n", "answer(False)", "Not now"),
    ]
    DEFAULT_CSS = """
    ContinueScreen { align: center bottom; }
    ContinueScreen > Vertical {
        width: 70; max-width: 100%; height: auto; margin-bottom: 2;
        border: round $primary; background: $panel; padding: 0 1;
    }
    ContinueScreen #keys { color: $text-muted; }
    """

    def __init__(self, description: str) -> None:
        super().__init__()
        self.description = description

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Welcome back. Continue where you left off?", style="bold"))
            yield Static(Text(self.description), id="where")
            yield Static(Text("Enter  continue     Esc  not now"), id="keys")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
