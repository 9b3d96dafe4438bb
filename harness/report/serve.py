"""Serve the HTML report on 127.0.0.1: Allure 3's report loads its data with fetch(),
which browsers refuse for ``file://`` pages, so it has to come from a web server."""

from __future__ import annotations

import errno
import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from harness.report.errors import ReportError

HOST = "127.0.0.1"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # one line per file is noise
        return


def make_server(folder: Path, *, port: int = 0) -> ThreadingHTTPServer:
    """A server for ``folder`` on 127.0.0.1 (port 0: a free one); not started yet."""
    if not (folder / "index.html").exists():
        raise ReportError(
            f"no report to serve: {folder / 'index.html'} does not exist; run "
            "`harness report` (or `harness run`) first"
        )
    handler = functools.partial(_QuietHandler, directory=str(folder))
    try:
        return ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ReportError(
                f"port {port} is in use on {HOST}; choose another with --port N, or leave "
                "--port out for a free one"
            ) from exc
        raise ReportError(f"cannot serve on {HOST}:{port}: {exc.strerror}") from exc


def url_of(server: ThreadingHTTPServer) -> str:
    return f"http://{HOST}:{server.server_address[1]}/"


@contextmanager
def serving(folder: Path, *, port: int = 0) -> Iterator[str]:
    """Serve ``folder`` from a background thread for the ``with`` block; yields the URL."""
    server = make_server(folder, port=port)
    thread = threading.Thread(target=server.serve_forever, name="report-server", daemon=True)
    thread.start()
    try:
        yield url_of(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
