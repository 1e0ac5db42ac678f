"""On start: offer to continue where the reader left off.

The offer appears a moment after the first paint, so a reader (or a script) may
already be typing: any key that is not an answer declines it and is then handled
by the main screen, as if the offer had never been there.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

ANSWER_KEYS = {"enter", "c", "y", "escape", "n"}


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

    def on_key(self, event: events.Key) -> None:
        if event.key in ANSWER_KEYS:
            return  # the bindings answer
        event.stop()
        event.prevent_default()
        hold = getattr(self.app, "hold_keys", None)
        if hold is not None:
            hold([event])  # replayed once the main screen is back
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
