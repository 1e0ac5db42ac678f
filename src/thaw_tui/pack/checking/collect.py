"""Read a pack folder's files into drafts, reporting every problem in each file."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from thaw_tui.pack.checking.drafts import (
    ITEM_DRAFTS,
    Draft,
    Drafts,
    ItemDraft,
    ManifestDraft,
    ThreadDraft,
)
from thaw_tui.pack.checking.fields import AT, FieldReader, Spec
from thaw_tui.pack.checking.maps import read_maps
from thaw_tui.pack.checking.specs import ITEM_SPECS, MANIFEST, THREAD
from thaw_tui.pack.checking.suggest import did_you_mean, one_of
from thaw_tui.pack.model import KINDS_BY_KEY
from thaw_tui.pack.problems import Problem
from thaw_tui.pack.reading.files import PackBudget, list_pack_files, read_pack_file
from thaw_tui.pack.reading.yaml_nodes import Mapping, Node, Scalar, Sequence

TOP_LEVEL_KEYS = ("pack", "threads", *KINDS_BY_KEY)
NO_ITEM = "-"
# Three times the 10,000-item pack the benchmarks use (the reading layer also caps
# the pack's files, bytes and YAML values: pack/reading/files.py).
MAX_PACK_ITEMS = 30_000

V = TypeVar("V")
D = TypeVar("D", bound="Draft[Any]")


def collect_drafts(folder: Path, problems: list[Problem]) -> Drafts:
    drafts = Drafts()
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a folder"
        problems.append(Problem(str(folder), 1, 1, NO_ITEM, f"the pack folder {what}"))
        drafts.complete = False
        return drafts
    try:
        listing = list_pack_files(folder)
    except OSError as error:
        problems.append(
            Problem(str(folder), 1, 1, NO_ITEM, f"cannot list the pack folder: {error.strerror}")
        )
        drafts.complete = False
        return drafts
    for stray in listing.strays:
        problems.append(
            Problem(stray, 1, 1, NO_ITEM, "file is ignored: pack files must end in '.yaml'")
        )
    if listing.problem is not None:
        problems.append(Problem(".", 1, 1, NO_ITEM, listing.problem))
        drafts.complete = False
        return drafts
    budget = PackBudget()
    for name in listing.names:
        _collect_file(folder / name, name, drafts, problems, budget)
        if len(drafts.items) > MAX_PACK_ITEMS:
            first_over = list(drafts.items.values())[MAX_PACK_ITEMS]
            problems.append(
                Problem(
                    first_over.file,
                    first_over.line,
                    first_over.column,
                    first_over.id,
                    f"the pack has more than {MAX_PACK_ITEMS:,} items, the most thaw loads: "
                    "make the pack smaller",
                )
            )
        if budget.spent or len(drafts.items) > MAX_PACK_ITEMS:
            drafts.complete = False
            break
    if drafts.complete:
        read_maps(folder, drafts, problems, budget)
    if not drafts.manifest_written and drafts.complete:
        problems.append(
            Problem(
                ".",
                1,
                1,
                NO_ITEM,
                "the pack has no manifest: add a top-level 'pack:' mapping "
                "(id, title, author, ...) to one file, e.g. pack.yaml",
            )
        )
    return drafts


def _collect_file(
    path: Path, name: str, drafts: Drafts, problems: list[Problem], budget: PackBudget
) -> None:
    result = read_pack_file(path, budget)
    if result.issues:
        starts = _item_starts(result.root)
        for issue in result.issues:
            item_id = _item_at(starts, issue.line, issue.column)
            problems.append(Problem(name, issue.line, issue.column, item_id, issue.message))
    if not result.complete:
        drafts.complete = False
    root = result.root
    if root is None:
        if result.complete:
            problems.append(
                Problem(name, 1, 1, NO_ITEM, "file is empty: add pack data or remove the file")
            )
        return
    if not isinstance(root, Mapping):
        problems.append(
            Problem(
                name,
                root.line,
                root.column,
                NO_ITEM,
                f"a pack file must be a mapping of top-level keys (pack, events, ...), "
                f"found {root.describe()}",
            )
        )
        return
    for key, (key_node, value) in root.entries.items():
        if key == "pack":
            _collect_manifest(name, key_node, value, drafts, problems)
        elif key == "threads":
            for node in _entries(name, key, value, problems):
                thread = _read_draft(name, node, THREAD, ThreadDraft, problems)
                if thread is not None:
                    drafts.threads.append(thread)
        elif key in KINDS_BY_KEY:
            kind = KINDS_BY_KEY[key]
            # Looked up by kind, so mypy cannot pair these two: tests/unit/test_loader.py does.
            spec = ITEM_SPECS[kind.value]
            make_item: Callable[[str, str, int, int, Any], ItemDraft] = ITEM_DRAFTS[kind]
            for node in _entries(name, key, value, problems):
                item = _read_draft(name, node, spec, make_item, problems)
                if item is not None:
                    _add_item(item, drafts, problems)
        else:
            problems.append(
                Problem(
                    name,
                    key_node.line,
                    key_node.column,
                    NO_ITEM,
                    f"unknown top-level key '{key}'"
                    + (
                        did_you_mean(key, TOP_LEVEL_KEYS)
                        or f": the keys are {one_of(TOP_LEVEL_KEYS)}"
                    ),
                )
            )


def _item_starts(root: Node | None) -> list[tuple[int, int, str]]:
    """(line, column, id) where each item or thread of a file starts, in file order."""
    starts: list[tuple[int, int, str]] = []
    if not isinstance(root, Mapping):
        return starts
    for key, (_key_node, value) in root.entries.items():
        if key == "pack":
            starts.append((value.line, value.column, "pack"))
        elif isinstance(value, Sequence) and (key in KINDS_BY_KEY or key == "threads"):
            for node in value.items:
                if isinstance(node, Mapping):
                    starts.append((node.line, node.column, _id_of(node)))
    starts.sort()
    return starts


def _item_at(starts: list[tuple[int, int, str]], line: int, column: int) -> str:
    """The id of the item a position falls in: the last one starting before it, if the
    position is indented inside it (a top-level key after a list belongs to no item)."""
    index = bisect.bisect_right(starts, (line, column, "\uffff")) - 1
    if index < 0:
        return NO_ITEM
    start_line, start_column, item_id = starts[index]
    if line == start_line or column >= start_column:
        return item_id
    return NO_ITEM


def _entries(name: str, key: str, value: Node, problems: list[Problem]) -> list[Node]:
    if isinstance(value, Sequence):
        return value.items
    if isinstance(value, Scalar) and value.is_null:
        return []
    problems.append(
        Problem(
            name,
            value.line,
            value.column,
            NO_ITEM,
            f"'{key}' must be a list of mappings (each starting '- id: ...'), "
            f"found {value.describe()}",
        )
    )
    return []


def _id_of(node: Mapping) -> str:
    entry = node.entries.get("id")
    if entry is not None and isinstance(entry[1], Scalar) and entry[1].text:
        return entry[1].text
    return NO_ITEM


def _read_draft(
    name: str,
    node: Node,
    spec: Spec[V],
    make: Callable[[str, str, int, int, V], D],
    problems: list[Problem],
) -> D | None:
    item_id = _id_of(node) if isinstance(node, Mapping) else NO_ITEM

    def report(line: int, column: int, message: str) -> None:
        problems.append(Problem(name, line, column, item_id, message))

    values = FieldReader(report).read_object(node, spec)
    if values is None:
        return None
    return make(item_id, name, node.line, node.column, values)


def _add_item(draft: ItemDraft, drafts: Drafts, problems: list[Problem]) -> None:
    if "id" not in draft.values:
        return  # already reported as missing or wrong
    first = drafts.items.get(draft.id)
    if first is not None:
        problems.append(
            Problem(
                draft.file,
                draft.line,
                draft.column,
                draft.id,
                f"duplicate id '{draft.id}': the first is at {first.where} "
                f"({first.kind.value}); ids must be unique",
            )
        )
        return
    drafts.items[draft.id] = draft


def _collect_manifest(
    name: str, key_node: Scalar, value: Node, drafts: Drafts, problems: list[Problem]
) -> None:
    if drafts.manifest_written:
        first = drafts.manifest.where if drafts.manifest else "an earlier 'pack:' key"
        problems.append(
            Problem(
                name,
                key_node.line,
                key_node.column,
                NO_ITEM,
                f"second manifest: the first is at {first}; a pack has exactly one 'pack:' mapping",
            )
        )
        return

    drafts.manifest_written = True

    def report(line: int, column: int, message: str) -> None:
        problems.append(Problem(name, line, column, "pack", message))

    values = FieldReader(report).read_object(value, MANIFEST, "'pack'")
    if values is None:
        return
    drafts.manifest = ManifestDraft("pack", name, key_node.line, key_node.column, values)
    first_line: dict[str, int] = {}
    for era in values.get("eras", ()):
        era_id = era.get("id")
        if era_id is None:
            continue
        line, column = era[AT].line, era[AT].column
        if era_id in first_line:
            report(
                line,
                column,
                f"duplicate era id '{era_id}' (first at line {first_line[era_id]}): "
                "era ids must be unique",
            )
        first_line.setdefault(era_id, line)
