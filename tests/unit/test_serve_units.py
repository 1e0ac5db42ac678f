"""The pieces of `thaw serve` tested in-process, without the OpenSSH client."""

from __future__ import annotations

import argparse
import asyncio
import errno
import heapq
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncssh
import pytest

from thaw_tui import sshserve
from thaw_tui.cli import exit_codes
from thaw_tui.cli.main import build_parser
from thaw_tui.cli.serve import run_serve, serve
from thaw_tui.sshserve import forkserver
from thaw_tui.sshserve.childenv import FALLBACK_TERM, child_environment, safe_term
from thaw_tui.sshserve.config import ConfigError, config_from_args
from thaw_tui.sshserve.connlog import (
    CONNECTIONS_LOGGER_NAME,
    LOGGER_NAME,
    connection_logger,
    diagnostics_to_stderr,
)
from thaw_tui.sshserve.durations import DurationError, format_duration, parse_duration
from thaw_tui.sshserve.envhook import ENV_METHOD, hook_env_requests
from thaw_tui.sshserve.identity import (
    AuthorizedKeys,
    fingerprint,
    load_or_create_host_key,
    read_authorized_fingerprints,
)
from thaw_tui.sshserve.idle import IdleWatch
from thaw_tui.sshserve.limits import (
    Admission,
    Admitted,
    Refusal,
    Ticket,
    TokenBucket,
    address_group,
)
from thaw_tui.sshserve.quickack import READ_METHOD, hook_reads
from thaw_tui.sshserve.terminal import MAX_PASTE, InputFilter, Utf8Filter, bottom_line_notice
from thaw_tui.sshserve.throttle import SLICE, TRANSPORT_ATTRIBUTE, ReadThrottle, throttle_reads
from thaw_tui.sshserve.warm import MAX_FDS, receive_message, send_message


def serve_args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["serve", *argv])


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("30m", 1800), ("2h", 7200), ("45", 45), ("1.5h", 5400)]
)
def test_durations_read_as_people_write_them(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "ten minutes", "5d", "-3m", "0s", "m"])
def test_bad_durations_say_how_to_write_one(text: str) -> None:
    with pytest.raises(DurationError, match=r"90s|30m"):
        parse_duration(text, option="--idle-timeout")


