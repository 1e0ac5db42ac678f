"""Time the PostgreSQL progress store: a mark, start-up, throughput, and many readers.

Run: `python bench/bench_postgres.py [--url URL] [--quick] [--no-load]`.

Without --url it starts its own PostgreSQL with initdb (the test helper
`tests/support/postgres_server.py`) on a loopback port, with production durability
(fsync on, synchronous commits), and removes it at the end. With --url (better: in
$THAW_PROGRESS_URL, which keeps the password out of `ps`) it uses that database; the
benchmark's readers are named `bench-...` and are left in it.

Figures, each next to its target where the issue sets one:

- mark, p95: from `mark()` to the change committed (`flush()` returns), loopback.
- mark() itself: what a key press waits for (the write happens on the writer thread).
- store start-up: opening a reader's progress (connect, version check, read) and
  closing it; the driver's import is printed apart, as `thaw serve`'s warm process
  pays it once for all readers.
- throughput: sessions marking as fast as they can; marks per second, and per second
  of PostgreSQL's CPU (what docs/scaling.md builds on).
- two hosts x 100 readers, 20 of them marking (one mark a second, each waited for),
  the others refreshing every 5 seconds as the app does: each host is a process with
  100 stores (100 connections); prints mark() p95 and commit p95 under that load, and
  marks written (counted in the database) against marks made.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # support.*

from thaw_tui.progress.store import open_progress  # noqa: E402
from thaw_tui.progress.urls import URL_ENV, has_password  # noqa: E402

MARK_P95_TARGET_MS = 5.0
START_TARGET_MS = 30.0
LOAD_KEY_P95_TARGET_MS = 100.0
NOWHERE = Path("/nonexistent")  # the state folder is not used with a URL
HOSTS = 2
READERS_PER_HOST = 100
MARKERS_PER_HOST = 10
REFRESH_SECONDS = 5.0


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(label: str, value: float, target: float | None = None, unit: str = "ms") -> None:
    if target is None:
        print(f"{label:<60} {value:10.3f} {unit}")
        return
    verdict = "ok" if value < target else "OVER TARGET"
    print(f"{label:<60} {value:10.3f} {unit}   (target < {target:g} {unit}: {verdict})")


def timed_ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def postgres_cpu_seconds() -> float:
    """CPU time used so far by the `postgres` processes on this machine, ended backends
    included (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime + stime, and the children's it reaped (the postmaster's ended backends)
        total += sum(int(value) for value in fields[11:15])
    return total / tick


def open_store(url: str, reader: str) -> Any:
    progress = open_progress(NOWHERE, reader, "thaw", url)
    if not progress.persistent:
        sys.exit(f"the store is not saving: {progress.notices}")
    return progress


# --- single session -----------------------------------------------------------------------
def bench_marks(url: str, count: int) -> None:
    progress = open_store(url, f"bench-marks-{os.getpid()}")
    calls: list[float] = []
    commits: list[float] = []
    for index in range(count):
        start = time.perf_counter()
        progress.mark([f"item-{index}"])
        called = time.perf_counter()
        if not progress.flush(10):
            sys.exit("a mark was not written")
        done = time.perf_counter()
        calls.append((called - start) * 1000)
        commits.append((done - start) * 1000)
    progress.close()
    report(f"mark to commit, p50 of {count}", percentile(commits, 0.5))
    report(f"mark to commit, p95 of {count}", percentile(commits, 0.95), MARK_P95_TARGET_MS)
    report("mark() call (what a key waits for), p95", percentile(calls, 0.95))


def import_cost_ms() -> float:
    probe = (
        "import time, thaw_tui.progress.store\n"
        "start = time.perf_counter()\n"
        "import thaw_tui.progress.postgres\n"
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


def bench_start(url: str, repeats: int, socket_url: str | None) -> None:
    reader = f"bench-start-{os.getpid()}"
    progress = open_store(url, reader)
    progress.mark([f"item-{i}" for i in range(300)])
    progress.close()
    opens = [timed_ms(lambda: open_store(url, reader).close()) for _ in range(repeats)]
    report("import the driver (paid once per warm process)", import_cost_ms())
    report("store start-up: open + close, 300 items seen, median", statistics.median(opens))
    report("store start-up: open + close, p95", percentile(opens, 0.95), START_TARGET_MS)
    if socket_url:
        local = [timed_ms(lambda: open_store(socket_url, reader).close()) for _ in range(repeats)]
        report("  the same over the unix socket, no SCRAM, median", statistics.median(local))
        report("  the same over the unix socket, no SCRAM, p95", percentile(local, 0.95))


def bench_throughput(url: str, sessions: int, seconds: float) -> float:
    stores = [open_store(url, f"bench-rate-{os.getpid()}-{n}") for n in range(sessions)]
    made = [0] * sessions
    stop = time.monotonic() + seconds

    def run(index: int) -> None:
        progress = stores[index]
        while time.monotonic() < stop:
            progress.mark([f"item-{made[index]}"])
            progress.flush(10)
            made[index] += 1

    cpu_before = postgres_cpu_seconds()
    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(n,)) for n in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    cpu = postgres_cpu_seconds() - cpu_before
    for progress in stores:
        progress.close()
    rate = sum(made) / elapsed
    report(f"throughput, {sessions} sessions marking flat out", rate, unit="marks/s")
    if cpu > 0:
        report("  per second of PostgreSQL CPU (local server only)", sum(made) / cpu, unit="marks")
    return rate


