"""Quick TCP acknowledgements during the SSH login, which would otherwise stall twice.

This is the one place `thaw serve` reaches into asyncssh's internals: `hook_reads`
wraps the method asyncio's transport calls with every chunk read from the socket
(`READ_METHOD` on asyncssh's connection, an `asyncio.Protocol`). asyncssh offers no
public hook that runs before each read. `tests/unit/test_serve_units.py` checks the
method is still there and still called; if asyncssh renames it or stops using it,
`hook_reads` leaves the connection alone and logins are merely ~80 ms slower.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

# The asyncssh connection method that receives the bytes read from the socket.
READ_METHOD = "data_received"


def hook_reads(conn: Any, before_each_read: Callable[[], None]) -> bool:
    """Call `before_each_read()` ahead of asyncssh's own handling of every read.

    Returns False, changing nothing, when `conn` has no such method to wrap."""
    received = getattr(conn, READ_METHOD, None)
    if not callable(received):
        return False

    def hooked(data: bytes, *args: Any) -> None:
        before_each_read()
        received(data, *args)

    # asyncio looks the method up on the protocol instance, so this shadows the class's.
    setattr(conn, READ_METHOD, hooked)
    return True


def ack_quickly_until(conn: Any, done: Callable[[], bool]) -> None:
    """Acknowledge every packet at once until `done()`, i.e. through the login.

    OpenSSH sends some login messages as two small writes before it turns Nagle off,
    so the second waits for the first to be acknowledged, and Linux delays that ACK by
    40 ms: twice per login. Quick ACKs (re-armed on each read, as the kernel drops
    them) take those ~80 ms off every connection.
    """
    sock = conn.get_extra_info("socket")
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if sock is None or quickack is None:
        return

    def rearm() -> None:
        if not done():
            try:
                sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)
            except OSError:
                pass

    try:
        sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)
    except OSError:
        return
    hook_reads(conn, rearm)
