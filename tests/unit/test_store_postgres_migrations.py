"""PostgreSQL schema versions: an older database is upgraded in place, a newer one is
only read, and a role without DDL rights reads an old one until its owner migrates.

`tests/fixtures/stores/progress-v1.postgres.sql` is a `pg_dump` of a database written
by thaw at schema version 1 (the same readers as the SQLite `progress-v1.sqlite`).
The "next version" tests add a made-up step on top of the real ones, so they keep
proving the mechanism after real steps are added.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg import sql
from support.postgres_server import TEST_DATABASE, PostgresServer
from test_store_migrations import V1_CONTENT, V1_SETTINGS

from thaw_tui.progress import Position, ProgressStoreError
from thaw_tui.progress import postgres_schema as pg_schema
from thaw_tui.progress.postgres import PostgresProgress, migrate
from thaw_tui.progress.store import open_progress, reset_progress

DUMP = Path(__file__).parents[1] / "fixtures" / "stores" / "progress-v1.postgres.sql"
NOWHERE = Path("/nonexistent")
NEXT_STEP = (
    "ALTER TABLE thaw_position ADD COLUMN scroll integer NOT NULL DEFAULT 0",
    "CREATE INDEX thaw_item_state_by_seen ON thaw_item_state (scope, seen)",
    "CREATE TABLE thaw_upgrade_log (step integer NOT NULL)",
    "INSERT INTO thaw_upgrade_log (step) VALUES (1)",
)


@pytest.fixture
def next_version(monkeypatch: pytest.MonkeyPatch) -> int:
    """Pretend this thaw knows one more schema version than it ships with."""
    version = pg_schema.SCHEMA_VERSION + 1
    monkeypatch.setattr(pg_schema, "STEPS", {**pg_schema.STEPS, version: NEXT_STEP})
    monkeypatch.setattr(pg_schema, "SCHEMA_VERSION", version)
    return version


@pytest.fixture
def v1_database(postgres_server: PostgresServer) -> str:
    """A fresh database holding the saved version 1 dump; returns its name."""
    database = postgres_server.new_database()
    postgres_server.run_sql(database, ["DROP SCHEMA public CASCADE"])
    subprocess.run(
        [
            str(postgres_server.bindir / "psql"),
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-p",
            str(postgres_server.port),
            "-U",
            "thaw_test_admin",
            "-d",
            database,
            "-f",
            str(DUMP),
        ],  # fmt: skip
        check=True,
        capture_output=True,
        env={**os.environ, "PGPASSWORD": postgres_server.admin_password},
    )
    return database


def open_pg(url: str, reader: str = "alice", pack: str = "thaw") -> PostgresProgress:
    progress = open_progress(NOWHERE, reader, pack, url)
    assert isinstance(progress, PostgresProgress)
    return progress


def open_saved(url: str, reader: str = "alice", pack: str = "thaw") -> PostgresProgress:
    progress = open_pg(url, reader, pack)
    assert progress.persistent, progress.notices
    assert progress.notices == []
    return progress


def version_of(server: PostgresServer, database: str) -> int:
    return int(server.query(database, "SELECT version FROM thaw_schema_version")[0][0])


def all_rows(server: PostgresServer, database: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every version 1 table, by the version 1 columns."""
    columns = {
        "thaw_scope": "id, reader, pack",
        "thaw_item_state": "scope, item, seen, updated",
        "thaw_position": "scope, pane, item, thread, updated",
        "thaw_pack_item": "scope, item, fingerprint",
        "thaw_pack_session": "scope, version, noted",
        "thaw_setting": "reader, key, value, updated",
    }
    return {
        table: sorted(
            server.query(
                database,
                sql.SQL("SELECT {} FROM {}").format(sql.SQL(cols), sql.Identifier(table)),  # type: ignore[arg-type]
            ),
            key=repr,
        )
        for table, cols in columns.items()
    }


def assert_v1_content_shown(url: str) -> None:
    for (reader, pack), (seen, position, _fingerprints, _rows) in V1_CONTENT.items():
        progress = open_saved(url, reader, pack)
        assert progress.seen == seen, (reader, pack)
        assert progress.position == position, (reader, pack)
        assert progress.settings == V1_SETTINGS[reader], (reader, pack)
        progress.close()


