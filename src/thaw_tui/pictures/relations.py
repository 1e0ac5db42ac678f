"""Who did what to whom, as a matrix: a row per actor who acted, a column per actor
acted upon, and in each cell what was done (one kind per line, with how many times
and whether any was a reply).

    Who did what to whom, 2014 · a row acted on a column · ↩ a reply
                    Russia            Japan             Ukraine
    ────────────────────────────────────────────────────────────────
    Russia          ·                 talks off ↩       annexation
                                      drills
                                      ban ↩
    ┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈┈
    Japan         ▸ sanctions ×2      ·                 ·

The selected cell carries a `▸` and its own style, so it shows without colour.
`RelationsPicture.cells` says where each cell landed; the data comes from
`thaw_tui.pack.relations`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from thaw_tui.pack.relations import Deed, Relations
from thaw_tui.pictures.glyphs import UNICODE, Glyphs
from thaw_tui.pictures.runs import Grid, Picture, fit_text

BLANK, TITLE, HEADER, ACTOR, CELL, SELECTED, EMPTY, RULE = range(8)
STYLES = (
    "relations.blank",
    "relations.title",
    "relations.header",
    "relations.actor",
    "relations.cell",
    "relations.selected",
    "relations.empty",
    "relations.rule",
)
MAX_ACTOR_WIDTH = 16

Cell = tuple[str, str]  # (who acted, who it was done to)


@dataclass(frozen=True)
class RelationsPicture(Picture):
    # (doer, target) -> (x, y, width, height) of every cell that holds a deed
    cells: Mapping[Cell, tuple[int, int, int, int]] = field(default_factory=dict)
    selected: Cell | None = None


def cell_lines(deeds: Sequence[Deed], glyphs: Glyphs = UNICODE) -> list[str]:
    """One line per kind of deed, in the order first done: "sanctions ×2", "ban ↩"."""
    times, reply = ("×", "↩") if glyphs.unicode else ("x", "<")
    kinds: dict[str, list[Deed]] = {}
    for deed in deeds:
        kinds.setdefault(deed.label, []).append(deed)
    lines = []
    for label, same in kinds.items():
        line = label + (f" {times}{len(same)}" if len(same) > 1 else "")
        if any(deed.replies_to for deed in same):
            line += f" {reply}"
        lines.append(line)
    return lines


def draw_relations(
    relations: Relations,
    names: Mapping[str, str],
    width: int,
    *,
    selected: Cell | None = None,
    glyphs: Glyphs = UNICODE,
    separators: bool = True,
) -> RelationsPicture:
    """The matrix `width` columns wide; as tall as its rows need (without `separators`,
    rows follow one another with no dotted line between them, for short terminals)."""
    width = max(width, 20)
    doers, targets = relations.doers, relations.targets
    if not relations.deeds:
        grid = Grid(width, 1, STYLES)
        grid.put(0, 0, fit_text("No actions between actors.", width, glyphs.ellipsis), EMPTY)
        picture = grid.picture()
        return RelationsPicture(picture.width, picture.rows)
    label_width = min(MAX_ACTOR_WIDTH, max(len(names.get(a, a)) for a in doers) + 2)
    column_width = max(6, (width - label_width) // len(targets))
    contents = {
        (by, to): cell_lines(relations.cell(by, to), glyphs) for by in doers for to in targets
    }
    heights = [max(1, *(len(contents[(by, to)]) for to in targets)) for by in doers]
    height = 3 + sum(heights) + (len(doers) - 1 if separators else 0)
    grid = Grid(width, height, STYLES)

    reply, dot = ("↩", "·") if glyphs.unicode else ("<", "-")
    title = f"Who did what to whom, {relations.year}"
    for piece in ("a row acted on a column", f"{reply} a reply"):
        if len(title) + len(piece) + 3 <= width:
            title += f" {dot} {piece}"
    grid.put(0, 0, fit_text(title, width, glyphs.ellipsis), TITLE)
    for index, target in enumerate(targets):
        x = label_width + index * column_width + 2
        grid.put(
            x, 1, fit_text(names.get(target, target), column_width - 3, glyphs.ellipsis), HEADER
        )
    grid.put(0, 2, glyphs.axis * width, RULE)

    cells: dict[Cell, tuple[int, int, int, int]] = {}
    y = 3
    for row, (by, tall) in enumerate(zip(doers, heights, strict=True)):
        if row and separators:
            grid.put(0, y, ("┈" if glyphs.unicode else ".") * width, RULE)
            y += 1
        grid.put(0, y, fit_text(names.get(by, by), label_width - 1, glyphs.ellipsis), ACTOR)
        for index, to in enumerate(targets):
            x = label_width + index * column_width
            lines = contents[(by, to)]
            if not lines:
                grid.put(x + 2, y, dot, EMPTY)
                continue
            cells[(by, to)] = (x, y, column_width, tall)
            chosen = (by, to) == selected
            style = SELECTED if chosen else CELL
            for offset, line in enumerate(lines):
                text = fit_text(line, column_width - 2, glyphs.ellipsis)
                if chosen:
                    text = text.ljust(column_width - 2)
                grid.put(x + 2, y + offset, text, style)
            if chosen:
                grid.put(x, y, "▸" if glyphs.unicode else ">", SELECTED)
        y += tall
    picture = grid.picture()
    return RelationsPicture(
        picture.width,
        picture.rows,
        cells=cells,
        selected=selected if selected in cells else None,
    )
