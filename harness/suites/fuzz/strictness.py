"""Responses may carry only what their contract documents (pure).

JSON Schema lets an object hold properties it does not list unless it says
``additionalProperties: false``; generated contracts rarely say it. A client cannot rely
on an undocumented field, and one appearing is the contract drifting, so the fuzz suite
validates responses against *closed* copies of their schemas: every object schema with
``properties`` and no word on extra properties gets ``additionalProperties: false``.
Schemas that allow extras on purpose (``additionalProperties: true`` as on Problem, or a
schema for them) keep their word. Request schemas are untouched: a component used by
both is cloned for the responses under ``<Name>__closed``.
"""

from __future__ import annotations

import copy
from typing import Any

from harness.suites.fuzz.operations import HTTP_METHODS

SCHEMA_REF_PREFIX = "#/components/schemas/"
CLOSED_SUFFIX = "__closed"
# an allOf part: closed inside, open at its top (the whole it is part of is closed)
OPEN_TOP_SUFFIX = "__closed_inside"
# keywords whose value is one schema / a list of schemas / a name -> schema mapping
ONE_SCHEMA = ("items", "contains", "not", "if", "then", "else", "propertyNames")
SCHEMA_LISTS = ("anyOf", "oneOf", "prefixItems")
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")


def close_response_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of the OpenAPI document whose response schemas forbid undocumented fields."""
    closed = copy.deepcopy(document)
    components = closed.setdefault("components", {}).setdefault("schemas", {})
    closer = _Closer(components)
    for item in closed.get("paths", {}).values():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                for response in operation.get("responses", {}).values():
                    closer.response(response)
    for response in closed["components"].get("responses", {}).values():
        closer.response(response)
    return closed


class _Closer:
    def __init__(self, components: dict[str, Any]) -> None:
        self.components = components
        self.originals = dict(components)

    def response(self, response: Any) -> None:
        if not isinstance(response, dict):
            return
        for media in response.get("content", {}).values():
            if isinstance(media, dict) and isinstance(media.get("schema"), dict):
                media["schema"] = self.schema(media["schema"])

    def schema(self, schema: Any, *, close: bool = True) -> Any:
        if not isinstance(schema, dict):
            return schema
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF_PREFIX):
            return {**schema, "$ref": self._closed_ref(ref[len(SCHEMA_REF_PREFIX) :], close)}
        out = dict(schema)
        for key in ONE_SCHEMA:
            if key in out:
                out[key] = self.schema(out[key])
        for key in SCHEMA_LISTS:
            if isinstance(out.get(key), list):
                out[key] = [self.schema(s) for s in out[key]]
        for key in SCHEMA_MAPS:
            if isinstance(out.get(key), dict):
                out[key] = {name: self.schema(s) for name, s in out[key].items()}
        if isinstance(out.get("additionalProperties"), dict):
            out["additionalProperties"] = self.schema(out["additionalProperties"])
        if isinstance(out.get("allOf"), list):
            # the parts are merged: closing one would forbid the others' properties, so the
            # whole is closed instead (unevaluatedProperties sees through allOf)
            out["allOf"] = [self.schema(s, close=False) for s in out["allOf"]]
            if close and _silent(out):
                out["unevaluatedProperties"] = False
        elif close and _silent(out) and _is_object(out):
            out["additionalProperties"] = False
        return out

    def _closed_ref(self, name: str, close: bool) -> str:
        if name not in self.originals:
            return f"{SCHEMA_REF_PREFIX}{name}"
        closed_name = f"{name}{CLOSED_SUFFIX if close else OPEN_TOP_SUFFIX}"
        if closed_name not in self.components:
            self.components[closed_name] = {}  # placeholder: a schema may refer to itself
            self.components[closed_name] = self.schema(self.originals[name], close=close)
        return f"{SCHEMA_REF_PREFIX}{closed_name}"


def _silent(schema: dict[str, Any]) -> bool:
    return "additionalProperties" not in schema and "unevaluatedProperties" not in schema


def _is_object(schema: dict[str, Any]) -> bool:
    says_type = schema.get("type")
    return "properties" in schema and says_type in ("object", None)
