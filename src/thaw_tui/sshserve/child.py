"""One reader's `thaw` process on its own pseudo-terminal.

The child runs in a new session whose controlling terminal is the pty, so a window
size change reaches it as SIGWINCH and a hangup reaches its whole process group.
Reads from the pty stop while the reader's connection is backed up, and writes to it
are buffered only up to a bound: neither side can make the server's memory grow.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import struct
import subprocess
import termios
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from thaw_tui.cli import exit_codes
from thaw_tui.sshserve.childenv import ChildLimits

READ_CHUNK = 64 * 1024
# Reader keystrokes waiting for the child: beyond this the channel stops reading.
INPUT_HIGH_WATER = 64 * 1024


class ChildListener(Protocol):
    def child_output(self, data: bytes) -> None: ...

    def child_output_ended(self) -> None: ...

    def child_input_backed_up(self, backed_up: bool) -> None: ...


def set_window_size(descriptor: int, cols: int, rows: int) -> None:
    # Clamp to what a terminal can mean; a client may send zeros or nonsense.
    cols = min(max(cols, 1), 1000)
    rows = min(max(rows, 1), 1000)
    fcntl.ioctl(descriptor, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _quiet_terminal(descriptor: int) -> None:
    """No echo, and no key ever becomes a signal.

    Keys typed before the app takes the terminal must not be echoed onto its screen.
    And the app hands the terminal back in this mode when it quits: with ISIG on, a
    ^Z or ^C still arriving then would stop or interrupt the reader's process, and
    a ^Z after quitting deadlocked Textual's own SIGTSTP handler (red-team F8)."""
    attributes = termios.tcgetattr(descriptor)
    attributes[3] &= ~(termios.ECHO | termios.ISIG)
    termios.tcsetattr(descriptor, termios.TCSANOW, attributes)


def open_pty(size: tuple[int, int]) -> tuple[int, int]:
    """A new pty pair (master, slave) of the given size, quiet (see `_quiet_terminal`)."""
    master, slave = os.openpty()
    try:
        set_window_size(slave, *size)
        _quiet_terminal(slave)
    except OSError:
        os.close(master)
        os.close(slave)
        raise
    return master, slave


