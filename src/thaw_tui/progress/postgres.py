"""`PostgresProgress`: one reader's progress in one pack, kept in PostgreSQL.

Built by `thaw_tui.progress.store.open_progress` for a postgresql:// URL. Many
`thaw serve` hosts can share one database: a reader is the same fingerprint on every
host, so their progress follows them.

How it behaves, and why:

- The reader's keys never wait for the network. A change (a mark, an undo, a reset,
  the position, a setting) is applied in memory at once and queued; one writer thread
  per session writes each queued change in its own transaction, in order. `flush()`
  waits until everything queued so far is committed.
- Per item, the later mark wins. Each item row records when the mark was *made*, on
  the database's clock (each session reads that clock once when it first connects and
  counts from there with its own monotonic clock), and an upsert only replaces an
  older row. So a mark kept while the database was down cannot undo a later mark
  another session made meanwhile, marks of one session keep their order however
  late they are written, and the hosts' wall clocks do not matter.
- When PostgreSQL is unreachable or goes away, reading goes on: `persistent` turns
  False (the header says progress is not saved), changes wait in memory, and the
  writer retries with a growing pause and writes them, oldest first, once the
  database answers again. If the session ends while it is still down, `exit_notice`
  says how many changes were lost.
- Other sessions' changes are picked up by `refresh()`, which asks the writer to read
  one number (the pair's `revision`) and the rows only when it moved. Changes of this
  session that are not yet written stay layered over what is read.
- A database from a newer thaw, or an older one this role may not upgrade, is read
  but never written, with a notice (the owner runs `thaw progress migrate`).

Values are only ever sent as query parameters; no SQL text is built from data. The
URL's password never reaches a notice, an error or a log line (`urls.scrub`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

from thaw_tui.progress import PackDelta, Position, Progress, ProgressStoreError
from thaw_tui.progress import postgres_schema as pg_schema
from thaw_tui.progress.delta import pack_delta
from thaw_tui.progress.urls import ProgressUrlError, describe, scrub

# Without a handler anywhere, Python prints the driver's warnings ("error connecting
# in pool ...") to stderr, which in a reading session is the reader's screen.
logging.getLogger("psycopg").addHandler(logging.NullHandler())

Conn = psycopg.Connection[Any]

# Connection settings thaw adds when the URL does not choose them.
CONNECT_DEFAULTS = {
    "connect_timeout": "3",  # seconds libpq waits for a server (2 is its minimum)
    "application_name": "thaw",
    # A server that vanished without closing the connection is noticed in seconds.
    "keepalives": "1",
    "keepalives_idle": "10",
    "keepalives_interval": "3",
    "keepalives_count": "3",
    "tcp_user_timeout": "5000",  # milliseconds unacknowledged data may wait
}
# Per connection: no statement of a reader's waits long on a lock (a migration, say).
STATEMENT_TIMEOUT = "5s"
LOCK_TIMEOUT = "2s"

START_WAIT = 3.5  # opening waits this long for a first connection, then starts unsaved
CONNECTION_WAIT = 1.0  # the writer's wait for the pool's connection before retrying
RETRY_PAUSES = (0.0, 0.5, 1.0, 2.0, 4.0, 5.0)  # after 1, 2, 3... failures in a row
ANSWER_WAIT = 0.5  # refresh() and note_pack() wait this long for the writer's answer
CLOSE_WAIT = 1.5  # closing waits this long for unsaved changes (the hang-up grace is 2 s)

_ITEM_UPSERT = (
    "INSERT INTO thaw_item_state AS s (scope, item, seen, updated) VALUES (%s, %s, %s, %s) "
    "ON CONFLICT (scope, item) DO UPDATE SET seen = EXCLUDED.seen, updated = EXCLUDED.updated "
    "WHERE s.updated <= EXCLUDED.updated"
)
_BUMP_REVISION = "UPDATE thaw_scope SET revision = revision + 1 WHERE id = %s RETURNING revision"


def _transient(error: BaseException) -> bool:
    """True for trouble that passes (the server is down, restarting, busy, failing
    over); False for what retrying cannot fix (a missing privilege, a bad layout)."""
    return isinstance(
        error,
        PoolTimeout
        | PoolClosed
        | psycopg.OperationalError
        | psycopg.InterfaceError
        | psycopg.errors.ReadOnlySqlTransaction,
    )


def _reason(error: BaseException, url: str) -> str:
    """The first line of an error's message, without the URL's password."""
    if isinstance(error, PoolTimeout):
        return "no connection"
    text = str(error).strip().splitlines()
    return scrub(text[0] if text else type(error).__name__, url)


def conninfo_for(url: str) -> str:
    """The libpq connection string for `url`, with thaw's defaults where it has none."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise ProgressUrlError(
            f"the progress URL is not one PostgreSQL can read ({_reason(exc, url)})."
        ) from None
    for key, value in CONNECT_DEFAULTS.items():
        params.setdefault(key, value)
    return make_conninfo("", **params)


