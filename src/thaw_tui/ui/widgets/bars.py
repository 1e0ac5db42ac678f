"""One-line bars: the header (title and progress), the pane bar and the breadcrumb."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from msgspec import Struct
from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from thaw_tui.pack.model import Pack
from thaw_tui.progress import Progress
from thaw_tui.ui.glyphs import g
from thaw_tui.ui.text import fit, one_line

SAVING_CHECK_SECONDS = 1.0


class HeaderBar(Widget):
    """`Thawing Relations Under Fire · Sean Mulvihill, 2014 ……… 23/71 seen`.

    The article's title, author and year, and the reader's progress (plus a warning
    when it is not being saved). The longest form that fits is drawn: the subtitle
    goes first, then the word "seen", then the year, then the author; the title stays.
    """

    DEFAULT_CSS = """
    HeaderBar { height: 1; background: $panel; color: $foreground; text-style: bold; }
    """

    def __init__(
        self,
        titles: Sequence[str],
        counts: Callable[[], tuple[int, int]],
        persistent: Callable[[], bool],
    ) -> None:
        super().__init__()
        # The left part, longest first: each is drawn only when it fits whole.
        self.titles = [one_line(title) for title in titles]
        self.title_text = self.titles[-1]
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
        width = self.size.width
        warning = ""
        if not self.persistent():
            warning = g().dot + ("progress not saved" if width >= 60 else "not saved")
        rights = [f" {seen}/{total} seen{warning} ", f" {seen}/{total}{warning} "]
        # The subtitle only beside the word "seen"; the rest drop "seen" before going.
        tries = [(self.titles[0], rights[0])]
        tries += [(title, right) for title in self.titles[1:] for right in rights]
        for title, right in tries:
            left = " " + title
            if cell_len(left) + cell_len(right) <= width:
                return self._line(left, right, width)
        left_width = max(0, width - cell_len(rights[-1]))
        return self._line(fit(" " + self.titles[-1], left_width), rights[-1], width)

    @staticmethod
    def _line(left: str, right: str, width: int) -> Text:
        gap = max(0, width - cell_len(left) - cell_len(right))
        return Text(left + " " * gap + right, no_wrap=True, end="")


class Tab(Struct, frozen=True):
    pane_id: str
    key: str
    title: str


class PaneBar(Widget):
    """`[1 Story ○7]  2 Timeline ○25  3 Actors ✓ …`: each pane's key, its title and how
    many of its items are unseen (✓: none). The current pane is in brackets, reversed.

    Every tab is drawn the same way, whichever is current: in full on as few lines as
    fit (one to three), else as keys and counts only.
    """

    DEFAULT_CSS = """
    PaneBar { height: auto; background: $surface; color: $text-muted; }
    """
    MAX_LINES = 3

    current: reactive[str] = reactive("", layout=True)

    def __init__(self, tabs: Sequence[Tab], unseen: Callable[[str], int]) -> None:
        super().__init__()
        self.tabs = list(tabs)
        self.unseen = unseen
        # Each pane's unseen count, until `counts_changed`: a layout asks for the lines
        # (and so the counts) more than once, and counting walks every item.
        self._counts: dict[str, int] | None = None

    def counts_changed(self) -> None:
        """Items were marked (or unmarked): count again, and lay the tabs out again."""
        self._counts = None
        self.refresh(layout=True)

    def count(self, pane_id: str) -> int:
        if self._counts is None:
            self._counts = {tab.pane_id: self.unseen(tab.pane_id) for tab in self.tabs}
        return self._counts[pane_id]

    def labels(self, titles: bool) -> list[str]:
        labels = []
        for tab in self.tabs:
            count = self.count(tab.pane_id)
            mark = f"{g().unseen}{count}" if count else g().seen
            labels.append(f"{tab.key} {tab.title} {mark}" if titles else f"{tab.key} {mark}")
        return labels

    def lines(self, width: int) -> list[list[tuple[Tab, str]]]:
        """The tabs laid out in lines of `width` cells."""
        for titles in (True, False):
            labels = self.labels(titles)
            lines: list[list[tuple[Tab, str]]] = [[]]
            used = 0
            for tab, label in zip(self.tabs, labels, strict=True):
                cells = cell_len(label) + 2  # padded by spaces, or by the brackets
                if lines[-1] and used + cells > width:
                    lines.append([])
                    used = 0
                lines[-1].append((tab, label))
                used += cells
            if len(lines) <= self.MAX_LINES or not titles:
                return lines
        raise AssertionError("unreachable")

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="crop", end="")
        for number, line in enumerate(self.lines(self.size.width)):
            if number:
                text.append("\n")
            for tab, label in line:
                if tab.pane_id == self.current:
                    text.append(f"[{label}]", style="bold reverse")
                else:
                    text.append(f" {label} ")
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
        crumb = g().crumb
        for limit in (28, 18):
            if cell_len(crumb.join(parts)) > room:
                parts = [fit(p, limit).rstrip() for p in parts[:-1]] + parts[-1:]
        prefix = ""
        while len(parts) > 1 and cell_len(prefix + crumb.join(parts)) > room:
            parts.pop(0)
            prefix = g().ellipsis + crumb
        return Text(prefix + crumb.join(parts), no_wrap=True, overflow=g().overflow, end="")


def header_titles(pack: Pack) -> list[str]:
    """What the header may say of the article, longest first."""
    manifest = pack.manifest
    title, byline = one_line(manifest.title), one_line(manifest.author)
    year = str(manifest.published.year)
    dot = g().dot
    titles = []
    if manifest.subtitle and byline:
        titles.append(f"{title}: {one_line(manifest.subtitle)}{dot}{byline}, {year}")
    if byline:
        titles += [f"{title}{dot}{byline}, {year}", f"{title}{dot}{byline}"]
    else:
        titles.append(f"{title} ({year})")
    return [*titles, title]


def header_for(pack: Pack, progress: Progress) -> HeaderBar:
    """A header naming the article and counting this pack's items the reader has seen."""
    ids = list(pack.items)

    def counts() -> tuple[int, int]:
        return progress.count_seen(ids), len(ids)

    return HeaderBar(header_titles(pack), counts, lambda: progress.persistent)
