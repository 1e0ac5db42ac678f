"""The timeline ruler: every event on one scaled axis, so gaps and crowds show.

Two zooms. `years`: 1945 to 2014 (or wider, if events fall outside) across the whole
width; a column can hold several events, and the tick's height says how many (a
column of 2014 is a full block). `months`: one year, January to December; there every
event gets its own column, those dated only to a month spread across that month
(and drawn dashed, since the day is not known).

Rows, top to bottom: era bands (each era's events' span, in its own fill, titled when
there is room); ticks; the axis; years or months; the cursor with the date and era of
the highlighted event.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from thaw_tui.pack.model import MONTH_ABBREVIATIONS, PartialDate
from thaw_tui.pictures.glyphs import UNICODE, Glyphs
from thaw_tui.pictures.runs import Grid, Picture, fit_text

BLANK, ERA_LABEL, TICK, TICK_SELECTED, AXIS, SCALE_LABEL, GAP, CURSOR = range(8)
ERA_BASE = 8  # era i's band has style code ERA_BASE + i % len(ERA_STYLES)
STYLES = (
    "ruler.blank",
    "ruler.era.label",
    "ruler.tick",
    "ruler.tick.selected",
    "ruler.axis",
    "ruler.scale",
    "ruler.gap",
    "ruler.cursor",
    "ruler.era.0",
    "ruler.era.1",
    "ruler.era.2",
)
ROW_ERAS, ROW_TICKS, ROW_AXIS, ROW_SCALE, ROW_CURSOR = range(5)
HEIGHT = 5
YEARS, MONTHS = "years", "months"
MIN_GAP_COLUMNS = 14  # an empty stretch this wide gets "← N years →" written in it


@dataclass(frozen=True)
class RulerEvent:
    id: str
    date: PartialDate
    era: str


@dataclass(frozen=True)
class RulerPicture(Picture):
    zoom: str = YEARS
    start: float = 0.0  # the axis runs from `start` to `end`, in fractional years
    end: float = 1.0
    columns: Mapping[str, int] = field(default_factory=dict)  # event -> tick column
    cursor: str | None = None
    earlier: int = 0  # events before the axis (months zoom)
    later: int = 0


def moment(date: PartialDate) -> float:
    """The middle of the time a date stands for, in fractional years."""
    if date.month is None:
        return date.year + 0.5
    days = calendar.monthrange(date.year, date.month)[1]
    within = 0.5 if date.day is None else (min(date.day, days) - 0.5) / days
    return date.year + (date.month - 1 + within) / 12


def column_of(time: float, start: float, end: float, width: int) -> int:
    """The column holding a moment on an axis from `start` to `end` over `width` columns."""
    column = math.floor((time - start) / (end - start) * width)
    return max(0, min(width - 1, column))


def draw_ruler(
    events: Sequence[RulerEvent],
    width: int,
    *,
    eras: Mapping[str, str] | None = None,
    zoom: str = YEARS,
    year: int = 2014,
    cursor: str | None = None,
    glyphs: Glyphs = UNICODE,
    first_year: int = 1945,
    last_year: int = 2014,
) -> RulerPicture:
    """The ruler `width` columns wide. `eras` maps era ids to titles, in band order."""
    if zoom not in (YEARS, MONTHS):
        raise ValueError(f"zoom must be {YEARS!r} or {MONTHS!r}, not {zoom!r}")
    width = max(width, 8)
    eras = dict(eras or {})
    for event in events:
        eras.setdefault(event.era, event.era)
    times = {event.id: moment(event.date) for event in events}
    if zoom == YEARS:
        years = [event.date.year for event in events]
        start = float(min([first_year, *years]))
        end = float(max([last_year, *years]) + 1)
        columns = {e.id: column_of(times[e.id], start, end, width) for e in events}
        earlier = later = 0
    else:
        start, end = float(year), float(year + 1)
        inside = [e for e in events if e.date.year == year]
        columns = _spread(inside, times, start, end, width)
        earlier = sum(1 for e in events if e.date.year < year)
        later = sum(1 for e in events if e.date.year > year)

    grid = Grid(width, HEIGHT, STYLES)
    _era_bands(grid, events, columns, eras, glyphs)
    _ticks(grid, events, columns, cursor, zoom, glyphs)
    if zoom == YEARS:
        _gap(grid, events, columns, glyphs)
    _axis(grid, start, end, zoom, glyphs, earlier, later)
    _cursor(grid, events, columns, cursor, eras, glyphs, start, end)
    picture = grid.picture()
    return RulerPicture(
        width=picture.width,
        rows=picture.rows,
        zoom=zoom,
        start=start,
        end=end,
        columns=columns,
        cursor=cursor if cursor in times else None,
        earlier=earlier,
        later=later,
    )


def _spread(
    events: Sequence[RulerEvent], times: Mapping[str, float], start: float, end: float, width: int
) -> dict[str, int]:
    """A distinct column for every event of the year, where the width allows.

    Events dated to the day go where they fall; those dated to a month share out the
    free columns of that month evenly, in date order; those dated only to the year,
    the free columns of the year. Past what a period's columns can hold, an event
    takes the nearest free column.
    """
    columns: dict[str, int] = {}
    taken: set[int] = set()
    by_precision = sorted(events, key=lambda e: (e.date.precision != "day", e.date.sort_key))
    groups: dict[tuple[int, int], list[RulerEvent]] = {}
    for event in by_precision:
        if event.date.precision == "day":
            wanted = column_of(times[event.id], start, end, width)
            columns[event.id] = _nearest_free(wanted, taken, width)
            taken.add(columns[event.id])
        else:
            groups.setdefault((event.date.year, event.date.month or 0), []).append(event)
    # Months before the whole year, so that a year-dated event takes what is left.
    for (_, month), group in sorted(groups.items(), key=lambda item: item[0][1] == 0):
        if month:
            low = column_of(start + (month - 1) / 12, start, end, width)
            high = max(low, column_of(start + month / 12, start, end, width) - 1)
        else:
            low, high = 0, width - 1
        free = [c for c in range(low, high + 1) if c not in taken]
        for index, event in enumerate(group):
            if len(free) >= len(group):
                wanted = free[math.floor((index + 0.5) * len(free) / len(group))]
            else:
                wanted = (low + high) // 2
            columns[event.id] = _nearest_free(wanted, taken, width)
            taken.add(columns[event.id])
    return columns


def _nearest_free(wanted: int, taken: set[int], width: int) -> int:
    for distance in range(width):
        # Events come in date order: a later one steps right of an earlier one first.
        for column in (wanted + distance, wanted - distance):
            if 0 <= column < width and column not in taken:
                return column
    return wanted  # every column is taken: share one


def _era_bands(
    grid: Grid,
    events: Sequence[RulerEvent],
    columns: Mapping[str, int],
    eras: Mapping[str, str],
    glyphs: Glyphs,
) -> None:
    spans: list[tuple[int, int, int, str]] = []  # (first, last, era index, title)
    for index, (era_id, title) in enumerate(eras.items()):
        cols = [columns[e.id] for e in events if e.era == era_id and e.id in columns]
        if cols:
            spans.append((min(cols), max(cols), index, _short_title(title)))
    used = bytearray(grid.width)
    for first, last, index, _ in spans:
        fill = glyphs.era_fills[index % len(glyphs.era_fills)]
        grid.put(first, ROW_ERAS, fill * (last - first + 1), ERA_BASE + index % 3)
        used[first : last + 1] = b"\x01" * (last - first + 1)
    # Titles: inside a band when it is wide enough, else in the free space beside it.
    for first, last, _, title in spans:
        inside = last - first + 1
        if inside >= len(title) + 2:
            grid.put(first + (inside - len(title)) // 2, ROW_ERAS, title, ERA_LABEL)
            continue
        right_end = last + 1
        while right_end < grid.width and not used[right_end]:
            right_end += 1
        left_start = first - 1
        while left_start >= 0 and not used[left_start]:
            left_start -= 1
        right = (last + 2, right_end - 1)  # one blank column either side of the title
        left = (left_start + 2, first - 2)
        for low, high in (right, left):
            room = high - low
            if room >= min(len(title), 6):
                text = fit_text(title, room, glyphs.ellipsis)
                x = low if (low, high) == right else high - len(text)
                grid.put(x, ROW_ERAS, text, ERA_LABEL)
                used[max(0, x - 1) : x + len(text) + 1] = b"\x01" * (
                    min(grid.width, x + len(text) + 1) - max(0, x - 1)
                )
                break


def _short_title(title: str) -> str:
    """An era title without a trailing "(1945–1952)": the axis says the years."""
    head, sep, tail = title.rpartition(" (")
    return head if sep and tail.endswith(")") else title


def _ticks(
    grid: Grid,
    events: Sequence[RulerEvent],
    columns: Mapping[str, int],
    cursor: str | None,
    zoom: str,
    glyphs: Glyphs,
) -> None:
    counts: dict[int, int] = {}
    precision: dict[int, str] = {}
    for event in events:
        if event.id in columns:
            column = columns[event.id]
            counts[column] = counts.get(column, 0) + 1
            precision[column] = event.date.precision
    selected = columns.get(cursor) if cursor is not None else None
    for column, count in counts.items():
        if zoom == YEARS:
            char = glyphs.bars[min(count, len(glyphs.bars)) - 1]
        else:
            char = {"day": glyphs.tick_day, "month": glyphs.tick_month}.get(
                precision[column], glyphs.tick_year
            )
        grid.put(column, ROW_TICKS, char, TICK_SELECTED if column == selected else TICK)


def _gap(
    grid: Grid, events: Sequence[RulerEvent], columns: Mapping[str, int], glyphs: Glyphs
) -> None:
    """Name the widest stretch without events, if it is wide enough to hold the words."""
    placed = sorted({(columns[e.id], e.date.year) for e in events if e.id in columns})
    best: tuple[int, int, int, int] | None = None  # (empty columns, left col, right col, years)
    for (left, left_year), (right, right_year) in zip(placed, placed[1:], strict=False):
        empty = right - left - 1
        if empty >= MIN_GAP_COLUMNS and (best is None or empty > best[0]):
            best = (empty, left, right, right_year - left_year)
    if best is None:
        return
    empty, left, _, years = best
    arrow_left, arrow_right = ("←", "→") if glyphs.unicode else ("<-", "->")
    text = f"{arrow_left} {years} years without an event {arrow_right}"
    if len(text) > empty - 2:
        text = f"{arrow_left} {years} years {arrow_right}"
    if len(text) <= empty - 2:
        grid.put(left + 1 + (empty - len(text)) // 2, ROW_TICKS, text, GAP)


def _axis(
    grid: Grid,
    start: float,
    end: float,
    zoom: str,
    glyphs: Glyphs,
    earlier: int,
    later: int,
) -> None:
    width = grid.width
    grid.put(0, ROW_AXIS, glyphs.axis * width, AXIS)
    marks: list[tuple[int, str]] = []
    if zoom == YEARS:
        per_year = width / (end - start)
        step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100) if s * per_year >= 6), 100)
        first = int(start)
        years = [first] + [y for y in range(first + 1, int(end)) if y % step == 0]
        for year in years:
            marks.append((column_of(year, start, end, width), str(year)))
        last = int(end) - 1
        if last not in years:
            marks.append((column_of(last + 0.5, start, end, width), str(last)))
    else:
        per_month = width / 12
        for month in range(1, 13):
            name = MONTH_ABBREVIATIONS[month - 1]
            text = name if per_month >= 4 else name[0] if per_month >= 2 else ""
            marks.append((column_of(start + (month - 1) / 12, start, end, width), text))
    free_from = 0
    for column, text in marks:
        grid.put(column, ROW_AXIS, glyphs.axis_mark, AXIS)
        if not text:
            continue
        x = min(column, width - len(text))  # the last label may end at the right edge
        if x >= free_from:
            grid.put(x, ROW_SCALE, text, SCALE_LABEL)
            free_from = x + len(text) + 1
        elif column == marks[-1][0] and x - 1 >= 0:
            # The closing year matters more than the round one before it: take its place.
            grid.put(x - 1, ROW_SCALE, " " + text, SCALE_LABEL)
            _clear_partial_label(grid, x - 1)
    if earlier:
        grid.put(0, ROW_AXIS, glyphs.earlier, AXIS)
    if later:
        grid.put(width - 1, ROW_AXIS, glyphs.later, AXIS)


def _clear_partial_label(grid: Grid, x: int) -> None:
    """Blank what is left of a label cut short at column x (the digits before it)."""
    column = x - 1
    while column >= 0 and grid.chars[ROW_SCALE][column] != " ":
        grid.put(column, ROW_SCALE, " ", BLANK)
        column -= 1


def _cursor(
    grid: Grid,
    events: Sequence[RulerEvent],
    columns: Mapping[str, int],
    cursor: str | None,
    eras: Mapping[str, str],
    glyphs: Glyphs,
    start: float,
    end: float,
) -> None:
    event = next((e for e in events if e.id == cursor), None)
    if event is None:
        return
    caption = f"{event.date.human()} · {_short_title(eras.get(event.era, event.era))}"
    if not glyphs.unicode:
        caption = caption.replace("·", "-")
    column = columns.get(event.id)
    if column is None:
        # Outside a month zoom: point off the edge it lies beyond.
        before = moment(event.date) < start
        mark = glyphs.earlier if before else glyphs.later
        text = fit_text(caption, grid.width - 2, glyphs.ellipsis)
        if before:
            grid.put(0, ROW_CURSOR, mark, CURSOR)
            grid.put(2, ROW_CURSOR, text, CURSOR)
        else:
            grid.put(grid.width - 1, ROW_CURSOR, mark, CURSOR)
            grid.put(grid.width - 2 - len(text), ROW_CURSOR, text, CURSOR)
        return
    grid.put(column, ROW_CURSOR, glyphs.cursor, CURSOR)
    room_right = grid.width - column - 2
    room_left = column - 1
    if room_right >= len(caption) or room_right >= room_left:
        text = fit_text(caption, room_right, glyphs.ellipsis)
        grid.put(column + 2, ROW_CURSOR, text, CURSOR)
    else:
        text = fit_text(caption, room_left, glyphs.ellipsis)
        grid.put(column - 1 - len(text), ROW_CURSOR, text, CURSOR)


def step_event(events: Sequence[RulerEvent], cursor: str | None, offset: int) -> str | None:
    """The event `offset` places after (or before) the cursor in date order, clamped."""
    ordered = sorted(events, key=lambda e: e.date.sort_key)
    if not ordered:
        return None
    ids = [e.id for e in ordered]
    if cursor not in ids:
        return ids[0] if offset >= 0 else ids[-1]
    index = max(0, min(len(ids) - 1, ids.index(cursor) + offset))
    return ids[index]
