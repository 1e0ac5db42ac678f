"""What only the PostgreSQL store has to prove: transactions, outages, secrets.

The behaviour both stores share is in `test_store.py`. Here a real server is stopped
and started again in the middle of a session (its own server, so no other test sees
it go), and the URL's password is looked for wherever it must not be.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg import sql
from support.postgres_server import TEST_DATABASE, PostgresServer, start_server, wait_until

from thaw_tui.cli.main import build_parser
from thaw_tui.progress import Progress, postgres, postgres_schema
from thaw_tui.progress.postgres import PostgresProgress
from thaw_tui.progress.store import open_progress, reset_progress

SRC = Path(postgres.__file__).parent


def open_pg(url: str, reader: str = "alice", pack: str = "thaw") -> PostgresProgress:
    progress = open_progress(Path("/nonexistent"), reader, pack, url)
    assert isinstance(progress, PostgresProgress)
    return progress


def rows(server: PostgresServer, schema: str, table: str, columns: str) -> list[tuple[object, ...]]:
    query = sql.SQL("SELECT {} FROM {}.{} ORDER BY 1").format(
        sql.SQL(columns), sql.Identifier(schema), sql.Identifier(table)
    )
    return server.query(TEST_DATABASE, query)  # type: ignore[arg-type]


# --- one transaction per change -----------------------------------------------------------
def test_each_change_is_one_transaction(postgres_server: PostgresServer) -> None:
    schema, url = postgres_server.new_store()
    progress = open_pg(url)
    progress.mark(["a", "b", "c"])  # one change of three items
    progress.mark(["d"])
    progress.mark(["b"], seen=False)
    assert progress.flush(5)
    found = rows(postgres_server, schema, "thaw_item_state", "item, seen, xmin::text")
    transaction = {item: xmin for item, _seen, xmin in found}
    # The three items of the first mark share a transaction; every other change has its own.
    assert transaction["a"] == transaction["c"]
    assert len({transaction["a"], transaction["d"], transaction["b"]}) == 3
    assert [(item, seen) for item, seen, _ in found] == [
        ("a", True),
        ("b", False),
        ("c", True),
        ("d", True),
    ]
    progress.close()


def test_no_sql_text_is_built_from_values() -> None:
    """Every statement the PostgreSQL store sends is a literal or a named constant."""
    for name in ("postgres.py", "postgres_schema.py"):
        tree = ast.parse((SRC / name).read_text(encoding="utf-8"))
        calls = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"execute", "executemany"}
        ]
        assert calls, name
        for call in calls:
            statement = call.args[0]
            literal = isinstance(statement, ast.Constant) and isinstance(statement.value, str)
            constant = isinstance(statement, ast.Name) and (
                statement.id.isupper() or statement.id == "statement"
            )
            assert literal or constant, f"{name}:{call.lineno}: SQL built at run time"


# --- the later mark wins ----------------------------------------------------------------------
def test_a_mark_written_late_does_not_undo_a_later_mark(postgres_server: PostgresServer) -> None:
    """Per item, what was *made* last wins, whatever order the writes arrive in."""
    _schema, url = postgres_server.new_store()
    first = open_pg(url)
    first.mark(["x"])
    first.close()
    early = open_pg(url)
    late = open_pg(url)
    assert early.seen == late.seen == {"x"}
    # Hold the early session's only connection, so its writer cannot write for now.
    held = early._pool.getconn()
    early.mark(["x"], seen=False)
    wait_until(lambda: early._failures >= 1, 30, "the early session failing to write")
    # A second or more later, the other session unmarks and marks x again.
    late.mark(["x"], seen=False)
    late.mark(["x"])
    assert late.flush(5)
    early._pool.putconn(held)
    assert early.flush(10)  # written last, but made first: it does not win
    check = open_pg(url)
    assert check.seen == {"x"}
    for progress in (early, late, check):
        progress.close()


# --- the database going away ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def own_server() -> Iterator[PostgresServer]:
    server = start_server()
    if server is None:
        pytest.skip("PostgreSQL's server binaries (initdb) are not installed")
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def restarting(own_server: PostgresServer) -> Iterator[PostgresServer]:
    """The module's server, always running again when the test ends."""
    try:
        yield own_server
    finally:
        if not own_server.running():
            own_server.start()


def timed_mark(progress: Progress, item: str) -> float:
    start = time.monotonic()
    progress.mark([item])
    return time.monotonic() - start


@pytest.mark.slow
def test_server_stopped_and_started_mid_session(restarting: PostgresServer) -> None:
    server = restarting
    schema, url = server.new_store()
    progress = open_pg(url)
    progress.mark(["before"])
    assert progress.flush(5) and progress.persistent

    server.stop("fast")  # ends every connection, as a restart or a crash does
    # Reading goes on: a mark returns at once and shows at once.
    assert timed_mark(progress, "during-1") < 0.1
    wait_until(lambda: not progress.persistent, 30, "the store noticing the database is gone")
    assert timed_mark(progress, "during-2") < 0.1
    progress.mark(["before"], seen=False)
    assert progress.seen == {"during-1", "during-2"}
    assert not progress.flush(0.2)

    server.start()
    wait_until(lambda: progress.persistent, 30, "the store writing again")
    assert progress.flush(10)
    saved = rows(server, schema, "thaw_item_state", "item, seen")
    assert saved == [("before", False), ("during-1", True), ("during-2", True)]
    progress.close()
    assert progress.exit_notice is None


