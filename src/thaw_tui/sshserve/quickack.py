"""Quick TCP acknowledgements during the SSH login, which would otherwise stall twice."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any


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
    received = conn.data_received

    def data_received(data: bytes, *args: Any) -> None:
        if not done():
            try:
                sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)
            except OSError:
                pass
        received(data, *args)

    try:
        sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)
    except OSError:
        return
    # asyncio calls the protocol's data_received: an instance attribute takes precedence.
    conn.data_received = data_received
