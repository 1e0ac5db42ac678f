"""Each broken pack has exactly one problem: check its message and location.

The packs are made from tests/fixtures/packs/mini with one fault injected each; the
faults are listed in tests/support/broken_packs.py under the same names as the cases
below. Messages and positions (file:line:column) are checked exactly, so a change in
wording or in position tracking shows up here.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from support.broken_packs import BROKEN_PACKS, MINI, Append, Replace, make_broken_pack

from thaw_tui.pack.load import PackError, load_pack, read_pack


class Case(NamedTuple):
    pack: str
    location: str  # file:line:column
    item_id: str
    message: str


CASES = [
    Case(
        "actor-kind-unknown",
        "actors.yaml:25:11",
        "leader-a",
        (
            "'kind' must be 'person', 'state', 'organisation' or 'group', found "
            "'persn' — did you mean 'person'?"
        ),
    ),
    Case(
        "bad-date-format",
        "events.yaml:18:11",
        "talks-2013",
        (
            "invalid date '29/04/2013': write it as YYYY, YYYY-MM or YYYY-MM-DD "
            '(e.g. "1945-08-18")'
        ),
    ),
    Case(
        "bad-id",
        "actors.yaml:11:9",
        "State_B",
        ("id 'State_B' is not a slug: use lower-case a-z, 0-9 and single hyphens (e.g. 'state-b')"),
    ),
    Case(
        "bad-month",
        "events.yaml:18:11",
        "talks-2013",
        ("invalid date '2014-13': month 13 does not exist (use 01-12)"),
    ),
    Case(
        "bidi-override-escape",
        "actors.yaml:13:14",
        "state-b",
        (
            "unsafe character U+202E RIGHT-TO-LEFT OVERRIDE (written as an "
            "escape) at character 12 of this text: remove it"
        ),
    ),
    Case(
        "context-note-without-source",
        "events.yaml:21:7",
        "talks-2013",
        (
            "provenance has a context note but cites no source with origin "
            "'context': add the outside source to provenance.sources"
        ),
    ),
    Case(
        "context-source-without-note",
        "disputes.yaml:16:17",
        "island-dispute",
        (
            "cites context source 'atlas' but has no provenance.context note: say "
            "what this item adds from outside the article"
        ),
    ),
    Case(
        "dangling-link",
        "events.yaml:24:18",
        "talks-2013",
        ("unknown actor 'leadr-a' — did you mean 'leader-a'?"),
    ),
    Case(
        "deep-nesting",
        "terms.yaml:7:43",
        "-",
        ("nesting is deeper than 32 levels: flatten the data"),
    ),
    Case(
        "derived-relation",
        "consequences.yaml:11:7",
        "talks-stall",
        ("'cites' links are derived from provenance.sources: do not write them under links"),
    ),
    Case(
        "dispute-one-side",
        "disputes.yaml:7:7",
        "island-dispute",
        ("'sides' needs at least 2 entries, found 1"),
    ),
    Case(
        "duplicate-id",
        "terms.yaml:8:5",
        "peace-treaty",
        ("duplicate id 'peace-treaty': the first is at terms.yaml:2:5 (term); ids must be unique"),
    ),
    Case(
        "duplicate-key",
        "terms.yaml:4:5",
        "peace-treaty",
        ("duplicate key 'title' (first at line 3): remove one of them"),
    ),
    Case(
        "duplicate-section-paragraph",
        "sections.yaml:21:5",
        "section-3",
        (
            "duplicate section paragraph 2: section 'section-2' at "
            "sections.yaml:13:5 already digests it"
        ),
    ),
    Case(
        "duplicate-thread-id",
        "threads.yaml:7:5",
        "the-islands",
        ("duplicate thread id 'the-islands': the first is at threads.yaml:2:5"),
    ),
    Case(
        "empty-file",
        "notes.yaml:1:1",
        "-",
        ("file is empty: add pack data or remove the file"),
    ),
    Case(
        "era-ends-before-it-starts",
        "pack.yaml:11:59",
        "pack",
        (
            "era 'postwar' ends before it starts ('to' 1945 is before 'from' 1960): "
            "swap the two years"
        ),
    ),
    Case(
        "event-date-finer-than-its-sources",
        "events.yaml:6:11",
        "treaty-1956",
        (
            "date 1956-10-19 gives the day, but the item cites no source and article "
            "paragraphs alone do not vouch for a day: cite a source that gives it in "
            'provenance.sources, or write only the year ("1956")'
        ),
    ),
    Case(
        "event-dated-after-its-sources",
        "events.yaml:18:11",
        "talks-2013",
        (
            "date 2013-05 is later than every source the item cites was published (the "
            "latest, 'news-report', is from 29 Apr 2013), so none of them can report it: "
            "cite one that does, or correct the date"
        ),
    ),
    Case(
        "event-outside-its-era",
        "events.yaml:19:10",
        "talks-2013",
        (
            "the event is dated 2013-04, outside era 'postwar' (1945–1960): file it "
            "under 'recent', which covers 2013, or correct the date"
        ),
    ),
    Case(
        "event-year-after-the-article",
        "events.yaml:6:11",
        "treaty-1956",
        (
            "date 2015 is later than the article (Sep 2014), which cannot report it: "
            "cite a source that does in provenance.sources, or correct the date"
        ),
    ),
    Case(
        "fact-check-source-unknown",
        "disputes.yaml:21:26",
        "island-dispute",
        ("unknown source 'news-reprot' — did you mean 'news-report'?"),
    ),
    Case(
        "fact-check-source-wrong-kind",
        "disputes.yaml:21:26",
        "island-dispute",
        ("a fact check's source must be a source, but 'state-a' is an actor (at actors.yaml:2:5)"),
    ),
    Case(
        "fact-check-without-sources",
        "disputes.yaml:21:18",
        "island-dispute",
        ("'sources' needs at least 1 entry, found 0"),
    ),
    Case(
        "impossible-date",
        "events.yaml:6:11",
        "treaty-1956",
        ("impossible date '2014-02-30': February 2014 has 28 days"),
    ),
    Case(
        "item-in-no-thread",
        "terms.yaml:2:5",
        "peace-treaty",
        ("item is in no thread: add it to the steps of at least one thread"),
    ),
    Case(
        "link-listed-twice",
        "events.yaml:24:28",
        "talks-2013",
        ("'leader-a' is listed twice under 'involves': remove one"),
    ),
    Case(
        "link-to-itself",
        "consequences.yaml:10:33",
        "talks-stall",
        ("'affects' links the item to itself: remove it"),
    ),
    Case(
        "link-wrong-kind",
        "events.yaml:24:28",
        "talks-2013",
        (
            "'involves' must be an actor, but 'talks-stall' is a consequence (at "
            "consequences.yaml:2:5)"
        ),
    ),
    Case(
        "links-not-a-list",
        "events.yaml:24:17",
        "talks-2013",
        (
            "links under 'involves' must be a list of item ids, found the text "
            "'leader-a' (write [leader-a])"
        ),
    ),
    Case(
        "manifest-not-a-mapping",
        "pack.yaml:1:7",
        "pack",
        ("'pack' must be a mapping, found a list"),
    ),
    Case(
        "missing-manifest",
        ".:1:1",
        "-",
        (
            "the pack has no manifest: add a top-level 'pack:' mapping (id, "
            "title, author, ...) to one file, e.g. pack.yaml"
        ),
    ),
    Case(
        "missing-required-field",
        "terms.yaml:2:5",
        "peace-treaty",
        ("missing required field 'summary' in term"),
    ),
    Case(
        "no-provenance",
        "terms.yaml:5:17",
        "peace-treaty",
        (
            "item has no provenance: list article paragraphs "
            "(provenance.paragraphs) or sources (provenance.sources)"
        ),
    ),
    Case(
        "not-utf8",
        "terms.yaml:4:46",
        "-",
        (
            "file is not valid UTF-8: byte 0xE4 at byte offset 97 cannot be "
            "decoded; save the file as UTF-8"
        ),
    ),
    Case(
        "paragraph-without-section",
        "actors.yaml:30:23",
        "leader-a",
        ("paragraph 9 has no story section: fix the number or add a section with 'paragraph: 9'"),
    ),
    Case(
        "provenance-source-wrong-kind",
        "events.yaml:22:30",
        "talks-2013",
        ("a provenance source must be a source, but 'state-a' is an actor (at actors.yaml:2:5)"),
    ),
    Case(
        "source-cited-by-nothing",
        "sources.yaml:22:5",
        "spare-source",
        (
            "source 'spare-source' is cited by nothing: list it in the "
            "provenance.sources of the items that rest on it, or remove it"
        ),
    ),
    Case(
        "source-origin-unknown",
        "sources.yaml:16:13",
        "atlas",
        ("'origin' must be 'article' or 'context', found 'outside'"),
    ),
    Case(
        "step-listed-twice",
        "threads.yaml:10:24",
        "the-stall",
        ("step 'section-2' is listed twice in this thread (first at line 10)"),
    ),
    Case(
        "thread-out-of-date-order",
        "threads.yaml:10:72",
        "the-stall",
        (
            "step 'treaty-1956' (19 Oct 1956) comes after 'talks-2013' (Apr 2013) in a "
            "thread ordered by date: move it before 'talks-2013', or drop 'ordered: by-date'"
        ),
    ),
    Case(
        "thread-step-missing",
        "threads.yaml:10:59",
        "the-stall",
        ("thread step 'news-reprot' is not an item — did you mean 'news-report'?"),
    ),
    Case(
        "two-documents",
        "terms.yaml:7:1",
        "-",
        ("a pack file holds one YAML document: remove the second '---' or move it to its own file"),
    ),
    Case(
        "two-manifests",
        "terms.yaml:7:1",
        "-",
        ("second manifest: the first is at pack.yaml:1:1; a pack has exactly one 'pack:' mapping"),
    ),
    Case(
        "unknown-era",
        "events.yaml:19:10",
        "talks-2013",
        ("unknown era 'recnt' — did you mean 'recent'?"),
    ),
    Case(
        "unknown-field",
        "actors.yaml:22:5",
        "leader-a",
        ("unknown field 'aliase' in actor — did you mean 'aliases'?"),
    ),
    Case(
        "unknown-relation",
        "consequences.yaml:9:7",
        "talks-stall",
        ("unknown relation 'causd_by' — did you mean 'caused_by'?"),
    ),
    Case(
        "unknown-top-level-key",
        "terms.yaml:7:1",
        "-",
        ("unknown top-level key 'term' — did you mean 'terms'?"),
    ),
    Case(
        "unsafe-control-character",
        "actors.yaml:4:24",
        "state-a",
        (
            "unsafe character U+001B ESCAPE: remove it (control and "
            "bidirectional-override characters are not allowed)"
        ),
    ),
    Case(
        "wrong-extension",
        "extra.yml:1:1",
        "-",
        ("file is ignored: pack files must end in '.yaml'"),
    ),
    Case(
        "wrong-type-int",
        "sections.yaml:17:16",
        "section-2",
        ("'paragraph' must be a whole number from 1 up, found the text 'two'"),
    ),
    Case(
        "wrong-type-list",
        "actors.yaml:22:14",
        "leader-a",
        ("'aliases' must be a list, found the text 'The Leader'"),
    ),
    Case(
        "yaml-alias",
        "actors.yaml:16:11",
        "-",
        ("YAML aliases are not allowed (*claimant): write the value out in full"),
    ),
    Case(
        "yaml-anchor",
        "actors.yaml:7:11",
        "state-a",
        ("YAML anchors are not allowed (&role): write each value out in full"),
    ),
    Case(
        "yaml-syntax-error",
        "events.yaml:25:13",
        "-",
        (
            "YAML syntax error: did not find expected ',' or ']' (while parsing a "
            "flow sequence that starts at line 24, column 17)"
        ),
    ),
    Case(
        "yaml-tag",
        "actors.yaml:16:11",
        "state-b",
        ("YAML tags are not allowed (tag:yaml.org,2002:python/object): remove the tag"),
    ),
    Case(
        "action-actor-wrong-kind",
        "events.yaml:27:45",
        "talks-2013",
        (
            "an action's actor must be an actor, but 'talks-stall' is a consequence (at "
            "consequences.yaml:2:5)"
        ),
    ),
    Case(
        "action-kind-unknown",
        "events.yaml:27:16",
        "talks-2013",
        (
            "'kind' must be 'annexation', 'sanctions', 'ban', 'talks-off', 'drills' or "
            "'protest', found 'protst' — did you mean 'protest'?"
        ),
    ),
    Case(
        "action-on-itself",
        "events.yaml:27:54",
        "talks-2013",
        ("'state-a' is both 'by' and 'to' in one action: an action is done by one side to another"),
    ),
    Case(
        "location-latitude-out-of-range",
        "events.yaml:25:32",
        "talks-2013",
        ("latitude 95 is out of range: it must be from -90 to 90"),
    ),
    Case(
        "location-place-on-two-regions",
        "disputes.yaml:22:28",
        "island-dispute",
        ("place 'bay' is on more than one map region: write 'chain/bay' or 'far/bay'"),
    ),
    Case(
        "location-places-on-different-regions",
        "disputes.yaml:22:28",
        "island-dispute",
        (
            "place 'bay' is on map region 'far', but 'north-isle' is on 'chain': one location"
            " stays on one region"
        ),
    ),
    Case(
        "location-point-missing-lat",
        "events.yaml:25:15",
        "talks-2013",
        ("a point needs both 'lon' and 'lat' (in degrees): add 'lat'"),
    ),
    Case(
        "location-point-on-no-map",
        "events.yaml:25:15",
        "talks-2013",
        (
            "the point (25.5, 43.5) is on no map region ('chain' 10°E to 20°E, 40°N to 50°N; "
            "'far' 30°E to 40°E, 10°N to 20°N): correct it (lon comes first), or add a map "
            "that covers it"
        ),
    ),
    Case(
        "location-unknown-place",
        "disputes.yaml:22:28",
        "island-dispute",
        ("unknown place 'sout-isle' — did you mean 'south-isle'?"),
    ),
    Case(
        "location-unknown-region",
        "disputes.yaml:22:28",
        "island-dispute",
        ("unknown map region 'near': the regions are 'chain' or 'far'"),
    ),
    Case(
        "location-without-a-map",
        "disputes.yaml:22:15",
        "island-dispute",
        (
            "the item has a location but the pack has no map: name a map file under 'maps' in"
            " the manifest, or remove the location"
        ),
    ),
    Case(
        "map-file-bad-atlas",
        "pack.yaml:14:14",
        "pack",
        ("map file 'maps/islands.json' regions[0].places[1]: latitude 96.0 is outside -90..90"),
    ),
    Case(
        "map-file-listed-twice",
        "pack.yaml:15:14",
        "pack",
        ("map file 'maps/islands.json' is listed twice (first at line 14): remove one"),
    ),
    Case(
        "map-file-missing",
        "pack.yaml:14:14",
        "pack",
        ("map file 'maps/island.json' does not exist"),
    ),
    Case(
        "map-file-not-json",
        "pack.yaml:14:14",
        "pack",
        (
            "map file 'maps/islands.json' is not valid JSON: Expecting property name enclosed"
            " in double quotes: line 1 column 2 (char 1)"
        ),
    ),
    Case(
        "map-file-outside-the-maps-folder",
        "pack.yaml:14:14",
        "pack",
        (
            "map file '../islands.json' must be a file in the pack's maps/ folder named with "
            "a-z, 0-9, '.', '_' and '-' and ending in .json (e.g. maps/coastlines.json)"
        ),
    ),
    Case(
        "map-source-wrong-kind",
        "pack.yaml:14:41",
        "pack",
        ("a map's source must be a source, but 'state-a' is an actor (at actors.yaml:2:5)"),
    ),
]


def test_every_broken_pack_has_an_expectation() -> None:
    assert sorted(BROKEN_PACKS) == sorted(case.pack for case in CASES)
    assert len(CASES) >= 20


def test_the_base_pack_is_clean() -> None:
    assert read_pack(MINI)[1] == []


@pytest.mark.parametrize("case", CASES, ids=[case.pack for case in CASES])
def test_broken_pack_reports_exactly_its_problem(case: Case, tmp_path: Path) -> None:
    problems = read_pack(make_broken_pack(case.pack, tmp_path))[1]
    assert [str(problem) for problem in problems] == [
        f"{case.location}: {case.item_id}: {case.message}"
    ]
    problem = problems[0]
    assert f"{problem.file}:{problem.line}:{problem.column}" == case.location
    assert problem.item_id == case.item_id


@pytest.mark.parametrize("name", ["dangling-link", "yaml-syntax-error", "missing-manifest"])
def test_load_pack_raises_pack_error_with_the_same_problems(name: str, tmp_path: Path) -> None:
    folder = make_broken_pack(name, tmp_path)
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    assert caught.value.problems == read_pack(folder)[1]
    assert str(caught.value).splitlines()[0] == str(caught.value.problems[0])


# --- the helper that makes the packs -------------------------------------------------


def test_a_broken_pack_is_the_base_pack_plus_its_fault(tmp_path: Path) -> None:
    folder = make_broken_pack("dangling-link", tmp_path)
    files = sorted(path.relative_to(MINI) for path in MINI.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(folder) for path in folder.rglob("*") if path.is_file())
    assert Path("maps/islands.json") in files  # the map data is part of the base pack too
    for name in files:
        changed = (MINI / name).read_bytes() != (folder / name).read_bytes()
        assert changed == (name == Path("events.yaml")), name
    assert "involves: [leadr-a]" in (folder / "events.yaml").read_text(encoding="utf-8")


def test_an_edit_whose_text_is_gone_from_the_base_pack_fails_loudly(tmp_path: Path) -> None:
    (tmp_path / "terms.yaml").write_text("terms: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="occurs 0 times in terms.yaml"):
        Replace("terms.yaml", "title: Peace treaty", "title: Treaty").apply(tmp_path)
    with pytest.raises(ValueError, match="events.yaml is not in the base pack"):
        Append("events.yaml", "events: []\n").apply(tmp_path)
