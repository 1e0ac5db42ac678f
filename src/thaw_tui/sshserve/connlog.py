"""One line per connection: time, fingerprint, address, TERM, size, duration, exit."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

LOGGER_NAME = "thaw.serve"


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


def connection_logger(log_file: Path | None) -> logging.Logger:
    """A logger writing bare lines to `log_file`, or to stderr when there is none."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    handler: logging.Handler
    if log_file is None:
        handler = logging.StreamHandler(sys.stderr)
    else:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    return logger
