"""What an item's page says, beyond its title and body: the line under the title, the
sides of a dispute, where the item comes from, its fact-check notes and its links.
The preview beside a wide list is a short page, so it is made here too. Always
literal text (see `ui/text.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text

from thaw_tui.pack.model import (
    Actor,
    Dispute,
    Event,
    Item,
    Kind,
    Pack,
    Section,
    Side,
    Source,
)
from thaw_tui.ui.glyphs import g
from thaw_tui.ui.markdown_text import markdown_to_text
from thaw_tui.ui.pane_specs import PANE_KEYS, PANES_BY_ID, pane_for_kind
from thaw_tui.ui.rows import Row, heading_row, seen_glyph, seen_line, side_names
from thaw_tui.ui.text import clean, one_line

FACT_CHECK_TITLE = "Fact check"
# The first group of an item page's links: the sources its fact-check notes name,
# numbered 1, 2, ... so the note can say which key follows each one.
FACT_CHECK_LINKS = "Fact-check sources"
# An actor named as a group of many ("Western powers") takes a plural verb.
PLURAL_KINDS = frozenset({"group"})


def where_it_lives(item: Item) -> str:
    """ "Glossary (key 7)": the pane an item belongs to, whatever led to its page."""
    pane = PANES_BY_ID.get(pane_for_kind(item.kind) or "")
    if pane is None:
        return ""
    return f"{pane.title} (key {PANE_KEYS[pane.id]})"


def meta_line(pack: Pack, item: Item) -> str:
    """The line under a page's title: what the item is, its pane, what identifies it."""
    home = where_it_lives(item)
    label = item.kind.label
    parts = [home if home.startswith(label) else f"{label} in {home}" if home else label]
    if isinstance(item, Event):
        parts += [item.date.human(), pack.era_title(item.era)]
    elif isinstance(item, Section):
        total = len(pack.of_kind(Kind.SECTION))
        parts.append(f"the article's paragraph {item.paragraph} of {total}")
    elif isinstance(item, Actor):
        parts += [item.actor_kind, item.role]
        parts += [f"{lang}: {name}" for lang, name in item.names]
    elif isinstance(item, Dispute):
        parts.append("between " + side_names(pack, item))
    elif isinstance(item, Source):
        if item.footnote is not None:
            parts.append(f"the article's footnote [{item.footnote}]")
        elif item.origin == "context":
            parts.append("added for context")
        parts.append(item.outlet)
        if item.authors:
            parts.append("by " + ", ".join(one_line(author) for author in item.authors))
        if item.published:
            parts.append(item.published.human())
    if item.location is not None:
        parts.append("on the map")  # (w on its page shows where)
    return g().dot.join(one_line(part) for part in parts if part)


def source_label(source: Source) -> str:
    """ "[2] MOFA, Northern Territories Issue", or without the footnote mark."""
    name = f"{one_line(source.outlet)}, {one_line(source.title)}"
    return f"[{source.footnote}] {name}" if source.footnote is not None else name


def source_details(source: Source) -> list[str]:
    """Lines for a source's own page (its address has a line of its own)."""
    lines = []
    if source.accessed:
        lines.append("Accessed " + source.accessed.human())
    if source.note:
        lines.append("Note: " + one_line(source.note))
    return lines


# --- where it comes from -------------------------------------------------------------
@dataclass(frozen=True)
class Provenance:
    """An item's provenance sorted out: the article's paragraphs, the article's own
    footnoted sources, and the sources added for context (with what they add)."""

    paragraphs: tuple[int, ...]
    footnoted: tuple[Source, ...]
    context: tuple[Source, ...]
    context_note: str

    @classmethod
    def of(cls, pack: Pack, item: Item) -> Provenance:
        sources = [pack.items.get(source_id) for source_id in item.provenance.sources]
        known = [source for source in sources if isinstance(source, Source)]
        return cls(
            item.provenance.paragraphs,
            tuple(s for s in known if s.origin != "context"),
            tuple(s for s in known if s.origin == "context"),
            one_line(item.provenance.context or ""),
        )

    def only_paragraph(self, item: Item) -> bool:
        """A paragraph's digest that draws on nothing but that paragraph."""
        return (
            isinstance(item, Section)
            and self.paragraphs in ((), (item.paragraph,))
            and not self.footnoted
            and not self.context
        )