def test_durations_are_shown_short() -> None:
    assert [format_duration(s) for s in (45, 1800, 9000)] == ["45s", "30m", "2.5h"]


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    bucket = TokenBucket(capacity=3, rate=1.0, tokens=3, stamp=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(0.5) is False
    assert bucket.take(1.1) is True


def admit(admission: Admission, address: str) -> Ticket | Refusal:
    """The ticket of an admitted connection (with nobody dropped for it), or the refusal."""
    result = admission.admit(address)
    if isinstance(result, Admitted):
        assert result.evict is None
        return result.ticket
    return result


def test_admission_caps_per_address_and_counts_sessions() -> None:
    now = [0.0]
    admission = Admission(
        max_sessions=2, max_per_address=2, rate_per_minute=600, clock=lambda: now[0]
    )
    first = admit(admission, "10.0.0.1")
    assert isinstance(first, Ticket)
    assert isinstance(admit(admission, "10.0.0.1"), Ticket)
    assert admit(admission, "10.0.0.1") is Refusal.PER_ADDRESS
    assert isinstance(admit(admission, "10.0.0.2"), Ticket)  # a neighbour is not affected
    admission.release(first)
    admission.release(first)  # twice is once
    assert isinstance(admit(admission, "10.0.0.1"), Ticket)
    assert [admission.start_session() for _ in range(3)] == [True, True, False]
    admission.end_session()
    assert admission.start_session() is True


def test_admission_rate_limits_one_address_only() -> None:
    now = [0.0]
    admission = Admission(
        max_sessions=100, max_per_address=100, rate_per_minute=30, clock=lambda: now[0]
    )
    results = [admission.admit("10.0.0.9") for _ in range(20)]
    assert sum(isinstance(r, Admitted) for r in results) == 10
    assert results[-1] is Refusal.RATE
    assert isinstance(admission.admit("10.0.0.10"), Admitted)
    now[0] = 60.0
    assert isinstance(admission.admit("10.0.0.9"), Admitted)  # refilled


@pytest.mark.parametrize(
    ("address", "group"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("-", "-"),
    ],
)
def test_an_ipv6_host_is_one_address_per_64(address: str, group: str) -> None:
    assert address_group(address) == group


def test_a_whole_ipv6_64_shares_one_per_address_cap() -> None:
    admission = Admission(max_sessions=50, max_per_address=3, rate_per_minute=6000)
    results = [admit(admission, f"2001:db8:1:2::{n:x}") for n in range(1, 5)]
    assert results[-1] is Refusal.PER_ADDRESS
    assert isinstance(admit(admission, "2001:db8:1:3::1"), Ticket)  # another /64


def test_logins_have_their_own_budget_and_a_flood_drops_its_own() -> None:
    """Connections that never log in cannot lock out one that does (red-team F1)."""
    now = [0.0]
    admission = Admission(
        max_sessions=50, max_per_address=5, rate_per_minute=6000, clock=lambda: now[0]
    )
    assert admission.handshake_budget == 25
    silent: list[Ticket] = []
    for address in range(22):  # 110 silent connections from 22 addresses, oldest first
        for _ in range(5):
            now[0] += 0.001
            result = admission.admit(f"127.0.1.{address}")
            assert isinstance(result, Admitted)
            silent.append(result.ticket)
            if result.evict is not None:
                admission.release(result.evict)  # the server closes it
    assert admission.handshakes == 25
    # A reader from elsewhere is let in; room is made from the busiest address...
    reader = admission.admit("198.51.100.5")
    assert isinstance(reader, Admitted) and reader.evict is not None
    assert reader.evict.group != "198.51.100.5" and reader.evict.evicted
    admission.release(reader.evict)
    # ...and the reader is never the one dropped while the flood goes on.
    for number in range(200):
        now[0] += 0.001
        result = admission.admit(f"127.0.1.{number % 22}")
        assert isinstance(result, Admitted) and result.evict is not reader.ticket
        if result.evict is not None:
            admission.release(result.evict)
    assert admission.authenticate(reader.ticket) is None
    assert admission.handshakes == 24 and admission.authenticated == 1


def test_authenticated_connections_are_capped_when_they_log_in() -> None:
    admission = Admission(max_sessions=1, max_per_address=100, rate_per_minute=10_000)
    results = []
    for number in range(admission.max_connections + 1):
        ticket = admit(admission, f"10.1.0.{number}")
        assert isinstance(ticket, Ticket)
        results.append(admission.authenticate(ticket))
    assert results[-1] is Refusal.FULL
    assert results.count(None) == admission.max_connections


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("xterm-256color", "xterm-256color"),
        ("screen.xterm+256color", "screen.xterm+256color"),
        ("xterm\nLD_PRELOAD=x", FALLBACK_TERM),
        ("../../bin/sh", FALLBACK_TERM),
        ("x" * 65, FALLBACK_TERM),
        ("", FALLBACK_TERM),
        (None, FALLBACK_TERM),
    ],
)
def test_term_is_a_plain_name_or_the_fallback(term: str | None, expected: str) -> None:
    assert safe_term(term) == expected


