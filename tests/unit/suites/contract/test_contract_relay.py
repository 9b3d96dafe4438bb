"""The state relay sends each provider state to the one service that declares it."""

from __future__ import annotations

import json

import httpx
import pytest

from harness.suites.contract.relay import StateRelay, StateRoutingError

SERVICES = {"users": "http://users", "products": "http://products", "gateway": "http://gateway"}
DECLARED = {"users": ["a customer exists"], "products": ["a product exists"]}


def fake_services(declared: dict[str, list[str]]) -> httpx.Client:
    def answer(request: httpx.Request) -> httpx.Response:
        service = request.url.host
        if service not in declared:
            return httpx.Response(404)
        if request.method == "GET":
            return httpx.Response(200, json={"states": declared[service]})
        body = json.loads(request.content)
        return httpx.Response(200, json={"answeredBy": service, "state": body["state"]})

    return httpx.Client(transport=httpx.MockTransport(answer))


def test_a_state_goes_to_its_service_and_its_answer_comes_back() -> None:
    with StateRelay(SERVICES, client=fake_services(DECLARED)) as relay:
        sent = {"state": "a product exists", "params": {"productId": "p"}, "action": "setup"}
        response = httpx.post(relay.url, json=sent, timeout=5)
    assert (response.status_code, response.json()["answeredBy"]) == (200, "products")
    assert [(c.state, c.service, c.params) for c in relay.calls] == [
        ("a product exists", "products", {"productId": "p"})
    ]


def test_an_unknown_state_is_refused_with_the_known_ones() -> None:
    relay = StateRelay(SERVICES, client=fake_services(DECLARED))
    status, answer = relay.change({"state": "a unicorn exists"})
    assert status == 404
    assert "a customer exists, a product exists" in answer["detail"]


def test_a_teardown_changes_nothing() -> None:
    relay = StateRelay(SERVICES, client=fake_services(DECLARED))
    assert relay.change({"state": "a product exists", "action": "teardown"}) == (200, {})
    assert relay.calls == []


def test_a_state_declared_twice_cannot_be_routed() -> None:
    twice = {**DECLARED, "gateway": ["a customer exists"]}
    with pytest.raises(StateRoutingError, match="both gateway and users"):
        StateRelay(SERVICES, client=fake_services(twice))
