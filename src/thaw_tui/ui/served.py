"""The reader app as `thaw serve` runs it: input read no faster than it is used, and
no traceback shown to the reader.

Bounded input (red-team F4). Textual reads the terminal in a thread of its own and
hands every key to the event loop at once, however far behind the app is: a client
sending keys by the megabyte made a reader's process grow to a gigabyte. Here the
input thread waits whenever more than `MAX_BACKLOG` messages are still on their way
to, or waiting in, the app, its screen and the focused widget. Then it stops
reading, the pseudo-terminal fills, the server's writes to it stop, the server stops
reading the SSH channel, and the client's window closes: a flood is taken in no
faster than the app handles it, and a reader's memory stays flat. A reader typing,
however fast, is nowhere near the limit.

No traceback (red-team F6, F7). A crash in a served reader shows one sentence, not
a traceback with paths and local variables, and ends with exit status 1 so that the
server logs it as a failure (a crash in Textual's input thread used to exit 0). The
traceback goes to the host instead, to the server's stderr: a reader forked from the
warm process has it from there (`report_crashes_to`), and a reader started cold is
given a descriptor of it, named in its environment (cli/main.py passes it here).
"""

from __future__ import annotations

import asyncio
import io
import os
import sys
import threading
import time
import traceback
from typing import Any

from rich.console import Console
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from thaw_tui.ui.app import ThawApp

# Messages from the keyboard that may wait for the app at once (a paste is one).
MAX_BACKLOG = 64
BACKLOG_POLL = 0.005  # seconds between looks at the backlog while it is full
APOLOGY = "thaw: sorry, this reading session hit an error and had to end. Please connect again."
CRASHED = 1

# Where the host reads about crashes: a descriptor of the server's stderr, or None.
_host_errors: int | None = None


def report_crashes_to(descriptor: int) -> None:
    """Send crash reports (tracebacks) to `descriptor` rather than nowhere."""
    global _host_errors
    _host_errors = descriptor


def tell_host(report: str) -> None:
    """Write a crash report where the host reads it, if there is such a place."""
    if _host_errors is None:
        return
    text = f"thaw serve: a reader's process (pid {os.getpid()}) crashed:\n{report.rstrip()}\n"
    try:
        os.write(_host_errors, text.encode("utf-8", "replace"))
    except OSError:
        pass


class BoundedInputDriver(LinuxDriver):
    """Textual's Linux driver whose input thread waits for the app (see module doc)."""

    def __init__(self, app: Any, **options: Any) -> None:
        super().__init__(app, **options)
        self._in_flight = 0
        self._count_lock = threading.Lock()

    def send_message(self, message: Message) -> None:
        if threading.current_thread() is not self._key_thread:
            super().send_message(message)  # a resize from the signal handler, say
            return
        self._wait_for_room()
        with self._count_lock:
            self._in_flight += 1
        delivery = asyncio.run_coroutine_threadsafe(
            self._app._post_message(message), loop=self._loop
        )
        delivery.add_done_callback(self._delivered)

    def _delivered(self, delivery: object) -> None:
        with self._count_lock:
            self._in_flight -= 1

    def backlog(self) -> int:
        """Keyboard messages not yet handled: on their way, or in a queue that handles them."""
        app = self._app
        waiting = self._in_flight + app.message_queue_size
        try:
            screen = app.screen
            waiting += screen.message_queue_size
            focused = screen.focused
            if focused is not None:
                waiting += focused.message_queue_size
        except Exception:  # no screen yet, or the app is closing
            pass
        return waiting

    def _wait_for_room(self) -> None:
        while self.backlog() >= MAX_BACKLOG and not self.exit_event.is_set():
            time.sleep(BACKLOG_POLL)

    def _run_input_thread(self) -> None:
        try:
            self.run_input_thread()
        except BaseException:
            # Textual would show a traceback here and exit 0.
            tell_host(traceback.format_exc())
            self._app.call_later(self._app.exit, return_code=CRASHED, message=APOLOGY)


class ServedThawApp(ThawApp):
    """ThawApp with the served reader's input driver and crash handling."""

    def get_driver_class(self) -> type[Driver]:
        return BoundedInputDriver

    def _print_error_renderables(self) -> None:
        """Called as the app ends (the terminal already given back): instead of the
        traceback Textual kept for this moment, one sentence, and a failing status."""
        if not self._exit_renderables:
            return
        if _host_errors is not None:
            plain = Console(file=io.StringIO(), width=120, color_system=None, force_terminal=False)
            for renderable in self._exit_renderables:
                plain.print(renderable)
            report = plain.file.getvalue()  # type: ignore[attr-defined]
            if APOLOGY not in report:  # a crash, not the input thread's own exit
                tell_host(report)
        self._exit_renderables.clear()
        if not self._return_code:
            self._return_code = CRASHED
        print(APOLOGY, file=sys.__stderr__, flush=True)