def test_child_environment_takes_nothing_else_from_the_client(tmp_path: Path) -> None:
    client = {"COLORTERM": "24bit", "LD_PRELOAD": "x.so", "PATH": "/evil", "HOME": "/root"}
    env = child_environment("xterm", client, tmp_path)
    assert env == {
        "TERM": "xterm",
        "COLORTERM": "24bit",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    assert "COLORTERM" not in child_environment("xterm", {"COLORTERM": "yes"}, tmp_path)


def test_utf8_filter_replaces_invalid_bytes_and_joins_split_characters() -> None:
    utf8 = Utf8Filter()
    assert utf8.feed(b"ok\xff") == "ok\ufffd".encode()
    assert utf8.feed(b"\xe2\x82") == b""  # held until the character is complete
    assert utf8.feed(b"\xac!") == "€!".encode()
    assert utf8.feed(b"\x1b[A") == b"\x1b[A"


def test_idle_notice_stays_on_the_bottom_row_and_fits() -> None:
    notice = bottom_line_notice("x" * 200, rows=24, cols=40)
    assert notice.startswith(b"\x1b7\x1b[24;1H") and notice.endswith(b"\x1b8")
    assert notice.count(b"x") == 39


def test_host_key_is_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "state" / "host_key"
    key = load_or_create_host_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert fingerprint(load_or_create_host_key(path)) == fingerprint(key)
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        load_or_create_host_key(path)


def test_authorized_keys_skip_options_comments_and_bad_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    keys = [asyncssh.generate_private_key("ssh-ed25519") for _ in range(3)]
    lines = [
        "# readers",
        keys[0].export_public_key().decode().strip(),
        'restrict,pty,command="thaw --reader x" ' + keys[1].export_public_key().decode().strip(),
        "ssh-ed25519 not-base64",
    ]
    path = tmp_path / "authorized_keys"
    path.write_text("\n".join(lines) + "\n")
    assert read_authorized_fingerprints(path) == {fingerprint(keys[0]), fingerprint(keys[1])}
    [warning] = [r for r in caplog.records if r.name == LOGGER_NAME]
    assert warning.getMessage().startswith(f"{path}, line 4: not a public key")

    authorized = AuthorizedKeys(path)
    assert authorized.admits(keys[0]) and not authorized.admits(keys[2])
    path.write_text(keys[2].export_public_key().decode())  # edited while serving
    assert authorized.admits(keys[2]) and not authorized.admits(keys[0])


def test_config_needs_authorized_keys_or_open(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as missing:
        config_from_args(serve_args("--state-dir", str(tmp_path)))
    assert "No authorized keys file at" in str(missing.value)
    assert "--open" in str(missing.value)
    config = config_from_args(serve_args("--state-dir", str(tmp_path), "--open"))
    assert config.open_access and config.authorized_keys_path is None
    assert config.host_key_path == tmp_path.resolve() / "ssh_host_ed25519_key"


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--idle-timeout", "soon"], "--idle-timeout"),
        (["--max-sessions", "0"], "--max-sessions"),
        (["--port", "70000"], "--port"),
        (["--content", "/nonexistent/pack"], "--content"),
        (["--max-handshakes", "0"], "--max-handshakes"),
        (["--login-timeout", "0s"], "--login-timeout"),
        (["--login-timeout", "later"], "--login-timeout"),
        (["--input-rate", "-1"], "--input-rate"),
    ],
)
def test_config_errors_name_the_option(tmp_path: Path, argv: list[str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        config_from_args(serve_args("--state-dir", str(tmp_path), "--open", *argv))


def test_the_limits_an_operator_may_tune_reach_the_config(tmp_path: Path) -> None:
    base = ("--state-dir", str(tmp_path), "--open")
    default = config_from_args(serve_args(*base))
    assert default.max_handshakes is None  # half of --max-sessions, at least 10
    assert default.timeouts.login == 20.0 and default.input_rate == 16 * 1024
    tuned = config_from_args(
        serve_args(*base, "--max-handshakes", "4", "--login-timeout", "45s", "--input-rate", "2.5")
    )
    assert tuned.max_handshakes == 4
    assert tuned.timeouts.login == 45.0
    assert tuned.input_rate == 2.5 * 1024


class FakeTimers:
    """A clock that moves only when told, and the timers due by then, in order."""

    def __init__(self) -> None:
        self.now = 0.0
        self._due: list[tuple[float, int, Callable[[], None], FakeTimer]] = []
        self._count = 0

    def clock(self) -> float:
        return self.now

    def call_later(self, delay: float, callback: Callable[[], None], /) -> FakeTimer:
        assert delay > 0
        timer = FakeTimer()
        self._count += 1
        heapq.heappush(self._due, (self.now + delay, self._count, callback, timer))
        return timer

    def advance_to(self, moment: float) -> None:
        while self._due and self._due[0][0] <= moment:
            when, _, callback, timer = heapq.heappop(self._due)
            self.now = when
            if not timer.cancelled:
                callback()
        self.now = moment

    @property
    def pending(self) -> int:
        return sum(not timer.cancelled for *_, timer in self._due)


class FakeTimer:
    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


def test_idle_watch_warns_then_expires_unless_touched() -> None:
    timers = FakeTimers()
    events: list[tuple[str, float, float]] = []
    watch = IdleWatch(
        timers,
        timeout=8.0,
        warning=2.0,
        warn=lambda left: events.append(("warn", timers.now, left)),
        expire=lambda: events.append(("end", timers.now, 0.0)),
        clock=timers.clock,
    )
    watch.start()
    timers.advance_to(5.99)
    assert events == []
    timers.advance_to(6.0)
    assert events == [("warn", 6.0, 2.0)]
    timers.advance_to(7.25)
    assert watch.touch() is True  # answered the warning
    assert watch.touch() is False
    timers.advance_to(13.24)  # the key reset the count: 6 s more before the next warning
    assert events == [("warn", 6.0, 2.0)]
    timers.advance_to(15.24)
    assert events == [("warn", 6.0, 2.0), ("warn", 13.25, 2.0)]
    timers.advance_to(15.25)
    assert events == [("warn", 6.0, 2.0), ("warn", 13.25, 2.0), ("end", 15.25, 0.0)]
    assert timers.pending == 0  # nothing left to wake up for
    timers.advance_to(100.0)
    assert len(events) == 3


def test_idle_watch_keys_before_the_warning_only_push_it_back() -> None:
    timers = FakeTimers()
    events: list[tuple[str, float]] = []
    watch = IdleWatch(
        timers,
        timeout=8.0,
        warning=2.0,
        warn=lambda left: events.append(("warn", timers.now)),
        expire=lambda: events.append(("end", timers.now)),
        clock=timers.clock,
    )
    watch.start()
    for moment in (1.0, 4.0, 9.5):
        timers.advance_to(moment)
        assert watch.touch() is False  # no warning was showing
    timers.advance_to(15.49)
    assert events == []
    timers.advance_to(17.5)
    assert events == [("warn", 15.5), ("end", 17.5)]

    watch.start()  # a stopped watch stays quiet until started again
    watch.stop()
    assert timers.pending == 0
    timers.advance_to(60.0)
    assert events == [("warn", 15.5), ("end", 17.5)]


def test_warm_messages_carry_descriptors_that_work_on_the_other_side() -> None:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    read_end, write_end = os.pipe()
    try:
        send_message(ours, {"id": 7, "reader": "SHA256:x"}, (write_end,))
        send_message(ours, {"ready": True})
        message, fds = receive_message(theirs)
        assert message == {"id": 7, "reader": "SHA256:x"} and len(fds) == 1
        assert fds[0] != write_end  # a new descriptor for the same pipe, not a number copied
        os.write(fds[0], b"through")
        os.close(fds[0])
        assert os.read(read_end, 16) == b"through"
        assert receive_message(theirs) == ({"ready": True}, [])
        extras = [os.dup(write_end) for _ in range(MAX_FDS)]
        send_message(ours, {"id": 8}, tuple(extras))  # every one arrives, to be closed
        message, fds = receive_message(theirs)
        assert message == {"id": 8} and len(fds) == MAX_FDS
        for fd in [*fds, *extras]:
            os.close(fd)
        ours.close()
        assert receive_message(theirs) == (None, [])  # the peer is gone
    finally:
        for fd in (read_end, write_end):
            os.close(fd)
        ours.close()
        theirs.close()


@pytest.fixture
def serve_logging() -> Iterator[None]:
    """Put the `thaw.serve` loggers back as they were after a test that sets them up."""
    loggers = [logging.getLogger(name) for name in (LOGGER_NAME, CONNECTIONS_LOGGER_NAME)]
    saved = [(lg.handlers[:], lg.propagate, lg.level) for lg in loggers]
    yield
    for lg, (handlers, propagate, level) in zip(loggers, saved, strict=True):
        for handler in lg.handlers:
            if handler not in handlers:
                handler.close()
        lg.handlers[:] = handlers
        lg.propagate, lg.level = propagate, level


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield int(holder.getsockname()[1])


def test_diagnostics_reach_stderr_and_connection_lines_stay_in_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], serve_logging: None
) -> None:
    log_file = tmp_path / "connections.log"
    diagnostics_to_stderr()
    connections = connection_logger(log_file)
    keys = tmp_path / "authorized_keys"
    keys.write_text("ssh-ed25519 not-base64\n")
    assert read_authorized_fingerprints(keys) == frozenset()
    connections.info("a connection line")
    assert capsys.readouterr().err == (
        f"thaw serve: {keys}, line 1: not a public key, skipped "
        "(write it as `ssh-ed25519 AAAA... comment`).\n"
    )
    assert log_file.read_text() == "a connection line\n"


