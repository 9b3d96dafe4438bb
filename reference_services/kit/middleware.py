"""Pure ASGI middleware: request id, trace context, body size limit, metrics, access log.

Written against ASGI directly (not BaseHTTPMiddleware) because it runs on every request
and the wrapper's cost shows in throughput.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_services.kit.context import (
    clean_request_id,
    new_trace,
    parse_traceparent,
    request_id_var,
    trace_var,
)
from reference_services.kit.errors import PROBLEM_JSON, problem
from reference_services.kit.logs import lean_record
from reference_services.kit.metrics import ServiceMetrics

log = logging.getLogger("access")
MAX_BODY_BYTES = 1_048_576
QUIET_PREFIXES = ("/health", "/metrics")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _wanted_headers(scope["headers"])
        request_id = clean_request_id(headers.get(b"x-request-id"))
        trace = parse_traceparent(headers.get(b"traceparent")) or new_trace()
        rid_token, trace_token = request_id_var.set(request_id), trace_var.set(trace)
        started = time.perf_counter()
        status = 500

        async def send_with_context(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                    (b"traceparent", trace.traceparent.encode()),
                ]
            await send(message)

        try:
            length = headers.get(b"content-length", "0")
            if not length.isdigit() or int(length) > MAX_BODY_BYTES:
                await _too_large(send_with_context, length)
                return
            await self.app(scope, _limited(receive), send_with_context)
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.observe_request(scope["method"], _route_template(scope), status, elapsed)
            level = _access_level(scope["path"], status)
            if log.isEnabledFor(level):
                _access_log(level, scope, status, elapsed)
            request_id_var.reset(rid_token)
            trace_var.reset(trace_token)


_WANTED = frozenset({b"x-request-id", b"traceparent", b"content-length"})


def _wanted_headers(raw: list[tuple[bytes, bytes]]) -> dict[bytes, str]:
    """The few request headers the middleware reads (ASGI names are lower-case bytes)."""
    return {k: v.decode("latin-1") for k, v in raw if k in _WANTED}


def _access_level(path: str, status: int) -> int:
    """Failures stand out; probes polled every few hundred ms stay out of the INFO log."""
    if status >= 500:
        return logging.WARNING
    if path.startswith(QUIET_PREFIXES):
        return logging.DEBUG
    return logging.INFO


def _access_log(level: int, scope: Scope, status: int, elapsed: float) -> None:
    """One access record, made lean: ``Logger.log`` would also look up the caller's frame
    and the thread and process names, which the JSON lines never show."""
    fields = {
        "method": scope["method"],
        "path": scope["path"],
        "status": status,
        "ms": round(elapsed * 1000, 2),
    }
    log.handle(lean_record(log.name, level, "request", fields))


def _route_template(scope: Scope) -> str:
    """The matched route's path template, so metrics do not explode per id."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "<unmatched>"


def _limited(receive: Receive) -> Receive:
    received = 0

    async def wrapped() -> Message:
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > MAX_BODY_BYTES:
            raise BodyTooLarge
        return message

    return wrapped


class BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, length: Any) -> None:
    body = problem(
        status=413,
        title="Content Too Large",
        detail=f"request body must be at most {MAX_BODY_BYTES} bytes "
        f"(Content-Length: {length!s:.40})",
    )
    raw = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(raw)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})
