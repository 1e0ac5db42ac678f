"""Who did what to whom, and the pictures described in words (pack/relations.py,
pack/describe.py), as the exports carry them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

from thaw_tui.pack.describe import (
    atlases,
    describe_region,
    describe_relations,
    describe_timeline,
    markers,
    timeline_facts,
)
from thaw_tui.pack.export import export_json, export_markdown
from thaw_tui.pack.load import load_pack
from thaw_tui.pack.model import Action, Event, Kind, Link, Pack
from thaw_tui.pack.relations import relations_of
from thaw_tui.paths import default_content_dir

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini"


@pytest.fixture(scope="module")
def shipped() -> Pack:
    return load_pack(default_content_dir())


@pytest.fixture(scope="module")
def mini() -> Pack:
    return load_pack(MINI)


def title(pack: Pack) -> Callable[[str], str]:
    return lambda item_id: pack.items[item_id].title


def test_the_2014_relations_split_actions_into_one_deed_per_doer_and_target(
    shipped: Pack,
) -> None:
    relations = relations_of(shipped)
    assert relations.year == 2014 == shipped.manifest.published.year
    events = [e for e in shipped.of_kind(Kind.EVENT) if isinstance(e, Event) and e.actions]
    expected = sum(len(a.by) * len(a.to) for e in events if e.date.year == 2014 for a in e.actions)
    assert len(relations.deeds) == expected
    # The first Western round was the EU's and the United States': one deed each.
    first = [d for d in relations.deeds if d.event == "first-western-sanctions"]
    assert {(d.by, d.to) for d in first} == {
        ("european-union", "russia"),
        ("united-states", "russia"),
    }
    assert [d.date for d in relations.deeds] == sorted(d.date for d in relations.deeds)
    # Busiest first: Russia does and suffers the most, then Japan.
    assert relations.doers[:2] == ("russia", "japan") and relations.targets[:2] == (
        "russia",
        "japan",
    )


def test_a_reply_is_read_from_responds_to_links_against_the_doer(shipped: Pack) -> None:
    relations = relations_of(shipped)
    back = relations.cell("russia", "japan")
    replies = {d.event: d.replies_to for d in back}
    assert replies["russia-bars-japanese"] == ("japan-visa-bans", "japan-sanctions")
    assert replies["deputy-fm-talks-off"] == ("japan-sanctions",)
    assert replies["russian-drills"] == ()  # no responds_to: the article does not say so
    # Japan's visa bans respond to the annexation, done to Ukraine, not to Japan: no reply.
    bans = next(d for d in relations.cell("japan", "russia") if d.event == "japan-visa-bans")
    assert bans.replies_to == ()


def test_an_answer_to_an_action_the_same_way_round_is_not_a_reply(mini: Pack) -> None:
    talks = mini.items["talks-2013"]
    treaty = mini.items["treaty-1956"]
    assert isinstance(talks, Event) and isinstance(treaty, Event)
    same_way = msgspec.structs.replace(
        treaty, date=msgspec.structs.replace(treaty.date, year=2013), actions=talks.actions
    )
    answering = msgspec.structs.replace(talks, links=(*talks.links, *_responds_to("treaty-1956")))
    items = {**mini.items, "treaty-1956": same_way, "talks-2013": answering}
    pack = Pack.build(mini.manifest, items, mini.threads, mini.maps)
    assert all(deed.replies_to == () for deed in relations_of(pack).deeds)
    flipped = msgspec.structs.replace(
        same_way, actions=(Action("sanctions", ("state-b",), ("state-a",)),)
    )
    pack = Pack.build(mini.manifest, {**items, "treaty-1956": flipped}, mini.threads, mini.maps)
    (reply,) = [d for d in relations_of(pack).deeds if d.event == "talks-2013"]
    assert reply.replies_to == ("treaty-1956",)


def _responds_to(target: str) -> tuple[Link, ...]:
    return (Link("responds_to", target),)


def test_the_year_falls_back_to_the_latest_with_actions(mini: Pack) -> None:
    assert mini.manifest.published.year == 2014
    relations = relations_of(mini)  # its one action is in 2013
    assert relations.year == 2013 and relations.cells() == [("state-a", "state-b")]
    bare = Pack.build(
        mini.manifest,
        {
            key: msgspec.structs.replace(item, actions=()) if isinstance(item, Event) else item
            for key, item in mini.items.items()
        },
        mini.threads,
    )
    empty = relations_of(bare)
    assert (empty.year, empty.deeds, empty.cells()) == (None, (), [])
    assert describe_relations(bare, title(bare)) == [
        "The pack's events record no actions between actors."
    ]


def test_the_relations_in_words_name_every_cell_and_every_reply(shipped: Pack) -> None:
    lines = describe_relations(shipped, title(shipped))
    relations = relations_of(shipped)
    rows = [line for line in lines if line.startswith("- ")]
    assert len(rows) == len(relations.cells())
    assert rows[0].startswith("- Russia → Japan: talks off (5 Aug, a reply), drills (12 Aug)")
    received = Counter(d.to for d in relations.deeds)["russia"]
    assert f"Russia is on the receiving end of {received} of the {len(relations.deeds)}" in (
        " ".join(lines)
    )
    assert "Russia's ban (22 Aug) answers Japan denies visas to 23 people" in " ".join(lines)


def test_the_timeline_in_words_finds_the_gap_and_the_crowd(shipped: Pack) -> None:
    events = [e for e in shipped.of_kind(Kind.EVENT) if isinstance(e, Event)]
    years = sorted({e.date.year for e in events})
    widest = max(zip(years, years[1:], strict=False), key=lambda pair: pair[1] - pair[0])
    assert widest == (1956, 2010)  # the gap the issue wants visible at a glance
    text = " ".join(describe_timeline(shipped))
    assert f"from {widest[0]} to {widest[1]}: {widest[1] - widest[0]} years without" in text
    in_2014 = sum(1 for e in events if e.date.year == 2014)
    assert f"2014 holds {in_2014} of the {len(events)} events" in text
    facts = timeline_facts(shipped)
    assert facts is not None and facts.busiest_month is not None
    august = sum(1 for e in events if (e.date.year, e.date.month) == (2014, 8))
    assert facts.busiest_month == (2014, 8, august)


def test_the_map_in_words_places_the_islands_off_hokkaido(shipped: Pack) -> None:
    ((_, atlas),) = atlases(shipped)
    kurils = atlas.region("kurils")
    lines = describe_region(shipped, kurils, title(shipped))
    text = " ".join(lines)
    distances = {
        name: int(km)
        for name, km in re.findall(r"([A-Z][a-z]+)(?: / [A-Za-z]+)?, (\d+) km off Hokkaido", text)
    }
    # The Nemuro Strait is some 16-25 km wide; Habomai's nearest islet is a few km out.
    assert 10 <= distances["Kunashiri"] <= 30
    assert distances["Habomai"] <= 15
    assert distances["Habomai"] < distances["Kunashiri"] < distances["Shikotan"]
    assert "to the east" in text and "Etorofu / Iturup" in text
    placed = markers(shipped, kurils)
    assert len([line for line in lines if line.startswith("- ")]) == len(placed)
    four = next(m for m in placed if m.item == "northern-territories-dispute")
    assert 145.8 < four.lon < 147.7 and 43.4 < four.lat < 45.1  # among the four islands


def test_the_json_export_carries_the_data_behind_each_picture(shipped: Pack) -> None:
    pictures = export_json(shipped)["pictures"]
    assert list(pictures) == ["maps", "timeline", "relations"]
    (coastlines,) = pictures["maps"]
    assert coastlines["file"] == "maps/coastlines.json"
    assert coastlines["source"] == "natural-earth-land-10m"
    kurils = next(r for r in coastlines["regions"] if r["id"] == "kurils")
    assert {m["item"] for m in kurils["markers"]} >= {"medvedev-visit-2010", "russian-drills"}
    assert any(p["id"] == "kunashiri" and p["disputed"] for p in kurils["places"])
    assert kurils["description"] == describe_region(
        shipped,
        atlases(shipped)[0][1].region("kurils"),
        title(shipped),
    )
    assert pictures["timeline"]["longest_gap"] == {"from": 1956, "to": 2010, "years": 54}
    deeds = pictures["relations"]["deeds"]
    assert {"event": "russia-bars-japanese", "by": "russia", "to": "japan"}.items() <= next(
        d for d in deeds if d["event"] == "russia-bars-japanese"
    ).items()
    items = {item["id"]: item for item in export_json(shipped)["items"]}
    assert items["kunashiri"]["location"] == {
        "region": "kurils",
        "places": ["kunashiri"],
        "point": None,
    }
    assert items["russian-drills"]["actions"][1] == {
        "kind": "protest",
        "by": ["japan"],
        "to": ["russia"],
    }


def test_the_markdown_export_says_what_each_picture_shows(shipped: Pack) -> None:
    text = export_markdown(shipped)
    part = text.split("## The pictures in words", 1)[1].split("\n## ", 1)[0]
    headings = re.findall(r"^### (.+)$", part, flags=re.MULTILINE)
    assert headings == [
        "Map: Hokkaido, the disputed islands and the Kuril chain",
        "Map: The Senkaku / Diaoyu islands, Okinawa, Taiwan and China",
        "The timeline ruler",
        "Who did what to whom",
    ]
    # Items are named as everywhere in the document: by number and title.
    number = re.search(r"^#### §(\d+) Medvedev visits Kunashiri$", text, flags=re.MULTILINE)
    assert number is not None
    assert f"- §{number.group(1)} Medvedev visits Kunashiri (event, 1 Nov 2010): Kunashiri" in part
    assert "- On the map (Hokkaido, the disputed islands and the Kuril chain): Kunashiri" in text
    assert "- Action: Russia → Japan: drills" in text
