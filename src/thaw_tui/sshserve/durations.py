"""Durations written the way people type them: `90s`, `30m`, `2h`."""

from __future__ import annotations

import re

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$")
_UNIT_SECONDS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0}


class DurationError(ValueError):
    """A duration that cannot be read; the message says how to write one."""


def parse_duration(text: str, *, option: str = "duration") -> float:
    """Seconds in `text`, e.g. "90s" -> 90.0, "30m" -> 1800.0, "2h" -> 7200.0."""
    match = _DURATION.match(text)
    if match is None:
        raise DurationError(
            f"{option} {text!r} is not a duration: write a number followed by s, m or h, "
            "for example 90s, 30m or 2h."
        )
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds <= 0:
        raise DurationError(f"{option} {text!r} must be longer than zero, for example 30m.")
    return seconds


def format_duration(seconds: float) -> str:
    """A short human form for logs and notices: 45s, 12m, 2h."""
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"
