"""App-wide messages: screens post these up; the app brings every view up to date."""

from __future__ import annotations

from textual.message import Message


class ProgressChanged(Message):
    """Seen state changed for these items (None: possibly all of them)."""

    def __init__(self, item_ids: list[str] | None) -> None:
        super().__init__()
        self.item_ids = item_ids
