"""``harness proxy ...``: the fault proxy's own CLI (chaos.proxy), loaded on demand."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from harness.errors import FeatureUnavailableError

MODULE = "chaos.proxy.cli"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "proxy",
        help="run the Toxiproxy-compatible fault proxy (chaos.proxy)",
        description="Everything after `proxy` goes to the fault proxy's own CLI.",
        add_help=False,
        prefix_chars="\0",  # hand every argument, --help included, to chaos.proxy
    )
    parser.add_argument("proxy_args", nargs=argparse.REMAINDER)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    main = _load_main()
    result = main(list(args.proxy_args))
    return int(result or 0)


def _load_main() -> Any:
    try:
        module = importlib.import_module(MODULE)
    except ModuleNotFoundError as exc:
        # Only a missing chaos.proxy means "not built yet"; a missing dependency inside
        # it is a real error and keeps its traceback.
        if exc.name is None or not MODULE.startswith(exc.name):
            raise
        raise FeatureUnavailableError(
            f"the fault proxy is not available: module {MODULE} not found "
            "(chaos/proxy is not built yet, or the package is not installed)"
        ) from exc
    return module.main
