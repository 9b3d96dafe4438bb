"""harness new service on a copy of the project: the new service's tests and the
project's unit tests pass at once, and `harness up` brings it up ready."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from harness.stack.ports import pick_free_port_base
from harness.target import PROJECT_ROOT

pytestmark = pytest.mark.integration


def harness(copy: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness.cli.main", *args],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's tracked files (and untracked ones, as in a working tree)."""
    target = tmp_path_factory.mktemp("project")
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = PROJECT_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    done = harness(target, "new", "service", "shipping")
    assert done.returncode == 0, done.stdout + done.stderr
    return target


def test_the_scaffold_is_complete_and_lint_clean(copy: Path) -> None:
    package = copy / "reference_services" / "shipping"
    for name in ("api.py", "domain.py", "infrastructure.py", "config.py", "main.py", "README.md"):
        assert (package / name).exists(), name
    assert list((package / "migrations" / "versions").glob("0001_*.py"))
    contract = (copy / "contracts" / "openapi" / "shipping.yaml").read_text()
    assert "/health/ready" in contract and "listShippingItems" in contract
    assert 'ServiceSpec("shipping", 7' in (copy / "harness" / "stack" / "topology.py").read_text()
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "reference_services/shipping", "tests"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout


def test_the_projects_tests_pass_right_after_scaffolding(copy: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/unit",
            "tests/integration/services/test_shipping_app.py",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert (
        "test_shipping"
        in subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--collect-only",
                "-q",
                "-p",
                "no:cacheprovider",
                "tests/unit/services/shipping",
            ],
            cwd=copy,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        ).stdout
    )


def test_harness_up_brings_the_new_service_up_ready(copy: Path, tmp_path: Path) -> None:
    base, state = pick_free_port_base(), tmp_path / "state"
    up = harness(copy, "up", "--detach", "--port-base", str(base), "--state-dir", str(state))
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        assert "shipping" in up.stdout
        ready = httpx.get(f"http://127.0.0.1:{base + 7}/health/ready", timeout=5)
        assert ready.status_code == 200 and ready.json()["service"] == "shipping"
        records = json.loads((state / "stack.json").read_text())["processes"]
        assert "shipping" in records
    finally:
        down = harness(copy, "down", "--state-dir", str(state))
        assert down.returncode == 0, down.stderr


@pytest.mark.parametrize(
    ("name", "complaint"), [("orders", "exists already"), ("Ship-ping", "lowercase letters")]
)
def test_bad_names_are_refused_clearly(copy: Path, name: str, complaint: str) -> None:
    done = harness(copy, "new", "service", name)
    assert done.returncode == 1 and complaint in done.stderr


def test_a_new_endpoint_fails_its_test_until_its_todo_is_done(copy: Path) -> None:
    added = harness(copy, "new", "endpoint", "shipping", "GET", "/shipping/quotes/{quote_id}")
    assert added.returncode == 0, added.stdout + added.stderr
    assert "getShippingQuotesByQuoteId" in (copy / "contracts/openapi/shipping.yaml").read_text()
    test = "tests/integration/services/test_shipping_get_shipping_quotes_by_quote_id.py"

    def run_tests() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                test,
                "tests/unit/contracts",
            ],
            cwd=copy,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    before = run_tests()
    assert before.returncode == 1 and "TODO(harness new endpoint)" in before.stdout
    api = copy / "reference_services" / "shipping" / "api.py"
    todo = "    raise NotImplementedError(\"TODO(harness new endpoint): return {'message': ...}\")"
    assert todo in api.read_text()
    api.write_text(api.read_text().replace(todo, '    return {"message": f"quote {quote_id}"}'))
    after = run_tests()
    assert after.returncode == 0, after.stdout[-3000:]


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("shipping", "GET", "/shipping/items"), "already in shipping.yaml"),
        (("shipping", "GET", "/elsewhere/x"), "start with /shipping/"),
        (("shipping", "TRACE", "/shipping/x"), "use one of"),
        (("nowhere", "GET", "/nowhere/x"), "has no api.py"),
    ],
)
def test_bad_endpoints_are_refused_clearly(
    copy: Path, args: tuple[str, ...], complaint: str
) -> None:
    done = harness(copy, "new", "endpoint", *args)
    assert done.returncode == 1 and complaint in done.stderr
