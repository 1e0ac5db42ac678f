"""The who-did-what-to-whom matrix as a widget: draws a `pictures.relations` picture.

It takes no keys: the Relations pane's list of events moves through it, and the
pane tells it which cell to highlight (`select`). Its height is the picture's.
"""

from __future__ import annotations

import os
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from thaw_tui.pack.model import Pack
from thaw_tui.pack.relations import Relations
from thaw_tui.pictures.glyphs import Glyphs, glyphs_for_environment
from thaw_tui.pictures.relations import STYLES, Cell, RelationsPicture, draw_relations
from thaw_tui.pictures.runs import one_cell_text

ROOMY = 30  # terminal rows from which the matrix has room for lines between its rows


def component_class(style_name: str) -> str:
    """ "relations.selected" -> "relations-view--selected"."""
    return "relations-view--" + style_name.split(".", 1)[1].replace(".", "-")


class RelationsView(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {component_class(name) for name in STYLES}
    DEFAULT_CSS = """
    RelationsView {
        height: auto;
        background: $surface;
        & > .relations-view--title { color: $foreground; text-style: bold; }
        & > .relations-view--header { color: $text-accent; text-style: bold; }
        & > .relations-view--actor { color: $foreground; text-style: bold; }
        & > .relations-view--cell { color: $foreground; }
        & > .relations-view--selected { color: $accent; text-style: bold reverse; }
        & > .relations-view--empty { color: $text-muted; }
        & > .relations-view--rule { color: $text-muted; }
    }
    """

    def __init__(
        self,
        pack: Pack,
        relations: Relations,
        *,
        glyphs: Glyphs | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.relations = relations
        actors = set(relations.doers) | set(relations.targets)
        # One cell a character (the matrix lines up in columns): "日本 Japan" -> "Japan",
        # and a name of nothing but wide characters falls back to the actor's id.
        titles = {a: pack.items[a].title if a in pack.items else a for a in actors}
        self.names = {a: one_cell_text(title) or a for a, title in titles.items()}
        self.glyphs = glyphs or glyphs_for_environment(os.environ)
        self.selected: Cell | None = None
        self._picture: RelationsPicture | None = None
        self._key: tuple[object, ...] | None = None
        self._styles: dict[str, Style] = {}

    @property
    def roomy(self) -> bool:
        return self.app.size.height >= ROOMY

    @property
    def picture(self) -> RelationsPicture:
        width = max(self.size.width, 20)
        key = (width, self.selected, self.roomy)
        if self._picture is None or key != self._key:
            self._picture = draw_relations(
                self.relations,
                self.names,
                width,
                selected=self.selected,
                glyphs=self.glyphs,
                separators=self.roomy,
            )
            self._key = key
            self._styles = {
                name: self.get_component_rich_style(component_class(name)) for name in STYLES
            }
        return self._picture

    def select(self, cell: Cell | None) -> None:
        if cell != self.selected:
            self.selected = cell
            self.refresh()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return draw_relations(
            self.relations, self.names, max(width, 20), glyphs=self.glyphs, separators=self.roomy
        ).height

    def render_line(self, y: int) -> Strip:
        picture = self.picture
        width = self.size.width
        if y >= picture.height:
            return Strip.blank(width, self.rich_style)
        segments = [Segment(text, self._styles[style]) for text, style in picture.rows[y]]
        return Strip(segments, picture.width).crop(0, width)
