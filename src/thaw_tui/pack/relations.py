"""Who did what to whom: the actions of the pack's events, one year at a time.

An event's `actions` say which actors did what to which (`Action(kind, by, to)`).
Here each action is spread into deeds, one per doer and target, and read against the
typed links: a deed is a *reply* when its event `responds_to` an event in which the
target did something to the doer (Russia's entry ban answers Japan's visa bans).

The year shown is the article's (the manifest's `published`), or, when nothing was
done that year, the latest year in which something was. Actors are ordered by how
much they did and had done to them, so the busiest relation comes first.
"""

from __future__ import annotations

from collections import Counter

from msgspec import Struct

from thaw_tui.pack.model import Event, Kind, Pack, PartialDate

# How an action's kind reads in a sentence or a cell ("talks-off" is a slug).
ACTION_LABELS = {
    "annexation": "annexation",
    "sanctions": "sanctions",
    "ban": "ban",
    "talks-off": "talks off",
    "drills": "drills",
    "protest": "protest",
}


class Deed(Struct, frozen=True):
    """One actor doing one thing to another, in one event."""

    event: str
    date: PartialDate
    kind: str
    by: str
    to: str
    replies_to: tuple[str, ...] = ()  # events of the target's against the doer it answers

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.kind, self.kind)


class Relations(Struct, frozen=True):
    year: int | None
    doers: tuple[str, ...]  # actor ids, the matrix's rows
    targets: tuple[str, ...]  # actor ids, its columns
    deeds: tuple[Deed, ...]  # in date order

    def cell(self, by: str, to: str) -> tuple[Deed, ...]:
        return tuple(deed for deed in self.deeds if deed.by == by and deed.to == to)

    def cells(self) -> list[tuple[str, str]]:
        """The (doer, target) pairs that hold a deed, row by row."""
        return [(by, to) for by in self.doers for to in self.targets if self.cell(by, to)]

    @property
    def events(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(deed.event for deed in self.deeds))


def action_years(pack: Pack) -> list[int]:
    return sorted(
        {
            item.date.year
            for item in pack.of_kind(Kind.EVENT)
            if isinstance(item, Event) and item.actions
        }
    )


def relations_of(pack: Pack, year: int | None = None) -> Relations:
    """The deeds of `year` (the article's year by default; see the module's docstring)."""
    years = action_years(pack)
    if year is None and years:
        article = pack.manifest.published.year
        year = article if article in years else years[-1]
    events = [
        item
        for item in pack.of_kind(Kind.EVENT)
        if isinstance(item, Event) and item.actions and item.date.year == year
    ]
    deeds: list[Deed] = []
    for event in events:
        for action in event.actions:
            for by in action.by:
                for to in action.to:
                    replies = _answered(pack, event, by, to)
                    deeds.append(Deed(event.id, event.date, action.kind, by, to, replies))
    weight: Counter[str] = Counter()
    first: dict[str, tuple[int, int, int]] = {}
    for deed in deeds:
        for actor in (deed.by, deed.to):
            weight[actor] += 1
            first.setdefault(actor, deed.date.sort_key)
    order = sorted(weight, key=lambda actor: (-weight[actor], first[actor], actor))
    doers = tuple(actor for actor in order if any(deed.by == actor for deed in deeds))
    targets = tuple(actor for actor in order if any(deed.to == actor for deed in deeds))
    return Relations(year, doers, targets, tuple(deeds))


def _answered(pack: Pack, event: Event, by: str, to: str) -> tuple[str, ...]:
    """The events this one responds to in which `to` acted against `by`."""
    found = []
    for link in pack.outgoing.get(event.id, ()):
        other = pack.items.get(link.other) if link.relation == "responds_to" else None
        if isinstance(other, Event) and any(
            to in action.by and by in action.to for action in other.actions
        ):
            found.append(other.id)
    return tuple(found)
