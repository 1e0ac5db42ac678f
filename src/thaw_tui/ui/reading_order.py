"""What each pane holds, in reading order, and where the next (or previous) unseen item
is: in the pane, else in the next pane that still has one (`n` and `N`, as newsboat's
next-unread carries on to the next feed). Plain logic over the pack; no widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from msgspec import Struct

from thaw_tui.pack.model import Pack
from thaw_tui.ui.pane_specs import PANES, PANES_BY_ID, PaneRole, PaneSpec

IsSeen = Callable[[str], bool]
# The panes `n` and `N` go on to: the lists of items, in key order (the map and the
# who-did-what matrix show items these panes hold).
ITEM_PANES = tuple(pane for pane in PANES if pane.role is PaneRole.ITEMS)


class Found(Struct, frozen=True):
    pane_id: str
    item_id: str

    @property
    def pane(self) -> PaneSpec:
        return PANES_BY_ID[self.pane_id]


class PaneOrders:
    """Each pane's item ids in its reading order, worked out on first use."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._orders: dict[str, tuple[str, ...]] = {}

    def items(self, pane_id: str) -> tuple[str, ...]:
        order = self._orders.get(pane_id)
        if order is None:
            order = self._orders[pane_id] = self._build(PANES_BY_ID[pane_id])
        return order

    def _build(self, spec: PaneSpec) -> tuple[str, ...]:
        if spec.role is PaneRole.ITEMS:
            assert spec.kind is not None
            return tuple(item.id for item in self.pack.of_kind(spec.kind))
        if spec.role is PaneRole.MAP:
            return tuple(item.id for item in self.pack.located())
        if spec.role is PaneRole.RELATIONS:
            from thaw_tui.pack.relations import relations_of

            return tuple(dict.fromkeys(relations_of(self.pack).events))
        return ()  # the threads pane lists threads, not items

    def unseen_count(self, pane_id: str, is_seen: IsSeen) -> int:
        """How many of the pane's rows are still to read (threads: not finished)."""
        if PANES_BY_ID[pane_id].role is PaneRole.THREADS:
            return sum(1 for thread in self.pack.threads if not all(map(is_seen, thread.steps)))
        return sum(1 for item_id in self.items(pane_id) if not is_seen(item_id))


def unseen_in(
    order: Sequence[str], after: str | None, is_seen: IsSeen, step: int = 1
) -> str | None:
    """The first unseen id after `after` in `order` (before it, with `step` -1),
    wrapping round; never `after` itself."""
    ids = list(order) if step > 0 else list(reversed(order))
    start = ids.index(after) + 1 if after in ids else 0
    for item_id in [*ids[start:], *ids[:start]]:
        if item_id != after and not is_seen(item_id):
            return item_id
    return None


def unseen_elsewhere(
    orders: PaneOrders, pane_id: str, is_seen: IsSeen, step: int = 1
) -> Found | None:
    """The next pane after `pane_id` (the previous, with `step` -1) that has an unseen
    item, and its first unseen item (its last, going back)."""
    ids = [pane.id for pane in PANES]
    start = ids.index(pane_id)
    for offset in range(1, len(ids)):
        spec = PANES[(start + offset * step) % len(ids)]
        if spec not in ITEM_PANES:
            continue
        order = orders.items(spec.id)
        found = next((i for i in order[:: 1 if step > 0 else -1] if not is_seen(i)), None)
        if found is not None:
            return Found(spec.id, found)
    return None
