"""Helpers for the `thaw serve` tests: a server on 127.0.0.1 and the real OpenSSH client.

The server runs as a subprocess (`ssh_server_entry.py`) on a free port with its own
state directory, so tests can run in parallel and can watch its children, memory and
log. Interactive sessions are `ssh -tt` in a pseudo-terminal read back through pyte
(`pty_harness.PtySession`).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support.pty_harness import PtySession, terminal_env

HERE = Path(__file__).resolve().parent
ENTRY = HERE / "ssh_server_entry.py"
STUB_CHILD = [sys.executable, str(HERE / "ssh_stub_child.py")]
CLIENT_OPTIONS = [
    "-F", "/dev/null",
    "-o", "StrictHostKeyChecking=no",
    "-o", "UserKnownHostsFile=/dev/null",
    "-o", "IdentitiesOnly=yes",
    "-o", "LogLevel=ERROR",
    "-o", "ConnectTimeout=10",
]  # fmt: skip
START_TIMEOUT = 15.0


def make_key(directory: Path, name: str) -> Path:
    """A fresh ed25519 client key without a passphrase; returns the private key path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)],
        check=True,
    )
    return path


def key_fingerprint(private_key: Path) -> str:
    out = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", f"{private_key}.pub"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.split()[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_is_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:.1f}s")
        time.sleep(0.05)


def child_pids(parent: int) -> list[int]:
    """Children of `parent`, from /proc (zombies included: a zombie is a leak too)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == parent:
            found.append(int(entry.name))
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def process_state(pid: int) -> str | None:
    """The /proc state letter (R, S, Z...) or None when the process is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


@dataclass
class ServeProcess:
    """A running `thaw serve` and how to reach it."""

    process: subprocess.Popen[bytes]
    port: int
    state_dir: Path
    log_file: Path
    host_fingerprint: str
    sessions: list[PtySession] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def ssh_argv(
        self,
        key: Path | None,
        *args: str,
        user: str = "read",
        options: Sequence[str] = (),
        batch: bool = True,
    ) -> list[str]:
        auth = ["-i", str(key)] if key else ["-o", "PubkeyAuthentication=no"]
        batch_opts = ["-o", "BatchMode=yes"] if batch else []
        return [
            "ssh",
            *CLIENT_OPTIONS,
            *batch_opts,
            *auth,
            *options,
            "-p",
            str(self.port),
            "-l",
            user,
            "127.0.0.1",
            *args,
        ]

    def run(
        self,
        key: Path | None,
        *args: str,
        timeout: float = 15,
        env: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> subprocess.CompletedProcess[str]:
        """Run the ssh client to completion (no terminal); capture its output."""
        return subprocess.run(
            self.ssh_argv(key, *args, **kwargs),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
        )

    def interactive(
        self,
        key: Path | None,
        *args: str,
        cols: int = 80,
        rows: int = 24,
        env: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> PtySession:
        """`ssh -tt` in a pseudo-terminal of the given size; closed at teardown."""
        session = PtySession(
            self.ssh_argv(key, "-tt", *args, **kwargs),
            cols=cols,
            rows=rows,
            env=terminal_env(env),
        )
        self.sessions.append(session)
        return session

    def warm_process(self) -> int | None:
        """The warm process readers are forked from, if the server runs one."""
        for pid in child_pids(self.pid):
            if b"thaw_tui.sshserve.warm" in cmdline(pid):
                return pid
        return None

    def readers(self) -> list[int]:
        """Live reader processes: the server's children, or the warm process's."""
        found = []
        for pid in child_pids(self.pid):
            if b"thaw_tui.sshserve.warm" in cmdline(pid):
                found.extend(child_pids(pid))
            else:
                found.append(pid)
        return sorted(found)

    def log_lines(self) -> list[str]:
        try:
            return self.log_file.read_text().splitlines()
        except FileNotFoundError:
            return []

    def wait_for_log(self, count: int, timeout: float = 10) -> list[str]:
        wait_for(lambda: len(self.log_lines()) >= count, timeout, f"{count} log lines")
        return self.log_lines()

    def stub_reports(self) -> list[dict[str, Any]]:
        reports = []
        for path in sorted(self.state_dir.glob("stub-*.json")):
            try:
                reports.append(json.loads(path.read_text()))
            except json.JSONDecodeError:
                continue  # being written
        return reports

    def wait_for_stub_reports(self, count: int, timeout: float = 10) -> list[dict[str, Any]]:
        wait_for(lambda: len(self.stub_reports()) >= count, timeout, f"{count} stub reports")
        return self.stub_reports()

    def stop(self) -> int:
        for session in self.sessions:
            session.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait(5)


def start_serve(
    tmp_path: Path,
    *serve_args: str,
    child: Sequence[str] | None = tuple(STUB_CHILD),
    access: Sequence[str] = ("--open",),
    rate_limit: float = 6000,
    env: Mapping[str, str] | None = None,
) -> ServeProcess:
    """Start the server on a free port; wait until it listens. `env` is added to the
    server's environment (e.g. THAW_PROGRESS_URL), which otherwise has no THAW_*."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    state = tmp_path / "state"
    log_file = tmp_path / "connections.log"
    stderr_path = tmp_path / "serve-stderr.txt"
    argv = [
        sys.executable,
        str(ENTRY),
        json.dumps(list(child) if child else None),
        "--port",
        "0",
        "--state-dir",
        str(state),
        "--log-file",
        str(log_file),
        "--rate-limit",
        str(rate_limit),
        *access,
        *serve_args,
    ]
    server_env = {key: value for key, value in os.environ.items() if not key.startswith("THAW")}
    server_env.update(env or {})
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=stderr, env=server_env, cwd=tmp_path
        )
    assert process.stdout is not None
    banner: list[str] = []
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        line = process.stdout.readline().decode()
        if not line:
            raise RuntimeError(f"thaw serve did not start: {stderr_path.read_text()}")
        banner.append(line)
        if "readers connect with" in line:
            break
    text = "".join(banner)
    port = re.search(r"listening on 127\.0\.0\.1:(\d+)", text)
    host_key = re.search(r"host key (SHA256:\S+)", text)
    assert port and host_key, text
    return ServeProcess(process, int(port.group(1)), state, log_file, host_key.group(1))
