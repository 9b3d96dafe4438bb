"""The contract's message examples as Kafka records, ready to produce or to validate."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from harness.contracts.model import ContractIndex, MessageContract, MessageExample
from harness.contracts.runtime_expressions import evaluate


@dataclass(frozen=True)
class ExampleRecord:
    """A record built from one example: what a producer would write."""

    topic: str
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...]
    message: str
    example: str

    @property
    def id(self) -> str:
        """A stable test id, e.g. ``order.created/OrderCreated/twoLines``."""
        return f"{self.topic}/{self.message}/{self.example}"


def example_records(index: ContractIndex, *, topic: str | None = None) -> list[ExampleRecord]:
    """Records for every example with a payload (of one topic when ``topic`` is given).

    Parameterised channels (``{name}.dlq``) have no single topic and yield none.
    """
    return [
        record
        for channel in index.channels.values()
        if channel.pattern is None and topic in (None, channel.topic)
        for message in channel.messages
        for record in message_example_records(message)
    ]


def message_example_records(message: MessageContract) -> list[ExampleRecord]:
    return [
        ExampleRecord(
            topic=message.topic,
            key=_key(message, example),
            value=_value(message, example.payload),
            headers=tuple((name, _text(value).encode()) for name, value in example.headers.items()),
            message=message.name,
            example=example.name or str(position),
        )
        for position, example in enumerate(message.examples, start=1)
        if example.has_payload
    ]


def _key(message: MessageContract, example: MessageExample) -> bytes | None:
    """The key the contract's ``x-key-location`` names in the example, if any."""
    if message.key_location is None:
        return None
    value = evaluate(message.key_location, headers=example.headers, payload=example.payload)
    return _text(value).encode() if isinstance(value, str | int) else None


def _value(message: MessageContract, payload: Any) -> bytes:
    if isinstance(payload, bytes):
        return payload
    if isinstance(payload, str) and not message.is_json:
        return payload.encode()  # the raw value of a non-JSON message, e.g. a dead letter
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
