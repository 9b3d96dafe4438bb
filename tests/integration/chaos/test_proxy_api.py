"""The real Toxiproxy's API tests (api_test.go), rewritten against chaos.proxy.

Each test keeps the name of the Go test it mirrors in its docstring where they differ.
Statuses, bodies and messages are the real server's; ports are free ones, not 7070.
"""

from __future__ import annotations

import socket

import httpx
import pytest
from toxic_peers import split

from tests.helpers import free_port

pytestmark = pytest.mark.integration


def addr(port: int) -> str:
    return f"localhost:{port}"


def is_up(listen: str) -> bool:
    """AssertProxyUp: can a client connect to ``listen``?"""
    with socket.socket() as sock:
        return sock.connect_ex(split(listen.replace("localhost", "127.0.0.1"))) == 0


async def create(api: httpx.AsyncClient, name: str, listen: str, upstream: str = "") -> dict:
    body = {"name": name, "listen": listen, "upstream": upstream or addr(free_port())}
    response = await api.post("/proxies", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def error(response: httpx.Response, status: int, message: str) -> None:
    assert response.status_code == status
    assert response.json() == {"error": message, "status": status}


async def test_request_id(api: httpx.AsyncClient) -> None:
    response = await api.get("/version", headers={"User-Agent": "curl"})
    assert len(response.headers["X-Toxiproxy-Request-Id"]) == 20


async def test_browser_gets_403(api: httpx.AsyncClient) -> None:
    agent = "Mozilla/5.0 (Linux; Android 4.4.2); Nexus 5 Build/KOT49H) AppleWebKit/537.36"
    response = await api.get("/proxies", headers={"User-Agent": agent})
    assert response.status_code == 403
    assert response.text == "User agent not allowed\n"


async def test_non_browser_gets_200(api: httpx.AsyncClient) -> None:
    assert (await api.get("/proxies", headers={"User-Agent": "Wget/2.1"})).status_code == 200


async def test_index_with_no_proxies(api: httpx.AsyncClient) -> None:
    response = await api.get("/proxies")
    assert response.json() == {}
    assert response.headers["Content-Type"] == "application/json"


async def test_create_proxy_blank_name(api: httpx.AsyncClient) -> None:
    response = await api.post("/proxies", json={"name": "", "listen": "", "upstream": ""})
    error(response, 400, "missing required field: name")


async def test_create_proxy_blank_upstream(api: httpx.AsyncClient) -> None:
    response = await api.post("/proxies", json={"name": "test", "listen": "", "upstream": ""})
    error(response, 400, "missing required field: upstream")


async def test_populate_proxy(api: httpx.AsyncClient) -> None:
    one, two = free_port(), free_port()
    body = [
        {"name": "one", "listen": addr(one), "upstream": addr(free_port()), "enabled": True},
        {"name": "two", "listen": addr(two), "upstream": addr(free_port()), "enabled": True},
    ]
    response = await api.post("/populate", json=body)
    assert response.status_code == 201
    proxies = response.json()["proxies"]
    assert [p["name"] for p in proxies] == ["one", "two"]
    assert [p["listen"] for p in proxies] == [f"127.0.0.1:{one}", f"127.0.0.1:{two}"]
    assert all(is_up(p["listen"]) for p in proxies)


async def test_populate_default_enabled(api: httpx.AsyncClient) -> None:
    body = [{"name": "test", "listen": addr(free_port()), "upstream": addr(free_port())}]
    assert (await api.post("/populate", json=body)).status_code == 201
    proxies = (await api.get("/proxies")).json()
    assert list(proxies) == ["test"]
    assert proxies["test"]["enabled"] is True
    assert is_up(proxies["test"]["listen"])


async def test_populate_disabled_proxy(api: httpx.AsyncClient) -> None:
    one, two = addr(free_port()), addr(free_port())
    body = [
        {"name": "one", "listen": one, "upstream": addr(free_port()), "enabled": False},
        {"name": "two", "listen": two, "upstream": addr(free_port()), "enabled": True},
    ]
    proxies = (await api.post("/populate", json=body)).json()["proxies"]
    assert [p["name"] for p in proxies] == ["one", "two"]
    assert not is_up(one)
    assert is_up(two)


async def test_populate_existing_proxy_keeps_it_and_its_toxics(api: httpx.AsyncClient) -> None:
    one_port, one_up = free_port(), addr(free_port())
    await create(api, "one", addr(one_port), one_up)
    await create(api, "two", addr(free_port()))
    await api.post("/proxies/one/toxics", json={"type": "latency"})
    new_two = free_port()
    body = [
        {"name": "one", "listen": addr(one_port), "upstream": one_up},  # resolves the same
        {"name": "two", "listen": f"127.0.0.1:{new_two}", "upstream": addr(free_port())},
    ]
    proxies = (await api.post("/populate", json=body)).json()["proxies"]
    assert [p["listen"] for p in proxies] == [f"127.0.0.1:{one_port}", f"127.0.0.1:{new_two}"]
    toxics = (await api.get("/proxies/one/toxics")).json()
    assert [t["type"] for t in toxics] == ["latency"]
    assert all(is_up(p["listen"]) for p in proxies)


async def test_populate_with_bad_name_creates_nothing(api: httpx.AsyncClient) -> None:
    body = [
        {"name": "one", "listen": addr(free_port()), "upstream": addr(free_port())},
        {"name": "", "listen": "", "enabled": True},
    ]
    response = await api.post("/populate", json=body)
    assert response.status_code == 400
    assert response.json() == {
        "error": "missing required field: name at proxy 2",
        "status": 400,
        "proxies": None,
    }
    assert (await api.get("/proxies")).json() == {}


async def test_populate_with_bad_data_keeps_the_proxies_before_it(
    api: httpx.AsyncClient,
) -> None:
    body = [
        {"name": "one", "listen": addr(free_port()), "upstream": addr(free_port())},
        {"name": "two", "listen": "local373", "upstream": addr(free_port())},
        {"name": "three", "listen": addr(free_port()), "upstream": addr(free_port())},
    ]
    response = await api.post("/populate", json=body)
    assert response.status_code == 500
    reply = response.json()
    assert reply["error"] == "listen tcp: address local373: missing port in address"
    assert [p["name"] for p in reply["proxies"]] == ["one"]
    assert list((await api.get("/proxies")).json()) == ["one"]


async def test_populate_then_add_toxic(api: httpx.AsyncClient) -> None:
    body = [{"name": "one", "listen": addr(free_port()), "upstream": addr(free_port())}]
    await api.post("/populate", json=body)
    assert (await api.post("/proxies/one/toxics", json={"type": "latency"})).status_code == 200


async def test_listing_and_getting_proxies(api: httpx.AsyncClient) -> None:
    port, upstream = free_port(), addr(free_port())
    await create(api, "mysql_master", addr(port), upstream)
    expected = {
        "name": "mysql_master",
        "listen": f"127.0.0.1:{port}",
        "upstream": upstream,
        "enabled": True,
        "toxics": [],
    }
    assert (await api.get("/proxies")).json() == {"mysql_master": expected}
    assert (await api.get("/proxies/mysql_master")).json() == expected
    assert list(expected) == list((await api.get("/proxies/mysql_master")).json())


async def test_create_disabled_proxy_and_enable(api: httpx.AsyncClient) -> None:
    listen = addr(free_port())
    body = {"name": "db", "listen": listen, "upstream": addr(free_port()), "enabled": False}
    created = (await api.post("/proxies", json=body)).json()
    assert created["listen"] == listen  # not bound yet: shown as given
    assert created["enabled"] is False
    assert not is_up(listen)
    assert (await api.post("/proxies/db", json={"enabled": True})).json()["enabled"] is True
    assert is_up(listen)
    assert (await api.patch("/proxies/db", json={"enabled": False})).json()["enabled"] is False
    assert not is_up(listen)


async def test_delete_proxy(api: httpx.AsyncClient) -> None:
    proxy = await create(api, "mysql_master", addr(free_port()))
    assert is_up(proxy["listen"])
    response = await api.delete("/proxies/mysql_master")
    assert response.status_code == 204
    assert response.content == b""
    assert not is_up(proxy["listen"])
    assert (await api.get("/proxies")).json() == {}
    error(await api.delete("/proxies/mysql_master"), 404, "proxy not found")


async def test_create_proxy_port_conflict(api: httpx.AsyncClient) -> None:
    port = free_port()
    await create(api, "mysql_master", addr(port))
    response = await api.post(
        "/proxies", json={"name": "test", "listen": addr(port), "upstream": addr(free_port())}
    )
    error(response, 500, f"listen tcp 127.0.0.1:{port}: bind: address already in use")
    assert (await api.delete("/proxies/mysql_master")).status_code == 204
    await create(api, "test", addr(port))


async def test_create_proxy_name_conflict(api: httpx.AsyncClient) -> None:
    await create(api, "mysql_master", addr(free_port()))
    response = await api.post(
        "/proxies", json={"name": "mysql_master", "listen": "", "upstream": "localhost:1"}
    )
    error(response, 409, "proxy already exists")


async def test_reset_state(api: httpx.AsyncClient) -> None:
    proxy = await create(api, "mysql_master", addr(free_port()))
    body = {"type": "latency", "attributes": {"latency": 100, "jitter": 10}}
    toxic = (await api.post("/proxies/mysql_master/toxics", json=body)).json()
    assert toxic["attributes"] == {"latency": 100, "jitter": 10}
    await api.patch("/proxies/mysql_master", json={"enabled": False})
    response = await api.post("/reset")
    assert (response.status_code, response.content) == (204, b"")
    shown = (await api.get("/proxies/mysql_master")).json()
    assert shown["enabled"] is True
    assert shown["toxics"] == []
    assert is_up(proxy["listen"])


async def test_add_toxic_and_read_it_back(api: httpx.AsyncClient) -> None:
    await create(api, "db", addr(free_port()))
    assert (await api.get("/proxies/db/toxics")).json() == []
    body = {"name": "foobar", "type": "latency", "attributes": {"latency": 100, "jitter": 10}}
    response = await api.post("/proxies/db/toxics", json=body)
    assert response.status_code == 200  # not 201, as the real server
    expected = {
        "attributes": {"latency": 100, "jitter": 10},
        "name": "foobar",
        "type": "latency",
        "stream": "downstream",
        "toxicity": 1,
    }
    assert response.json() == expected
    assert response.content.startswith(b'{"attributes":{"latency":100,"jitter":10},"name"')
    assert (await api.get("/proxies/db/toxics")).json() == [expected]
    assert (await api.get("/proxies/db/toxics/foobar")).json() == expected


async def test_add_multiple_toxics_lists_upstream_first(api: httpx.AsyncClient) -> None:
    await create(api, "db", addr(free_port()))
    for name, stream in (("latency1", "downstream"), ("latency2", "upstream")):
        body = {"name": name, "type": "latency", "stream": stream}
        assert (await api.post("/proxies/db/toxics", json=body)).status_code == 200
    toxics = (await api.get("/proxies/db/toxics")).json()
    assert [(t["name"], t["stream"]) for t in toxics] == [
        ("latency2", "upstream"),
        ("latency1", "downstream"),
    ]
    assert toxics[1]["attributes"] == {"latency": 0, "jitter": 0}


@pytest.mark.parametrize("second_stream", ["downstream", "upstream"])
async def test_add_conflicting_toxic(api: httpx.AsyncClient, second_stream: str) -> None:
    """TestAddConflictingToxic and ...Multistream: names are unique across streams."""
    await create(api, "db", addr(free_port()))
    await api.post("/proxies/db/toxics", json={"name": "foobar", "type": "latency"})
    body = {"name": "foobar", "type": "slow_close", "stream": second_stream}
    error(await api.post("/proxies/db/toxics", json=body), 409, "toxic already exists")
    toxics = (await api.get("/proxies/db/toxics")).json()
    assert [(t["name"], t["type"]) for t in toxics] == [("foobar", "latency")]


async def test_default_names_per_stream(api: httpx.AsyncClient) -> None:
    await create(api, "db", addr(free_port()))
    for stream in ("upstream", "downstream"):
        body = {"type": "latency", "stream": stream}
        assert (await api.post("/proxies/db/toxics", json=body)).status_code == 200
    names = [t["name"] for t in (await api.get("/proxies/db/toxics")).json()]
    assert names == ["latency_upstream", "latency_downstream"]


async def test_add_toxic_with_toxicity(api: httpx.AsyncClient) -> None:
    await create(api, "db", addr(free_port()))
    body = {"type": "latency", "toxicity": 0.2, "attributes": {"latency": 100, "jitter": 10}}
    toxic = (await api.post("/proxies/db/toxics", json=body)).json()
    assert toxic["toxicity"] == 0.2
    assert (await api.get("/proxies/db/toxics/latency_downstream")).json()["toxicity"] == 0.2


async def test_add_noop(api: httpx.AsyncClient) -> None:
    await create(api, "db", addr(free_port()))
    body = {"name": "foobar", "type": "noop"}  # the Go client leaves an empty stream out
    toxic = (await api.post("/proxies/db/toxics", json=body)).json()
    assert (toxic["type"], toxic["stream"], toxic["toxicity"]) == ("noop", "downstream", 1)


async def test_update_toxic_merges_attributes(api: httpx.AsyncClient) -> None:
    await create(api, "db", addr(free_port()))
    body = {"type": "latency", "attributes": {"latency": 100, "jitter": 10}}
    await api.post("/proxies/db/toxics", json=body)
    url = "/proxies/db/toxics/latency_downstream"
    first = await api.patch(url, json={"toxicity": 0.5, "attributes": {"latency": 1000}})
    assert first.status_code == 200
    assert (first.json()["attributes"], first.json()["toxicity"]) == (
        {"latency": 1000, "jitter": 10},
        0.5,
    )
    second = (await api.post(url, json={"attributes": {"latency": 500}})).json()
    assert (second["attributes"], second["toxicity"]) == ({"latency": 500, "jitter": 10}, 0.5)
    assert (await api.get(url)).json() == second


async def test_remove_toxic(api: httpx.AsyncClient) -> None:
    await create(api, "db", addr(free_port()))
    await api.post("/proxies/db/toxics", json={"type": "latency"})
    response = await api.delete("/proxies/db/toxics/latency_downstream")
    assert (response.status_code, response.content) == (204, b"")
    assert (await api.get("/proxies/db/toxics")).json() == []
    error(await api.delete("/proxies/db/toxics/latency_downstream"), 404, "toxic not found")


async def test_version_body_is_exact(api: httpx.AsyncClient) -> None:
    response = await api.get("/version")
    assert response.content == b'{"version": "2.12.0+chaos"}\n'
    assert response.headers["Content-Type"] == "application/json;charset=utf-8"


async def test_invalid_stream(api: httpx.AsyncClient) -> None:
    await create(api, "db", addr(free_port()))
    body = {"type": "latency", "stream": "walrustream"}
    response = await api.post("/proxies/db/toxics", json=body)
    error(response, 400, "stream was invalid, can be either upstream or downstream")
