"""What `thaw serve` tells its host: one line per connection, and diagnostics.

Both go through the `thaw.serve` logger. Its own messages (a bad authorized_keys line,
a reader's process that would not start, the warm process gone) go to stderr as
`thaw serve: ...` sentences, always, so the host sees them in the terminal or the
journal. Connection lines go to `thaw.serve.connections`: to `--log-file` when one is
given (and then only there, so that file stays one line per connection), else to stderr.

Modules log with `logging.getLogger(LOGGER_NAME)`; until `thaw serve` sets the handlers
up (unit tests), Python's last-resort handler still prints warnings to stderr.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from thaw_tui.paths import untrusted

LOGGER_NAME = "thaw.serve"
CONNECTIONS_LOGGER_NAME = f"{LOGGER_NAME}.connections"


@dataclass
class ConnectionRecord:
    """Filled in as the connection goes; written once when it ends."""

    address: str
    port: int
    started: float = field(default_factory=time.time)
    fingerprint: str = "-"
    term: str = "-"
    size: str = "-"
    # An exit status, or why there was none (refused: rate, closed: no session...).
    outcome: str = "closed"

    def line(self, now: float | None = None) -> str:
        ended = time.time() if now is None else now
        stamp = datetime.fromtimestamp(self.started, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            f"{stamp} {self.fingerprint} {self.address}:{self.port} term={self.term} "
            f"size={self.size} duration={ended - self.started:.1f}s exit={self.outcome}"
        )


class _CurrentStderr(logging.Handler):
    """Writes to whatever `sys.stderr` is when a message comes (as logging's last resort
    does), not to the stream that was current when the handler was made."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:
            self.handleError(record)


def _replace_handlers(logger: logging.Logger, handler: logging.Handler) -> None:
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    logger.addHandler(handler)


def diagnostics_to_stderr() -> logging.Logger:
    """Send the server's own messages to stderr as `thaw serve: <message>`."""
    handler = _CurrentStderr()
    handler.setFormatter(logging.Formatter("thaw serve: %(message)s"))
    logger = logging.getLogger(LOGGER_NAME)
    _replace_handlers(logger, handler)
    return logger


class _PrivateFile(logging.StreamHandler):  # type: ignore[type-arg]
    """Appends to a log file opened by `open_private_log`, and closes it when done."""

    def close(self) -> None:
        try:
            self.stream.close()
        finally:
            super().close()


def open_private_log(log_file: Path) -> int:
    """A descriptor appending to `log_file`, made 0600 if new (it holds readers'
    fingerprints and addresses). Raises OSError, with a reason, for a link, a FIFO
    or a file another user owns or can write."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    descriptor = os.open(log_file, flags, 0o600)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "it is not a regular file")
        reason = untrusted(info)
        if reason is not None:
            raise OSError(errno.EPERM, f"it {reason}")
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            os.fchmod(descriptor, 0o600)
        os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def connection_logger(log_file: Path | None) -> logging.Logger:
    """A logger writing bare lines to `log_file`, or to stderr when there is none.

    Raises OSError when the log file cannot be opened for appending."""
    handler: logging.Handler
    if log_file is None:
        handler = _CurrentStderr()
    else:
        stream = os.fdopen(open_private_log(log_file), "a", encoding="utf-8")
        handler = _PrivateFile(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(CONNECTIONS_LOGGER_NAME)
    _replace_handlers(logger, handler)
    return logger
