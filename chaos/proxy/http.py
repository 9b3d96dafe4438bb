"""A small HTTP/1.1 server for the admin API (h11 over asyncio streams).

Only what the API needs: keep-alive, Content-Length and chunked request bodies, a
body size limit, read and idle timeouts. Handlers get a ``Request`` and return a
``Response``; the bytes on the wire (status line, headers, body) are theirs to set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from urllib.parse import unquote

import h11

log = logging.getLogger("chaos.proxy")

MAX_BODY = 8 * 1024 * 1024
READ_TIMEOUT = 15.0
IDLE_TIMEOUT = 60.0


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)


Handler = Callable[[Request], Awaitable[Response]]


def text_response(status: int, text: str) -> Response:
    """What Go's http.Error writes: the text, a newline, text/plain and nosniff."""
    return Response(
        status,
        f"{text}\n".encode(),
        "text/plain; charset=utf-8",
        [("X-Content-Type-Options", "nosniff")],
    )


class HttpServer:
    """Serves ``handler`` on one TCP address until ``stop``."""

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._server: asyncio.AbstractServer | None = None
        self._clients: set[asyncio.Task[None]] = set()

    async def start(self, host: str, port: int) -> tuple[str, int]:
        self._server = await asyncio.start_server(self._serve, host, port)
        address = self._server.sockets[0].getsockname()
        return address[0], address[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for task in list(self._clients):
            task.cancel()
        if self._clients:
            await asyncio.wait(list(self._clients))

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._clients.add(task)
        try:
            await self._conversation(reader, writer)
        except (ConnectionError, TimeoutError, h11.ProtocolError):
            pass
        except asyncio.CancelledError:
            pass  # stop(): not re-raised, or asyncio's stream callback logs the task as failed
        finally:
            self._clients.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _conversation(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=64 * 1024)
        while True:
            try:
                request = await self._read_request(conn, reader)
            except h11.RemoteProtocolError as exc:
                if conn.our_state in (h11.IDLE, h11.SEND_RESPONSE):
                    status = exc.error_status_hint
                    await self._send(conn, writer, text_response(status, HTTPStatus(status).phrase))
                return
            if request is None:
                return
            try:
                response = await self._handler(request)
            except Exception:
                log.exception("API handler failed for %s %s", request.method, request.path)
                response = text_response(500, "Internal Server Error")
            await self._send(conn, writer, response)
            if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                return
            conn.start_next_cycle()

    async def _read_request(
        self, conn: h11.Connection, reader: asyncio.StreamReader
    ) -> Request | None:
        request: Request | None = None
        body = bytearray()
        timeout = IDLE_TIMEOUT
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                async with asyncio.timeout(timeout):
                    data = await reader.read(65536)
                conn.receive_data(data)
                continue
            timeout = READ_TIMEOUT
            if isinstance(event, h11.Request):
                headers = {
                    k.decode("latin-1").lower(): v.decode("latin-1") for k, v in event.headers
                }
                target = event.target.decode("latin-1").split("?", 1)[0]
                request = Request(event.method.decode("ascii"), unquote(target), headers)
            elif isinstance(event, h11.Data):
                body += event.data
                if len(body) > MAX_BODY:
                    raise h11.RemoteProtocolError("request body too large", error_status_hint=413)
            elif isinstance(event, h11.EndOfMessage) and request is not None:
                request.body = bytes(body)
                return request
            elif isinstance(event, h11.ConnectionClosed) or event is h11.PAUSED:
                return None

    async def _send(
        self, conn: h11.Connection, writer: asyncio.StreamWriter, response: Response
    ) -> None:
        headers = [("Date", formatdate(usegmt=True)), *response.headers]
        if response.content_type is not None:
            headers.append(("Content-Type", response.content_type))
        if response.status != 204:
            headers.append(("Content-Length", str(len(response.body))))
        reason = HTTPStatus(response.status).phrase.encode()
        events: list[h11.Event] = [
            h11.Response(status_code=response.status, headers=headers, reason=reason)
        ]
        if response.body:
            events.append(h11.Data(data=response.body))
        events.append(h11.EndOfMessage())
        writer.write(b"".join(conn.send(event) or b"" for event in events))
        await writer.drain()
