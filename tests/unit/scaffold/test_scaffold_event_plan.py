"""plan_event on a small copy of the project: what it would write, and what it refuses
(before writing anything)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from harness.errors import ConfigError
from harness.scaffold.event import EventPlan, judge, plan_event
from harness.scaffold.event_code import publishes
from harness.target import PROJECT_ROOT

SERVICES = ["inventory", "notifications", "orders", "payments", "products", "users"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT_ROOT / "contracts", tmp_path / "contracts")
    for service in ("orders", "notifications", "users", "products"):
        shutil.copytree(
            PROJECT_ROOT / "reference_services" / service,
            tmp_path / "reference_services" / service,
            ignore=shutil.ignore_patterns("__pycache__", "migrations"),
        )
    return tmp_path


def plan(
    root: Path, name: str = "order.shipped", producer: str = "orders", *consumers: str
) -> EventPlan:
    chosen = list(consumers or ["notifications"])
    return plan_event(root, name, producer=producer, consumers=chosen, services=SERVICES)


def test_the_plan_lists_every_file_and_writes_none(root: Path) -> None:
    before = sorted(p.read_bytes() for p in root.rglob("*") if p.is_file())
    found = plan(root)
    assert sorted(str(p.relative_to(root)) for p in found.files) == [
        "contracts/asyncapi/events.yaml",
        "reference_services/notifications/consumer.py",
        "reference_services/orders/main.py",
        "reference_services/orders/messages.py",
        "reference_services/orders/service.py",
        "tests/integration/services/bus_probe.py",
        "tests/integration/services/test_notifications_consumes_order_shipped.py",
        "tests/integration/services/test_orders_publishes_order_shipped.py",
    ]
    assert found.verdict.startswith("gate PASS: 0 breaking")
    assert sorted(p.read_bytes() for p in root.rglob("*") if p.is_file()) == before


def test_a_consumer_named_twice_gets_one_handler(root: Path) -> None:
    found = plan(root, "order.shipped", "orders", "notifications", "notifications")
    consumer = root / "reference_services" / "notifications" / "consumer.py"
    assert found.files[consumer].count("async def on_order_shipped") == 1


def test_a_name_the_code_already_uses_is_refused(root: Path) -> None:
    consumer = root / "reference_services" / "notifications" / "consumer.py"
    consumer.write_text(consumer.read_text() + "\n\ndef on_order_shipped() -> None:\n    pass\n")
    with pytest.raises(ConfigError, match="already defines on_order_shipped"):
        plan(root)


def test_a_service_without_the_kit_layout_is_refused(root: Path) -> None:
    (root / "reference_services" / "notifications" / "consumer.py").unlink()
    (root / "reference_services" / "notifications" / "main.py").unlink()
    with pytest.raises(ConfigError, match=r"notifications has no main\.py"):
        plan(root)


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("order.created", "orders", "payments"), "exists already"),
        (("order", "orders"), "thing.happened"),
        (("order.shipped", "shiping"), "unknown service"),
        (("order.shipped", "orders", "orders"), "does not consume its own event"),
    ],
)
def test_bad_input_is_refused(root: Path, args: tuple[str, ...], complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint):
        plan(root, *args)


def test_a_producer_without_publishes_gets_the_tuple_and_passes_it_on() -> None:
    main = (
        "X = 1\n\n\ndef create_app() -> None:\n    ServiceDefinition(\n        settings=s,\n    )\n"
    )
    edited = publishes(main, "notification.sent")
    assert 'PUBLISHES = ("notification.sent",)\n' in edited
    assert "ServiceDefinition(produces=PUBLISHES, " in edited
    assert 'PUBLISHES = ("notification.sent", "x.y")' in publishes(edited, "x.y")
    with pytest.raises(ConfigError, match="without a PUBLISHES tuple"):
        publishes("ServiceDefinition(produces=OTHER)\n", "x.y")


def test_services_new_to_the_bus_join_the_header_enums_and_get_the_kit_wiring(
    root: Path,
) -> None:
    found = plan(root, "user.renamed", "users", "products")
    files = {str(p.relative_to(root)): text for p, text in found.files.items()}
    contract = yaml.safe_load(files["contracts/asyncapi/events.yaml"])
    headers = contract["components"]["schemas"]
    assert headers["EventHeaders"]["properties"]["producer"]["enum"][-1] == "users"
    own = headers["UserRenamedDeadLetterHeaders"]["properties"]["dlq-consumer"]
    assert own["enum"] == ["products"]
    assert 'PUBLISHES = ("user.renamed",)' in files["reference_services/users/main.py"]
    assert "produces=PUBLISHES" in files["reference_services/users/main.py"]
    assert "def user_renamed(" in files["reference_services/users/messages.py"]
    assert "async def publish_user_renamed(" in files["reference_services/users/service.py"]
    products_main = files["reference_services/products/main.py"]
    assert "from reference_services.products.consumer import HANDLERS" in products_main
    assert "consumes=HANDLERS" in products_main
    assert '"user.renamed": on_user_renamed' in files["reference_services/products/consumer.py"]
    assert found.verdict.startswith("gate PASS: 0 breaking")


def test_a_contract_change_the_gate_calls_breaking_is_refused(root: Path) -> None:
    text = (root / "contracts" / "asyncapi" / "events.yaml").read_text()
    required = "required: [order_id, user_id, items, total_cents, currency, payment_token]"
    assert required in text
    broken = text.replace(required, "required: [order_id, user_id, items, currency, payment_token]")
    with pytest.raises(ConfigError, match="the gate calls this contract change breaking"):
        judge(root, broken)
