"""Each running service serves exactly its contract, in everything a client would notice."""

from __future__ import annotations

import allure
import httpx
import pytest
import yaml

from harness.contracts.openapi_drift import drift
from harness.suites.plugin import target_of
from harness.target import Target


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "service" in metafunc.fixturenames:
        target = target_of(metafunc.config)
        metafunc.parametrize("service", [*sorted(target.services), "gateway"])


def test_service_serves_its_contract(target: Target, service: str) -> None:
    allure.dynamic.feature(service)
    contract_path = target.contracts.openapi_file(service)
    if not contract_path.exists():
        pytest.skip(f"no contract at {contract_path}")
    url = target.gateway if service == "gateway" else target.services[service]
    served = httpx.get(f"{url}/openapi.json", timeout=10).raise_for_status().json()
    contract = yaml.safe_load(contract_path.read_text())
    problems = drift(contract, served)
    allure.attach(
        "\n".join(problems) or "no differences",
        name="differences",
        attachment_type=allure.attachment_type.TEXT,
    )
    assert not problems, f"{service} drifted from {contract_path.name}:\n" + "\n".join(problems)