# --- the steps ----------------------------------------------------------------------------
def test_there_is_one_step_per_version() -> None:
    assert sorted(pg_schema.STEPS) == list(range(1, pg_schema.SCHEMA_VERSION + 1))


def test_a_new_store_is_built_by_the_first_session(postgres_server: PostgresServer) -> None:
    schema, url = postgres_server.new_store()
    open_saved(url).close()
    tables = postgres_server.query(
        TEST_DATABASE,
        "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1",
        (schema,),
    )
    assert [name for (name,) in tables] == [
        "thaw_item_state",
        "thaw_pack_item",
        "thaw_pack_session",
        "thaw_position",
        "thaw_schema_version",
        "thaw_scope",
        "thaw_setting",
    ]


# --- (1) the saved version 1 database -------------------------------------------------------
def test_saved_v1_database_keeps_every_mark_position_setting_and_fingerprint(
    postgres_server: PostgresServer, v1_database: str
) -> None:
    url = postgres_server.url(v1_database)
    before = all_rows(postgres_server, v1_database)
    assert_v1_content_shown(url)
    assert version_of(postgres_server, v1_database) == pg_schema.SCHEMA_VERSION
    assert all_rows(postgres_server, v1_database) == before
    for (reader, pack), (_seen, _position, fingerprints, _rows) in V1_CONTENT.items():
        progress = open_saved(url, reader, pack)
        now = {**fingerprints, "brand-new": "f0"}
        if fingerprints:
            first = sorted(fingerprints)[0]
            now[first] = "edited"
            expected = (frozenset({"brand-new"}), frozenset({first}))
        else:
            expected = (frozenset(), frozenset())
        delta = progress.note_pack("2", now)
        assert (delta.new, delta.changed) == expected, (reader, pack)
        progress.close()
    for (reader, pack), (_seen, _position, _fingerprints, rows) in V1_CONTENT.items():
        assert reset_progress(NOWHERE, reader, pack, url) == rows, (reader, pack)


# --- (2) a made-up next version ---------------------------------------------------------------
def test_next_version_upgrades_a_v1_database_in_place(
    postgres_server: PostgresServer, v1_database: str, next_version: int
) -> None:
    url = postgres_server.url(v1_database)
    before = all_rows(postgres_server, v1_database)
    assert_v1_content_shown(url)
    assert version_of(postgres_server, v1_database) == next_version
    assert all_rows(postgres_server, v1_database) == before
    query = postgres_server.query
    assert query(v1_database, "SELECT scroll FROM thaw_position") == [(0,), (0,)]
    assert query(v1_database, "SELECT count(*) FROM thaw_upgrade_log") == [(1,)]
    progress = open_saved(url)
    progress.mark(["after-upgrade"])
    progress.close()
    assert query(v1_database, "SELECT count(*) FROM thaw_upgrade_log") == [(1,)]
    assert open_saved(url).seen == {"a", "b", "c", "after-upgrade"}


