"""Read consumer pacts (Pact specification V2, V3 and V4; HTTP and message interactions).

The files are those pact-python v4 writes (``contracts/pacts/<consumer>-<provider>.json``):
``consumer``, ``provider``, ``interactions`` and ``metadata.pactSpecification.version``.
Readers follow the robustness principle of the specification, so unknown fields are
ignored. What the gate needs from an interaction is what the consumer touches:

- HTTP: method, path, query and header names, the request body it sends, the status,
  header names and body it expects back;
- messages (V4 ``Asynchronous/Messages``, or V3 ``messages``): the topic, from the
  message metadata ``topic`` (also ``kafka_topic`` or ``destination``) or else from its
  ``event-type`` (the AsyncAPI message whose ``event-type`` header is that constant),
  the contents it reads and the metadata (Kafka headers) it expects.

Bodies are JSON; a V4 body is ``{content, contentType, encoded}`` where ``encoded`` is
false (content is the value), ``"JSON"`` (content is JSON text) or base64.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from harness.gate.errors import GateInputError

MISSING: Any = None  # a body that is absent (JSON null bodies are read as absent too)
TOPIC_KEYS = ("topic", "kafka_topic", "destination")
EVENT_TYPE_KEYS = ("event-type", "event_type", "eventType")


@dataclass(frozen=True)
class HttpInteraction:
    description: str
    method: str
    path: str
    query: frozenset[str]
    request_headers: frozenset[str]  # lower case
    request_body: Any
    status: int
    response_headers: frozenset[str]
    response_body: Any


@dataclass(frozen=True)
class MessageInteraction:
    description: str
    topic: str | None
    event_type: str | None
    contents: Any
    metadata: frozenset[str]  # keys, lower case


@dataclass(frozen=True)
class Pact:
    file: str  # relative to the contracts folder
    consumer: str
    provider: str
    specification: str
    sha256: str
    http: tuple[HttpInteraction, ...]
    messages: tuple[MessageInteraction, ...]

    @property
    def label(self) -> str:
        return f"{self.consumer} -> {self.provider}"


def load_pacts(folder: Path, *, root: Path) -> list[Pact]:
    """Every ``*.json`` directly in ``folder`` (none when it does not exist)."""
    if not folder.is_dir():
        return []
    return [read_pact(path, root=root) for path in sorted(folder.glob("*.json"))]


def read_json(path: Path, *, what: str) -> Any:
    """Parse a JSON file; the error names file, line and column."""
    try:
        text = path.read_bytes().decode("utf-8")
        return json.loads(text)
    except UnicodeDecodeError:
        raise GateInputError(f"{path}: {what} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise GateInputError(
            f"{path}:{exc.lineno}:{exc.colno}: {what} is not valid JSON: {exc.msg}"
        ) from None


def read_pact(path: Path, *, root: Path) -> Pact:
    data = read_json(path, what="the pact")
    if not isinstance(data, Mapping):
        raise GateInputError(f"{path}: a pact is a JSON object with consumer and provider")
    consumer, provider = _name(data, "consumer", path), _name(data, "provider", path)
    http, messages = [], []
    for index, raw in enumerate(data.get("interactions") or []):
        kind = str(raw.get("type", "Synchronous/HTTP")) if isinstance(raw, Mapping) else ""
        where = f"{path}#/interactions/{index}"
        if kind == "Asynchronous/Messages" or (isinstance(raw, Mapping) and "contents" in raw):
            messages.append(_message(raw, where))
        elif kind == "Synchronous/HTTP":
            http.append(_http(raw, where))
    for index, raw in enumerate(data.get("messages") or []):  # V3 message pacts
        messages.append(_message(raw, f"{path}#/messages/{index}"))
    return Pact(
        file=path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path),
        consumer=consumer,
        provider=provider,
        specification=_specification(data.get("metadata")),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        http=tuple(http),
        messages=tuple(messages),
    )


def _name(data: Mapping[str, Any], key: str, path: Path) -> str:
    party = data.get(key)
    name = party.get("name") if isinstance(party, Mapping) else None
    if not isinstance(name, str) or not name:
        raise GateInputError(f'{path}#/{key}: a pact names its {key}: "{key}": {{"name": "..."}}')
    return name


def _specification(metadata: Any) -> str:
    if not isinstance(metadata, Mapping):
        return "unknown"
    for key in ("pactSpecification", "pact-specification"):
        value = metadata.get(key)
        if isinstance(value, Mapping) and value.get("version"):
            return str(value["version"])
    return str(metadata.get("pactSpecificationVersion", "unknown"))


def _http(raw: Mapping[str, Any], where: str) -> HttpInteraction:
    request, response = raw.get("request"), raw.get("response")
    if not isinstance(request, Mapping) or not isinstance(response, Mapping):
        raise GateInputError(f"{where}: an HTTP interaction has a request and a response")
    status = response.get("status", 200)
    if not isinstance(status, int):
        raise GateInputError(f"{where}/response/status: expected a number, not {status!r}")
    return HttpInteraction(
        description=str(raw.get("description", "")),
        method=str(request.get("method", "GET")).upper(),
        path=str(request.get("path", "/")),
        query=frozenset(_query(request.get("query"))),
        request_headers=_keys(request.get("headers")),
        request_body=body(request.get("body"), where + "/request/body"),
        status=status,
        response_headers=_keys(response.get("headers")),
        response_body=body(response.get("body"), where + "/response/body"),
    )


def _message(raw: Any, where: str) -> MessageInteraction:
    if not isinstance(raw, Mapping):
        raise GateInputError(f"{where}: a message interaction is a JSON object")
    metadata: Mapping[str, Any] = (
        raw["metadata"] if isinstance(raw.get("metadata"), Mapping) else {}
    )
    topic = next((str(metadata[k]) for k in TOPIC_KEYS if metadata.get(k)), None)
    event_type = next((str(metadata[k]) for k in EVENT_TYPE_KEYS if metadata.get(k)), None)
    return MessageInteraction(
        description=str(raw.get("description", "")),
        topic=topic,
        event_type=event_type,
        contents=body(raw.get("contents"), where + "/contents"),
        metadata=_keys(metadata),
    )


def _query(query: Any) -> Iterator[str]:
    if isinstance(query, str):  # V2: "a=1&b=2"
        yield from parse_qs(query, keep_blank_values=True)
    elif isinstance(query, Mapping):
        yield from (str(name) for name in query)


def _keys(headers: Any) -> frozenset[str]:
    return (
        frozenset(str(k).lower() for k in headers) if isinstance(headers, Mapping) else frozenset()
    )


def body(raw: Any, where: str) -> Any:
    """The JSON value of a body: V4 ``{content, contentType, encoded}``, or as written."""
    if not (
        isinstance(raw, Mapping) and "content" in raw and ("encoded" in raw or "contentType" in raw)
    ):
        return raw
    content, encoded = raw.get("content"), raw.get("encoded", False)
    if encoded in (False, None) or not isinstance(content, str):
        return content
    try:
        if str(encoded).lower() == "json":
            return json.loads(content)
        decoded = base64.b64decode(content, validate=True)
        return json.loads(decoded)
    except (ValueError, binascii.Error):
        return MISSING  # not JSON: the gate cannot see its fields


def field_paths(value: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every field path in a JSON value: ``{"a": [{"b": 1}]}`` -> a, a[], a[].b."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = (*prefix, str(key))
            yield path
            yield from field_paths(item, path)
    elif isinstance(value, list):
        path = (*prefix, "[]")
        if value:
            yield path
        for item in value:
            yield from field_paths(item, path)
