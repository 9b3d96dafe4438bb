"""``harness``: one subcommand per module in this package.

Exit codes: 0 success; 1 an operational failure (one line on stderr, from a
``HarnessError``); 2 wrong arguments (argparse). Add a command by writing a module with
``register(subparsers)`` and listing it in ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from harness.cli import (
    chaos,
    demo,
    down,
    gate,
    load,
    migrate,
    new,
    pacts,
    proxy,
    report,
    run,
    status,
    up,
)
from harness.errors import HarnessError

COMMANDS = (up, down, status, demo, run, report, chaos, load, migrate, new, proxy, gate, pacts)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="harness",
        description="Contract-first test and simulation harness for microservices.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except HarnessError as exc:
        print(f"harness: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("harness: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
