"""A served reader under hostile input, in real pseudo-terminals (red-team F4, F6-F8).

The reader process itself (`thaw --served`, with no server in front) must take a
key flood no faster than it handles it and show no traceback when something fails;
through `thaw serve`, seeded random and adversarial bytes must never crash or hang a
reader, and keys after quitting (^Z) must not stop it.
"""

from __future__ import annotations

import os
import random
import select
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from support.pty_harness import PtySession, terminal_env
from support.ssh_helpers import STUB_CHILD, ServeProcess, make_key

from thaw_tui.sshserve.warm import APOLOGY
from thaw_tui.ui.served import APOLOGY as APP_APOLOGY

pytestmark = pytest.mark.slow
Serve = Callable[..., ServeProcess]
TITLE = "Thawing Relations"


def served_reader(state: Path, pass_fds: Sequence[int] = (), **env: str) -> PtySession:
    argv = [
        sys.executable,
        "-m",
        "thaw_tui",
        "--served",
        "--reader",
        "r",
        "--state-dir",
        str(state),
    ]
    session = PtySession(
        argv,
        env=terminal_env({"THAW_STATE_DIR": str(state), **env}),
        cwd=state.parent,
        pass_fds=pass_fds,
    )
    session.wait_for_text(TITLE, 30)
    session.wait_for_quiet(0.3, 10)
    return session


def test_one_apology_for_every_way_a_reader_can_fail() -> None:
    assert APOLOGY == APP_APOLOGY


def test_a_crash_shows_a_sentence_not_a_traceback_and_fails(tmp_path: Path) -> None:
    """Textual's input thread dies on this (OverflowError in chr()); the server's filter
    never lets it through, but the reader must fail well even so."""
    with served_reader(tmp_path / "state") as session:
        session.send(b"\x1b[99999999999999999999u")
        assert session.wait_exit(15) == 1
        raw = bytes(session.raw)
    assert APOLOGY.encode() in raw
    for leak in (b"Traceback", b"OverflowError", b"site-packages", b".py"):
        assert leak not in raw


def test_a_reader_started_cold_sends_its_crash_report_to_the_host(tmp_path: Path) -> None:
    """`thaw serve` gives a reader it starts cold (not forked from the warm process) a
    descriptor of its stderr; the traceback goes there, and only the sentence to the
    reader's terminal."""
    read_end, write_end = os.pipe()
    try:
        with served_reader(
            tmp_path / "state", pass_fds=(write_end,), THAW_HOST_ERRORS_FD=str(write_end)
        ) as session:
            os.close(write_end)
            write_end = -1
            session.send(b"\x1b[99999999999999999999u")
            assert session.wait_exit(15) == 1
            raw = bytes(session.raw)
        with os.fdopen(read_end, "rb") as host_side:
            read_end = -1
            report = host_side.read().decode()
    finally:
        for fd in (read_end, write_end):
            if fd >= 0:
                os.close(fd)
    assert "a reader's process" in report and "crashed" in report
    assert "Traceback" in report and "OverflowError" in report
    assert APOLOGY.encode() in raw and b"Traceback" not in raw


def test_a_key_flood_is_read_no_faster_than_the_app_handles_it(tmp_path: Path) -> None:
    """Before: 4 s of keys grew the reader by 60 MiB (3 KB per key waiting in the event
    loop), on its way to a gigabyte. Now the app's backlog is capped and the rest waits
    in the terminal, so memory stays flat and the reader still answers at once."""
    with served_reader(tmp_path / "state") as session:
        before = session.peak_rss_kib()
        os.set_blocking(session.master_fd, False)
        keys = b"jk" * 2048
        written = 0
        deadline = time.monotonic() + 4.0
        while time.monotonic() < deadline:
            _, ready, _ = select.select([], [session.master_fd], [], 0.05)
            if ready:
                try:
                    written += os.write(session.master_fd, keys)
                except BlockingIOError:
                    pass
        os.set_blocking(session.master_fd, True)
        grown = session.peak_rss_kib() - before
        assert grown < 20 * 1024, f"grew {grown} KiB on {written:,} bytes of keys"
        assert session.process.poll() is None
        session.send("q")  # behind at most the capped backlog and a terminal's worth
        assert session.wait_exit(20) == 0


# --- through thaw serve: fuzzing with seeded random and adversarial bytes -------------
ADVERSARIAL = [
    b"\x1b[99999999999999999999u",
    b"\x1b[9999999999999999999999A",
    b"\x1b[99999999999999999999;5u",
    b"\x1b[1114112u\x1b[55296u",
    b"\x1b[48;99999;99999;0;0t",
    b"\x1b[?2048;1$y\x1b[48;5000;5000;0;0t",
    b"\x1b[<0;99999999;99999999M\x1b[<64;5;5M\x1b[<65;5;5M",
    b"\x1b[200~" + b"paste " * 20_000 + b"\x1b[201~",
    b"\x1b[" + b";" * 5000 + b"u",
    b"\x1b]52;c;" + b"A" * 4000 + b"\x07",
    b"\x1bP" + b"x" * 3000 + b"\x1b\\",
    b"\xff\xfe\xc0\x80\xed\xa0\x80",
    b"\x1a\x1c\x03\x1a\x1a",  # ^Z ^\ ^C: keys, never signals
]


