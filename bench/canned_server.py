"""A near-free HTTP/1.1 server for calibrating the load generator.

It answers every request on a keep-alive connection with the same canned JSON response
and does no parsing beyond counting request heads, so the rps the generator reaches
against it is the generator's own ceiling on this machine::

    python bench/canned_server.py --port 8601
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from typing import cast

BODY = b'{"id":"p1","name":"Bench widget","price_cents":1299,"currency":"EUR"}'
RESPONSE = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
    + f"content-length: {len(BODY)}\r\n\r\n".encode()
    + BODY
)


class _Canned(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.pending = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        # Requests without a body end at a blank line; answer one response per head.
        data = self.pending + data
        heads = data.count(b"\r\n\r\n")
        self.pending = data[data.rfind(b"\r\n\r\n") + 4 :] if heads else data
        if heads and self.transport is not None:
            self.transport.write(RESPONSE * heads)


async def _serve(host: str, port: int) -> None:
    server = await asyncio.get_running_loop().create_server(_Canned, host, port)
    async with server:
        await server.serve_forever()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="canned-response server (calibration)")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    try:
        import uvloop
    except ImportError:
        asyncio.run(_serve(args.host, args.port))
    else:
        uvloop.run(_serve(args.host, args.port))


if __name__ == "__main__":
    main()