def test_serve_off_linux_says_so_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    status = run_serve(serve_args("--state-dir", str(tmp_path / "state"), "--open"))
    err = capsys.readouterr().err
    assert status == exit_codes.USAGE
    assert err == (
        "thaw serve runs on Linux only (it needs os.pidfd_open and SOCK_SEQPACKET sockets), "
        "not on darwin.\n"
    )
    assert not (tmp_path / "state").exists()  # stopped before touching anything


def test_serve_on_a_kernel_without_pidfds_names_the_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pidfds(pid: int) -> int:
        raise OSError(errno.ENOSYS, os.strerror(errno.ENOSYS))

    monkeypatch.setattr(os, "pidfd_open", no_pidfds)
    assert run_serve(serve_args("--state-dir", str(tmp_path), "--open")) == exit_codes.USAGE
    assert "needs Linux 5.3 or later" in capsys.readouterr().err


def test_a_port_in_use_is_told_as_such(
    tmp_path: Path, busy_port: int, capsys: pytest.CaptureFixture[str], serve_logging: None
) -> None:
    argv = ("--state-dir", str(tmp_path), "--open", "--cold", "--port", str(busy_port))
    assert serve(config_from_args(serve_args(*argv))) == exit_codes.PROBLEMS
    assert capsys.readouterr().err == (
        f"thaw serve: cannot listen on 127.0.0.1:{busy_port} (address already in use): "
        "pick another --port or stop what holds it.\n"
    )


