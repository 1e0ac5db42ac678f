"""What every mapping in a pack may hold: one table for the loader and the schema.

`thaw validate` reads with these specs and `thaw schema` is generated from them,
so the two cannot drift apart. Each spec also names the TypedDict that reading it
returns (see drafts.py); a new field goes into both.
"""

from __future__ import annotations

from thaw_tui.pack.checking.drafts import (
    ActionValues,
    ActorValues,
    ConsequenceValues,
    DisputeValues,
    EraValues,
    EventValues,
    FactCheckValues,
    ManifestValues,
    MapFileValues,
    ProvenanceValues,
    SectionValues,
    SideValues,
    SourceValues,
    TermValues,
    ThreadValues,
)
from thaw_tui.pack.checking.fields import Field, ObjectSpec, Spec, Type
from thaw_tui.pack.model import ACTION_KINDS, ACTOR_KINDS, SOURCE_ORIGINS, THREAD_ORDERS

PROVENANCE = Spec(
    "provenance",
    (
        Field(
            "paragraphs", Type.PARAGRAPH_LIST, False, "Article paragraphs (1-based) it rests on."
        ),
        Field("sources", Type.REF_LIST, False, "Ids of source items it rests on."),
        Field(
            "context",
            Type.TEXT,
            False,
            "What this item adds from outside the article; needs a context source.",
        ),
    ),
    ProvenanceValues,
)

FACT_CHECK = Spec(
    "fact_check",
    (
        Field("article_says", Type.TEXT, True, "What the article says, in our own words."),
        Field("sources_say", Type.TEXT, True, "What the sources say instead, or in addition."),
        Field(
            "sources",
            Type.REF_LIST,
            True,
            "Ids of the source items that say it.",
            min_items=1,
        ),
    ),
    FactCheckValues,
)


def _common(body_required: bool, provenance_required: bool) -> tuple[Field, ...]:
    return (
        Field("id", Type.ID, True, "Unique slug: a-z, 0-9 and single hyphens."),
        Field("title", Type.TEXT, True, "Short title."),
        Field("aliases", Type.TEXT_LIST, False, "Other names, searchable."),
        Field("summary", Type.TEXT, True, "One or two sentences."),
        Field("body", Type.TEXT, body_required, "A longer explanation (Markdown)."),
        Field(
            "provenance",
            Type.OBJECT,
            provenance_required,
            "Where the item's claims come from.",
            spec=PROVENANCE,
        ),
        Field("links", Type.LINKS, False, "Relation name -> list of item ids."),
        Field(
            "fact_checks",
            Type.OBJECT_LIST,
            False,
            "Where the article slips or simplifies, and what the sources say.",
            spec=FACT_CHECK,
        ),
        Field(
            "location",
            Type.LOCATION,
            False,
            "Where it is on the pack's maps: an atlas place id (or 'region/place'), "
            "a list of them, or a point {lon, lat} in degrees.",
        ),
    )


ACTION = Spec(
    "action",
    (
        Field("kind", Type.ENUM, True, "What was done.", choices=ACTION_KINDS),
        Field("by", Type.REF_LIST, True, "The actors who did it.", min_items=1),
        Field("to", Type.REF_LIST, True, "The actors it was done to.", min_items=1),
    ),
    ActionValues,
)

SIDE = Spec(
    "side",
    (
        Field("actor", Type.REF, True, "The actor holding this side."),
        Field("name", Type.TEXT, True, "What this side calls the disputed thing."),
        Field("native_name", Type.TEXT, False, "That name in the side's own script."),
        Field("position", Type.TEXT, True, "This side's position."),
    ),
    SideValues,
)

