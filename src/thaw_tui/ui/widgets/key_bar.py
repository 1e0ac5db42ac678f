"""The bottom line: the keys that apply right now, from the active bindings.

Textual's Footer builds a widget per key and recomposes on every focus or
screen change, which costs more than a page turn should; this draws one line
of text from the same bindings, so it is always as current as the Footer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.widget import Widget

Entry = tuple[str, str]  # (key as shown, what it does)
ESSENTIAL_ACTIONS = {"help", "quit"}  # always shown: the list of keys, and the way out


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
        keys, essential, palette = self._entries()
        right = Text(no_wrap=True, end="")
        if palette is not None:
            right.append(palette, style=key_style)
            right.append(" Find ")
        # Too narrow for every key: drop the least important ones (the last) whole,
        # never half a key, and never the way to the key list or out.
        room = self.size.width - cell_len(right.plain)
        while keys and _width(keys + essential) > room:
            keys.pop()
        text = Text(no_wrap=True, overflow="crop", end="")
        for key, description in keys + essential:
            text.append(" " + key, style=key_style)
            text.append(f" {description} ")
        text.pad_right(max(0, room - cell_len(text.plain)))
        text.append_text(right)
        text.truncate(self.size.width, overflow="crop")
        return text

    def shown_bindings(self) -> list[Binding]:
        """The bindings this bar shows (when wide enough), in order: each enabled one
        marked to be shown, once per action. The palette's key is drawn apart."""
        return self._shown(self.screen.active_bindings.values())

    @staticmethod
    def _shown(active: Iterable[ActiveBinding]) -> list[Binding]:
        shown: list[Binding] = []
        seen_actions: set[str] = set()
        for _node, binding, enabled, _tooltip in active:
            if binding.action == "command_palette" or not binding.show or not enabled:
                continue
            if binding.action not in seen_actions:
                seen_actions.add(binding.action)
                shown.append(binding)
        return shown

    def _entries(self) -> tuple[list[Entry], list[Entry], str | None]:
        """The keys to show in binding order, the essential ones, and the palette's key."""
        keys: list[Entry] = []
        essential: list[Entry] = []
        palette = None
        # Worked out once per render: each binding's check_action runs on every call.
        active = list(self.screen.active_bindings.values())
        for _node, binding, _enabled, _tooltip in active:
            if binding.action == "command_palette" and self.app.ENABLE_COMMAND_PALETTE:
                palette = self.app.get_key_display(binding)
        for binding in self._shown(active):
            entry = (self.app.get_key_display(binding), binding.description)
            is_essential = binding.action.removeprefix("app.") in ESSENTIAL_ACTIONS
            (essential if is_essential else keys).append(entry)
        return keys, essential, palette


def _width(entries: list[Entry]) -> int:
    return sum(cell_len(f" {key} {description} ") for key, description in entries)
