"""Reading pack files safely: what is opened, how much, and which characters pass.

A pack may come from someone else, and `thaw validate` or `thaw serve` may run as a
user who can read more than the pack's author can. So:

- only regular files are read, opened without following a symbolic link
  (`O_NOFOLLOW`) and without waiting for a writer (`O_NONBLOCK`): a FIFO, a device,
  a folder or a link (to `/etc/shadow`, `/dev/zero`, another pack...) is refused by
  its name alone, before a byte of it is read, so nothing of it can be echoed;
- each file is capped at 1 MiB, and the whole pack at `MAX_PACK_FILES` files,
  `MAX_PACK_BYTES` bytes and `MAX_PACK_NODES` YAML values (the loader's memory grows
  with the number of values, about 350 bytes each): a pack over a limit is refused
  with a sentence that says which, after reading nothing or little of it;
- the text must be UTF-8 without unsafe characters (`pack/text_safety.py`), each
  reported at its line and column.

Map data files (`maps/*.json`, named in the manifest) are read by `read_map_file`
under the same rules: a regular file reached through no link (the `maps` folder
included), at most `MAX_MAP_BYTES`, counted against the whole pack's bytes.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from thaw_tui.pack.model import MAP_FOLDER
from thaw_tui.pack.reading.yaml_nodes import Node, ParseIssue, parse_nodes
from thaw_tui.pack.text_safety import (
    JOINER_MESSAGE,
    JOINERS,
    UNSAFE_CHARACTERS,
    describe_character,
    has_suspect,
    misplaced_joiners,
    unsafe_reason,
)

MAX_FILE_BYTES = 1024 * 1024
# Three to four times the 10,000-item pack of scripts/genpack.py (4.6 MiB, 295,000
# values, 15 files), which the benchmarks use as a large pack.
MAX_PACK_FILES = 1000
MAX_PACK_BYTES = 16 * 1024 * 1024
MAX_PACK_NODES = 1_000_000
# Some forty times the shipped coastlines (45 KB); the JSON decoder needs about ten
# times a file's size in memory.
MAX_MAP_BYTES = 2 * 1024 * 1024
MAP_FILE_PATTERN = re.compile(r"maps/[a-z0-9][a-z0-9._-]*\.json")

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


@dataclass
class FileResult:
    root: Node | None
    issues: list[ParseIssue] = field(default_factory=list)
    complete: bool = True  # False when the file could not be read to the end


@dataclass
class PackBudget:
    """What is left of the whole pack's allowance as its files are read in turn."""

    bytes_left: int = field(default_factory=lambda: MAX_PACK_BYTES)
    nodes_left: int = field(default_factory=lambda: MAX_PACK_NODES)
    spent: bool = False  # a limit was reached: stop reading further files


@dataclass
class PackListing:
    """The pack files in a folder, by name, and what is wrong with the folder as a whole."""

    names: list[str] = field(default_factory=list)  # *.yaml, sorted
    strays: list[str] = field(default_factory=list)  # *.yml, which are ignored
    problem: str | None = None  # the pack is refused as a whole


def list_pack_files(folder: Path) -> PackListing:
    """List `*.yaml` (and stray `*.yml`) names; refuse a pack over the file or byte limit.

    Hidden names are editor droppings (e.g. Emacs' ".#events.yaml" lock links)."""
    listing = PackListing()
    total = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if name.endswith(".yml"):
                listing.strays.append(name)
            elif name.endswith(".yaml"):
                listing.names.append(name)
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue  # reported when the file is read
                if stat.S_ISREG(info.st_mode):
                    total += info.st_size
    listing.names.sort()
    listing.strays.sort()
    if len(listing.names) > MAX_PACK_FILES:
        listing.problem = (
            f"the pack has {len(listing.names):,} files, over the limit of "
            f"{MAX_PACK_FILES:,}: put more items in each file"
        )
    elif total > MAX_PACK_BYTES:
        listing.problem = _pack_too_big(total)
    return listing


