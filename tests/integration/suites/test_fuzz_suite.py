"""The fuzz suite run by the real runner against a real embedded stack.

With a tiny budget every operation of every contract passes every check; with the
planted products defects (an undocumented response field, a 500 at ``limit=100``) the
suite fails, naming the field and the boundary, with a curl command that reproduces it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.run.runner import SuiteResult
from harness.stack.embedded import EmbeddedStack
from harness.suites.fuzz.budget import MAX_EXAMPLES_ENV, SEED_ENV
from tests.integration.suites.on_stack import embedded_stack, run_suite_on, suite_log

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

CONTRACTS = {"gateway", "users", "products", "orders", "payments", "inventory", "notifications"}


def run_fuzz_suite(
    stack: EmbeddedStack, workdir: Path, *extra: str, max_examples: int
) -> SuiteResult:
    env = {SEED_ENV: "1", MAX_EXAMPLES_ENV: str(max_examples)}
    return run_suite_on(stack, workdir, "fuzz", *extra, env=env)


def allure_results(workdir: Path) -> list[dict[str, Any]]:
    results = (workdir / "reports" / "allure-results").glob("*-result.json")
    return [json.loads(path.read_text()) for path in results]


def test_every_operation_passes_every_check(tmp_path: Path) -> None:
    with embedded_stack(tmp_path / "state") as stack:
        result = run_fuzz_suite(stack, tmp_path, max_examples=2)
    log = suite_log(tmp_path, "fuzz")
    assert result.exit_code == 0, log
    assert result.total >= 50 and result.failed == 0
    assert "fuzz seed 1 (given)" in log
    records = (tmp_path / "reports" / "coverage" / "fuzz.jsonl").read_text().splitlines()
    assert {json.loads(line)["service"] for line in records} == CONTRACTS
    labels = {
        (label["name"], label["value"])
        for result in allure_results(tmp_path)
        for label in result["labels"]
    }
    assert {("feature", "orders"), ("story", "createOrder"), ("epic", "fuzz")} <= labels


def test_planted_products_defects_fail_the_suite_with_a_reproduction(tmp_path: Path) -> None:
    defects = ("products:undocumented-field", "products:boundary-500")
    selected = "listProducts or getProduct or (test_links and products)"
    with embedded_stack(tmp_path / "state", *defects) as stack:
        result = run_fuzz_suite(stack, tmp_path, "-k", selected, max_examples=5)
    log = suite_log(tmp_path, "fuzz")
    assert result.exit_code == 1, log
    assert "warehouse_code" in log  # response_schema_conformance on the closed schema
    assert "Server error" in log and "limit=100" in log  # not_a_server_error at the bound
    failed = [r for r in allure_results(tmp_path) if r["status"] == "failed"]
    assert failed
    for failure in failed:
        attachments = {a["name"]: a for a in failure["attachments"]}
        assert "reproduce with curl" in attachments
        source = (
            tmp_path / "reports" / "allure-results" / attachments["reproduce with curl"]["source"]
        )
        assert "curl -X GET" in source.read_text()
