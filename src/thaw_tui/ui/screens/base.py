"""What the reader's screens share: `ReaderScreen` for pages, `Dialog` for questions.

The app holds the keys typed while one of these opens, until it takes keys
(see `ui/key_hold.py`); other screens (Textual's palette) are left as Textual made them.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen, Screen

from thaw_tui.pack.model import Pack
from thaw_tui.progress import Progress
from thaw_tui.ui.key_hold import screen_shown

ResultT = TypeVar("ResultT")


class ReaderScreen(Screen[None]):
    """A page of the reader, drawn from the pack and progress it is given."""

    def __init__(self, pack: Pack, progress: Progress) -> None:
        super().__init__()
        self.pack = pack
        self.progress = progress

    def refresh_seen(self, item_ids: list[str] | None) -> None:
        """Redraw seen marks for these items (None: all may have changed)."""

    def on_screen_resume(self) -> None:
        screen_shown(self)


class Dialog(ModalScreen[ResultT]):
    """A box over the page: keys typed before it was shown never reach it."""

    def on_screen_resume(self) -> None:
        screen_shown(self)
