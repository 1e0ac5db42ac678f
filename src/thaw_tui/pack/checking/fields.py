"""Field types and a reader that checks a YAML mapping against a spec.

The specs themselves (which fields each item kind has) are in `specs.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, Final, Generic, NamedTuple, TypeAlias, TypeVar, cast

from thaw_tui.pack.checking.suggest import did_you_mean, one_of
from thaw_tui.pack.checking.values import bad_id_message, is_slug, parse_date
from thaw_tui.pack.reading.yaml_nodes import (
    FLOAT_PATTERN,
    INT_PATTERN,
    NULL_WORDS,
    Mapping,
    Node,
    Scalar,
    Sequence,
)


class Type:
    """Field types. Plain strings rather than an Enum: they are compared and hashed
    on the loader's hot path, where Enum's Python-level __hash__ shows up."""

    TEXT = "text"
    INT = "int"
    ID = "id"  # this mapping's own id: text that must be a slug
    REF = "ref"  # the id of something else
    DATE = "date"
    ENUM = "enum"
    TEXT_LIST = "text_list"
    REF_LIST = "ref_list"
    PARAGRAPH_LIST = "paragraph_list"
    NAMES = "names"  # mapping of language code to text
    LINKS = "links"  # mapping of relation name to a list of refs
    OBJECT = "object"
    OBJECT_LIST = "object_list"
    LOCATION = "location"  # a place id, a list of them, or {lon, lat}: see LocationAt


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # one of the Type constants
    required: bool
    description: str
    choices: tuple[str, ...] = ()
    spec: ObjectSpec | None = None  # for OBJECT and OBJECT_LIST
    min_items: int = 0


V = TypeVar("V")


@dataclass(frozen=True)
class Spec(Generic[V]):
    """The fields a mapping may hold, and the TypedDict (`shape`, in drafts.py) that
    reading such a mapping returns; tests/unit/test_loader.py checks the two agree."""

    name: str  # how messages call this mapping: "event", "provenance", "side"
    fields: tuple[Field, ...]
    shape: type[V]
    # Derived lookups for the reader's hot path.
    by_name: dict[str, Field] = dataclass_field(init=False, repr=False, compare=False)
    required: tuple[str, ...] = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})
        object.__setattr__(self, "required", tuple(f.name for f in self.fields if f.required))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


ObjectSpec: TypeAlias = Spec[Any]  # a spec of any shape, for code that walks the table


class Ref(NamedTuple):
    """An id written somewhere, with the node it was written as (for its position)."""

    target: str
    node: Node

    @property
    def line(self) -> int:
        return self.node.line

    @property
    def column(self) -> int:
        return self.node.column


class IntAt(NamedTuple):
    """A paragraph number with the node it was written as."""

    value: int
    node: Node

    @property
    def line(self) -> int:
        return self.node.line

    @property
    def column(self) -> int:
        return self.node.column


class LocationAt(NamedTuple):
    """A `location` as written: atlas places (each `place` or `region/place`), or a
    point. Which map it is on is checked once the pack's maps are read
    (`checking/maps.py`)."""

    places: tuple[Ref, ...]
    point: tuple[float, float] | None
    node: Node

    @property
    def line(self) -> int:
        return self.node.line

    @property
    def column(self) -> int:
        return self.node.column


Report = Callable[[int, int, str], None]
AT: Final = "@at"  # key under which `read_object` keeps the mapping node (for its position)


class FieldReader:
    """Reads mappings against specs, reporting every problem through `report`."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def read_object(self, node: Node, spec: Spec[V], where: str = "") -> V | None:
        """The fields of a mapping as Python values; None if it is not a mapping.

        Missing required fields are reported; values that are wrong are reported
        and left out of the result, so callers fall back to defaults.
        """
        if not isinstance(node, Mapping):
            self.report(
                node.line,
                node.column,
                f"{where or spec.name} must be a mapping, found {node.describe()}",
            )
            return None
        values: dict[str, Any] = {AT: node}
        field_named = spec.by_name.get
        entries = node.entries
        for key, (key_node, value_node) in entries.items():
            field = field_named(key)
            if field is None:
                self.report(
                    key_node.line,
                    key_node.column,
                    f"unknown field '{key}' in {spec.name}{did_you_mean(key, spec.names)}",
                )
                continue
            if type(value_node) is Scalar:
                # The common case, inlined: plain text in a text field.
                if field.type is Type.TEXT and not (
                    value_node.plain and value_node.text in NULL_WORDS
                ):
                    text = value_node.text
                    if field.required and not text.strip():
                        self.report(
                            value_node.line, value_node.column, f"'{key}' must not be empty"
                        )
                    values[key] = text
                    continue
                if value_node.is_null and not field.required:
                    continue  # an optional field written as null is simply absent
            value = self.read_value(value_node, field, spec)
            if value is not None:
                values[key] = value
        for name in spec.required:
            if name not in entries:
                self.report(
                    node.line, node.column, f"missing required field '{name}' in {spec.name}"
                )
        return cast(V, values)  # the shape of `spec`: see Spec

    def read_value(self, node: Node, field: Field, spec: ObjectSpec) -> Any:
        kind = field.type
        if kind in _SCALAR_TYPES:
            return self._scalar(node, field)
        if kind is Type.OBJECT:
            assert field.spec is not None
            return self.read_object(node, field.spec, f"'{field.name}'")
        if kind is Type.NAMES:
            return self._names(node, field)
        if kind is Type.LINKS:
            return self._links(node, field)
        if kind is Type.LOCATION:
            return self._location(node, field)
        # the list types
        if not isinstance(node, Sequence):
            self._wrong(node, field, "a list")
            return None
        if len(node.items) < field.min_items:
            self.report(
                node.line,
                node.column,
                f"'{field.name}' needs at least {plural(field.min_items, 'entry', 'entries')}, "
                f"found {len(node.items)}",
            )
        if kind is Type.OBJECT_LIST:
            assert field.spec is not None
            found = (self.read_object(child, field.spec) for child in node.items)
            return [value for value in found if value is not None]
        if kind is Type.REF_LIST:
            # The common case, inlined: a list of plain ids.
            refs = []
            for child in node.items:
                if type(child) is Scalar and not (child.plain and child.text in NULL_WORDS):
                    refs.append(Ref(child.text, child))
                else:
                    self._scalar(child, _ELEMENT_FIELDS[kind], field.name)
            return refs
        element = _ELEMENT_FIELDS[kind]
        items = (self._scalar(child, element, field.name) for child in node.items)
        return [value for value in items if value is not None]

    def _scalar(self, node: Node, field: Field, list_name: str = "") -> Any:
        if type(node) is not Scalar:
            self._wrong(node, field, _EXPECTED[field.type], _label(field, list_name))
            return None
        if node.plain and node.text in NULL_WORDS:
            self._wrong(node, field, _EXPECTED[field.type], _label(field, list_name))
            return None
        kind = field.type
        if kind is Type.INT:
            number = node.as_int()
            if number is None or number < 1:
                self._wrong(node, field, "a whole number from 1 up", _label(field, list_name))
                return None
            return number
        if kind is Type.PARAGRAPH_LIST:
            number = node.as_int()
            if number is None or number < 1:
                label = _label(field, list_name)
                self._wrong(node, field, "a paragraph number (1, 2, ...)", label)
                return None
            return IntAt(number, node)
        text = node.text
        if kind is Type.TEXT:
            if field.required and not text.strip():
                self.report(node.line, node.column, f"'{field.name}' must not be empty")
            return text
        if kind is Type.ID:
            if not is_slug(text):
                self.report(node.line, node.column, bad_id_message(text))
            return text
        if kind in (Type.REF, Type.REF_LIST):
            return Ref(text, node)
        if kind is Type.ENUM:
            if text not in field.choices:
                self.report(
                    node.line,
                    node.column,
                    f"'{field.name}' must be {one_of(field.choices)}, found '{text}'"
                    f"{did_you_mean(text, field.choices)}",
                )
                return None
            return text
        if kind is Type.DATE:
            date, error = parse_date(text)
            if error:
                self.report(node.line, node.column, error)
            return date
        raise AssertionError(kind)  # pragma: no cover

    def _names(self, node: Node, field: Field) -> list[tuple[str, str]] | None:
        if not isinstance(node, Mapping):
            self._wrong(node, field, "a mapping of language code to name")
            return None
        names = []
        for language, (_key_node, value) in node.entries.items():
            if not isinstance(value, Scalar) or value.is_null:
                self.report(
                    value.line,
                    value.column,
                    f"the name for '{language}' must be text, found {value.describe()}",
                )
                continue
            names.append((language, value.text))
        return names

    def _links(self, node: Node, field: Field) -> list[tuple[str, Ref, Ref]] | None:
        """(relation, where the relation was written, target) for every link."""
        if not isinstance(node, Mapping):
            self._wrong(node, field, "a mapping of relation to a list of item ids")
            return None
        links = []
        for relation, (key_node, value) in node.entries.items():
            relation_ref = Ref(relation, key_node)
            if not isinstance(value, Sequence):
                self.report(
                    value.line,
                    value.column,
                    f"links under '{relation}' must be a list of item ids, found "
                    f"{value.describe()} (write [{_scalar_text(value)}])",
                )
                continue
            seen: set[str] = set()
            for target in value.items:
                if not isinstance(target, Scalar) or target.is_null:
                    self.report(
                        target.line,
                        target.column,
                        f"links under '{relation}' must be item ids, found {target.describe()}",
                    )
                    continue
                if target.text in seen:
                    self.report(
                        target.line,
                        target.column,
                        f"'{target.text}' is listed twice under '{relation}': remove one",
                    )
                    continue
                seen.add(target.text)
                links.append((relation, relation_ref, Ref(target.text, target)))
        return links

    def _location(self, node: Node, field: Field) -> LocationAt | None:
        """`kunashiri`, `[shikotan, habomai]` or `{lon: 145.85, lat: 44.1}`."""
        if isinstance(node, Mapping):
            return self._point(node, field)
        scalars = node.items if isinstance(node, Sequence) else [node]
        if isinstance(node, Sequence) and not scalars:
            self.report(node.line, node.column, f"'{field.name}' lists no place: name at least one")
            return None
        places: list[Ref] = []
        for child in scalars:
            if not isinstance(child, Scalar) or child.is_null or not child.text.strip():
                self._wrong(child, field, _LOCATION_EXPECTED)
                return None
            if any(place.target == child.text for place in places):
                self.report(
                    child.line, child.column, f"place '{child.text}' is listed twice: remove one"
                )
                continue
            places.append(Ref(child.text, child))
        return LocationAt(tuple(places), None, node)

    def _point(self, node: Mapping, field: Field) -> LocationAt | None:
        values: dict[str, float] = {}
        for key, (key_node, value) in node.entries.items():
            if key not in _COORDINATES:
                self.report(
                    key_node.line,
                    key_node.column,
                    f"unknown key '{key}' in a point: a point has 'lon' and 'lat' "
                    f"(or name an atlas place instead){did_you_mean(key, tuple(_COORDINATES))}",
                )
                return None
            number = _number(value)
            if number is None:
                self.report(
                    value.line,
                    value.column,
                    f"'{key}' must be a number of degrees, found {value.describe()}",
                )
                return None
            low, high = _COORDINATES[key]
            if not low <= number <= high:
                name = "longitude" if key == "lon" else "latitude"
                self.report(
                    value.line,
                    value.column,
                    f"{name} {number:g} is out of range: it must be from {low:g} to {high:g}",
                )
                return None
            values[key] = number
        missing = [key for key in _COORDINATES if key not in values]
        if missing:
            self.report(
                node.line,
                node.column,
                f"a point needs both 'lon' and 'lat' (in degrees): add '{missing[0]}'",
            )
            return None
        return LocationAt((), (values["lon"], values["lat"]), node)

    def _wrong(self, node: Node, field: Field, expected: str, label: str = "") -> None:
        self.report(
            node.line,
            node.column,
            f"{label or repr(field.name)} must be {expected}, found {node.describe()}",
        )


