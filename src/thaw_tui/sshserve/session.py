"""One reader's session: the SSH channel on one side, their `thaw` process on the other."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import asyncssh

from thaw_tui.sshserve.child import PtyChild
from thaw_tui.sshserve.childenv import HOST_ERRORS_ENV, child_environment, safe_term
from thaw_tui.sshserve.connlog import LOGGER_NAME
from thaw_tui.sshserve.durations import format_duration
from thaw_tui.sshserve.envhook import hook_env_requests
from thaw_tui.sshserve.forkserver import ForkServer, ForkServerError
from thaw_tui.sshserve.identity import Reader
from thaw_tui.sshserve.idle import IdleWatch
from thaw_tui.sshserve.limits import Refusal
from thaw_tui.sshserve.terminal import RESTORE_TERMINAL, InputFilter, bottom_line_notice

if TYPE_CHECKING:
    from thaw_tui.sshserve.connlog import ConnectionRecord
    from thaw_tui.sshserve.context import ServeContext

NEEDS_TERMINAL = "thaw needs an interactive terminal: ssh -t ..."
NO_COMMANDS = "thaw runs no commands; connect without one (ssh -t ...) to read."
CANNOT_START = "thaw could not start a reading session; please tell the host."
SHUTTING_DOWN = (
    "thaw: the server is shutting down; your progress is saved. Please connect again later."
)
# The one environment variable thaw looks at, and the longest value worth reading.
COLORTERM = b"COLORTERM"
MAX_ENV_VALUE = 16
# How long output may still drain after the child has exited.
DRAIN_AFTER_EXIT = 0.5
CHANNEL_HIGH_WATER = 256 * 1024

log = logging.getLogger(LOGGER_NAME)


def child_argv(context: ServeContext, reader: Reader) -> list[str]:
    config = context.config
    base = config.child_command or (sys.executable, "-I", "-m", "thaw_tui")
    argv = [
        *base,
        "--served",
        "--reader",
        reader.fingerprint,
        "--state-dir",
        str(config.state_dir),
        "--content",
        str(config.content_dir),
    ]
    if reader.ephemeral:
        argv.append("--ephemeral")
    return argv


class ThawSession(asyncssh.SSHServerSession[bytes]):
    """Accepts a pty and a shell request; refuses commands; bridges bytes to the child."""

    def __init__(
        self,
        context: ServeContext,
        reader: Reader,
        record: ConnectionRecord,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self._context = context
        self._on_close = on_close
        self._reader = reader
        self._record = record
        self._loop = asyncio.get_running_loop()
        self._chan: Any = None
        self._term: str | None = None
        self._size = (80, 24)
        self._refusal: str | None = None
        self._child: PtyChild | None = None
        self._holds_slot = False
        self._input = InputFilter()
        self._colorterm: str | None = None
        self._resize_timer: asyncio.TimerHandle | None = None
        self._last_resize = float("-inf")
        self._output_ended = False
        self._finished = False
        timeouts = context.config.timeouts
        self._idle = IdleWatch(
            self._loop, timeouts.idle, timeouts.idle_warning, self._warn_idle, self._idle_disconnect
        )
        self._starting: asyncio.Future[None] | None = None

    # --- requests from the client ---------------------------------------------------
    def connection_made(self, chan: Any) -> None:
        self._chan = chan
        chan.set_write_buffer_limits(high=CHANNEL_HIGH_WATER)
        hook_env_requests(chan, self.env_requested)

    def env_requested(self, name: bytes, value: bytes) -> bool:
        """Keep COLORTERM if it says truecolor; refuse (and forget) every other one."""
        if name != COLORTERM or len(value) > MAX_ENV_VALUE:
            return False
        self._colorterm = value.decode("ascii", "replace")
        return True

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any
    ) -> bool:
        self._term = term_type
        self._remember_size(term_size[0], term_size[1])
        self._record.term = safe_term(term_type)
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        # Accepted only to answer with a sentence; the command itself is never looked at.
        self._refusal = NO_COMMANDS
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        return False  # sftp, scp (which runs over sftp) and anything else

    def session_started(self) -> None:
        if self._refusal is not None:
            self._refuse(self._refusal, "refused:command")
        elif self._term is None:
            self._refuse(NEEDS_TERMINAL, "refused:no-terminal")
        elif not self._context.admission.start_session():
            self._refuse(Refusal.FULL.value, "refused:full")
        else:
            self._holds_slot = True
            self._start_child()

    def data_received(self, data: bytes, datatype: int | None) -> None:
        if self._idle.touch():
            self._repaint_child()
        if self._child is not None:
            self._child.write(self._input.feed(data))

    def eof_received(self) -> bool:
        return True  # keep showing thaw; the idle timeout ends a reader who went away

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        """Coalesced: the child is resized at most every `resize_interval`, to the last
        size asked for, so a flood of window changes costs it (and us) next to nothing."""
        self._remember_size(width, height)
        if self._resize_timer is not None:
            return  # the resize already waiting will use this size
        wait = self._last_resize + self._context.config.resize_interval - self._loop.time()
        if wait <= 0:
            self._apply_size()
        else:
            self._resize_timer = self._loop.call_later(wait, self._apply_size)

    def _apply_size(self) -> None:
        self._resize_timer = None
        self._last_resize = self._loop.time()
        if self._child is not None:
            self._child.resize(*self._size)

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal: str) -> None:
        """Client-sent signals are ignored: the reader quits thaw with its own keys."""

    # --- flow control ------------------------------------------------------------------
    def pause_writing(self) -> None:
        if self._child is not None:
            self._child.pause_reading()

    def resume_writing(self) -> None:
        if self._child is not None:
            self._child.resume_reading()

    # --- the child ------------------------------------------------------------------------
    def _start_child(self) -> None:
        context = self._context
        client_env = {"COLORTERM": self._colorterm} if self._colorterm else {}
        env = child_environment(self._term, client_env, context.config.child_home)
        env.update(context.config.reader_env)  # the progress store, if not SQLite
        warm = context.fork_server
        if warm is not None and warm.alive and context.config.child_command is None:
            self._starting = asyncio.ensure_future(self._fork_child(warm, env))
        else:
            self._spawn_child(env)

    async def _fork_child(self, warm: ForkServer, env: dict[str, str]) -> None:
        context = self._context
        try:
            child = await warm.fork(
                self._reader, env, context.config, context.child_limits, self._size, self
            )
        except ForkServerError as error:
            if self._finished:  # the reader has gone already
                self._release_slot()
                return
            log.warning("%s; starting this reader cold", error)
            self._spawn_child(env)
            return
        self._adopt(child)

    def _spawn_child(self, env: dict[str, str]) -> None:
        context = self._context
        keep: tuple[int, ...] = ()
        if context.host_errors is not None:  # its crash reports, as a forked reader's
            env = {**env, HOST_ERRORS_ENV: str(context.host_errors)}
            keep = (context.host_errors,)
        try:
            child = PtyChild.spawn(
                child_argv(context, self._reader),
                env=env,
                cwd=context.config.child_home,
                size=self._size,
                limits=context.child_limits,
                listener=self,
                loop=self._loop,
                pass_fds=keep,
            )
        except OSError as error:
            log.error("could not start a reader's process: %s", error)
            self._release_slot()
            if not self._finished:
                self._refuse(CANNOT_START, "error:spawn")
            return
        self._adopt(child)

    def _adopt(self, child: PtyChild) -> None:
        self._child = child
        self._context.children.add(child)
        child.exited.add_done_callback(self._child_exited)
        if self._finished:  # the reader left while their process was starting
            child.close_pty()
            child.hang_up(self._context.config.timeouts.hangup_grace)
            return
        child.resize(*self._size)  # in case the window changed meanwhile
        self._idle.start()

    def child_output(self, data: bytes) -> None:
        if not self._finished:
            self._chan.write(data)

    def child_output_ended(self) -> None:
        self._output_ended = True
        self._finish_if_done()

    def child_input_backed_up(self, backed_up: bool) -> None:
        if self._finished:
            return
        if backed_up:
            self._chan.pause_reading()
        else:
            self._chan.resume_reading()

    def _child_exited(self, exited: asyncio.Future[int]) -> None:
        assert self._child is not None
        self._context.children.discard(self._child)
        self._release_slot()
        if not self._output_ended:
            self._loop.call_later(DRAIN_AFTER_EXIT, self._finish)
        self._finish_if_done()

    def _finish_if_done(self) -> None:
        if self._output_ended and self._child is not None and not self._child.running:
            self._finish()

    def _finish(self) -> None:
        """Restore the reader's terminal and pass on the child's exit status."""
        if self._finished or self._child is None:
            return
        status = self._child.exited.result()
        self._finished = True
        self._idle.stop()
        self._child.close_pty()
        self._record.outcome = str(status)
        self._chan.write(RESTORE_TERMINAL)
        self._chan.exit(status)

    def _release_slot(self) -> None:
        if self._holds_slot:
            self._holds_slot = False
            self._context.admission.end_session()

    def connection_lost(self, exc: Exception | None) -> None:
        self._idle.close()
        if self._resize_timer is not None:
            self._resize_timer.cancel()
            self._resize_timer = None
        if self._child is None:
            self._finished = True  # a child still starting is hung up when it arrives
            if self._holds_slot:
                self._record.outcome = "hangup"
        else:
            if not self._finished:
                self._finished = True
                self._record.outcome = "hangup"
            self._child.close_pty()
            self._child.hang_up(self._context.config.timeouts.hangup_grace)
        # Let go of the channel (and it of us): a closed session is freed at once,
        # not left in a reference cycle for the garbage collector.
        self._chan = None
        on_close, self._on_close = self._on_close, None
        if on_close is not None:
            on_close()

    def shut_down(self) -> None:
        """The server is stopping: tell the reader, end their process, pass an exit status."""
        if self._finished or self._chan is None:
            return
        self._finished = True
        self._record.outcome = "shutdown"
        self._idle.stop()
        self._chan.write(RESTORE_TERMINAL + b"\r\n" + SHUTTING_DOWN.encode() + b"\r\n")
        if self._child is not None:
            self._child.close_pty()
            self._child.hang_up(self._context.config.timeouts.hangup_grace)
        self._chan.exit(1)

    # --- idle timeout ------------------------------------------------------------------------
    def _warn_idle(self, seconds_left: float) -> None:
        """A bell and one line on the bottom row: visible, and gone at the next repaint."""
        if self._finished:
            return
        left = format_duration(seconds_left)
        notice = f" thaw: no keys for a while; closing in {left}. Press any key to stay. "
        cols, rows = self._size
        self._chan.write(b"\a" + bottom_line_notice(notice, rows, cols))

    def _idle_disconnect(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._record.outcome = "idle"
        timeouts = self._context.config.timeouts
        line = f"thaw: closed after {format_duration(timeouts.idle)} without a key press.\r\n"
        self._chan.write(RESTORE_TERMINAL + b"\r\n" + line.encode())
        if self._child is not None:
            self._child.close_pty()
            self._child.hang_up(timeouts.hangup_grace)
        self._chan.exit(0)

    def _repaint_child(self) -> None:
        """Make the app repaint over the idle notice: shrink the window a row, then restore."""
        if self._child is None or not self._child.running:
            return
        cols, rows = self._size
        self._child.resize(cols, max(1, rows - 1))
        self._loop.call_later(0.1, self._restore_size)

    def _restore_size(self) -> None:
        if self._child is not None and self._child.running:
            self._child.resize(*self._size)

    # --- helpers -----------------------------------------------------------------------------
    def _remember_size(self, width: int, height: int) -> None:
        # Clients without a local terminal (ssh -tt < file) send 0x0: assume 80x24.
        cols = min(width, 1000) if width > 0 else 80
        rows = min(height, 1000) if height > 0 else 24
        self._size = (cols, rows)
        self._record.size = f"{cols}x{rows}"

    def _refuse(self, sentence: str, outcome: str) -> None:
        self._finished = True
        self._record.outcome = outcome
        self._chan.write_stderr(sentence.encode() + b"\r\n")
        self._chan.exit(1)
