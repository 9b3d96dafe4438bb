"""``python -m chaos.proxy`` / ``harness proxy``: flags, --config, safe defaults, errors."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from chaos.proxy import ApiError, ProxyError, ProxyProcess, ProxyThread
from tests.helpers import free_port

pytestmark = pytest.mark.integration


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "chaos.proxy", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


def test_config_file_creates_the_proxies(tmp_path: Path) -> None:
    listen = f"127.0.0.1:{free_port()}"
    config = tmp_path / "links.json"
    links = [
        {"name": "a", "listen": listen, "upstream": "127.0.0.1:1"},
        {"name": "b", "listen": "", "upstream": "127.0.0.1:2", "enabled": False},
    ]
    config.write_text(json.dumps(links))
    with ProxyProcess(port=0, config=config) as process:
        assert process.ready["version"] == "2.12.0+chaos"
        proxies = httpx.get(f"{process.url}/proxies", trust_env=False).json()
    assert proxies["a"]["listen"] == listen
    assert proxies["a"]["enabled"] is True
    assert proxies["b"]["enabled"] is False
    assert process.stop() is None  # already stopped by the with block


def test_a_term_signal_stops_it_cleanly() -> None:
    process = ProxyProcess(port=0).start()
    assert process.stop() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{]", "bad request body: invalid JSON"),
        ('[{"name": "x"}]', "missing required field: upstream at proxy 1"),
        ('{"name": "x"}', "cannot unmarshal object into Go value of type []toxiproxy.Proxy"),
    ],
)
def test_a_bad_config_file_is_refused_with_the_reason(
    tmp_path: Path, content: str, message: str
) -> None:
    config = tmp_path / "bad.json"
    config.write_text(content)
    result = run_cli("--port", "0", "--config", str(config))
    assert result.returncode == 2
    assert str(config) in result.stderr
    assert message in result.stderr


def test_a_config_entry_that_cannot_listen_names_the_proxy(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        config = tmp_path / "links.json"
        config.write_text(
            json.dumps([{"name": "db", "listen": f"127.0.0.1:{port}", "upstream": "x:1"}])
        )
        result = run_cli("--port", "0", "--config", str(config))
    assert result.returncode == 2
    assert "proxy 'db'" in result.stderr
    assert "address already in use" in result.stderr


def test_a_taken_api_port_is_a_clear_error() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        result = run_cli("--port", str(taken.getsockname()[1]))
    assert result.returncode == 2
    assert "cannot serve the API on 127.0.0.1:" in result.stderr


def test_a_remote_api_address_needs_an_explicit_flag() -> None:
    result = run_cli("--host", "0.0.0.0", "--port", "0")
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr


def test_a_process_that_cannot_start_says_why() -> None:
    with (
        socket.create_server(("127.0.0.1", 0)) as taken,
        pytest.raises(ProxyError, match="cannot serve the API"),
    ):
        ProxyProcess(port=taken.getsockname()[1]).start()


def test_defaults_are_loopback_8474() -> None:
    from chaos.proxy.cli import build_parser

    args = build_parser().parse_args([])
    assert (args.host, args.port) == ("127.0.0.1", 8474)


def test_proxy_thread_serves_synchronous_callers() -> None:
    links = [{"name": "a", "listen": "", "upstream": "127.0.0.1:1"}]
    with ProxyThread(port=0, config=links) as proxy:
        url = proxy.url
        proxies = httpx.get(f"{url}/proxies", trust_env=False).json()
        assert proxies["a"]["listen"].startswith("127.0.0.1:")
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/proxies", trust_env=False)


def test_proxy_thread_start_raises_what_went_wrong() -> None:
    with pytest.raises(ApiError, match="missing required field: upstream at proxy 1"):
        ProxyThread(port=0, config=[{"name": "a"}]).start()
