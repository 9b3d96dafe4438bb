"""Options shared by the stack commands, and how failures are shown."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from harness.errors import ServiceFailedError
from harness.stack.topology import Topology

DEFAULT_STATE_DIR = ".harness"


def add_state_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=Path(os.environ.get("HARNESS_STATE_DIR", DEFAULT_STATE_DIR)),
        metavar="DIR",
        help="folder for stack.json, logs and data (default: $HARNESS_STATE_DIR or .harness)",
    )


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0")
    return value


def port_base(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    highest = 65535 - max(Topology(port_base=0).all_ports())
    if not 1024 <= value <= highest:
        raise argparse.ArgumentTypeError(f"{value} is out of range: use 1024..{highest}")
    return value


def print_failure(exc: ServiceFailedError) -> None:
    """The failing process, why, and the end of its log, on stderr."""
    print(f"harness: {exc.name} failed: {exc.reason}", file=sys.stderr)
    if exc.log_tail:
        print(f"--- last {len(exc.log_tail)} lines of {exc.name}'s log:", file=sys.stderr)
        for line in exc.log_tail:
            print(f"    {line}", file=sys.stderr)
