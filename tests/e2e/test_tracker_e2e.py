"""The reading tracker end to end: progress shown as seen survives `kill -9` of the real
`thaw`, and the next start offers to continue at the last item opened."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.pty_harness import PtySession

from thaw_tui.progress.store import DB_FILENAME

pytestmark = pytest.mark.slow

# Waiting for a first paint includes Python start-up: generous for slow CI machines.
PAINT_TIMEOUT = 15.0
ThawStarter = Callable[..., PtySession]  # the `start_thaw` fixture (conftest.py)

PROGRESS = re.compile(r"(\d+)/(\d+) seen")


def seen_count(session: PtySession) -> int | None:
    """The header's "x/y seen" count, if the header is showing."""
    match = PROGRESS.search(session.lines()[0])
    return int(match.group(1)) if match else None


def open_and_return(thaw: PtySession, title: str) -> None:
    thaw.press("enter")
    thaw.wait_for_text(f"Story › {title}")
    thaw.press("backspace")
    thaw.wait_for_text("[1 Story ")


def saved_progress(state_dir: Path) -> tuple[set[str], str | None]:
    """The local reader's seen items and last item, read straight from the database."""
    with sqlite3.connect(f"file:{state_dir / DB_FILENAME}?mode=ro", uri=True) as conn:
        seen = {
            item
            for (item,) in conn.execute(
                "SELECT item FROM item_state JOIN scope ON scope.id = item_state.scope "
                "WHERE scope.reader = 'local' AND item_state.seen = 1"
            )
        }
        row = conn.execute(
            "SELECT position.item FROM position JOIN scope ON scope.id = position.scope "
            "WHERE scope.reader = 'local'"
        ).fetchone()
    return seen, row[0] if row else None


def test_three_items_opened_survive_kill_9_and_continue_goes_on_after_the_last(
    start_thaw: ThawStarter, state_dir: Path, shipped_pack: dict[str, Any]
) -> None:
    in_order = sorted(shipped_pack["sections"], key=lambda section: section["paragraph"])
    sections = in_order[:3]
    titles = [section["title"] for section in in_order[:4]]

    thaw = start_thaw()
    thaw.wait_for_text(titles[0], PAINT_TIMEOUT)
    thaw.wait_until(lambda: seen_count(thaw) == 0, what="the header to show 0 seen")
    open_and_return(thaw, titles[0])
    thaw.press("j")
    open_and_return(thaw, titles[1])
    thaw.press("j", "enter")
    thaw.wait_for_text(f"Story › {titles[2]}")
    thaw.wait_until(lambda: seen_count(thaw) == 3, what="the header to show 3 seen")

    thaw.kill()  # SIGKILL: no chance to save anything on the way out
    assert thaw.wait_exit() == -9

    seen, last = saved_progress(state_dir)
    assert seen == {section["id"] for section in sections}
    assert last == sections[2]["id"]

    again = start_thaw()
    again.wait_for_text("Continue where you left off?", PAINT_TIMEOUT)
    again.wait_for_text(f"Last read: {titles[2]}")
    again.wait_for_text(f"Next unseen: {titles[3]}")
    assert seen_count(again) == 3
    assert again.text().count("✓") == 3, "the list does not mark the three seen items"

    again.press("enter")  # accept the offer: the section after the last one read
    again.wait_for_text(f"Story › {titles[3]}")
    again.press("Q")  # (q on a page goes back; Q quits from anywhere)
    assert again.wait_exit() == 0


def test_marks_and_undo_are_saved_as_they_happen(
    start_thaw: ThawStarter, state_dir: Path, shipped_pack: dict[str, Any]
) -> None:
    first, second = sorted(shipped_pack["sections"], key=lambda section: section["paragraph"])[:2]

    thaw = start_thaw()
    thaw.wait_for_text(first["title"], PAINT_TIMEOUT)
    thaw.wait_until(lambda: seen_count(thaw) == 0, what="the header to show 0 seen")
    thaw.press("m")  # mark the first section seen without opening it
    thaw.wait_until(lambda: seen_count(thaw) == 1, what="1 seen after m")
    thaw.press("j", "m")
    thaw.wait_until(lambda: seen_count(thaw) == 2, what="2 seen after j, m")
    thaw.press("u")  # undo the second mark
    thaw.wait_until(lambda: seen_count(thaw) == 1, what="1 seen after u")

    thaw.kill()
    thaw.wait_exit()

    seen, _last = saved_progress(state_dir)
    assert seen == {first["id"]}

    again = start_thaw()
    again.wait_for_text(first["title"], PAINT_TIMEOUT)
    again.wait_until(lambda: seen_count(again) == 1, what="1 seen after a restart")
    marked = [line for line in again.lines() if "✓" in line]
    assert len(marked) == 1 and first["title"] in marked[0], again.text()