def connect(url: str) -> Conn:
    """One plain connection (for `thaw progress migrate` and `thaw serve`'s check)."""
    return psycopg.Connection.connect(conninfo_for(url), autocommit=True)


def _configure(conn: Conn) -> tuple[float, datetime]:
    """Set the connection's timeouts; return (monotonic time, the database's time then)."""
    before = time.monotonic()
    row = conn.execute(
        "SELECT set_config('statement_timeout', %s, false), "
        "set_config('lock_timeout', %s, false), clock_timestamp()",
        (STATEMENT_TIMEOUT, LOCK_TIMEOUT),
    ).fetchone()
    after = time.monotonic()
    assert row is not None
    return (before + after) / 2, row[2]


@dataclass
class _Change:
    """One change, written in one transaction. `items`, `settings` and `reset` say what
    it does to the reader's state, so that it can be layered over what is read."""

    seq: int
    write: Callable[[Conn, Any], object]  # (connection, scope id) -> result
    items: dict[str, bool] | None = None
    settings: dict[str, str] | None = None
    reset: bool = False
    made: float = field(default_factory=time.monotonic)
    result: object = None
    done: threading.Event = field(default_factory=threading.Event)


@dataclass
class _Snapshot:
    """What the database held after every change up to `upto` was committed."""

    upto: int
    seen: set[str] | None  # None: the items have not changed since the last read
    settings: dict[str, str]
    position: Position | None = None


