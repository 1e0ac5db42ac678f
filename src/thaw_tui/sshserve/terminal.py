"""Bytes on the wire between the reader's terminal and the child."""

from __future__ import annotations

import codecs

# Sent when the child ends, whatever state it left the reader's terminal in: leave the
# alternate screen, show the cursor, stop mouse reporting (all modes), focus events and
# bracketed paste, pop the kitty keyboard mode, wrap lines again, reset colours.
RESTORE_TERMINAL = (
    b"\x1b[?1049l"
    b"\x1b[?25h"
    b"\x1b[<u"
    b"\x1b[?7h"
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1005l\x1b[?1006l\x1b[?1015l\x1b[?1016l"
    b"\x1b[?1004l"
    b"\x1b[?2004l"
    b"\x1b[0m"
)


class Utf8Filter:
    """Turns a byte stream into valid UTF-8, replacing broken sequences with U+FFFD.

    Textual's input thread dies on invalid UTF-8, so nothing else may reach the app.
    Sequences split across packets are held until complete.
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def feed(self, data: bytes) -> bytes:
        return self._decoder.decode(data).encode("utf-8")


def bottom_line_notice(text: str, rows: int, cols: int) -> bytes:
    """Draw `text` in reverse video on the last row, then put the cursor back.

    Used for the idle warning: it overwrites one row of the app until the app next
    paints it, which the session forces once the reader answers.
    """
    visible = text[: max(0, cols - 1)].encode("ascii", "replace")
    return b"\x1b7" + f"\x1b[{max(rows, 1)};1H\x1b[2K\x1b[7m".encode() + visible + b"\x1b[0m\x1b8"
