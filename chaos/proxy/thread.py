"""``ProxyThread``: the fault proxy in a background thread, for synchronous callers.

::

    with ProxyThread(port=0, config=[{"name": "db", "listen": "", "upstream": "..."}]) as proxy:
        requests.get(f"{proxy.url}/proxies")

The thread runs its own event loop (uvloop when installed), so the caller's code
(blocking or on another loop) never shares a loop with the proxied traffic.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from types import TracebackType
from typing import Any

from chaos.proxy.errors import ProxyError
from chaos.proxy.server import DEFAULT_PORT, ProxyServer, run_loop

START_TIMEOUT = 15.0


class ProxyThread:
    """``start()`` returns the API URL once serving; ``stop()`` closes everything."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        token: str | None = None,
        config: list[dict[str, Any]] | None = None,
    ) -> None:
        self.server = ProxyServer(host=host, port=port, token=token)
        self._config = config or []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready: concurrent.futures.Future[str] = concurrent.futures.Future()

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> str:
        """Serve in a new thread; returns the URL, or raises why it could not start."""
        self._thread = threading.Thread(target=self._run, name="chaos.proxy", daemon=True)
        self._thread.start()
        try:
            return self._ready.result(START_TIMEOUT)
        except concurrent.futures.TimeoutError:
            raise ProxyError(f"fault proxy thread not ready after {START_TIMEOUT}s") from None

    def stop(self) -> None:
        thread, loop, stopping = self._thread, self._loop, self._stopping
        if thread is not None and thread.is_alive() and loop is not None and stopping is not None:
            with contextlib.suppress(RuntimeError):  # the loop ended meanwhile
                loop.call_soon_threadsafe(stopping.set)
        if thread is not None:
            thread.join()
            self._thread = None

    def _run(self) -> None:
        try:
            run_loop(self._serve())
        except BaseException as exc:  # reported to start(), not lost in the thread
            if not self._ready.done():
                self._ready.set_exception(exc)

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        url = await self.server.start()
        try:
            if self._config:
                await self.server.populate(self._config)
            self._ready.set_result(url)
            await self._stopping.wait()
        finally:
            await self.server.stop()

    def __enter__(self) -> ProxyThread:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