def paragraphs_text(paragraphs: tuple[int, ...]) -> str:
    mark = g().paragraph
    return ", ".join(f"{mark}{n}" for n in paragraphs)


def provenance_summary(pack: Pack, item: Item) -> str | None:
    """ "From the article ¶5 · footnote [2] · 2 context sources": one line. None for a
    paragraph's digest that says no more than its own paragraph (its meta line does)."""
    prov = Provenance.of(pack, item)
    if prov.only_paragraph(item):
        return None
    parts = []
    if prov.paragraphs:
        parts.append(f"the article {paragraphs_text(prov.paragraphs)}")
    if prov.footnoted:
        marks = ", ".join(f"[{s.footnote}]" for s in prov.footnoted if s.footnote is not None)
        noun = "footnote" if len(prov.footnoted) == 1 else "footnotes"
        parts.append(f"{noun} {marks}".strip())
    if prov.context:
        count = len(prov.context)
        parts.append(f"{count} context source{'' if count == 1 else 's'}")
    if not parts:
        return "No source given"
    return "From " + g().dot.join(parts)


def provenance_full(pack: Pack, item: Item) -> Text:
    """Every source by name, and what the context adds: each label once."""
    prov = Provenance.of(pack, item)
    text = Text()
    lines: list[tuple[str, str]] = []
    if prov.paragraphs:
        lines.append(("The article: ", paragraphs_text(prov.paragraphs)))
    for source in prov.footnoted:
        lines.append(("Footnote: ", source_label(source)))
    for source in prov.context:
        lines.append(("Added for context: ", source_label(source)))
    if prov.context_note:
        lines.append(("What the context adds: ", prov.context_note))
    if not lines:
        lines.append(("", "No source given."))
    for number, (label, value) in enumerate(lines):
        if number:
            text.append("\n")
        text.append(label, style="bold")
        text.append(value)
    return text


# --- disputes ------------------------------------------------------------------------
_TRAILING_NOTE = re.compile(r"^(?P<name>.*?)\s*\((?P<note>[^()]*)\)$")


def side_name(side: Side) -> str:
    """ "Southern Kurils (Южные Курилы; part of the Kuril Islands)": the name, with the
    side's own name for it and any note in one pair of brackets."""
    name = one_line(side.name)
    inside = [one_line(side.native_name)] if side.native_name else []
    found = _TRAILING_NOTE.match(name)
    if found:
        name = found["name"]
        inside.append(found["note"])
    return f"{name} ({'; '.join(inside)})" if inside else name


def sides_text(pack: Pack, dispute: Dispute) -> Text:
    """Each side as a sentence ("Japan calls it the Northern Territories (北方領土).")
    and its position under it, indented; a blank line between sides."""
    text = Text()
    for number, side in enumerate(dispute.sides):
        if number:
            text.append("\n\n")
        actor = pack.items.get(side.actor)
        who = one_line(actor.title) if actor else side.actor
        plural = isinstance(actor, Actor) and actor.actor_kind in PLURAL_KINDS
        text.append(who, style="bold")
        text.append(f" {'call' if plural else 'calls'} it {side_name(side)}.")
        position = clean(side.position).strip()
        if position:
            text.append("\n  " + " ".join(position.split()))
    return text


# --- fact checks -----------------------------------------------------------------------
def fact_check_sources(pack: Pack, item: Item) -> list[str]:
    """The source ids an item's notes name, once each, in order (known sources only)."""
    found = dict.fromkeys(
        source for note in item.fact_checks for source in note.sources if source in pack.items
    )
    return list(found)


def fact_check_heading(item: Item) -> str:
    """ "⚑ Fact check", or "⚑ Fact checks (2)": a glyph and a word, never colour alone."""
    count = len(item.fact_checks)
    if count == 1:
        return f"{g().fact_check} {FACT_CHECK_TITLE}"
    return f"{g().fact_check} {FACT_CHECK_TITLE}s ({count})"


