"""Every fact-check note in the pack on one screen; Enter opens the item that has it.

The list has one row per item with notes; the block under it shows the notes of the
highlighted row in full, so a reader can go through them all without leaving.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from thaw_tui.navigation import History, Location
from thaw_tui.pack.model import Pack
from thaw_tui.progress import Progress
from thaw_tui.ui.keys import BACK_BINDING, open_binding
from thaw_tui.ui.page_text import fact_check_heading, fact_check_text
from thaw_tui.ui.rows import Row, fact_check_glyph, fact_check_row
from thaw_tui.ui.screens.base import ReaderScreen
from thaw_tui.ui.text import one_line
from thaw_tui.ui.widgets.bars import Breadcrumb, header_for
from thaw_tui.ui.widgets.item_list import ItemList
from thaw_tui.ui.widgets.key_bar import KeyBar

TITLE = "Fact checks"


class FactChecksScreen(ReaderScreen):
    BINDINGS: ClassVar[list[BindingType]] = [open_binding("Open"), BACK_BINDING]
    DEFAULT_CSS = """
    FactChecksScreen #fact-checks-about { padding: 1 1 0 1; height: auto; }
    FactChecksScreen #fact-check-items { margin-top: 1; height: 1fr; }
    FactChecksScreen #fact-check-note {
        height: auto; max-height: 60%; overflow-y: auto;
        margin: 1 1 0 1; padding: 0 1;
        border: round $warning; border-title-align: left; border-title-style: bold;
    }
    """

    def __init__(self, pack: Pack, progress: Progress, pane_id: str) -> None:
        super().__init__(pack, progress)
        self.pane_id = pane_id  # the main screen's pane, kept as the reader's position
        self.noted = [item.id for item in pack.fact_checked()]
        self.history = History(TITLE)

    def compose(self) -> ComposeResult:
        yield header_for(self.pack, self.progress)
        yield Breadcrumb()
        yield Static(id="fact-checks-about")
        yield ItemList(id="fact-check-items")
        yield Static(id="fact-check-note")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Breadcrumb).parts = (TITLE,)
        notes = sum(len(self.pack.items[item_id].fact_checks) for item_id in self.noted)
        about = Text()
        if notes:
            about.append(
                f"{notes} {'note' if notes == 1 else 'notes'} on {len(self.noted)} "
                f"{'item' if len(self.noted) == 1 else 'items'}: where the article slips or "
                "simplifies, what the sources say. Enter opens the item."
            )
        else:
            about.append("This pack has no fact-check notes.")
        self.query_one("#fact-checks-about", Static).update(about)
        self.refresh_seen(None)
        items = self.query_one("#fact-check-items", ItemList)
        self.show_note(items.current_id)
        items.focus()

    def rows(self) -> list[Row]:
        return [
            fact_check_row(self.pack, self.pack.items[item_id], seen=self.progress.is_seen(item_id))
            for item_id in self.noted
        ]

    def refresh_seen(self, item_ids: list[str] | None) -> None:
        self.query_one("#fact-check-items", ItemList).set_rows(self.rows())

    def show_note(self, item_id: str | None) -> None:
        note = self.query_one("#fact-check-note", Static)
        item = self.pack.items.get(item_id or "")
        note.display = item is not None
        if item is not None:
            # A Text, not a str: a str border title would be read as markup.
            note.border_title = Text(f"{fact_check_heading(item)}: {one_line(item.title)}")
            note.update(fact_check_text(self.pack, item, numbered=False))

    @on(ItemList.Highlighted, "#fact-check-items")
    def _highlighted(self, event: ItemList.Highlighted) -> None:
        event.stop()
        self.show_note(event.item_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open" and self.is_mounted:
            return self.query_one("#fact-check-items", ItemList).current_id is not None
        return True

    def action_open(self) -> None:
        item_id = self.query_one("#fact-check-items", ItemList).current_id
        if item_id is not None:
            self.open_item(item_id)

    @on(ItemList.Chosen, "#fact-check-items")
    def _chosen(self, event: ItemList.Chosen) -> None:
        """A row was double-clicked."""
        event.stop()
        self.open_item(event.item_id)

    def open_item(self, item_id: str) -> None:
        from thaw_tui.ui.screens.detail import Origin, push_detail

        self.history.restart(TITLE)
        self.history.visit(Location(item_id))
        origin = Origin(f"{fact_check_glyph()} {TITLE}", self.pane_id, tuple(self.noted))
        push_detail(self.app, self.pack, self.progress, self.history, origin)

    def action_back(self) -> None:
        self.dismiss()