def test_many_sessions_opening_an_old_store_at_once_upgrade_it_once(
    postgres_server: PostgresServer, v1_database: str, next_version: int
) -> None:
    url = postgres_server.url(v1_database)
    results: list[tuple[bool, set[str]]] = []
    go = threading.Barrier(8)

    def session() -> None:
        go.wait()
        progress = open_pg(url)
        results.append((progress.persistent, set(progress.seen)))
        progress.close()

    threads = [threading.Thread(target=session) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == [(True, {"a", "b", "c"})] * 8
    assert postgres_server.query(v1_database, "SELECT count(*) FROM thaw_upgrade_log") == [(1,)]
    assert version_of(postgres_server, v1_database) == next_version


def test_a_failing_step_leaves_the_database_at_its_old_version(
    postgres_server: PostgresServer, v1_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_server.url(v1_database)
    before = all_rows(postgres_server, v1_database)
    version = pg_schema.SCHEMA_VERSION + 1
    failing = (
        "CREATE TABLE thaw_half_done (x integer)",
        "UPDATE thaw_item_state SET seen = false",
        "SELECT x FROM thaw_no_such_table",
    )
    monkeypatch.setattr(pg_schema, "STEPS", {**pg_schema.STEPS, version: failing})
    monkeypatch.setattr(pg_schema, "SCHEMA_VERSION", version)
    progress = open_pg(url)
    assert not progress.persistent
    assert progress.seen == {"a", "b", "c"}
    [notice] = progress.notices
    assert "could not be upgraded" in notice and f"failed at step {version}" in notice
    assert "thaw_no_such_table" in notice and "will not be saved" in notice
    progress.mark(["d"])
    assert progress.seen == {"a", "b", "c", "d"}
    progress.close()
    with pytest.raises(ProgressStoreError, match="was not changed"):
        migrate(url)
    assert version_of(postgres_server, v1_database) == 1
    assert all_rows(postgres_server, v1_database) == before
    tables = postgres_server.query(v1_database, "SELECT to_regclass('thaw_half_done')")
    assert tables == [(None,)]
    monkeypatch.undo()
    assert_v1_content_shown(url)


# --- (3) a database from a newer thaw ------------------------------------------------------------
def test_a_newer_database_is_read_only_and_unchanged(
    postgres_server: PostgresServer, v1_database: str
) -> None:
    url = postgres_server.url(v1_database)
    postgres_server.run_sql(
        v1_database,
        [
            "ALTER TABLE thaw_item_state ADD COLUMN note text",
            f"UPDATE thaw_schema_version SET version = {pg_schema.SCHEMA_VERSION + 1}",
        ],
    )
    before = all_rows(postgres_server, v1_database)
    progress = open_pg(url)
    assert not progress.persistent
    assert progress.seen == {"a", "b", "c"}
    assert progress.position == Position(pane="events", item_id="b", thread_id="t1")
    assert progress.settings == {"theme": "nord"}
    [notice] = progress.notices
    assert "written by a newer version of thaw" in notice and "will not be saved" in notice
    progress.mark(["d"])
    progress.remember_position(Position(pane="people"))
    progress.remember_setting("theme", "gruvbox")
    progress.note_pack("2", {"a": "changed"})
    progress.refresh()
    assert progress.seen == {"a", "b", "c", "d"}
    progress.reset()
    progress.close()
    assert progress.exit_notice is None  # it said so at the start
    with pytest.raises(ProgressStoreError, match="newer version of thaw"):
        reset_progress(NOWHERE, "alice", "thaw", url)
    with pytest.raises(ProgressStoreError, match="written by a newer thaw"):
        migrate(url)
    assert all_rows(postgres_server, v1_database) == before


# --- (4) a least-privilege role -----------------------------------------------------------------
@pytest.fixture
def app_role(postgres_server: PostgresServer, v1_database: str) -> Iterator[str]:
    """A login role with the README's grants (no DDL) on the v1 database; its URL."""
    role = postgres_server.new_name("reader_role")
    password = "app-role-secret"
    grants = [
        sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(role), sql.Literal(password)
        ),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(sql.Identifier(role)),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            sql.Identifier(role)
        ),
        sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {}").format(sql.Identifier(role)),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
        ).format(sql.Identifier(role)),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO {}").format(
            sql.Identifier(role)
        ),
    ]
    postgres_server.run_sql(v1_database, grants)  # type: ignore[arg-type]
    yield postgres_server.url(v1_database, user=role, password=password)


def test_a_role_without_ddl_reads_and_writes_a_current_database(
    postgres_server: PostgresServer, v1_database: str, app_role: str
) -> None:
    progress = open_saved(app_role)
    assert progress.seen == {"a", "b", "c"}
    progress.mark(["new"])
    progress.remember_setting("theme", "gruvbox")
    progress.close()
    progress = open_saved(app_role, "carol", "thaw")  # a new reader: a new scope row
    progress.mark(["x"])
    progress.close()
    assert open_saved(app_role, "carol", "thaw").seen == {"x"}


def test_a_role_without_ddl_waits_for_the_owner_to_migrate(
    postgres_server: PostgresServer, v1_database: str, app_role: str, next_version: int
) -> None:
    progress = open_pg(app_role)
    assert not progress.persistent
    assert progress.seen == {"a", "b", "c"}
    [notice] = progress.notices
    assert "its owner should run `thaw progress migrate`" in notice
    assert "app-role-secret" not in notice
    progress.close()
    with pytest.raises(ProgressStoreError, match="as the database's owner"):
        migrate(app_role)
    assert version_of(postgres_server, v1_database) == 1

    result = migrate(postgres_server.url(v1_database))  # the owner
    assert (result.before, result.after) == (1, next_version)
    progress = open_saved(app_role)
    assert progress.seen == {"a", "b", "c"}
    progress.mark(["after"])
    progress.close()
