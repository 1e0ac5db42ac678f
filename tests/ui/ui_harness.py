"""Helpers for pilot tests: build the app on the sample pack and read the screen."""

from __future__ import annotations

from collections.abc import Callable

from support.sample_pack import sample_pack
from textual.pilot import Pilot

from thaw_tui.pack.model import Pack
from thaw_tui.progress import Progress
from thaw_tui.ui.app import ThawApp


def make_app(
    pack: Pack | None = None, progress: Progress | None = None, *, served: bool = False
) -> ThawApp:
    return ThawApp(pack or sample_pack(), progress or Progress(), served=served)


def screen_lines(app: ThawApp) -> list[str]:
    """The screen as the terminal would show it, one string per row."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def screen_text(app: ThawApp) -> str:
    return "\n".join(screen_lines(app))


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
