"""A stand-in for the reader app in `thaw serve` tests: reports what a child sees.

On start it writes its argv, environment, working directory, pid, limits and open
descriptors to `<state-dir>/stub-<pid>.json`, and "STUB TO HOST <pid>" to the
descriptor $THAW_HOST_ERRORS_FD names (the server's stderr, for crash reports).
Then, in its own pseudo-terminal, it shows "STUB READY <cols>x<rows>", echoes each
read as "KEY <hex>", reports resizes as "SIZE <cols>x<rows>", quits with status 3
on "q" and crashes (SIGSEGV) on "c".
With `--flood` it writes output forever instead, for the back-pressure test. With
`--cooked` it leaves the terminal as the server made it (no raw mode), says
"STUB COOKED", and reports each read as "KEY <hex>": a key that the terminal turned
into a signal (^Z, ^C) would never be read.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import termios
import tty
from pathlib import Path


def open_descriptors() -> list[int]:
    """The descriptors open now (less the one listing them, closed by then)."""
    listed = [int(fd) for fd in os.listdir("/proc/self/fd")]

    def is_open(fd: int) -> bool:
        try:
            os.fstat(fd)
        except OSError:
            return False
        return True

    return sorted(fd for fd in listed if is_open(fd))


def main() -> int:
    argv = sys.argv[1:]
    state_dir = Path(argv[argv.index("--state-dir") + 1])
    report = {
        "argv": argv,
        "env": dict(os.environ),
        "cwd": os.getcwd(),
        "pid": os.getpid(),
        "pgid": os.getpgid(0),
        "sid": os.getsid(0),
        "tty": os.ttyname(0) if os.isatty(0) else None,
        "rlimit_as": resource.getrlimit(resource.RLIMIT_AS)[0],
        "rlimit_core": resource.getrlimit(resource.RLIMIT_CORE)[0],
        "rlimit_nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
        "fds": open_descriptors(),
    }
    (state_dir / f"stub-{os.getpid()}.json").write_text(json.dumps(report))
    host_errors = os.environ.get("THAW_HOST_ERRORS_FD")
    if host_errors is not None:  # where a reader's crash report would go: the server's
        os.write(int(host_errors), f"STUB TO HOST {os.getpid()}\n".encode())

    def say(text: str) -> None:
        # Unbuffered: the SIGWINCH handler may run in the middle of another say().
        os.write(1, text.encode() + b"\r\n")

    if "--flood" in argv:
        line = b"x" * 1000 + b"\r\n"
        while True:
            os.write(1, line)

    def on_resize(signum: int, frame: object) -> None:
        size = os.get_terminal_size(0)
        say(f"SIZE {size.columns}x{size.lines}")

    if "--cooked" in argv:
        say("STUB COOKED")
        while data := os.read(0, 1024):
            say("KEY " + data.hex())
        return 0

    signal.signal(signal.SIGWINCH, on_resize)
    saved = termios.tcgetattr(0)
    tty.setraw(0)
    try:
        os.write(1, b"\x1b[?1049h\x1b[?25l\x1b[?1000h")
        size = os.get_terminal_size(0)
        say(f"STUB READY {size.columns}x{size.lines}")
        while True:
            data = os.read(0, 1024)
            if not data:
                return 0
            say("KEY " + data.hex())
            if data == b"q":
                return 3
            if data == b"c":
                os.kill(os.getpid(), signal.SIGSEGV)
    finally:
        termios.tcsetattr(0, termios.TCSADRAIN, saved)


if __name__ == "__main__":
    sys.exit(main())
