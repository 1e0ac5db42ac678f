"""A reader's saved state, set up before the real `thaw` starts in a terminal.

Most end-to-end tests and benchmarks are about something other than a reader's first
start: they start as a reader who has closed the first screen before
(`first_screen_closed`), and so begin on the main screen as before it existed.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from thaw_tui.paths import default_content_dir
from thaw_tui.progress.store import open_progress
from thaw_tui.ui.screens.welcome import WELCOME_SETTING

READER = "local"  # plain `thaw`'s reader


def pack_id(pack_dir: Path | None = None) -> str:
    """The id in a pack folder's manifest (the shipped pack's when None)."""
    folder = pack_dir or default_content_dir()
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("pack"), dict):
            return str(data["pack"]["id"])
    raise FileNotFoundError(f"{folder}: no pack manifest (a file with a top-level `pack:`)")


def first_screen_closed(state_dir: Path, pack_dir: Path | None = None) -> Path:
    """Save, in the state folder, that this reader has closed the first screen."""
    progress = open_progress(state_dir, READER, pack_id(pack_dir))
    try:
        assert progress.persistent, f"no progress store could be made in {state_dir}"
        progress.remember_setting(WELCOME_SETTING, "closed")
    finally:
        progress.close()
    return state_dir
