"""Toxics that end or starve connections: timeout, reset_peer, limit_data, slow_close, noop."""

from __future__ import annotations

import asyncio

from chaos.proxy.toxics.base import CLOSE, RESET, Chunk, Marker, Stub, passthrough, toxic


@toxic("noop", "NoopToxic")
async def noop(stub: Stub) -> None:
    """Pass data through unchanged."""
    await passthrough(stub)


@toxic("slow_close", "SlowCloseToxic", ("delay",))
async def slow_close(stub: Stub) -> None:
    """Pass data through; hold the end of the stream back for ``delay`` ms."""
    delay = stub.attrs["delay"] / 1000
    while True:
        item = await stub.get()
        if not isinstance(item, Marker):
            stub.put(item)
            continue
        try:
            await asyncio.sleep(delay)
        except asyncio.CancelledError:
            stub.unget(item)  # the restarted (or next) stage sees the end again
            raise
        stub.put(item)
        return


@toxic("timeout", "TimeoutToxic", ("timeout",), closes_on_remove=True)
async def timeout(stub: Stub) -> None:
    """Drop all data; close the connection after ``timeout`` ms (0: hold it open forever)."""
    limit = stub.attrs["timeout"]
    try:
        async with asyncio.timeout(limit / 1000 if limit > 0 else None):
            while True:
                item = await stub.get()
                if isinstance(item, Marker):
                    stub.put(item)
                    return
                stub.drop(len(item.data))
    except TimeoutError:
        stub.put(CLOSE)


@toxic("reset_peer", "ResetToxic", ("timeout",))
async def reset_peer(stub: Stub) -> None:
    """On the first chunk: discard it, wait ``timeout`` ms, then reset both sockets (RST)."""
    item = await stub.get()
    if isinstance(item, Chunk):
        stub.drop(len(item.data))
    try:
        await asyncio.sleep(stub.attrs["timeout"] / 1000)
    except asyncio.CancelledError:
        if isinstance(item, Marker):
            stub.unget(item)
        raise
    stub.put(RESET)


@toxic("limit_data", "LimitDataToxic", ("bytes",))
async def limit_data(stub: Stub) -> None:
    """Pass at most ``bytes`` bytes per connection and direction, then close.

    The count lives in the link's state, so it survives the toxic being updated and
    starts again only on a new connection or a new toxic.
    """
    limit, state = stub.attrs["bytes"], stub.state
    state.setdefault("sent", 0)
    while True:
        item = await stub.get()
        if isinstance(item, Marker):
            stub.put(item)
            return
        allowed = max(limit - state["sent"], 0)
        data = item.data
        if allowed < len(data):
            stub.drop(len(data) - allowed)
            data = data[:allowed]
        if data:
            stub.put(Chunk(data, item.ts))
            state["sent"] += len(data)
        if limit - state["sent"] <= 0:
            stub.put(CLOSE)
            return
