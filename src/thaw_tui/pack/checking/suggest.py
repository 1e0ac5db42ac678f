"""'Did you mean' suggestions for misspelt names and ids."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from contextvars import ContextVar

# Each suggestion compares the word with every choice; a pack with thousands of
# wrong ids among thousands of items would make that quadratic (minutes), so the
# comparisons per load are capped and later problems simply get no suggestion.
# A ContextVar keeps concurrent loads (threads, tasks) from sharing one budget.
SUGGESTION_BUDGET = 100_000
_budget: ContextVar[int] = ContextVar("suggestion_budget", default=SUGGESTION_BUDGET)


def reset_budget() -> None:
    """Called once per pack load."""
    _budget.set(SUGGESTION_BUDGET)


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like `word`, if any is reasonably close (and budget remains)."""
    candidates = list(choices)
    left = _budget.get()
    if left < len(candidates):
        return None
    _budget.set(left - len(candidates))
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' — did you mean 'x'?' or, with nothing close, an empty string."""
    match = closest(word, choices)
    return f" — did you mean '{match}'?" if match else ""


def one_of(choices: Iterable[str]) -> str:
    """'a', 'b' or 'c'."""
    quoted = [f"'{choice}'" for choice in choices]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
