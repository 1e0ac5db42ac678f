"""Two `thaw serve` hosts, one PostgreSQL: a reader's progress follows them.

Two servers on two ports share a host key file and a progress URL (a real
PostgreSQL started by initdb); the real OpenSSH client connects to one, then the other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from psycopg import sql
from support.postgres_server import TEST_DATABASE, PostgresServer
from support.ssh_helpers import ServeProcess, key_fingerprint, make_key, start_serve
from test_serve_thaw import open_item, open_reader, quit_reader, seen_count

pytestmark = pytest.mark.slow
Hosts = Callable[..., ServeProcess]


@pytest.fixture
def store(postgres_server: PostgresServer) -> tuple[str, str]:
    return postgres_server.new_store()


@pytest.fixture
def hosts(tmp_path: Path, store: tuple[str, str]) -> Iterator[Hosts]:
    """Start `thaw serve` hosts that share one host key and one progress store."""
    started: list[ServeProcess] = []
    host_key = tmp_path / "shared_host_key"

    def start(*args: str) -> ServeProcess:
        server = start_serve(
            tmp_path / f"host{len(started)}",
            "--host-key", str(host_key), *args,
            child=None,
            env={"THAW_PROGRESS_URL": store[1]},
        )  # fmt: skip
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def seen_in_database(server: PostgresServer, schema: str, reader: str) -> list[str]:
    query = sql.SQL(
        "SELECT i.item FROM {}.thaw_item_state i JOIN {}.thaw_scope s ON s.id = i.scope "
        "WHERE s.reader = %s AND i.seen ORDER BY 1"
    ).format(sql.Identifier(schema), sql.Identifier(schema))
    return [item for (item,) in server.query(TEST_DATABASE, query, (reader,))]  # type: ignore[arg-type]


def command_lines() -> list[bytes]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found.append((entry / "cmdline").read_bytes())
            except OSError:
                continue
    return found


def test_a_reader_moves_between_hosts_and_keeps_their_progress(
    hosts: Hosts, key_dir: Path, postgres_server: PostgresServer, store: tuple[str, str]
) -> None:
    schema, _url = store
    host_a, host_b = hosts(), hosts("--cold")
    assert host_a.port != host_b.port
    assert host_a.host_fingerprint == host_b.host_fingerprint  # one identity for readers
    key = make_key(key_dir, "reader")
    reader = key_fingerprint(key)

    on_a = open_reader(host_a, key)
    open_item(on_a)
    on_a.press("backspace")  # back to the list
    on_a.wait_for_gone("Story ›", timeout=10)
    on_a.press("down")
    open_item(on_a)
    on_a.wait_until(lambda: seen_count(on_a) == 2, 10, "two seen on host A")
    # The URL and its password are on no command line `ps` shows.
    secret = postgres_server.admin_password.encode()
    assert not [line for line in command_lines() if secret in line]
    quit_reader(on_a)
    assert len(seen_in_database(postgres_server, schema, reader)) == 2

    on_b = open_reader(host_b, key, returning=True)
    assert seen_count(on_b) == 2
    quit_reader(on_b)


def test_two_sessions_on_two_hosts_merge_live(
    hosts: Hosts, key_dir: Path, postgres_server: PostgresServer, store: tuple[str, str]
) -> None:
    schema, _url = store
    host_a, host_b = hosts(), hosts()
    key = make_key(key_dir, "reader")
    on_a, on_b = open_reader(host_a, key), open_reader(host_b, key)
    open_item(on_a)
    on_a.wait_until(lambda: seen_count(on_a) == 1, 10, "one seen on host A")
    # Host B's session picks it up on its next look (every 5 seconds), no key pressed.
    on_b.wait_until(lambda: seen_count(on_b) == 1, 20, "host B showing A's mark")
    on_b.press("down", "down")
    open_item(on_b)
    on_a.wait_until(lambda: seen_count(on_a) == 2, 20, "host A showing B's mark")
    quit_reader(on_a)
    quit_reader(on_b)
    assert len(seen_in_database(postgres_server, schema, key_fingerprint(key))) == 2


def test_the_header_says_not_saved_while_the_database_is_away(
    hosts: Hosts, key_dir: Path, postgres_server: PostgresServer
) -> None:
    """Stopping a real server under a live session: reading goes on, the header says
    progress is not saved, and it is saved once the server is back."""
    server = hosts()
    key = make_key(key_dir, "reader")
    session = open_reader(server, key)
    try:
        postgres_server.stop("fast")
        open_item(session)  # the key works at once, the mark shows at once
        assert seen_count(session) == 1
        session.wait_for_text("progress not saved", timeout=30)
    finally:
        postgres_server.start()
    session.wait_for_gone("progress not saved", timeout=30)
    quit_reader(session)
    again = open_reader(server, key, returning=True)
    assert seen_count(again) == 1
    quit_reader(again)


def test_a_reader_who_quits_while_the_database_is_away_is_told(
    hosts: Hosts, key_dir: Path, postgres_server: PostgresServer
) -> None:
    server = hosts()
    key = make_key(key_dir, "reader")
    session = open_reader(server, key)
    try:
        postgres_server.stop("fast")
        open_item(session)
        session.press("Q")
        session.wait_exit(15)
    finally:
        postgres_server.start()
    text = re.sub(r"\s+", " ", session.raw.decode(errors="replace"))
    assert "could not be reached, so your last 1 change to your reading progress" in text
    assert postgres_server.admin_password not in text
