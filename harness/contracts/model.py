"""The contract index: what the checks need from an AsyncAPI document, and nothing else.

Schemas here are plain JSON Schema with every ``$ref`` already inlined, so they can be
handed to ``jsonschema`` as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from harness.contracts.refs import Location

JsonSchema = Mapping[str, Any] | bool
Action = Literal["send", "receive"]


@dataclass(frozen=True)
class MessageExample:
    """One example from the contract, as written there."""

    name: str | None
    summary: str | None
    headers: Mapping[str, Any]
    payload: Any
    has_payload: bool


@dataclass(frozen=True)
class MessageContract:
    """A message that may travel on a topic."""

    name: str
    topic: str
    content_type: str
    payload_schema: JsonSchema | None
    headers_schema: JsonSchema | None
    key_schema: JsonSchema | None
    key_location: str | None
    event_type: str | None
    examples: tuple[MessageExample, ...]
    location: Location

    @property
    def is_json(self) -> bool:
        """Whether the record value is JSON (so the payload schema applies to it)."""
        media = self.content_type.split(";", 1)[0].strip().lower()
        return media == "application/json" or media.endswith("+json")


@dataclass(frozen=True)
class OperationContract:
    """A service sends to or receives from a topic."""

    id: str
    action: Action
    service: str
    topic: str
    messages: tuple[str, ...]


@dataclass(frozen=True)
class ChannelContract:
    """A topic, its messages, and the services on either side of it."""

    id: str
    topic: str
    messages: tuple[MessageContract, ...]
    location: Location
    producers: tuple[str, ...] = ()
    consumers: tuple[str, ...] = ()
    partitions: int | None = None
    replicas: int | None = None
    # For parameterised addresses ("{topic}.dlq"): what concrete topics match.
    pattern: re.Pattern[str] | None = None

    def matches(self, topic: str) -> bool:
        if self.pattern is not None:
            return self.pattern.fullmatch(topic) is not None
        return topic == self.topic

    def message(self, name: str) -> MessageContract | None:
        return next((m for m in self.messages if m.name == name), None)


@dataclass(frozen=True)
class ContractIndex:
    """topic -> channel -> messages, plus who sends and receives what."""

    source: Path
    asyncapi_version: str
    title: str
    version: str
    channels: Mapping[str, ChannelContract]
    operations: tuple[OperationContract, ...] = ()

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(self.channels)

    def channel(self, topic: str) -> ChannelContract | None:
        """The channel for a concrete topic name (exact address first, then templates)."""
        exact = self.channels.get(topic)
        if exact is not None and exact.pattern is None:
            return exact
        return next((c for c in self.channels.values() if c.matches(topic)), None)

    def messages(self) -> Iterator[MessageContract]:
        for channel in self.channels.values():
            yield from channel.messages

    def producers(self, topic: str) -> tuple[str, ...]:
        channel = self.channel(topic)
        return channel.producers if channel else ()

    def consumers(self, topic: str) -> tuple[str, ...]:
        channel = self.channel(topic)
        return channel.consumers if channel else ()
