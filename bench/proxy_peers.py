"""The TCP peers of ``bench/proxy_bench.py``: an echo server, a sink, and the clients.

The servers run in their own process (``python bench/proxy_peers.py``) with one
blocking thread per connection, so each byte costs them a system call and nothing
else, whether it comes straight from the client or through the proxy:

- echo: writes back whatever it reads (round-trip latency);
- sink: reads until EOF, then answers with the byte count as 8 bytes (bulk transfer).

The process prints ``{"echo": PORT, "sink": PORT}`` on one line once both listen.
The client functions here measure one thing each against a ``(host, port)``.
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

BUFFER = 1024 * 1024
_COUNT = struct.Struct("!Q")


# Servers.
def _echo(conn: socket.socket) -> None:
    buf = bytearray(BUFFER)
    view = memoryview(buf)
    with conn:
        while n := conn.recv_into(buf):
            conn.sendall(view[:n])


def _sink(conn: socket.socket) -> None:
    buf = bytearray(BUFFER)
    total = 0
    with conn:
        while n := conn.recv_into(buf):
            total += n
        conn.sendall(_COUNT.pack(total))


def _listen(handler: Callable[[socket.socket], None]) -> int:
    server = socket.create_server(("127.0.0.1", 0), backlog=1024)

    def accept() -> None:
        while True:
            conn, _ = server.accept()
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=handler, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return int(server.getsockname()[1])


def serve() -> None:
    """Run both servers until stdin closes (the parent exits or closes the pipe)."""
    ports = {"echo": _listen(_echo), "sink": _listen(_sink)}
    sys.stdout.write(json.dumps(ports) + "\n")
    sys.stdout.flush()
    sys.stdin.read()


# Clients.
def connect(address: tuple[str, int]) -> socket.socket:
    sock = socket.create_connection(address)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def round_trips(address: tuple[str, int], *, count: int, size: int = 1024) -> list[float]:
    """Seconds for each of ``count`` request/response round trips of ``size`` bytes."""
    payload = b"x" * size
    buf = bytearray(size)
    view = memoryview(buf)
    times: list[float] = []
    with connect(address) as sock:
        for _ in range(count):
            began = time.perf_counter()
            sock.sendall(payload)
            got = 0
            while got < size:
                n = sock.recv_into(view[got:])
                if not n:
                    raise ConnectionError("echo server closed the connection")
                got += n
            times.append(time.perf_counter() - began)
    return times


def bulk(address: tuple[str, int], *, nbytes: int, block: int = BUFFER) -> float:
    """Send ``nbytes`` one way to the sink; bytes per second until the sink confirmed them."""
    data = memoryview(b"\0" * block)
    with connect(address) as sock:
        began = time.perf_counter()
        left = nbytes
        while left > 0:
            step = min(left, block)
            sock.sendall(data[:step])
            left -= step
        sock.shutdown(socket.SHUT_WR)
        answer = _recv_exactly(sock, _COUNT.size)
        elapsed = time.perf_counter() - began
    (received,) = _COUNT.unpack(answer)
    if received != nbytes:
        raise ConnectionError(f"sink received {received} bytes of {nbytes}")
    return nbytes / elapsed


def parallel_bulk(
    address: tuple[str, int], *, connections: int, nbytes: int, block: int = BUFFER
) -> float:
    """Total bytes per second of ``connections`` bulk transfers at once (one thread each)."""
    with ThreadPoolExecutor(connections) as pool:
        began = time.perf_counter()
        list(pool.map(lambda _: bulk(address, nbytes=nbytes, block=block), range(connections)))
        elapsed = time.perf_counter() - began
    return connections * nbytes / elapsed


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("peer closed before answering")
        data += chunk
    return data


if __name__ == "__main__":
    serve()
