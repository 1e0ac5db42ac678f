"""The PostgreSQL progress store's tables, their version, and the steps that build them.

The database records its version in `thaw_schema_version` (one row); no such table
means thaw has never been there. `STEPS[n]` brings a database at version n-1 to n;
step 1 creates the tables. `upgrade` runs the missing steps in one transaction that
first takes a transaction-scoped advisory lock, so of several hosts and readers
starting at once exactly one runs them and the others find the work done. PostgreSQL
rolls DDL back with the transaction: a failing step, a lost connection or a killed
process leaves the database at its old version with every row.

Every table's name starts with `thaw_`, so the store can share a database or schema
with other applications; which schema is used is the connection's `search_path`.

Once migrated, readers need no DDL: `SELECT, INSERT, UPDATE, DELETE` on the tables
and `USAGE` on the one sequence are enough (README, "Progress in PostgreSQL"). A
reader that meets an older database and cannot upgrade it (no privilege) reads it
without saving and says that the owner should run `thaw progress migrate`.

Adding a step: append `N: (...)` with the statements (DDL and fixed data only, no
values from outside: nothing here is ever formatted into SQL), raise `SCHEMA_VERSION`
to N, change the queries in `postgres.py`, and test it in
`tests/unit/test_store_postgres_migrations.py`. A released step never changes.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

SCHEMA_VERSION = 1
# pg_advisory_xact_lock's key for "someone is changing thaw's tables" (a fixed number:
# the first 8 bytes of sha256(b"thaw progress schema"), as a signed 64-bit integer).
MIGRATION_LOCK_KEY = 0x2F6C5E0A7B3D4C21

VERSION_TABLE = "thaw_schema_version"

STEPS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE thaw_schema_version (
            only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
            version integer NOT NULL
        )""",
        # (reader, pack) pairs get a small id, so item rows do not repeat long ids.
        # `revision` grows with every change to the pair's items: a session asks for
        # one number to learn whether another session has changed anything.
        """CREATE TABLE thaw_scope (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            reader text NOT NULL,
            pack text NOT NULL,
            revision bigint NOT NULL DEFAULT 0,
            UNIQUE (reader, pack)
        )""",
        # seen = false rows are items the reader explicitly marked unseen. `updated`
        # is when the mark was made, on the database's clock: the later mark wins.
        """CREATE TABLE thaw_item_state (
            scope bigint NOT NULL REFERENCES thaw_scope (id) ON DELETE CASCADE,
            item text NOT NULL,
            seen boolean NOT NULL,
            updated timestamptz NOT NULL,
            PRIMARY KEY (scope, item)
        )""",
        """CREATE TABLE thaw_position (
            scope bigint PRIMARY KEY REFERENCES thaw_scope (id) ON DELETE CASCADE,
            pane text,
            item text,
            thread text,
            updated timestamptz NOT NULL
        )""",
        """CREATE TABLE thaw_pack_item (
            scope bigint NOT NULL REFERENCES thaw_scope (id) ON DELETE CASCADE,
            item text NOT NULL,
            fingerprint text NOT NULL,
            PRIMARY KEY (scope, item)
        )""",
        """CREATE TABLE thaw_pack_session (
            scope bigint PRIMARY KEY REFERENCES thaw_scope (id) ON DELETE CASCADE,
            version text NOT NULL,
            noted timestamptz NOT NULL
        )""",
        # Settings belong to the reader, whichever pack they read.
        """CREATE TABLE thaw_setting (
            reader text NOT NULL,
            key text NOT NULL,
            value text NOT NULL,
            updated timestamptz NOT NULL,
            PRIMARY KEY (reader, key)
        )""",
        "INSERT INTO thaw_schema_version (version) VALUES (0)",
    ),
}


class SchemaState(Enum):
    EMPTY = "empty"  # no thaw tables yet: create them
    OLDER = "older"  # from an earlier thaw: upgrade in place
    CURRENT = "current"
    NEWER = "newer"  # from a later thaw: read it, never write it


class MigrationFailed(Exception):
    """A step failed; the transaction was rolled back and nothing changed."""

    def __init__(self, old_version: int, new_version: int, step: int, reason: str) -> None:
        super().__init__(
            f"upgrading it from version {old_version} to {new_version} failed "
            f"at step {step}: {reason}"
        )
        self.old_version = old_version
        self.new_version = new_version
        self.step = step


def read_version(conn: psycopg.Connection[Any]) -> int:
    """The database's schema version (0: thaw's tables are not there)."""
    # pg_class is read with the statement's snapshot, so a table another session created
    # while we waited for the migration lock is seen (a name lookup such as to_regclass
    # goes through this backend's catalog cache, which may not have heard of it yet).
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relname = %s AND n.nspname = current_schema())",
        (VERSION_TABLE,),
    ).fetchone()
    if row is None or not row[0]:
        return 0
    row = conn.execute("SELECT version FROM thaw_schema_version").fetchone()
    return 0 if row is None else int(row[0])


def state_of(version: int) -> SchemaState:
    if version == 0:
        return SchemaState.EMPTY
    if version > SCHEMA_VERSION:
        return SchemaState.NEWER
    return SchemaState.CURRENT if version == SCHEMA_VERSION else SchemaState.OLDER


def upgrade(conn: psycopg.Connection[Any]) -> tuple[int, int]:
    """Run the missing steps under the migration lock; (version before, version after).

    `conn` must be in autocommit mode (the steps get their own transaction). Raises
    MigrationFailed when a step fails, and psycopg errors for connection trouble or a
    missing privilege (nothing is changed either way).
    """
    import psycopg

    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
        before = read_version(conn)
        if before >= SCHEMA_VERSION:
            return before, before  # current, or newer: never touched
        for version in range(before + 1, SCHEMA_VERSION + 1):
            step = STEPS.get(version)
            if step is None:
                raise MigrationFailed(before, SCHEMA_VERSION, version, "thaw has no such step")
            try:
                with conn.transaction():  # a savepoint: a failing step is reported as such
                    for statement in step:
                        conn.execute(statement)
            except (psycopg.errors.InsufficientPrivilege, psycopg.OperationalError):
                raise
            except psycopg.Error as exc:
                lines = str(exc).strip().splitlines()
                reason = lines[0] if lines else type(exc).__name__
                raise MigrationFailed(before, SCHEMA_VERSION, version, reason) from exc
        conn.execute("UPDATE thaw_schema_version SET version = %s", (SCHEMA_VERSION,))
    return before, SCHEMA_VERSION