ITEM_SPECS: dict[str, ObjectSpec] = {
    "section": Spec(
        "section",
        _common(True, False)
        + (Field("paragraph", Type.INT, True, "Which article paragraph (1-based) this digests."),),
        SectionValues,
    ),
    "event": Spec(
        "event",
        _common(True, True)
        + (
            Field(
                "date", Type.DATE, True, "ISO 8601 at its precision: YYYY, YYYY-MM or YYYY-MM-DD."
            ),
            Field("era", Type.REF, True, "An era id from the manifest."),
            Field(
                "actions",
                Type.OBJECT_LIST,
                False,
                "Who did what to whom in this event (the relations view).",
                spec=ACTION,
            ),
        ),
        EventValues,
    ),
    "actor": Spec(
        "actor",
        _common(True, True)
        + (
            Field("kind", Type.ENUM, True, "What sort of actor.", choices=ACTOR_KINDS),
            Field("role", Type.TEXT, True, "A short phrase."),
            Field("names", Type.NAMES, False, "Language code -> name in that language."),
        ),
        ActorValues,
    ),
    "dispute": Spec(
        "dispute",
        _common(True, True)
        + (Field("sides", Type.OBJECT_LIST, True, "At least two sides.", spec=SIDE, min_items=2),),
        DisputeValues,
    ),
    "consequence": Spec("consequence", _common(True, True), ConsequenceValues),
    "source": Spec(
        "source",
        _common(False, False)
        + (
            Field("origin", Type.ENUM, True, "article or context.", choices=SOURCE_ORIGINS),
            Field("authors", Type.TEXT_LIST, False, "Authors (may be empty)."),
            Field("outlet", Type.TEXT, True, "Where it was published."),
            Field("published", Type.DATE, False, "Publication date, or null."),
            Field("accessed", Type.DATE, False, "When it was accessed."),
            Field("url", Type.TEXT, False, "Address, or null."),
            Field("footnote", Type.INT, False, "The article's note number."),
            Field("note", Type.TEXT, False, "E.g. where the article's citation looks wrong."),
        ),
        SourceValues,
    ),
    "term": Spec("term", _common(False, True), TermValues),
}

THREAD = Spec(
    "thread",
    (
        Field("id", Type.ID, True, "Unique slug."),
        Field("title", Type.TEXT, True, "Short title."),
        Field("summary", Type.TEXT, True, "One or two sentences."),
        Field("steps", Type.REF_LIST, True, "Item ids, in reading order.", min_items=1),
        Field(
            "ordered",
            Type.ENUM,
            False,
            "by-date: the thread's events must come in date order.",
            choices=THREAD_ORDERS,
        ),
    ),
    ThreadValues,
)

ERA = Spec(
    "era",
    (
        Field("id", Type.ID, True, "Unique slug."),
        Field("title", Type.TEXT, True, "Shown as a heading in the timeline."),
        Field("from", Type.INT, False, "The era's first year; its events are dated no earlier."),
        Field("to", Type.INT, False, "The era's last year; its events are dated no later."),
    ),
    EraValues,
)

MAP_FILE = Spec(
    "map",
    (
        Field(
            "file",
            Type.TEXT,
            True,
            "The map data, a thaw-atlas JSON file in the pack's maps/ folder "
            "(e.g. maps/coastlines.json).",
        ),
        Field(
            "source",
            Type.REF,
            True,
            "The source item the data comes from; its note gives the licence.",
        ),
    ),
    MapFileValues,
)

MANIFEST = Spec(
    "manifest",
    (
        Field("id", Type.ID, True, "The pack's slug."),
        Field("title", Type.TEXT, True, "The article's title."),
        Field("subtitle", Type.TEXT, False, "The article's subtitle."),
        Field("author", Type.TEXT, True, "The article's author."),
        Field("published", Type.DATE, True, "When the article was published."),
        Field("language", Type.TEXT, True, "Language code, e.g. en."),
        Field("version", Type.TEXT, True, 'The pack\'s version, e.g. "1.0.0".'),
        Field("url", Type.TEXT, False, "The article's address, or null."),
        Field("eras", Type.OBJECT_LIST, False, "Eras that group the timeline.", spec=ERA),
        Field(
            "maps",
            Type.OBJECT_LIST,
            False,
            "Map data files (coastlines) that item locations are placed on.",
            spec=MAP_FILE,
        ),
    ),
    ManifestValues,
)
