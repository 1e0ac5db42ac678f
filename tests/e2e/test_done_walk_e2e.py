"""Issue 3's done-criterion, on the shipped pack, at 80x24, keyboard only: find the
islands dispute, open it, follow it to the 1945 invasion, on to Hirohito, back twice,
and search to a Reuters source."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from support.pty_harness import PtySession

pytestmark = pytest.mark.slow

PAINT_TIMEOUT = 15.0


def select_link(session: PtySession, title: str) -> None:
    """Move down the page's link list with `j` until the link to `title` is selected."""
    for _ in range(60):
        selected = [line for line in session.lines() if line.lstrip().startswith("▸")]
        if selected and title in selected[0]:
            return
        sent_at = len(session.chunks)
        session.press("j")
        session.wait_for_screen_change_after(sent_at, timeout=2.0)
        session.wait_for_quiet(0.05)  # the whole repaint, not just its first bytes
    raise AssertionError(f"never reached the link to {title!r}:\n{session.text()}")


def breadcrumb_ends(session: PtySession, text: str) -> None:
    session.wait_until(lambda: session.lines()[1].rstrip().endswith(text), what=text)


def test_reader_walks_from_the_islands_to_hirohito_and_searches_to_reuters(
    start_thaw: Callable[..., PtySession],
) -> None:
    thaw = start_thaw(cols=80, rows=24)
    thaw.wait_for_text("Thawing Relations Under Fire", timeout=PAINT_TIMEOUT)
    thaw.wait_for_quiet()

    thaw.press("4")
    thaw.wait_for_text("[4 Disputes ")
    thaw.press("enter")
    thaw.wait_for_text("Disputes › Northern Territories / Kuril Islands dispute")
    select_link(thaw, "Soviet move on the northern islands begins")
    thaw.press("enter")
    thaw.wait_for_text("Event in Timeline (key 2) · 18 Aug 1945")
    select_link(thaw, "Emperor Hirohito")
    thaw.press("enter")
    thaw.wait_for_text("› Emperor Hirohito")
    assert "Actor" in thaw.text()

    thaw.press("backspace")
    breadcrumb_ends(thaw, "› Soviet move on the northern islands begins")
    thaw.press("backspace")
    breadcrumb_ends(thaw, "Disputes › Northern Territories / Kuril Islands dispute")

    thaw.press("backspace")
    thaw.wait_for_text("[4 Disputes ")
    thaw.press("6")
    thaw.wait_for_text("[6 Sources ")
    thaw.press("/")
    thaw.send("Reuters")
    # Each letter filters again, and the columns narrow as rows go: under load the
    # "Q&A" was once cut off the row before the last letters had been handled. Wait
    # for the row itself to go.
    thaw.wait_for_text("shown (filtered)")
    thaw.wait_for_gone("Northern Territories Issue")
    thaw.press("enter")  # leaves the filter box for the list
    thaw.wait_for_quiet()
    thaw.press("enter")
    thaw.wait_for_text("Sources › ")
    thaw.wait_for_text("· Reuters ·")  # the source page's meta line names the outlet
    assert re.search(r"4/\d+ seen", thaw.lines()[0]), thaw.lines()[0]
