"""orders -> users and orders -> products: what pricing an order needs.

The orders service's own use case (``service.price_lines``) runs with the runtime its
composition root builds, so the calls go through its resilient clients to two Pact mock
servers. Orders only reads the status from users and the price from products; the
pacts say no more than that.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from pact import Pact, match

from harness.suites.contract import examples as ex
from harness.suites.contract.consumers import orders_runtime, principal
from harness.suites.contract.pactbook import PactRecorder
from reference_services.kit.errors import InvalidInput
from reference_services.orders import domain, service
from reference_services.orders.schemas import OrderCreate

AUTHORIZATION = f"Bearer {ex.EXAMPLE_TOKEN}"


def _placement(product_id: str) -> OrderCreate:
    return OrderCreate.model_validate(
        {"items": [{"product_id": product_id, "quantity": 2}], "payment_token": "tok_visa"}
    )


def _price(
    pacts: PactRecorder, users: Pact, products: Pact, *, user_id: str, product_id: str, tmp: Path
) -> list[domain.Line] | InvalidInput:
    """Price an order of ``product_id`` for ``user_id`` with the two pacts' mock servers:
    the lines, or the refusal the use case raised."""
    with pacts.serve(users, products) as [users_mock, products_mock]:
        runtime = orders_runtime(
            users=str(users_mock.url), products=str(products_mock.url), data_dir=tmp
        )

        async def run() -> list[domain.Line] | InvalidInput:
            try:
                return await service.price_lines(
                    runtime, principal(user_id), AUTHORIZATION, _placement(product_id)
                )
            except InvalidInput as refusal:
                return refusal
            finally:
                await runtime.stop()

        return asyncio.run(run())


def _customer_is_known(pacts: PactRecorder) -> Pact:
    pact = pacts.pact("orders", "users", story="getUser")
    (
        pact.upon_receiving("a request for the calling customer's account")
        .given(ex.CUSTOMER_EXISTS, ex.CUSTOMER)
        .with_request("GET", f"/users/{ex.CUSTOMER_ID}")
        .with_header("Authorization", ex.bearer("customerToken"))
        .will_respond_with(200)
    )
    return pact


def _product_is_known(pacts: PactRecorder) -> Pact:
    pact = pacts.pact("orders", "products", story="getProduct")
    (
        pact.upon_receiving("a request for the price of a product")
        .given(ex.PRODUCT_EXISTS, {"productId": ex.PRODUCT_ID})
        .with_request("GET", f"/products/{ex.PRODUCT_ID}")
        .will_respond_with(200)
        .with_body({"price_cents": match.int(ex.PRICE_CENTS)}, content_type=ex.JSON)
    )
    return pact


def test_an_order_is_priced_from_the_catalog(pacts: PactRecorder, tmp_path: Path) -> None:
    users, products = _customer_is_known(pacts), _product_is_known(pacts)
    priced = _price(
        pacts, users, products, user_id=ex.CUSTOMER_ID, product_id=ex.PRODUCT_ID, tmp=tmp_path
    )
    assert priced == [domain.Line(ex.PRODUCT_ID, 2, ex.PRICE_CENTS)]


def test_an_unknown_product_is_refused(pacts: PactRecorder, tmp_path: Path) -> None:
    users, products = (
        _customer_is_known(pacts),
        pacts.pact("orders", "products", story="getProduct"),
    )
    (
        products.upon_receiving("a request for the price of a product that does not exist")
        .given(ex.PRODUCT_ABSENT, {"productId": ex.MISSING_PRODUCT_ID})
        .with_request("GET", f"/products/{ex.MISSING_PRODUCT_ID}")
        .will_respond_with(404)
    )
    refused = _price(
        pacts,
        users,
        products,
        user_id=ex.CUSTOMER_ID,
        product_id=ex.MISSING_PRODUCT_ID,
        tmp=tmp_path,
    )
    assert isinstance(refused, InvalidInput)
    assert str(refused) == f"product {ex.MISSING_PRODUCT_ID} does not exist"


def test_a_customer_without_an_account_is_refused(pacts: PactRecorder, tmp_path: Path) -> None:
    users, products = pacts.pact("orders", "users", story="getUser"), _product_is_known(pacts)
    (
        users.upon_receiving("a request for the account of a customer who has none")
        .given(ex.STRANGER_SIGNED_IN, {"userId": ex.STRANGER_ID})
        .with_request("GET", f"/users/{ex.STRANGER_ID}")
        .with_header("Authorization", ex.bearer("customerToken"))
        .will_respond_with(404)
    )
    refused = _price(
        pacts, users, products, user_id=ex.STRANGER_ID, product_id=ex.PRODUCT_ID, tmp=tmp_path
    )
    assert isinstance(refused, InvalidInput)
    assert "not known to the users service" in str(refused)
