"""A private cache of validated packs, so `thaw` starts without YAML or validation.

Reading YAML and checking a pack costs more than the rest of start-up together
(and most of a second for a 10,000-item pack). Once a pack has loaded cleanly, the
resolved `Pack` and its item fingerprints are pickled into the reader's own state
directory, keyed by the pack's files (name, size, modification time), by the
source of the code that builds packs (`builder_digest`) and by the versions of
thaw and Python (the files of its `maps/` folder count among the pack's files).
Any edit to the pack or its builder changes the key, so a stale entry is never
used; a broken pack is never cached, so its errors always show. Every cache
failure falls back to a normal load, silently.

Why this is safe to read (red-team F3). Pickle can run code, and the state
directory is a path that may pass through folders other users can write. Of the
ways out, this module takes the one that keeps start-up fast and closes the race:

- **Folders are opened once and used by descriptor.** The path to the state
  directory is walked from `/` one folder at a time with `O_NOFOLLOW|O_DIRECTORY`,
  each folder checked with `fstat` on what was opened: every ancestor must belong
  to root or to us and be writable by nobody else unless it is sticky (like
  `/tmp`), and the state directory and `pack-cache/` must be ours and writable by
  nobody else. The entry is then opened *relative to that descriptor* with
  `O_NOFOLLOW` and checked again with `fstat` (ours, a regular file, not writable
  by others). Swapping a folder by `rename` after a check no longer changes what
  is read: the check and the read are on the same open folder, so the review's
  `renameat2(RENAME_EXCHANGE)` race has nothing to win.
- **The unpickler only knows the pack's own classes.** `find_class` admits the
  records of `pack/model.py` and `CachedPack`, and msgspec's `rebuild`, which
  calls one of those with keyword arguments (how a Struct with keyword-only fields
  pickles), nothing else; so even a file that got past the checks could not name
  `os.system` or any other callable.

Why not the alternatives: a format that cannot run code (JSON) means rebuilding
hundreds of thousands of records by hand, several times slower than
unpickling, which is the point of the cache; an HMAC key kept in the same state
directory is read through the same path an attacker can swap, so it needs the
descriptor walk anyway. Measured on the 10,000-item pack of `scripts/genpack.py`,
a cache hit costs the same as before (see bench/README.md).

Temporary files are written beside the entry, renamed into place, and removed on
any failure; strays left by a process that died are removed when the cache is next
written (those of live processes are left alone).
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import stat
import sys
import time
from pathlib import Path
from typing import Any

from msgspec import Struct

from thaw_tui import __version__
from thaw_tui.pack import model
from thaw_tui.pack.gc_paused import gc_paused
from thaw_tui.pack.model import MAP_FOLDER, Pack

# The code that turns YAML into a pickled Pack: every module of this package.
PACK_CODE_DIR = Path(__file__).parent

CACHE_FOLDER = "pack-cache"
SUFFIX = ".pickle"
# How msgspec pickles a Struct with keyword-only fields: rebuild(cls, kwargs) calls
# cls(**kwargs), and `cls` comes through find_class like any other name.
STRUCT_REBUILD = ("msgspec._utils", "rebuild")
KEEP_ENTRIES = 8  # old entries beyond this are pruned when a new one is written
# A temporary file whose writer is still alive is left alone for this long.
STALE_TEMPORARY_SECONDS = 3600.0

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class CachedPack(Struct, frozen=True):
    pack: Pack
    fingerprints: dict[str, str]  # item id -> item_fingerprint(item)


def load_pack_cached(content: Path | None, state_dir: Path | None) -> CachedPack:
    """The pack at `content` (None: the shipped one), from the cache when it can be.

    Raises `thaw_tui.pack.load.PackError` exactly as `load_pack` does. With no
    `state_dir` the cache is neither read nor written.
    """
    if content is None:
        from thaw_tui.paths import default_content_dir

        content = default_content_dir()
    name = entry_name(content) if state_dir is not None else None
    if state_dir is not None and name is not None:
        cached = read_entry(state_dir, name)
        if cached is not None:
            return cached

    from thaw_tui.pack.fingerprint import item_fingerprint
    from thaw_tui.pack.load import load_pack

    pack = load_pack(content)
    fresh = CachedPack(pack, {item.id: item_fingerprint(item) for item in pack})
    if state_dir is not None and name is not None:
        write_entry(state_dir, name, fresh)
    return fresh


def entry_name(content: Path) -> str | None:
    """The cache file's name for the pack's current files, or None if they can't be listed."""
    key = hashlib.sha256()
    key.update(f"{__version__}\0{sys.version}\0{content.resolve()}\0".encode())
    key.update(builder_digest())
    try:
        with os.scandir(content) as entries:
            files = sorted(
                (e.name, e.stat()) for e in entries if e.name.endswith((".yaml", ".yml"))
            )
        files += _map_files(content)
    except OSError:
        return None
    for name, info in files:
        key.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return f"{key.hexdigest()[:32]}{SUFFIX}"


