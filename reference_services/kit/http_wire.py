"""A lean HTTP/1.1 keep-alive client: the wire under :class:`ResilientClient`.

Why not httpx here: profiles of the gateway under load showed about two thirds of its
CPU in httpx and httpcore (h11's pure-Python parser, a URL and header model per request,
pool locks), and ``bench/http_services.py`` measured the gateway at ~5% of a bare
endpoint. Service-to-service calls need far less: HTTP/1.1 to one known ``http://`` base
URL, bodies read whole. So this speaks just that: one :class:`asyncio.Protocol` per
connection, uvicorn's C parser (httptools, already installed with ``uvicorn[standard]``),
a LIFO pool of idle keep-alive connections, a bound on open connections, and one deadline
per request covering pool wait, connect, send and the whole response.

Errors (what the resilient client maps to retries, the breaker and 503)::

    UpstreamError
     +-- UpstreamTimeout       no complete answer before the deadline
     +-- UpstreamUnreachable   refused, reset, closed early, or not HTTP/1.1
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httptools

IDLE_SECONDS = 4.0
"""Idle connections older than this are closed, not reused: uvicorn drops idle
keep-alive connections after 5 s, and a request written into a connection the server is
closing would fail for no reason."""
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"


class UpstreamError(Exception):
    """The upstream gave no usable HTTP answer."""


class UpstreamTimeout(UpstreamError):
    pass


class UpstreamUnreachable(UpstreamError):
    pass


@dataclass(frozen=True)
class UpstreamResponse:
    """A whole response; ``headers`` has lower-case names, repeated fields comma-joined."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


class _Connection(asyncio.Protocol):
    """One keep-alive connection; at most one request in flight (no pipelining)."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.closed = False
        self.idle_since = time.monotonic()
        self._waiter: asyncio.Future[UpstreamResponse] | None = None
        self._headers: dict[str, str] = {}
        self._body: list[bytes] = []
        self._received = False

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self._received = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(UpstreamUnreachable(f"malformed HTTP response: {exc}"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        reason = f": {type(exc).__name__}" if exc else ""
        self._fail(UpstreamUnreachable(f"connection closed before a whole response{reason}"))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        key, text = name.decode("latin-1").lower(), value.decode("latin-1")
        seen = self._headers.get(key)
        self._headers[key] = text if seen is None else f"{seen}, {text}"

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        if not self.parser.should_keep_alive():
            self.close()
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            status = self.parser.get_status_code()
            waiter.set_result(UpstreamResponse(status, self._headers, b"".join(self._body)))

    # the client's side
    @property
    def usable(self) -> bool:
        return not self.closed and self.transport is not None and not self.transport.is_closing()

    def send(self, raw: bytes) -> asyncio.Future[UpstreamResponse]:
        """Write one request; the future resolves with its whole response."""
        assert self.transport is not None and self._waiter is None
        self._headers, self._body, self._received = {}, [], False
        self._waiter = asyncio.get_running_loop().create_future()
        self.transport.write(raw)
        return self._waiter

    @property
    def received_anything(self) -> bool:
        return self._received

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _fail(self, error: UpstreamError) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(error)


class ConnectionPool:
    """Keep-alive connections to one ``http://host:port`` base URL (a path prefix is kept)."""

    def __init__(self, base_url: str, *, max_connections: int = 100, max_idle: int = 50) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"base URL {base_url!r}: only http://host[:port][/path] works")
        self.host, self.port = parts.hostname, parts.port or 80
        self._authority = f"{self.host}:{self.port}".encode()
        self._prefix = parts.path.rstrip("/")
        self._idle: list[_Connection] = []
        self._max_idle = max_idle
        self._max_busy = max_connections
        self._busy = 0
        self._waiting: deque[asyncio.Future[None]] = deque()

    async def request(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str],
        timeout: float,
        params: Sequence[tuple[str, str]] | None = None,
        content: bytes = b"",
        replay_safe: bool = False,
    ) -> UpstreamResponse:
        """One exchange; ``replay_safe`` (the request may be sent twice) lets a request
        that met a kept-alive connection closing under it go once more on a new one."""
        raw = self._encode(method, path, headers, params, content)
        try:
            async with asyncio.timeout(timeout):
                if self._busy >= self._max_busy:
                    await self._wait_for_slot()
                self._busy += 1
                try:
                    return await self._exchange(raw, replay_safe)
                finally:
                    self._busy -= 1
                    self._wake_one()
        except TimeoutError as exc:
            raise UpstreamTimeout(f"no whole answer within {timeout}s") from exc

    async def _wait_for_slot(self) -> None:
        """Queue until fewer than ``max_connections`` requests are in flight (FIFO)."""
        while self._busy >= self._max_busy:
            waiter = asyncio.get_running_loop().create_future()
            self._waiting.append(waiter)
            try:
                await waiter
            except BaseException:
                if waiter.done() and not waiter.cancelled():
                    self._wake_one()  # a turn handed to us that we won't use goes on
                waiter.cancel()
                raise

    def _wake_one(self) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    async def aclose(self) -> None:
        idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    async def _exchange(self, raw: bytes, replay_safe: bool) -> UpstreamResponse:
        conn = self._take_idle()
        if conn is not None:
            try:
                return await self._send(conn, raw)
            except UpstreamUnreachable:
                # most likely the server closed the idle connection as we wrote, but a
                # proxy in between may have passed the request on: only a request that
                # may be sent twice goes again (the resilient client's rule too)
                if conn.received_anything or not replay_safe:
                    raise
        return await self._send(await self._connect(), raw)

    async def _send(self, conn: _Connection, raw: bytes) -> UpstreamResponse:
        try:
            response = await conn.send(raw)
        except BaseException:
            conn.close()  # a late answer must never be read as the next request's
            raise
        self._release(conn)
        return response

    def _take_idle(self) -> _Connection | None:
        deadline = time.monotonic() - IDLE_SECONDS
        while self._idle:
            conn = self._idle.pop()
            if conn.usable and conn.idle_since > deadline:
                return conn
            conn.close()
        return None

    def _release(self, conn: _Connection) -> None:
        if conn.usable and len(self._idle) < self._max_idle:
            conn.idle_since = time.monotonic()
            self._idle.append(conn)
        else:
            conn.close()

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            _, conn = await loop.create_connection(_Connection, self.host, self.port)
        except OSError as exc:
            raise UpstreamUnreachable(f"cannot connect: {type(exc).__name__}") from exc
        return conn

    def _encode(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        params: Sequence[tuple[str, str]] | None,
        content: bytes,
    ) -> bytes:
        target = quote(self._prefix + path, safe=_SAFE_PATH)
        if params:
            target += "?" + urlencode(params)
        lines = [f"{method} {target} HTTP/1.1".encode(), b"host: " + self._authority]
        for name, value in headers.items():
            if "\r" in value or "\n" in value or "\r" in name or "\n" in name:
                raise ValueError(f"header {name!r} holds a line break; refusing to send it")
            lines.append(f"{name}: {value}".encode("latin-1"))
        if content or method in ("POST", "PUT", "PATCH"):
            lines.append(b"content-length: " + str(len(content)).encode())
        return b"\r\n".join(lines) + b"\r\n\r\n" + content
