"""The real reference services under the embedded stack (``python -m reference_services``).

Proves the wiring of docs/runtime-contract.md end to end: every service becomes ready
with a generated (non-test) JWT secret, and the generated admin account can log in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.stack.embedded import EmbeddedStack
from harness.stack.options import StackOptions
from harness.stack.status import stack_status
from harness.stack.topology import SERVICES, Topology
from reference_services.kit.metrics import CONSUMER_JOINED
from tests.integration.stack.conftest import alive_pids

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


@pytest.fixture
def stack(port_base: int, state_dir: Path) -> Iterator[EmbeddedStack]:
    # A generous deadline: seven Python services importing at once on a small CI machine.
    options = StackOptions(ready_timeout=120.0)
    embedded = EmbeddedStack(Topology(port_base=port_base), state_dir, options=options)
    embedded.start()
    try:
        yield embedded
    finally:
        embedded.stop()


def test_every_reference_service_is_ready_and_the_admin_can_log_in(
    stack: EmbeddedStack,
) -> None:
    status = stack_status(stack.state_dir)
    assert status.all_ready
    assert {p.name for p in status.processes} == {"kafka", *(s.name for s in SERVICES)}

    secrets = stack.state.secrets
    with httpx.Client(base_url=stack.url("users"), trust_env=False, timeout=10) as client:
        login = client.post(
            "/users/login",
            json={"email": secrets.admin_email, "password": secrets.admin_password},
        )
        assert login.status_code == 200, login.text
        token = login.json()["access_token"]
        me = client.get("/users/me", headers={"authorization": f"Bearer {token}"})
    assert me.status_code == 200, me.text
    assert me.json()["role"] == "admin"


CONSUMERS = ("orders", "payments", "inventory", "notifications")


def test_all_ready_means_every_kafka_consumer_has_joined(stack: EmbeddedStack) -> None:
    """Right after start returns, each consuming service's group has its partitions, so
    the first order's saga does not wait for group joins; the others have no consumer."""
    for spec in SERVICES:
        metrics = httpx.get(stack.url(spec.name) + "/metrics", trust_env=False, timeout=10).text
        joined = [line for line in metrics.splitlines() if line.startswith(CONSUMER_JOINED)]
        assert joined == ([f"{CONSUMER_JOINED} 1.0"] if spec.name in CONSUMERS else []), spec.name


def test_stop_leaves_no_reference_service_behind(stack: EmbeddedStack) -> None:
    pids = [record.pid for record in stack.state.processes.values() if record.pid]
    assert len(alive_pids(pids)) == len(SERVICES) + 1
    stack.stop()
    assert alive_pids(pids) == []
