"""A private cache of validated packs, so `thaw` starts without YAML or validation.

Reading YAML and checking a pack costs more than the rest of start-up together
(and most of a second for a 10,000-item pack). Once a pack has loaded cleanly, the
resolved `Pack` and its item fingerprints are pickled into the reader's own state
directory, keyed by the pack's files (name, size, modification time), by the
source of the code that builds packs (`builder_digest`) and by the versions of
thaw and Python. Any edit to the pack or its builder changes the key, so a stale
entry is never used; a broken pack is never cached, so its errors always show.

Pickle runs code when loaded, so the cache is only read from a directory that is
ours, not a symlink and writable by nobody else — the same trust as the progress
database beside it. Every cache failure falls back to a normal load, silently.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from thaw_tui import __version__
from thaw_tui.pack.gc_paused import gc_paused
from thaw_tui.pack.model import Pack

# The code that turns YAML into a pickled Pack: every module of this package.
PACK_CODE_DIR = Path(__file__).parent

CACHE_FOLDER = "pack-cache"
KEEP_ENTRIES = 8  # old entries beyond this are pruned when a new one is written


@dataclass(frozen=True)
class CachedPack:
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
    entry = _entry_path(content, state_dir) if state_dir is not None else None
    if entry is not None:
        cached = _read(entry)
        if cached is not None:
            return cached

    from thaw_tui.pack.fingerprint import item_fingerprint
    from thaw_tui.pack.load import load_pack

    pack = load_pack(content)
    fresh = CachedPack(pack, {item.id: item_fingerprint(item) for item in pack})
    if entry is not None:
        _write(entry, fresh)
    return fresh


def _entry_path(content: Path, state_dir: Path) -> Path | None:
    """The cache file for the pack's current files, or None if they can't be listed."""
    key = hashlib.sha256()
    key.update(f"{__version__}\0{sys.version}\0{content.resolve()}\0".encode())
    key.update(builder_digest())
    try:
        with os.scandir(content) as entries:
            files = sorted(
                (e.name, e.stat()) for e in entries if e.name.endswith((".yaml", ".yml"))
            )
    except OSError:
        return None
    for name, info in files:
        key.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return state_dir / CACHE_FOLDER / f"{key.hexdigest()[:32]}.pickle"


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


def _is_private(path: Path, want_dir: bool) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    kind_ok = stat.S_ISDIR(info.st_mode) if want_dir else stat.S_ISREG(info.st_mode)
    return kind_ok and info.st_uid == os.getuid() and not info.st_mode & 0o022


def _read(entry: Path) -> CachedPack | None:
    if not (_is_private(entry.parent.parent, True) and _is_private(entry.parent, True)):
        return None
    if not _is_private(entry, False):
        return None
    try:
        with gc_paused(), entry.open("rb") as handle:
            cached = pickle.load(handle)
    except Exception:  # any damage to a cache entry just means "load normally"
        return None
    return cached if isinstance(cached, CachedPack) else None


def _write(entry: Path, cached: CachedPack) -> None:
    folder = entry.parent
    try:
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        if not (_is_private(folder.parent, True) and _is_private(folder, True)):
            return
        temporary = folder / f".{entry.name}.{os.getpid()}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(cached, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
        _prune(folder, keep=entry)
    except OSError:
        return


def _prune(folder: Path, keep: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        if old != keep:
            old.unlink(missing_ok=True)
