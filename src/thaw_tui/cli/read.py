"""`thaw` with no subcommand: load the pack, open progress, run the reader.

Everything that can fail with bad input (not a terminal, a broken pack) fails
here, before the app takes over the screen, as a plain sentence on stderr.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from thaw_tui.cli import exit_codes
from thaw_tui.pack.gc_paused import gc_paused

if TYPE_CHECKING:
    from thaw_tui.pack.cache import CachedPack
    from thaw_tui.pack.model import Pack
    from thaw_tui.progress import Progress

NOT_A_TERMINAL = (
    "thaw: not a terminal — use 'thaw export --format markdown' (or json) for plain output"
)


def run_reader(args: argparse.Namespace) -> int:
    # No cyclic garbage collection until the first screen is up: start-up makes tens of
    # thousands of objects that live as long as the app (modules, the pack, styles,
    # widgets), and every collection would walk them again (a fiftieth of start-up's
    # work, counted). The app collects once, and turns the collector back on, when it
    # has painted (`ui.app.settle_garbage_collector`); returning turns it back on too.
    with gc_paused():
        return _run_reader(args)


def _run_reader(args: argparse.Namespace) -> int:
    content = getattr(args, "content", None)
    # A wrong --content is the problem to report, terminal or not.
    if content:
        from thaw_tui.cli.pack_folder import pack_folder_problem

        problem = pack_folder_problem(Path(content))
        if problem is not None:
            print(f"thaw: {problem}", file=sys.stderr)
            return exit_codes.USAGE
    # --reset-progress prints a sentence, so it works without a terminal (scripts).
    resetting = bool(getattr(args, "reset_progress", False))
    # The reader needs a terminal both ways: to draw on, and to read keys from (with
    # stdin from a pipe, keys would never arrive and `q` could not quit).
    if not resetting and not (sys.stdout.isatty() and sys.stdin.isatty()):
        print(NOT_A_TERMINAL, file=sys.stderr)
        return exit_codes.USAGE
    from thaw_tui.cli.progress import UrlProblem, progress_url

    try:
        url = progress_url(args)
    except UrlProblem as problem:
        print(f"thaw: {problem}", file=sys.stderr)
        return exit_codes.USAGE

    # Not thaw_tui.pack.load: on a cache hit, YAML and the validator are never imported.
    from thaw_tui.pack.cache import load_pack_cached
    from thaw_tui.pack.problems import PackError, format_report
    from thaw_tui.paths import state_dir

    reader = getattr(args, "reader", None) or "local"
    directory = state_dir(getattr(args, "state_dir", None))
    served = bool(getattr(args, "served", False))
    try:
        # A served session writes nothing but the progress store, so no cache there.
        loaded = load_pack_cached(Path(content) if content else None, None if served else directory)
    except PackError as error:
        where = f" (in {content})" if content else ""
        print(
            f"thaw: the content pack has problems{where}:\n{format_report(error.problems)}",
            file=sys.stderr,
        )
        return exit_codes.PROBLEMS
    # The pack lives as long as the session: set it aside from the cyclic garbage
    # collector, so that the one full collection after the first paint
    # (`settle_garbage_collector`) does not walk it (10 ms instead of 35-45 ms with a
    # 10,000-item pack).
    gc.freeze()
    pack = loaded.pack
    if resetting:
        return reset(directory, reader, pack, url, yes=bool(getattr(args, "yes", False)))

    ephemeral = bool(getattr(args, "ephemeral", False))
    progress = open_reader_progress(directory, reader, pack.manifest.id, ephemeral, url)
    return run_app(loaded, progress, served=served)


def open_reader_progress(
    directory: Path, reader: str, pack_id: str, ephemeral: bool, url: str | None = None
) -> Progress:
    """The reader's saved progress, or progress that lives only as long as the app.

    Without `url`, $THAW_PROGRESS_URL chooses the store: that is how `thaw serve`
    passes it to readers' processes (never on their command line)."""
    if ephemeral:
        from thaw_tui.progress import Progress

        return Progress()
    from thaw_tui.progress.store import open_progress
    from thaw_tui.progress.urls import URL_ENV

    return open_progress(directory, reader, pack_id, url or os.environ.get(URL_ENV) or None)


