"""Which panes the main screen has, in key order. Plain data, no widgets.

Each pane has a role: it lists the items of one kind or the pack's threads, or it is
a picture (the map, who did what to whom). Code that treats a pane specially asks for
its role, never infers it from a missing kind, so a pane of one role is never taken
for another.
Pane titles are the group titles of the content model (`GroupNames.title`).
"""

from __future__ import annotations

from enum import Enum

from msgspec import Struct

from thaw_tui.pack.model import THREAD_NAMES, Kind


class PaneRole(Enum):
    ITEMS = "items"  # the items of one kind; opening a row opens its page
    THREADS = "threads"  # the pack's threads; opening a row shows its steps
    MAP = "map"  # the pack's maps; opening a marker opens its item's page
    RELATIONS = "relations"  # who did what to whom; opening a row opens its event


class PaneSpec(Struct, frozen=True):
    id: str  # also saved in reading progress as the reader's pane: do not rename
    title: str
    role: PaneRole
    kind: Kind | None = None  # what an ITEMS pane lists
    # One line under the tabs saying what the pane holds, and what its marks mean.
    # Glyphs in braces are filled in as the terminal can show them: {paragraph}.
    about: str = ""

    def __post_init__(self) -> None:
        if (self.role is PaneRole.ITEMS) != (self.kind is not None):
            raise ValueError(f"pane {self.id!r}: a kind goes with the items role, and only it")


def items_pane(pane_id: str, kind: Kind, about: str) -> PaneSpec:
    return PaneSpec(pane_id, kind.names.title, PaneRole.ITEMS, kind, about)


PANES: tuple[PaneSpec, ...] = (
    items_pane(
        "story", Kind.SECTION, "The article in its own order: {paragraph}1 is its first paragraph."
    ),
    items_pane("timeline", Kind.EVENT, "What happened, in date order, by period."),
    items_pane("actors", Kind.ACTOR, "The people, states and groups in the story."),
    items_pane("disputes", Kind.DISPUTE, "What the sides disagree on, and what each calls it."),
    items_pane("consequences", Kind.CONSEQUENCE, "What followed, and from what."),
    items_pane(
        "sources", Kind.SOURCE, "[2]: the article's footnote 2; context: a source added here."
    ),
    items_pane("glossary", Kind.TERM, "Words and names the story uses, explained."),
    PaneSpec(
        "threads",
        THREAD_NAMES.title,
        PaneRole.THREADS,
        about="Guided paths through the story: Enter shows the steps, c reads on.",
    ),
    PaneSpec("map", "Map", PaneRole.MAP),
    PaneSpec(
        "relations",
        "Who did what",
        PaneRole.RELATIONS,
        about="Who did what to whom; the events behind each pair below.",
    ),
)
PANES_BY_ID = {pane.id: pane for pane in PANES}
# The key that shows each pane: its place in the bar (the tenth is 0, as on a keyboard).
PANE_KEYS = {pane.id: str(number % 10) for number, pane in enumerate(PANES, 1)}
assert len(PANES) <= 10, "one digit key per pane"
# Every kind of item has its pane: an item opened from anywhere says where it lives.
PANE_FOR_KIND = {pane.kind: pane.id for pane in PANES if pane.kind is not None}
(THREADS_PANE,) = (pane for pane in PANES if pane.role is PaneRole.THREADS)


def pane_for_kind(kind: Kind) -> str | None:
    return PANE_FOR_KIND.get(kind)
