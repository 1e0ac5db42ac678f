from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from thaw_tui.pack.fingerprint import item_fingerprint
from thaw_tui.pack.load import load_pack
from thaw_tui.pack.model import (
    KIND_NAMES,
    KINDS_BY_KEY,
    THREAD_NAMES,
    Actor,
    Dispute,
    Era,
    Event,
    FactCheck,
    Kind,
    Link,
    Manifest,
    Pack,
    PartialDate,
    Provenance,
    Side,
    Source,
    Thread,
)

MINI = Path(__file__).parents[1] / "fixtures" / "packs" / "mini"


def _pack() -> Pack:
    manifest = Manifest(
        id="p",
        title="P",
        subtitle="",
        author="a",
        published=PartialDate(2014),
        language="en",
        version="1",
    )
    provenance = Provenance(paragraphs=(1,), sources=("src",))
    items = {
        "abe": Actor(id="abe", kind=Kind.ACTOR, title="Abe", summary="s", body="b",
                     provenance=provenance, actor_kind="person", role="PM"),
        "putin": Actor(id="putin", kind=Kind.ACTOR, title="Putin", summary="s", body="b",
                       provenance=provenance, actor_kind="person", role="President"),
        "late": Event(id="late", kind=Kind.EVENT, title="Late", summary="s", body="b",
                      provenance=provenance, date=PartialDate(2014, 8), era="e",
                      links=(Link("involves", "abe"), Link("involves", "ghost"))),
        "early": Event(id="early", kind=Kind.EVENT, title="Early", summary="s", body="b",
                       provenance=provenance, date=PartialDate(1945, 8, 18), era="e"),
        "islands": Dispute(id="islands", kind=Kind.DISPUTE, title="Islands", summary="s",
                           body="b", provenance=provenance,
                           sides=(Side("abe", "Northern Territories", "ours"),
                                  Side("putin", "Kurils", "ours"))),
        "src": Source(id="src", kind=Kind.SOURCE, title="T", summary="s", body="b",
                      provenance=Provenance(paragraphs=(1,)), origin="article",
                      authors=(), outlet="O", published=PartialDate(2014, 5, 21)),
    }  # fmt: skip
    return Pack.build(manifest, items, (Thread("t", "T", "s", ("early", "late")),))


def test_links_resolve_both_ways_with_inverse_labels() -> None:
    pack = _pack()
    outgoing = {(link.relation, link.other) for link in pack.outgoing["late"]}
    assert ("involves", "abe") in outgoing
    assert ("cites", "src") in outgoing  # derived from provenance
    assert not any(link.other == "ghost" for link in pack.outgoing["late"])
    incoming_abe = {(link.label, link.other) for link in pack.incoming["abe"]}
    assert ("Involved in", "late") in incoming_abe
    assert ("Party to", "islands") in incoming_abe  # derived from dispute sides
    assert {link.other for link in pack.incoming["src"]} >= {"late", "early", "islands"}


def test_events_sort_by_date_whatever_their_precision() -> None:
    pack = _pack()
    assert [item.id for item in pack.of_kind(Kind.EVENT)] == ["early", "late"]


def test_of_kind_is_every_item_of_that_kind_and_a_list_of_its_own() -> None:
    pack = _pack()
    for kind in Kind:
        assert {item.id for item in pack.of_kind(kind)} == {
            item.id for item in pack.items.values() if item.kind is kind
        }
    pack.of_kind(Kind.ACTOR).clear()  # a caller's list: the pack's index is not touched
    assert pack.of_kind(Kind.ACTOR)


def test_a_pack_compares_and_pickles_the_same_once_of_kind_was_asked() -> None:
    import pickle

    asked, fresh = _pack(), _pack()
    asked.of_kind(Kind.EVENT)
    assert asked == fresh and repr(asked) == repr(fresh)
    assert pickle.loads(pickle.dumps(asked)).of_kind(Kind.EVENT) == asked.of_kind(Kind.EVENT)


def test_partial_dates_keep_their_precision() -> None:
    assert str(PartialDate(1952)) == "1952"
    assert str(PartialDate(2014, 8)) == "2014-08"
    assert PartialDate(1945, 8, 18).human() == "18 Aug 1945"
    assert PartialDate(2014, 8).human() == "Aug 2014"
    assert PartialDate(2014, 8).precision == "month"


def test_threads_of_an_item() -> None:
    pack = _pack()
    assert [t.id for t in pack.threads_of("late")] == ["t"]
    assert pack.threads_of("abe") == []


def test_a_date_known_to_the_month_sorts_after_the_days_of_that_month() -> None:
    dates = [
        PartialDate(2014, 7),
        PartialDate(2014, 7, 17),
        PartialDate(2014),
        PartialDate(2014, 5),
    ]
    assert sorted(dates, key=lambda d: d.sort_key) == [
        PartialDate(2014, 5), PartialDate(2014, 7, 17), PartialDate(2014, 7), PartialDate(2014),
    ]  # fmt: skip


