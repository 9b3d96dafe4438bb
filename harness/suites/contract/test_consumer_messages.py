"""Event consumers: each one can take the message it expects from its producer.

For every (consumer, event) of the saga, the expected message is written as a message
pact and handed to the consumer's real handler, decoded as the consumer loop decodes a
Kafka record. The AsyncAPI document must agree on who publishes and who consumes it.
"""

from __future__ import annotations

import pytest

from harness.contracts import load_asyncapi
from harness.suites.contract.messages import (
    EXPECTATIONS,
    Expectation,
    UseCaseRecorder,
    as_record,
    consumer_module,
    handle,
    metadata_of,
)
from harness.suites.contract.pactbook import PactRecorder
from harness.target import Target


@pytest.mark.parametrize("expected", EXPECTATIONS, ids=lambda e: e.id)
def test_consumer_handles_the_event(
    expected: Expectation,
    pacts: PactRecorder,
    target: Target,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if target.contracts.asyncapi is not None:
        index = load_asyncapi(target.contracts.asyncapi)
        assert expected.consumer in index.consumers(expected.event_type)
        assert expected.provider in index.producers(expected.event_type)
    pact = pacts.pact(expected.consumer, expected.provider, story=expected.event_type)
    (
        pact.upon_receiving(f"{expected.event_type} when {expected.state}", "Async")
        .given(expected.state, expected.params or None)
        .with_body(expected.body, content_type="application/json")
        .with_metadata(metadata_of(expected.event_type))
    )
    module = consumer_module(expected.consumer)
    recorder = UseCaseRecorder()
    monkeypatch.setattr(module, "service", recorder)

    def consume(body: str | bytes | None, metadata: dict[str, object]) -> None:
        event = as_record(expected.event_type, body, metadata)
        handle(module, event)
        assert [call.kwargs.get("order_id") for call in recorder.calls] == [
            event.payload["order_id"]
        ], f"the handler should call one use case for the order, called {recorder.calls}"

    pacts.verify_messages(pact, consume)
