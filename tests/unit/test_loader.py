"""The loader: what a valid pack turns into, and how unsafe or odd files are handled."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints, is_typeddict

import pytest
from support.broken_packs import make_broken_pack

import thaw_tui.paths
from thaw_tui.pack.checking.collect import collect_drafts
from thaw_tui.pack.checking.drafts import (
    ITEM_DRAFTS,
    EraValues,
    ManifestDraft,
    ThreadDraft,
    ThreadValues,
)
from thaw_tui.pack.checking.fields import (
    AT,
    Field,
    IntAt,
    LocationAt,
    ObjectSpec,
    Ref,
    Spec,
    Type,
)
from thaw_tui.pack.checking.specs import ERA, ITEM_SPECS, MANIFEST, THREAD
from thaw_tui.pack.checking.suggest import closest, reset_budget
from thaw_tui.pack.fingerprint import item_fingerprint
from thaw_tui.pack.load import PackError, Problem, load_pack, read_pack
from thaw_tui.pack.model import Actor, Dispute, Event, Kind, PartialDate, Section, Source
from thaw_tui.pack.reading import yaml_nodes
from thaw_tui.pack.reading.yaml_nodes import Mapping

MINI = Path(__file__).parents[1] / "fixtures" / "packs" / "mini"


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini pack."""
    target = tmp_path / "pack"
    shutil.copytree(MINI, target)
    return target


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(folder: Path) -> list[str]:
    return [str(problem) for problem in read_pack(folder)[1]]


# --- a valid pack ------------------------------------------------------------------


def test_mini_pack_loads_every_kind_with_its_fields() -> None:
    pack = load_pack(MINI)
    counts = {kind: len(pack.of_kind(kind)) for kind in Kind}
    assert counts == {
        Kind.SECTION: 2,
        Kind.EVENT: 2,
        Kind.ACTOR: 3,
        Kind.DISPUTE: 1,
        Kind.CONSEQUENCE: 1,
        Kind.SOURCE: 2,
        Kind.TERM: 1,
    }
    treaty = pack.items["treaty-1956"]
    assert isinstance(treaty, Event)
    assert treaty.date == PartialDate(1956, 10, 19)
    assert treaty.era == "postwar"
    talks = pack.items["talks-2013"]
    assert isinstance(talks, Event) and talks.date.precision == "month"
    leader = pack.items["leader-a"]
    assert isinstance(leader, Actor)
    assert (leader.actor_kind, leader.role, leader.names) == (
        "person",
        "head of government",
        (("xx", "Leader Alpha"),),
    )
    assert leader.aliases == ("The Leader",)
    dispute = pack.items["island-dispute"]
    assert isinstance(dispute, Dispute)
    assert [side.actor for side in dispute.sides] == ["state-a", "state-b"]
    assert dispute.sides[1].native_name == "Южная цепь"
    assert dispute.provenance.context is not None
    atlas = pack.items["atlas"]
    assert isinstance(atlas, Source)
    assert (atlas.origin, atlas.published, atlas.url, atlas.body) == (
        "context",
        PartialDate(2001),
        "https://example.org/atlas",
        "",
    )
    section = pack.items["section-2"]
    assert isinstance(section, Section) and section.provenance.paragraphs == (2,)
    assert pack.manifest.published == PartialDate(2014, 9)
    assert [era.id for era in pack.manifest.eras] == ["postwar", "recent"]
    assert [thread.id for thread in pack.threads] == ["the-islands", "the-stall"]


def test_links_resolve_both_ways_including_derived_ones() -> None:
    pack = load_pack(MINI)
    outgoing = {(link.relation, link.other) for link in pack.outgoing["treaty-1956"]}
    assert outgoing == {
        ("involves", "state-a"),
        ("involves", "state-b"),
        ("followed_by", "talks-2013"),
        ("cites", "news-report"),
    }
    incoming_state_a = {(link.label, link.other) for link in pack.incoming["state-a"]}
    assert ("Involved in", "treaty-1956") in incoming_state_a
    assert ("Party to", "island-dispute") in incoming_state_a  # derived from sides
    assert ("Includes", "leader-a") in incoming_state_a
    cited_by = {link.other for link in pack.incoming["news-report"] if link.relation == "cites"}
    assert cited_by == {"talks-2013", "treaty-1956"}


