"""SIGTERM, SIGHUP and SIGINT end the reader the way `q` does, so the terminal comes back.

Left to their defaults these signals end Python at once: SIGTERM and SIGHUP kill
it, SIGINT raises KeyboardInterrupt wherever the main thread happens to be. The
terminal is then left in the app's modes — alternate screen, mouse reporting,
hidden cursor, bracketed paste — and the shell draws over the remains (ux-review
B2). Here each signal asks the app to exit instead, so Textual's driver gives the
terminal back on the way out exactly as after `q`, and the caller closes the
progress store normally. The status is still 128 + the signal's number
(`exit_codes.for_signal`), so a shell or a supervisor sees what ended the reader.

The handlers go through asyncio (`loop.add_signal_handler`), which wakes the event
loop whichever thread the kernel delivered the signal to. If the app has not
finished exiting `GRACE_SECONDS` after the first signal, or a second signal
arrives, the terminal's modes are reset here directly and the process ends at
once: every mark is already in the store, each in its own transaction, so nothing
the reader has seen is lost that way either.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import termios
import threading
from typing import Any, Protocol

from thaw_tui.cli import exit_codes

QUIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
GRACE_SECONDS = 5.0

# Undoes every mode Textual's Linux driver turns on (textual/drivers/linux_driver.py):
# bracketed paste, line wrap (turned off), mouse reporting (and its pixel and
# extended forms), in-band resize, the kitty keyboard protocol, the alternate
# screen, the hidden cursor, focus events. A terminal ignores what it never set.
RESET_MODES = (
    "\x1b[?2004l"
    "\x1b[?7h"
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l"
    "\x1b[?2048l"
    "\x1b[<u"
    "\x1b[?1049l"
    "\x1b[?25h"
    "\x1b[?1004l"
)


class QuittableApp(Protocol):
    """What is needed of the app: ThawApp (a Textual App) is one."""

    def run(self, *, loop: asyncio.AbstractEventLoop | None = None) -> Any: ...

    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None: ...


class QuitOnSignals:
    """Turns the first of `QUIT_SIGNALS` into `app.exit`, and a stuck exit into a
    direct reset of the terminal (`give_up`)."""

    def __init__(
        self,
        app: QuittableApp,
        loop: asyncio.AbstractEventLoop,
        grace: float = GRACE_SECONDS,
    ) -> None:
        self.app = app
        self.loop = loop
        self.grace = grace
        self.received: int | None = None
        self._watchdog: threading.Timer | None = None
        # The terminal's settings before the app changed them, for `give_up`.
        self._input_fd = _fileno(sys.__stdin__)
        self._output_fd = _fileno(sys.__stderr__)  # where Textual's driver writes
        self._saved_attrs: list[Any] | None = None
        if self._input_fd is not None:
            try:
                self._saved_attrs = termios.tcgetattr(self._input_fd)
            except termios.error:
                pass

    def install(self) -> None:
        for signum in QUIT_SIGNALS:
            self.loop.add_signal_handler(signum, self._on_signal, signum)

    def uninstall(self) -> None:
        """Stop watching: the app has exited and given the terminal back."""
        if self._watchdog is not None:
            self._watchdog.cancel()
        if not self.loop.is_closed():
            for signum in QUIT_SIGNALS:
                self.loop.remove_signal_handler(signum)

    @property
    def exit_status(self) -> int | None:
        """128 + the signal that ended the app, or None when no signal did."""
        return None if self.received is None else exit_codes.for_signal(self.received)

    def _on_signal(self, signum: int) -> None:
        if self.received is not None:
            self.give_up()  # asked twice: the reader (or a supervisor) means it
            return
        self.received = signum
        self.app.exit(return_code=exit_codes.for_signal(signum))
        self._watchdog = threading.Timer(self.grace, self.give_up)
        self._watchdog.daemon = True
        self._watchdog.start()

    def give_up(self) -> None:
        """Reset the terminal's modes and settings directly and end the process now."""
        if self._output_fd is not None:
            try:
                os.write(self._output_fd, RESET_MODES.encode())
            except OSError:
                pass  # the terminal is gone (a hangup): nothing to restore
        if self._input_fd is not None and self._saved_attrs is not None:
            try:
                termios.tcsetattr(self._input_fd, termios.TCSANOW, self._saved_attrs)
            except termios.error:
                pass
        os._exit(self.exit_status or exit_codes.for_signal(signal.SIGTERM))


def run_quitting_on_signals(app: QuittableApp, grace: float = GRACE_SECONDS) -> int | None:
    """Run `app` until it exits; the exit status a quit signal calls for, or None."""
    with asyncio.Runner() as runner:
        loop = runner.get_loop()
        quitter = QuitOnSignals(app, loop, grace)
        quitter.install()
        try:
            app.run(loop=loop)
        finally:
            quitter.uninstall()
    return quitter.exit_status


def _fileno(stream: Any) -> int | None:
    try:
        return int(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return None
