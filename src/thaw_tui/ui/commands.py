"""Ctrl+P: jump to any item by title or alias, or to the fact-check notes.

Textual's own `Matcher.highlight` parses the candidate as markup, which content
must never be; hits here are highlighted on a literal `Content` instead.
"""

from __future__ import annotations

from functools import partial
from typing import Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from thaw_tui.pack.model import Pack, Source
from thaw_tui.ui.text import one_line


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


class ItemCommands(Provider):
    """Every item, findable by its title or any alias.

    No `discover()`: the empty palette lists the app's own commands (Go to a pane,
    Continue reading, ...), which every item of a pack, 10,000 of them in a large
    one, would bury.
    """

    entries: list[tuple[str, str, str]]  # set by `startup`, which runs before any search

    async def startup(self) -> None:
        """List every title and alias once, when the palette opens (not per key)."""
        self.entries = self.build_entries(cast(JumpTarget, self.app).pack)

    @staticmethod
    def build_entries(pack: Pack) -> list[tuple[str, str, str]]:
        """(searchable label, item id, help line) for every title and alias."""
        entries = []
        for item in pack:
            title = one_line(item.title)
            where = f"{item.kind.label} · open"
            if isinstance(item, Source):  # readers look sources up by outlet too
                title = f"{one_line(item.outlet)}: {title}"
            entries.append((title, item.id, where))
            for alias in item.aliases:
                entries.append((f"{one_line(alias)} ({title})", item.id, where))
        return entries

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        target = cast(JumpTarget, self.app)
        for label, item_id, where in self.entries:
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    literal_highlight(matcher, label),
                    partial(target.open_item, item_id),
                    text=label,
                    help=escape(where),
                )


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
