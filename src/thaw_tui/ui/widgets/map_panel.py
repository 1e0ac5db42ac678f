"""The pack's maps with its items on them: a map, and two lines about the marked item.

Shared by the Map pane and the map screen an item page opens. The map data is
parsed here, the first time a map is shown (never at start-up: the pack keeps it
as bytes). Each item with a location is a marker: on its place, or between its
places (choosing it then highlights all of them), or on its point. Arrow keys and
hjkl move to the nearest marker in that direction, + and - zoom, `r` shows the
next map; the line below the map says which item the marker is and what it is
about. What Enter does is the screen's: this panel only says what is selected
(`current_id`).
"""

from __future__ import annotations

import json
import os
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widget import Widget
from textual.widgets import Static

from thaw_tui.pack.atlas import AtlasError, MapRegion, parse_atlas
from thaw_tui.pack.model import Event, Item, Pack
from thaw_tui.pictures.glyphs import Glyphs, glyphs_for_environment
from thaw_tui.pictures.mapdraw import Marker
from thaw_tui.pictures.runs import one_cell_text
from thaw_tui.progress import Progress
from thaw_tui.ui.glyphs import g
from thaw_tui.ui.rows import seen_glyph
from thaw_tui.ui.text import clean, one_line
from thaw_tui.ui.widgets.map_view import MapView
from thaw_tui.ui.widgets.picture_panes import MAP_PANEL_KEYS, MAP_VIEW_KEYS


class PanelMapView(MapView, inherit_bindings=False):
    """The map without its own Enter: opening is the screen's (its key hold, its page)."""

    BINDINGS: ClassVar[list[BindingType]] = MAP_VIEW_KEYS


def markers_for(pack: Pack, region: MapRegion) -> list[Marker]:
    """A marker for every item placed on `region`, in reading order."""
    found = []
    for item in pack.located():
        location = item.location
        if location is None or location.region != region.id:
            continue
        lon, lat = region.where(location.places, location.point)
        places = [region.place(place_id) for place_id in location.places]
        found.append(
            Marker(
                item.id,
                lon,
                lat,
                one_cell_text(one_line(item.title)) or item.id,
                disputed=any(place.disputed for place in places),
                place=location.places[0] if len(places) == 1 else None,
                places=location.places if len(places) > 1 else (),
            )
        )
    return found


