"""A canvas of dots, one Python int per row of dots (bit x is the dot in column x).

Keeping rows as ints lets Python's C code do the per-dot work: a filled span is one
shift and one `|`, an outline is five `&`s per row, and turning rows into cells is a
few `str.translate` calls per row of cells. A 200x60 braille map (400x240 dots) fills
and encodes in a few milliseconds this way, where a loop over 96,000 dots would not.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

Rows = list[int]


def blank(height: int) -> Rows:
    return [0] * height


def fill_ring(rows: Rows, width: int, points: Sequence[tuple[float, float]]) -> None:
    """Set the dots whose centres lie inside the ring (even-odd), and its vertices.

    `points` are in dot coordinates. The vertices are set too, so that an islet smaller
    than a dot, or a spit thinner than one, still shows as at least one dot.
    """
    height = len(rows)
    ceil = math.ceil
    ys = [y for _, y in points]
    low = max(0, ceil(min(ys) - 0.5))
    crossings: list[list[float]] = [[] for _ in range(low, min(height, ceil(max(ys))))]
    x0, y0 = points[-1]
    for x1, y1 in points:
        if y0 != y1:
            if y0 < y1:
                top_y, top_x, bottom_y = y0, x0, y1
                slope = (x1 - x0) / (y1 - y0)
            else:
                top_y, top_x, bottom_y = y1, x1, y0
                slope = (x0 - x1) / (y0 - y1)
            # Rows whose centre (r + 0.5) lies in [top_y, bottom_y).
            first = ceil(top_y - 0.5)
            last = ceil(bottom_y - 0.5) - 1
            if first < 0:
                first = 0
            if last >= height:
                last = height - 1
            if first <= last:
                at_zero = top_x + (0.5 - top_y) * slope  # x where row 0's centre would be
                for row in range(first, last + 1):
                    crossings[row - low].append(at_zero + row * slope)
        x0, y0 = x1, y1
    floor = math.floor
    for row, xs in enumerate(crossings, low):
        if not xs:
            continue
        xs.sort()
        mask = 0
        for index in range(0, len(xs) - 1, 2):
            start = ceil(xs[index] - 0.5)
            end = floor(xs[index + 1] - 0.5)
            if start < 0:
                start = 0
            if end >= width:
                end = width - 1
            if end >= start:
                mask |= ((1 << (end - start + 1)) - 1) << start
        rows[row] |= mask
    for x, y in points:
        if 0 <= x < width and 0 <= y < height:
            rows[int(y)] |= 1 << int(x)


def outline(rows: Rows, width: int) -> Rows:
    """The dots of `rows` that touch an unset dot (4-neighbourhood).

    The canvas edge does not count as unset: land running off the picture has no coast
    drawn along the border.
    """
    full = (1 << width) - 1
    top_bit = 1 << (width - 1)
    last = len(rows) - 1
    out: Rows = []
    for index, row in enumerate(rows):
        if not row:
            out.append(0)
            continue
        up = rows[index - 1] if index > 0 else row
        down = rows[index + 1] if index < last else row
        left = ((row << 1) | (row & 1)) & full
        right = (row >> 1) | (row & top_bit)
        out.append(row & ~(up & down & left & right))
    return out


def pattern(width: int, height: int, period: int, *, slope: int = 1) -> Rows:
    """Diagonal lines: dot (x, y) is set when (x + slope*y) % period == 0."""
    unit = 1
    repeated = 0
    for start in range(0, width + period, period):
        repeated |= unit << start
    full = (1 << width) - 1
    rows: Rows = []
    for y in range(height):
        phase = (-slope * y) % period
        rows.append((repeated << phase) & full)
    return rows


def combine(*layers: Iterable[int]) -> Rows:
    """The union of several layers, row by row."""
    return [_or_all(values) for values in zip(*layers, strict=True)]


def _or_all(values: Iterable[int]) -> int:
    result = 0
    for value in values:
        result |= value
    return result


def intersect(a: Rows, b: Rows) -> Rows:
    return [x & y for x, y in zip(a, b, strict=True)]


def subtract(a: Rows, b: Rows) -> Rows:
    return [x & ~y for x, y in zip(a, b, strict=True)]


class CellEncoder:
    """Turns rows of dots into one code per cell: the OR of the weights of its set dots.

    `weights[r][k]` is the weight of the dot in row r, column k of a cell. For braille
    these are the Unicode dot bits, so the code plus U+2800 is the character.
    """

    def __init__(self, weights: Sequence[Sequence[int]]) -> None:
        self.dots_y = len(weights)
        self.dots_x = len(weights[0])
        # A row of dots becomes b"0"/b"1" per dot; these tables turn that into weights.
        self._tables = [
            [bytes.maketrans(b"01", bytes((0, weight))) for weight in row] for row in weights
        ]

    def encode(self, rows: Rows, cells_wide: int) -> list[bytes]:
        """One bytes object per row of cells, one code per cell."""
        width = cells_wide * self.dots_x
        full = (1 << width) - 1
        out: list[bytes] = []
        for top in range(0, len(rows) - self.dots_y + 1, self.dots_y):
            codes = 0
            for r in range(self.dots_y):
                row = rows[top + r] & full
                if not row:
                    continue
                dots = format(row, f"0{width}b")[::-1].encode("ascii")
                for k in range(self.dots_x):
                    column = dots[k :: self.dots_x] if self.dots_x > 1 else dots
                    codes |= int.from_bytes(column.translate(self._tables[r][k]), "little")
            out.append(codes.to_bytes(cells_wide, "little"))
        return out


NONZERO_TO = {
    value: bytes.maketrans(bytes(range(256)), bytes([0] + [value] * 255)) for value in (1, 2, 4)
}


def flags(codes: bytes, value: int) -> int:
    """An int whose byte i is `value` where codes[i] is not 0 (to OR with other flags)."""
    return int.from_bytes(codes.translate(NONZERO_TO[value]), "little")
