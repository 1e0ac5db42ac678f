"""`thaw export`: the JSON shape, the Markdown reading order and cross-references."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support.broken_packs import make_broken_pack

from thaw_tui.cli.export import run_export
from thaw_tui.pack.export import export_json, export_markdown
from thaw_tui.pack.fingerprint import item_fingerprint
from thaw_tui.pack.load import load_pack
from thaw_tui.pack.model import Pack

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINI = FIXTURES / "packs" / "mini"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(MINI)


# --- JSON ----------------------------------------------------------------------------


def test_json_has_the_documented_header_and_sections(pack: Pack) -> None:
    data = export_json(pack)
    assert (data["format"], data["format_version"]) == ("thaw-pack-export", 1)
    assert list(data) == [
        "format",
        "format_version",
        "manifest",
        "relations",
        "items",
        "threads",
        "pictures",
    ]
    assert data["manifest"]["published"] == "2014-09"
    assert data["manifest"]["eras"] == [
        {"id": "postwar", "title": "After the war", "from": 1945, "to": 1960},
        {"id": "recent", "title": "Recent years", "from": 2010, "to": None},
    ]
    assert data["relations"]["involves"] == {
        "label": "Involves",
        "inverse_label": "Involved in",
        "target_kinds": ["actor"],
    }
    assert [thread["id"] for thread in data["threads"]] == ["the-islands", "the-stall"]
    assert [thread["ordered"] for thread in data["threads"]] == [None, "by-date"]
    json.dumps(data)  # plain JSON data all the way down


def test_json_items_carry_their_fact_checks(pack: Pack) -> None:
    by_id = {item["id"]: item for item in export_json(pack)["items"]}
    assert by_id["island-dispute"]["fact_checks"] == [
        {
            "article_says": "State B won the islands fairly.",
            "sources_say": (
                "The atlas gives both names and takes no side on how the islands changed hands."
            ),
            "sources": ["atlas", "news-report"],
        }
    ]
    assert all(item["fact_checks"] == [] for key, item in by_id.items() if key != "island-dispute")


def test_json_items_come_in_reading_order_with_kind_fields(pack: Pack) -> None:
    items = export_json(pack)["items"]
    assert [item["id"] for item in items] == [
        "section-1",
        "section-2",
        "treaty-1956",
        "talks-2013",
        "state-a",
        "state-b",
        "leader-a",
        "island-dispute",
        "talks-stall",
        "peace-treaty",
        "news-report",
        "atlas",
    ]
    by_id = {item["id"]: item for item in items}
    assert by_id["talks-2013"]["date"] == "2013-04"
    assert by_id["talks-2013"]["date_precision"] == "month"
    assert by_id["leader-a"]["names"] == {"xx": "Leader Alpha"}
    assert by_id["island-dispute"]["sides"][1] == {
        "actor": "state-b",
        "name": "The Southern Chain",
        "native_name": "Южная цепь",
        "position": "The islands were won fairly.",
    }
    assert by_id["atlas"]["published"] == "2001"
    assert by_id["atlas"]["footnote"] is None
    assert by_id["section-1"]["paragraph"] == 1
    assert by_id["peace-treaty"]["threads"] == ["the-islands"]
    assert by_id["peace-treaty"]["fingerprint"] == item_fingerprint(pack.items["peace-treaty"])


def test_json_links_appear_at_both_ends(pack: Pack) -> None:
    items = {item["id"]: item for item in export_json(pack)["items"]}
    outgoing = {
        (item_id, link["relation"], link["target"])
        for item_id, item in items.items()
        for link in item["links"]
    }
    incoming = {
        (link["source"], link["relation"], item_id)
        for item_id, item in items.items()
        for link in item["linked_from"]
    }
    assert outgoing == incoming
    assert ("talks-2013", "cites", "news-report") in outgoing
    assert ("island-dispute", "between", "state-b") in outgoing
    labels = {link["label"] for link in items["state-a"]["linked_from"]}
    assert labels == {"Involved in", "Party to", "Includes"}


# --- Markdown ------------------------------------------------------------------------


def test_markdown_parts_come_in_reading_order(pack: Pack) -> None:
    text = export_markdown(pack)
    parts = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert parts == [
        "Contents",
        "The story",
        "Timeline",
        "The pictures in words",
        "Actors",
        "Disputes",
        "Consequences",
        "Threads",
        "Glossary",
        "Sources",
    ]


def test_markdown_numbers_every_item_once_in_order(pack: Pack) -> None:
    text = export_markdown(pack)
    headings = re.findall(r"^#{3,4} §(\d+) (.+)$", text, flags=re.MULTILINE)
    assert [int(number) for number, _ in headings] == list(range(1, len(pack) + 1))
    assert [title for _, title in headings][:3] == [
        "The opening",
        "The setback",
        "Joint declaration signed",
    ]
    assert "### After the war" in text  # events grouped under their era


def test_markdown_cross_references_use_the_target_number_and_title(pack: Pack) -> None:
    text = export_markdown(pack)
    numbers = {
        title: int(number)
        for number, title in re.findall(r"^#{3,4} §(\d+) (.+)$", text, flags=re.MULTILINE)
    }
    references = re.findall(r"see §(\d+) ([^;.)\n]+)", text)
    assert references, "expected cross-references"
    for number, title in references:
        assert numbers[title.strip()] == int(number)
    assert "- Involves: see §5 State A; see §6 State B" in text
    assert "- Involved in: see §3 Joint declaration signed" in text
    assert "Cited by: see §3 Joint declaration signed; see §4 Leaders meet." in text


def test_markdown_lists_thread_steps_and_provenance(pack: Pack) -> None:
    text = export_markdown(pack)
    stall = text.split("### The stall", 1)[1].split("##", 1)[0]
    assert stall.strip().splitlines()[2:] == [
        "1. §2 The setback",
        "2. §4 Leaders meet",
        "3. §7 Leader A",
        "4. §9 Talks stall",
        "5. §11 Leaders agree to talk",
    ]
    assert (
        "Provenance: the article, paragraph 1 (see §1 The opening), paragraph 2 "
        "(see §2 The setback); sources: see §11 Leaders agree to talk." in text
    )
    assert (
        "Context from outside the article: The names each side uses come from an atlas, "
        "not the article." in text
    )


def test_markdown_sets_each_fact_check_apart_and_indexes_them(pack: Pack) -> None:
    text = export_markdown(pack)
    dispute = text.split("### §8 The island dispute", 1)[1].split("\n### ", 1)[0]
    assert (
        "> **Fact check.**\n"
        ">\n"
        "> *The article says:* State B won the islands fairly.\n"
        ">\n"
        "> *The sources say:* The atlas gives both names and takes no side on how the "
        "islands changed hands.\n"
        ">\n"
        "> *Sources:* see §12 An Atlas of Islands; see §11 Leaders agree to talk.\n"
    ) in dispute
    assert text.count("> **Fact check.**") == 1
    # The index after the contents points at every item with a note.
    assert "(1 note): see §8 The island dispute.\n" in text.split("## The story", 1)[0]


# --- the command ---------------------------------------------------------------------


def test_run_export_writes_json_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "pack.json"
    assert run_export("json", MINI, str(out)) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == export_json(load_pack(MINI))


def test_run_export_prints_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_export("markdown", MINI, None) == 0
    assert capsys.readouterr().out == export_markdown(load_pack(MINI))


def test_broken_pack_prints_problems_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "never.json"
    assert run_export("json", make_broken_pack("dangling-link", tmp_path), str(out)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "events.yaml:24:18: talks-2013: unknown actor 'leadr-a' — did you mean 'leader-a'?",
        "1 problem in 1 file. Nothing exported: fix them first.",
    ]
    assert not out.exists()


def test_missing_content_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_export("markdown", tmp_path / "nope", None) == 2
    assert "does not exist" in capsys.readouterr().err


def test_shipped_pack_exports_in_both_formats() -> None:
    shipped = load_pack()
    data = export_json(shipped)
    assert len(data["items"]) == len(shipped)
    text = export_markdown(shipped)
    assert len(re.findall(r"^#{3,4} §\d+ ", text, flags=re.MULTILINE)) == len(shipped)
    assert text.count("> **Fact check.**") == 15
    assert sum(len(item["fact_checks"]) for item in data["items"]) == 15
