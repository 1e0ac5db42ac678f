"""The progress database's tables, its version, and how its errors are read.

One SQLite file holds every reader's progress. Reader and pack ids are only ever
bound as parameters; they never become part of a path or of SQL text.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

SCHEMA_VERSION = 1
# How long a write waits for another session's write to finish before giving up.
BUSY_TIMEOUT_SECONDS = 5.0

# (reader, pack) pairs get a small integer so item rows do not repeat long ids.
_TABLES: dict[str, str] = {
    "scope": """
        CREATE TABLE IF NOT EXISTS scope (
            id INTEGER PRIMARY KEY,
            reader TEXT NOT NULL,
            pack TEXT NOT NULL,
            UNIQUE (reader, pack)
        )""",
    "item_state": """
        CREATE TABLE IF NOT EXISTS item_state (
            scope INTEGER NOT NULL,
            item TEXT NOT NULL,
            seen INTEGER NOT NULL CHECK (seen IN (0, 1)),
            updated REAL NOT NULL,
            PRIMARY KEY (scope, item)
        ) WITHOUT ROWID""",
    "position": """
        CREATE TABLE IF NOT EXISTS position (
            scope INTEGER PRIMARY KEY,
            pane TEXT,
            item TEXT,
            thread TEXT,
            updated REAL NOT NULL
        )""",
    "pack_item": """
        CREATE TABLE IF NOT EXISTS pack_item (
            scope INTEGER NOT NULL,
            item TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            PRIMARY KEY (scope, item)
        ) WITHOUT ROWID""",
    "pack_session": """
        CREATE TABLE IF NOT EXISTS pack_session (
            scope INTEGER PRIMARY KEY,
            version TEXT NOT NULL,
            noted REAL NOT NULL
        )""",
    "setting": """
        CREATE TABLE IF NOT EXISTS setting (
            reader TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            updated REAL NOT NULL,
            PRIMARY KEY (reader, key)
        ) WITHOUT ROWID""",
}
EXPECTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "scope": ("id", "reader", "pack"),
    "item_state": ("scope", "item", "seen", "updated"),
    "position": ("scope", "pane", "item", "thread", "updated"),
    "pack_item": ("scope", "item", "fingerprint"),
    "pack_session": ("scope", "version", "noted"),
    "setting": ("reader", "key", "value", "updated"),
}

# Primary result codes (the low byte of an extended code) that mean the bytes are bad.
_CORRUPTION_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB
_BUSY_CODES = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED


class SchemaState(Enum):
    EMPTY = "empty"  # a new file: create the tables
    CURRENT = "current"  # ours, at our version
    NEWER = "newer"  # written by a later thaw: read it, never write it
    WRONG = "wrong"  # some other layout: treat as unreadable


def connect(db_path: Path, *, read_only: bool, immutable: bool = False) -> sqlite3.Connection:
    """Open an existing database file (never creates one: the caller does, with 0600).

    `immutable` reads the main file alone, ignoring -wal/-shm: the last resort in a
    read-only folder, where SQLite cannot create the -shm index a WAL reader needs.
    """
    mode = "ro" if read_only else "rw"
    uri = f"{db_path.absolute().as_uri()}?mode={mode}"
    if immutable:
        uri += "&immutable=1"
    # Autocommit mode: every write below opens its own BEGIN IMMEDIATE ... COMMIT.
    # check_same_thread=False because the store serialises access with its own lock.
    return sqlite3.connect(
        uri,
        uri=True,
        timeout=BUSY_TIMEOUT_SECONDS,
        isolation_level=None,
        check_same_thread=False,
    )


def use_wal(conn: sqlite3.Connection) -> None:
    """WAL + synchronous=NORMAL: a commit is in the OS's hands before it returns.

    That survives `kill -9` and dropped connections (the process, not the machine,
    dies); only a power cut or kernel crash can roll back the last few commits, and
    never leaves the file inconsistent. FULL would add an fsync to every mark.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            # Switching a new file to WAL upgrades a read lock to an exclusive one; when
            # two sessions race to do it, SQLite refuses one at once (no busy wait) to
            # avoid a deadlock. The other finishes the switch in a moment: try again.
            if not is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.001, 0.005))
    conn.execute("PRAGMA synchronous=NORMAL")


@contextmanager
def read_snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """Run several reads against one committed state (or inside the caller's transaction).

    Without this, another session's commit can land between two reads: the version
    read before it and the table list after it would describe a file that never was.
    """
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def inspect_schema(conn: sqlite3.Connection) -> SchemaState:
    """Read the version and table layout (raises sqlite3.DatabaseError if not a database)."""
    with read_snapshot(conn):
        return _inspect(conn)


def _inspect(conn: sqlite3.Connection) -> SchemaState:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        return SchemaState.NEWER
    tables = {
        str(row[0])
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not str(row[0]).startswith("sqlite_")
    }
    if version == 0:
        return SchemaState.EMPTY if not tables else SchemaState.WRONG
    if version < SCHEMA_VERSION or tables != set(EXPECTED_COLUMNS):
        return SchemaState.WRONG
    for table, expected in EXPECTED_COLUMNS.items():
        columns = tuple(str(row[1]) for row in conn.execute(f"PRAGMA table_info({table})"))
        if columns != expected:
            return SchemaState.WRONG
    return SchemaState.CURRENT


def create_schema(conn: sqlite3.Connection) -> SchemaState:
    """Create the tables unless another process just did; returns the state afterwards."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        state = inspect_schema(conn)
        if state is SchemaState.EMPTY:
            for ddl in _TABLES.values():
                conn.execute(ddl)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            state = SchemaState.CURRENT
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return state


def is_busy(error: sqlite3.Error) -> bool:
    """True when another connection holds the lock we need (SQLITE_BUSY or SQLITE_LOCKED)."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return (code & 0xFF) in _BUSY_CODES
    return "locked" in str(error).lower()


def is_corruption(error: sqlite3.Error) -> bool:
    """True when SQLite says the file's bytes are not a sound database."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return (code & 0xFF) in _CORRUPTION_CODES
    message = str(error).lower()
    return "malformed" in message or "not a database" in message
