"""JSON Schema -> a valid value (pure, seeded by the caller's ``random.Random``).

The subset contracts use: types, enum/const, allOf, anyOf/oneOf, formats uuid and
date-time, numeric bounds, lengths, item counts. Where a ``pattern`` defeats the
generator it falls back on the contract's own example at the same place.
"""

from __future__ import annotations

import random
import re
import string
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from harness.contracts.model import JsonSchema
from harness.contracts.runtime_expressions import MISSING

OPTIONAL_FIELD_CHANCE = 0.5


class UnsupportedSchema(ValueError):
    """The generator cannot satisfy this schema node and the contract has no example."""


def merged(schema: JsonSchema) -> dict[str, Any]:
    """The schema with ``allOf`` folded in (later parts refine earlier ones)."""
    if not isinstance(schema, Mapping):
        return {}
    result = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema.get("allOf", ()):
        for name, value in merged(part).items():
            if name == "properties" and isinstance(result.get(name), Mapping):
                joined = dict(result[name])
                for prop, sub in value.items():
                    joined[prop] = {**merged(joined.get(prop, {})), **merged(sub)}
                result[name] = joined
            elif name == "required":
                result[name] = list(dict.fromkeys([*result.get(name, []), *value]))
            else:
                result[name] = value
    return result


def instance(schema: JsonSchema, rng: random.Random, example: Any = MISSING) -> Any:
    """A value valid against ``schema`` (``example``: the contract's value at this place)."""
    node = merged(schema)
    for keyword in ("anyOf", "oneOf"):
        if node.get(keyword):
            rest = {k: v for k, v in node.items() if k != keyword}
            return instance({**rest, **merged(node[keyword][0])}, rng, example)
    if "const" in node:
        return node["const"]
    if "enum" in node:
        return rng.choice(list(node["enum"]))
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    maker = _MAKERS.get(str(kind)) if kind else None
    if maker is None:
        if example is not MISSING:
            return example
        raise UnsupportedSchema(f"no type to generate from: {node}")
    return maker(node, rng, example)


def _object(node: Mapping[str, Any], rng: random.Random, example: Any) -> dict[str, Any]:
    required = set(node.get("required", ()))
    sample = example if isinstance(example, Mapping) else {}
    return {
        name: instance(sub, rng, sample.get(name, MISSING))
        for name, sub in (node.get("properties") or {}).items()
        if name in required or rng.random() < OPTIONAL_FIELD_CHANCE
    }


def _array(node: Mapping[str, Any], rng: random.Random, example: Any) -> list[Any]:
    high = min(int(node.get("maxItems", 3)), max(int(node.get("minItems", 0)), 1) + 2)
    low = min(max(int(node.get("minItems", 0)), 1), high)
    first = example[0] if isinstance(example, list) and example else MISSING
    return [instance(node.get("items", {}), rng, first) for _ in range(rng.randint(low, high))]


def _string(node: Mapping[str, Any], rng: random.Random, example: Any) -> str:
    fmt = node.get("format")
    if fmt == "uuid":
        value = new_uuid(rng)
    elif fmt == "date-time":
        moment = datetime.now(UTC) - timedelta(milliseconds=rng.randint(0, 60_000))
        value = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    else:
        low = int(node.get("minLength", 1))
        high = min(int(node.get("maxLength", low + 12)), low + 12)
        value = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(low, high)))
    pattern = node.get("pattern")
    if pattern is None or re.search(pattern, value):
        return value
    if isinstance(example, str) and re.search(pattern, example):
        return example
    raise UnsupportedSchema(f"cannot generate a string matching {pattern!r} and no example has one")


def _integer(node: Mapping[str, Any], rng: random.Random, example: Any) -> int:
    low = int(node.get("minimum", node.get("exclusiveMinimum", -1) + 1))
    high = int(node.get("maximum", node.get("exclusiveMaximum", low + 10_001) - 1))
    return rng.randint(min(low, high), max(low, high))


def _number(node: Mapping[str, Any], rng: random.Random, example: Any) -> float:
    low = float(node.get("minimum", 0))
    return rng.uniform(low, float(node.get("maximum", low + 10_000)))


Maker = Callable[[Mapping[str, Any], random.Random, Any], Any]
_MAKERS: dict[str, Maker] = {
    "object": _object,
    "array": _array,
    "string": _string,
    "integer": _integer,
    "number": _number,
    "boolean": lambda node, rng, example: rng.random() < 0.5,
    "null": lambda node, rng, example: None,
}


def new_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
