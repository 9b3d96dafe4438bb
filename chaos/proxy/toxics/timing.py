"""Toxics that delay or reshape data: latency, bandwidth, slicer."""

from __future__ import annotations

import asyncio
from time import monotonic

from chaos.proxy.toxics.base import RNG, Chunk, Marker, Stub, toxic

_MIN_SLEEP = 0.001
"""Event loop timers tick in milliseconds: shorter waits are batched into one sleep."""


@toxic("latency", "LatencyToxic", ("latency", "jitter"))
async def latency(stub: Stub) -> None:
    """Deliver each chunk ``latency +/- jitter`` ms after it was read (per chunk, in order)."""
    base, jitter = stub.attrs["latency"], stub.attrs["jitter"]
    while True:
        item = await stub.get()
        if isinstance(item, Marker):
            stub.put(item)
            return
        delay = base + (RNG.randrange(2 * jitter) - jitter if jitter > 0 else 0)
        sleep = delay / 1000 - (monotonic() - item.ts)
        if sleep > 0:  # never early, as Go's time.Sleep in the real server
            try:
                await asyncio.sleep(sleep)
            except asyncio.CancelledError:
                stub.put(item)  # interrupted: deliver now rather than drop
                raise
        item.ts += sleep  # like the real server, so a second latency toxic adds up
        stub.put(item)


@toxic("bandwidth", "BandwidthToxic", ("rate",))
async def bandwidth(stub: Stub) -> None:
    """Throttle to ``rate`` KB/s (1 KB = 1000 bytes); big chunks go out in 100 ms slices."""
    rate = stub.attrs["rate"]
    debt = 0.0  # seconds this toxic still owes the link
    while True:
        item = await stub.get()
        if isinstance(item, Marker):
            stub.put(item)
            return
        if rate <= 0:
            stub.put(item)
            continue
        data = memoryview(item.data)
        debt += len(data) / rate / 1000
        step = rate * 100
        try:
            while len(data) > step:
                await asyncio.sleep(0.1)
                stub.put(Chunk(data[:step], item.ts))
                data = data[step:]
                debt -= 0.1
            start = monotonic()
            if debt > 0:
                await asyncio.sleep(debt)
            debt -= monotonic() - start
        except asyncio.CancelledError:
            stub.put(Chunk(data, item.ts))
            raise
        stub.put(Chunk(data, item.ts))


def slice_bounds(size: int, average: int, variation: int) -> list[tuple[int, int]]:
    """Split ``size`` bytes into pieces by bisection, as the real slicer does.

    A span stops splitting once it is at most ``average + variation`` long; with a
    variation each split point moves by a random amount in ``[-variation, variation)``.
    Values the real server would crash on (average < 1, variation >= average) are
    clamped so the result is always a list of non-empty pieces covering ``size``.
    """
    average = max(1, average)
    variation = max(0, min(variation, average - 1))
    pieces: list[tuple[int, int]] = []
    stack = [(0, size)]
    while stack:
        start, end = stack.pop()
        if (end - start) - average <= variation:
            if end > start:
                pieces.append((start, end))
            continue
        mid = start + (end - start) // 2
        if variation > 0:
            mid += RNG.randrange(2 * variation) - variation
        stack.append((mid, end))
        stack.append((start, mid))
    return pieces


@toxic("slicer", "SlicerToxic", ("average_size", "size_variation", "delay"))
async def slicer(stub: Stub) -> None:
    """Cut chunks into ~``average_size`` pieces sent ``delay`` microseconds apart."""
    average, variation = stub.attrs["average_size"], stub.attrs["size_variation"]
    gap = stub.attrs["delay"] / 1_000_000
    while True:
        item = await stub.get()
        if isinstance(item, Marker):
            stub.put(item)
            return
        data = memoryview(item.data)
        sent = 0
        due = monotonic()
        try:
            for start, end in slice_bounds(len(data), average, variation):
                stub.put(Chunk(data[start:end], item.ts))
                sent = end
                due += gap
                ahead = due - monotonic()
                if ahead >= _MIN_SLEEP:
                    await asyncio.sleep(ahead)
        except asyncio.CancelledError:
            if sent < len(data):
                stub.put(Chunk(data[sent:], item.ts))
            raise
