"""Listen and upstream addresses, with Go's error texts and safer defaults."""

from __future__ import annotations

import socket

import pytest

from chaos.proxy import addresses
from chaos.proxy.errors import ApiError


@pytest.mark.parametrize(
    ("text", "parts"),
    [("a:1", ("a", "1")), ("[::1]:80", ("::1", "80")), (":5", ("", "5"))],
)
def test_split_host_port(text: str, parts: tuple[str, str]) -> None:
    assert addresses.split_host_port(text) == parts


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("local373", "missing port in address"),
        ("[::1", "missing ']' in address"),
        ("a:b:c", "too many colons in address"),
    ],
)
def test_bad_addresses_get_gos_message(text: str, why: str) -> None:
    with pytest.raises(ApiError) as caught:
        addresses.split_host_port(text)
    assert (caught.value.status, caught.value.message) == (
        500,
        f"listen tcp: address {text}: {why}",
    )


async def test_empty_listen_means_loopback_on_a_free_port() -> None:
    assert await addresses.resolve_listen("") == addresses.HostPort("127.0.0.1", 0)
    assert await addresses.resolve_listen(":0") == addresses.HostPort("127.0.0.1", 0)
    assert await addresses.resolve_listen("localhost:7") == addresses.HostPort("127.0.0.1", 7)


def test_bind_reports_a_taken_port_like_go() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(ApiError) as caught:
            addresses.bind(addresses.HostPort("127.0.0.1", port))
    assert caught.value.message == f"listen tcp 127.0.0.1:{port}: bind: address already in use"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False), ("h", False)],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert addresses.is_loopback(host) is loopback
