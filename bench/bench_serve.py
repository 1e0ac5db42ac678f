"""`thaw serve` benchmark over loopback with the real OpenSSH client.

Prints each figure beside its target (issue 5, "Speed"):

- first paint over SSH against local first paint (target: at most 1.5x), both from
  process start to the pack title on a pyte screen, cold starts interleaved; readers
  forked from the warm process (the default) against readers started cold (`--cold`;
  stretch target: warm under 0.4x cold);
- with N concurrent readers (default 50) of which T type (default 10):
  key-to-repaint p95 (target: under 100 ms), resident and proportional memory per
  reader's process (and the proportional figure for cold-started readers), the
  server's own memory, and the largest address space a reader mapped (what the
  RLIMIT_AS in sshserve/childenv.py must leave room for).

Run from the repository root with the virtualenv active:

    python bench/bench_serve.py             # full run
    python bench/bench_serve.py --quick     # 10 readers, fewer samples

Exit status: 0 when every target passes, 1 when one fails.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The shared test helpers (tests/support) import as `support.<module>`.
sys.path.insert(0, str(REPO / "tests"))

from support.pty_harness import KEYS, PtySession, terminal_env  # noqa: E402
from support.ssh_helpers import ServeProcess, make_key, rss_kib, start_serve  # noqa: E402

TITLE = "Thawing Relations Under Fire"
PAINT_TIMEOUT = 60.0


def local_first_paint(state: Path) -> float:
    argv = [sys.executable, "-m", "thaw_tui", "--reader", "bench", "--state-dir", str(state)]
    with PtySession(argv, env=terminal_env(), cwd=state) as session:
        painted = session.wait_for_text(TITLE, PAINT_TIMEOUT)
        return painted - session.spawned_at


def ssh_first_paint(server: ServeProcess, key: Path) -> float:
    session = server.interactive(key)
    try:
        painted = session.wait_for_text(TITLE, PAINT_TIMEOUT)
        return painted - session.spawned_at
    finally:
        session.close()
        server.sessions.remove(session)


def proc_kib(pid: int, field: str, name: str = "status") -> int:
    for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def memory_of_idle_readers(server: ServeProcess, key: Path, count: int) -> float:
    """Mean proportional memory (MiB) of `count` painted, idle readers."""
    sessions = [server.interactive(key) for _ in range(count)]
    for session in sessions:
        session.wait_for_text(TITLE, PAINT_TIMEOUT)
        session.wait_for_quiet(0.3, timeout=30)
    pss = [proc_kib(pid, "Pss", "smaps_rollup") for pid in server.readers()]
    for session in sessions:
        session.close()
    server.sessions.clear()
    return statistics.mean(pss) / 1024


def typing_latencies(session: PtySession, presses: int, pause: float) -> list[float]:
    latencies = []
    for index in range(presses):
        before = len(session.chunks)
        sent = session.send(KEYS["down" if index % 2 == 0 else "up"])
        chunk = session.wait_for_output_after(before, timeout=10)
        latencies.append(chunk.at - sent)
        time.sleep(pause)
    return latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--readers", type=int)
    parser.add_argument("--typing", type=int)
    parser.add_argument("--samples", type=int)
    options = parser.parse_args()
    readers = options.readers or (10 if options.quick else 50)
    typing = min(readers, options.typing or (3 if options.quick else 10))
    samples = options.samples or (3 if options.quick else 7)

    work = Path(tempfile.mkdtemp(prefix="thaw-bench-serve-"))
    passed = True
    try:
        server = start_serve(
            work / "serve",
            "--max-sessions", str(readers + 5),
            "--max-per-ip", str(readers + 5),
            child=None,
        )  # fmt: skip
        cold_server = start_serve(work / "serve-cold", "--cold", "--max-per-ip", "20", child=None)
        key = make_key(work / "keys", "bench")
        local_state = work / "local"
        local_state.mkdir()
        local_first_paint(local_state)  # warm the page cache for all three
        ssh_first_paint(server, key)
        ssh_first_paint(cold_server, key)
        local, warm, cold = [], [], []
        for _ in range(samples):
            local.append(local_first_paint(local_state))
            warm.append(ssh_first_paint(server, key))
            cold.append(ssh_first_paint(cold_server, key))
        cold_pss = memory_of_idle_readers(cold_server, key, min(10, readers))
        cold_server.stop()
        local_ms = statistics.median(local) * 1000
        warm_ms, cold_ms = statistics.median(warm) * 1000, statistics.median(cold) * 1000
        print(f"first paint, median of {samples}:")
        print(f"  local `thaw`                {local_ms:7.0f} ms")
        print(f"  over SSH, started cold      {cold_ms:7.0f} ms")
        print(f"  over SSH, warm fork         {warm_ms:7.0f} ms")
        for label, ratio, target in (
            ("SSH cold / local", cold_ms / local_ms, 1.5),
            ("SSH warm / local", warm_ms / local_ms, 1.5),
            ("SSH warm / SSH cold (stretch)", warm_ms / cold_ms, 0.4),
        ):
            passed &= ratio <= target or "stretch" in label
            print(f"  {label}: {ratio:.2f}x (target <= {target}x) {verdict(ratio <= target)}")

        sessions: list[PtySession] = []
        started = time.perf_counter()
        for batch_start in range(0, readers, 10):
            batch = [server.interactive(key) for _ in range(min(10, readers - batch_start))]
            for session in batch:
                session.wait_for_text(TITLE, PAINT_TIMEOUT)
            sessions.extend(batch)
        for session in sessions:
            session.wait_for_quiet(0.3, timeout=30)
        print(f"{readers} readers connected and painted in {time.perf_counter() - started:.1f} s")

        results: list[list[float]] = [[] for _ in range(typing)]

        def type_in(slot: int) -> None:
            results[slot] = typing_latencies(sessions[slot], 20, 0.15)

        threads = [threading.Thread(target=type_in, args=(slot,)) for slot in range(typing)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        latencies = [value * 1000 for values in results for value in values]
        p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
        passed &= p95 < 100
        print(f"key-to-repaint with {readers} readers, {typing} typing ({len(latencies)} keys):")
        print(f"  p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 < 100 ms) {verdict(p95 < 100)}")

        children = server.readers()
        rss = [proc_kib(pid, "VmRSS") for pid in children]
        pss = [proc_kib(pid, "Pss", "smaps_rollup") for pid in children]
        peak_map = max(proc_kib(pid, "VmPeak") for pid in children)
        print(f"memory per reader ({len(children)} processes):")
        print(f"  resident {statistics.mean(rss) / 1024:.1f} MiB on average")
        print(f"  proportional (shared pages split) {statistics.mean(pss) / 1024:.1f} MiB")
        cold_count = min(10, readers)
        print(f"  proportional if started cold (--cold, {cold_count} readers) {cold_pss:.1f} MiB")
        print(f"  largest address space mapped {peak_map / 1024:.0f} MiB (RLIMIT_AS is 1024 MiB)")
        print(f"server process: {rss_kib(server.pid) / 1024:.1f} MiB resident")
        warm_pid = server.warm_process()
        if warm_pid is not None:
            print(f"warm process: {rss_kib(warm_pid) / 1024:.1f} MiB resident (shared by all)")
        server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("all targets met" if passed else "some targets MISSED (stretch targets not counted)")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
