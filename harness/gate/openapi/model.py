"""An OpenAPI document as the rules see it: operations keyed by what a client calls.

An operation's key is its method and its URL template with the server's base path in
front and parameter names blanked (``GET /api/orders/{}``): renaming a path parameter
or moving ``/api`` between ``servers`` and ``paths`` does not change what clients call,
so it is not a change. Path parameters are matched by position for the same reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from harness.contracts.refs import Location, join_pointer
from harness.gate.loading import Document
from harness.gate.schema import Conj, parts_of

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Header parameters OpenAPI says to ignore: they are described elsewhere.
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_PARAM = re.compile(r"\{[^}/]+\}")


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # query, header, path, cookie
    required: bool
    schema: Conj
    at: Location
    pointer: str  # logical pointer from the operation

    @property
    def label(self) -> str:
        return f"{self.location} parameter '{self.name}'"


@dataclass(frozen=True)
class Media:
    media_type: str
    schema: Conj
    at: Location
    pointer: str


@dataclass(frozen=True)
class Header:
    name: str
    required: bool
    schema: Conj
    at: Location
    pointer: str


@dataclass(frozen=True)
class Response:
    status: str
    content: dict[str, Media]
    headers: dict[str, Header]
    at: Location
    pointer: str


@dataclass(frozen=True)
class Body:
    required: bool
    content: dict[str, Media]
    at: Location
    pointer: str


@dataclass(frozen=True)
class Operation:
    document: Document
    method: str  # upper case
    path: str  # as written under paths
    key: str  # base path + path, parameters blanked
    node: Mapping[str, Any]
    at: Location
    pointer: str  # logical: /paths/~1orders/get
    item: Mapping[str, Any]
    item_at: Location

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def operation_id(self) -> str | None:
        value = self.node.get("operationId")
        return str(value) if value is not None else None


def base_path(document: Document) -> str:
    """The path part of the first server URL ("" when there is none or it is "/")."""
    servers = document.data.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], Mapping):
        return urlsplit(str(servers[0].get("url", ""))).path.rstrip("/")
    return ""


def operations(document: Document) -> dict[tuple[str, str], Operation]:
    """(METHOD, key) -> operation, for every operation of the document."""
    found = {}
    prefix = base_path(document)
    paths = document.data.get("paths") or {}
    for path, raw in paths.items():
        item_at = document.root.child("paths", path)
        item, item_at = document.resolver.follow(raw, item_at)
        if not isinstance(item, Mapping):
            continue
        for method in METHODS:
            if isinstance(item.get(method), Mapping):
                key = _PARAM.sub("{}", prefix + path)
                found[(method.upper(), key)] = Operation(
                    document,
                    method.upper(),
                    path,
                    key,
                    item[method],
                    item_at.child(method),
                    join_pointer(("paths", path, method)),
                    item,
                    item_at,
                )
    return found


def parameters(op: Operation) -> dict[tuple[str, str], Parameter]:
    """(location, name) -> parameter; path parameters are named by position (``#0``)."""
    found: dict[tuple[str, str], Parameter] = {}
    sources = (
        (op.item.get("parameters") or [], op.item_at, join_pointer(("paths", op.path))),
        (op.node.get("parameters") or [], op.at, op.pointer),
    )
    for raw_list, at, pointer in sources:  # operation-level parameters override path-level
        for index, raw in enumerate(raw_list):
            param = _parameter(
                op, raw, at.child("parameters", index), f"{pointer}/parameters/{index}"
            )
            if param is not None:
                found[_parameter_key(op, param)] = param
    return found


def _parameter(op: Operation, raw: Any, at: Location, pointer: str) -> Parameter | None:
    node, at = op.document.resolver.follow(raw, at)
    if not isinstance(node, Mapping):
        return None
    name, location = str(node.get("name", "")), str(node.get("in", ""))
    if location == "header" and name.lower() in IGNORED_HEADERS:
        return None
    schema, schema_at = node.get("schema"), at.child("schema")
    if schema is None and isinstance(node.get("content"), Mapping) and node["content"]:
        media_type, media = next(iter(node["content"].items()))
        schema, schema_at = (media or {}).get("schema"), at.child("content", media_type, "schema")
    required = bool(node.get("required")) or location == "path"
    conj = tuple(parts_of(schema if schema is not None else {}, schema_at, op.document.resolver))
    return Parameter(name, location, required, conj, at, pointer)


def _parameter_key(op: Operation, param: Parameter) -> tuple[str, str]:
    if param.location == "path":
        names = [m[1:-1] for m in _PARAM.findall(op.path)]
        if param.name in names:
            return ("path", f"#{names.index(param.name)}")
    if param.location == "header":
        return ("header", param.name.lower())
    return (param.location, param.name)


def content(document: Document, raw: Any, at: Location, pointer: str) -> dict[str, Media]:
    """Media type (lower case, without parameters) -> its schema."""
    found: dict[str, Media] = {}
    if not isinstance(raw, Mapping):
        return found
    for media_type, media in raw.items():
        media_at = at.child(media_type)
        media, media_at = document.resolver.follow(media, media_at)
        schema = media.get("schema") if isinstance(media, Mapping) else None
        schema_at = media_at.child("schema")
        conj = tuple(parts_of(schema if schema is not None else {}, schema_at, document.resolver))
        key = media_type.split(";", 1)[0].strip().lower()
        found[key] = Media(key, conj, media_at, pointer + join_pointer((media_type, "schema")))
    return found


def request_body(op: Operation) -> Body | None:
    raw = op.node.get("requestBody")
    if raw is None:
        return None
    node, at = op.document.resolver.follow(raw, op.at.child("requestBody"))
    if not isinstance(node, Mapping):
        return None
    pointer = op.pointer + "/requestBody"
    media = content(op.document, node.get("content"), at.child("content"), pointer + "/content")
    return Body(bool(node.get("required")), media, at, pointer)


def responses(op: Operation) -> dict[str, Response]:
    found: dict[str, Response] = {}
    raw = op.node.get("responses")
    if not isinstance(raw, Mapping):
        return found
    for status, value in raw.items():
        pointer = f"{op.pointer}/responses/{status}"
        node, at = op.document.resolver.follow(value, op.at.child("responses", status))
        if not isinstance(node, Mapping):
            continue
        media = content(op.document, node.get("content"), at.child("content"), pointer + "/content")
        headers = dict(_headers(op.document, node.get("headers"), at.child("headers"), pointer))
        found[str(status).upper()] = Response(str(status).upper(), media, headers, at, pointer)
    return found


def _headers(
    document: Document, raw: Any, at: Location, pointer: str
) -> Iterator[tuple[str, Header]]:
    if not isinstance(raw, Mapping):
        return
    for name, value in raw.items():
        node, header_at = document.resolver.follow(value, at.child(name))
        if not isinstance(node, Mapping) or name.lower() == "content-type":
            continue
        schema = node.get("schema", {})
        conj = tuple(parts_of(schema, header_at.child("schema"), document.resolver))
        header_pointer = pointer + join_pointer(("headers", name, "schema"))
        yield (
            name.lower(),
            Header(name, bool(node.get("required")), conj, header_at, header_pointer),
        )


def status_covers(status: str, other: str) -> bool:
    """Whether a documented ``status`` (``404``, ``4XX``, ``default``) covers ``other``."""
    if status == other or status == "DEFAULT":
        return True
    return len(status) == 3 and status.endswith("XX") and other.startswith(status[0])
