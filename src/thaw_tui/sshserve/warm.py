"""The warm reader process: imports the app and loads the pack once, forks per session.

`thaw serve` starts `python -m thaw_tui.sshserve.warm FD CONTENT` with one end of a
socket pair. Each request on it carries a pty slave descriptor and what the session
needs (reader, environment, limits); this process forks, and the fork becomes the
reader's `thaw` on that pty, just as a freshly started one would, minus the start-up
cost. It answers with the child's pid, and later with its exit status.

This module runs in its own process, never inside the server: the UI is imported only
by `main`, so importing it from the server pulls in neither textual nor rich.
"""

from __future__ import annotations

import fcntl
import gc
import json
import os
import select
import signal
import socket
import sys
import termios
import traceback
from pathlib import Path
from typing import Any

from thaw_tui.cli import exit_codes
from thaw_tui.sshserve.childenv import ChildLimits

MAX_MESSAGE = 64 * 1024
# What a reader sees if their process fails outside the app (the app has its own).
APOLOGY = "thaw: sorry, this reading session hit an error and had to end. Please connect again."
# A request carries one pty descriptor. A few more may arrive from a confused peer: they
# are received so that `Warm.fork` can close them and refuse the request.
MAX_FDS = 4


def send_message(sock: socket.socket, message: dict[str, Any], fds: tuple[int, ...] = ()) -> None:
    """One JSON message as one SEQPACKET record, with `fds` passed alongside (SCM_RIGHTS)."""
    payload = json.dumps(message).encode()
    if fds:
        socket.send_fds(sock, [payload], list(fds))
    else:
        sock.send(payload)


def receive_message(sock: socket.socket) -> tuple[dict[str, Any] | None, list[int]]:
    """One message and any descriptors sent with it; (None, []) when the peer is gone."""
    data, fds, _flags, _address = socket.recv_fds(sock, MAX_MESSAGE, MAX_FDS)
    if not data:
        for fd in fds:
            os.close(fd)
        return None, []
    return json.loads(data), list(fds)


def run_reader_app(loaded: Any, request: dict[str, Any]) -> int:
    """What `thaw --served` does after loading the pack (see thaw_tui.cli.read).

    `loaded` is a `thaw_tui.pack.cache.CachedPack`: the pack and its item fingerprints,
    computed once in the warm process rather than in every session."""
    from thaw_tui.cli.read import open_reader_progress, run_app

    progress = open_reader_progress(
        Path(request["state_dir"]), request["reader"], loaded.pack.manifest.id, request["ephemeral"]
    )
    return run_app(loaded, progress, served=True)


def become_reader(pack: Any, request: dict[str, Any], slave: int) -> int:
    """In the fork: take the pty as our terminal, drop the warm process's state, run.

    The server's stderr (ours until now) is kept for crash reports: the reader sees
    one sentence, the host the traceback."""
    os.setsid()
    from thaw_tui.ui.served import report_crashes_to

    report_crashes_to(os.dup(2))
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    if slave > 2:
        os.close(slave)
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["home"])
    ChildLimits(**request["limits"]).apply()
    return run_reader_app(pack, request)


class Warm:
    def __init__(self, sock: socket.socket, pack: Any) -> None:
        self.sock = sock
        self.pack = pack
        self.wake_read, self.wake_write = os.pipe()
        os.set_blocking(self.wake_write, False)
        os.set_blocking(self.wake_read, False)

    def serve(self) -> int:
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        signal.set_wakeup_fd(self.wake_write)
        send_message(self.sock, {"ready": True})
        while True:
            try:
                ready, _, _ = select.select([self.sock.fileno(), self.wake_read], [], [])
            except InterruptedError:
                continue
            if self.wake_read in ready:
                self.drain_wakeups()
                self.reap()
            if self.sock.fileno() in ready:
                request, fds = receive_message(self.sock)
                if request is None:
                    return 0  # the server is gone; its readers' ptys hang up on their own
                self.fork(request, fds)

    def drain_wakeups(self) -> None:
        try:
            while os.read(self.wake_read, 512):
                pass
        except BlockingIOError:
            pass

    def fork(self, request: dict[str, Any], fds: list[int]) -> None:
        if len(fds) != 1:
            for fd in fds:
                os.close(fd)
            send_message(self.sock, {"id": request.get("id"), "error": "no pty sent"})
            return
        slave = fds[0]
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                self.sock.close()
                os.close(self.wake_read)
                os.close(self.wake_write)
                status = become_reader(self.pack, request, slave)
            except BaseException:
                # One sentence for the reader, never a traceback (paths, source lines);
                # the traceback goes to the host.
                print(APOLOGY, file=sys.stderr)
                from thaw_tui.ui.served import tell_host

                tell_host(traceback.format_exc())
            finally:
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(status)
        os.close(slave)
        send_message(self.sock, {"id": request["id"], "pid": pid})

    def reap(self) -> None:
        while True:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            code = os.waitstatus_to_exitcode(wait_status)
            send_message(self.sock, {"pid": pid, "exit": exit_codes.from_returncode(code)})


def main(argv: list[str]) -> int:
    sock = socket.socket(fileno=int(argv[1]))
    content = Path(argv[2])
    # Pay once what every session would otherwise pay: imports and the pack.
    import thaw_tui.progress.store
    import thaw_tui.ui.app
    import thaw_tui.ui.served  # noqa: F401

    thaw_tui.progress.store.preload_backend(os.environ.get("THAW_PROGRESS_URL"))
    from thaw_tui.pack.cache import load_pack_cached

    pack = load_pack_cached(content, None)  # None: the server writes no pack cache
    # Keep the collector from touching (and so copying) the shared objects in every fork.
    gc.collect()
    gc.freeze()
    return Warm(sock, pack).serve()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
