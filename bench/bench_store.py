"""Time the progress store: one mark (with its commit), opening it, and a big reader.

Run: `python bench/bench_store.py [--dir DIR]`. DIR should be on the disk thaw will
really use (default: a temporary folder). Prints each figure next to its target.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from thaw_tui.progress import Position
from thaw_tui.progress.store import open_progress

MARK_P95_TARGET_MS = 2.0
OPEN_TARGET_MS = 10.0
MARKS = 2000
BIG_READER_ITEMS = 10_000
REPEATS = 30


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(label: str, value_ms: float, target_ms: float | None = None) -> None:
    if target_ms is None:
        print(f"{label:<52} {value_ms:8.3f} ms")
        return
    verdict = "ok" if value_ms < target_ms else "OVER TARGET"
    print(f"{label:<52} {value_ms:8.3f} ms   (target < {target_ms:g} ms: {verdict})")


def timed_ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def bench_marks(state: Path) -> None:
    progress = open_progress(state, "bench-marks", "thaw")
    assert progress.persistent, progress.notices
    samples = [timed_ms(partial(progress.mark, [f"item-{i}"])) for i in range(MARKS)]
    toggles = [timed_ms(partial(progress.toggle, f"item-{i}")) for i in range(MARKS // 4)]
    undo = [timed_ms(progress.undo) for _ in range(MARKS // 4)]
    moves = [
        timed_ms(partial(progress.remember_position, Position("timeline", f"item-{i}", None)))
        for i in range(MARKS // 4)
    ]
    progress.close()
    report(f"mark seen, p50 of {MARKS} (each committed)", percentile(samples, 0.5))
    report(
        f"mark seen, p95 of {MARKS} (each committed)", percentile(samples, 0.95), MARK_P95_TARGET_MS
    )
    report("mark seen, max", max(samples))
    report("toggle, p95", percentile(toggles, 0.95), MARK_P95_TARGET_MS)
    report("undo, p95", percentile(undo, 0.95), MARK_P95_TARGET_MS)
    report("remember position, p95", percentile(moves, 0.95), MARK_P95_TARGET_MS)


def median_open_ms(state: Path, reader: str) -> float:
    def open_and_close() -> None:
        open_progress(state, reader, "thaw").close()

    open_and_close()  # warm the OS cache as a second launch would find it
    return statistics.median(timed_ms(open_and_close) for _ in range(REPEATS))


def import_cost_ms() -> float:
    """Import time of the store in a fresh interpreter, beyond what `thaw` already imports.

    `thaw`'s entry point has pathlib, argparse and the progress interface loaded by then.
    """
    probe = (
        "import time, argparse, pathlib, thaw_tui.progress\n"
        "start = time.perf_counter()\n"
        "import thaw_tui.progress.store\n"
        "print((time.perf_counter() - start) * 1000)\n"
    )
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", probe], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(5)
    ]
    return statistics.median(runs)


def bench_open(state: Path) -> None:
    fresh_state = state / "fresh"
    first = timed_ms(lambda: open_progress(fresh_state, "bench-first", "thaw").close())
    report("open, very first run (creates folder, file, tables)", first)

    typical = open_progress(state, "bench-typical", "thaw")
    typical.mark([f"item-{i}" for i in range(300)])
    typical.remember_position(Position("timeline", "item-3", None))
    typical.close()
    imports = import_cost_ms()
    opening = median_open_ms(state, "bench-typical")
    report("import thaw_tui.progress.store (fresh interpreter)", imports)
    report("open + close, reader with 300 items seen", opening)
    report("start-up added (import + open)", imports + opening, OPEN_TARGET_MS)

    big = open_progress(state, "bench-big", "thaw")
    ids = [f"item-{i:05}" for i in range(BIG_READER_ITEMS)]
    big.mark(ids)
    fingerprints = {item_id: f"{i:040x}" for i, item_id in enumerate(ids)}
    first_note = timed_ms(lambda: big.note_pack("1", fingerprints))
    big.close()
    report(
        f"open + close, reader with {BIG_READER_ITEMS:,} items seen",
        median_open_ms(state, "bench-big"),
        OPEN_TARGET_MS,
    )

    big = open_progress(state, "bench-big", "thaw")
    assert len(big.seen) == BIG_READER_ITEMS
    same_note = timed_ms(lambda: big.note_pack("1", fingerprints))
    other = open_progress(state, "bench-big", "thaw")
    other.mark(["item-00001"], seen=False)
    refresh = timed_ms(big.refresh)
    idle_refresh = statistics.median(timed_ms(big.refresh) for _ in range(REPEATS))
    big.close()
    other.close()
    report(f"note_pack, first run, {BIG_READER_ITEMS:,} fingerprints", first_note)
    report(f"note_pack, unchanged pack, {BIG_READER_ITEMS:,} fingerprints", same_note)
    report(f"refresh after another session's change, {BIG_READER_ITEMS:,} seen", refresh)
    report("refresh with nothing changed", idle_refresh)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", type=Path, help="where to put the benchmark's state folders")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        state = Path(scratch) / "state"
        print(f"SQLite progress store, state folder under {scratch}")
        bench_marks(state)
        bench_open(state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
