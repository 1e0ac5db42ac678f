"""Back/forward history for the reader, like a browser's. No Textual here.

The history starts at a pane (the list the reader opened something from). Each
`visit` adds a location after the current one and drops anything "forward" of it;
`back` and `forward` move through what was visited. Index -1 means "at the pane".
"""

from __future__ import annotations

from msgspec import Struct


class Location(Struct, frozen=True):
    """One page of the reader: an item, optionally as a step of a thread."""

    item_id: str
    thread_id: str | None = None
    step: int | None = None  # 0-based index into the thread's steps


class History:
    def __init__(self, root: str = "") -> None:
        self.root = root
        self._entries: list[Location] = []
        self._index = -1

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def current(self) -> Location | None:
        """Where the reader is, or None when back at the pane."""
        return self._entries[self._index] if self._index >= 0 else None

    @property
    def can_back(self) -> bool:
        return self._index >= 0

    @property
    def can_forward(self) -> bool:
        return self._index < len(self._entries) - 1

    def visit(self, location: Location) -> Location:
        """Go somewhere new: it becomes current and the forward part is dropped."""
        del self._entries[self._index + 1 :]
        self._entries.append(location)
        self._index += 1
        return location

    def back(self) -> Location | None:
        """Step back; returns the new current location (None: back at the pane)."""
        if self.can_back:
            self._index -= 1
        return self.current

    def forward(self) -> Location | None:
        """Step forward again; returns the new current location (None if none)."""
        if not self.can_forward:
            return None
        self._index += 1
        return self.current

    def trail(self) -> list[Location]:
        """The path from the pane to the current location, for the breadcrumb."""
        return self._entries[: self._index + 1]

    def restart(self, root: str) -> None:
        """Forget everything and start again from another pane."""
        self.root = root
        self._entries.clear()
        self._index = -1
