"""The progress store when the disk is not kind: damaged, newer, unwritable or symlinked."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from thaw_tui.progress import Progress
from thaw_tui.progress.files import FileIdentity, ensure_db_file, move_aside
from thaw_tui.progress.schema import SCHEMA_VERSION, connect
from thaw_tui.progress.store import (
    DB_FILENAME,
    ProgressStoreError,
    SqliteProgress,
    open_progress,
    reset_progress,
)


def saved_store(state: Path, seen: list[str], reader: str = "alice") -> None:
    progress = open_progress(state, reader, "thaw")
    assert isinstance(progress, SqliteProgress) and progress.persistent
    progress.mark(seen)
    progress.close()


def corrupt_copies(state: Path) -> list[Path]:
    return sorted(p for p in state.iterdir() if ".corrupt-" in p.name)


def assert_started_fresh(state: Path, original: bytes) -> SqliteProgress:
    """The damaged file is set aside byte for byte, one notice says where, and saving works."""
    progress = open_progress(state, "alice", "thaw")
    assert isinstance(progress, SqliteProgress)
    assert progress.persistent
    assert progress.seen == set()
    [aside] = [p for p in corrupt_copies(state) if not p.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes() == original
    assert progress.notices == [
        f"Your progress file was unreadable; it was moved to {aside} and thaw started fresh."
    ]
    progress.mark(["after"])
    progress.close()
    reopened = open_progress(state, "alice", "thaw")
    assert reopened.seen == {"after"} and reopened.notices == []
    reopened.close()
    return progress


# --- unreadable files are moved aside ------------------------------------------------
def test_truncated_database(tmp_path: Path) -> None:
    saved_store(tmp_path, [f"item-{i}" for i in range(3000)])
    db = tmp_path / DB_FILENAME
    original = db.read_bytes()[: db.stat().st_size // 2]
    db.write_bytes(original)
    assert_started_fresh(tmp_path, original)


def test_garbage_bytes(tmp_path: Path) -> None:
    original = bytes(range(256)) * 64
    (tmp_path / DB_FILENAME).write_bytes(original)
    assert_started_fresh(tmp_path, original)


def test_damaged_page_inside_the_readers_rows(tmp_path: Path) -> None:
    saved_store(tmp_path, [f"item-{i:05}" for i in range(3000)])
    db = tmp_path / DB_FILENAME
    data = bytearray(db.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for page in range(2, len(data) // page_size):  # every page but the header and schema
        start = page * page_size
        data[start : start + 8] = b"\xff" * 8
    db.write_bytes(bytes(data))
    assert_started_fresh(tmp_path, bytes(data))


@pytest.mark.parametrize(
    "damage",
    [
        "DROP TABLE position",
        "ALTER TABLE item_state RENAME COLUMN seen TO was_seen",
        "CREATE TABLE extra (x)",
    ],
    ids=["table-missing", "column-wrong", "table-unknown"],
)
def test_wrong_schema(tmp_path: Path, damage: str) -> None:
    saved_store(tmp_path, ["a"])
    db = tmp_path / DB_FILENAME
    with sqlite3.connect(db) as conn:
        conn.execute(damage)
    conn.close()
    original = db.read_bytes()
    assert_started_fresh(tmp_path, original)


def test_someone_elses_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / DB_FILENAME
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    assert_started_fresh(tmp_path, db.read_bytes())


def test_moved_aside_with_its_log_files(tmp_path: Path) -> None:
    db = tmp_path / DB_FILENAME
    db.write_bytes(b"not a database at all" * 100)
    (tmp_path / (DB_FILENAME + "-wal")).write_bytes(b"old log")
    (tmp_path / (DB_FILENAME + "-shm")).write_bytes(b"old index")
    progress = open_progress(tmp_path, "alice", "thaw")
    assert progress.persistent
    [aside] = [p for p in corrupt_copies(tmp_path) if not p.name.endswith(("-wal", "-shm"))]
    assert Path(f"{aside}-wal").read_bytes() == b"old log"
    assert Path(f"{aside}-shm").exists()  # SQLite rebuilds this index; only the log matters
    progress.close()


def test_aside_name_is_utc_stamped_and_never_overwrites(tmp_path: Path) -> None:
    when = datetime(2026, 11, 28, 5, 6, 7, tzinfo=UTC)
    earlier = tmp_path / f"{DB_FILENAME}.corrupt-20261128T050607Z"
    earlier.write_bytes(b"an earlier damaged file")
    db = tmp_path / DB_FILENAME
    db.write_bytes(b"garbage")
    moved = move_aside(db, ensure_db_file(db), now=when)
    assert moved == tmp_path / f"{DB_FILENAME}.corrupt-20261128T050607Z-2"
    assert moved.read_bytes() == b"garbage"
    assert earlier.read_bytes() == b"an earlier damaged file"
    assert not db.exists()


def test_move_aside_leaves_a_file_another_session_replaced(tmp_path: Path) -> None:
    db = tmp_path / DB_FILENAME
    db.write_bytes(b"fresh database of another session")
    stale = FileIdentity(device=db.stat().st_dev, inode=db.stat().st_ino + 1)
    assert move_aside(db, stale) is None
    assert db.read_bytes() == b"fresh database of another session"


def test_zero_length_file_is_simply_a_new_database(tmp_path: Path) -> None:
    (tmp_path / DB_FILENAME).write_bytes(b"")
    progress = open_progress(tmp_path, "alice", "thaw")
    assert progress.persistent and progress.notices == []
    assert corrupt_copies(tmp_path) == []
    progress.close()


# --- a database from a newer thaw ------------------------------------------------------
def test_newer_database_is_read_but_never_written(tmp_path: Path) -> None:
    saved_store(tmp_path, ["a", "b"])
    db = tmp_path / DB_FILENAME
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = db.read_bytes()
    progress = open_progress(tmp_path, "alice", "thaw")
    assert isinstance(progress, SqliteProgress)
    assert not progress.persistent
    assert progress.seen == {"a", "b"}
    [notice] = progress.notices
    assert "newer version of thaw" in notice and "will not be saved" in notice
    progress.mark(["c"])
    progress.mark(["a"], seen=False)
    assert progress.note_pack("9", {"c": "h"}).new == frozenset()
    progress.refresh()  # in-memory changes stay on top of what the file holds
    assert progress.seen == {"b", "c"}
    assert progress.undo() == ["a"]
    assert progress.seen == {"a", "b", "c"}
    assert len(progress.notices) == 1
    progress.close()
    assert db.read_bytes() == before
    assert corrupt_copies(tmp_path) == []


def test_newer_database_with_unknown_tables_starts_empty_in_memory(tmp_path: Path) -> None:
    db = tmp_path / DB_FILENAME
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE progress_v9 (anything)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    progress = open_progress(tmp_path, "alice", "thaw")
    assert not progress.persistent
    assert len(progress.notices) == 1 and "newer version" in progress.notices[0]
    progress.mark(["a"])
    assert progress.seen == {"a"}
    progress.close()
    assert db.read_bytes() == before


# --- a file that cannot be written ---------------------------------------------------------
def test_unwritable_database_keeps_progress_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_store(tmp_path, ["a"])
    # What a read-only folder or file looks like to SQLite; chmod alone does not stop root.

    def connect_read_only(
        path: Path, read_only: bool, immutable: bool = False
    ) -> sqlite3.Connection:
        return connect(path, read_only=True, immutable=immutable)

    monkeypatch.setattr("thaw_tui.progress.store.connect", connect_read_only)
    progress = open_progress(tmp_path, "alice", "thaw")
    assert isinstance(progress, SqliteProgress)
    assert not progress.persistent
    assert progress.seen == {"a"}  # what was saved before is still shown
    [notice] = progress.notices
    assert "cannot be written" in notice and "readonly" in notice
    progress.mark(["b"])
    progress.refresh()
    assert progress.seen == {"a", "b"}
    assert len(progress.notices) == 1
    progress.close()
    monkeypatch.undo()
    reopened = open_progress(tmp_path, "alice", "thaw")
    assert reopened.seen == {"a"} and reopened.persistent
    reopened.close()


def test_disk_full_in_the_middle_of_a_session(tmp_path: Path) -> None:
    """A real write failure: the child caps its own file size (RLIMIT_FSIZE binds root too)."""
    child = textwrap.dedent(
        f"""
        import resource, signal, sys
        from pathlib import Path
        from thaw_tui.progress.store import open_progress
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        progress = open_progress(Path({str(tmp_path)!r}), "alice", "thaw")
        progress.mark(["before"])
        limit = max(p.stat().st_size for p in Path({str(tmp_path)!r}).iterdir())
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        for i in range(200):
            progress.mark([f"item-{{i}}-" + "x" * 200])
        print(progress.persistent, len(progress.seen), len(progress.notices))
        print(progress.notices[-1])
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, timeout=60, check=True
    )
    persistent, seen_count, notice_count = result.stdout.splitlines()[0].split()
    assert (persistent, seen_count, notice_count) == ("False", "201", "1")
    assert "could not be saved" in result.stdout and "kept only until you quit" in result.stdout
    reopened = open_progress(tmp_path, "alice", "thaw")
    assert "before" in reopened.seen and reopened.persistent
    reopened.close()