class PtyChild:
    """A reader's process and the master side of its pty.

    Made by `spawn` (a subprocess of the server, reaped here) or `adopt` (forked by the
    warm process in `forkserver`, which reports its exit through `report_exit`).
    """

    def __init__(
        self,
        pid: int,
        master: int,
        listener: ChildListener,
        loop: asyncio.AbstractEventLoop,
        process: subprocess.Popen[bytes] | None = None,
    ) -> None:
        self.pid = pid
        self.process = process
        self._master: int | None = master
        self._listener = listener
        self._loop = loop
        self._pending_input = bytearray()
        self._reading = False
        self._writing = False
        self._kill_timer: asyncio.TimerHandle | None = None
        self.exited: asyncio.Future[int] = loop.create_future()
        self._pidfd: int | None = None
        if process is not None:
            self._pidfd = os.pidfd_open(pid)
            loop.add_reader(self._pidfd, self._reap)
        os.set_blocking(master, False)
        self.resume_reading()

    @classmethod
    def spawn(
        cls,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: Path,
        size: tuple[int, int],
        limits: ChildLimits,
        listener: ChildListener,
        loop: asyncio.AbstractEventLoop,
        pass_fds: Sequence[int] = (),
    ) -> PtyChild:
        """Start `argv` on a new pty; `pass_fds`: descriptors it keeps (all others close)."""
        master, slave = open_pty(size)
        try:

            def in_child() -> None:
                # After setsid (start_new_session): make the pty our controlling terminal.
                fcntl.ioctl(0, termios.TIOCSCTTY, 0)
                limits.apply()

            process = subprocess.Popen(
                list(argv),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=dict(env),
                cwd=cwd,
                start_new_session=True,
                preexec_fn=in_child,
                close_fds=True,
                pass_fds=tuple(pass_fds),
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        return cls(process.pid, master, listener, loop, process)

    @classmethod
    def adopt(
        cls, pid: int, master: int, listener: ChildListener, loop: asyncio.AbstractEventLoop
    ) -> PtyChild:
        """Take over a process someone else forked onto this pty's slave side."""
        return cls(pid, master, listener, loop)

    # --- output: child -> reader ---------------------------------------------------
    def pause_reading(self) -> None:
        if self._reading and self._master is not None:
            self._loop.remove_reader(self._master)
        self._reading = False

    def resume_reading(self) -> None:
        if not self._reading and self._master is not None:
            self._loop.add_reader(self._master, self._read)
            self._reading = True

    def _read(self) -> None:
        assert self._master is not None
        try:
            data = os.read(self._master, READ_CHUNK)
        except BlockingIOError:
            return
        except OSError:  # EIO: every slave descriptor is closed; anything else ends it too
            data = b""
        if data:
            self._listener.child_output(data)
        else:
            self.pause_reading()
            self._listener.child_output_ended()

    # --- input: reader -> child ----------------------------------------------------
    def write(self, data: bytes) -> None:
        if self._master is None or not data:
            return
        self._pending_input += data
        self._flush_input()

    def _flush_input(self) -> None:
        if self._master is None:
            return
        while self._pending_input:
            try:
                written = os.write(self._master, self._pending_input)
            except BlockingIOError:
                break
            except OSError:
                self._pending_input.clear()  # the child is gone; drop what it cannot read
                break
            del self._pending_input[:written]
        if self._pending_input and not self._writing:
            self._loop.add_writer(self._master, self._flush_input)
            self._writing = True
        elif not self._pending_input and self._writing:
            self._loop.remove_writer(self._master)
            self._writing = False
        self._listener.child_input_backed_up(len(self._pending_input) >= INPUT_HIGH_WATER)

    # --- control ---------------------------------------------------------------------
    def resize(self, cols: int, rows: int) -> None:
        if self._master is not None:
            try:
                set_window_size(self._master, cols, rows)
            except OSError:
                pass  # the child is going away; nothing to resize

    @property
    def running(self) -> bool:
        return not self.exited.done()

    def hang_up(self, grace: float) -> None:
        """SIGHUP the child's process group now, SIGKILL it after `grace` seconds."""
        if not self.running:
            return
        self._signal_group(signal.SIGHUP)
        if self._kill_timer is None:
            self._kill_timer = self._loop.call_later(grace, self.kill)

    def kill(self) -> None:
        if self.running:
            self._signal_group(signal.SIGKILL)

    def _signal_group(self, signum: int) -> None:
        try:
            os.killpg(self.pid, signum)  # the child leads its own session and group
        except ProcessLookupError:
            pass

    def _reap(self) -> None:
        assert self.process is not None and self._pidfd is not None
        returncode = self.process.poll()
        if returncode is None:
            return
        self._loop.remove_reader(self._pidfd)
        os.close(self._pidfd)
        self._pidfd = None
        self.report_exit(exit_codes.from_returncode(returncode))

    def report_exit(self, status: int) -> None:
        """The child has ended with `status` (an exit status, 128 + signal when killed)."""
        if self._kill_timer is not None:
            self._kill_timer.cancel()
        # Anything the child started in its group goes with it.
        self._signal_group(signal.SIGKILL)
        if not self.exited.done():
            self.exited.set_result(status)

    def close_pty(self) -> None:
        """Stop relaying and close the master side (the child sees a hangup).

        The listener (the session) is let go too, so that neither keeps the other alive
        in a reference cycle once the reader is gone."""
        if self._master is None:
            return
        self.pause_reading()
        if self._writing:
            self._loop.remove_writer(self._master)
            self._writing = False
        os.close(self._master)
        self._master = None
        self._pending_input.clear()
        self._listener = _DETACHED


class _Detached:
    """The listener of a child whose pty is closed: nothing is relayed any more."""

    def child_output(self, data: bytes) -> None:
        pass

    def child_output_ended(self) -> None:
        pass

    def child_input_backed_up(self, backed_up: bool) -> None:
        pass


_DETACHED = _Detached()
