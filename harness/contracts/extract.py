"""Turn a message object (AsyncAPI 2.x or 3.0) into a ``MessageContract``."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from harness.contracts.model import JsonSchema, MessageContract, MessageExample
from harness.contracts.refs import Location, Resolver, join_pointer
from harness.contracts.runtime_expressions import parse_expression

EVENT_TYPE_HEADER = "event-type"
KEY_LOCATION = "x-key-location"
# Schema formats whose schemas are JSON Schema (the AsyncAPI schema is a superset).
_JSON_SCHEMA_FORMATS = (
    "application/vnd.aai.asyncapi",
    "application/schema+json",
    "application/schema+yaml",
)


def mapping_at(node: Any, key: str, at: Location) -> Mapping[str, Any]:
    """``node[key]`` as a mapping ({} when absent); an error names the pointer otherwise."""
    value = node.get(key) if isinstance(node, Mapping) else None
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise at.child(key).error(f"{key!r} must be a mapping, not {type(value).__name__}")
    return value


def kafka_binding(
    resolver: Resolver, node: Mapping[str, Any], at: Location
) -> tuple[Mapping[str, Any], Location]:
    """The Kafka binding of a channel, message or operation ({} when there is none)."""
    binding_at = at.child("bindings", "kafka")
    if "bindings" not in node:
        return {}, binding_at
    bindings, bindings_at = resolver.follow(node["bindings"], at.child("bindings"))
    if not isinstance(bindings, Mapping) or "kafka" not in bindings:
        return {}, binding_at
    kafka, binding_at = resolver.follow(bindings["kafka"], bindings_at.child("kafka"))
    return (kafka if isinstance(kafka, Mapping) else {}), binding_at


def extract_message(
    resolver: Resolver,
    node: Any,
    at: Location,
    *,
    key: str,
    topic: str,
    default_content_type: str | None,
    traits_override: bool,
) -> MessageContract:
    """Build the message contract; ``traits_override`` is 2.x trait semantics."""
    if not isinstance(node, Mapping):
        raise at.error(f"a message must be a mapping, not {type(node).__name__}")
    node = _apply_traits(resolver, node, at, traits_override=traits_override)
    name = node.get("name") or node.get("messageId") or key
    headers = _schema(resolver, node, at, "headers", None)
    key_schema, key_location = _kafka_key(resolver, node, at)
    return MessageContract(
        name=str(name),
        topic=topic,
        content_type=str(node.get("contentType") or default_content_type or "application/json"),
        payload_schema=_schema(resolver, node, at, "payload", node.get("schemaFormat")),
        headers_schema=headers,
        key_schema=key_schema,
        key_location=key_location,
        event_type=header_constant(headers, EVENT_TYPE_HEADER),
        examples=_examples(resolver, node, at),
        location=at,
    )


def header_constant(schema: JsonSchema | None, name: str) -> str | None:
    """The single value a headers schema allows for ``name`` (const or one-item enum)."""
    if not isinstance(schema, Mapping):
        return None
    properties = schema.get("properties")
    prop = properties.get(name) if isinstance(properties, Mapping) else None
    if isinstance(prop, Mapping):
        if isinstance(prop.get("const"), str):
            return str(prop["const"])
        enum = prop.get("enum")
        if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str):
            return enum[0]
    for part in schema.get("allOf") or ():
        found = header_constant(part, name)
        if found is not None:
            return found
    return None


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch."""
    if not isinstance(patch, Mapping):
        return patch
    result: dict[str, Any] = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


def _apply_traits(
    resolver: Resolver, node: Mapping[str, Any], at: Location, *, traits_override: bool
) -> Mapping[str, Any]:
    traits = node.get("traits")
    if not traits:
        return node
    if not isinstance(traits, list):
        raise at.child("traits").error("'traits' must be a list")
    own = {key: value for key, value in node.items() if key != "traits"}
    # 3.0: a trait never overrides the message's own fields; 2.x: traits are applied on top.
    merged: Mapping[str, Any] = own if traits_override else {}
    for index, raw in enumerate(traits):
        trait, _ = resolver.follow(raw, at.child("traits", index))
        merged = _merge_patch(merged, trait)
    return merged if traits_override else _merge_patch(merged, own)


def _schema(
    resolver: Resolver,
    node: Mapping[str, Any],
    at: Location,
    field: str,
    schema_format: Any,
) -> JsonSchema | None:
    if node.get(field) is None:
        return None
    raw, raw_at = resolver.follow(node[field], at.child(field))
    if isinstance(raw, Mapping) and "schemaFormat" in raw and "schema" in raw:
        schema_format, raw, raw_at = raw["schemaFormat"], raw["schema"], raw_at.child("schema")
    if schema_format and not str(schema_format).startswith(_JSON_SCHEMA_FORMATS):
        raise raw_at.error(
            f"schema format {schema_format!r} is not supported; "
            "the contract checks understand JSON Schema (the AsyncAPI schema format)"
        )
    return checked_schema(resolver.inline(raw, raw_at), raw_at)


def checked_schema(schema: Any, at: Location) -> JsonSchema:
    """``schema`` if it is valid JSON Schema (2020-12), else a located ContractError."""
    if not isinstance(schema, Mapping | bool):
        raise at.error(f"a schema must be a mapping or a boolean, not {type(schema).__name__}")
    problem = _schema_problem(json.dumps(schema, sort_keys=True))
    if problem is not None:
        path, message = problem
        raise Location(at.file, at.pointer + path).error(f"invalid schema: {message}")
    return schema


@functools.lru_cache(maxsize=512)
def _schema_problem(schema_json: str) -> tuple[str, str] | None:
    """Checking against the 2020-12 meta-schema is slow; identical schemas are checked once."""
    try:
        Draft202012Validator.check_schema(json.loads(schema_json))
    except SchemaError as exc:
        return join_pointer(exc.path), exc.message
    return None


def _kafka_key(
    resolver: Resolver, node: Mapping[str, Any], at: Location
) -> tuple[JsonSchema | None, str | None]:
    kafka, binding_at = kafka_binding(resolver, node, at)
    key_schema = None
    if kafka.get("key") is not None:
        key_at = binding_at.child("key")
        key_schema = checked_schema(resolver.inline(kafka["key"], key_at), key_at)
    location = kafka.get(KEY_LOCATION)
    if location is not None:
        try:
            parse_expression(str(location))
        except ValueError as exc:
            raise binding_at.child(KEY_LOCATION).error(str(exc)) from None
    return key_schema, None if location is None else str(location)


def _examples(
    resolver: Resolver, node: Mapping[str, Any], at: Location
) -> tuple[MessageExample, ...]:
    raw = node.get("examples") or []
    if not isinstance(raw, list):
        raise at.child("examples").error("'examples' must be a list")
    examples = []
    for index, item in enumerate(raw):
        example, example_at = resolver.follow(item, at.child("examples", index))
        if not isinstance(example, Mapping):
            raise example_at.error("an example must be a mapping with headers and/or payload")
        headers = mapping_at(example, "headers", example_at)
        examples.append(
            MessageExample(
                name=example.get("name"),
                summary=example.get("summary"),
                headers=dict(headers),
                payload=example.get("payload"),
                has_payload="payload" in example,
            )
        )
    return tuple(examples)
