"""Schema versions: older progress files are upgraded in place, newer ones left alone.

`tests/fixtures/stores/progress-v1.sqlite` was saved by thaw at schema version 1. The
"next version" tests add a made-up step on top of the real ones (whatever
SCHEMA_VERSION is), so they keep proving the mechanism after real steps are added.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from thaw_tui.progress import Position, migrations, schema
from thaw_tui.progress.store import (
    DB_FILENAME,
    ProgressStoreError,
    SqliteProgress,
    open_progress,
    reset_progress,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "stores"
V1_STORE = FIXTURES / "progress-v1.sqlite"
ODD_READER = "SHA256:ünï'); DROP TABLE scope;--"

# What make_progress_v1.py saved: (reader, pack) -> seen, position, pack fingerprints,
# and how many item rows reset removes (explicitly unseen rows count too).
V1_CONTENT: dict[tuple[str, str], tuple[set[str], Position | None, dict[str, str], int]] = {
    ("alice", "thaw"): (
        {"a", "b", "c"},
        Position(pane="events", item_id="b", thread_id="t1"),
        {"a": "fa", "b": "fb", "c": "fc", "d": "fd", "e": "fe"},
        4,
    ),
    ("alice", "other-pack"): ({"x"}, Position(pane="threads"), {"x": "fx", "y": "fy"}, 1),
    ("bob", "thaw"): (
        {"a"},
        None,
        {"a": "fa", "b": "fb", "c": "fc", "d": "fd", "e": "fe"},
        2,
    ),
    (ODD_READER, "thaw"): ({"c"}, None, {}, 1),
}
V1_SETTINGS = {
    "alice": {"theme": "nord"},
    "bob": {"theme": "gruvbox", "only_unseen": "1"},
    ODD_READER: {},
}

# A made-up next version: a column with a default, an index, and a table filled by the
# step itself (its row count says how many times the step ran against the file).
NEXT_STEP_SQL = (
    "ALTER TABLE position ADD COLUMN scroll INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX item_state_by_seen ON item_state (scope, seen)",
    "CREATE TABLE upgrade_log (step INTEGER NOT NULL)",
    "INSERT INTO upgrade_log (step) VALUES (1)",
)


def next_step(conn: sqlite3.Connection) -> None:
    for sql in NEXT_STEP_SQL:
        conn.execute(sql)


@pytest.fixture
def next_version(monkeypatch: pytest.MonkeyPatch) -> int:
    """Pretend this thaw knows one more schema version than it ships with."""
    version = schema.SCHEMA_VERSION + 1
    monkeypatch.setattr(migrations, "STEPS", {**migrations.STEPS, version: next_step})
    monkeypatch.setattr(schema, "SCHEMA_VERSION", version)
    return version


@pytest.fixture
def v1_state(tmp_path: Path) -> Path:
    """A state folder holding a copy of the version 1 store."""
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    shutil.copyfile(V1_STORE, state / DB_FILENAME)
    os.chmod(state / DB_FILENAME, 0o600)
    return state


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    """Read the file apart from thaw (read-write only so that, as the last connection to
    close, it tidies away the -wal and -shm files; reading writes nothing)."""
    conn = sqlite3.connect(f"{db.as_uri()}?mode=rw", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def user_version(state: Path) -> int:
    return int(str(query(state / DB_FILENAME, "PRAGMA user_version")[0][0]))


def v1_rows(state: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every version 1 table, by the version 1 columns."""
    return {
        table: sorted(
            query(state / DB_FILENAME, f"SELECT {', '.join(columns)} FROM {table}"), key=repr
        )
        for table, columns in migrations.layout_after(1).items()
    }


def assert_never_written(state: Path, before: bytes) -> None:
    """The file has the same bytes and its log holds nothing: no write reached the disk.

    (A read-only connection leaves an empty -wal and the -shm index behind.)
    """
    assert (state / DB_FILENAME).read_bytes() == before
    wal = state / (DB_FILENAME + "-wal")
    assert not wal.exists() or wal.read_bytes() == b""
    assert {p.name for p in state.iterdir()} <= {DB_FILENAME, wal.name, DB_FILENAME + "-shm"}


