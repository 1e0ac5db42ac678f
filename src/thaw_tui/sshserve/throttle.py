"""A bound on what one connection may make the server read and parse.

Everything a client sends costs the server work before thaw sees it: decrypting,
parsing packets, answering requests. A reader's keys are a few bytes a second, a
paste a few kilobytes, but a client can send window-change or environment requests
by the hundred thousand (red-team F2, F5). `throttle_reads` puts each connection on
a token bucket of bytes (`rate` per second, `burst` at once): once it has used its
allowance the server stops reading its socket until the bucket refills, so TCP
pushes back on the client, and it costs the server nothing to be flooded.

And since one read from the socket can hold up to 256 KiB, every read is handed to
asyncssh in slices of `SLICE` bytes, one slice per turn of the event loop: other
readers' keys are answered between slices instead of after a whole burst.

Like `quickack`, this wraps the method asyncio's transport calls with each read
(`quickack.READ_METHOD`), and pauses the transport asyncssh keeps as `_transport`
(`TRANSPORT_ATTRIBUTE`); `tests/unit/test_serve_units.py` checks both are still
there. If they are not, the connection is left unthrottled.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from thaw_tui.sshserve.limits import Clock
from thaw_tui.sshserve.quickack import READ_METHOD

TRANSPORT_ATTRIBUTE = "_transport"
SLICE = 16 * 1024
# Over budget, the connection is read in pieces of at least this much (fewer wake-ups).
MIN_PIECE = 4 * 1024


class ReadThrottle:
    """Feeds a connection's reads to `deliver` within a byte budget (see module doc)."""

    def __init__(
        self,
        deliver: Callable[[bytes], None],
        transport: Any,
        loop: asyncio.AbstractEventLoop,
        rate: float,
        burst: float,
        clock: Clock = time.monotonic,
    ) -> None:
        self._deliver = deliver
        self._transport = transport
        self._loop = loop
        self._rate = rate
        self._burst = burst
        self._clock = clock
        self._tokens = burst
        self._stamp = clock()
        self._pending = bytearray()
        self._paused = False
        self._timer: asyncio.Handle | None = None
        self.closed = False

    def received(self, data: bytes) -> None:
        """What the transport read; handed on now, or slice by slice."""
        if self.closed:
            return
        self._spend(0)  # refill
        if not self._pending and len(data) <= SLICE and self._tokens >= len(data):
            self._spend(len(data))
            self._deliver(data)
            return
        self._pending += data
        self._pause()
        self._schedule(0.0)

    def _spend(self, count: int) -> None:
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now
        self._tokens -= count

    def _next_slice(self) -> None:
        self._timer = None
        if self.closed:
            return
        self._spend(0)  # refill
        if not self._pending:
            if self._tokens > 0:
                self._resume()
            else:
                self._schedule(-self._tokens / self._rate)
            return
        # Wait until a worthwhile piece is allowed, rather than waking up for crumbs.
        worth = min(MIN_PIECE, len(self._pending))
        if self._tokens < worth:
            self._schedule((worth - self._tokens) / self._rate)
            return
        size = int(min(SLICE, self._tokens, len(self._pending)))
        piece = bytes(self._pending[:size])
        del self._pending[:size]
        self._spend(len(piece))
        self._deliver(piece)
        self._schedule(0.0)

    def _schedule(self, delay: float) -> None:
        if self._timer is None and not self.closed:
            if delay <= 0:
                self._timer = self._loop.call_soon(self._next_slice)
            else:
                self._timer = self._loop.call_later(delay, self._next_slice)

    def _pause(self) -> None:
        if not self._paused:
            self._paused = True
            try:
                self._transport.pause_reading()
            except (AttributeError, RuntimeError):
                pass

    def _resume(self) -> None:
        if self._paused and not self.closed:
            self._paused = False
            try:
                self._transport.resume_reading()
            except (AttributeError, RuntimeError):
                pass

    def close(self) -> None:
        """The connection is gone: drop what is pending and every reference."""
        self.closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._pending.clear()
        self._deliver = _nothing
        self._transport = None


def _nothing(data: bytes) -> None:
    """Where reads go once the connection is closed."""


def throttle_reads(
    conn: Any, rate: float, burst: float, loop: asyncio.AbstractEventLoop
) -> ReadThrottle | None:
    """Put `conn`'s reads on a byte budget; None (nothing changed) when asyncssh no
    longer has the method or the transport this relies on."""
    received = getattr(conn, READ_METHOD, None)
    transport = getattr(conn, TRANSPORT_ATTRIBUTE, None)
    if not callable(received) or not callable(getattr(transport, "pause_reading", None)):
        return None
    throttle = ReadThrottle(received, transport, loop, rate, burst)

    def hooked(data: bytes, *args: Any) -> None:
        throttle.received(data)

    setattr(conn, READ_METHOD, hooked)
    return throttle
