"""The timeline ruler: a linear axis, eras as bands, every event a tick, a month zoom."""

from __future__ import annotations

import pytest

from thaw_tui.pack.model import PartialDate
from thaw_tui.pictures.glyphs import ASCII, UNICODE
from thaw_tui.pictures.ruler import (
    ROW_AXIS,
    ROW_CURSOR,
    ROW_ERAS,
    ROW_SCALE,
    ROW_TICKS,
    RulerEvent,
    draw_ruler,
    moment,
    step_event,
)


def d(text: str) -> PartialDate:
    return PartialDate(*(int(part) for part in text.split("-")))


# The article's shape: four events in August 1945, the treaty years, one 1956 event,
# a 54-year silence, then 2010-2013 and a crowded 2014, some dated only to the month.
EVENTS = [
    RulerEvent(event_id, d(date), era)
    for event_id, date, era in [
        ("declares-war", "1945-08-08", "war"),
        ("potsdam", "1945-08-15", "war"),
        ("kuril-invasion", "1945-08-18", "war"),
        ("four-islands", "1945-08-28", "war"),
        ("treaty-signed", "1951-09-08", "war"),
        ("treaty-in-force", "1952-04-28", "war"),
        ("joint-declaration", "1956", "war"),
        ("medvedev", "2010", "thaw"),
        ("fukushima", "2011-03-11", "thaw"),
        ("abe-putin", "2013-04", "thaw"),
        ("crimea", "2014-03-18", "crisis"),
        ("fm-postponed", "2014-04", "crisis"),
        ("gas-deal", "2014-05", "crisis"),
        ("mh17", "2014-07-17", "crisis"),
        ("western-sanctions", "2014-07", "crisis"),
        ("japan-sanctions", "2014-08", "crisis"),
        ("talks-off", "2014-08", "crisis"),
        ("drills", "2014-08", "crisis"),
        ("bars-japanese", "2014-08", "crisis"),
        ("putin-visit", "2014-08", "crisis"),
    ]
]
ERAS = {
    "war": "The war and its settlement (1945–1952)",
    "thaw": "Setbacks and a thaw (2010–2013)",
    "crisis": "The 2014 crisis",
}
WIDTHS = [60, 80, 120, 200]


@pytest.mark.parametrize("width", WIDTHS)
def test_1956_and_2010_fall_at_their_proportional_columns(width: int) -> None:
    picture = draw_ruler(EVENTS, width, eras=ERAS)
    assert (picture.start, picture.end) == (1945.0, 2015.0)
    per_year = width / 70
    for event_id, year in (("joint-declaration", 1956), ("medvedev", 2010)):
        expected = (year - 1945) * per_year  # the column where that year starts
        assert expected - 1 <= picture.columns[event_id] <= expected + per_year + 1
    # The axis is linear: the 54 years between them take 54/70 of the width.
    span = picture.columns["medvedev"] - picture.columns["joint-declaration"]
    assert abs(span - 54 * per_year) <= per_year + 1


@pytest.mark.parametrize("width", WIDTHS)
def test_every_event_has_a_tick(width: int) -> None:
    picture = draw_ruler(EVENTS, width, eras=ERAS)
    ticks = picture.lines()[ROW_TICKS]
    assert set(picture.columns) == {event.id for event in EVENTS}
    for event in EVENTS:
        assert ticks[picture.columns[event.id]] != " ", event.id


def test_the_gap_is_empty_and_named_and_2014_is_the_tallest_tick() -> None:
    picture = draw_ruler(EVENTS, 120, eras=ERAS)
    ticks = picture.lines()[ROW_TICKS]
    left, right = picture.columns["joint-declaration"], picture.columns["medvedev"]
    between = ticks[left + 1 : right]
    assert "54 years" in between
    assert not any(bar in between for bar in UNICODE.bars)
    crowded = ticks[picture.columns["mh17"]]
    assert crowded == UNICODE.bars[-1]  # ten events in the 2014 column
    assert UNICODE.bars.index(ticks[picture.columns["potsdam"]]) < UNICODE.bars.index(crowded)


