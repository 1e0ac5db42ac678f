"""UI speed benchmark for `thaw`, measured through a real pseudo-terminal.

Prints each figure beside its target (issue 3, "Speed") and whether it passes:

- first paint of `thaw` against the minimal Textual app in `minimal_app.py`, measured
  in the same run, cold starts interleaved;
- key-to-repaint latency for j/k and for Enter/Backspace;
- peak resident memory of `thaw` on the shipped pack;
- the same first paint and j/k figures with a generated 10,000-item pack
  (`scripts/genpack.py`), when that script exists.

Run from the repository root with the virtualenv active:

    python bench/bench_ui.py            # full run
    python bench/bench_ui.py --quick    # fewer samples, for a smoke test

Exit status: 0 when every target passes, 1 when one fails. See bench/README.md for
how each figure is measured.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The shared test helpers (tests/support) import as `support.<module>`.
sys.path.insert(0, str(REPO / "tests"))

from support.pty_harness import KEYS, PtySession, find_command, terminal_env  # noqa: E402
from support.reader_state import first_screen_closed  # noqa: E402

MINIMAL_APP = REPO / "bench" / "minimal_app.py"
MINIMAL_MARKER = "Minimal app ready"
GENPACK = REPO / "scripts" / "genpack.py"
SHIPPED_PACK = REPO / "content"
COLS, ROWS = 80, 24

# A repaint is over when the terminal has been silent this long.
QUIET = 0.1
# A key that produces no output within this long counts as a miss.
KEY_TIMEOUT = 2.0


# --- results -------------------------------------------------------------------------
@dataclass
class Figure:
    name: str
    value: str
    target: str
    passed: bool | None  # None: informational, no target


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation: a p95 is a latency that happened)."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


# --- running things --------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """A program to start, and the text that means it has painted."""

    label: str
    argv: tuple[str, ...]
    marker: str
    env: dict[str, str]


def thaw_target(label: str, state_dir: Path, content: Path | None, marker: str) -> Target:
    argv = [find_command("thaw"), "--state-dir", str(state_dir)]
    if content is not None:
        argv += ["--content", str(content)]
    return Target(label, tuple(argv), marker, terminal_env({"THAW_STATE_DIR": str(state_dir)}))


def minimal_target() -> Target:
    return Target("minimal", (sys.executable, str(MINIMAL_APP)), MINIMAL_MARKER, terminal_env())


def start(target: Target) -> PtySession:
    return PtySession(target.argv, cols=COLS, rows=ROWS, env=target.env, cwd=REPO)


def first_paint_once(target: Target, timeout: float) -> float:
    """Seconds from spawn until the marker text is on the pty's screen."""
    with start(target) as session:
        painted_at = session.wait_for_text(target.marker, timeout)
        elapsed = painted_at - session.spawned_at
        session.press("q")
        try:
            session.wait_exit(5)
        except subprocess.TimeoutExpired:
            pass  # close() kills it
    return elapsed


def first_paints(targets: Sequence[Target], runs: int, timeout: float) -> dict[str, list[float]]:
    """Cold starts, interleaved so that machine noise hits every target alike."""
    results: dict[str, list[float]] = {target.label: [] for target in targets}
    for target in targets:  # one warm-up each: fills the OS file cache and .pyc files
        first_paint_once(target, timeout)
    for _ in range(runs):
        for target in targets:
            results[target.label].append(first_paint_once(target, timeout))
    return results


@dataclass
class KeyTiming:
    first_byte: float  # key written -> first byte of output
    first_change: float  # key written -> first output that changed the screen
    settled: float  # key written -> last screen change before the output went quiet


