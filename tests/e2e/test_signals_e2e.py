"""Signals end the real `thaw` cleanly (ux-review B2): whatever ends it — SIGTERM from a
supervisor, SIGHUP from a closed window or a dropped connection, SIGINT from `kill -INT`,
or `q` — the terminal gets its modes back and what the reader marked seen is kept.

The modes are read through the terminal emulator (pyte tracks every DEC private mode a
program sets or resets), as a reader's terminal would hold them after thaw has gone.
"""

from __future__ import annotations

import re
import signal
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from support.pty_harness import PtySession, modes_left_on, terminal_env

from thaw_tui.cli.quit_signals import RESET_MODES
from thaw_tui.pack.load import load_pack
from thaw_tui.progress.store import open_progress

pytestmark = pytest.mark.slow

ThawStarter = Callable[..., PtySession]  # the `start_thaw` fixture (conftest.py)
PAINT_TIMEOUT = 15.0
SEEN = re.compile(r"(\d+)/(\d+) seen")

# DEC private modes the app turns on: alternate screen, mouse reporting (four forms),
# focus events, bracketed paste.
APP_MODES = {1049, 1000, 1003, 1015, 1006, 1004, 2004}
CURSOR_SHOWN = 25


def pyte_modes(session: PtySession) -> set[int]:
    """The DEC private modes the emulator holds set (pyte stores them shifted by 5)."""
    with session._changed:  # the reader thread feeds the screen under this lock
        return {mode >> 5 for mode in session.screen.mode if mode >= 1 << 5}


def seen_count(session: PtySession) -> int:
    match = SEEN.search(session.lines()[0])
    assert match, session.text()
    return int(match.group(1))


def mark_one_seen(thaw: PtySession) -> None:
    """Start-up, then `m` on the first Story section; wait until the header counts it."""
    thaw.wait_until(lambda: SEEN.search(thaw.lines()[0]) is not None, PAINT_TIMEOUT, "a header")
    thaw.wait_for_quiet(0.3)  # keys in the first moments can be lost by the app itself
    assert seen_count(thaw) == 0
    thaw.press("m")
    thaw.wait_until(lambda: seen_count(thaw) == 1, what="the header to count one seen")
    assert pyte_modes(thaw) >= APP_MODES, "the app did not set the modes this test checks"
    assert CURSOR_SHOWN not in pyte_modes(thaw)


def saved_seen(state_dir: Path) -> set[str]:
    pack = load_pack()
    progress = open_progress(state_dir, "local", pack.manifest.id)
    try:
        return set(progress.seen)
    finally:
        progress.close()


def assert_terminal_given_back(thaw: PtySession) -> None:
    modes = pyte_modes(thaw)
    assert not modes & APP_MODES, f"modes left on: {sorted(modes & APP_MODES)}"
    assert CURSOR_SHOWN in modes, "the cursor is left hidden"
    # pyte does not know the kitty keyboard protocol: read the raw bytes for its pop.
    raw = thaw.raw
    if b"\x1b[>" in raw:
        assert raw.rfind(b"\x1b[<u") > raw.rfind(b"\x1b[>"), "keyboard protocol left on"
    assert b"Traceback" not in raw


@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name
)
def test_a_signal_gives_the_terminal_back_and_keeps_progress(
    start_thaw: ThawStarter, state_dir: Path, signum: signal.Signals
) -> None:
    thaw = start_thaw()
    mark_one_seen(thaw)

    thaw.kill(signum)

    assert thaw.wait_exit() == 128 + signum
    assert_terminal_given_back(thaw)
    assert len(saved_seen(state_dir)) == 1


def test_q_gives_the_terminal_back_and_keeps_progress(
    start_thaw: ThawStarter, state_dir: Path
) -> None:
    thaw = start_thaw()
    mark_one_seen(thaw)

    thaw.press("q")

    assert thaw.wait_exit() == 0
    assert_terminal_given_back(thaw)
    assert len(saved_seen(state_dir)) == 1


def test_a_closed_terminal_ends_the_reader_and_keeps_progress(
    start_thaw: ThawStarter, state_dir: Path
) -> None:
    thaw = start_thaw()
    mark_one_seen(thaw)

    thaw.hang_up()  # the window closes: SIGHUP, and the terminal answers with errors

    assert thaw.wait_exit() == 128 + signal.SIGHUP
    assert len(saved_seen(state_dir)) == 1


# An app that never finishes exiting, run by the same code as the reader: a signal must
# still end it, with the terminal's modes reset directly.
STUCK_APP = textwrap.dedent(
    """
    import asyncio, sys
    from thaw_tui.cli.quit_signals import run_quitting_on_signals

    class StuckApp:
        def run(self, *, loop=None):
            sys.stderr.write("\\x1b[?1049h\\x1b[?1000h\\x1b[?2004h\\x1b[?25lstuck app\\n")
            sys.stderr.flush()
            loop.run_until_complete(asyncio.sleep(3600))

        def exit(self, result=None, return_code=0, message=None):
            sys.stderr.write("asked to exit\\n")
            sys.stderr.flush()

    run_quitting_on_signals(StuckApp(), grace=float(sys.argv[1]))
    """
)


def start_stuck_app(grace: float) -> PtySession:
    return PtySession([sys.executable, "-c", STUCK_APP, str(grace)], env=terminal_env())


@pytest.mark.parametrize("second_signal", [False, True], ids=["after-grace", "second-signal"])
def test_an_app_that_does_not_exit_is_ended_with_the_terminal_reset(second_signal: bool) -> None:
    # Without a second signal, a short grace; with one, a grace the test would notice.
    with start_stuck_app(grace=60.0 if second_signal else 0.3) as app:
        app.wait_for_text("stuck app")
        assert pyte_modes(app) >= {1049, 1000, 2004}

        app.kill(signal.SIGTERM)
        app.wait_for_text("asked to exit")
        if second_signal:
            app.kill(signal.SIGTERM)

        assert app.wait_exit(timeout=10) == 128 + signal.SIGTERM
        modes = pyte_modes(app)
        assert not modes & {1049, 1000, 2004} and CURSOR_SHOWN in modes
        assert not modes_left_on(app.raw) & APP_MODES


def test_the_direct_reset_undoes_every_mode_the_driver_sets() -> None:
    import textual.drivers.linux_driver as driver

    lines = Path(driver.__file__).read_text(encoding="utf-8").splitlines()
    source = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    set_by_driver = {int(mode) for mode in re.findall(r"\\x1b\[\?(\d+)h", source)}
    set_by_driver.discard(7)  # line wrap: on is the terminal's normal state
    reset = {int(mode) for mode in re.findall(r"\x1b\[\?(\d+)l", RESET_MODES)}
    assert set_by_driver and set_by_driver <= reset | {CURSOR_SHOWN}
    assert "\x1b[?25h" in RESET_MODES and "\x1b[?7h" in RESET_MODES
