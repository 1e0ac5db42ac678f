"""The map, opened from an item's page (`w`): zoomed in on the item, its marker chosen.

Back (Esc, Backspace) returns to the page. Enter on another marker opens that item,
as following a link would: its page is visited, and Back from it returns to the page
the map was opened from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from thaw_tui.pack.model import Pack
from thaw_tui.progress import Progress
from thaw_tui.ui.screens.base import ReaderScreen
from thaw_tui.ui.text import one_line
from thaw_tui.ui.widgets.bars import header_for
from thaw_tui.ui.widgets.key_bar import KeyBar
from thaw_tui.ui.widgets.map_panel import MapPanel


class MapScreen(ReaderScreen):
    # Not the shared back and open keys: on a map, h and ← move west, l and → east.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape,backspace", "back", "Back", id="back"),
        Binding("enter", "open", "Open", id="open"),
    ]
    DEFAULT_CSS = """
    MapScreen > #map-title { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(
        self,
        pack: Pack,
        progress: Progress,
        item_id: str,
        on_open: Callable[[str], None],
    ) -> None:
        super().__init__(pack, progress)
        self.item_id = item_id
        self.on_open = on_open

    def compose(self) -> ComposeResult:
        yield header_for(self.pack, self.progress)
        title = one_line(self.pack.items[self.item_id].title)
        yield Static(Text(f"On the map: {title}", no_wrap=True), id="map-title")
        yield MapPanel(self.pack, self.progress, item_id=self.item_id, id="map-panel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.panel.focus_map()

    @property
    def panel(self) -> MapPanel:
        return self.query_one("#map-panel", MapPanel)

    def action_back(self) -> None:
        self.dismiss()

    def action_open(self) -> None:
        chosen = self.panel.current_id
        self.dismiss()
        if chosen is not None and chosen != self.item_id:
            self.on_open(chosen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return self.panel.current_id is not None if self.is_mounted else True
        return True

    def refresh_seen(self, item_ids: list[str] | None) -> None:
        self.panel.refresh_seen()