# --- two hosts of readers -----------------------------------------------------------------
def host_worker(url: str, host: int, seconds: float) -> dict[str, Any]:
    """One host: 100 readers' stores; 10 mark once a second, the rest refresh."""
    readers = [
        open_store(url, f"bench-load-{os.getpid()}-h{host}-r{n}") for n in range(READERS_PER_HOST)
    ]
    markers, idle = readers[:MARKERS_PER_HOST], readers[MARKERS_PER_HOST:]
    calls: list[float] = []
    commits: list[float] = []
    made = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def mark_loop(index: int, progress: Any) -> None:
        nonlocal made
        count = 0
        next_at = time.monotonic() + (index / MARKERS_PER_HOST)  # spread over the second
        while next_at < stop:
            time.sleep(max(0.0, next_at - time.monotonic()))
            start = time.perf_counter()
            progress.mark([f"item-{count}"])
            called = time.perf_counter()
            saved = progress.flush(10)
            done = time.perf_counter()
            with lock:
                calls.append((called - start) * 1000)
                commits.append((done - start) * 1000)
                made += 1
            if not saved:
                print("a mark was not saved within 10 s", file=sys.stderr)
            count += 1
            next_at += 1.0

    def refresh_loop() -> None:
        while time.monotonic() < stop:
            for progress in idle:
                progress.refresh()
            time.sleep(REFRESH_SECONDS)

    threads = [threading.Thread(target=mark_loop, args=(n, p)) for n, p in enumerate(markers)]
    threads.append(threading.Thread(target=refresh_loop))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for progress in readers:
        progress.close()
    return {"calls": calls, "commits": commits, "made": made, "pid": os.getpid()}


def bench_load(url: str, seconds: float) -> None:
    env = {**os.environ, URL_ENV: url}
    cpu_before = postgres_cpu_seconds()
    workers = [
        subprocess.Popen(
            [sys.executable, __file__, "--host-worker", str(host), "--seconds", str(seconds)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for host in range(HOSTS)
    ]
    results = []
    for worker in workers:
        out, _ = worker.communicate(timeout=seconds + 300)
        if worker.returncode != 0:
            sys.exit(f"a host worker failed ({worker.returncode})")
        results.append(json.loads(out.splitlines()[-1]))
    cpu = postgres_cpu_seconds() - cpu_before
    calls = [ms for result in results for ms in result["calls"]]
    commits = [ms for result in results for ms in result["commits"]]
    made = sum(result["made"] for result in results)
    written = count_written(url, [result["pid"] for result in results])
    label = f"{HOSTS} hosts x {READERS_PER_HOST} readers, {HOSTS * MARKERS_PER_HOST} marking"
    print(f"{label}, {seconds:g} s:")
    report("  mark() call (the key's share), p95", percentile(calls, 0.95), LOAD_KEY_P95_TARGET_MS)
    report("  mark to commit, p95", percentile(commits, 0.95), LOAD_KEY_P95_TARGET_MS)
    print(f"  marks made {made}, marks written {written}" + ("" if made == written else "  LOST"))
    if cpu > 0:
        report("  PostgreSQL CPU used, per second of the run", cpu / seconds, unit="cores")


def count_written(url: str, pids: list[int]) -> int:
    import psycopg

    from thaw_tui.progress.postgres import conninfo_for

    with psycopg.connect(conninfo_for(url)) as conn:
        total = 0
        for pid in pids:
            row = conn.execute(
                "SELECT count(*) FROM thaw_item_state i JOIN thaw_scope s ON s.id = i.scope "
                "WHERE s.reader LIKE %s AND i.seen",
                (f"bench-load-{pid}-%",),
            ).fetchone()
            total += int(row[0]) if row else 0
        return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a postgresql:// URL (default: $THAW_PROGRESS_URL, else own)")
    parser.add_argument("--quick", action="store_true", help="fewer samples, a shorter load run")
    parser.add_argument("--no-load", action="store_true", help="skip the two-host load run")
    parser.add_argument("--host-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=30.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.host_worker is not None:
        result = host_worker(os.environ[URL_ENV], args.host_worker, args.seconds)
        print(json.dumps(result))
        return 0

    url = args.url or os.environ.get(URL_ENV)
    if args.url and has_password(args.url):
        print("(a password on the command line shows in ps: prefer $THAW_PROGRESS_URL)")
    server = None
    from support.postgres_server import TEST_DATABASE, start_server

    if not url:
        server = start_server(durable=True)
        if server is None:
            sys.exit("no --url and no PostgreSQL server binaries to start one")
        url = server.url(TEST_DATABASE)
        print(f"own PostgreSQL {server.bindir.parent.name} on 127.0.0.1:{server.port}, fsync on")
    try:
        from thaw_tui.progress.postgres import migrate

        migrate(url)
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
        bench_marks(url, 300 if args.quick else 2000)
        socket_url = None
        if server is not None:  # its own server trusts local (unix socket) connections
            socket_url = (
                f"postgresql:///{TEST_DATABASE}?host={server.socket_dir}&port={server.port}"
                f"&user=thaw_test_admin"
            )
        bench_start(url, 10 if args.quick else 40, socket_url)
        bench_throughput(url, 8, 3.0 if args.quick else 10.0)
        if not args.no_load:
            bench_load(url, 10.0 if args.quick else 30.0)
    finally:
        if server is not None:
            server.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