def _pack_too_big(total: int | None = None) -> str:
    size = f"holds {total:,} bytes" if total is not None else "is"
    return (
        f"the pack {size}, over the {MAX_PACK_BYTES:,}-byte "
        f"({MAX_PACK_BYTES // (1024 * 1024)} MiB) limit for a whole pack: make it smaller"
    )


def read_pack_file(path: Path, budget: PackBudget | None = None) -> FileResult:
    """Parse one file into nodes, reporting everything that makes it unsafe or unreadable."""
    budget = budget if budget is not None else PackBudget()
    data = _read_regular_file(path, min(MAX_FILE_BYTES, budget.bytes_left))
    if isinstance(data, FileResult):
        return data
    budget.bytes_left -= len(data)
    if len(data) > MAX_FILE_BYTES:
        return _unreadable("file is over the 1 MiB limit: split it into several files")
    if budget.bytes_left < 0:
        budget.spent = True
        return _unreadable(_pack_too_big())
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _not_utf8(data, error)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n")
    issues: list[ParseIssue] = []
    if has_suspect(text):
        if UNSAFE_CHARACTERS.search(text):
            text = _blank_unsafe(text, issues)
        if JOINERS.search(text):
            text = _blank_misplaced_joiners(text, issues)
    parsed = parse_nodes(text, budget.nodes_left)
    budget.nodes_left -= parsed.nodes
    if budget.nodes_left < 0:
        budget.spent = True
    issues.extend(parsed.issues)
    return FileResult(parsed.root, issues, complete=not parsed.fatal)


