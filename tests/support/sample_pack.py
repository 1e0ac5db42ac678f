"""A small, fixed pack built in Python for reader tests (no loader, no disk).

It holds the path the issue's done-criterion walks (islands dispute -> 1945
invasion -> Hirohito, and a Reuters source), wide-character names, a context
source, a fact-check note (on Japan's sanctions), two threads, the shipped map
with three items on it, and actions both ways in 2014 (one a reply). `hostile_pack` is
the same shape full of markup and raw escape sequences, which the validator would
reject: it proves the UI copes anyway.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from thaw_tui.pack.model import (
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
    PartialDate,
    Provenance,
    Section,
    Side,
    Source,
    Term,
    Thread,
)

P = Provenance


def _links(**relations: list[str]) -> tuple[Link, ...]:
    return tuple(Link(rel, target) for rel, targets in relations.items() for target in targets)


def sample_items() -> list[Item]:
    return [
        Section(
            id="section-1",
            kind=Kind.SECTION,
            title="A warming cut short",
            summary="Abe and Putin were close to a deal.",
            body="Opening digest.",
            provenance=P(paragraphs=(1,)),
            links=_links(mentions=["abe", "putin"]),
            paragraph=1,
        ),
        Section(
            id="section-2",
            kind=Kind.SECTION,
            title="Sanctions after MH17",
            summary="Japan followed its allies.",
            body="Second digest.",
            provenance=P(paragraphs=(2,)),
            paragraph=2,
        ),
        Event(
            id="soviet-invasion",
            kind=Kind.EVENT,
            title="Soviet forces take the islands",
            summary="Soviet troops landed after the surrender.",
            body="The invasion began on **18 August 1945**. See [the map](https://example.org/map).",
            provenance=P(paragraphs=(5,), sources=("mofa",)),
            links=_links(involves=["ussr", "hirohito"]),
            date=PartialDate(1945, 8, 18),
            era="war",
            location=MapLocation("kurils", ("kuril-chain",)),
        ),
        Event(
            id="abe-putin-talks",
            kind=Kind.EVENT,
            title="Abe and Putin meet five times",
            summary="A run of summits.",
            body="Body.",
            provenance=P(paragraphs=(3,)),
            links=_links(involves=["abe", "putin"]),
            date=PartialDate(2013, 4),
            era="thaw",
        ),
        Event(
            id="japan-sanctions",
            kind=Kind.EVENT,
            title="Japan imposes sanctions",
            summary="Tokyo joins the West.",
            body="Body.",
            provenance=P(paragraphs=(3,), sources=("reuters-drills",)),
            links=_links(involves=["abe"]),
            date=PartialDate(2014, 8),
            era="crisis",
            actions=(Action("sanctions", ("japan",), ("russia",)),),
            fact_checks=(
                FactCheck(
                    article_says="Japan joined the sanctions in August.",
                    sources_say="Its first measures came in March; August widened them.",
                    sources=("reuters-drills", "mofa"),
                ),
            ),
        ),
        Event(
            id="island-drills",
            kind=Kind.EVENT,
            title="Drills on the islands",
            summary="Russia exercises on the Kurils.",
            body="Body.",
            provenance=P(paragraphs=(6,), sources=("reuters-drills",)),
            links=_links(responds_to=["japan-sanctions"]),
            date=PartialDate(2014, 8, 12),
            era="crisis",
            actions=(
                Action("drills", ("russia",), ("japan",)),
                Action("protest", ("japan",), ("russia",)),
            ),
            location=MapLocation("kurils", ("etorofu", "kunashiri")),
        ),
        Actor(
            id="abe",
            kind=Kind.ACTOR,
            title="Shinzo Abe",
            summary="Prime minister of Japan.",
            body="Body.",
            provenance=P(paragraphs=(1,)),
            aliases=("安倍晋三",),
            actor_kind="person",
            role="Prime minister of Japan",
            names=(("ja", "安倍晋三"),),
        ),
        Actor(
            id="putin",
            kind=Kind.ACTOR,
            title="Vladimir Putin",
            summary="President of Russia.",
            body="Body.",
            provenance=P(paragraphs=(1,)),
            aliases=("Путин",),
            actor_kind="person",
            role="President of Russia",
            names=(("ru", "Владимир Путин"),),
        ),
        Actor(
            id="hirohito",
            kind=Kind.ACTOR,
            title="Emperor Hirohito",
            summary="Emperor of Japan in 1945.",
            body="Body.",
            provenance=P(paragraphs=(5,)),
            actor_kind="person",
            role="Emperor of Japan",
            names=(("ja", "裕仁"),),
        ),
        Actor(
            id="ussr",
            kind=Kind.ACTOR,
            title="Soviet Union",
            summary="The USSR.",
            body="Body.",
            provenance=P(paragraphs=(5,)),
            actor_kind="state",
            role="Occupier",
        ),
        Actor(
            id="japan",
            kind=Kind.ACTOR,
            title="日本 Japan",
            summary="Japan.",
            body="Body.",
            provenance=P(paragraphs=(1,)),
            actor_kind="state",
            role="Claimant",
        ),
        Actor(
            id="russia",
            kind=Kind.ACTOR,
            title="Россия Russia",
            summary="Russia.",
            body="Body.",
            provenance=P(paragraphs=(1,)),
            actor_kind="state",
            role="Holder",
        ),
        Dispute(
            id="islands-dispute",
            kind=Kind.DISPUTE,
            title="The islands dispute",
            summary="Four islands both sides claim.",
            body="Both claim them.",
            provenance=P(
                paragraphs=(5,),
                sources=("mofa", "britannica"),
                context="The names of the four islands.",
            ),
            links=_links(caused_by=["soviet-invasion"]),
            sides=(
                Side("japan", "Northern Territories", "Japanese land.", "北方領土"),
                Side("russia", "Southern Kurils", "Russian land.", "Южные Курилы"),
            ),
            location=MapLocation("kurils", ("etorofu", "kunashiri", "shikotan", "habomai")),
        ),
        Consequence(
            id="thaw-stalls",
            kind=Kind.CONSEQUENCE,
            title="The thaw stalls",
            summary="Talks are off.",
            body="Body.",
            provenance=P(paragraphs=(7,)),
            links=_links(caused_by=["japan-sanctions", "island-drills"]),
        ),
        Source(
            id="mofa",
            kind=Kind.SOURCE,
            title="Northern Territories Issue",
            summary="Japan's foreign ministry on the islands.",
            body="",
            provenance=P(paragraphs=(5,)),
            origin="article",
            authors=(),
            outlet="MOFA",
            published=PartialDate(2011, 3),
            footnote=2,
        ),
        Source(
            id="reuters-drills",
            kind=Kind.SOURCE,
            title="Russia holds drills on disputed isles",
            summary="Reuters on the August drills.",
            body="",
            provenance=P(paragraphs=(6,)),
            origin="article",
            authors=("A. Writer",),
            outlet="Reuters",
            published=PartialDate(2014, 8, 12),
            footnote=3,
            url="https://example.org/reuters",
        ),
        Source(
            id="britannica",
            kind=Kind.SOURCE,
            title="Kuril Islands",
            summary="Encyclopaedia entry.",
            body="",
            provenance=P(paragraphs=(5,)),
            origin="context",
            authors=(),
            outlet="Britannica",
            published=None,
        ),
        Term(
            id="peace-treaty",
            kind=Kind.TERM,
            title="Peace treaty",
            summary="The treaty Japan and Russia never signed.",
            body="Body.",
            provenance=P(paragraphs=(3,)),
            links=_links(about=["islands-dispute"]),
        ),
    ]


SAMPLE_THREADS = (
    Thread(
        "why-the-thaw-stalled",
        "Why the thaw stalled",
        "From summits to sanctions.",
        (
            "section-1",
            "abe-putin-talks",
            "section-2",
            "japan-sanctions",
            "island-drills",
            "thaw-stalls",
        ),
    ),
    Thread(
        "islands-since-1945",
        "The islands since 1945",
        "The dispute's history.",
        ("soviet-invasion", "hirohito", "islands-dispute", "peace-treaty"),
    ),
)

ERAS = (
    Era("war", "The war (1945)"),
    Era("thaw", "The thaw (2012–2013)"),
    Era("crisis", "The 2014 crisis"),
)


def manifest(title: str = "Thawing Relations Under Fire") -> Manifest:
    return Manifest(
        id="sample",
        title=title,
        subtitle="Test pack",
        author="Tests",
        published=PartialDate(2014, 9),
        language="en",
        version="1.0.0",
        eras=ERAS,
    )


# The shipped coastlines: the sample's map is the real one.
COASTLINES = Path(__file__).resolve().parents[2] / "content" / "maps" / "coastlines.json"


def sample_maps() -> tuple[MapFile, ...]:
    return (MapFile("maps/coastlines.json", "britannica", COASTLINES.read_bytes()),)


def sample_pack() -> Pack:
    items = {item.id: item for item in sample_items()}
    return Pack.build(manifest(), items, SAMPLE_THREADS, sample_maps())


HOSTILE_STRINGS = (
    "[@click=app.quit]",
    "[link=file:///etc/passwd]x[/link]",
    "[bold red]",
    "\x1b[31m",
    "\x1b]8;;file:///etc/passwd\x07",
    "\x9b2J",
)
HOSTILE = "".join(HOSTILE_STRINGS)


def hostile_pack() -> Pack:
    """Every text field laced with markup and raw escapes (bypasses the validator)."""
    items: dict[str, Item] = {}
    for item in sample_items():
        items[item.id] = msgspec.structs.replace(
            item,
            title=f"[@click=app.quit] {item.title} {HOSTILE}",
            summary=f"{HOSTILE} {item.summary}",
            body=f"{item.body}\n\n{HOSTILE}\n\n[x](javascript:alert(1))",
            fact_checks=tuple(
                msgspec.structs.replace(
                    note,
                    article_says=f"{HOSTILE} {note.article_says}",
                    sources_say=f"{note.sources_say} {HOSTILE}",
                )
                for note in item.fact_checks
            ),
        )
    threads = tuple(
        Thread(t.id, f"{HOSTILE} {t.title}", f"{HOSTILE}", t.steps) for t in SAMPLE_THREADS
    )
    return Pack.build(manifest(f"[@click=app.quit] {HOSTILE}"), items, threads)
