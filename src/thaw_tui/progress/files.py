"""The progress file on disk: a private folder, a private file, no symlinks followed.

Every problem is raised as `StoreUnavailable` carrying the one sentence the reader
will see; the caller then keeps progress in memory.
"""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

from msgspec import Struct

DB_FILENAME = "progress.sqlite3"
SIDECAR_SUFFIXES = ("-wal", "-shm")  # SQLite's write-ahead log and its shared-memory index
DIR_MODE = 0o700
FILE_MODE = 0o600

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO planted at the path must not hang us


class StoreUnavailable(Exception):
    """The progress file cannot be used; the message is the notice for the reader."""


class FileIdentity(Struct, frozen=True):
    """Which file we opened, so we never move aside one another process just created."""

    device: int
    inode: int


def not_saved(reason: str) -> StoreUnavailable:
    return StoreUnavailable(f"{reason}; your progress will not be saved this session.")


def _untrusted(info: os.stat_result) -> str | None:
    """Why a folder or file another user could have planted or can change is not used
    (as OpenSSH's StrictModes: ours or root's, and writable by nobody else)."""
    if info.st_uid not in (os.getuid(), 0):
        return f"belongs to another user (uid {info.st_uid})"
    if info.st_mode & 0o022:
        return f"can be written by other users (mode {info.st_mode & 0o7777:o})"
    return None


def prepare_state_dir(state_dir: Path) -> None:
    """Make sure `state_dir` is a real folder (created 0700 if missing), not a symlink."""
    try:
        info = os.lstat(state_dir)
    except FileNotFoundError:
        _create_private_dir(state_dir)
        info = os.lstat(state_dir)
    except OSError as exc:
        raise not_saved(f"thaw cannot look at the folder {state_dir} ({exc.strerror})") from exc
    if stat.S_ISLNK(info.st_mode):
        raise not_saved(
            f"The progress folder {state_dir} is a symbolic link, which thaw never follows"
        )
    if not stat.S_ISDIR(info.st_mode):
        raise not_saved(f"The progress folder {state_dir} exists but is not a folder")
    reason = _untrusted(info)
    if reason is not None:
        own = reason.startswith("belongs")
        fix = "use a folder of your own" if own else f"run `chmod 700 {state_dir}`"
        raise not_saved(f"The progress folder {state_dir} {reason} ({fix})")


def _create_private_dir(state_dir: Path) -> None:
    try:
        state_dir.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(state_dir, DIR_MODE)
    except FileExistsError:
        return  # another session created it first; the caller checks what it is
    except OSError as exc:
        raise not_saved(f"thaw could not create the folder {state_dir} ({exc.strerror})") from exc
    # mkdir applies the umask; make the mode exactly 0700 on the folder we created.
    os.chmod(state_dir, DIR_MODE)


def ensure_db_file(db_path: Path) -> FileIdentity:
    """Create the database file 0600 if missing; refuse symlinks and non-regular files.

    Creating it here (O_CREAT|O_EXCL with mode 0600) means SQLite never creates it
    with the umask's looser mode, not even for a moment; its -wal and -shm files copy
    the database file's mode.
    """
    for sidecar in _sidecars(db_path):
        if sidecar.is_symlink():
            raise not_saved(f"The file {sidecar} is a symbolic link, which thaw never follows")
        try:
            reason = _untrusted(os.lstat(sidecar))
        except FileNotFoundError:
            reason = None
        if reason is not None:
            raise not_saved(f"The file {sidecar} {reason} (move it away)")
    created = True
    try:
        fd = os.open(db_path, os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, FILE_MODE)
    except FileExistsError:
        created = False
        fd = _open_existing(db_path)
    except OSError as exc:
        raise not_saved(f"thaw could not create the file {db_path} ({exc.strerror})") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise not_saved(f"The progress file {db_path} is not a regular file")
        reason = None if created else _untrusted(info)
        if reason is not None:
            raise not_saved(f"The progress file {db_path} {reason} (move it away)")
        if created or (info.st_uid == os.getuid() and info.st_mode & 0o077):
            os.fchmod(fd, FILE_MODE)  # ours: private, as promised, whatever made it
        return FileIdentity(info.st_dev, info.st_ino)
    finally:
        os.close(fd)


def _open_existing(db_path: Path) -> int:
    try:
        return os.open(db_path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | _NONBLOCK)
    except OSError as exc:
        if db_path.is_symlink():
            raise not_saved(
                f"The progress file {db_path} is a symbolic link, which thaw never follows"
            ) from exc
        raise not_saved(f"thaw cannot open the file {db_path} ({exc.strerror})") from exc


def move_aside(db_path: Path, identity: FileIdentity, now: datetime | None = None) -> Path | None:
    """Rename an unreadable database (and its -wal/-shm) out of the way, never overwriting.

    Returns the new path, or None when the file at `db_path` is no longer the one we
    opened (another session already moved it and started fresh).
    """
    try:
        current = os.lstat(db_path)
    except FileNotFoundError:
        return None
    if (current.st_dev, current.st_ino) != (identity.device, identity.inode):
        return None
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = _free_name(db_path.with_name(f"{db_path.name}.corrupt-{stamp}"))
    try:
        # The log goes first: a stale -wal next to a fresh database would be replayed into it.
        for sidecar, moved in zip(_sidecars(db_path), _sidecars(target), strict=True):
            if os.path.lexists(sidecar):
                os.rename(sidecar, moved)
        os.rename(db_path, target)
    except OSError as exc:
        raise not_saved(
            f"Your progress file {db_path} is unreadable and could not be moved aside "
            f"({exc.strerror})"
        ) from exc
    return target


def _free_name(candidate: Path) -> Path:
    """`candidate`, or `candidate-2`, `-3`... whichever is unused along with its sidecars."""
    base = candidate
    number = 1
    while any(os.path.lexists(p) for p in (candidate, *_sidecars(candidate))):
        number += 1
        candidate = base.with_name(f"{base.name}-{number}")
    return candidate


def _sidecars(db_path: Path) -> tuple[Path, ...]:
    return tuple(db_path.with_name(db_path.name + suffix) for suffix in SIDECAR_SUFFIXES)
