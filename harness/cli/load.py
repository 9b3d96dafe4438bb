"""``harness load``: Locust journeys against the gateway, with the UI or headless + SLOs."""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.cli.common import add_state_dir, port_base, positive_float
from harness.errors import ConfigError
from harness.target import PROJECT_ROOT
from loadtests.profiles import SHAPES as PROFILES

DEFAULT_SLO = PROJECT_ROOT / "loadtests" / "slo.yaml"
SHAPES = tuple(PROFILES)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "load",
        help="load-test the gateway with Locust (web UI, or headless with SLOs)",
        description="Shopper journeys (browse, register and log in, order and follow the "
        "saga, notifications) against the gateway. --ui serves Locust's web UI on "
        "127.0.0.1:8089; --headless runs for --duration and checks the SLO file, exiting 1 "
        "when an objective broke. The embedded stack is started when it is not up.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--ui", action="store_true", help="serve Locust's web UI (the default)")
    mode.add_argument("--headless", action="store_true", help="run without UI, check SLOs")
    parser.add_argument("--users", type=positive_int, default=10, metavar="N")
    parser.add_argument("--spawn-rate", type=positive_float, default=5.0, metavar="R")
    parser.add_argument(
        "--duration", type=positive_float, default=30.0, metavar="S", help="seconds (default 30)"
    )
    parser.add_argument("--shape", choices=SHAPES, default=None, help="a named load shape")
    parser.add_argument("--workers", type=int, default=0, metavar="N", help="distributed mode")
    parser.add_argument("--slo", type=Path, default=DEFAULT_SLO, metavar="FILE")
    parser.add_argument("--web-host", default="127.0.0.1", help="UI bind address (loopback)")
    parser.add_argument("--web-port", type=int, default=8089)
    parser.add_argument(
        "--target", default="embedded", metavar="embedded|compose|FILE", help="what to load"
    )
    parser.add_argument("--port-base", type=port_base, default=8000, metavar="N")
    add_state_dir(parser)
    parser.add_argument("--reports", type=Path, default=Path("reports"), metavar="DIR")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from harness.load.results import slo_table, write_allure
    from harness.load.runner import LoadPlan, run_locust
    from harness.load.seed import seed_catalog
    from harness.load.slo import evaluate, load_objectives
    from harness.load.stats import read_stats
    from harness.run.targets import resolve_target

    if args.workers < 0:
        raise ConfigError("--workers must be 0 (one process) or more")
    objectives = load_objectives(args.slo) if args.headless else []
    with resolve_target(
        args.target, state_dir=args.state_dir, port_base=args.port_base, say=print
    ) as target:
        seed_catalog(target)
        plan = LoadPlan(
            host=target.gateway,
            out=args.reports / "load",
            users=args.users,
            spawn_rate=args.spawn_rate,
            duration=args.duration,
            shape=args.shape,
            workers=args.workers,
            ui=not args.headless,
            web_host=args.web_host,
            web_port=args.web_port,
        )
        what = f"{plan.users} users" if not plan.shape else f"shape {plan.shape}"
        if args.headless:
            print(f"load: {what} for {plan.duration:g} s against {plan.host}", flush=True)
        run_locust(plan, say=lambda line: print(line, flush=True))
    print(f"Locust report: {plan.html_report}; CSV: {plan.out}/stats_*.csv")
    if not args.headless:
        return 0
    if not plan.stats_csv.exists():
        print(f"no statistics were written ({plan.stats_csv}); see {plan.out}/locust.log")
        return 1
    verdicts = evaluate(objectives, read_stats(plan.stats_csv))
    print(slo_table(verdicts))
    write_allure(args.reports / "allure-results", verdicts, history_csv=plan.history_csv)
    return 0 if all(v.held for v in verdicts) else 1
