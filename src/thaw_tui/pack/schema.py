"""`thaw schema`: the JSON Schema (draft 2020-12) of one content pack YAML file.

Generated from the same field table the loader reads with, so editors (e.g. the
YAML language server) complete and check exactly what `thaw validate` accepts,
short of the cross-file checks (links, threads, provenance) only the loader can do.
"""

from __future__ import annotations

from typing import Any

from thaw_tui.pack.checking.fields import Field, ObjectSpec, Type
from thaw_tui.pack.checking.specs import ITEM_SPECS, MANIFEST, THREAD
from thaw_tui.pack.checking.values import DATE_PATTERN_TEXT
from thaw_tui.pack.model import (
    DERIVED_RELATIONS,
    ID_MAX_LENGTH,
    ID_PATTERN,
    KIND_KEYS_BY_KIND,
    RELATIONS,
    Kind,
)

SCHEMA_ID = "urn:thaw-tui:pack-file:1"

_ID = {"$ref": "#/$defs/id"}
_DATE = {"$ref": "#/$defs/date"}


def _value_schema(field: Field) -> dict[str, Any]:
    kind = field.type
    if kind is Type.TEXT:
        return {"type": "string"}
    if kind is Type.INT:
        return {"type": "integer", "minimum": 1}
    if kind in (Type.ID, Type.REF):
        return dict(_ID)
    if kind is Type.DATE:
        return dict(_DATE)
    if kind is Type.ENUM:
        return {"enum": list(field.choices)}
    if kind is Type.TEXT_LIST:
        return {"type": "array", "items": {"type": "string"}}
    if kind is Type.REF_LIST:
        return {"type": "array", "items": _ID}
    if kind is Type.PARAGRAPH_LIST:
        return {"type": "array", "items": {"type": "integer", "minimum": 1}}
    if kind is Type.NAMES:
        return {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z]{2,3}(-[A-Za-z0-9]+)*$"},
            "additionalProperties": {"type": "string"},
        }
    if kind is Type.LINKS:
        return {"$ref": "#/$defs/links"}
    if kind is Type.LOCATION:
        return {"$ref": "#/$defs/location"}
    assert field.spec is not None
    ref = {"$ref": f"#/$defs/{field.spec.name}"}
    if kind is Type.OBJECT:
        return ref
    schema: dict[str, Any] = {"type": "array", "items": ref}
    if field.min_items:
        schema["minItems"] = field.min_items
    return schema


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    """Also allow null: the loader reads an optional field written as null as absent."""
    if isinstance(schema.get("type"), str):
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _field_schema(field: Field) -> dict[str, Any]:
    schema = _value_schema(field)
    if not field.required:
        schema = _or_null(schema)
    if field.min_items and field.type is Type.REF_LIST:
        schema["minItems"] = field.min_items
    schema["description"] = field.description
    return schema


def _object_schema(spec: ObjectSpec, title: str) -> dict[str, Any]:
    return {
        "title": title,
        "type": "object",
        "properties": {field.name: _field_schema(field) for field in spec.fields},
        "required": [field.name for field in spec.fields if field.required],
        "additionalProperties": False,
    }


def _links_schema() -> dict[str, Any]:
    authored = [name for name in RELATIONS if name not in DERIVED_RELATIONS]
    properties = {}
    for name in authored:
        relation = RELATIONS[name]
        targets = ", ".join(kind.value for kind in relation.target_kinds) or "any item"
        properties[name] = {
            "type": "array",
            "items": _ID,
            "description": f"{relation.label} / {relation.inverse_label} (targets: {targets}).",
        }
    return {
        "title": "links",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "description": "Relation name -> list of item ids. 'cites' and 'between' are derived.",
    }


def _location_schema() -> dict[str, Any]:
    place = {
        "type": "string",
        "pattern": PLACE_PATTERN,
        "description": "An atlas place id, or 'region/place' where two regions share it.",
    }
    return {
        "title": "location",
        "description": "Where an item is on the pack's maps (its atlas places, or a point).",
        "oneOf": [
            place,
            {"type": "array", "items": place, "minItems": 1, "uniqueItems": True},
            {
                "type": "object",
                "properties": {
                    "lon": {"type": "number", "minimum": -180, "maximum": 180},
                    "lat": {"type": "number", "minimum": -90, "maximum": 90},
                },
                "required": ["lon", "lat"],
                "additionalProperties": False,
            },
        ],
    }


# What atlas place ids look like (pack/atlas.py checks only that they are text).
PLACE_PATTERN = r"^([^/\s]+/)?[^/\s]+$"


def pack_schema() -> dict[str, Any]:
    """The JSON Schema of one pack file: any mix of the top-level keys."""
    defs: dict[str, Any] = {
        "id": {
            "type": "string",
            "pattern": ID_PATTERN.pattern,
            "maxLength": ID_MAX_LENGTH,
            "description": "A slug: a-z, 0-9 and single hyphens.",
        },
        "date": {
            "type": "string",
            "pattern": DATE_PATTERN_TEXT,
            "description": "ISO 8601 at its precision: YYYY, YYYY-MM or YYYY-MM-DD (quote it).",
        },
        "links": _links_schema(),
        "location": _location_schema(),
        "manifest": _object_schema(MANIFEST, "pack manifest"),
        "thread": _object_schema(THREAD, "thread"),
    }
    for spec in _nested_specs():
        defs[spec.name] = _object_schema(spec, spec.name)
    properties: dict[str, Any] = {
        "pack": {"$ref": "#/$defs/manifest", "description": "The manifest (one per pack)."},
        "threads": {
            "type": "array",
            "items": {"$ref": "#/$defs/thread"},
            "description": "Named, ordered paths through the items.",
        },
    }
    for kind in Kind:
        defs[kind.value] = _object_schema(ITEM_SPECS[kind.value], kind.value)
        properties[KIND_KEYS_BY_KIND[kind]] = {
            "type": ["array", "null"],
            "items": {"$ref": f"#/$defs/{kind.value}"},
            "description": f"{kind.label} items.",
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "thaw content pack file",
        "description": "One YAML file of a thaw content pack (see docs/content-format.md).",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "$defs": defs,
    }


def _nested_specs() -> list[ObjectSpec]:
    """Specs used inside items and the manifest (provenance, side, era)."""
    found: dict[str, ObjectSpec] = {}
    for spec in (*ITEM_SPECS.values(), MANIFEST, THREAD):
        for field in spec.fields:
            if field.spec is not None:
                found[field.spec.name] = field.spec
    return list(found.values())