class PostgresProgress(Progress):
    """Progress for one reader and one pack in PostgreSQL (see the module's docstring)."""

    def __init__(self, url: str, reader: str, pack_id: str) -> None:
        super().__init__()
        self.url = url
        self.where = describe(url)
        self.reader = reader
        self.pack_id = pack_id
        self._cond = threading.Condition()
        self._pool = ConnectionPool(
            conninfo_for(url),
            min_size=1,
            max_size=1,
            open=False,
            kwargs={"autocommit": True},
            configure=self._connected,
            # The pool tries twice, then leaves retrying to the writer, which knows
            # whether there is anything to write and keeps the pauses short.
            reconnect_timeout=0.0,
            reconnect_failed=self._connect_failed,
            name="thaw-progress",
            num_workers=1,
        )
        self._answered = threading.Event()  # the pool's first attempt has an outcome
        self._anchor: tuple[float, datetime] | None = None
        self._writable = True
        self._saving = False
        self._prepared = False
        self._scope: int | None = None
        self._revision: int | None = None
        self._changes: list[_Change] = []  # unwritten changes, and some written ones
        self._next_seq = 0
        self._committed = 0  # seq of the last change written
        self._loaded: _Snapshot | None = None  # read by the writer, not yet applied
        self._reload_asked = 0
        self._reload_done = 0
        self._jobs: list[_Change] = []  # reads the writer runs even when not writable
        self._failures = 0
        self._retry_now = False
        self._stopping = False
        self._closed = False
        self._exit_notice: str | None = None
        self._noted: dict[str, str] | None = None
        self._thread = threading.Thread(target=self._run, name="thaw-progress", daemon=True)

    # --- opening --------------------------------------------------------------------------
    def start(self) -> None:
        """Connect, upgrade the tables if needed, read the reader's progress, and start
        the writer. Never raises for the database: when it cannot be reached, the
        session starts unsaved and catches up once it can."""
        self._pool.open(wait=False)
        if self._answered.wait(START_WAIT):
            try:
                with self._pool.connection(timeout=CONNECTION_WAIT) as conn:
                    snapshot = self._prepare(conn)
            except Exception as exc:
                self._prepared = False
                if not _transient(exc):
                    if not isinstance(exc, psycopg.Error):
                        raise
                    self._give_up_writing(exc)
            else:
                self._apply_snapshot(snapshot)
                self._saving = True
        if not self._saving and self._writable:
            self.notices.append(
                f"{self.where} cannot be reached; reading goes on, and what you mark "
                "is saved when it can be reached again."
            )
        self._thread.start()

    def _connected(self, conn: Conn) -> None:
        anchor = _configure(conn)
        if self._anchor is None:  # one anchor per session keeps its marks in order
            self._anchor = anchor
        self._answered.set()

    def _database_time(self, monotonic: float) -> datetime:
        """When `monotonic` was, on the database's clock."""
        assert self._anchor is not None
        local, remote = self._anchor
        return remote + timedelta(seconds=monotonic - local)

    def _connect_failed(self, _pool: object) -> None:
        self._answered.set()

    def _prepare(self, conn: Conn) -> _Snapshot:
        """Bring the tables to this thaw's version (when they are older), find the
        reader's scope, and read everything. Sets the store read-only, with a notice,
        when the database is newer or may not be upgraded or written by this role."""
        version = pg_schema.read_version(conn)
        state = pg_schema.state_of(version)
        if state in (pg_schema.SchemaState.EMPTY, pg_schema.SchemaState.OLDER):
            try:
                _before, version = pg_schema.upgrade(conn)
            except psycopg.errors.InsufficientPrivilege:
                self._read_only(
                    f"{self.where} holds progress from an earlier version of thaw and this "
                    "reader may not upgrade it: its owner should run `thaw progress "
                    "migrate`. Your progress will not be saved this session."
                )
            except pg_schema.MigrationFailed as exc:
                self._read_only(
                    f"{self.where} holds progress from an earlier version of thaw and could "
                    f"not be upgraded ({scrub(str(exc), self.url)}); it was left as it was, "
                    "and your progress will not be saved this session."
                )
            state = pg_schema.state_of(version)
        if state is pg_schema.SchemaState.NEWER:
            self._read_only(
                f"{self.where} was written by a newer version of thaw; this session can "
                "read it but your progress will not be saved."
            )
        if self._writable:
            try:
                self._scope = self._claim_scope(conn)
            except psycopg.Error as exc:
                if _transient(exc):
                    raise
                self._stop_writing(exc)
        if not self._writable:
            self._scope = self._find_scope(conn)
        self._prepared = True
        try:
            return self._read(conn, with_position=True, force=True)
        except psycopg.Error as exc:
            if _transient(exc) or self._writable:
                raise
            # A newer layout this thaw cannot read: start empty, in memory.
            return _Snapshot(upto=self._committed, seen=set(), settings={})

    def _find_scope(self, conn: Conn) -> int | None:
        row = conn.execute(
            "SELECT id FROM thaw_scope WHERE reader = %s AND pack = %s",
            (self.reader, self.pack_id),
        ).fetchone()
        return None if row is None else int(row[0])

    def _claim_scope(self, conn: Conn) -> int:
        scope = self._find_scope(conn)
        if scope is not None:
            return scope
        row = conn.execute(
            "INSERT INTO thaw_scope (reader, pack) VALUES (%s, %s) "
            "ON CONFLICT (reader, pack) DO NOTHING RETURNING id",
            (self.reader, self.pack_id),
        ).fetchone()
        if row is not None:
            return int(row[0])
        scope = self._find_scope(conn)  # another session inserted it a moment ago
        assert scope is not None
        return scope

    # --- what the UI asks -----------------------------------------------------------------
    @property
    def persistent(self) -> bool:
        return self._writable and self._saving and not self._closed

    @property
    def exit_notice(self) -> str | None:
        return self._exit_notice

    # --- what the UI changes --------------------------------------------------------------
    def _apply(self, states: Mapping[str, bool]) -> None:
        super()._apply(states)
        rows = dict(states)

        def write(conn: Conn, scope: int) -> None:
            made = self._database_time(change.made)
            with conn.cursor() as cursor:
                cursor.executemany(
                    _ITEM_UPSERT, [(scope, item, seen, made) for item, seen in rows.items()]
                )
                replaced = cursor.rowcount
            # A row that kept a later mark from elsewhere: read the rows again later.
            self._bump_revision(conn, scope, claim=replaced == len(rows))

        change = self._queue(write, items=rows)

    def reset(self) -> None:
        super().reset()
        self._queue_reset()

    def remember_position(self, position: Position) -> None:
        if position == self.position:
            return
        super().remember_position(position)
        row = (position.pane, position.item_id, position.thread_id)
        self._queue(
            lambda conn, scope: conn.execute(
                "INSERT INTO thaw_position (scope, pane, item, thread, updated) "
                "VALUES (%s, %s, %s, %s, clock_timestamp()) ON CONFLICT (scope) DO UPDATE "
                "SET pane = EXCLUDED.pane, item = EXCLUDED.item, thread = EXCLUDED.thread, "
                "updated = EXCLUDED.updated",
                (scope, *row),
            )
        )

    def remember_setting(self, key: str, value: str) -> None:
        if self.settings.get(key) == value:
            return
        super().remember_setting(key, value)
        self._queue(
            lambda conn, _scope: conn.execute(
                "INSERT INTO thaw_setting (reader, key, value, updated) "
                "VALUES (%s, %s, %s, clock_timestamp()) ON CONFLICT (reader, key) "
                "DO UPDATE SET value = EXCLUDED.value, updated = EXCLUDED.updated",
                (self.reader, key, value),
            ),
            settings={key: value},
        )

    def note_pack(self, version: str, fingerprints: Mapping[str, str]) -> PackDelta:
        current = dict(fingerprints)
        seen = set(self.seen)
        writable = self._writable

        def compare(conn: Conn, scope: int | None) -> PackDelta:
            previous = _read_fingerprints(conn, scope)
            if writable and scope is not None:
                _store_fingerprints(conn, scope, previous or {}, current, version)
            return pack_delta(previous, current, seen)

        if writable:
            job = self._queue(compare)
        else:
            job = self._queue_job(compare)
        if self._saving and job.done.wait(ANSWER_WAIT) and isinstance(job.result, PackDelta):
            return job.result
        # No answer now: compare with what this session noted (nothing, the first time).
        previous, self._noted = self._noted, current
        return pack_delta(previous, current, seen)

    def refresh(self) -> None:
        """Apply what other sessions changed (asks the writer, waits a moment when the
        database is answering, and otherwise applies the answer on a later call)."""
        with self._cond:
            if self._closed:
                return
            self._reload_asked += 1
            asked = self._reload_asked
            self._cond.notify_all()
            if self._saving:
                self._cond.wait_for(lambda: self._reload_done >= asked, timeout=ANSWER_WAIT)
            snapshot, self._loaded = self._loaded, None
        if snapshot is not None:
            self._apply_snapshot(snapshot)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every change made so far is written; False if some are not."""
        with self._cond:
            if not self._writable:
                return not self._unwritten()
            target = self._next_seq
            self._retry_now = True
            self._cond.notify_all()
            self._cond.wait_for(
                lambda: self._committed >= target or not self._writable, timeout=timeout
            )
            return self._committed >= target

    def close(self) -> None:
        if self._closed:
            return
        self.flush(CLOSE_WAIT)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(CLOSE_WAIT)
        self._pool.close(timeout=1.0)
        with self._cond:
            self._closed = True
            lost = [c for c in self._unwritten() if c.items or c.reset]
        if lost and self._writable:
            count = len(lost)
            changes = "change" if count == 1 else "changes"
            self._exit_notice = (
                f"thaw: {self.where} could not be reached, so your last {count} {changes} "
                "to your reading progress (marks, undos or a reset) were not saved."
            )

    def delete_rows(self) -> int:
        """Forget this reader+pack's items and position now (`thaw --reset-progress`);
        returns how many item rows were removed. Raises ProgressStoreError when the
        database cannot be written."""
        change = self._queue_reset()
        if not self.flush(CLOSE_WAIT * 4) or not isinstance(change.result, int):
            raise ProgressStoreError(
                " ".join(self.notices) or f"{self.where} cannot be reached or written."
            )
        return change.result

    # --- queueing ---------------------------------------------------------------------------
    def _queue(
        self,
        write: Callable[[Conn, int], object],
        *,
        items: dict[str, bool] | None = None,
        settings: dict[str, str] | None = None,
        reset: bool = False,
    ) -> _Change:
        with self._cond:
            self._next_seq += 1
            change = _Change(self._next_seq, write, items, settings, reset)
            self._changes.append(change)
            self._cond.notify_all()
        return change

    def _queue_job(self, read: Callable[[Conn, int | None], object]) -> _Change:
        with self._cond:
            job = _Change(0, read)
            self._jobs.append(job)
            self._cond.notify_all()
        return job

    def _queue_reset(self) -> _Change:
        def write(conn: Conn, scope: int) -> int:
            removed = conn.execute("DELETE FROM thaw_item_state WHERE scope = %s", (scope,))
            conn.execute("DELETE FROM thaw_position WHERE scope = %s", (scope,))
            self._bump_revision(conn, scope, claim=True)
            return removed.rowcount

        return self._queue(write, reset=True)

    def _unwritten(self) -> list[_Change]:
        return [c for c in self._changes if c.seq > self._committed]

    def _bump_revision(self, conn: Conn, scope: int, *, claim: bool) -> None:
        """Tell other sessions the items changed; remember the new revision as read when
        nobody else changed them in between (so this session does not read them back)."""
        row = conn.execute(_BUMP_REVISION, (scope,)).fetchone()
        if row is not None and claim and self._revision is not None:
            if int(row[0]) == self._revision + 1:
                self._revision = int(row[0])

    # --- the writer -----------------------------------------------------------------------------
    def _has_work(self) -> bool:
        return bool(
            (self._writable and self._unwritten())
            or self._jobs
            or self._reload_asked > self._reload_done
        )

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._stopping or self._has_work())
                if self._stopping:
                    return
            if self._work():
                self._failures = 0
                continue
            self._failures += 1
            pause = RETRY_PAUSES[min(self._failures, len(RETRY_PAUSES)) - 1]
            with self._cond:
                self._retry_now = False
                self._cond.wait_for(lambda: self._stopping or self._retry_now, timeout=pause)

    def _work(self) -> bool:
        """Write what is queued, run the reads asked for; False on connection trouble."""
        try:
            with self._pool.connection(timeout=CONNECTION_WAIT) as conn:
                if not self._prepared:
                    self._store_loaded(self._prepare(conn))
                self._write_queued(conn)
                self._run_jobs(conn)
                self._reload_if_asked(conn)
        except Exception as exc:
            if not _transient(exc):
                if not isinstance(exc, psycopg.Error):
                    raise
                self._give_up_writing(exc)
                return True
            if self._failures >= 1:  # a second failure in a row: say so
                with self._cond:
                    self._saving = False
            return False
        with self._cond:
            self._saving = True
        return True

    def _write_queued(self, conn: Conn) -> None:
        while True:
            with self._cond:
                pending = self._unwritten() if self._writable else []
                if not pending:
                    return
                change = pending[0]
            scope = self._scope
            assert scope is not None
            with conn.transaction():
                result = change.write(conn, scope)
            with self._cond:
                change.result = result
                self._committed = change.seq
                if self._loaded is None:  # nothing read earlier waits to be layered
                    self._changes = [c for c in self._changes if c.seq > self._committed]
                change.done.set()
                self._cond.notify_all()

    def _run_jobs(self, conn: Conn) -> None:
        while True:
            with self._cond:
                if not self._jobs:
                    return
                job = self._jobs[0]
            job.result = job.write(conn, self._scope)
            with self._cond:
                self._jobs.pop(0)
                job.done.set()

    def _reload_if_asked(self, conn: Conn) -> None:
        with self._cond:
            asked = self._reload_asked
            if asked <= self._reload_done:
                return
        self._store_loaded(self._read(conn, with_position=False, force=False))
        with self._cond:
            self._reload_done = asked
            self._cond.notify_all()

    def _store_loaded(self, snapshot: _Snapshot) -> None:
        """Keep what was read for the UI thread; an earlier read it has not applied yet
        still tells the items and position when this one does not."""
        with self._cond:
            earlier = self._loaded
            if earlier is not None:
                if snapshot.seen is None:  # the items are as then: layer from then on
                    snapshot.seen = earlier.seen
                    snapshot.upto = earlier.upto
                if snapshot.position is None:
                    snapshot.position = earlier.position
            self._loaded = snapshot

    def _read(self, conn: Conn, *, with_position: bool, force: bool) -> _Snapshot:
        """What the database holds for this reader (the items only when they changed)."""
        upto = self._committed
        settings = {
            str(key): str(value)
            for key, value in conn.execute(
                "SELECT key, value FROM thaw_setting WHERE reader = %s", (self.reader,)
            )
        }
        scope = self._scope
        if scope is None:
            return _Snapshot(upto, set(), settings)
        row = conn.execute("SELECT revision FROM thaw_scope WHERE id = %s", (scope,)).fetchone()
        revision = None if row is None else int(row[0])
        seen: set[str] | None = None
        if force or revision != self._revision:
            seen = {
                str(item)
                for (item,) in conn.execute(
                    "SELECT item FROM thaw_item_state WHERE scope = %s AND seen", (scope,)
                )
            }
            self._revision = revision
        position = None
        if with_position:
            found = conn.execute(
                "SELECT pane, item, thread FROM thaw_position WHERE scope = %s", (scope,)
            ).fetchone()
            if found is not None:
                position = Position(pane=found[0], item_id=found[1], thread_id=found[2])
        return _Snapshot(upto, seen, settings, position)

    def _apply_snapshot(self, snapshot: _Snapshot) -> None:
        """Show what was read, with this session's later changes on top (UI thread)."""
        with self._cond:
            layer = [c for c in self._changes if c.seq > snapshot.upto]
            if self._loaded is None:
                self._changes = [c for c in self._changes if c.seq > self._committed]
        if snapshot.seen is not None:
            seen = set(snapshot.seen)
            for change in layer:
                if change.reset:
                    seen.clear()
                for item_id, is_seen in (change.items or {}).items():
                    if is_seen:
                        seen.add(item_id)
                    else:
                        seen.discard(item_id)
            self.seen = seen
        settings = dict(snapshot.settings)
        for change in layer:
            settings.update(change.settings or {})
        self.settings = settings
        if snapshot.position is not None and not any(c.reset for c in layer):
            self.position = snapshot.position

    # --- not writing ------------------------------------------------------------------------------
    def _read_only(self, notice: str) -> None:
        with self._cond:
            self._writable = False
            self._cond.notify_all()
        self.notices.append(notice)

    def _stop_writing(self, error: psycopg.Error) -> None:
        if self._writable:
            self._read_only(
                f"Your progress could not be saved to {self.where} "
                f"({_reason(error, self.url)}); from now on it is kept only until you quit."
            )

    def _give_up_writing(self, error: psycopg.Error) -> None:
        """Trouble retrying cannot fix: stop writing, and answer what was asked for
        (with nothing) so that no one waits and the writer does not go round again."""
        self._stop_writing(error)
        with self._cond:
            self._prepared = True
            self._reload_done = self._reload_asked
            for job in self._jobs:
                job.done.set()
            self._jobs.clear()
            self._cond.notify_all()


