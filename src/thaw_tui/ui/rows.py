"""How items read on screen: list rows, meta lines, provenance. Always literal text."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from msgspec import Struct
from msgspec.structs import force_setattr
from rich.cells import cell_len
from rich.text import Text

from thaw_tui.pack.model import (
    MONTH_ABBREVIATIONS,
    Actor,
    Dispute,
    Event,
    Item,
    Kind,
    Pack,
    PartialDate,
    Section,
    Source,
    Thread,
)
from thaw_tui.ui.glyphs import g
from thaw_tui.ui.text import clean, fit, one_line

# A source the article does not cite, added for context, and one with no date: written
# out, not abbreviated, in the Sources list.
CONTEXT_MARK = "context"
NO_DATE = "no date"


class Columns(Struct, frozen=True):
    """An item row in parts, so the list can share its width out when it draws it."""

    prefix: Text  # seen glyph and leading column, already padded
    title: str
    detail: str = ""
    flag: str = ""  # "new" / "changed"
    # Cells the title (with its flag) and the detail take: worked out once, here (any
    # value given is replaced), as a list of 10,000 rows is measured again whenever a
    # filter changes it.
    title_cells: int = 0
    detail_cells: int = 0

    def __post_init__(self) -> None:
        flag = len(self.flag) + 1 if self.flag else 0
        force_setattr(self, "title_cells", cell_len(self.title) + flag)
        force_setattr(self, "detail_cells", cell_len(self.detail))


class Row(Struct, frozen=True):
    """One line of a list: an item (choosable) or a group heading (not).

    `text` is the whole row as plain reading order; rows with `columns` are laid
    out by the list at draw time (title and detail columns fitted to the width).
    """

    text: Text
    item_id: str | None = None
    search_text: str = ""  # what `/` looks in besides the item's text (see ListPane)
    columns: Columns | None = None

    @property
    def is_heading(self) -> bool:
        return self.item_id is None


def seen_glyph(seen: bool) -> str:
    return g().seen if seen else g().unseen


def fact_check_glyph() -> str:
    return g().fact_check


def seen_line(seen: bool) -> str:
    """ "✓ seen" / "○ not seen yet": an item's own state, in a glyph and words."""
    return f"{g().seen} seen" if seen else f"{g().unseen} not seen yet"


def side_names(pack: Pack, dispute: Dispute) -> str:
    """ "Japan and Russia", "Western powers, Russia and Ukrainian rebels" (words, not
    the abbreviation "vs")."""
    names = [one_line(pack.items[s.actor].title) for s in dispute.sides if s.actor in pack.items]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def row_columns(pack: Pack, item: Item) -> tuple[str, str]:
    """(leading column, trailing detail) shown around an item's title in a list."""
    if isinstance(item, Event):
        return item.date.human(), ""
    if isinstance(item, Section):
        return f"{g().paragraph}{item.paragraph}", ""
    if isinstance(item, Actor):
        return "", f"{item.actor_kind}{g().dot}{one_line(item.role)}"
    if isinstance(item, Dispute):
        return "", side_names(pack, item)
    if isinstance(item, Source):
        mark = f"[{item.footnote}]" if item.footnote is not None else CONTEXT_MARK
        when = item.published.human() if item.published else NO_DATE
        return f"{mark:<{len(CONTEXT_MARK)}} {when}", one_line(item.outlet)
    return "", ""


def lead_column(pack: Pack, items: list[Item]) -> int:
    """Width of the leading column (date, paragraph, footnote and date), in cells."""
    widths = [cell_len(row_columns(pack, item)[0]) for item in items]
    return min(max(widths, default=0), 32)


def item_row(pack: Pack, item: Item, *, seen: bool, flag: str | None = None, lead: int = 0) -> Row:
    """`✓ 18 Aug 1945 Title  new  detail` — glyph first so state never rests on colour."""
    leading, detail = row_columns(pack, item)
    title = one_line(item.title)
    prefix = Text(no_wrap=True, end="")
    prefix.append(seen_glyph(seen) + " ", style="" if seen else "bold")
    if lead:
        prefix.append(fit(leading, lead) + " ", style="dim" if seen else "")
    columns = Columns(prefix, title, detail, flag or "")
    return Row(compose_row(columns, 0), item.id, search_fields(pack, item), columns)


def date_words(date: PartialDate | None) -> list[str]:
    """A date as readers may type it: "18 Aug 1945", "18 August 1945", "1945-08-18"."""
    if date is None:
        return []
    words = [date.human(), str(date)]
    if date.month is not None:
        words.append(
            date.human().replace(MONTH_ABBREVIATIONS[date.month - 1], MONTH_NAMES[date.month - 1])
        )
    return words


MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def search_fields(pack: Pack, item: Item) -> str:
    """What `/` finds an item by, besides its text: what its row shows, its aliases,
    names (in every language), authors, outlet and dates."""
    leading, detail = row_columns(pack, item)
    words = [one_line(item.title), leading, detail, *item.aliases]
    if isinstance(item, Event):
        words += date_words(item.date)
    elif isinstance(item, Actor):
        words += [item.role, *(name for _lang, name in item.names)]
    elif isinstance(item, Source):
        words += [item.outlet, *item.authors, *date_words(item.published)]
        words += date_words(item.accessed)
    elif isinstance(item, Dispute):
        for side in item.sides:
            words += [side.name, side.native_name or "", side.position]
    return " ".join(one_line(word) for word in words if word)


