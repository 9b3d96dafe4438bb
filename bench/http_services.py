"""HTTP throughput of the reference services next to a bare FastAPI endpoint, in one run.

Starts the embedded stack (Tansu + seven services, SQLite) and ``bench/bare_app.py``,
seeds a product with stock and a customer through the gateway, then measures with one
load generator (``bench/loadgen.py``, its own process, same connections for all) in
interleaved rounds (bare, direct, gateway read, gateway order, bare, ...):

- ``bare``            GET  /products/{id}      the baseline: a bare FastAPI endpoint
- ``products-direct`` GET  /products/{id}      on the products service
- ``gateway-read``    GET  /api/products/{id}  through the gateway
- ``gateway-order``   POST /api/orders         through the gateway, a new order each
                                               (unique Idempotency-Key per request)

Then one more run measures orders carried all the way through the saga
(``bench/saga_drain.py``): ``--saga-s`` seconds of orders, and the wall time until every
one of them reached COMPLETED or CANCELLED. A last run, for diagnosis, does the same with
the saga's consumers (payments, inventory, notifications) stopped during the load: what
the order's request path alone accepts.

Every server is one uvicorn process with the same options. The gateway's per-client
rate limit is raised for this run (one client sends all the load), and the run stops
at the first response that is not 2xx. Before every run the machine must go quiet, so
the saga an order round sets off does not slow the round after it. Prints the table and
each target's throughput as a share of the bare endpoint's, next to the goals::

    .venv/bin/python bench/http_services.py [--rounds 7 --round-s 2] [--json PATH]

The figures also go to ``reports/bench/http_services.json``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/http_services.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.http_fixtures import Fixtures, seed
from bench.http_targets import (
    NonSuccessResponses,
    Plan,
    Target,
    compare,
    load_config,
    write_report,
)
from bench.procs import ROOT, bare_app_argv, free_port, running_server, wait_quiet
from bench.saga_drain import SagaStuck, saga_run
from harness.stack.embedded import EmbeddedStack
from harness.stack.options import StackOptions
from harness.stack.ports import pick_free_port_base
from harness.stack.topology import KAFKA, Topology

BASELINE = "bare"
GOALS = {"products-direct": 0.60, "gateway-read": 0.35, "gateway-order": 0.15}
"""Least throughput, as a share of the bare endpoint's, each target should reach."""
RATE_LIMIT_ENV = {
    "GATEWAY_RATE_LIMIT_PER_SECOND": "1000000",
    "GATEWAY_RATE_LIMIT_BURST": "1000000",
}
"""The gateway allows 200 requests/s per client (burst 400); the benchmark is one client."""
SYSTEM = ("gateway", "users", "products", "orders", "payments", "inventory", "notifications", KAFKA)
"""Every process of the stack: an order's cost includes the saga it sets off."""
SAGA_ONLY = ("payments", "inventory", "notifications")
"""Processes that only carry the saga on (consumers); the request path never calls them."""
DEFAULT_STATE_DIR = ROOT / ".harness" / "bench-http"
DEFAULT_JSON = ROOT / "reports" / "bench" / "http_services.json"
SETUP = (
    "servers: uvicorn (uvloop, httptools), one process each, as `harness up` runs them "
    "(SQLite, INFO access logs); load: bench/loadgen.py in its own process, "
    "{concurrency} keep-alive connections, closed loop, 127.0.0.1 only"
)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    plan = Plan(
        rounds=args.rounds,
        round_s=args.round_s,
        warmup_s=args.warmup_s,
        concurrency=args.concurrency,
    )
    plan.validate()
    os.environ.update(RATE_LIMIT_ENV)  # the stack's processes inherit our environment
    print(SETUP.format(concurrency=plan.concurrency))
    print(_rate_limit_note())
    try:
        report = _run(plan, args.state_dir, args.saga_s)
    except (NonSuccessResponses, SagaStuck) as exc:
        print(f"FAILED: {exc}\nservice logs: {args.state_dir / 'logs'}", file=sys.stderr)
        return 1
    misses = _print_verdict(report)
    _print_saga(report["saga"])
    _print_request_path(report["request_path"])
    print(f"figures: {write_report(report, args.json)}")
    return 3 if misses and args.fail_on_miss else 0


