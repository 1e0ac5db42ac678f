"""The idle timeout: warn a reader who has stopped typing, then end the session."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from thaw_tui.sshserve.limits import Clock

# Never wake sooner than this after a check: a timer that fires a hair early (asyncio
# runs timers due within its clock resolution) just checks again a moment later.
MIN_DELAY = 0.01


class Cancellable(Protocol):
    def cancel(self) -> None: ...


class Timers(Protocol):
    """What IdleWatch needs of an event loop: `asyncio.AbstractEventLoop` is one."""

    def call_later(self, delay: float, callback: Callable[[], None], /) -> Cancellable: ...


class IdleWatch:
    """Calls `warn(seconds_left)` once `warning` seconds before `timeout` without input,
    then `expire()` at `timeout`. `touch()` on every key press starts the count again
    and returns True when it answered a warning (so the caller can tidy up after it).

    `timers` schedules the checks and `clock` says what time it is; both default to the
    real thing in `thaw serve` and are replaced by a fake in the tests. A key press only
    records the time: the pending check, when it comes, sees the reset and waits again.
    """

    def __init__(
        self,
        timers: Timers,
        timeout: float,
        warning: float,
        warn: Callable[[float], None],
        expire: Callable[[], None],
        clock: Clock = time.monotonic,
    ) -> None:
        self._timers = timers
        self._clock = clock
        self._timeout = timeout
        self._warning = min(warning, timeout)
        self._warn = warn
        self._expire = expire
        self._last_input = clock()
        self._warned = False
        self._timer: Cancellable | None = None

    def start(self) -> None:
        self.stop()
        self._last_input = self._clock()
        self._schedule(self._timeout - self._warning)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def close(self) -> None:
        """Stop for good and let go of the callbacks (and so of whoever owns them)."""
        self.stop()
        self._warn = _ignore_warning
        self._expire = _ignore

    def touch(self) -> bool:
        self._last_input = self._clock()
        answered, self._warned = self._warned, False
        return answered

    def _schedule(self, delay: float) -> None:
        self._timer = self._timers.call_later(max(delay, MIN_DELAY), self._check)

    def _check(self) -> None:
        idle_for = self._clock() - self._last_input
        if idle_for >= self._timeout:
            self._timer = None
            self._expire()
            return
        warn_at = self._timeout - self._warning
        if idle_for < warn_at:
            self._schedule(warn_at - idle_for)  # a key came since: wait for the new moment
            return
        if not self._warned:
            self._warned = True
            self._warn(self._timeout - idle_for)
        self._schedule(self._timeout - idle_for)


def _ignore_warning(seconds_left: float) -> None:
    """A closed watch warns nobody."""


def _ignore() -> None:
    """A closed watch ends nothing."""
