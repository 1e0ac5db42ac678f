"""What every progress store saves, reloads, merges and forgets: run once per backend.

The `store` fixture is SQLite in a temporary folder, then PostgreSQL in a fresh schema
of a real server (`tests/support/postgres_server.py`). A store may write in the
background (PostgreSQL does): `flush()` waits for what was made so far, and is
instant where each change is written as it is made. SQLite's files and damage are
tested in `test_store_sqlite_files.py` and `test_store_damage.py`; PostgreSQL's
outages and transactions in `test_store_postgres.py`.
"""

from __future__ import annotations

from support.progress_stores import StoreUnderTest

from thaw_tui.progress import PackDelta, Position
from thaw_tui.progress.store import pack_delta


# --- each change is saved as it is made ----------------------------------------------
def test_marks_are_saved_without_closing(store: StoreUnderTest) -> None:
    progress = store.open()
    progress.mark(["event-a", "actor-b"])
    assert progress.flush(5)
    # Still open, never closed: another session already sees the commit.
    assert store.seen() == {"event-a", "actor-b"}
    progress.close()


def test_unmark_and_toggle_are_saved(store: StoreUnderTest) -> None:
    progress = store.open()
    progress.mark(["a", "b", "c"])
    progress.mark(["b"], seen=False)
    assert progress.toggle("c") is False
    assert progress.toggle("d") is True
    progress.close()
    assert store.seen() == {"a", "d"}


def test_undo_is_saved(store: StoreUnderTest) -> None:
    progress = store.open()
    progress.mark(["a"])
    progress.mark(["b", "c"])
    progress.mark(["a"], seen=False)
    assert sorted(progress.undo()) == ["a"]
    assert sorted(progress.undo()) == ["b", "c"]
    assert progress.flush(5)
    assert store.seen() == {"a"}
    progress.close()


def test_undo_stack_belongs_to_the_session(store: StoreUnderTest) -> None:
    first = store.open()
    first.mark(["a"])
    first.close()
    second = store.open()
    assert second.undo() == []
    assert second.seen == {"a"}
    second.close()


def test_close_saves_everything_and_says_nothing(store: StoreUnderTest) -> None:
    progress = store.open()
    for index in range(50):
        progress.mark([f"item-{index}"])
    progress.close()
    assert progress.exit_notice is None
    assert store.seen() == {f"item-{index}" for index in range(50)}


# --- reset ------------------------------------------------------------------------------
def test_reset_forgets_items_and_position_but_not_other_readers(store: StoreUnderTest) -> None:
    alice = store.open("alice")
    alice.mark(["a", "b"])
    alice.remember_position(Position("timeline", "a", None))
    bob = store.open("bob")
    bob.mark(["a"])
    alice.reset()
    assert alice.seen == set()
    assert alice.position is None
    assert alice.undo() == []
    alice.close()
    bob.close()
    reopened = store.open("alice")
    assert reopened.seen == set()
    assert reopened.position is None
    reopened.close()
    assert store.seen("bob") == {"a"}


def test_marks_after_a_reset_are_kept(store: StoreUnderTest) -> None:
    progress = store.open()
    progress.mark(["a", "b"])
    progress.reset()
    progress.mark(["c"])
    progress.close()
    assert store.seen() == {"c"}


def test_reset_progress_counts_rows_and_spares_other_packs(store: StoreUnderTest) -> None:
    progress = store.open("alice", "thaw")
    progress.mark(["a", "b", "c"])
    progress.mark(["c"], seen=False)  # an explicit "unseen" row is a row too
    progress.close()
    other_pack = store.open("alice", "other")
    other_pack.mark(["a"])
    other_pack.close()
    assert store.reset("alice", "thaw") == 3
    assert store.seen("alice", "thaw") == set()
    assert store.seen("alice", "other") == {"a"}
    assert store.reset("alice", "thaw") == 0


# --- position and settings -------------------------------------------------------------
def test_position_is_saved_on_every_change(store: StoreUnderTest) -> None:
    progress = store.open()
    assert progress.position is None
    progress.remember_position(Position("timeline", "event-a", None))
    progress.remember_position(Position("threads", "event-b", "why-the-thaw-stalled"))
    assert progress.flush(5)
    reopened = store.open()
    assert reopened.position == Position("threads", "event-b", "why-the-thaw-stalled")
    reopened.close()
    progress.remember_position(Position(None, None, None))
    assert progress.flush(5)
    reopened = store.open()
    assert reopened.position == Position(None, None, None)
    reopened.close()
    progress.close()


def test_position_is_per_pack(store: StoreUnderTest) -> None:
    thaw = store.open(pack="thaw")
    thaw.remember_position(Position("actors", "actor-a", None))
    thaw.close()
    other = store.open(pack="other")
    assert other.position is None
    other.close()


