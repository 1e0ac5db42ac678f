"""The map in the installed `thaw`, in a real pseudo-terminal: walk its markers with the
arrow keys, open one, come back, open the map from a page with `w`; and the same map
drawn in ASCII under LANG=C."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.pty_harness import PtySession, find_command, terminal_env
from support.reader_state import first_screen_closed

from thaw_tui.ui.pane_specs import PANE_KEYS

pytestmark = pytest.mark.slow

PAINT_TIMEOUT = 15.0
MAP_KEY = PANE_KEYS["map"]
MAP_TAB = f"[{MAP_KEY} Map "  # the pane bar's entry when the Map pane is showing
SEEN_MARKS = ("○", "✓", "o", "x")  # unseen and seen, in Unicode and in ASCII (LANG=C)
BRAILLE = re.compile("[\u2801-\u28ff]")


def placed_titles(shipped_pack: dict[str, Any], senkaku: bool | None = None) -> dict[str, str]:
    """Title -> id of every item of the shipped pack that has a place on a map (with
    `senkaku`, only those on the Senkaku map, or only those not on it)."""
    found = {}
    for key, value in shipped_pack.items():
        if key in ("pack", "threads") or not isinstance(value, list):
            continue
        for item in value:
            location = item.get("location")
            if location is None:
                continue
            on_senkaku = location == "senkaku"
            if senkaku is None or senkaku == on_senkaku:
                found[str(item["title"])] = str(item["id"])
    return found


def marked(session: PtySession, titles: dict[str, str]) -> str | None:
    """The item the line under the map names (three rows up from the bottom)."""
    line = session.lines()[-3]
    named = [t for t in titles if any(f"{mark} {t}" in line for mark in SEEN_MARKS)]
    return max(named, key=len) if named else None


def test_walking_the_markers_of_the_map_and_opening_them(
    start_thaw: Callable[..., PtySession], shipped_pack: dict[str, Any], pack_title: str
) -> None:
    titles = placed_titles(shipped_pack)
    assert len(titles) >= 10
    thaw = start_thaw(cols=80, rows=24)
    thaw.wait_for_text(pack_title, PAINT_TIMEOUT)
    thaw.press(MAP_KEY)
    thaw.wait_for_text(MAP_TAB)
    thaw.wait_until(lambda: marked(thaw, titles) is not None, what="a marked item named")
    text = thaw.text()
    assert "Hokkaido" in text and "disputed" in text  # the land and the legend
    assert BRAILLE.search(text), "the coastlines are drawn in braille under a UTF-8 locale"
    assert "◉" in text  # the chosen marker

    kurils, senkaku = placed_titles(shipped_pack, False), placed_titles(shipped_pack, True)
    seen = [marked(thaw, titles)]
    for key in ("down", "left", "up", "up", "right", "right", "down", "left"):
        thaw.press(key)
        # `r` shows the other map and `r` again this one, each change visible: once the
        # second has shown, the arrow before them has surely been handled (keys run in
        # order), whether or not there was a marker that way.
        thaw.press("r")
        thaw.wait_until(lambda: marked(thaw, titles) in senkaku, what=f"the other map after {key}")
        thaw.press("r")
        thaw.wait_until(lambda: marked(thaw, titles) in kurils, what=f"this map after {key}")
        seen.append(marked(thaw, titles))
    assert len(set(seen)) >= 3, seen

    chosen = marked(thaw, titles)
    assert chosen is not None
    thaw.press("enter")
    thaw.wait_for_text(f"Map › {chosen[:20]}")  # the page's breadcrumb starts at the map
    thaw.wait_for_text("w Map")  # the page offers its map
    thaw.press("w")
    thaw.wait_for_text(f"On the map: {chosen[:20]}")
    thaw.wait_until(lambda: marked(thaw, titles) == chosen, what="the map on the item")
    thaw.press("escape")
    thaw.wait_for_text(f"Map › {chosen[:20]}")
    thaw.press("backspace")
    thaw.wait_for_text(MAP_TAB)
    thaw.wait_until(lambda: marked(thaw, titles) == chosen, what="the same marker again")

    thaw.press("q")
    assert thaw.wait_exit() == 0


def test_the_map_in_ascii_under_lang_c(
    shipped_pack: dict[str, Any], pack_title: str, state_dir: Path
) -> None:
    titles = placed_titles(shipped_pack)
    env = terminal_env({"LANG": "C", "THAW_STATE_DIR": str(state_dir)})
    for name in ("LC_ALL", "LC_CTYPE"):
        env.pop(name, None)
    first_screen_closed(state_dir)
    thaw = PtySession([find_command("thaw")], cols=80, rows=24, env=env)
    try:
        thaw.wait_for_text(pack_title, PAINT_TIMEOUT)
        thaw.press(MAP_KEY)
        thaw.wait_for_text(MAP_TAB)
        thaw.wait_until(lambda: marked(thaw, titles) is not None, what="a marked item named")
        map_rows = thaw.lines()[2:-4]
        assert not any(BRAILLE.search(row) for row in map_rows)
        drawn = "".join(map_rows)
        assert "#" in drawn  # land
        assert "X" in drawn or "x" in drawn  # the disputed islands, by character
        assert "@" in drawn  # the chosen marker
        thaw.press("q")
        assert thaw.wait_exit() == 0
    finally:
        thaw.close()


def test_the_map_in_sixteen_colours_marks_by_style_too(
    shipped_pack: dict[str, Any], pack_title: str, state_dir: Path
) -> None:
    """TERM=xterm: only the 16 colours are used, and what matters does not rest on
    them: the chosen marker and its labels are reversed, disputed labels underlined."""
    env = terminal_env({"TERM": "xterm", "THAW_STATE_DIR": str(state_dir)})
    env.pop("COLORTERM", None)
    first_screen_closed(state_dir)
    thaw = PtySession([find_command("thaw")], cols=80, rows=24, env=env)
    try:
        thaw.wait_for_text(pack_title, PAINT_TIMEOUT)
        start = len(thaw.raw)
        thaw.press(MAP_KEY)
        thaw.wait_for_text(MAP_TAB)
        thaw.wait_until(
            lambda: marked(thaw, placed_titles(shipped_pack)) is not None, what="a marked item"
        )
        styles = [
            [int(part) for part in found.split(b";") if part]
            for found in re.findall(rb"\x1b\[([0-9;]*)m", thaw.raw[start:])
        ]
        colours = {n for style in styles for n in style if n >= 30}
        assert colours and all(30 <= n <= 49 or 90 <= n <= 107 for n in colours), colours
        assert not any(38 in style or 48 in style for style in styles)  # no 256 or RGB
        assert any(7 in style for style in styles)  # the chosen marker and labels: reversed
        assert any(4 in style for style in styles)  # disputed labels: underlined
        thaw.press("q")
        assert thaw.wait_exit() == 0
    finally:
        thaw.close()
