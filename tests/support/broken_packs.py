"""Broken packs, made on demand: the mini pack with exactly one fault injected.

Every case below names the edits that turn `tests/fixtures/packs/mini` into a pack
with one problem; `make_broken_pack(name, tmp_path)` writes that pack into a
temporary folder. Only the base pack is kept on disk, so adding a field to items
means changing `packs/mini` alone. Cases that need an extra item copy one from the
base pack (`CopyItem`) for the same reason.

The message and position each case must produce are pinned in
`tests/unit/test_validate_broken.py`. An edit whose text is not found exactly once
raises, so a change to the base pack cannot silently turn a case into a clean pack.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "mini"


def _read(folder: Path, file: str) -> bytes:
    path = folder / file
    if not path.is_file():
        raise ValueError(f"{file} is not in the base pack")
    return path.read_bytes()


def _once(data: bytes, snippet: bytes, file: str) -> None:
    count = data.count(snippet)
    if count != 1:
        raise ValueError(f"{snippet!r} occurs {count} times in {file}; the edit needs exactly one")


@dataclass(frozen=True)
class Replace:
    """Replace the one occurrence of `old` in `file`; `new` may be bytes (e.g. not UTF-8)."""

    file: str
    old: str
    new: str | bytes

    def apply(self, folder: Path) -> None:
        data = _read(folder, self.file)
        old = self.old.encode()
        _once(data, old, self.file)
        new = self.new if isinstance(self.new, bytes) else self.new.encode()
        (folder / self.file).write_bytes(data.replace(old, new))


@dataclass(frozen=True)
class Append:
    """Add text at the end of `file` (which ends in a newline)."""

    file: str
    text: str

    def apply(self, folder: Path) -> None:
        data = _read(folder, self.file)
        (folder / self.file).write_bytes(data + self.text.encode())


@dataclass(frozen=True)
class CopyItem:
    """Append a copy of item `item_id` to the end of its file, under `new_id` if given.

    An item runs from its "  - id: ..." line to the next entry or the end of the file.
    """

    file: str
    item_id: str
    new_id: str | None = None

    def apply(self, folder: Path) -> None:
        lines = _read(folder, self.file).decode().splitlines(keepends=True)
        start_line = f"  - id: {self.item_id}\n"
        if lines.count(start_line) != 1:
            raise ValueError(f"item {self.item_id!r} is not listed once in {self.file}")
        start = lines.index(start_line)
        end = start + 1
        while end < len(lines) and lines[end].startswith("    "):
            end += 1
        block = lines[start:end]
        if self.new_id is not None:
            block[0] = f"  - id: {self.new_id}\n"
        (folder / self.file).write_text("".join(lines + ["\n", *block]), encoding="utf-8")


@dataclass(frozen=True)
class Write:
    """Write a whole file, new or replacing one of the base pack's."""

    file: str
    text: str

    def apply(self, folder: Path) -> None:
        (folder / self.file).write_text(self.text, encoding="utf-8")


@dataclass(frozen=True)
class Delete:
    """Remove a file of the base pack."""

    file: str

    def apply(self, folder: Path) -> None:
        _read(folder, self.file)
        (folder / self.file).unlink()


Edit = Replace | Append | CopyItem | Write | Delete

