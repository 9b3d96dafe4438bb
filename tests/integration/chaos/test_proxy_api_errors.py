"""Bad input gets the real server's status and a message that says what to fix; the
server keeps serving. Also: routing misses, /metrics, and the optional bearer token."""

from __future__ import annotations

import httpx
import pytest
from toxic_peers import Echo, create_proxy, dial, recv_exactly, send

from chaos.proxy import ProxyServer
from tests.helpers import free_port

pytestmark = pytest.mark.integration


@pytest.fixture
async def db(api: httpx.AsyncClient) -> str:
    await create_proxy(api, "db", f"127.0.0.1:{free_port()}")
    return "/proxies/db/toxics"


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"{nope", 400, "bad request body: invalid JSON: "),
        (b"", 400, "bad request body: EOF"),
        (b"[]", 400, "bad request body: json: cannot unmarshal array into Go value of type"),
        (b'{"type": "bogus"}', 400, "invalid toxic type"),
        (b"{}", 400, "invalid toxic type"),
        (b'{"type": "latency", "stream": "sideways"}', 400, "stream was invalid"),
        (
            b'{"type": "latency", "attributes": {"latency": "slow"}}',
            400,
            "bad request body: json: cannot unmarshal string into Go struct field "
            "LatencyToxic.attributes.latency of type int64",
        ),
        (
            b'{"type": "latency", "attributes": {"latency": -5}}',
            400,
            "bad request body: attribute latency of a latency toxic must not be negative",
        ),
        (b'{"type": "latency", "toxicity": 2}', 400, "bad request body: toxicity must be"),
        (b'{"type": "latency", "attributes": [1]}', 400, "bad request body: json: cannot"),
    ],
)
async def test_bad_toxic_bodies_are_refused(
    api: httpx.AsyncClient, db: str, body: bytes, status: int, message: str
) -> None:
    response = await api.post(db, content=body)
    assert response.status_code == status
    assert response.json()["error"].startswith(message)
    assert response.json()["status"] == status
    assert (await api.get(db)).json() == []  # nothing was added; still serving


async def test_attributes_null_and_unknown_keys_are_accepted(
    api: httpx.AsyncClient, db: str
) -> None:
    """chaostoolkit-toxiproxy sends "attributes": null; unknown keys are ignored (as Go)."""
    toxic = (await api.post(db, json={"type": "timeout", "attributes": None})).json()
    assert toxic["attributes"] == {"timeout": 0}
    body = {"type": "latency", "attributes": {"latency": 5, "colour": "red"}}
    assert (await api.post(db, json=body)).json()["attributes"] == {"latency": 5, "jitter": 0}


async def test_bad_updates_change_nothing(api: httpx.AsyncClient, db: str) -> None:
    await api.post(db, json={"type": "latency", "attributes": {"latency": 10}})
    url = f"{db}/latency_downstream"
    bad = await api.patch(url, json={"attributes": {"jitter": -1}})
    assert bad.status_code == 400
    assert (await api.get(url)).json()["attributes"] == {"latency": 10, "jitter": 0}
    missing = await api.patch(f"{db}/nope", json={})
    assert missing.json() == {"error": "toxic not found", "status": 404}
    assert (await api.patch("/proxies/nope", json={})).status_code == 404
    assert (await api.patch("/proxies/db", content=b"{")).status_code == 400


async def test_proxy_update_to_a_taken_port_is_a_500_and_leaves_it_down(
    api: httpx.AsyncClient, db: str
) -> None:
    taken = await create_proxy(api, "other", "127.0.0.1:1")
    response = await api.patch("/proxies/db", json={"listen": f"127.0.0.1:{taken[1]}"})
    assert response.status_code == 500
    assert response.json()["error"].endswith("bind: address already in use")
    assert (await api.get("/proxies/db")).json()["enabled"] is False


async def test_routing_misses(api: httpx.AsyncClient) -> None:
    assert (await api.get("/nope")).text == "404 page not found\n"
    wrong = await api.delete("/version")
    assert (wrong.status_code, wrong.content) == (405, b"")


async def test_metrics_count_bytes_per_proxy_and_direction(
    api: httpx.AsyncClient, echo: Echo
) -> None:
    address = await create_proxy(api, "echo", echo.upstream)
    sock = await dial(address)
    with sock:
        await send(sock, b"x" * 100)
        await recv_exactly(sock, 100)
    text = (await api.get("/metrics")).text
    listen = f"{address[0]}:{address[1]}"
    for family in ("received", "sent"):
        for direction in ("upstream", "downstream"):
            labels = (
                f'direction="{direction}",listener="{listen}",proxy="echo",'
                f'upstream="{echo.upstream}"'
            )
            assert f"toxiproxy_proxy_{family}_bytes_total{{{labels}}} 100" in text


async def test_bearer_token_is_required_when_set() -> None:
    async with (
        ProxyServer(port=0, token="s3cret") as server,
        httpx.AsyncClient(base_url=server.url, trust_env=False) as client,
    ):
        refused = await client.get("/proxies")
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
        good = {"Authorization": "Bearer s3cret"}
        assert (await client.get("/proxies", headers=good)).status_code == 200
        wrong = {"Authorization": "Bearer nope"}
        assert (await client.get("/proxies", headers=wrong)).status_code == 401
