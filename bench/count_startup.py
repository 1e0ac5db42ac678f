"""How much work `thaw` does before its first screen, counted, not timed.

Wall-clock first paint on a shared VM moves by a tenth between runs, which hides
the few percent one change to start-up makes. Instructions do not move: this
script runs each program under valgrind's callgrind, in a real pseudo-terminal,
and stops it the moment it writes the frame that shows its first screen (for
`thaw`, the first row of its first pane; for `minimal_app.py`, its ready line).
The same build gives the same count to within a few thousand instructions.

    python bench/count_startup.py                 # thaw and the minimal app
    python bench/count_startup.py --stages        # thaw, stopped after each stage
    python bench/count_startup.py --src OTHER/src # another checkout's thaw_tui

Needs valgrind (Debian package `valgrind`); a run takes about 15 s per count.
Counts are not times (a compile is cheap per instruction, a cache miss dear), so
read them as "more work" or "less work", and keep `bench_ui.py` for the times.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The test helpers (the pty harness, reader state) are imported by the counting
# process only: the counted one imports nothing that thaw itself would not.
sys.path.insert(0, str(REPO / "tests"))

MINIMAL_APP = REPO / "bench" / "minimal_app.py"
MINIMAL_MARKER = "Minimal app ready"
STOPPED = 42  # the exit status of a program stopped at its stage
STAGES = ("imports", "loaded", "app", "mounted", "paint")
CHILD_TIMEOUT = 300


# --- in the counted process ------------------------------------------------------
def run_child(which: str, src: str, marker: str, stage: str, argv: list[str]) -> None:
    """Run thaw (from `src`) or the minimal app, and exit with STOPPED at `stage`."""
    import textual.drivers.linux_driver as linux_driver

    write = linux_driver.LinuxDriver.write

    def write_or_stop(self: linux_driver.LinuxDriver, data: str) -> None:
        if stage == "paint" and marker in data:
            os._exit(STOPPED)
        write(self, data)

    linux_driver.LinuxDriver.write = write_or_stop  # type: ignore[method-assign]
    sys.argv = [which, *argv]
    if which == "minimal":
        import runpy

        runpy.run_path(str(MINIMAL_APP), run_name="__main__")
        return
    sys.path.insert(0, src)
    # A real start imports the app inside `run_reader`, with the cyclic collector off
    # (cli/read.py); here the app is imported first, to be patched, so turn it off too.
    import gc

    gc.disable()
    import thaw_tui.pack.cache as cache
    import thaw_tui.ui.app as ui_app
    from thaw_tui.cli.main import main

    if stage == "imports":
        os._exit(STOPPED)
    load = cache.load_pack_cached

    def load_then_stop(*args: object, **kwargs: object) -> object:
        loaded = load(*args, **kwargs)  # type: ignore[arg-type]
        if stage == "loaded":
            os._exit(STOPPED)
        return loaded

    cache.load_pack_cached = load_then_stop  # type: ignore[assignment]
    init, on_mount = ui_app.ThawApp.__init__, ui_app.ThawApp.on_mount

    def init_then_stop(self: ui_app.ThawApp, *args: object, **kwargs: object) -> None:
        init(self, *args, **kwargs)  # type: ignore[arg-type]
        if stage == "app":
            os._exit(STOPPED)

    def mount_then_stop(self: ui_app.ThawApp) -> None:
        on_mount(self)
        if stage == "mounted":
            os._exit(STOPPED)

    ui_app.ThawApp.__init__ = init_then_stop  # type: ignore[method-assign]
    ui_app.ThawApp.on_mount = mount_then_stop  # type: ignore[method-assign]
    sys.exit(main())


# --- counting ----------------------------------------------------------------------
def first_row_of(src: Path) -> str:
    """bench_ui's first-paint marker, from the thaw_tui in `src` and its pack."""
    sys.path.insert(0, str(src))
    from bench_ui import first_row

    from thaw_tui.paths import default_content_dir

    return first_row(default_content_dir())


def count(which: str, src: Path, marker: str, stage: str, state: Path | None) -> int:
    from support.pty_harness import PtySession, terminal_env

    argv = [sys.executable, __file__, "--child", which, str(src), marker, stage]
    extra = {"PYTHONHASHSEED": "0"}  # the same hashes, so the same work, every run
    if state is not None:
        argv += ["--state-dir", str(state)]
        extra["THAW_STATE_DIR"] = str(state)
    env = terminal_env(extra)
    import re
    import tempfile

    with tempfile.TemporaryDirectory(prefix="thaw-count-") as scratch:
        log = Path(scratch) / "callgrind.log"
        valgrind = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={scratch}/callgrind.out",
            f"--log-file={log}",
        ]
        with PtySession([*valgrind, *argv], env=env, cwd=REPO) as session:
            status = session.wait_exit(CHILD_TIMEOUT)
        if status != STOPPED:
            raise SystemExit(f"count_startup: {which} ended with {status} before {stage}")
        found = re.search(r"Collected : (\d+)", log.read_text())
    if found is None:
        raise SystemExit(f"count_startup: no count in valgrind's log for {which}")
    return int(found.group(1))


def warm_up(src: Path, marker: str, state: Path) -> None:
    """One start without valgrind: it writes the pack cache the counted starts read."""
    from support.pty_harness import PtySession, terminal_env

    argv = [sys.executable, __file__, "--child", "thaw", str(src), marker, "paint"]
    env = terminal_env({"THAW_STATE_DIR": str(state)})
    with PtySession([*argv, "--state-dir", str(state)], env=env, cwd=REPO) as session:
        if session.wait_exit(60) != STOPPED:
            raise SystemExit(f"count_startup: thaw did not paint:\n{session.text()}")


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        which, src, marker, stage, *rest = sys.argv[2:]
        run_child(which, src, marker, stage, rest)
        return 0
    import argparse
    import compileall
    import shutil
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=REPO / "src", help="thaw_tui's folder")
    parser.add_argument("--stages", action="store_true", help="count up to each stage")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("count_startup: needs valgrind (Debian package `valgrind`)", file=sys.stderr)
        return 2
    from support.reader_state import first_screen_closed

    src = args.src.resolve()
    # From bytecode, as a reader's second start is (see bench_ui.py: with
    # PYTHONDONTWRITEBYTECODE set, changed modules would be compiled in every count).
    compileall.compile_dir(src, quiet=1)
    marker = first_row_of(src)
    with tempfile.TemporaryDirectory(prefix="thaw-count-state-") as state_name:
        state = first_screen_closed(Path(state_name))  # a returning reader: no first screen
        warm_up(src, marker, state)
        minimal = count("minimal", src, MINIMAL_MARKER, "paint", None)
        print(f"minimal app, to first paint: {minimal / 1e6:8.1f} M instructions")
        previous = 0
        for stage in STAGES if args.stages else ("paint",):
            counted = count("thaw", src, marker, stage, state)
            added = f"(+{(counted - previous) / 1e6:.1f} M)" if args.stages else ""
            print(
                f"thaw, to {stage:8}:        {counted / 1e6:8.1f} M instructions "
                f"{counted / minimal:.3f}x {added}"
            )
            previous = counted
    return 0


if __name__ == "__main__":
    sys.exit(main())
