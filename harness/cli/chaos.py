"""``harness chaos``: list and run the experiments in chaos/experiments/."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from harness.cli.common import add_state_dir, port_base
from harness.errors import ConfigError
from harness.target import PROJECT_ROOT, Target

if TYPE_CHECKING:
    from harness.chaos.spec import Experiment

Verdict = tuple[str, str, str]  # experiment, held|DEVIATED, journal

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
    from harness.chaos.spec import experiments_in, load_experiment
    from harness.run.targets import resolve_target

    paths = experiments_in(args.folder)
    if args.name != "all":
        paths = [p for p in paths if p.stem == args.name]
        if not paths:
            known = ", ".join(p.stem for p in experiments_in(args.folder))
            raise ConfigError(f"no experiment {args.name!r} in {args.folder}; known: {known}")
    experiments = [load_experiment(p) for p in paths]  # all validated before anything runs
    with resolve_target(
        args.target, state_dir=args.state_dir, port_base=args.port_base, say=print
    ) as target:
        runnable = _with_links(experiments, target, every=args.name == "all")
        verdicts = _run_all(runnable, target, args.reports)
    print()
    for name, verdict, where in verdicts:
        print(f"{name:<28} {verdict:<9} {where}")
    ran = [verdict for _, verdict, _ in verdicts if verdict != "skipped"]
    return 0 if ran and all(verdict == "held" for verdict in ran) else 1


def _with_links(experiments: list[Experiment], target: Target, *, every: bool) -> list[Experiment]:
    """The experiments whose links are all on the target's fault proxy. A named experiment
    without its links is an error; ``all`` skips it (say so) and runs the rest."""
    import httpx

    from harness.chaos.spec import missing_links
    from harness.chaos.world import Toxiproxy

    if not target.toxiproxy:
        raise ConfigError("the target has no toxiproxy URL: start the stack routed (the default)")
    try:
        known = Toxiproxy(target.toxiproxy).names()
    except httpx.HTTPError as exc:
        raise ConfigError(
            f"the fault proxy at {target.toxiproxy} did not answer ({exc}); is the stack up?"
        ) from exc
    runnable = []
    for experiment in experiments:
        problem = missing_links(experiment, known)
        if problem is None:
            runnable.append(experiment)
        elif every:
            print(f"skipped {experiment.name}: {problem}")
        else:
            raise ConfigError(problem)
    return runnable


def _run_all(experiments: list[Experiment], target: Target, reports: Path) -> list[Verdict]:
    from harness.chaos.report import write_allure
    from harness.chaos.runner import run_experiment, write_journal

    verdicts: list[Verdict] = []
    for experiment in experiments:
        print(f"{experiment.name}: {experiment.title}", flush=True)
        journal, world = run_experiment(experiment, target, lambda line: print(line, flush=True))
        path = write_journal(journal, world, reports / "chaos")
        write_allure(reports / "allure-results", journal, world, path.read_text())
        verdicts.append((experiment.name, "held" if journal.held else "DEVIATED", str(path)))
        if journal.interrupted:
            break
    return verdicts
