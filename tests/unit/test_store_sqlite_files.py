"""The SQLite store's files: where they go, their modes, and what is never created."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support.progress_stores import StoreUnderTest
from test_store import HOSTILE_READERS

from thaw_tui.progress.store import DB_FILENAME, reset_progress


def sqlite_store(state: Path) -> StoreUnderTest:
    return StoreUnderTest("sqlite", state, None)


def test_reader_ids_never_become_file_names(tmp_path: Path) -> None:
    store = sqlite_store(tmp_path)
    for index, reader in enumerate(HOSTILE_READERS):
        progress = store.open(reader)
        progress.mark([f"item-{index}"])
        progress.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert set(names) <= {DB_FILENAME, DB_FILENAME + "-wal", DB_FILENAME + "-shm"}
    assert not (tmp_path.parent / "escape").exists()


def test_reset_progress_without_a_file_creates_nothing(tmp_path: Path) -> None:
    state = tmp_path / "state"
    assert reset_progress(state, "alice", "thaw") == 0
    assert not state.exists()


def test_folder_and_files_are_private_even_with_a_loose_umask(tmp_path: Path) -> None:
    state = tmp_path / "nested" / "state"
    old_umask = os.umask(0)
    try:
        progress = sqlite_store(state).open()
        progress.mark(["a"])  # makes SQLite create its -wal and -shm files
        try:
            assert state.stat().st_mode & 0o777 == 0o700
            modes = {p.name: p.stat().st_mode & 0o777 for p in state.iterdir()}
            assert DB_FILENAME + "-wal" in modes
            assert modes == dict.fromkeys(modes, 0o600)
        finally:
            progress.close()
    finally:
        os.umask(old_umask)


def test_uses_write_ahead_logging(tmp_path: Path) -> None:
    sqlite_store(tmp_path).open().close()
    header = (tmp_path / DB_FILENAME).read_bytes()[:20]
    assert header.startswith(b"SQLite format 3\x00")
    assert header[18:20] == b"\x02\x02"  # read/write format versions 2 mean WAL


def test_import_touches_no_disk(tmp_path: Path) -> None:
    state = tmp_path / "state"
    env = {**os.environ, "THAW_STATE_DIR": str(state), "HOME": str(tmp_path / "home")}
    subprocess.run(
        [sys.executable, "-c", "import thaw_tui.progress.store"], env=env, check=True, timeout=30
    )
    assert not state.exists()
    assert not (tmp_path / "home").exists()
