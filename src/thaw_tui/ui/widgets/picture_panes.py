"""The panes that show a picture: the Timeline (the ruler above its list), the Map and
Who did what (the matrix above the events behind it).

Each is a `ListPane`, so the main screen treats it like any other pane (keys, focus,
Enter, the reader's place). The pictures themselves are imported when a pane is first
built, which is when it is first shown: `thaw_tui.pictures` and the map data are never
loaded at start-up (tests/unit/test_startup_imports.py holds that).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Mount
from textual.timer import Timer
from textual.widgets import Input, Static

from thaw_tui.pack.model import Event, Pack
from thaw_tui.pack.relations import ACTION_LABELS, Relations, relations_of
from thaw_tui.progress import Progress
from thaw_tui.ui.glyphs import g
from thaw_tui.ui.pane_specs import PaneSpec
from thaw_tui.ui.rows import Row, heading_row, item_row, lead_column
from thaw_tui.ui.text import one_line
from thaw_tui.ui.widgets.item_list import ItemList
from thaw_tui.ui.widgets.list_pane import ListPane

# The map's keys: PanelMapView (map_panel.py) binds the first, MapPanel the second, and
# the help screen lists them from here (without importing the pictures).
MAP_VIEW_KEYS: list[BindingType] = [
    Binding("left,h", "move('left')", "Marker to the west", show=False),
    Binding("right,l", "move('right')", "Marker to the east", show=False),
    Binding("up,k", "move('up')", "Marker to the north", show=False),
    Binding("down,j", "move('down')", "Marker to the south", show=False),
    Binding("plus,equals_sign", "zoom(1)", "Zoom in"),
    Binding("minus", "zoom(-1)", "Zoom out"),
]
MAP_PANEL_KEYS: list[BindingType] = [
    Binding("r", "next_region", "Other map", id="next-region"),
]

RULER_CATCH_UP_SECONDS = 0.25  # after the last letter typed into the filter

if TYPE_CHECKING:
    from thaw_tui.ui.widgets.map_panel import MapPanel
    from thaw_tui.ui.widgets.relations_view import RelationsView
    from thaw_tui.ui.widgets.ruler_view import RulerView


class TimelinePane(ListPane):
    """The events, with the timeline ruler above them following the list's cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("z", "zoom_ruler", "Zoom ruler", id="zoom-ruler"),
    ]
    DEFAULT_CSS = """
    TimelinePane #ruler { border-bottom: hkey $foreground 20%; height: 6; }
    """
    _ruler_timer: Timer | None = None

    def on_mount(self) -> None:  # (ListPane's on_mount runs after this one)
        from thaw_tui.ui.widgets.ruler_view import RulerView

        ruler = RulerView.for_pack(self.pack, cursor=self.current_id, id="ruler")
        ruler.can_focus = False  # the list has the keys; the ruler follows it
        self.mount(ruler, before=0)

    @property
    def ruler(self) -> RulerView | None:
        from thaw_tui.ui.widgets.ruler_view import RulerView

        found = self.query("#ruler")
        return found.first(RulerView) if found else None

    @on(ItemList.Highlighted)
    def _follow(self, event: ItemList.Highlighted) -> None:
        ruler = self.ruler
        if ruler is None or event.item_id is None:
            return
        if isinstance(self.app.focused, Input):
            # The reader is typing a filter: each letter may move the cursor, and a
            # large pack's ruler takes longer to draw than a frame. It catches up when
            # the typing pauses.
            if self._ruler_timer is not None:
                self._ruler_timer.stop()
            self._ruler_timer = self.set_timer(RULER_CATCH_UP_SECONDS, self._ruler_catch_up)
        else:
            ruler.show(event.item_id)

    def _ruler_catch_up(self) -> None:
        self._ruler_timer = None
        ruler, current = self.ruler, self.current_id
        if ruler is not None and current is not None:
            ruler.show(current)

    def action_zoom_ruler(self) -> None:
        """The cursor's year month by month, or back to every year."""
        ruler = self.ruler
        if ruler is not None:
            ruler.action_zoom("months" if ruler.zoom == "years" else "years")