@pytest.mark.slow
def test_a_session_that_ends_while_the_database_is_down_says_what_was_lost(
    restarting: PostgresServer,
) -> None:
    server = restarting
    schema, url = server.new_store()
    progress = open_pg(url)
    progress.mark(["kept"])
    assert progress.flush(5)
    server.stop("fast")
    progress.mark(["lost-1"])
    progress.mark(["lost-2", "lost-3"])
    progress.close()
    notice = progress.exit_notice
    assert notice is not None
    assert "your last 2 changes" in notice and "not saved" in notice
    assert "127.0.0.1" in notice and server.admin_password not in notice
    server.start()
    assert rows(server, schema, "thaw_item_state", "item") == [("kept",)]


@pytest.mark.slow
def test_a_session_started_while_the_database_is_down_catches_up(
    restarting: PostgresServer,
) -> None:
    server = restarting
    schema, url = server.new_store()
    earlier = open_pg(url)
    earlier.mark(["from-an-earlier-session"])
    earlier.remember_setting("theme", "nord")
    earlier.close()

    server.stop("fast")
    started = time.monotonic()
    progress = open_pg(url)
    assert time.monotonic() - started < postgres.START_WAIT + 1
    assert not progress.persistent
    [notice] = progress.notices
    assert "cannot be reached" in notice and "saved when it can be reached again" in notice
    assert server.admin_password not in notice
    progress.mark(["offline"])
    assert progress.seen == {"offline"}

    server.start()
    wait_until(lambda: progress.persistent, 30, "the store connecting")
    assert progress.flush(10)
    progress.refresh()  # what was saved before shows up, under this session's marks
    assert progress.seen == {"offline", "from-an-earlier-session"}
    assert progress.settings == {"theme": "nord"}
    progress.close()
    assert sorted(rows(server, schema, "thaw_item_state", "item")) == [
        ("from-an-earlier-session",),
        ("offline",),
    ]


# --- the password stays out of sight --------------------------------------------------------------
def test_a_wrong_password_is_reported_without_it(postgres_server: PostgresServer) -> None:
    secret = "hunter2-very-secret"
    url = postgres_server.url(TEST_DATABASE, password=secret, user="thaw_test_admin")
    progress = open_pg(url)
    assert not progress.persistent
    assert progress.notices and all(secret not in notice for notice in progress.notices)
    progress.close()
    with pytest.raises(Exception) as caught:
        reset_progress(Path("/nonexistent"), "alice", "thaw", url)
    assert secret not in str(caught.value)
    with pytest.raises(Exception) as caught:
        postgres.migrate(url)
    assert "password authentication failed" in str(caught.value)
    assert secret not in str(caught.value)


def test_missing_driver_names_the_extra_in_one_sentence(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['psycopg'] = None; sys.modules['psycopg_pool'] = None\n"
        "from thaw_tui.cli.main import main\n"
        "sys.exit(main(['--reset-progress']))\n"
    )
    env = {"THAW_PROGRESS_URL": "postgresql://reader@127.0.0.1:1/thaw", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr == (
        "thaw: a postgresql:// progress URL needs the PostgreSQL driver: "
        "pip install 'thaw-tui[postgres]'.\n"
    )


def test_a_password_on_the_command_line_is_refused() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "thaw_tui",
            "--progress-url",
            "postgresql://reader:s3cret@127.0.0.1:1/thaw",
            "--reset-progress",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "anyone on this machine can read in `ps`" in result.stderr
    assert "s3cret" not in result.stderr


# --- thaw progress migrate and thaw --reset-progress ----------------------------------------------
def test_progress_migrate_creates_the_tables_once(postgres_server: PostgresServer) -> None:
    schema, url = postgres_server.new_store()
    env = {"THAW_PROGRESS_URL": url, "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
    run = [sys.executable, "-m", "thaw_tui", "progress", "migrate"]
    first = subprocess.run(run, capture_output=True, text=True, env=env, timeout=60)
    assert first.returncode == 0, first.stderr
    assert first.stdout == (
        f"PostgreSQL at thaw_test_admin@127.0.0.1:{postgres_server.port}/thaw_tests upgraded "
        f"from new to schema version {postgres_schema.SCHEMA_VERSION}.\n"
    )
    second = subprocess.run(run, capture_output=True, text=True, env=env, timeout=60)
    assert second.returncode == 0 and "nothing to do" in second.stdout
    assert postgres_server.admin_password not in first.stdout + first.stderr + second.stdout
    version = rows(postgres_server, schema, "thaw_schema_version", "version")
    assert version == [(postgres_schema.SCHEMA_VERSION,)]


def test_reset_progress_command_against_postgres(postgres_server: PostgresServer) -> None:
    schema, url = postgres_server.new_store()
    progress = open_pg(url, "SHA256:someone", "thawing-relations")  # the shipped pack's id
    progress.mark(["a", "b"])
    progress.close()
    other = open_pg(url, "SHA256:other", "thawing-relations")
    other.mark(["a"])
    other.close()
    env = {"THAW_PROGRESS_URL": url, "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
    # Without a terminal a reset may need --yes (where this thaw has it).
    confirm = ["--yes"] if "--yes" in build_parser().format_help() else []
    result = subprocess.run(
        [sys.executable, "-m", "thaw_tui", "--reader", "SHA256:someone", "--reset-progress"]
        + confirm,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "PostgreSQL at thaw_test_admin@127.0.0.1" in result.stdout
    assert postgres_server.admin_password not in result.stdout + result.stderr
    left = rows(postgres_server, schema, "thaw_item_state", "item")
    assert left == [("a",)]  # the other reader's mark only
