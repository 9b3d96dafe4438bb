"""Request-scoped context (request id, W3C trace context) carried across HTTP and Kafka."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from random import getrandbits

REQUEST_ID_HEADER = "x-request-id"
TRACEPARENT_HEADER = "traceparent"
_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def random_hex(bits: int) -> str:
    """A random, never all-zero hex id of ``bits`` bits: ids for correlation, not keys,
    so the process's PRNG is enough (and cheaper than a urandom syscall per request)."""
    value = getrandbits(bits) or 1
    return f"{value:0{bits // 4}x}"


@dataclass(frozen=True)
class TraceContext:
    trace_id: str
    span_id: str
    flags: str = "01"

    @property
    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-{self.flags}"

    def child(self) -> TraceContext:
        """A new span in the same trace (for an outgoing call or a published event)."""
        return TraceContext(self.trace_id, random_hex(64), self.flags)


def new_trace() -> TraceContext:
    return TraceContext(random_hex(128), random_hex(64))


def parse_traceparent(value: str | None) -> TraceContext | None:
    """Parse a W3C traceparent; anything malformed starts a new trace instead."""
    if not value:
        return None
    match = _TRACEPARENT.match(value.strip().lower())
    if not match or match.group(1) == "0" * 32 or match.group(2) == "0" * 16:
        return None
    return TraceContext(match.group(1), match.group(2), match.group(3))


def clean_request_id(value: str | None) -> str:
    """Accept a caller's request id only if it is short and harmless to log."""
    if value and _SAFE_REQUEST_ID.match(value):
        return value
    return random_hex(96)


request_id_var: ContextVar[str] = ContextVar("request_id", default="")
trace_var: ContextVar[TraceContext | None] = ContextVar("trace", default=None)


@contextmanager
def traced(traceparent: str | None) -> Iterator[None]:
    """Run the block inside the trace ``traceparent`` names (as it is, when None)."""
    token = trace_var.set(parse_traceparent(traceparent)) if traceparent else None
    try:
        yield
    finally:
        if token is not None:
            trace_var.reset(token)


def outgoing_headers() -> dict[str, str]:
    """Headers that carry the current context to the next hop (HTTP or Kafka)."""
    headers: dict[str, str] = {}
    if request_id := request_id_var.get():
        headers[REQUEST_ID_HEADER] = request_id
    trace = trace_var.get()
    headers[TRACEPARENT_HEADER] = (trace.child() if trace else new_trace()).traceparent
    return headers
