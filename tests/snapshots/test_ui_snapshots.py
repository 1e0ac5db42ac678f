"""Snapshots of every pane (80x24 and 120x40), an item page and a thread.

Fixed pack, fixed progress, no clock on screen. Review the report before
`pytest tests/snapshots --snapshot-update`.
"""

from __future__ import annotations

from typing import Any

import pytest
from support.sample_pack import sample_pack

from thaw_tui.progress import Progress
from thaw_tui.ui.app import ThawApp
from thaw_tui.ui.pane_specs import PANE_KEYS  # every pane, by id, and the key that shows it


def fixed_app() -> ThawApp:
    progress = Progress()
    progress.mark(["section-1", "abe-putin-talks", "abe", "mofa"])
    return ThawApp(sample_pack(), progress)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("pane", list(PANE_KEYS))
def test_pane(snap_compare: Any, pane: str, size: tuple[int, int]) -> None:
    assert snap_compare(fixed_app(), press=[PANE_KEYS[pane]], terminal_size=size)


def test_item_page(snap_compare: Any) -> None:
    assert snap_compare(fixed_app(), press=["4", "enter"], terminal_size=(80, 24))


def test_thread_steps(snap_compare: Any) -> None:
    assert snap_compare(fixed_app(), press=[PANE_KEYS["threads"], "enter"], terminal_size=(80, 24))


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
def test_first_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    """A reader's first start: what thaw is, and the ways in."""

    async def shown(pilot: Any) -> None:
        from thaw_tui.ui.screens.welcome import WelcomeScreen

        for _ in range(100):
            if isinstance(pilot.app.screen, WelcomeScreen):
                break
            await pilot.pause(0.02)
        await pilot.pause()

    app = ThawApp(sample_pack(), Progress())
    assert snap_compare(app, run_before=shown, terminal_size=size)