def _read_fingerprints(conn: Conn, scope: int | None) -> dict[str, str] | None:
    if scope is None:
        return None
    noted = conn.execute("SELECT 1 FROM thaw_pack_session WHERE scope = %s", (scope,)).fetchone()
    if noted is None:
        return None
    rows = conn.execute("SELECT item, fingerprint FROM thaw_pack_item WHERE scope = %s", (scope,))
    return {str(item): str(fingerprint) for item, fingerprint in rows}


def _store_fingerprints(
    conn: Conn,
    scope: int,
    previous: Mapping[str, str],
    current: Mapping[str, str],
    version: str,
) -> None:
    """Write only the differences: an unchanged pack costs one row at start-up."""
    gone = [(scope, item) for item in previous if item not in current]
    updated = [(scope, item, fp) for item, fp in current.items() if previous.get(item) != fp]
    with conn.cursor() as cursor:
        if gone:
            cursor.executemany("DELETE FROM thaw_pack_item WHERE scope = %s AND item = %s", gone)
        if updated:
            cursor.executemany(
                "INSERT INTO thaw_pack_item (scope, item, fingerprint) VALUES (%s, %s, %s) "
                "ON CONFLICT (scope, item) DO UPDATE SET fingerprint = EXCLUDED.fingerprint",
                updated,
            )
    conn.execute(
        "INSERT INTO thaw_pack_session (scope, version, noted) VALUES (%s, %s, clock_timestamp()) "
        "ON CONFLICT (scope) DO UPDATE SET version = EXCLUDED.version, noted = EXCLUDED.noted",
        (scope, version),
    )


