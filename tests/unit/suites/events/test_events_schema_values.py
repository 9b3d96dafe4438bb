"""Values generated from JSON Schema satisfy it, fall back on examples for patterns,
and say so when they cannot."""

from __future__ import annotations

import random
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from harness.contracts import ContractIndex
from harness.contracts.formats import format_checker
from harness.suites.events.schema_values import UnsupportedSchema, instance, merged


def valid(schema: Any, value: Any) -> bool:
    return Draft202012Validator(schema, format_checker=format_checker()).is_valid(value)


SCHEMAS: list[dict[str, Any]] = [
    {"type": "string", "format": "uuid"},
    {"type": "string", "format": "date-time"},
    {"type": "string", "minLength": 3, "maxLength": 5},
    {"type": "integer", "minimum": 1, "maximum": 3},
    {"type": "integer", "exclusiveMinimum": 0},
    {"type": "number", "minimum": 0.5, "maximum": 0.75},
    {"type": "boolean"},
    {"type": ["null", "string"]},
    {"enum": ["a", "b"]},
    {"const": 7},
    {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "integer"}},
    {"anyOf": [{"type": "string", "minLength": 2}, {"type": "integer"}]},
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["id"],
        "properties": {"id": {"type": "string", "format": "uuid"}, "note": {"type": "string"}},
    },
]


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: str(s)[:40])
def test_every_value_satisfies_its_schema(schema: dict[str, Any]) -> None:
    rng = random.Random(1)
    for _ in range(20):
        value = instance(schema, rng)
        assert valid(schema, value), (schema, value)


def test_the_same_seed_gives_the_same_values() -> None:
    schema = SCHEMAS[-1]
    assert instance(schema, random.Random(5)) == instance(schema, random.Random(5))


def test_all_of_is_folded_with_later_parts_refining_earlier_ones() -> None:
    schema = {
        "allOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"required": ["b"], "properties": {"a": {"const": "x"}, "b": {"enum": [1]}}},
        ]
    }
    folded = merged(schema)
    assert folded["required"] == ["a", "b"]
    assert folded["properties"]["a"] == {"type": "string", "const": "x"}
    assert instance(schema, random.Random(0)) == {"a": "x", "b": 1}


def test_a_pattern_falls_back_on_the_example_or_says_it_cannot() -> None:
    schema = {"type": "string", "pattern": "^00-[0-9a-f]{4}$"}
    assert instance(schema, random.Random(0), "00-beef") == "00-beef"
    with pytest.raises(UnsupportedSchema, match="matching"):
        instance(schema, random.Random(0), "nope")
    with pytest.raises(UnsupportedSchema, match="no type"):
        instance({"description": "anything"}, random.Random(0))
    assert instance({}, random.Random(0), "given") == "given"


def test_every_payload_and_header_schema_of_the_contract_is_generated(
    index: ContractIndex,
) -> None:
    rng = random.Random(3)
    for message in index.messages():
        example = next((e for e in message.examples if e.headers), None)
        headers = instance(message.headers_schema or {}, rng, example.headers if example else {})
        assert valid(message.headers_schema, headers), message.name
        payload = instance(message.payload_schema or {}, rng)
        assert valid(message.payload_schema, payload), message.name