def test_a_warm_process_that_cannot_start_is_not_blamed_on_the_port(
    tmp_path: Path,
    busy_port: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    serve_logging: None,
) -> None:
    def gone(argv: list[str], **options: object) -> None:
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), "/gone/python3")

    monkeypatch.setattr(forkserver.subprocess, "Popen", gone)
    argv = ("--state-dir", str(tmp_path), "--open", "--port", str(busy_port))
    assert serve(config_from_args(serve_args(*argv))) == exit_codes.PROBLEMS
    assert capsys.readouterr().err.splitlines() == [
        "thaw serve: could not start the warm reader process "
        "(/gone/python3: No such file or directory); starting readers cold",
        f"thaw serve: cannot listen on 127.0.0.1:{busy_port} (address already in use): "
        "pick another --port or stop what holds it.",
    ]


def test_an_unwritable_log_file_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], serve_logging: None
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    log_file = blocker / "connections.log"
    argv = ("--state-dir", str(tmp_path / "state"), "--open", "--log-file", str(log_file))
    assert serve(config_from_args(serve_args(*argv))) == exit_codes.PROBLEMS
    err = capsys.readouterr().err
    assert err.startswith(f"thaw serve: cannot write the log file {log_file} (")
    assert "pass --log-file" in err and "listen" not in err


