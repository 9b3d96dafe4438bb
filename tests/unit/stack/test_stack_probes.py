"""Readiness probes against real loopback sockets, and their state-file form."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harness.errors import StateError
from harness.stack.probes import HttpProbe, KafkaProbe, probe_from_dict
from harness.stack.process import tail

METRICS = {
    "/joining/metrics": b"# TYPE kafka_consumer_joined gauge\nkafka_consumer_joined 0.0\n",
    "/joined/metrics": b"outbox_backlog 0.0\nkafka_consumer_joined 1.0\n",
    "/no-consumer/metrics": b"outbox_backlog 3.0\n",
}


class Answer(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = METRICS.get(self.path, b"")
        self.send_response(200 if self.path.endswith("/ok") or body else 503)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_http_probe_wants_200(server: str) -> None:
    assert HttpProbe(server + "/ok").check().ready
    result = HttpProbe(server + "/health/ready").check()
    assert (result.ready, result.detail) == (False, "HTTP 503")


@pytest.mark.parametrize(
    ("service", "ready"), [("joining", False), ("joined", True), ("no-consumer", True)]
)
def test_a_service_is_ready_once_its_kafka_consumer_joined(
    server: str, service: str, ready: bool
) -> None:
    """/health/ready says 200 before the service's consumer group has handed it
    partitions; the stack is not ready for the saga until it has."""
    probe = HttpProbe(f"{server}/{service}/ok", metrics_url=f"{server}/{service}/metrics")
    result = probe.check()
    assert result.ready is ready
    if not ready:
        assert "consumer is still joining" in result.detail


def test_probes_report_a_closed_port(closed_port: int) -> None:
    result = HttpProbe(f"http://127.0.0.1:{closed_port}/").check()
    assert (result.ready, result.detail) == (False, "connection refused")
    assert not KafkaProbe("127.0.0.1", closed_port).check().ready


async def test_kafka_probe_works_inside_a_running_loop(closed_port: int) -> None:
    assert not KafkaProbe("127.0.0.1", closed_port).check().ready


def test_probes_round_trip_through_the_state_file_form() -> None:
    probes = (
        HttpProbe("http://127.0.0.1:1/health/ready"),
        HttpProbe("http://127.0.0.1:1/health/ready", metrics_url="http://127.0.0.1:1/metrics"),
        KafkaProbe("127.0.0.1", 2),
    )
    for probe in probes:
        assert probe_from_dict(probe.to_dict()) == probe
    with pytest.raises(StateError, match="grpc"):
        probe_from_dict({"kind": "grpc"})


def test_tail_returns_the_last_lines(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("".join(f"line {i}\n" for i in range(10_000)))
    assert tail(log, 2) == ["line 9998", "line 9999"]
    assert tail(tmp_path / "missing.log") == []
