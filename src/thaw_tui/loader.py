"""Load a content pack: read every YAML file, check everything, build the model.

`load_pack` raises `PackError` listing every problem; `read_pack` returns the
problems instead (that is what `thaw validate` uses). No textual or rich here.
"""

from __future__ import annotations

import gc
import hashlib
from pathlib import Path

from thaw_tui.loading.build import build_pack
from thaw_tui.loading.checks import check_drafts
from thaw_tui.loading.collect import collect_drafts
from thaw_tui.loading.problems import PackError, Problem, format_report, summary_line
from thaw_tui.loading.suggest import reset_budget
from thaw_tui.model import Item, Pack

__all__ = [
    "PackError",
    "Problem",
    "format_report",
    "item_fingerprint",
    "load_pack",
    "read_pack",
    "summary_line",
]


def read_pack(path: Path | None = None) -> tuple[Pack | None, list[Problem]]:
    """The pack and every problem found in it; the pack is None if there are problems."""
    if path is None:
        from thaw_tui.paths import default_content_dir

        path = default_content_dir()
    # Loading allocates hundreds of thousands of small objects that all stay alive;
    # the cyclic garbage collector would rescan them again and again (it doubles the
    # load time of a 10,000-item pack), so it is paused until the pack is built.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        reset_budget()
        problems: list[Problem] = []
        drafts = collect_drafts(Path(path), problems)
        check_drafts(drafts, problems)
        problems.sort()
        if problems or drafts.manifest is None:
            return None, problems
        return build_pack(drafts), problems
    finally:
        if gc_was_enabled:
            gc.enable()


def load_pack(path: Path | None = None) -> Pack:
    """Load, check and resolve a pack. None means the shipped pack.

    Raises `PackError` (whose `problems` lists everything wrong) if the pack has
    any problem, including a folder that does not exist.
    """
    pack, problems = read_pack(path)
    if pack is None:
        raise PackError(problems)
    return pack


def item_fingerprint(item: Item) -> str:
    """A short hash of an item's content, stable across runs and machines.

    The tracker compares it between sessions to flag items whose text changed.
    It hashes the item's dataclass repr: every field, in declaration order, with
    strings quoted and escaped (so unambiguous) and nothing that depends on
    memory addresses or hash seeds. That is four times faster than going through
    `dataclasses.asdict` + JSON, which matters when a UI fingerprints 10,000 items.
    """
    return hashlib.blake2b(repr(item).encode("utf-8"), digest_size=8).hexdigest()
