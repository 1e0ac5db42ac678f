"""An item's page: title, meta, summary, body, provenance, then its links.

The screen walks a `History`: following a link visits a new location, back and
forward move through it, and backing out of the first location returns to the
list it was opened from (which has kept its place underneath).
"""

from __future__ import annotations

from dataclasses import dataclass
from time import monotonic
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from thaw_tui.navigation import History, Location
from thaw_tui.pack.model import Dispute, Item, Pack, Source, Thread
from thaw_tui.progress import Position, Progress
from thaw_tui.ui.keys import BACK_BINDING, FORWARD_BINDING, open_binding
from thaw_tui.ui.markdown_text import markdown_to_text
from thaw_tui.ui.messages import ProgressChanged, ReadingMoved
from thaw_tui.ui.pane_specs import PANES_BY_ID
from thaw_tui.ui.progress_actions import toggle_seen, undo_last
from thaw_tui.ui.reading_order import Found, PaneOrders, unseen_elsewhere, unseen_in
from thaw_tui.ui.rows import (
    fact_check_heading,
    fact_check_text,
    link_rows,
    meta_line,
    provenance_line,
    source_details,
)
from thaw_tui.ui.screens.base import ReaderScreen
from thaw_tui.ui.text import clean, one_line
from thaw_tui.ui.widgets.bars import Breadcrumb, header_for
from thaw_tui.ui.widgets.item_list import ItemList
from thaw_tui.ui.widgets.key_bar import KeyBar
from thaw_tui.ui.widgets.link_list import LinkList


@dataclass(frozen=True)
class Origin:
    """Where the reader opened the first page from: shown first in the breadcrumb."""

    label: str  # "Disputes", "Threads › Why the thaw stalled"
    pane_id: str  # the pane to reopen on "continue"
    pane_items: tuple[str, ...] = ()  # that pane's items in order, for `n` outside a thread


LINK_NUMBERS = range(1, 10)  # keys 1-9 follow the page's first nine links
PEEK_SECONDS = 8.0


@dataclass(frozen=True)
class ThreadPlace:
    """The thread a page is read in: its step, or the step a link was followed from."""

    thread: Thread
    step: int  # 0-based
    on_step: bool  # the page is that step (not a page reached from it)

    def label(self) -> str:
        where = f"step {self.step + 1} of {len(self.thread.steps)} in {one_line(self.thread.title)}"
        if self.on_step:
            return f"S{where[1:]} · n next step, p previous"
        return f"From {where} · n and p go on with the thread"


