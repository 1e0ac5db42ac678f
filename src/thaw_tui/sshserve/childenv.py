"""What a reader's `thaw` process may see: an environment built from nothing, and limits.

Nothing the client sends (environment requests, the command line, the username)
is copied in; only the terminal type is taken, and only after validation.
"""

from __future__ import annotations

import re
import resource
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

FALLBACK_TERM = "xterm-256color"
_SAFE_TERM = re.compile(r"[A-Za-z0-9._+-]{1,64}")
_TRUECOLOR = frozenset({"truecolor", "24bit"})
CHILD_PATH = "/usr/bin:/bin"
# Set by the server, never by the client: which descriptor of a reader started cold
# (a new process, not a fork of the warm one) is the server's stderr, where the
# reader's crash reports go (cli/main.py takes it up).
HOST_ERRORS_ENV = "THAW_HOST_ERRORS_FD"


def safe_term(term: str | None) -> str:
    """The client's TERM if it is a plain name, else a sensible default."""
    if term and _SAFE_TERM.fullmatch(term):
        return term
    return FALLBACK_TERM


def child_environment(
    term: str | None, client_env: Mapping[str, str], home: Path
) -> dict[str, str]:
    """The whole environment of a reader's process.

    Of `client_env` only COLORTERM is consulted, and only its two truecolor values
    pass, so colours match the reader's terminal and nothing else leaks.
    """
    env = {
        "TERM": safe_term(term),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PATH": CHILD_PATH,
        "HOME": str(home),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    colorterm = client_env.get("COLORTERM", "")
    if colorterm in _TRUECOLOR:
        env["COLORTERM"] = colorterm
    return env


@dataclass(frozen=True)
class ChildLimits:
    """Resource limits of one reader's process (bytes, descriptors, seconds)."""

    # Address space, not resident memory: Python and Textual map much more than they
    # touch. Measured: a reader maps well under 300 MiB (bench/bench_serve.py).
    address_space: int = 1024 * 1024 * 1024
    open_files: int = 256
    file_size: int = 64 * 1024 * 1024
    cpu_seconds: int = 4 * 3600

    def apply(self) -> None:
        """Set the limits on the current process (called in the child before exec)."""
        pairs = (
            (resource.RLIMIT_AS, self.address_space),
            (resource.RLIMIT_NOFILE, self.open_files),
            (resource.RLIMIT_FSIZE, self.file_size),
            (resource.RLIMIT_CPU, self.cpu_seconds),
            (resource.RLIMIT_CORE, 0),
        )
        for which, value in pairs:
            resource.setrlimit(which, (value, value))
        # RLIMIT_NPROC is left alone: it counts every process and thread of the user,
        # so a per-child value would cap the whole server, and root ignores it anyway.
