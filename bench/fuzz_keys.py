"""Random key sequences against the reader, many more than the suite runs.

    python bench/fuzz_keys.py [--seed N] [--count N] [--no-shrink] [--quiet]

Each case starts somewhere in the reader (a pane, a page, a thread, a dialog...), with
some progress and filter, presses a few random keys (one at a time, in a burst, or
mixed), then presses a key that must visibly act (see `tests/ui/key_fuzz.py`). It
prints every sequence tried, then each failure cut down to the keys that matter, and
exits 1 if there was any. The same seed draws the same cases.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "ui")]

from key_fuzz import Outcome, run_cases  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--no-shrink", action="store_true", help="report failures as drawn")
    parser.add_argument("--quiet", action="store_true", help="print failures only")
    args = parser.parse_args()

    def report(outcome: Outcome) -> None:
        if not args.quiet or outcome.failure:
            verdict = "ok" if outcome.failure is None else f"FAIL: {outcome.failure}"
            print(f"{outcome.case.recipe()}  {verdict}", flush=True)

    started = time.perf_counter()
    failures = asyncio.run(run_cases(args.seed, args.count, report, not args.no_shrink))
    seconds = time.perf_counter() - started
    print(f"\n{args.count} sequences, seed {args.seed}, {seconds:.0f} s: {len(failures)} failed")
    recipes: Counter[str] = Counter()
    for outcome in failures:
        case = outcome.case
        recipes[
            f"{case.place} / progress {case.progress} / filter {case.filter}: "
            f"{' '.join(case.keys)} [{case.mode}] -> {outcome.failure}"
        ] += 1
    for recipe, times in recipes.most_common():
        print(f"  {times:>3} x {recipe}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
