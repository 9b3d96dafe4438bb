"""Generate ``reports/allure-report`` from ``reports/allure-results`` with Allure 3.

The Allure config is written to ``reports/allurerc.json`` on every generation (look
there to see exactly what Allure was given): the report's name, the tree (epic = suite,
then feature = service/operation/channel, then story), the defect categories and the
history file.

Allure 3 writes each plugin's report into ``OUTPUT/<plugin>/`` and moves it up only when
that is the single folder in OUTPUT, so an old report left in place breaks the layout.
The report is therefore generated into a fresh staging folder and swapped in when done:
a failed generation leaves the previous report as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.report.allure_cli import AllureCli
from harness.report.categories import allure3_rules
from harness.report.errors import ReportError
from harness.report.history import (
    HISTORY_LIMIT,
    HistoryPlan,
    HistoryStore,
    plan_history,
    results_fingerprint,
)
from harness.run.runner import ReportPaths

Say = Callable[[str], None]
TREE = ("epic", "feature", "story")
DEFAULT_NAME = "Harness report"


@dataclass(frozen=True)
class ReportFiles:
    """The files around the Allure folders that ``ReportPaths`` names."""

    paths: ReportPaths

    @property
    def history(self) -> HistoryStore:
        return HistoryStore(self.paths.root / "history")

    @property
    def history_view(self) -> Path:
        return self.history.folder / "generating.jsonl"

    @property
    def config(self) -> Path:
        return self.paths.root / "allurerc.json"

    @property
    def junit_merged(self) -> Path:
        return self.paths.root / "junit.xml"

    @property
    def staging(self) -> Path:
        return self.paths.root / ".allure-report.partial"

    @property
    def index(self) -> Path:
        return self.paths.html / "index.html"


def allure_config(
    files: ReportFiles, *, plan: HistoryPlan, name: str = DEFAULT_NAME
) -> dict[str, Any]:
    return {
        "name": name,
        "output": str(files.staging.resolve()),
        "historyPath": str(files.history_view.resolve()),
        "historyLimit": HISTORY_LIMIT,
        "appendHistory": plan.append,
        "categories": {"rules": allure3_rules()},
        "plugins": {"awesome": {"options": {"groupBy": list(TREE), "reportName": name}}},
    }


def generate_html(
    paths: ReportPaths, *, cli: AllureCli, say: Say, name: str = DEFAULT_NAME
) -> Path:
    """Generate the HTML report; returns its ``index.html``."""
    require_results(paths)
    files = ReportFiles(paths)
    fingerprint = results_fingerprint(paths.results)
    plan = plan_history(files.history.lines(), files.history.last_run(), fingerprint)
    files.history.write_view(plan, files.history_view)
    files.config.write_text(json.dumps(allure_config(files, plan=plan, name=name), indent=2))
    shutil.rmtree(files.staging, ignore_errors=True)
    say(f"generating the HTML report (Allure {cli.version}, {len(plan.shown)} earlier runs)")
    try:
        cli.generate(config=files.config, results=paths.results, cwd=paths.root)
    except ReportError:
        shutil.rmtree(files.staging, ignore_errors=True)
        raise
    _swap_in(files.staging, paths.html)
    if plan.append:
        files.history.record(files.history_view, fingerprint)
    else:
        files.history_view.unlink(missing_ok=True)
    return files.index


def require_results(paths: ReportPaths) -> None:
    if not any(paths.results.glob("*-result.json")):
        raise ReportError(
            f"no Allure results in {paths.results}; run `harness run` first "
            f"(or any pytest with --alluredir {paths.results})"
        )


def _swap_in(staging: Path, final: Path) -> None:
    if not (staging / "index.html").exists():
        raise ReportError(f"allure generate wrote no index.html into {staging}")
    retired = final.with_name(final.name + ".old")
    shutil.rmtree(retired, ignore_errors=True)
    if final.exists():
        os.replace(final, retired)
    os.replace(staging, final)
    shutil.rmtree(retired, ignore_errors=True)
