"""Items and threads as read from YAML, before they become model objects.

A draft keeps the checked field values together with where the item was
written, so cross-reference checks can point at the exact line and column.

The values are plain dicts (fast to fill), typed here as one TypedDict per spec in
`specs.py`: a key per field, holding what `FieldReader` makes of that field's type
(`Type.REF` -> `Ref`, `Type.DATE` -> `PartialDate`, a nested spec -> its TypedDict).
Each spec names its TypedDict, and `tests/unit/test_loader.py` checks the two agree,
so mypy can hold `build.py` to exactly what the loader produces.

A key is `Required` only where its spec requires the field. Even then it is
guaranteed only for a pack without problems, which is when `build.py` runs; the
checks in `references.py` run on broken packs too and must use `.get` or `in`.
"""

# No `from __future__ import annotations` here: TypedDict reads NotRequired and
# Required from evaluated annotations, so `__required_keys__` stays right at run time.

from dataclasses import dataclass, field
from typing import ClassVar, Generic, NotRequired, Required, TypeAlias, TypedDict, TypeVar

from thaw_tui.pack.atlas import Atlas
from thaw_tui.pack.checking.fields import IntAt, LocationAt, Ref
from thaw_tui.pack.model import Kind, MapLocation, PartialDate
from thaw_tui.pack.reading.yaml_nodes import Mapping

# Every mapping read keeps its node under fields.AT ("@at"), for its position.
Located = TypedDict("Located", {"@at": Mapping})


class ProvenanceValues(Located, total=False):
    paragraphs: list[IntAt]
    sources: list[Ref]
    context: str


class FactCheckValues(Located):
    article_says: str
    sources_say: str
    sources: list[Ref]


class ItemValues(Located, total=False):
    """The fields every item kind has."""

    id: Required[str]
    title: Required[str]
    aliases: list[str]
    summary: Required[str]
    body: str  # required for some kinds only
    provenance: ProvenanceValues  # required for some kinds only
    links: list[tuple[str, Ref, Ref]]  # (relation, where it was written, target)
    fact_checks: list[FactCheckValues]
    location: LocationAt


class SectionValues(ItemValues):
    paragraph: int


class ActionValues(Located):
    kind: str
    by: list[Ref]
    to: list[Ref]


class EventValues(ItemValues):
    date: PartialDate
    era: Ref
    actions: NotRequired[list[ActionValues]]


class ActorValues(ItemValues):
    kind: str
    role: str
    names: NotRequired[list[tuple[str, str]]]  # (language code, name)


class SideValues(Located):
    actor: Ref
    name: str
    native_name: NotRequired[str]
    position: str


class DisputeValues(ItemValues):
    sides: list[SideValues]


class ConsequenceValues(ItemValues):
    pass


class SourceValues(ItemValues):
    origin: str
    authors: NotRequired[list[str]]
    outlet: str
    published: NotRequired[PartialDate]
    accessed: NotRequired[PartialDate]
    url: NotRequired[str]
    footnote: NotRequired[int]
    note: NotRequired[str]


class TermValues(ItemValues):
    pass


class ThreadValues(Located):
    id: str
    title: str
    summary: str
    steps: list[Ref]
    ordered: NotRequired[str]


# `from` is a Python keyword, so this shape is spelt out in the functional form
# (which cannot inherit Located: its "@at" key is repeated here).
EraValues = TypedDict(
    "EraValues",
    {
        "@at": Mapping,
        "id": str,
        "title": str,
        "from": NotRequired[int],
        "to": NotRequired[int],
    },
)


class MapFileValues(Located):
    file: str
    source: Ref


class ManifestValues(Located):
    id: str
    title: str
    subtitle: NotRequired[str]
    author: str
    published: PartialDate
    language: str
    version: str
    url: NotRequired[str]
    eras: NotRequired[list[EraValues]]
    maps: NotRequired[list[MapFileValues]]


V = TypeVar("V")


@dataclass
class Draft(Generic[V]):
    id: str
    file: str
    line: int
    column: int
    values: V

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class _ItemDraft(Draft[V]):
    kind: ClassVar[Kind]


class SectionDraft(_ItemDraft[SectionValues]):
    kind = Kind.SECTION


class EventDraft(_ItemDraft[EventValues]):
    kind = Kind.EVENT


class ActorDraft(_ItemDraft[ActorValues]):
    kind = Kind.ACTOR


class DisputeDraft(_ItemDraft[DisputeValues]):
    kind = Kind.DISPUTE


class ConsequenceDraft(_ItemDraft[ConsequenceValues]):
    kind = Kind.CONSEQUENCE


class SourceDraft(_ItemDraft[SourceValues]):
    kind = Kind.SOURCE


class TermDraft(_ItemDraft[TermValues]):
    kind = Kind.TERM


ItemDraft: TypeAlias = (
    SectionDraft
    | EventDraft
    | ActorDraft
    | DisputeDraft
    | ConsequenceDraft
    | SourceDraft
    | TermDraft
)
ITEM_DRAFTS: dict[Kind, type[ItemDraft]] = {
    draft.kind: draft
    for draft in (
        SectionDraft,
        EventDraft,
        ActorDraft,
        DisputeDraft,
        ConsequenceDraft,
        SourceDraft,
        TermDraft,
    )
}


class ThreadDraft(Draft[ThreadValues]):
    pass


class ManifestDraft(Draft[ManifestValues]):
    pass


@dataclass
class MapDraft:
    """A map file named in the manifest, as read: its bytes, and its atlas once they
    parsed (None when they did not: the problem is reported where the file is named)."""

    values: MapFileValues
    data: bytes = b""
    atlas: Atlas | None = None


@dataclass
class Drafts:
    """Everything read from a pack's files."""

    manifest: ManifestDraft | None = None
    manifest_written: bool = False  # a 'pack:' key was found, even if it was unusable
    items: dict[str, ItemDraft] = field(default_factory=dict)
    threads: list[ThreadDraft] = field(default_factory=list)
    complete: bool = True  # False when a file could not be read to the end
    maps: list[MapDraft] = field(default_factory=list)  # the manifest's, read by maps.py
    locations: dict[str, MapLocation] = field(default_factory=dict)  # placed by maps.py