def fact_check_text(pack: Pack, item: Item, *, numbered: bool = True) -> Text:
    """An item's notes: what the article says, what the sources say, and the sources.

    With `numbered`, each source carries the number of its link on the item page
    (`link_rows` lists them first), so its key follows it.
    """
    numbers = {source: n for n, source in enumerate(fact_check_sources(pack, item), 1)}
    text = Text()
    for index, note in enumerate(item.fact_checks):
        if index:
            text.append("\n\n")
        text.append("The article says: ", style="bold")
        text.append(clean(note.article_says).strip())
        text.append("\nThe sources say: ", style="bold")
        text.append(clean(note.sources_say).strip())
        text.append("\nSources: ", style="bold")
        for position, source_id in enumerate(note.sources):
            if position:
                text.append(g().dot)
            number = numbers.get(source_id)
            if numbered and number is not None:
                text.append(f"{number} ", style="bold")  # as the link's own row shows it
            source = pack.items.get(source_id)
            text.append(source_label(source) if isinstance(source, Source) else source_id)
    return text


# --- links ------------------------------------------------------------------------------
@dataclass(frozen=True)
class PageLink:
    group: str  # the heading it is listed under: how this item relates to it
    target: str
    also: tuple[str, ...] = ()  # the other ways the two are linked


def page_links(pack: Pack, item_id: str) -> list[PageLink]:
    """Every item linked to this one, once, under how this item relates to it: "Cites"
    for a source it cites, "Cited by" for an item that cites it, "Led to" for what it
    caused. An item linked in two ways is listed under the first, the others noted.

    An item with fact-check notes lists the sources they name first, so the numbers
    the note block shows (1, 2, ...) are the keys that follow them.
    """
    found: dict[str, list[str]] = {}
    item = pack.items.get(item_id)
    if item is not None and item.fact_checks:
        for source in fact_check_sources(pack, item):
            found.setdefault(source, []).append(FACT_CHECK_LINKS)
    for link in (*pack.outgoing.get(item_id, ()), *pack.incoming.get(item_id, ())):
        labels = found.setdefault(link.other, [])
        if link.label not in labels:
            labels.append(link.label)
    links = [PageLink(labels[0], target, tuple(labels[1:])) for target, labels in found.items()]
    order = list(dict.fromkeys(link.group for link in links))
    return sorted(links, key=lambda link: order.index(link.group))


def link_rows(pack: Pack, item_id: str, is_seen: Callable[[str], bool]) -> list[Row]:
    """The page's links grouped under their headings, every one numbered: its key."""
    links = page_links(pack, item_id)
    width = len(str(len(links)))
    rows: list[Row] = []
    group = None
    for number, link in enumerate(links, 1):
        if link.group != group:
            group = link.group
            rows.append(heading_row(group))
        target = pack.items[link.target]
        text = Text(no_wrap=True, overflow=g().overflow, end="")
        text.append(f"{number:>{width}} ", style="bold")
        text.append(seen_glyph(is_seen(link.target)) + " ")
        text.append(one_line(target.title))
        note = target.kind.label + "".join(f"{g().dot}{label.lower()}" for label in link.also)
        text.append(f"  {note}", style="dim")
        rows.append(Row(text, link.target, one_line(target.title)))
    return rows


# --- the preview beside a wide list -------------------------------------------------------
def preview_text(pack: Pack, item: Item, seen: bool) -> Text:
    """What the wide layout shows beside the list for the highlighted item."""
    text = Text()
    text.append(one_line(item.title), style="bold")
    text.append(f"\n{meta_line(pack, item)}", style="dim")
    text.append(f"\n{seen_line(seen)}\n\n", style="italic")
    text.append(clean(item.summary).strip() + "\n\n")
    body = markdown_to_text(item.body)  # as the page shows it
    if body.plain:
        text.append_text(body)
        text.append("\n\n")
    if isinstance(item, Dispute):
        text.append_text(sides_text(pack, item))
        text.append("\n\n")
    if item.fact_checks:
        text.append(fact_check_heading(item) + "\n", style="bold")
        text.append_text(fact_check_text(pack, item, numbered=False))
        text.append("\n\n")
    summary = provenance_summary(pack, item)
    if summary:
        text.append(summary + "\n")
    links = page_links(pack, item.id)
    if links:
        text.append(f"\n{len(links)} links{g().dot}Enter opens the page", style="dim")
    return text
