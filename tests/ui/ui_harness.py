"""Helpers for pilot tests: build the app on the sample pack and read the screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rich.segment import Segment
from support.sample_pack import sample_pack
from textual.app import App
from textual.pilot import Pilot
from textual.strip import Strip

from thaw_tui.pack.model import Pack
from thaw_tui.progress import Progress
from thaw_tui.ui.app import ThawApp
from thaw_tui.ui.screens.welcome import WELCOME_SETTING


def make_app(
    pack: Pack | None = None,
    progress: Progress | None = None,
    *,
    served: bool = False,
    first_start: bool = False,
) -> ThawApp:
    """The reader on the sample pack. Its first screen (shown on a reader's first start)
    is taken as closed already, unless `first_start`: tests about other things start
    on the main screen."""
    progress = progress or Progress()
    if not first_start:
        progress.settings.setdefault(WELCOME_SETTING, "closed")
    return ThawApp(pack or sample_pack(), progress, served=served)


# --- Textual internals ---------------------------------------------------------------
# Textual has no public way to read back the composed screen or the notifications an
# app has shown. Every test goes through the two functions below, so a Textual release
# that moves these internals breaks (and is fixed) here only.


def screen_strips(app: App[int]) -> list[Strip]:
    """The current screen as composed for the terminal: one strip of segments per row."""
    return list(app.screen._compositor.render_strips())


def notifications(app: App[int]) -> list[str]:
    """The messages of the notifications the app is showing, oldest first."""
    return [notification.message for notification in app._notifications]


# ----------------------------------------------------------------------------------------


def screen_segments(app: App[int]) -> Iterator[Segment]:
    """Every segment the terminal would be sent for the current screen."""
    for strip in screen_strips(app):
        yield from strip


def screen_lines(app: App[int]) -> list[str]:
    """The screen as the terminal would show it, one string per row."""
    return ["".join(segment.text for segment in strip) for strip in screen_strips(app)]


def screen_text(app: App[int]) -> str:
    return "\n".join(screen_lines(app))


def list_line(app: App[int], row: int) -> str:
    """Row `row` (from 0) of the focused list, as the screen line it is drawn on."""
    from thaw_tui.ui.widgets.item_list import ItemList

    focused = app.focused
    assert isinstance(focused, ItemList), f"no list has focus: {focused!r}"
    return screen_lines(app)[focused.content_region.y + row]


async def press(pilot: Pilot[int], *keys: str) -> None:
    """Press keys one at a time, letting the app settle after each."""
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


async def wait_for(pilot: Pilot[int], condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Let the app run until `condition` holds (for bursts of posted keys under load)."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()
