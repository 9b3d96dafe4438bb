"""Provider states for contract verification: endpoints that exist only in test mode.

A service lists what it can set up (``ProviderStates``) and its composition root mounts
``provider_state_routers(settings, STATES)``, which is empty unless ``{P}TEST_MODE`` is
true: outside test mode these paths answer 404 like any unknown path.

    GET  /_test/provider-states   the state names this service knows
    POST /_test/provider-states   a Pact state change {"state", "params", "action"};
                                  answers the values the interaction may inject
    POST /_test/pact-messages     a Pact message request {"description", "providerStates"};
                                  answers the message body, its metadata base64-encoded
                                  in the ``Pact-Message-Metadata`` header

A message is produced by the service's own use case inside a transaction that is rolled
back: the event comes out of ``UnitOfWork.publish`` exactly as it would go to the outbox
(planted defects included), and nothing is kept or sent.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from reference_services.kit.errors import InvalidInput
from reference_services.kit.events import OutgoingEvent, encode_value
from reference_services.kit.params import runtime_of
from reference_services.kit.runtime import Runtime, UnitOfWork
from reference_services.kit.settings import ServiceSettings

STATES_PATH = "/_test/provider-states"
MESSAGES_PATH = "/_test/pact-messages"
METADATA_HEADER = "Pact-Message-Metadata"

StateSetup = Callable[[Runtime, dict[str, Any]], Awaitable[dict[str, Any]]]
EventScenario = Callable[[UnitOfWork, dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class MessageScenario:
    """Runs the use case that publishes ``event_type`` (in a transaction rolled back)."""

    event_type: str
    run: EventScenario


@dataclass(frozen=True)
class ProviderStates:
    setups: Mapping[str, StateSetup] = field(default_factory=dict)
    messages: Mapping[str, MessageScenario] = field(default_factory=dict)

    def names(self) -> list[str]:
        return sorted({*self.setups, *self.messages})


class StateChange(BaseModel):
    state: str
    params: dict[str, Any] | None = None
    action: Literal["setup", "teardown"] = "setup"


class NamedState(BaseModel):
    name: str
    params: dict[str, Any] | None = None


class MessageRequest(BaseModel):
    description: str
    provider_states: list[NamedState] = Field(default_factory=list, alias="providerStates")


def provider_state_routers(settings: ServiceSettings, states: ProviderStates) -> list[APIRouter]:
    """The test-only router in test mode, nothing otherwise."""
    return [_router(states)] if settings.test_mode else []


def _router(states: ProviderStates) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get(STATES_PATH)
    async def known_states() -> dict[str, list[str]]:
        return {"states": states.names()}

    @router.post(STATES_PATH)
    async def change_state(request: Request, change: StateChange) -> dict[str, Any]:
        if change.state not in states.names():
            raise _unknown(states, change.state)
        setup = states.setups.get(change.state)
        if change.action == "teardown" or setup is None:
            return {}  # states only add data; a message state is set up by its scenario
        return await setup(runtime_of(request), change.params or {})

    @router.post(MESSAGES_PATH)
    async def produce_message(request: Request, wanted: MessageRequest) -> Response:
        named = next((s for s in wanted.provider_states if s.name in states.messages), None)
        if named is None:
            raise InvalidInput(
                f"message {wanted.description!r} names no message state of this service; "
                f"known: {sorted(states.messages)}"
            )
        event = await produce(runtime_of(request), states.messages[named.name], named.params)
        return message_response(event)

    return router


def _unknown(states: ProviderStates, name: str) -> InvalidInput:
    return InvalidInput(f"unknown provider state {name!r}; known: {states.names()}")


async def produce(
    runtime: Runtime, scenario: MessageScenario, params: dict[str, Any] | None
) -> OutgoingEvent:
    """The event the scenario's use case publishes; its transaction is rolled back."""
    async with runtime.db_reading() as conn:
        transaction = await conn.begin()
        try:
            uow = UnitOfWork(conn, runtime)
            await scenario.run(uow, params or {})
        finally:
            await transaction.rollback()
    events = [e for e in (*uow.published, *uow.bypassed) if e.event_type == scenario.event_type]
    if not events:
        raise InvalidInput(f"the scenario published no {scenario.event_type} event")
    return events[-1]


def message_response(event: OutgoingEvent) -> Response:
    metadata = {**event.headers(), "contentType": "application/json"}
    encoded = base64.b64encode(json.dumps(metadata).encode()).decode()
    return Response(
        encode_value(event.payload),
        media_type="application/json",
        headers={METADATA_HEADER: encoded},
    )
