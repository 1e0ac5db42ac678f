"""The characters pictures are drawn with: Unicode (braille dots, box drawing) or ASCII.

ASCII is for terminals whose locale is not UTF-8 (LANG=C): there a cell holds 1x2
dots, and the disputed islands are told apart by their character (`X` against `#`)
instead of by a hatch of dots.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from thaw_tui.charset import utf8_terminal

# Unicode braille: dots 1-3 down the left column, 4-6 down the right, 7 and 8 below.
BRAILLE_WEIGHTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
# ASCII: one column, two rows; ordinary land in the low bits, disputed land above them.
ASCII_LAND_WEIGHTS = ((1,), (2,))
ASCII_DISPUTED_WEIGHTS = ((4,), (8,))


def _braille_table() -> dict[int, str]:
    table = {code: chr(0x2800 + code) for code in range(256)}
    table[0] = " "  # a blank braille cell renders as a box in some fonts
    return table


def _ascii_table() -> dict[int, str]:
    land = {0: " ", 1: "'", 2: ".", 3: "#"}
    disputed = {1: "x", 2: "x", 3: "X"}
    table = {}
    for code in range(16):
        high = code >> 2
        table[code] = disputed[high] if high else land[code & 3]
    return table


@dataclass(frozen=True)
class Glyphs:
    name: str
    dots_x: int
    dots_y: int
    cells: Mapping[int, str]  # cell code -> character
    marker: str
    marker_selected: str
    land_swatch: str
    disputed_swatch: str
    scale_left: str
    scale_line: str
    scale_right: str
    bars: str  # ruler: events per column, fewest to most
    era_fills: tuple[str, ...]
    axis: str
    axis_mark: str
    tick_day: str
    tick_month: str
    tick_year: str
    cursor: str
    earlier: str
    later: str
    ellipsis: str

    @property
    def unicode(self) -> bool:
        return self.name == "unicode"


UNICODE = Glyphs(
    name="unicode",
    dots_x=2,
    dots_y=4,
    cells=_braille_table(),
    marker="●",
    marker_selected="◉",
    land_swatch="⣿",
    disputed_swatch="⢕",  # replaced by a sample of the real hatch in mapdraw
    scale_left="├",
    scale_line="─",
    scale_right="┤",
    bars="▂▃▄▅▆▇█",
    era_fills=("░", "▒", "▓"),
    axis="─",
    axis_mark="┬",
    tick_day="│",
    tick_month="┆",
    tick_year="╎",
    cursor="▲",
    earlier="◀",
    later="▶",
    ellipsis="…",
)

ASCII = Glyphs(
    name="ascii",
    dots_x=1,
    dots_y=2,
    cells=_ascii_table(),
    marker="o",
    marker_selected="@",
    land_swatch="#",
    disputed_swatch="X",
    scale_left="|",
    scale_line="-",
    scale_right="|",
    bars="123456789",
    era_fills=("=", "-", "~"),
    axis="-",
    axis_mark="+",
    tick_day="|",
    tick_month=":",
    tick_year=".",
    cursor="^",
    earlier="<",
    later=">",
    ellipsis="~",
)


def glyphs_for_environment(environ: Mapping[str, str]) -> Glyphs:
    """UNICODE when the locale says UTF-8, else ASCII (`thaw_tui.charset`)."""
    return UNICODE if utf8_terminal(environ) else ASCII
