"""Turn checked drafts into model objects and a resolved `Pack`.

Only called when no problem was found, so every required value is present.
"""

from __future__ import annotations

from typing import Any

from thaw_tui.pack.checking.drafts import Draft, Drafts
from thaw_tui.pack.model import (
    DERIVED_RELATIONS,
    RELATIONS,
    Actor,
    Consequence,
    Dispute,
    Era,
    Event,
    Item,
    Kind,
    Link,
    Manifest,
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
    items = {item_id: build_item(draft) for item_id, draft in drafts.items.items()}
    threads = tuple(build_thread(draft) for draft in drafts.threads)
    return Pack.build(build_manifest(drafts.manifest), items, threads)


def build_manifest(draft: Draft) -> Manifest:
    values = draft.values
    return Manifest(
        id=values["id"],
        title=values["title"],
        subtitle=values.get("subtitle", ""),
        author=values["author"],
        published=values["published"],
        language=values["language"],
        version=values["version"],
        eras=tuple(Era(era["id"], era["title"]) for era in values.get("eras", ())),
        url=values.get("url"),
    )


def build_thread(draft: Draft) -> Thread:
    values = draft.values
    return Thread(
        id=values["id"],
        title=values["title"],
        summary=values["summary"],
        steps=tuple(step.target for step in values["steps"]),
    )


def _provenance(draft: Draft) -> Provenance:
    values: dict[str, Any] | None = draft.values.get("provenance")
    if values is None:
        if draft.kind is Kind.SECTION:
            return Provenance(paragraphs=(draft.values["paragraph"],))
        return Provenance()
    return Provenance(
        paragraphs=tuple(paragraph.value for paragraph in values.get("paragraphs", ())),
        sources=tuple(source.target for source in values.get("sources", ())),
        context=values.get("context"),
    )


def _common(draft: Draft) -> dict[str, Any]:
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
    }


def build_item(draft: Draft) -> Item:
    values = draft.values
    common = _common(draft)
    kind = draft.kind
    if kind is Kind.SECTION:
        return Section(kind=kind, paragraph=values["paragraph"], **common)
    if kind is Kind.EVENT:
        return Event(kind=kind, date=values["date"], era=values["era"].target, **common)
    if kind is Kind.ACTOR:
        return Actor(
            kind=kind,
            actor_kind=values["kind"],
            role=values["role"],
            names=tuple(values.get("names", ())),
            **common,
        )
    if kind is Kind.DISPUTE:
        sides = tuple(
            Side(
                actor=side["actor"].target,
                name=side["name"],
                position=side["position"],
                native_name=side.get("native_name"),
            )
            for side in values["sides"]
        )
        return Dispute(kind=kind, sides=sides, **common)
    if kind is Kind.CONSEQUENCE:
        return Consequence(kind=kind, **common)
    if kind is Kind.SOURCE:
        return Source(
            kind=kind,
            origin=values["origin"],
            authors=tuple(values.get("authors", ())),
            outlet=values["outlet"],
            published=values.get("published"),
            accessed=values.get("accessed"),
            url=values.get("url"),
            footnote=values.get("footnote"),
            note=values.get("note"),
            **common,
        )
    assert kind is Kind.TERM
    return Term(kind=kind, **common)
