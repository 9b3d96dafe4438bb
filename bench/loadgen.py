"""A closed-loop HTTP/1.1 keep-alive load generator on asyncio (uvloop when installed).

Each of ``concurrency`` connections sends a request, waits for the whole response and
sends the next one straight from the protocol callback: no task, future or stream per
request, so the generator spends a few microseconds per request and the server stays the
bottleneck. Load is bounded by both ``duration_s`` and ``max_requests`` and goes to
loopback addresses only.

Run it as its own process so it does not share a GIL or an event loop with anything::

    python bench/loadgen.py --url http://127.0.0.1:8002/products/p1 --concurrency 16 \
        --duration 5 --header "Authorization:Bearer ..." --header "Idempotency-Key:{{uuid}}"

It prints one JSON line (:meth:`LoadResult.to_dict`). From Python, :func:`run_subprocess`
does that and parses the line; :func:`run` runs in the current process.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import importlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import cast

if __package__ in (None, ""):  # run as `python bench/loadgen.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.loadstats import LoadConfig, LoadResult, Recorder
from bench.wire import (
    ProtocolError,
    RequestFactory,
    RequestTemplate,
    ResponseParser,
    parse_url,
)

ROOT = Path(__file__).resolve().parents[1]


class LoadgenError(RuntimeError):
    """The generator could not run: target down, bad arguments, or the child process failed."""


class _Connection(asyncio.Protocol):
    """One keep-alive connection that drives its own request loop from callbacks."""

    def __init__(self, session: _Session) -> None:
        self.session = session
        self.parser = ResponseParser()
        self.transport: asyncio.Transport | None = None
        self.sent_at = 0.0
        self.in_flight = False
        self.finished = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def send_next(self) -> None:
        request = self.session.next_request()
        if request is None:
            self.finish()
            return
        assert self.transport is not None
        self.in_flight = True
        self.sent_at = time.perf_counter()
        self.transport.write(request)

    def data_received(self, data: bytes) -> None:
        try:
            status = self.parser.feed(data)
        except (ProtocolError, ValueError) as exc:
            self.fail(type(exc).__name__)
            return
        if not status:
            return
        self.in_flight = False
        self.session.recorder.response(status, time.perf_counter() - self.sent_at)
        if self.parser.must_close:
            self.fail(None)
        else:
            self.send_next()

    def fail(self, error: str | None) -> None:
        """Drop this connection (recording ``error`` if a request was lost)."""
        if self.in_flight and error:
            self.session.recorder.error(error)
        self.in_flight = False
        if self.transport is not None:
            self.transport.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.in_flight:
            self.session.recorder.error(type(exc).__name__ if exc else "ConnectionClosed")
            self.in_flight = False
        if not self.finished:
            self.finished = True
            self.session.replace(self)

    def finish(self) -> None:
        if not self.finished:
            self.finished = True
            self.session.retire()


class _Session:
    """Shared state of one run: the request budget, the recorder and the live connections."""

    def __init__(self, config: LoadConfig, template: RequestTemplate) -> None:
        self.config = config
        self.template = template
        self.endpoint = parse_url(config.url)
        self.recorder = Recorder()
        self.connections: list[_Connection] = []
        self.issued = 0
        self.deadline = 0.0
        self.active = 0
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.tasks: set[asyncio.Task[None]] = set()

    def next_request(self) -> bytes | None:
        if self.issued >= self.config.max_requests or time.perf_counter() >= self.deadline:
            return None
        seq = self.issued
        self.issued += 1
        return self.template.build(seq)

    async def connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        _, protocol = await loop.create_connection(
            lambda: _Connection(self), self.endpoint.host, self.endpoint.port
        )
        self.connections.append(protocol)
        return protocol

    def replace(self, dead: _Connection) -> None:
        """A connection closed mid-run: open another one so concurrency stays constant."""
        if dead in self.connections:
            self.connections.remove(dead)
        task = asyncio.get_running_loop().create_task(self._reopen())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _reopen(self) -> None:
        if time.perf_counter() >= self.deadline or self.issued >= self.config.max_requests:
            self.retire()
            return
        try:
            conn = await self.connect()
        except OSError as exc:
            self.recorder.error(type(exc).__name__)
            await asyncio.sleep(0.05)  # do not spin on a refusing server
            self.retire()
            return
        conn.send_next()

    def retire(self) -> None:
        self.active -= 1
        if self.active == 0 and not self.done.done():
            self.done.set_result(None)

    async def watchdog(self) -> None:
        """Abort requests older than the timeout; one sweep instead of a timer per request."""
        timeout = self.config.timeout_s
        while not self.done.done():
            await asyncio.sleep(min(0.25, timeout / 4))
            cutoff = time.perf_counter() - timeout
            for conn in list(self.connections):
                if conn.in_flight and conn.sent_at < cutoff:
                    conn.fail("Timeout")


async def run_async(config: LoadConfig, factory: RequestFactory | None = None) -> LoadResult:
    """Run one bounded load in the current event loop (see :func:`run` for a fresh loop)."""
    config.validate()
    template = RequestTemplate(
        method=config.method,
        endpoint=parse_url(config.url),
        headers=config.headers,
        body=config.body,
        factory=factory or load_factory(config.factory),
    )
    session = _Session(config, template)
    try:
        conns = await asyncio.gather(*(session.connect() for _ in range(config.concurrency)))
    except OSError as exc:
        for conn in session.connections:
            conn.finished = True
            conn.fail(None)
        raise LoadgenError(f"cannot connect to {config.url}: {exc}") from exc
    session.active = len(conns)
    cpu0, t0 = time.process_time(), time.perf_counter()
    session.deadline = t0 + config.duration_s
    watchdog = asyncio.get_running_loop().create_task(session.watchdog())
    for conn in conns:
        conn.send_next()
    try:
        await asyncio.wait_for(session.done, config.duration_s + config.timeout_s + 5)
    except TimeoutError:
        session.recorder.error("RunTimeout")
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    watchdog.cancel()
    for conn in list(session.connections):
        conn.finished = True
        conn.fail(None)
    return session.recorder.result(config, elapsed_s=elapsed, cpu_s=cpu, loop=_loop_name())


def run(config: LoadConfig, factory: RequestFactory | None = None) -> LoadResult:
    """Run one bounded load in this process on a new (uv)loop."""
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        return runner.run(run_async(config, factory))


def run_subprocess(config: LoadConfig, *, python: str = sys.executable) -> LoadResult:
    """Run one bounded load in a child process (``python bench/loadgen.py``), parse its JSON.

    ``config.factory`` must then be an import path (``"package.module:function"``);
    the project root is put on the child's ``PYTHONPATH``.
    """
    config.validate()
    argv = [python, str(Path(__file__).resolve()), *config.to_argv()]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), _pythonpath()]))}
    limit = config.duration_s + config.timeout_s + 30
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=limit, env=env)
    except subprocess.TimeoutExpired as exc:
        raise LoadgenError(f"load generator still running after {limit:.0f}s; killed") from exc
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = proc.stderr.strip()[-800:]
        raise LoadgenError(f"load generator exited {proc.returncode}: {tail}")
    return LoadResult.from_dict(json.loads(lines[-1]))


def load_factory(path: str | None) -> RequestFactory | None:
    """Import ``"package.module:attr"`` (the per-request factory), or None."""
    if not path:
        return None
    module_name, sep, attr = path.partition(":")
    if not sep or not attr:
        raise LoadgenError(f"factory must look like 'package.module:function', got {path!r}")
    target: object = importlib.import_module(module_name)
    for part in attr.split("."):
        target = getattr(target, part)
    if not callable(target):
        raise LoadgenError(f"factory {path!r} is not callable")
    return cast(RequestFactory, target)


def _pythonpath() -> str:
    return os.environ.get("PYTHONPATH", "")


def _loop_factory() -> type[asyncio.AbstractEventLoop] | None:
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.Loop


def _loop_name() -> str:
    return type(asyncio.get_running_loop()).__module__.split(".")[0]


def _parse_args(argv: Sequence[str] | None) -> LoadConfig:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", required=True)
    parser.add_argument("--method", default="GET")
    parser.add_argument("--header", action="append", default=[], metavar="K:V")
    body = parser.add_mutually_exclusive_group()
    body.add_argument("--body", help="request body as text")
    body.add_argument("--body-json", help="request body as JSON (sets Content-Type)")
    body.add_argument("--body-file", type=Path)
    body.add_argument("--body-base64", help=argparse.SUPPRESS)
    parser.add_argument("--factory", help="per-request factory 'package.module:function'")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds (max time)")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="max count")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-request seconds")
    args = parser.parse_args(argv)
    headers: dict[str, str] = {}
    for item in args.header:
        key, sep, value = item.partition(":")
        if not sep or not key.strip():
            parser.error(f"--header expects K:V, got {item!r}")
        headers[key.strip()] = value.strip()
    payload: bytes | None = None
    if args.body_json is not None:
        payload = json.dumps(json.loads(args.body_json), separators=(",", ":")).encode()
        if not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = "application/json"
    elif args.body is not None:
        payload = args.body.encode()
    elif args.body_file is not None:
        payload = args.body_file.read_bytes()
    elif args.body_base64 is not None:
        payload = base64.b64decode(args.body_base64)
    return LoadConfig(
        url=args.url,
        method=args.method,
        headers=headers,
        body=payload,
        factory=args.factory,
        concurrency=args.concurrency,
        duration_s=args.duration,
        max_requests=args.max_requests,
        timeout_s=args.timeout,
    )


def main(argv: Sequence[str] | None = None) -> int:
    try:
        config = _parse_args(argv)
        result = run(config)
    except (LoadgenError, ValueError) as exc:
        print(f"loadgen: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result.to_dict(), separators=(",", ":")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
