"""`thaw serve` under the red team's attacks: the review's table of figures, again.

Runs each attack of ../shared/reviews/redteam.md ("Figures") against a real
`thaw serve --open` (real app, warm readers) on 127.0.0.1, with an innocent reader
measuring its key latency (key press to first output byte, as the review did), and
prints the review's figures beside today's:

- 110 silent TCP connections from 22 addresses (reopened as closed), readers trying
  to connect meanwhile (F1), and an `ssh -N` login that opens no session;
- 10 connections in a row, each sending 150,000 env requests of 1 KB (F2), on a
  server whose per-connection byte budget is lifted so that the whole flood arrives
  and the env limit alone is measured (with the budget, such a flood takes ~40 min);
- one reader sent 20 MB of random bytes (F4), and 8 readers flooding keys (F4, F14);
- 100,000 window changes from one client (F5);
- SIGTERM with sessions open (F13).

Run from the repository root with the virtualenv active:

    python bench/bench_attacks.py            # the review's sizes: about 15 minutes
    python bench/bench_attacks.py --quick    # smaller floods, shorter windows: ~3 minutes

Floods run in processes of their own, so that their client-side work never delays
the innocent reader's measurements. Exit status 0 when every target holds (readers
get in during the silent flood, server RSS after the env floods under +50 MiB, one
reader under 200 MiB, other readers' key p95 under 50 ms during the window-change
flood), 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

REPO = Path(__file__).resolve().parents[1]
# The shared test helpers (tests/support) import as `support.<module>`.
sys.path.insert(0, str(REPO / "tests"))

from support.floods import SilentFlood  # noqa: E402
from support.ssh_helpers import ServeProcess, make_key, rss_kib, start_serve  # noqa: E402

TITLE = b"Thawing Relations"
MIB = 1024
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- measuring -------------------------------------------------------------------------
def proc_kib(pid: int, field_name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def latency_text(values: list[float]) -> str:
    if not values:
        return "no keys measured"
    return (
        f"p50 {statistics.median(values):.1f}, p95 {percentile(values, 0.95):.1f}, "
        f"max {max(values):.1f} ms"
    )


async def connect(port: int, key: asyncssh.SSHKey) -> asyncssh.SSHClientConnection:
    return await asyncssh.connect(
        "127.0.0.1",
        port,
        known_hosts=None,
        username="bench",
        client_keys=[key],
        agent_path=None,
        config=[],
    )


class Screen(asyncssh.SSHClientSession):  # type: ignore[type-arg]
    """A reader's side of a session: everything received, and when output came."""

    def __init__(self) -> None:
        self.received = bytearray()
        self.first_after: float = 0.0
        self.arrived = asyncio.Event()
        self.last = time.perf_counter()

    def data_received(self, data: bytes, datatype: int | None) -> None:
        now = time.perf_counter()
        if not self.arrived.is_set():
            self.first_after = now
            self.arrived.set()
        self.received += data
        self.last = now

    async def painted(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while TITLE not in self.received:
            if time.monotonic() > deadline:
                tail = bytes(self.received[-300:]).decode(errors="replace")
                raise TimeoutError(f"the reader never painted; it showed: {tail!r}")
            await asyncio.sleep(0.02)
        while time.perf_counter() - self.last < 0.5:
            await asyncio.sleep(0.05)


async def open_reader(port: int, key: asyncssh.SSHKey) -> tuple[Any, Any, Screen]:
    conn = await connect(port, key)
    chan, screen = await conn.create_session(
        Screen, term_type="xterm-256color", term_size=(80, 24), encoding=None
    )
    await screen.painted()
    return conn, chan, screen


async def key_latencies(port: int, seconds: float, interval: float = 0.1) -> list[float]:
    """The innocent reader: j and k in turn, the time from each to the first output."""
    key = asyncssh.generate_private_key("ssh-ed25519")
    conn, chan, screen = await open_reader(port, key)
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    presses = 0
    try:
        while time.monotonic() < deadline:
            screen.arrived.clear()
            sent = time.perf_counter()
            chan.write(b"j" if presses % 2 == 0 else b"k")
            presses += 1
            try:
                await asyncio.wait_for(screen.arrived.wait(), 5)
                latencies.append((screen.first_after - sent) * 1000)
            except TimeoutError:
                latencies.append(5000.0)
            await asyncio.sleep(interval)
    finally:
        conn.close()
    return latencies


def measure_keys(port: int, seconds: float) -> list[float]:
    return asyncio.run(key_latencies(port, seconds))


# --- floods, each in a process of its own ----------------------------------------------
def _resize_flood(port: int, count: int, done: Any) -> None:
    async def flood() -> None:
        key = asyncssh.generate_private_key("ssh-ed25519")
        conn, chan, _screen = await open_reader(port, key)
        for number in range(count):
            chan.change_terminal_size(80 + number % 40, 24 + number % 20)
            if number % 1000 == 999:
                await asyncio.sleep(0)  # let the transport write
        done.value = 1
        await asyncio.sleep(3600)
        conn.close()

    asyncio.run(flood())


def _key_flood(port: int, total: int, kind: str, taken: Any) -> None:
    async def flood() -> None:
        key = asyncssh.generate_private_key("ssh-ed25519")
        conn = await connect(port, key)
        process = await conn.create_process(
            term_type="xterm-256color", term_size=(80, 24), encoding=None
        )
        await process.stdout.read(1)
        rng = random.Random(7)
        if kind == "random":  # no q and no ctrl+q: the reader is not to quit
            allowed = bytes(b for b in range(256) if b not in (ord("q"), 0x11))
            chunk = bytes(rng.choice(allowed) for _ in range(64 * 1024))
        else:
            chunk = b"jjjjkkkk" * 8192
        sent = 0
        while sent < total:
            process.stdin.write(chunk)
            await process.stdin.drain()  # as fast as the server takes it, no faster
            sent += len(chunk)
            taken.value = sent
        await asyncio.sleep(3600)
        conn.close()

    asyncio.run(flood())


def _env_flood(port: int, count: int, size: int) -> None:
    async def flood() -> None:
        key = asyncssh.generate_private_key("ssh-ed25519")
        async with await connect(port, key) as conn:
            env = {f"V{n}": "x" * size for n in range(count)}
            chan, screen = await conn.create_session(
                Screen, term_type="xterm", env=env, encoding=None
            )
            await screen.painted(timeout=600)  # a loaded machine may take a while
            chan.write(b"q")
            await chan.wait_closed()

    asyncio.run(flood())


SPAWN = multiprocessing.get_context("spawn")


# --- the scenarios ----------------------------------------------------------------------
@dataclass
class Row:
    scenario: str
    review: str
    now: str
    ok: bool | None = None  # None: a figure, not a target


@dataclass
class Bench:
    work: Path
    quick: bool
    rows: list[Row] = field(default_factory=list)
    servers: int = 0

    def serve(self, *args: str, **kwargs: Any) -> ServeProcess:
        self.servers += 1
        return start_serve(
            self.work / f"serve{self.servers}", *args, child=None, rate_limit=30, **kwargs
        )

    def add(self, scenario: str, review: str, now: str, ok: bool | None = None) -> None:
        self.rows.append(Row(scenario, review, now, ok))
        mark = "" if ok is None else (" [ok]" if ok else " [MISSED]")
        print(f"- {scenario}: {now}{mark}", flush=True)

    # Idle, and the innocent reader's baseline.
    def idle(self) -> None:
        server = self.serve()
        try:
            warm = server.warm_process()
            keys = measure_keys(server.port, 5 if self.quick else 15)
            warm_rss = f" (+ warm process {rss_kib(warm) / MIB:.1f} MiB)" if warm else ""
            self.add(
                "Idle fresh server",
                "42.8 MiB (+ warm 37.3 MiB); key p50 6-7, p95 ~10 ms",
                f"{rss_kib(server.pid) / MIB:.1f} MiB{warm_rss}; key {latency_text(keys)}",
            )
        finally:
            server.stop()

    # F1: silent connections, and a login without a session.
    def silent(self) -> None:
        server = self.serve()
        attempts, gap = (3, 5.0) if self.quick else (11, 10.0)
        flood = SilentFlood(server.port, [f"127.0.1.{n}" for n in range(1, 23)], 5)
        flood.start()
        try:
            while flood.opened < 110:
                time.sleep(0.05)
            key = make_key(self.work / "keys", "silent")
            admitted = 0
            for _ in range(attempts):
                session = server.interactive(key)
                try:
                    session.wait_for_text(TITLE.decode(), 20)
                    admitted += 1
                except TimeoutError:
                    pass
                finally:
                    session.close()
                    server.sessions.remove(session)
                time.sleep(gap)
            figures = (
                f"readers admitted {admitted}/{attempts}; flood opened {flood.opened}, "
                f"{flood.closed_by_server} closed by the server, {flood.open_now} open; "
                f"server {rss_kib(server.pid) / MIB:.1f} MiB, {open_fds(server.pid)} fds"
            )
        finally:
            flood.running = False
            flood.join(5)
            server.stop()
        self.add(
            "110 silent TCP from 22 addresses",
            "cap full; legit readers refused 11/11 and 3/3; 48.5 MiB, 121 fds",
            figures,
            admitted == attempts,
        )
        idle = "5s" if self.quick else "20s"
        server = self.serve("--idle-timeout", idle)
        try:
            started = time.monotonic()
            server.run(make_key(self.work / "keys", "lingerer"), "-N", timeout=120)
            lasted = time.monotonic() - started
        finally:
            server.stop()
        self.add(
            f"`ssh -N` authenticated, no session (--idle-timeout {idle})",
            "not closed (150 s; 70 s with 20 s idle timeout)",
            f"closed after {lasted:.1f} s",
            lasted < 40,
        )

    # F2: env floods, with the byte budget lifted.
    def env(self) -> None:
        count = 15_000 if self.quick else 150_000
        lifted = {"input_rate": 1e12, "input_burst": 1e12}
        server = self.serve(env={"SERVE_TEST_OVERRIDES": json.dumps(lifted)})
        try:
            start = rss_kib(server.pid)
            after = []
            for _ in range(10):
                flood = SPAWN.Process(target=_env_flood, args=(server.port, count, 1000))
                flood.start()
                flood.join()
                after.append(rss_kib(server.pid))
            grown = max(after) - start
        finally:
            server.stop()
        self.add(
            f"10 sequential env floods ({count:,} x 1 KB)",
            "44 -> 3,337 MiB",
            f"{start / MIB:.0f} -> {after[-1] / MIB:.0f} MiB (peak +{grown / MIB:.1f} MiB)",
            grown < 50 * MIB,
        )

    # F4: one reader and 20 MB of random bytes.
    def random_input(self) -> None:
        seconds = 20 if self.quick else 120
        server = self.serve()
        taken = SPAWN.Value("q", 0)
        flood = SPAWN.Process(target=_key_flood, args=(server.port, 20_000_000, "random", taken))
        try:
            before = rss_kib(server.pid)
            flood.start()
            deadline = time.monotonic() + 30
            while not server.readers() and time.monotonic() < deadline:
                time.sleep(0.1)
            (flooded,) = server.readers()
            keys = measure_keys(server.port, seconds)
            peak = proc_kib(flooded, "VmHWM")
            alive = flooded in server.readers()
            figures = (
                f"{taken.value / 1e6:.1f} MB sent in {seconds} s; reader peak "
                f"{peak / MIB:.1f} MiB, still running: {alive}; server "
                f"{before / MIB:.1f} -> {rss_kib(server.pid) / MIB:.1f} MiB; "
                f"key {latency_text(keys)}"
            )
        finally:
            flood.kill()
            flood.join()
            server.stop()
        self.add(
            "1 x 20 MB random input (no q)",
            "reader peak 921.6 MiB, then exit 1; server 48.7 -> 63.8 MiB; p95 15.3 ms",
            figures,
            alive and 0 < peak < 200 * MIB,
        )

    # F4, F14: eight readers flooding keys.
    def key_floods(self) -> None:
        seconds = 20 if self.quick else 120
        server = self.serve("--max-per-ip", "20")  # nine clients from one address
        takens = [SPAWN.Value("q", 0) for _ in range(8)]
        floods = [
            SPAWN.Process(target=_key_flood, args=(server.port, 15_000_000, "keys", taken))
            for taken in takens
        ]
        try:
            before = rss_kib(server.pid)
            for flood in floods:
                flood.start()
            deadline = time.monotonic() + 60
            while len(server.readers()) < 8 and time.monotonic() < deadline:
                time.sleep(0.1)
            flooded = server.readers()
            keys = measure_keys(server.port, seconds)
            rss = [proc_kib(pid, "VmRSS") for pid in flooded]
            figures = (
                f"{sum(t.value for t in takens) / 1e6:.1f} MB sent in {seconds} s; readers "
                f"total {sum(rss) / MIB:.0f} MiB, max {max(rss) / MIB:.0f} MiB; server "
                f"{before / MIB:.1f} -> {rss_kib(server.pid) / MIB:.1f} MiB; "
                f"key {latency_text(keys)}"
            )
        finally:
            for flood in floods:
                flood.kill()
                flood.join()
            server.stop()
        self.add(
            "8 x 15 MB keystroke floods",
            "readers 3,538 MiB total, max 516; server 60 -> 171.6 MiB; p50 14.1, p95 39.9, "
            "max 121.9 ms",
            figures,
            max(rss) < 200 * MIB,
        )

    # F5: window changes.
    def window_changes(self) -> None:
        seconds = 20 if self.quick else 60
        server = self.serve()
        done = SPAWN.Value("b", 0)
        flood = SPAWN.Process(target=_resize_flood, args=(server.port, 100_000, done))
        try:
            flood.start()
            deadline = time.monotonic() + 60
            while not done.value and time.monotonic() < deadline:
                time.sleep(0.05)
            cpu_before, started = cpu_seconds(server.pid), time.monotonic()
            keys = measure_keys(server.port, seconds)
            cpu = (cpu_seconds(server.pid) - cpu_before) / (time.monotonic() - started)
            p95 = percentile(keys, 0.95)
            figures = (
                f"key {latency_text(keys)} over {seconds} s of the flood; server CPU "
                f"{cpu * 100:.0f}% of a core; server {rss_kib(server.pid) / MIB:.1f} MiB"
            )
        finally:
            flood.kill()
            flood.join()
            server.stop()
        self.add(
            "100k window changes",
            "p95 212.8 / 313.3 ms, max 1,363.9 / 1,124.6 ms; server 79% of a core",
            figures,
            p95 < 50,
        )

    # F13: SIGTERM with sessions open.
    def shutdown(self) -> None:
        server = self.serve()
        key = make_key(self.work / "keys", "shutdown")
        sessions = [server.interactive(key) for _ in range(3)]
        for session in sessions:
            session.wait_for_text(TITLE.decode(), 60)
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(30)
        stopped = time.monotonic() - started
        statuses = [session.wait_exit(10) for session in sessions]
        told = sum(b"shutting down" in bytes(s.raw) for s in sessions)
        lines = server.log_lines()
        logged = sum(line.endswith("exit=shutdown") for line in lines)
        self.add(
            "SIGTERM with 3 warm sessions",
            "stops in 1.21 s; 0 of 5 sessions logged, no exit status",
            f"stops in {stopped:.2f} s; {logged} of 3 logged, {told} told, "
            f"exit statuses {statuses}; leftovers {len(server.readers())}",
            logged == 3 and told == 3,
        )
        server.stop()


def print_table(rows: list[Row]) -> None:
    print()
    print("| Scenario | Review (29efab7) | After the fixes |")
    print("|---|---|---|")
    for row in rows:
        mark = "" if row.ok is None else (" (ok)" if row.ok else " (MISSED)")
        print(f"| {row.scenario} | {row.review} | {row.now}{mark} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--quick", action="store_true", help="smaller floods, shorter windows")
    parser.add_argument(
        "--only",
        nargs="*",
        choices=["idle", "silent", "env", "random", "keys", "resize", "shutdown"],
        help="run only these scenarios",
    )
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="thaw-bench-attacks-"))
    bench = Bench(work, options.quick)
    scenarios: dict[str, Callable[[], None]] = {
        "idle": bench.idle,
        "silent": bench.silent,
        "env": bench.env,
        "random": bench.random_input,
        "keys": bench.key_floods,
        "resize": bench.window_changes,
        "shutdown": bench.shutdown,
    }
    try:
        for name, run in scenarios.items():
            if not options.only or name in options.only:
                run()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(bench.rows)
    print(f"\n{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    missed = [row.scenario for row in bench.rows if row.ok is False]
    print("all targets held" if not missed else f"MISSED: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
