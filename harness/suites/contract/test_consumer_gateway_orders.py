"""gateway -> orders: placing (and replaying) orders, and reading your own."""

from __future__ import annotations

from pact import match

from harness.suites.contract import examples as ex
from harness.suites.contract.consumers import customer_token, through_gateway
from harness.suites.contract.pactbook import PactRecorder

PLACEMENT = {"items": [{"product_id": ex.PRODUCT_ID, "quantity": 2}], "payment_token": "tok_visa"}
REPLAY_KEY = "pact-replayed-order"
HEADERS = {"authorization": f"Bearer {customer_token(ex.CUSTOMER_ID)}"}
ORDER_LOCATION = match.regex(f"/orders/{ex.ORDER_ID}", regex=r"^/orders/\S+$")
HAS_ORDER: dict[str, object] = {
    "orderId": ex.ORDER_ID,
    "userId": ex.CUSTOMER_ID,
    "productId": ex.PRODUCT_ID,
}


def test_a_customer_places_an_order(pacts: PactRecorder) -> None:
    pact = pacts.pact("gateway", "orders", story="createOrder")
    (
        pact.upon_receiving("a customer places an order")
        .given(ex.CUSTOMER_EXISTS, ex.CUSTOMER)
        .given(ex.PRODUCT_EXISTS, {"productId": ex.PRODUCT_ID})
        .with_request("POST", "/orders")
        .with_header("Authorization", ex.bearer("customerToken"))
        .with_body(PLACEMENT, content_type=ex.JSON)
        .will_respond_with(201)
        .with_header("Location", ORDER_LOCATION)
        .with_body(ex.order_body(), content_type=ex.JSON)
    )
    response = through_gateway(pacts, pact, "POST", "/api/orders", json=PLACEMENT, headers=HEADERS)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/api/orders/{ex.ORDER_ID}"


def test_a_replayed_placement_answers_the_first_order(pacts: PactRecorder) -> None:
    pact = pacts.pact("gateway", "orders", story="createOrder")
    (
        pact.upon_receiving("a customer repeats an order placement with its key")
        .given(ex.CUSTOMER_EXISTS, ex.CUSTOMER)
        .given(ex.CUSTOMER_HAS_ORDER, {**HAS_ORDER, "idempotencyKey": REPLAY_KEY})
        .with_request("POST", "/orders")
        .with_header("Authorization", ex.bearer("customerToken"))
        .with_header("Idempotency-Key", REPLAY_KEY)
        .with_body(PLACEMENT, content_type=ex.JSON)
        .will_respond_with(200)
        .with_header("Idempotent-Replayed", "true")
        .with_body(ex.order_body(), content_type=ex.JSON)
    )
    headers = {**HEADERS, "idempotency-key": REPLAY_KEY}
    response = through_gateway(pacts, pact, "POST", "/api/orders", json=PLACEMENT, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["idempotent-replayed"] == "true"


def test_a_customer_lists_their_orders(pacts: PactRecorder) -> None:
    pact = pacts.pact("gateway", "orders", story="listOrders")
    (
        pact.upon_receiving("a request for the customer's orders")
        .given(ex.CUSTOMER_EXISTS, ex.CUSTOMER)
        .given(ex.CUSTOMER_HAS_ORDER, HAS_ORDER)
        .with_request("GET", "/orders")
        .with_query_parameters({"limit": "20", "offset": "0"})
        .with_header("Authorization", ex.bearer("customerToken"))
        .will_respond_with(200)
        .with_body(ex.page_body(ex.order_body()), content_type=ex.JSON)
    )
    response = through_gateway(pacts, pact, "GET", "/api/orders?limit=20&offset=0", headers=HEADERS)
    assert response.status_code == 200, response.text
    assert response.json()["items"][0]["id"] == ex.ORDER_ID


def test_a_customer_reads_one_order(pacts: PactRecorder) -> None:
    pact = pacts.pact("gateway", "orders", story="getOrder")
    (
        pact.upon_receiving("a request for one of the customer's orders")
        .given(ex.CUSTOMER_EXISTS, ex.CUSTOMER)
        .given(ex.CUSTOMER_HAS_ORDER, HAS_ORDER)
        .with_request("GET", f"/orders/{ex.ORDER_ID}")
        .with_header("Authorization", ex.bearer("customerToken"))
        .will_respond_with(200)
        .with_body(ex.order_body(), content_type=ex.JSON)
    )
    response = through_gateway(pacts, pact, "GET", f"/api/orders/{ex.ORDER_ID}", headers=HEADERS)
    assert response.status_code == 200, response.text


def test_an_unknown_order_is_a_problem_404(pacts: PactRecorder) -> None:
    pact = pacts.pact("gateway", "orders", story="getOrder")
    (
        pact.upon_receiving("a request for an order that does not exist")
        .given(ex.CUSTOMER_EXISTS, ex.CUSTOMER)
        .with_request("GET", f"/orders/{ex.MISSING_ORDER_ID}")
        .with_header("Authorization", ex.bearer("customerToken"))
        .will_respond_with(404)
        .with_body(ex.problem_body(404), content_type=ex.PROBLEM_JSON)
    )
    response = through_gateway(
        pacts, pact, "GET", f"/api/orders/{ex.MISSING_ORDER_ID}", headers=HEADERS
    )
    assert response.status_code == 404