def run_app(loaded: CachedPack, progress: Progress, served: bool) -> int:
    """Run the app until the reader quits; the progress is closed whatever happens.

    SIGTERM, SIGHUP and SIGINT quit it as `q` does, so the terminal is given back
    (cli/quit_signals.py); the status is then 128 + the signal's number. Shared by
    plain `thaw` and the SSH server's warm process (`sshserve/warm.py`), whose readers
    get SIGHUP when their connection drops.
    """
    from thaw_tui.cli.quit_signals import run_quitting_on_signals
    from thaw_tui.ui.app import ThawApp

    app_class = ThawApp
    if served:  # bounded input, and a sentence rather than a traceback on a crash
        from thaw_tui.ui.served import ServedThawApp

        app_class = ServedThawApp
    app = app_class(loaded.pack, progress, served=served, fingerprints=loaded.fingerprints)
    signalled: int | None = None
    try:
        signalled = run_quitting_on_signals(app)
    finally:
        progress.close()
        # After the app has given the terminal back: what could not be saved.
        if progress.exit_notice:
            print(progress.exit_notice, file=sys.stderr, flush=True)
    return signalled or app.return_code or exit_codes.OK


def reset(directory: Path, reader: str, pack: Pack, url: str | None, yes: bool) -> int:
    """`thaw --reset-progress`: forget the reader's progress in this pack. It cannot be
    undone, so it asks first on a terminal, and without one it needs `--yes`.

    The count it gives is the header's: items of this pack marked seen. Items marked
    unseen again (and seen items the pack no longer has) are stored too, and said
    separately."""
    from thaw_tui.progress.store import DB_FILENAME, ProgressStoreError, reset_progress
    from thaw_tui.progress.urls import describe

    pack_id = pack.manifest.id
    where = describe(url) if url else str(directory)
    if url is None and not (directory / DB_FILENAME).exists():
        print(f"Reader '{reader}' has no saved progress in {where}: nothing to reset.")
        return exit_codes.OK
    progress = open_reader_progress(directory, reader, pack_id, False, url)
    try:
        seen = progress.count_seen(pack.items)
        stored_seen = len(progress.seen)
        cannot = None if progress.persistent else " ".join(progress.notices)
    finally:
        progress.close()
    if cannot is not None:
        why = cannot or f"{where} cannot be written."
        print(f"thaw: could not reset progress: {why}", file=sys.stderr)
        return exit_codes.PROBLEMS
    what = f"{seen} {plural(seen, 'item')} seen"
    if not yes:
        if not sys.stdin.isatty():
            print(
                f"thaw: --reset-progress would forget the progress of reader '{reader}' in "
                f"pack '{pack_id}' ({what}), which cannot be undone: add --yes to reset "
                "without a terminal to ask on.",
                file=sys.stderr,
            )
            return exit_codes.USAGE
        if not confirm(
            f"Forget the progress of reader '{reader}' in pack '{pack_id}' ({what}, kept "
            f"in {where})? This cannot be undone. [y/N] "
        ):
            print("Nothing was reset.", file=sys.stderr)
            return exit_codes.OK
    try:
        removed = reset_progress(directory, reader, pack_id, url)
    except ProgressStoreError as error:
        print(f"thaw: could not reset progress: {error}", file=sys.stderr)
        return exit_codes.PROBLEMS
    forgotten = [what]
    gone = stored_seen - seen
    if gone > 0:
        forgotten.append(f"{gone} seen {plural(gone, 'item')} no longer in the pack")
    unseen_marks = removed - stored_seen
    if unseen_marks > 0:
        forgotten.append(f"{unseen_marks} {plural(unseen_marks, 'item')} marked unseen again")
    listed = ", ".join(forgotten[:-1]) + " and " if len(forgotten) > 1 else ""
    print(
        f"Reset the progress of reader '{reader}' in pack '{pack_id}' ({where}): "
        f"forgot {listed}{forgotten[-1]}."
    )
    return exit_codes.OK


def confirm(question: str) -> bool:
    """Ask on the terminal; only y or yes (in any case) says yes."""
    print(question, end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()
    except KeyboardInterrupt:
        print(file=sys.stderr)
        raise
    if not answer.endswith("\n"):
        print(file=sys.stderr)  # end of input: keep the shell's prompt on its own line
    return answer.strip().lower() in ("y", "yes")


def plural(count: int, noun: str) -> str:
    return noun if count == 1 else f"{noun}s"
