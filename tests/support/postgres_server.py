"""A real PostgreSQL for tests and benchmarks: `initdb` into a temporary folder.

The server listens on a free loopback port (password authentication, SCRAM) and a
unix socket in its own folder, and is stopped and removed at the end. `initdb` and
`pg_ctl` refuse to run as root, so as root they run as the `postgres` user (through
`runuser`) in a folder that user owns.

Tests get it through the `postgres_server` fixture (one server per test session, or
per xdist worker). Each test gets a fresh schema in one shared database
(`PostgresServer.new_store`, a millisecond) rather than a fresh database (a quarter
of a second); the store's URL selects it with `options=-csearch_path=...`, which is
also how a host would keep thaw's tables in a schema of their own.
Without the server binaries the tests are skipped, except under CI (`CI=true`),
where `.ci/run` installs them and their absence is a failure.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUPERUSER = "thaw_test_admin"
TEST_DATABASE = "thaw_tests"
START_TIMEOUT = 60


def find_bindir() -> Path | None:
    """Where initdb and pg_ctl are: $THAW_PG_BIN, Debian's versioned folder, or PATH."""
    override = os.environ.get("THAW_PG_BIN")
    if override:
        return Path(override)
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    if versions:
        return Path(versions[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """One PostgreSQL cluster in a temporary folder (see the module's docstring)."""

    bindir: Path
    durable: bool = False  # fsync and synchronous commits, as in production (benchmarks)
    root: Path = field(init=False)
    port: int = field(init=False)
    admin_password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    _run_as: list[str] = field(default_factory=list)
    _made: int = 0

    def __post_init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="thaw-pg-"))
        self.port = free_port()
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self._run_as = ["runuser", "-u", "postgres", "--"]
        self._init()

    # --- paths -------------------------------------------------------------------------------
    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    # --- life cycle ----------------------------------------------------------------------------
    def _pg(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self._run_as, str(self.bindir / program), *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=START_TIMEOUT,
            cwd=self.root,
        )

    def _init(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(self.admin_password + "\n")
        if self._run_as:
            owner = pwd.getpwnam("postgres")
            os.chown(pwfile, owner.pw_uid, owner.pw_gid)
        os.chmod(pwfile, 0o600)
        self._pg(
            "initdb",
            "-D", str(self.data),
            "-U", SUPERUSER,
            f"--pwfile={pwfile}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E", "UTF8",
            "--locale=C",
            "--no-sync",
        )  # fmt: skip
        pwfile.unlink()
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.socket_dir}'",
            "max_connections": "400",
            "shared_buffers": "64MB",
            "log_min_messages": "warning",
            "log_connections": "off",
        }
        if not self.durable:
            settings |= {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
        with (self.data / "postgresql.conf").open("a") as conf:
            for key, value in settings.items():
                conf.write(f"{key} = {value}\n")

    def start(self) -> None:
        result = self._pg("pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(self.log),
                          check=False)  # fmt: skip
        if result.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {result.stderr}\n{log[-2000:]}")

    def stop(self, mode: str = "fast") -> None:
        self._pg("pg_ctl", "stop", "-w", "-m", mode, "-D", str(self.data), check=False)

    def running(self) -> bool:
        return self._pg("pg_ctl", "status", "-D", str(self.data), check=False).returncode == 0

    def remove(self) -> None:
        if self.running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    # --- connecting ------------------------------------------------------------------------------
    def url(
        self,
        database: str,
        user: str = SUPERUSER,
        password: str | None = None,
        schema: str | None = None,
    ) -> str:
        """A postgresql:// URL over TCP on loopback, with the password in it."""
        secret = self.admin_password if password is None and user == SUPERUSER else password
        auth = f"{user}:{secret}" if secret else user
        url = f"postgresql://{auth}@127.0.0.1:{self.port}/{database}"
        return f"{url}?options=-csearch_path%3D{schema}" if schema else url

    def new_name(self, prefix: str) -> str:
        self._made += 1
        return f"{prefix}_{os.getpid()}_{self._made}"

    def new_store(self) -> tuple[str, str]:
        """A fresh, empty schema in the test database: (schema name, superuser URL)."""
        from psycopg import sql

        schema = self.new_name("t")
        with self.admin(TEST_DATABASE) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        return schema, self.url(TEST_DATABASE, schema=schema)

    def admin(self, database: str = "postgres") -> Any:
        """A psycopg connection as the superuser, in autocommit mode."""
        import psycopg

        return psycopg.connect(self.url(database), autocommit=True)

    def new_database(self, owner: str = SUPERUSER) -> str:
        """A fresh, empty database (a quarter of a second); returns its name."""
        from psycopg import sql

        name = self.new_name("db")
        with self.admin() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(name), sql.Identifier(owner)
                )
            )
        return name

    def run_sql(self, database: str, statements: Sequence[str]) -> None:
        with self.admin(database) as conn:
            for statement in statements:
                conn.execute(statement)

    def query(self, database: str, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.admin(database) as conn:
            return list(conn.execute(statement, params).fetchall())


def start_server(durable: bool = False) -> PostgresServer | None:
    """A started server, or None when the binaries are missing (outside CI)."""
    bindir = find_bindir()
    if bindir is None or not (bindir / "initdb").exists():
        if os.environ.get("CI"):
            raise RuntimeError("PostgreSQL's server binaries are missing (.ci/run installs them)")
        return None
    server = PostgresServer(bindir, durable=durable)
    try:
        server.start()
        with server.admin() as conn:
            conn.execute(f"CREATE DATABASE {TEST_DATABASE}")  # a fixed name, no data
    except BaseException:
        server.remove()
        raise
    return server


def wait_until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:.1f}s")
        time.sleep(0.02)
