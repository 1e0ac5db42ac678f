"""`thaw` with no subcommand: load the pack, open progress, run the reader.

Everything that can fail with bad input (not a terminal, a broken pack) fails
here, before the app takes over the screen, as a plain sentence on stderr.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

NOT_A_TERMINAL = (
    "thaw: not a terminal — use 'thaw export --format markdown' (or json) for plain output"
)


def run_reader(args: argparse.Namespace) -> int:
    # --reset-progress prints a sentence, so it works without a terminal (scripts).
    resetting = bool(getattr(args, "reset_progress", False))
    if not resetting and not sys.stdout.isatty():
        print(NOT_A_TERMINAL, file=sys.stderr)
        return 2

    # Not thaw_tui.loader: on a cache hit, YAML and the validator are never imported.
    from thaw_tui.loading.problems import PackError, format_report
    from thaw_tui.packcache import load_pack_cached
    from thaw_tui.paths import state_dir

    reader = getattr(args, "reader", None) or "local"
    directory = state_dir(getattr(args, "state_dir", None))
    served = bool(getattr(args, "served", False))
    content = getattr(args, "content", None)
    try:
        # A served session writes nothing but the progress store, so no cache there.
        loaded = load_pack_cached(Path(content) if content else None, None if served else directory)
    except PackError as error:
        print(
            f"thaw: the content pack has problems:\n{format_report(error.problems)}",
            file=sys.stderr,
        )
        return 1
    # The pack lives as long as the session: set it aside from the cyclic garbage
    # collector, which would otherwise rescan every item on each full collection
    # during start-up (30 ms per pass with a 10,000-item pack).
    gc.freeze()
    pack = loaded.pack
    if resetting:
        return reset(directory, reader, pack.manifest.id)

    from thaw_tui.progress import Progress

    if getattr(args, "ephemeral", False):
        progress = Progress()
    else:
        from thaw_tui.store import open_progress

        progress = open_progress(directory, reader, pack.manifest.id)

    from thaw_tui.ui.app import ThawApp

    app = ThawApp(pack, progress, served=served, fingerprints=loaded.fingerprints)
    try:
        app.run()
    finally:
        progress.close()
    return app.return_code or 0


def reset(directory: Path, reader: str, pack_id: str) -> int:
    """`thaw --reset-progress`: the command line asks nothing (the app does)."""
    from thaw_tui.store import ProgressStoreError, reset_progress

    try:
        removed = reset_progress(directory, reader, pack_id)
    except ProgressStoreError as error:
        print(f"thaw: could not reset progress: {error}", file=sys.stderr)
        return 1
    noun = "item" if removed == 1 else "items"
    print(
        f"Reset progress of reader '{reader}' for pack '{pack_id}': "
        f"what you had marked on {removed} {noun} is forgotten ({directory})."
    )
    return 0
