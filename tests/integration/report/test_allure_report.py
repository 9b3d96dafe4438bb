"""The generated Allure report, opened in headless Chromium (Debian's ``chromium``):
every suite shows as an epic, the defect categories and the environment are on the
page, and history carries over between runs. Screenshots are kept under
``reports/test-artifacts/``.

Real parts only: small suites run by pytest with allure-pytest, ``finish_report`` as
``harness run`` calls it, the Allure 3 command line from ``node_modules``, the report
served on 127.0.0.1 and rendered by Chromium (the report renders client-side, so the
DOM is read after Chromium has run its scripts, with a virtual-time budget).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harness.cli.main import main
from harness.report.allure_cli import AllureCli
from harness.report.errors import AllureCliMissingError
from harness.report.finish import finish_report
from harness.report.history import HistoryStore
from harness.report.serve import serving
from harness.run.runner import ReportPaths, SuiteResult
from harness.run.suites import Suite
from harness.target import PROJECT_ROOT, Target, default_contracts

pytestmark = pytest.mark.integration

ARTIFACTS = PROJECT_ROOT / "reports" / "test-artifacts"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",  # the tests run as root here
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # this machine has no network: keep Chromium from calling home
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1600",
    "--virtual-time-budget=15000",
)
# One failure of each kind, so every category has something in it.
SUITES = {
    "drift": 'raise AssertionError("orders drifted from orders.yaml: GET /x: 200 undocumented")',
    "contract": 'raise AssertionError("orders does not honour gateway-orders.json")',
    "fuzz": 'raise ConnectionRefusedError("[Errno 111] Connection refused")',
    "events": 'assert "CANCELLED" == "COMPLETED", "order o-1 never completed"',
}
SUITE_MODULE = """
import allure


@allure.epic("{epic}")
@allure.feature("orders")
def test_passes():
    allure.attach("{{}}", name="response", attachment_type=allure.attachment_type.JSON)


@allure.epic("{epic}")
@allure.feature("orders")
def test_fails():
    {failure}
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        pytest.skip(
            "chromium is not installed: `make test` installs Debian's chromium with apt-get "
            "when it runs as root (or: apt-get install -y chromium)"
        )
    return found


@pytest.fixture(scope="module")
def allure_cli() -> AllureCli:
    try:
        return AllureCli.locate()
    except AllureCliMissingError as exc:
        pytest.skip(f"no Allure command line: {exc}")


def run_suite(name: str, folder: Path, paths: ReportPaths) -> SuiteResult:
    """One small suite, run like ``harness run`` runs one: pytest with allure-pytest."""
    suite_dir = folder / name
    suite_dir.mkdir(parents=True, exist_ok=True)
    (suite_dir / "pytest.ini").write_text("[pytest]\n")
    (suite_dir / f"test_{name}.py").write_text(SUITE_MODULE.format(epic=name, failure=SUITES[name]))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["-p", "allure_pytest.plugin", "-c", str(suite_dir / "pytest.ini")]
    command += ["--rootdir", str(suite_dir), str(suite_dir), "--alluredir", str(paths.results)]
    command += ["--junitxml", str(paths.junit / f"{name}.xml")]
    # Only allure-pytest: the other plugins installed here take seconds to import.
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 1, done.stdout + done.stderr  # one failure per suite
    return SuiteResult(Suite(name, name.title()), done.returncode, 2, 1, 0.5)


def harness_run(tmp_path: Path, paths: ReportPaths, target: Target) -> Path | None:
    """What ``harness run`` does for the report: fresh results, then finish_report."""
    shutil.rmtree(paths.results, ignore_errors=True)
    paths.root.mkdir(parents=True, exist_ok=True)
    paths.target_file.write_text(target.to_json())
    results = [run_suite(name, tmp_path / "suites", paths) for name in SUITES]
    said: list[str] = []
    index = finish_report(paths, target=target, results=results, say=said.append)
    assert index is not None, said
    return index


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.texts.append(data.strip())


def rendered(chromium: str, url: str, tmp_path: Path, *, screenshot: Path | None) -> list[str]:
    """The page's visible text once its scripts ran; optionally a screenshot too."""
    profile = tmp_path / "chromium-profile"
    base = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        shot = subprocess.run(
            [*base, f"--screenshot={screenshot}", url], capture_output=True, timeout=60
        )
        assert shot.returncode == 0 and screenshot.exists(), shot.stderr.decode()[-2000:]
    dump = subprocess.run([*base, "--dump-dom", url], capture_output=True, timeout=60)
    assert dump.returncode == 0, dump.stderr.decode()[-2000:]
    parser = VisibleText()
    parser.feed(dump.stdout.decode())
    return parser.texts


def status_dynamics_points(report: Path) -> int:
    charts = json.loads((report / "widgets" / "charts.json").read_text())["general"]
    (dynamics,) = (c for c in charts.values() if c["type"] == "statusDynamics")
    return len(dynamics["data"])


def test_report_shows_suites_categories_environment_and_history(
    tmp_path: Path, chromium: str, allure_cli: AllureCli
) -> None:
    paths = ReportPaths(tmp_path / "reports")
    target = Target(
        name="toy",
        gateway="http://127.0.0.1:9",
        services={"orders": "http://127.0.0.1:10"},
        contracts=default_contracts(),
    )
    harness_run(tmp_path, paths, target)
    index = harness_run(tmp_path, paths, target)  # the second run has the first as history

    assert index == paths.html / "index.html"
    assert len(HistoryStore(paths.root / "history").lines()) == 2
    assert status_dynamics_points(paths.html) == 2  # the first run, then this one
    assert main(["report", "--reports", str(paths.root)]) == 0  # regenerated: same run
    assert len(HistoryStore(paths.root / "history").lines()) == 2
    assert status_dynamics_points(paths.html) == 2
    assert (paths.root / "junit.xml").exists()

    with serving(paths.html) as url:
        front = rendered(chromium, url, tmp_path, screenshot=ARTIFACTS / "allure-report.png")
        categories = rendered(
            chromium,
            f"{url}#categories",
            tmp_path,
            screenshot=ARTIFACTS / "allure-report-categories.png",
        )
        graphs = rendered(chromium, f"{url}#charts", tmp_path, screenshot=None)

    assert "Harness report: toy" in front
    for suite in SUITES:
        assert suite in front, f"suite {suite} (an epic) is not on the page: {front}"
    assert {"Metadata", "harness", "python"} <= set(front)
    for name in ("Infrastructure problems", "Contract violations", "Product defects"):
        assert name in categories, categories
    assert "Status dynamics" in graphs
    assert "No history information available" not in graphs
