"""harness new service on a copy of the project: the new service's tests and the
project's unit tests pass at once, and `harness up` brings it up ready."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.integration.scaffold.project import copy_project, detached_stack, harness, run

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = copy_project(tmp_path_factory.mktemp("project"))
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
    lint = run(copy, "ruff", "check", "reference_services/shipping", "tests")
    assert lint.returncode == 0, lint.stdout


def test_the_projects_tests_pass_right_after_scaffolding(copy: Path) -> None:
    done = run(
        copy,
        *("pytest", "-q", "-p", "no:cacheprovider", "tests/unit"),
        "tests/integration/services/test_shipping_app.py",
    )
    assert done.returncode == 0, done.stdout[-3000:]
    collect = ("pytest", "--collect-only", "-q", "-p", "no:cacheprovider")
    assert "test_shipping" in run(copy, *collect, "tests/unit/services/shipping", timeout=60).stdout


def test_harness_up_brings_the_new_service_up_ready(copy: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    with detached_stack(copy, state) as (base, printed):
        assert "shipping" in printed
        ready = httpx.get(f"http://127.0.0.1:{base + 7}/health/ready", timeout=5)
        assert ready.status_code == 200 and ready.json()["service"] == "shipping"
        records = json.loads((state / "stack.json").read_text())["processes"]
        assert "shipping" in records


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
        return run(copy, "pytest", "-q", "-p", "no:cacheprovider", test, "tests/unit/contracts")

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
