"""Where thaw finds its content and keeps its state. Nothing touches the disk at import."""

from __future__ import annotations

import os
from pathlib import Path

STATE_DIR_ENV = "THAW_STATE_DIR"


def default_content_dir() -> Path:
    """The shipped pack: inside the installed wheel, or `content/` in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "content"
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "content"


def state_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """`--state-dir`, else $THAW_STATE_DIR, else the platform's user state directory."""
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get(STATE_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    from platformdirs import user_state_dir

    return Path(user_state_dir("thaw", appauthor=False))
