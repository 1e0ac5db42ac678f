"""What the pictures show, in words and as data, for readers who do not see them.

The reader draws three pictures: a map of each region of the pack's maps with its
items on it, a timeline ruler with every event on one scaled axis, and a matrix of
who did what to whom. A sighted reader takes a few facts from each at a glance
(four disputed islands just off Hokkaido; nothing between 1956 and 2010, then a
crowded 2014; sanctions one way, replies the other). This module computes those
facts from the same data the pictures are drawn from, and says them in sentences:
`thaw export --format markdown` prints the sentences, `--format json` the data and
the sentences (docs/export-format.md).

Items are named through a callback (`name`), so the Markdown export can write
"§12 Shinzo Abe" where the JSON writes the title.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from thaw_tui.pack.atlas import Atlas, MapRegion, Place, compass, km_between, parse_atlas
from thaw_tui.pack.model import MONTH_ABBREVIATIONS, Event, Item, Kind, Pack, PartialDate
from thaw_tui.pack.relations import Relations, relations_of

Name = Callable[[str], str]  # item id -> how the text names the item
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _title(pack: Pack) -> Name:
    return lambda item_id: pack.items[item_id].title if item_id in pack.items else item_id


def _join(words: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


# --- maps ---------------------------------------------------------------------------


def atlases(pack: Pack) -> list[tuple[str, Atlas]]:
    """Each map file's atlas (the pack was checked, so each parses)."""
    return [(map_file.file, parse_atlas(json.loads(map_file.data))) for map_file in pack.maps]


@dataclass(frozen=True)
class Marker:
    """An item on a map region, where it stands."""

    item: str
    places: tuple[str, ...]
    point: tuple[float, float] | None
    lon: float
    lat: float


def markers(pack: Pack, region: MapRegion) -> list[Marker]:
    """The pack's items placed on `region`, in reading order."""
    found = []
    for item in pack.located():
        location = item.location
        if location is None or location.region != region.id:
            continue
        lon, lat = region.where(location.places, location.point)
        found.append(Marker(item.id, location.places, location.point, lon, lat))
    return found


def _vertices(region: MapRegion, place: Place) -> list[tuple[float, float]]:
    points = [point for shape in region.shapes_of(place.id) for point in shape.ring]
    return points or [(place.lon, place.lat)]


def _nearest(region: MapRegion, place: Place) -> tuple[Place, float, str] | None:
    """The closest undisputed land to a place: (that place, km from coast to coast, which
    way `place` lies from it, judged between the two labels' anchors)."""
    mine = _vertices(region, place)
    best: tuple[Place, float] | None = None
    for other in region.places:
        if other.disputed or other.kind == "sea" or not region.shapes_of(other.id):
            continue
        km = min(km_between(theirs, point) for theirs in _vertices(region, other) for point in mine)
        if best is None or km < best[1]:
            best = (other, km)
    if best is None:
        return None
    other, km = best
    return other, km, compass((other.lon, other.lat), (place.lon, place.lat))


def _km(km: float) -> str:
    if km < 10:
        return f"{km:.0f} km" if km >= 1 else "under 1 km"
    rounded = round(km, -1) if km < 1000 else round(km, -2)
    return f"{rounded:,.0f} km"


def _across(bounds: Any) -> float:
    middle = (bounds.south + bounds.north) / 2
    return km_between((bounds.west, middle), (bounds.east, middle))


def describe_region(pack: Pack, region: MapRegion, name: Name) -> list[str]:
    """Sentences for one map, then one line per item on it (starting '- ')."""
    land = [p.label for p in region.places if p.kind == "land"]
    islands = [p.label for p in region.places if p.kind == "island" and not p.disputed]
    seas = [p.label for p in region.places if p.kind == "sea"]
    lines = []
    parts = [_join(land)] if land else []
    if islands:
        parts.append(f"the {'island' if len(islands) == 1 else 'islands'} of {_join(islands)}")
    if seas:
        parts.append(f"names over the water: {_join(seas)}")
    shows = f"Map of {region.title}."
    if parts:
        clauses = parts[0] if len(parts) == 1 else "; ".join(parts[:-1]) + "; and " + parts[-1]
        shows += f" It shows {clauses}."
    lines.append(shows)
    disputed = [p for p in region.places if p.disputed]
    if disputed:
        parts = []
        for place in disputed:
            near = _nearest(region, place)
            if near is None:
                parts.append(place.label)
            else:
                other, km, way = near
                parts.append(f"{place.label}, {_km(km)} off {other.label} to the {way}")
        noun = "island is" if len(disputed) == 1 else "islands are"
        lines.append(
            f"The disputed {noun} drawn hatched and labelled with both names: "
            f"{'; '.join(parts)} (distances from coast to coast)."
        )
    zooms = [
        f"{frame.title} (about {_km(_across(frame.bounds))} across)" for frame in region.frames
    ]
    lines.append(f"Zoom levels, widest first: {'; '.join(zooms)}.")
    placed = markers(pack, region)
    if placed:
        lines.append(f"{_count(len(placed), 'item is', 'items are')} marked on it:")
        for marker in placed:
            item = pack.items[marker.item]
            where = (
                _join([region.place(p).label for p in marker.places])
                if marker.places
                else f"{marker.lat:.2f}°N, {marker.lon:.2f}°E"
            )
            lines.append(f"- {name(item.id)} ({_what(item)}): {where}")
    return lines


