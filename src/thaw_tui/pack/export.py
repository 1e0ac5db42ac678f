"""The resolved pack as JSON (for programs) or Markdown (for people).

The JSON shape is documented in docs/export-format.md and versioned by its
`format_version` header. The Markdown is a single document in reading order in
which every item has a number, so cross-references read "see §12 Shinzo Abe"
in print, in plain text and to a screen reader alike.
"""

from __future__ import annotations

from typing import Any

from thaw_tui.pack.describe import (
    atlases,
    describe_region,
    describe_relations,
    describe_timeline,
    pictures_json,
)
from thaw_tui.pack.fingerprint import item_fingerprint
from thaw_tui.pack.model import (
    RELATIONS,
    THREAD_NAMES,
    Actor,
    Dispute,
    Event,
    GroupNames,
    Item,
    Kind,
    Pack,
    PartialDate,
    Section,
    Source,
)
from thaw_tui.pack.relations import ACTION_LABELS

FORMAT_NAME = "thaw-pack-export"
FORMAT_VERSION = 1

# The pictures in words: the map, the timeline ruler and who did what to whom, for
# readers who do not see them (pack/describe.py).
PICTURES = GroupNames("pictures", "Picture", "Pictures", "The pictures in words")

# The parts of the export in reading order: the pictures after the timeline, the
# threads (not items) after the consequences. The JSON lists items in the same order.
PARTS: tuple[Kind | GroupNames, ...] = (
    Kind.SECTION,
    Kind.EVENT,
    PICTURES,
    Kind.ACTOR,
    Kind.DISPUTE,
    Kind.CONSEQUENCE,
    THREAD_NAMES,
    Kind.TERM,
    Kind.SOURCE,
)
JSON_KIND_ORDER = tuple(part for part in PARTS if isinstance(part, Kind))


def part_heading(part: Kind | GroupNames) -> str:
    return part.names.heading if isinstance(part, Kind) else part.heading


def ordered_items(pack: Pack) -> list[Item]:
    """Every item in reading order: story, timeline, actors, disputes, consequences,
    glossary, sources; within a kind, the pack's natural order (by paragraph or date)."""
    return [item for kind in JSON_KIND_ORDER for item in pack.of_kind(kind)]


# --- JSON ---------------------------------------------------------------------------


def _date(value: PartialDate | None) -> str | None:
    return None if value is None else str(value)


def _kind_fields(item: Item) -> dict[str, Any]:
    if isinstance(item, Section):
        return {"paragraph": item.paragraph}
    if isinstance(item, Event):
        return {
            "date": str(item.date),
            "date_precision": item.date.precision,
            "era": item.era,
            "actions": [
                {"kind": action.kind, "by": list(action.by), "to": list(action.to)}
                for action in item.actions
            ],
        }
    if isinstance(item, Actor):
        return {
            "actor_kind": item.actor_kind,
            "role": item.role,
            "names": dict(item.names),
        }
    if isinstance(item, Dispute):
        return {
            "sides": [
                {
                    "actor": side.actor,
                    "name": side.name,
                    "native_name": side.native_name,
                    "position": side.position,
                }
                for side in item.sides
            ]
        }
    if isinstance(item, Source):
        return {
            "origin": item.origin,
            "authors": list(item.authors),
            "outlet": item.outlet,
            "published": _date(item.published),
            "accessed": _date(item.accessed),
            "url": item.url,
            "footnote": item.footnote,
            "note": item.note,
        }
    return {}


def _threads_by_item(pack: Pack) -> dict[str, list[str]]:
    """Item id -> ids of the threads it is a step of (one pass, not one per item)."""
    found: dict[str, list[str]] = {}
    for thread in pack.threads:
        for step in dict.fromkeys(thread.steps):
            found.setdefault(step, []).append(thread.id)
    return found


