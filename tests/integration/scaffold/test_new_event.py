"""harness new event on a copy of the project: the contract entry comes first and the gate
calls it compatible; the producer's and consumers' tests fail naming their one-line TODO
and pass once it is done; bad input is refused with the reason and nothing written."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
import yaml

from harness.contracts import example_records, load_asyncapi, validate_record
from harness.stack.topology import SERVICES
from tests.integration.scaffold.project import (
    apply_todos,
    copy_project,
    detached_stack,
    fingerprint,
    harness,
    run,
)

pytestmark = pytest.mark.integration
EVENT = "order.shipped"
COMMAND = ("new", "event", EVENT, "--producer", "orders", "--consumer", "notifications")
TESTS = (
    "tests/integration/services/test_orders_publishes_order_shipped.py",
    "tests/integration/services/test_notifications_consumes_order_shipped.py",
    "tests/integration/services/test_payments_consumes_order_shipped.py",
)
# The one-line TODOs the scaffold writes, and what this test implements them with.
TODOS = {
    "reference_services/orders/messages.py": (
        '    raise NotImplementedError("TODO(harness new event): return the payload")',
        '    return {"order_id": order_id}',
    ),
    **{
        f"reference_services/{consumer}/consumer.py": (
            '    raise NotImplementedError(f"TODO(harness new event): act on {received!r}")',
            "    _ = received.order_id  # nothing to do yet",
        )
        for consumer in ("notifications", "payments")
    },
}


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A project copy with the event added; the contracts as they were; the output."""
    copy = copy_project(tmp_path_factory.mktemp("project"))
    before = tmp_path_factory.mktemp("before") / "contracts"
    shutil.copytree(copy / "contracts", before)
    done = harness(copy, *COMMAND, "payments")  # --consumer takes several services
    assert done.returncode == 0, done.stdout + done.stderr
    return copy, before, done.stdout


def test_the_contract_gets_the_channel_message_and_operations(
    scaffolded: tuple[Path, Path, str],
) -> None:
    copy, _, _ = scaffolded
    contract = copy / "contracts" / "asyncapi" / "events.yaml"
    index = load_asyncapi(contract)
    assert index.producers(EVENT) == ("orders",)
    assert sorted(index.consumers(EVENT)) == ["notifications", "payments"]
    assert sorted(index.producers(f"{EVENT}.dlq")) == ["notifications", "payments"]
    channel = yaml.safe_load(contract.read_text())["channels"]["orderShipped"]
    assert channel["bindings"]["kafka"]["topic"] == EVENT
    (record,) = example_records(index, topic=EVENT)
    assert validate_record(index, EVENT, record.key, record.value, record.headers) == []
    headers = dict(record.headers)
    for name in ("event-id", "event-type", "correlation-id", "traceparent", "producer"):
        assert headers[name], name
    assert record.key == headers["correlation-id"]
    assert "# The order saga's events on Kafka" in contract.read_text()  # comments kept


def test_the_gate_calls_the_change_compatible(scaffolded: tuple[Path, Path, str]) -> None:
    copy, before, output = scaffolded
    assert "harness gate on that change: gate PASS: 0 breaking" in output
    gate = harness(copy, "gate", "--base", str(before))
    assert gate.returncode == 0, gate.stdout + gate.stderr
    assert "gate PASS: 0 breaking" in gate.stdout


def test_the_skeletons_are_registered_and_lint_clean(scaffolded: tuple[Path, Path, str]) -> None:
    copy, _, _ = scaffolded
    services = copy / "reference_services"
    assert '"order.shipped"' in (services / "orders" / "main.py").read_text()
    assert "async def publish_order_shipped" in (services / "orders" / "service.py").read_text()
    for consumer in ("notifications", "payments"):
        handlers = (services / consumer / "consumer.py").read_text()
        assert '"order.shipped": on_order_shipped' in handlers
    lint = run(copy, "ruff", "check", "reference_services", "tests/integration/services")
    assert lint.returncode == 0, lint.stdout
    assert all((copy / test).is_file() for test in TESTS)


def _project_tests(copy: Path) -> subprocess.CompletedProcess[str]:
    args = ("-q", "-p", "no:cacheprovider")
    folders = ("tests/unit/contracts", "tests/unit/suites/events")
    return run(copy, "pytest", *args, *TESTS, *folders, timeout=600)


def test_the_generated_tests_fail_until_the_todos_are_done(
    scaffolded: tuple[Path, Path, str],
) -> None:
    copy, _, _ = scaffolded
    before = _project_tests(copy)
    assert before.returncode == 1, before.stdout[-3000:]
    assert "3 failed" in before.stdout, before.stdout[-3000:]
    assert "implement order_shipped in reference_services/orders/messages.py" in before.stdout
    assert "implement on_order_shipped in reference_services/payments/consumer.py" in (
        before.stdout
    )
    assert before.stdout.count("TODO(harness new event)") >= 3
    apply_todos(copy, TODOS)
    after = _project_tests(copy)
    assert after.returncode == 0, after.stdout[-3000:]


def test_harness_up_brings_producer_and_consumers_up_ready(
    scaffolded: tuple[Path, Path, str], tmp_path: Path
) -> None:
    copy, _, _ = scaffolded
    with detached_stack(copy, tmp_path / "state") as (base, _):
        offsets = {s.name: s.offset for s in SERVICES}
        for name in ("orders", "notifications", "payments"):
            ready = httpx.get(f"http://127.0.0.1:{base + offsets[name]}/health/ready", timeout=5)
            assert ready.status_code == 200, (name, ready.text)


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (COMMAND, "event 'order.shipped' exists already"),
        (("new", "event", "order.created", "--producer", "orders", "--consumer", "payments"),
         "exists already in contracts/asyncapi/events.yaml"),
        (("new", "event", "Order-Shipped", "--producer", "orders", "--consumer", "payments"),
         "thing.happened"),
        (("new", "event", "order.returned", "--producer", "order", "--consumer", "payments"),
         "--producer 'order': unknown service (did you mean orders?)"),
        (("new", "event", "order.returned", "--producer", "orders", "--consumer", "nobody"),
         "--consumer 'nobody': unknown service"),
        (("new", "event", "order.returned", "--producer", "orders", "--consumer", "payments",
          "orders"), "does not consume its own event"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_is_written(
    scaffolded: tuple[Path, Path, str], args: tuple[str, ...], complaint: str
) -> None:
    copy, _, _ = scaffolded
    folders = ("contracts", "reference_services", "tests")
    before = fingerprint(copy, folders)
    done = harness(copy, *args)
    assert done.returncode == 1, done.stdout + done.stderr
    assert complaint in done.stderr
    assert fingerprint(copy, folders) == before