def _map_files(content: Path) -> list[tuple[str, os.stat_result]]:
    """The files of the pack's `maps/` folder (map data the manifest may name), so that
    an edited map never meets the pack pickled with the old one."""
    try:
        with os.scandir(content / MAP_FOLDER) as entries:
            return sorted((f"{MAP_FOLDER}/{e.name}", e.stat()) for e in entries)
    except (FileNotFoundError, NotADirectoryError):
        return []


def builder_digest() -> bytes:
    """A hash of the source of every module that builds or defines a cached pack.

    Part of the cache key, so a change to the loader, the checks or the model (even
    in a checkout at the same version) never meets entries built by the old code.
    Hashing the text, not modification times, also covers a reinstall that keeps
    old timestamps. Reading some 25 small files costs well under a millisecond.
    """
    digest = hashlib.sha256()
    for source in sorted(PACK_CODE_DIR.rglob("*.py")):
        digest.update(source.relative_to(PACK_CODE_DIR).as_posix().encode())
        digest.update(b"\0")
        digest.update(source.read_bytes())
    return digest.digest()


# --- folders, opened once and checked on the descriptor ------------------------------
def _ours(info: os.stat_result) -> bool:
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _safe_ancestor(info: os.stat_result) -> bool:
    """Nobody but root and us can rename what is inside (sticky folders allow only owners)."""
    if info.st_uid not in (0, os.getuid()):
        return False
    return not info.st_mode & 0o022 or bool(info.st_mode & stat.S_ISVTX)


def open_private_dir(directory: Path, create: bool = False) -> int | None:
    """A descriptor of `directory`, opened without following links from `/` down, or
    None when it, or a folder above it, is not safe to trust (or is missing).

    With `create`, a missing last folder is made (0700)."""
    try:
        real = Path(os.path.realpath(directory))
    except OSError:
        return None
    parts = real.parts
    try:
        current = os.open(parts[0], _DIR_FLAGS)
    except OSError:
        return None
    try:
        for index, part in enumerate(parts[1:], start=1):
            if not _safe_ancestor(os.fstat(current)):
                return None
            last = index == len(parts) - 1
            try:
                following = os.open(part, _DIR_FLAGS, dir_fd=current)
            except FileNotFoundError:
                if not (create and last):
                    return None
                try:
                    os.mkdir(part, 0o700, dir_fd=current)
                except FileExistsError:
                    pass
                following = os.open(part, _DIR_FLAGS, dir_fd=current)
            os.close(current)
            current = following
        if not _ours(os.fstat(current)):
            return None
        opened, current = current, -1
        return opened
    except OSError:
        return None
    finally:
        if current >= 0:
            os.close(current)


