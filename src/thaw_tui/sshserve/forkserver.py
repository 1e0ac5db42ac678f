"""The server's side of the warm process (`warm.py`): ask it for readers, hear them end.

If the warm process cannot start or dies, `thaw serve` goes on starting each reader
as a fresh process; readers it had forked are hung up, as their exits can no longer
be reported.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import socket
import subprocess
import sys
from typing import Any

from thaw_tui.sshserve.child import ChildListener, PtyChild, open_pty
from thaw_tui.sshserve.childenv import CHILD_PATH, ChildLimits
from thaw_tui.sshserve.config import ServeConfig
from thaw_tui.sshserve.connlog import LOGGER_NAME
from thaw_tui.sshserve.identity import Reader
from thaw_tui.sshserve.warm import receive_message, send_message

READY_TIMEOUT = 30.0
FORK_TIMEOUT = 5.0

log = logging.getLogger(LOGGER_NAME)


class ForkServerError(RuntimeError):
    """The warm process could not give us a reader."""


class ForkServer:
    def __init__(
        self, process: subprocess.Popen[bytes], sock: socket.socket, loop: asyncio.AbstractEventLoop
    ) -> None:
        self._process = process
        self._sock = sock
        self._loop = loop
        self._next_id = 0
        self._pending: dict[int, asyncio.Future[int]] = {}
        self._children: dict[int, PtyChild] = {}
        # Exits heard before `fork` has adopted the child (it died at once).
        self._early_exits: dict[int, int] = {}
        self._ready: asyncio.Future[None] = loop.create_future()
        self.alive = True
        sock.setblocking(False)
        loop.add_reader(sock.fileno(), self._on_message)

    @classmethod
    async def start(cls, config: ServeConfig) -> ForkServer:
        """Start the warm process and wait until it has loaded everything.

        Raises ForkServerError, saying what failed, when it cannot be started or does
        not become ready."""
        env = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PATH": CHILD_PATH}
        env["HOME"] = str(config.child_home)
        env.update(config.reader_env)  # so it imports the progress store's driver once
        try:
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        except OSError as error:
            raise ForkServerError(
                f"could not make a socket for the warm reader process ({error.strerror})"
            ) from None
        try:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-I",
                    "-m",
                    "thaw_tui.sshserve.warm",
                    str(theirs.fileno()),
                    str(config.content_dir),
                ],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                env=env,
                cwd=config.child_home,
            )
        except OSError as error:
            ours.close()
            where = error.filename or sys.executable  # the program, or the folder to run in
            raise ForkServerError(
                f"could not start the warm reader process ({where}: {error.strerror})"
            ) from None
        finally:
            theirs.close()
        server = cls(process, ours, asyncio.get_running_loop())
        try:
            await asyncio.wait_for(asyncio.shield(server._ready), READY_TIMEOUT)
        except (TimeoutError, ForkServerError) as error:
            server.close()
            raise ForkServerError(f"the warm reader process did not start ({error})") from None
        return server

    async def fork(
        self,
        reader: Reader,
        env: dict[str, str],
        config: ServeConfig,
        limits: ChildLimits,
        size: tuple[int, int],
        listener: ChildListener,
    ) -> PtyChild:
        if not self.alive:
            raise ForkServerError("the warm reader process is gone")
        master, slave = open_pty(size)
        self._next_id += 1
        request_id = self._next_id
        answer: asyncio.Future[int] = self._loop.create_future()
        self._pending[request_id] = answer
        request = {
            "id": request_id,
            "reader": reader.fingerprint,
            "ephemeral": reader.ephemeral,
            "env": env,
            "home": str(config.child_home),
            "state_dir": str(config.state_dir),
            "limits": dataclasses.asdict(limits),
        }
        try:
            send_message(self._sock, request, (slave,))
            pid = await asyncio.wait_for(answer, FORK_TIMEOUT)
        except (OSError, TimeoutError) as error:
            os.close(master)
            raise ForkServerError(f"the warm reader process did not answer ({error})") from None
        finally:
            os.close(slave)
            self._pending.pop(request_id, None)
        child = PtyChild.adopt(pid, master, listener, self._loop)
        self._children[pid] = child
        child.exited.add_done_callback(lambda _: self._children.pop(pid, None))
        if pid in self._early_exits:
            child.report_exit(self._early_exits.pop(pid))
        return child

    def _on_message(self) -> None:
        try:
            message, fds = receive_message(self._sock)
        except BlockingIOError:
            return
        except OSError:
            message, fds = None, []
        for fd in fds:
            os.close(fd)
        if message is None:
            self._lost()
            return
        self._handle(message)

    def _handle(self, message: dict[str, Any]) -> None:
        if message.get("ready") and not self._ready.done():
            self._ready.set_result(None)
        elif "exit" in message:
            pid, status = int(message["pid"]), int(message["exit"])
            child = self._children.get(pid)
            if child is not None:
                child.report_exit(status)
            else:
                self._early_exits[pid] = status
        elif "id" in message:
            answer = self._pending.get(int(message["id"]))
            if answer is None or answer.done():
                return
            if "pid" in message:
                answer.set_result(int(message["pid"]))
            else:
                answer.set_exception(ForkServerError(str(message.get("error"))))

    def _lost(self) -> None:
        """The warm process ended: its readers' exits can no longer be heard, so end them."""
        if not self.alive:
            return
        self.alive = False
        self._loop.remove_reader(self._sock.fileno())
        if not self._ready.done():
            self._ready.set_exception(ForkServerError("it exited while loading"))
        for answer in self._pending.values():
            if not answer.done():
                answer.set_exception(ForkServerError("the warm reader process exited"))
        for child in list(self._children.values()):
            child.kill()
            child.report_exit(128 + 9)
        # Reap it (off the loop: it may take a moment to finish dying) so no zombie stays.
        self._loop.run_in_executor(None, self._process.wait)
        log.warning("the warm reader process ended; starting readers cold")

    def close(self) -> None:
        if self.alive:
            self.alive = False
            self._loop.remove_reader(self._sock.fileno())
        self._sock.close()
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
