"""Normalize a JSON Schema into a ``Shape``: what it allows, with the spelling taken out.

Many spellings mean the same thing, and a refactor moves between them; comparing shapes
instead of raw schemas is what keeps refactors from being flagged:

- ``$ref`` is followed (local or to another file) and ``allOf`` is merged, so moving a
  schema behind a ``$ref``, renaming a component or splitting it into ``allOf`` parts
  changes nothing;
- ``nullable: true`` (OpenAPI 3.0), ``type: [.., "null"]`` (3.1) and an
  ``anyOf``/``oneOf`` branch ``{type: "null"}`` all become ``nullable``;
- ``const`` is a one-value ``enum``; the 3.0 boolean ``exclusiveMinimum`` becomes the
  3.1 number; descriptions, titles, examples and extensions are dropped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.contracts.refs import Location, Resolver

TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean"})
# Bounds: keyword -> True when a larger value narrows (minimum), False when it widens.
BOUNDS = {
    "minimum": True,
    "exclusiveMinimum": True,
    "maximum": False,
    "exclusiveMaximum": False,
    "minLength": True,
    "maxLength": False,
    "minItems": True,
    "maxItems": False,
    "minProperties": True,
    "maxProperties": False,
}
MISSING: Any = object()


class Node:
    """A schema as written, where it is, and how to follow its references.

    ``variant`` tells apart nodes made from one place: the keywords next to an ``allOf``
    or a ``$ref``, or a schema without its ``oneOf``. ``key`` identifies the node for
    the engine's caches.
    """

    __slots__ = ("at", "key", "resolver", "value", "variant")

    def __init__(self, value: Any, at: Location, resolver: Resolver, variant: str = "") -> None:
        self.value = value
        self.at = at
        self.resolver = resolver
        self.variant = variant
        self.key = (at, variant)

    def __repr__(self) -> str:
        return f"Node({self.at}{'+' + self.variant if self.variant else ''})"

    def child(self, value: Any, *tokens: str | int) -> list[Node]:
        pointer = self.at.pointer + "".join(f"/{_escape(str(t))}" for t in tokens)
        return parts_of(value, Location(self.at.file, pointer), self.resolver)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1") if "~" in token or "/" in token else token


Conj = tuple[Node, ...]  # nodes that all apply (allOf, $ref siblings)


def parts_of(value: Any, at: Location, resolver: Resolver) -> list[Node]:
    """The nodes a schema value stands for: its ``$ref`` target, plus siblings (3.1)."""
    if isinstance(value, dict) and isinstance(value.get("$ref"), str):
        target, target_at = resolver.follow(value, at)
        parts = parts_of(target, target_at, resolver) if _has_ref(target) else []
        parts = parts or [Node(target, target_at, resolver)]
        siblings = {k: v for k, v in value.items() if k != "$ref" and not _annotation(k)}
        if siblings:
            parts.append(Node(siblings, at, resolver, "siblings"))
        return parts
    return [Node(value, at, resolver)]


def _has_ref(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("$ref"), str)


_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "summary",
        "example",
        "examples",
        "externalDocs",
        "xml",
        "$comment",
        "$id",
        "$schema",
        "$anchor",
        "$defs",
        "definitions",
        "deprecated",
        "contentMediaType",
        "contentEncoding",
    }
)


def _annotation(keyword: str) -> bool:
    return keyword in _ANNOTATIONS or keyword.startswith("x-")


def canonical(value: Any) -> str:
    """A value as canonical JSON: how enum values and defaults are compared."""
    if isinstance(value, str):
        return '"' + value + '"' if value.isalnum() else json.dumps(value)
    if value is None or isinstance(value, bool | int):
        return json.dumps(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


@dataclass
class Shape:
    """What a conjunction of schema nodes allows."""

    where: Node
    source: Conj = ()  # the nodes it was made from (one alternative, when flattened)
    heads: list[Node] = field(default_factory=list)  # each branch's own first node
    types: frozenset[str] | None = None  # non-null types allowed; None: any
    nullable: bool = True
    enum: dict[str, Any] | None = None  # canonical JSON -> value; None: any value
    properties: dict[str, list[Node]] = field(default_factory=dict)
    sites: dict[str, Location] = field(default_factory=dict)  # where each is declared
    required: set[str] = field(default_factory=set)
    additional: bool | list[Node] = True  # True: open; False: closed; nodes: their schema
    items: list[Node] | None = None
    bounds: dict[str, float] = field(default_factory=dict)
    patterns: frozenset[str] = frozenset()
    format: str | None = None
    default: Any = MISSING
    unique: bool = False
    branches: list[Conj] | None = None  # non-null oneOf/anyOf alternatives
    discriminator: str | None = None
    mapping: dict[Location, str] = field(default_factory=dict)  # branch target -> value
    read_only: bool = False
    write_only: bool = False
    negated: str | None = None  # canonical JSON of "not"
    nothing: bool = False  # the schema allows no value at all (false)

    @property
    def open(self) -> bool:
        return self.additional is not False


def normalize(conj: Conj) -> Shape:
    """Merge the nodes of a conjunction (allOf, $ref siblings) into one shape."""
    flat = _flatten(conj)
    shape = Shape(where=flat[0] if flat else conj[0], source=conj)
    composites: list[tuple[Node, str]] = []
    for node in flat:
        _merge(shape, node, composites)
    if composites:
        _alternatives(shape, flat, composites)
    if shape.enum is not None and "null" not in shape.enum:
        shape.nullable = False
    return shape


def _flatten(conj: Conj) -> list[Node]:
    flat: list[Node] = []
    for node in conj:
        value = node.value
        if isinstance(value, dict) and isinstance(value.get("allOf"), list):
            rest = {k: v for k, v in value.items() if k != "allOf"}
            flat.append(Node(rest, node.at, node.resolver, node.variant + "-allOf"))
            for index, item in enumerate(value["allOf"]):
                flat.extend(_flatten(tuple(node.child(item, "allOf", index))))
        else:
            flat.append(node)
    return flat


def _merge(shape: Shape, node: Node, composites: list[tuple[Node, str]]) -> None:
    value = node.value
    if value is False:
        shape.nothing, shape.types, shape.nullable = True, frozenset(), False
        return
    if not isinstance(value, dict):
        return
    _merge_types(shape, value)
    _merge_enum(shape, value)
    _merge_object(shape, node, value)
    _merge_scalars(shape, node, value)
    for keyword in ("oneOf", "anyOf"):
        if isinstance(value.get(keyword), list):
            composites.append((node, keyword))


def _merge_types(shape: Shape, value: Mapping[str, Any]) -> None:
    declared = value.get("type")
    if declared is None:
        return
    names = {declared} if isinstance(declared, str) else set(declared)
    nullable = "null" in names or value.get("nullable") is True
    types = frozenset(names - {"null"})
    shape.types = types if shape.types is None else _intersect(shape.types, types)
    shape.nullable = shape.nullable and nullable


def _intersect(left: frozenset[str], right: frozenset[str]) -> frozenset[str]:
    both = set(left & right)
    if ("integer" in left and "number" in right) or ("integer" in right and "number" in left):
        both.add("integer")
    return frozenset(both)


def _merge_enum(shape: Shape, value: Mapping[str, Any]) -> None:
    values: list[Any] | None = None
    if "const" in value:
        values = [value["const"]]
    elif isinstance(value.get("enum"), list):
        values = list(value["enum"])
    if values is None:
        return
    found = {canonical(v): v for v in values}
    if shape.enum is not None:
        found = {k: v for k, v in found.items() if k in shape.enum}
    shape.enum = found


def _merge_object(shape: Shape, node: Node, value: Mapping[str, Any]) -> None:
    properties = value.get("properties")
    if isinstance(properties, dict):
        for name, schema in properties.items():
            shape.properties.setdefault(name, []).extend(node.child(schema, "properties", name))
            shape.sites.setdefault(name, node.at.child("properties", name))
    if isinstance(value.get("required"), list):
        shape.required.update(str(name) for name in value["required"])
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        extra = value.get(keyword)
        if extra is False:
            shape.additional = False
        elif isinstance(extra, dict) and extra and shape.additional is not False:
            nodes = node.child(extra, keyword)
            shape.additional = (
                [*shape.additional, *nodes] if shape.additional is not True else nodes
            )


def _merge_scalars(shape: Shape, node: Node, value: Mapping[str, Any]) -> None:
    for keyword in BOUNDS.keys() & value.keys():
        narrower_when_larger = BOUNDS[keyword]
        bound = _bound(value, keyword)
        if bound is None:
            continue
        old = shape.bounds.get(keyword)
        pick = max if narrower_when_larger else min
        shape.bounds[keyword] = bound if old is None else pick(old, bound)
    if isinstance(value.get("multipleOf"), int | float):
        shape.bounds["multipleOf"] = float(value["multipleOf"])
    if isinstance(value.get("pattern"), str):
        shape.patterns = shape.patterns | {value["pattern"]}
    if isinstance(value.get("format"), str) and shape.format is None:
        shape.format = value["format"]
    if "default" in value and shape.default is MISSING:
        shape.default = value["default"]
    if "items" in value and isinstance(value["items"], dict | bool):
        shape.items = [*(shape.items or []), *node.child(value["items"], "items")]
    shape.unique = shape.unique or value.get("uniqueItems") is True
    shape.read_only = shape.read_only or value.get("readOnly") is True
    shape.write_only = shape.write_only or value.get("writeOnly") is True
    if "not" in value:
        shape.negated = canonical(value["not"])
    if "discriminator" in value:
        _merge_discriminator(shape, node, value["discriminator"])


def _bound(value: Mapping[str, Any], keyword: str) -> float | None:
    """A bound as a number; the 3.0 boolean exclusive bounds move onto the number."""
    raw = value.get(keyword)
    if keyword in ("minimum", "maximum"):
        exclusive = value.get("exclusiveMinimum" if keyword == "minimum" else "exclusiveMaximum")
        if exclusive is True:
            return None  # it is the exclusive bound, read below
    if keyword in ("exclusiveMinimum", "exclusiveMaximum") and raw is True:
        raw = value.get("minimum" if keyword == "exclusiveMinimum" else "maximum")
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    return float(raw)


def _merge_discriminator(shape: Shape, node: Node, discriminator: Any) -> None:
    if not isinstance(discriminator, Mapping) or shape.discriminator is not None:
        return
    shape.discriminator = str(discriminator.get("propertyName", ""))
    mapping = discriminator.get("mapping")
    if isinstance(mapping, Mapping):
        for value, ref in mapping.items():
            if isinstance(ref, str):
                parts = node.child({"$ref": ref}, "discriminator", "mapping", value)
                shape.mapping[parts[0].at] = str(value)


def _alternatives(shape: Shape, flat: list[Node], composites: list[tuple[Node, str]]) -> None:
    """Spread ``oneOf``/``anyOf`` into alternatives; a null branch makes it nullable."""
    holder, keyword = composites[0]
    stripped = {k: v for k, v in holder.value.items() if k not in ("oneOf", "anyOf")}
    common = [
        Node(stripped, holder.at, holder.resolver, holder.variant + "-" + keyword)
        if node is holder
        else node
        for node in flat
    ]
    branches: list[Conj] = []
    null_branch = False
    for index, item in enumerate(holder.value[keyword]):
        branch = tuple(holder.child(item, keyword, index))
        if _only_null(branch):
            null_branch = True
        else:
            branches.append((*common, *branch))
            shape.heads.append(branch[0])
    if len(branches) == 1:
        single = normalize(branches[0])
        single.nullable = single.nullable or null_branch
        single.where = shape.where
        shape.__dict__.update(single.__dict__)
        return
    shape.branches = branches
    shape.nullable = null_branch  # a branch's own nullability is compared with the branch
    if not branches:
        shape.types = frozenset()


def _only_null(branch: Conj) -> bool:
    value = branch[-1].value
    if not isinstance(value, dict):
        return False
    declared = value.get("type")
    return declared == "null" or declared == ["null"] or value.get("const", MISSING) is None
