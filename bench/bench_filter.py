"""Filter speed on a large pack: keystroke to repaint while typing into `/`.

    python bench/bench_filter.py [--items 10000] [--rounds 8] [--size 80x24]

Generates a pack with `scripts/genpack.py`, opens its biggest pane (the Timeline, some
4,500 events of 10,000 items) in a real pseudo-terminal, presses `/` and types a
six-letter word one key at a time, timing each key from the moment it is written to
the last screen change of its repaint (as `bench_ui.py` times j/k). Esc clears the
filter between rounds. Three words are typed in turn: "senten", found in every event's
body (the filter keeps every row, and the line under the list shows where the word
is); "number", found in every title; and "januar", which narrows the list at each
letter down to the events dated in January.

Target (issue 11): p95 of keystroke to repaint settled <= 16 ms. Exit status 0 when it
passes, 1 when not.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bench_ui import (  # noqa: E402
    KeyTiming,
    PtySession,
    generate_pack,
    ms,
    pack_title,
    percentile,
    thaw_target,
    time_key,
)

WORDS = ("senten", "number", "januar")
TARGET = 0.016
TIMELINE_KEY = "2"


def run(items: int, rounds: int, cols: int, rows: int, verbose: bool) -> list[KeyTiming]:
    timings: list[KeyTiming] = []
    with tempfile.TemporaryDirectory(prefix="thaw-bench-filter-") as scratch_name:
        scratch = Path(scratch_name)
        pack = generate_pack(items, scratch / "pack")
        if pack is None:
            raise SystemExit("bench_filter: scripts/genpack.py is missing")
        target = thaw_target("thaw", scratch / "state", pack, pack_title(pack))
        with PtySession(target.argv, cols=cols, rows=rows, env=target.env) as session:
            session.wait_for_text(target.marker, 30)
            session.wait_for_quiet(0.5)
            index = len(session.chunks)
            session.press(TIMELINE_KEY)  # (over the first-start screen, it closes it)
            session.wait_for_screen_change_after(index, 10)
            session.wait_for_quiet(0.5)
            for round_number in range(rounds):
                word = WORDS[round_number % len(WORDS)]
                index = len(session.chunks)
                session.press("/")
                session.wait_for_screen_change_after(index)  # the box is up
                session.wait_for_quiet(0.3)
                for letter in word:
                    timing = time_key(session, letter)
                    if timing is None:
                        raise SystemExit(f"bench_filter: {letter!r} changed nothing on screen")
                    timings.append(timing)
                    if verbose:
                        print(
                            f"  {word} {letter}: {ms(timing.first_change)} / {ms(timing.settled)}"
                        )
                index = len(session.chunks)
                session.press("escape")
                session.wait_for_screen_change_after(index)  # the box is gone
                session.wait_for_quiet(0.3)
            session.press("Q")
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=9, help="words typed (>= 3)")
    parser.add_argument("--size", default="80x24", help="terminal size")
    parser.add_argument("--verbose", action="store_true", help="print every keystroke")
    args = parser.parse_args(argv)
    cols, rows = (int(n) for n in args.size.split("x"))
    timings = run(args.items, args.rounds, cols, rows, args.verbose)
    settled = [t.settled for t in timings]
    first = [t.first_change for t in timings]
    p95 = percentile(settled, 0.95)
    print(f"filter, {args.items} items, {cols}x{rows}, {len(timings)} keystrokes")
    print(f"  key to first screen change p50 / p95: {ms(statistics.median(first))}", end="")
    print(f" / {ms(percentile(first, 0.95))}")
    print(f"  key to repaint settled     p50 / p95: {ms(statistics.median(settled))}", end="")
    print(f" / {ms(p95)}   target p95 <= {ms(TARGET)}: {'PASS' if p95 <= TARGET else 'FAIL'}")
    return 0 if p95 <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