def _read_regular_file(path: Path, limit: int) -> bytes | FileResult:
    """At most `limit + 1` bytes of `path`, if it is a regular file; else why not.

    The name is looked at first (`lstat`), so a link or a FIFO is never opened; the
    open itself follows no link and never blocks, and the file opened is checked
    again, in case the name was swapped in between."""
    try:
        info = os.lstat(path)
    except OSError as error:
        return _unreadable(f"cannot read the file: {error.strerror or error}")
    refusal = _not_regular(info.st_mode)
    if refusal is not None:
        return _unreadable(refusal)
    if info.st_size > MAX_FILE_BYTES:
        return _unreadable(
            f"file is {info.st_size:,} bytes, over the {MAX_FILE_BYTES:,}-byte (1 MiB) limit: "
            "split it into several files"
        )
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        if os.path.islink(path):
            return _unreadable(_not_regular(stat.S_IFLNK) or "")
        return _unreadable(f"cannot read the file: {error.strerror or error}")
    try:
        refusal = _not_regular(os.fstat(descriptor).st_mode)
        if refusal is not None:
            return _unreadable(refusal)
        chunks = []
        wanted = limit + 1
        while wanted > 0:
            chunk = os.read(descriptor, min(wanted, 256 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)
    except OSError as error:
        return _unreadable(f"cannot read the file: {error.strerror or error}")
    finally:
        os.close(descriptor)


def _not_regular(mode: int) -> str | None:
    """Why a file of this kind is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        what = "a symbolic link"
    elif stat.S_ISDIR(mode):
        what = "a folder"
    elif stat.S_ISFIFO(mode):
        what = "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    else:
        what = "a special file"
    return (
        f"file is {what}, which thaw does not read: a pack file must be a regular file "
        "in the pack folder (copy it in rather than linking to it)"
    )


def _unreadable(message: str, line: int = 1, column: int = 1) -> FileResult:
    return FileResult(None, [ParseIssue(line, column, message)], complete=False)


def _not_utf8(data: bytes, error: UnicodeDecodeError) -> FileResult:
    offset = error.start
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return _unreadable(
        f"file is not valid UTF-8: byte 0x{data[offset]:02X} at byte offset {offset} "
        "cannot be decoded; save the file as UTF-8",
        line,
        column,
    )


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _blank_unsafe(text: str, issues: list[ParseIssue]) -> str:
    """Report each unsafe character where it stands, then replace it with a space
    so the YAML parser (which rejects some of them outright) can go on."""
    for found in UNSAFE_CHARACTERS.finditer(text):
        char = found.group()
        line, column = _position(text, found.start())
        issues.append(
            ParseIssue(
                line,
                column,
                f"unsafe character {describe_character(char)}: remove it ({unsafe_reason(char)})",
            )
        )
    return UNSAFE_CHARACTERS.sub(" ", text)


def _blank_misplaced_joiners(text: str, issues: list[ParseIssue]) -> str:
    """Report joiners and variation selectors out of their place, then blank them, so
    that any left in a parsed value came from an escape (see yaml_nodes)."""
    misplaced = list(misplaced_joiners(text))
    if not misplaced:
        return text
    characters = list(text)
    for index in misplaced:
        line, column = _position(text, index)
        issues.append(
            ParseIssue(
                line,
                column,
                f"invisible character {describe_character(text[index])} {JOINER_MESSAGE}",
            )
        )
        characters[index] = " "
    return "".join(characters)


def read_map_file(folder: Path, name: str, budget: PackBudget) -> bytes | str:
    """The bytes of map file `name` ("maps/<file>.json") in the pack `folder`, or a
    sentence saying why it cannot be read.

    Each step is opened relative to the one before and without following links: the
    `maps` folder and the file must both really be inside the pack."""
    if not MAP_FILE_PATTERN.fullmatch(name):
        return (
            f"map file '{name}' must be a file in the pack's {MAP_FOLDER}/ folder named "
            "with a-z, 0-9, '.', '_' and '-' and ending in .json (e.g. maps/coastlines.json)"
        )
    try:
        pack_folder = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        return f"cannot open the pack folder: {error.strerror or error}"
    try:
        try:
            maps = os.open(MAP_FOLDER, _OPEN_FLAGS | os.O_DIRECTORY, dir_fd=pack_folder)
        except FileNotFoundError:
            return f"map file '{name}' does not exist: the pack has no {MAP_FOLDER}/ folder"
        except OSError as error:
            if os.path.islink(folder / MAP_FOLDER):
                return (
                    f"the {MAP_FOLDER}/ folder is a symbolic link, which thaw does not follow: "
                    "make it a real folder inside the pack"
                )
            return f"cannot open the {MAP_FOLDER}/ folder: {error.strerror or error}"
    finally:
        os.close(pack_folder)
    try:
        return _read_map(maps, name, budget)
    finally:
        os.close(maps)


def _read_map(maps: int, name: str, budget: PackBudget) -> bytes | str:
    leaf = name.rpartition("/")[2]
    try:
        info = os.lstat(leaf, dir_fd=maps)
    except FileNotFoundError:
        return f"map file '{name}' does not exist"
    except OSError as error:
        return f"cannot read map file '{name}': {error.strerror or error}"
    refusal = _not_regular(info.st_mode)
    if refusal is not None:
        return f"map file '{name}': {refusal.removeprefix('file is ')}"
    limit = min(MAX_MAP_BYTES, budget.bytes_left)
    if info.st_size > limit:
        return _map_too_big(name, info.st_size, budget)
    try:
        descriptor = os.open(leaf, _OPEN_FLAGS, dir_fd=maps)
    except OSError as error:
        return f"cannot read map file '{name}': {error.strerror or error}"
    try:
        if _not_regular(os.fstat(descriptor).st_mode) is not None:
            return f"map file '{name}' changed while it was read: try again"
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        return f"cannot read map file '{name}': {error.strerror or error}"
    finally:
        os.close(descriptor)
    if len(data) > limit:
        return _map_too_big(name, len(data), budget)
    budget.bytes_left -= len(data)
    return data


def _map_too_big(name: str, size: int, budget: PackBudget) -> str:
    if size > MAX_MAP_BYTES:
        return (
            f"map file '{name}' is {size:,} bytes, over the {MAX_MAP_BYTES:,}-byte "
            f"({MAX_MAP_BYTES // (1024 * 1024)} MiB) limit for a map: simplify its coastlines"
        )
    budget.spent = True
    return _pack_too_big()
