"""Keys typed while the reader opens a screen wait for it; this is the one place that
holds keys.

Why it is needed: Textual sends a key to the widget focused when the key arrives, and
runs the key's bindings once the key has bubbled back up to the app. So after a key
that opens a page, the keys typed right after it are already on their way through the
old screen, or they reach the new one before anything there has focus. In a paste, a
script or fast typing they would move the wrong list, or be lost.

The rule: while the app handles a key, opening one of the reader's screens (or showing
a pane, or the filter box, for the first time) starts a hold. Until that view has focus
or says that it takes keys, and for `HOLD_SECONDS` at most, every key that reaches the
app is kept. Then the kept keys are sent again, in the order they were typed, to the
widget that has focus. A dialog (a modal screen) gets none of them: they are dropped,
and so is a key typed before the dialog opened that arrives after it. A key that opens
nothing (one that shows a message, or that `check_action` disables) holds nothing, and
neither does a screen opened by anything but a key (the welcome-back offer).

    OPEN     --a key opens a view-------------> HOLDING(view, until now + HOLD_SECONDS)
    HOLDING  --any key reaches the app--------> HOLDING, the key kept (up to MAX_HELD_KEYS)
    HOLDING  --the same key opens another-----> HOLDING(the other view)  (a thread, then
                                                                          its first step)
    HOLDING  --the view takes keys, or time---> OPEN: the kept keys sent again, or
                                                dropped if the view is a dialog or is
                                                no longer on screen
    OPEN     --a key typed before the dialog--> OPEN, the key dropped
               on top opened reaches the app

The app calls `keep` with every key first, handles the others inside `handling`, and
calls `ready` when a widget gains focus or a screen says it takes keys (`TakesKeys`).
Screens of the reader are opened with keys held by the app itself (it watches the
screen stack); widgets built for a key call `hold_keys_for`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from msgspec import Struct, field
from textual import events
from textual.app import App
from textual.dom import DOMNode, NoScreen
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

# The longest keys wait for a view that is being opened. Only a safety net (a view
# that never takes focus): on a loaded host (a CI run, many served readers) building
# the filter box took over half a second and the letters typed after `/` went to the
# list instead.
HOLD_SECONDS = 2.0
# The most keys kept at once: far more than anyone types in HOLD_SECONDS, and a flood
# (a served reader's client sending megabytes) is not stored.
MAX_HELD_KEYS = 256


class TakesKeys(Message):
    """A screen is on top and takes keys (its focus was set before it was shown)."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.screen = screen


def screen_shown(screen: Screen[Any]) -> None:
    """Call when a screen of the reader resumes: it says it takes keys, unless a widget
    of it is still to be focused (then that focus says it)."""
    if screen.focused is not None or not screen.focus_chain:
        screen.post_message(TakesKeys(screen))


class _Hold(Struct):
    view: Widget  # a screen, a pane or the filter box
    dialog: bool
    serial: int
    keys: list[events.Key] = field(default_factory=list)


class KeyHold:
    """The hold, for one app; `resend` hands a kept key to the app again."""

    def __init__(self, app: App[Any], resend: Callable[[events.Key], Awaitable[None]]) -> None:
        self._app = app
        self._resend = resend
        self._in_hand: events.Key | None = None  # the key being handled
        self._hold: _Hold | None = None
        self._serial = 0
        self._latest = float("-inf")  # when the last key to reach the app was typed
        self._dialog: tuple[Screen[Any], float] | None = None  # (dialog, typed up to)

    @property
    def holding(self) -> bool:
        return self._hold is not None

    @property
    def any_key_yet(self) -> bool:
        """Has any key reached the app since it started?"""
        return self._latest != float("-inf")

    def keep(self, key: events.Key) -> bool:
        """Every key that reaches the app comes here first (from the terminal, and again
        once it has bubbled up from the focused widget). True: it is kept or dropped,
        and the app must not handle it now."""
        if not key.is_forwarded:
            self._latest = max(self._latest, key.time)
        if self._hold is not None:
            if len(self._hold.keys) < MAX_HELD_KEYS:
                self._hold.keys.append(key)
            return True
        if self._dialog is not None:
            dialog, typed_before = self._dialog
            if self._app.screen is not dialog:
                self._dialog = None
            elif key.is_forwarded and key.time <= typed_before:
                return True  # typed before the question was on screen: never an answer
        return False

    @contextmanager
    def handling(self, key: events.Key) -> Iterator[None]:
        """The app is handling `key`: views opened meanwhile are opened by it."""
        self._in_hand = key
        try:
            yield
        finally:
            self._in_hand = None

    def opened(self, view: Widget, *, dialog: bool, by_key: bool = True) -> None:
        """`view` is being opened or built. If that is the work of the key in hand (or
        `by_key` is False: the reader's first view), keys wait until it is ready."""
        if by_key and self._in_hand is None:
            return
        if dialog:
            assert isinstance(view, Screen)
            self._dialog = (view, self._latest)
        if self._hold is not None:
            self._hold.view, self._hold.dialog = view, dialog
            return
        self._serial += 1
        self._hold = _Hold(view, dialog, self._serial)
        self._app.set_timer(HOLD_SECONDS, partial(self._time_up, self._serial))

    def let_go_if_empty(self) -> None:
        """End the hold now if it has kept no key: there is nothing to send on, and
        the view it waits for may not be the next to take keys (a dialog may open)."""
        if self._hold is not None and not self._hold.keys:
            self._hold = None

    async def ready(self, node: DOMNode) -> None:
        """`node` gained focus, or is a screen that takes keys: if it is (or is inside)
        the view being waited for, the hold ends."""
        hold = self._hold
        if hold is not None and hold.view in node.ancestors_with_self:
            await self._release()

    async def _time_up(self, serial: int) -> None:
        if self._hold is not None and self._hold.serial == serial:
            await self._release()

    async def _release(self) -> None:
        hold, self._hold = self._hold, None
        assert hold is not None
        try:
            screen = hold.view if isinstance(hold.view, Screen) else hold.view.screen
        except NoScreen:
            screen = None  # (built too slowly and gone again)
        if hold.dialog or screen is not self._app.screen:
            return  # dropped: never answer a dialog, never act on a view gone by
        for key in sorted(hold.keys, key=lambda key: key.time):
            await self._resend(key)


def hold_keys_for(owner: DOMNode, view: Widget) -> None:
    """`view` (a pane, the filter box) is being built for the key in hand: the keys
    typed meanwhile wait until it has focus. (`owner`: a mounted node, to find the app.)"""
    hold = getattr(owner.app, "key_hold", None)
    if isinstance(hold, KeyHold):
        hold.opened(view, dialog=False)
