"""``--database postgres``: one throwaway database per service, dropped on down."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from harness.stack.database import DEFAULT_POSTGRES_URL, database_exists, database_name
from harness.stack.embedded import EmbeddedStack
from harness.stack.state import load_state
from harness.stack.teardown import down
from tests.integration.stack.conftest import get_json, harness_cli

pytestmark = pytest.mark.integration

MakeStack = Callable[..., EmbeddedStack]
SERVER = os.environ.get("HARNESS_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@pytest.fixture
def postgres_server() -> str:
    from harness.errors import DatabaseError

    try:
        database_exists(SERVER, "postgres")
    except DatabaseError as exc:
        if os.environ.get("HARNESS_REQUIRE_POSTGRES") == "1":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    return SERVER


@pytest.mark.postgres
def test_each_service_gets_its_own_database_until_down(
    make_stack: MakeStack, postgres_server: str, state_dir: Path
) -> None:
    stack = make_stack(
        services=("users", "orders"), database="postgres", postgres_url=postgres_server
    )
    stack.start()
    base = stack.topology.port_base
    names = {service: database_name(base, service) for service in ("users", "orders")}
    for service, name in names.items():
        env = get_json(stack.url(service) + "/env")
        assert env[f"{service.upper()}_DATABASE_URL"].endswith(f"/{name}")
        assert database_exists(postgres_server, name)

    stack.detach()  # as `harness up --detach` would: only the state file knows now
    report = down(state_dir, timeout=5)
    assert sorted(report.dropped_databases) == sorted(names.values())
    assert not any(database_exists(postgres_server, name) for name in names.values())
    state = load_state(state_dir)
    assert state is not None and state.database.databases == {}


def test_an_unreachable_server_is_a_one_line_error(
    state_dir: Path, port_base: int, tmp_path: Path
) -> None:
    url = "postgresql://postgres@127.0.0.1:1/postgres"
    result = harness_cli(
        "up", "--state-dir", str(state_dir), "--port-base", str(port_base),
        "--database", "postgres", "--postgres-url", url, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith(f"harness: error: cannot connect to PostgreSQL at {url}")
    assert "--database sqlite" in result.stderr
    state = load_state(state_dir)
    assert state is not None and all(r.pid is None for r in state.processes.values())
