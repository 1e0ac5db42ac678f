"""The content model: items, typed links, threads and the resolved pack.

Frozen records with tuple fields and string ids. Nothing here knows about the
screen: this module must never import textual or rich.

The records are msgspec Structs, not dataclasses: they read, compare, hash, sort
and pickle as frozen dataclasses do, but a Struct class is made in C when this
module is imported. On Python 3.11, `@dataclass` writes and compiles six or seven
methods per class, and for these classes that was 12 ms of every start-up, a fifth
of all the work thaw adds to Textual's (see ARCHITECTURE.md, "Start-up").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from enum import StrEnum
from functools import cached_property

from msgspec import Struct


class Record(Struct, frozen=True, gc=False):
    """An immutable record of the pack; every class below is one. (Each also says
    `frozen=True`, which it inherits anyway: mypy reads frozenness per class.)

    `gc=False`: a record holds only strings, numbers, tuples and records made before
    it, so it can never be part of a reference cycle, and Python's cyclic garbage
    collector need not track it. With 10,000 items that halves the full collection
    the reader makes after its first paint (`ui.app.settle_garbage_collector`).
    """


class Kind(StrEnum):
    """What an item is. The value is the singular used in ids and exports."""

    SECTION = "section"
    EVENT = "event"
    ACTOR = "actor"
    DISPUTE = "dispute"
    CONSEQUENCE = "consequence"
    SOURCE = "source"
    TERM = "term"

    @property
    def names(self) -> GroupNames:
        return KIND_NAMES[self]

    @property
    def plural(self) -> str:
        """The key that holds this kind's items in a pack file."""
        return KIND_NAMES[self].key

    @property
    def label(self) -> str:
        return KIND_NAMES[self].label


class GroupNames(Record, frozen=True):
    """What one group of the pack (the items of a kind, or the threads) is called.

    The one place these words are written: the loader, the schema, the panes, the
    item pages, the palette and the export all take them from here.
    """

    key: str  # "events": its key in pack files (and the plural)
    label: str  # "Event": one member, as in "Event: Soviet invasion"
    title: str  # "Timeline": the group, as its pane is named
    heading: str  # "Timeline": the group as a part of the exported document


KIND_NAMES: dict[Kind, GroupNames] = {
    Kind.SECTION: GroupNames("sections", "Story", "Story", "The story"),
    Kind.EVENT: GroupNames("events", "Event", "Timeline", "Timeline"),
    Kind.ACTOR: GroupNames("actors", "Actor", "Actors", "Actors"),
    Kind.DISPUTE: GroupNames("disputes", "Dispute", "Disputes", "Disputes"),
    Kind.CONSEQUENCE: GroupNames("consequences", "Consequence", "Consequences", "Consequences"),
    Kind.SOURCE: GroupNames("sources", "Source", "Sources", "Sources"),
    Kind.TERM: GroupNames("terms", "Term", "Glossary", "Glossary"),
}
THREAD_NAMES = GroupNames("threads", "Thread", "Threads", "Threads")
KIND_KEYS_BY_KIND: dict[Kind, str] = {kind: names.key for kind, names in KIND_NAMES.items()}
KINDS_BY_KEY: dict[str, Kind] = {names.key: kind for kind, names in KIND_NAMES.items()}

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX_LENGTH = 64

ACTOR_KINDS = ("person", "state", "organisation", "group")
SOURCE_ORIGINS = ("article", "context")
# What one actor may do to another in an event (`Event.actions`). A reply to an action
# is not a kind of its own: it is read from the typed links (`pack/relations.py`).
ACTION_KINDS = ("annexation", "sanctions", "ban", "talks-off", "drills", "protest")
MAP_FOLDER = "maps"  # where a pack keeps its map data files (named in the manifest)


class Relation(Record, frozen=True):
    """A link type: how it reads forwards, how it reads from the target back."""

    name: str
    label: str
    inverse_label: str
    target_kinds: tuple[Kind, ...] = ()  # empty: any kind may be linked


