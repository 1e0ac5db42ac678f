"""Parse one YAML file into small nodes that remember where they were written.

We build nodes straight from the parser's event stream instead of using
`yaml.compose`/`yaml.safe_load`, because that lets us:

- refuse anchors and aliases as soon as they appear (a "billion laughs" file is
  rejected after a few events, with bounded memory);
- cap nesting depth without recursion (no stack blow-up on `[[[[...`);
- keep every scalar as the text that was written, so `1945-08-18` stays a string;
- keep the line and column of every key and value for error messages.

libyaml's C parser is used when present, else PyYAML's pure-Python parser.
Both only produce events, so nothing is ever constructed from tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml

from thaw_tui.pack.text_safety import (
    JOINER_MESSAGE,
    JOINERS,
    UNSAFE_CHARACTERS,
    describe_character,
    has_suspect,
    misplaced_joiners,
)

try:
    from yaml._yaml import CParser as _FastParser

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    HAVE_LIBYAML = False

MAX_DEPTH = 32
NESTING_MESSAGE = f"nesting is deeper than {MAX_DEPTH} levels: flatten the data"
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
TRUE_WORDS = frozenset({"true", "True", "TRUE"})
FALSE_WORDS = frozenset({"false", "False", "FALSE"})
INT_PATTERN = re.compile(r"[-+]?[0-9]+")
FLOAT_PATTERN = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


class Mark(Protocol):
    """A parser position (0-based), as PyYAML and libyaml give them."""

    line: int
    column: int


class _Start:
    """A position for nodes that were not parsed (placeholders)."""

    __slots__ = ("line", "column")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


class Node:
    """A YAML node that remembers where it starts.

    The parser's mark is kept as-is and turned into 1-based numbers only when
    asked: most nodes are never asked, and this loop is the loader's hot path.
    """

    __slots__ = ("mark",)

    mark: Mark

    @property
    def line(self) -> int:
        return self.mark.line + 1

    @property
    def column(self) -> int:
        return self.mark.column + 1

    def describe(self) -> str:
        raise NotImplementedError


class Scalar(Node):
    __slots__ = ("text", "plain")

    def __init__(self, text: str, plain: bool, mark: Mark) -> None:
        self.text = text
        self.plain = plain  # unquoted: may read as null, a number or a boolean
        self.mark = mark

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in NULL_WORDS

    def as_int(self) -> int | None:
        if self.plain and INT_PATTERN.fullmatch(self.text):
            return int(self.text)
        return None

    def describe(self) -> str:
        if self.is_null:
            return "null"
        if self.as_int() is not None or (self.plain and FLOAT_PATTERN.fullmatch(self.text)):
            return f"the number {self.text}"
        return f"the text '{self.text}'" if len(self.text) <= 40 else "text"


class Mapping(Node):
    __slots__ = ("entries", "pending")

    def __init__(self, mark: Mark) -> None:
        # key text -> (key node, value node); duplicate keys are reported while parsing
        self.entries: dict[str, tuple[Scalar, Node]] = {}
        self.pending: Scalar | None = None  # a key read, waiting for its value
        self.mark = mark

    def describe(self) -> str:
        return "a mapping"


class Sequence(Node):
    __slots__ = ("items",)

    def __init__(self, mark: Mark) -> None:
        self.items: list[Node] = []
        self.mark = mark

    def describe(self) -> str:
        return "a list"


@dataclass(frozen=True)
class ParseIssue:
    """A problem found while parsing; the loader turns it into a `Problem`."""

    line: int
    column: int
    message: str


@dataclass
class ParseResult:
    root: Node | None
    issues: list[ParseIssue] = field(default_factory=list)
    fatal: bool = False  # the file could not be read to the end
    nodes: int = 0  # how many nodes were made (scalars and collections)


class _Stop(Exception):
    """Parsing cannot go on safely (alias, too deep); the issue is already recorded."""


def _make_parser(text: str) -> Any:
    if HAVE_LIBYAML:
        return _FastParser(text)
    return yaml.SafeLoader(text)


def parse_nodes(text: str, node_limit: int | None = None) -> ParseResult:
    """Parse YAML text into nodes, or report why it cannot be used.

    With `node_limit`, parsing stops (fatally) once that many nodes have been made:
    the loader's memory grows with the number of nodes, not with the bytes."""
    result = ParseResult(root=None)
    try:
        _build(_make_parser(text), result, node_limit)
    except _Stop:
        result.fatal = True
        result.root = None
    except yaml.MarkedYAMLError as error:
        result.issues.append(_syntax_issue(error))
        result.fatal = True
        result.root = None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow
        result.issues.append(_reader_issue(text, error))
        result.fatal = True
        result.root = None
    except yaml.YAMLError as error:  # pragma: no cover - every other error is marked
        result.issues.append(ParseIssue(1, 1, f"YAML error: {error}"))
        result.fatal = True
        result.root = None
    return result


