"""Bindings several screens share, and key sets read from bindings.

Code that must recognise a key before its binding runs (see `BurstSafe`) takes
the keys from the bindings here rather than repeating their strings.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding, BindingType

# Forward through the history, on the main screen, an item page and a thread.
FORWARD_BINDING = Binding(
    "right_square_bracket,L,alt+right", "forward", "Forward", id="forward", show=False
)


def binding_keys(bindings: Iterable[BindingType], *actions: str) -> frozenset[str]:
    """Every key these bindings bind (only those of `actions`, when given)."""
    return frozenset(
        binding.key
        for binding in Binding.make_bindings(bindings)
        if not actions or binding.action in actions
    )


FORWARD_KEYS = binding_keys([FORWARD_BINDING])
