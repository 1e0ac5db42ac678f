"""Which panes the main screen has, in key order. Plain data, no widgets."""

from __future__ import annotations

from dataclasses import dataclass

from thaw_tui.pack.model import Kind


@dataclass(frozen=True)
class PaneSpec:
    id: str
    title: str
    kind: Kind | None  # None: the Threads pane


PANES: tuple[PaneSpec, ...] = (
    PaneSpec("story", "Story", Kind.SECTION),
    PaneSpec("timeline", "Timeline", Kind.EVENT),
    PaneSpec("actors", "Actors", Kind.ACTOR),
    PaneSpec("disputes", "Disputes", Kind.DISPUTE),
    PaneSpec("consequences", "Consequences", Kind.CONSEQUENCE),
    PaneSpec("sources", "Sources", Kind.SOURCE),
    PaneSpec("threads", "Threads", None),
)
PANES_BY_ID = {pane.id: pane for pane in PANES}
# Glossary terms have no pane of their own; they open from links and the palette.
PANE_FOR_KIND = {pane.kind: pane.id for pane in PANES if pane.kind is not None}


def pane_for_kind(kind: Kind) -> str | None:
    return PANE_FOR_KIND.get(kind)
