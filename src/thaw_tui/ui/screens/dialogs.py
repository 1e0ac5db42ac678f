"""The two questions thaw asks: confirm something big, and continue where you left off.

Both are small modal boxes answered by a key; `Question` holds what they share.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from thaw_tui.ui.keys import binding_keys
from thaw_tui.ui.screens.base import Dialog


class Question(Dialog[bool]):
    """A box of lines (all literal text) closed by `answer(True)` or `answer(False)`."""

    def lines(self) -> list[tuple[Text, str]]:
        """The box's lines as (text, widget id)."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical():
            for text, line_id in self.lines():
                yield Static(text, id=line_id)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ConfirmScreen(Question):
    """A yes/no question that must be answered before something big happens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 60; max-width: 95%; height: auto;
        border: thick $warning; background: $panel; padding: 1 2;
    }
    ConfirmScreen #question { text-style: bold; }
    ConfirmScreen #keys { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def lines(self) -> list[tuple[Text, str]]:
        lines = [(Text(self.question), "question")]
        if self.detail:
            lines.append((Text(self.detail), "detail"))
        lines.append((Text("y  yes     n / Esc  no"), "keys"))
        return lines


class ContinueScreen(Question):
    """On start: offer to continue where the reader left off.

    The offer appears a moment after the first paint (only if no key came first),
    so a reader (or a script) may start typing just as it opens: any key that is not
    an answer declines it and goes on to the main screen, as if the offer had never
    been there.
    """

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
    # Every key any binding above answers with, so nothing else declines the offer.
    ANSWER_KEYS: ClassVar[frozenset[str]] = binding_keys(BINDINGS)

    def __init__(self, description: str) -> None:
        super().__init__()
        self.description = description

    def lines(self) -> list[tuple[Text, str]]:
        return [
            (Text("Welcome back. Continue where you left off?", style="bold"), "welcome"),
            (Text(self.description), "where"),
            (Text("Enter  continue     Esc  not now"), "keys"),
        ]

    def on_key(self, event: events.Key) -> None:
        """Not an answer: close the offer at once, so that when the key reaches the app
        (it bubbles on from here) its bindings are the main screen's."""
        if event.key not in self.ANSWER_KEYS and self.is_current:
            self.dismiss(False)