class MapPane(ListPane):
    """The pack's maps, each placed item a marker; the map has the keys, not a list."""

    DEFAULT_CSS = """
    MapPane { layout: vertical; }
    MapPane > #map-none { padding: 1 2; color: $text-muted; }
    """

    def build_rows(self) -> list[Row]:
        # No list is shown: the rows only say which items the pane holds (`all_ids`),
        # which is what `n` on an item page opened from here walks through.
        return [item_row(self.pack, item, seen=False) for item in self.pack.located()]

    def compose(self) -> ComposeResult:
        if not self.pack.maps:
            yield Static(
                Text("This pack has no map: its manifest names no map data."), id="map-none"
            )

    def _on_mount(self, event: Mount) -> None:
        # Stops ListPane's on_mount, which sets up a list this pane does not have.
        event.prevent_default()
        self._ready = True
        if self.pack.maps:
            from thaw_tui.ui.widgets.map_panel import MapPanel

            self.mount(MapPanel(self.pack, self.progress, item_id=self._select_when_ready))
            self.call_after_refresh(self._take_keys)

    def _take_keys(self) -> None:
        if self.display:
            self.focus_list()

    @property
    def panel(self) -> MapPanel | None:
        from thaw_tui.ui.widgets.map_panel import MapPanel

        found = self.query(MapPanel)
        return found.first() if found else None

    @property
    def current_id(self) -> str | None:
        panel = self.panel
        return panel.current_id if panel is not None else self._select_when_ready

    def visible_ids(self) -> list[str]:
        return self.all_ids()

    def focus_list(self) -> None:
        panel = self.panel
        if panel is not None:
            panel.focus_map()
        elif self._ready:
            self.focus()

    def select(self, item_id: str) -> None:
        panel = self.panel
        if panel is None:
            self._select_when_ready = item_id
        elif panel.current_id != item_id:  # (opening the marked item keeps the zoom)
            panel.show(item_id)

    def apply_view(self, rows_changed: bool = True) -> None:
        """Nothing to filter: every placed item is on the map."""

    def update_preview(self) -> None:
        """The line under the map is this pane's preview (MapPanel.update_info)."""

    def refresh_seen(self, item_ids: list[str] | None = None) -> None:
        panel = self.panel
        if panel is not None:
            panel.refresh_seen()

    def start_filter(self) -> None:
        self.notify("The map has no filter: move between its markers with the arrow keys.")

    def toggle_only_unseen(self) -> None:
        self.notify(
            f"The map shows every placed item; {g().seen} under it says which you have read."
        )


class RelationsPane(ListPane):
    """Who did what to whom: the matrix, and below it the events behind each cell."""

    DEFAULT_CSS = """
    RelationsPane #relations { border-bottom: hkey $foreground 20%; }
    """

    def __init__(
        self, spec: PaneSpec, pack: Pack, progress: Progress, flags: Mapping[str, str]
    ) -> None:
        self.relations: Relations = relations_of(pack)
        self._cell_of: dict[int, tuple[str, str]] = {}  # id(heading row) -> its cell
        super().__init__(spec, pack, progress, flags)

    def build_rows(self) -> list[Row]:
        relations = self.relations
        events = [self.pack.items[event_id] for event_id in relations.events]
        lead = lead_column(self.pack, events)
        rows: list[Row] = []
        self._cell_of.clear()
        for by, to in relations.cells():
            deeds = relations.cell(by, to)
            what = ", ".join(dict.fromkeys(ACTION_LABELS.get(d.kind, d.kind) for d in deeds))
            arrow = g().arrow_right
            heading = heading_row(f"{self._actor_name(by)} {arrow} {self._actor_name(to)}: {what}")
            self._cell_of[id(heading)] = (by, to)
            rows.append(heading)
            for event_id in dict.fromkeys(deed.event for deed in deeds):
                item = self.pack.items[event_id]
                seen = self.progress.is_seen(event_id)
                rows.append(
                    item_row(self.pack, item, seen=seen, flag=self.flags.get(event_id), lead=lead)
                )
        return rows

    def _actor_name(self, actor_id: str) -> str:
        item = self.pack.items.get(actor_id)
        return one_line(item.title) if item is not None else actor_id

    def rebuild_row(self, item_id: str) -> Row:
        item = self.pack.items[item_id]
        assert isinstance(item, Event)
        return item_row(self.pack, item, seen=self.progress.is_seen(item_id))

    def refresh_seen(self, item_ids: list[str] | None = None) -> None:
        # An event may be listed under two cells: rebuild every row (there are few), and
        # keep the cursor on the listing it was on, not the event's first.
        index = self.item_list.cursor if self.ready else None
        current = self.current_id
        super().refresh_seen(None)
        if index is not None and self.ready:
            rows = self.item_list.rows
            if index < len(rows) and rows[index].item_id == current:
                self.item_list.cursor = index

    def on_mount(self) -> None:  # (ListPane's on_mount runs after this one)
        if not self.relations.deeds:
            return
        from thaw_tui.ui.widgets.relations_view import RelationsView

        view = RelationsView(self.pack, self.relations, id="relations")
        self.mount(view, before=0)

    @property
    def view(self) -> RelationsView | None:
        from thaw_tui.ui.widgets.relations_view import RelationsView

        found = self.query("#relations")
        return found.first(RelationsView) if found else None

    def select(self, item_id: str) -> None:
        if self.current_id != item_id:  # an event under two cells: stay in this one
            super().select(item_id)

    def apply_view(self, rows_changed: bool = True) -> None:
        super().apply_view(rows_changed)
        if not self.ready:
            return
        # An event under two cells is one item, listed twice: count it once.
        shown = len(set(self.item_list.item_ids))
        self.set_status(self.status_text(shown, len(self._index), " events"))

    def current_cell(self) -> tuple[str, str] | None:
        """The cell whose events the list cursor is among."""
        if not self.ready:
            return None
        item_list = self.item_list
        if item_list.cursor is None:
            return None
        for index in range(item_list.cursor, -1, -1):
            row = item_list.rows[index]
            if row.is_heading:
                return self._cell_of.get(id(row))
        return None

    @on(ItemList.Highlighted)
    def _follow(self, event: ItemList.Highlighted) -> None:
        view = self.view
        if view is not None:
            view.select(self.current_cell())
