"""`SqliteProgress`: one reader's progress in one pack, committed as each change happens.

Built by `thaw_tui.progress.store.open_progress`. Every change runs in its own short
`BEGIN IMMEDIATE ... COMMIT`, upserting one row per item, so two sessions of one
reader merge instead of overwriting each other. No textual or rich here.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from thaw_tui.progress import PackDelta, Position, Progress, ProgressStoreError
from thaw_tui.progress.delta import pack_delta, read_fingerprints, store_fingerprints
from thaw_tui.progress.schema import read_snapshot

Write = Callable[[sqlite3.Connection, int], object]

__all__ = ["ProgressStoreError", "SqliteProgress"]


class SqliteProgress(Progress):
    """Progress for one reader and one pack, saved as each change happens.

    Built by `open_progress`. When writing fails (read-only folder, full disk, a file
    from a newer thaw) it keeps working in memory: `persistent` turns False and one
    notice explains why. Unsaved changes stay layered over what `refresh()` reads.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        db_path: Path,
        reader: str,
        pack_id: str,
        *,
        writable: bool,
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.reader = reader
        self.pack_id = pack_id
        self._conn: sqlite3.Connection | None = conn
        self._writable = writable
        self._lock = threading.RLock()
        self._scope: int | None = None
        self._unsaved: dict[str, bool] = {}  # this session's changes the disk does not have
        self._ignore_disk_items = False  # set by a reset that could not be saved
        self._noted: dict[str, str] | None = None  # fingerprints noted while not saving
        self._data_version: int | None = None

    # --- what the UI asks -------------------------------------------------------
    @property
    def persistent(self) -> bool:
        return self._writable and self._conn is not None

    # --- what the UI changes ----------------------------------------------------
    def _apply(self, states: Mapping[str, bool]) -> None:
        super()._apply(states)
        now = time.time()
        rows = [(item_id, int(seen), now) for item_id, seen in states.items()]

        def write(conn: sqlite3.Connection, scope: int) -> None:
            conn.executemany(
                "INSERT INTO item_state (scope, item, seen, updated) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (scope, item) DO UPDATE "
                "SET seen = excluded.seen, updated = excluded.updated",
                [(scope, *row) for row in rows],
            )

        if not self._save(write):
            self._unsaved.update(states)

    def reset(self) -> None:
        super().reset()
        self._unsaved.clear()
        if self._delete_rows() is None:
            self._ignore_disk_items = True

    def remember_position(self, position: Position) -> None:
        if position == self.position:
            return
        super().remember_position(position)
        row = (position.pane, position.item_id, position.thread_id, time.time())
        self._save(
            lambda conn, scope: conn.execute(
                "INSERT INTO position (scope, pane, item, thread, updated) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope) DO UPDATE SET pane = excluded.pane, "
                "item = excluded.item, thread = excluded.thread, updated = excluded.updated",
                (scope, *row),
            )
        )

    def remember_setting(self, key: str, value: str) -> None:
        if self.settings.get(key) == value:
            return
        super().remember_setting(key, value)
        # Settings belong to the reader, whichever pack they are reading.
        self._save(
            lambda conn, _scope: conn.execute(
                "INSERT INTO setting (reader, key, value, updated) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (reader, key) DO UPDATE "
                "SET value = excluded.value, updated = excluded.updated",
                (self.reader, key, value, time.time()),
            )
        )

    def note_pack(self, version: str, fingerprints: Mapping[str, str]) -> PackDelta:
        current = dict(fingerprints)
        result = PackDelta()

        def write(conn: sqlite3.Connection, scope: int) -> None:
            nonlocal result
            previous = read_fingerprints(conn, scope)
            result = pack_delta(previous, current, self.seen)
            store_fingerprints(conn, scope, previous or {}, current, version)

        if self._save(write):
            return result
        # Not saving: compare with what this session noted, else with what the file holds.
        previous = self._noted if self._noted is not None else self._read_noted()
        self._noted = current
        return pack_delta(previous, current, self.seen)

    def refresh(self) -> None:
        """Reload this reader's items if another connection committed since last time."""
        with self._lock:
            if self._conn is None:
                return
            try:
                version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
                if version == self._data_version:
                    return
                with read_snapshot(self._conn):
                    self._load_items()
                    self._load_settings()
                self._data_version = version
            except sqlite3.Error:
                return  # keep what we have; a broken file is reported on the next write

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                finally:
                    self._conn = None

    # --- loading ------------------------------------------------------------------
    def load(self) -> None:
        """Read this reader's rows (raises sqlite3.Error: the opener decides what it means)."""
        with self._lock:
            if self._conn is None:
                return
            self._data_version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            with read_snapshot(self._conn):
                self._load_snapshot()

    def _load_snapshot(self) -> None:
        assert self._conn is not None
        self._load_items()
        self._load_settings()
        scope = self._find_scope()
        if scope is None:
            return
        row = self._conn.execute(
            "SELECT pane, item, thread FROM position WHERE scope = ?", (scope,)
        ).fetchone()
        if row is not None:
            self.position = Position(pane=row[0], item_id=row[1], thread_id=row[2])

    def _load_items(self) -> None:
        assert self._conn is not None
        seen: set[str] = set()
        scope = self._find_scope()
        if scope is not None and not self._ignore_disk_items:
            seen = {
                str(row[0])
                for row in self._conn.execute(
                    "SELECT item FROM item_state WHERE scope = ? AND seen = 1", (scope,)
                )
            }
        for item_id, is_seen in self._unsaved.items():
            if is_seen:
                seen.add(item_id)
            else:
                seen.discard(item_id)
        self.seen = seen

    def _load_settings(self) -> None:
        assert self._conn is not None
        rows = self._conn.execute("SELECT key, value FROM setting WHERE reader = ?", (self.reader,))
        loaded = {str(key): str(value) for key, value in rows}
        if not self.persistent:
            loaded.update(self.settings)  # this session's choices were never written
        self.settings = loaded

    def _find_scope(self) -> int | None:
        if self._scope is None and self._conn is not None:
            row = self._conn.execute(
                "SELECT id FROM scope WHERE reader = ? AND pack = ?", (self.reader, self.pack_id)
            ).fetchone()
            self._scope = None if row is None else int(row[0])
        return self._scope

    def _read_noted(self) -> dict[str, str] | None:
        with self._lock:
            scope = self._find_scope_quietly()
            if scope is None or self._conn is None:
                return None
            try:
                return read_fingerprints(self._conn, scope)
            except sqlite3.Error:
                return None

    def _find_scope_quietly(self) -> int | None:
        try:
            return self._find_scope()
        except sqlite3.Error:
            return None

    # --- saving -------------------------------------------------------------------
    def delete_rows(self) -> int:
        """Delete this reader+pack's item rows and position; returns item rows removed.

        Raises ProgressStoreError when the file cannot be written.
        """
        removed = self._delete_rows()
        if removed is None:
            raise ProgressStoreError(" ".join(self.notices) or f"{self.db_path} is read-only.")
        return removed

    def _delete_rows(self) -> int | None:
        removed = 0

        def write(conn: sqlite3.Connection, scope: int) -> None:
            nonlocal removed
            removed = conn.execute("DELETE FROM item_state WHERE scope = ?", (scope,)).rowcount
            conn.execute("DELETE FROM position WHERE scope = ?", (scope,))

        return removed if self._save(write) else None

    def _save(self, write: Write) -> bool:
        """Run `write` in its own committed transaction; False (and stop saving) on failure."""
        with self._lock:
            conn = self._conn
            if conn is None or not self._writable:
                return False
            try:
                conn.execute("BEGIN IMMEDIATE")
                write(conn, self._scope_for_writing(conn))
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback_quietly(conn)
                self._stop_saving(exc)
                return False
            return True

    def claim_scope(self) -> None:
        """Create this reader+pack's scope row (raises sqlite3.Error if the file is read-only)."""
        with self._lock:
            assert self._conn is not None
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._scope_for_writing(self._conn)
                self._conn.execute("COMMIT")
            except BaseException:
                self._rollback_quietly(self._conn)
                raise

    def _scope_for_writing(self, conn: sqlite3.Connection) -> int:
        if self._scope is None:
            conn.execute(
                "INSERT INTO scope (reader, pack) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (self.reader, self.pack_id),
            )
            self._scope = self._find_scope()
        assert self._scope is not None
        return self._scope

    @staticmethod
    def _rollback_quietly(conn: sqlite3.Connection) -> None:
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # SQLite rolls back on its own when it cannot; nothing more to do here

    def _stop_saving(self, error: sqlite3.Error) -> None:
        self._writable = False
        reason = str(error) or type(error).__name__
        self.notices.append(
            f"Your progress could not be saved to {self.db_path} ({reason}); "
            "from now on it is kept only until you quit."
        )
