"""Load a content pack: read every YAML file, check everything, build the model.

`load_pack` raises `PackError` listing every problem; `read_pack` returns the
problems instead (that is what `thaw validate` uses). No textual or rich here.
"""

from __future__ import annotations

from pathlib import Path

from thaw_tui.pack.build import build_pack
from thaw_tui.pack.checking.collect import collect_drafts
from thaw_tui.pack.checking.references import check_drafts
from thaw_tui.pack.checking.suggest import reset_budget
from thaw_tui.pack.gc_paused import gc_paused
from thaw_tui.pack.model import Pack
from thaw_tui.pack.problems import PackError, Problem, format_report, summary_line

__all__ = [
    "PackError",
    "Problem",
    "format_report",
    "load_pack",
    "read_pack",
    "summary_line",
]


def read_pack(path: Path | None = None) -> tuple[Pack | None, list[Problem]]:
    """The pack and every problem found in it; the pack is None if there are problems."""
    if path is None:
        from thaw_tui.paths import default_content_dir

        path = default_content_dir()
    # The collector waits while the pack is built, and comes back once the YAML nodes
    # and drafts are gone (when `_read` returns): its first full collection then walks
    # the pack alone, whose records it does not track (model.Record), not a
    # 10,000-item pack's nodes and drafts as well (a quarter of that load's time).
    with gc_paused():
        return _read(Path(path))


def _read(path: Path) -> tuple[Pack | None, list[Problem]]:
    reset_budget()
    problems: list[Problem] = []
    drafts = collect_drafts(path, problems)
    check_drafts(drafts, problems)
    problems.sort()
    if problems or drafts.manifest is None:
        return None, problems
    return build_pack(drafts), problems


def load_pack(path: Path | None = None) -> Pack:
    """Load, check and resolve a pack. None means the shipped pack.

    Raises `PackError` (whose `problems` lists everything wrong) if the pack has
    any problem, including a folder that does not exist.
    """
    pack, problems = read_pack(path)
    if pack is None:
        raise PackError(problems)
    return pack
