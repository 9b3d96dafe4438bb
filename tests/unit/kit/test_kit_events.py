import json

import pytest

from reference_services.kit.events import OutgoingEvent, PoisonMessage, decode_record


def record(**overrides: object) -> dict[str, object]:
    event = OutgoingEvent("order.created", key="o-1", payload={"a": 1}, producer="orders")
    base: dict[str, object] = {
        "topic": "order.created",
        "partition": 0,
        "offset": 7,
        "key": b"o-1",
        "value": json.dumps(event.payload).encode(),
        "headers": [(k, v.encode()) for k, v in event.headers().items()],
    }
    base.update(overrides)
    return base


def test_outgoing_event_headers_follow_the_runtime_contract() -> None:
    event = OutgoingEvent("order.created", key="o-1", payload={}, producer="orders")
    headers = event.headers()
    assert set(headers) == {
        "event-id",
        "event-type",
        "correlation-id",
        "traceparent",
        "occurred-at",
        "producer",
        "content-type",
    }
    assert headers["correlation-id"] == "o-1" and headers["event-type"] == "order.created"
    assert headers["occurred-at"].endswith("Z")
    assert headers["traceparent"].startswith("00-")


def test_a_valid_record_decodes() -> None:
    event = decode_record(**record())  # type: ignore[arg-type]
    assert event.payload == {"a": 1} and event.key == "o-1" and event.offset == 7


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"value": b"\xff\xfe garbage"}, "not JSON"),
        ({"value": b"[1, 2]"}, "expected an object"),
        ({"headers": []}, "missing header(s): event-id, event-type"),
        (
            {"headers": [("event-id", b"x"), ("event-type", b"payment.failed")]},
            "does not match topic",
        ),
        ({"headers": [("event-id", b"\xff"), ("event-type", b"order.created")]}, "not UTF-8"),
    ],
)
def test_poison_records_say_what_is_wrong(overrides: dict[str, object], reason: str) -> None:
    with pytest.raises(PoisonMessage, match=reason.replace("(", r"\(").replace(")", r"\)")):
        decode_record(**record(**overrides))  # type: ignore[arg-type]
