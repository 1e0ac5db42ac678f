"""The SQLite progress store: what is saved, reloaded, merged and forgotten."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from thaw_tui.progress import PackDelta, Position
from thaw_tui.progress.store import (
    DB_FILENAME,
    SqliteProgress,
    open_progress,
    pack_delta,
    reset_progress,
)


def open_store(state: Path, reader: str = "alice", pack: str = "thaw") -> SqliteProgress:
    progress = open_progress(state, reader, pack)
    assert isinstance(progress, SqliteProgress), progress.notices
    assert progress.persistent
    assert progress.notices == []
    return progress


def reopen_seen(state: Path, reader: str = "alice", pack: str = "thaw") -> set[str]:
    progress = open_store(state, reader, pack)
    try:
        return set(progress.seen)
    finally:
        progress.close()


# --- each change is saved at once --------------------------------------------------
def test_marks_are_saved_without_closing(tmp_path: Path) -> None:
    progress = open_store(tmp_path)
    progress.mark(["event-a", "actor-b"])
    # Still open, never closed: another connection already sees the commit.
    assert reopen_seen(tmp_path) == {"event-a", "actor-b"}
    progress.close()


def test_unmark_and_toggle_are_saved(tmp_path: Path) -> None:
    progress = open_store(tmp_path)
    progress.mark(["a", "b", "c"])
    progress.mark(["b"], seen=False)
    assert progress.toggle("c") is False
    assert progress.toggle("d") is True
    progress.close()
    assert reopen_seen(tmp_path) == {"a", "d"}


def test_undo_is_saved(tmp_path: Path) -> None:
    progress = open_store(tmp_path)
    progress.mark(["a"])
    progress.mark(["b", "c"])
    progress.mark(["a"], seen=False)
    assert sorted(progress.undo()) == ["a"]
    assert sorted(progress.undo()) == ["b", "c"]
    assert reopen_seen(tmp_path) == {"a"}
    progress.close()


def test_undo_stack_belongs_to_the_session(tmp_path: Path) -> None:
    first = open_store(tmp_path)
    first.mark(["a"])
    first.close()
    second = open_store(tmp_path)
    assert second.undo() == []
    assert second.seen == {"a"}
    second.close()


def test_reset_forgets_items_and_position_but_not_other_readers(tmp_path: Path) -> None:
    alice = open_store(tmp_path, "alice")
    alice.mark(["a", "b"])
    alice.remember_position(Position("timeline", "a", None))
    bob = open_store(tmp_path, "bob")
    bob.mark(["a"])
    alice.reset()
    assert alice.seen == set()
    assert alice.position is None
    assert alice.undo() == []
    alice.close()
    bob.close()
    reopened = open_store(tmp_path, "alice")
    assert reopened.seen == set()
    assert reopened.position is None
    reopened.close()
    assert reopen_seen(tmp_path, "bob") == {"a"}


def test_reset_progress_counts_rows_and_spares_other_packs(tmp_path: Path) -> None:
    progress = open_store(tmp_path, "alice", "thaw")
    progress.mark(["a", "b", "c"])
    progress.mark(["c"], seen=False)  # an explicit "unseen" row is a row too
    progress.close()
    other_pack = open_store(tmp_path, "alice", "other")
    other_pack.mark(["a"])
    other_pack.close()
    assert reset_progress(tmp_path, "alice", "thaw") == 3
    assert reopen_seen(tmp_path, "alice", "thaw") == set()
    assert reopen_seen(tmp_path, "alice", "other") == {"a"}
    assert reset_progress(tmp_path, "alice", "thaw") == 0


def test_reset_progress_without_a_file_creates_nothing(tmp_path: Path) -> None:
    state = tmp_path / "state"
    assert reset_progress(state, "alice", "thaw") == 0
    assert not state.exists()


# --- position and settings -------------------------------------------------------------
def test_position_is_saved_on_every_change(tmp_path: Path) -> None:
    progress = open_store(tmp_path)
    assert progress.position is None
    progress.remember_position(Position("timeline", "event-a", None))
    progress.remember_position(Position("threads", "event-b", "why-the-thaw-stalled"))
    reopened = open_store(tmp_path)
    assert reopened.position == Position("threads", "event-b", "why-the-thaw-stalled")
    reopened.close()
    progress.remember_position(Position(None, None, None))
    reopened = open_store(tmp_path)
    assert reopened.position == Position(None, None, None)
    reopened.close()
    progress.close()


def test_position_is_per_pack(tmp_path: Path) -> None:
    thaw = open_store(tmp_path, pack="thaw")
    thaw.remember_position(Position("actors", "actor-a", None))
    thaw.close()
    other = open_store(tmp_path, pack="other")
    assert other.position is None
    other.close()


def test_settings_are_saved_per_reader_across_packs(tmp_path: Path) -> None:
    progress = open_store(tmp_path, "alice", "thaw")
    progress.remember_setting("theme", "nord")
    progress.close()
    other_pack = open_store(tmp_path, "alice", "other")
    assert other_pack.settings == {"theme": "nord"}
    other_pack.close()
    bob = open_store(tmp_path, "bob", "thaw")
    assert bob.settings == {}
    bob.close()


# --- what changed in the pack since last time -------------------------------------------
def test_note_pack_first_run_reports_nothing_new(tmp_path: Path) -> None:
    progress = open_store(tmp_path)
    assert progress.note_pack("1", {"a": "h1", "b": "h2"}) == PackDelta()
    progress.close()


def test_note_pack_reports_new_and_changed_since_previous_session(tmp_path: Path) -> None:
    progress = open_store(tmp_path)
    progress.note_pack("1", {"a": "h1", "b": "h2", "gone": "h3"})
    progress.mark(["b"])
    progress.close()
    progress = open_store(tmp_path)
    delta = progress.note_pack("2", {"a": "h1", "b": "h2-edited", "c": "h4"})
    assert delta == PackDelta(new=frozenset({"c"}), changed=frozenset({"b"}))
    progress.close()
    # The current fingerprints were stored: the same pack again brings nothing.
    progress = open_store(tmp_path)
    assert progress.note_pack("2", {"a": "h1", "b": "h2-edited", "c": "h4"}) == PackDelta()
    # An item that left the pack and came back: seen before, so changed rather than new.
    progress.mark(["gone"])
    delta = progress.note_pack("3", {"a": "h1", "gone": "h3"})
    assert delta == PackDelta(new=frozenset(), changed=frozenset({"gone"}))
    progress.close()


def test_note_pack_is_per_reader(tmp_path: Path) -> None:
    alice = open_store(tmp_path, "alice")
    alice.note_pack("1", {"a": "h1"})
    alice.close()
    bob = open_store(tmp_path, "bob")
    assert bob.note_pack("2", {"a": "h1", "b": "h2"}) == PackDelta()
    bob.close()


def test_pack_delta_rules() -> None:
    previous = {"same": "1", "edited": "1", "seen-edited": "1"}
    current = {"same": "1", "edited": "2", "seen-edited": "2", "fresh": "1", "back": "1"}
    delta = pack_delta(previous, current, seen={"seen-edited", "back"})
    assert delta.new == {"fresh"}
    assert delta.changed == {"edited", "seen-edited", "back"}
    assert pack_delta(None, current, seen=set()) == PackDelta()


# --- two sessions of one reader, and different readers ----------------------------------
def test_two_sessions_of_one_reader_merge(tmp_path: Path) -> None:
    first = open_store(tmp_path)
    second = open_store(tmp_path)
    first.mark(["x"])
    second.mark(["y"])
    # Neither session overwrote the other's item.
    assert reopen_seen(tmp_path) == {"x", "y"}
    second.refresh()
    assert second.seen == {"x", "y"}
    second.mark(["x"], seen=False)  # an explicit "unseen" from the other session
    first.refresh()
    assert first.seen == {"y"}
    # The first session's later change to another item leaves x unseen.
    first.mark(["z"])
    first.close()
    second.close()
    assert reopen_seen(tmp_path) == {"y", "z"}


def test_refresh_without_outside_changes_keeps_state(tmp_path: Path) -> None:
    progress = open_store(tmp_path)
    progress.mark(["a"])
    progress.refresh()
    assert progress.seen == {"a"}
    progress.close()


def test_readers_and_packs_are_separate(tmp_path: Path) -> None:
    alice = open_store(tmp_path, "alice", "thaw")
    alice.mark(["a"])
    bob = open_store(tmp_path, "SHA256:bobKeyFingerprint", "thaw")
    bob.mark(["b"])
    other_pack = open_store(tmp_path, "alice", "other")
    other_pack.mark(["c"])
    for progress in (alice, bob, other_pack):
        progress.refresh()
        progress.close()
    assert reopen_seen(tmp_path, "alice", "thaw") == {"a"}
    assert reopen_seen(tmp_path, "SHA256:bobKeyFingerprint", "thaw") == {"b"}
    assert reopen_seen(tmp_path, "alice", "other") == {"c"}


def test_reader_ids_are_only_data(tmp_path: Path) -> None:
    hostile = [
        "../../escape",
        "x'); DROP TABLE item_state; --",
        "SHA256:a/b+c=",
        "\x1b[31m",
        "caf\udce9",  # an undecodable byte from argv
        "",
    ]
    for index, reader in enumerate(hostile):
        progress = open_store(tmp_path, reader)
        progress.mark([f"item-{index}"])
        progress.close()
    for index, reader in enumerate(hostile):
        assert reopen_seen(tmp_path, reader) == {f"item-{index}"}
    names = sorted(p.name for p in tmp_path.iterdir())
    assert set(names) <= {DB_FILENAME, DB_FILENAME + "-wal", DB_FILENAME + "-shm"}
    assert not (tmp_path.parent / "escape").exists()


# --- files and modes --------------------------------------------------------------------
def test_folder_and_files_are_private_even_with_a_loose_umask(tmp_path: Path) -> None:
    state = tmp_path / "nested" / "state"
    old_umask = os.umask(0)
    try:
        progress = open_store(state)
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
    open_store(tmp_path).close()
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