def test_settings_are_saved_per_reader_across_packs(store: StoreUnderTest) -> None:
    progress = store.open("alice", "thaw")
    progress.remember_setting("theme", "nord")
    progress.close()
    other_pack = store.open("alice", "other")
    assert other_pack.settings == {"theme": "nord"}
    other_pack.close()
    bob = store.open("bob", "thaw")
    assert bob.settings == {}
    bob.close()


def test_a_setting_from_another_session_arrives_on_refresh(store: StoreUnderTest) -> None:
    first = store.open()
    second = store.open()
    first.remember_setting("theme", "gruvbox")
    assert first.flush(5)
    second.refresh()
    assert second.settings == {"theme": "gruvbox"}
    first.close()
    second.close()


# --- what changed in the pack since last time -------------------------------------------
def test_note_pack_first_run_reports_nothing_new(store: StoreUnderTest) -> None:
    progress = store.open()
    assert progress.note_pack("1", {"a": "h1", "b": "h2"}) == PackDelta()
    progress.close()


def test_note_pack_reports_new_and_changed_since_previous_session(store: StoreUnderTest) -> None:
    progress = store.open()
    progress.note_pack("1", {"a": "h1", "b": "h2", "gone": "h3"})
    progress.mark(["b"])
    progress.close()
    progress = store.open()
    delta = progress.note_pack("2", {"a": "h1", "b": "h2-edited", "c": "h4"})
    assert delta == PackDelta(new=frozenset({"c"}), changed=frozenset({"b"}))
    progress.close()
    # The current fingerprints were stored: the same pack again brings nothing.
    progress = store.open()
    assert progress.note_pack("2", {"a": "h1", "b": "h2-edited", "c": "h4"}) == PackDelta()
    # An item that left the pack and came back: seen before, so changed rather than new.
    progress.mark(["gone"])
    delta = progress.note_pack("3", {"a": "h1", "gone": "h3"})
    assert delta == PackDelta(new=frozenset(), changed=frozenset({"gone"}))
    progress.close()


def test_note_pack_is_per_reader(store: StoreUnderTest) -> None:
    alice = store.open("alice")
    alice.note_pack("1", {"a": "h1"})
    alice.close()
    bob = store.open("bob")
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
def test_two_sessions_of_one_reader_merge(store: StoreUnderTest) -> None:
    first = store.open()
    second = store.open()
    first.mark(["x"])
    second.mark(["y"])
    assert first.flush(5) and second.flush(5)
    # Neither session overwrote the other's item.
    assert store.seen() == {"x", "y"}
    second.refresh()
    assert second.seen == {"x", "y"}
    second.mark(["x"], seen=False)  # an explicit "unseen" from the other session
    assert second.flush(5)
    first.refresh()
    assert first.seen == {"y"}
    # The first session's later change to another item leaves x unseen.
    first.mark(["z"])
    first.close()
    second.close()
    assert store.seen() == {"y", "z"}


def test_an_unsaved_change_stays_on_top_of_what_refresh_reads(store: StoreUnderTest) -> None:
    first = store.open()
    second = store.open()
    second.mark(["from-second"])
    assert second.flush(5)
    first.mark(["from-first"])
    first.refresh()  # whether or not its own mark is written yet, it is still shown
    assert first.seen == {"from-first", "from-second"}
    first.close()
    second.close()


def test_refresh_without_outside_changes_keeps_state(store: StoreUnderTest) -> None:
    progress = store.open()
    progress.mark(["a"])
    progress.refresh()
    assert progress.seen == {"a"}
    progress.close()


def test_readers_and_packs_are_separate(store: StoreUnderTest) -> None:
    alice = store.open("alice", "thaw")
    alice.mark(["a"])
    bob = store.open("SHA256:bobKeyFingerprint", "thaw")
    bob.mark(["b"])
    other_pack = store.open("alice", "other")
    other_pack.mark(["c"])
    for progress in (alice, bob, other_pack):
        progress.refresh()
        progress.close()
    assert store.seen("alice", "thaw") == {"a"}
    assert store.seen("SHA256:bobKeyFingerprint", "thaw") == {"b"}
    assert store.seen("alice", "other") == {"c"}


HOSTILE_READERS = [
    "../../escape",
    "x'); DROP TABLE item_state; --",
    "x'); DROP TABLE thaw_item_state; --",
    "SHA256:a/b+c=",
    "\x1b[31m",
    "caf\udce9",  # an undecodable byte from argv
    "",
]


def test_reader_ids_are_only_data(store: StoreUnderTest) -> None:
    for index, reader in enumerate(HOSTILE_READERS):
        progress = store.open(reader)
        progress.mark([f"item-{index}"])
        progress.close()
    for index, reader in enumerate(HOSTILE_READERS):
        assert store.seen(reader) == {f"item-{index}"}
