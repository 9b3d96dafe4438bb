"""Run the fault proxy as a child process (``python -m chaos.proxy``) and wait until ready.

::

    with ProxyProcess(port=0, config=Path("links.json")) as proxy:
        requests.get(f"{proxy.url}/proxies")

The child prints one JSON "ready" line on stdout once its API and the proxies of
``config`` are up; its logs go to ``log_path`` (a temporary file by default), whose
tail is quoted if it fails to start.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from chaos.proxy.errors import ProxyError


class ProxyProcess:
    """A ``python -m chaos.proxy`` child: ``start()``, then ``url``/``api_port``, ``stop()``."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        config: Path | None = None,
        token: str | None = None,
        extra_args: tuple[str, ...] = (),
        log_path: Path | None = None,
        python: str = sys.executable,
    ) -> None:
        self.command = [python, "-m", "chaos.proxy", "--host", host, "--port", str(port)]
        if config is not None:
            self.command += ["--config", str(config)]
        self.command += list(extra_args)
        self._env = dict(os.environ)
        if token is not None:
            self._env["TOXIPROXY_TOKEN"] = token
        self.log_path = log_path or Path(tempfile.mkstemp(prefix="chaos-proxy-", suffix=".log")[1])
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self.ready: dict[str, Any] = {}

    @property
    def url(self) -> str:
        return str(self.ready["url"])

    @property
    def api_port(self) -> int:
        return int(self.ready["port"])

    @property
    def pid(self) -> int:
        if self._process is None:
            raise ProxyError("proxy process is not started")
        return self._process.pid

    def start(self, timeout: float = 15.0) -> ProxyProcess:
        """Spawn the child and block until it announces it is ready (or fail clearly)."""
        self._log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            self.command, stdout=subprocess.PIPE, stderr=self._log, env=self._env
        )
        line = self._read_line(timeout)
        try:
            event = json.loads(line)
        except ValueError:
            event = {}
        if event.get("event") != "ready":
            self.stop()
            raise ProxyError(
                f"fault proxy did not start ({' '.join(self.command)}): {self._tail()}"
            )
        self.ready = event
        return self

    def _read_line(self, timeout: float) -> bytes:
        assert self._process is not None and self._process.stdout is not None
        stream = self._process.stdout
        deadline = time.monotonic() + timeout
        buffer = b""
        with selectors.DefaultSelector() as selector:
            selector.register(stream, selectors.EVENT_READ)
            while b"\n" not in buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    break
                chunk = os.read(stream.fileno(), 4096)
                if not chunk:
                    break
                buffer += chunk
        return buffer.split(b"\n", 1)[0]

    def _tail(self, size: int = 2000) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return text[-size:].strip() or "(no output)"

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, wait, SIGKILL if needed; returns the exit code."""
        process, self._process = self._process, None
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()
        if self._log is not None:
            self._log.close()
            self._log = None
        return process.returncode

    def __enter__(self) -> ProxyProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