RELATIONS: dict[str, Relation] = {
    r.name: r
    for r in (
        Relation("involves", "Involves", "Involved in", (Kind.ACTOR,)),
        Relation("between", "Between", "Party to", (Kind.ACTOR,)),
        Relation("caused_by", "Caused by", "Led to"),
        Relation("responds_to", "Responds to", "Answered by"),
        Relation("followed_by", "Followed by", "Preceded by", (Kind.EVENT,)),
        Relation("about", "About", "Discussed in"),
        Relation("affects", "Affects", "Affected by"),
        Relation("part_of", "Part of", "Includes"),
        Relation("mentions", "Mentions", "Mentioned in"),
        Relation("related", "Related", "Related"),
        Relation("cites", "Cites", "Cited by", (Kind.SOURCE,)),
    )
}
# Relations the loader derives; authors do not write them under `links`.
DERIVED_RELATIONS = frozenset({"cites", "between"})


class PartialDate(Record, frozen=True, order=True):
    """An ISO 8601 date kept at the precision it was written with."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        # An unknown month or day sorts last within its year or month: "2014-07"
        # (sometime in July) goes after "2014-07-17", which it may well follow.
        return (self.year, self.month or 13, self.day or 32)

    @property
    def earliest(self) -> tuple[int, int, int]:
        """The first day it may mean: "2014-07" may be 1 July 2014."""
        return (self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> tuple[int, int, int]:
        """The last day it may mean: "2014-07" may be 31 July 2014 (days past a month's
        end compare the same, so 31 stands for any month's last day)."""
        return (self.year, self.month or 12, self.day or 31)

    def human(self) -> str:
        """'18 Aug 1945', 'Aug 2014' or '1952'."""
        if self.month is None:
            return str(self.year)
        month = MONTH_ABBREVIATIONS[self.month - 1]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"


MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


class Provenance(Record, frozen=True):
    """Where an item's claims come from.

    `paragraphs` are article paragraph numbers (1-based, matching story sections);
    `sources` are ids of source items. `context` is set when the item adds facts
    from outside the article: it says what was added, and `sources` must then
    include at least one source whose origin is "context".
    """

    paragraphs: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()
    context: str | None = None


class FactCheck(Record, frozen=True):
    """Where the article slips or simplifies: what it says, what the sources say.

    `sources` are ids of source items that bear the correction out. A note never
    changes what the item itself states; it sits beside it, so a reader sees both.
    """

    article_says: str
    sources_say: str
    sources: tuple[str, ...]


class MapLocation(Record, frozen=True):
    """Where an item is on the pack's maps: places of its atlas, or one point.

    `region` is the atlas region it lies in; `places` are place ids in that region
    (the four disputed islands, say); `point` is (longitude, latitude) in degrees.
    The loader fills in the region and checks that every place exists and that a
    point lies inside the region; exactly one of `places` and `point` is set.
    """

    region: str
    places: tuple[str, ...] = ()
    point: tuple[float, float] | None = None


class Action(Record, frozen=True):
    """What one side did to the other in an event: `by` did `kind` to `to` (actor ids)."""

    kind: str  # one of ACTION_KINDS
    by: tuple[str, ...]
    to: tuple[str, ...]


class MapFile(Record, frozen=True):
    """A map data file of the pack (an atlas of coastlines, `pack/atlas.py`).

    `data` is the file's bytes as the loader read and checked them; the reader parses
    them again only when a map is first shown, so a start-up never pays for it.
    `source` is the id of the source item the data comes from (with its licence).
    """

    file: str  # relative to the pack folder, e.g. "maps/coastlines.json"
    source: str
    data: bytes = b""

    def __repr__(self) -> str:  # not the data itself: it is tens of kilobytes
        return f"MapFile({self.file!r}, {self.source!r}, {len(self.data)} bytes)"


class Link(Record, frozen=True):
    """An authored, outgoing link from one item to another."""

    relation: str
    target: str


class Item(Record, frozen=True, kw_only=True):
    """What every pane lists and every page shows: one piece of the explainer, of one
    kind (a subclass per kind), with where it comes from and what it links to."""

    id: str
    kind: Kind
    title: str
    summary: str
    body: str
    provenance: Provenance
    links: tuple[Link, ...] = ()
    aliases: tuple[str, ...] = ()
    # Not in the text `fingerprint.item_fingerprint` hashes: it adds the notes itself
    # when there are any, so items without notes keep the fingerprints they had before
    # notes existed (and are not flagged as changed).
    fact_checks: tuple[FactCheck, ...] = ()
    # Also added by the fingerprint only when set, for the same reason: giving an
    # item a place on the map does not flag it as changed elsewhere.
    location: MapLocation | None = None


class Section(Item, frozen=True, kw_only=True):
    """A digest of one paragraph of the article, in reading order."""

    paragraph: int


class Event(Item, frozen=True, kw_only=True):
    """Something that happened on a date, in one era of the timeline."""

    date: PartialDate
    era: str
    actions: tuple[Action, ...] = ()  # see Item.fact_checks


class Actor(Item, frozen=True, kw_only=True):
    """A person, country, group or organisation, with its role and native names."""

    actor_kind: str  # one of ACTOR_KINDS
    role: str
    names: tuple[tuple[str, str], ...] = ()  # (language code, name), e.g. ("ja", "安倍晋三")


class Side(Record, frozen=True):
    """One side of a dispute: who, what they call the thing, what they hold."""

    actor: str
    name: str
    position: str
    native_name: str | None = None


class Dispute(Item, frozen=True, kw_only=True):
    """A disagreement between sides, each with its own name for the thing."""

    sides: tuple[Side, ...]


class Consequence(Item, frozen=True, kw_only=True):
    """An effect the article traces to the events."""


class Source(Item, frozen=True, kw_only=True):
    """A cited work. `footnote` is the article's note number, when it has one."""

    origin: str  # one of SOURCE_ORIGINS
    authors: tuple[str, ...]
    outlet: str
    published: PartialDate | None
    accessed: PartialDate | None = None
    url: str | None = None
    footnote: int | None = None
    note: str | None = None  # e.g. where the article's own citation looks wrong


class Term(Item, frozen=True, kw_only=True):
    """A glossary entry; the title is the term, the summary its definition."""


THREAD_ORDERS = ("by-date",)  # what a thread's `ordered` may promise


class Thread(Record, frozen=True):
    """A named, ordered path through items. Threads are what the tracker tracks.

    `ordered` is None for a thread in the author's own order, or "by-date" when its
    events must follow one another in date order (the validator holds it to that).
    """

    id: str
    title: str
    summary: str
    steps: tuple[str, ...]
    ordered: str | None = None


class Era(Record, frozen=True):
    """A stretch of the timeline. `first_year` and `last_year` (both inclusive, either
    may be open) bound the dates of the events filed under it."""

    id: str
    title: str
    first_year: int | None = None
    last_year: int | None = None

    def covers(self, year: int) -> bool:
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )


