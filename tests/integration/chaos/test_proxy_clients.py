"""The clients users already have drive chaos.proxy unchanged: toxiproxy-python (PyPI
0.1.1) and chaostoolkit-toxiproxy (0.3.1), against ``python -m chaos.proxy``."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest
import requests
from chaostoxi.proxy import actions as proxy_actions
from chaostoxi.proxy import probes as proxy_probes
from chaostoxi.toxic import actions as toxic_actions
from toxiproxy import Toxiproxy
from toxiproxy.api import APIConsumer
from toxiproxy.exceptions import NotFound, ProxyExists

from chaos.proxy import ProxyProcess
from tests.helpers import free_port

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def process() -> Iterator[ProxyProcess]:
    with ProxyProcess(port=0) as running:
        yield running


@pytest.fixture
def url(process: ProxyProcess) -> Iterator[str]:
    yield process.url
    for name in requests.get(f"{process.url}/proxies", timeout=5).json():
        requests.delete(f"{process.url}/proxies/{name}", timeout=5)


@pytest.fixture
def toxiproxy(url: str, process: ProxyProcess) -> Iterator[Toxiproxy]:
    saved = APIConsumer.host, APIConsumer.port
    server = Toxiproxy()
    server.update_api_consumer("127.0.0.1", process.api_port)
    yield server
    server.update_api_consumer(*saved)


def echo_once(listen: str) -> bytes:
    host, port = listen.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"ping")
        return recv4(sock)


def recv4(sock: socket.socket) -> bytes:
    data = b""
    while len(data) < 4 and (chunk := sock.recv(4 - len(data))):
        data += chunk
    return data


@pytest.fixture
def upstream() -> Iterator[str]:
    """A blocking one-shot echo server is enough for a client that sends one message."""
    import threading

    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.sendall(recv4(conn))

    threading.Thread(target=serve, daemon=True).start()
    yield f"127.0.0.1:{server.getsockname()[1]}"
    server.close()


def test_toxiproxy_python_manages_proxies_and_toxics(toxiproxy: Toxiproxy, upstream: str) -> None:
    assert toxiproxy.running()
    assert toxiproxy.version() == b'{"version": "2.12.0+chaos"}\n'
    proxy = toxiproxy.create(upstream=upstream, name="shop")
    assert echo_once(proxy.listen) == b"ping"
    with pytest.raises(ProxyExists):
        toxiproxy.create(upstream=upstream, name="shop")
    proxy.add_toxic(type="latency", attributes={"latency": 10})
    assert proxy.toxics()["latency_downstream"].attributes == {"latency": 10, "jitter": 0}
    proxy.destroy_toxic("latency_downstream")
    assert proxy.toxics() == {}
    with proxy.down():
        assert toxiproxy.proxies()["shop"].enabled is False
        with pytest.raises(ConnectionRefusedError):
            echo_once(proxy.listen)
    assert echo_once(proxy.listen) == b"ping"
    assert toxiproxy.reset()
    assert toxiproxy.destroy(proxy)
    with pytest.raises(NotFound):
        proxy.destroy()


def test_toxiproxy_python_populate(toxiproxy: Toxiproxy, upstream: str) -> None:
    listen = f"127.0.0.1:{free_port()}"
    created = toxiproxy.populate([{"name": "a", "upstream": upstream, "listen": listen}])
    assert [p.name for p in created] == ["a"]
    assert toxiproxy.populate([{"name": "a", "upstream": upstream, "listen": listen}]) == []
    assert toxiproxy.get_proxy("a").listen == listen
    toxiproxy.destroy_all()
    assert toxiproxy.proxies() == {}


def test_chaostoolkit_toxiproxy_actions_and_probes(
    process: ProxyProcess, url: str, upstream: str
) -> None:
    config = {"toxiproxy_host": "127.0.0.1", "toxiproxy_port": process.api_port}
    host, port = upstream.rsplit(":", 1)
    try:
        assert proxy_actions.create_proxy(
            "ckt", host, int(port), listen_host="127.0.0.1", configuration=config
        )
        listen = f"127.0.0.1:{config['ckt_PORT']}"
    finally:
        os.environ.pop("ckt_PORT", None)  # the action exports the port to the environment
    assert proxy_probes.proxy_exist("ckt", configuration=config)
    assert echo_once(listen) == b"ping"
    creators = [
        (toxic_actions.create_latency_toxic, {"latency": 5}),
        (toxic_actions.create_bandwith_degradation_toxic, {"rate": 1000}),
        (toxic_actions.create_slow_connection_close_toxic, {"delay": 5}),
        (toxic_actions.create_slicer_toxic, {"average_size": 2, "size_variation": 1, "delay": 5}),
        (toxic_actions.create_limiter_toxic, {"bytes_limit": 1000}),
    ]
    for index, (create, attributes) in enumerate(creators):
        assert create(for_proxy="ckt", toxic_name=f"t{index}", configuration=config, **attributes)
    assert echo_once(listen) == b"ping"
    assert toxic_actions.create_toxic("ckt", "raw", "timeout", configuration=config)  # null attrs
    for index in range(len(creators)):
        assert toxic_actions.delete_toxic("ckt", f"t{index}", configuration=config)
    proxy_actions.disable_proxy("ckt", configuration=config)
    assert proxy_probes.get_proxy_attribute("ckt", "enabled", configuration=config) is False
    proxy_actions.enable_proxy("ckt", configuration=config)
    proxy_actions.reset(configuration=config)
    assert echo_once(listen) == b"ping"  # reset removed the timeout toxic
    proxy_actions.delete_proxy("ckt", configuration=config)
    assert not proxy_probes.proxy_exist("ckt", configuration=config)
