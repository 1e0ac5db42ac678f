"""Attack traffic for the `thaw serve` tests and bench/bench_attacks.py: what the red
team's scripts did (../shared/reviews/redteam.md), rebuilt from their description."""

from __future__ import annotations

import selectors
import socket
import threading
import time


class SilentFlood(threading.Thread):
    """TCP connections that never send a byte, `per_address` from each address, each
    reopened (after `pause`) as soon as the server closes it: the review's slowloop."""

    def __init__(self, port: int, addresses: list[str], per_address: int, pause: float = 0.05):
        super().__init__(daemon=True)
        self.port = port
        self.slots = [address for address in addresses for _ in range(per_address)]
        self.pause = pause
        self.opened = 0
        self.closed_by_server = 0
        self.open_now = 0
        self.running = True

    def _open(self, selector: selectors.BaseSelector, slot: int) -> None:
        sock = socket.socket()
        sock.setblocking(False)
        sock.bind((self.slots[slot], 0))
        try:
            sock.connect(("127.0.0.1", self.port))
        except BlockingIOError:
            pass
        selector.register(sock, selectors.EVENT_READ, slot)
        self.opened += 1
        self.open_now += 1

    def run(self) -> None:
        selector = selectors.DefaultSelector()
        reopen: list[tuple[float, int]] = []
        for slot in range(len(self.slots)):
            self._open(selector, slot)
        while self.running:
            for key, _ in selector.select(0.02):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                try:
                    data = sock.recv(4096)  # the server's banner: read, never answered
                except OSError:
                    data = b""
                if not data:
                    selector.unregister(sock)
                    sock.close()
                    self.open_now -= 1
                    self.closed_by_server += 1
                    reopen.append((time.monotonic() + self.pause, key.data))
            now = time.monotonic()
            for due, slot in [item for item in reopen if item[0] <= now]:
                reopen.remove((due, slot))
                self._open(selector, slot)
        for key in list(selector.get_map().values()):
            key.fileobj.close()  # type: ignore[union-attr]
        selector.close()