class DetailScreen(ReaderScreen):
    AUTO_FOCUS = ""  # auto focus would scroll the page past the body to the links
    BINDINGS: ClassVar[list[BindingType]] = [
        open_binding("Open"),
        BACK_BINDING,
        FORWARD_BINDING,
        Binding("i", "peek", "Peek at link", id="peek"),
        Binding("n", "next", "Next", id="next"),
        Binding("N", "previous_unseen", "Previous unseen", id="previous-unseen", show=False),
        Binding("p", "previous", "Prev step", id="previous"),
        Binding("m", "toggle_seen", "Seen", id="toggle_seen"),
        Binding("u", "undo", "Undo", id="undo", show=False),
        Binding("w", "map", "Map", id="map"),
        *[
            Binding(str(d), f"follow({d})", "Follow link by number", show=False, id=f"follow-{d}")
            for d in LINK_NUMBERS
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
        self.orders = PaneOrders(pack)

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
            yield Static(id="fact-checks")
            yield Static(id="provenance")
            yield LinkList(id="links")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.history.current is not None:
            self.show_current()
        elif self.sample_id in self.pack.items:
            # Built ahead of the first Enter (see `prepare_detail`): draw the page most
            # likely to be opened first, without marking it seen.
            self.draw(self.pack.items[self.sample_id], (0.0, None))

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
        self.query_one(Breadcrumb).parts = tuple(self.breadcrumb())
        place = self.thread_place() if self.history.current is not None else None
        thread_line = self.query_one("#thread-place", Static)
        thread_line.display = place is not None
        thread_line.update(Text(place.label() if place else "", no_wrap=True, overflow="ellipsis"))
        self.query_one("#title", Static).update(Text(one_line(item.title), style="bold"))
        self.query_one("#meta", Static).update(Text(meta_line(self.pack, item)))
        self.query_one("#summary", Static).update(Text(clean(item.summary).strip()))
        self.query_one("#body", Static).update(markdown_to_text(item.body))
        extra = self.query_one("#extra", Static)
        extra_text = self.extra_text(item)
        extra.update(extra_text)
        extra.display = bool(extra_text.plain)
        self.draw_fact_checks(item)
        self.query_one("#provenance", Static).update(self.provenance_text(item))
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
        page = self.query_one("#page", VerticalScroll)
        page.scroll_to(y=scroll, animate=False, immediate=True)
        # The body is laid out after this; scroll again once it has been.
        self.call_after_refresh(page.scroll_to, y=scroll, animate=False, immediate=True)

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
        text = Text()
        if isinstance(item, Dispute):
            for side in item.sides:
                actor = self.pack.items.get(side.actor)
                who = one_line(actor.title) if actor else side.actor
                name = one_line(side.name)
                if side.native_name:
                    name += f" ({one_line(side.native_name)})"
                text.append(f"{who}", style="bold")
                text.append(f" calls it {name}: ")
                text.append(clean(side.position).strip() + "\n")
        if isinstance(item, Source):
            text.append("\n".join(source_details(item)))
        text.rstrip()
        return text

    def draw_fact_checks(self, item: Item) -> None:
        """The notes in a bordered block titled "⚑ Fact check" (hidden without notes)."""
        block = self.query_one("#fact-checks", Static)
        block.display = bool(item.fact_checks)
        if item.fact_checks:
            block.border_title = fact_check_heading(item)
            block.update(fact_check_text(self.pack, item))

    def provenance_text(self, item: Item) -> Text:
        text = Text()
        text.append("From: ", style="bold")
        text.append(provenance_line(self.pack, item))
        if item.provenance.context:
            text.append("\nContext: ", style="bold")
            text.append(one_line(item.provenance.context))
        return text

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

    # --- moving -------------------------------------------------------------------
    def _save_state(self) -> None:
        page = self.query_one("#page", VerticalScroll)
        self._saved[len(self.history.trail())] = (page.scroll_y, self.links.cursor)

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
        target = self.links.current_id
        if target is not None:
            self.open_link(target)

    def action_follow(self, number: int) -> None:
        choosable = [row.item_id for row in self.links.rows if row.item_id is not None]
        if number <= len(choosable):
            self.open_link(choosable[number - 1])
        else:
            self.notify(f"This page has no link {number}.", timeout=2)

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that can do nothing here are neither shown nor run."""
        if self.history.current is None:
            return True  # (built ahead of time, not on screen)
        if action == "map":  # only on the page of an item with a place on a map
            return self.history.current is not None and self.item.location is not None
        if action == "previous":
            return self.thread_place() is not None
        if action == "forward":
            return self.history.can_forward
        if action in ("open", "peek"):
            return self.links.current_id is not None
        return True

    def action_toggle_seen(self) -> None:
        toggle_seen(self, self.progress, self.pack, self.item.id)

    def action_undo(self) -> None:
        undo_last(self, self.progress, self.pack)

    def action_map(self) -> None:
        """The map, zoomed in on this item; Enter on another marker there opens it."""
        from thaw_tui.ui.screens.map import MapScreen

        self.app.push_screen(MapScreen(self.pack, self.progress, self.item.id, self.open_link))


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


def prepare_detail(app: App[Any], pack: Pack, progress: Progress, sample_id: str | None) -> None:
    """Build the page screen before the first Enter needs it, without showing it.

    Pushing and popping it in one step (nothing is drawn in between) composes it,
    styles it and lays it out, with `sample_id` (the item most likely to be opened
    first) drawn in it, while the reader is still taking in the first paint.
    """
    if app.is_screen_installed(DETAIL_SCREEN):
        return
    screen = DetailScreen(pack, progress, History(), Origin("", ""))
    screen.sample_id = sample_id or ""
    app.install_screen(screen, DETAIL_SCREEN)
    app.push_screen(screen)
    app.pop_screen()