class Manifest(Record, frozen=True):
    """The pack's own description: the article it explains, and its version."""

    id: str
    title: str
    subtitle: str
    author: str
    published: PartialDate
    language: str
    version: str
    eras: tuple[Era, ...] = ()
    url: str | None = None


class ResolvedLink(Record, frozen=True):
    """A link as seen from one item: outgoing (authored or derived) or incoming."""

    relation: str
    label: str  # "Involves" going out, "Involved in" coming in
    other: str  # the id of the item at the other end
    incoming: bool


class LinkIndex(Mapping[str, tuple[ResolvedLink, ...]]):
    """The links of every item, kept as plain (relation, other id) pairs.

    `ResolvedLink` objects are made for an item the first time it is asked for.
    A 10,000-item pack has some 56,000 of them, and a reader opens a few dozen
    items: making them all up front (or unpickling them from the pack cache) cost
    a third of start-up on such a pack.
    """

    __slots__ = ("_pairs", "_incoming", "_made")

    def __init__(self, pairs: dict[str, tuple[tuple[str, str], ...]], incoming: bool) -> None:
        self._pairs = pairs
        self._incoming = incoming
        self._made: dict[str, tuple[ResolvedLink, ...]] = {}

    def __getitem__(self, item_id: str) -> tuple[ResolvedLink, ...]:
        made = self._made.get(item_id)
        if made is None:
            made = tuple(
                ResolvedLink(
                    name,
                    RELATIONS[name].inverse_label if self._incoming else RELATIONS[name].label,
                    other,
                    self._incoming,
                )
                for name, other in self._pairs[item_id]
            )
            self._made[item_id] = made
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    def __reduce__(self) -> tuple[type[LinkIndex], tuple[object, ...]]:
        return (LinkIndex, (self._pairs, self._incoming))


