"""Event envelopes: what goes on a Kafka record and how it is read back (pure).

Topic = event type; key = the order id; value = JSON payload; headers carry identity and
trace context (docs/runtime-contract.md).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from reference_services.kit.context import TRACEPARENT_HEADER, outgoing_headers

REQUIRED_HEADERS = ("event-id", "event-type")


class PoisonMessage(Exception):
    """A record that can never be processed; it goes to the dead-letter topic."""


@dataclass(frozen=True)
class OutgoingEvent:
    event_type: str
    key: str
    payload: dict[str, Any]
    producer: str
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: str = field(
        default_factory=lambda: (
            datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        )
    )
    traceparent: str = field(default_factory=lambda: outgoing_headers()[TRACEPARENT_HEADER])

    @property
    def topic(self) -> str:
        return self.event_type

    def headers(self) -> dict[str, str]:
        return {
            "event-id": self.event_id,
            "event-type": self.event_type,
            "correlation-id": self.key,
            "traceparent": self.traceparent,
            "occurred-at": self.occurred_at,
            "producer": self.producer,
            "content-type": "application/json",
        }


def encode_headers(headers: dict[str, str]) -> list[tuple[str, bytes]]:
    return [(name, value.encode()) for name, value in headers.items()]


def encode_value(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


@dataclass(frozen=True)
class IncomingEvent:
    topic: str
    partition: int
    offset: int
    key: str
    headers: dict[str, str]
    payload: dict[str, Any]

    @property
    def event_id(self) -> str:
        return self.headers["event-id"]

    @property
    def event_type(self) -> str:
        return self.headers["event-type"]

    @property
    def traceparent(self) -> str | None:
        return self.headers.get("traceparent")


def decode_record(
    *,
    topic: str,
    partition: int,
    offset: int,
    key: bytes | None,
    value: bytes | None,
    headers: Sequence[tuple[str, bytes]],
) -> IncomingEvent:
    """Read a Kafka record into an event; PoisonMessage says exactly what is wrong."""
    try:
        decoded = {name: raw.decode() for name, raw in headers}
    except UnicodeDecodeError as exc:
        raise PoisonMessage(f"a header is not UTF-8: {exc}") from exc
    missing = [h for h in REQUIRED_HEADERS if not decoded.get(h)]
    if missing:
        raise PoisonMessage(f"missing header(s): {', '.join(missing)}")
    if decoded["event-type"] != topic:
        raise PoisonMessage(f"event-type {decoded['event-type']!r} does not match topic {topic!r}")
    try:
        payload = json.loads(value or b"")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PoisonMessage(f"value is not JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise PoisonMessage(f"value is JSON {type(payload).__name__}, expected an object")
    return IncomingEvent(
        topic=topic,
        partition=partition,
        offset=offset,
        key=(key or b"").decode(errors="replace"),
        headers=decoded,
        payload=payload,
    )
