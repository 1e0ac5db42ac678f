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


# --- what a reader may send the app (red-team F4, F6) ----------------------------------
ESC = 0x1B
PASTE_START = b"\x1b[200~"
PASTE_END = b"\x1b[201~"
# Longest control sequence passed on, in bytes after ESC [: mouse reports and kitty
# keys with their text take some 30; anything longer is dropped whole.
MAX_CSI = 64
# A number in a sequence: kitty keys carry code points, up to U+10FFFF (7 digits).
# Textual turns some into characters with chr(), which a bigger one crashes.
MAX_NUMBER = 0x10FFFF
MAX_DIGITS = 7
# A bracketed paste longer than this is cut (and closed) there; the rest is dropped.
MAX_PASTE = 64 * 1024


def _numbers_fit(params: bytes) -> bool:
    number = 0
    digits = 0
    for byte in params:
        if 0x30 <= byte <= 0x39:
            digits += 1
            number = number * 10 + byte - 0x30
            if digits > MAX_DIGITS or number > MAX_NUMBER or 0xD800 <= number <= 0xDFFF:
                return False
        else:
            number = digits = 0
    return True


class InputFilter:
    """Bytes from the reader's keyboard, made safe to hand to the app.

    On top of `Utf8Filter`, it looks at control sequences (ESC [ ... final):

    - one with a number over U+10FFFF (or a surrogate), or longer than MAX_CSI, is
      dropped: Textual turns such numbers into characters and crashed on them;
    - an in-band window size report (CSI 48;...t) is dropped, and so is the
      terminal's answer that it could send them (CSI ?2048;...$y): the window size
      comes from the pty, which the server clamps to 1000x1000;
    - a bracketed paste is cut at MAX_PASTE bytes and closed there; the rest of it
      is dropped (Textual keeps a paste in memory one character at a time).

    Everything else passes unchanged and at once, except an unfinished sequence at
    the end of a packet, held until its end arrives. A lone ESC at the end of a
    packet (the Escape key) is passed on at once.
    """

    def __init__(self) -> None:
        self._utf8 = Utf8Filter()
        self._held = b""  # an unfinished sequence from the last packet
        self._esc_sent = False  # the last packet ended with a lone ESC, passed on
        self._pasting = False
        self._pasted = 0
        self._skipping = False  # dropping the rest of a paste that was too long
        self._discarding_csi = False  # dropping the rest of an over-long sequence

    def feed(self, data: bytes) -> bytes:
        text = self._held + self._utf8.feed(data)
        self._held = b""
        if ESC not in text and not (
            self._pasting or self._skipping or self._esc_sent or self._discarding_csi
        ):
            return text
        out = bytearray()
        position = 0
        length = len(text)
        if self._esc_sent:
            self._esc_sent = False
            if text[:1] == b"[":
                position = self._sequence(text, 0, 1, out, esc_sent=True)
        while position < length:
            if self._discarding_csi:
                position = self._discard_csi(text, position)
                continue
            escape = text.find(b"\x1b", position)
            end = length if escape < 0 else escape
            self._plain(text[position:end], out)
            if escape < 0:
                break
            if escape + 1 == length:
                if self._pasting or self._skipping:
                    self._held = text[escape:]
                else:
                    self._emit(b"\x1b", out)
                    self._esc_sent = True
                break
            if text[escape + 1] != 0x5B:  # not "[": Alt+key, SS3 keys... pass on
                self._emit(b"\x1b", out)
                position = escape + 1
                continue
            position = self._sequence(text, escape, escape + 2, out)
        return bytes(out)

    def _sequence(
        self, text: bytes, start: int, body: int, out: bytearray, esc_sent: bool = False
    ) -> int:
        """Look at the CSI whose parameters begin at `body`; return where to go on.

        With `esc_sent`, its ESC went out with the last packet and `text` starts at "["."""
        index = body
        length = len(text)
        while index < length and 0x20 <= text[index] <= 0x3F:
            index += 1
            if index - body > MAX_CSI:
                self._discarding_csi = True
                return index
        if index == length:
            self._held = text[start:]  # the rest comes in the next packet
            self._esc_sent = esc_sent
            return length
        final = text[index]
        if not 0x40 <= final <= 0x7E:  # not a sequence after all: pass it on as text
            self._emit(text[start:index], out)
            return index
        sequence = bytes(text[start : index + 1])
        params = bytes(text[body:index])
        if params == b"200" and final == 0x7E:
            if not self._pasting and not self._skipping:
                self._emit(sequence, out)
                self._pasting, self._pasted = True, 0
        elif params == b"201" and final == 0x7E:
            if self._skipping:
                self._skipping = False  # its end was sent when it was cut
            elif self._pasting:
                self._pasting = False
                self._emit(sequence, out)
        elif self._keep(params, final):
            self._emit(sequence, out)
        return index + 1

    @staticmethod
    def _keep(params: bytes, final: int) -> bool:
        if not _numbers_fit(params):
            return False
        if final == 0x74 and params.startswith(b"48;"):  # in-band window size: "t"
            return False
        return not (final == 0x79 and params.startswith(b"?2048;"))  # its mode: "$y"

    def _discard_csi(self, text: bytes, position: int) -> int:
        for index in range(position, len(text)):
            if 0x40 <= text[index] <= 0x7E:
                self._discarding_csi = False
                return index + 1
        return len(text)

    def _plain(self, chunk: bytes, out: bytearray) -> None:
        if chunk:
            self._emit(chunk, out)

    def _emit(self, chunk: bytes, out: bytearray) -> None:
        """Pass `chunk` on, counting it against the paste it is part of, if any."""
        if self._skipping:
            return
        if self._pasting:
            room = MAX_PASTE - self._pasted
            if len(chunk) > room:
                out += chunk[:room]
                out += PASTE_END
                self._pasting = False
                self._skipping = True
                return
            self._pasted += len(chunk)
        out += chunk
