"""Characters that must never reach a reader's terminal from content text.

Two families, both refused by the validator at their exact line and column and both
replaced by a visible U+FFFD on screen (`ui/text.py`) should a pack built in Python
hold one anyway:

- controls: C0 controls other than tab and newline, DEL, C1 controls, and the
  bidirectional embedding/override/isolate characters that can make text display
  differently from what it says (the "Trojan Source" trick);
- invisible characters: every Unicode format character (general category Cf: soft
  hyphen, zero-width space, word joiner, bidirectional marks such as RLM and ALM,
  BOM, interlinear annotation, tag characters...), the line and paragraph separators
  U+2028/U+2029, the combining grapheme joiner and the Hangul and Khmer fillers.
  They show nothing, so text holding them is not what it looks like: a name that
  matches another one only on screen, words that a search cannot find, a hidden
  message in tag characters.

Three invisible characters have honest uses and are allowed in their place only
(`misplaced_joiners`):

- U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER spell words in Persian,
  the Indic scripts and others, and build emoji such as a family or a flag: allowed
  between two non-ASCII letters, marks or symbols, refused anywhere else (at the
  edge of a text, next to ASCII or a space, or doubled);
- variation selectors (U+FE00-U+FE0F, U+E0100-U+E01EF) choose the emoji or text
  form of a symbol and the registered variant of a CJK ideograph (Japanese family
  names use these): allowed once, right after the visible character they modify.
  A run of them is refused, because a run can carry hidden bytes.

The shipped pack holds none of these characters (it has Japanese, Chinese and
Russian names, which need none).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
# Unicode's format characters (Cf; U+202A-E and U+2066-9 are listed above) as of
# Unicode 15, the two separators (Zl, Zp), and invisible letters and marks.
# tests/unit/test_text_safety.py checks this against Python's own Unicode tables.
_INVISIBLE = (
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u17b4\u17b5\u180e\u200b\u200e\u200f\u2028\u2029"
    "\u2060-\u2064\u2065\u206a-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
UNSAFE_CHARACTERS = re.compile(f"[{_CONTROLS}{_INVISIBLE}]")
_INVISIBLE_ONLY = re.compile(f"[{_INVISIBLE}]")

ZERO_WIDTH_JOINERS = "\u200c\u200d"
_JOINERS = "\u200c\u200d\ufe00-\ufe0f\U000e0100-\U000e01ef"
JOINERS = re.compile(f"[{_JOINERS}]")

# Searching with a long character class costs a few times more per character than
# with a short one, and nearly all pack text is ASCII: `has_suspect` looks at ASCII
# text (str.isascii() is free in CPython) with the few ASCII controls only.
_ASCII_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f]").search
_SUSPECT = re.compile(f"[{_CONTROLS}{_INVISIBLE}{_JOINERS}]").search


def has_suspect(text: str) -> bool:
    """Whether `text` may hold an unsafe character or a joiner (then look closer)."""
    if text.isascii():
        return _ASCII_UNSAFE(text) is not None
    return _SUSPECT(text) is not None


_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0x9B: "CONTROL SEQUENCE INTRODUCER",
}


def describe_character(char: str) -> str:
    """'U+001B ESCAPE', 'U+202E RIGHT-TO-LEFT OVERRIDE', 'U+0003 control character'."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    if not name:
        name = "C1 control character" if code >= 0x80 else "control character"
    return f"U+{code:04X} {name}"


def is_invisible(char: str) -> bool:
    """True for the invisible family (format characters, separators, fillers)."""
    return _INVISIBLE_ONLY.match(char) is not None


def unsafe_reason(char: str) -> str:
    """Why an UNSAFE_CHARACTERS match is refused, as the end of a validator message."""
    if is_invisible(char):
        return (
            "invisible and formatting characters are not allowed: they hide text or "
            "change how it reads"
        )
    return "control and bidirectional-override characters are not allowed"


def _joinable(char: str) -> bool:
    """A character a joiner may stand next to: a non-ASCII letter, mark or symbol."""
    return ord(char) > 0x7F and unicodedata.category(char)[0] in "LMS"


def _modifiable(char: str) -> bool:
    """A character a variation selector may follow: anything visible, not a selector."""
    return not char.isspace() and not JOINERS.match(char) and not UNSAFE_CHARACTERS.match(char)


def misplaced_joiners(text: str) -> Iterator[int]:
    """Indexes in `text` of joiners and variation selectors outside their place."""
    for found in JOINERS.finditer(text):
        index = found.start()
        before = text[index - 1] if index > 0 else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if found.group() in ZERO_WIDTH_JOINERS:
            placed = bool(before and after) and _joinable(before) and _joinable(after)
            # A joiner right after a selector (an emoji's) is fine: the selector is a mark.
        else:
            placed = bool(before) and _modifiable(before)
        if not placed:
            yield index


JOINER_MESSAGE = (
    "out of place: remove it (a zero-width joiner or non-joiner may stand only between "
    "two non-ASCII letters or symbols, and a variation selector only once, right after "
    "the character it modifies)"
)