def _run(plan: Plan, state_dir: Path, saga_s: float) -> dict[str, Any]:
    """Bring everything up, seed, compare; stop everything whatever happens."""
    with ExitStack() as cleanup:
        stack = EmbeddedStack(Topology(pick_free_port_base()), state_dir, options=StackOptions())
        print(f"embedded stack all-ready in {stack.start():.1f}s (state and logs: {state_dir})")
        cleanup.callback(stack.stop)
        bare_port = free_port()
        bare_url = f"http://127.0.0.1:{bare_port}"
        bare = cleanup.enter_context(
            running_server(bare_app_argv(bare_port), ready_url=f"{bare_url}/products/x")
        )
        fixtures = seed(stack.url("gateway"), stack.secrets)
        print(f"seeded product {fixtures.product_id} with {fixtures.stock} units, one customer")
        pids = {name: stack.pid(name) for name in SYSTEM}
        targets = _targets(bare_url, bare.pid, stack, pids, fixtures)
        report = compare(targets, baseline=BASELINE, plan=plan, settle=wait_quiet)
        order = next(t for t in targets if t.name == "gateway-order")
        orders_load = replace(load_config(order, plan), duration_s=saga_s)
        orders_db = state_dir / "data" / "orders.db"
        wait_quiet()
        saga = saga_run(orders_load, orders_db)
        bare_rps = report["targets"][BASELINE]["median"]["rps"]
        report["saga"] = {**asdict(saga), "orders_per_s": saga.orders_per_s, "bare_rps": bare_rps}
        wait_quiet()
        alone = saga_run(orders_load, orders_db, paused=[pids[name] for name in SAGA_ONLY])
        report["request_path"] = {
            **asdict(alone),
            "accepted_per_s": alone.accepted_per_s,
            "bare_rps": bare_rps,
            "paused": list(SAGA_ONLY),
        }
        return report


def _targets(
    bare_url: str,
    bare_pid: int,
    stack: EmbeddedStack,
    pids: Mapping[str, int],
    fixtures: Fixtures,
) -> list[Target]:
    """The four targets; ``server_pids`` are the processes that work for each request:
    the ones on its path, and for an order the whole system (the saga runs on after the
    response, in payments, inventory, notifications and the broker)."""
    product, gateway = fixtures.product_id, stack.url("gateway")
    order_headers = {
        "Authorization": f"Bearer {fixtures.customer_token}",
        "Content-Type": "application/json",
        "Idempotency-Key": "{{uuid}}",
    }
    return [
        Target(BASELINE, f"{bare_url}/products/{product}", server_pids=(bare_pid,)),
        Target(
            "products-direct",
            f"{stack.url('products')}/products/{product}",
            server_pids=(pids["products"],),
        ),
        Target(
            "gateway-read",
            f"{gateway}/api/products/{product}",
            server_pids=(pids["gateway"], pids["products"]),
        ),
        Target(
            "gateway-order",
            f"{gateway}/api/orders",
            method="POST",
            headers=order_headers,
            body=fixtures.order_body,
            server_pids=tuple(pids.values()),
        ),
    ]


def _print_verdict(report: Mapping[str, Any]) -> list[str]:
    """Each target's rps ratio to the bare endpoint next to its goal; return the misses."""
    print(f"\nthroughput as a share of the bare endpoint ({BASELINE}), median of rounds:")
    misses = []
    for name, goal in GOALS.items():
        ratio = report["targets"][name]["ratio"]
        ok = ratio["rps"] >= goal
        misses += [] if ok else [name]
        spread = f"rounds {ratio['rps_min']:.1%}..{ratio['rps_max']:.1%}"
        verdict = "ok" if ok else "MISS"
        print(f"  {name:<16} {ratio['rps']:6.1%}  ({spread}; goal >= {goal:.0%})  {verdict}")
    return misses


def _print_saga(saga: Mapping[str, Any]) -> None:
    outcomes = ", ".join(f"{n} {k}" for k, n in sorted(saga["outcomes"].items()))
    share = saga["orders_per_s"] / saga["bare_rps"]
    print(
        f"\norders through the whole saga: {saga['accepted']} accepted in "
        f"{saga['load_s']:.1f}s, the last settled {saga['drain_s']:.1f}s later ({outcomes}): "
        f"{saga['orders_per_s']:.0f} orders/s, {share:.1%} of the bare endpoint's rps"
    )


def _print_request_path(run: Mapping[str, Any]) -> None:
    share = run["accepted_per_s"] / run["bare_rps"]
    print(
        f"order requests with the saga's consumers stopped ({', '.join(run['paused'])}; "
        f"diagnosis only): {run['accepted']} accepted in {run['load_s']:.1f}s, "
        f"{run['accepted_per_s']:.0f} orders/s, {share:.1%} of the bare endpoint's rps; "
        f"resumed, the saga settled them {run['drain_s']:.1f}s later"
    )


def _rate_limit_note() -> str:
    settings = ", ".join(f"{k}={v}" for k, v in RATE_LIMIT_ENV.items())
    return (
        f"gateway rate limit raised for this run ({settings}; default 200/s, burst 400 per "
        "client): the benchmark is a single client and must not measure 429s"
    )


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="reference services vs a bare FastAPI app")
    parser.add_argument("--rounds", type=int, default=Plan.rounds)
    parser.add_argument("--round-s", type=float, default=Plan.round_s)
    parser.add_argument("--warmup-s", type=float, default=Plan.warmup_s)
    parser.add_argument("--concurrency", type=int, default=Plan.concurrency)
    parser.add_argument("--saga-s", type=float, default=5.0, help="the saga run's load (s)")
    parser.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="figures as JSON")
    parser.add_argument("--fail-on-miss", action="store_true", help="exit 3 if a goal is missed")
    return parser.parse_args(argv)


if __name__ == "__main__":
    raise SystemExit(main())
