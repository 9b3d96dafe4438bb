"""``harness demo``: bring the stack up, walk the demonstration journey, stop everything."""

from __future__ import annotations

import argparse

from harness.cli.common import add_state_dir, port_base, positive_float, print_failure
from harness.cli.up import progress, stop_on_signals
from harness.errors import Interrupted, ServiceFailedError
from harness.stack.database import DEFAULT_POSTGRES_URL
from harness.stack.embedded import EmbeddedStack
from harness.stack.options import DATABASE_MODES, StackOptions
from harness.stack.topology import Topology


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="start the stack, run the demonstration journey, stop",
        description="Start the embedded stack, walk the order saga's three outcomes "
        "through the gateway (completed, declined, out of stock with refund), then stop "
        "everything, whatever happened.",
    )
    parser.add_argument(
        "--port-base",
        type=port_base,
        default=8000,
        metavar="N",
        help="first port; every port derives from it (default: 8000)",
    )
    add_state_dir(parser)
    parser.add_argument(
        "--timeout",
        type=positive_float,
        default=60.0,
        metavar="S",
        help="seconds to wait for all-ready, and for each order (default: 60)",
    )
    parser.add_argument("--database", choices=DATABASE_MODES, default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, metavar="URL")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from harness.demo import Demo  # loaded on use: the journey is not needed by other commands

    options = StackOptions(
        ready_timeout=args.timeout,
        database=args.database,
        postgres_url=args.postgres_url,
        routed=True,
    )
    topology = Topology(port_base=args.port_base)
    stack = EmbeddedStack(topology, args.state_dir, options=options, on_ready=progress)
    with stop_on_signals(stack.cancel):
        try:
            seconds = stack.start()
            print(f"all ready in {seconds:.2f} s; running the journey", flush=True)
            secrets = stack.secrets
            Demo(
                gateway_url=stack.url("gateway"),
                admin_email=secrets.admin_email,
                admin_password=secrets.admin_password,
                say=lambda line: print(line, flush=True),
                deadline_s=args.timeout,
            ).run()
        except Interrupted:
            return 0
        except ServiceFailedError as exc:
            print_failure(exc)
            return 1
        finally:
            stack.stop()
            print("stopped; no process left", flush=True)
    return 0
