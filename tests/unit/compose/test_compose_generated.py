"""The generator: the committed files are its current output, and the compose target
files load as the harness loads them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from harness.compose import targets
from harness.compose.__main__ import main
from harness.compose.files import COMPOSE_FILE, generated
from harness.errors import ConfigError
from harness.run.targets import COMPOSE_TARGET
from harness.stack.links import service_names
from harness.stack.topology import GATEWAY, Topology
from harness.target import Contracts, default_contracts, load_target


def resolved(contracts: Contracts) -> tuple[Path | None, ...]:
    paths = (contracts.openapi, contracts.asyncapi, contracts.pacts)
    return tuple(path.resolve() if path else None for path in paths)


def test_committed_files_are_what_the_generator_writes(fresh: dict[str, str], root: Path) -> None:
    stale = [path for path, text in fresh.items() if (root / path).read_text() != text]
    assert not stale, f"stale {stale}: run `python -m harness.compose` and commit the result"


def test_generation_is_deterministic(root: Path, fresh: dict[str, str]) -> None:
    assert generated(root, Topology()) == fresh


def test_check_fails_on_a_stale_file_and_names_it(
    tmp_path: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(root / "constraints.txt", tmp_path / "constraints.txt")
    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert main(["--root", str(tmp_path)]) == 0
    assert main(["--check", "--root", str(tmp_path)]) == 0
    compose = tmp_path / COMPOSE_FILE
    compose.write_text(compose.read_text().replace("127.0.0.1:8000:8000", "8000:8000"))
    capsys.readouterr()
    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert f"stale: {COMPOSE_FILE}" in capsys.readouterr().err


def test_harness_run_loads_the_host_view(root: Path) -> None:
    assert root / targets.HOST_VIEW == COMPOSE_TARGET


@pytest.fixture
def admin_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARNESS_ADMIN_EMAIL", "admin@example.com")
    monkeypatch.setenv("HARNESS_ADMIN_PASSWORD", "from-the-environment")


def test_host_view_is_the_published_ports(admin_env: None, root: Path, topology: Topology) -> None:
    target = load_target(root / targets.HOST_VIEW)
    assert target.gateway == f"http://127.0.0.1:{topology.port(GATEWAY)}"
    assert target.services == {
        name: f"http://127.0.0.1:{topology.port(name)}"
        for name in service_names()
        if name != GATEWAY
    }
    assert target.toxiproxy == f"http://127.0.0.1:{topology.proxy_api_port}"
    assert target.kafka == f"127.0.0.1:{topology.port('kafka')}"
    assert target.auth.admin_password == "from-the-environment"
    assert target.test_mode is True
    assert resolved(target.contracts) == resolved(default_contracts(root))


def test_network_view_names_compose_services_on_their_ports(
    admin_env: None, root: Path, services: dict[str, dict[str, Any]]
) -> None:
    target = load_target(root / targets.NETWORK_VIEW)
    for name, url in {GATEWAY: target.gateway, **target.services}.items():
        port = services[name]["environment"][f"{name.upper()}_PORT"]
        assert url == f"http://{name}:{port}"
    proxy_port = next(a for a in services["toxiproxy"]["command"] if a.startswith("-port="))
    assert target.toxiproxy == f"http://toxiproxy:{proxy_port.split('=')[1]}"
    assert target.kafka and target.kafka.split(":")[0] in services
    assert resolved(target.contracts) == resolved(default_contracts(root))


def test_a_missing_admin_variable_is_named(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    monkeypatch.delenv("HARNESS_ADMIN_EMAIL", raising=False)
    with pytest.raises(ConfigError, match=r"\$\{HARNESS_ADMIN_EMAIL\} is used but not set"):
        load_target(root / targets.HOST_VIEW)
