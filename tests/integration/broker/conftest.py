"""A stand-in Pact Broker per test, and a small contracts folder with pacts and records."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.broker.standin import BrokerState, running_broker

PAIRS = (("web", "api"), ("worker", "api"))
BROKER_VARS = (
    "PACT_BROKER_BASE_URL",
    "PACT_BROKER_USERNAME",
    "PACT_BROKER_PASSWORD",
    "PACT_BROKER_TOKEN",
    "HARNESS_PACT_VERSION",
    "HARNESS_PACT_BRANCH",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No broker settings leak in from the machine running the tests."""
    for name in BROKER_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def broker() -> Iterator[tuple[str, BrokerState]]:
    with running_broker() as running:
        yield running


def pact(consumer: str, provider: str, *, status: int = 200) -> dict[str, object]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": f"{consumer} reads an item",
                "request": {"method": "GET", "path": "/items/1"},
                "response": {"status": status},
            }
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


OPENAPI = """\
openapi: 3.1.0
info: {title: api, version: 1.0.0}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: the item}
"""


def write_contracts(root: Path, *, success: bool = True) -> Path:
    """``root/pacts`` with a pact and a current verification record per pair, and the
    provider's contract in ``root/openapi`` (so ``root`` is a contracts folder)."""
    (root / "openapi").mkdir(parents=True)
    (root / "openapi" / "api.yaml").write_text(OPENAPI)
    pacts = root / "pacts"
    (pacts / "verification").mkdir(parents=True)
    for consumer, provider in PAIRS:
        path = pacts / f"{consumer}-{provider}.json"
        path.write_text(json.dumps(pact(consumer, provider), indent=2) + "\n")
        write_record(path, success=success)
    return pacts


def write_record(pact_path: Path, *, success: bool) -> Path:
    data = json.loads(pact_path.read_text())
    consumer, provider = data["consumer"]["name"], data["provider"]["name"]
    description = data["interactions"][0]["description"]
    digest = hashlib.sha256(pact_path.read_bytes()).hexdigest()
    failures = [{"interaction": description, "message": "", "mismatches": []}]
    record = {
        "format": 1,
        "consumer": consumer,
        "provider": provider,
        "pact": {"file": pact_path.name, "sha256": digest},
        "contracts": [],
        "target": "test",
        "success": success,
        "interactions": {description: "OK" if success else "failed"},
        "failures": [] if success else failures,
        "verified_at": "2026-11-25T10:00:00Z",
    }
    path = pact_path.parent / "verification" / pact_path.name
    path.write_text(json.dumps(record, indent=2) + "\n")
    return path
