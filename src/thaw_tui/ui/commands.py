"""Ctrl+P: jump to any item by its title, an alias, a name, a date, an author or an
outlet, or to the fact-check notes.

Textual's own `Matcher.highlight` parses the candidate as markup, which content
must never be; hits here are highlighted on a literal `Content` instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from thaw_tui.pack.model import Event, Pack, Source
from thaw_tui.ui.glyphs import g
from thaw_tui.ui.page_text import where_it_lives
from thaw_tui.ui.rows import row_columns, search_fields
from thaw_tui.ui.text import find_matches, one_line


class JumpTarget(Protocol):
    """What the provider needs from the app: the pack, and a way to open an item."""

    pack: Pack

    def open_item(self, item_id: str) -> None: ...

    def show_fact_checks(self) -> None: ...


def literal_highlight(matcher: Matcher, candidate: str) -> Content:
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if score:
        for offset in offsets:
            if not candidate[offset].isspace():
                content = content.stylize("reverse", offset, offset + 1)
    return content


@dataclass(frozen=True)
class ItemEntry:
    """One item as the palette lists it: once, whatever it is found by."""

    item_id: str
    label: str  # the title ("Reuters: ..." for a source)
    aliases: tuple[str, ...]
    help: str  # "Event · 18 Aug 1945 · in Timeline"
    words: str  # everything it is found by, folded: title, aliases, names, dates...


def item_entries(pack: Pack) -> list[ItemEntry]:
    """Every item once, with what finds it (the same as the panes' `/`, but the text)."""
    entries = []
    for item in pack:
        title = one_line(item.title)
        if isinstance(item, Source):  # readers look sources up by outlet too
            title = f"{one_line(item.outlet)}: {title}"
        leading, _detail = row_columns(pack, item)
        where = where_it_lives(item)
        parts = [item.kind.label]
        if isinstance(item, (Event, Source)) and leading:
            parts.append(leading.split("  ")[0].strip())
        if where:
            parts.append(f"in {where}")
        words = f"{title} {search_fields(pack, item)}".casefold()
        aliases = tuple(one_line(alias) for alias in item.aliases)
        entries.append(ItemEntry(item.id, title, aliases, g().dot.join(parts), words))
    return entries


# The entries of the pack last shown (one pack a process; tests make many, kept one).
_ENTRIES: dict[str, tuple[Pack, list[ItemEntry]]] = {}


def entry_score(entry: ItemEntry, words: list[str]) -> float:
    """How well `words` (folded) find the entry: 0 when one of them is missing. A word
    in the title counts most, at the start of a word more; shorter titles come first."""
    if not all(word in entry.words for word in words):
        return 0.0
    title, shown = entry.label.casefold(), entry.help.casefold()
    score = 1.0
    for word in words:
        if word in title:
            score += 2.0
            if title.startswith(word) or f" {word}" in title:
                score += 1.0
        elif word in shown:  # its date, say: "1945" finds the events of 1945 first
            score += 1.5
    return score + 1.0 / (1 + len(title))


class ItemCommands(Provider):
    """Every item, found by its title, aliases, names, dates, authors or outlet: one
    row per item, an alias it was found by shown beside its title.

    No `discover()`: the empty palette lists the app's own commands (Go to a pane,
    Continue reading, ...), which every item of a pack, 10,000 of them in a large
    one, would bury. Words are matched as typed (every word, anywhere), not fuzzily:
    "abe" finds Abe, not every title with an a, a b and an e in it.
    """

    entries: list[ItemEntry]  # set by `startup`, which runs before any search

    async def startup(self) -> None:
        """List every item once: the first time the palette opens (a 10,000-item pack
        takes a tenth of a second), then kept for the pack."""
        pack = cast(JumpTarget, self.app).pack
        kept = _ENTRIES.get("pack")
        if kept is None or kept[0] is not pack:
            kept = _ENTRIES["pack"] = (pack, item_entries(pack))
        self.entries = kept[1]

    async def search(self, query: str) -> Hits:
        words = query.casefold().split()
        if not words:
            return
        target = cast(JumpTarget, self.app)
        for entry in self.entries:
            score = entry_score(entry, words)
            if score <= 0:
                continue
            label = entry.label
            by_alias = [a for a in entry.aliases if any(w in a.casefold() for w in words)]
            if by_alias and not any(word in label.casefold() for word in words):
                label = f"{label} ({by_alias[0]})"
            yield Hit(
                score,
                marked_words(label, words),
                partial(target.open_item, entry.item_id),
                text=label,
                help=escape(entry.help),
            )


def marked_words(candidate: str, words: list[str]) -> Content:
    """`candidate` as literal content, each of `words` found in it reversed."""
    content = Content(candidate)
    for word in words:
        for start, end in find_matches(candidate, word):
            content = content.stylize("reverse", start, end)
    return content


FACT_CHECKS_COMMAND = "Fact checks"
FACT_CHECKS_HELP = "Every note on where the article slips or simplifies (key f)"


class FactCheckCommands(Provider):
    """The list of fact-check notes, and each noted item as "Fact check: <title>".

    Only the list is offered in the empty palette; the items come up as one types.
    """

    entries: list[tuple[str, str]]  # (label, item id), set by `startup`

    async def startup(self) -> None:
        pack = cast(JumpTarget, self.app).pack
        self.entries = [
            (f"Fact check: {one_line(item.title)}", item.id) for item in pack.fact_checked()
        ]

    async def discover(self) -> Hits:
        target = cast(JumpTarget, self.app)
        yield DiscoveryHit(
            Content(FACT_CHECKS_COMMAND),
            target.show_fact_checks,
            text=FACT_CHECKS_COMMAND,
            help=escape(FACT_CHECKS_HELP),
        )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        target = cast(JumpTarget, self.app)
        score = matcher.match(FACT_CHECKS_COMMAND)
        if score > 0:
            yield Hit(
                score,
                literal_highlight(matcher, FACT_CHECKS_COMMAND),
                target.show_fact_checks,
                text=FACT_CHECKS_COMMAND,
                help=escape(FACT_CHECKS_HELP),
            )
        for label, item_id in self.entries:
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    literal_highlight(matcher, label),
                    partial(target.open_item, item_id),
                    text=label,
                    help=escape("open the item and its note"),
                )
