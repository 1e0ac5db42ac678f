"""An item's page: title, meta, summary, body, sides or address, fact checks, where it
comes from, then its links; under the page, a line that says whether the page is
seen, how many links it has and how to reach them (or where a search is).

The screen walks a `History`: following a link visits a new location, back and
forward move through it, and backing out of the first location returns to the
list it was opened from (which has kept its place underneath).

Text is set at a reading measure (`detail.tcss`), lists and a dispute's positions
with hanging indents (`ui/hanging.py`), a source's address on a line of its own,
never wrapped. Every link has a number: with more than nine, digits add up (`1`
then `2` is link 12; `1` then Enter is link 1). `/` finds text on the page, `n`
and `N` step through the matches, Esc ends the search (`ui/page_find.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from time import monotonic
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from thaw_tui.navigation import History, Location
from thaw_tui.pack.model import Dispute, Item, Pack, Source, Thread
from thaw_tui.progress import Position, Progress
from thaw_tui.ui.glyphs import g
from thaw_tui.ui.hanging import Hanging
from thaw_tui.ui.key_hold import hold_keys_for
from thaw_tui.ui.keys import BACK_BINDING, FORWARD_BINDING, open_binding
from thaw_tui.ui.markdown_text import markdown_to_text
from thaw_tui.ui.messages import ProgressChanged, ReadingMoved
from thaw_tui.ui.page_find import PageFind
from thaw_tui.ui.page_text import (
    fact_check_heading,
    fact_check_text,
    link_rows,
    meta_line,
    provenance_full,
    provenance_summary,
    sides_text,
    source_details,
)
from thaw_tui.ui.pane_specs import PANES_BY_ID
from thaw_tui.ui.progress_actions import toggle_seen, undo_last
from thaw_tui.ui.reading_order import Found, PaneOrders, unseen_elsewhere, unseen_in
from thaw_tui.ui.rows import seen_line
from thaw_tui.ui.screens.base import ReaderScreen
from thaw_tui.ui.text import clean, one_line
from thaw_tui.ui.widgets.bars import Breadcrumb, header_for
from thaw_tui.ui.widgets.item_list import ItemList
from thaw_tui.ui.widgets.key_bar import KeyBar
from thaw_tui.ui.widgets.link_list import LinkList
from thaw_tui.ui.widgets.typed_box import TypedBox


@dataclass(frozen=True)
class Origin:
    """Where the reader opened the first page from: shown first in the breadcrumb."""

    label: str  # "Disputes", "Threads › Why the thaw stalled"
    pane_id: str  # the pane to reopen on "continue"
    pane_items: tuple[str, ...] = ()  # that pane's items in order, for `n` outside a thread


PEEK_SECONDS = 8.0
LINK_KEYS = "Follow link by number (past 9, its digits: 1 2 is link 12)"
# The parts of a page that hold text, in reading order: what `/` looks through.
TEXT_PARTS = ("title", "meta", "summary", "body", "extra", "fact-checks", "provenance")
HANGING_PARTS = frozenset({"body", "extra", "provenance"})  # lists and positions


@dataclass(frozen=True)
class ThreadPlace:
    """The thread a page is read in: its step, or the step a link was followed from."""

    thread: Thread
    step: int  # 0-based
    on_step: bool  # the page is that step (not a page reached from it)

    def label(self) -> str:
        where = f"step {self.step + 1} of {len(self.thread.steps)} in {one_line(self.thread.title)}"
        if self.on_step:
            return f"S{where[1:]}{g().dot}n next step, p previous"
        return f"From {where}{g().dot}n and p go on with the thread"


class DetailScreen(ReaderScreen):
    CSS_PATH = "detail.tcss"  # read on its first push (see ThawApp.CSS_PATH)
    AUTO_FOCUS = ""  # auto focus would scroll the page past the body to the links
    BINDINGS: ClassVar[list[BindingType]] = [
        # In the order the key bar drops them from the end when it is short of room.
        open_binding("Open"),
        BACK_BINDING,  # (while a search is kept, it ends the search first)
        FORWARD_BINDING,
        # While a search is kept, n and N step through it: its bindings come first for
        # those keys (check_action turns them off when there is none).
        Binding("n", "next_match", "Next match", id="next-match"),
        Binding("n", "next", "Next", id="next"),
        Binding("N", "previous_match", "Previous match", id="previous-match", show=False),
        Binding("N", "previous_unseen", "Previous unseen", id="previous-unseen", show=False),
        Binding("p", "previous", "Previous step", id="previous"),
        Binding("w", "map", "Map", id="map"),
        Binding("y", "copy_address", "Copy address", id="copy-address"),
        Binding("slash", "find", "Find", id="find"),
        Binding("m", "toggle_seen", "Seen", id="toggle_seen"),
        Binding("i", "peek", "Peek at link", id="peek"),
        Binding("u", "undo", "Undo", id="undo", show=False),
        Binding("s", "sources", "Sources in full", id="sources", show=False),
        *[
            Binding(str(d), f"follow({d})", LINK_KEYS, show=False, id=f"follow-{d}")
            for d in (*range(1, 10), 0)
        ],
    ]

    def __init__(
        self,
        pack: Pack,
        progress: Progress,
        history: History,
        origin: Origin,
    ) -> None:
        super().__init__(pack, progress)
        self.history = history
        self.origin = origin
        self._saved: dict[int, tuple[float, int | None]] = {}  # depth -> (scroll, link)
        self._peek_until = 0.0  # the peek's message is up until then (monotonic)
        self.sample_id = ""  # what to draw when built ahead of time, with no history
        # Built ahead (`prepare_detail`): what to do once put away again, at first idle.
        self.built_ahead: Callable[[], None] | None = None
        self.orders = PaneOrders(pack)
        self._texts: dict[str, Text] = {}  # each part's text, unmarked by a search
        self._item_id = ""  # the item drawn
        self._full_sources = False  # `s`: every source by name, not the one-line summary
        self._typed_number = ""  # digits typed towards a link's number (past nine links)
        self.find = PageFind()
        self._finding = False

    def load(self, history: History, origin: Origin) -> None:
        """Show another history (the screen is reused rather than built again)."""
        self.history = history
        self.origin = origin
        self._saved.clear()
        if self.is_mounted:
            self.show_current()

    def compose(self) -> ComposeResult:
        yield header_for(self.pack, self.progress)
        yield Breadcrumb(id="breadcrumb")
        yield Static(id="thread-place")
        with VerticalScroll(id="page", can_focus=False):
            yield Static(id="title")
            yield Static(id="meta")
            yield Static(id="summary")
            yield Static(id="body")
            yield Static(id="extra")
            yield Static(id="address")
            yield Static(id="fact-checks")
            yield Static(id="provenance")
            yield LinkList(id="links")
        yield Static(id="page-status")
        yield KeyBar()

    def on_mount(self) -> None:
        found = self.query("#page")
        if not found:
            return  # (the app quit between building the screen and composing it)
        page = found.first(VerticalScroll)
        self.watch(page, "scroll_y", self._scrolled, init=False)
        self.links.on_highlight = lambda _item_id: self.update_status()
        if self.history.current is not None:
            self.show_current()
        elif self.sample_id in self.pack.items:
            # Built ahead of the first Enter (see `prepare_detail`): draw the page most
            # likely to be opened first, without marking it seen.
            self.draw(self.pack.items[self.sample_id], (0.0, None))

    def on_idle(self) -> None:
        if self.built_ahead is not None:
            done, self.built_ahead = self.built_ahead, None
            # Next, not now: Textual's own idle handler (after this one) is what starts
            # the screen's update timer, the point of showing the page for a moment.
            self.call_next(self._put_away, done)

    def _put_away(self, done: Callable[[], None]) -> None:
        if self.app.screen is not self:  # (a notice went up meanwhile: wait it out)
            self.set_timer(0.1, lambda: self._put_away(done))
            return
        self.app.pop_screen()
        done()

    @property
    def location(self) -> Location:
        location = self.history.current
        assert location is not None
        return location

    @property
    def item(self) -> Item:
        return self.pack.items[self.location.item_id]

    @property
    def links(self) -> LinkList:
        return self.query_one("#links", LinkList)

    @property
    def page(self) -> VerticalScroll:
        return self.query_one("#page", VerticalScroll)

    # --- drawing -------------------------------------------------------------------
    def show_current(
        self, restore: tuple[float, int | None] | None = None, *, remember: bool = True
    ) -> None:
        """Show the history's current page and mark it seen. `remember`: it is where the
        reader now reads (not a page passed on the way back), so "continue" starts here."""
        item = self.item
        self._mark_seen(item.id)
        if remember:
            place = self.thread_place()
            thread_id = place.thread.id if place else None
            self.progress.remember_position(Position(self.origin.pane_id, item.id, thread_id))
        self.hide_peek()
        self.draw(item, restore or (0.0, None))

    def thread_place(self) -> ThreadPlace | None:
        """The thread this page is read in, if any: the last step on the way here."""
        trail = self.history.trail()
        for location in reversed(trail):
            thread = self.pack.thread(location.thread_id) if location.thread_id else None
            if thread is not None and location.step is not None:
                return ThreadPlace(thread, location.step, location is trail[-1])
        return None

    def draw(self, item: Item, restore: tuple[float, int | None]) -> None:
        """Fill the page with `item`, at this scroll offset and link cursor."""
        if item.id != self._item_id:
            self._full_sources = False
            self._end_find()
        self._item_id = item.id
        self._typed_number = ""
        self.query_one(Breadcrumb).parts = tuple(self.breadcrumb())
        place = self.thread_place() if self.history.current is not None else None
        thread_line = self.query_one("#thread-place", Static)
        thread_line.display = place is not None
        thread_line.update(
            Text(place.label() if place else "", no_wrap=True, overflow=g().overflow)
        )
        self._texts = self.page_texts(item)
        self.show_texts()
        self.draw_address(item)
        links = self.links
        links.set_rows(link_rows(self.pack, item.id, self.progress.is_seen))
        scroll, cursor = restore
        if cursor is not None:
            links.cursor = cursor
        links.focus(scroll_visible=False)
        # Lay the whole screen out again before its next frame: its widgets ask for a
        # layout in their own time, and a busy machine could paint one frame of the new
        # text in the previous page's layout.
        self.refresh(layout=True)
        page = self.page
        page.scroll_to(y=scroll, animate=False, immediate=True)
        # The body is laid out after this; scroll again once it has been.
        self.call_after_refresh(page.scroll_to, y=scroll, animate=False, immediate=True)
        self.call_after_refresh(self.update_status)

    def page_texts(self, item: Item) -> dict[str, Text]:
        """Each part of the page as text (empty: the part is not shown)."""
        texts = {
            "title": Text(one_line(item.title), style="bold"),
            "meta": Text(meta_line(self.pack, item)),
            "summary": Text(clean(item.summary).strip()),
            "body": markdown_to_text(item.body),
            "extra": self.extra_text(item),
            "fact-checks": fact_check_text(self.pack, item) if item.fact_checks else Text(),
            "provenance": self.provenance_text(item),
        }
        return texts

    def show_texts(self) -> None:
        """Put each part's text on the page, marked where a search found it."""
        for part in TEXT_PARTS:
            text = self._texts.get(part, Text())
            if self.find.matches:
                text = self.find.marked(part, text)
            widget = self.query_one(f"#{part}", Static)
            widget.display = bool(text.plain)
            shown: RenderableType = Hanging(text) if part in HANGING_PARTS else text
            widget.update(shown)
        block = self.query_one("#fact-checks", Static)
        if self._item_id in self.pack.items:
            item = self.pack.items[self._item_id]
            block.border_title = fact_check_heading(item) if item.fact_checks else ""
        self.links.query_text = self.find.query if self.find.matches else ""
        self.links.refresh()

    def draw_address(self, item: Item) -> None:
        """A source's address, on a line of its own and never wrapped: cut at the edge
        when it is wider than the page (`y` copies it whole)."""
        address = self.query_one("#address", Static)
        url = item.url if isinstance(item, Source) and item.url else ""
        address.display = bool(url)
        if url:
            text = Text("Address", style="bold")
            text.append(" (y copies it):\n", style="dim")
            text.append(one_line(url))
            address.update(text)

    def breadcrumb(self) -> list[str]:
        parts = [self.origin.label]
        trail = self.history.trail()
        for n, location in enumerate(trail):
            title = one_line(self.pack.items[location.item_id].title)
            thread = self.pack.thread(location.thread_id) if location.thread_id else None
            if thread is not None and location.step is not None:
                step = f"step {location.step + 1} of {len(thread.steps)}: {title}"
                previous = trail[n - 1] if n else None
                if previous is not None and previous.thread_id == location.thread_id:
                    parts[-1] = step  # consecutive steps of one thread: show the latest
                else:
                    parts.append(step)
            else:
                parts.append(title)
        return parts

    def extra_text(self, item: Item) -> Text:
        if isinstance(item, Dispute):
            return sides_text(self.pack, item)
        if isinstance(item, Source):
            details = source_details(item)
            return Text("\n".join(details))
        return Text()

    def provenance_text(self, item: Item) -> Text:
        """Where the item comes from: one line, or (`s`) every source by name."""
        if self._full_sources:
            text = Text("Where this comes from\n", style="bold")
            text.append_text(provenance_full(self.pack, item))
            text.append("\n(s: back to one line)", style="dim")
            return text
        summary = provenance_summary(self.pack, item)
        if summary is None:
            return Text()
        text = Text(summary)
        text.append("  (s: every source)", style="dim")
        return text

    # --- the line under the page ------------------------------------------------------
    def _scrolled(self) -> None:
        self.update_status()

    def update_status(self) -> None:
        """Whether the page is seen; its links and how to reach them, or the search,
        or the link number being typed; and how far down the page is."""
        if self.history.current is None or not self.is_mounted:
            return
        dot = g().dot
        parts = [seen_line(self.progress.is_seen(self.item.id)).replace(" yet", "")]
        if self._finding or self.find.query:
            parts.append(self.find.status())
            if self.find.matches and self.find.confirmed:
                parts.append("n next, N previous, Esc ends")
        elif self._typed_number:
            parts.append(f"link {self._typed_number}{g().ellipsis}: another digit, or Enter")
        else:
            parts.append(self.links_status())
        page = self.page
        if page.max_scroll_y > 0:
            if page.scroll_y <= 0:
                parts.append("top")
            elif page.scroll_y >= page.max_scroll_y:
                parts.append("end")
            else:
                parts.append(f"{round(100 * page.scroll_y / page.max_scroll_y)}%")
        line = Text(dot.join(parts), no_wrap=True, overflow=g().overflow)
        self.query_one("#page-status", Static).update(line, layout=False)

    def links_status(self) -> str:
        count = len(self.links.item_ids)
        if count == 0:
            return "no links"
        noun = "link" if count == 1 else "links"
        if self.links.cursor_on_screen():
            position = self.links.item_ids.index(self.links.current_id or "") + 1
            return f"link {position} of {count}: Enter opens it, i peeks"
        return f"{count} {noun} below {g().arrow_down} Enter goes to them"

    # --- seen state ------------------------------------------------------------------
    def _mark_seen(self, item_id: str) -> None:
        if self.progress.mark([item_id], True):
            self.post_message(ProgressChanged([item_id]))

    def refresh_seen(self, item_ids: list[str] | None) -> None:
        """Seen marks changed (here, by undo, or in another session): redraw link glyphs."""
        if self.history.current is not None:
            rows = link_rows(self.pack, self.item.id, self.progress.is_seen)
            cursor = self.links.cursor
            self.links.set_rows(rows)
            self.links.cursor = cursor
            self.update_status()

    # --- moving -------------------------------------------------------------------
    def _save_state(self) -> None:
        self._saved[len(self.history.trail())] = (self.page.scroll_y, self.links.cursor)

    def visit(self, location: Location) -> None:
        """Go to a new page; Back returns here."""
        self._save_state()
        self.history.visit(location)
        self._saved.pop(len(self.history.trail()), None)
        self.show_current()

    def step_to(self, place: ThreadPlace, step: int) -> None:
        """Go to another step of the thread. From a step, the new step takes its place
        in the history (Back leaves the thread, not each step); from a page reached
        by a link, it is visited like a link (Back returns to that page)."""
        location = Location(place.thread.steps[step], place.thread.id, step)
        if place.on_step:
            self.history.back()
            self.history.visit(location)
            self._saved.pop(len(self.history.trail()), None)
            self.show_current()
        else:
            self.visit(location)

    def open_link(self, item_id: str) -> None:
        self.visit(Location(item_id))

    def action_back(self) -> None:
        if self.find.query or self._finding:
            # Esc (or q, h... outside the box) ends a search before going back. (Not a
            # key handler on the box: that ended the search, and then the same Esc,
            # bubbling on to this binding, found none and left the page.)
            self.action_end_find()
            return
        if self._typed_number:
            self._typed_number = ""  # Esc (or h, q...) drops a link number half typed
            self.update_status()
            return
        self._save_state()
        if self.history.back() is None:
            self.hide_peek()
            self.dismiss()
            return
        self.show_current(self._saved.get(len(self.history.trail())), remember=False)

    def action_forward(self) -> None:
        if not self.history.can_forward:
            self.notify("Nothing to go forward to.", timeout=2)
            return
        self._save_state()
        self.history.forward()
        self.show_current(self._saved.get(len(self.history.trail())))

    def action_open(self) -> None:
        """Enter: the link being typed; else the link under the cursor, when it is on
        screen; else go down to the links (never open a link the reader cannot see)."""
        if self._typed_number:
            self._follow_number(int(self._typed_number))
            return
        links = self.links
        target = links.current_id
        if target is None:
            return
        if not links.cursor_on_screen():
            links.bring_into_view()
            self.update_status()
            return
        self.open_link(target)

    def action_follow(self, digit: int) -> None:
        """A digit of a link's number: with up to nine links (or when no longer number
        can follow) it opens the link at once; else it waits for the next digit."""
        typed = self._typed_number + str(digit)
        count = len(self.links.item_ids)
        number = int(typed)
        if number == 0 or number > count:
            self._typed_number = ""
            self.update_status()
            self.notify(f"This page has no link {number}.", timeout=2)
        elif number * 10 > count:
            self._follow_number(number)
        else:
            self._typed_number = typed
            self.update_status()

    def _follow_number(self, number: int) -> None:
        self._typed_number = ""
        targets = self.links.item_ids
        if 1 <= number <= len(targets):
            self.open_link(targets[number - 1])
        else:
            self.notify(f"This page has no link {number}.", timeout=2)

    def on_key(self, event: events.Key) -> None:
        """A key that is not a digit, Enter or Esc drops a link number half typed (and
        then does what it does)."""
        if self._typed_number and not (
            event.key.isdigit() or event.key in ("enter", "escape", "backspace")
        ):
            self._typed_number = ""
            self.update_status()

    @on(ItemList.Chosen, "#links")
    def _link_chosen(self, event: ItemList.Chosen) -> None:
        """A link was double-clicked."""
        event.stop()
        self.open_link(event.item_id)

    def action_peek(self) -> None:
        target = self.links.current_id
        if target is None:
            self.notify("No link selected to peek at.", timeout=2)
            return
        item = self.pack.items[target]
        self.notify(
            clean(item.summary).strip(),
            title=f"{item.kind.label}: {one_line(item.title)}",
            markup=False,
            timeout=PEEK_SECONDS,
        )
        self._peek_until = monotonic() + PEEK_SECONDS

    def hide_peek(self) -> None:
        """The page changes: a peek at one of its links no longer belongs on screen."""
        if self._peek_until > monotonic():
            self.app.clear_notifications()
        self._peek_until = 0.0

    def action_next(self) -> None:
        place = self.thread_place()
        if place is not None:
            if place.step + 1 >= len(place.thread.steps):
                title = one_line(place.thread.title)
                self.notify(f"That was the last step of {title}.", markup=False)
            else:
                self.step_to(place, place.step + 1)
            return
        self.unseen_step(+1)

    def action_previous_unseen(self) -> None:
        place = self.thread_place()
        if place is None:
            self.unseen_step(-1)
            return
        before = [
            step
            for step in range(place.step)
            if not self.progress.is_seen(place.thread.steps[step])
        ]
        if before:
            self.step_to(place, before[-1])
        else:
            self.notify("No unseen step before this one.", timeout=2)

    def unseen_step(self, step: int) -> None:
        """Outside a thread, `n` (step 1) and `N` (-1): the next (previous) unseen item
        of the pane the page was opened from, else of the next pane that has one."""
        is_seen = self.progress.is_seen
        target = unseen_in(self.origin.pane_items, self.location.item_id, is_seen, step)
        if target is not None:
            self.visit(Location(target))
            return
        found = unseen_elsewhere(self.orders, self.origin.pane_id, is_seen, step)
        if found is None:
            self.notify("Everything is seen: there is nothing left to read.", timeout=3)
            return
        left = PANES_BY_ID.get(self.origin.pane_id)
        title = left.title if left is not None else "this pane"
        self.notify(f"Everything in {title} is seen: on to {found.pane.title}.", timeout=3)
        self.go_to_pane(found)

    def go_to_pane(self, found: Found) -> None:
        """Carry on reading in another pane: the page starts a history there, and Back
        leads to that pane's list (the main screen is told to show it)."""
        self._save_state()
        self.origin = Origin(found.pane.title, found.pane_id, self.orders.items(found.pane_id))
        self.history.restart(found.pane.title)
        self.history.visit(Location(found.item_id))
        self._saved.clear()
        self.post_message(ReadingMoved(found.pane_id, found.item_id))
        self.show_current()

    def action_previous(self) -> None:
        place = self.thread_place()
        if place is None:
            return  # (check_action hides the key outside a thread)
        if place.step == 0:
            self.notify("This is the first step.", timeout=2)
        else:
            self.step_to(place, place.step - 1)

    def action_sources(self) -> None:
        """Where the item comes from: every source by name, or back to one line."""
        self._full_sources = not self._full_sources
        self._texts["provenance"] = self.provenance_text(self.item)
        self._refind()
        self.show_texts()

    def action_copy_address(self) -> None:
        item = self.item
        if isinstance(item, Source) and item.url:
            url = one_line(item.url)
            self.app.copy_to_clipboard(url)
            self.notify(
                f"Copied to the clipboard (where the terminal allows it): {url}",
                markup=False,
                timeout=6,
            )

    # --- finding on the page --------------------------------------------------------------
    def action_find(self) -> None:
        """`/`: a box under the page; matches are marked as the reader types."""
        self._finding = True
        found = self.query("#find")
        if found:
            box = found.first(FindBox)
            box.display = True
            box.value = self.find.query
            hold_keys_for(self, box)
            self.call_after_refresh(box.focus)
        else:
            box = FindBox(
                self._find_typed, placeholder="Find on this page; Enter keeps it", id="find"
            )
            box.cursor_blink = not self.app.is_headless
            hold_keys_for(self, box)
            self.mount(box, before="#page-status")
        self.find.confirmed = False
        self.update_status()

    def _find_typed(self, query: str) -> None:
        self.find.search(self.find_parts(), query)
        self.show_texts()
        # Once the marked text is laid out: a query typed in one burst after `/` lands
        # before the new box's first layout, and the page's regions are stale then.
        self.call_after_refresh(self.show_match)
        self.update_status()

    def find_parts(self) -> list[tuple[str, str]]:
        parts = [(part, self._texts[part].plain) for part in TEXT_PARTS if part in self._texts]
        return parts

    def _refind(self) -> None:
        """The page's text changed under a search: find it again."""
        if self.find.query:
            self.find.search(self.find_parts(), self.find.query)

    @on(Input.Submitted, "#find")
    def _find_done(self) -> None:
        """Enter: keep the search, and step through it with n and N."""
        self._close_find_box()
        self.find.confirmed = bool(self.find.matches)
        if not self.find.matches:
            self._end_find()
        self.update_status()

    def _close_find_box(self) -> None:
        found = self.query("#find")
        if found:
            box = found.first(FindBox)
            box.display = False
        self._finding = False
        self.links.focus(scroll_visible=False)

    def action_next_match(self) -> None:
        self.find.step(+1)
        self.show_texts()
        self.show_match()
        self.update_status()

    def action_previous_match(self) -> None:
        self.find.step(-1)
        self.show_texts()
        self.show_match()
        self.update_status()

    def action_end_find(self) -> None:
        self._close_find_box()
        self._end_find()
        self.update_status()

    def _end_find(self) -> None:
        self.find = PageFind()
        self._finding = False
        if self._texts:
            self.show_texts()

    def show_match(self) -> None:
        """Scroll the page so the match being shown is in view, a third of the way down."""
        match = self.find.shown
        if match is None:
            return
        page = self.page
        widget = self.query_one(f"#{match.part}")
        width = widget.content_region.width or page.content_region.width
        text = self._texts[match.part]
        before = Hanging(text[: match.start]).lines(self.app.console, width)
        line = max(0, len(before) - 1)
        top = widget.content_region.y - page.content_region.y + round(page.scroll_y)
        height = page.scrollable_content_region.height
        page.scroll_to(y=max(0, top + line - height // 3), animate=False, immediate=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that can do nothing here are neither shown nor run."""
        if action in ("next_match", "previous_match"):
            return self.find.confirmed and bool(self.find.matches)
        if self.history.current is None:
            return True  # (built ahead of time, not on screen)
        if action == "map":  # only on the page of an item with a place on a map
            return self.item.location is not None
        if action == "previous":
            return self.thread_place() is not None
        if action == "forward":
            return self.history.can_forward
        if action in ("open", "peek"):
            return self.links.current_id is not None
        if action == "sources":
            return provenance_summary(self.pack, self.item) is not None
        if action == "copy_address":
            return isinstance(self.item, Source) and bool(self.item.url)
        return True

    def action_toggle_seen(self) -> None:
        toggle_seen(self, self.progress, self.pack, self.item.id)
        self.update_status()

    def action_undo(self) -> None:
        undo_last(self, self.progress, self.pack)

    def action_map(self) -> None:
        """The map, zoomed in on this item; Enter on another marker there opens it."""
        from thaw_tui.ui.screens.map import MapScreen

        self.app.push_screen(MapScreen(self.pack, self.progress, self.item.id, self.open_link))


class FindBox(TypedBox):
    """`/` on a page (see `TypedBox`)."""


DETAIL_SCREEN = "detail"


def push_detail(
    app: App[object], pack: Pack, progress: Progress, history: History, origin: Origin
) -> None:
    """Open the page screen on `history`'s current location.

    One DetailScreen is built on first use and then reused: building and styling
    a screen costs more than a key press may take, refilling its widgets does not.
    """
    if app.is_screen_installed(DETAIL_SCREEN):
        screen = app.get_screen(DETAIL_SCREEN)
        assert isinstance(screen, DetailScreen)
        screen.load(history, origin)
    else:
        screen = DetailScreen(pack, progress, history, origin)
        app.install_screen(screen, DETAIL_SCREEN)
    app.push_screen(screen)


def prepare_detail(
    app: App[Any],
    pack: Pack,
    progress: Progress,
    sample_id: str | None,
    then: Callable[[], None] = lambda: None,
) -> None:
    """Build the page screen before the first Enter needs it, without showing it, then
    call `then`.

    The page is pushed, composed, styled and laid out with `sample_id` (the item most
    likely to be opened first) drawn in it, and popped as soon as it goes idle
    (`DetailScreen.on_idle`), before it draws a frame. By then Textual has started the
    screen's update timer: its first tick comes a whole interval (1/60 s) after it
    starts, and every later one at once, so the reader's first Enter no longer waits
    for it. The caller holds the keys typed meanwhile for the main screen.
    """
    if app.is_screen_installed(DETAIL_SCREEN):
        then()
        return
    screen = DetailScreen(pack, progress, History(), Origin("", ""))
    screen.sample_id = sample_id or ""
    screen.built_ahead = then
    app.install_screen(screen, DETAIL_SCREEN)
    app.push_screen(screen)
