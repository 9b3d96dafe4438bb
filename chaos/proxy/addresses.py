"""Listen and upstream addresses: parsing, resolving and binding, with Go's error texts.

Safer than the real server: an empty ``listen`` (or an empty host, ``:PORT``) means
127.0.0.1, never every interface; ``0.0.0.0`` or ``[::]`` must be asked for by name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass

from chaos.proxy.errors import ApiError, server_error

DEFAULT_HOST = "127.0.0.1"
BACKLOG = 4096


@dataclass(frozen=True)
class HostPort:
    host: str
    port: int

    def __str__(self) -> str:
        return join_host_port(self.host, self.port)


def join_host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def split_host_port(address: str, *, op: str = "listen") -> tuple[str, str]:
    """Split ``host:port`` / ``[v6]:port`` like Go's net.SplitHostPort."""
    if address.startswith("["):
        end = address.find("]")
        if end < 0:
            raise _addr_error(op, address, "missing ']' in address")
        host, rest = address[1:end], address[end + 1 :]
        if not rest.startswith(":"):
            raise _addr_error(op, address, "missing port in address")
        return host, rest[1:]
    if ":" not in address:
        raise _addr_error(op, address, "missing port in address")
    host, port = address.rsplit(":", 1)
    if ":" in host:
        raise _addr_error(op, address, "too many colons in address")
    return host, port


def parse_port(address: str, port: str, *, op: str = "listen") -> int:
    if port == "":
        return 0
    if port.isdigit():
        number = int(port)
        if number > 65535:
            raise _addr_error(op, address, "invalid port")
        return number
    try:
        return socket.getservbyname(port, "tcp")
    except OSError:
        raise server_error(f"{op} tcp: lookup tcp/{port}: unknown port") from None


def _addr_error(op: str, address: str, why: str) -> ApiError:
    return server_error(f"{op} tcp: address {address}: {why}")


async def resolve_listen(listen: str) -> HostPort:
    """The address a listener would bind for ``listen`` (hostnames resolved)."""
    if listen == "":
        return HostPort(DEFAULT_HOST, 0)
    host, port_text = split_host_port(listen)
    port = parse_port(listen, port_text)
    return HostPort(await resolve_host(host), port)


async def resolve_host(host: str) -> str:
    if host == "":
        return DEFAULT_HOST
    if host == "localhost":
        return DEFAULT_HOST
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        raise server_error(f"listen tcp: lookup {host}: no such host") from None
    infos.sort(key=lambda info: info[0] != socket.AF_INET)
    return str(infos[0][4][0])


def bind(address: HostPort) -> socket.socket:
    """A listening, non-blocking socket on ``address`` or a 500 with Go's wording."""
    family = socket.AF_INET6 if ":" in address.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address.host, address.port))
        sock.listen(BACKLOG)
        sock.setblocking(False)
    except OSError as exc:
        sock.close()
        reason = (exc.strerror or str(exc)).lower()
        raise server_error(f"listen tcp {address}: bind: {reason}") from None
    return sock


def bound_address(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return join_host_port(host, port)


def parse_upstream(upstream: str) -> tuple[str, int]:
    """``host``, ``port`` to dial; raises ApiError for an address Go could not dial."""
    host, port_text = split_host_port(upstream, op="dial")
    return host or DEFAULT_HOST, parse_port(upstream, port_text, op="dial")


def is_loopback(host: str) -> bool:
    """True for names and addresses that only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
