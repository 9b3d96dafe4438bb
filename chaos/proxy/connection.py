"""A proxied TCP connection: the client's socket, the upstream socket, two links.

Life cycle: the proxy accepts a client and dials the upstream (a failed dial closes
the client, as the real server does); the client is not read until both sockets are
up. Each direction then gets a link with the proxy's current toxics. An EOF travels
through the link behind the data and half-closes the other side; once both directions
have ended, or a toxic or a failed socket ends the connection, both sockets are closed:
gracefully (what the sinks hold is written first, for at most ``CLOSE_GRACE``), at
once (``abort``), or with a TCP RST (``reset``: SO_LINGER 0, for ``reset_peer``).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import struct
from typing import TYPE_CHECKING

from chaos.proxy.errors import ProxyError
from chaos.proxy.link import Link
from chaos.proxy.model import Direction

if TYPE_CHECKING:
    from chaos.proxy.proxy import Proxy

log = logging.getLogger("chaos.proxy")

CLOSE_GRACE = 5.0
"""Seconds a closing connection may take to write out what it holds."""

_DIALING, _OPEN, _CLOSING, _CLOSED = 0, 1, 2, 3
_LINGER_ZERO = struct.pack("ii", 1, 0)


def prepare(sock: socket.socket) -> socket.socket:
    """Non-blocking, no Nagle delay (Go sets TCP_NODELAY on every TCP socket too)."""
    sock.setblocking(False)
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


class Connection:
    """Owns both sockets and both links of one accepted client."""

    __slots__ = ("_dial", "_grace", "client", "links", "loop", "proxy", "state", "upstream")

    def __init__(self, proxy: Proxy, client: socket.socket) -> None:
        self.proxy = proxy
        self.loop = asyncio.get_running_loop()
        self.client = prepare(client)
        self.upstream: socket.socket | None = None
        self.links: tuple[Link, Link] | None = None
        self.state = _DIALING
        self._dial: asyncio.Task[None] | None = None
        self._grace: asyncio.TimerHandle | None = None

    @property
    def closing(self) -> bool:
        return self.state >= _CLOSING

    def start(self) -> None:
        self.proxy.connections.add(self)
        self._dial = self.loop.create_task(self._connect())

    async def _connect(self) -> None:
        try:
            host, port = self.proxy.dial_address()
            family, address = await self._resolve(host, port)
            upstream = prepare(socket.socket(family, socket.SOCK_STREAM))
        except (OSError, ProxyError) as exc:
            self._dial_failed(exc)
            return
        try:
            await self.loop.sock_connect(upstream, address)
        except BaseException as exc:  # a failed dial, or cancelled by _teardown
            upstream.close()
            if not isinstance(exc, OSError):
                raise
            self._dial_failed(exc)
            return
        self._dial = None
        self.upstream = upstream
        self._open(upstream)

    async def _resolve(self, host: str, port: int) -> tuple[socket.AddressFamily, tuple[str, int]]:
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            infos = await self.loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            infos.sort(key=lambda info: info[0] != socket.AF_INET)
            family, _, _, _, sockaddr = infos[0]
            return family, (str(sockaddr[0]), int(sockaddr[1]))
        family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
        return family, (host, port)

    def _dial_failed(self, exc: BaseException) -> None:
        self._dial = None
        log.info("proxy %s: unable to open connection to upstream: %s", self.proxy.name, exc)
        self.abort()

    def _open(self, upstream: socket.socket) -> None:
        labels = (self.proxy.listen, self.proxy.upstream)
        pool = self.proxy.pipes
        up = Link(
            self, Direction.UPSTREAM, self.client, upstream, labels=("upstream", *labels), pool=pool
        )
        down = Link(
            self,
            Direction.DOWNSTREAM,
            upstream,
            self.client,
            labels=("downstream", *labels),
            pool=pool,
        )
        self.links = (up, down)
        self.state = _OPEN
        for link in self.links:
            for spec in self.proxy.chain(link.direction):
                link.add(spec)
        for link in self.links:
            link.start()

    def link(self, direction: Direction) -> Link | None:
        if self.links is None or self.state != _OPEN:
            return None
        return self.links[0] if direction is Direction.UPSTREAM else self.links[1]

    # Endings.
    def link_ended(self, link: Link) -> None:
        """An EOF reached the destination of ``link``; both done means close."""
        if self.links is not None and all(each.ended for each in self.links):
            self.close()

    def endpoint_lost(self, sock: socket.socket) -> None:
        """``sock`` failed: deliver what was read from it, drop what was going to it."""
        if self.links is None or self.state != _OPEN:
            self.abort()
            return
        for link in self.links:
            if link.sink.sock is sock:
                link.stop()
                link.sink.discard()
                link.sink.broken = True
        for link in self.links:
            if link.src is sock:
                link.lose_src()

    def close(self) -> None:
        """Close both sockets once the sinks have written what they hold."""
        if self.state >= _CLOSING:
            return
        self.state = _CLOSING
        for link in self.links or ():
            link.stop()
        if self._flushed():
            self._teardown()
        else:
            self._grace = self.loop.call_later(CLOSE_GRACE, self.abort)

    def sink_idle(self) -> None:
        if self.state == _CLOSING and self._flushed():
            self._teardown()

    def abort(self) -> None:
        """Close both sockets now, dropping what the sinks hold."""
        self._teardown()

    def reset(self) -> None:
        """Close both sockets with a TCP RST."""
        for sock in (self.client, self.upstream):
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_ZERO)
        self._teardown()

    def _flushed(self) -> bool:
        return all(link.sink.broken or not link.sink.waiting for link in self.links or ())

    def _teardown(self) -> None:
        if self.state == _CLOSED:
            return
        self.state = _CLOSED
        if self._dial is not None:
            self._dial.cancel()
            self._dial = None
        if self._grace is not None:
            self._grace.cancel()
            self._grace = None
        for link in self.links or ():
            link.stop()
            link.sink.discard()
        for sock in (self.client, self.upstream):
            if sock is not None:
                sock.close()
        self.proxy.connections.discard(self)
        self.proxy.count(self.links or ())
