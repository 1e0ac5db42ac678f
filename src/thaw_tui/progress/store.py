"""Opening reading progress, whichever store keeps it; resetting and migrating it.

`open_progress` is the entry point. Given a postgresql:// URL it opens the reader's
progress in PostgreSQL (`postgres.py`; the driver is imported only then). Otherwise
progress lives in SQLite in the state folder, and it never raises for disk trouble:
it returns a
`SqliteProgress` (read-only with a notice when the file is from a newer thaw, cannot
be upgraded, or cannot be written) or, when the folder or file cannot be used at all,
a plain in-memory `Progress` whose one notice says why. A file from an earlier thaw is
upgraded in place (see `migrations.py`). An unreadable file is moved aside, never
overwritten, and thaw starts fresh. Nothing touches the disk at import.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from thaw_tui.progress import Progress, ProgressStoreError
from thaw_tui.progress.delta import pack_delta
from thaw_tui.progress.files import (
    DB_FILENAME,
    StoreUnavailable,
    ensure_db_file,
    move_aside,
    not_saved,
    prepare_state_dir,
)
from thaw_tui.progress.migrations import MigrationFailed
from thaw_tui.progress.schema import (
    SCHEMA_VERSION,
    SchemaState,
    connect,
    inspect_schema,
    is_corruption,
    upgrade_schema,
    use_wal,
)
from thaw_tui.progress.sqlite import SqliteProgress
from thaw_tui.progress.urls import EXTRA_HINT, ProgressUrlError, check, describe, is_postgres

__all__ = [
    "DB_FILENAME",
    "ProgressStoreError",
    "ProgressUrlError",
    "SqliteProgress",
    "check_url",
    "migrate_store",
    "open_progress",
    "pack_delta",
    "preload_backend",
    "reset_progress",
]


def check_url(url: str) -> None:
    """Raise ProgressUrlError (one sentence with the fix) unless `url` can be opened
    here: a postgresql:// URL PostgreSQL can read, with the driver installed."""
    check(url)
    try:
        from thaw_tui.progress.postgres import conninfo_for
    except ImportError:
        raise ProgressUrlError(
            f"a postgresql:// progress URL needs the PostgreSQL driver: {EXTRA_HINT}."
        ) from None
    conninfo_for(url)


def preload_backend(url: str | None) -> None:
    """Import the store `url` needs now (thaw serve's warm process, before it forks)."""
    if url and is_postgres(url):
        try:
            import thaw_tui.progress.postgres  # noqa: F401
        except ImportError:
            pass  # each reader reports it


def migrate_store(state_dir: Path, url: str | None) -> str:
    """Create or upgrade the store's tables now (`thaw progress migrate`); a sentence
    saying what was done. Raises ProgressStoreError when it cannot."""
    if url:
        check_url(url)
        from thaw_tui.progress.postgres import migrate

        result = migrate(url)
        if result.before == result.after:
            return f"{result.where} is at schema version {result.after}; nothing to do."
        was = "new" if result.before == 0 else f"version {result.before}"
        return f"{result.where} upgraded from {was} to schema version {result.after}."
    return _migrate_file(Path(state_dir) / DB_FILENAME)


def _migrate_file(db_path: Path) -> str:
    if not db_path.is_file() or db_path.is_symlink():
        return f"There is no progress file at {db_path}; thaw creates it on first use."
    try:
        conn = connect(db_path, read_only=False)
    except sqlite3.Error as exc:
        raise ProgressStoreError(f"The progress file {db_path} cannot be opened ({exc}).") from None
    try:
        before = int(conn.execute("PRAGMA user_version").fetchone()[0])
        state = inspect_schema(conn)
        if state is SchemaState.NEWER:
            raise ProgressStoreError(
                f"The progress file {db_path} was written by a newer thaw "
                f"(schema version {before}); upgrade thaw."
            )
        if state is SchemaState.WRONG:
            raise ProgressStoreError(
                f"The progress file {db_path} is unreadable; thaw moves it aside on next start."
            )
        use_wal(conn)
        upgrade_schema(conn)
    except MigrationFailed as exc:
        raise ProgressStoreError(f"The progress file {db_path} was not changed: {exc}.") from None
    except sqlite3.Error as exc:
        raise ProgressStoreError(
            f"The progress file {db_path} cannot be upgraded ({exc})."
        ) from None
    finally:
        conn.close()
    if before == SCHEMA_VERSION:
        return f"The progress file {db_path} is at schema version {before}; nothing to do."
    return f"The progress file {db_path} was upgraded to schema version {SCHEMA_VERSION}."