def corrupt_copies(state: Path) -> list[Path]:
    return sorted(p for p in state.iterdir() if ".corrupt-" in p.name)


def open_saved(state: Path, reader: str, pack: str) -> SqliteProgress:
    progress = open_progress(state, reader, pack)
    assert isinstance(progress, SqliteProgress)
    assert progress.persistent, progress.notices
    assert progress.notices == []
    return progress


def assert_v1_content_shown(state: Path) -> None:
    """Every reader and pack of the saved store opens writable with what was saved."""
    for (reader, pack), (seen, position, _fingerprints, _rows) in V1_CONTENT.items():
        progress = open_saved(state, reader, pack)
        assert progress.seen == seen, (reader, pack)
        assert progress.position == position, (reader, pack)
        assert progress.settings == V1_SETTINGS[reader], (reader, pack)
        progress.close()


# --- the steps themselves ----------------------------------------------------------------
def test_there_is_one_step_per_version() -> None:
    assert sorted(migrations.STEPS) == list(range(1, schema.SCHEMA_VERSION + 1))


def test_step_1_still_builds_the_layout_version_1_files_have(tmp_path: Path) -> None:
    # A copy: even a read-only open of a WAL store leaves -wal/-shm files beside it.
    saved_store = tmp_path / "progress-v1.sqlite"
    shutil.copyfile(V1_STORE, saved_store)
    conn = sqlite3.connect(saved_store)
    try:
        saved = migrations.read_layout(conn)
    finally:
        conn.close()
    assert set(saved) == {"scope", "item_state", "position", "pack_item", "pack_session", "setting"}
    assert migrations.layout_after(1) == saved


def test_a_new_file_is_built_by_running_every_step(tmp_path: Path) -> None:
    progress = open_saved(tmp_path, "alice", "thaw")
    progress.close()
    assert user_version(tmp_path) == schema.SCHEMA_VERSION
    conn = sqlite3.connect(tmp_path / DB_FILENAME)
    try:
        layout = migrations.read_layout(conn)
    finally:
        conn.close()
    assert layout == migrations.layout_after(schema.SCHEMA_VERSION)


def test_steps_run_only_inside_a_transaction() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        with pytest.raises(RuntimeError, match="inside the caller's transaction"):
            migrations.run_steps(conn, 0, 1)
        assert migrations.read_layout(conn) == {}
    finally:
        conn.close()


# --- (1) a store saved by thaw at version 1 ----------------------------------------------
def test_saved_v1_store_keeps_every_mark_position_setting_and_fingerprint(
    v1_state: Path,
) -> None:
    assert user_version(v1_state) == 1
    before = v1_rows(v1_state)
    assert_v1_content_shown(v1_state)
    assert user_version(v1_state) == schema.SCHEMA_VERSION
    assert v1_rows(v1_state) == before  # explicitly unseen rows and timestamps included
    assert corrupt_copies(v1_state) == []

    # The fingerprints saved last session are what "new" and "changed" are measured from.
    for (reader, pack), (_seen, _position, fingerprints, _rows) in V1_CONTENT.items():
        progress = open_saved(v1_state, reader, pack)
        now = {**fingerprints, "brand-new": "f0"}
        if fingerprints:
            first = sorted(fingerprints)[0]
            now[first] = "edited"
            expected = (frozenset({"brand-new"}), frozenset({first}))
        else:  # never noted a pack: a first session reports nothing new
            expected = (frozenset(), frozenset())
        delta = progress.note_pack("2", now)
        assert (delta.new, delta.changed) == expected, (reader, pack)
        progress.close()

    # Explicitly unseen marks are rows too: a reset counts them.
    for (reader, pack), (_seen, _position, _fingerprints, rows) in V1_CONTENT.items():
        assert reset_progress(v1_state, reader, pack) == rows, (reader, pack)


