"""Load benchmark: the shipped pack, and a synthetic 10,000-item pack.

    python bench/bench_load.py [--runs N]

Prints the median time to load, check and resolve each pack against its target:
the shipped pack in under 30 ms, a 10,000-item pack (made by scripts/genpack.py)
in under 1 s. Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from thaw_tui.pack.load import read_pack
from thaw_tui.pack.reading.yaml_nodes import HAVE_LIBYAML

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_TARGET_MS = 30.0
LARGE_TARGET_MS = 1000.0
LARGE_ITEMS = 10_000


def timed_runs(action: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per run, after one warm-up run.

    CPU time is shown too because on a busy machine the wall clock also counts
    time spent waiting for a core."""
    action()
    wall, cpu = [], []
    for _ in range(runs):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start_wall) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def load_checked(path: Path | None) -> Callable[[], object]:
    def action() -> object:
        pack, problems = read_pack(path)
        if pack is None:
            raise SystemExit(
                f"{path or 'shipped pack'} has problems:\n" + "\n".join(map(str, problems))
            )
        return pack

    return action


def report(name: str, times: tuple[list[float], list[float]], target_ms: float) -> bool:
    wall, cpu = times
    median = statistics.median(wall)
    ok = median < target_ms
    verdict = "OK  " if ok else "SLOW"
    print(
        f"{verdict} {name}: median {median:.1f} ms wall, {statistics.median(cpu):.1f} ms CPU, "
        f"over {len(wall)} runs (wall min {min(wall):.1f}, max {max(wall):.1f}); "
        f"target < {target_ms:.0f} ms"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description="Time loading + validating content packs.")
    parser.add_argument("--runs", type=int, default=50, help="runs for the shipped pack")
    parser.add_argument("--large-runs", type=int, default=7, help="runs for the large pack")
    args = parser.parse_args()
    print(f"libyaml: {'yes' if HAVE_LIBYAML else 'NO (pure-Python parser, expect it slower)'}")
    load = os.getloadavg()[0]
    print(
        f"load average: {load:.2f} on {os.cpu_count()} CPUs"
        + (" (busy: figures will be high)" if load > (os.cpu_count() or 1) else "")
    )
    shipped = timed_runs(load_checked(None), args.runs)
    pack = load_checked(None)()
    print(f"shipped pack: {len(pack)} items")  # type: ignore[arg-type]
    ok = report("shipped pack load+validate", shipped, SHIPPED_TARGET_MS)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "large"
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "genpack.py"),
                "--items",
                str(LARGE_ITEMS),
                str(out),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        size = sum(path.stat().st_size for path in out.glob("*.yaml"))
        print(f"synthetic pack: {LARGE_ITEMS} items, {size / 1e6:.1f} MB of YAML")
        large = timed_runs(load_checked(out), args.large_runs)
        ok = report(f"{LARGE_ITEMS}-item pack load+resolve+validate", large, LARGE_TARGET_MS) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