def test_links_survive_a_pickle_round_trip_as_the_pack_cache_does() -> None:
    import pickle

    pack = _pack()
    restored = pickle.loads(pickle.dumps(pack))
    for item_id in pack.items:
        assert restored.links_of(item_id) == pack.links_of(item_id)
    assert set(restored.incoming) == set(pack.items)
    assert restored.incoming.get("nobody", ()) == ()


def test_every_group_has_one_set_of_names_and_none_is_used_twice() -> None:
    assert set(KIND_NAMES) == set(Kind)
    groups = [*KIND_NAMES.values(), THREAD_NAMES]
    for field in ("key", "label", "title", "heading"):
        names = [getattr(group, field) for group in groups]
        assert len(set(names)) == len(names), field
    assert KINDS_BY_KEY == {kind.plural: kind for kind in Kind}
    assert (Kind.EVENT.plural, Kind.EVENT.label, Kind.EVENT.names.title) == (
        "events",
        "Event",
        "Timeline",
    )


def test_a_partial_date_spans_from_its_first_to_its_last_possible_day() -> None:
    assert PartialDate(2014, 7).earliest == (2014, 7, 1)
    assert PartialDate(2014, 7).latest == (2014, 7, 31)
    assert PartialDate(2014).earliest == (2014, 1, 1)
    assert PartialDate(2014).latest == (2014, 12, 31)
    assert PartialDate(2014, 7, 17).earliest == PartialDate(2014, 7, 17).latest == (2014, 7, 17)


def test_an_era_covers_its_years_and_may_be_open_at_either_end() -> None:
    war = Era("war", "War", 1945, 1956)
    assert war.covers(1945) and war.covers(1956)
    assert not war.covers(1944) and not war.covers(1957)
    assert Era("now", "Now", 2010).covers(2040)
    assert Era("then", "Then", None, 1900).covers(1066)


def test_the_notes_of_a_pack_in_reading_order() -> None:
    pack = _pack()
    note = FactCheck("It says 1952.", "Signed in 1951.", ("s",))
    items = dict(pack.items)
    items["late"] = msgspec.structs.replace(items["late"], fact_checks=(note,))
    items["abe"] = msgspec.structs.replace(items["abe"], fact_checks=(note,))
    noted = Pack.build(pack.manifest, items, pack.threads).fact_checked()
    assert [item.id for item in noted] == ["late", "abe"]  # events come before actors


def test_notes_change_an_items_fingerprint_and_items_without_keep_theirs() -> None:
    pack = load_pack(MINI)
    # Hashes from before items could carry notes: unchanged items must not be
    # flagged as changed to readers just because the model grew a field.
    assert item_fingerprint(pack.items["peace-treaty"]) == "f1764b9c6266970e"
    assert item_fingerprint(pack.items["leader-a"]) == "47f15ceaaa96cc0e"
    term = pack.items["peace-treaty"]
    noted = msgspec.structs.replace(term, fact_checks=(FactCheck("A", "B", ("atlas",)),))
    reworded = msgspec.structs.replace(term, fact_checks=(FactCheck("A", "C", ("atlas",)),))
    fingerprints = {item_fingerprint(item) for item in (term, noted, reworded)}
    assert len(fingerprints) == 3


# What every item of the mini pack hashed to while the model was frozen dataclasses
# (before msgspec Structs): a reader's "changed" flags compare against these.
DATACLASS_FINGERPRINTS = {
    "state-a": "cdb828f4e7b0a8b1",
    "state-b": "1b22c433e2289e25",
    "leader-a": "47f15ceaaa96cc0e",
    "talks-stall": "7f9ff19a0bb1463d",
    "island-dispute": "0f564d24cc930798",
    "treaty-1956": "f14ffc331e4d1b93",
    "talks-2013": "3f2ef5fb7e70e6cb",
    "section-1": "f48264b5eab216d4",
    "section-2": "8ba45c48fa749147",
    "news-report": "2eef393331927d42",
    "atlas": "010a030de33046ef",
    "peace-treaty": "f1764b9c6266970e",
}


def test_every_item_keeps_the_fingerprint_it_had_as_a_dataclass() -> None:
    pack = load_pack(MINI)
    assert {item.id: item_fingerprint(item) for item in pack} == DATACLASS_FINGERPRINTS


def test_records_are_frozen_and_compare_by_value() -> None:
    pack = load_pack(MINI)
    item = pack.items["peace-treaty"]
    with pytest.raises(AttributeError):
        item.title = "Another"  # type: ignore[misc]
    same = msgspec.structs.replace(item)
    assert same == item and hash(same) == hash(item) and same is not item
    assert msgspec.structs.replace(item, title="Another") != item
    assert PartialDate(2014, 7, 17) < PartialDate(2014, 8, 1) < PartialDate(2015, 1, 1)


def test_records_are_left_out_of_the_cyclic_garbage_collector_and_the_pack_is_not() -> None:
    import gc

    pack = load_pack(MINI)
    assert not any(gc.is_tracked(item) for item in pack)
    assert not gc.is_tracked(pack.items["peace-treaty"].provenance)
    assert gc.is_tracked(pack)  # it holds dicts, which could be in a cycle
