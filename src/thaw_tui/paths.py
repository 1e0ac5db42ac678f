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


def untrusted(info: os.stat_result) -> str | None:
    """Why a folder or file with this `lstat` must not be trusted, or None.

    As OpenSSH's StrictModes: it must belong to us (or to root) and no other user may
    write it. Said as the end of a sentence: "... belongs to another user (uid 65534)".
    """
    if info.st_uid not in (os.getuid(), 0):
        return f"belongs to another user (uid {info.st_uid})"
    if info.st_mode & 0o022:
        return f"can be written by other users (mode {info.st_mode & 0o7777:o})"
    return None


def check_private(path: Path, what: str, *, folder: bool) -> str | None:
    """None when `path` is a private folder (or regular file) of ours, else one sentence
    starting with `what` ("State folder", "Host key"...) and ending with the fix.

    A missing path is fine (the caller makes it); a symbolic link never is."""
    import stat

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"{what} {path} cannot be looked at ({error.strerror})."
    if stat.S_ISLNK(info.st_mode):
        return f"{what} {path} is a symbolic link, which thaw does not follow: replace it."
    kind_ok = stat.S_ISDIR(info.st_mode) if folder else stat.S_ISREG(info.st_mode)
    if not kind_ok:
        return f"{what} {path} is not a {'folder' if folder else 'regular file'}: move it away."
    reason = untrusted(info)
    if reason is None:
        return None
    if reason.startswith("belongs"):
        fix = "use one of your own" if folder else "move it away"
    else:
        fix = f"run `chmod go-w {path}`"
    return f"{what} {path} {reason}: {fix}."