def open_postgres_progress(url: str, reader: str, pack_id: str) -> PostgresProgress:
    """Open one reader's progress in the database at `url` (see PostgresProgress)."""
    progress = PostgresProgress(url, reader, pack_id)
    progress.start()
    return progress


@dataclass(frozen=True)
class MigrateResult:
    before: int
    after: int
    where: str


def migrate(url: str) -> MigrateResult:
    """Create or upgrade thaw's tables (`thaw progress migrate`, `thaw serve` at start).

    Raises ProgressStoreError with a sentence (never the password) when the database
    cannot be reached, is newer than this thaw, or may not be changed by this role."""
    where = describe(url)
    try:
        with connect(url) as conn:
            before = pg_schema.read_version(conn)
            if before > pg_schema.SCHEMA_VERSION:
                raise ProgressStoreError(
                    f"{where} is at schema version {before}, written by a newer thaw "
                    f"(this one knows up to {pg_schema.SCHEMA_VERSION}): upgrade thaw."
                )
            before, after = pg_schema.upgrade(conn)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise ProgressStoreError(
            f"{where} needs its tables created or upgraded and this role may not "
            f"({_reason(exc, url)}): run `thaw progress migrate` as the database's owner."
        ) from None
    except pg_schema.MigrationFailed as exc:
        raise ProgressStoreError(f"{where} was not changed: {scrub(str(exc), url)}.") from None
    except psycopg.Error as exc:
        raise ProgressStoreError(f"{where} cannot be used ({_reason(exc, url)}).") from None
    return MigrateResult(before, after, where)