def _item_json(pack: Pack, item: Item, threads_of: dict[str, list[str]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "kind": item.kind.value,
        "title": item.title,
        "aliases": list(item.aliases),
        "summary": item.summary,
        "body": item.body,
        "provenance": {
            "paragraphs": list(item.provenance.paragraphs),
            "sources": list(item.provenance.sources),
            "context": item.provenance.context,
        },
    }
    data.update(_kind_fields(item))
    data["fact_checks"] = [
        {
            "article_says": note.article_says,
            "sources_say": note.sources_say,
            "sources": list(note.sources),
        }
        for note in item.fact_checks
    ]
    data["links"] = [
        {"relation": link.relation, "label": link.label, "target": link.other}
        for link in pack.outgoing.get(item.id, ())
    ]
    data["linked_from"] = [
        {"relation": link.relation, "label": link.label, "source": link.other}
        for link in pack.incoming.get(item.id, ())
    ]
    location = item.location
    data["location"] = (
        None
        if location is None
        else {
            "region": location.region,
            "places": list(location.places),
            "point": list(location.point) if location.point else None,
        }
    )
    data["threads"] = threads_of.get(item.id, [])
    data["fingerprint"] = item_fingerprint(item)
    return data


def export_json(pack: Pack) -> dict[str, Any]:
    """The whole resolved pack as plain JSON data (see docs/export-format.md)."""
    manifest = pack.manifest
    threads_of = _threads_by_item(pack)
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "manifest": {
            "id": manifest.id,
            "title": manifest.title,
            "subtitle": manifest.subtitle,
            "author": manifest.author,
            "published": str(manifest.published),
            "language": manifest.language,
            "version": manifest.version,
            "url": manifest.url,
            "eras": [
                {"id": era.id, "title": era.title, "from": era.first_year, "to": era.last_year}
                for era in manifest.eras
            ],
            "maps": [{"file": m.file, "source": m.source} for m in pack.maps],
        },
        "relations": {
            relation.name: {
                "label": relation.label,
                "inverse_label": relation.inverse_label,
                "target_kinds": [kind.value for kind in relation.target_kinds],
            }
            for relation in RELATIONS.values()
        },
        "items": [_item_json(pack, item, threads_of) for item in ordered_items(pack)],
        "threads": [
            {
                "id": thread.id,
                "title": thread.title,
                "summary": thread.summary,
                "steps": list(thread.steps),
                "ordered": thread.ordered,
            }
            for thread in pack.threads
        ],
        "pictures": pictures_json(pack),
    }


# --- Markdown -----------------------------------------------------------------------


