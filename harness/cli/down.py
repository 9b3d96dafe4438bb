"""``harness down``: stop every process a state folder records."""

from __future__ import annotations

import argparse

from harness.cli.common import add_state_dir, positive_float
from harness.stack.teardown import down


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "down",
        help="stop the embedded stack",
        description="Stop every process recorded in the state folder (SIGTERM to each "
        "process group, SIGKILL after the timeout) and drop throwaway databases. "
        "Safe to run twice.",
    )
    add_state_dir(parser)
    parser.add_argument(
        "--timeout",
        type=positive_float,
        default=10.0,
        metavar="S",
        help="seconds to wait after SIGTERM before SIGKILL (default: 10)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    report = down(args.state_dir, timeout=args.timeout)
    if not report.anything_stopped:
        print(f"nothing running (state folder {args.state_dir.resolve()})")
        return 0
    if report.stopped_harness_pid:
        print(f"stopped the foreground harness (pid {report.stopped_harness_pid})")
    if report.stopped:
        print(f"stopped {len(report.stopped)} process(es): {', '.join(report.stopped)}")
    if report.dropped_databases:
        print(f"dropped databases: {', '.join(report.dropped_databases)}")
    return 0
