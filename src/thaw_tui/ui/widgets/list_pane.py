"""The pane base class every list on the main screen shares.

A pane is a filter box, a virtual list and (when the screen is wide) a preview of
the highlighted row. It knows how to draw its rows and seen markers; it never
decides what opening a row means: it posts `ListPane.ItemChosen` and the screen
chooses what to push.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Input, Static

from thaw_tui.pack.model import Pack
from thaw_tui.progress import Progress
from thaw_tui.ui.key_hold import hold_keys_for
from thaw_tui.ui.pane_specs import PaneSpec
from thaw_tui.ui.rows import (
    Row,
    item_row,
    lead_column,
    preview_text,
    rows_for_kind,
)
from thaw_tui.ui.text import find_matches, steady_width
from thaw_tui.ui.widgets.item_list import ItemList


class ListPane(Widget):
    # `/` and `o` are bound on the main screen, so they work while a pane is still
    # being built; Escape only means something once the filter box is open.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]
    DEFAULT_CSS = """
    ListPane { layout: horizontal; height: 1fr; }
    ListPane > #list-column { width: 1fr; }
    ListPane #filter { display: none; height: 1; border: none; padding: 0 1; }
    ListPane.-filtering #filter { display: block; }
    ListPane > #preview {
        display: none; width: 40%; padding: 0 1; border-left: vkey $foreground 30%;
        scrollbar-size-vertical: 1;
    }
    ListPane #list-status { height: 1; color: $text-muted; display: none; padding: 0 1; }
    ListPane.-narrowed #list-status { display: block; }
    """

    class ItemChosen(Message):
        """The reader asked to open a row of this pane (an item, or a thread)."""

        def __init__(self, pane: ListPane, item_id: str) -> None:
            super().__init__()
            self.pane = pane
            self.item_id = item_id

        @property
        def control(self) -> ListPane:
            """The pane, so `@on(ListPane.ItemChosen, "#pane-…")` can pick one."""
            return self.pane

    # What the list shows. Each change filters the rows again (`apply_view`): a
    # `var`, not a reactive, as the pane draws nothing itself; its list redraws.
    query_text: var[str] = var("", init=False)
    only_unseen: var[bool] = var(False, init=False)

    def __init__(
        self, spec: PaneSpec, pack: Pack, progress: Progress, flags: Mapping[str, str]
    ) -> None:
        super().__init__(id=f"pane-{spec.id}")
        self.spec = spec
        self.pack = pack
        self.progress = progress
        self.flags = flags
        self._ready = False
        self._select_when_ready: str | None = None
        self.sticky: set[str] = set()  # read while only-unseen is on: stay visible
        items = pack.of_kind(spec.kind) if spec.kind else []
        self._lead_width = lead_column(pack, items)
        self._rows: list[Row] = self.build_rows()
        self._index = {row.item_id: n for n, row in enumerate(self._rows) if row.item_id}

    # --- what subclasses change -----------------------------------------------
    def build_rows(self) -> list[Row]:
        assert self.spec.kind is not None
        return rows_for_kind(self.pack, self.spec.kind, self.progress.is_seen, self.flags)

    def rebuild_row(self, item_id: str) -> Row:
        item = self.pack.items[item_id]
        return item_row(
            self.pack,
            item,
            seen=self.progress.is_seen(item_id),
            flag=self.flags.get(item_id),
            lead=self._lead_width,
        )

    def preview(self, item_id: str) -> Text:
        return preview_text(self.pack, self.pack.items[item_id], self.progress.is_seen(item_id))

    def is_done(self, item_id: str) -> bool:
        return self.progress.is_seen(item_id)

    # --- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # The filter box and the preview are mounted when first needed (first paint).
        with Vertical(id="list-column"):
            yield Static(id="list-status")
            yield ItemList(id="list")

    def on_mount(self) -> None:
        self._ready = True
        self.apply_view()
        if self._select_when_ready:
            self.item_list.select_id(self._select_when_ready)
        if self.has_class("-filtering"):
            self._focus_filter()
        elif self.display:  # the pane on show takes the keys (held until now: key_hold)
            self.focus_list()

    @property
    def ready(self) -> bool:
        """True once the pane has been built and mounted."""
        return self._ready

    @property
    def item_list(self) -> ItemList:
        return self.query_one("#list", ItemList)

    @property
    def current_id(self) -> str | None:
        return self.item_list.current_id if self._ready else self._select_when_ready

    def visible_ids(self) -> list[str]:
        return self.item_list.item_ids if self._ready else self.all_ids()

    def all_ids(self) -> list[str]:
        return [row.item_id for row in self._rows if row.item_id]

    def focus_list(self) -> None:
        """Focus the list (once the pane is built, if it is not yet: see `on_mount`).

        At once, not with `focus()` (which waits for the app's next turn): the key
        after the one that shows this pane may already be on its way, and its bindings
        are looked up from whatever has focus when it gets there.
        """
        if self._ready:
            self.screen.set_focus(self.item_list)

    # --- state from outside ------------------------------------------------------------
    def refresh_seen(self, item_ids: list[str] | None = None) -> None:
        """Redraw the rows whose seen state may have changed (None: all of them)."""
        if item_ids is None:
            self._rows = self.build_rows()
        else:
            for item_id in item_ids:
                if item_id in self._index:
                    self._rows[self._index[item_id]] = self.rebuild_row(item_id)
        self.apply_view()

    def keep_visible(self, item_id: str) -> None:
        """The reader just read this: keep it listed under only-unseen until they leave."""
        if item_id in self._index:
            self.sticky.add(item_id)

    def left(self) -> None:
        """The reader switched away from this pane: read items may now drop out."""
        if self.sticky:
            self.sticky.clear()
            self.apply_view()

    def select(self, item_id: str) -> None:
        """Put the cursor on this item (once the pane is built, if it is not yet)."""
        if self._ready:
            self.item_list.select_id(item_id)
        else:
            self._select_when_ready = item_id

    # --- filtering -----------------------------------------------------------------
    def watch_query_text(self) -> None:
        self.apply_view()

    def watch_only_unseen(self) -> None:
        self.apply_view()

    def apply_view(self) -> None:
        if not self._ready:
            return  # on_mount applies it
        rows = self._rows
        if self.only_unseen:
            rows = [r for r in rows if r.is_heading or self._keep_unseen(r.item_id)]
        if self.query_text:
            rows = [r for r in rows if r.is_heading or find_matches(r.search_text, self.query_text)]
        rows = _drop_empty_headings(rows)
        item_list = self.item_list
        item_list.query_text = self.query_text
        item_list.set_rows(rows)
        shown = sum(1 for r in rows if not r.is_heading)
        total = len(self._index)
        self.set_class(shown != total or total == 0 or self.only_unseen, "-narrowed")
        if total == 0:
            self.query_one("#list-status", Static).update(
                Text(f"This pack has nothing under {self.spec.title}.")
            )
        elif shown != total or self.only_unseen:
            what = "only unseen" if self.only_unseen else "filtered"
            if self.only_unseen and self.query_text:
                what = "only unseen, filtered"
            self.query_one("#list-status", Static).update(
                Text(f"{shown} of {total} shown ({what})")
            )
        self.update_preview()

    def _keep_unseen(self, item_id: str | None) -> bool:
        return item_id is not None and (not self.is_done(item_id) or item_id in self.sticky)

    def start_filter(self) -> None:
        """Open the filter box and focus it (once the pane is built, if it is not yet)."""
        self.add_class("-filtering")
        if self._ready:
            self._focus_filter()

    def _filter_box(self) -> Input | None:
        found = self.query("#filter")
        box = found.first() if found else None
        return box if isinstance(box, Input) else None

    def _focus_filter(self) -> None:
        """Focus the filter box, built on first use; keys typed meanwhile wait for it."""
        box = self._filter_box()
        if box is not None and box.has_focus:
            return
        if box is None:
            box = FilterBox(placeholder="Filter: type to narrow, Esc clears", id="filter")
            # A blinking cursor makes headless runs (tests, screenshots) nondeterministic.
            box.cursor_blink = not self.app.is_headless
            hold_keys_for(self, box)
            self.query_one("#list-column", Vertical).mount(box, before=0)
        else:
            hold_keys_for(self, box)
            # It was display:none until the class change is styled; focus after that.
            self.call_after_refresh(box.focus)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.has_class("-filtering")
        return True

    def action_clear_filter(self) -> None:
        box = self._filter_box()
        if box is not None:
            box.value = ""
        self.query_text = ""
        self.remove_class("-filtering")
        self.focus_list()

    def toggle_only_unseen(self) -> None:
        """Show only unseen items, or all again. Read items go at once, except the one
        just read that the cursor is still on (it goes when the reader leaves the pane)."""
        self.sticky &= {self.current_id} if not self.only_unseen else set()
        self.only_unseen = not self.only_unseen
        state = "on: read items are hidden" if self.only_unseen else "off: every item is shown"
        self.notify(f"Only unseen items {state}.", timeout=2)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.focus_list()

    @on(ItemList.Highlighted)
    def _show_preview(self, event: ItemList.Highlighted) -> None:
        event.stop()
        self.update_preview()

    def on_resize(self) -> None:
        self.call_after_refresh(self.update_preview)

    def update_preview(self) -> None:
        """Redraw the preview, only when it is on screen (it costs a layout pass)."""
        if not self._ready or not self.screen.has_class("-wide"):
            return
        item_id = self.item_list.current_id
        text = self.preview(item_id) if item_id else Text("Nothing to show here.")
        found = self.query("#preview-text")
        if found:
            found.first(Static).update(text)
        else:
            preview = VerticalScroll(Static(text, id="preview-text"), id="preview")
            preview.can_focus = False
            self.mount(preview)

    @on(ItemList.Chosen)
    def _chosen(self, event: ItemList.Chosen) -> None:
        event.stop()
        self.post_message(self.ItemChosen(self, event.item_id))


class FilterBox(Input):
    """The `/` box; it takes focus as soon as it is mounted."""

    def on_mount(self) -> None:
        self.focus()

    def insert_text_at_cursor(self, text: str) -> None:
        """Typed or pasted text, less what would shift the row (see `steady_width`)."""
        steady = steady_width(text)
        if steady:
            super().insert_text_at_cursor(steady)


def _drop_empty_headings(rows: list[Row]) -> list[Row]:
    kept: list[Row] = []
    for row in rows:
        if row.is_heading and kept and kept[-1].is_heading:
            kept.pop()
        kept.append(row)
    if kept and kept[-1].is_heading:
        kept.pop()
    return kept
