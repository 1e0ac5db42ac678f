"""`thaw serve` under the red team's attacks, each run for real against the server:
silent connections (F1), sessionless logins (F1), env floods (F2), closed connections
left to the garbage collector (F2), window-change floods (F5) and shutdown (F13).

Loads are the smallest that prove each limit; bench/bench_attacks.py runs the
review's full-size floods and prints its table again.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import signal
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import asyncssh
import pytest
from support.floods import SilentFlood
from support.ssh_helpers import STUB_CHILD, ServeProcess, make_key, rss_kib, wait_for

from thaw_tui.sshserve.config import ServeConfig
from thaw_tui.sshserve.context import ServeContext
from thaw_tui.sshserve.identity import load_or_create_host_key
from thaw_tui.sshserve.limits import Admission
from thaw_tui.sshserve.server import start_server

pytestmark = pytest.mark.slow
Serve = Callable[..., ServeProcess]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def flood_addresses() -> list[str]:
    return [f"127.0.0.{n}" for n in range(2, 24)]  # 22 loopback addresses


def test_silent_connections_from_22_addresses_do_not_lock_readers_out(
    serve: Serve, key_dir: Path, flood_addresses: list[str]
) -> None:
    """Before: 110 silent connections (5 from each of 22 addresses, under every
    per-address limit) filled the connection cap and every reader was told
    "thaw is full". Now logins have a budget of their own and the flood pushes out
    its own connections, not the reader's."""
    server = serve(rate_limit=30)  # the real defaults: 50 sessions, 5 per address
    flood = SilentFlood(server.port, flood_addresses, per_address=5)
    flood.start()
    try:
        wait_for(lambda: flood.opened >= 110 and flood.closed_by_server >= 50, 15, "the flood")
        key = make_key(key_dir, "reader")
        for _ in range(3):  # and again, while the flood goes on reconnecting
            session = server.interactive(key)
            session.wait_for_text("STUB READY", 15)
            session.send("j")
            session.wait_for_text("KEY 6a")
            session.send("q")
            assert session.wait_exit(10) == 3
        assert flood.open_now >= 20  # the flood still holds its share of the logins
    finally:
        flood.running = False
        flood.join(5)
    # A reader's line is written once the server has reaped it, just after its exit.
    wait_for(lambda: "\n".join(server.log_lines()).count(" exit=3") == 3, 10, "the readers' lines")
    assert "exit=refused:crowded" in "\n".join(server.log_lines())


def test_a_login_that_opens_no_session_is_closed(serve: Serve, key_dir: Path) -> None:
    """Before: `ssh -N` stayed connected forever, even with --idle-timeout 20s."""
    server = serve("--idle-timeout", "2s")
    started = time.monotonic()
    result = server.run(make_key(key_dir, "lingerer"), "-N", timeout=20)
    assert time.monotonic() - started < 10
    assert result.returncode == 255  # closed by the server
    assert server.wait_for_log(1)[-1].endswith("exit=idle:no-session")