def time_key(session: PtySession, key: str) -> KeyTiming | None:
    """Press one key and time the repaint it causes; None if the screen did not change."""
    session.wait_for_quiet(QUIET)
    index = len(session.chunks)
    sent_at = session.send(_key_bytes(key))
    try:
        first_change = session.wait_for_screen_change_after(index, KEY_TIMEOUT)
    except TimeoutError:
        return None
    session.wait_for_quiet(QUIET)
    after = session.chunks[index:]
    last_change = [chunk for chunk in after if chunk.changed_screen][-1]
    return KeyTiming(
        first_byte=after[0].at - sent_at,
        first_change=first_change.at - sent_at,
        settled=last_change.at - sent_at,
    )


def _key_bytes(key: str) -> bytes:
    return KEYS.get(key, key.encode())


@dataclass
class KeyGroup:
    """Timings of one kind of key press ("j/k", "Enter", ...)."""

    timings: list[KeyTiming] = field(default_factory=list)
    misses: int = 0  # presses after which the screen did not change


# j three times then k three times: every press moves the cursor in any list of 4+ rows.
JK = ("j", "j", "j", "k", "k", "k")
# Open the selected item, go back: each press swaps the whole screen.
OPEN_BACK = ("enter", "backspace")
GROUP_OF_KEY = {"j": "j/k", "k": "j/k", "enter": "Enter", "backspace": "Backspace"}


@dataclass
class KeyRun:
    groups: dict[str, KeyGroup]
    rss_at_paint_kib: int  # VmHWM once the first screen is up
    rss_kib: int  # VmHWM after all the keys


def measure_keys(target: Target, rounds: int, timeout: float, with_open: bool) -> KeyRun:
    """In one session: `rounds` rounds of j/k, then (`with_open`) twice as many of
    Enter/Backspace; then the peak RSS."""
    groups: dict[str, KeyGroup] = {}
    sequence = [JK] * rounds + ([OPEN_BACK] * (2 * rounds) if with_open else [])
    with start(target) as session:
        session.wait_for_text(target.marker, timeout)
        session.wait_for_quiet(0.3)
        rss_at_paint_kib = session.peak_rss_kib()
        for keys in sequence:
            for key in keys:
                group = groups.setdefault(GROUP_OF_KEY[key], KeyGroup())
                timing = time_key(session, key)
                if timing is None:
                    group.misses += 1
                else:
                    group.timings.append(timing)
        rss_kib = session.peak_rss_kib()
        session.press("q")
        try:
            session.wait_exit(5)
        except subprocess.TimeoutExpired:
            pass  # close() kills it
    return KeyRun(groups, rss_at_paint_kib, rss_kib)


def pack_title(pack_dir: Path) -> str:
    """The manifest title of a pack folder (the text the header shows)."""
    import yaml

    for path in sorted(pack_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("pack"), dict):
            return str(data["pack"]["title"])
    raise SystemExit(f"{pack_dir}: no pack manifest found (a file with a top-level `pack:`)")


def first_row(pack_dir: Path) -> str:
    """The start of the first row of the first pane: when it is on screen, the first
    screen is painted whole (the header alone can come a frame sooner)."""
    from thaw_tui.pack.load import load_pack
    from thaw_tui.ui.pane_specs import PANES
    from thaw_tui.ui.reading_order import PaneOrders

    pack = load_pack(pack_dir)
    first_id = PaneOrders(pack).items(PANES[0].id)[0]
    return pack.items[first_id].title[:20]


def generate_pack(items: int, out_dir: Path) -> Path | None:
    if not GENPACK.exists():
        return None
    subprocess.run(
        [sys.executable, str(GENPACK), "--items", str(items), str(out_dir)],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )
    return out_dir


