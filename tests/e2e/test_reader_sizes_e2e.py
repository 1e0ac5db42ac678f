"""The installed `thaw` in a real pseudo-terminal: a too-small terminal from the first
frame, keys typed the moment the title appears, and state that is readable in 16
colours and with NO_COLOR (never by colour alone)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.pty_harness import PtySession, find_command, terminal_env
from support.reader_state import first_screen_closed

pytestmark = pytest.mark.slow

PAINT_TIMEOUT = 15.0
TITLE = "Thawing Relations Under Fire"
# Colours beyond the 16 basic ones: 256-colour (`38;5;N`) and true colour (`38;2;R;G;B`),
# foreground or background.
EXTENDED_COLOUR = re.compile(rb"[34]8;([25]);([0-9]+)")
# With NO_COLOR, Textual draws in shades of grey: black, white and the grey ramp.
GREYS = {0, 7, 8, 15, 16, 231, *range(232, 256)}


LIST_ROW = re.compile("^[▸ ] [✓○] ")  # the cursor's mark (or none), the seen glyph


@pytest.fixture
def sessions() -> Iterator[list[PtySession]]:
    started: list[PtySession] = []
    yield started
    for session in started:
        session.close()


def start(
    sessions: list[PtySession],
    state_dir: Path,
    *,
    cols: int = 80,
    rows: int = 24,
    extra_env: dict[str, str] | None = None,
    first_start: bool = False,
) -> PtySession:
    if not first_start:
        first_screen_closed(state_dir)
    env = terminal_env({"THAW_STATE_DIR": str(state_dir), **(extra_env or {})})
    env.pop("COLORTERM", None)  # the terminal's colours come from TERM alone
    session = PtySession([find_command("thaw")], cols=cols, rows=rows, env=env)
    sessions.append(session)
    return session


def flat(session: PtySession) -> str:
    """The screen's words in order, however the notice wrapped them."""
    return " ".join(session.text().split())


@pytest.mark.parametrize("size", [(36, 10), (30, 8)])
def test_a_too_small_terminal_shows_the_notice_from_the_first_frame(
    sessions: list[PtySession], tmp_path: Path, size: tuple[int, int]
) -> None:
    cols, rows = size
    thaw = start(sessions, tmp_path, cols=cols, rows=rows)
    thaw.wait_until(lambda: "press q to quit" in flat(thaw), PAINT_TIMEOUT, "the notice")
    words = flat(thaw)
    assert "thaw needs at least 40x12" in words
    assert f"this terminal is {cols}x{rows}" in words
    thaw.wait_for_quiet(0.3)
    # The reader's screen was never drawn first (the pane bar names "Story").
    assert b"Story" not in thaw.raw
    thaw.press("q")
    assert thaw.wait_exit() == 0


def open_and_close_first_item(sessions: list[PtySession], state_dir: Path) -> None:
    """Leave a reading position behind, so the next start offers to continue."""
    thaw = start(sessions, state_dir)
    thaw.wait_for_text(TITLE, PAINT_TIMEOUT)
    thaw.wait_for_quiet(0.3)
    thaw.press("enter")
    thaw.wait_for_text("Story ›")
    thaw.press("Q")  # (q on a page goes back; Q quits from anywhere)
    assert thaw.wait_exit() == 0


@pytest.mark.parametrize("returning", [False, True], ids=["first-visit", "returning"])
def test_a_key_sent_as_soon_as_the_title_shows_is_handled(
    sessions: list[PtySession], tmp_path: Path, returning: bool
) -> None:
    # At once, and a moment later: when the "continue?" offer has just come up.
    for attempt, delay in enumerate([0.0, 0.03, 0.0, 0.08]):
        state_dir = tmp_path / f"state-{attempt}"
        if returning:
            open_and_close_first_item(sessions, state_dir)
        thaw = start(sessions, state_dir)
        thaw.wait_for_text(TITLE, PAINT_TIMEOUT)
        time.sleep(delay)
        thaw.press("2")
        thaw.wait_for_text("[2 Timeline ", 5)
        # A returning reader's "continue?" offer must not swallow the key, nor stay.
        thaw.wait_for_quiet(0.3)
        assert "Welcome back" not in thaw.text()
        assert "[2 Timeline " in thaw.text()
        thaw.press("q")
        assert thaw.wait_exit() == 0


def marked_rows(session: PtySession) -> list[str]:
    """The Story pane's rows: every one starts with a seen (✓) or unseen (○) glyph."""
    return [line for line in session.lines()[2:-1] if LIST_ROW.match(line)]


@pytest.mark.parametrize(
    "extra_env", [{"TERM": "xterm"}, {"NO_COLOR": "1"}], ids=["16-colours", "no-color"]
)
def test_selection_and_seen_state_do_not_rest_on_colour(
    sessions: list[PtySession], tmp_path: Path, extra_env: dict[str, str]
) -> None:
    thaw = start(sessions, tmp_path, extra_env=extra_env)
    thaw.wait_for_text(TITLE, PAINT_TIMEOUT)
    thaw.wait_for_quiet(0.3)
    thaw.press("enter")  # open the first section: it becomes seen
    thaw.wait_for_text("Story ›")
    thaw.press("backspace")
    thaw.wait_for_gone("Story ›")
    thaw.press("j")
    thaw.wait_until(lambda: "▸" in "".join(marked_rows(thaw)[1:2]), 5, "the cursor on row 2")
    rows = marked_rows(thaw)
    assert len(rows) >= 5, thaw.text()
    assert "✓" in rows[0] and "○" not in rows[0]  # seen, by its glyph
    assert all("○" in row for row in rows[1:])  # unseen, by theirs
    assert [n for n, row in enumerate(rows) if "▸" in row] == [1]  # selection by a mark
    colours = {(kind, int(n)) for kind, n in EXTENDED_COLOUR.findall(thaw.raw)}
    if "NO_COLOR" in extra_env:
        assert colours and all(kind == b"5" and n in GREYS for kind, n in colours), colours
    else:  # TERM=xterm: 16 colours only, as such a terminal has
        assert not colours, colours
    thaw.press("q")
    assert thaw.wait_exit() == 0
