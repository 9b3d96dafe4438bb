"""A proxied TCP connection: the client's socket, the upstream socket, two links.

Life cycle: the listener accepts a client and pauses it while the upstream is
dialled (a failed dial closes the client, as the real server does); once both
sockets are up, each direction gets a link with the proxy's current toxics. An EOF
travels through the link behind the data and half-closes the other side; when both
directions have ended, or a toxic or a lost socket ends the connection, both sockets
are closed (``reset_peer``: with SO_LINGER 0, so the peers see a TCP RST).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import struct
from typing import TYPE_CHECKING, cast

from chaos.proxy.errors import ProxyError
from chaos.proxy.link import PAUSE_DEST, Link
from chaos.proxy.model import Direction
from chaos.proxy.toxics import CLOSE, EOF, Item

if TYPE_CHECKING:
    from chaos.proxy.proxy import Proxy

log = logging.getLogger("chaos.proxy")

WRITE_HIGH_WATER = 1024 * 1024
"""Bytes a transport may buffer before its source is paused (bulk transfers)."""
CLOSE_GRACE = 5.0
"""Seconds a closing socket may take to flush before it is aborted."""

_DIALING, _OPEN, _CLOSING = 0, 1, 2
_LINGER_ZERO = struct.pack("ii", 1, 0)


class Endpoint(asyncio.Protocol):
    """One socket of the connection; its reads feed ``out``, ``into`` writes to it."""

    __slots__ = ("conn", "early", "into", "lost", "out", "transport")

    transport: asyncio.Transport
    out: Link
    into: Link

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.lost = False
        self.early: list[bytes] = []

    def data_received(self, data: bytes) -> None:
        try:
            link = self.out
        except AttributeError:  # uvloop can hand over bytes read before pause_reading took
            self.early.append(data)  # effect; they go out once the links exist
            return
        if link.head is None:  # fast path: no toxic on this direction
            size = len(data)
            link.rx += size
            link.tx += size
            link.dst.write(data)
        else:
            link.feed(data)

    def eof_received(self) -> bool:
        self.out.end(EOF)
        return True  # keep the socket open for the other direction

    def pause_writing(self) -> None:
        self.into.pause(PAUSE_DEST)

    def resume_writing(self) -> None:
        self.into.resume(PAUSE_DEST)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        self.conn.endpoint_lost(self)


class ClientEndpoint(Endpoint):
    __slots__ = ()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        self.conn.client_made()


class UpstreamEndpoint(Endpoint):
    __slots__ = ()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        self.conn.upstream_made()


class Connection:
    """Owns both sockets and both links of one accepted client."""

    def __init__(self, proxy: Proxy, generation: int) -> None:
        self.proxy = proxy
        self.generation = generation
        self.client = ClientEndpoint(self)
        self.upstream: UpstreamEndpoint | None = None
        self.links: tuple[Link, Link] | None = None
        self.state = _DIALING
        self._dial: asyncio.Task[object] | None = None
        self._grace: asyncio.TimerHandle | None = None

    # Setup.
    def client_made(self) -> None:
        transport = self.client.transport
        if not self.proxy.accepts(self.generation):
            transport.abort()  # accepted just before the listener closed
            return
        transport.pause_reading()
        self.proxy.connections.add(self)
        self._dial = asyncio.get_running_loop().create_task(self._connect())

    async def _connect(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            host, port = self.proxy.dial_address()
            await loop.create_connection(self._new_upstream, host, port)
        except (OSError, ProxyError) as exc:
            log.info("proxy %s: unable to open connection to upstream: %s", self.proxy.name, exc)
            self.abort()

    def _new_upstream(self) -> UpstreamEndpoint:
        self.upstream = UpstreamEndpoint(self)
        return self.upstream

    def upstream_made(self) -> None:
        assert self.upstream is not None
        if self.state != _DIALING:
            self.upstream.transport.abort()
            return
        client, upstream = self.client, self.upstream
        labels = (self.proxy.listen, self.proxy.upstream)
        up = Link(
            self, Direction.UPSTREAM, client.transport, upstream.transport, ("upstream", *labels)
        )
        down = Link(
            self,
            Direction.DOWNSTREAM,
            upstream.transport,
            client.transport,
            ("downstream", *labels),
        )
        client.out = upstream.into = up
        upstream.out = client.into = down
        self.links = (up, down)
        for link in self.links:
            link.dst.set_write_buffer_limits(high=WRITE_HIGH_WATER)
            for spec in self.proxy.chain(link.direction):
                link.add(spec)
        self.state = _OPEN
        for endpoint in (client, upstream):
            early, endpoint.early = endpoint.early, []
            for data in early:
                endpoint.data_received(data)
        client.transport.resume_reading()

    def link(self, direction: Direction) -> Link | None:
        if self.links is None or self.state != _OPEN:
            return None
        return self.links[0] if direction is Direction.UPSTREAM else self.links[1]

    # Endings.
    def on_marker(self, link: Link, marker: Item) -> None:
        """An end marker reached the end of ``link``'s pipeline (or the fast path)."""
        if marker is EOF:
            link.ended = True
            dst = link.dst
            if not dst.is_closing() and dst.can_write_eof():
                dst.write_eof()
            assert self.links is not None
            up, down = self.links
            other = down if link is up else up
            if other.ended or dst.is_closing():
                self.close()
        elif marker is CLOSE:
            self.close()
        else:
            self.reset()

    def endpoint_lost(self, endpoint: Endpoint) -> None:
        if self.state == _OPEN:
            # Deliver what is still in flight from the lost side, then close.
            endpoint.into.pause(PAUSE_DEST)
            out = endpoint.out
            if out.head is not None and not out.ended:
                out.end(CLOSE)
                return
        self.close()
        self._maybe_finish()

    def close(self) -> None:
        """Close both sockets after flushing what they buffer."""
        if self._begin_closing():
            for endpoint in self._endpoints():
                if not endpoint.lost:
                    endpoint.transport.close()
            self._grace = asyncio.get_running_loop().call_later(CLOSE_GRACE, self.abort)
            self._maybe_finish()

    def abort(self) -> None:
        """Close both sockets now, dropping what they buffer."""
        self._begin_closing()
        for endpoint in self._endpoints():
            if not endpoint.lost:
                endpoint.transport.abort()
        self._maybe_finish()

    def reset(self) -> None:
        """Close both sockets with a TCP RST."""
        for endpoint in self._endpoints():
            sock = endpoint.transport.get_extra_info("socket")
            if not endpoint.lost and sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_ZERO)
        self.abort()

    def _begin_closing(self) -> bool:
        if self.state == _CLOSING:
            return False
        self.state = _CLOSING
        if self._dial is not None:
            self._dial.cancel()
        for link in self.links or ():
            link.stop()
        return True

    def _endpoints(self) -> list[Endpoint]:
        ends: list[Endpoint] = [self.client]
        if self.upstream is not None and hasattr(self.upstream, "transport"):
            ends.append(self.upstream)
        return ends

    def _maybe_finish(self) -> None:
        if self.state != _CLOSING or not all(end.lost for end in self._endpoints()):
            return
        if self._grace is not None:
            self._grace.cancel()
            self._grace = None
        if self in self.proxy.connections:
            self.proxy.connections.discard(self)
            self.proxy.count(self.links or ())
