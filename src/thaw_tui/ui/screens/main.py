"""The main screen: a header, the pane bar, one pane at a time, and the footer.

Panes are built the first time they are shown, so first paint only pays for the
Story pane. Opening a row pushes a detail page (or a thread's steps); the pane
underneath keeps its cursor and scroll, so coming back lands where you left.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Resize

from thaw_tui.navigation import History, Location
from thaw_tui.pack.model import Kind, Pack, Thread
from thaw_tui.progress import Position, Progress
from thaw_tui.ui.key_hold import hold_keys_for
from thaw_tui.ui.keys import FORWARD_BINDING, open_binding
from thaw_tui.ui.pane_specs import (
    PANE_KEYS,
    PANES,
    PANES_BY_ID,
    THREADS_PANE,
    PaneRole,
    PaneSpec,
    pane_for_kind,
)
from thaw_tui.ui.progress_actions import (
    confirm_mark_seen,
    first_unseen_step,
    toggle_seen,
    undo_last,
)
from thaw_tui.ui.reading_order import PaneOrders, unseen_elsewhere, unseen_in
from thaw_tui.ui.screens.base import ReaderScreen
from thaw_tui.ui.text import one_line
from thaw_tui.ui.widgets.bars import PaneBar, Tab, header_for
from thaw_tui.ui.widgets.key_bar import KeyBar
from thaw_tui.ui.widgets.list_pane import ListPane
from thaw_tui.ui.widgets.threads_pane import ThreadsPane

WIDE = 100  # columns from which the list gets a preview beside it


# The picture panes (and the maps and relations they draw) are imported when first
# shown: the first screen is the Story pane, and start-up should not pay for them.
def _map_pane() -> type[ListPane]:
    from thaw_tui.ui.widgets.picture_panes import MapPane

    return MapPane


def _relations_pane() -> type[ListPane]:
    from thaw_tui.ui.widgets.picture_panes import RelationsPane

    return RelationsPane


def _timeline_pane() -> type[ListPane]:
    from thaw_tui.ui.widgets.picture_panes import TimelinePane

    return TimelinePane


# What builds the widget of a pane of each role (a function returning its class).
PANE_WIDGETS: dict[PaneRole, Callable[[], type[ListPane]]] = {
    PaneRole.ITEMS: lambda: ListPane,
    PaneRole.THREADS: lambda: ThreadsPane,
    PaneRole.MAP: _map_pane,
    PaneRole.RELATIONS: _relations_pane,
}
# Panes whose rows are items (not threads): n, m and M work on those items.
ITEM_ROLES = frozenset({PaneRole.ITEMS, PaneRole.MAP, PaneRole.RELATIONS})
# Item panes that show a picture above their list.
KIND_PANE_WIDGETS: dict[Kind, Callable[[], type[ListPane]]] = {Kind.EVENT: _timeline_pane}


class MainScreen(ReaderScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        open_binding("Open"),
        *[
            Binding(
                PANE_KEYS[pane.id],
                f"switch_pane('{pane.id}')",
                f"{pane.title} pane",
                show=False,
                id=pane.id,
            )
            for pane in PANES
        ],
        Binding("tab", "cycle_pane(1)", "Next pane", show=False),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False),
        Binding("slash", "filter", "Filter"),
        Binding("o", "only_unseen", "Only unseen", show=False),
        Binding("n", "next_unseen", "Next unseen"),
        Binding("N", "previous_unseen", "Previous unseen", show=False),
        Binding("c", "continue_thread", "Continue thread"),
        Binding("m", "toggle_seen", "Seen"),
        Binding("u", "undo", "Undo", show=False),
        Binding("M", "mark_pane_seen", "Mark all seen", show=False),
        FORWARD_BINDING,
        Binding("f", "fact_checks", "Fact checks"),
    ]

    def __init__(self, pack: Pack, progress: Progress, flags: Mapping[str, str]) -> None:
        super().__init__(pack, progress)
        self.flags = flags
        self.current_pane = PANES[0].id
        self.history = History(PANES[0].title)
        self._origin_pane = PANES[0].id
        self.orders = PaneOrders(pack)
        self._when_back: tuple[str, str] | None = None  # (pane, item) to show on return

    def compose(self) -> ComposeResult:
        yield header_for(self.pack, self.progress)
        tabs = [Tab(pane.id, PANE_KEYS[pane.id], pane.title) for pane in PANES]
        yield PaneBar(
            tabs, lambda pane_id: self.orders.unseen_count(pane_id, self.progress.is_seen)
        )
        # The first pane is built with the screen, so the first frame shows its list (a
        # pane mounted from on_mount would arrive a frame after the header); the others
        # are built on first use.
        # (Straight onto the screen, between the bars: a container around the panes
        # would be one more widget to style and lay out before the first frame.)
        yield self._new_pane(self.current_pane)
        yield KeyBar()

    def on_mount(self) -> None:
        self.switch_pane(self.current_pane, remember=False)

    def show_when_back(self, pane_id: str, item_id: str) -> None:
        """The reader went on to this pane from a page: show it (the cursor on `item_id`)
        when they come back. Not now: the pane may need building, for keys not yet typed."""
        self._when_back = (pane_id, item_id)
        self._origin_pane = pane_id

    def on_screen_resume(self) -> None:
        if self._when_back is not None:
            pane_id, item_id = self._when_back
            self._when_back = None
            self.switch_pane(pane_id).select(item_id)
        super().on_screen_resume()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")

    # --- panes -------------------------------------------------------------------------
    def _spec(self) -> PaneSpec:
        return PANES_BY_ID[self.current_pane]

    def pane(self, pane_id: str | None = None) -> ListPane:
        """The pane with this id, built and mounted on first use."""
        pane_id = pane_id or self.current_pane
        found = self.query(f"#pane-{pane_id}")
        if found:
            widget = found.first()
            assert isinstance(widget, ListPane)
            return widget
        pane = self._new_pane(pane_id)
        self.mount(pane, before=self.query_one(KeyBar))
        return pane

    def _new_pane(self, pane_id: str) -> ListPane:
        spec = PANES_BY_ID[pane_id]
        widget_for = PANE_WIDGETS[spec.role]
        if spec.kind is not None:
            widget_for = KIND_PANE_WIDGETS.get(spec.kind, widget_for)
        pane = widget_for()(spec, self.pack, self.progress, self.flags)
        pane.display = False  # until `switch_pane` shows it
        return pane

    def switch_pane(self, pane_id: str, remember: bool = True) -> ListPane:
        previous = self.current_pane
        pane = self.pane(pane_id)
        if not pane.ready:
            hold_keys_for(self, pane)  # the keys typed after this one are for it
            if self.focused is not None:
                self.set_focus(None)  # keys must not reach the hidden pane meanwhile
        for other in self.query(ListPane):
            other.display = other is pane
        if previous != pane_id:
            self.pane(previous).left()
        self.current_pane = pane_id
        self.query_one(PaneBar).current = pane_id
        pane.focus_list()
        if remember:
            last = self.progress.position or Position()
            self.progress.remember_position(Position(pane_id, last.item_id, last.thread_id))
        return pane

    def action_switch_pane(self, pane_id: str) -> None:
        self.switch_pane(pane_id)

    def action_filter(self) -> None:
        self.pane().start_filter()

    def action_only_unseen(self) -> None:
        self.pane().toggle_only_unseen()

    def action_cycle_pane(self, step: int) -> None:
        ids = [pane.id for pane in PANES]
        self.switch_pane(ids[(ids.index(self.current_pane) + step) % len(ids)])

    # --- opening -----------------------------------------------------------------------
    def action_open(self) -> None:
        pane = self.pane()
        if pane.current_id is not None:
            self.open_row(pane, pane.current_id)

    @on(ListPane.ItemChosen)
    def _chosen(self, event: ListPane.ItemChosen) -> None:
        """A row was double-clicked."""
        event.stop()
        self.open_row(event.pane, event.item_id)

    def open_row(self, pane: ListPane, item_id: str) -> None:
        role = pane.spec.role
        if role is PaneRole.THREADS:
            thread = self.pack.thread(item_id)
            if thread is not None:
                self.open_thread(thread)
        elif role is PaneRole.ITEMS:
            pane.keep_visible(item_id)
            self.open_item(item_id, pane.spec.id)
        elif role in (PaneRole.MAP, PaneRole.RELATIONS):
            self.open_item(item_id, pane.spec.id)

    def open_item(self, item_id: str, pane_id: str | None = None) -> None:
        """Open an item's page from its pane (switching to it), starting a new history."""
        kind = self.pack.items[item_id].kind
        pane_id = pane_id or pane_for_kind(kind) or self.current_pane
        if pane_id != self.current_pane:
            self.switch_pane(pane_id)
        pane = self.pane(pane_id)
        pane.select(item_id)
        self.history.restart(PANES_BY_ID[pane_id].title)
        self.history.visit(Location(item_id))
        self._origin_pane = pane_id
        self._push_detail(self.history)

    def _push_detail(self, history: History) -> None:
        from thaw_tui.ui.screens.detail import Origin, push_detail

        pane_id = self._origin_pane
        origin = Origin(history.root, pane_id, tuple(self.pane(pane_id).all_ids()))
        push_detail(self.app, self.pack, self.progress, history, origin)

    def open_thread(self, thread: Thread, step: int | None = None) -> None:
        """Show a thread's steps; with `step`, open that step's page over them at once."""
        from thaw_tui.ui.screens.thread import ThreadScreen

        if self.current_pane != THREADS_PANE.id:
            self.switch_pane(THREADS_PANE.id)
        self.pane(THREADS_PANE.id).select(thread.id)
        last = self.progress.position or Position()
        self.progress.remember_position(Position(THREADS_PANE.id, last.item_id, thread.id))
        screen = ThreadScreen(self.pack, self.progress, thread)
        self.app.push_screen(screen)
        if step is not None:
            screen.open_step(step)

    def action_fact_checks(self) -> None:
        """Every fact-check note in the pack, on a screen of its own."""
        from thaw_tui.ui.screens.fact_checks import FactChecksScreen

        self.app.push_screen(FactChecksScreen(self.pack, self.progress, self.current_pane))

    def action_forward(self) -> None:
        if self.history.can_forward:
            self.history.forward()
            self._push_detail(self.history)
        else:
            self.notify("Nothing to go forward to.", timeout=2)

    # --- tracker keys ------------------------------------------------------------------
    def action_next_unseen(self) -> None:
        self.unseen_step(+1)

    def action_previous_unseen(self) -> None:
        self.unseen_step(-1)

    def unseen_step(self, step: int) -> None:
        """`n` (step 1) or `N` (-1): open the next or previous unseen item of the pane,
        or when it has none, of the next (previous) pane that still has one."""
        pane = self.pane()
        if pane.spec.role is PaneRole.THREADS and step > 0:
            self.action_continue_thread()
            return
        if pane.spec.role not in ITEM_ROLES:
            return  # (check_action hides the key here)
        is_seen = self.progress.is_seen
        target = unseen_in(pane.visible_ids(), pane.current_id, is_seen, step)
        if target is not None:
            pane.select(target)
            pane.keep_visible(target)
            self.open_item(target, pane.spec.id)
            return
        hidden = [i for i in pane.all_ids() if i not in set(pane.visible_ids())]
        unseen_hidden = sum(1 for i in hidden if not is_seen(i))
        if unseen_hidden:
            self.notify(
                f"No unseen item is shown: the filter hides {unseen_hidden} (Esc clears it).",
                timeout=3,
            )
            return
        found = unseen_elsewhere(self.orders, pane.spec.id, is_seen, step)
        if found is None:
            self.notify("Everything is seen: there is nothing left to read.", timeout=3)
            return
        self.open_item(found.item_id, found.pane_id)
        # Said over the page it opened (a message sent before would go with this screen).
        self.app.notify(f"Everything in {pane.spec.title} is seen: on to {found.pane.title}.")

    def _current_thread(self) -> Thread | None:
        """The thread under the cursor, when the current pane is the threads pane."""
        pane = self.pane()
        if pane.spec.role is not PaneRole.THREADS:
            return None
        return self.pack.thread(pane.current_id or "")

    def action_continue_thread(self) -> None:
        thread = self._current_thread()
        if thread is None:
            key = PANE_KEYS[THREADS_PANE.id]
            self.notify(f"Continue works on a thread: press {key} and pick one.", timeout=3)
            return
        step = first_unseen_step(thread, self.progress.is_seen)
        if step is None:
            self.notify(f"Every step of {one_line(thread.title)} is seen.", markup=False)
            return
        self.open_thread(thread, step)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that can do nothing here are neither shown nor run."""
        role = self._spec().role
        if action == "continue_thread":
            return role is PaneRole.THREADS
        if action in ("next_unseen", "mark_pane_seen"):
            return role in ITEM_ROLES or role is PaneRole.THREADS
        if action == "previous_unseen":
            return role in ITEM_ROLES
        if action == "toggle_seen":
            return role in ITEM_ROLES and self.pane().current_id is not None
        if action == "open":
            return self.pane().current_id is not None
        if action == "forward":
            return self.history.can_forward
        return True

    def action_toggle_seen(self) -> None:
        pane = self.pane()
        item_id = pane.current_id
        if item_id is None or pane.spec.role not in ITEM_ROLES:
            return  # (check_action hides the key here)
        pane.keep_visible(item_id)
        toggle_seen(self, self.progress, self.pack, item_id)

    def action_undo(self) -> None:
        undo_last(self, self.progress, self.pack)

    def action_mark_pane_seen(self) -> None:
        pane = self.pane()
        thread = self._current_thread()
        if thread is None and pane.spec.role not in ITEM_ROLES:
            return  # (check_action hides the key here)
        ids = list(dict.fromkeys(thread.steps if thread else pane.all_ids()))
        where = f"the thread {one_line(thread.title)}" if thread else pane.spec.title
        unseen = [i for i in ids if not self.progress.is_seen(i)]
        if not unseen:
            self.notify(f"Everything in {where} is already seen.", markup=False, timeout=3)
            return
        question = f"Mark all {len(unseen)} unseen items in {where} as seen?"
        confirm_mark_seen(self, self.progress, unseen, question, "items")

    def refresh_seen(self, item_ids: list[str] | None) -> None:
        for pane in self.query(ListPane):
            pane.refresh_seen(item_ids)
        self.query_one(PaneBar).counts_changed()  # (and maybe its lines)
