"""gateway -> products: the catalog routes, public reads and admin writes."""

from __future__ import annotations

from pact import match

from harness.suites.contract import examples as ex
from harness.suites.contract.consumers import admin_token, through_gateway
from harness.suites.contract.pactbook import PactRecorder

NEW_PRODUCT = {
    "sku": ex.NEW_SKU,
    "name": "Tea pot",
    "description": "1 l, cast iron",
    "price_cents": 4999,
    "currency": "EUR",
}
ADMIN: dict[str, object] = {"userId": ex.ADMIN_ID, "email": "pact-admin@example.com"}
ADMIN_HEADERS = {"authorization": f"Bearer {admin_token(ex.ADMIN_ID)}"}


def test_the_catalog_is_listed_a_page_at_a_time(pacts: PactRecorder) -> None:
    pact = pacts.pact("gateway", "products", story="listProducts")
    (
        pact.upon_receiving("a request for the first page of products")
        .given(ex.PRODUCT_EXISTS, {"productId": ex.PRODUCT_ID})
        .with_request("GET", "/products")
        .with_query_parameters({"limit": "20", "offset": "0"})
        .will_respond_with(200)
        .with_body(ex.page_body(ex.product_body()), content_type=ex.JSON)
    )
    response = through_gateway(pacts, pact, "GET", "/api/products?limit=20&offset=0")
    assert response.status_code == 200, response.text
    assert response.json()["items"][0]["id"] == ex.PRODUCT_ID


def test_a_product_is_read_by_id(pacts: PactRecorder) -> None:
    pact = pacts.pact("gateway", "products", story="getProduct")
    (
        pact.upon_receiving("a request for a product")
        .given(ex.PRODUCT_EXISTS, {"productId": ex.PRODUCT_ID})
        .with_request("GET", f"/products/{ex.PRODUCT_ID}")
        .will_respond_with(200)
        .with_body(ex.product_body(), content_type=ex.JSON)
    )
    response = through_gateway(pacts, pact, "GET", f"/api/products/{ex.PRODUCT_ID}")
    assert response.status_code == 200, response.text
    assert response.json()["price_cents"] == ex.PRICE_CENTS


def test_a_missing_product_is_a_problem_404(pacts: PactRecorder) -> None:
    pact = pacts.pact("gateway", "products", story="getProduct")
    (
        pact.upon_receiving("a request for a product that does not exist")
        .given(ex.PRODUCT_ABSENT, {"productId": ex.MISSING_PRODUCT_ID})
        .with_request("GET", f"/products/{ex.MISSING_PRODUCT_ID}")
        .will_respond_with(404)
        .with_body(ex.problem_body(404), content_type=ex.PROBLEM_JSON)
    )
    response = through_gateway(pacts, pact, "GET", f"/api/products/{ex.MISSING_PRODUCT_ID}")
    assert response.status_code == 404
    assert response.headers["content-type"] == ex.PROBLEM_JSON


def test_an_admin_adds_a_product(pacts: PactRecorder) -> None:
    pact = pacts.pact("gateway", "products", story="createProduct")
    (
        pact.upon_receiving("an admin adds a product")
        .given(ex.ADMIN_SIGNED_IN, ADMIN)
        .given(ex.SKU_UNUSED, {"sku": ex.NEW_SKU})
        .with_request("POST", "/products")
        .with_header("Authorization", ex.bearer("adminToken"))
        .with_body(NEW_PRODUCT, content_type=ex.JSON)
        .will_respond_with(201)
        .with_header(
            "Location", match.regex(f"/products/{ex.PRODUCT_ID}", regex=r"^/products/\S+$")
        )
        .with_body({**ex.product_body(), "sku": ex.NEW_SKU}, content_type=ex.JSON)
    )
    response = through_gateway(
        pacts, pact, "POST", "/api/products", json=NEW_PRODUCT, headers=ADMIN_HEADERS
    )
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/api/products/{ex.PRODUCT_ID}"


def test_an_admin_changes_a_price(pacts: PactRecorder) -> None:
    pact = pacts.pact("gateway", "products", story="updateProduct")
    (
        pact.upon_receiving("an admin changes a product's price")
        .given(ex.ADMIN_SIGNED_IN, ADMIN)
        .given(ex.PRODUCT_EXISTS, {"productId": ex.PRODUCT_ID})
        .with_request("PATCH", f"/products/{ex.PRODUCT_ID}")
        .with_header("Authorization", ex.bearer("adminToken"))
        .with_body({"price_cents": 1100}, content_type=ex.JSON)
        .will_respond_with(200)
        .with_body(ex.product_body(price_cents=1100), content_type=ex.JSON)
    )
    response = through_gateway(
        pacts,
        pact,
        "PATCH",
        f"/api/products/{ex.PRODUCT_ID}",
        json={"price_cents": 1100},
        headers=ADMIN_HEADERS,
    )
    assert response.status_code == 200, response.text