# name -> the edits that break the mini pack in exactly one way
BROKEN_PACKS: dict[str, tuple[Edit, ...]] = {
    # --- one field's value -----------------------------------------------------------
    "actor-kind-unknown": (Replace("actors.yaml", "kind: person", "kind: persn"),),
    "bad-date-format": (Replace("events.yaml", '"2013-04"', '"29/04/2013"'),),
    "bad-month": (Replace("events.yaml", '"2013-04"', '"2014-13"'),),
    "impossible-date": (Replace("events.yaml", '"1956-10-19"', '"2014-02-30"'),),
    "bad-id": (
        *(
            Replace(file, "state-b", "State_B")
            for file in ("actors.yaml", "disputes.yaml", "threads.yaml")
        ),
        Replace("events.yaml", "[state-a, state-b]", "[state-a, State_B]"),
        Replace("events.yaml", "to: [state-b]", "to: [State_B]"),
    ),
    "source-origin-unknown": (Replace("sources.yaml", "origin: context", "origin: outside"),),
    "unknown-era": (Replace("events.yaml", "era: recent", "era: recnt"),),
    "wrong-type-int": (Replace("sections.yaml", "paragraph: 2", "paragraph: two"),),
    "wrong-type-list": (Replace("actors.yaml", "aliases: [The Leader]", "aliases: The Leader"),),
    "links-not-a-list": (Replace("events.yaml", "involves: [leader-a]", "involves: leader-a"),),
    "manifest-not-a-mapping": (Write("pack.yaml", "pack: [mini-pack]\n"),),
    # --- fields present or missing ---------------------------------------------------
    "unknown-field": (Replace("actors.yaml", "aliases:", "aliase:"),),
    "missing-required-field": (
        Replace("terms.yaml", "    summary: A formal agreement that ends a war.\n", ""),
    ),
    "no-provenance": (
        Replace("terms.yaml", "    provenance:\n      paragraphs: [1]\n", "    provenance: {}\n"),
    ),
    "dispute-one-side": (
        Replace(
            "disputes.yaml",
            "      - actor: state-b\n"
            "        name: The Southern Chain\n"
            "        native_name: Южная цепь\n"
            "        position: The islands were won fairly.\n",
            "",
        ),
    ),
    # --- links -----------------------------------------------------------------------
    "dangling-link": (Replace("events.yaml", "involves: [leader-a]", "involves: [leadr-a]"),),
    "link-listed-twice": (
        Replace("events.yaml", "involves: [leader-a]", "involves: [leader-a, leader-a]"),
    ),
    "link-wrong-kind": (
        Replace("events.yaml", "involves: [leader-a]", "involves: [leader-a, talks-stall]"),
    ),
    "link-to-itself": (
        Replace("consequences.yaml", "[island-dispute]", "[island-dispute, talks-stall]"),
    ),
    "unknown-relation": (Replace("consequences.yaml", "caused_by:", "causd_by:"),),
    "derived-relation": (Append("consequences.yaml", "      cites: [news-report]\n"),),
    # --- provenance ------------------------------------------------------------------
    "paragraph-without-section": (Replace("actors.yaml", "paragraphs: [2]", "paragraphs: [2, 9]"),),
    "provenance-source-wrong-kind": (
        Replace(
            "events.yaml",
            "[1, 2]\n      sources: [news-report]",
            "[1, 2]\n      sources: [news-report, state-a]",
        ),
    ),
    "context-note-without-source": (
        Replace(
            "events.yaml",
            "[1, 2]\n      sources: [news-report]\n",
            "[1, 2]\n      sources: [news-report]\n      context: Adds a date from elsewhere.\n",
        ),
    ),
    "context-source-without-note": (
        Replace(
            "disputes.yaml",
            "      context: The names each side uses come from an atlas, not the article.\n",
            "",
        ),
    ),
    "source-cited-by-nothing": (
        CopyItem("sources.yaml", "news-report", new_id="spare-source"),
        Replace("threads.yaml", "news-report]", "news-report, spare-source]"),
    ),
    # --- fact-check notes ------------------------------------------------------------
    "fact-check-source-unknown": (
        Replace("disputes.yaml", "[atlas, news-report]", "[atlas, news-reprot]"),
    ),
    "fact-check-source-wrong-kind": (
        Replace("disputes.yaml", "[atlas, news-report]", "[atlas, state-a]"),
    ),
    "fact-check-without-sources": (Replace("disputes.yaml", "[atlas, news-report]", "[]"),),
    # --- dates: what provenance vouches for, eras, date order --------------------------
    "event-date-finer-than-its-sources": (
        Replace(
            "events.yaml",
            "era: postwar\n    provenance:\n      sources: [news-report]",
            "era: postwar\n    provenance:\n      paragraphs: [1]",
        ),
    ),
    "event-dated-after-its-sources": (Replace("events.yaml", '"2013-04"', '"2013-05"'),),
    "event-year-after-the-article": (
        Replace(
            "events.yaml",
            '"1956-10-19"\n    era: postwar\n    provenance:\n      sources: [news-report]',
            '"2015"\n    era: recent\n    provenance:\n      paragraphs: [1]',
        ),
    ),
    "event-outside-its-era": (Replace("events.yaml", "era: recent", "era: postwar"),),
    "era-ends-before-it-starts": (
        Replace("pack.yaml", "from: 1945, to: 1960", "from: 1960, to: 1945"),
    ),
    "thread-out-of-date-order": (
        Replace("threads.yaml", "news-report]", "news-report, treaty-1956]"),
    ),
    # --- maps: the files the manifest names, item locations, event actions -----------
    "location-unknown-place": (Replace("disputes.yaml", "south-isle]", "sout-isle]"),),
    "location-place-on-two-regions": (
        Replace("disputes.yaml", "[north-isle, south-isle]", "[north-isle, bay]"),
    ),
    "location-places-on-different-regions": (
        Replace("disputes.yaml", "[north-isle, south-isle]", "[north-isle, far/bay]"),
    ),
    "location-unknown-region": (
        Replace("disputes.yaml", "[north-isle, south-isle]", "[north-isle, near/bay]"),
    ),
    "location-latitude-out-of-range": (Replace("events.yaml", "lat: 43.5}", "lat: 95}"),),
    "location-point-on-no-map": (Replace("events.yaml", "{lon: 13.5,", "{lon: 25.5,"),),
    "location-point-missing-lat": (Replace("events.yaml", ", lat: 43.5}", "}"),),
    "location-without-a-map": (
        Replace("pack.yaml", "  maps:\n    - {file: maps/islands.json, source: atlas}\n", ""),
        Replace("events.yaml", "    location: {lon: 13.5, lat: 43.5}\n", ""),
    ),
    "map-file-missing": (Replace("pack.yaml", "maps/islands.json", "maps/island.json"),),
    "map-file-outside-the-maps-folder": (
        Replace("pack.yaml", "maps/islands.json", "../islands.json"),
    ),
    "map-file-not-json": (Write("maps/islands.json", "{regions: []}\n"),),
    "map-file-bad-atlas": (Replace("maps/islands.json", '"lat": 46.0', '"lat": 96.0'),),
    "map-file-listed-twice": (
        Append("pack.yaml", "    - {file: maps/islands.json, source: atlas}\n"),
    ),
    "map-source-wrong-kind": (Replace("pack.yaml", "source: atlas}", "source: state-a}"),),
    "action-kind-unknown": (Replace("events.yaml", "kind: protest", "kind: protst"),),
    "action-actor-wrong-kind": (Replace("events.yaml", "to: [state-b]", "to: [talks-stall]"),),
    "action-on-itself": (Replace("events.yaml", "to: [state-b]", "to: [state-b, state-a]"),),
    # --- ids, sections and threads ---------------------------------------------------
    "duplicate-id": (CopyItem("terms.yaml", "peace-treaty"),),
    "duplicate-section-paragraph": (
        CopyItem("sections.yaml", "section-2", new_id="section-3"),
        Replace("threads.yaml", "[section-2,", "[section-2, section-3,"),
    ),
    "duplicate-thread-id": (Replace("threads.yaml", "id: the-stall", "id: the-islands"),),
    "item-in-no-thread": (Replace("threads.yaml", ", peace-treaty]", "]"),),
    "step-listed-twice": (Replace("threads.yaml", "[section-2,", "[section-2, section-2,"),),
    "thread-step-missing": (Replace("threads.yaml", "news-report]", "news-reprot, news-report]"),),
    # --- files and top-level keys ----------------------------------------------------
    "missing-manifest": (Delete("pack.yaml"),),
    "two-manifests": (Append("terms.yaml", "pack:\n  id: other\n"),),
    "unknown-top-level-key": (Append("terms.yaml", "term: []\n"),),
    "two-documents": (Append("terms.yaml", "---\nterms: []\n"),),
    "empty-file": (Write("notes.yaml", "# nothing yet\n"),),
    "wrong-extension": (Write("extra.yml", "terms: []\n"),),
    "not-utf8": (Replace("terms.yaml", "ends a war.", b"ends a w\xe4r."),),
    # --- YAML features and unsafe text ----------------------------------------------
    "yaml-syntax-error": (Replace("events.yaml", "involves: [leader-a]", "involves: [leader-a"),),
    "duplicate-key": (
        Replace("terms.yaml", "title: Peace treaty\n", "title: Peace treaty\n    title: Treaty\n"),
    ),
    "yaml-alias": (Replace("actors.yaml", "role: holder", "role: *claimant"),),
    "yaml-anchor": (Replace("actors.yaml", "role: claimant", "role: &role claimant"),),
    "yaml-tag": (Replace("actors.yaml", "role: holder", "role: !!python/object holder"),),
    "deep-nesting": (Append("terms.yaml", "    aliases: " + "[" * 40 + "x" + "]" * 40 + "\n"),),
    "unsafe-control-character": (
        Replace("actors.yaml", "The first state.", "The first \x1b[31mstate."),
    ),
    "bidi-override-escape": (
        Replace("actors.yaml", "summary: The second state.", 'summary: "The second \\u202Estate."'),
    ),
}


def make_broken_pack(name: str, tmp_path: Path) -> Path:
    """Write the broken pack `name` (a key of BROKEN_PACKS) to tmp_path/name; return it."""
    edits = BROKEN_PACKS[name]
    folder = tmp_path / name
    shutil.copytree(MINI, folder)
    for edit in edits:
        edit.apply(folder)
    return folder
