"""Run suites as pytest subprocesses against a target, showing live progress.

Each suite is its own process: a crash or a hanging library in one suite cannot take the
others down, and each gets a clean import state. Allure results of all suites go to one
folder; JUnit XML and the full pytest output per suite sit beside them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harness.run.suites import SUITES_ROOT, Suite
from harness.suites.coverage import COVERAGE_DIR_ENV
from harness.suites.plugin import PROGRESS_PREFIX

Say = Callable[[str], None]
# pytest exit codes: 0 passed, 1 tests failed, 2 interrupted, 3 internal, 4 usage, 5 none
NO_TESTS = 5


@dataclass(frozen=True)
class ReportPaths:
    root: Path

    @property
    def results(self) -> Path:
        return self.root / "allure-results"

    @property
    def html(self) -> Path:
        return self.root / "allure-report"

    @property
    def junit(self) -> Path:
        return self.root / "junit"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def coverage(self) -> Path:
        return self.root / "coverage"

    @property
    def target_file(self) -> Path:
        return self.root / "target.json"


@dataclass
class SuiteResult:
    suite: Suite
    exit_code: int
    total: int
    failed: int
    seconds: float

    @property
    def passed(self) -> bool:
        return self.exit_code == 0

    @property
    def verdict(self) -> str:
        if self.exit_code == 0:
            return "passed"
        if self.exit_code == NO_TESTS:
            return "no tests"
        if self.exit_code == 1:
            return f"{self.failed} failed"
        return f"error (pytest exit {self.exit_code})"


def suite_command(suite: Suite, paths: ReportPaths, extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "-c",
        str(SUITES_ROOT / "pytest.ini"),
        "--rootdir",
        str(SUITES_ROOT),
        str(suite.directory),
        "--harness-target",
        str(paths.target_file),
        "--harness-suite",
        suite.name,
        "--alluredir",
        str(paths.results),
        "--junitxml",
        str(paths.junit / f"{suite.name}.xml"),
        "-q",
        *extra,
    ]


def run_suite(
    suite: Suite, paths: ReportPaths, *, env: dict[str, str], extra: list[str], say: Say
) -> SuiteResult:
    paths.logs.mkdir(parents=True, exist_ok=True)
    paths.junit.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    total = failed = 0
    log_path = paths.logs / f"{suite.name}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            suite_command(suite, paths, extra),
            stdout=log,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **env, COVERAGE_DIR_ENV: str(paths.coverage)},
        )
        assert process.stderr is not None
        shown = ""
        for line in process.stderr:
            if not line.startswith(PROGRESS_PREFIX):
                log.write(line)
                continue
            done, total, failed = (int(x) for x in line[len(PROGRESS_PREFIX) :].split())
            text = f"  [{suite.name}] {done}/{total} done, {failed} failed"
            if text != shown:
                say(text)
                shown = text
        code = process.wait()
    return SuiteResult(suite, code, total, failed, time.monotonic() - started)
