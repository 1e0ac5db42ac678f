"""Map data in a pack: how it is read, what the model keeps, and the cache's key.

The broken-pack cases (tests/unit/test_validate_broken.py) pin each validator
message; these tests cover what those cannot: links and oversized files on disk,
the shipped pack's locations, and a cache entry never outliving the map it was
built with.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import msgspec
import pytest

import thaw_tui.pack.load
from thaw_tui.pack.atlas import parse_atlas
from thaw_tui.pack.cache import entry_name, load_pack_cached
from thaw_tui.pack.fingerprint import fingerprint_text, item_fingerprint
from thaw_tui.pack.load import load_pack, read_pack
from thaw_tui.pack.model import Event, Kind
from thaw_tui.pack.reading.files import MAX_MAP_BYTES
from thaw_tui.paths import default_content_dir

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini"
MAP = "maps/islands.json"


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MINI, tmp_path / "pack"))


def messages(folder: Path) -> list[str]:
    return [f"{p.file}:{p.line}: {p.message}" for p in read_pack(folder)[1]]


def test_the_map_is_kept_as_the_bytes_read_and_locations_are_resolved(pack_dir: Path) -> None:
    pack = load_pack(pack_dir)
    (map_file,) = pack.maps
    assert (map_file.file, map_file.source) == (MAP, "atlas")
    assert map_file.data == (pack_dir / MAP).read_bytes()
    region = parse_atlas(json.loads(map_file.data)).region("chain")
    dispute = pack.items["island-dispute"].location
    assert dispute is not None and dispute.region == "chain"
    assert dispute.places == ("north-isle", "south-isle")
    assert all(region.place(place).disputed for place in dispute.places)
    talks = pack.items["talks-2013"]
    assert talks.location is not None and talks.location.point == (13.5, 43.5)
    assert isinstance(talks, Event) and talks.actions[0].by == ("state-a",)


def test_a_map_source_counts_as_cited(pack_dir: Path) -> None:
    """The atlas source is cited by the map entry alone once the dispute stops citing it."""
    text = (pack_dir / "disputes.yaml").read_text()
    text = text.replace("      sources: [atlas]\n      context: The names each side uses "
                        "come from an atlas, not the article.\n", "")  # fmt: skip
    text = text.replace("sources: [atlas, news-report]", "sources: [news-report]")
    (pack_dir / "disputes.yaml").write_text(text)
    assert messages(pack_dir) == []
    (pack_dir / "pack.yaml").write_text(
        (pack_dir / "pack.yaml").read_text().replace("source: atlas}", "source: news-report}")
    )
    assert messages(pack_dir) == [
        "sources.yaml:13: source 'atlas' is cited by nothing: list it in the "
        "provenance.sources of the items that rest on it, or remove it"
    ]


def test_a_linked_map_file_or_folder_is_refused_by_its_name(pack_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.json"
    shutil.move(pack_dir / MAP, outside)
    (pack_dir / MAP).symlink_to(outside)
    assert messages(pack_dir) == [
        f"pack.yaml:14: map file '{MAP}': a symbolic link, which thaw does not read: a pack "
        "file must be a regular file in the pack folder (copy it in rather than linking to it)"
    ]
    shutil.move(pack_dir / "maps", tmp_path / "maps")
    (pack_dir / "maps").symlink_to(tmp_path / "maps")
    assert messages(pack_dir) == [
        "pack.yaml:14: the maps/ folder is a symbolic link, which thaw does not follow: "
        "make it a real folder inside the pack"
    ]


def test_a_map_file_that_is_a_fifo_is_not_opened(pack_dir: Path) -> None:
    (pack_dir / MAP).unlink()
    os.mkfifo(pack_dir / MAP)  # opening it for reading would wait for a writer
    assert messages(pack_dir) == [
        f"pack.yaml:14: map file '{MAP}': a named pipe (FIFO), which thaw does not read: a "
        "pack file must be a regular file in the pack folder (copy it in rather than linking "
        "to it)"
    ]


def test_an_oversized_map_is_refused_before_it_is_read(pack_dir: Path) -> None:
    with (pack_dir / MAP).open("r+b") as handle:
        handle.truncate(MAX_MAP_BYTES + 1)
    assert messages(pack_dir) == [
        f"pack.yaml:14: map file '{MAP}' is {MAX_MAP_BYTES + 1:,} bytes, over the "
        f"{MAX_MAP_BYTES:,}-byte (2 MiB) limit for a map: simplify its coastlines"
    ]


def test_a_deeply_nested_map_is_a_problem_not_a_crash(pack_dir: Path) -> None:
    (pack_dir / MAP).write_text("[" * 100_000 + "]" * 100_000)
    (problem,) = read_pack(pack_dir)[1]
    assert problem.message.startswith(f"map file '{MAP}' is not valid JSON: ")


def test_the_cache_key_covers_the_map_files(
    pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    first = load_pack_cached(pack_dir, state)
    key = entry_name(pack_dir)
    raw = json.loads((pack_dir / MAP).read_text())
    raw["regions"][0]["places"][1]["names"] = ["North Isle", "Severny", "Kita"]
    (pack_dir / MAP).write_text(json.dumps(raw))
    assert entry_name(pack_dir) != key  # the edit changed the key...
    second = load_pack_cached(pack_dir, state)  # ...so the new map is read, not the old
    assert second.pack.maps[0].data != first.pack.maps[0].data
    assert b"Kita" in second.pack.maps[0].data
    # A new file in maps/ (a second map about to be named) changes the key as well.
    key = entry_name(pack_dir)
    (pack_dir / "maps" / "more.json").write_text("{}")
    assert entry_name(pack_dir) != key

    def refuse(path: Path | None = None) -> None:
        raise AssertionError("loaded again")

    load_pack_cached(pack_dir, state)
    monkeypatch.setattr(thaw_tui.pack.load, "load_pack", refuse)
    assert b"Kita" in load_pack_cached(pack_dir, state).pack.maps[0].data  # a cache hit


def test_a_location_does_not_change_an_items_fingerprint_unless_it_has_one(
    pack_dir: Path,
) -> None:
    pack = load_pack(pack_dir)
    for item_id in ("island-dispute", "talks-2013"):
        item = pack.items[item_id]
        bare = msgspec.structs.replace(item, location=None)
        if isinstance(bare, Event):
            bare = msgspec.structs.replace(bare, actions=())
        assert item_fingerprint(bare) != item_fingerprint(item)
    plain = pack.items["peace-treaty"]
    assert plain.location is None
    assert "location" not in fingerprint_text(plain)  # packs without maps keep their fingerprints


def test_the_shipped_pack_places_the_islands_on_their_map() -> None:
    pack = load_pack(default_content_dir())
    (coastlines,) = pack.maps
    atlas = parse_atlas(json.loads(coastlines.data))
    assert pack.items[coastlines.source].kind is Kind.SOURCE
    where = {item.id: item.location for item in pack.located()}
    for island in ("etorofu", "kunashiri", "shikotan", "habomai"):
        assert where[island] is not None and where[island].places == (island,)
    four = where["northern-territories-dispute"]
    assert four is not None and set(four.places) == {"etorofu", "kunashiri", "shikotan", "habomai"}
    senkaku = where["senkaku-dispute"]
    assert senkaku is not None and senkaku.region == "senkaku"
    for location in where.values():
        assert location is not None
        region = atlas.region(location.region)
        assert all(region.place(place) for place in location.places)


def test_the_schema_takes_each_form_of_location_and_the_manifests_maps() -> None:
    import jsonschema

    from thaw_tui.pack.schema import pack_schema

    validator = jsonschema.Draft202012Validator(pack_schema())

    def term(location: object) -> dict[str, object]:
        entry = {"id": "t", "title": "T", "summary": "S", "provenance": {"paragraphs": [1]}}
        return {"terms": [{**entry, "location": location}]}

    for good in ("kunashiri", "kurils/pacific", ["shikotan", "habomai"], {"lon": 145, "lat": 44}):
        assert validator.is_valid(term(good)), good
    for bad in ([], ["a", "a"], {"lon": 200, "lat": 44}, {"lat": 44}, {"lon": 1, "lat": 2, "x": 3}):
        assert not validator.is_valid(term(bad)), bad
    manifest = {
        "id": "p",
        "title": "P",
        "author": "A",
        "published": "2014",
        "language": "en",
        "version": "1",
        "maps": [{"file": "maps/coastlines.json", "source": "natural-earth-land-10m"}],
    }
    assert validator.is_valid({"pack": manifest})
    assert not validator.is_valid({"pack": {**manifest, "maps": [{"file": "maps/x.json"}]}})
    event = {
        "id": "e",
        "title": "E",
        "summary": "S",
        "body": "B",
        "date": "2014",
        "era": "crisis",
        "provenance": {"paragraphs": [1]},
    }
    action = {"kind": "drills", "by": ["russia"], "to": ["japan"]}
    assert validator.is_valid({"events": [{**event, "actions": [action]}]})
    assert not validator.is_valid({"events": [{**event, "actions": [{**action, "kind": "x"}]}]})
