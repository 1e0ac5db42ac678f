"""The installed `thaw` in a real pseudo-terminal, read back through pyte: it paints,
answers keys, reflows on resize, leaves the terminal as it found it, refuses to draw
into a pipe, reports a broken pack cleanly, and never lets pack text become markup
or escape sequences."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.pty_harness import PtySession, find_command, modes_left_on

pytestmark = pytest.mark.slow

# Waiting for a first paint includes Python start-up: generous for slow CI machines.
PAINT_TIMEOUT = 15.0
ThawStarter = Callable[..., PtySession]  # the `start_thaw` fixture (conftest.py)

# Modes Textual turns on that must be off again when thaw has quit: alternate screen,
# mouse tracking (1000, 1003, 1015, 1006, 1016), focus events, bracketed paste,
# in-band resize.
MODES_TO_RESTORE = {1049, 1000, 1003, 1015, 1006, 1016, 1004, 2004, 2048}


def heads(texts: list[str], length: int = 20) -> list[str]:
    """The first `length` characters of each text: what survives truncation on screen."""
    return [text[:length] for text in texts]


def assert_terminal_restored(raw: bytes) -> None:
    assert b"\x1b[?1049h" in raw, "never entered the alternate screen"
    assert raw.rfind(b"\x1b[?1049l") > raw.rfind(b"\x1b[?1049h"), "alternate screen not left"
    assert raw.rfind(b"\x1b[?25h") > raw.rfind(b"\x1b[?25l"), "cursor left hidden"
    assert not modes_left_on(raw) & MODES_TO_RESTORE, f"modes left on: {modes_left_on(raw)}"
    if b"\x1b[>" in raw:  # the kitty keyboard protocol was pushed: it must be popped
        assert raw.rfind(b"\x1b[<u") > raw.rfind(b"\x1b[>"), "keyboard protocol left on"


def selected_title(session: PtySession, titles: list[str]) -> str:
    """Which of `titles` is on the row the list cursor (▸) points at."""
    (row,) = [line for line in session.lines() if "▸" in line]
    (title,) = [title for title in titles if title in row]
    return title


PREVIEW_HINT = "Enter opens the page"  # the last line of the preview beside the list


def header_fits(header: str, title: str, width: int) -> bool:
    """The header row as drawn for `width` columns: title on the left, progress
    ("0/90 seen", or "0/90" where the author's name needs the room) ending within the
    last few columns."""
    header = header.rstrip()
    progress = re.search(r"\d+/\d+( seen)?$", header)
    return header.lstrip().startswith(title) and bool(progress) and len(header) > width - 4


def test_paints_answers_keys_and_quits_leaving_the_terminal_clean(
    start_thaw: ThawStarter, pack_title: str, shipped_pack: dict[str, Any]
) -> None:
    event_titles = heads([event["title"] for event in shipped_pack["events"]])
    thaw = start_thaw()

    thaw.wait_for_text(pack_title, PAINT_TIMEOUT)
    thaw.wait_for_text("[1 Story ")
    assert not any(title in thaw.text() for title in event_titles), "Story pane shows events"

    thaw.press("2")
    thaw.wait_for_text("[2 Timeline ")
    thaw.wait_for_any_text(event_titles)
    opened = selected_title(thaw, event_titles)

    thaw.press("enter")
    thaw.wait_for_text(f"Timeline › {opened}")  # the detail page's breadcrumb
    assert "[2 Timeline " not in thaw.text(), "the pane tabs are still showing"

    thaw.press("backspace")
    thaw.wait_for_text("[2 Timeline ")
    thaw.wait_for_gone("Timeline ›")
    thaw.wait_for_text(opened)

    thaw.press("q")
    assert thaw.wait_exit() == 0
    assert_terminal_restored(thaw.raw)


def test_redraws_to_fit_every_resize(
    start_thaw: ThawStarter, pack_title: str, story_titles: list[str]
) -> None:
    thaw = start_thaw(cols=80, rows=24)
    thaw.wait_for_text(story_titles[0], PAINT_TIMEOUT)
    thaw.wait_until(lambda: "Quit" in thaw.lines()[23], what="the footer on row 24")
    assert PREVIEW_HINT not in thaw.text(), "a preview at 80 columns"

    thaw.resize(60, 20)
    # pyte, like xterm, keeps the bottom rows when a terminal shrinks, so the old footer
    # lands on row 20 by itself: the header on row 1 shows the app really redrew.
    thaw.wait_until(
        lambda: header_fits(thaw.lines()[0], pack_title, 60) and "Quit" in thaw.lines()[19],
        what="a redraw at 60x20",
    )
    thaw.wait_until(
        lambda: all(title in thaw.text() for title in heads(story_titles, 30)),
        what="every Story row at 60 columns",
    )
    assert PREVIEW_HINT not in thaw.text()

    thaw.resize(120, 40)
    thaw.wait_until(
        lambda: header_fits(thaw.lines()[0], pack_title, 120) and "Quit" in thaw.lines()[39],
        what="a redraw at 120x40",
    )
    thaw.wait_for_text(PREVIEW_HINT)
    # The selected item is both a row of the list and the preview's heading.
    thaw.wait_until(
        lambda: thaw.text().count(story_titles[0]) == 2, what="the title in list and preview"
    )

    thaw.press("q")
    assert thaw.wait_exit() == 0


def test_refuses_to_draw_into_a_pipe(start_in_pty: Callable[..., PtySession]) -> None:
    # Exactly `thaw | cat` typed at a terminal: stdin and stderr stay on the terminal.
    thaw = find_command("thaw")
    shell = start_in_pty(["bash", "-c", f"'{thaw}' | cat; exit ${{PIPESTATUS[0]}}"])

    assert shell.wait_exit() == 2
    output = shell.raw
    assert b"\x1b" not in output, f"escape codes written: {output!r}"
    lines = [line for line in output.decode().splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "thaw export" in lines[0]


def test_refuses_keys_from_a_pipe(start_in_pty: Callable[..., PtySession]) -> None:
    # Exactly `echo hi | thaw` typed at a terminal: stdout and stderr stay on it.
    thaw = find_command("thaw")
    shell = start_in_pty(["bash", "-c", f"echo hi | '{thaw}'; exit ${{PIPESTATUS[1]}}"])

    assert shell.wait_exit() == 2
    output = shell.raw
    assert b"\x1b" not in output, f"the reader drew on the terminal: {output!r}"
    lines = [line for line in output.decode().splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "not a terminal" in lines[0] and "thaw export" in lines[0]


def test_a_broken_pack_is_reported_by_file_and_line(
    start_thaw: ThawStarter, copied_pack: Path
) -> None:
    events = copied_pack / "events.yaml"
    text = events.read_text(encoding="utf-8")
    first_date = re.search(r'^\s*date: "(\d{4})-\d{2}-\d{2}"', text, re.MULTILINE)
    assert first_date is not None, "the shipped events have no full date to break"
    line = text.count("\n", 0, first_date.start()) + 1
    broken = text[: first_date.start(1)] + "1945-13-45" + text[first_date.end(1) + 6 :]
    events.write_text(broken, encoding="utf-8")

    thaw = start_thaw("--content", str(copied_pack))

    assert thaw.wait_exit() == 1
    output = thaw.raw.decode()
    assert f"events.yaml:{line}:" in output, output
    assert "1945-13-45" in output
    assert "Traceback" not in output
    assert "\x1b" not in output, f"escape codes written: {output!r}"


MARKUP_TITLE = "[@click=app.quit]Quit[/] [bold red]Red[/bold red]"
MARKUP_SUMMARY = "Summary [link=https://example.com]x[/link] and [@click=app.quit]quit[/]."
MARKUP_BODY = "Body [@click=app.quit]Click me[/] [link=https://example.com]x[/link] [b]bold[/b]"


def write_markup_pack(pack_dir: Path) -> None:
    """Put markup-like text (valid pack data: no control characters) in the first section."""
    path = pack_dir / "sections.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = min(data["sections"], key=lambda section: section["paragraph"])
    first.update(title=MARKUP_TITLE, summary=MARKUP_SUMMARY, body=MARKUP_BODY + "\n")
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def click(session: PtySession, text: str) -> None:
    """Press and release the left mouse button on the first cell of `text` (SGR mouse)."""
    for row, line in enumerate(session.lines()):
        if text in line:
            column = line.index(text)
            press = f"\x1b[<0;{column + 1};{row + 1}"
            session.send(press + "M" + press + "m")
            return
    raise AssertionError(f"{text!r} is not on screen:\n{session.text()}")


def test_pack_text_reaches_the_terminal_literally(
    start_thaw: ThawStarter, copied_pack: Path
) -> None:
    write_markup_pack(copied_pack)
    thaw = start_thaw("--content", str(copied_pack), cols=120, rows=40)

    thaw.wait_for_text(MARKUP_TITLE, PAINT_TIMEOUT)  # the list row
    # The preview beside it wraps the summary: look for its pieces.
    thaw.wait_for_text("Summary [link=https://example.com]x[/link]")
    thaw.wait_for_text("[@click=app.quit]quit[/].")

    thaw.press("enter")
    thaw.wait_for_text(f"Story › {MARKUP_TITLE}")
    thaw.wait_for_text(MARKUP_BODY)
    # Were any of it markup, "Click me" would be a button that quits the app.
    click(thaw, "Click me")
    click(thaw, MARKUP_TITLE)
    thaw.wait_for_quiet(0.3)
    assert thaw.process.poll() is None, "the app quit: pack text acted as markup"

    thaw.press("backspace")
    thaw.wait_for_text("[1 Story ")
    thaw.press("q")
    assert thaw.wait_exit() == 0

    raw = thaw.raw
    # Styles may split a line into several runs, so look for each tag on its own.
    for tag in ("[@click=app.quit]", "[/]", "[bold red]", "[/bold red]", "[link=", "[/link]"):
        assert tag.encode() in raw, f"{tag} never written literally"
    assert MARKUP_TITLE.encode() in raw
    assert b"\x1b]8;" not in raw, "an OSC 8 hyperlink reached the terminal"
