"""`?`: every key, generated from the bindings themselves so it cannot go stale."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from thaw_tui.ui.screens.base import Dialog

KEY_COLUMN = 20


WAYS_IN = "ways-in"  # what the screen closes with when the reader asks for the first screen


class HelpScreen(Dialog[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close help"),
        Binding("w", "ways_in", "The first screen: ways into the article"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False),
        Binding("k,up", "scroll('up')", "Scroll up", show=False),
        Binding("space,pagedown", "scroll('page_down')", "Page down", show=False),
        Binding("b,pageup", "scroll('page_up')", "Page up", show=False),
        Binding("g,home", "scroll('home')", "Top", show=False),
        Binding("G,end", "scroll('end')", "End", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 100%; height: 90%;
        border: thick $primary; background: $panel; padding: 0 1;
    }
    """

    def __init__(self, sections: Sequence[tuple[str, Sequence[BindingType]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(self.help_text(), id="help-text")

    def help_text(self) -> Text:
        text = Text()
        text.append("Keys", style="bold underline")
        text.append("   (Esc, q or ? closes this; Ctrl+P finds anything)\n", style="dim")
        text.append("New here? w shows the first screen again: the ways into the article.\n")
        for title, bindings in self.sections:
            text.append(f"\n{title}\n", style="bold")
            for keys, description in self.key_rows(bindings):
                text.append(f"  {keys:<{KEY_COLUMN}} ", style="bold")
                text.append(f"{description}\n")
        return text

    def key_rows(self, bindings: Sequence[BindingType]) -> list[tuple[str, str]]:
        """(keys, description): keys that do the same thing share a row."""
        rows: dict[str, list[str]] = {}
        for binding in Binding.make_bindings(bindings):
            if binding.system:
                continue
            description = binding.description or binding.action
            rows.setdefault(description, []).append(self.app.get_key_display(binding))
        return [(" ".join(keys), description) for description, keys in rows.items()]

    def action_close(self) -> None:
        self.dismiss(None)

    def action_ways_in(self) -> None:
        self.dismiss(WAYS_IN)

    def action_scroll(self, where: str) -> None:
        scroller = self.query_one("#help", VerticalScroll)
        if where == "down":
            scroller.scroll_down(animate=False)
        elif where == "up":
            scroller.scroll_up(animate=False)
        elif where == "page_down":
            scroller.scroll_page_down(animate=False)
        elif where == "page_up":
            scroller.scroll_page_up(animate=False)
        elif where == "home":
            scroller.scroll_home(animate=False)
        else:
            scroller.scroll_end(animate=False)
