"""`thaw schema`: a valid JSON Schema that accepts real pack files and rejects broken ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support.broken_packs import make_broken_pack

from thaw_tui.cli.schema import run_schema
from thaw_tui.pack.checking.specs import ITEM_SPECS
from thaw_tui.pack.model import Kind
from thaw_tui.pack.reading.files import read_pack_file
from thaw_tui.pack.reading.yaml_nodes import to_plain
from thaw_tui.pack.schema import pack_schema
from thaw_tui.paths import default_content_dir

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINI_FILES = sorted((FIXTURES / "packs" / "mini").glob("*.yaml"))
SHIPPED_FILES = sorted(default_content_dir().glob("*.yaml"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = pack_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def as_data(path: Path) -> Any:
    result = read_pack_file(path)
    assert result.complete, result.issues
    return to_plain(result.root)


def test_schema_is_draft_2020_12_and_names_every_top_level_key() -> None:
    schema = pack_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["properties"]) == {"pack", "threads", *(kind.plural for kind in Kind)}
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("kind", list(Kind), ids=[kind.value for kind in Kind])
def test_each_kind_lists_exactly_the_fields_the_loader_reads(kind: Kind) -> None:
    definition = pack_schema()["$defs"][kind.value]
    spec = ITEM_SPECS[kind.value]
    assert list(definition["properties"]) == list(spec.names)
    assert definition["required"] == [f.name for f in spec.fields if f.required]


def test_enums_id_and_date_patterns_are_in_the_schema() -> None:
    defs = pack_schema()["$defs"]
    assert defs["actor"]["properties"]["kind"]["enum"] == [
        "person",
        "state",
        "organisation",
        "group",
    ]
    assert defs["source"]["properties"]["origin"]["enum"] == ["article", "context"]
    assert defs["id"]["pattern"] == "^[a-z0-9]+(?:-[a-z0-9]+)*$"
    assert defs["date"]["pattern"] == "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


@pytest.mark.parametrize("path", MINI_FILES, ids=[p.name for p in MINI_FILES])
def test_mini_pack_files_match(validator: jsonschema.Draft202012Validator, path: Path) -> None:
    assert [error.message for error in validator.iter_errors(as_data(path))] == []


def test_shipped_pack_files_match(validator: jsonschema.Draft202012Validator) -> None:
    assert len(SHIPPED_FILES) >= 2, "the shipped pack should be in content/"
    for path in SHIPPED_FILES:
        errors = [error.message for error in validator.iter_errors(as_data(path))]
        assert errors == [], path.name


@pytest.mark.parametrize(
    ("pack", "file", "bad_value"),
    [
        ("unknown-field", "actors.yaml", "aliase"),
        ("missing-required-field", "terms.yaml", "summary"),
        ("wrong-type-list", "actors.yaml", "The Leader"),
        ("bad-id", "actors.yaml", "State_B"),
        ("bad-date-format", "events.yaml", "29/04/2013"),
        ("actor-kind-unknown", "actors.yaml", "persn"),
        ("source-origin-unknown", "sources.yaml", "outside"),
        ("unknown-relation", "consequences.yaml", "causd_by"),
        ("dispute-one-side", "disputes.yaml", "is too short"),
        ("unknown-top-level-key", "terms.yaml", "term"),
        ("fact-check-without-sources", "disputes.yaml", "[]"),
    ],
)
def test_broken_files_fail(
    validator: jsonschema.Draft202012Validator,
    pack: str,
    file: str,
    bad_value: str,
    tmp_path: Path,
) -> None:
    broken = make_broken_pack(pack, tmp_path) / file
    errors = list(validator.iter_errors(as_data(broken)))
    assert errors, f"{pack}/{file} should not match the schema"
    # The error (or one of its alternatives) must be about the broken value.
    text = " ".join(
        error.message + " " + " ".join(sub.message for sub in error.context or ())
        for error in errors
    )
    assert bad_value in text


def test_fact_checks_era_years_and_thread_order_are_in_the_schema(
    validator: jsonschema.Draft202012Validator,
) -> None:
    defs = pack_schema()["$defs"]
    assert defs["fact_check"]["required"] == ["article_says", "sources_say", "sources"]
    for kind in Kind:
        assert defs[kind.value]["properties"]["fact_checks"]["items"] == {
            "$ref": "#/$defs/fact_check"
        }
    note = {"article_says": "It says 1952.", "sources": ["treaty"]}  # no sources_say
    event = {"id": "x", "title": "X", "summary": "X.", "body": "X.", "date": "1951"}
    errors = list(validator.iter_errors({"events": [{**event, "fact_checks": [note]}]}))
    assert any("'sources_say' is a required property" in error.message for error in errors)
    thread = {"id": "t", "title": "T", "summary": "T.", "steps": ["x"], "ordered": "by-time"}
    assert list(validator.iter_errors({"threads": [thread]}))
    era = {"id": "war", "title": "War", "from": 1945, "to": 1956}
    manifest = {"id": "p", "title": "P", "author": "A", "published": "2014"}
    manifest |= {"language": "en", "version": "1.0.0", "eras": [era]}
    assert list(validator.iter_errors({"pack": manifest})) == []
    era["from"] = "1945"  # a year is a number
    assert list(validator.iter_errors({"pack": manifest}))


def test_run_schema_prints_the_schema_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_schema() == 0
    assert json.loads(capsys.readouterr().out) == pack_schema()