def _reader_issue(text: str, error: yaml.reader.ReaderError) -> ParseIssue:
    position = max(0, min(int(error.position), len(text)))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    code = ord(error.character) if isinstance(error.character, str) else int(error.character)
    return ParseIssue(line, column, f"character U+{code:04X} is not allowed in YAML: remove it")


def _syntax_issue(error: yaml.MarkedYAMLError) -> ParseIssue:
    """The parser's own words and position, with where the enclosing construct began."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if error.problem and "maximum nesting depth" in error.problem:
        # libyaml's scanner can hit its own depth limit before we see the events.
        return ParseIssue(line, column, NESTING_MESSAGE)
    message = f"YAML syntax error: {error.problem or error.context or 'cannot parse'}"
    context = error.context_mark
    if error.context and error.problem and context is not None:
        message += (
            f" ({error.context} that starts at line {context.line + 1}, "
            f"column {context.column + 1})"
        )
    return ParseIssue(line, column, message)


def _build(parser: Any, result: ParseResult, node_limit: int | None) -> None:
    """Drive the event stream into nodes with an explicit stack (no recursion).

    This loop runs once per YAML event (hundreds of thousands for a big pack), so
    the common cases are inlined and attribute lookups hoisted out of the loop.
    """
    issues = result.issues
    top = Sequence(_Start(0, 0))  # holds the document root
    stack: list[Mapping | Sequence] = [top]
    parent: Mapping | Sequence = top
    documents = 0
    get_event = parser.get_event
    scalar_event = yaml.ScalarEvent
    mapping_start = yaml.MappingStartEvent
    sequence_start = yaml.SequenceStartEvent
    mapping_end = yaml.MappingEndEvent
    sequence_end = yaml.SequenceEndEvent
    suspect = has_suspect
    # Counted down per node; the pack's own budget is checked by the caller.
    left = MAX_NODES_PER_CALL if node_limit is None else node_limit
    node: Node

    while True:
        event = get_event()
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None or event.tag is not None:
                _reject_anchor_or_tag(event, issues)
            style = event.style
            # Raw unsafe characters (and joiners out of place) were blanked before
            # parsing; only the escapes of a double-quoted scalar ("\e", "\u202e") can
            # bring new ones in.
            if style == '"' and suspect(event.value):
                _report_escaped(event, issues)
            node = Scalar(event.value, not style, event.start_mark)
        elif kind is mapping_end or kind is sequence_end:
            stack.pop()
            parent = stack[-1]
            continue
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag is not None:
                _reject_anchor_or_tag(event, issues)
            mark = event.start_mark
            if len(stack) > MAX_DEPTH:
                issues.append(
                    ParseIssue(
                        mark.line + 1,
                        mark.column + 1,
                        NESTING_MESSAGE,
                    )
                )
                raise _Stop
            if kind is mapping_start:
                node = Mapping(mark)
            else:
                node = Sequence(mark)
        elif kind is yaml.AliasEvent:
            mark = event.start_mark
            issues.append(
                ParseIssue(
                    mark.line + 1,
                    mark.column + 1,
                    f"YAML aliases are not allowed (*{event.anchor}): write the value out in full",
                )
            )
            raise _Stop
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                mark = event.start_mark
                issues.append(
                    ParseIssue(
                        mark.line + 1,
                        mark.column + 1,
                        "a pack file holds one YAML document: remove the second '---' "
                        "or move it to its own file",
                    )
                )
                raise _Stop
            continue
        elif kind is yaml.StreamEndEvent:
            result.root = top.items[0] if top.items else None
            result.nodes = _nodes_made(node_limit, left)
            return
        else:
            continue  # stream start, document end
        left -= 1
        if left < 0:
            result.nodes = _nodes_made(node_limit, left)
            _report_too_many_nodes(node, issues)
            raise _Stop
        # Attach the new node to the open collection.
        if type(parent) is Sequence:
            parent.items.append(node)
        else:
            assert isinstance(parent, Mapping)
            key = parent.pending
            if key is None:
                if isinstance(node, Scalar):
                    parent.pending = node
                else:
                    issues.append(
                        ParseIssue(node.line, node.column, "mapping keys must be plain text")
                    )
                    parent.pending = _BAD_KEY
            else:
                parent.pending = None
                if key is not _BAD_KEY:
                    entries = parent.entries
                    if key.text in entries:
                        _report_duplicate_key(entries, key, issues)
                    else:
                        entries[key.text] = (key, node)
        if kind is not scalar_event:
            stack.append(node)  # type: ignore[arg-type]
            parent = node  # type: ignore[assignment]


_BAD_KEY = Scalar("", True, _Start(0, 0))  # stands in for a key that was not plain text
# No limit given: a count that one file (at most 1 MiB) can never reach.
MAX_NODES_PER_CALL = 1 << 40


def _nodes_made(node_limit: int | None, left: int) -> int:
    start = MAX_NODES_PER_CALL if node_limit is None else node_limit
    return start - left


def _report_too_many_nodes(node: Node, issues: list[ParseIssue]) -> None:
    issues.append(
        ParseIssue(
            node.line,
            node.column,
            "the pack holds too many values (keys, texts, list entries) for thaw to "
            "load: it stops reading here; make the pack smaller",
        )
    )


def _report_duplicate_key(
    entries: dict[str, tuple[Scalar, Node]], key: Scalar, issues: list[ParseIssue]
) -> None:
    first = entries[key.text][0]
    issues.append(
        ParseIssue(
            key.line,
            key.column,
            f"duplicate key '{key.text}' (first at line {first.line}): remove one of them",
        )
    )


def _reject_anchor_or_tag(event: Any, issues: list[ParseIssue]) -> None:
    mark = event.start_mark
    if event.anchor is not None:
        issues.append(
            ParseIssue(
                mark.line + 1,
                mark.column + 1,
                f"YAML anchors are not allowed (&{event.anchor}): write each value out in full",
            )
        )
    if event.tag is not None:
        issues.append(
            ParseIssue(
                mark.line + 1,
                mark.column + 1,
                f"YAML tags are not allowed ({event.tag}): remove the tag",
            )
        )


def _report_escaped(event: Any, issues: list[ParseIssue]) -> None:
    if UNSAFE_CHARACTERS.search(event.value):
        _report_escaped_unsafe(event, issues)
    if JOINERS.search(event.value):
        _report_escaped_joiners(event, issues)


def _report_escaped_unsafe(event: Any, issues: list[ParseIssue]) -> None:
    # Raw unsafe characters were reported and blanked before parsing, so these
    # were written as escapes such as "\e" or "\u202e".
    mark = event.start_mark
    for found in UNSAFE_CHARACTERS.finditer(event.value):
        issues.append(
            ParseIssue(
                mark.line + 1,
                mark.column + 1,
                f"unsafe character {describe_character(found.group())} (written as an escape) "
                f"at character {found.start() + 1} of this text: remove it",
            )
        )


def _report_escaped_joiners(event: Any, issues: list[ParseIssue]) -> None:
    # Raw joiners out of place were blanked before parsing, so these were escapes.
    mark = event.start_mark
    for index in misplaced_joiners(event.value):
        issues.append(
            ParseIssue(
                mark.line + 1,
                mark.column + 1,
                f"invisible character {describe_character(event.value[index])} (written as "
                f"an escape) at character {index + 1} of this text {JOINER_MESSAGE}",
            )
        )


def to_plain(node: Node | None) -> Any:
    """Nodes as plain Python data (dates stay strings). Used for schema checks."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        if not node.plain:
            return node.text
        if node.is_null:
            return None
        if node.text in TRUE_WORDS:
            return True
        if node.text in FALSE_WORDS:
            return False
        number = node.as_int()
        if number is not None:
            return number
        if FLOAT_PATTERN.fullmatch(node.text):
            return float(node.text)
        return node.text
    if isinstance(node, Sequence):
        return [to_plain(child) for child in node.items]
    assert isinstance(node, Mapping)
    return {key: to_plain(value) for key, (_, value) in node.entries.items()}