class _Corrupt(Exception):
    """The file is not a database we can read: move it aside and start fresh.

    It carries the open connection: SQLite deletes a database's -wal and -shm files when
    the last connection closes, so the files are moved aside first and closed after.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__("unreadable progress file")
        self.conn = conn


def open_progress(state_dir: Path, reader: str, pack_id: str, url: str | None = None) -> Progress:
    """The reader's progress for this pack; never raises for disk or database trouble.

    With a postgresql:// `url`, a `PostgresProgress` (check the URL first with
    `check_url`: a missing driver raises ProgressUrlError here). Otherwise a
    `SqliteProgress`, or an in-memory `Progress` with one notice when the state folder
    or file cannot be used at all.
    """
    if url:
        check_url(url)
        from thaw_tui.progress.postgres import open_postgres_progress

        return open_postgres_progress(url, database_text(reader), database_text(pack_id))
    try:
        return _open(Path(state_dir), storable(reader), storable(pack_id))
    except StoreUnavailable as exc:
        return _in_memory(str(exc))
    except (OSError, sqlite3.Error) as exc:  # anything the checks above did not foresee
        return _in_memory(str(not_saved(f"thaw could not use {state_dir} ({exc})")))


def reset_progress(state_dir: Path, reader: str, pack_id: str, url: str | None = None) -> int:
    """Forget one reader's progress in one pack (for `thaw --reset-progress`).

    Returns how many item rows were removed (0 when there is no progress file; this
    never creates one). Raises ProgressStoreError when the store cannot be changed.
    """
    if url:
        from thaw_tui.progress.postgres import PostgresProgress

        progress = open_progress(state_dir, reader, pack_id, url)
        try:
            if not isinstance(progress, PostgresProgress) or not progress.persistent:
                raise ProgressStoreError(
                    " ".join(progress.notices) or f"{describe(url)} cannot be written."
                )
            return progress.delete_rows()
        finally:
            progress.close()
    db_path = Path(state_dir) / DB_FILENAME
    if not db_path.exists() and not db_path.is_symlink():
        return 0
    progress = open_progress(Path(state_dir), reader, pack_id)
    try:
        if not isinstance(progress, SqliteProgress) or not progress.persistent:
            raise ProgressStoreError(" ".join(progress.notices))
        return progress.delete_rows()
    finally:
        progress.close()


def storable(text: str) -> str:
    """`text` as valid Unicode: undecodable bytes from argv arrive as lone surrogates,
    which SQLite's UTF-8 cannot hold; they become visible escapes instead of an error."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "backslashreplace")


def database_text(text: str) -> str:
    """`storable(text)` without NUL, which PostgreSQL's text cannot hold."""
    return storable(text).replace("\x00", "\\x00")


def _in_memory(notice: str) -> Progress:
    progress = Progress()
    progress.notices.append(notice)
    return progress


def _open(state_dir: Path, reader: str, pack_id: str) -> Progress:
    prepare_state_dir(state_dir)
    db_path = state_dir / DB_FILENAME
    notices: list[str] = []
    # Two tries: the second is on a fresh file after moving an unreadable one aside.
    for _attempt in range(2):
        identity = ensure_db_file(db_path)
        try:
            progress = _open_file(db_path, reader, pack_id)
        except _Corrupt as corrupt:
            try:
                moved_to = move_aside(db_path, identity)
            finally:
                corrupt.conn.close()
            if moved_to is not None and not notices:
                notices.append(
                    f"Your progress file was unreadable; it was moved to {moved_to} "
                    "and thaw started fresh."
                )
            continue
        progress.notices[:0] = notices
        return progress
    raise not_saved(f"The progress file {db_path} is still unreadable after starting fresh")


def _open_file(db_path: Path, reader: str, pack_id: str) -> SqliteProgress:
    """Open read-write, upgrading an older file; fall back to read-only when the file is
    newer, cannot be upgraded, or cannot be written."""
    conn = connect(db_path, read_only=False)
    try:
        state = inspect_schema(conn)
        if state is SchemaState.WRONG:
            raise _Corrupt(conn)
        if state is not SchemaState.NEWER:
            use_wal(conn)
            # Looks again under the write lock: another session may have changed it.
            state = upgrade_schema(conn)
        if state is SchemaState.NEWER:
            conn.close()
            return _open_read_only(
                db_path,
                reader,
                pack_id,
                f"Your progress file {db_path} was written by a newer version of thaw; "
                "this session can read it but your progress will not be saved.",
            )
        if state is not SchemaState.CURRENT:
            raise _Corrupt(conn)
        progress = SqliteProgress(conn, db_path, reader, pack_id, writable=True)
        progress.claim_scope()  # a first write: finds out now whether saving works
        progress.load()
        return progress
    except MigrationFailed as exc:
        conn.close()
        return _open_read_only(
            db_path,
            reader,
            pack_id,
            f"Your progress file {db_path} is from an earlier version of thaw and "
            f"could not be upgraded ({exc}); it was left as it was, and your progress "
            "will not be saved this session.",
        )
    except sqlite3.Error as exc:
        if is_corruption(exc):
            raise _Corrupt(conn) from exc
        conn.close()
        return _open_read_only(
            db_path,
            reader,
            pack_id,
            f"Your progress file {db_path} cannot be written ({exc}); "
            "your progress will not be saved this session.",
        )
    except _Corrupt:
        raise
    except BaseException:
        conn.close()
        raise


def _open_read_only(db_path: Path, reader: str, pack_id: str, notice: str) -> SqliteProgress:
    """Read what the file holds when possible; every change then lives in memory only."""
    for immutable in (False, True):
        conn = connect(db_path, read_only=True, immutable=immutable)
        progress = SqliteProgress(conn, db_path, reader, pack_id, writable=False)
        try:
            progress.load()
        except sqlite3.Error:
            progress.close()  # a newer layout, or a log we cannot reach: try the next way
            continue
        progress.notices.append(notice)
        return progress
    raise StoreUnavailable(notice)
