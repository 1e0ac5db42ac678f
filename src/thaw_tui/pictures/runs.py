"""What every picture comes out as: rows of (text, style name) runs.

A style name says what a run *is* ("map.disputed", "ruler.cursor"); the widget that
draws it decides how that looks (its component classes, so themes and NO_COLOR
apply). Each row's runs add up to exactly the picture's width in cells; every
character used is one cell wide.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

Run = tuple[str, str]
Row = tuple[Run, ...]

_SAME_BYTES = re.compile(rb"(.)\1*", re.S)


@dataclass(frozen=True)
class Picture:
    width: int
    rows: tuple[Row, ...]

    @property
    def height(self) -> int:
        return len(self.rows)

    def lines(self) -> list[str]:
        return ["".join(text for text, _ in row) for row in self.rows]

    def text(self) -> str:
        return "\n".join(self.lines())

    def style_at(self, x: int, y: int) -> str:
        """The style name of the cell at column x of row y."""
        column = 0
        for text, style in self.rows[y]:
            column += len(text)
            if x < column:
                return style
        raise IndexError(f"column {x} is past the row's {column} cells")


class Grid:
    """A mutable box of cells, each a character and a style code, turned into runs.

    Styles are small integers indexing `styles` while drawing, so that runs can be
    found with one regular-expression pass over each row's codes.
    """

    def __init__(self, width: int, height: int, styles: Sequence[str]) -> None:
        self.width = width
        self.height = height
        self.styles = tuple(styles)
        self.chars: list[list[str]] = [[" "] * width for _ in range(height)]
        self.codes: list[bytearray] = [bytearray(width) for _ in range(height)]

    def set_row(self, y: int, chars: str, codes: bytes) -> None:
        self.chars[y] = list(chars)
        self.codes[y] = bytearray(codes)

    def put(self, x: int, y: int, text: str, style: int) -> None:
        """Write text from (x, y), cut at the box's edges."""
        if not 0 <= y < self.height:
            return
        row_chars, row_codes = self.chars[y], self.codes[y]
        for offset, char in enumerate(text):
            column = x + offset
            if 0 <= column < self.width:
                row_chars[column] = char
                row_codes[column] = style

    def code_at(self, x: int, y: int) -> int:
        return self.codes[y][x]

    def picture(self) -> Picture:
        rows: list[Row] = []
        for chars, codes in zip(self.chars, self.codes, strict=True):
            text = "".join(chars)
            rows.append(
                tuple(
                    (text[match.start() : match.end()], self.styles[codes[match.start()]])
                    for match in _SAME_BYTES.finditer(bytes(codes))
                )
            )
        return Picture(self.width, tuple(rows))


def fit_text(text: str, width: int, ellipsis: str) -> str:
    """Text cut to `width` cells, with an ellipsis when it was cut."""
    if len(text) <= width:
        return text
    if width <= len(ellipsis):
        return text[:width]
    return text[: width - len(ellipsis)].rstrip() + ellipsis


def one_cell_text(text: str) -> str:
    """The text with every character that takes more or less than one cell left out
    (wide CJK, combining marks, controls), spaces folded: what a picture may hold.

    "日本 Japan" becomes "Japan"; a text of nothing but wide characters becomes "".
    """
    kept = [
        char
        for char in text
        if char.isprintable()
        and unicodedata.east_asian_width(char) not in ("W", "F")
        and not unicodedata.combining(char)
    ]
    return " ".join("".join(kept).split())
