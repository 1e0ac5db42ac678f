"""One reading-progress store under test, SQLite or PostgreSQL, behind one face.

The shared store tests (`tests/unit/test_store.py`, `test_store_processes.py`) take
the `store` fixture, which runs each test once per backend: the same behaviour is
proved for both. `open()` insists the store is saving and has nothing to say.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from thaw_tui.progress import Progress
from thaw_tui.progress.store import open_progress, reset_progress

BACKENDS = ("sqlite", "postgres")


@dataclass(frozen=True)
class StoreUnderTest:
    backend: str
    state_dir: Path
    url: str | None  # None: SQLite in state_dir

    def open(self, reader: str = "alice", pack: str = "thaw") -> Progress:
        progress = open_progress(self.state_dir, reader, pack, self.url)
        assert progress.persistent, progress.notices
        assert progress.notices == []
        return progress

    def seen(self, reader: str = "alice", pack: str = "thaw") -> set[str]:
        """What a new session of `reader` finds saved."""
        progress = self.open(reader, pack)
        try:
            return set(progress.seen)
        finally:
            progress.close()

    def reset(self, reader: str = "alice", pack: str = "thaw") -> int:
        return reset_progress(self.state_dir, reader, pack, self.url)

    def child_args(self) -> tuple[str, str | None]:
        """What a child process needs to open the same store: (state dir, URL)."""
        return str(self.state_dir), self.url
