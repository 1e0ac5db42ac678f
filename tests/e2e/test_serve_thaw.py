"""The real reader over `thaw serve`, driven through the real OpenSSH client."""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from support.pty_harness import PtySession, modes_left_on
from support.ssh_helpers import (
    ServeProcess,
    make_key,
    process_state,
    wait_for,
)

pytestmark = pytest.mark.slow
Serve = Callable[..., ServeProcess]
TITLE = "Thawing Relations Under Fire"
PAINT_TIMEOUT = 20.0
SEEN = re.compile(r"\b(\d+)/(\d+)\b")  # "3/128 seen", or "3/128 · progress not saved"


def seen_count(session: PtySession) -> int:
    match = SEEN.search(session.lines()[0])
    assert match, session.text()
    return int(match.group(1))


def open_reader(
    server: ServeProcess, key: Path | None, *, returning: bool = False, **kwargs: object
) -> PtySession:
    """Connect and wait for the first paint; a returning reader declines "continue?"."""
    session = server.interactive(key, **kwargs)  # type: ignore[arg-type]
    session.wait_for_text(TITLE, timeout=PAINT_TIMEOUT)
    session.wait_until(
        lambda: SEEN.search(session.lines()[0]) is not None or "Welcome to thaw" in session.text(),
        PAINT_TIMEOUT,
    )
    # Keys pressed in the first moments after the first paint can be lost by the app
    # itself (seen locally too, without SSH): let it settle before typing.
    session.wait_for_quiet(0.3)
    if "Welcome to thaw" in session.text():  # a new reader's first screen: browse
        session.press("escape")
        session.wait_for_gone("Welcome to thaw")
        session.wait_until(lambda: SEEN.search(session.lines()[0]) is not None, PAINT_TIMEOUT)
    if returning:
        session.wait_for_text("Welcome back", timeout=10)
        session.press("escape")
        session.wait_for_gone("Welcome back")
    return session


def open_item(session: PtySession) -> None:
    """Open the highlighted story section: it counts as seen."""
    session.press("enter")
    session.wait_for_text("Story ›", timeout=10)


def quit_reader(session: PtySession) -> None:
    session.press("Q")  # quits from anywhere (q on an item page goes back one level)
    assert session.wait_exit(10) == 0
    assert modes_left_on(session.raw) & {1049, 1000, 1003, 1006, 2004} == set()


@pytest.mark.parametrize("start", ["warm", "cold"])
def test_paints_answers_keys_and_reflows_on_resize(serve: Serve, key_dir: Path, start: str) -> None:
    server = serve(*(["--cold"] if start == "cold" else []), child=None)
    assert (server.warm_process() is None) == (start == "cold")
    session = open_reader(server, make_key(key_dir, "reader"), cols=100, rows=30)
    assert seen_count(session) == 0
    assert session.lines()[0].rstrip().endswith("seen")
    assert len(session.lines()[0].rstrip()) > 90
    session.send(b"\xff\xfe\xc3")  # broken UTF-8 must not kill the app's input thread
    session.send(b"\x1b")
    session.wait_for_quiet(0.3)  # a lone ESC is a key only once nothing follows it
    open_item(session)
    assert seen_count(session) == 1
    session.resize(60, 20)
    session.wait_until(
        lambda: (
            50 < len(session.lines()[0].rstrip()) <= 60
            and re.search(r"\b1/\d+( seen)?$", session.lines()[0].rstrip()) is not None
        ),
        10,
        "the header to reflow to 60 columns",
    )
    quit_reader(session)
    assert "exit=0" in server.wait_for_log(1)[-1]


def test_progress_is_per_key_and_merges_across_sessions_of_one_key(
    serve: Serve, key_dir: Path
) -> None:
    server = serve(child=None)
    alice, bob = make_key(key_dir, "alice"), make_key(key_dir, "bob")
    first, second = open_reader(server, alice), open_reader(server, alice)
    open_item(first)
    second.press("down")
    open_item(second)
    quit_reader(first)
    quit_reader(second)

    again = open_reader(server, alice, returning=True)
    assert seen_count(again) == 2
    other = open_reader(server, bob)
    assert seen_count(other) == 0
    quit_reader(again)
    quit_reader(other)


