"""Checks across items: links, provenance, threads, eras and citations.

Everything here is linear in the size of the pack (dict and set lookups only);
`difflib` suggestions are computed only for ids that are actually wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from thaw_tui.pack.checking.drafts import (
    DisputeDraft,
    Draft,
    Drafts,
    EventDraft,
    ItemDraft,
    ProvenanceValues,
    SectionDraft,
    SourceDraft,
    ThreadDraft,
)
from thaw_tui.pack.checking.fields import AT, Ref
from thaw_tui.pack.checking.suggest import did_you_mean
from thaw_tui.pack.model import DERIVED_RELATIONS, RELATIONS, Kind
from thaw_tui.pack.problems import Problem

AUTHORED_RELATIONS = tuple(name for name in RELATIONS if name not in DERIVED_RELATIONS)


def a(kind: Kind) -> str:
    """'an actor', 'a source'."""
    article = "an" if kind.value[0] in "aeiou" else "a"
    return f"{article} {kind.value}"


class _Checker:
    def __init__(self, drafts: Drafts, problems: list[Problem]) -> None:
        self.drafts = drafts
        self.problems = problems
        self.items = drafts.items
        self._ids_by_kind: dict[Kind, list[str]] = {}
        self.sections_complete = True  # every section has a usable paragraph number

    def report(self, draft: Draft[Any], line: int, column: int, message: str) -> None:
        self.problems.append(Problem(draft.file, line, column, draft.id, message))

    def ids_of(self, kind: Kind) -> list[str]:
        if kind not in self._ids_by_kind:
            self._ids_by_kind[kind] = [i for i, d in self.items.items() if d.kind is kind]
        return self._ids_by_kind[kind]

    # --- a reference to an item of a given kind (or any kind) ------------------------
    def check_ref(self, draft: Draft[Any], ref: Ref, kinds: tuple[Kind, ...], what: str) -> bool:
        """Report a dangling or wrong-kind reference; True when it is fine."""
        target = self.items.get(ref.target)
        if target is None:
            if len(kinds) == 1:
                noun, choices = kinds[0].value, self.ids_of(kinds[0])
            else:
                noun, choices = "item", list(self.items)
            self.report(
                draft,
                ref.line,
                ref.column,
                f"unknown {noun} '{ref.target}'"
                + (did_you_mean(ref.target, choices) or f": no {noun} has this id"),
            )
            return False
        if kinds and target.kind not in kinds:
            wanted = " or ".join(a(kind) for kind in kinds)
            self.report(
                draft,
                ref.line,
                ref.column,
                f"{what} must be {wanted}, but '{ref.target}' is {a(target.kind)} "
                f"(at {target.where})",
            )
            return False
        return True


def check_drafts(drafts: Drafts, problems: list[Problem]) -> None:
    checker = _Checker(drafts, problems)
    sections = _check_section_paragraphs(checker)
    era_ids = _era_ids(drafts)
    for draft in drafts.items.values():
        _check_local(checker, draft, era_ids)
    _check_thread_shapes(checker)
    if not drafts.complete:
        return  # a file could not be read: references into it would all look dangling
    cited: set[str] = set()
    for draft in drafts.items.values():
        _check_references(checker, draft, sections, cited)
    threaded = _check_thread_steps(checker)
    for item_id, draft in drafts.items.items():
        if item_id not in threaded:
            checker.report(
                draft,
                draft.line,
                draft.column,
                "item is in no thread: add it to the steps of at least one thread",
            )
        if draft.kind is Kind.SOURCE and item_id not in cited:
            checker.report(
                draft,
                draft.line,
                draft.column,
                f"source '{item_id}' is cited by nothing: list it in the provenance.sources "
                "of the items that rest on it, or remove it",
            )


def _era_ids(drafts: Drafts) -> list[str] | None:
    """The manifest's era ids, or None when there is no usable manifest to check against."""
    if drafts.manifest is None:
        return None
    return [era["id"] for era in drafts.manifest.values.get("eras", ()) if "id" in era]


def _check_section_paragraphs(checker: _Checker) -> dict[int, SectionDraft]:
    sections: dict[int, SectionDraft] = {}
    for draft in checker.items.values():
        if not isinstance(draft, SectionDraft):
            continue
        if "paragraph" not in draft.values:
            # Already reported; without it, paragraph references cannot be judged.
            checker.sections_complete = False
            continue
        number = draft.values["paragraph"]
        first = sections.get(number)
        if first is not None:
            checker.report(
                draft,
                draft.line,
                draft.column,
                f"duplicate section paragraph {number}: section '{first.id}' at {first.where} "
                "already digests it",
            )
            continue
        sections[number] = draft
    return sections


