"""Valid records generated from the contract's schemas (pure, seeded).

``valid_record`` builds a whole record for a message and *anchors* it to a real event
of the same topic: a consumer cross-checks identifiers and amounts against its own
records (an order it knows, a payment of that amount), so the top-level uuid and
integer fields take the real event's values while everything else stays generated.
The result is checked against the contract before anyone sends it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from harness.contracts import MessageContract, validate_record
from harness.contracts.model import ContractIndex, JsonSchema
from harness.contracts.runtime_expressions import MISSING, evaluate
from harness.suites.events.records import (
    CORRELATION_HEADER,
    EVENT_ID_HEADER,
    BusRecord,
    Headers,
)
from harness.suites.events.schema_values import UnsupportedSchema, instance, merged, new_uuid


@dataclass(frozen=True)
class Draft:
    """A record to send: what a producer would write."""

    topic: str
    key: bytes | None
    value: bytes | None
    headers: Headers
    label: str


@dataclass(frozen=True)
class Sent:
    """Where a draft landed, or why the broker refused it."""

    draft: Draft
    partition: int = -1
    offset: int = -1
    refused: str | None = None

    @property
    def where(self) -> str:
        return f"{self.draft.topic}[{self.partition}]@{self.offset}"


def anchored(payload: Mapping[str, Any], real: Any, schema: JsonSchema) -> dict[str, Any]:
    """``payload`` with the real event's identifiers and amounts (top-level uuid and
    integer fields): the values a consumer checks against its own records."""
    result = dict(payload)
    if not isinstance(real, Mapping):
        return result
    for name, sub in (merged(schema).get("properties") or {}).items():
        node = merged(sub)
        if name in real and (node.get("format") == "uuid" or node.get("type") == "integer"):
            result[name] = real[name]
    return result


def valid_record(
    index: ContractIndex,
    message: MessageContract,
    *,
    rng: random.Random,
    anchor: BusRecord | None,
    label: str,
) -> Draft:
    """A record of ``message`` valid against the contract, anchored to ``anchor``."""
    example = next((e for e in message.examples if e.has_payload), None)
    payload = instance(message.payload_schema or {}, rng, example.payload if example else MISSING)
    if anchor is not None and isinstance(payload, Mapping):
        payload = anchored(payload, anchor.payload(), message.payload_schema or {})
    key = _key_of(message, payload, anchor)
    headers = instance(message.headers_schema or {"type": "object"}, rng, _example_headers(message))
    if CORRELATION_HEADER in headers and key is not None:
        headers[CORRELATION_HEADER] = key.decode()
    draft = Draft(
        topic=message.topic,
        key=key,
        value=to_json(payload),
        headers=tuple((name, str(value).encode()) for name, value in headers.items()),
        label=label,
    )
    problems = validate_record(index, draft.topic, draft.key, draft.value, draft.headers)
    if problems:
        listed = "; ".join(map(str, problems))
        raise UnsupportedSchema(f"the generated {message.name} breaks its own contract: {listed}")
    return draft


def as_new_event(draft: Draft, *, rng: random.Random, label: str) -> Draft:
    """The same record as another event: only its event id is new (so it is not taken
    for a redelivery), and what the consumer checks stays consistent with ``draft``."""
    return replace(draft, label=label, headers=with_fresh_event_id(draft.headers, rng))


def with_fresh_event_id(headers: Headers, rng: random.Random) -> Headers:
    event_id = new_uuid(rng).encode()
    return tuple((name, event_id if name == EVENT_ID_HEADER else value) for name, value in headers)


def _key_of(message: MessageContract, payload: Any, anchor: BusRecord | None) -> bytes | None:
    if message.key_location:
        value = evaluate(message.key_location, headers={}, payload=payload)
        if isinstance(value, str | int):
            return str(value).encode()
    return anchor.key if anchor is not None else None


def _example_headers(message: MessageContract) -> Any:
    example = next((e for e in message.examples if e.headers), None)
    return dict(example.headers) if example else MISSING


def to_json(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()
