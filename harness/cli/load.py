"""``harness load``: Locust journeys against the gateway, with the UI or headless + SLOs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from harness.cli.common import add_state_dir, port_base, positive_float
from harness.errors import ConfigError
from harness.target import PROJECT_ROOT
from loadtests.profiles import SHAPES as PROFILES

if TYPE_CHECKING:
    from harness.load.runner import LoadPlan
    from harness.load.slo import Objective

DEFAULT_SLO = PROJECT_ROOT / "loadtests" / "slo.yaml"
EXPERIMENTS = PROJECT_ROOT / "chaos" / "experiments"
SHAPES = tuple(PROFILES)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def fault_entry(text: str) -> str:
    from harness.load.faults import parse_schedule

    try:
        parse_schedule(text)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


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
    parser.add_argument(
        "--fault",
        action="append",
        type=fault_entry,
        default=[],
        metavar="NAME@START-STOP",
        help="switch a chaos fault on from START to STOP seconds into the run (repeatable; "
        "names: the chaos/experiments files and cut-<link>); without --shape, soak is used",
    )
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
    from harness.load.runner import LoadPlan, run_locust
    from harness.load.seed import seed_catalog
    from harness.load.slo import load_objectives
    from harness.load.switch import switch_off_leftovers
    from harness.run.targets import resolve_target

    if args.workers < 0:
        raise ConfigError("--workers must be 0 (one process) or more")
    objectives = load_objectives(args.slo) if args.headless else []
    with resolve_target(
        args.target, state_dir=args.state_dir, port_base=args.port_base, say=print
    ) as target:
        schedule = fault_schedule(args, target.toxiproxy)
        seed_catalog(target)
        plan = LoadPlan(
            host=target.gateway,
            out=args.reports / "load",
            users=args.users,
            spawn_rate=args.spawn_rate,
            duration=args.duration,
            shape=args.shape or ("soak" if schedule else None),
            workers=args.workers,
            ui=not args.headless,
            web_host=args.web_host,
            web_port=args.web_port,
            toxiproxy=target.toxiproxy,
            faults=schedule,
        )
        what = f"{plan.users} users" if not plan.shape else f"shape {plan.shape}"
        if args.headless:
            print(f"load: {what} for {plan.duration:g} s against {plan.host}", flush=True)
        try:
            run_locust(plan, say=lambda line: print(line, flush=True))
        finally:
            if target.toxiproxy:
                left = switch_off_leftovers(target.toxiproxy, EXPERIMENTS, plan.out)
                if left:
                    print(f"switched off faults left on: {', '.join(left)}")
    return report(args, plan, objectives)


def fault_schedule(args: argparse.Namespace, toxiproxy: str | None) -> str:
    """The --fault entries, checked against the faults the target's proxy offers."""
    from harness.chaos.world import Toxiproxy
    from harness.load.faults import parse_schedule
    from harness.load.switch import available_faults

    text = ",".join(args.fault)
    if not text:
        return ""
    if not toxiproxy:
        raise ConfigError("--fault needs a target with a fault proxy (toxiproxy: URL)")
    known = [f.name for f in available_faults(Toxiproxy(toxiproxy), EXPERIMENTS)]
    for entry in parse_schedule(text, known):
        if entry.start >= args.duration:
            raise ConfigError(
                f"--fault {entry.fault}@{entry.start:g}-{entry.stop:g}: starts after the run "
                f"ends ({args.duration:g} s); lower START or raise --duration"
            )
    return text


def report(args: argparse.Namespace, plan: LoadPlan, objectives: list[Objective]) -> int:
    from harness.load import results
    from harness.load.faults import read_journal
    from harness.load.slo import evaluate
    from harness.load.stats import read_stats

    windows = read_journal(plan.out)
    spans = results.fault_spans(windows, plan.history_csv)
    if windows:
        print(results.fault_table(windows, spans))
    results.write_charts(plan.out, plan.history_csv, spans)
    print(f"Locust report: {plan.html_report}; CSV: {plan.out}/stats_*.csv, faults.csv")
    if not args.headless:
        results.write_summary(plan.out, [], windows, spans)
        return 0
    if not plan.stats_csv.exists():
        print(f"no statistics were written ({plan.stats_csv}); see {plan.out}/locust.log")
        return 1
    verdicts = evaluate(objectives, read_stats(plan.stats_csv))
    print(results.slo_table(verdicts))
    results.write_summary(plan.out, verdicts, windows, spans)
    results.write_allure(
        args.reports / "allure-results", verdicts, history_csv=plan.history_csv, faults=spans
    )
    return 0 if all(v.held for v in verdicts) else 1