class _MarkdownWriter:
    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.lines: list[str] = []
        # Numbers follow the document order, threads excepted (they are not items).
        self.numbers: dict[str, int] = {}
        self.sections: dict[int, Section] = {
            item.paragraph: item for item in pack.of_kind(Kind.SECTION) if isinstance(item, Section)
        }
        for kind in JSON_KIND_ORDER:
            for item in pack.of_kind(kind):
                self.numbers[item.id] = len(self.numbers) + 1
        self.regions = {region.id: region for _, atlas in atlases(pack) for region in atlas.regions}

    def ref(self, item_id: str) -> str:
        item = self.pack.items.get(item_id)
        if item is None:
            return item_id
        return f"§{self.numbers[item_id]} {item.title}"

    def see(self, item_ids: list[str] | tuple[str, ...]) -> str:
        return "; ".join(f"see {self.ref(item_id)}" for item_id in item_ids)

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def write(self) -> str:
        manifest = self.pack.manifest
        self.add(f"# {manifest.title}", "")
        byline = f"{manifest.subtitle}. " if manifest.subtitle else ""
        self.add(f"{byline}By {manifest.author}, {manifest.published.human()}.", "")
        self.add(
            f"Exported from the thaw content pack `{manifest.id}`, version {manifest.version}. "
            "Every item has a number (§1, §2, ...); cross-references give the number and "
            "the title of the item they point to.",
            "",
        )
        self._contents()
        self._fact_check_index()
        for part in PARTS:
            self.add(f"## {part_heading(part)}", "")
            if part is THREAD_NAMES:
                self._threads()
            elif part is PICTURES:
                self._pictures()
            elif part is Kind.EVENT:
                self._timeline()
            elif isinstance(part, Kind):
                for item in self.pack.of_kind(part):
                    self._item(item, "###")
        return "\n".join(self.lines).rstrip("\n") + "\n"

    def _contents(self) -> None:
        self.add("## Contents", "")
        for index, part in enumerate(PARTS, start=1):
            title = part_heading(part)
            if part is THREAD_NAMES:
                count = len(self.pack.threads)
                self.add(f"{index}. {title} ({count} {'thread' if count == 1 else 'threads'})")
                continue
            if part is PICTURES:
                self.add(f"{index}. {title} (the maps, the timeline ruler, who did what to whom)")
                continue
            items = self.pack.of_kind(part) if isinstance(part, Kind) else []
            if items:
                span = f"§{self.numbers[items[0].id]}–§{self.numbers[items[-1].id]}"
                self.add(f"{index}. {title} ({span})")
            else:
                self.add(f"{index}. {title} (none)")
        self.add("")

    def _fact_check_index(self) -> None:
        noted = [item.id for item in self.pack.fact_checked()]
        if not noted:
            return
        noted.sort(key=self.numbers.__getitem__)
        count = sum(len(self.pack.items[item_id].fact_checks) for item_id in noted)
        self.add(
            f"Fact checks: where the article slips or simplifies, the item carries a note "
            f"saying what the article says and what the sources say ({count} "
            f"{'note' if count == 1 else 'notes'}): {self.see(noted)}.",
            "",
        )

    def _timeline(self) -> None:
        era = None
        for item in self.pack.of_kind(Kind.EVENT):
            assert isinstance(item, Event)
            if item.era != era:
                era = item.era
                self.add(f"### {self.pack.era_title(era)}", "")
            self._item(item, "####")

    def _pictures(self) -> None:
        """What a sighted reader takes from each picture of the reader, in sentences."""
        self.add(
            "The reader shows these as pictures: each paragraph below says what they show.",
            "",
        )
        for _file, atlas in atlases(self.pack):
            for region in atlas.regions:
                self.add(f"### Map: {region.title}", "")
                self._lines(describe_region(self.pack, region, self.ref))
        self.add("### The timeline ruler", "")
        self._lines(describe_timeline(self.pack))
        self.add("### Who did what to whom", "")
        self._lines(describe_relations(self.pack, self.ref))

    def _lines(self, lines: list[str]) -> None:
        """Sentences as paragraphs; runs of '- ' lines as one list."""
        for line, following in zip(lines, [*lines[1:], ""], strict=True):
            self.add(line)
            if not (line.startswith("- ") and following.startswith("- ")):
                self.add("")

    def _threads(self) -> None:
        for thread in self.pack.threads:
            self.add(f"### {thread.title}", "", thread.summary, "")
            for step_number, step in enumerate(thread.steps, start=1):
                self.add(f"{step_number}. {self.ref(step)}")
            self.add("")

    def _item(self, item: Item, level: str) -> None:
        self.add(f"{level} {self.ref(item.id)}", "")
        facts = self._facts(item)
        if facts:
            self.add(*(f"- {fact}" for fact in facts), "")
        self.add(item.summary, "")
        if item.body.strip():
            self.add(item.body.strip(), "")
        if isinstance(item, Dispute):
            self._sides(item)
        self._fact_checks(item)
        self._links(item)
        self._provenance(item)

    def _facts(self, item: Item) -> list[str]:
        facts: list[str] = []
        if item.aliases:
            facts.append("Also known as: " + ", ".join(item.aliases))
        if isinstance(item, Section):
            facts.append(f"Article paragraph {item.paragraph}")
        elif isinstance(item, Event):
            facts.append(f"Date: {item.date.human()}")
            for action in item.actions:
                by = ", ".join(self._name(actor) for actor in action.by)
                to = ", ".join(self._name(actor) for actor in action.to)
                facts.append(f"Action: {by} → {to}: {ACTION_LABELS.get(action.kind, action.kind)}")
        elif isinstance(item, Actor):
            facts.append(f"Role: {item.role} ({item.actor_kind})")
            facts.extend(f"Name ({language}): {name}" for language, name in item.names)
        elif isinstance(item, Source):
            facts.extend(self._source_facts(item))
        location = item.location
        region = self.regions.get(location.region) if location else None
        if location is not None and region is not None:
            if location.places:
                where = ", ".join(region.place(place).label for place in location.places)
            else:
                assert location.point is not None
                where = f"{location.point[1]:g}°N, {location.point[0]:g}°E"
            facts.append(f"On the map ({region.title}): {where}")
        return facts

    def _name(self, item_id: str) -> str:
        item = self.pack.items.get(item_id)
        return item.title if item is not None else item_id

    def _source_facts(self, source: Source) -> list[str]:
        origin = "cited in the article" if source.origin == "article" else "outside context"
        facts = [f"Origin: {origin}"]
        if source.footnote is not None:
            facts.append(f"Article footnote {source.footnote}")
        if source.authors:
            facts.append("Authors: " + ", ".join(source.authors))
        facts.append(f"Outlet: {source.outlet}")
        if source.published is not None:
            facts.append(f"Published: {source.published.human()}")
        if source.accessed is not None:
            facts.append(f"Accessed: {source.accessed.human()}")
        if source.url:
            facts.append(f"Address: <{source.url}>")
        if source.note:
            facts.append(f"Note: {source.note}")
        return facts

    def _sides(self, dispute: Dispute) -> None:
        self.add("Sides:", "")
        for side in dispute.sides:
            name = side.name + (f" ({side.native_name})" if side.native_name else "")
            self.add(f"- {self.ref(side.actor)} calls it {name}: {side.position}")
        self.add("")

    def _fact_checks(self, item: Item) -> None:
        """Each note as a quoted block, so it stands apart from the item's own text."""
        for note in item.fact_checks:
            self.add(
                "> **Fact check.**",
                ">",
                f"> *The article says:* {_one_line(note.article_says)}",
                ">",
                f"> *The sources say:* {_one_line(note.sources_say)}",
                ">",
                f"> *Sources:* {self.see(note.sources)}.",
                "",
            )

    def _links(self, item: Item) -> None:
        grouped: dict[str, list[str]] = {}
        for link in self.pack.links_of(item.id):
            if link.relation == "cites":
                continue  # listed under provenance
            grouped.setdefault(link.label, []).append(link.other)
        if not grouped:
            return
        self.add("Links:", "")
        for label, others in grouped.items():
            self.add(f"- {label}: {self.see(others)}")
        self.add("")

    def _provenance(self, item: Item) -> None:
        provenance = item.provenance
        parts: list[str] = []
        if provenance.paragraphs:
            refs = []
            for paragraph in provenance.paragraphs:
                section = self.sections.get(paragraph)
                refs.append(
                    f"paragraph {paragraph}"
                    + (f" ({self.see([section.id])})" if section and section.id != item.id else "")
                )
            parts.append("the article, " + ", ".join(refs))
        sources = [source for source in provenance.sources if source != item.id]
        if sources:
            parts.append("sources: " + self.see(sources))
        if parts:
            self.add("Provenance: " + "; ".join(parts) + ".", "")
        if provenance.context:
            self.add(f"Context from outside the article: {provenance.context}", "")
        cited_by = [
            link.other for link in self.pack.incoming.get(item.id, ()) if link.relation == "cites"
        ]
        if cited_by:
            self.add(f"Cited by: {self.see(cited_by)}.", "")


def _one_line(text: str) -> str:
    """Folded to one line, so a line break cannot end the quoted block early."""
    return " ".join(text.split())


def export_markdown(pack: Pack) -> str:
    """The pack as one readable Markdown document in reading order."""
    return _MarkdownWriter(pack).write()


# --- the command --------------------------------------------------------------------
