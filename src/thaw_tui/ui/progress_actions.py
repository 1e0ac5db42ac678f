"""Tracker steps the screens share: what is next, and undoing the last change."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.screen import Screen

from thaw_tui.pack.model import Pack, Thread
from thaw_tui.progress import Progress
from thaw_tui.ui.messages import ProgressChanged
from thaw_tui.ui.text import one_line


def next_unseen(
    order: Sequence[str], after: str | None, is_seen: Callable[[str], bool]
) -> str | None:
    """The first unseen id after `after` in `order`, wrapping round to the start."""
    start = order.index(after) + 1 if after in order else 0
    for item_id in [*order[start:], *order[:start]]:
        if item_id != after and not is_seen(item_id):
            return item_id
    return None


def undo_last(screen: Screen[None], progress: Progress, pack: Pack) -> None:
    """`u`: revert the last change of seen state and say what it was."""
    touched = progress.undo()
    if not touched:
        screen.notify("Nothing to undo.", timeout=2)
        return
    screen.post_message(ProgressChanged(touched))
    first = pack.items.get(touched[0])
    name = one_line(first.title) if first else touched[0]
    state = "seen" if progress.is_seen(touched[0]) else "not seen"
    if len(touched) == 1:
        screen.notify(f"Undone: {name} is {state} again.", markup=False, timeout=3)
    else:
        screen.notify(f"Undone: {len(touched)} items are {state} again.", timeout=3)


def toggle_seen(screen: Screen[None], progress: Progress, pack: Pack, item_id: str) -> bool:
    """`m`: flip one item's seen state, tell the screens, and say what happened."""
    seen = progress.toggle(item_id)
    screen.post_message(ProgressChanged([item_id]))
    title = one_line(pack.items[item_id].title)
    state = "seen" if seen else "not seen"
    screen.notify(f"Marked {title} as {state}.", markup=False, timeout=3)
    return seen


def confirm_mark_seen(
    screen: Screen[None], progress: Progress, unseen: list[str], question: str, noun: str
) -> None:
    """`M`: ask first, then mark `unseen` seen as one undoable step."""
    from thaw_tui.ui.screens.dialogs import ConfirmScreen

    def mark(answer: bool | None) -> None:
        if answer and progress.mark(unseen, True):
            screen.post_message(ProgressChanged(unseen))
            screen.notify(f"Marked {len(unseen)} {noun} seen (u undoes).", timeout=3)

    screen.app.push_screen(ConfirmScreen(question, "u undoes it afterwards."), mark)


def first_unseen_step(thread: Thread, is_seen: Callable[[str], bool]) -> int | None:
    for index, step in enumerate(thread.steps):
        if not is_seen(step):
            return index
    return None