def _check_local(checker: _Checker, draft: ItemDraft, era_ids: list[str] | None) -> None:
    values = draft.values
    provenance = values.get("provenance")
    # A missing `provenance` is reported as a missing field where it is required.
    if provenance is not None and not (provenance.get("paragraphs") or provenance.get("sources")):
        line, column = provenance[AT].line, provenance[AT].column
        checker.report(
            draft,
            line,
            column,
            "item has no provenance: list article paragraphs (provenance.paragraphs) "
            "or sources (provenance.sources)",
        )
    for relation, relation_ref, _target in values.get("links", ()):
        if relation in DERIVED_RELATIONS:
            where = "provenance.sources" if relation == "cites" else "the dispute's sides"
            checker.report(
                draft,
                relation_ref.line,
                relation_ref.column,
                f"'{relation}' links are derived from {where}: do not write them under links",
            )
        elif relation not in RELATIONS:
            checker.report(
                draft,
                relation_ref.line,
                relation_ref.column,
                f"unknown relation '{relation}'{did_you_mean(relation, AUTHORED_RELATIONS)}",
            )
    era = draft.values.get("era") if isinstance(draft, EventDraft) else None
    if era is not None and era_ids is not None and era.target not in era_ids:
        hint = did_you_mean(era.target, era_ids) or (
            "" if era_ids else ": the manifest defines no eras"
        )
        checker.report(draft, era.line, era.column, f"unknown era '{era.target}'{hint}")


def _check_references(
    checker: _Checker, draft: ItemDraft, sections: dict[int, SectionDraft], cited: set[str]
) -> None:
    values = draft.values
    provenance = values.get("provenance")
    if provenance is not None:
        _check_provenance(checker, draft, provenance, sections, cited)
    for relation_name, _relation_ref, target in values.get("links", ()):
        relation = RELATIONS.get(relation_name)
        if relation is None or relation_name in DERIVED_RELATIONS:
            continue
        if target.target == draft.id:
            checker.report(
                draft,
                target.line,
                target.column,
                f"'{relation_name}' links the item to itself: remove it",
            )
            continue
        checker.check_ref(draft, target, relation.target_kinds, f"'{relation_name}'")
    if isinstance(draft, DisputeDraft):
        for side in draft.values.get("sides", ()):
            actor = side.get("actor")
            if actor is not None:
                checker.check_ref(draft, actor, (Kind.ACTOR,), "a side's actor")


def _check_provenance(
    checker: _Checker,
    draft: ItemDraft,
    provenance: ProvenanceValues,
    sections: dict[int, SectionDraft],
    cited: set[str],
) -> None:
    for paragraph in provenance.get("paragraphs", ()):
        if paragraph.value not in sections and checker.sections_complete:
            checker.report(
                draft,
                paragraph.line,
                paragraph.column,
                f"paragraph {paragraph.value} has no story section: fix the number or add "
                f"a section with 'paragraph: {paragraph.value}'",
            )
    context_sources: list[Ref] = []
    origins_known = True
    for source in provenance.get("sources", ()):
        if source.target == draft.id:
            continue  # a source may name itself as its own provenance
        if checker.check_ref(draft, source, (Kind.SOURCE,), "a provenance source"):
            cited.add(source.target)
            target = checker.items[source.target]
            assert isinstance(target, SourceDraft)  # check_ref saw to that
            origin = target.values.get("origin")
            origins_known = origins_known and origin is not None
            if origin == "context":
                context_sources.append(source)
    if draft.kind is Kind.SOURCE or not origins_known:
        # A source's own provenance says where it is cited, not what it adds; and a
        # source with a bad origin is already reported, so the rule cannot be judged.
        return
    has_note = "context" in provenance
    line, column = provenance[AT].line, provenance[AT].column
    if has_note and not context_sources:
        checker.report(
            draft,
            line,
            column,
            "provenance has a context note but cites no source with origin 'context': "
            "add the outside source to provenance.sources",
        )
    if context_sources and not has_note:
        first = context_sources[0]
        checker.report(
            draft,
            first.line,
            first.column,
            f"cites context source '{first.target}' but has no provenance.context note: "
            "say what this item adds from outside the article",
        )


def _check_thread_shapes(checker: _Checker) -> None:
    first_at: dict[str, ThreadDraft] = {}
    for thread in checker.drafts.threads:
        if thread.id in first_at and "id" in thread.values:
            first = first_at[thread.id]
            checker.report(
                thread,
                thread.line,
                thread.column,
                f"duplicate thread id '{thread.id}': the first is at {first.where}",
            )
        first_at.setdefault(thread.id, thread)
        step_lines: dict[str, int] = {}
        for step in thread.values.get("steps", ()):
            if step.target in step_lines:
                checker.report(
                    thread,
                    step.line,
                    step.column,
                    f"step '{step.target}' is listed twice in this thread "
                    f"(first at line {step_lines[step.target]})",
                )
            step_lines.setdefault(step.target, step.line)


def _check_thread_steps(checker: _Checker) -> set[str]:
    threaded: set[str] = set()
    all_ids: Iterable[str] = checker.items
    for thread in checker.drafts.threads:
        for step in thread.values.get("steps", ()):
            if step.target in checker.items:
                threaded.add(step.target)
                continue
            checker.report(
                thread,
                step.line,
                step.column,
                f"thread step '{step.target}' is not an item"
                + (did_you_mean(step.target, all_ids) or ": fix the id or remove the step"),
            )
    return threaded
