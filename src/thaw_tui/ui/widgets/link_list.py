"""The list of a detail page's links, living inside the page's scroll.

Up and down move through links only once the links are on screen; until then
they scroll the page, so the body above is read first (as in lynx). Page keys
always scroll the page.
"""

from __future__ import annotations

from textual.containers import ScrollableContainer

from thaw_tui.ui.widgets.item_list import ItemList


class LinkList(ItemList):
    DEFAULT_CSS = """
    LinkList { height: auto; background: $background; }
    """

    _moving = False  # only the reader's own moves scroll the page, not a redraw

    @property
    def page(self) -> ScrollableContainer | None:
        parent = self.parent
        return parent if isinstance(parent, ScrollableContainer) else None

    def _row_visible(self, index: int | None) -> bool:
        page = self.page
        if page is None or index is None:
            return True
        y = self.virtual_region.y + index
        return page.scroll_y <= y < page.scroll_y + page.scrollable_content_region.height

    def cursor_on_screen(self) -> bool:
        """Is the highlighted link within the page's view (so Enter would open a link
        the reader can see)?"""
        return self.cursor is not None and self._row_visible(self.cursor)

    def bring_into_view(self) -> None:
        """Scroll the page down to the links: their first heading at the top of the
        view (or as near as the page's end lets it come)."""
        page = self.page
        if page is not None:
            page.scroll_to(y=max(0, self.virtual_region.y - 1), animate=False, immediate=True)

    def _scroll_to_row(self, index: int) -> None:
        page = self.page
        if page is None or not self._moving or self._row_visible(index):
            return
        y = self.virtual_region.y + index
        height = page.scrollable_content_region.height
        target = y - height + 2 if y >= page.scroll_y else y - 1
        page.scroll_to(y=max(0, target), animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        page = self.page
        last = self._step_from(len(self.rows), -1)
        if page is not None and (not self._row_visible(self.cursor) or self.cursor == last):
            page.scroll_down(animate=False, immediate=True)
            return
        self._moving = True
        super().action_cursor_down()
        self._moving = False

    def action_cursor_up(self) -> None:
        page = self.page
        first = self._first_choosable()
        if page is not None and (not self._row_visible(self.cursor) or self.cursor == first):
            page.scroll_up(animate=False, immediate=True)
            return
        self._moving = True
        super().action_cursor_up()
        self._moving = False

    def action_page_down(self) -> None:
        if self.page is not None:
            self.page.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        if self.page is not None:
            self.page.scroll_page_up(animate=False)

    def action_first(self) -> None:
        super().action_first()
        if self.page is not None:
            self.page.scroll_home(animate=False, immediate=True)

    def action_last(self) -> None:
        super().action_last()
        if self.page is not None:
            self.page.scroll_end(animate=False, immediate=True)
