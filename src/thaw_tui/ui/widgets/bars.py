"""One-line bars: the header (title and progress), the pane bar and the breadcrumb."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from thaw_tui.pack.model import Pack
from thaw_tui.progress import Progress
from thaw_tui.ui.text import fit, one_line

SAVING_CHECK_SECONDS = 1.0


class HeaderBar(Widget):
    """`Thawing Relations Under Fire ……… 23/71 seen` (plus a warning when not saving)."""

    DEFAULT_CSS = """
    HeaderBar { height: 1; background: $panel; color: $foreground; text-style: bold; }
    """

    def __init__(
        self,
        title: str,
        counts: Callable[[], tuple[int, int]],
        persistent: Callable[[], bool],
    ) -> None:
        super().__init__()
        self.title_text = one_line(title)
        self.counts = counts
        self.persistent = persistent
        self._saving = True

    def on_mount(self) -> None:
        # Whether progress is saved can change by itself (a progress database that goes
        # away and comes back), so look once a second and repaint when it did.
        self._saving = self.persistent()
        self.set_interval(SAVING_CHECK_SECONDS, self.check_saving)

    def check_saving(self) -> None:
        saving = self.persistent()
        if saving != self._saving:
            self._saving = saving
            self.refresh()

    def render(self) -> Text:
        seen, total = self.counts()
        right = f"{seen}/{total} seen"
        if not self.persistent():
            right += " · progress not saved" if self.size.width >= 60 else " · not saved"
        right = f" {right} "
        width = self.size.width
        left_width = max(0, width - cell_len(right))
        return Text(fit(" " + self.title_text, left_width) + right, no_wrap=True, end="")


class PaneBar(Widget):
    """`1 Story  2 Timeline  …`, the current pane in brackets and reversed."""

    DEFAULT_CSS = """
    PaneBar { height: 1; background: $surface; color: $text-muted; }
    """

    current: reactive[str] = reactive("")

    def __init__(self, panes: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.panes = list(panes)  # (pane id, title)

    def render(self) -> Text:
        width = self.size.width
        labels = [title for _, title in self.panes]
        for gap in ("  ", " "):
            if self._width(labels, gap) <= width:
                return self._text(labels, gap)
        # Still too wide: shorten the other panes' names, longest first, to three
        # letters at least; then show only their numbers.
        while self._width(labels, " ") > width:
            index = max(
                (i for i, (pane_id, _) in enumerate(self.panes) if pane_id != self.current),
                key=lambda i: len(labels[i]),
                default=None,
            )
            if index is None or len(labels[index]) <= 3:
                break
            labels[index] = labels[index][: max(2, len(labels[index]) - 3)] + "."
        if self._width(labels, " ") > width:
            labels = [
                title if pane_id == self.current else ""
                for (pane_id, title), label in zip(self.panes, labels, strict=True)
            ]
        return self._text(labels, " ")

    def _width(self, labels: list[str], gap: str) -> int:
        return sum(len(label) + (4 if label else 3) for label in labels) + len(gap) * (
            len(labels) - 1
        )

    def _text(self, labels: list[str], gap: str) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for number, ((pane_id, _), label) in enumerate(zip(self.panes, labels, strict=True), 1):
            if number > 1:
                text.append(gap)
            if pane_id == self.current:
                text.append(f"[{number} {label}]", style="bold reverse")
            else:
                text.append(f" {number} {label} " if label else f" {number} ")
        return text


class Breadcrumb(Widget):
    """`Disputes › Islands dispute › Soviet invasion`, cut from the left when too long."""

    DEFAULT_CSS = """
    Breadcrumb { height: 1; color: $text-muted; padding: 0 1; }
    """

    parts: reactive[tuple[str, ...]] = reactive(())

    def render(self) -> Text:
        parts = [one_line(p) for p in self.parts]
        room = self.size.width - 2
        # First shorten the parts before the last, then drop the oldest ones.
        for limit in (28, 18):
            if cell_len(" › ".join(parts)) > room:
                parts = [fit(p, limit).rstrip() for p in parts[:-1]] + parts[-1:]
        prefix = ""
        while len(parts) > 1 and cell_len(prefix + " › ".join(parts)) > room:
            parts.pop(0)
            prefix = "… › "
        return Text(prefix + " › ".join(parts), no_wrap=True, overflow="ellipsis", end="")


def header_for(pack: Pack, progress: Progress) -> HeaderBar:
    """A header counting this pack's items that the reader has seen."""
    ids = list(pack.items)

    def counts() -> tuple[int, int]:
        return progress.count_seen(ids), len(ids)

    return HeaderBar(pack.manifest.title, counts, lambda: progress.persistent)
