"""Run a real command in a pseudo-terminal and read its screen back through pyte.

`PtySession` spawns a program with a pty of a given size as its controlling terminal,
feeds it keys, keeps every byte it writes (with the time each chunk arrived) and
replays them into a `pyte.Screen`, so tests can wait for text to appear, resize the
terminal, and check the escape sequences left behind on exit. Used by the end-to-end
tests and by `bench/bench_ui.py`; no tmux needed.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import pyte

DEFAULT_TIMEOUT = 10.0

# What a terminal sends for named keys (legacy encodings, as xterm does without the
# kitty keyboard protocol, which pyte does not speak).
KEYS: dict[str, bytes] = {
    "enter": b"\r",
    "tab": b"\t",
    "shift+tab": b"\x1b[Z",
    "backspace": b"\x7f",
    "escape": b"\x1b",
    "space": b" ",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "pageup": b"\x1b[5~",
    "pagedown": b"\x1b[6~",
    "ctrl+c": b"\x03",
    "ctrl+p": b"\x10",
}


def find_command(name: str) -> str:
    """The path of a console script: next to this interpreter first, then on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name!r} is not installed next to {sys.executable} or on PATH")
    return found


def terminal_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a plain xterm: TERM set, no size overrides, no Textual dev flags."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("COLUMNS", "LINES", "NO_COLOR") and not key.startswith("TEXTUAL")
    }
    env["TERM"] = "xterm-256color"
    env.setdefault("LANG", "C.UTF-8")
    env.update(extra or {})
    return env


def set_window_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


@dataclass(frozen=True)
class Chunk:
    """Bytes read from the terminal in one read, when (time.perf_counter), and whether
    they changed what the screen shows (text or colours; not just cursor moves or
    mode switches)."""

    at: float
    data: bytes
    changed_screen: bool


class _AnsweringScreen(pyte.Screen):
    """A pyte screen that sends its replies (cursor position, device attributes)
    back to the program, as a real terminal would."""

    def __init__(self, cols: int, rows: int, reply: Callable[[str], None]) -> None:
        super().__init__(cols, rows)
        self._reply = reply

    def write_process_input(self, data: str) -> None:
        self._reply(data)


