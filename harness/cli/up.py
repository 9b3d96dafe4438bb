"""``harness up``: start the embedded stack, in the foreground or detached."""

from __future__ import annotations

import argparse
import contextlib
import shlex
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

from harness.cli.common import add_state_dir, port_base, positive_float, print_failure
from harness.cli.table import format_table
from harness.errors import Interrupted, ServiceFailedError
from harness.stack.database import DEFAULT_POSTGRES_URL
from harness.stack.embedded import EmbeddedStack
from harness.stack.options import DATABASE_MODES, StackOptions
from harness.stack.specs import DEFAULT_SERVICE_COMMAND
from harness.stack.topology import Topology

DESCRIPTION = """\
Start the Tansu broker and every reference service as local processes, wait until
each answers /health/ready and every Kafka consumer has joined its group (so the saga
runs from the first order), and print where they are. In the foreground (the default)
Ctrl-C or SIGTERM stops everything; with --detach the command returns once all are
ready and `harness down` stops them later."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("up", help="start the embedded stack", description=DESCRIPTION)
    parser.add_argument(
        "--port-base",
        type=port_base,
        default=8000,
        metavar="N",
        help="first port; every port derives from it (default: 8000)",
    )
    add_state_dir(parser)
    parser.add_argument(
        "--detach",
        action="store_true",
        help="return once all are ready and leave the processes running",
    )
    parser.add_argument(
        "--timeout",
        type=positive_float,
        default=30.0,
        metavar="S",
        help="seconds to wait for all-ready (default: 30)",
    )
    parser.add_argument(
        "--database",
        choices=DATABASE_MODES,
        default="sqlite",
        help="a SQLite file per service, or a throwaway PostgreSQL "
        "database per service (default: sqlite)",
    )
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES_URL,
        metavar="URL",
        help=f"server for --database postgres (default: {DEFAULT_POSTGRES_URL})",
    )
    parser.add_argument(
        "--test-mode", action="store_true", help="set {P}TEST_MODE=true: test-only endpoints on"
    )
    parser.add_argument(
        "--direct",
        action="store_true",
        help="connect services directly instead of through the fault proxy's named links "
        "(no chaos possible)",
    )
    parser.add_argument(
        "--defect",
        action="append",
        default=[],
        metavar="SERVICE:NAME",
        help="plant a documented defect (docs/defects.md), e.g. payments:no-compensation; "
        "repeatable",
    )
    parser.add_argument(
        "--service-command",
        default=" ".join(DEFAULT_SERVICE_COMMAND),
        metavar="CMD",
        help="command that runs one service; {python} and "
        "{name} are filled in (default: %(default)s)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = StackOptions(
        ready_timeout=args.timeout,
        database=args.database,
        postgres_url=args.postgres_url,
        test_mode=args.test_mode,
        defects=tuple(args.defect),
        routed=not args.direct,
        service_command=tuple(shlex.split(args.service_command)),
    )
    stack = EmbeddedStack(
        Topology(port_base=args.port_base), args.state_dir, options=options, on_ready=progress
    )
    with stop_on_signals(stack.cancel):
        return _run(stack, detach=args.detach)


def _run(stack: EmbeddedStack, *, detach: bool) -> int:
    print(
        f"starting the stack (port base {stack.topology.port_base}, state {stack.state_dir}) ...",
        flush=True,
    )
    try:
        seconds = stack.start()
        print(format_table(("service", "url", "pid", "status"), _rows(stack)))
        print(f"all ready in {seconds:.2f} s", flush=True)
        if detach:
            stack.detach()
            print(f"detached; stop with: harness down --state-dir {stack.state_dir}")
            return 0
        print("running; press Ctrl-C to stop", flush=True)
        stack.watch()
    except Interrupted:
        pass
    except ServiceFailedError as exc:
        print_failure(exc)
        _stop(stack)
        return 1
    _stop(stack)
    return 0


def _stop(stack: EmbeddedStack) -> None:
    print("stopping ...", flush=True)
    stack.stop()
    print("stopped; no process left", flush=True)


def _rows(stack: EmbeddedStack) -> list[tuple[str, str, int, str]]:
    return [
        (name, record.url, record.pid or 0, "ready")
        for name, record in stack.state.processes.items()
    ]


def progress(name: str, seconds: float) -> None:
    print(f"  {name} ready after {seconds:.2f} s", flush=True)


@contextlib.contextmanager
def stop_on_signals(cancel: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM only set ``cancel``: the stack stops at its next poll, never
    halfway through spawning a child it would then lose track of."""

    def handler(signum: int, frame: FrameType | None) -> None:
        cancel.set()

    watched = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, handler) for sig in watched}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        sys.stdout.flush()