class MapPanel(Widget):
    BINDINGS: ClassVar[list[BindingType]] = MAP_PANEL_KEYS
    DEFAULT_CSS = """
    MapPanel { height: 1fr; }
    MapPanel > #map-info {
        height: 2; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(
        self,
        pack: Pack,
        progress: Progress,
        *,
        item_id: str | None = None,
        glyphs: Glyphs | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.pack = pack
        self.progress = progress
        self.glyphs = glyphs or glyphs_for_environment(os.environ)
        self.problem: str | None = None
        self.regions: list[MapRegion] = []
        for map_file in pack.maps:
            try:
                self.regions.extend(parse_atlas(json.loads(map_file.data)).regions)
            except (AtlasError, ValueError, RecursionError) as error:
                self.problem = f"The map {map_file.file} cannot be drawn: {error}"
        self.markers = {region.id: markers_for(pack, region) for region in self.regions}
        self.views: dict[str, MapView] = {}
        self.region_index = self._region_for(item_id)
        self._wanted = item_id

    def _region_for(self, item_id: str | None) -> int:
        """The region an item is on; without one, the region with the most items."""
        if not self.regions:
            return 0
        for index, region in enumerate(self.regions):
            if any(marker.id == item_id for marker in self.markers[region.id]):
                return index
        counts = [len(self.markers[region.id]) for region in self.regions]
        return counts.index(max(counts))

    # --- what is shown -------------------------------------------------------------
    @property
    def map_region(self) -> MapRegion | None:
        """The region on show (None: the pack has no map that could be read)."""
        return self.regions[self.region_index] if self.regions else None

    @property
    def view(self) -> MapView | None:
        region = self.map_region
        return self.views.get(region.id) if region is not None else None

    @property
    def current_id(self) -> str | None:
        view = self.view
        return view.selected if view is not None else None

    def compose(self) -> ComposeResult:
        region = self.map_region
        if region is not None:
            yield self._make_view(region)
        yield Static(id="map-info")

    def _make_view(self, region: MapRegion) -> MapView:
        overview = [i for i, frame in enumerate(region.frames) if not frame.detail]
        frame = region.frames[overview[-1] if overview else 0].id
        view = PanelMapView(
            region, self.markers[region.id], frame=frame, glyphs=self.glyphs, id=f"map-{region.id}"
        )
        self.views[region.id] = view
        return view

    def on_mount(self) -> None:
        self.update_info()
        if self._wanted is not None:
            # Once the map has its size: which markers are in view depends on it.
            self.call_after_refresh(self.show, self._wanted)

    def focus_map(self) -> None:
        view = self.view
        if view is not None:
            view.focus()
        else:
            self.focus()

    def show(self, item_id: str) -> None:
        """Select an item's marker, on its map, zoomed in as far as shows it."""
        if not self.regions:
            return
        index = self._region_for(item_id)
        region = self.regions[index]
        marker = next((m for m in self.markers[region.id] if m.id == item_id), None)
        if marker is None:
            return
        if index != self.region_index:
            self._switch(index)
        view = self.views[region.id]
        containing = [
            i
            for i, frame in enumerate(region.frames)
            if frame.bounds.contains(marker.lon, marker.lat)
        ]
        view.frame_index = containing[-1] if containing else 0
        view.show(item_id)
        self.update_info()

    def _switch(self, index: int) -> None:
        had_focus = self.view is not None and self.view.has_focus
        for view in self.views.values():
            view.display = False
        self.region_index = index
        region = self.regions[index]
        if region.id in self.views:
            self.views[region.id].display = True
        else:
            self.mount(self._make_view(region), before="#map-info")
        if had_focus:
            self.call_after_refresh(self.focus_map)
        self.update_info()

    def action_next_region(self) -> None:
        if len(self.regions) > 1:
            self._switch((self.region_index + 1) % len(self.regions))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_region":
            return len(self.regions) > 1
        return True

    @on(MapView.MarkerHighlighted)
    def _highlighted(self, event: MapView.MarkerHighlighted) -> None:
        self.update_info()

    def refresh_seen(self) -> None:
        self.update_info()

    def update_info(self) -> None:
        """Two lines: the marked item's title and summary; where it is, and the keys."""
        if not self.is_mounted:
            return
        info = self.query_one("#map-info", Static)
        region = self.map_region
        item = self.pack.items.get(self.current_id or "")
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.problem and region is None:
            text.append(self.problem)
        elif region is None:
            text.append("This pack has no map.")
        elif item is None:
            text.append(f"{region.title}: no item is marked in this view", style="bold")
            text.append(f"\nZoom out with - to see the items{self._more_maps()}.")
        else:
            text.append(f"{seen_glyph(self.progress.is_seen(item.id))} ")
            text.append(one_line(item.title), style="bold")
            dot = g().dot
            text.append(f" {g().dash} {one_line(clean(item.summary))}")
            text.append(f"\n{self._where(region, item)}{dot}{_what(item)}", style="italic")
            text.append(f"{dot}Enter opens it{self._more_maps()}", style="dim")
        info.update(text)

    def _more_maps(self) -> str:
        return ", r shows the other map" if len(self.regions) > 1 else ""

    def _where(self, region: MapRegion, item: Item) -> str:
        location = item.location
        if location is None:
            return region.title
        if location.places:
            return ", ".join(region.place(place).label for place in location.places)
        assert location.point is not None
        lon, lat = location.point
        return (
            f"{abs(lat):.2f}{g().degree}{'N' if lat >= 0 else 'S'} "
            f"{abs(lon):.2f}{g().degree}{'E' if lon >= 0 else 'W'}"
        )


def _what(item: Item) -> str:
    if isinstance(item, Event):
        return f"{item.kind.label}, {item.date.human()}"
    return item.kind.label