_SCALAR_TYPES = frozenset({Type.TEXT, Type.INT, Type.ID, Type.REF, Type.DATE, Type.ENUM})
_EXPECTED = {
    Type.TEXT: "text",
    Type.INT: "a whole number",
    Type.ID: "an id",
    Type.REF: "an id",
    Type.DATE: "a date",
    Type.ENUM: "text",
    Type.TEXT_LIST: "text",
    Type.REF_LIST: "an id",
    Type.PARAGRAPH_LIST: "a paragraph number",
}
_ELEMENT_FIELDS = {
    Type.TEXT_LIST: Field("", Type.TEXT, False, ""),
    Type.REF_LIST: Field("", Type.REF_LIST, False, ""),
    Type.PARAGRAPH_LIST: Field("", Type.PARAGRAPH_LIST, False, ""),
}


_LOCATION_EXPECTED = "a place id, a list of place ids, or a point {lon: ..., lat: ...}"
_COORDINATES = {"lon": (-180.0, 180.0), "lat": (-90.0, 90.0)}


def _number(node: Node) -> float | None:
    """A plain YAML number as a float (a quoted "44.1" is text, as YAML has it)."""
    if not isinstance(node, Scalar) or not node.plain:
        return None
    if INT_PATTERN.fullmatch(node.text) or FLOAT_PATTERN.fullmatch(node.text):
        return float(node.text)
    return None


def _label(field: Field, list_name: str) -> str:
    """How a message names the value: "'era'" or "entries of 'sources'"."""
    return f"entries of '{list_name}'" if list_name else f"'{field.name}'"


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _scalar_text(node: Node) -> str:
    return node.text if isinstance(node, Scalar) else "..."
