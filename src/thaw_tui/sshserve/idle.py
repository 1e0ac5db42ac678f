"""The idle timeout: warn a reader who has stopped typing, then end the session."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class IdleWatch:
    """Calls `warn(seconds_left)` once `warning` seconds before `timeout` without input,
    then `expire()` at `timeout`. `touch()` on every key press starts the count again
    and returns True when it answered a warning (so the caller can tidy up after it)."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        timeout: float,
        warning: float,
        warn: Callable[[float], None],
        expire: Callable[[], None],
    ) -> None:
        self._loop = loop
        self._timeout = timeout
        self._warning = warning
        self._warn = warn
        self._expire = expire
        self._last_input = time.monotonic()
        self._warned = False
        self._timer: asyncio.TimerHandle | None = None
        # Checking a few times per warning period is precise enough and costs nothing.
        self._tick = min(5.0, max(0.05, warning / 3))

    def start(self) -> None:
        self._schedule()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def touch(self) -> bool:
        self._last_input = time.monotonic()
        answered, self._warned = self._warned, False
        return answered

    def _schedule(self) -> None:
        self._timer = self._loop.call_later(self._tick, self._check)

    def _check(self) -> None:
        idle_for = time.monotonic() - self._last_input
        if idle_for >= self._timeout:
            self._timer = None
            self._expire()
            return
        if idle_for >= self._timeout - self._warning and not self._warned:
            self._warned = True
            self._warn(self._timeout - idle_for)
        self._schedule()
