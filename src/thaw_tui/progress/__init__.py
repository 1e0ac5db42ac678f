"""Reading progress: what the reader has seen, with undo, and where they were.

`Progress` is the interface the reader UI talks to. By itself it keeps progress in
memory (anonymous SSH readers, and the fallback when nothing can be written);
`thaw_tui.progress.sqlite.SqliteProgress` keeps it in a file and
`thaw_tui.progress.postgres.PostgresProgress` in PostgreSQL, both opened through
`thaw_tui.progress.store.open_progress`. No textual or rich here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from msgspec import Struct


class ProgressStoreError(Exception):
    """The store could not be changed; the message says why, as a sentence."""


class Position(Struct, frozen=True):
    """Where the reader was: the pane, the item open last, and the thread followed."""

    pane: str | None = None
    item_id: str | None = None
    thread_id: str | None = None


class PackDelta(Struct, frozen=True):
    """Items added or changed since the reader's previous session with this pack."""

    new: frozenset[str] = frozenset()
    changed: frozenset[str] = frozenset()


class Progress:
    """In-memory progress. Subclasses persist each change as it happens."""

    def __init__(
        self,
        *,
        seen: Iterable[str] = (),
        position: Position | None = None,
        settings: Mapping[str, str] | None = None,
    ) -> None:
        self.seen: set[str] = set(seen)
        self.position = position
        # Sentences the reader should see once (e.g. "progress file was corrupt, moved
        # to ...").
        self.notices: list[str] = []
        # Small per-reader preferences, e.g. {"theme": "nord"}.
        self.settings: dict[str, str] = dict(settings or {})
        self._undo: list[dict[str, bool]] = []

    # --- what the UI asks -------------------------------------------------------
    @property
    def persistent(self) -> bool:
        """False when changes are not being saved (show "progress not saved").

        It can change during a session (a database that goes away and comes back):
        read it again rather than keeping it."""
        return False

    @property
    def exit_notice(self) -> str | None:
        """After `close()`: a sentence for the reader when changes were lost (None: none)."""
        return None

    def is_seen(self, item_id: str) -> bool:
        return item_id in self.seen

    def count_seen(self, item_ids: Iterable[str]) -> int:
        return sum(1 for item_id in item_ids if item_id in self.seen)

    # --- what the UI changes ----------------------------------------------------
    def mark(self, item_ids: Iterable[str], seen: bool = True) -> bool:
        """Set seen state of items as one undoable step. True if anything changed."""
        before = {item_id: item_id in self.seen for item_id in item_ids}
        changed = {item_id: was for item_id, was in before.items() if was != seen}
        if not changed:
            return False
        self._apply({item_id: seen for item_id in changed})
        self._undo.append(changed)
        return True

    def toggle(self, item_id: str) -> bool:
        """Flip one item's seen state; returns the new state."""
        new_state = not self.is_seen(item_id)
        self.mark([item_id], new_state)
        return new_state

    def undo(self) -> list[str]:
        """Revert the last mark/toggle; returns the ids it touched (empty: nothing to undo)."""
        if not self._undo:
            return []
        previous = self._undo.pop()
        self._apply(previous)
        return list(previous)

    def reset(self) -> None:
        """Forget everything this reader has seen (not undoable; confirm first)."""
        self.seen.clear()
        self._undo.clear()
        self.position = None

    def remember_position(self, position: Position) -> None:
        self.position = position

    def remember_setting(self, key: str, value: str) -> None:
        self.settings[key] = value

    def note_pack(self, version: str, fingerprints: Mapping[str, str]) -> PackDelta:
        """Record the pack as read now; return what is new or changed since last time.

        `fingerprints` maps item id to a hash of its content. In memory there is no
        previous session, so nothing is new.
        """
        return PackDelta()

    def refresh(self) -> None:
        """Pick up changes made by other sessions of the same reader."""

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every change made so far is saved; False when some are not.

        Stores that write as each change is made return at once."""
        return self.persistent

    def close(self) -> None:
        """Release resources, saving what can still be saved (see `exit_notice`)."""

    # --- for subclasses -----------------------------------------------------------
    def _apply(self, states: Mapping[str, bool]) -> None:
        for item_id, seen in states.items():
            if seen:
                self.seen.add(item_id)
            else:
                self.seen.discard(item_id)
