"""The API's records and how request bodies become them (pure: no sockets, no loop).

Validation follows the real server's order and messages; where ``chaos.proxy`` is
stricter (negative attributes, toxicity outside 0..1) the message says what to send.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from chaos.proxy import jsonio
from chaos.proxy.errors import (
    bad_request_body,
    invalid_stream,
    invalid_toxic_type,
    missing_field,
    toxic_exists,
)
from chaos.proxy.toxics import REGISTRY, ToxicType


class Direction(enum.Enum):
    """``upstream``: client to server; ``downstream``: server to client."""

    UPSTREAM = "upstream"
    DOWNSTREAM = "downstream"


def parse_direction(stream: str) -> Direction:
    try:
        return Direction(stream.lower())
    except ValueError:
        raise invalid_stream() from None


@dataclass(frozen=True)
class ToxicSpec:
    """A toxic as the API shows it; ``stream`` keeps the spelling the client sent."""

    name: str
    type: str
    stream: str
    toxicity: float
    attributes: Mapping[str, int] = field(default_factory=dict)

    @property
    def direction(self) -> Direction:
        return parse_direction(self.stream)

    @property
    def kind(self) -> ToxicType:
        return REGISTRY[self.type]

    def to_json(self) -> dict[str, Any]:
        return {
            "attributes": dict(self.attributes),
            "name": self.name,
            "type": self.type,
            "stream": self.stream,
            "toxicity": self.toxicity,
        }


@dataclass(frozen=True)
class ProxyInput:
    """What a client asked for when creating, updating or populating a proxy."""

    name: str
    listen: str
    upstream: str
    enabled: bool = True


_PROXY_FIELDS = (("name", "string"), ("listen", "string"), ("upstream", "string"))
_ENABLED = (("enabled", "bool"),)
_TOXIC_FIELDS = (
    ("name", "string"),
    ("type", "string"),
    ("stream", "string"),
    ("toxicity", "float32"),
    ("attributes", "raw"),
)
_UPDATE_FIELDS = (("toxicity", "float32"), ("attributes", "raw"))


def parse_proxy_create(body: bytes) -> ProxyInput:
    return _proxy_input(jsonio.decode(body), "")


def parse_proxy_update(body: bytes, current: ProxyInput) -> ProxyInput:
    """Fields left out keep their current values; the name cannot change."""
    obj = jsonio.expect_object(jsonio.decode(body), "toxiproxy.Proxy")
    values = jsonio.pick(obj, "Proxy", _PROXY_FIELDS + _ENABLED)
    values.pop("name", None)
    return replace(current, **values)


def parse_populate(body: bytes) -> list[ProxyInput]:
    """Every entry is checked before anything is created (``... at proxy N``, 1-based)."""
    entries = jsonio.expect_array(jsonio.decode(body), "[]toxiproxy.Proxy")
    return [_proxy_input(entry, f" at proxy {n}") for n, entry in enumerate(entries, start=1)]


def _proxy_input(value: Any, where: str) -> ProxyInput:
    obj = jsonio.expect_object(value, "toxiproxy.Proxy")
    values = jsonio.pick(obj, "Proxy", _PROXY_FIELDS + _ENABLED)
    proxy = ProxyInput(
        name=values.get("name", ""),
        listen=values.get("listen", ""),
        upstream=values.get("upstream", ""),
        enabled=values.get("enabled", True),
    )
    _require(proxy, where)
    return proxy


def _require(proxy: ProxyInput, where: str) -> None:
    if not proxy.name:
        raise missing_field(f"name{where}")
    if not proxy.upstream:
        raise missing_field(f"upstream{where}")


def parse_toxic_create(body: bytes, taken: Callable[[str], bool]) -> ToxicSpec:
    """Order of checks as upstream: JSON, stream, default name, type, name clash, attributes."""
    obj = jsonio.expect_object(jsonio.decode(body), "toxics.ToxicWrapper")
    values = jsonio.pick(obj, "ToxicWrapper", _TOXIC_FIELDS)
    raw_attributes = values.get("attributes")
    if raw_attributes is not None and not isinstance(raw_attributes, dict):
        raise bad_request_body(
            f"json: cannot unmarshal {jsonio.kind(raw_attributes)} into Go struct field "
            "ToxicWrapper.attributes of type map[string]interface {}"
        )
    stream = values.get("stream", "downstream")
    parse_direction(stream)
    toxic_type = values.get("type", "")
    name = values.get("name") or f"{toxic_type}_{stream}"
    kind = REGISTRY.get(toxic_type)
    if kind is None:
        raise invalid_toxic_type()
    if taken(name):
        raise toxic_exists()
    toxicity = _toxicity(values.get("toxicity", 1))
    attributes = _attributes(kind, raw_attributes or {}, dict.fromkeys(kind.fields, 0))
    return ToxicSpec(name, toxic_type, stream, toxicity, attributes)


def parse_toxic_update(body: bytes, current: ToxicSpec) -> ToxicSpec:
    """Partial merge: only the attributes sent change; toxicity is kept when left out."""
    obj = jsonio.expect_object(jsonio.decode(body), "toxics.ToxicWrapper")
    values = jsonio.pick(obj, "ToxicWrapper", _UPDATE_FIELDS)
    raw_attributes = values.get("attributes") or {}
    if not isinstance(raw_attributes, dict):
        raise bad_request_body(
            f"json: cannot unmarshal {jsonio.kind(raw_attributes)} into Go struct field "
            f".attributes of type toxics.{current.kind.struct}"
        )
    attributes = _attributes(current.kind, raw_attributes, dict(current.attributes))
    toxicity = _toxicity(values.get("toxicity", current.toxicity))
    return replace(current, toxicity=toxicity, attributes=attributes)


def _toxicity(value: float) -> float:
    if not 0 <= value <= 1:
        raise bad_request_body(
            f"toxicity must be between 0 and 1 (the share of connections affected), got {value}"
        )
    return value


def _attributes(kind: ToxicType, raw: Mapping[str, Any], base: dict[str, int]) -> dict[str, int]:
    fields = tuple((name, "int64") for name in kind.fields)
    values = jsonio.pick(raw, f"{kind.struct}.attributes", fields)
    for name, value in values.items():
        if value < 0:
            raise bad_request_body(
                f"attribute {name} of a {kind.name} toxic must not be negative, got {value}"
            )
    base.update(values)
    return base