def fuzz_bytes(seed: int, size: int) -> bytes:
    """Random bytes without "q" (that would end the run early), plus the hostile list."""
    rng = random.Random(seed)
    chunks = [bytes(rng.choice([b for b in range(256) if b != ord("q")]) for _ in range(size))]
    chunks.extend(rng.sample(ADVERSARIAL, len(ADVERSARIAL)))
    return b"".join(chunks)


def send_while_running(session: PtySession, data: bytes) -> None:
    for start in range(0, len(data), 4096):
        if session.process.poll() is not None:
            return  # the bytes held a ctrl+q: the reader has quit, as asked
        try:
            session.send(data[start : start + 4096])
        except OSError:
            return


def quit_reader(session: PtySession, timeout: float = 40) -> int:
    """Escape out of whatever is open, then q, until the reader has quit."""
    deadline = time.monotonic() + timeout
    while session.process.poll() is None:
        assert time.monotonic() < deadline, f"the reader does not quit:\n{session.text()}"
        try:
            session.send(b"\x1b")
            session.wait_for_quiet(0.25, timeout=10)  # and Textual has seen a lone Escape
            session.send(b"q")
        except OSError:
            break
        try:
            session.wait_until(lambda: session.process.poll() is not None, 2, "quitting")
        except TimeoutError:
            continue
    return session.wait_exit(5)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fuzzed_input_never_crashes_or_hangs_a_reader(
    serve: Serve, key_dir: Path, seed: int
) -> None:
    server = serve(child=None)
    session = server.interactive(make_key(key_dir, "fuzz"))
    session.wait_for_text(TITLE, 30)
    send_while_running(session, fuzz_bytes(seed, 4000))
    assert quit_reader(session) == 0, session.text()
    lines = server.wait_for_log(1)
    assert lines[-1].endswith("exit=0"), lines
    assert b"Traceback" not in bytes(session.raw)
    assert server.readers() == []


def test_keys_after_quitting_never_stop_the_reader(serve: Serve, key_dir: Path) -> None:
    """Red-team F8: q, then ^Z in a stream: the ^Z reached a terminal back in cooked
    mode, became SIGTSTP, and deadlocked Textual's own handler."""
    server = serve(child=None)
    session = server.interactive(make_key(key_dir, "quitter"))
    session.wait_for_text(TITLE, 30)
    session.send(b"q" + b"\x1a" * 200 + b"\x03\x1c" * 50)
    code = session.wait_exit(15)
    assert code == 0, server.wait_for_log(1)
    assert server.wait_for_log(1)[-1].endswith("exit=0")
    assert server.readers() == []


def test_keys_never_become_signals_in_a_readers_terminal(serve: Serve, key_dir: Path) -> None:
    """Why F8 cannot happen: the reader's terminal turns no key into a signal, even in
    the cooked mode an app leaves behind when it quits."""
    server = serve(child=[*STUB_CHILD, "--cooked"])
    session = server.interactive(make_key(key_dir, "cooked"))
    session.wait_for_text("STUB COOKED")
    session.send(b"\x1a\x03\x1c\r")  # ^Z ^C ^\ then Enter ends the line
    session.wait_for_text("KEY 1a031c0a")
    session.hang_up()


def test_fast_keys_on_the_welcome_back_offer_do_not_crash(tmp_path: Path) -> None:
    """Red-team F7: keys in one burst on the "Continue where you left off?" offer each
    dismissed it again (ScreenStackError). They must simply decline it, once."""
    state = tmp_path / "state"
    with served_reader(state) as first:
        first.press("enter")  # open the first story section: a place to come back to
        first.wait_for_screen_change_after(0, 10)
        for _ in range(4):  # q closes the page, then quits
            first.wait_for_quiet(0.3, 10)
            first.send("q")
            try:
                first.wait_until(lambda: first.process.poll() is not None, 3, "quitting")
                break
            except TimeoutError:
                continue
        assert first.wait_exit(5) == 0
    with served_reader(state) as second:
        second.wait_for_text("Welcome back", 15)
        second.send(b"jjjjjjjj")
        second.wait_for_gone("Welcome back", 10)
        second.wait_for_quiet(0.3, 10)
        assert second.process.poll() is None, second.text()
        second.send("q")
        assert second.wait_exit(15) == 0
        assert b"Traceback" not in bytes(second.raw)