def test_none_means_the_shipped_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(thaw_tui.paths, "default_content_dir", lambda: MINI)
    assert load_pack().manifest.id == "mini-pack"


def test_unquoted_dates_are_read_as_their_text(pack_copy: Path) -> None:
    edit(pack_copy, "events.yaml", 'date: "1956-10-19"', "date: 1956-10-19")
    edit(pack_copy, "pack.yaml", 'published: "2014-09"', "published: 2014-09")
    pack = load_pack(pack_copy)
    event = pack.items["treaty-1956"]
    assert isinstance(event, Event) and str(event.date) == "1956-10-19"
    assert str(pack.manifest.published) == "2014-09"


def test_markup_like_text_is_kept_literally(pack_copy: Path) -> None:
    title = "[bold]Loud[/bold] [@click=app.quit]quit[/] $(rm -rf ~)"
    edit(pack_copy, "terms.yaml", "title: Peace treaty", f"title: '{title}'")
    assert load_pack(pack_copy).items["peace-treaty"].title == title


def test_crlf_line_endings_a_bom_and_tabs_are_accepted(pack_copy: Path) -> None:
    path = pack_copy / "terms.yaml"
    text = path.read_text(encoding="utf-8").replace("ends a war.", 'ends a war."')
    text = text.replace("summary: A formal", 'summary: "A\\tformal')
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert (
        load_pack(pack_copy).items["peace-treaty"].summary == "A\tformal agreement that ends a war."
    )


# --- problems ----------------------------------------------------------------------


def test_problem_formats_as_file_line_column_item_message() -> None:
    problem = Problem("events.yaml", 3, 7, "abe", "something is wrong")
    assert str(problem) == "events.yaml:3:7: abe: something is wrong"


def test_every_problem_is_reported_in_one_run(pack_copy: Path) -> None:
    edit(pack_copy, "events.yaml", "involves: [leader-a]", "involves: [leadr-a]")
    edit(pack_copy, "actors.yaml", "kind: person", "kind: persn")
    edit(pack_copy, "terms.yaml", "title: Peace treaty", "titel: Peace treaty")
    with pytest.raises(PackError) as caught:
        load_pack(pack_copy)
    found = [str(problem) for problem in caught.value.problems]
    assert found == [
        "actors.yaml:25:11: leader-a: 'kind' must be 'person', 'state', 'organisation' or "
        "'group', found 'persn' — did you mean 'person'?",
        "events.yaml:24:18: talks-2013: unknown actor 'leadr-a' — did you mean 'leader-a'?",
        "terms.yaml:2:5: peace-treaty: missing required field 'title' in term",
        "terms.yaml:3:5: peace-treaty: unknown field 'titel' in term — did you mean 'title'?",
    ]
    assert str(caught.value).splitlines() == [*found, "4 problems in 3 files."]


def test_missing_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    pack, problems = read_pack(tmp_path / "nowhere")
    assert pack is None
    assert [problem.message for problem in problems] == ["the pack folder does not exist"]


def test_unreadable_file_does_not_cascade_into_dangling_references(pack_copy: Path) -> None:
    # actors.yaml cannot be parsed: links to its actors must not all be reported too.
    edit(pack_copy, "actors.yaml", "role: claimant", "role: [claimant")
    problems = read_pack(pack_copy)[1]
    assert len(problems) == 1
    assert problems[0].file == "actors.yaml"
    assert problems[0].message.startswith("YAML syntax error:")


def test_aliases_are_refused_before_anything_is_expanded(tmp_path: Path) -> None:
    # "Billion laughs": nine levels of ten aliases each would expand to 10**9 strings.
    lines = ['a0: &a0 "lol"']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    (tmp_path / "terms.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = read_pack(tmp_path)[1]
    assert [str(problem) for problem in problems] == [
        "terms.yaml:1:5: -: YAML anchors are not allowed (&a0): write each value out in full",
        "terms.yaml:2:5: -: YAML anchors are not allowed (&a1): write each value out in full",
        "terms.yaml:2:10: -: YAML aliases are not allowed (*a0): write the value out in full",
    ]


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
def test_absurd_nesting_is_refused_without_recursion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, libyaml: bool
) -> None:
    monkeypatch.setattr(yaml_nodes, "HAVE_LIBYAML", libyaml and yaml_nodes.HAVE_LIBYAML)
    depth = 200_000
    (tmp_path / "terms.yaml").write_text(
        "terms: " + "[" * depth + "]" * depth + "\n", encoding="utf-8"
    )
    problems = read_pack(tmp_path)[1]
    # libyaml's scanner may stop first (at its own limit); either way, one clean refusal.
    assert [(p.file, p.line, p.message) for p in problems] == [
        ("terms.yaml", 1, "nesting is deeper than 32 levels: flatten the data")
    ]


