"""Index shapes beyond our own document: shared channels, templates, AsyncAPI 2.x."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.contracts import ContractIndex, build_index, example_records, validate_record

ORDER_ID = "9a59fb67-a609-4030-8330-5bf88bc6bb9c"


def typed_message(event_type: str, field: str) -> dict[str, Any]:
    return {
        "name": event_type,
        "headers": {
            "type": "object",
            "required": ["event-type"],
            "properties": {"event-type": {"const": event_type}},
        },
        "payload": {
            "type": "object",
            "additionalProperties": False,
            "required": [field],
            "properties": {field: {"type": "integer"}},
        },
        "examples": [{"headers": {"event-type": event_type}, "payload": {field: 1}}],
    }


@pytest.fixture
def shared_topic() -> ContractIndex:
    """One topic carrying two event types, told apart by the event-type header."""
    document = {
        "asyncapi": "3.0.0",
        "info": {"title": "shared", "version": "1"},
        "channels": {
            "audit": {
                "address": "audit",
                "messages": {
                    "opened": typed_message("audit.opened", "opened_at"),
                    "closed": typed_message("audit.closed", "closed_at"),
                },
            }
        },
    }
    return build_index(document, source=Path("shared.yaml"))


def test_the_event_type_header_picks_the_message_of_a_shared_topic(
    shared_topic: ContractIndex,
) -> None:
    value = json.dumps({"closed_at": 5}).encode()
    assert (
        validate_record(shared_topic, "audit", None, value, [("event-type", b"audit.closed")]) == []
    )
    wrong = validate_record(shared_topic, "audit", None, value, [("event-type", b"audit.opened")])
    assert {v.pointer for v in wrong} == {"/value/opened_at", "/value/closed_at"}


@pytest.mark.parametrize("headers", [[], [("event-type", b"audit.deleted")]])
def test_a_shared_topic_needs_a_known_event_type(
    shared_topic: ContractIndex, headers: list[tuple[str, bytes]]
) -> None:
    violations = validate_record(shared_topic, "audit", None, b"{}", headers)
    assert [v.pointer for v in violations] == ["/headers/event-type"]
    assert "audit.closed, audit.opened" in violations[0].message


def test_examples_of_a_shared_topic_validate(shared_topic: ContractIndex) -> None:
    records = example_records(shared_topic)
    assert [r.message for r in records] == ["audit.opened", "audit.closed"]
    for r in records:
        assert validate_record(shared_topic, r.topic, r.key, r.value, r.headers) == []


def test_a_parameterised_address_matches_its_concrete_topics() -> None:
    document = {
        "asyncapi": "3.0.0",
        "info": {"title": "dlq", "version": "1"},
        "channels": {
            "deadLetters": {
                "address": "{topic}.dlq",
                "parameters": {"topic": {"enum": ["order.created", "payment.failed"]}},
                "messages": {"deadLetter": {"contentType": "application/octet-stream"}},
            }
        },
    }
    index = build_index(document, source=Path("dlq.yaml"))
    assert validate_record(index, "payment.failed.dlq", None, b"\x00", []) == []
    assert [v.pointer for v in validate_record(index, "order.cancelled.dlq", None, b"", [])] == [
        "/topic"
    ]


V2_DOCUMENT = {
    "asyncapi": "2.6.0",
    "info": {"title": "v2", "version": "1"},
    "channels": {
        "order.shipped": {
            "bindings": {"kafka": {"partitions": 6, "replicas": 3}},
            "subscribe": {
                "operationId": "shipping.publishShipped",
                "message": {"$ref": "#/components/messages/Shipped"},
            },
            "publish": {
                "operationId": "billing.onShipped",
                "message": {"$ref": "#/components/messages/Shipped"},
            },
        }
    },
    "components": {
        "messages": {
            "Shipped": {
                "name": "Shipped",
                "bindings": {"kafka": {"key": {"type": "string", "format": "uuid"}}},
                "payload": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["order_id"],
                    "properties": {"order_id": {"type": "string", "format": "uuid"}},
                },
            }
        }
    },
}


def test_an_asyncapi_2_document_is_indexed_with_its_verbs_read_from_the_app_side() -> None:
    index = build_index(V2_DOCUMENT, source=Path("v2.yaml"))
    channel = index.channel("order.shipped")
    assert channel is not None
    assert (channel.partitions, channel.replicas) == (6, 3)
    assert [m.name for m in channel.messages] == ["Shipped"]
    # 2.x "subscribe" = the application sends; "publish" = it receives.
    assert (channel.producers, channel.consumers) == (("shipping",), ("billing",))
    value = json.dumps({"order_id": ORDER_ID}).encode()
    assert validate_record(index, "order.shipped", ORDER_ID.encode(), value, []) == []
    violations = validate_record(index, "order.shipped", b"x", b'{"id": 1}', [])
    assert {v.pointer for v in violations} == {"/key", "/value/id", "/value/order_id"}


def test_message_traits_add_fields_without_overriding_the_message() -> None:
    document = {
        "asyncapi": "3.0.0",
        "info": {"title": "traits", "version": "1"},
        "channels": {
            "shipped": {
                "address": "order.shipped",
                "messages": {
                    "shipped": {
                        "name": "Shipped",
                        "payload": {"type": "object"},
                        "traits": [{"$ref": "#/components/messageTraits/common"}],
                    }
                },
            }
        },
        "components": {
            "messageTraits": {
                "common": {
                    "name": "FromTrait",
                    "headers": {"type": "object", "required": ["event-id"]},
                }
            }
        },
    }
    index = build_index(document, source=Path("traits.yaml"))
    (message,) = index.messages()
    assert message.name == "Shipped"
    violations = validate_record(index, "order.shipped", None, b"{}", [])
    assert [v.pointer for v in violations] == ["/headers/event-id"]
