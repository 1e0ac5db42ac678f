"""The marks the reader draws around pack text: Unicode, or ASCII under a locale that is
not UTF-8 (LANG=C). Every mark the UI draws comes from `GLYPHS`; none is written
inline, so a terminal that cannot show `▸` or `✓` never gets one.

The choice is made once, from the environment, when the UI is imported (the pictures
make the same choice: `thaw_tui.charset`). Tests switch it with `use_glyphs`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from msgspec import Struct

from thaw_tui.charset import utf8_terminal

Overflow = Literal["ellipsis", "crop"]


class UiGlyphs(Struct, frozen=True):
    unicode: bool
    cursor: str  # before the highlighted row of a list
    seen: str
    unseen: str
    fact_check: str
    paragraph: str  # before an article paragraph's number
    crumb: str  # between the parts of a breadcrumb
    ellipsis: str  # what a cut-short text ends with
    overflow: Overflow  # how Rich cuts a row short ("ellipsis" writes "…")
    rule: str  # a heading row's rule, and a horizontal line
    bullet: str
    quote: str
    bar_full: str
    bar_empty: str
    dot: str  # between parts of one line ("Event · 1945")
    arrow_down: str
    arrows_up_down: str
    match_left: str  # around a search match shown in words (no colour)
    match_right: str
    lquote: str
    rquote: str
    dash: str
    degree: str
    arrow_right: str


UNICODE = UiGlyphs(
    unicode=True,
    cursor="▸ ",
    seen="✓",
    unseen="○",
    fact_check="⚑",
    paragraph="¶",
    crumb=" › ",
    ellipsis="…",
    overflow="ellipsis",
    rule="─",
    bullet="•",
    quote="▌",
    bar_full="█",
    bar_empty="░",
    dot=" · ",
    arrow_down="↓",
    arrows_up_down="↑↓",
    match_left="»",
    match_right="«",
    lquote="“",
    rquote="”",
    dash="—",
    degree="°",
    arrow_right="→",
)

ASCII = UiGlyphs(
    unicode=False,
    cursor="> ",
    seen="x",
    unseen="o",
    fact_check="!",
    paragraph="#",
    crumb=" > ",
    ellipsis="~",
    overflow="crop",
    rule="-",
    bullet="*",
    quote="|",
    bar_full="#",
    bar_empty="-",
    dot=" - ",
    arrow_down="v",
    arrows_up_down="Up/Down",
    match_left=">>",
    match_right="<<",
    lquote='"',
    rquote='"',
    dash="-",
    degree=" deg ",
    arrow_right="->",
)


def glyphs_for(environ: Mapping[str, str]) -> UiGlyphs:
    return UNICODE if utf8_terminal(environ) else ASCII


GLYPHS: UiGlyphs = glyphs_for(os.environ)


def use_glyphs(glyphs: UiGlyphs) -> UiGlyphs:
    """Draw with `glyphs` from now on (tests); returns the set used until now."""
    global GLYPHS
    before, GLYPHS = GLYPHS, glyphs
    return before


def g() -> UiGlyphs:
    """The glyphs in use (read each time, so `use_glyphs` takes effect everywhere)."""
    return GLYPHS