def test_deep_block_nesting_is_refused(tmp_path: Path) -> None:
    lines = [" " * (2 * level) + f"k{level}:" for level in range(40)]
    (tmp_path / "terms.yaml").write_text("\n".join(lines) + " x\n", encoding="utf-8")
    problems = read_pack(tmp_path)[1]
    assert [(p.line, p.message) for p in problems] == [
        (33, "nesting is deeper than 32 levels: flatten the data")
    ]


def test_files_over_one_mebibyte_are_not_parsed(pack_copy: Path) -> None:
    padding = "# padding\n" * (1024 * 1024 // 10 + 1)
    (pack_copy / "big.yaml").write_text(padding, encoding="utf-8")
    problems = read_pack(pack_copy)[1]
    assert [str(problem) for problem in problems] == [
        "big.yaml:1:1: -: file is 1,048,580 bytes, over the 1,048,576-byte (1 MiB) limit: "
        "split it into several files"
    ]


def test_non_utf8_names_the_byte_and_its_line(pack_copy: Path) -> None:
    path = pack_copy / "terms.yaml"
    path.write_bytes(path.read_bytes().replace(b"Peace treaty", b"Peace tr\xff\xfeaty"))
    problems = read_pack(pack_copy)[1]
    assert [str(problem) for problem in problems] == [
        "terms.yaml:3:20: -: file is not valid UTF-8: byte 0xFF at byte offset 47 cannot be "
        "decoded; save the file as UTF-8"
    ]


@pytest.mark.parametrize(
    ("character", "name"),
    [
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\x9b", "U+009B CONTROL SEQUENCE INTRODUCER"),
        ("\x7f", "U+007F DELETE"),
        ("\x07", "U+0007 BELL"),
        ("\r", "U+000D CARRIAGE RETURN"),
    ],
)
def test_unsafe_characters_are_named_where_they_stand(
    pack_copy: Path, character: str, name: str
) -> None:
    edit(pack_copy, "terms.yaml", "title: Peace treaty", f"title: Peace{character} treaty")
    problems = read_pack(pack_copy)[1]
    assert [str(problem) for problem in problems] == [
        f"terms.yaml:3:17: peace-treaty: unsafe character {name}: remove it "
        "(control and bidirectional-override characters are not allowed)"
    ]


def test_unsafe_characters_written_as_escapes_are_caught(pack_copy: Path) -> None:
    edit(pack_copy, "terms.yaml", "title: Peace treaty", 'title: "Peace \\e[2J treaty"')
    problems = read_pack(pack_copy)[1]
    assert [str(problem) for problem in problems] == [
        "terms.yaml:3:12: peace-treaty: unsafe character U+001B ESCAPE (written as an escape) "
        "at character 7 of this text: remove it"
    ]


def test_pure_python_parser_gives_the_same_results(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fast = load_pack(MINI)
    broken = make_broken_pack("yaml-syntax-error", tmp_path)
    fast_problems = read_pack(broken)[1]
    monkeypatch.setattr(yaml_nodes, "HAVE_LIBYAML", False)
    slow = load_pack(MINI)
    assert slow.items == fast.items
    assert slow.threads == fast.threads
    slow_problems = read_pack(broken)[1]
    assert [(p.file, p.line) for p in slow_problems] == [(p.file, p.line) for p in fast_problems]


# --- fingerprints ------------------------------------------------------------------


def test_fingerprint_is_stable_and_tracks_content(pack_copy: Path) -> None:
    before = {item.id: item_fingerprint(item) for item in load_pack(pack_copy)}
    again = {item.id: item_fingerprint(item) for item in load_pack(pack_copy)}
    assert before == again
    assert all(len(value) == 16 for value in before.values())
    assert len(set(before.values())) == len(before)
    edit(pack_copy, "terms.yaml", "ends a war.", "ends a war for good.")
    after = {item.id: item_fingerprint(item) for item in load_pack(pack_copy)}
    changed = {item_id for item_id in before if before[item_id] != after[item_id]}
    assert changed == {"peace-treaty"}


def test_fingerprint_does_not_depend_on_the_process() -> None:
    script = (
        "import sys; from pathlib import Path; "
        "from thaw_tui.pack.load import load_pack; "
        "from thaw_tui.pack.fingerprint import item_fingerprint; "
        "pack = load_pack(Path(sys.argv[1])); "
        "print(' '.join(item_fingerprint(item) for item in pack))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script, str(MINI)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    expected = " ".join(item_fingerprint(item) for item in load_pack(MINI)) + "\n"
    assert runs == {expected}


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
def test_characters_yaml_refuses_are_located(
    pack_copy: Path, monkeypatch: pytest.MonkeyPatch, libyaml: bool
) -> None:
    monkeypatch.setattr(yaml_nodes, "HAVE_LIBYAML", libyaml and yaml_nodes.HAVE_LIBYAML)
    edit(pack_copy, "terms.yaml", "title: Peace treaty", "title: Peace\uffff treaty")
    assert [str(problem) for problem in read_pack(pack_copy)[1]] == [
        "terms.yaml:3:17: -: character U+FFFF is not allowed in YAML: remove it"
    ]


def test_hidden_files_such_as_editor_locks_are_skipped(pack_copy: Path) -> None:
    (pack_copy / ".#events.yaml").symlink_to(pack_copy / "no-such-target")
    (pack_copy / ".draft.yaml").write_text("nonsense: [", encoding="utf-8")
    assert load_pack(pack_copy).manifest.id == "mini-pack"


def test_suggestions_stop_once_their_budget_is_spent() -> None:
    reset_budget()
    assert closest("putn", ["putin", "abe"]) == "putin"
    many = ["a-long-id-that-is-nothing-like-the-word"] * 60_000 + ["putin"]
    assert closest("putn", many) == "putin"
    assert closest("putn", many) is None  # 120,000 comparisons: over the budget
    reset_budget()
    assert closest("putn", many) == "putin"


# --- drafts: the typed hand-off from the field table to build.py ---------------------
# mypy holds build.py to the TypedDicts in drafts.py; these tests hold the TypedDicts
# to the field table in specs.py and to what the reader really produces.

# What FieldReader makes of each field type (nested specs read into their own shape).
PYTHON_TYPES: dict[str, Any] = {
    Type.TEXT: str,
    Type.INT: int,
    Type.ID: str,
    Type.REF: Ref,
    Type.DATE: PartialDate,
    Type.ENUM: str,
    Type.TEXT_LIST: list[str],
    Type.REF_LIST: list[Ref],
    Type.PARAGRAPH_LIST: list[IntAt],
    Type.NAMES: list[tuple[str, str]],
    Type.LINKS: list[tuple[str, Ref, Ref]],
    Type.LOCATION: LocationAt,
}
TOP_SPECS = [*ITEM_SPECS.values(), THREAD, MANIFEST]


def shape_mismatches(spec: ObjectSpec) -> list[str]:
    """How a spec's TypedDict differs from its fields (nested specs included)."""
    shape = spec.shape
    hints = get_type_hints(shape)
    found = []
    if hints.get(AT) is not Mapping:
        found.append(f"{shape.__name__} does not keep the mapping under {AT!r}")
    keys = set(hints) - {AT}
    for name in sorted(set(spec.by_name) - keys):
        found.append(f"{spec.name}.{name}: a field of the spec but not a key of {shape.__name__}")
    for name in sorted(keys - set(spec.by_name)):
        found.append(f"{spec.name}.{name}: a key of {shape.__name__} but not a field of the spec")
    for field in spec.fields:
        if field.name not in hints:
            continue
        if field.name in shape.__required_keys__ and not field.required:
            found.append(f"{spec.name}.{field.name}: Required in {shape.__name__}, optional here")
        if field.spec is None:
            expected = PYTHON_TYPES[field.type]
        else:
            found += shape_mismatches(field.spec)
            nested = field.spec.shape
            expected = nested if field.type is Type.OBJECT else list[nested]  # type: ignore[valid-type]
        if hints[field.name] != expected:
            found.append(
                f"{spec.name}.{field.name}: {shape.__name__} says {hints[field.name]}, "
                f"the reader makes {expected}"
            )
    return found


@pytest.mark.parametrize("spec", TOP_SPECS, ids=[spec.name for spec in TOP_SPECS])
def test_each_spec_reads_into_a_typed_dict_with_the_same_fields(spec: ObjectSpec) -> None:
    assert shape_mismatches(spec) == []


def test_the_shape_check_notices_every_kind_of_drift() -> None:
    title = Field("title", Type.TEXT, True, "")
    assert shape_mismatches(
        Spec("thread", (*THREAD.fields, Field("extra", Type.TEXT, False, "")), ThreadValues)
    ) == ["thread.extra: a field of the spec but not a key of ThreadValues"]
    assert shape_mismatches(Spec("era", ERA.fields, ThreadValues)) == [
        "era.from: a field of the spec but not a key of ThreadValues",
        "era.to: a field of the spec but not a key of ThreadValues",
        "era.ordered: a key of ThreadValues but not a field of the spec",
        "era.steps: a key of ThreadValues but not a field of the spec",
        "era.summary: a key of ThreadValues but not a field of the spec",
    ]
    years = ERA.fields[2:]  # from, to
    wrong_type = (Field("id", Type.REF, True, ""), title, *years)
    assert shape_mismatches(Spec("era", wrong_type, EraValues)) == [
        f"era.id: EraValues says {str}, the reader makes {Ref}"
    ]
    made_optional = (Field("id", Type.ID, False, ""), title, *years)
    assert shape_mismatches(Spec("era", made_optional, EraValues)) == [
        "era.id: Required in EraValues, optional here"
    ]


def _values_type(draft_class: type) -> Any:
    """SectionValues for `class SectionDraft(_ItemDraft[SectionValues])`."""
    return get_args(draft_class.__orig_bases__[0])[0]  # type: ignore[attr-defined]


def test_each_draft_class_holds_the_shape_of_its_spec() -> None:
    assert sorted(ITEM_DRAFTS) == sorted(Kind)
    for kind, draft_class in ITEM_DRAFTS.items():
        assert draft_class.kind is kind
        assert _values_type(draft_class) is ITEM_SPECS[kind.value].shape, kind
    assert _values_type(ThreadDraft) is THREAD.shape
    assert _values_type(ManifestDraft) is MANIFEST.shape


def _check_value(value: object, hint: Any, where: str, seen: set[str]) -> None:
    if is_typeddict(hint):
        assert isinstance(value, dict), where
        hints = get_type_hints(hint)
        missing = hint.__required_keys__ - value.keys()
        assert not missing, f"{where}: required keys {sorted(missing)} missing"
        for key, item in value.items():
            assert key in hints, f"{where}: {key!r} is not a key of {hint.__name__}"
            seen.add(repr(hints[key]))
            _check_value(item, hints[key], f"{where}.{key}", seen)
    elif get_origin(hint) is list:
        assert isinstance(value, list), where
        for item in value:
            _check_value(item, get_args(hint)[0], where + "[]", seen)
    elif get_origin(hint) is tuple:
        assert isinstance(value, tuple) and len(value) == len(get_args(hint)), where
        for item, item_hint in zip(value, get_args(hint), strict=True):
            _check_value(item, item_hint, where + "()", seen)
    else:
        assert isinstance(value, hint), f"{where}: {value!r} is not a {hint.__name__}"


def _declared_types(shape: Any) -> set[str]:
    found = set()
    for hint in get_type_hints(shape).values():
        found.add(repr(hint))
        for nested in (hint, *get_args(hint)):
            if is_typeddict(nested):
                found |= _declared_types(nested)
    return found


def test_the_values_read_from_real_packs_have_the_declared_types() -> None:
    seen: set[str] = set()
    for folder in (MINI, thaw_tui.paths.default_content_dir()):
        problems: list[Problem] = []
        drafts = collect_drafts(folder, problems)
        assert problems == []
        assert drafts.manifest is not None
        every = [drafts.manifest, *drafts.items.values(), *drafts.threads]
        for draft in every:
            shape = _values_type(type(draft))
            _check_value(draft.values, shape, f"{folder.name}:{draft.where}", seen)
    # Every type a TypedDict declares was checked against at least one real value.
    declared = set().union(*(_declared_types(spec.shape) for spec in TOP_SPECS))
    assert declared - seen == set()
    assert len(declared) >= 12
