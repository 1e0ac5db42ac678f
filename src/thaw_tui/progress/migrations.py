"""The progress file's layout, built and upgraded one schema version at a time.

A progress file records its version in SQLite's `PRAGMA user_version` (0: a new,
empty file). `STEPS[n]` is the step that brings a store at version n-1 to version n;
step 1 creates the tables. Opening a store runs the steps it lacks, in order, inside
the one `BEGIN IMMEDIATE` transaction of `schema.upgrade_schema`, then sets
`user_version`. So only one of several sessions opening at once runs them (the
others wait for the lock, look again and find the work done), and a crash, a
failing step or a full disk rolls everything back: the file stays at its old
version with every row. A failed upgrade is reported to the reader and the
session runs without saving; the file is never moved aside for it.

Adding a step (a new column, table or index):
1. Write `_vN(conn)` below, taking version N-1 to N with `conn.execute` only:
   `ALTER TABLE ... ADD COLUMN`, `CREATE INDEX`, or a new table filled with
   `INSERT ... SELECT` from the old one before the old one is dropped. Keep every
   reader's rows; fill new columns from old data where it can be derived.
2. Add `N: _vN` to `STEPS` and raise `SCHEMA_VERSION` in `schema.py` to N.
3. Change the queries in `sqlite.py` / `delta.py` to the new layout.
4. Test it in `tests/unit/test_store_migrations.py`: the saved stores in
   `tests/fixtures/stores/` (made by older thaws) must open with every mark kept.
   If your step changes a layout in a way those stores do not exercise, save one
   more store with the thaw before your change (see the README there).

A step must not:
- begin, commit or roll back, nor call `conn.executescript` (it commits first):
  SQLite is told to refuse these while steps run, so such a step fails (its own
  `SAVEPOINT`s are fine);
- use `VACUUM`, `PRAGMA journal_mode` or `PRAGMA foreign_keys` (refused, or
  silently ignored, inside a transaction);
- build SQL from data: values go in as `?` parameters;
- let the layout it builds depend on anything but the layout it starts from (not
  the data, the clock or the machine): it also runs on a blank in-memory database,
  which is how the expected layout of every version is learnt, so it must work on
  empty tables too;
- change once released: files out there already ran it. Fix a mistake with a
  new step.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import lru_cache

Step = Callable[[sqlite3.Connection], None]
# Table name -> its column names, in order.
Layout = dict[str, tuple[str, ...]]


class MigrationFailed(Exception):
    """A step raised, or there was no step for a version; nothing was changed."""

    def __init__(self, old_version: int, new_version: int, step: int, reason: str) -> None:
        super().__init__(
            f"upgrading it from version {old_version} to {new_version} failed "
            f"at step {step}: {reason}"
        )
        self.old_version = old_version
        self.new_version = new_version
        self.step = step


def _v1(conn: sqlite3.Connection) -> None:
    """Create the tables. (reader, pack) pairs get a small integer `scope` id, so item
    rows do not repeat long ids."""
    conn.execute(
        """CREATE TABLE scope (
            id INTEGER PRIMARY KEY,
            reader TEXT NOT NULL,
            pack TEXT NOT NULL,
            UNIQUE (reader, pack)
        )"""
    )
    # seen = 0 rows are items the reader explicitly marked unseen.
    conn.execute(
        """CREATE TABLE item_state (
            scope INTEGER NOT NULL,
            item TEXT NOT NULL,
            seen INTEGER NOT NULL CHECK (seen IN (0, 1)),
            updated REAL NOT NULL,
            PRIMARY KEY (scope, item)
        ) WITHOUT ROWID"""
    )
    conn.execute(
        """CREATE TABLE position (
            scope INTEGER PRIMARY KEY,
            pane TEXT,
            item TEXT,
            thread TEXT,
            updated REAL NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE pack_item (
            scope INTEGER NOT NULL,
            item TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            PRIMARY KEY (scope, item)
        ) WITHOUT ROWID"""
    )
    conn.execute(
        """CREATE TABLE pack_session (
            scope INTEGER PRIMARY KEY,
            version TEXT NOT NULL,
            noted REAL NOT NULL
        )"""
    )
    # Settings belong to the reader, whichever pack they read.
    conn.execute(
        """CREATE TABLE setting (
            reader TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            updated REAL NOT NULL,
            PRIMARY KEY (reader, key)
        ) WITHOUT ROWID"""
    )


# Ordered by version; every version from 1 to schema.SCHEMA_VERSION has exactly one step.
STEPS: dict[int, Step] = {
    1: _v1,
}


def run_steps(conn: sqlite3.Connection, old_version: int, new_version: int) -> None:
    """Bring a store at `old_version` to `new_version` inside the caller's transaction.

    Raises MigrationFailed for a step that raises anything but a sign that the file
    itself is damaged, full or locked (those sqlite3 errors pass through for the
    caller to judge, see `schema.upgrade_schema`). Sets `user_version` only after
    every step; the caller commits.
    """
    if not conn.in_transaction:
        raise RuntimeError("migration steps run only inside the caller's transaction")
    # A step must not end the transaction: SQLite refuses BEGIN/COMMIT/ROLLBACK for now.
    conn.set_authorizer(_refuse_transaction_control)
    try:
        for version in range(old_version + 1, new_version + 1):
            _run_step(conn, old_version, new_version, version)
    finally:
        conn.set_authorizer(None)
    # A pragma takes no parameters; the value is our own integer, never reader data.
    conn.execute(f"PRAGMA user_version = {int(new_version)}")


def _run_step(conn: sqlite3.Connection, old_version: int, new_version: int, version: int) -> None:
    step = STEPS.get(version)
    if step is None:
        raise MigrationFailed(old_version, new_version, version, "thaw has no such step")
    try:
        step(conn)
    except sqlite3.DatabaseError as exc:
        if _is_file_trouble(exc):
            raise
        raise MigrationFailed(old_version, new_version, version, str(exc)) from exc
    except Exception as exc:
        reason = str(exc) or type(exc).__name__
        raise MigrationFailed(old_version, new_version, version, reason) from exc
    if not conn.in_transaction:  # cannot happen with the authorizer; checked all the same
        raise MigrationFailed(old_version, new_version, version, "the step ended the transaction")


def _refuse_transaction_control(action: int, *_details: str | None) -> int:
    return sqlite3.SQLITE_DENY if action == sqlite3.SQLITE_TRANSACTION else sqlite3.SQLITE_OK


def layout_after(version: int) -> Layout:
    """The tables and columns a store has at `version`, learnt by replaying the steps."""
    return _replay(tuple(STEPS[v] for v in range(1, version + 1)))


def read_layout(conn: sqlite3.Connection) -> Layout:
    """The tables (SQLite's own excepted) and their columns in the open database."""
    names = [
        str(row[0])
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
            "ESCAPE '\\' ORDER BY name"
        )
    ]
    return {
        name: tuple(
            str(row[0])
            for row in conn.execute("SELECT name FROM pragma_table_info(?) ORDER BY cid", (name,))
        )
        for name in names
    }


@lru_cache(maxsize=4)
def _replay(steps: tuple[Step, ...]) -> Layout:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.execute("BEGIN")
        for step in steps:
            step(conn)
        return read_layout(conn)
    finally:
        conn.close()


def _is_file_trouble(error: sqlite3.Error) -> bool:
    """Corrupt bytes, a full disk, an I/O error or a lock: the file's fault, not the step's."""
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return False
    # SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB
    return (code & 0xFF) in {5, 6, 10, 11, 13, 26}
