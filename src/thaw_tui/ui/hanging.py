"""Text with hanging indents: a line that starts with a list's mark (`• `, `1. `), a
quote's bar or some spaces goes on, when it wraps, under the words after them, as a
page of a book sets a list, rather than back at the margin.

`Hanging(text)` is a Rich renderable for a `Static`; `Hanging.lines` is the same
wrapping as a list of lines, so a search can tell which line a match is drawn on.
A word longer than the line (a long address) is folded, as Rich would; addresses get
lines of their own on a page and are never wrapped there (see the item page).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

# A list's mark, a quote's bar, or plain spaces, then the space after them.
HANG = re.compile(r"^(?:\s*(?:[•*|▌-]|\d+\.)(?: [|▌])* +| +)")
MOST_OF_THE_LINE = 2  # hang no deeper than half the line: past that, wrap at the margin


class Hanging:
    def __init__(self, text: Text) -> None:
        self.text = text

    def lines(self, console: Console, width: int) -> list[Text]:
        """The text wrapped to `width` cells, continuation lines hung under the mark."""
        width = max(1, width)
        out: list[Text] = []
        for line in self.text.split("\n", allow_blank=True):
            found = HANG.match(line.plain)
            hang = cell_len(found.group(0)) if found else 0
            if found and hang * MOST_OF_THE_LINE <= width:
                cut = len(found.group(0))
                head, rest = line[:cut], line[cut:]
                wrapped = rest.wrap(console, width - hang, overflow="fold") or [Text()]
                for number, part in enumerate(wrapped):
                    lead = head.copy() if number == 0 else Text(" " * hang)
                    out.append(lead.append_text(part))
            else:
                out.extend(line.wrap(console, width, overflow="fold") or [Text()])
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        for line in self.lines(console, options.max_width):
            line.end = ""
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((cell_len(line) for line in self.text.plain.splitlines()), default=0)
        return Measurement(min(longest, 8), longest)
