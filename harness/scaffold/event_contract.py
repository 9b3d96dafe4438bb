"""The AsyncAPI entries of a new event, shaped like the saga's events (pure).

``additions`` are the new entries by section (channels, operations, components/tags,
components/schemas, components/messages); ``widened_enums`` a producer new to the bus,
for the header enum that names who publishes. ``yamltext`` writes both into the document.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.scaffold.event_names import EventNames
from harness.scaffold.yamltext import section

ORDER_ID = "9a59fb67-a609-4030-8330-5bf88bc6bb9c"
TRACEPARENT = "00-ebf1c20a9ca04718d621b6caad24d531-6a6992e8f1373566-01"
OCCURRED_AT = "2025-03-14T09:26:55.000Z"
BINDING_VERSION = "0.5.0"
PRODUCER_ENUM = ("components", "schemas", "EventHeaders", "properties", "producer", "enum")


@dataclass(frozen=True)
class EventSpec:
    names: EventNames
    producer: str
    consumers: tuple[str, ...]

    @property
    def event(self) -> str:
        return self.names.event

    def example_id(self, what: str) -> str:
        """Stable example ids: the same event always gets the same contract text."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"harness-new-event:{self.event}:{what}"))


def _ref(*parts: str) -> dict[str, str]:
    return {"$ref": "#/" + "/".join(parts)}


def _channel(address: str, description: str, message: str, key: str) -> dict[str, Any]:
    return {
        "address": address,
        "title": address,
        "description": description,
        "messages": {key: _ref("components", "messages", message)},
        "bindings": {
            "kafka": {
                "topic": address,
                "partitions": 3,
                "replicas": 1,
                "bindingVersion": BINDING_VERSION,
            }
        },
    }


def channels(spec: EventSpec) -> dict[str, Any]:
    n = spec.names
    return {
        n.channel: _channel(
            spec.event,
            f"TODO: say when {spec.producer} publishes {spec.event} and what it means.",
            n.pascal,
            n.camel,
        ),
        n.dlq_channel: _channel(
            n.dlq,
            f"{spec.event} records a consumer could not process.",
            n.dlq_message,
            f"{n.camel}DeadLetter",
        ),
    }


def _operation(action: str, service: str, summary: str, channel: str) -> dict[str, Any]:
    return {
        "action": action,
        "x-service": service,
        "tags": [_ref("components", "tags", service)],
        "summary": summary,
        "channel": _ref("channels", channel),
    }


def operations(spec: EventSpec) -> dict[str, Any]:
    n, event = spec.names, spec.event
    found = {
        n.publish_operation(spec.producer): _operation(
            "send", spec.producer, f"{spec.producer} publishes {event}.", n.channel
        )
    }
    for consumer in spec.consumers:
        found[n.receive_operation(consumer)] = _operation(
            "receive", consumer, f"{consumer} acts on {event}.", n.channel
        )
        found[n.dead_letter_operation(consumer)] = _operation(
            "send",
            consumer,
            f"{consumer} dead-letters an {event} record it cannot process.",
            n.dlq_channel,
        )
    return found


def tags(spec: EventSpec, existing: Mapping[str, Any]) -> dict[str, Any]:
    services = [spec.producer, *spec.consumers]
    return {
        s: {"name": s, "description": f"The {s} service."} for s in services if s not in existing
    }


def schemas(spec: EventSpec, document: Mapping[str, Any]) -> dict[str, Any]:
    n = spec.names
    return {
        n.payload_schema: {
            "type": "object",
            "additionalProperties": False,
            "required": ["order_id"],
            "properties": {"order_id": _ref("components", "schemas", "OrderId")},
        },
        n.headers_schema: {
            "allOf": [
                _ref("components", "schemas", "EventHeaders"),
                {
                    "properties": {
                        "event-type": {"const": spec.event},
                        "producer": {"enum": [spec.producer]},
                    }
                },
            ]
        },
        n.dlq_headers_schema: dead_letter_headers(spec, document),
    }