# --- (2) a made-up next version ----------------------------------------------------------
def test_next_version_upgrades_a_v1_store_in_place(v1_state: Path, next_version: int) -> None:
    before = v1_rows(v1_state)
    assert_v1_content_shown(v1_state)
    db = v1_state / DB_FILENAME
    assert user_version(v1_state) == next_version
    assert v1_rows(v1_state) == before
    assert [row[0] for row in query(db, "SELECT scroll FROM position")] == [0, 0]
    assert query(db, "SELECT name FROM sqlite_master WHERE name = 'item_state_by_seen'")
    assert query(db, "SELECT count(*) FROM upgrade_log") == [(1,)]
    assert corrupt_copies(v1_state) == []

    # Opening again finds nothing to do, and the upgraded file takes new marks.
    progress = open_saved(v1_state, "alice", "thaw")
    progress.mark(["after-upgrade"])
    progress.close()
    assert query(db, "SELECT count(*) FROM upgrade_log") == [(1,)]
    assert open_saved(v1_state, "alice", "thaw").seen == {"a", "b", "c", "after-upgrade"}


def test_next_version_builds_a_new_file_with_every_step(tmp_path: Path, next_version: int) -> None:
    open_saved(tmp_path, "alice", "thaw").close()
    assert user_version(tmp_path) == next_version
    assert query(tmp_path / DB_FILENAME, "SELECT count(*) FROM upgrade_log") == [(1,)]


