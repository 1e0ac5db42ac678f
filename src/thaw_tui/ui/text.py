"""Turning content strings into safe, literal display text.

Every piece of pack data shown on screen passes through here. Text is built as
`rich.text.Text` from plain strings (never parsed as markup), and control
characters are replaced at render time as a second line of defence behind the
validator: a pack built in Python can still hold ESC, OSC or C1 bytes.
"""

from __future__ import annotations

import re
import unicodedata

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text

# The validator's own lists (C0 but tab and newline, DEL, C1, bidi overrides; joiners
# and variation selectors).
from thaw_tui.pack.text_safety import JOINERS as _JOINERS
from thaw_tui.pack.text_safety import UNSAFE_CHARACTERS as _UNSAFE
from thaw_tui.ui.glyphs import g

REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


def clean(value: object) -> str:
    """The string with every control character replaced by U+FFFD; tabs become spaces."""
    text = str(value)
    return _UNSAFE.sub(REPLACEMENT, text).replace("\t", "    ")


# Regional indicators (two make a flag) and skin-tone modifiers: terminals draw them
# one, two or four cells wide, whatever Rich counts, so a row holding one can end
# a column early or late.
_UNSTEADY = re.compile("[\U0001f1e6-\U0001f1ff\U0001f3fb-\U0001f3ff]")


def steady_width(text: str) -> str:
    """`text` without what terminals disagree on the width of: controls, joiners,
    variation selectors, flags, skin tones and combining marks. For text the reader
    types into a box on one row (the filter), so the row keeps its layout."""
    text = _UNSTEADY.sub("", _JOINERS.sub("", _UNSAFE.sub("", text)))
    return "".join(char for char in text if not unicodedata.combining(char))


def one_line(value: object) -> str:
    """`clean`, with line breaks folded into spaces (for rows and headers)."""
    return " ".join(clean(value).split())


def quoted(value: object) -> str:
    """ "“The islands since 1945”": a title in quotation marks (straight ones in ASCII)."""
    return f"{g().lquote}{one_line(value)}{g().rquote}"


def fit(value: str, width: int) -> str:
    """Pad or truncate `value` to exactly `width` cells (wide characters count double)."""
    if width <= 0:
        return ""
    if cell_len(value) <= width:
        return value + " " * (width - cell_len(value))
    mark = g().ellipsis
    out = ""
    for char in value:
        if cell_len(out + char) > width - cell_len(mark):
            break
        out += char
    out += mark
    return out + " " * max(0, width - cell_len(out))


def find_matches(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Character spans of every case-insensitive occurrence of `needle`."""
    if not needle:
        return []
    spans = []
    lower, target = haystack.casefold(), needle.casefold()
    # casefold can change lengths (ß -> ss); fall back to lower() offsets then.
    if len(lower) != len(haystack):
        lower, target = haystack.lower(), needle.lower()
    start = lower.find(target)
    while start != -1 and target:
        spans.append((start, start + len(target)))
        start = lower.find(target, start + len(target))
    return spans


def snippet_around(text: str, words: list[str], context: int) -> str:
    """The part of `text` around the first of `words` found in it (case aside), with
    `context` characters before it, cut at a space and marked as cut."""
    starts = [spans[0][0] for word in words if (spans := find_matches(text, word))]
    if not starts:
        return text
    start = min(starts)
    if start <= context:
        return text
    cut = text.rfind(" ", 0, start - context)
    cut = cut + 1 if cut != -1 and start - cut < context * 2 else start - context
    return g().ellipsis + text[cut:]


def line_of(text: Text, offset: int, width: int, console: Console) -> int:
    """The line (from 0) that character `offset` of `text` falls on, wrapped to `width`
    (as near as Rich's wrapping of the same text comes to what is on screen)."""
    seen = 0
    for number, line in enumerate(text.wrap(console, width)):
        seen += len(line.plain)
        if offset < seen:
            return number
        seen += 1 if text.plain[seen : seen + 1] in ("\n", " ") else 0
    return 0


def highlight(text: Text, needle: str, style: str | Style = "reverse") -> Text:
    """Mark every occurrence of `needle` in `text` (in place; returns `text`)."""
    for start, end in find_matches(text.plain, needle):
        text.stylize(style, start, end)
    return text
