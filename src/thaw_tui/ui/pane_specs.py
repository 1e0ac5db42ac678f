"""Which panes the main screen has, in key order. Plain data, no widgets.

Each pane has a role: it lists the items of one kind or the pack's threads, or it is
a picture (the map, who did what to whom). Code that treats a pane specially asks for
its role, never infers it from a missing kind, so a pane of one role is never taken
for another.
Pane titles are the group titles of the content model (`GroupNames.title`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from thaw_tui.pack.model import THREAD_NAMES, Kind


class PaneRole(Enum):
    ITEMS = "items"  # the items of one kind; opening a row opens its page
    THREADS = "threads"  # the pack's threads; opening a row shows its steps
    MAP = "map"  # the pack's maps; opening a marker opens its item's page
    RELATIONS = "relations"  # who did what to whom; opening a row opens its event


@dataclass(frozen=True)
class PaneSpec:
    id: str  # also saved in reading progress as the reader's pane: do not rename
    title: str
    role: PaneRole
    kind: Kind | None = None  # what an ITEMS pane lists

    def __post_init__(self) -> None:
        if (self.role is PaneRole.ITEMS) != (self.kind is not None):
            raise ValueError(f"pane {self.id!r}: a kind goes with the items role, and only it")


def items_pane(pane_id: str, kind: Kind) -> PaneSpec:
    return PaneSpec(pane_id, kind.names.title, PaneRole.ITEMS, kind)


PANES: tuple[PaneSpec, ...] = (
    items_pane("story", Kind.SECTION),
    items_pane("timeline", Kind.EVENT),
    items_pane("actors", Kind.ACTOR),
    items_pane("disputes", Kind.DISPUTE),
    items_pane("consequences", Kind.CONSEQUENCE),
    items_pane("sources", Kind.SOURCE),
    items_pane("glossary", Kind.TERM),
    PaneSpec("threads", THREAD_NAMES.title, PaneRole.THREADS),
    PaneSpec("map", "Map", PaneRole.MAP),
    PaneSpec("relations", "Who did what", PaneRole.RELATIONS),
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
