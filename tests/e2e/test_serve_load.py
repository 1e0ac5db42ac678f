"""`thaw serve` under pressure: connection storms, caps, and a client that stops reading."""

from __future__ import annotations

import signal
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support.ssh_helpers import (
    STUB_CHILD,
    ServeProcess,
    make_key,
    rss_kib,
    wait_for,
)

pytestmark = pytest.mark.slow
Serve = Callable[..., ServeProcess]


def knock(port: int, source: str = "127.0.0.1") -> bytes:
    """Open a TCP connection and return what the server sends before closing it or going
    quiet. (Sending nothing keeps a refusal from turning into a reset that loses it.)"""
    received = b""
    with socket.socket() as sock:
        sock.settimeout(3)
        sock.bind((source, 0))
        sock.connect(("127.0.0.1", port))
        try:
            while chunk := sock.recv(4096):
                received += chunk
        except TimeoutError:
            pass
    return received


class ChildCounter(threading.Thread):
    """Samples the server's number of children until stopped; keeps the peak."""

    def __init__(self, server: ServeProcess) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.peak = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, len(self.server.readers()))
            time.sleep(0.02)


def test_connection_storm_is_limited_and_others_still_get_in(serve: Serve, key_dir: Path) -> None:
    server = serve("--max-sessions", "3", "--max-per-ip", "5", rate_limit=30)
    key = make_key(key_dir, "reader")
    counter = ChildCounter(server)
    counter.start()

    answers: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: answers.append(knock(server.port))) for _ in range(200)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert len(answers) == 200
    limited = sum(b"too many connection attempts" in answer for answer in answers)
    assert limited >= 150  # a burst of 10 passes, the rest are turned away
    assert server.process.poll() is None

    # A neighbour at another address reads; many sessions at once never pass the cap.
    sessions = [server.interactive(key, options=["-b", "127.0.0.2"]) for _ in range(6)]
    for session in sessions:
        session.wait_for_any_text(["STUB READY", "thaw is full", "too many"], timeout=15)
    ready = [session for session in sessions if "STUB READY" in session.text()]
    assert len(ready) == 3
    assert len(server.readers()) == 3
    for session in ready:
        session.send("q")
        session.wait_exit(10)
    late = server.interactive(key, options=["-b", "127.0.0.3"])
    late.wait_for_text("STUB READY")
    counter.running = False
    counter.join()
    assert 1 <= counter.peak <= 3
    log = "\n".join(server.log_lines())
    assert "exit=refused:rate" in log


def test_client_that_stops_reading_cannot_grow_server_memory(serve: Serve, key_dir: Path) -> None:
    server = serve(child=[*STUB_CHILD, "--flood"])
    session = server.interactive(make_key(key_dir, "reader"))
    wait_for(lambda: len(session.raw) > 1_000_000, 10, "a megabyte of output")
    session.kill(signal.SIGSTOP)  # the client stops reading its socket
    try:
        time.sleep(1.0)  # buffers along the way fill up
        settled = rss_kib(server.pid)
        time.sleep(2.0)
        later = rss_kib(server.pid)
        child = server.stub_reports()[0]["pid"]
        stat = Path(f"/proc/{child}/stat").read_text()
        # The flooding child is blocked writing to its pty, not running on.
        assert stat[stat.rindex(")") + 2] == "S"
        assert later - settled < 4 * 1024, (settled, later)
        assert later < 150 * 1024
    finally:
        session.kill(signal.SIGCONT)
