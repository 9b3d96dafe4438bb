"""``harness status``: what is up, checked now (pid alive, /health/ready answered)."""

from __future__ import annotations

import argparse
import json

from harness.cli.common import add_state_dir
from harness.cli.table import format_table
from harness.stack.status import StackStatus, stack_status


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "status",
        help="show what is up",
        description="Show each recorded process: pid alive or not, and readiness probed now.",
        epilog="Exit code: 0 when every process is alive and ready, 1 otherwise.",
    )
    add_state_dir(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    status = stack_status(args.state_dir)
    if args.json:
        print(json.dumps(status.to_dict(), indent=2))
    else:
        print(render(status))
    return 0 if status.all_ready else 1


def render(status: StackStatus) -> str:
    state = status.state
    where = status.state_dir.resolve()
    if state is None or not status.running:
        return f"nothing running (state folder {where})"
    header = (
        f"stack on port base {state.port_base}, started {state.started_at}, "
        f"database {state.database.mode}"
    )
    rows = [(p.name, p.url, p.pid or "-", p.label) for p in status.processes]
    summary = "all ready" if status.all_ready else "NOT all ready"
    return "\n".join([header, format_table(("service", "url", "pid", "status"), rows), summary])