# --- the report --------------------------------------------------------------------------
def latency_figures(label: str, group: KeyGroup, limit: float | None) -> list[Figure]:
    """Two rows per key group: the first visible change and the repaint settling."""
    timings, misses = group.timings, group.misses
    if not timings:
        return [Figure(f"{label}: key to repaint", "no repaint seen", _limit(limit), False)]
    figures = []
    for what, values in (
        ("key to first screen change", [t.first_change for t in timings]),
        ("key to repaint settled", [t.settled for t in timings]),
    ):
        p95 = percentile(values, 0.95)
        figures.append(
            Figure(
                f"{label}: {what} p50 / p95",
                f"{ms(statistics.median(values))} / {ms(p95)}",
                _limit(limit, "p95"),
                None if limit is None else p95 <= limit,
            )
        )
    if misses:
        figures.append(Figure(f"{label}: keys that changed nothing", str(misses), "0", False))
    return figures


def _limit(limit: float | None, prefix: str = "") -> str:
    if limit is None:
        return "(reference)"
    return f"{prefix} <= {ms(limit)}".strip()


def print_table(figures: Sequence[Figure]) -> None:
    widths = [
        max(len(row) for row in [header, *column])
        for header, column in (
            ("figure", [f.name for f in figures]),
            ("measured", [f.value for f in figures]),
            ("target", [f.target for f in figures]),
        )
    ]

    def row(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=False))

    print(row(("figure", "measured", "target")) + "  result")
    print(row(["-" * w for w in widths]) + "  ------")
    for figure in figures:
        verdict = {True: "PASS", False: "FAIL", None: ""}[figure.passed]
        print(row((figure.name, figure.value, figure.target)) + "  " + verdict)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- main ----------------------------------------------------------------------------------
def paint_figures(minimal: Target, thaw: Target, runs: int, timeout: float) -> list[Figure]:
    log(f"first paint: {runs} cold starts each of thaw and the minimal app ...")
    paints = first_paints([minimal, thaw], runs, timeout)
    minimal_paint = statistics.median(paints[minimal.label])
    thaw_paint = statistics.median(paints[thaw.label])
    ratio = thaw_paint / minimal_paint
    return [
        Figure("first paint, minimal Textual app (median)", ms(minimal_paint), "", None),
        Figure("first paint, thaw (median)", ms(thaw_paint), "", None),
        Figure("first paint, thaw / minimal", f"{ratio:.3f}x", "<= 1.15x", ratio <= 1.15),
    ]


def key_figures(minimal: Target, thaw: Target, rounds: int, timeout: float) -> list[Figure]:
    log("key latency: minimal app (reference) ...")
    reference = measure_keys(minimal, rounds, timeout, with_open=False)
    log("key latency and memory: thaw, shipped pack ...")
    shipped = measure_keys(thaw, rounds, timeout, with_open=True)
    rss_mib = shipped.rss_kib / 1024
    return [
        *latency_figures("j/k, minimal app", reference.groups["j/k"], None),
        *latency_figures("j/k, thaw", shipped.groups["j/k"], 0.016),
        *latency_figures("Enter, thaw", shipped.groups["Enter"], 0.033),
        *latency_figures("Backspace, thaw", shipped.groups["Backspace"], 0.033),
        Figure("peak RSS, minimal app", f"{reference.rss_kib / 1024:.1f} MiB", "", None),
        Figure(
            "peak RSS, thaw, after first paint",
            f"{shipped.rss_at_paint_kib / 1024:.1f} MiB",
            "",
            None,
        ),
        Figure("peak RSS, thaw, after all keys", f"{rss_mib:.1f} MiB", "< 50 MiB", rss_mib < 50),
    ]


