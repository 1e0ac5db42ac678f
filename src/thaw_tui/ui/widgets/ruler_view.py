"""The timeline ruler as a widget: draws a `pictures.ruler` picture line by line.

Left/right (or h/l) move the cursor to the previous/next event in date order, + zooms
into the months of the cursor's year and - back out to the years, Enter posts
`EventChosen`. `show(event_id)` moves the cursor from outside, so the ruler can follow
the Timeline list's cursor.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from thaw_tui.pack.model import Event, Kind, Pack
from thaw_tui.pictures.glyphs import Glyphs, glyphs_for_environment
from thaw_tui.pictures.ruler import (
    MONTHS,
    STYLES,
    YEARS,
    RulerEvent,
    RulerPicture,
    draw_ruler,
    step_event,
)


def component_class(style_name: str) -> str:
    """ "ruler.era.0" -> "ruler-view--era-0"."""
    return "ruler-view--" + style_name.split(".", 1)[1].replace(".", "-")


class RulerView(Widget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "step(-1)", "Earlier", show=False),
        Binding("right,l", "step(1)", "Later", show=False),
        Binding("plus,equals_sign", "zoom('months')", "Months"),
        Binding("minus", "zoom('years')", "Years"),
        Binding("enter", "choose", "Open"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {component_class(name) for name in STYLES}
    DEFAULT_CSS = """
    RulerView {
        height: 5;
        background: $surface;
        & > .ruler-view--blank { }
        & > .ruler-view--era-label { color: $foreground; text-style: bold; }
        & > .ruler-view--era-0 { color: $primary; }
        & > .ruler-view--era-1 { color: $secondary; }
        & > .ruler-view--era-2 { color: $warning; }
        & > .ruler-view--tick { color: $accent; }
        & > .ruler-view--tick-selected { color: $accent; text-style: bold reverse; }
        & > .ruler-view--axis { color: $text-muted; }
        & > .ruler-view--scale { color: $foreground; }
        & > .ruler-view--gap { color: $text-muted; text-style: italic; }
        & > .ruler-view--cursor { color: $accent; text-style: bold; }
    }
    """

    class EventHighlighted(Message):
        def __init__(self, ruler: RulerView, event_id: str | None) -> None:
            super().__init__()
            self.ruler = ruler
            self.event_id = event_id

        @property
        def control(self) -> RulerView:
            return self.ruler

    class EventChosen(Message):
        def __init__(self, ruler: RulerView, event_id: str) -> None:
            super().__init__()
            self.ruler = ruler
            self.event_id = event_id

        @property
        def control(self) -> RulerView:
            return self.ruler

    def __init__(
        self,
        events: Sequence[RulerEvent],
        eras: Mapping[str, str] | None = None,
        *,
        cursor: str | None = None,
        glyphs: Glyphs | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.events = tuple(events)
        self.eras = dict(eras or {})
        self.glyphs = glyphs or glyphs_for_environment(os.environ)
        self.cursor = cursor if any(e.id == cursor for e in events) else None
        if self.cursor is None and self.events:
            self.cursor = step_event(self.events, None, 1)
        self.zoom = YEARS
        self._picture: RulerPicture | None = None
        self._picture_key: tuple[object, ...] | None = None
        self._styles: dict[str, Style] = {}

    @classmethod
    def for_pack(cls, pack: Pack, *, cursor: str | None = None, id: str | None = None) -> RulerView:
        """A ruler of every event of the pack, its eras in the manifest's order."""
        events = [
            RulerEvent(item.id, item.date, item.era)
            for item in pack.of_kind(Kind.EVENT)
            if isinstance(item, Event)
        ]
        eras = {era.id: era.title for era in pack.manifest.eras}
        return cls(events, eras, cursor=cursor, id=id)

    @property
    def year(self) -> int:
        """The year a month zoom shows: the cursor's."""
        event = next((e for e in self.events if e.id == self.cursor), None)
        if event is not None:
            return event.date.year
        return max((e.date.year for e in self.events), default=2014)

    @property
    def picture(self) -> RulerPicture:
        width = max(self.size.width, 8)
        key = (width, self.zoom, self.year, self.cursor)
        if self._picture is None or key != self._picture_key:
            self._picture = draw_ruler(
                self.events,
                width,
                eras=self.eras,
                zoom=self.zoom,
                year=self.year,
                cursor=self.cursor,
                glyphs=self.glyphs,
            )
            self._picture_key = key
            self._styles = {
                name: self.get_component_rich_style(component_class(name)) for name in STYLES
            }
        return self._picture

    def show(self, event_id: str) -> None:
        """Put the cursor on an event (the Timeline list moved); no-op for other ids."""
        if any(e.id == event_id for e in self.events) and event_id != self.cursor:
            self.cursor = event_id
            self.refresh()

    def action_step(self, offset: int) -> None:
        target = step_event(self.events, self.cursor, offset)
        if target is not None and target != self.cursor:
            self.cursor = target
            self.post_message(self.EventHighlighted(self, target))
            self.refresh()

    def action_zoom(self, zoom: str) -> None:
        if zoom in (YEARS, MONTHS) and zoom != self.zoom:
            self.zoom = zoom
            self.refresh()

    def action_choose(self) -> None:
        if self.cursor is not None:
            self.post_message(self.EventChosen(self, self.cursor))

    def render_line(self, y: int) -> Strip:
        picture = self.picture
        width = self.size.width
        if y >= picture.height:
            return Strip.blank(width, self.rich_style)
        segments = [Segment(text, self._styles[style]) for text, style in picture.rows[y]]
        return Strip(segments, picture.width).crop(0, width)
