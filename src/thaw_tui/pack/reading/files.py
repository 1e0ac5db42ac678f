"""Reading one pack file safely: size cap, strict UTF-8, unsafe characters, YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from thaw_tui.pack.reading.yaml_nodes import Node, ParseIssue, parse_nodes
from thaw_tui.pack.text_safety import UNSAFE_CHARACTERS, describe_character

MAX_FILE_BYTES = 1024 * 1024


@dataclass
class FileResult:
    root: Node | None
    issues: list[ParseIssue] = field(default_factory=list)
    complete: bool = True  # False when the file could not be read to the end


def read_pack_file(path: Path) -> FileResult:
    """Parse one file into nodes, reporting everything that makes it unsafe or unreadable."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return _unreadable(
                f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte (1 MiB) limit: "
                "split it into several files"
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return _unreadable(f"cannot read the file: {error.strerror or error}")
    if len(data) > MAX_FILE_BYTES:  # it grew between stat and read
        return _unreadable("file is over the 1 MiB limit: split it into several files")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _not_utf8(data, error)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n")
    issues: list[ParseIssue] = []
    if UNSAFE_CHARACTERS.search(text):
        text = _blank_unsafe(text, issues)
    parsed = parse_nodes(text)
    issues.extend(parsed.issues)
    return FileResult(parsed.root, issues, complete=not parsed.fatal)


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


def _blank_unsafe(text: str, issues: list[ParseIssue]) -> str:
    """Report each unsafe character where it stands, then replace it with a space
    so the YAML parser (which rejects some of them outright) can go on."""
    for found in UNSAFE_CHARACTERS.finditer(text):
        start = found.start()
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        issues.append(
            ParseIssue(
                line,
                column,
                f"unsafe character {describe_character(found.group())}: remove it "
                "(control and bidirectional-override characters are not allowed)",
            )
        )
    return UNSAFE_CHARACTERS.sub(" ", text)
