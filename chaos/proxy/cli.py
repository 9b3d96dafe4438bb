"""``python -m chaos.proxy``: run the fault proxy and its API until SIGTERM or SIGINT.

Flags follow the real ``toxiproxy-server`` (``-host``, ``-port``, ``-config``, ``-seed``
are accepted with one dash or two), with safer defaults: the API binds 127.0.0.1 and
refuses any other address without ``--allow-remote``; ``--token`` (or the
``TOXIPROXY_TOKEN`` environment variable) requires ``Authorization: Bearer TOKEN``.

Once serving, one JSON line goes to stdout, e.g.
``{"event": "ready", "url": "http://127.0.0.1:8474", "port": 8474, "version": "..."}``,
so a parent process learns the port even with ``--port 0``. Logs go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

from chaos.proxy import model
from chaos.proxy.errors import ApiError, ConfigError, ProxyError
from chaos.proxy.server import DEFAULT_PORT, VERSION, ProxyServer, run_loop
from chaos.proxy.toxics import RNG

log = logging.getLogger("chaos.proxy")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m chaos.proxy",
        description="A fault-injection TCP proxy that speaks the Toxiproxy HTTP API.",
    )
    parser.add_argument("--host", "-host", default="127.0.0.1", help="API address (127.0.0.1)")
    parser.add_argument("--port", "-port", type=int, default=DEFAULT_PORT, help="API port (8474)")
    parser.add_argument(
        "--config", "-config", type=Path, help="JSON array of proxies to create, as /populate"
    )
    parser.add_argument(
        "--allow-remote", action="store_true", help="allow a non-loopback --host (no auth!)"
    )
    parser.add_argument(
        "--token", help="require 'Authorization: Bearer TOKEN' (default: $TOXIPROXY_TOKEN)"
    )
    parser.add_argument("--seed", "-seed", type=int, help="seed for jitter, toxicity, slicing")
    parser.add_argument(
        "--log-level", default=os.environ.get("LOG_LEVEL", "info"), help="debug, info, warning"
    )
    for flag in ("proxy-metrics", "runtime-metrics"):
        parser.add_argument(
            f"--{flag}", f"-{flag}", action="store_true", help="accepted; /metrics is always on"
        )
    parser.add_argument("--version", "-version", action="version", version=VERSION)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the server; returns the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    _configure_logging(args.log_level)
    if args.seed is not None:
        RNG.seed(args.seed)
    token = args.token if args.token is not None else os.environ.get("TOXIPROXY_TOKEN")
    try:
        entries = load_config(args.config) if args.config else []
        server = ProxyServer(
            host=args.host, port=args.port, token=token, allow_remote=args.allow_remote
        )
        return run_loop(_serve(server, entries, args.config))
    except ConfigError as exc:
        sys.stderr.write(f"chaos.proxy: error: {exc}\n")
        return 2


def load_config(path: Path) -> list[model.ProxyInput]:
    """Read and check a --config file (same JSON as POST /populate) before serving."""
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    try:
        return model.parse_populate(body)
    except ApiError as exc:
        raise ConfigError(
            f"config file {path}: {exc.message} "
            '(expected a JSON array of {"name", "listen", "upstream", "enabled"} objects)'
        ) from None


async def _serve(server: ProxyServer, entries: list[model.ProxyInput], config: Path | None) -> int:
    stop = _stop_on_signals()  # before "ready": a parent may signal as soon as it reads it
    await server.start()
    try:
        async with server.collection.lock:
            created, error = await server.collection.populate(entries)
        if error is not None:
            failed = entries[len(created)]
            raise ConfigError(f"config file {config}: proxy {failed.name!r}: {error.message}")
        if entries:
            log.info("populated %d proxies from %s", len(created), config)
        _announce(
            {"event": "ready", "url": server.url, "port": server.api_port, "version": VERSION}
        )
        await stop.wait()
        log.info("shutting down")
    finally:
        await server.stop()
    return 0


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


def _announce(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def _configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonFormatter())
    root = logging.getLogger("chaos.proxy")
    root.handlers[:] = [handler]
    numeric = logging.getLevelName(level.upper())
    root.setLevel(numeric if isinstance(numeric, int) else logging.INFO)
    root.propagate = False


__all__ = ["ProxyError", "build_parser", "load_config", "main"]
