"""``harness run``: the suites over a running system, one report at the end."""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from harness.cli.common import add_state_dir, port_base
from harness.report.finish import finish_report
from harness.run.allure_results import attach_coverage
from harness.run.coverage import measure, render
from harness.run.runner import ReportPaths, SuiteResult, run_suite
from harness.run.suites import SUITES, select_suites
from harness.run.targets import resolve_target


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the contract, fuzz, drift and event suites; write the Allure report",
        description="Run the selected suites (default: all) against a target and write "
        "Allure results, JUnit XML and an HTML report. With the embedded target the stack "
        "is started when it is not already up, and stopped again afterwards. Exit 0 only "
        "when every selected suite passed.",
    )
    parser.add_argument(
        "suites", nargs="*", metavar="SUITE", help=f"any of: {', '.join(s.name for s in SUITES)}"
    )
    parser.add_argument(
        "--target",
        default="embedded",
        metavar="embedded|compose|FILE",
        help="what to test (default: embedded)",
    )
    parser.add_argument("--port-base", type=port_base, default=8000, metavar="N")
    add_state_dir(parser)
    parser.add_argument(
        "--reports", type=Path, default=Path("reports"), metavar="DIR", help="(default: reports)"
    )
    parser.add_argument("--seed", type=int, default=None, help="fuzz seed (default: random)")
    parser.add_argument(
        "--max-examples",
        type=int,
        default=None,
        metavar="N",
        help="fuzz examples per operation (default: the suite's budget)",
    )
    parser.add_argument(
        "--min-coverage",
        type=float,
        default=None,
        metavar="PCT",
        help="fail when fewer than PCT%% of operation x status and channel x message pairs "
        "were exercised",
    )
    parser.add_argument(
        "-k",
        dest="keyword",
        default=None,
        metavar="EXPR",
        help="only the checks whose names match (pytest -k), e.g. 'getProduct or listProducts'",
    )
    parser.add_argument("--no-html", action="store_true", help="skip the HTML report")
    parser.set_defaults(func=run)


def suite_env(args: argparse.Namespace) -> dict[str, str]:
    env = {}
    if args.seed is not None:
        env["HARNESS_FUZZ_SEED"] = str(args.seed)
    if args.max_examples is not None:
        env["HARNESS_FUZZ_MAX_EXAMPLES"] = str(args.max_examples)
    return env


def run(args: argparse.Namespace) -> int:
    suites = select_suites(args.suites)
    paths = ReportPaths(args.reports)
    for stale in (paths.results, paths.junit, paths.coverage, paths.logs):
        shutil.rmtree(stale, ignore_errors=True)
    paths.root.mkdir(parents=True, exist_ok=True)
    say = print
    started = time.monotonic()
    results: list[SuiteResult] = []
    with resolve_target(
        args.target, state_dir=args.state_dir, port_base=args.port_base, say=say
    ) as target:
        paths.target_file.write_text(target.to_json())
        paths.target_file.chmod(0o600)  # it holds the admin password
        for suite in suites:
            if suite.needs_kafka and not target.kafka:
                say(f"{suite.name}: skipped, the target has no kafka bootstrap")
                continue
            say(f"{suite.name}: {suite.title}")
            extra = ["-k", args.keyword] if args.keyword else []
            results.append(run_suite(suite, paths, env=suite_env(args), extra=extra, say=say))
        coverage = measure(target, paths.coverage)
    table = render(coverage)
    say("")
    say(table)
    (paths.root / "coverage.md").write_text(render(coverage, markdown=True) + "\n")
    attach_coverage(paths.results, render(coverage, markdown=True), percent=coverage.percent)
    finish_report(paths, target=target, results=results, say=say, html=not args.no_html)
    say("")
    for result in results:
        say(f"{result.suite.name:<10} {result.verdict:<24} {result.seconds:6.1f} s")
    say(f"{'total':<10} {'':<24} {time.monotonic() - started:6.1f} s")
    say(f"full output per suite: {paths.logs}/")
    ok = bool(results) and all(r.passed for r in results)
    if args.min_coverage is not None and coverage.percent < args.min_coverage:
        say(f"coverage {coverage.percent:.1f}% is below --min-coverage {args.min_coverage}%")
        ok = False
    return 0 if ok else 1
