"""Turn checked drafts into model objects and a resolved `Pack`.

Only called when no problem was found, so every required value is present.
"""

from __future__ import annotations

from typing import TypedDict, assert_never

from thaw_tui.pack.checking.drafts import (
    ActorDraft,
    ConsequenceDraft,
    DisputeDraft,
    Drafts,
    EventDraft,
    ItemDraft,
    ManifestDraft,
    SectionDraft,
    SourceDraft,
    TermDraft,
    ThreadDraft,
)
from thaw_tui.pack.model import (
    DERIVED_RELATIONS,
    RELATIONS,
    Action,
    Actor,
    Consequence,
    Dispute,
    Era,
    Event,
    FactCheck,
    Item,
    Kind,
    Link,
    Manifest,
    MapFile,
    MapLocation,
    Pack,
    Provenance,
    Section,
    Side,
    Source,
    Term,
    Thread,
)


def build_pack(drafts: Drafts) -> Pack:
    assert drafts.manifest is not None
    items = {
        item_id: build_item(draft, drafts.locations.get(item_id))
        for item_id, draft in drafts.items.items()
    }
    threads = tuple(build_thread(draft) for draft in drafts.threads)
    maps = tuple(
        MapFile(draft.values["file"], draft.values["source"].target, draft.data)
        for draft in drafts.maps
    )
    return Pack.build(build_manifest(drafts.manifest), items, threads, maps)


def build_manifest(draft: ManifestDraft) -> Manifest:
    values = draft.values
    return Manifest(
        id=values["id"],
        title=values["title"],
        subtitle=values.get("subtitle", ""),
        author=values["author"],
        published=values["published"],
        language=values["language"],
        version=values["version"],
        eras=tuple(
            Era(era["id"], era["title"], era.get("from"), era.get("to"))
            for era in values.get("eras", ())
        ),
        url=values.get("url"),
    )


def build_thread(draft: ThreadDraft) -> Thread:
    values = draft.values
    return Thread(
        id=values["id"],
        title=values["title"],
        summary=values["summary"],
        steps=tuple(step.target for step in values["steps"]),
        ordered=values.get("ordered"),
    )


def _provenance(draft: ItemDraft) -> Provenance:
    values = draft.values.get("provenance")
    if values is None:
        if isinstance(draft, SectionDraft):
            return Provenance(paragraphs=(draft.values["paragraph"],))
        return Provenance()
    return Provenance(
        paragraphs=tuple(paragraph.value for paragraph in values.get("paragraphs", ())),
        sources=tuple(source.target for source in values.get("sources", ())),
        context=values.get("context"),
    )


class _Common(TypedDict):
    """The keyword arguments every `Item` takes, whatever its kind."""

    id: str
    title: str
    summary: str
    body: str
    provenance: Provenance
    links: tuple[Link, ...]
    aliases: tuple[str, ...]
    fact_checks: tuple[FactCheck, ...]
    location: MapLocation | None


def _common(draft: ItemDraft, location: MapLocation | None) -> _Common:
    values = draft.values
    links = tuple(
        Link(relation, target.target)
        for relation, _where, target in values.get("links", ())
        if relation in RELATIONS and relation not in DERIVED_RELATIONS
    )
    return {
        "id": values["id"],
        "title": values["title"],
        "summary": values["summary"],
        "body": values.get("body", ""),
        "provenance": _provenance(draft),
        "links": links,
        "aliases": tuple(values.get("aliases", ())),
        "fact_checks": tuple(
            FactCheck(
                article_says=note["article_says"],
                sources_say=note["sources_say"],
                sources=tuple(source.target for source in note["sources"]),
            )
            for note in values.get("fact_checks", ())
        ),
        "location": location,
    }


def build_item(draft: ItemDraft, location: MapLocation | None = None) -> Item:
    """The model item of a checked draft; `location` is where `checking/maps.py` put it."""
    common = _common(draft, location)
    if isinstance(draft, SectionDraft):
        return Section(kind=Kind.SECTION, paragraph=draft.values["paragraph"], **common)
    if isinstance(draft, EventDraft):
        event = draft.values
        actions = tuple(
            Action(
                action["kind"],
                tuple(ref.target for ref in action["by"]),
                tuple(ref.target for ref in action["to"]),
            )
            for action in event.get("actions", ())
        )
        return Event(
            kind=Kind.EVENT,
            date=event["date"],
            era=event["era"].target,
            actions=actions,
            **common,
        )
    if isinstance(draft, ActorDraft):
        actor = draft.values
        return Actor(
            kind=Kind.ACTOR,
            actor_kind=actor["kind"],
            role=actor["role"],
            names=tuple(actor.get("names", ())),
            **common,
        )
    if isinstance(draft, DisputeDraft):
        sides = tuple(
            Side(
                actor=side["actor"].target,
                name=side["name"],
                position=side["position"],
                native_name=side.get("native_name"),
            )
            for side in draft.values["sides"]
        )
        return Dispute(kind=Kind.DISPUTE, sides=sides, **common)
    if isinstance(draft, ConsequenceDraft):
        return Consequence(kind=Kind.CONSEQUENCE, **common)
    if isinstance(draft, SourceDraft):
        source = draft.values
        return Source(
            kind=Kind.SOURCE,
            origin=source["origin"],
            authors=tuple(source.get("authors", ())),
            outlet=source["outlet"],
            published=source.get("published"),
            accessed=source.get("accessed"),
            url=source.get("url"),
            footnote=source.get("footnote"),
            note=source.get("note"),
            **common,
        )
    if isinstance(draft, TermDraft):
        return Term(kind=Kind.TERM, **common)
    assert_never(draft)  # mypy: every kind of draft is built above
