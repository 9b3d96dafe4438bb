"""The provider-state relay: one state-change URL for the Pact verifier, many services.

An interaction may need data in several services (placing an order needs the customer
in users and the product in products), but the verifier calls one URL. The relay asks
every service of the target which states it declares (``GET /_test/provider-states``,
test mode only) and forwards each state change to the one service that declares it,
answering what that service answered: the values the verifier injects (a fresh token).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import httpx

from harness.errors import HarnessError

STATES_PATH = "/_test/provider-states"
TIMEOUT_S = 15.0


class StateRoutingError(HarnessError):
    """The services' declared states cannot be routed (a name declared twice)."""


@dataclass(frozen=True)
class StateCall:
    state: str
    service: str
    params: dict[str, Any]
    status: int
    answer: str


def discover_states(services: Mapping[str, str], client: httpx.Client) -> dict[str, str]:
    """state name -> the service that declares it; services without the endpoint add none."""
    owners: dict[str, str] = {}
    for name, url in sorted(services.items()):
        response = client.get(url + STATES_PATH)
        if response.status_code == 404:
            continue
        response.raise_for_status()
        for state in response.json()["states"]:
            if state in owners:
                raise StateRoutingError(
                    f"provider state {state!r} is declared by both {owners[state]} and {name}; "
                    "rename one of them so the relay knows where to send it"
                )
            owners[state] = name
    return owners


class StateRelay:
    """A local HTTP server (a thread) for the duration of a ``with`` block."""

    def __init__(self, services: Mapping[str, str], *, client: httpx.Client | None = None) -> None:
        self.services = dict(services)
        self.client = client or httpx.Client(timeout=TIMEOUT_S)
        self.owners = discover_states(self.services, self.client)
        self.calls: list[StateCall] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the relay serves only inside its with block")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def __enter__(self) -> StateRelay:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        self.client.close()

    def calls_since(self, start: int) -> list[StateCall]:
        with self._lock:
            return self.calls[start:]

    def change(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Forward one state change; returns the status and JSON to answer the verifier."""
        state = str(body.get("state", ""))
        if body.get("action") == "teardown":
            return 200, {}
        owner = self.owners.get(state)
        if owner is None:
            known = ", ".join(sorted(self.owners)) or "none (is the target in test mode?)"
            return 404, {"detail": f"no service declares provider state {state!r}; known: {known}"}
        response = self.client.post(self.services[owner] + STATES_PATH, json=body)
        self._record(
            StateCall(state, owner, body.get("params") or {}, response.status_code, response.text)
        )
        answer = response.json() if response.content else {}
        return response.status_code, answer if isinstance(answer, dict) else {}

    def _record(self, call: StateCall) -> None:
        with self._lock:
            self.calls.append(call)


def _handler_for(relay: StateRelay) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                status, answer = relay.change(json.loads(self.rfile.read(length) or b"{}"))
            except (httpx.HTTPError, ValueError) as exc:
                status, answer = 502, {"detail": f"state change failed: {exc!r}"}
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the relay's calls are recorded and attached to the report instead."""

    return Handler
