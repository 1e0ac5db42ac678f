"""The reader application: `ThawApp(pack, progress)`.

The app owns the screens' shared state (pack, progress, flags) and passes it
down; screens post `ProgressChanged` up and the app brings every view up to date.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from time import monotonic
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.events import Resize
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.worker import WorkerFailed, get_current_worker

from thaw_tui.pack.model import Item, Pack
from thaw_tui.progress import Position, Progress
from thaw_tui.ui.glyphs import g
from thaw_tui.ui.key_hold import KeyHold, TakesKeys
from thaw_tui.ui.keys import key_display
from thaw_tui.ui.messages import ProgressChanged, ReadingMoved
from thaw_tui.ui.pane_specs import PANE_KEYS, PANES, PANES_BY_ID, PaneSpec, pane_for_kind
from thaw_tui.ui.progress_actions import first_unseen_step, next_unseen
from thaw_tui.ui.screens.base import Dialog, ReaderScreen
from thaw_tui.ui.screens.main import MainScreen
from thaw_tui.ui.screens.too_small import TooSmallScreen, too_small
from thaw_tui.ui.text import one_line, quoted
from thaw_tui.ui.widgets.bars import HeaderBar

if TYPE_CHECKING:
    from textual.command import Provider

    from thaw_tui.ui.screens.welcome import WayIn


def preload_markdown() -> None:
    """Import what the first page needs (and build the Markdown parser) ahead of time."""
    import thaw_tui.ui.screens.detail  # noqa: F401
    from thaw_tui.ui.markdown_text import parser

    parser()


# The palette's providers, imported when the palette first opens (Textual takes a
# callable for a provider class): the first paint does not need them or page_text.
def item_commands() -> type[Provider]:
    from thaw_tui.ui.commands import ItemCommands

    return ItemCommands


def fact_check_commands() -> type[Provider]:
    from thaw_tui.ui.commands import FactCheckCommands

    return FactCheckCommands


def fingerprints_of(items: Iterable[Item], cancelled: Callable[[], bool]) -> dict[str, str] | None:
    """Every item's fingerprint by id; None if `cancelled()` comes true on the way."""
    from thaw_tui.pack.fingerprint import item_fingerprint

    found: dict[str, str] = {}
    for item in items:
        if cancelled():
            return None
        found[item.id] = item_fingerprint(item)
    return found


def settle_garbage_collector() -> None:
    """Collect start-up's garbage now, set everything still alive aside, and let the
    collector run again (`thaw` starts with it off: cli/read.py).

    Otherwise Python's next full collection (due a few key presses in) walks every
    object built at start-up, a pause of 15-20 ms in the middle of a repaint; frozen
    objects are skipped, so later collections only look at what came after.
    """
    gc.collect()
    gc.freeze()
    gc.enable()


# q quits from the main screen; the pages bind it to Back (`keys.BACK_BINDING`), as
# newsboat does. Q (and Ctrl+C) quit from anywhere.
QUIT_ON_MAIN = Binding("q", "quit", "Quit")
PALETTE_PROMPT = "Find an item (by title, name, date or source) or a command"
SETTLE_SECONDS = 0.15  # after first paint and the page built ahead (not in a key's way)
REFRESH_SECONDS = 5.0  # how often to pick up marks made by another session