def test_state_path_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("not a folder")
    for state in (blocker, blocker / "inner"):
        progress = open_progress(state, "alice", "thaw")
        assert type(progress) is Progress
        assert not progress.persistent
        [notice] = progress.notices
        assert str(state) in notice and "will not be saved" in notice
        progress.mark(["a"])
        assert progress.seen == {"a"}
    assert blocker.read_text() == "not a folder"


# --- symlinks are never followed ----------------------------------------------------------
def test_symlinked_state_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    link = tmp_path / "state"
    link.symlink_to(target)
    progress = open_progress(link, "alice", "thaw")
    assert type(progress) is Progress and not progress.persistent
    [notice] = progress.notices
    assert "symbolic link" in notice and str(link) in notice
    assert list(target.iterdir()) == []


@pytest.mark.parametrize("name", [DB_FILENAME, DB_FILENAME + "-wal"])
def test_symlinked_database_files_are_refused(tmp_path: Path, name: str) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    state = tmp_path / "state"
    state.mkdir()
    (state / name).symlink_to(target)
    progress = open_progress(state, "alice", "thaw")
    assert type(progress) is Progress and not progress.persistent
    [notice] = progress.notices
    assert "symbolic link" in notice
    assert target.read_text() == "keep me"
    assert sorted(p.name for p in state.iterdir()) == [name]


# --- thaw --reset-progress on a file it must not change ------------------------------------
def test_reset_progress_refuses_a_newer_database(tmp_path: Path) -> None:
    saved_store(tmp_path, ["a"])
    db = tmp_path / DB_FILENAME
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(ProgressStoreError, match="newer version of thaw"):
        reset_progress(tmp_path, "alice", "thaw")
    assert db.read_bytes() == before


def test_reset_progress_refuses_a_symlinked_folder(tmp_path: Path) -> None:
    real = tmp_path / "real"
    saved_store(real, ["a"])
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(ProgressStoreError, match="symbolic link"):
        reset_progress(link, "alice", "thaw")
    reopened = open_progress(real, "alice", "thaw")
    assert reopened.seen == {"a"}
    reopened.close()
