"""App-wide messages: screens post these up; the app brings every view up to date."""

from __future__ import annotations

from textual.message import Message


class ProgressChanged(Message):
    """Seen state changed for these items (None: possibly all of them)."""

    def __init__(self, item_ids: list[str] | None) -> None:
        super().__init__()
        self.item_ids = item_ids


class ReadingMoved(Message):
    """A page went on to an item of another pane (`n` past a pane's last unseen item):
    the list underneath should show that pane, its cursor on that item."""

    def __init__(self, pane_id: str, item_id: str) -> None:
        super().__init__()
        self.pane_id = pane_id
        self.item_id = item_id