def _open_cache_dir(state_dir: Path, create: bool) -> int | None:
    if create:
        try:  # as the progress store would: the folders above with the usual modes
            state_dir.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
    state = open_private_dir(state_dir, create=create)
    if state is None:
        return None
    try:
        if create:
            try:
                os.mkdir(CACHE_FOLDER, 0o700, dir_fd=state)
            except FileExistsError:
                pass
        folder = os.open(CACHE_FOLDER, _DIR_FLAGS, dir_fd=state)
    except OSError:
        return None
    finally:
        os.close(state)
    try:
        if _ours(os.fstat(folder)):
            return folder
    except OSError:
        pass
    os.close(folder)
    return None


# --- reading -------------------------------------------------------------------------
class _PackUnpickler(pickle.Unpickler):
    """Builds only the pack's own classes; any other name in the stream is refused."""

    def find_class(self, module_name: str, name: str) -> Any:
        if module_name == model.__name__:
            found = getattr(model, name, None)
            if isinstance(found, type) and found.__module__ == model.__name__:
                return found
        elif module_name == __name__ and name == CachedPack.__name__:
            return CachedPack
        elif (module_name, name) == STRUCT_REBUILD:
            return super().find_class(module_name, name)
        raise pickle.UnpicklingError(f"a pack cache may not name {module_name}.{name}")


def read_entry(state_dir: Path, name: str) -> CachedPack | None:
    """The cached pack called `name`, or None (missing, damaged or not to be trusted)."""
    folder = _open_cache_dir(state_dir, create=False)
    if folder is None:
        return None
    try:
        descriptor = os.open(name, _FILE_FLAGS, dir_fd=folder)
    except OSError:
        os.close(folder)
        return None
    os.close(folder)
    try:
        info = os.fstat(descriptor)
        if not (stat.S_ISREG(info.st_mode) and _ours(info)):
            return None
        with io.FileIO(descriptor, "rb", closefd=False) as raw:
            data = raw.readall()
    except OSError:
        return None
    finally:
        os.close(descriptor)
    try:
        with gc_paused():
            cached = _PackUnpickler(io.BytesIO(data)).load()
    except Exception:  # any damage to a cache entry just means "load normally"
        return None
    return cached if isinstance(cached, CachedPack) else None


# --- writing -------------------------------------------------------------------------
def write_entry(state_dir: Path, name: str, cached: CachedPack) -> None:
    folder = _open_cache_dir(state_dir, create=True)
    if folder is None:
        return
    temporary = f".{name}.{os.getpid()}.tmp"
    try:
        descriptor = os.open(
            temporary,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
            0o600,
            dir_fd=folder,
        )
        try:
            with open(descriptor, "wb", closefd=False) as handle:
                pickle.dump(cached, handle, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os.close(descriptor)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        _prune(folder, keep=name)
    except OSError:
        try:
            os.unlink(temporary, dir_fd=folder)
        except OSError:
            pass
    finally:
        os.close(folder)


def _prune(folder: int, keep: str) -> None:
    """Keep the newest entries; remove temporary files their writers left behind."""
    entries: list[tuple[float, str]] = []
    now = time.time()
    with os.scandir(folder) as listing:
        for item in listing:
            try:
                info = item.stat(follow_symlinks=False)
            except OSError:
                continue
            if item.name.endswith(SUFFIX):
                entries.append((info.st_mtime, item.name))
            elif item.name.endswith(".tmp") and _abandoned(item.name, now - info.st_mtime):
                _remove(folder, item.name)
    entries.sort(reverse=True)
    for _, old in entries[KEEP_ENTRIES:]:
        if old != keep:
            _remove(folder, old)


def _abandoned(name: str, age: float) -> bool:
    """A `.<entry>.<pid>.tmp` whose writer is gone (or that is very old)."""
    if age > STALE_TEMPORARY_SECONDS:
        return True
    try:
        pid = int(name.rsplit(".", 2)[-2])
    except (ValueError, IndexError):
        return True
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, someone else's
    return False


def _remove(folder: int, name: str) -> None:
    try:
        os.unlink(name, dir_fd=folder)
    except OSError:
        pass