async def test_quickack_hook_still_runs_before_asyncssh_handles_each_read() -> None:
    what_to_do = (
        f"asyncssh {asyncssh.__version__} changed how a connection receives bytes: "
        f"sshserve/quickack.py wraps SSHServerConnection.{READ_METHOD} to re-arm "
        "TCP_QUICKACK before each read. Point READ_METHOD at the method asyncio's "
        "transport now calls with incoming bytes, or drop the hook (logins get ~80 ms slower)."
    )
    assert callable(getattr(asyncssh.SSHServerConnection, READ_METHOD, None)), what_to_do
    hooked: list[bool] = []
    reads: list[int] = []

    class Server(asyncssh.SSHServer):
        def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
            hooked.append(hook_reads(conn, lambda: reads.append(1)))

        def begin_auth(self, username: str) -> bool:
            return False  # no authentication: the login alone is enough traffic

    acceptor = await asyncssh.create_server(
        Server, "127.0.0.1", 0, server_host_keys=[asyncssh.generate_private_key("ssh-ed25519")]
    )
    try:
        client = await asyncssh.connect(
            "127.0.0.1",
            acceptor.get_port(),
            known_hosts=None,
            username="reader",
            client_keys=None,
            agent_path=None,
            config=[],
        )
        client.close()
        await client.wait_closed()
    finally:
        acceptor.close()
        await acceptor.wait_closed()
    assert hooked == [True], what_to_do
    assert len(reads) >= 3, what_to_do  # the login is several round trips, so several reads


