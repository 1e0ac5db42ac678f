"""The pane base class every list on the main screen shares.

A pane is a line saying what it holds, a filter box, a virtual list and, for the
highlighted row, a preview beside the list (when the screen is wide) or its one-line
summary under it (when not). It knows how to draw its rows and seen markers; it never
decides what opening a row means: it posts `ListPane.ItemChosen` and the screen
chooses what to push.

The filter (`/`) keeps the rows in which every typed word occurs: in what the row
shows, in the item's aliases, names, authors, outlet and dates (`rows.search_fields`),
or in its summary and body (`rows.item_text`). Each row's words are folded to one
lower-case string the first time the filter opens, and a longer query only looks at
the rows the shorter one kept, so typing stays within a frame on a 10,000-item pack.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import ClassVar, Self

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Input, Static

from thaw_tui.pack.model import Pack
from thaw_tui.progress import Progress
from thaw_tui.ui.glyphs import g
from thaw_tui.ui.key_hold import hold_keys_for
from thaw_tui.ui.pane_specs import PaneSpec
from thaw_tui.ui.rows import (
    Row,
    item_row,
    item_text,
    lead_column,
    rows_for_kind,
)
from thaw_tui.ui.text import (
    find_matches,
    highlight,
    line_of,
    one_line,
    snippet_around,
)
from thaw_tui.ui.widgets.item_list import ItemList
from thaw_tui.ui.widgets.typed_box import TypedBox


class ListPane(Widget):
    # `/` and `o` are bound on the main screen, so they work while a pane is still
    # being built; Escape only means something once the filter box is open.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]
    DEFAULT_CSS = """
    ListPane { height: 1fr; }
    ListPane #filter { display: none; height: 1; border: none; padding: 0 1; }
    ListPane.-filtering #filter { display: block; }
    ListPane > #preview {
        display: none; dock: right; width: 45%; padding: 0 1;
        border-left: vkey $foreground 30%;
        scrollbar-size-vertical: 1;
    }
    ListPane #list-status { height: 1; color: $text-muted; display: none; padding: 0 1; }
    ListPane #caption { height: 1; color: $text-muted; padding: 0 1; }
    ListPane #summary-line {
        height: 1; padding: 0 1; color: $text-muted; background: $surface;
    }
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
        # Filtering: each item's words, folded (built when the filter first opens), and
        # the last query with the items it kept.
        self._haystacks: dict[str, str] | None = None
        self._text_starts: dict[str, int] = {}
        self._last_match: tuple[str, frozenset[str]] | None = None
        self._shown: tuple[bool, frozenset[str] | None] | None = None  # what the list shows
        self._column_widths: tuple[int, int] | None = None
        self._summary_drawn: Text | None = None

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
        # Imported here: only wide terminals show a preview, so a narrow first paint
        # does without the page's text (and the Markdown renderer under it).
        from thaw_tui.ui.page_text import preview_text

        return preview_text(self.pack, self.pack.items[item_id], self.progress.is_seen(item_id))

    def is_done(self, item_id: str) -> bool:
        return self.progress.is_seen(item_id)

    def summary(self, item_id: str) -> str:
        """The one-line summary shown under the list when there is no preview."""
        return one_line(self.pack.items[item_id].summary)

    def text_of(self, item_id: str) -> str:
        """The words of a row's item beyond its fields: what `/` also looks in."""
        return item_text(self.pack.items[item_id])

    def caption(self) -> str:
        return self.spec.about.format(paragraph=g().paragraph)

    # --- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # The filter box and the preview are mounted when first needed (first paint).
        # They and the rows sit straight in the pane (the preview docked on its right):
        # a column inside it would be one more widget to lay out before the first frame.
        if self.spec.about:
            yield Static(Text(self.caption(), no_wrap=True, overflow=g().overflow), id="caption")
        yield Static(id="list-status")
        yield ItemList(id="list")
        yield Static(id="summary-line")

    def on_mount(self) -> None:
        self._ready = True
        self.item_list.on_highlight = self._highlighted
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
            self._column_widths = None
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
        self.apply_view(rows_changed=False)

    def watch_only_unseen(self) -> None:
        self.apply_view()

    def apply_view(self, rows_changed: bool = True) -> None:
        """Show the rows the filter and only-unseen keep. `rows_changed`: the rows
        themselves were redrawn (seen marks), not only the filter typed into."""
        if not self._ready:
            return  # on_mount applies it
        matching = self.matching_ids(self.query_text) if self.query_text.strip() else None
        item_list = self.item_list
        item_list.query_text = self.query_text
        shown_key = (self.only_unseen, matching)
        if not rows_changed and shown_key == self._shown:
            # The same rows as before (a longer word found in each of them): only the
            # marks of the match change.
            item_list.refresh()
            self.update_preview()
            return
        self._shown = shown_key
        rows = self._rows
        if self.only_unseen:
            rows = [r for r in rows if r.item_id is None or self._keep_unseen(r.item_id)]
        if matching is not None and len(matching) < len(self._index):
            rows = [r for r in rows if r.item_id is None or r.item_id in matching]
        if rows is not self._rows:
            rows = _drop_empty_headings(rows)
        item_list.set_rows(rows, widths=self._widths())
        shown = len(rows) - sum(1 for r in rows if r.item_id is None)
        self.set_status(self.status_text(shown, len(self._index)))
        self.update_preview()

    def status_text(self, shown: int, total: int, noun: str = "") -> str | None:
        """The line over the list: how many rows the filter and only-unseen leave (while
        either is on, whether it narrows the list or not), or that there are none."""
        if total == 0:
            return f"This pack has nothing under {self.spec.title}."
        filtering = self.has_class("-filtering") or bool(self.query_text.strip())
        if not filtering and not self.only_unseen:
            return None
        what = "only unseen" if self.only_unseen else "filtered"
        if self.only_unseen and self.query_text.strip():
            what = "only unseen, filtered"
        status = f"{shown} of {total}{noun} shown ({what})"
        if shown == 0 and self.query_text.strip():
            status += "; Ctrl+P looks in every pane"
        return status

    def set_status(self, text: str | None) -> None:
        """Show `text` over the list, or no line (None). Its own display, not a class
        of the pane: a class would restyle every widget of the pane, in a keystroke."""
        status = self.query_one("#list-status", Static)
        if text is not None:
            status.update(Text(text), layout=False)
        status.display = text is not None

    # --- what `/` finds ----------------------------------------------------------------
    def _widths(self) -> tuple[int, int]:
        """The title and detail columns' widths, from every row (not only those a
        filter keeps): columns stay where they are while the reader types."""
        if self._column_widths is None:
            laid_out = [row.columns for row in self._rows if row.columns is not None]
            self._column_widths = (
                max((c.title_cells for c in laid_out), default=0),
                max((c.detail_cells for c in laid_out), default=0),
            )
        return self._column_widths

    def haystacks(self) -> dict[str, str]:
        """Each item's words folded to lower case: its fields, a line break, its text."""
        if self._haystacks is None:
            found: dict[str, str] = {}
            for row in self._rows:
                if row.item_id is not None and row.item_id not in found:
                    fields = row.search_text.casefold()
                    found[row.item_id] = f"{fields}\n{self.text_of(row.item_id).casefold()}"
                    self._text_starts[row.item_id] = len(fields) + 1
            self._haystacks = found
        return self._haystacks

    def matching_ids(self, query: str) -> frozenset[str]:
        """The items in which every word of `query` occurs (case aside)."""
        folded = query.casefold()
        last = self._last_match
        if last is not None and last[0] == folded:
            return last[1]
        haystacks = self.haystacks()
        # A query that only adds to the last one can only keep fewer items.
        narrowed = last[1] if last is not None and folded.startswith(last[0]) else None
        kept: Collection[str] = haystacks if narrowed is None else narrowed
        for word in folded.split():
            kept = [item_id for item_id in kept if word in haystacks[item_id]]
        if narrowed is not None and len(kept) == len(narrowed):
            found = narrowed  # the same items, the same object: the list need not change
        else:
            found = kept if isinstance(kept, frozenset) else frozenset(kept)
        self._last_match = (folded, found)
        return found

    def found_in_text_only(self, item_id: str) -> bool:
        """Does some word of the filter occur in the item's text but not its fields?"""
        words = self.query_text.casefold().split()
        fields = self.haystacks().get(item_id, "")[: self._text_starts.get(item_id, 1) - 1]
        return any(word not in fields for word in words)

    def _keep_unseen(self, item_id: str | None) -> bool:
        return item_id is not None and (not self.is_done(item_id) or item_id in self.sticky)

    def start_filter(self) -> None:
        """Open the filter box and focus it (once the pane is built, if it is not yet)."""
        self.add_class("-filtering")
        if self._ready:
            self._focus_filter()
            self.apply_view()  # the count over the list

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
            box = FilterBox(
                self._typed,
                placeholder="Find: words of a title, a name, a date or the text; Esc clears",
                id="filter",
            )
            # A blinking cursor makes headless runs (tests, screenshots) nondeterministic.
            box.cursor_blink = not self.app.is_headless
            hold_keys_for(self, box)
            self.haystacks()  # now, before the first letter is typed
            self.mount(box, before="#list-status")
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
        self.set_status(self.status_text(len(self.visible_ids()), len(self._index)))
        self.focus_list()

    def toggle_only_unseen(self) -> None:
        """Show only unseen items, or all again. Read items go at once, except the one
        just read that the cursor is still on (it goes when the reader leaves the pane)."""
        self.sticky &= {self.current_id} if not self.only_unseen else set()
        self.only_unseen = not self.only_unseen
        state = "on: read items are hidden" if self.only_unseen else "off: every item is shown"
        self.notify(f"Only unseen items {state}.", timeout=2)

    def _typed(self, value: str) -> None:
        """The filter box's text changed (called as the key is handled: see FilterBox)."""
        self.query_text = value

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.focus_list()

    @on(ItemList.Highlighted)
    def _show_preview(self, event: ItemList.Highlighted) -> None:
        event.stop()
        if self.screen.has_class("-wide"):  # (the summary line followed at once)
            self.update_preview()

    def _highlighted(self, item_id: str | None) -> None:
        """The cursor moved: the line under the list changes with it, in its frame."""
        if self._ready and not self.screen.has_class("-wide"):
            self.update_summary_line(item_id)

    def on_resize(self) -> None:
        self.call_after_refresh(self.update_preview)

    def update_preview(self) -> None:
        """Redraw the preview beside the list (wide screens) or the summary line under
        it (narrow ones): only the one on screen, as the preview costs a layout pass."""
        if not self._ready:
            return
        item_id = self.item_list.current_id
        if not self.screen.has_class("-wide"):
            self.update_summary_line(item_id)
            return
        text = self.preview(item_id) if item_id else Text("Nothing to show here.")
        words = self.query_text.split()
        for word in words:
            highlight(text, word, "reverse")
        found = self.query("#preview-text")
        if found:
            found.first(Static).update(text)
        else:
            preview = VerticalScroll(Static(text, id="preview-text"), id="preview")
            preview.can_focus = False
            self.mount(preview)
        if words:  # show the first match, wherever in the preview it is
            self.call_after_refresh(self._scroll_preview_to, text, words)
        else:
            self.query_one("#preview", VerticalScroll).scroll_home(animate=False)

    def _scroll_preview_to(self, text: Text, words: list[str]) -> None:
        found = self.query("#preview")
        if not found:
            return
        preview = found.first(VerticalScroll)
        starts = [spans[0][0] for w in words if (spans := find_matches(text.plain, w))]
        width = preview.scrollable_content_region.width
        if not starts or width <= 0:
            return
        line = line_of(text, min(starts), width, self.app.console)
        height = preview.scrollable_content_region.height
        preview.scroll_to(y=max(0, line - height // 3), animate=False)

    def update_summary_line(self, item_id: str | None) -> None:
        """Under the list: the highlighted item's summary, or, when the filter found it
        by words of its text, those words where they are."""
        line = self.query("#summary-line")
        if not line:
            return
        text = Text(no_wrap=True, overflow=g().overflow, end="")
        if item_id is None:
            text.append("Nothing to show here.")
        elif self.query_text.strip() and self.found_in_text_only(item_id):
            text.append("In the text: ", style="bold")
            snippet = snippet_around(self.text_of(item_id), self.query_text.split(), 24)
            text.append(snippet)
            for word in self.query_text.split():
                highlight(text, word, "reverse")
        else:
            text.append(self.summary(item_id))
        if text != self._summary_drawn:  # (a highlight that moved nowhere: no new frame)
            self._summary_drawn = text
            line.first(Static).update(text, layout=False)  # one line, always

    @on(ItemList.Chosen)
    def _chosen(self, event: ItemList.Chosen) -> None:
        event.stop()
        self.post_message(self.ItemChosen(self, event.item_id))


class FilterBox(TypedBox):
    """The `/` box of a pane (see `TypedBox`)."""

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        """Never a layout for a change of text: the box is one line across the pane
        whatever it holds, and a layout pass would land the list's new scrollbar in
        the frame after the list's new rows."""
        return super().refresh(*regions, repaint=repaint, recompose=recompose)


def _drop_empty_headings(rows: list[Row]) -> list[Row]:
    kept: list[Row] = []
    heading_last = False
    for row in rows:
        heading = row.item_id is None
        if heading and heading_last:
            kept.pop()
        kept.append(row)
        heading_last = heading
    if heading_last:
        kept.pop()
    return kept