class Pack(Struct, frozen=True, dict=True):  # dict: room for the cached_property
    """A loaded, resolved content pack. Build it with `Pack.build`."""

    manifest: Manifest
    items: dict[str, Item]
    threads: tuple[Thread, ...]
    outgoing: LinkIndex
    incoming: LinkIndex
    maps: tuple[MapFile, ...] = ()

    def __repr__(self) -> str:  # the whole pack would be pages long
        return f"Pack({self.manifest.id!r}, {len(self.items)} items)"

    @classmethod
    def build(
        cls,
        manifest: Manifest,
        items: dict[str, Item],
        threads: tuple[Thread, ...],
        maps: tuple[MapFile, ...] = (),
    ) -> Pack:
        """Resolve links both ways. Links to unknown ids are dropped here;
        the validator reports them."""
        outgoing: dict[str, list[tuple[str, str]]] = {item_id: [] for item_id in items}
        incoming: dict[str, list[tuple[str, str]]] = {item_id: [] for item_id in items}
        for item in items.values():
            for link in all_links(item):
                if link.target not in items or link.target == item.id:
                    continue
                outgoing[item.id].append((link.relation, link.target))
                incoming[link.target].append((link.relation, item.id))
        return cls(
            manifest=manifest,
            items=items,
            threads=threads,
            outgoing=LinkIndex({key: tuple(value) for key, value in outgoing.items()}, False),
            incoming=LinkIndex({key: tuple(value) for key, value in incoming.items()}, True),
            maps=maps,
        )

    @cached_property
    def _by_kind(self) -> dict[Kind, list[Item]]:
        """Every item under its kind, in one pass (`of_kind` is asked for each pane:
        a scan of every item each time cost 30 ms at first paint with 10,000 items)."""
        by_kind: dict[Kind, list[Item]] = {kind: [] for kind in Kind}
        for item in self.items.values():
            by_kind[item.kind].append(item)
        return by_kind

    def of_kind(self, kind: Kind) -> list[Item]:
        """Items of one kind in their natural reading order."""
        found = list(self._by_kind[kind])
        if kind is Kind.EVENT:
            found.sort(key=lambda item: item.date.sort_key if isinstance(item, Event) else (0,))
        elif kind is Kind.SECTION:
            found.sort(key=lambda item: item.paragraph if isinstance(item, Section) else 0)
        return found

    def links_of(self, item_id: str) -> tuple[ResolvedLink, ...]:
        """Every link of an item: outgoing first, then incoming ("linked from")."""
        return self.outgoing.get(item_id, ()) + self.incoming.get(item_id, ())

    def thread(self, thread_id: str) -> Thread | None:
        return next((t for t in self.threads if t.id == thread_id), None)

    def threads_of(self, item_id: str) -> list[Thread]:
        return [t for t in self.threads if item_id in t.steps]

    def fact_checked(self) -> list[Item]:
        """Every item that carries a fact-check note, in reading order by kind."""
        return [item for kind in Kind for item in self.of_kind(kind) if item.fact_checks]

    def located(self) -> list[Item]:
        """Every item with a place on a map, in reading order by kind."""
        return [item for kind in Kind for item in self.of_kind(kind) if item.location]

    def era_title(self, era_id: str) -> str:
        for era in self.manifest.eras:
            if era.id == era_id:
                return era.title
        return era_id

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items.values())

    def __len__(self) -> int:
        return len(self.items)


def all_links(item: Item) -> Iterator[Link]:
    """Authored links plus the ones derived from provenance and dispute sides."""
    yield from item.links
    for source_id in item.provenance.sources:
        yield Link("cites", source_id)
    if isinstance(item, Dispute):
        for side in item.sides:
            yield Link("between", side.actor)