class PtySession:
    """One program running in a pseudo-terminal. Use as a context manager."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cols: int = 80,
        rows: int = 24,
        env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        stdout_to_pty: bool = True,
        pass_fds: Sequence[int] = (),
    ) -> None:
        """Start `argv` now. With `stdout_to_pty=False` stdout is a pipe (as in
        `cmd | cat`): read `process.stdout` after exit; keep such output small.
        `pass_fds`: descriptors of ours the program keeps (with the same numbers)."""
        self.argv = list(argv)
        self.cols = cols
        self.rows = rows
        self.chunks: list[Chunk] = []
        self._raw = bytearray()
        self._changed = threading.Condition()
        self._output_ended = False  # set by the reader when the pty closes
        self._stopping = False  # set by close(): the reader should stop
        self._hanging_up = False  # set by hang_up(): stop reading now, the terminal goes
        self.screen = _AnsweringScreen(cols, rows, self._answer)
        self._rows: dict[int, tuple[object, ...]] = {}  # row -> cells, to spot real changes
        self._stream = pyte.ByteStream(self.screen)

        master, slave = os.openpty()
        set_window_size(master, cols, rows)
        self.master_fd = master
        self.spawned_at = time.perf_counter()
        self.process = subprocess.Popen(
            self.argv,
            stdin=slave,
            stdout=slave if stdout_to_pty else subprocess.PIPE,
            stderr=slave,
            env=dict(env) if env is not None else terminal_env(),
            cwd=cwd,
            start_new_session=True,
            # Make the pty the controlling terminal, so resizes deliver SIGWINCH.
            preexec_fn=_take_controlling_terminal,
            close_fds=True,
            pass_fds=tuple(pass_fds),
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read_loop, name="pty-reader", daemon=True)
        self._reader.start()

    # --- reading ------------------------------------------------------------------
    def _read_loop(self) -> None:
        while not self._hanging_up:
            try:
                ready, _, _ = select.select([self.master_fd], [], [], 0.1)
                if not ready:
                    if self._stopping:
                        break
                    continue
                data = os.read(self.master_fd, 65536)
            except OSError:  # EIO: every copy of the slave side is closed
                break
            if not data:
                break
            now = time.perf_counter()
            with self._changed:
                self._raw += data
                self._stream.feed(data)
                self.chunks.append(Chunk(now, data, self._take_changed_rows()))
                self._changed.notify_all()
        with self._changed:
            self._output_ended = True
            self._changed.notify_all()

    def _take_changed_rows(self) -> bool:
        """Compare the rows pyte marked dirty with what they held before."""
        changed = False
        for row in self.screen.dirty:
            if row >= self.screen.lines:
                continue
            line = self.screen.buffer[row]
            cells = tuple(line[column] for column in range(self.screen.columns))
            if self._rows.get(row) != cells:
                self._rows[row] = cells
                changed = True
        self.screen.dirty.clear()
        return changed

    def _answer(self, data: str) -> None:
        try:
            os.write(self.master_fd, data.encode())
        except OSError:
            pass

    @property
    def raw(self) -> bytes:
        """Every byte the program has written to the terminal so far."""
        with self._changed:
            return bytes(self._raw)

    @property
    def output_ended(self) -> bool:
        """True once the program (and every child holding the pty) has closed it."""
        return self._output_ended

    def lines(self) -> list[str]:
        with self._changed:
            return [line.rstrip() for line in self.screen.display]

    def text(self) -> str:
        """The screen as the reader sees it, one line per row."""
        return "\n".join(self.lines())

    def wait_until(
        self,
        condition: Callable[[], bool],
        timeout: float = DEFAULT_TIMEOUT,
        what: str = "condition",
    ) -> float:
        """Wait until `condition()` holds, re-checking whenever output arrives.

        Returns when the output that made it hold arrived (time.perf_counter).
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition():
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self._output_ended and not condition()):
                    state = "output ended" if self._output_ended else f"waited {timeout:.1f}s"
                    raise TimeoutError(
                        f"{what} did not happen ({state}); screen:\n{self._screen_text_locked()}"
                    )
                self._changed.wait(min(remaining, 0.2))
            return self.chunks[-1].at if self.chunks else self.spawned_at

    def wait_for_text(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> float:
        return self.wait_until(
            lambda: text in self._screen_text_locked(), timeout, f"text {text!r}"
        )

    def wait_for_any_text(self, texts: Sequence[str], timeout: float = DEFAULT_TIMEOUT) -> str:
        """Wait until one of `texts` is on screen; return the one found."""
        found: list[str] = []

        def seen() -> bool:
            screen = self._screen_text_locked()
            found[:] = [text for text in texts if text in screen]
            return bool(found)

        self.wait_until(seen, timeout, f"any of {list(texts)!r}")
        return found[0]

    def wait_for_gone(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> float:
        return self.wait_until(
            lambda: text not in self._screen_text_locked(), timeout, f"{text!r} to disappear"
        )

    def wait_for_quiet(self, quiet: float = 0.1, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until no output has arrived for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            with self._changed:
                last = self.chunks[-1].at if self.chunks else self.spawned_at
                if self._output_ended:
                    return
            idle = time.perf_counter() - last
            if idle >= quiet:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"output did not go quiet within {timeout:.1f}s")
            time.sleep(min(quiet - idle, 0.02) + 0.001)

    def wait_for_output_after(self, index: int, timeout: float = DEFAULT_TIMEOUT) -> Chunk:
        """Wait for the first chunk at position `index` or later; return it."""
        self.wait_until(lambda: len(self.chunks) > index, timeout, "output")
        return self.chunks[index]

    def wait_for_screen_change_after(self, index: int, timeout: float = DEFAULT_TIMEOUT) -> Chunk:
        """Wait for the first chunk from position `index` on that changed the screen."""
        found: list[Chunk] = []

        def changed() -> bool:
            found[:] = [chunk for chunk in self.chunks[index:] if chunk.changed_screen][:1]
            return bool(found)

        self.wait_until(changed, timeout, "a screen change")
        return found[0]

    def _screen_text_locked(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    # --- writing ------------------------------------------------------------------
    def send(self, data: str | bytes) -> float:
        """Write raw input; returns the time (perf_counter) it was written."""
        payload = data.encode() if isinstance(data, str) else data
        os.write(self.master_fd, payload)
        return time.perf_counter()

    def press(self, *keys: str) -> None:
        """Press keys by name ("enter", "down", ...) or as single characters."""
        for key in keys:
            self.send(KEYS.get(key, key.encode()))

    def resize(self, cols: int, rows: int) -> None:
        """Resize the terminal; the kernel sends SIGWINCH to the program."""
        with self._changed:
            self.cols, self.rows = cols, rows
            self.screen.resize(rows, cols)
            self._rows.clear()
        set_window_size(self.master_fd, cols, rows)

    # --- the process --------------------------------------------------------------
    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_exit(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        """Wait for the program to exit and its last output to be read; return the status."""
        status = self.process.wait(timeout)
        self._reader.join(timeout)
        return status

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, sig)

    def hang_up(self) -> None:
        """Close the terminal, as a closed window or a dropped connection does: the
        kernel sends SIGHUP to the program, whose terminal now answers with EIO."""
        self._hanging_up = True
        self._reader.join(2)
        os.close(self.master_fd)
        self.master_fd = -1

    def peak_rss_kib(self) -> int:
        """The program's peak resident memory (VmHWM) in KiB, read from /proc."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise RuntimeError("VmHWM not found in /proc status")

    def close(self) -> None:
        """Kill the program if still running and release the terminal."""
        if self.process.poll() is None:
            self.kill()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                pass
        self._stopping = True
        self._reader.join(2)
        for stream in (self.process.stdout,):
            if stream is not None:
                stream.close()
        if self.master_fd >= 0:
            try:
                os.close(self.master_fd)
            except OSError:
                pass

    def __enter__(self) -> PtySession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _take_controlling_terminal() -> None:
    # Runs in the child after setsid(): stdin is the pty's slave side.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def last_index(raw: bytes, sequence: bytes) -> int:
    """Where `sequence` last occurs in `raw` (-1 when it never does)."""
    return raw.rfind(sequence)


def iter_private_modes(raw: bytes) -> Iterator[tuple[int, bool]]:
    """Every DEC private mode set (`CSI ? n h`) or reset (`CSI ? n l`), in order."""
    for match in re.finditer(rb"\x1b\[\?([0-9;]+)([hl])", raw):
        for number in match.group(1).split(b";"):
            if number:
                yield int(number), match.group(2) == b"h"


def modes_left_on(raw: bytes) -> set[int]:
    """DEC private modes whose last change in `raw` turned them on."""
    state: dict[int, bool] = {}
    for mode, on in iter_private_modes(raw):
        state[mode] = on
    return {mode for mode, on in state.items() if on}
