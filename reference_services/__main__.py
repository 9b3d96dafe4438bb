"""Run one reference service: ``python -m reference_services NAME``."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def services() -> list[str]:
    """Every service package (one with a main.py), so a scaffolded service runs as-is."""
    return sorted(p.parent.name for p in PACKAGE.glob("*/main.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reference_services",
        description="Run one reference service with uvicorn (settings from the environment).",
    )
    parser.add_argument("name", choices=services(), help="the service to run")
    args = parser.parse_args(argv)
    module = importlib.import_module(f"reference_services.{args.name}.main")
    try:
        settings = module.load_settings()
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        print(f"{args.name}: invalid settings: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    import uvicorn

    uvicorn.run(
        f"reference_services.{args.name}.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_config=None,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
