"""Response schemas are closed to undocumented fields; request schemas stay as written."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema

from harness.suites.fuzz.strictness import close_response_schemas

REF = "#/components/schemas/"
DOCUMENT: dict[str, Any] = {
    "paths": {
        "/products": {
            "post": {
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": REF + "Line"}}}
                },
                "responses": {
                    "201": {"content": {"application/json": {"schema": {"$ref": REF + "Product"}}}},
                    "422": {
                        "content": {
                            "application/problem+json": {"schema": {"$ref": REF + "Problem"}}
                        }
                    },
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Product": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "lines": {"type": "array", "items": {"$ref": REF + "Line"}},
                    "note": {"anyOf": [{"$ref": REF + "Line"}, {"type": "null"}]},
                    "tags": {"type": "object", "additionalProperties": {"$ref": REF + "Line"}},
                    "parent": {"$ref": REF + "Product"},
                    "both": {"allOf": [{"$ref": REF + "Line"}, {"properties": {"x": {}}}]},
                },
            },
            "Line": {"type": "object", "properties": {"sku": {"type": "string"}}},
            "Problem": {
                "type": "object",
                "additionalProperties": True,
                "properties": {"title": {"type": "string"}},
            },
        }
    },
}


def response_schema(document: dict[str, Any], status: str) -> dict[str, Any]:
    response = document["paths"]["/products"]["post"]["responses"][status]
    media = next(iter(response["content"].values()))
    schema: dict[str, Any] = media["schema"]
    return schema


def validator(document: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Validator:
    root = {**schema, "components": document["components"]}
    return jsonschema.Draft202012Validator(root)


def test_a_response_with_an_undocumented_field_no_longer_validates() -> None:
    closed = close_response_schemas(DOCUMENT)
    check = validator(closed, response_schema(closed, "201"))
    assert check.is_valid({"id": "1", "lines": [{"sku": "A"}], "parent": {"id": "0"}})
    assert not check.is_valid({"id": "1", "warehouse_code": "WH-1"})
    assert not check.is_valid({"id": "1", "lines": [{"sku": "A", "extra": 1}]})
    assert not check.is_valid({"id": "1", "note": {"sku": "A", "extra": 1}})
    assert not check.is_valid({"id": "1", "tags": {"t": {"sku": "A", "extra": 1}}})
    assert not check.is_valid({"id": "1", "parent": {"id": "0", "extra": 1}})


def test_allof_parts_are_not_closed_against_each_other_but_the_whole_is() -> None:
    closed = close_response_schemas(DOCUMENT)
    check = validator(closed, response_schema(closed, "201"))
    assert check.is_valid({"id": "1", "both": {"sku": "A", "x": 1}})
    assert not check.is_valid({"id": "1", "both": {"sku": "A", "x": 1, "extra": 1}})


def test_schemas_open_on_purpose_stay_open() -> None:
    closed = close_response_schemas(DOCUMENT)
    check = validator(closed, response_schema(closed, "422"))
    assert check.is_valid({"title": "t", "errors": []})


def test_requests_and_the_input_document_are_untouched() -> None:
    before = copy.deepcopy(DOCUMENT)
    closed = close_response_schemas(DOCUMENT)
    assert before == DOCUMENT
    request = closed["paths"]["/products"]["post"]["requestBody"]["content"]["application/json"]
    assert request["schema"] == {"$ref": REF + "Line"}
    assert "additionalProperties" not in closed["components"]["schemas"]["Line"]
    assert closed["components"]["schemas"]["Line__closed"]["additionalProperties"] is False
