"""The schema engine on its own: spellings that mean the same are equal, and each change
has the effect a reader of the set of valid values would give it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.contracts.refs import Location, Resolver
from harness.gate.schema import Comparator, Effect, parts_of


def _changes(
    old: Any, new: Any, *, view: str = "response", old_doc: Any = None, new_doc: Any = None
) -> list[tuple[str, str, tuple[str, ...]]]:
    base, head = Path("/base.yaml"), Path("/head.yaml")
    old_resolver = Resolver(base, old_doc if old_doc is not None else {"s": old})
    new_resolver = Resolver(head, new_doc if new_doc is not None else {"s": new})
    comparator = Comparator(view=view)  # type: ignore[arg-type]
    found = comparator.compare(
        tuple(parts_of(old, Location(base, "/s"), old_resolver)),
        tuple(parts_of(new, Location(head, "/s"), new_resolver)),
    )
    return [(c.kind, c.effect.value, c.path) for c in found]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"type": "string", "nullable": True}, {"type": ["string", "null"]}),
        ({"type": ["string", "null"]}, {"anyOf": [{"type": "string"}, {"type": "null"}]}),
        ({"const": 1}, {"enum": [1]}),
        ({"minimum": 0, "exclusiveMinimum": True}, {"exclusiveMinimum": 0}),
        (
            {"allOf": [{"type": "object"}, {"required": ["a"]}]},
            {"type": "object", "required": ["a"]},
        ),
        (
            {"type": "object", "title": "A", "description": "x"},
            {"type": "object", "examples": [{}]},
        ),
        ({"enum": ["a", "b"]}, {"enum": ["b", "a"]}),
        (
            {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            {"oneOf": [{"type": "integer"}, {"type": "string"}]},
        ),
    ],
)
def test_spellings_of_the_same_schema_are_equal(old: Any, new: Any) -> None:
    assert _changes(old, new) == []


@pytest.mark.parametrize(
    ("old", "new", "kind", "effect"),
    [
        ({"type": "integer"}, {"type": "number"}, "type-changed", "widens"),
        ({"type": "number"}, {"type": "integer"}, "type-changed", "narrows"),
        ({"type": "string"}, {"type": "boolean"}, "type-changed", "both"),
        (
            {"type": "integer", "multipleOf": 2},
            {"type": "integer", "multipleOf": 4},
            "bound-changed",
            "narrows",
        ),
        (
            {"type": "integer", "multipleOf": 2},
            {"type": "integer", "multipleOf": 3},
            "bound-changed",
            "both",
        ),
        ({"format": "int32"}, {"format": "int64"}, "format-changed", "widens"),
        ({"format": "uuid"}, {"format": "email"}, "format-changed", "both"),
        ({"pattern": "^a"}, {"pattern": "^b"}, "pattern-changed", "unknown"),
        ({"default": 1}, {"default": 2}, "default-changed", "default"),
        (True, False, "type-changed", "narrows"),
    ],
)
def test_each_change_has_its_effect(old: Any, new: Any, kind: str, effect: str) -> None:
    assert (kind, effect) in [(k, e) for k, e, _ in _changes(old, new)]


def test_recursive_schemas_end_and_report_deep_changes() -> None:
    def doc(leaf: str) -> dict[str, Any]:
        node = {"type": "object", "properties": {"v": {"type": leaf}, "next": {"$ref": "#/N"}}}
        return {"N": node}

    found = _changes(
        {"$ref": "#/N"}, {"$ref": "#/N"}, old_doc=doc("string"), new_doc=doc("integer")
    )
    assert found == [("type-changed", "both", ("v",))]


def test_read_only_fields_do_not_exist_in_requests() -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}}}
    new = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "id": {"type": "string", "readOnly": True}},
        "required": ["id"],
    }
    assert _changes(old, new, view="request") == []
    assert ("property-required", "narrows", ("id",)) in _changes(old, new, view="response")


def test_a_component_shared_by_many_places_is_compared_once() -> None:
    base, head = Path("/b.yaml"), Path("/h.yaml")
    old_doc = {"A": {"type": "object", "properties": {"x": {"type": "string"}}}}
    new_doc = {"A": {"type": "object", "properties": {"x": {"type": "integer"}}}}
    comparator = Comparator(view="response")
    old = tuple(parts_of({"$ref": "#/A"}, Location(base, "/p1"), Resolver(base, old_doc)))
    new = tuple(parts_of({"$ref": "#/A"}, Location(head, "/p1"), Resolver(head, new_doc)))
    first = comparator.compare(old, new)
    assert comparator.compare(old, new) is first
    assert [c.effect for c in first] == [Effect.BOTH]


def test_a_removed_field_with_an_added_twin_reads_as_a_rename() -> None:
    base, head = Path("/b.yaml"), Path("/h.yaml")
    old = {"type": "object", "properties": {"total": {"type": "integer"}}, "required": ["total"]}
    new = {"type": "object", "properties": {"amount": {"type": "integer"}}, "required": ["amount"]}
    comparator = Comparator(view="response")
    found = comparator.compare(
        tuple(parts_of(old, Location(base, "/s"), Resolver(base, {}))),
        tuple(parts_of(new, Location(head, "/s"), Resolver(head, {}))),
    )
    removed = next(c for c in found if c.kind == "property-removed")
    assert removed.detail == "field 'total' removed (renamed to 'amount'?)"


def test_a_required_name_without_a_schema_allows_anything() -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    new = {"type": "object", "required": ["a"]}
    assert ("type-changed", "widens", ("a",)) in _changes(old, new)
