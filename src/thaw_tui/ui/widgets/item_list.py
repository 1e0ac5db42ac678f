"""A virtual, one-line-per-row list: only the rows on screen are ever rendered.

OptionList measures every option up front; a 10,000-item pack must stay instant,
so this list keeps plain `Row`s and draws them through the line API. Headings
(rows without an item) are skipped by the cursor. The cursor row carries a `▸`
mark (`>` in ASCII) as well as a colour, so it is visible without colour too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Offset, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from thaw_tui.ui.glyphs import g
from thaw_tui.ui.rows import Row, compose_row
from thaw_tui.ui.text import highlight

NO_MARK = "  "  # (the cursor's mark, `g().cursor`, is as wide)
ROW_CACHE_SIZE = 400  # drawn rows kept: several screens' worth, cursor and not


class ItemList(ScrollView, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        # Space and b page as in less, man and newsboat.
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("pageup,b", "page_up", "Page up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
    ]  # Enter is the screen's: what opening means, and when, is the screen's to say
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "item-list--cursor",
        "item-list--heading",
        "item-list--match",
        "item-list--thumb",
        "item-list--track",
    }
    DEFAULT_CSS = """
    ItemList {
        background: $surface;
        height: 1fr;
        overflow-x: hidden;
        overflow-y: hidden;
        & > .item-list--cursor { background: $block-cursor-blurred-background; text-style: bold; }
        &:focus > .item-list--cursor {
            background: $block-cursor-background; color: $block-cursor-foreground;
        }
        & > .item-list--heading { color: $text-accent; }
        & > .item-list--match { text-style: reverse; }
        & > .item-list--thumb { background: $scrollbar; }
        & > .item-list--track { background: $scrollbar-background; }
    }
    """

    # A var, not a reactive: a cursor move redraws two rows, not the whole list.
    cursor: var[int | None] = var[int | None](None, always_update=True)

    class Highlighted(Message):
        def __init__(self, item_list: ItemList, item_id: str | None) -> None:
            super().__init__()
            self.item_list = item_list
            self.item_id = item_id

        @property
        def control(self) -> ItemList:
            return self.item_list

    class Chosen(Message):
        def __init__(self, item_list: ItemList, item_id: str) -> None:
            super().__init__()
            self.item_list = item_list
            self.item_id = item_id

        @property
        def control(self) -> ItemList:
            return self.item_list

    def __init__(
        self, rows: Sequence[Row] = (), *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        # Called as the cursor moves, for what must change in the same frame as the
        # list (a line under it); what may follow a frame later listens to Highlighted.
        self.on_highlight: Callable[[str | None], None] | None = None
        self.rows: list[Row] = []
        self._title_max = 0
        self._detail_max = 0
        self.query_text = ""
        self._row_styles: dict[str, Style] = {}
        # (row, is cursor, has focus, width, filter) -> the drawn row
        self._row_strips: LRUCache[tuple[int, bool, bool, int, str], Strip] = LRUCache(
            ROW_CACHE_SIZE
        )
        self.set_rows(rows)

    # --- data ---------------------------------------------------------------
    def set_rows(
        self,
        rows: Sequence[Row],
        keep: str | None = None,
        widths: tuple[int, int] | None = None,
    ) -> None:
        """Replace the rows, keeping the cursor on `keep` (or the current item) if present.
        `widths`: the title and detail columns' widths (else measured from `rows`)."""
        keep = keep if keep is not None else self.current_id
        self.rows = list(rows)
        self._row_strips.clear()
        if widths is None:
            laid_out = [row.columns for row in self.rows if row.columns is not None]
            widths = (
                max((c.title_cells for c in laid_out), default=0),
                max((c.detail_cells for c in laid_out), default=0),
            )
        self._title_max, self._detail_max = widths
        self.virtual_size = Size(self.size.width, len(self.rows))
        index = self.index_of(keep) if keep else None
        self.cursor = index if index is not None else self._first_choosable()
        height = self.scrollable_content_region.height
        scrollbar_stays = self.show_vertical_scrollbar == (len(self.rows) > height)
        if self.styles.height is not None and self.styles.height.is_auto or not scrollbar_stays:
            # A list as tall as its rows (a page's links) or one whose scrollbar comes
            # or goes: lay the screen out again.
            self.refresh(layout=True)
            return
        # The list fills its place and keeps its scrollbar: only its rows and the
        # scrollbar's thumb change. Size the thumb now (a layout would do it too late
        # for this frame), so a keystroke in the filter repaints once.
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.window_virtual_size = len(self.rows)
            self.vertical_scrollbar.refresh()
        self.refresh()

    def index_of(self, item_id: str) -> int | None:
        for index, row in enumerate(self.rows):
            if row.item_id == item_id:
                return index
        return None

    @property
    def current_id(self) -> str | None:
        if self.cursor is None or not 0 <= self.cursor < len(self.rows):
            return None
        return self.rows[self.cursor].item_id

    @property
    def item_ids(self) -> list[str]:
        return [row.item_id for row in self.rows if row.item_id is not None]

    def select_id(self, item_id: str) -> bool:
        index = self.index_of(item_id)
        if index is None:
            return False
        self.cursor = index
        return True

    def _first_choosable(self) -> int | None:
        return self._step_from(-1, +1)

    def _step_from(self, start: int, step: int) -> int | None:
        index = start + step
        while 0 <= index < len(self.rows):
            if not self.rows[index].is_heading:
                return index
            index += step
        return None

    # --- cursor -------------------------------------------------------------
    def watch_cursor(self, old: int | None, new: int | None) -> None:
        top = round(self.scroll_y)
        if new is not None:
            self._scroll_to_row(new)
        if round(self.scroll_y) == top:
            # Only the two rows whose cursor mark changed need drawing again.
            for index in {old, new} - {None}:
                assert index is not None
                self.refresh_line(index - top)
        else:
            self.refresh()
        self.place_terminal_cursor()
        if self.on_highlight is not None:
            self.on_highlight(self.current_id)
        self.post_message(self.Highlighted(self, self.current_id))

    def place_terminal_cursor(self) -> None:
        """Put the (hidden) terminal cursor on the highlighted row.

        Screen readers and braille displays follow the terminal cursor; Textual
        moves it to `App.cursor_position` after every repaint.
        """
        if not self.has_focus or self.cursor is None or not self.screen.is_current:
            return  # (a page built ahead of time, off screen, must not move it)
        region = self.content_region
        self.app.cursor_position = Offset(region.x, region.y + self.cursor - round(self.scroll_y))

    def _scroll_to_row(self, index: int) -> None:
        height = self.scrollable_content_region.height or 1
        top = round(self.scroll_y)
        if index < top:
            # Show the heading above the first item of a group too.
            target = index - 1 if index > 0 and self.rows[index - 1].is_heading else index
            self.scroll_to(y=target, animate=False, immediate=True)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)

    def _move(self, step: int, count: int = 1) -> None:
        index = self.cursor if self.cursor is not None else -1
        for _ in range(count):
            nxt = self._step_from(index, step)
            if nxt is None:
                break
            index = nxt
        if index >= 0:
            self.cursor = index

    def action_cursor_down(self) -> None:
        self._move(+1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_page_down(self) -> None:
        if not self.scrollable_content_region.height:  # (shown this moment: not laid out)
            self.call_after_refresh(self.action_page_down)
            return
        self._move(+1, max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        if not self.scrollable_content_region.height:
            self.call_after_refresh(self.action_page_up)
            return
        self._move(-1, max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.cursor = self._first_choosable()

    def action_last(self) -> None:
        self.cursor = self._step_from(len(self.rows), -1)

    def action_choose(self) -> None:
        """Post `Chosen` for the row under the cursor (a double click does this)."""
        item_id = self.current_id
        if item_id is not None:
            self.post_message(self.Chosen(self, item_id))

    async def _on_click(self, event: events.Click) -> None:
        index = event.y + round(self.scroll_y)
        if 0 <= index < len(self.rows) and not self.rows[index].is_heading:
            if index == self.cursor and event.chain > 1:
                self.action_choose()
            self.cursor = index

    # --- drawing ------------------------------------------------------------
    def notify_style_update(self) -> None:
        self._row_styles.clear()
        self._row_strips.clear()
        super().notify_style_update()

    def on_focus(self) -> None:
        self._row_styles.clear()  # the cursor's colours depend on focus
        self.refresh()
        self.call_after_refresh(self.place_terminal_cursor)

    def on_blur(self) -> None:
        self._row_styles.clear()
        self.refresh()

    def _style(self, name: str) -> Style:
        style = self._row_styles.get(name)
        if style is None:
            style = self._row_styles[name] = self.get_component_rich_style(name)
        return style

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))
        if self.cursor is not None:
            self._scroll_to_row(self.cursor)

    @property
    def allow_vertical_scroll(self) -> bool:
        """The mouse wheel scrolls a list longer than its place (Textual would only let
        it with Textual's scrollbar, which this list draws itself: `render_line`)."""
        return self.is_scrollable and self._overflows

    @property
    def _overflows(self) -> bool:
        return len(self.rows) > self.scrollable_content_region.height

    def render_line(self, y: int) -> Strip:
        """Row `y` of the view, and in the last column the scrollbar when the rows do
        not all fit: drawn here, in the row's own strip, so that a list and its
        scrollbar always change in the same frame (Textual's scrollbar is sized while
        a frame is laid out, and drawn a frame late)."""
        index = y + round(self.scroll_y)
        width = self.scrollable_content_region.width
        overflows = self._overflows
        row_width = width - 1 if overflows else width
        key = (index, index == self.cursor, self.has_focus, row_width, self.query_text)
        strip = self._row_strips.get(key)
        if strip is None:
            strip = self._render_row(index, row_width)
            self._row_strips.set(key, strip)
        if not overflows:
            return strip
        return Strip.join([strip, self._scrollbar_cell(y)])

    def _scrollbar_cell(self, y: int) -> Strip:
        height = self.scrollable_content_region.height
        total = len(self.rows)
        size = max(1, height * height // total)
        top = round(self.scroll_y * (height - size) / max(1, total - height))
        part = "item-list--thumb" if top <= y < top + size else "item-list--track"
        return Strip([Segment(" ", self.rich_style + self._style(part))], 1)

    def _render_row(self, index: int, width: int) -> Strip:
        base = self.rich_style
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        text = self._layout(row, width - len(NO_MARK))
        overflow = g().overflow
        if row.is_heading:
            style = base + self._style("item-list--heading")
            text.truncate(width, overflow=overflow)
            return self._strip(text, width, style)
        for word in self.query_text.split():
            highlight(text, word, self._style("item-list--match"))
        is_cursor = index == self.cursor
        text = Text(g().cursor if is_cursor else NO_MARK, end="").append_text(text)
        text.truncate(width, overflow=overflow)
        style = base + self._style("item-list--cursor") if is_cursor else base
        return self._strip(text, width, style)

    def _layout(self, row: Row, width: int) -> Text:
        """The row's text; rows in columns give the title what the detail can spare."""
        columns = row.columns
        if columns is None:
            return row.text.copy()
        room = width - cell_len(columns.prefix.plain)
        title_width = min(self._title_max, max(room * 3 // 5, room - self._detail_max - 2))
        return compose_row(columns, title_width)

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        segments: list[Segment] = list(text.render(self.app.console, end=""))
        return Strip(segments).apply_style(style).adjust_cell_length(width, style)
