"""Checks across items: links, provenance, threads, eras, citations and dates.

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
    Located,
    ProvenanceValues,
    SectionDraft,
    SourceDraft,
    ThreadDraft,
)
from thaw_tui.pack.checking.fields import AT, Ref
from thaw_tui.pack.checking.maps import Report, place_locations
from thaw_tui.pack.checking.suggest import did_you_mean
from thaw_tui.pack.model import DERIVED_RELATIONS, RELATIONS, Era, Kind, PartialDate
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

    def report_for(self, draft: Draft[Any]) -> Report:
        def report(line: int, column: int, message: str) -> None:
            self.report(draft, line, column, message)

        return report

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
        _check_fact_checks(checker, draft, cited)
        if isinstance(draft, EventDraft):
            _check_actions(checker, draft)
    _check_map_sources(checker, cited)
    place_locations(drafts, checker.report_for)
    article = drafts.manifest.values.get("published") if drafts.manifest else None
    eras = _eras(checker)
    for draft in drafts.items.values():
        if isinstance(draft, EventDraft):
            _check_event_date(checker, draft, article)
            _check_event_era(checker, draft, eras)
    threaded = _check_thread_steps(checker)
    _check_thread_order(checker)
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


def _eras(checker: _Checker) -> dict[str, Era]:
    """The manifest's eras by id, with their years; years the wrong way round are
    reported, and the era is then left open (its events cannot be judged)."""
    manifest = checker.drafts.manifest
    if manifest is None:
        return {}
    eras: dict[str, Era] = {}
    for era in manifest.values.get("eras", ()):
        if "id" not in era:
            continue
        first, last = era.get("from"), era.get("to")
        if first is not None and last is not None and first > last:
            line, column = _value_at(era, "to")
            checker.report(
                manifest,
                line,
                column,
                f"era '{era['id']}' ends before it starts ('to' {last} is before 'from' "
                f"{first}): swap the two years",
            )
            first = last = None
        eras.setdefault(era["id"], Era(era["id"], era.get("title", ""), first, last))
    return eras


def _value_at(values: Located, key: str) -> tuple[int, int]:
    """Where the value of `key` was written in a mapping (the mapping itself if absent)."""
    mapping = values[AT]
    entry = mapping.entries.get(key)
    node = entry[1] if entry is not None else mapping
    return node.line, node.column


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


# --- fact-check notes ---------------------------------------------------------------


def _check_fact_checks(checker: _Checker, draft: ItemDraft, cited: set[str]) -> None:
    """Every source a note names exists and is a source; naming it counts as citing it."""
    for note in draft.values.get("fact_checks", ()):
        for source in note.get("sources", ()):
            if checker.check_ref(draft, source, (Kind.SOURCE,), "a fact check's source"):
                if source.target != draft.id:
                    cited.add(source.target)


# --- who did what to whom, and where the maps come from ------------------------------


def _check_actions(checker: _Checker, draft: EventDraft) -> None:
    """Every actor of an action exists and is an actor, and none acts on itself."""
    for action in draft.values.get("actions", ()):
        by, to = action.get("by", ()), action.get("to", ())
        for ref in (*by, *to):
            checker.check_ref(draft, ref, (Kind.ACTOR,), "an action's actor")
        doers = {ref.target for ref in by}
        for ref in to:
            if ref.target in doers:
                checker.report(
                    draft,
                    ref.line,
                    ref.column,
                    f"'{ref.target}' is both 'by' and 'to' in one action: an action is done "
                    "by one side to another",
                )


def _check_map_sources(checker: _Checker, cited: set[str]) -> None:
    """Each map names the source its data comes from; naming it counts as citing it."""
    manifest = checker.drafts.manifest
    if manifest is None:
        return
    for entry in manifest.values.get("maps", ()):
        source = entry.get("source")
        if source is not None and checker.check_ref(
            manifest, source, (Kind.SOURCE,), "a map's source"
        ):
            cited.add(source.target)


# --- dates: what an event's provenance can vouch for, and its era -------------------


def _check_event_date(checker: _Checker, draft: EventDraft, article: PartialDate | None) -> None:
    """An event may be dated no more precisely, and no later, than its provenance allows.

    A source can only vouch for an event it could have reported: one published on or
    after the event (an undated source gets the benefit of the doubt). The article's
    paragraphs vouch for a year, if the article came out after it, but not for a month
    or a day: the article's own dates are among what fact checks correct, so a date
    that precise must come from a cited source.
    """
    values = draft.values
    date, provenance = values.get("date"), values.get("provenance")
    if date is None or provenance is None:
        return
    sources: list[SourceDraft] = []
    for ref in provenance.get("sources", ()):
        target = checker.items.get(ref.target)
        if not isinstance(target, SourceDraft):
            return  # reported as a bad reference; what it would vouch for is unknown
        sources.append(target)
    if not (provenance.get("paragraphs") or sources):
        return  # reported as an item without provenance
    if any(_could_report(source, date) for source in sources):
        return
    by_article = bool(provenance.get("paragraphs")) and date.precision == "year"
    if by_article and (article is None or date.earliest <= article.latest):
        return
    line, column = _value_at(values, "date")
    if not sources:
        if date.precision == "year":
            assert article is not None
            message = (
                f"date {date} is later than the article ({article.human()}), which cannot "
                "report it: cite a source that does in provenance.sources, or correct the date"
            )
        else:
            message = (
                f"date {date} gives the {date.precision}, but the item cites no source and "
                f"article paragraphs alone do not vouch for a {date.precision}: cite a source "
                f'that gives it in provenance.sources, or write only the year ("{date.year}")'
            )
    else:
        latest = max(sources, key=lambda source: source.values["published"].latest)
        when = latest.values["published"].human()
        message = (
            f"date {date} is later than every source the item cites was published (the "
            f"latest, '{latest.id}', is from {when}), so none of them can report it: cite one "
            "that does, or correct the date"
        )
    checker.report(draft, line, column, message)


def _could_report(source: SourceDraft, date: PartialDate) -> bool:
    published = source.values.get("published")
    return published is None or date.earliest <= published.latest


def _years(era: Era) -> str:
    first = "" if era.first_year is None else str(era.first_year)
    last = "" if era.last_year is None else str(era.last_year)
    return f"{first}–{last}"


def _check_event_era(checker: _Checker, draft: EventDraft, eras: dict[str, Era]) -> None:
    values = draft.values
    date, era_ref = values.get("date"), values.get("era")
    era = eras.get(era_ref.target) if era_ref is not None else None
    if date is None or era_ref is None or era is None or era.covers(date.year):
        return
    fitting = [other.id for other in eras.values() if other.covers(date.year)]
    if fitting:
        fix = f"file it under '{fitting[0]}', which covers {date.year}, or correct the date"
    else:
        fix = f"no era covers {date.year}: correct the date or widen an era's 'from' and 'to'"
    checker.report(
        draft,
        era_ref.line,
        era_ref.column,
        f"the event is dated {date}, outside era '{era.id}' ({_years(era)}): {fix}",
    )


# --- threads that promise date order ------------------------------------------------


def _check_thread_order(checker: _Checker) -> None:
    """In a thread with `ordered: by-date`, no event may come before one it follows.

    Dates are compared as the spans they may mean: "2014-08" may be any day of
    August, so it fits before or after "2014-08-05"; only a step that must be earlier
    than a step before it is out of order. Steps that are not events have no date.
    """
    for thread in checker.drafts.threads:
        if thread.values.get("ordered") != "by-date":
            continue
        furthest: tuple[str, PartialDate] | None = None  # the step that starts latest
        for step in thread.values.get("steps", ()):
            target = checker.items.get(step.target)
            if not isinstance(target, EventDraft) or "date" not in target.values:
                continue
            date = target.values["date"]
            if furthest is not None and date.latest < furthest[1].earliest:
                before, before_date = furthest
                checker.report(
                    thread,
                    step.line,
                    step.column,
                    f"step '{step.target}' ({date.human()}) comes after '{before}' "
                    f"({before_date.human()}) in a thread ordered by date: move it before "
                    f"'{before}', or drop 'ordered: by-date'",
                )
                continue
            if furthest is None or date.earliest > furthest[1].earliest:
                furthest = (step.target, date)
