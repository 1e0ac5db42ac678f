"""Whether a path given as a pack folder can be one, in one sentence that names it.

A path that does not exist, is a file, cannot be listed or holds no pack files is
not a broken pack: reported by the loader, it would read as a problem at a made-up
position (`/some/path:1:1: -: ...`, or `.:1:1:` for a folder without a manifest)
followed by "1 problem in 1 file" (ux-review B13). Every command that takes a pack
folder (`thaw`, `thaw export`, `thaw serve`, `thaw validate`) checks it here first,
before anything else can fail, so the sentence is the same for all of them and is
not hidden behind "not a terminal" when stdout is piped.
"""

from __future__ import annotations

import os
from pathlib import Path


def pack_folder_problem(path: Path) -> str | None:
    """Why `path` cannot be a pack folder, or None when the loader should check it."""
    if not path.exists():
        return f"{path} does not exist: give the path of a pack folder."
    if not path.is_dir():
        return f"{path} is not a folder: give the folder that holds the pack's *.yaml files."
    try:
        names = [name for name in os.listdir(path) if not name.startswith(".")]
    except OSError as error:
        return f"{path} cannot be read ({error.strerror or error}): check its permissions."
    if any(name.endswith(".yaml") for name in names):
        return None
    if any(name.endswith(".yml") for name in names):
        return f"{path} holds no *.yaml files: rename its *.yml files to end in .yaml."
    return f"{path} holds no pack files (*.yaml): give the folder of a content pack."
