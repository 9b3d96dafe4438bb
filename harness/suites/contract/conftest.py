"""Fixtures of the contract suite: the pact book, each test's recorder, the state relay.

Consumer tests run first (they write the pacts), provider verification last (it reads
them). A module whose tests did not all run and pass never publishes its pairs. With a
Pact Broker configured (target ``pact_broker`` or ``PACT_BROKER_BASE_URL``), the pact
folder and each verification result are published to it as well (harness.broker).
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from harness.broker.sync import PactSync, open_sync
from harness.suites.contract.pactbook import PactBook, PactRecorder
from harness.suites.contract.relay import StateRelay
from harness.target import Target

DIRTY = pytest.StashKey[set[str]]()


def _module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def pytest_configure(config: pytest.Config) -> None:
    config.stash[DIRTY] = set()
    # pact's Rust core reports usage over the network unless told not to; a test run
    # must not phone home (nor wait for a network that is not there).
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_runs_after_consumers)  # stable: the order within each group stays


def _runs_after_consumers(item: pytest.Item) -> bool:
    return bool(getattr(getattr(item, "module", None), "RUNS_AFTER_CONSUMERS", False))


def pytest_deselected(items: list[pytest.Item]) -> None:
    for item in items:
        item.config.stash[DIRTY].add(_module_of(item.nodeid))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed or report.skipped:
        item.config.stash[DIRTY].add(_module_of(item.nodeid))
    return report


@pytest.fixture(scope="session")
def pact_broker(target: Target) -> Iterator[PactSync | None]:
    """The configured Pact Broker, or None: then pacts and records stay in files only."""
    sync = open_sync(target_url=target.pact_broker, env=os.environ, cwd=target.contracts.openapi)
    if sync is None:
        yield None
        return
    with sync:
        yield sync


@pytest.fixture(scope="session")
def pact_book(
    pytestconfig: pytest.Config,
    target: Target,
    tmp_path_factory: pytest.TempPathFactory,
    pact_broker: PactSync | None,
) -> Iterator[PactBook]:
    book = PactBook(tmp_path_factory.mktemp("pact-staging"), target.contracts.pacts)
    yield book
    book.publish(pytestconfig.stash[DIRTY])
    if pact_broker is not None:
        pact_broker.publish_folder(book.destination)


@pytest.fixture
def pacts(pact_book: PactBook, request: pytest.FixtureRequest, tmp_path: Path) -> PactRecorder:
    return PactRecorder(pact_book, module=_module_of(request.node.nodeid), scratch=tmp_path)


@pytest.fixture(scope="session")
def published_pacts(
    pytestconfig: pytest.Config, pact_book: PactBook, pact_broker: PactSync | None
) -> Path:
    """The pact folder once the consumer tests that ran have published their pairs (and
    the broker has them, when one is configured: verification results refer to them)."""
    pact_book.publish(pytestconfig.stash[DIRTY])
    if pact_broker is not None:
        pact_broker.publish_folder(pact_book.destination)
    return pact_book.destination


@pytest.fixture(scope="session")
def state_relay(target: Target) -> Iterator[StateRelay]:
    if not target.test_mode:
        pytest.skip("provider states need the target in test mode (test_mode: true)")
    with StateRelay(target.services) as relay:
        yield relay
