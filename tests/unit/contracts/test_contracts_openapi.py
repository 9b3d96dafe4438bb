"""The OpenAPI contracts hold the code to account: no drift, a current gateway contract,
every gateway route documented, and the documentation a client and a fuzzer need."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from harness.contracts.openapi_drift import drift
from harness.contracts.openapi_export import CONTRACTS, documents, load, service_document
from harness.stack.topology import SERVICES
from reference_services.gateway.routes import ROUTES

SERVICE_NAMES = [s.name for s in SERVICES if s.name != "gateway"]
ALL_CONTRACTS = [*SERVICE_NAMES, "gateway"]
METHODS = ("get", "put", "post", "delete", "patch")


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_serves_exactly_its_contract(name: str) -> None:
    problems = drift(load(CONTRACTS / f"{name}.yaml"), service_document(name))
    assert problems == [], "\n".join(problems)


def test_drift_names_a_change_a_client_would_notice() -> None:
    contract = load(CONTRACTS / "products.yaml")
    served = copy.deepcopy(contract)
    del served["paths"]["/products/{product_id}"]["get"]["responses"]["404"]
    served["components"]["schemas"]["Product"]["properties"]["price_cents"]["type"] = "string"
    problems = drift(contract, served)
    assert any("GET /products/{product_id} /responses/404" in p for p in problems)
    assert any("price_cents/type" in p for p in problems)


def test_drift_ignores_prose_and_moving_a_schema_behind_a_ref() -> None:
    contract = load(CONTRACTS / "products.yaml")
    served = copy.deepcopy(contract)
    get = served["paths"]["/products/{product_id}"]["get"]
    get["summary"] = "reworded"
    get["responses"]["200"]["content"]["application/json"]["schema"] = copy.deepcopy(
        served["components"]["schemas"]["Product"]
    )
    assert drift(contract, served) == []


def test_gateway_contract_is_derived_from_the_committed_service_contracts() -> None:
    expected = documents(from_code=False)["gateway.yaml"]
    assert (CONTRACTS / "gateway.yaml").read_text() == expected, (
        "contracts/openapi/gateway.yaml is stale: run python -m harness.contracts.openapi_export"
    )


def test_every_gateway_route_is_in_the_gateway_contract_and_nothing_else() -> None:
    contract = load(CONTRACTS / "gateway.yaml")
    documented = {
        (method, path): op["operationId"]
        for method, path, op in operations(contract)
        if path.startswith("/api/")
    }
    routed = {(r.method, r.path): r.operation_id for r in ROUTES}
    assert routed == documented


@pytest.mark.parametrize("name", ALL_CONTRACTS)
def test_every_operation_is_documented_for_clients(name: str) -> None:
    document = load(CONTRACTS / f"{name}.yaml")
    assert document["openapi"].startswith("3.1")
    seen_ids: set[str] = set()
    for method, path, op in operations(document):
        where = f"{name}: {method} {path}"
        assert op.get("operationId") and op["operationId"] not in seen_ids, where
        seen_ids.add(op["operationId"])
        for status, response in op["responses"].items():
            # readiness answers 503 with its own report of checks, as health endpoints do
            if status.startswith(("4", "5")) and not path.startswith("/health"):
                assert list(response.get("content", {})) == ["application/problem+json"], (
                    f"{where} {status}"
                )
        if op.get("security"):
            assert "401" in op["responses"], f"{where} is protected but documents no 401"
        if op.get("requestBody") or method == "POST":
            assert "422" in op["responses"], f"{where} takes input but documents no 422"


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_creates_link_to_their_reads(name: str) -> None:
    document = load(CONTRACTS / f"{name}.yaml")
    for method, path, op in operations(document):
        if method == "POST" and "201" in op["responses"]:
            links = op["responses"]["201"].get("links", {})
            assert links, f"{name}: POST {path} has no links for stateful fuzzing"


@pytest.mark.parametrize("name", ALL_CONTRACTS)
def test_links_point_at_operations_of_the_same_document(name: str) -> None:
    document = load(CONTRACTS / f"{name}.yaml")
    ids = {op["operationId"] for _, _, op in operations(document)}
    for method, path, op in operations(document):
        for response in op["responses"].values():
            for link in response.get("links", {}).values():
                assert link["operationId"] in ids, f"{name}: {method} {path}"


@pytest.mark.parametrize("name", ALL_CONTRACTS)
def test_request_and_success_bodies_carry_examples(name: str) -> None:
    document = load(CONTRACTS / f"{name}.yaml")
    schemas = document.get("components", {}).get("schemas", {})

    def has_example(schema: dict[str, Any]) -> bool:
        ref = schema.get("$ref", "")
        target = schemas.get(ref.rsplit("/", 1)[-1], schema) if ref else schema
        if "items" in target:
            return has_example(target["items"]) or "examples" in target
        return "examples" in target or "example" in target

    for method, path, op in operations(document):
        bodies = [op.get("requestBody", {}).get("content", {}).get("application/json")]
        for status, response in op["responses"].items():
            if status.startswith("2"):
                bodies.append(response.get("content", {}).get("application/json"))
        for body in filter(None, bodies):
            assert "example" in body or has_example(body["schema"]), f"{name} {method} {path}"
