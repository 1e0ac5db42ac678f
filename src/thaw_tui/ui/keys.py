"""Bindings several screens share, and key sets read from bindings.

A screen binds these rather than repeating their keys, so a key means the same on
every screen, and code that needs a set of keys reads it from the bindings.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding, BindingType

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


def open_binding(description: str) -> Binding:
    return Binding(OPEN_KEYS, "open", description, id="open")


def binding_keys(bindings: Iterable[BindingType], *actions: str) -> frozenset[str]:
    """Every key these bindings bind (only those of `actions`, when given)."""
    return frozenset(
        binding.key
        for binding in Binding.make_bindings(bindings)
        if not actions or binding.action in actions
    )
