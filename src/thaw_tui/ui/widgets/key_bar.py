"""The bottom line: the keys that apply right now, from the active bindings.

Textual's Footer builds a widget per key and recomposes on every focus or
screen change, which costs more than a page turn should; this draws one line
of text from the same bindings, so it is always as current as the Footer.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom; height: 1;
        background: $footer-background; color: $footer-description-foreground;
        & > .key-bar--key { color: $footer-key-foreground; text-style: bold; }
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        seen_actions: set[str] = set()
        text = Text(no_wrap=True, overflow="crop", end="")
        palette = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.action == "command_palette" and self.app.ENABLE_COMMAND_PALETTE:
                palette = binding
                continue
            if not binding.show or not enabled or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            text.append(" " + self.app.get_key_display(binding), style=key_style)
            text.append(f" {binding.description} ")
        if palette is not None:
            right = Text(no_wrap=True, end="")
            right.append(self.app.get_key_display(palette), style=key_style)
            right.append(" Find ")
            room = self.size.width - cell_len(right.plain)
            if cell_len(text.plain) > room:
                text.truncate(max(0, room - 1), overflow="crop")
                text.append("…")
            text.pad_right(max(0, room - cell_len(text.plain)))
            text.append_text(right)
        return text
