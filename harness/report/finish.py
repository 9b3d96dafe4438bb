"""The end of ``harness run`` and the body of ``harness report``: the files Allure reads
beside the results, the merged JUnit XML, then the HTML."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from harness.report.allure_cli import AllureCli
from harness.report.categories import write_categories
from harness.report.environment import (
    DISTRIBUTION,
    ENVIRONMENT_FILE,
    LIBRARIES,
    environment_entries,
    git_revision,
    installed_versions,
    write_environment,
)
from harness.report.errors import AllureCliMissingError, ReportError
from harness.report.html import DEFAULT_NAME, ReportFiles, generate_html, require_results
from harness.report.junit import merge_junit
from harness.run.runner import ReportPaths, SuiteResult
from harness.target import Target

Say = Callable[[str], None]


def finish_report(
    paths: ReportPaths,
    *,
    target: Target,
    results: list[SuiteResult],
    say: Callable[[str], None],
    html: bool = True,
) -> Path | None:
    """Environment, categories and merged JUnit XML for this run, then the HTML report.

    Returns the report's ``index.html``; None when no HTML was made (``html=False``, or
    Node.js/Allure missing or failing: the reason and the fix have been said).
    """
    cli, problem = _find_cli()
    prepare_results(paths, target=target, results=results, cli=cli, say=say)
    if not html:
        return None
    if cli is None:
        say(f"no HTML report: {problem}")
        return None
    try:
        index = generate_html(paths, cli=cli, say=say, name=report_name(target))
    except ReportError as exc:
        say(f"no HTML report: {exc}")
        return None
    say(f"HTML report: {index} (serve it with `harness report --open`)")
    return index


def regenerate_report(paths: ReportPaths, *, say: Say) -> Path:
    """``harness report``: the HTML again from the results on disk (errors raise)."""
    cli = AllureCli.locate()
    require_results(paths)
    target = _recorded_target(paths)
    if not (paths.results / ENVIRONMENT_FILE).exists():
        prepare_results(paths, target=target, results=[], cli=cli, say=say)
    else:  # keep the environment the run wrote (it has the suites' verdicts)
        write_categories(paths.results)
        _merge(paths, results=[], say=say)
    index = generate_html(paths, cli=cli, say=say, name=report_name(target))
    say(f"HTML report: {index}")
    return index


def prepare_results(
    paths: ReportPaths,
    *,
    target: Target | None,
    results: Sequence[SuiteResult],
    cli: AllureCli | None,
    say: Say,
) -> None:
    entries = environment_entries(
        target=target,
        results=results,
        versions=installed_versions((DISTRIBUTION, *LIBRARIES)),
        revision=git_revision(),
        allure_version=cli.version if cli else None,
    )
    write_environment(paths.results, entries)
    write_categories(paths.results)
    _merge(paths, results=results, say=say)


def report_name(target: Target | None) -> str:
    return f"{DEFAULT_NAME}: {target.name}" if target else DEFAULT_NAME


def _merge(paths: ReportPaths, *, results: Sequence[SuiteResult], say: Say) -> None:
    if not paths.junit.is_dir() and not results:
        return
    merged = ReportFiles(paths).junit_merged
    totals = merge_junit(paths.junit, merged, ran=results)
    say(f"JUnit XML: {merged} ({totals.tests} tests in {totals.suites} suites)")


def _find_cli() -> tuple[AllureCli | None, str]:
    try:
        return AllureCli.locate(), ""
    except AllureCliMissingError as exc:
        return None, str(exc)


def _recorded_target(paths: ReportPaths) -> Target | None:
    try:
        return Target.from_json(paths.target_file.read_text())
    except (OSError, ValueError, KeyError, TypeError):
        return None
