"""Shared pieces of the event suite's unit tests: the real contract and a record factory."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from harness.contracts import ContractIndex, load_asyncapi
from harness.suites.events.records import INJECTED_BY, INJECTED_HEADER, BusRecord
from harness.target import default_contracts

MakeRecord = Callable[..., BusRecord]


@pytest.fixture(scope="session")
def index() -> ContractIndex:
    path = default_contracts().asyncapi
    assert path is not None
    return load_asyncapi(path)


def make_record(
    topic: str,
    *,
    key: str | None = "order-1",
    payload: Any = None,
    value: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    injected: bool = False,
    partition: int = 0,
    offset: int = 0,
) -> BusRecord:
    """A record as read back from the bus; ``payload`` is JSON-encoded into the value."""
    encoded = [(name, text.encode()) for name, text in (headers or {}).items()]
    if injected:
        encoded.append((INJECTED_HEADER, INJECTED_BY))
    body = value if payload is None else json.dumps(payload).encode()
    return BusRecord(
        topic=topic,
        partition=partition,
        offset=offset,
        key=None if key is None else key.encode(),
        value=body,
        headers=tuple(encoded),
    )


@pytest.fixture
def record() -> MakeRecord:
    return make_record
