"""A reader's session under `thaw serve`, seen through a stub child (real OpenSSH client).

The stub records what the server gave it (argv, environment, limits, terminal) so these
tests check the sandbox itself; tests/e2e/test_serve_thaw.py runs the real reader.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support.pty_harness import modes_left_on
from support.ssh_helpers import (
    ServeProcess,
    make_key,
    process_state,
    wait_for,
)

pytestmark = pytest.mark.slow
Serve = Callable[..., ServeProcess]

HOSTILE_ENV = {
    "LD_PRELOAD": "/tmp/evil.so",
    "PYTHONPATH": "/tmp/evil",
    "PYTHONSTARTUP": "/tmp/evil.py",
    "TEXTUAL_DRIVER": "evil:Driver",
    "TEXTUAL_DEBUG": "1",
    "BROWSER": "/tmp/evil-browser",
    "HOME": "/root",
    "XDG_CONFIG_HOME": "/tmp/evil",
    "XDG_RUNTIME_DIR": "/tmp/evil",
    "COLORTERM": "truecolor",
}


def proc_environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = [entry.split(b"=", 1) for entry in raw.split(b"\0") if entry]
    return {key.decode(): value.decode() for key, value in pairs}


def test_child_environment_is_built_from_nothing(
    serve: Serve, key_dir: Path, tmp_path: Path
) -> None:
    server = serve()
    key = make_key(key_dir, "reader")
    set_env = " ".join(f"{name}={value}" for name, value in HOSTILE_ENV.items())
    client_env = {"SSH_AUTH_SOCK": str(tmp_path / "agent.sock"), "DISPLAY": ":99"}
    session = server.interactive(
        key, options=["-A", "-X", "-o", f"SetEnv={set_env}"], env=client_env
    )
    session.wait_for_text("STUB READY")
    report = server.wait_for_stub_reports(1)[0]
    seen_in_proc = proc_environ(report["pid"])
    home = str(server.state_dir / "serve-home")
    # The one descriptor past the terminal: the server's stderr, for crash reports.
    host_errors = report["env"].get("THAW_HOST_ERRORS_FD", "")
    assert host_errors.isdigit(), report["env"]
    assert report["fds"] == [0, 1, 2, int(host_errors)]
    expected = {
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PATH": "/usr/bin:/bin",
        "HOME": home,
        "PYTHONDONTWRITEBYTECODE": "1",
        "THAW_HOST_ERRORS_FD": host_errors,
    }
    assert seen_in_proc == expected
    assert report["env"] == expected
    assert report["cwd"] == home
    # Its own session and process group, with the pty as its terminal; limits set.
    assert report["sid"] == report["pid"] == report["pgid"]
    assert report["tty"] is not None and report["tty"].startswith("/dev/pts/")
    assert report["rlimit_core"] == 0
    assert 0 < report["rlimit_as"] <= 2 * 1024**3
    assert report["rlimit_nofile"] <= 1024
    # What the reader writes there reaches the host.
    server_stderr = server.state_dir.parent / "serve-stderr.txt"
    wait_for(
        lambda: f"STUB TO HOST {report['pid']}" in server_stderr.read_text(),
        10,
        "the reader's line on the server's stderr",
    )


def test_colorterm_other_than_truecolor_is_dropped(serve: Serve, key_dir: Path) -> None:
    server = serve()
    session = server.interactive(
        make_key(key_dir, "reader"), options=["-o", "SetEnv=COLORTERM=$(reboot)"]
    )
    session.wait_for_text("STUB READY")
    assert "COLORTERM" not in server.wait_for_stub_reports(1)[0]["env"]


@pytest.mark.parametrize(
    ("user", "term"),
    [
        ("../../etc", "xterm\nLD_PRELOAD=/tmp/evil.so"),
        ("x" * 500, "../../../../bin/sh"),
        ("reader-zz", "screen.xterm-256color"),
    ],
    ids=["dotdot-newline", "long-slash", "plain"],
)
def test_username_never_matters_and_term_is_validated(
    serve: Serve, key_dir: Path, user: str, term: str
) -> None:
    server = serve()
    key = make_key(key_dir, "reader")
    before = sorted(path.name for path in server.state_dir.iterdir())
    session = server.interactive(key, user=user, env={"TERM": term})
    session.wait_for_text("STUB READY")
    report = server.wait_for_stub_reports(1)[0]
    expected_term = term if term == "screen.xterm-256color" else "xterm-256color"
    assert report["env"]["TERM"] == expected_term
    assert user not in " ".join(report["argv"])
    session.send("q")
    assert session.wait_exit(10) == 3
    after = sorted(path.name for path in server.state_dir.iterdir() if "stub-" not in path.name)
    assert after == before
    assert not (server.state_dir.parent.parent / "etc").exists()
    log = server.wait_for_log(1)[-1]
    assert f"term={expected_term}" in log and user[:50] not in log


def test_ten_kilobyte_username_is_turned_away_harmlessly(serve: Serve, key_dir: Path) -> None:
    server = serve()
    key = make_key(key_dir, "reader")
    result = server.run(key, "-tt", user="x" * 10_000)
    assert result.returncode == 255
    assert "Username too long" in result.stderr  # asyncssh's own limit, before any session
    assert server.stub_reports() == []
    assert not any("x" * 100 in path.name for path in server.state_dir.rglob("*"))
    session = server.interactive(key)
    session.wait_for_text("STUB READY")


def test_keys_resize_and_broken_utf8_reach_the_child_safely(serve: Serve, key_dir: Path) -> None:
    server = serve()
    session = server.interactive(make_key(key_dir, "reader"), cols=90, rows=30)
    session.wait_for_text("STUB READY 90x30")
    session.send("ab")
    session.wait_for_text("KEY 6162")
    session.resize(120, 40)
    session.wait_for_text("SIZE 120x40")
    session.send(b"\xff\xfe")
    session.wait_for_text("KEY efbfbdefbfbd")  # two U+FFFD, never the raw bytes
    session.send(b"\xc3")  # a character split across packets arrives whole
    time.sleep(0.2)
    session.send(b"\xa9")
    session.wait_for_text("KEY c3a9")
    assert "KEY c3\n" not in session.text()
    session.send("z")
    session.wait_for_text("KEY 7a")  # still alive after the bad bytes


def test_exit_status_passes_through_and_terminal_is_restored(serve: Serve, key_dir: Path) -> None:
    server = serve()
    key = make_key(key_dir, "reader")
    quitting = server.interactive(key)
    quitting.wait_for_text("STUB READY")
    quitting.send("q")
    assert quitting.wait_exit(10) == 3
    # The stub left the alternate screen, hidden cursor and mouse on; the server undid them.
    assert modes_left_on(quitting.raw) & {1049, 1000, 2004} == set()
    assert quitting.raw.rstrip().endswith(b"\x1b[0m")

    crashing = server.interactive(key)
    crashing.wait_for_text("STUB READY")
    crashing.send("c")
    assert crashing.wait_exit(10) == 128 + signal.SIGSEGV
    assert modes_left_on(crashing.raw) & {1049, 1000} == set()
    lines = server.wait_for_log(2)
    assert any("exit=3" in line for line in lines)
    assert any(f"exit={128 + signal.SIGSEGV}" in line for line in lines)


def test_dropped_connection_leaves_no_process(serve: Serve, key_dir: Path) -> None:
    server = serve()
    session = server.interactive(make_key(key_dir, "reader"))
    session.wait_for_text("STUB READY")
    child = server.wait_for_stub_reports(1)[0]["pid"]
    assert server.readers() == [child]
    session.kill(signal.SIGKILL)
    wait_for(lambda: process_state(child) is None, 5, "the child to be reaped")
    assert server.readers() == []
    assert "exit=hangup" in server.wait_for_log(1)[-1]


def test_killing_one_child_leaves_the_others_running(serve: Serve, key_dir: Path) -> None:
    server = serve()
    key = make_key(key_dir, "reader")
    first, second = server.interactive(key), server.interactive(key)
    first.wait_for_text("STUB READY")
    second.wait_for_text("STUB READY")
    victim = server.wait_for_stub_reports(2)[0]["pid"]
    os.kill(victim, signal.SIGKILL)
    sessions = [first, second]
    wait_for(lambda: any(s.process.poll() is not None for s in sessions), 10, "one to end")
    ended = next(s for s in sessions if s.process.poll() is not None)
    survivor = next(s for s in sessions if s is not ended)
    assert ended.wait_exit(5) == 128 + signal.SIGKILL
    wait_for(lambda: len(server.readers()) == 1, 5, "one child left")
    survivor.send("k")
    survivor.wait_for_text("KEY 6b")


def test_global_cap_answers_full_and_never_passes_it(serve: Serve, key_dir: Path) -> None:
    server = serve("--max-sessions", "2", "--max-per-ip", "10")
    key = make_key(key_dir, "reader")
    readers = [server.interactive(key) for _ in range(2)]
    for reader in readers:
        reader.wait_for_text("STUB READY")
    refused = server.interactive(key)
    assert refused.wait_exit(10) == 1
    assert b"thaw is full, try again later" in refused.raw
    assert len(server.readers()) == 2
    readers[0].send("q")
    readers[0].wait_exit(10)
    wait_for(lambda: len(server.readers()) == 1, 5, "a slot to free")
    again = server.interactive(key)
    again.wait_for_text("STUB READY")


def test_idle_reader_is_warned_then_disconnected(serve: Serve, key_dir: Path) -> None:
    server = serve("--idle-timeout", "2s")
    key = make_key(key_dir, "reader")
    idle, busy = server.interactive(key, rows=20), server.interactive(key, rows=20)
    idle.wait_for_text("STUB READY")
    busy.wait_for_text("STUB READY")
    idle.wait_for_text("closing in", timeout=5)
    assert "closing in" in idle.lines()[19]  # on the bottom row, not scrolled in
    busy.wait_for_text("closing in", timeout=5)
    busy.send("k")  # answers the warning
    assert idle.wait_exit(5) == 0
    assert b"closed after 2s without a key press" in idle.raw
    assert modes_left_on(idle.raw) & {1049, 1000} == set()
    assert busy.process.poll() is None
    wait_for(lambda: "SIZE" in busy.text(), 3, "a repaint nudge after the key")
    assert any("exit=idle" in line for line in server.wait_for_log(1))
