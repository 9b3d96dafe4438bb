"""Wiring of the event suite: the contract, the burst, the feeding and the bus snapshot.

The work is done once per run by session fixtures, in causal order: the burst and its
flows (``saga``), then the consumers fed (``fed``, anchored to the burst's events), then
every topic read from the beginning (``bus_records``). Tests only judge what they saw,
so their order does not change what is checked.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Mapping

import pytest

from harness.contracts import ContractIndex, load_asyncapi
from harness.suites.coverage import CoverageRecorder
from harness.suites.events.burst import Burst
from harness.suites.events.bus import read_everything
from harness.suites.events.consumers import (
    FeedOutcome,
    FeedTarget,
    TopicPlan,
    anchor_for,
    feed_targets,
    plan_topic,
)
from harness.suites.events.feeding import feed
from harness.suites.events.flows import FLOWS
from harness.suites.events.records import BusRecord, by_topic
from harness.suites.events.saga import SagaObservation, observe
from harness.suites.plugin import Accounts, target_of
from harness.target import Target

SEED_ENV = "HARNESS_EVENTS_SEED"
SEED = pytest.StashKey[int]()


def pytest_configure(config: pytest.Config) -> None:
    given = os.environ.get(SEED_ENV, "").strip()
    try:
        config.stash[SEED] = int(given) if given else secrets.randbits(32)
    except ValueError:
        pytest.exit(f"{SEED_ENV}={given!r}: the seed must be a whole number", 4)


def pytest_report_header(config: pytest.Config) -> str:
    seed = config.stash[SEED]
    return f"event suite seed: {seed} (replay the same records with {SEED_ENV}={seed})"


def _contract_at_collection(config: pytest.Config) -> ContractIndex | None:
    path = target_of(config).contracts.asyncapi
    return load_asyncapi(path) if path is not None and path.exists() else None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests are made per channel, per consumed channel and per saga outcome."""
    names = metafunc.fixturenames
    if "scenario" in names:
        metafunc.parametrize("scenario", list(FLOWS))
    if "channel" not in names and "feed_target" not in names:
        return
    index = _contract_at_collection(metafunc.config)
    if "channel" in names:
        topics = sorted(index.channels) if index else []
        metafunc.parametrize("channel", topics)
    if "feed_target" in names:
        targets = feed_targets(index) if index else []
        metafunc.parametrize("feed_target", targets, ids=[t.id for t in targets])


@pytest.fixture(scope="session")
def contract(target: Target) -> ContractIndex:
    if target.contracts.asyncapi is None or not target.contracts.asyncapi.exists():
        pytest.skip("the target names no AsyncAPI contract (contracts.asyncapi)")
    return load_asyncapi(target.contracts.asyncapi)


@pytest.fixture(scope="session")
def bootstrap(target: Target) -> str:
    if not target.kafka:
        pytest.skip("the target names no Kafka bootstrap (kafka: host:port)")
    return target.kafka


@pytest.fixture(scope="session")
def seed(pytestconfig: pytest.Config) -> int:
    """The seed of every generated record (``HARNESS_EVENTS_SEED`` replays a run)."""
    return pytestconfig.stash[SEED]


@pytest.fixture(scope="session")
def saga(bootstrap: str, accounts: Accounts, coverage: CoverageRecorder) -> SagaObservation:
    """The burst through the gateway, then its flows as the bus shows them."""
    placed = Burst(accounts, coverage).run()
    return asyncio.run(observe(bootstrap, placed))


@pytest.fixture(scope="session")
def plans(contract: ContractIndex, saga: SagaObservation, seed: int) -> dict[str, TopicPlan]:
    burst_orders = {verdict.order_id for verdict in saga.verdicts}
    topics = sorted({t.topic for t in feed_targets(contract)})
    return {
        topic: plan_topic(
            contract,
            contract.channels[topic].messages[0],
            anchor=anchor_for(saga.records, topic, burst_orders),
            seed=seed,
        )
        for topic in topics
    }


@pytest.fixture(scope="session")
def fed(
    bootstrap: str, target: Target, contract: ContractIndex, plans: Mapping[str, TopicPlan]
) -> dict[str, FeedOutcome]:
    """Every consumer the target has a URL for, fed and watched (by target id)."""
    targets = [t for t in feed_targets(contract) if t.service in target.services]
    outcomes = asyncio.run(feed(bootstrap, plans, targets, target.services))
    return {outcome.target.id: outcome for outcome in outcomes}


@pytest.fixture
def feed_outcome(feed_target: FeedTarget, fed: Mapping[str, FeedOutcome]) -> FeedOutcome:
    if feed_target.id not in fed:
        pytest.skip(f"the target has no URL for {feed_target.service} (services.*)")
    return fed[feed_target.id]


@pytest.fixture(scope="session")
def bus_records(
    bootstrap: str, saga: SagaObservation, fed: Mapping[str, FeedOutcome]
) -> dict[str, list[BusRecord]]:
    """Every record on every topic, read once the burst and the feeding are done."""
    return by_topic(asyncio.run(read_everything(bootstrap)))
