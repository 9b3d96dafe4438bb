"""``harness new service NAME``: scaffold a service, contract first."""

from __future__ import annotations

import argparse
import subprocess
import sys

from harness.errors import HarnessError
from harness.target import PROJECT_ROOT


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("new", help="scaffold a service from the kit")
    kinds = parser.add_subparsers(dest="new_kind", metavar="KIND", required=True)
    service = kinds.add_parser(
        "service",
        help="a working service: package, contract, first migration, registry entry, tests",
    )
    service.add_argument("name", help="lowercase letters and digits, e.g. shipping")
    service.set_defaults(func=run_service)
    endpoint = kinds.add_parser(
        "endpoint",
        help="an operation: route skeleton, contract entry, and a failing test naming the TODO",
    )
    endpoint.add_argument("service")
    endpoint.add_argument("method", help="GET, POST, PUT, PATCH or DELETE")
    endpoint.add_argument("path", help="e.g. /shipping/quotes/{quote_id}")
    endpoint.set_defaults(func=run_endpoint)
    event = kinds.add_parser(
        "event",
        help="an event: AsyncAPI entry (judged by the gate), publisher and consumer "
        "skeletons, and a failing test per side naming its TODO",
    )
    event.add_argument("name", help="lowercase dotted words, thing.happened (e.g. order.shipped)")
    event.add_argument("--producer", required=True, metavar="S", help="the publishing service")
    event.add_argument(
        "--consumer",
        required=True,
        action="extend",
        nargs="+",
        metavar="S",
        help="consuming service(s); repeat the flag or list several",
    )
    event.set_defaults(func=run_event)


def export_contracts() -> None:
    """Contracts from code, in a fresh process that reads the changed files."""
    step = [sys.executable, "-m", "harness.contracts.openapi_export"]
    done = subprocess.run(step, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise HarnessError(f"exporting the contracts failed:\n{done.stderr[-2000:]}")


def run_endpoint(args: argparse.Namespace) -> int:
    from harness.scaffold.endpoint import plan_endpoint, write_endpoint

    plan = plan_endpoint(PROJECT_ROOT, args.service, args.method, args.path)
    written = write_endpoint(plan)
    export_contracts()
    contract = f"contracts/openapi/{plan.service}.yaml"
    print(f"added {plan.method} {plan.path} ({plan.operation_id}) to {contract}")
    for path in written:
        print(f"wrote {path.relative_to(PROJECT_ROOT)}")
    print(f"next: implement the TODO line of {plan.function}, then make test")
    return 0


def run_event(args: argparse.Namespace) -> int:
    from harness.scaffold.event import plan_event, write_event
    from harness.stack.topology import SERVICES

    services = sorted(s.name for s in SERVICES if s.name != "gateway")
    plan = plan_event(
        PROJECT_ROOT, args.name, producer=args.producer, consumers=args.consumer, services=services
    )
    written = write_event(plan)
    if plan.registry_changed:  # a service joined the bus: compose gives it Kafka
        step = [sys.executable, "-m", "harness.compose"]
        done = subprocess.run(step, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise HarnessError(f"harness.compose failed:\n{done.stderr[-2000:]}")
        print("regenerated docker-compose.yml and targets/compose*.yaml from the registry")
    print(f"added {plan.spec.event} to contracts/asyncapi/events.yaml")
    print(f"harness gate on that change: {plan.verdict}")
    for path in written:
        print(f"wrote {path.relative_to(PROJECT_ROOT)}")
    tests = " ".join(str(p.relative_to(PROJECT_ROOT)) for p in plan.tests)
    print(f"next: implement the TODO(harness new event) lines, then pytest {tests}")
    print(f"then: describe {plan.spec.event} in docs/runtime-contract.md (docs/common-tasks.md)")
    return 0


def run_service(args: argparse.Namespace) -> int:
    from harness.scaffold.service import plan_service, write_service

    plan = plan_service(PROJECT_ROOT, args.name)
    written = write_service(plan)
    # The registry changed on disk: the next steps run in fresh processes that read it.
    for step in (
        [sys.executable, "-m", "harness.contracts.openapi_export"],
        [sys.executable, "-m", "harness.compose"],  # docker-compose picks the service up
        [
            sys.executable,
            "-m",
            "harness.cli.main",
            "migrate",
            "revision",
            plan.name,
            "-m",
            "initial schema",
        ],
    ):
        done = subprocess.run(step, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise HarnessError(f"{' '.join(step[2:])} failed:\n{done.stderr[-2000:]}")
    for path in written:
        print(f"wrote {path.relative_to(PROJECT_ROOT)}")
    print(f"wrote contracts/openapi/{plan.name}.yaml and its first migration")
    print(f"registered {plan.name} on port base + {plan.offset} in harness/stack/topology.py")
    print("regenerated docker-compose.yml and targets/compose*.yaml from the registry")
    print("next: make test, then harness up")
    return 0