class ThawApp(App[int]):
    TITLE = "thaw"
    # Each screen's styles sit beside it. The main screen's are loaded with the app, so
    # its first frame is styled once. A screen's own CSS_PATH is read on its first push
    # and restyles every widget then: the item page's (detail.tcss) is, just after the
    # first paint, when the page is built ahead (`prepare_page`), so neither the first
    # paint nor the first Enter pays for it. Read app-wide, every rule in them names its
    # screen (`DetailScreen #title`).
    CSS_PATH: ClassVar = ["screens/main.tcss"]
    # ASCII borders (LANG=C): read only when the terminal needs them.
    ASCII_CSS_PATH = "ascii.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {item_commands, fact_check_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        QUIT_ON_MAIN,
        Binding("Q", "quit", "Quit"),  # from anywhere
        # Ctrl+C quits, as in less, lazygit or k9s (Textual would copy): a priority
        # binding, so that no widget (the filter box) takes it first.
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Keys"),
    ]

    def __init__(
        self,
        pack: Pack,
        progress: Progress,
        *,
        served: bool = False,
        fingerprints: dict[str, str] | None = None,
    ) -> None:
        unicode = g().unicode
        super().__init__(css_path=None if unicode else [*self.CSS_PATH, self.ASCII_CSS_PATH])
        self.pack = pack
        self.progress = progress
        # Item fingerprints, when the pack cache already has them (else hashed later).
        self._fingerprints = fingerprints
        self.served = served
        self.flags: dict[str, str] = {}  # item id -> "new" / "changed"
        self.main = MainScreen(pack, progress, self.flags)
        self._too_small: TooSmallScreen | None = None
        self.key_hold = KeyHold(self, self._send_again)
        self._stack_depth = 0
        self._start_position: Position | None = None
        self._started = False  # theme changes before this are restorations, not choices
        # The hint shown on the way in by browsing, while it is the only notification
        # up: the next screen the reader opens takes it away (`_screen_changed`).
        self._hint_alone = False
        self._notices_until = 0.0  # (monotonic) when every other notification is gone
        if not unicode:  # (LANG=C): ASCII borders and scrollbars too, not only marks
            from thaw_tui.ui.ascii_chrome import use_ascii_chrome

            use_ascii_chrome(cast("App[object]", self))

    # --- start ------------------------------------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        # Textual 8.2's command palette searches in a worker that can still be running
        # when keys typed fast close the palette again; the worker then fails to find
        # the palette's list and would end the whole app. Nothing is lost by ignoring
        # that one failure (the palette is gone); every other error still ends the app.
        if (
            isinstance(error, WorkerFailed)
            and isinstance(error.error, NoMatches)
            and "CommandList" in str(error.error)
        ):
            return
        super()._handle_exception(error)

    def get_default_screen(self) -> MainScreen:
        # The main screen is the bottom of the stack, not pushed over Textual's blank
        # default screen: that screen would be composed, styled and laid out for nothing
        # before the first frame (a twentieth of start-up's work, counted).
        return self.main

    def on_mount(self) -> None:
        self._start_position = self.progress.position  # what "continue" would offer
        saved_theme = self.progress.settings.get("theme")
        if saved_theme in self.available_themes:
            self.theme = saved_theme
        self._started = True
        self.screen_change_signal.subscribe(self, self._screen_changed, immediate=True)
        # Keys typed before the first pane has focus wait for it (see key_hold).
        self.key_hold.opened(self.main, dialog=False, by_key=False)
        # The terminal's first Resize can arrive before this (and the main screen would
        # then cover the notice): check the size once the reader screen is in place.
        self.fit_to_size(self.size.width, self.size.height)
        for notice in self.progress.notices:
            self.notify(notice, severity="warning", timeout=12, markup=False)
        self.call_after_refresh(self._after_first_paint)
        self.set_interval(REFRESH_SECONDS, self.poll_progress)

    class ItemsHashed(Message):
        """Every item's fingerprint, worked out off the main thread."""

        def __init__(self, fingerprints: dict[str, str]) -> None:
            super().__init__()
            self.fingerprints = fingerprints

    def _after_first_paint(self) -> None:
        self.prepare_page(then=self._offer_a_way_in)
        self._prepare()

    def _offer_a_way_in(self) -> None:
        from thaw_tui.ui.screens.welcome import is_first_start

        if is_first_start(self.progress):
            self.offer_ways_in()
        else:
            self.offer_continue()

    @work(thread=True, name="prepare")
    def _prepare(self) -> None:
        """Off the main thread, so keys stay quick: hash the items (to flag what is new
        since last time) and load the Markdown parser (so the first page opens fast).

        Textual cancels the worker when the app exits; a message posted after that
        is dropped, so nothing reaches an app that has gone.
        """
        worker = get_current_worker()
        fingerprints = self._fingerprints
        if fingerprints is None:
            fingerprints = fingerprints_of(self.pack, lambda: worker.is_cancelled)
        if fingerprints is None:
            return
        self.post_message(self.ItemsHashed(fingerprints))
        if not worker.is_cancelled:
            preload_markdown()

    def on_thaw_app_items_hashed(self, message: ItemsHashed) -> None:
        self.note_pack_changes(message.fingerprints)

    def prepare_page(self, then: Callable[[], None]) -> None:
        """Build the item page now, so the reader's first Enter costs less; then `then`."""
        if not self.is_headless:  # (tests run many apps in one process: leave theirs be)
            self.set_timer(SETTLE_SECONDS, settle_garbage_collector)
        if self.screen is not self.main:
            then()  # a notice is up (too small): the page is built on first use instead
            return
        from thaw_tui.ui.screens.detail import prepare_detail

        # The page is on top for a moment: keys typed then wait for the main screen.
        # If none came, `then` (the offers of a way in) goes on as if it had not been.
        self.key_hold.opened(self.main, dialog=False, by_key=False)

        def built() -> None:
            self.key_hold.let_go_if_empty()
            then()

        sample = self.main.pane().current_id
        prepare_detail(self, self.pack, self.progress, sample, built)

    def note_pack_changes(self, fingerprints: dict[str, str]) -> None:
        """Flag items added or changed since the reader's last session (the store is
        only ever used from the main thread)."""
        delta = self.progress.note_pack(self.pack.manifest.version, fingerprints)
        self.flags.update({item_id: "changed" for item_id in delta.changed})
        self.flags.update({item_id: "new" for item_id in delta.new})
        if self.flags:
            self.main.refresh_seen(None)

    def offer_ways_in(self) -> None:
        """A reader's first start: the first screen, unless they are already typing."""
        if self.screen is self.main and not self.key_hold.any_key_yet:
            self.action_welcome()

    def action_welcome(self) -> None:
        """The first screen: what thaw is, and the ways into the article."""
        from thaw_tui.ui.screens.welcome import WelcomeScreen

        if not isinstance(self.screen, WelcomeScreen):
            self.push_screen(WelcomeScreen(self.pack, self.progress), self.take_way_in)

    def take_way_in(self, way: WayIn | None) -> None:
        """The first screen closed (never shown by itself again): go the way chosen.
        None: a key that is not the screen's closed it, and goes on to the main screen."""
        from thaw_tui.ui.screens.welcome import ARTICLE, WELCOME_SETTING, pane_keys

        if self.progress.settings.get(WELCOME_SETTING) != "closed":
            self.progress.remember_setting(WELCOME_SETTING, "closed")
        if way is None:
            return
        main = self.go_main()
        if way.thread is not None:
            step = first_unseen_step(way.thread, self.progress.is_seen)
            main.open_thread(way.thread, step or 0)
        elif way.kind == ARTICLE:
            story = PANES[0]
            order = main.orders.items(story.id)
            if order:
                first = next((i for i in order if not self.progress.is_seen(i)), order[0])
                main.open_item(first, story.id)
        else:
            main.switch_pane(PANES[0].id)
            alone = self._notices_until <= monotonic()
            self.notify(
                f"{pane_keys()} switch panes, Enter opens, / finds, n reads on; ? lists every key.",
                timeout=6,
            )
            self._hint_alone = alone

    def offer_continue(self) -> None:
        from thaw_tui.ui.screens.dialogs import ContinueScreen

        if self.screen is not self.main or self.key_hold.any_key_yet:
            return  # the reader is already on the move: do not interrupt
        description = self.continue_description()
        if description is None:
            return

        def answered(answer: bool | None) -> None:
            if answer:
                self.continue_reading()

        self.push_screen(ContinueScreen(description), answered)

    def continue_description(self) -> str | None:
        """What the offer says: the page last read, and what Enter opens next."""
        position = self.progress.position
        if position is None:
            return None
        last = self.pack.items.get(position.item_id or "")
        thread = self.pack.thread(position.thread_id or "")
        if thread is not None:
            step = first_unseen_step(thread, self.progress.is_seen)
            if step is None:
                where = f"Thread {quoted(thread.title)}: every step is seen."
            else:
                title = one_line(self.pack.items[thread.steps[step]].title)
                where = (
                    f"Thread {quoted(thread.title)}, "
                    f"step {step + 1} of {len(thread.steps)}: {title}"
                )
            if last is not None:
                where += f"\nLast read: {one_line(last.title)}"
            return where
        if last is None:
            return None
        where = f"Last read: {one_line(last.title)} ({last.kind.label})"
        pane, following = self.next_after(last, position)
        if following is not None:
            where += f"\nNext unseen: {one_line(self.pack.items[following].title)}"
        elif pane is not None:
            where += f"\nEverything in {pane.title} is seen."
        return where

    def next_after(self, last: Item, position: Position) -> tuple[PaneSpec | None, str | None]:
        """The pane of the item last read, and its next unseen item after that one."""
        pane = PANES_BY_ID.get(pane_for_kind(last.kind) or position.pane or "")
        order = [item.id for item in self.pack.of_kind(pane.kind)] if pane and pane.kind else []
        return pane, next_unseen(order, last.id, self.progress.is_seen)

    def continue_reading(self) -> None:
        """Open the next unseen step of the last thread, else the next unseen item after
        the one last read (in its pane)."""
        position = self.progress.position
        main = self.go_main()
        if position is None:
            self.notify("Nothing to continue yet: open something first.", timeout=3)
            return
        thread = self.pack.thread(position.thread_id or "")
        if thread is not None:
            main.open_thread(thread, first_unseen_step(thread, self.progress.is_seen))
        elif position.item_id in self.pack.items:
            pane, following = self.next_after(self.pack.items[position.item_id], position)
            if following is not None:
                main.open_item(following, pane.id if pane else None)
            elif pane is not None:
                main.switch_pane(pane.id)
                self.notify(f"Everything in {pane.title} is seen.", timeout=3)
        elif position.pane:
            main.switch_pane(position.pane)

    # --- navigation the palette asks for -----------------------------------------------
    def go_main(self) -> MainScreen:
        """Close pages and dialogs down to the main screen."""
        while self.screen is not self.main and len(self.screen_stack) > 1:
            self.pop_screen()
        return self.main

    def open_item(self, item_id: str) -> None:
        self.go_main().open_item(item_id)

    def show_fact_checks(self) -> None:
        self.go_main().action_fact_checks()

    def go_pane(self, pane_id: str) -> None:
        self.go_main().switch_pane(pane_id)

    def toggle_only_unseen(self) -> None:
        self.go_main().pane().toggle_only_unseen()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title in {"Keys", "Screenshot"}:
                continue  # thaw's own follow (Textual's key panel is not thaw's key list)
            yield command
        yield SystemCommand("Keys", "Every key and where it works (the ? screen)", self.action_help)
        if not self.served:  # never write files on the host for a remote reader
            yield SystemCommand(
                "Screenshot", "Save an SVG picture of the screen in this folder", self.screenshot
            )
        for pane in PANES:
            yield SystemCommand(
                f"Go to {pane.title}",
                f"Switch to the {pane.title} pane (key {PANE_KEYS[pane.id]})",
                lambda pane_id=pane.id: self.go_pane(pane_id),
            )
        yield SystemCommand(
            "Ways in",
            "The first screen: read the article in order, follow a thread, or browse",
            self.action_welcome,
        )
        yield SystemCommand("Continue reading", "Where you left off", self.continue_reading)
        yield SystemCommand(
            "Only unseen items", "Show or hide seen items in this pane", self.toggle_only_unseen
        )
        yield SystemCommand(
            "Mark pane seen", "Mark every item in this pane seen", self.mark_pane_seen
        )
        yield SystemCommand(
            "Reset all progress", "Forget everything you have seen", self.action_reset_progress
        )

    def action_command_palette(self) -> None:
        """Ctrl+P, saying in its box that it finds items as well as commands."""
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(CommandPalette(placeholder=PALETTE_PROMPT, id="--command-palette"))

    def mark_pane_seen(self) -> None:
        self.go_main().action_mark_pane_seen()

    def screenshot(self) -> None:
        """Save the screen as an SVG file in the current folder, and say where."""
        try:
            path = self.save_screenshot(path=os.getcwd())
        except OSError as error:
            reason = error.strerror or str(error)
            self.notify(f"Could not save a screenshot here: {reason}.", severity="error")
            return
        self.notify(f"Screenshot saved: {one_line(path)}", markup=False, timeout=8)

    # --- keys --------------------------------------------------------------------------
    def get_key_display(self, binding: Binding) -> str:
        """Keys by their names ("Ctrl+P", "Esc"), never an abbreviation ("^p")."""
        return key_display(binding)

    def action_help(self) -> None:
        from thaw_tui.ui.screens.detail import DetailScreen
        from thaw_tui.ui.screens.help import WAYS_IN, HelpScreen
        from thaw_tui.ui.screens.thread import ThreadScreen
        from thaw_tui.ui.widgets.item_list import ItemList
        from thaw_tui.ui.widgets.list_pane import ListPane
        from thaw_tui.ui.widgets.picture_panes import MAP_PANEL_KEYS, MAP_VIEW_KEYS, TimelinePane

        if isinstance(self.screen, HelpScreen):
            return
        everywhere = [b for b in ThawApp.BINDINGS if b is not QUIT_ON_MAIN]
        sections = [
            ("Everywhere", [*everywhere, Binding("ctrl+p", "palette", "Find anything")]),
            ("Lists", ItemList.BINDINGS + ListPane.BINDINGS),
            # q quits from here; on pages and a thread's steps it goes back (`Back`).
            ("Main screen", [QUIT_ON_MAIN, *MainScreen.BINDINGS]),
            ("Timeline", TimelinePane.BINDINGS),
            ("Map", MAP_VIEW_KEYS + MAP_PANEL_KEYS),
            ("Item page", DetailScreen.BINDINGS),
            ("Thread steps", ThreadScreen.BINDINGS),
        ]

        def closed(then: str | None) -> None:
            if then == WAYS_IN:
                self.action_welcome()

        self.push_screen(HelpScreen(sections), closed)

    def action_reset_progress(self) -> None:
        from thaw_tui.ui.screens.dialogs import ConfirmScreen

        def reset(answer: bool | None) -> None:
            if not answer:
                return
            count = self.progress.count_seen(list(self.pack.items))
            self.progress.reset()
            self.post_message(ProgressChanged(None))
            self.notify(f"Progress reset: {count} seen items forgotten.", timeout=4)

        # Counted as the header counts (this pack's items), so the two agree (B3).
        seen = self.progress.count_seen(list(self.pack.items))
        question = f"Forget all your progress ({seen} items seen)?"
        self.push_screen(ConfirmScreen(question, "This cannot be undone."), reset)

    # --- keeping every view current ------------------------------------------------------
    def on_progress_changed(self, message: ProgressChanged) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen):
                screen.refresh_seen(message.item_ids)
            for header in screen.query(HeaderBar):
                header.refresh()

    def on_reading_moved(self, message: ReadingMoved) -> None:
        self.main.show_when_back(message.pane_id, message.item_id)

    def poll_progress(self) -> None:
        before = set(self.progress.seen)
        self.progress.refresh()
        changed = before.symmetric_difference(self.progress.seen)
        if changed:
            self.post_message(ProgressChanged(sorted(changed)))

    def watch_theme(self, theme: str) -> None:
        if self._started and self.progress.settings.get("theme") != theme:
            self.progress.remember_setting("theme", theme)

    def on_resize(self, event: Resize) -> None:
        if self.main.is_attached:
            self.fit_to_size(event.size.width, event.size.height)

    def fit_to_size(self, width: int, height: int) -> None:
        """Cover everything with the "too small" notice, or take it away again."""
        small = too_small(width, height)
        if small and self._too_small is None:
            self._too_small = TooSmallScreen()
            self.push_screen(self._too_small)
        elif not small and self._too_small is not None:
            if self.screen is self._too_small:
                self.pop_screen()
            self._too_small = None

    # --- keys that arrive while a screen opens (see key_hold) ----------------------------
    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key):
            await super().on_event(event)
        elif not self.key_hold.keep(event):
            with self.key_hold.handling(event):
                await super().on_event(event)

    async def _send_again(self, key: events.Key) -> None:
        """A kept key, as if just typed."""
        await self.on_event(events.Key(key.key, key.character))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Kept track of, for `_hint_alone`: Textual cannot take back one notification,
        # only all of them, which must not take a warning with it.
        shown_for = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        self._notices_until = max(self._notices_until, monotonic() + shown_for)
        self._hint_alone = False
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _screen_changed(self, screen: Screen[object]) -> None:
        depth = len(self.screen_stack)
        opened = depth > self._stack_depth
        self._stack_depth = depth
        if opened and self._hint_alone:
            # The reader has moved on (a page, the keys, the palette): the hint of keys
            # would only cover what they opened (at 60x20, much of a page).
            self._hint_alone = False
            self.clear_notifications()
        if opened and isinstance(screen, (ReaderScreen, Dialog)):
            self.key_hold.opened(screen, dialog=isinstance(screen, ModalScreen))

    async def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        await self.key_hold.ready(event.widget)

    async def on_takes_keys(self, message: TakesKeys) -> None:
        await self.key_hold.ready(message.screen)

    # --- never open anything on the host ------------------------------------------------
    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.notify(f"Link address (not opened): {one_line(url)}", markup=False, timeout=8)

    def action_suspend_process(self) -> None:
        if not self.served:
            super().action_suspend_process()

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        if self.served:
            return None
        return super().deliver_screenshot(filename, path, time_format)