def _what(item: Item) -> str:
    if isinstance(item, Event):
        return f"{item.kind.label.lower()}, {item.date.human()}"
    return item.kind.label.lower()


# --- the timeline -------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineFacts:
    events: tuple[Event, ...]
    first_year: int
    last_year: int
    gap: tuple[int, int] | None  # the longest stretch of years with no event, ends excluded
    busiest_year: tuple[int, int]  # (year, events)
    busiest_month: tuple[int, int, int] | None  # (year, month, events) in the busiest year


def timeline_facts(pack: Pack) -> TimelineFacts | None:
    events = tuple(item for item in pack.of_kind(Kind.EVENT) if isinstance(item, Event))
    if not events:
        return None
    years = sorted({event.date.year for event in events})
    gap = max(zip(years, years[1:], strict=False), key=lambda pair: pair[1] - pair[0], default=None)
    if gap is not None and gap[1] - gap[0] < 2:
        gap = None
    per_year = Counter(event.date.year for event in events)
    year, count = max(per_year.items(), key=lambda pair: (pair[1], pair[0]))
    per_month = Counter(e.date.month for e in events if e.date.year == year and e.date.month)
    month = max(per_month.items(), key=lambda pair: (pair[1], -pair[0]), default=None)
    return TimelineFacts(
        events,
        years[0],
        years[-1],
        gap,
        (year, count),
        (year, month[0], month[1]) if month else None,
    )


def describe_timeline(pack: Pack) -> list[str]:
    facts = timeline_facts(pack)
    if facts is None:
        return ["The pack has no dated events, so the timeline ruler is empty."]
    total = len(facts.events)
    lines = [
        f"The timeline ruler puts all {total} events on one axis from {facts.first_year} "
        f"to {facts.last_year}, each a tick where its date falls."
    ]
    for era in pack.manifest.eras:
        of_era = [event for event in facts.events if event.era == era.id]
        if of_era:
            span = _span(of_era[0].date, of_era[-1].date)
            lines.append(f"- {era.title}: {_count(len(of_era), 'event', 'events')}, {span}.")
    if facts.gap is not None:
        start, end = facts.gap
        lines.append(
            f"The widest empty stretch runs from {start} to {end}: {end - start} years "
            "without an event."
        )
    year, count = facts.busiest_year
    crowd = f"{year} holds {count} of the {total} events"
    if facts.busiest_month is not None:
        _, month, in_month = facts.busiest_month
        crowd += f"; its busiest month is {MONTH_NAMES[month - 1]}, with {in_month}"
    lines.append(crowd + ".")
    return lines


def _span(first: PartialDate, last: PartialDate) -> str:
    if first == last:
        return f"{'on' if first.precision == 'day' else 'in'} {first.human()}"
    return f"from {first.human()} to {last.human()}"


# --- who did what to whom -----------------------------------------------------------


