"""The Schemathesis configuration: seed, budget, every check, the gateway's rate limit."""

from __future__ import annotations

from pathlib import Path

import schemathesis

from harness.suites.fuzz.budget import Budget
from harness.suites.fuzz.schemas import (
    ALLOWANCES,
    CHECKS,
    GATEWAY_RATE_LIMIT,
    Contract,
    schemathesis_config,
)

BUDGET = Budget(seed=99, max_examples=7)


def test_the_configuration_is_valid_for_schemathesis_and_carries_seed_and_budget() -> None:
    data = schemathesis_config(base_url="http://127.0.0.1:9", budget=BUDGET, rate_limit="150/s")
    config = schemathesis.Config.from_dict(data)
    assert config.seed == 99
    project = config.projects.get_default()
    assert project.base_url == "http://127.0.0.1:9"
    assert project.generation.max_examples == 7
    assert project.output.sanitization.enabled is False


def test_the_checks_the_suite_promises_are_all_on() -> None:
    promised = {
        "not_a_server_error",
        "status_code_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "ignored_auth",
        "use_after_free",
        "ensure_resource_availability",
    }
    assert promised <= set(CHECKS)
    config = schemathesis.Config.from_dict(
        schemathesis_config(base_url="http://x", budget=BUDGET)
    ).projects.get_default()
    for name in CHECKS:
        assert getattr(config.checks, name).enabled, name


def test_an_allowance_widens_one_check_of_one_operation() -> None:
    [allowance] = [a for a in ALLOWANCES if a.operation_id == "createOrder"]
    data = schemathesis_config(base_url="http://x", budget=BUDGET)
    [override] = [o for o in data["operations"] if o["include-operation-id"] == "createOrder"]
    statuses = override["checks"][allowance.check]["expected-statuses"]
    assert "422" in statuses and "2xx" in statuses


def test_only_the_gateway_is_rate_limited() -> None:
    assert Contract("gateway", "http://g", Path(__file__)).rate_limit == GATEWAY_RATE_LIMIT
    assert Contract("orders", "http://o", Path(__file__)).rate_limit is None
