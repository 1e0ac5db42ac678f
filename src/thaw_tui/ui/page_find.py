"""Finding text on an item's page (`/`, then `n` and `N`, as in less): where each
match is, and the page's texts with the matches marked. Plain logic over Rich texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

from thaw_tui.ui.text import find_matches

MATCH_STYLE = "reverse"
CURRENT_STYLE = "bold reverse underline"  # the match `n` and `N` are on


@dataclass(frozen=True)
class Match:
    part: str  # which part of the page: "title", "body", ... or "links" (a link's row)
    start: int  # characters into that part's text (a row's index, for "links")
    end: int


@dataclass
class PageFind:
    """A search of one page: the query, the matches in reading order, the one shown."""

    query: str = ""
    matches: tuple[Match, ...] = ()
    current: int = 0
    confirmed: bool = False  # Enter was pressed: n and N step through the matches

    def search(self, parts: Sequence[tuple[str, str]], query: str) -> None:
        """Find `query` (case aside) in each (part, text), in the order given."""
        self.query = query
        found: list[Match] = []
        if query.strip():
            for part, text in parts:
                found += [Match(part, start, end) for start, end in find_matches(text, query)]
        self.matches = tuple(found)
        self.current = 0

    def step(self, by: int) -> Match | None:
        """The next (`by` 1) or previous (-1) match, round the page's end."""
        if not self.matches:
            return None
        self.current = (self.current + by) % len(self.matches)
        return self.matches[self.current]

    @property
    def shown(self) -> Match | None:
        return self.matches[self.current] if self.matches else None

    def status(self) -> str:
        """'"kuril": 3 of 7', or that there is none."""
        if not self.query.strip():
            return "Find: type what to look for"
        if not self.matches:
            return f'"{self.query}": not on this page'
        return f'"{self.query}": {self.current + 1} of {len(self.matches)}'

    def marked(self, part: str, text: Text) -> Text:
        """A copy of `text` (the page's `part`) with this search's matches marked."""
        marked = text.copy()
        shown = self.shown
        for match in self.matches:
            if match.part == part:
                style = CURRENT_STYLE if match == shown else MATCH_STYLE
                marked.stylize(style, match.start, match.end)
        return marked