def dead_letter_headers(spec: EventSpec, document: Mapping[str, Any]) -> dict[str, Any]:
    """The shared dead-letter headers, narrowed to this topic and its consumers.

    A consumer new to the bus is not in the shared ``dlq-consumer`` enum, and widening
    that enum would widen every dead-letter topic that does not narrow it again (the
    gate calls that breaking). Then the shared schema is written out for this event,
    with its own enum, instead of referenced.
    """
    narrowed: dict[str, dict[str, Any]] = {
        "dlq-original-topic": {"const": spec.event},
        "dlq-consumer": {"enum": list(spec.consumers)},
    }
    shared = section(document, ("components", "schemas", "DeadLetterHeaders"))
    known = section(shared, ("properties", "dlq-consumer", "enum"))
    if not isinstance(known, list) or set(spec.consumers) <= set(known):
        ref = _ref("components", "schemas", "DeadLetterHeaders")
        return {"allOf": [ref, {"properties": narrowed}]}
    own = copy.deepcopy(dict(shared))
    for name, rule in narrowed.items():
        own["properties"][name] = {**own["properties"][name], **rule}
    return own


def event_headers(spec: EventSpec) -> dict[str, str]:
    return {
        "event-id": spec.example_id("event"),
        "event-type": spec.event,
        "correlation-id": ORDER_ID,
        "traceparent": TRACEPARENT,
        "occurred-at": OCCURRED_AT,
        "producer": spec.producer,
        "content-type": "application/json",
    }


def example_payload() -> dict[str, Any]:
    return {"order_id": ORDER_ID}


def messages(spec: EventSpec) -> dict[str, Any]:
    n, event = spec.names, spec.event
    dead_letter_headers = {
        **event_headers(spec),
        "dlq-reason": "invalid JSON: Expecting value at line 1 column 1",
        "dlq-consumer": spec.consumers[0],
        "dlq-original-topic": event,
        "dlq-original-partition": "0",
        "dlq-original-offset": "0",
    }
    return {
        n.pascal: {
            "name": n.pascal,
            "title": event,
            "summary": f"TODO: say what {event} announces.",
            "contentType": "application/json",
            "correlationId": _ref("components", "correlationIds", "orderId"),
            "headers": _ref("components", "schemas", n.headers_schema),
            "payload": _ref("components", "schemas", n.payload_schema),
            "bindings": _ref("components", "messageBindings", "orderKeyed"),
            "examples": [
                {
                    "name": "example",
                    "summary": f"An {event} event of one order.",
                    "headers": event_headers(spec),
                    "payload": example_payload(),
                }
            ],
        },
        n.dlq_message: {
            "name": n.dlq_message,
            "title": n.dlq,
            "summary": f"An {event} record a consumer could not process.",
            "contentType": "application/octet-stream",
            "headers": _ref("components", "schemas", n.dlq_headers_schema),
            "payload": _ref("components", "schemas", "DeadLetterValue"),
            "bindings": _ref("components", "messageBindings", "deadLetter"),
            "examples": [
                {
                    "name": "unparseable",
                    "summary": f"{spec.consumers[0]} could not parse the value as JSON.",
                    "headers": dead_letter_headers,
                    "payload": "not json",
                }
            ],
        },
    }


def additions(spec: EventSpec, document: Mapping[str, Any]) -> dict[tuple[str, ...], Any]:
    """Every new entry, by the section it goes into."""
    existing_tags = document.get("components", {}).get("tags", {}) or {}
    return {
        ("channels",): channels(spec),
        ("operations",): operations(spec),
        ("components", "tags"): tags(spec, existing_tags),
        ("components", "schemas"): schemas(spec, document),
        ("components", "messages"): messages(spec),
    }


def clashes(spec: EventSpec, document: Mapping[str, Any]) -> list[str]:
    """Entries of the new event that the document already has, as JSON pointers."""
    found = []
    for path, entries in additions(spec, document).items():
        if path == ("components", "tags"):
            continue
        existing = section(document, path) or {}
        found += ["#/" + "/".join((*path, k)) for k in entries if k in existing]
    return found


def widened_enums(spec: EventSpec, document: Mapping[str, Any]) -> dict[tuple[str, ...], list[str]]:
    """A producer new to the bus, for the shared ``producer`` header enum (every event's
    own headers schema narrows it again, so widening it breaks no reader)."""
    known = section(document, PRODUCER_ENUM)
    if not isinstance(known, list) or spec.producer in known:
        return {}
    return {PRODUCER_ENUM: [spec.producer]}
