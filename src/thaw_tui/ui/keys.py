"""Bindings several screens share, and key sets read from bindings.

A screen binds these rather than repeating their keys, so a key means the same on
every screen, and code that needs a set of keys reads it from the bindings.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding, BindingType
from textual.keys import format_key

from thaw_tui.ui.glyphs import g

# Open what the cursor is on: the item of a pane, a thread's step, a page's link. The
# screen binds it, not the list, so that opening a page happens while its key is
# handled (and the keys typed after it wait for the page: see `key_hold`).
OPEN_KEYS = "enter,l,right"
# Back to where the reader came from: the previous page, or the list. `q` too, one level
# at a time as in newsboat (it quits only from the main screen; `Q` quits anywhere).
BACK_BINDING = Binding("q,backspace,escape,h,left", "back", "Back", id="back")
# Forward through the history, on the main screen, an item page and a thread.
FORWARD_BINDING = Binding(
    "right_square_bracket,L,alt+right", "forward", "Forward", id="forward", show=False
)


# Keys as the key bar and `?` name them: a key cap's own word, never an abbreviation
# ("pgdn", "^p"); in ASCII, words for the arrows and Enter too.
KEY_NAMES = {
    "escape": "Esc",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "delete": "Delete",
    "space": "Space",
    "home": "Home",
    "end": "End",
    "tab": "Tab",
}
ASCII_KEY_NAMES = {
    "enter": "Enter",
    "backspace": "Backspace",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
}


def key_display(binding: Binding) -> str:
    """ "Ctrl+P", "Esc", "⏎" (or "Enter" in ASCII): how a binding's key is shown."""
    if binding.key_display:
        return binding.key_display
    modifiers, key = binding.parse_key()
    name = KEY_NAMES.get(key) or (None if g().unicode else ASCII_KEY_NAMES.get(key))
    if name is None:
        name = format_key(key)
        if modifiers and len(name) == 1:
            name = name.upper()
    return "+".join([*(modifier.capitalize() for modifier in modifiers), name])


def open_binding(description: str) -> Binding:
    return Binding(OPEN_KEYS, "open", description, id="open")


def binding_keys(bindings: Iterable[BindingType], *actions: str) -> frozenset[str]:
    """Every key these bindings bind (only those of `actions`, when given)."""
    return frozenset(
        binding.key
        for binding in Binding.make_bindings(bindings)
        if not actions or binding.action in actions
    )
