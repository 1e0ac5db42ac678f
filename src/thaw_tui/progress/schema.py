"""The progress database's version, how a file's state is judged, and its errors.

One SQLite file holds every reader's progress. Its layout is built and upgraded by
the steps in `migrations.py`; this module decides which steps a file needs. Reader
and pack ids are only ever bound as parameters; they never become part of a path or
of SQL text.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

from thaw_tui.progress import migrations

# The layout this code reads and writes; migrations.STEPS has one step per version.
SCHEMA_VERSION = 1
# How long a write waits for another session's write to finish before giving up.
BUSY_TIMEOUT_SECONDS = 5.0

# Primary result codes (the low byte of an extended code) that mean the bytes are bad.
_CORRUPTION_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB
_BUSY_CODES = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED


class SchemaState(Enum):
    EMPTY = "empty"  # a new file: create the tables
    OLDER = "older"  # ours, from an earlier thaw: upgrade it in place
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
        return SchemaState.NEWER  # its layout is unknown here, so it is not checked
    layout = migrations.read_layout(conn)
    if version == 0:
        return SchemaState.EMPTY if not layout else SchemaState.WRONG
    # Every version we know has a known layout: anything else is damage, not age.
    if version < 0 or layout != migrations.layout_after(version):
        return SchemaState.WRONG
    return SchemaState.CURRENT if version == SCHEMA_VERSION else SchemaState.OLDER


def upgrade_schema(conn: sqlite3.Connection) -> SchemaState:
    """Create or upgrade the tables unless another process just did; the state afterwards.

    The check and the steps share one write transaction, so of several sessions
    opening at once exactly one runs the steps. Raises migrations.MigrationFailed (the
    file is left as it was) when a step fails, and sqlite3.Error for file trouble.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        state = _inspect(conn)
        if state in (SchemaState.EMPTY, SchemaState.OLDER):
            migrations.run_steps(conn, version, SCHEMA_VERSION)
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
