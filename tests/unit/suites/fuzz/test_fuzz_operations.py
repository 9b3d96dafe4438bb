"""Every operation is selected, test-only paths are not, and each runs as the right role."""

from __future__ import annotations

from typing import Any

from harness.suites.fuzz.operations import (
    FuzzOperation,
    Role,
    fuzzed_operations,
    has_links,
    is_test_only,
    role_of,
    service_of_item,
    without_test_only,
)
from harness.suites.fuzz.schemas import Contract, operation_index
from harness.target import default_contracts

BEARER = [{"bearerAuth": []}]
DOCUMENT: dict[str, Any] = {
    "paths": {
        "/health": {"get": {"operationId": "getHealth", "responses": {"200": {}}}},
        "/products": {
            "get": {"operationId": "listProducts", "responses": {"200": {}}},
            "post": {
                "operationId": "createProduct",
                "security": BEARER,
                "responses": {"201": {}, "401": {}, "403": {}},
            },
        },
        "/orders/{order_id}": {
            "get": {"security": BEARER, "responses": {"200": {}, "404": {}}},
            "parameters": [{"name": "order_id", "in": "path"}],
        },
        "/_test/provider-states": {"post": {"operationId": "setState", "responses": {}}},
    }
}


def test_every_operation_but_the_test_only_ones_with_its_role() -> None:
    assert fuzzed_operations("shop", DOCUMENT) == [
        FuzzOperation("shop", "GET", "/health", "getHealth", Role.ANONYMOUS),
        FuzzOperation("shop", "GET", "/products", "listProducts", Role.ANONYMOUS),
        FuzzOperation("shop", "POST", "/products", "createProduct", Role.ADMIN),
        FuzzOperation("shop", "GET", "/orders/{order_id}", "GET /orders/{order_id}", Role.CUSTOMER),
    ]


def test_the_label_is_what_schemathesis_calls_the_operation() -> None:
    assert fuzzed_operations("shop", DOCUMENT)[3].label == "GET /orders/{order_id}"


def test_test_only_paths_are_those_under_slash_test() -> None:
    assert is_test_only("/_test") and is_test_only("/_test/provider-states")
    assert not is_test_only("/_testing") and not is_test_only("/tests")
    assert list(without_test_only(DOCUMENT)["paths"]) == [
        "/health",
        "/products",
        "/orders/{order_id}",
    ]
    assert "/_test/provider-states" in DOCUMENT["paths"]  # the input is left alone


def test_optional_or_document_wide_security_decides_the_role() -> None:
    optional = {"security": [{}, {"bearerAuth": []}], "responses": {}}
    assert role_of(optional, {}) is Role.ANONYMOUS
    assert role_of({"responses": {"200": {}}}, {"security": BEARER}) is Role.CUSTOMER
    assert role_of({"security": [], "responses": {}}, {"security": BEARER}) is Role.ANONYMOUS


def test_the_reference_contracts_admin_operations_are_the_ones_their_summary_says() -> None:
    openapi = default_contracts().openapi
    for path in sorted(openapi.glob("*.yaml")):
        for operation in operation_index(Contract(path.stem, "http://x", path)).values():
            summary_says_admin = operation.operation_id in {
                "createProduct",
                "updateProduct",
                "restockProduct",
            }
            assert (operation.role is Role.ADMIN) == summary_says_admin, operation


def test_the_service_is_read_from_a_schemathesis_test_name() -> None:
    name = "test_operation[users][GET /users/{user_id}]"
    assert service_of_item(name, "test_operation") == "users"
    assert service_of_item("test_operation", "test_operation") is None
    assert service_of_item("test_links[users]", "test_links") is None


def test_a_contract_has_links_when_a_response_links_an_operation() -> None:
    assert not has_links(DOCUMENT)
    linked = {
        "paths": {
            "/products": {
                "post": {"responses": {"201": {"links": {"Read": {"operationId": "getProduct"}}}}}
            }
        }
    }
    assert has_links(linked)
    assert not has_links({"paths": {"/_test/x": linked["paths"]["/products"]}})