class StubWatch(asyncssh.SSHClientSession):  # type: ignore[type-arg]
    """The client side of a session with the stub child: its lines, as they come."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._buffer = ""
        self.changed = asyncio.Event()

    def data_received(self, data: bytes, datatype: int | None) -> None:
        self._buffer += data.decode(errors="replace")
        *lines, self._buffer = self._buffer.split("\r\n")
        self.lines.extend(line.strip() for line in lines)
        self.changed.set()

    async def wait_for(self, ending: str, timeout: float = 15) -> None:
        async def seen() -> None:
            while not any(line.endswith(ending) for line in self.lines):
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(seen(), timeout)


async def env_flood(port: int, key: asyncssh.SSHKey, count: int, size: int) -> None:
    """One connection whose session sends `count` env requests of `size` bytes."""
    async with asyncssh.connect(
        "127.0.0.1",
        port,
        known_hosts=None,
        username="flood",
        client_keys=[key],
        agent_path=None,
        config=[],
    ) as conn:
        env = {f"V{n}": "x" * size for n in range(count)}
        chan, watch = await conn.create_session(
            StubWatch, term_type="xterm", env=env, encoding=None
        )
        await watch.wait_for("STUB READY 80x24", 30)
        chan.write(b"q")
        await chan.wait_closed()


def test_env_floods_cost_the_server_no_memory(serve: Serve) -> None:
    """Before: each env request was kept (10 x 150,000 x 1 KB took the server from
    44 MiB to 3.3 GiB), and closed connections waited for the garbage collector. Here
    3 connections of 2,000 requests of 8 KB: the old server grew by 80 MiB."""
    unthrottled = {"input_rate": 1e12, "input_burst": 1e12}  # the flood arrives at once
    server = serve(env={"SERVE_TEST_OVERRIDES": json.dumps(unthrottled)})
    key = asyncssh.generate_private_key("ssh-ed25519")
    asyncio.run(env_flood(server.port, key, 10, 10))  # warm up: one ordinary session
    before = rss_kib(server.pid)
    for _ in range(3):
        asyncio.run(env_flood(server.port, key, 2000, 8000))
    server.wait_for_log(4)
    grown = rss_kib(server.pid) - before
    assert grown < 20 * 1024, f"the server grew by {grown} KiB"
    assert [json.loads(json.dumps(r["env"])).get("V0") for r in server.stub_reports()] == [None] * 4


def test_a_closed_connection_is_freed_at_once(tmp_path: Path) -> None:
    """No reference cycle keeps a finished connection, its session or its channel
    alive until the garbage collector runs: with the collector off they are gone."""
    state = tmp_path / "state"
    (state / "serve-home").mkdir(parents=True)
    config = ServeConfig(
        host="127.0.0.1",
        port=0,
        state_dir=state,
        content_dir=REPO / "content",
        host_key_path=state / "key",
        authorized_keys_path=None,
        child_command=tuple(STUB_CHILD),
        warm=False,
    )
    context = ServeContext(
        config=config,
        admission=Admission(config.max_sessions, config.max_per_ip, 6000),
        logger=logging.getLogger("test.serve.connections"),
        authorized=None,
    )
    refs: list[weakref.ref[object]] = []

    async def one_reader() -> None:
        acceptor = await start_server(context, load_or_create_host_key(config.host_key_path))
        key = asyncssh.generate_private_key("ssh-ed25519")
        try:
            async with asyncssh.connect(
                "127.0.0.1",
                acceptor.get_port(),
                known_hosts=None,
                username="r",
                client_keys=[key],
                agent_path=None,
                config=[],
            ) as conn:
                chan, watch = await conn.create_session(
                    StubWatch,
                    term_type="xterm",
                    env={"COLORTERM": "truecolor", "OTHER": "x" * 1000},
                    encoding=None,
                )
                await watch.wait_for("STUB READY 80x24")
                (server,) = context.connections.values()
                session = server._session
                refs.extend(weakref.ref(o) for o in (server, session, session._chan))
                del server, session
                chan.write(b"q")
                await chan.wait_closed()
            while context.connections or context.children:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.1)  # callbacks already scheduled run
        finally:
            acceptor.close()
            await acceptor.wait_closed()

    gc.collect()
    gc.disable()
    try:
        asyncio.run(one_reader())
        alive = [type(ref()).__name__ for ref in refs if ref() is not None]
    finally:
        gc.enable()
    assert len(refs) == 3 and alive == []


async def resize_flood(port: int, sizes: list[tuple[int, int]]) -> list[str]:
    """Send window changes as fast as asyncssh can; return what the stub child saw."""
    key = asyncssh.generate_private_key("ssh-ed25519")
    async with asyncssh.connect(
        "127.0.0.1",
        port,
        known_hosts=None,
        username="r",
        client_keys=[key],
        agent_path=None,
        config=[],
    ) as conn:
        chan, watch = await conn.create_session(
            StubWatch, term_type="xterm", term_size=(80, 24), encoding=None
        )
        await watch.wait_for("STUB READY 80x24")
        for cols, rows in sizes:
            chan.change_terminal_size(cols, rows)
        await watch.wait_for(f"SIZE {sizes[-1][0]}x{sizes[-1][1]}")
        chan.write(b"q")
        await chan.wait_closed()
    return watch.lines


def test_a_window_change_flood_reaches_the_reader_coalesced(serve: Serve) -> None:
    """Before: every one of 100,000 window changes was an ioctl and a SIGWINCH, and
    the flood cost other readers 200 ms and more per key. Now the last size wins,
    at most a few times a second."""
    server = serve()
    sizes = [(80 + n % 50, 24 + n % 20) for n in range(3000)] + [(123, 45)]
    started = time.monotonic()
    seen = asyncio.run(resize_flood(server.port, sizes))
    elapsed = time.monotonic() - started
    resizes = [line for line in seen if line.startswith("SIZE")]
    assert resizes[-1] == "SIZE 123x45"
    assert len(resizes) <= elapsed / 0.2 + 3, (len(resizes), elapsed)


def test_shutdown_tells_every_reader_and_logs_every_connection(serve: Serve, key_dir: Path) -> None:
    """Before: sessions cut by SIGTERM got no exit status and no log line."""
    server = serve()
    key = make_key(key_dir, "reader")
    sessions = [server.interactive(key) for _ in range(2)]
    for session in sessions:
        session.wait_for_text("STUB READY")
    # Logged in, no session: with -f, ssh goes to the background once logged in.
    assert server.run(key, "-N", "-f").returncode == 0
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(15) == 0
    for session in sessions:
        assert session.wait_exit(10) == 1
        assert "the server is shutting down" in bytes(session.raw).decode(errors="replace")
    lines = server.log_lines()
    assert len(lines) == 3, lines
    assert sum(line.endswith("exit=shutdown") for line in lines) == 2
    assert os.stat(server.log_file).st_mode & 0o777 == 0o600
