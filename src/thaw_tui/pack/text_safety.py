"""Characters that must never reach a reader's terminal from content text.

C0 controls other than tab and newline, DEL, C1 controls, and the bidirectional
embedding/override/isolate characters that can make text display differently
from what it says (the "Trojan Source" trick).
"""

from __future__ import annotations

import re
import unicodedata

UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

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
