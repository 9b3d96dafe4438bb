"""EmbeddedStack on the real Tansu broker with stand-in services (fake_service.py)."""

from __future__ import annotations

import socket
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.errors import (
    PortInUseError,
    ProcessExitedError,
    ReadinessTimeoutError,
    StackAlreadyRunningError,
)
from harness.stack.embedded import EmbeddedStack
from harness.stack.ports import pick_free_port_base
from harness.stack.state import load_state, state_path
from harness.stack.topology import SERVICES
from tests.integration.stack.conftest import alive_pids, get_json

pytestmark = pytest.mark.integration

MakeStack = Callable[..., EmbeddedStack]


def recorded_pids(state_dir: Path) -> list[int]:
    state = load_state(state_dir)
    assert state is not None
    return [r.pid for r in state.processes.values() if r.pid is not None]


def test_start_reaches_all_ready_and_stop_leaves_nothing(
    make_stack: MakeStack, state_dir: Path
) -> None:
    stack = make_stack()
    seconds = stack.start()
    assert seconds > 0
    state = load_state(state_dir)
    assert state is not None and state.ready_at is not None
    assert set(state.processes) == {"kafka", *(s.name for s in SERVICES)}
    pids = recorded_pids(state_dir)
    assert len(alive_pids(pids)) == len(SERVICES) + 1
    assert stat.S_IMODE(state_path(state_dir).stat().st_mode) == 0o600
    assert (state_dir / "logs" / "users.log").read_text().count("listening on") == 1

    stack.stop()
    assert alive_pids(pids) == []
    assert recorded_pids(state_dir) == []


def test_services_get_the_runtime_contract_environment(
    make_stack: MakeStack, state_dir: Path
) -> None:
    stack = make_stack(test_mode=True)
    stack.start()
    secrets = stack.state.secrets
    orders = get_json(stack.url("orders") + "/env")
    assert orders["ORDERS_USERS_URL"] == stack.url("users")
    assert orders["ORDERS_PRODUCTS_URL"] == stack.url("products")
    assert orders["ORDERS_KAFKA_BOOTSTRAP"] == stack.kafka_bootstrap
    assert orders["ORDERS_JWT_SECRET"] == secrets.jwt_secret
    assert orders["ORDERS_TEST_MODE"] == "true"
    assert orders["ORDERS_DATA_DIR"] == str(state_dir.resolve() / "data")
    users = get_json(stack.url("users") + "/env")
    assert users["USERS_ADMIN_EMAIL"] == secrets.admin_email
    assert users["USERS_ADMIN_PASSWORD"] == secrets.admin_password
    gateway = get_json(stack.url("gateway") + "/env")
    assert gateway["GATEWAY_ORDERS_URL"] == stack.url("orders")
    assert "GATEWAY_KAFKA_BOOTSTRAP" not in gateway


def test_a_crash_at_startup_fails_fast_with_its_log_and_stops_the_rest(
    make_stack: MakeStack, state_dir: Path
) -> None:
    stack = make_stack("--crash=orders", ready_timeout=120.0)
    with pytest.raises(ProcessExitedError) as caught:
        stack.start()
    assert caught.value.name == "orders"
    assert caught.value.returncode == 3
    assert any("simulated crash" in line for line in caught.value.log_tail)
    assert alive_pids(recorded_pids(state_dir)) == []


def test_the_deadline_names_the_laggard_and_stops_everything(
    make_stack: MakeStack, state_dir: Path
) -> None:
    stack = make_stack("--never-ready=payments", services=("payments",), ready_timeout=3.0)
    with pytest.raises(ReadinessTimeoutError) as caught:
        stack.start()
    assert caught.value.name == "payments"
    assert "HTTP 503" in str(caught.value)
    assert any("listening on" in line for line in caught.value.log_tail)
    state = load_state(state_dir)
    assert state is not None
    assert all(record.pid is None for record in state.processes.values())


def test_stop_kills_stubborn_processes_and_grandchildren(make_stack: MakeStack) -> None:
    stack = make_stack("--ignore-term=users", "--child=orders", stop_timeout=1.0)
    stack.start()
    grandchild = int(get_json(stack.url("orders") + "/env")["FAKE_CHILD_PID"])
    pids = [stack.pid(name) for name in ("users", "orders", "kafka")] + [grandchild]
    assert len(alive_pids(pids)) == 4
    stack.stop()
    assert alive_pids(pids) == []


def test_kill_and_restart_a_service(make_stack: MakeStack) -> None:
    stack = make_stack(services=("users", "orders"))
    stack.start()
    old_pid = stack.pid("users")
    stack.kill_service("users")
    assert alive_pids([old_pid]) == []
    assert stack.state.processes["users"].pid is None
    stack.start_service("users")
    assert stack.pid("users") != old_pid
    assert get_json(stack.url("users") + "/env")["USERS_PORT"] == str(stack.topology.port("users"))
    assert stack.log_path("users").read_text().count("--- harness: starting users") == 2


def test_a_taken_port_is_refused_before_anything_starts(
    make_stack: MakeStack, state_dir: Path
) -> None:
    stack = make_stack()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", stack.topology.port("inventory")))
        sock.listen()
        with pytest.raises(PortInUseError, match="--port-base"):
            stack.start()
    assert load_state(state_dir) is None


def test_a_second_stack_on_the_same_state_folder_is_refused(make_stack: MakeStack) -> None:
    make_stack(services=("users",)).start()
    other = make_stack(services=("users",), base=pick_free_port_base())
    with pytest.raises(StackAlreadyRunningError, match="harness down"):
        other.start()


def test_two_stacks_run_side_by_side(make_stack: MakeStack, tmp_path: Path) -> None:
    first = make_stack(where=tmp_path / "one")
    first.start()
    base = pick_free_port_base()
    second = make_stack(where=tmp_path / "two", base=base)
    second.start()
    ports: set[Any] = set()
    for stack in (first, second):
        env = get_json(stack.url("orders") + "/env")
        assert env["ORDERS_KAFKA_BOOTSTRAP"] == stack.kafka_bootstrap
        ports.add(env["ORDERS_PORT"])
    assert len(ports) == 2
    assert first.state.secrets.jwt_secret != second.state.secrets.jwt_secret


def test_context_manager_stops_on_exit(make_stack: MakeStack, state_dir: Path) -> None:
    with make_stack(services=("products",)) as stack:
        pids = [stack.pid("products"), stack.pid("kafka")]
        assert len(alive_pids(pids)) == 2
    assert alive_pids(pids) == []