def describe_relations(pack: Pack, name: Name, relations: Relations | None = None) -> list[str]:
    relations = relations or relations_of(pack)
    if not relations.deeds:
        return ["The pack's events record no actions between actors."]
    deeds = relations.deeds
    lines = [
        f"In {relations.year}, {_count(len(deeds), 'action', 'actions')} in "
        f"{_count(len(relations.events), 'event', 'events')} "
        f"{'passes' if len(deeds) == 1 else 'pass'} between "
        f"{_count(len(set(relations.doers) | set(relations.targets)), 'actor', 'actors')}; "
        "each row of the matrix is who acted, each column whom it was aimed at."
    ]
    targets = Counter(deed.to for deed in deeds)
    most, received = targets.most_common(1)[0]
    senders = sorted({deed.by for deed in deeds if deed.to == most}, key=relations.doers.index)
    if len(deeds) == 1:
        share = "the only one"
    elif received == len(deeds):
        share = f"all {received}"
    else:
        share = f"{received} of the {len(deeds)}"
    lines.append(
        f"{_actor(pack, most)} is on the receiving end of {share}, "
        f"from {_join([_actor(pack, actor) for actor in senders])}."
    )
    replies = [deed for deed in deeds if deed.replies_to]
    if replies:
        lines.append(
            f"{_count(len(replies), 'action answers', 'actions answer')} an earlier action "
            "of its target (a reply, by the events' typed links): "
            + "; ".join(
                f"{_actor(pack, d.by)}'s {d.label} ({_short(d.date)}) answers "
                + _join([name(event) for event in d.replies_to])
                for d in replies
            )
            + "."
        )
    for by, to in relations.cells():
        cell = relations.cell(by, to)
        what = ", ".join(
            f"{deed.label} ({_short(deed.date)}{', a reply' if deed.replies_to else ''})"
            for deed in cell
        )
        events = "; ".join(name(event) for event in dict.fromkeys(deed.event for deed in cell))
        lines.append(f"- {_actor(pack, by)} → {_actor(pack, to)}: {what}. Events: {events}.")
    return lines


def _actor(pack: Pack, actor_id: str) -> str:
    item = pack.items.get(actor_id)
    return item.title if item is not None else actor_id


def _short(date: PartialDate) -> str:
    """'5 Aug', 'Aug' or the year: the relations view is of one year."""
    if date.month is None:
        return str(date.year)
    month = MONTH_ABBREVIATIONS[date.month - 1]
    return f"{date.day} {month}" if date.day is not None else month


# --- the data behind the pictures, for the JSON export ------------------------------


def pictures_json(pack: Pack) -> dict[str, Any]:
    name = _title(pack)
    maps = []
    for map_file, atlas in atlases(pack):
        regions = []
        for region in atlas.regions:
            regions.append(
                {
                    "id": region.id,
                    "title": region.title,
                    "bounds": list(region.bounds),
                    "frames": [
                        {
                            "id": frame.id,
                            "title": frame.title,
                            "bounds": list(frame.bounds),
                            "detail": frame.detail,
                        }
                        for frame in region.frames
                    ],
                    "places": [
                        {
                            "id": place.id,
                            "names": list(place.names),
                            "lon": place.lon,
                            "lat": place.lat,
                            "kind": place.kind,
                            "disputed": place.disputed,
                        }
                        for place in region.places
                    ],
                    "markers": [
                        {
                            "item": marker.item,
                            "places": list(marker.places),
                            "point": list(marker.point) if marker.point else None,
                            "lon": round(marker.lon, 4),
                            "lat": round(marker.lat, 4),
                        }
                        for marker in markers(pack, region)
                    ],
                    "description": describe_region(pack, region, name),
                }
            )
        source = next(m.source for m in pack.maps if m.file == map_file)
        maps.append({"file": map_file, "source": source, "regions": regions})
    return {
        "maps": maps,
        "timeline": _timeline_json(pack),
        "relations": _relations_json(pack, name),
    }


def _timeline_json(pack: Pack) -> dict[str, Any]:
    facts = timeline_facts(pack)
    data: dict[str, Any] = {"description": describe_timeline(pack)}
    if facts is None:
        return data
    data.update(
        {
            "first_year": facts.first_year,
            "last_year": facts.last_year,
            "events": [
                {"id": event.id, "date": str(event.date), "era": event.era}
                for event in facts.events
            ],
            "eras": [
                {
                    "id": era.id,
                    "title": era.title,
                    "events": sum(1 for event in facts.events if event.era == era.id),
                }
                for era in pack.manifest.eras
            ],
            "longest_gap": (
                {"from": facts.gap[0], "to": facts.gap[1], "years": facts.gap[1] - facts.gap[0]}
                if facts.gap
                else None
            ),
            "busiest_year": {"year": facts.busiest_year[0], "events": facts.busiest_year[1]},
            "busiest_month": (
                {
                    "month": f"{facts.busiest_month[0]}-{facts.busiest_month[1]:02d}",
                    "events": facts.busiest_month[2],
                }
                if facts.busiest_month
                else None
            ),
        }
    )
    return data


def _relations_json(pack: Pack, name: Name) -> dict[str, Any]:
    relations = relations_of(pack)
    return {
        "year": relations.year,
        "doers": list(relations.doers),
        "targets": list(relations.targets),
        "deeds": [
            {
                "event": deed.event,
                "date": str(deed.date),
                "kind": deed.kind,
                "label": deed.label,
                "by": deed.by,
                "to": deed.to,
                "replies_to": list(deed.replies_to),
            }
            for deed in relations.deeds
        ],
        "description": describe_relations(pack, name, relations),
    }