@pytest.mark.parametrize("width", [80, 120, 200])
def test_2014_events_are_distinct_ticks_in_month_zoom(width: int) -> None:
    picture = draw_ruler(EVENTS, width, eras=ERAS, zoom="months", year=2014)
    of_2014 = [e for e in EVENTS if e.date.year == 2014]
    columns = [picture.columns[e.id] for e in of_2014]
    assert len(set(columns)) == len(columns)
    assert picture.earlier == len(EVENTS) - len(of_2014)
    assert set(picture.columns) == {e.id for e in of_2014}
    ticks = picture.lines()[ROW_TICKS]
    for event in of_2014:
        assert ticks[picture.columns[event.id]] != " "
    # Each stays in its own month: August's five share out August's columns.
    per_month = width / 12
    for event in of_2014:
        month = event.date.month
        assert month is not None
        assert (month - 1) * per_month - 1 <= picture.columns[event.id] < month * per_month + 1
    # A day is known for MH17, not for the August events: solid against dashed.
    assert ticks[picture.columns["mh17"]] == UNICODE.tick_day
    assert ticks[picture.columns["drills"]] == UNICODE.tick_month
    assert picture.lines()[ROW_SCALE].startswith("Jan")
    assert picture.lines()[ROW_AXIS].startswith(UNICODE.earlier)


def test_same_day_events_keep_their_order_in_month_zoom() -> None:
    events = [
        RulerEvent("us-sanctions", d("2014-07-16"), "crisis"),
        RulerEvent("mh17", d("2014-07-17"), "crisis"),
        RulerEvent("a", d("2014-08-05"), "crisis"),
        RulerEvent("b", d("2014-08-05"), "crisis"),
    ]
    picture = draw_ruler(events, 60, zoom="months", year=2014)
    cols = picture.columns
    assert cols["us-sanctions"] < cols["mh17"] < cols["a"] < cols["b"]


def test_eras_are_bands_with_distinct_fills_and_titles() -> None:
    picture = draw_ruler(EVENTS, 120, eras=ERAS)
    bands = picture.lines()[ROW_ERAS]
    war_fill, thaw_fill, crisis_fill = UNICODE.era_fills
    assert bands[picture.columns["declares-war"]] == war_fill
    assert bands[picture.columns["medvedev"]] == thaw_fill
    assert bands[picture.columns["mh17"]] == crisis_fill
    assert "The war and its settlement" in bands
    assert "(1945–1952)" not in bands  # the axis already says the years
    assert picture.style_at(picture.columns["declares-war"], ROW_ERAS) == "ruler.era.0"


def test_the_cursor_points_at_its_event_with_date_and_era() -> None:
    picture = draw_ruler(EVENTS, 80, eras=ERAS, cursor="treaty-signed")
    row = picture.lines()[ROW_CURSOR]
    column = picture.columns["treaty-signed"]
    assert row[column] == UNICODE.cursor
    assert "8 Sep 1951 · The war and its settlement" in row
    assert picture.style_at(column, ROW_TICKS) == "ruler.tick.selected"
    late = draw_ruler(EVENTS, 80, eras=ERAS, cursor="mh17")
    assert late.lines()[ROW_CURSOR].rstrip().endswith(UNICODE.cursor)  # caption to its left
    away = draw_ruler(EVENTS, 80, eras=ERAS, cursor="potsdam", zoom="months", year=2014)
    assert away.lines()[ROW_CURSOR].startswith(UNICODE.earlier)


def test_year_labels_include_both_ends() -> None:
    for width in WIDTHS:
        labels = draw_ruler(EVENTS, width, eras=ERAS).lines()[ROW_SCALE]
        assert labels.startswith("1945")
        assert labels.rstrip().endswith("2014")


def test_ascii_ruler_is_pure_ascii() -> None:
    for zoom in ("years", "months"):
        picture = draw_ruler(EVENTS, 80, eras=ERAS, zoom=zoom, cursor="mh17", glyphs=ASCII)
        assert picture.text().isascii()
        assert all(sum(len(t) for t, _ in row) == 80 for row in picture.rows)


def test_moments_sit_in_the_middle_of_what_a_date_covers() -> None:
    assert moment(d("2014")) == 2014.5
    assert moment(d("2014-07")) == pytest.approx(2014 + 6.5 / 12)
    assert 2014 + 6 / 12 < moment(d("2014-07-17")) < 2014 + 7 / 12


def test_stepping_walks_events_in_date_order() -> None:
    assert step_event(EVENTS, "potsdam", 1) == "kuril-invasion"
    assert step_event(EVENTS, "potsdam", -1) == "declares-war"
    assert step_event(EVENTS, "declares-war", -1) == "declares-war"
    assert step_event(EVENTS, None, 1) == "declares-war"