_MARKUP = re.compile(r"[*_`#>\[]+|\]\([^)]*\)")


def item_text(item: Item) -> str:
    """An item's summary and body as plain words, for `/` (and for showing where a
    match is). Markdown's marks are dropped; link addresses are not words to find."""
    return one_line(clean(item.summary) + " " + _MARKUP.sub("", clean(item.body)))


FLAG_STYLE = "bold underline"
DETAIL_STYLE = "dim"


def compose_row(columns: Columns, title_width: int) -> Text:
    """The row as one Text; with `title_width`, the title (and flag) padded to it."""
    text = columns.prefix.copy()
    text.no_wrap, text.overflow, text.end = True, "ellipsis", ""
    flag = f" {columns.flag}" if columns.flag else ""
    if title_width and columns.detail:
        text.append(fit(columns.title, max(1, title_width - cell_len(flag))).rstrip())
        text.append(flag, style=FLAG_STYLE)
        text.pad_right(max(0, cell_len(columns.prefix.plain) + title_width - cell_len(text.plain)))
    else:
        text.append(columns.title)
        text.append(flag, style=FLAG_STYLE)
    if columns.detail:
        text.append("  " + columns.detail, style=DETAIL_STYLE)
    return text


def heading_row(title: str) -> Row:
    rule = g().rule * 2
    return Row(Text(f"{rule} {one_line(title)}", style="bold", no_wrap=True, overflow=g().overflow))


def fact_check_row(pack: Pack, item: Item, *, seen: bool) -> Row:
    """`○ ⚑ Treaty of San Francisco signed  Event · 8 Sep 1951` on the notes list."""
    prefix = Text(no_wrap=True, end="")
    prefix.append(seen_glyph(seen) + " ", style="" if seen else "bold")
    prefix.append(g().fact_check + " ")
    leading, _detail = row_columns(pack, item)
    detail = item.kind.label + (f"{g().dot}{leading}" if isinstance(item, Event) else "")
    if len(item.fact_checks) > 1:
        detail += f"{g().dot}{len(item.fact_checks)} notes"
    columns = Columns(prefix, one_line(item.title), detail)
    search = " ".join(
        [one_line(item.title), *(one_line(note.article_says) for note in item.fact_checks)]
    )
    return Row(compose_row(columns, 0), item.id, search, columns)


def thread_progress(done: int, total: int, width: int = 10) -> str:
    """ "[████░░░░░░] 4/10" — the count is there so the bar is never the only signal."""
    filled = round(width * done / total) if total else 0
    return "[" + g().bar_full * filled + g().bar_empty * (width - filled) + f"] {done}/{total}"


def thread_row(thread: Thread, done: int, count_width: int = 0) -> Row:
    """ "○ [██░░] 4/43   Title": counts padded to `count_width` digits a side."""
    total = len(thread.steps)
    text = Text(no_wrap=True, overflow=g().overflow, end="")
    text.append(seen_glyph(done == total and total > 0) + " ")
    progress = thread_progress(done, total)
    text.append(progress + " " * (2 * count_width + 1 - len(f"{done}/{total}")) + "  ")
    text.append(one_line(thread.title))
    return Row(text, thread.id, one_line(thread.title) + " " + one_line(thread.summary))


def rows_for_kind(
    pack: Pack, kind: Kind, is_seen: Callable[[str], bool], flags: Mapping[str, str]
) -> list[Row]:
    """Every row of a pane: events grouped under their era, the rest in reading order."""
    items = pack.of_kind(kind)
    lead = lead_column(pack, items)
    rows: list[Row] = []
    era: str | None = None
    for item in items:
        if isinstance(item, Event) and item.era != era:
            era = item.era
            rows.append(heading_row(pack.era_title(era)))
        rows.append(
            item_row(
                pack,
                item,
                seen=is_seen(item.id),
                flag=flags.get(item.id),
                lead=lead,
            )
        )
    return rows


def title_column(items: list[Item]) -> int:
    """Width of the title column, so details after titles line up (in cells, not chars)."""
    return min(max((cell_len(one_line(item.title)) for item in items), default=0), 44)


def thread_preview(pack: Pack, thread: Thread, is_seen: Callable[[str], bool]) -> Text:
    done = sum(1 for step in thread.steps if is_seen(step))
    text = Text()
    text.append(one_line(thread.title), style="bold")
    text.append("\n" + thread_progress(done, len(thread.steps)) + "\n\n", style="dim")
    text.append(clean(thread.summary).strip() + "\n\n")
    for number, step in enumerate(thread.steps, 1):
        item = pack.items.get(step)
        title = one_line(item.title) if item else step
        text.append(f"{seen_glyph(is_seen(step))} {number}. {title}\n")
    return text