def test_dropped_connection_keeps_progress_and_leaves_no_process(
    serve: Serve, key_dir: Path
) -> None:
    server = serve(child=None)
    key = make_key(key_dir, "reader")
    session = open_reader(server, key)
    open_item(session)
    session.wait_until(lambda: seen_count(session) == 1, 5, "one seen")
    [child] = server.readers()
    session.kill(signal.SIGKILL)
    wait_for(lambda: process_state(child) is None, 6, "the reader's process to be reaped")
    assert server.readers() == []

    back = open_reader(server, key, returning=True)
    assert seen_count(back) == 1
    quit_reader(back)


def test_anonymous_reader_progress_lasts_only_the_session(serve: Serve) -> None:
    server = serve(child=None)
    options = {"options": ["-o", "PreferredAuthentications=keyboard-interactive"], "batch": False}
    session = open_reader(server, None, **options)
    open_item(session)
    assert seen_count(session) == 1
    quit_reader(session)
    again = open_reader(server, None, **options)
    assert seen_count(again) == 0
    quit_reader(again)


def test_a_killed_reader_or_warm_process_leaves_the_others_reading(
    serve: Serve, key_dir: Path
) -> None:
    server = serve(child=None)
    key = make_key(key_dir, "reader")
    first, second = open_reader(server, key), open_reader(server, key)
    victim = server.readers()[0]
    os.kill(victim, signal.SIGKILL)
    sessions = [first, second]
    wait_for(lambda: any(s.process.poll() is not None for s in sessions), 10, "one to end")
    ended = next(s for s in sessions if s.process.poll() is not None)
    survivor = next(s for s in sessions if s is not ended)
    assert ended.wait_exit(5) == 128 + signal.SIGKILL
    open_item(survivor)

    warm = server.warm_process()
    assert warm is not None
    os.kill(warm, signal.SIGKILL)  # readers it forked are ended, new ones start cold
    assert survivor.wait_exit(10) == 128 + signal.SIGKILL
    wait_for(lambda: server.readers() == [], 5, "no reader left")
    later = open_reader(server, key, returning=True)
    assert server.warm_process() is None and len(server.readers()) == 1
    quit_reader(later)


def test_warm_reader_gets_nothing_from_the_client(
    serve: Serve, key_dir: Path, tmp_path: Path
) -> None:
    server = serve(child=None)
    hostile = "LD_PRELOAD=/tmp/evil.so PYTHONPATH=/tmp/evil TEXTUAL_DRIVER=x BROWSER=x"
    session = open_reader(
        server,
        make_key(key_dir, "reader"),
        options=["-A", "-X", "-o", f"SetEnv={hostile} HOME=/root XDG_CONFIG_HOME=/tmp/x"],
        env={"SSH_AUTH_SOCK": str(tmp_path / "agent.sock"), "DISPLAY": ":99"},
    )
    [reader] = server.readers()
    raw = Path(f"/proc/{reader}/environ").read_bytes()
    names = {entry.split(b"=", 1)[0].decode() for entry in raw.split(b"\0") if entry}
    assert names <= {"LANG", "LC_ALL", "PATH", "HOME"}
    limits = Path(f"/proc/{reader}/limits").read_text()
    assert re.search(r"Max core file size\s+0\s+0", limits)
    assert re.search(r"Max address space\s+\d+\s+\d+", limits)
    assert Path(f"/proc/{reader}/cwd").resolve() == server.state_dir / "serve-home"
    assert os.getsid(reader) == reader
    quit_reader(session)


def test_idle_notice_is_painted_over_once_the_reader_answers(serve: Serve, key_dir: Path) -> None:
    server = serve("--idle-timeout", "4s", child=None)
    session = open_reader(server, make_key(key_dir, "reader"))
    footer = session.lines()[-1]
    session.wait_for_text("closing in", timeout=8)
    assert "closing in" in session.lines()[-1]
    session.press("x")  # no binding: only the server's repaint nudge changes the screen
    session.wait_until(lambda: session.lines()[-1] == footer, 5, "the footer to come back")
    assert session.process.poll() is None
