"""harness new event between services not on the bus yet, on a copy of the project: a
service fresh from `harness new service` publishes, products (no consumer.py) consumes.
Both get the kit's Kafka wiring, the gate calls the contract change compatible, the
tests pass once the TODOs are done, and `harness up` brings both up ready."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
import yaml

from tests.integration.scaffold.project import (
    apply_todos,
    copy_project,
    detached_stack,
    harness,
    run,
)

pytestmark = pytest.mark.integration
EVENT = "shipment.dispatched"
TESTS = (
    "tests/integration/services/test_shipping_publishes_shipment_dispatched.py",
    "tests/integration/services/test_products_consumes_shipment_dispatched.py",
    "tests/integration/services/test_shipping_app.py",
)
TODOS = {
    "reference_services/shipping/messages.py": (
        '    raise NotImplementedError("TODO(harness new event): return the payload")',
        '    return {"order_id": order_id}',
    ),
    "reference_services/products/consumer.py": (
        '    raise NotImplementedError(f"TODO(harness new event): act on {received!r}")',
        "    _ = received.order_id  # nothing to do yet",
    ),
}


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    copy = copy_project(tmp_path_factory.mktemp("project"))
    made = harness(copy, "new", "service", "shipping")
    assert made.returncode == 0, made.stdout + made.stderr
    before = tmp_path_factory.mktemp("before") / "contracts"
    shutil.copytree(copy / "contracts", before)
    args = ("new", "event", EVENT, "--producer", "shipping", "--consumer", "products")
    done = harness(copy, *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return copy, before, done.stdout


def test_both_services_are_wired_to_kafka(scaffolded: tuple[Path, Path, str]) -> None:
    copy, _, output = scaffolded
    assert 'ServiceSpec("shipping", 7),' in (copy / "harness/stack/topology.py").read_text()
    assert "regenerated docker-compose.yml" in output
    shipping = copy / "reference_services" / "shipping"
    assert 'PUBLISHES = ("shipment.dispatched",)' in (shipping / "main.py").read_text()
    assert "async def publish_shipment_dispatched" in (shipping / "service.py").read_text()
    products = copy / "reference_services" / "products"
    assert "consumes=HANDLERS" in (products / "main.py").read_text()
    assert '"shipment.dispatched": on_shipment_dispatched' in (products / "consumer.py").read_text()
    lint = run(copy, "ruff", "check", "reference_services", "tests", "harness/stack")
    assert lint.returncode == 0, lint.stdout


def test_the_contract_names_them_and_the_gate_passes(scaffolded: tuple[Path, Path, str]) -> None:
    copy, before, _ = scaffolded
    schemas = yaml.safe_load((copy / "contracts/asyncapi/events.yaml").read_text())["components"][
        "schemas"
    ]
    assert "shipping" in schemas["EventHeaders"]["properties"]["producer"]["enum"]
    dead = schemas["ShipmentDispatchedDeadLetterHeaders"]["properties"]["dlq-consumer"]
    assert dead["enum"] == ["products"]
    # products is not in the shared dead-letter enum: widening it would be breaking
    assert "products" not in schemas["DeadLetterHeaders"]["properties"]["dlq-consumer"]["enum"]
    gate = harness(copy, "gate", "--base", str(before))
    assert gate.returncode == 0, gate.stdout + gate.stderr


def test_the_tests_pass_once_the_todos_are_done(scaffolded: tuple[Path, Path, str]) -> None:
    copy, _, _ = scaffolded
    args = ("-q", "-p", "no:cacheprovider", *TESTS, "tests/unit/compose")
    before = run(copy, "pytest", *args, timeout=600)
    assert before.returncode == 1 and "2 failed" in before.stdout, before.stdout[-3000:]
    assert before.stdout.count("TODO(harness new event)") >= 2
    apply_todos(copy, TODOS)
    after = run(copy, "pytest", *args, timeout=600)
    assert after.returncode == 0, after.stdout[-3000:]


def test_harness_up_brings_both_up_ready(
    scaffolded: tuple[Path, Path, str], tmp_path: Path
) -> None:
    copy, _, _ = scaffolded
    with detached_stack(copy, tmp_path / "state") as (base, _):
        for name, offset in (("shipping", 7), ("products", 2)):
            ready = httpx.get(f"http://127.0.0.1:{base + offset}/health/ready", timeout=5)
            assert ready.status_code == 200, (name, ready.text)
            assert "broker" in ready.text, (name, ready.text)  # readiness checks Kafka now
