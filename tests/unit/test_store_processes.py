"""The progress stores against real processes: killed mid-write, and many at once.

Each test runs once per backend (the `store` fixture). A session reports a mark only
after `flush()` says it is written, so "reported" means "committed" for both.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support.progress_stores import StoreUnderTest

from thaw_tui.progress import Progress

MARKER = "committed"


def child_script(state: Path, reader: str, prefix: str, count: int, wait: bool = False) -> str:
    """A session that marks `count` items one by one and reports each after its commit.

    With `wait`, it says "started" and opens the store on a line from stdin, then says
    "ready" and starts marking on the next line: so many sessions open, and mark, at once.
    """
    return textwrap.dedent(
        f"""
        import os, sys
        from pathlib import Path
        from thaw_tui.progress.store import open_progress
        if {wait!r}:
            print("started", flush=True)
            sys.stdin.readline()
        url = os.environ.get("THAW_PROGRESS_URL") or None
        progress = open_progress(Path({str(state)!r}), {reader!r}, "thaw", url)
        if not progress.persistent:
            sys.exit("not persistent: " + " ".join(progress.notices))
        print("ready", flush=True)
        if {wait!r}:
            sys.stdin.readline()
        for i in range({count}):
            item = f"{prefix}-{{i}}"
            progress.mark([item])
            if not progress.flush(10) or not progress.persistent:
                sys.exit("stopped saving: " + " ".join(progress.notices))
            print(f"{MARKER} {{item}}", flush=True)
        """
    )


def committed_ids(output: str) -> list[str]:
    """Ids from whole report lines; a line cut off by the kill is not a report."""
    return [
        line.split()[1]
        for line in output.splitlines(keepends=True)
        if line.startswith(MARKER + " ") and line.endswith("\n")
    ]


def child_env(store: StoreUnderTest) -> dict[str, str]:
    """The URL goes by environment, as `thaw serve` passes it, never on a command line."""
    env = {k: v for k, v in os.environ.items() if k != "THAW_PROGRESS_URL"}
    if store.url:
        env["THAW_PROGRESS_URL"] = store.url
    return env


def open_saved(store: StoreUnderTest, reader: str) -> Progress:
    return store.open(reader, "thaw")


def test_kill_9_in_the_middle_loses_no_reported_mark(store: StoreUnderTest) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", child_script(store.state_dir, "alice", "item", 1000)],
        env=child_env(store),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    reported: list[str] = []
    for line in child.stdout:  # let it get well under way, then kill it mid-stream
        reported.append(line.split()[1])
        if len(reported) == 300:
            os.kill(child.pid, signal.SIGKILL)
            break
    # Read on through the same buffered stream: lines it already holds count too.
    rest = child.stdout.read()
    assert child.stderr is not None
    errors = child.stderr.read()
    child.wait(timeout=30)
    reported += committed_ids(rest)
    assert child.returncode == -signal.SIGKILL, errors
    assert 300 <= len(reported) < 1000  # killed part-way, not after finishing

    progress = open_saved(store, "alice")
    assert set(reported) <= progress.seen
    # Nothing beyond what the child could have committed: at most the mark in flight.
    assert len(progress.seen) - len(reported) <= 1
    progress.close()


def test_twenty_sessions_of_one_reader_keep_all_their_marks(store: StoreUnderTest) -> None:
    script = [child_script(store.state_dir, "SHA256:shared", f"s{n}", 100, True) for n in range(20)]
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script[n]],
            env=child_env(store),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(20)
    ]
    # All twenty open a brand-new store together, then all mark together.
    for step in ("started", "ready"):
        for child in children:
            assert child.stdout is not None and child.stderr is not None
            if child.stdout.readline().strip() != step:
                child.wait(timeout=30)
                pytest.fail(f"a session stopped before {step!r}: {child.stderr.read()}")
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
    reported: set[str] = set()
    for child in children:
        out, errors = child.communicate(timeout=60)
        assert child.returncode == 0, errors
        reported |= set(committed_ids(out))
    assert len(reported) == 2000

    progress = open_saved(store, "SHA256:shared")
    assert progress.seen == reported
    progress.close()
