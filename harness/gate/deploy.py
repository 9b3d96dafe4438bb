"""can-i-deploy in the gate: ask the Pact Broker about each pacticipant and fold the
answers into the verdict (any answer but "yes" fails the gate, as the Pact CLI's
can-i-deploy exits 1 on "no" and on "unknown").

The pacticipants default to every consumer and provider named in the head pacts; the
version to the git commit (the one ``harness pacts publish`` publishes under).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harness.broker.client import BrokerClient
from harness.broker.config import BrokerConfig
from harness.broker.deploy import DeployAnswer, can_i_deploy
from harness.gate.errors import GateInputError
from harness.gate.verification import PactStatus


@dataclass(frozen=True)
class DeployQuery:
    broker: BrokerConfig
    pacticipants: tuple[str, ...]
    version: str
    environment: str


def pacticipants_of(pacts: Iterable[PactStatus]) -> tuple[str, ...]:
    names = {name for p in pacts for name in (p.pact.consumer, p.pact.provider)}
    if not names:
        raise GateInputError(
            "can-i-deploy: the head contracts have no pacts to name the pacticipants",
            hint="pass --pacticipant NAME (repeatable)",
        )
    return tuple(sorted(names))


def ask(query: DeployQuery) -> tuple[DeployAnswer, ...]:
    with BrokerClient(query.broker) as client:
        return tuple(
            can_i_deploy(
                client, pacticipant=name, version=query.version, environment=query.environment
            )
            for name in query.pacticipants
        )