def test_server_modules_import_neither_textual_nor_rich() -> None:
    modules = sorted(
        f"thaw_tui.sshserve.{path.stem}"
        for path in Path(sshserve.__file__).parent.glob("*.py")
        if path.stem != "__init__"
    )
    assert "thaw_tui.sshserve.warm" in modules and "thaw_tui.sshserve.server" in modules
    probe = (
        f"import sys, thaw_tui.cli.serve, {', '.join(modules)}\n"
        "from thaw_tui.cli.serve import serve\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# --- what one reader may send (red-team F2, F4, F5, F6) --------------------------------
def feed_all(*chunks: bytes) -> bytes:
    input_filter = InputFilter()
    return b"".join(input_filter.feed(chunk) for chunk in chunks)


@pytest.mark.parametrize(
    "sequence",
    [
        b"\x1b[99999999999999999999u",  # the review's crash: chr() of a huge code point
        b"\x1b[9999999999999999999999A",
        b"\x1b[99999999999999999999;5u",
        b"\x1b[1114112u",  # one past U+10FFFF
        b"\x1b[55296u",  # a surrogate
        b"\x1b[48;99999;99999;0;0t",  # an in-band window size past the pty's clamp
        b"\x1b[?2048;1$y",  # "I can send those"
        b"\x1b[" + b"1;" * 40 + b"A",  # longer than any real key
    ],
)
def test_crafted_sequences_never_reach_the_app(sequence: bytes) -> None:
    assert feed_all(b"a", sequence, b"b") == b"ab"
    # Split anywhere over packets, the verdict is the same.
    for cut in range(1, len(sequence)):
        assert feed_all(b"a" + sequence[:cut], sequence[cut:] + b"b") in (b"ab", b"a\x1bb")


@pytest.mark.parametrize(
    "keys",
    [
        b"\x1b[A\x1b[1;5C\x1b[5~",  # arrows, ctrl+right, page up
        b"\x1b[<35;120;40M\x1b[<0;1000;1000m",  # mouse reports
        b"\x1b[106;5u\x1b[1114111u",  # kitty keys, the last code point
        b"\x1bOP\x1bj\x1b",  # F1, alt+j, escape
        "é✓\U0001f600".encode(),
    ],
)
def test_real_keys_pass_unchanged(keys: bytes) -> None:
    assert feed_all(keys) == keys
    assert feed_all(*[keys[i : i + 1] for i in range(len(keys))]) == keys


def test_a_lone_escape_is_passed_at_once() -> None:
    input_filter = InputFilter()
    assert input_filter.feed(b"\x1b") == b"\x1b"  # the Escape key: no waiting
    assert input_filter.feed(b"[A") == b"[A"  # it was the start of an arrow after all
    assert input_filter.feed(b"\x1b") == b"\x1b"
    assert input_filter.feed(b"[99999999999u") == b""  # dropped; ESC alone reads as Escape


def test_a_paste_is_cut_and_closed_at_its_limit() -> None:
    huge = b"\x1b[200~" + b"x" * (MAX_PASTE * 3) + b"\x1b[201~after"
    out = feed_all(*[huge[i : i + 4096] for i in range(0, len(huge), 4096)])
    assert out == b"\x1b[200~" + b"x" * MAX_PASTE + b"\x1b[201~after"
    small = b"\x1b[200~hello \x1b[99999999999u world\x1b[201~"
    assert feed_all(small) == b"\x1b[200~hello  world\x1b[201~"


def test_invalid_utf8_is_still_replaced() -> None:
    assert feed_all(b"a\xffb\xe2\x9c", b"\x93") == "a\ufffdb✓".encode()


class FakeTransport:
    def __init__(self) -> None:
        self.paused = False
        self.pauses = 0

    def pause_reading(self) -> None:
        self.paused = True
        self.pauses += 1

    def resume_reading(self) -> None:
        self.paused = False


async def test_a_connection_is_read_within_its_byte_budget_in_slices() -> None:
    loop = asyncio.get_running_loop()
    delivered: list[tuple[float, bytes]] = []
    transport = FakeTransport()
    throttle = ReadThrottle(
        lambda data: delivered.append((loop.time(), data)),
        transport,
        loop,
        rate=200_000,
        burst=20_000,
    )
    small = b"keys"
    throttle.received(small)
    assert delivered == [(delivered[0][0], small)] and not transport.paused  # at once
    flood = bytes(range(256)) * 400  # 102,400 bytes in one read
    started = loop.time()
    throttle.received(flood)
    assert transport.paused  # no more reads from the socket until it has been fed
    while transport.paused:
        await asyncio.sleep(0.01)
    pieces = [data for _, data in delivered[1:]]
    assert b"".join(pieces) == flood
    assert max(len(piece) for piece in pieces) <= SLICE
    # 102,400 bytes at 200,000 a second after a 20,000-byte burst: about 0.4 s.
    assert loop.time() - started >= (len(flood) - 20_000) / 200_000 - 0.05
    throttle.close()
    throttle.received(b"late")
    assert pieces == [data for _, data in delivered[1:]]


async def test_asyncssh_still_has_what_the_hooks_need() -> None:
    """The read throttle and the env hook reach into asyncssh (like quickack)."""
    what_to_do = (
        f"asyncssh {asyncssh.__version__} changed: sshserve/throttle.py pauses "
        f"SSHServerConnection.{TRANSPORT_ATTRIBUTE} and sshserve/envhook.py replaces "
        f"SSHServerChannel.{ENV_METHOD}. Point them at what asyncssh uses now."
    )
    assert callable(getattr(asyncssh.SSHServerChannel, ENV_METHOD, None)), what_to_do
    throttled: list[bool] = []
    accepted: list[tuple[bytes, bytes]] = []
    stored: list[dict[str, str]] = []

    class Session(asyncssh.SSHServerSession):  # type: ignore[type-arg]
        def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:  # type: ignore[type-arg]
            self.chan = chan
            assert hook_env_requests(chan, lambda n, v: accepted.append((n, v)) or False)

        def shell_requested(self) -> bool:
            stored.append(dict(self.chan.get_environment()))
            return True

    class Server(asyncssh.SSHServer):
        def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
            loop = asyncio.get_running_loop()
            throttled.append(throttle_reads(conn, 1e9, 1e9, loop) is not None)

        def begin_auth(self, username: str) -> bool:
            return False

        def session_requested(self) -> Session:
            return Session()

    acceptor = await asyncssh.create_server(
        Server,
        "127.0.0.1",
        0,
        server_host_keys=[asyncssh.generate_private_key("ssh-ed25519")],
        line_editor=False,  # as thaw serve: the session gets the channel itself
    )
    try:
        async with asyncssh.connect(
            "127.0.0.1",
            acceptor.get_port(),
            known_hosts=None,
            username="reader",
            client_keys=None,
            agent_path=None,
            config=[],
        ) as client:
            env = {f"VAR{n}": "x" * 100 for n in range(500)}
            chan, _ = await client.create_session(asyncssh.SSHClientSession, env=env)
            while not stored:
                await asyncio.sleep(0.01)
            chan.close()
    finally:
        acceptor.close()
        await acceptor.wait_closed()
    assert throttled == [True], what_to_do
    assert len(accepted) == 500 and accepted[0] == (b"VAR0", b"x" * 100), what_to_do
    assert stored == [{}]  # nothing kept on the channel