def large_pack_figures(
    thaw: Target, scratch: Path, items: int, runs: int, rounds: int, timeout: float
) -> list[Figure]:
    log(f"generating a {items}-item pack ...")
    big = generate_pack(items, scratch / "big-pack")
    if big is None:
        return [Figure(f"{items}-item pack", f"{GENPACK.name} missing: skipped", "", False)]
    big_title = first_row(big)
    big_thaw = thaw_target("thaw-big", scratch / "state-big", big, big_title)
    all_seen = thaw_target("thaw-big-seen", scratch / "state-big-seen", big, big_title)
    mark_everything_seen(big, scratch / "state-big-seen")
    log(f"first paint: {runs} cold starts each, shipped, generated, generated all seen ...")
    paints = first_paints([thaw, big_thaw, all_seen], runs, timeout)
    shipped_paint = statistics.median(paints[thaw.label])
    big_paint = statistics.median(paints[big_thaw.label])
    seen_paint = statistics.median(paints[all_seen.label])
    ratio = big_paint / shipped_paint
    seen_ratio = seen_paint / big_paint
    log("key latency: thaw, generated pack ...")
    keys = measure_keys(
        thaw_target(
            "thaw-big", first_screen_closed(scratch / "state-big-keys", big), big, big_title
        ),
        rounds,
        timeout,
        with_open=False,
    )
    return [
        Figure("first paint, thaw, shipped (2nd run, median)", ms(shipped_paint), "", None),
        Figure(f"first paint, {items} items (median)", ms(big_paint), "", None),
        Figure(f"first paint, {items} items / shipped", f"{ratio:.3f}x", "<= 1.5x", ratio <= 1.5),
        Figure(f"first paint, {items} items all seen (median)", ms(seen_paint), "", None),
        Figure(
            f"first paint, {items} items: all seen / empty store",
            f"{seen_ratio:.3f}x",
            "<= 1.1x",
            seen_ratio <= 1.1,
        ),
        *latency_figures(f"j/k, thaw, {items} items", keys.groups["j/k"], 0.050),
        Figure(f"peak RSS, thaw, {items} items", f"{keys.rss_kib / 1024:.1f} MiB", "", None),
    ]


def mark_everything_seen(pack_dir: Path, state_dir: Path) -> None:
    """A reader who has read the whole pack: every item marked seen in the real store."""
    from thaw_tui.pack.load import load_pack
    from thaw_tui.progress.store import open_progress

    pack = load_pack(pack_dir)
    progress = open_progress(state_dir, "local", pack.manifest.id)
    progress.mark(list(pack.items))
    progress.close()


def run(args: argparse.Namespace) -> int:
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="thaw-bench-") as scratch_name:
        scratch = Path(scratch_name)
        title = first_row(SHIPPED_PACK)
        minimal = minimal_target()
        thaw = thaw_target("thaw", scratch / "state-paint", None, title)
        figures = paint_figures(minimal, thaw, args.runs, args.timeout)
        figures += key_figures(
            minimal,
            # A returning reader's: the keys go to the Story list, not the first screen.
            thaw_target("thaw", first_screen_closed(scratch / "state-keys"), None, title),
            args.rounds,
            args.timeout,
        )
        if args.items:
            figures += large_pack_figures(
                thaw, scratch, args.items, args.runs, args.rounds, args.timeout
            )

    print_table(figures)
    load_at_end = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    print(f"\nmachine: {cpus} CPUs; load average {load_at_start:.1f} at start, ", end="")
    print(f"{load_at_end:.1f} at end")
    if max(load_at_start, load_at_end) > cpus:
        print("warning: the machine was busy (load above CPU count): figures are noisy")
    return 0 if all(f.passed is not False for f in figures) else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=12, help="cold starts per program (>= 10)")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of j/k and Enter/Back")
    parser.add_argument("--items", type=int, default=10_000, help="generated pack size (0: skip)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for paint")
    parser.add_argument("--quick", action="store_true", help="3 runs, 3 rounds: a smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.rounds = 3, 3
    started = time.perf_counter()
    # Starts are timed as a reader sees them from the second on: from bytecode. Python
    # writes it on the first import, unless PYTHONDONTWRITEBYTECODE is set; then every
    # changed module would be compiled again in every timed start (Textual's own were
    # compiled when pip installed it).
    compileall.compile_dir(REPO / "src", quiet=1)
    try:
        status = run(args)
    except TimeoutError as error:  # a program never painted: show its screen, not a traceback
        print(f"bench_ui: {error}", file=sys.stderr)
        return 2
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