@pytest.mark.parametrize(
    "damage",
    ["DROP TABLE position", "ALTER TABLE setting RENAME COLUMN value TO val"],
    ids=["table-missing", "column-wrong"],
)
def test_a_damaged_old_store_is_moved_aside_not_upgraded(
    v1_state: Path, next_version: int, damage: str
) -> None:
    db = v1_state / DB_FILENAME
    conn = sqlite3.connect(db)
    conn.execute(damage)
    conn.commit()
    conn.close()
    original = db.read_bytes()
    progress = open_progress(v1_state, "alice", "thaw")
    assert isinstance(progress, SqliteProgress)
    [aside] = [p for p in corrupt_copies(v1_state) if not p.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes() == original
    assert progress.seen == set() and progress.persistent
    assert user_version(v1_state) == next_version
    progress.close()


def test_a_newer_thaw_upgrading_while_we_open_is_not_damage(
    v1_state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between our first look and our write lock, a newer thaw upgrades the file."""
    db = v1_state / DB_FILENAME
    real_inspect = schema.inspect_schema

    def inspect_then_newer_thaw_upgrades(conn: sqlite3.Connection) -> schema.SchemaState:
        state = real_inspect(conn)
        other = sqlite3.connect(db)
        other.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
        other.commit()
        other.close()
        return state

    monkeypatch.setattr("thaw_tui.progress.store.inspect_schema", inspect_then_newer_thaw_upgrades)
    progress = open_progress(v1_state, "alice", "thaw")
    assert isinstance(progress, SqliteProgress) and not progress.persistent
    assert progress.seen == {"a", "b", "c"}
    [notice] = progress.notices
    assert "newer version of thaw" in notice
    progress.close()
    assert corrupt_copies(v1_state) == []


# --- several sessions at once, and a crash part-way --------------------------------------
def session_script(state: Path, *, hold_in_step: bool, wait_for_go: bool) -> str:
    """A session of a thaw that knows the made-up next version, reporting as it opens.

    It says "saw <state>" after its first look at the file and "locking" just before it
    takes the write lock. With `hold_in_step`, the step says "migrating" once it has
    changed the file (lock held, nothing committed) and waits for a line on stdin.
    With `wait_for_go`, it says "started" and waits for a line before opening.
    """
    return textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        from thaw_tui.progress import migrations, schema, store

        def step(conn):
            for sql in {NEXT_STEP_SQL!r}:
                conn.execute(sql)
            on_disk = conn.execute("PRAGMA database_list").fetchone()[2] != ""
            if {hold_in_step!r} and on_disk:
                print("migrating", flush=True)
                sys.stdin.readline()

        version = schema.SCHEMA_VERSION + 1
        migrations.STEPS[version] = step
        schema.SCHEMA_VERSION = version
        real_inspect, real_upgrade = store.inspect_schema, store.upgrade_schema

        def inspect(conn):
            state = real_inspect(conn)
            print("saw", state.value, flush=True)
            return state

        def upgrade(conn):
            print("locking", flush=True)
            return real_upgrade(conn)

        store.inspect_schema, store.upgrade_schema = inspect, upgrade
        if {wait_for_go!r}:
            print("started", flush=True)
            sys.stdin.readline()
        progress = store.open_progress(Path({str(state)!r}), "alice", "thaw")
        print(json.dumps([progress.persistent, sorted(progress.seen), progress.notices]))
        progress.close()
        """
    )


class Session:
    """One child process running `session_script`, read line by line."""

    def __init__(
        self, state: Path, *, hold_in_step: bool = False, wait_for_go: bool = False
    ) -> None:
        script = session_script(state, hold_in_step=hold_in_step, wait_for_go=wait_for_go)
        self.process = subprocess.Popen(
            [sys.executable, "-c", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def expect(self, line: str) -> None:
        assert self.process.stdout is not None
        got = self.process.stdout.readline().strip()
        if got != line:
            self.process.kill()
            _out, errors = self.process.communicate(timeout=30)
            pytest.fail(f"expected {line!r}, got {got!r}: {errors}")

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def result(self) -> tuple[bool, list[str], list[str]]:
        out, errors = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, errors
        persistent, seen, notices = json.loads(out.splitlines()[-1])
        return bool(persistent), list(seen), list(notices)


def test_a_session_opening_during_an_upgrade_does_not_run_it_again(v1_state: Path) -> None:
    first = Session(v1_state, hold_in_step=True)
    for line in ("saw older", "locking", "migrating"):
        first.expect(line)
    # The first session holds the write lock with the step done but not committed.
    second = Session(v1_state)
    second.expect("saw older")  # it too sees version 1 ...
    second.expect("locking")  # ... and goes for the lock the first one holds
    first.send("go")
    for session in (first, second):
        assert session.result() == (True, ["a", "b", "c"], [])
    db = v1_state / DB_FILENAME
    assert query(db, "SELECT count(*) FROM upgrade_log") == [(1,)]
    assert user_version(v1_state) == schema.SCHEMA_VERSION + 1
    assert corrupt_copies(v1_state) == []


def test_many_sessions_opening_an_old_store_at_once_upgrade_it_once(v1_state: Path) -> None:
    sessions = [Session(v1_state, wait_for_go=True) for _ in range(6)]
    for session in sessions:
        session.expect("started")
    for session in sessions:
        session.send("go")
    for session in sessions:
        assert session.result() == (True, ["a", "b", "c"], [])
    assert query(v1_state / DB_FILENAME, "SELECT count(*) FROM upgrade_log") == [(1,)]
    assert user_version(v1_state) == schema.SCHEMA_VERSION + 1


def test_killed_in_the_middle_of_an_upgrade_leaves_the_old_version(
    v1_state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = v1_rows(v1_state)
    session = Session(v1_state, hold_in_step=True)
    for line in ("saw older", "locking", "migrating"):
        session.expect(line)
    os.kill(session.process.pid, signal.SIGKILL)
    session.process.communicate(timeout=30)
    assert session.process.returncode == -signal.SIGKILL

    assert user_version(v1_state) == 1
    assert (
        query(v1_state / DB_FILENAME, "SELECT name FROM sqlite_master WHERE name = 'upgrade_log'")
        == []
    )
    assert v1_rows(v1_state) == before
    # The thaw that knows the next version upgrades it on the next start.
    version = schema.SCHEMA_VERSION + 1
    monkeypatch.setattr(migrations, "STEPS", {**migrations.STEPS, version: next_step})
    monkeypatch.setattr(schema, "SCHEMA_VERSION", version)
    assert_v1_content_shown(v1_state)
    assert user_version(v1_state) == version
    assert corrupt_copies(v1_state) == []


# --- a step that fails -------------------------------------------------------------------
def failing_step(how: str) -> migrations.Step:
    def step(conn: sqlite3.Connection) -> None:
        # Change things first: all of it must be rolled back.
        conn.execute("CREATE TABLE half_done (x)")
        conn.execute("UPDATE item_state SET seen = 0")
        conn.execute("DELETE FROM setting")
        if how == "sql-error":
            conn.execute("SELECT x FROM no_such_table")
        elif how == "python-error":
            raise ValueError("a fingerprint could not be converted")
        elif how == "commits":
            conn.execute("COMMIT")
        elif how == "executescript":
            conn.executescript("CREATE TABLE from_script (x);")

    return step


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("sql-error", "no such table: no_such_table"),
        ("python-error", "a fingerprint could not be converted"),
        ("commits", "not authorized"),
        ("executescript", "not authorized"),
    ],
)
def test_a_failing_step_leaves_the_file_at_its_old_version(
    v1_state: Path, monkeypatch: pytest.MonkeyPatch, how: str, reason: str
) -> None:
    before_rows = v1_rows(v1_state)
    before_bytes = (v1_state / DB_FILENAME).read_bytes()
    version = schema.SCHEMA_VERSION + 1
    monkeypatch.setattr(migrations, "STEPS", {**migrations.STEPS, version: failing_step(how)})
    monkeypatch.setattr(schema, "SCHEMA_VERSION", version)

    progress = open_progress(v1_state, "alice", "thaw")
    assert isinstance(progress, SqliteProgress)
    assert not progress.persistent
    assert progress.seen == {"a", "b", "c"}  # read as it is, nothing lost
    assert progress.settings == {"theme": "nord"}
    [notice] = progress.notices
    assert "from an earlier version of thaw and could not be upgraded" in notice
    assert f"from version 1 to {version} failed at step {version}: {reason}" in notice
    assert "left as it was" in notice and "will not be saved" in notice
    progress.mark(["d"])  # kept in memory for the session, not written
    assert progress.seen == {"a", "b", "c", "d"}
    progress.close()
    with pytest.raises(ProgressStoreError, match="could not be upgraded"):
        reset_progress(v1_state, "alice", "thaw")

    assert_never_written(v1_state, before_bytes)
    assert user_version(v1_state) == 1
    assert v1_rows(v1_state) == before_rows
    assert corrupt_copies(v1_state) == []

    monkeypatch.undo()  # a thaw without the broken step still opens it, with everything
    assert_v1_content_shown(v1_state)


# --- (3) a store from a newer thaw -------------------------------------------------------
@pytest.mark.parametrize("newer_layout", [False, True], ids=["same-tables", "extra-column"])
def test_a_newer_store_is_read_only_and_unchanged_byte_for_byte(
    v1_state: Path, newer_layout: bool
) -> None:
    db = v1_state / DB_FILENAME
    conn = sqlite3.connect(db)
    if newer_layout:
        conn.execute("ALTER TABLE item_state ADD COLUMN note TEXT")
        conn.execute("CREATE TABLE bookmarks (scope INTEGER, item TEXT)")
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    assert [p.name for p in v1_state.iterdir()] == [DB_FILENAME]
    before = db.read_bytes()

    progress = open_progress(v1_state, "alice", "thaw")
    assert isinstance(progress, SqliteProgress)
    assert not progress.persistent
    assert progress.seen == {"a", "b", "c"}
    assert progress.position == Position(pane="events", item_id="b", thread_id="t1")
    assert progress.settings == {"theme": "nord"}
    [notice] = progress.notices
    assert f"{db} was written by a newer version of thaw" in notice
    assert "will not be saved" in notice
    # A whole session's worth of changes, all kept in memory only.
    progress.mark(["d"])
    progress.remember_position(Position(pane="people"))
    progress.remember_setting("theme", "gruvbox")
    progress.note_pack("2", {"a": "changed"})
    progress.reset()
    progress.close()
    with pytest.raises(ProgressStoreError, match="newer version of thaw"):
        reset_progress(v1_state, "alice", "thaw")

    assert_never_written(v1_state, before)
    assert corrupt_copies(v1_state) == []
