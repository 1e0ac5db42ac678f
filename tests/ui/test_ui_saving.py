"""The header follows whether progress is being saved, even when nothing else happens.

A progress database can go away and come back in the middle of a session; the
header says "progress not saved" while it is away, without waiting for a key.
"""

from __future__ import annotations

import pytest
from ui_harness import make_app, screen_lines

from thaw_tui.progress import Progress
from thaw_tui.ui.widgets import bars


class SwitchableProgress(Progress):
    """Progress whose saving the test turns on and off."""

    saving = True

    @property
    def persistent(self) -> bool:
        return self.saving


async def test_header_shows_not_saved_while_saving_stops_and_clears_when_it_resumes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bars, "SAVING_CHECK_SECONDS", 0.05)
    progress = SwitchableProgress()
    app = make_app(progress=progress)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "not saved" not in screen_lines(app)[0]
        progress.saving = False
        for _ in range(100):  # no key, no message: the header looks by itself
            await pilot.pause(0.02)
            if "progress not saved" in screen_lines(app)[0]:
                break
        assert "progress not saved" in screen_lines(app)[0]
        progress.saving = True
        for _ in range(100):
            await pilot.pause(0.02)
            if "not saved" not in screen_lines(app)[0]:
                break
        assert "not saved" not in screen_lines(app)[0]
