"""``harness chaos``: list and run the experiments in chaos/experiments/."""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.cli.common import add_state_dir, port_base
from harness.errors import ConfigError
from harness.target import PROJECT_ROOT

EXPERIMENTS = PROJECT_ROOT / "chaos" / "experiments"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("chaos", help="chaos experiments on the fault proxy's links")
    actions = parser.add_subparsers(dest="chaos_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the experiments, validated")
    listing.add_argument("--folder", type=Path, default=EXPERIMENTS)
    listing.set_defaults(func=run_list)
    run = actions.add_parser("run", help="run an experiment (or all); exit 1 on a deviation")
    run.add_argument("name", help="an experiment's file name without .yaml, or all")
    run.add_argument("--folder", type=Path, default=EXPERIMENTS)
    run.add_argument("--target", default="embedded", metavar="embedded|compose|FILE")
    run.add_argument("--port-base", type=port_base, default=8000, metavar="N")
    add_state_dir(run)
    run.add_argument("--reports", type=Path, default=Path("reports"), metavar="DIR")
    run.set_defaults(func=run_experiments)


def run_list(args: argparse.Namespace) -> int:
    from harness.chaos.spec import experiments_in, load_experiment

    for path in experiments_in(args.folder):
        experiment = load_experiment(path)
        print(f"{experiment.name:<28} {experiment.title}")
    return 0


def run_experiments(args: argparse.Namespace) -> int:
    from harness.chaos.report import write_allure
    from harness.chaos.runner import run_experiment, write_journal
    from harness.chaos.spec import experiments_in, load_experiment
    from harness.run.targets import resolve_target

    paths = experiments_in(args.folder)
    if args.name != "all":
        paths = [p for p in paths if p.stem == args.name]
        if not paths:
            known = ", ".join(p.stem for p in experiments_in(args.folder))
            raise ConfigError(f"no experiment {args.name!r} in {args.folder}; known: {known}")
    experiments = [load_experiment(p) for p in paths]  # all validated before anything runs
    verdicts = []
    with resolve_target(
        args.target, state_dir=args.state_dir, port_base=args.port_base, say=print
    ) as target:
        for experiment in experiments:
            print(f"{experiment.name}: {experiment.title}", flush=True)
            journal, world = run_experiment(
                experiment, target, lambda line: print(line, flush=True)
            )
            path = write_journal(journal, world, args.reports / "chaos")
            write_allure(args.reports / "allure-results", journal, world, path.read_text())
            verdicts.append((experiment.name, journal.held, path))
            if journal.interrupted:
                break
    print()
    for name, held, path in verdicts:
        print(f"{name:<28} {'held' if held else 'DEVIATED':<9} {path}")
    return 0 if verdicts and all(held for _, held, _ in verdicts) else 1
