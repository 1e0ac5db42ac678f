"""The islands map as a widget: draws a `pictures.mapdraw` picture line by line.

All geometry lives in `thaw_tui.pictures`; this widget keeps the state (which zoom
frame, which marker is selected), turns style names into theme styles through its
component classes, and answers keys: arrows or hjkl move to the nearest marker in
that direction, + and - zoom, Enter posts `MarkerChosen` with the marker's item id.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from thaw_tui.pack.atlas import MapRegion
from thaw_tui.pictures.glyphs import Glyphs, glyphs_for_environment
from thaw_tui.pictures.mapdraw import STYLES, MapPicture, MapRenderer, Marker, step


def component_class(style_name: str) -> str:
    """ "map.label.disputed" -> "map-view--label-disputed"."""
    return "map-view--" + style_name.split(".", 1)[1].replace(".", "-")


class MapView(Widget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move('left')", "West", show=False),
        Binding("right,l", "move('right')", "East", show=False),
        Binding("up,k", "move('up')", "North", show=False),
        Binding("down,j", "move('down')", "South", show=False),
        Binding("plus,equals_sign", "zoom(1)", "Zoom in"),
        Binding("minus", "zoom(-1)", "Zoom out"),
        Binding("enter", "choose", "Open"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {component_class(name) for name in STYLES}
    DEFAULT_CSS = """
    MapView {
        height: 1fr;
        background: $surface;
        & > .map-view--sea { color: $text-muted; }
        & > .map-view--land { color: $success; }
        & > .map-view--disputed { color: $warning; text-style: bold; }
        & > .map-view--label { color: $foreground; text-style: bold; }
        & > .map-view--label-disputed { color: $warning; text-style: bold underline; }
        & > .map-view--label-sea { color: $text-muted; text-style: italic; }
        & > .map-view--label-selected { text-style: bold reverse; }
        & > .map-view--marker { color: $accent; text-style: bold; }
        & > .map-view--marker-selected { color: $accent; text-style: bold reverse; }
        & > .map-view--legend { color: $text-muted; }
        & > .map-view--scale { color: $foreground; }
    }
    """

    class MarkerHighlighted(Message):
        """The selection moved to another marker (None: no marker is in view)."""

        def __init__(self, map_view: MapView, item_id: str | None) -> None:
            super().__init__()
            self.map_view = map_view
            self.item_id = item_id

        @property
        def control(self) -> MapView:
            return self.map_view

    class MarkerChosen(Message):
        """Enter on a marker: open its item."""

        def __init__(self, map_view: MapView, item_id: str) -> None:
            super().__init__()
            self.map_view = map_view
            self.item_id = item_id

        @property
        def control(self) -> MapView:
            return self.map_view

    def __init__(
        self,
        region: MapRegion,
        markers: Sequence[Marker] = (),
        *,
        frame: str | None = None,
        selected: str | None = None,
        glyphs: Glyphs | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.map_region = region
        self.markers = tuple(markers)
        self.glyphs = glyphs or glyphs_for_environment(os.environ)
        frame_ids = [f.id for f in region.frames]
        self.frame_index = frame_ids.index(frame) if frame is not None else 0
        self.selected = selected
        self._renderer = MapRenderer(region)
        self._picture: MapPicture | None = None
        self._picture_key: tuple[object, ...] | None = None
        self._styles: dict[str, Style] = {}

    @property
    def frame_id(self) -> str:
        return self.map_region.frames[self.frame_index].id

    @property
    def picture(self) -> MapPicture:
        """The picture for the current size, frame and selection (drawn when stale)."""
        width, height = max(self.size.width, 1), max(self.size.height, 1)
        key = (width, height, self.frame_index, self.selected)
        if self._picture is None or key != self._picture_key:
            self._picture = self._renderer.draw(
                self.frame_id,
                width,
                height,
                markers=self.markers,
                selected=self.selected,
                glyphs=self.glyphs,
            )
            self._picture_key = key
            self._styles = {
                name: self.get_component_rich_style(component_class(name)) for name in STYLES
            }
        return self._picture

    def on_resize(self) -> None:
        self._ensure_selection()

    def on_mount(self) -> None:
        self._ensure_selection()

    def _ensure_selection(self) -> None:
        """Keep a visible marker selected, whenever there is one in view."""
        visible = self.picture.markers
        if self.selected not in visible:
            self._select(next(iter(visible), None))

    def _select(self, item_id: str | None) -> None:
        if item_id != self.selected:
            self.selected = item_id
            self.post_message(self.MarkerHighlighted(self, item_id))
        self.refresh()

    def show(self, item_id: str) -> None:
        """Select an item's marker, zooming out until it is in view."""
        if all(marker.id != item_id for marker in self.markers):
            return
        while item_id not in self.picture.markers and self.frame_index > 0:
            self.frame_index -= 1
        if item_id in self.picture.markers:
            self._select(item_id)

    def action_move(self, direction: str) -> None:
        target = step(self.picture.markers, self.selected, direction)
        if target is not None:
            self._select(target)

    def action_zoom(self, change: int) -> None:
        index = max(0, min(len(self.map_region.frames) - 1, self.frame_index + change))
        if index != self.frame_index:
            self.frame_index = index
            self._ensure_selection()
            self.refresh()

    def action_choose(self) -> None:
        if self.selected is not None and self.selected in self.picture.markers:
            self.post_message(self.MarkerChosen(self, self.selected))

    def render_line(self, y: int) -> Strip:
        picture = self.picture
        width = self.size.width
        if y >= picture.height:
            return Strip.blank(width, self.rich_style)
        segments = [Segment(text, self._styles[style]) for text, style in picture.rows[y]]
        return Strip(segments, picture.width).crop(0, width)
