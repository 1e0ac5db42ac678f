"""Items and threads as read from YAML, before they become model objects.

A draft keeps the checked field values together with where the item was
written, so cross-reference checks can point at the exact line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from thaw_tui.pack.model import Kind


@dataclass
class Draft:
    kind: Kind | None  # None for threads
    id: str
    file: str
    line: int
    column: int
    values: dict[str, Any]

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass
class Drafts:
    """Everything read from a pack's files."""

    manifest: Draft | None = None
    manifest_written: bool = False  # a 'pack:' key was found, even if it was unusable
    items: dict[str, Draft] = field(default_factory=dict)
    threads: list[Draft] = field(default_factory=list)
    complete: bool = True  # False when a file could not be read to the end
