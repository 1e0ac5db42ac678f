"""The pack's maps: reading the map files the manifest names, and placing locations.

`read_maps` runs after the YAML files are collected: it reads each `maps:` entry's
file (`reading/files.py:read_map_file`, size-bounded and link-free), decodes the
JSON and checks it with `pack/atlas.py:parse_atlas`. A problem is reported at the
entry's `file:` in the manifest.

`place_locations` runs with the other cross-item checks: every item `location`
must name places that exist (written `place`, or `region/place` where two regions
share a place id) on one region, or a point inside a region's bounds. What it finds
is kept in `Drafts.locations` for `build.py`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from thaw_tui.pack.atlas import AtlasError, MapRegion, parse_atlas
from thaw_tui.pack.checking.drafts import Drafts, ItemDraft, MapDraft
from thaw_tui.pack.checking.fields import LocationAt, Ref
from thaw_tui.pack.checking.suggest import did_you_mean, one_of
from thaw_tui.pack.model import MapLocation
from thaw_tui.pack.problems import Problem
from thaw_tui.pack.reading.files import PackBudget, read_map_file

Report = Callable[[int, int, str], None]


def read_maps(folder: Path, drafts: Drafts, problems: list[Problem], budget: PackBudget) -> None:
    """Read and check every map file the manifest names (each file once)."""
    manifest = drafts.manifest
    if manifest is None:
        return
    seen: dict[str, int] = {}
    regions: dict[str, str] = {}  # region id -> the file that defines it
    for entry in manifest.values.get("maps", ()):
        name = entry.get("file")
        if name is None:
            continue  # reported as a missing field
        node = entry["@at"].entries["file"][1]

        def report(message: str, line: int = node.line, column: int = node.column) -> None:
            problems.append(Problem(manifest.file, line, column, "pack", message))

        if name in seen:
            report(f"map file '{name}' is listed twice (first at line {seen[name]}): remove one")
            continue
        seen[name] = node.line
        draft = MapDraft(entry)
        drafts.maps.append(draft)
        data = read_map_file(folder, name, budget)
        if isinstance(data, str):
            report(data)
            continue
        draft.data = data
        try:
            draft.atlas = parse_atlas(json.loads(data.decode("utf-8")))
        except UnicodeDecodeError as error:
            report(f"map file '{name}' is not UTF-8 (byte offset {error.start}): save it as UTF-8")
        except (ValueError, RecursionError) as error:  # JSON or atlas: AtlasError is one
            what = "" if isinstance(error, AtlasError) else "is not valid JSON: "
            report(f"map file '{name}' {what}{_first_line(error)}")
        if draft.atlas is None:
            continue
        for region in draft.atlas.regions:
            if region.id in regions:
                report(
                    f"map file '{name}' has a region '{region.id}' that "
                    f"'{regions[region.id]}' already has: region ids must be unique"
                )
                draft.atlas = None
                break
            regions[region.id] = name


def _first_line(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


@dataclass
class _Places:
    """Every region of every map, and where each place id may be found."""

    regions: dict[str, MapRegion]
    by_id: dict[str, list[str]]  # place id -> the regions that have it

    @classmethod
    def of(cls, maps: list[MapDraft]) -> _Places:
        regions = {r.id: r for m in maps if m.atlas for r in m.atlas.regions}
        by_id: dict[str, list[str]] = {}
        for region in regions.values():
            for place in region.places:
                by_id.setdefault(place.id, []).append(region.id)
        return cls(regions, by_id)

    def names(self) -> list[str]:
        qualified = [f"{r.id}/{p.id}" for r in self.regions.values() for p in r.places]
        return list(self.by_id) + qualified


def place_locations(drafts: Drafts, report_for: Callable[[ItemDraft], Report]) -> None:
    """Resolve every item's location to a region and its places (or point)."""
    located = [d for d in drafts.items.values() if "location" in d.values]
    if not located or drafts.manifest is None:
        return  # nothing to place, or no usable manifest to say which maps there are
    if any(m.atlas is None for m in drafts.maps):
        return  # a map could not be read (reported): its places cannot be judged
    places = _Places.of(drafts.maps)
    for draft in located:
        found = _place(draft.values["location"], places, report_for(draft))
        if found is not None:
            drafts.locations[draft.id] = found


def _place(location: LocationAt, places: _Places, report: Report) -> MapLocation | None:
    if not places.regions:
        report(
            location.line,
            location.column,
            "the item has a location but the pack has no map: name a map file under "
            "'maps' in the manifest, or remove the location",
        )
        return None
    if location.point is not None:
        return _point(location, places, report)
    regions: list[tuple[str, str, Ref]] = []  # (region, place, where it was written)
    ok = True
    for ref in location.places:
        region_id, _, place_id = ref.target.rpartition("/")
        if region_id:
            region = places.regions.get(region_id)
            if region is None:
                report(
                    ref.line,
                    ref.column,
                    f"unknown map region '{region_id}'"
                    + (
                        did_you_mean(region_id, places.regions)
                        or f": the regions are {one_of(places.regions)}"
                    ),
                )
                ok = False
                continue
            if all(p.id != place_id for p in region.places):
                report(
                    ref.line,
                    ref.column,
                    f"region '{region_id}' has no place '{place_id}'"
                    + did_you_mean(place_id, [p.id for p in region.places]),
                )
                ok = False
                continue
            regions.append((region_id, place_id, ref))
            continue
        holders = places.by_id.get(place_id, [])
        if not holders:
            report(
                ref.line,
                ref.column,
                f"unknown place '{place_id}'"
                + (did_you_mean(place_id, places.names()) or ": no map of the pack has it"),
            )
            ok = False
        elif len(holders) > 1:
            choices = " or ".join(f"'{region}/{place_id}'" for region in holders)
            report(
                ref.line,
                ref.column,
                f"place '{place_id}' is on more than one map region: write {choices}",
            )
            ok = False
        else:
            regions.append((holders[0], place_id, ref))
    if not ok:
        return None
    first_region = regions[0][0]
    for region_id, place_id, ref in regions[1:]:
        if region_id != first_region:
            report(
                ref.line,
                ref.column,
                f"place '{place_id}' is on map region '{region_id}', but '{regions[0][1]}' is "
                f"on '{first_region}': one location stays on one region",
            )
            return None
    return MapLocation(first_region, places=tuple(place for _, place, _ in regions))


def _point(location: LocationAt, places: _Places, report: Report) -> MapLocation | None:
    assert location.point is not None
    lon, lat = location.point
    for region in places.regions.values():
        if region.bounds.contains(lon, lat):
            return MapLocation(region.id, point=(lon, lat))
    covered = "; ".join(
        f"'{r.id}' {_degrees(r.bounds.west, 'E', 'W')} to {_degrees(r.bounds.east, 'E', 'W')}, "
        f"{_degrees(r.bounds.south, 'N', 'S')} to {_degrees(r.bounds.north, 'N', 'S')}"
        for r in places.regions.values()
    )
    report(
        location.line,
        location.column,
        f"the point ({lon:g}, {lat:g}) is on no map region ({covered}): "
        "correct it (lon comes first), or add a map that covers it",
    )
    return None


def _degrees(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):g}°{positive if value >= 0 else negative}"
