"""Picture benchmark: time to draw one frame of the map and of the timeline ruler.

    python bench/bench_pictures.py [--runs N]

For 80x24, 120x40 and 200x60 cells it prints the p95 (and median) of:

- map, cold: the whole map from the coastline data (projection, fill, outline,
  encoding, labels, markers), what a resize or a zoom costs; cycled over every frame;
- map, move: the same picture after the selection moved (the land is kept), what an
  arrow key costs;
- ruler: the shipped pack's events, years and months zoom alternately;
- relations: the who-did-what matrix of 2014, its selected cell moving.

The map's markers are the shipped pack's placed items, on the map data the pack
names; the atlas is parsed once, as the Map pane does when it is first shown.

Target: p95 under 16 ms (one frame at 60 Hz) at 200x60 for each. Exits 1 if missed.
Both wall-clock and CPU time are shown: on a busy machine the wall clock also counts
time spent waiting for a core.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from thaw_tui.pack.atlas import MapRegion, parse_atlas
from thaw_tui.pack.load import load_pack
from thaw_tui.pack.model import Event, Kind, Pack
from thaw_tui.pack.relations import Relations, relations_of
from thaw_tui.pictures.mapdraw import MapRenderer, Marker, draw_map
from thaw_tui.pictures.relations import draw_relations
from thaw_tui.pictures.ruler import RulerEvent, draw_ruler

ROOT = Path(__file__).resolve().parents[1]
SIZES = [(80, 24), (120, 40), (200, 60)]
TARGET_MS = 16.0
TARGET_SIZE = (200, 60)


def shipped_markers(pack: Pack, region: MapRegion) -> list[Marker]:
    """A marker per placed item of the region, as the Map pane makes them."""
    found = []
    for item in pack.located():
        location = item.location
        if location is None or location.region != region.id:
            continue
        lon, lat = region.where(location.places, location.point)
        single = location.places[0] if len(location.places) == 1 else None
        several = location.places if len(location.places) > 1 else ()
        found.append(Marker(item.id, lon, lat, item.title, place=single, places=several))
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(actions: list[Callable[[], object]], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU ms per call, cycling through `actions`, after one warm-up each."""
    for action in actions:
        action()
    wall, cpu = [], []
    for index in range(runs):
        action = actions[index % len(actions)]
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start_wall) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def shipped_events(pack: Pack) -> tuple[list[RulerEvent], dict[str, str]]:
    events = [
        RulerEvent(item.id, item.date, item.era)
        for item in pack.of_kind(Kind.EVENT)
        if isinstance(item, Event)
    ]
    return events, {era.id: era.title for era in pack.manifest.eras}


def actions_for(
    width: int,
    height: int,
    region: MapRegion,
    markers: list[Marker],
    events: list[RulerEvent],
    eras: dict[str, str],
    relations: Relations,
    names: dict[str, str],
) -> list[tuple[str, list[Callable[[], object]]]]:
    """What each figure times at one size (a list is cycled through)."""
    renderer = MapRenderer(region)
    ids = [marker.id for marker in markers]
    moves = itertools.count()
    cells = relations.cells()

    def cold(frame: str) -> Callable[[], object]:
        return lambda: draw_map(region, frame, width, height, markers=markers, selected=ids[0])

    def move() -> object:
        selected = ids[next(moves) % len(ids)]
        return renderer.draw("chain", width, height, markers=markers, selected=selected)

    def ruler(zoom: str) -> Callable[[], object]:
        return lambda: draw_ruler(events, width, eras=eras, zoom=zoom, cursor="mh17-shootdown")

    def matrix() -> object:
        cell = cells[next(moves) % len(cells)]
        return draw_relations(relations, names, width, selected=cell)

    return [
        ("map, cold", [cold(frame.id) for frame in region.frames]),
        ("map, move", [move]),
        ("ruler", [ruler("years"), ruler("months")]),
        ("relations", [matrix]),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args(argv)

    pack = load_pack(ROOT / "content")
    atlas = parse_atlas(json.loads(pack.maps[0].data))
    region = atlas.region("kurils")
    markers = shipped_markers(pack, region)
    events, eras = shipped_events(pack)
    relations = relations_of(pack)
    names = {a: pack.items[a].title for a in {*relations.doers, *relations.targets}}

    print(f"{'figure':<28}{'p95 wall':>10}{'median':>9}{'p95 cpu':>10}{'target':>9}  result")
    failed = False
    for width, height in SIZES:
        figures = actions_for(width, height, region, markers, events, eras, relations, names)
        for name, actions in figures:
            wall, cpu = timed(actions, args.runs)
            p95 = percentile(wall, 0.95)
            judged = (width, height) == TARGET_SIZE
            verdict = ("PASS" if p95 < TARGET_MS else "FAIL") if judged else "-"
            failed |= verdict == "FAIL"
            target = f"{TARGET_MS:.0f} ms" if judged else ""
            print(
                f"{name + f' {width}x{height}':<28}{p95:>8.2f}ms{statistics.median(wall):>7.2f}ms"
                f"{percentile(cpu, 0.95):>8.2f}ms{target:>9}  {verdict}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
