"""The pytest plugin every suite runs under: the target, accounts, coverage, Allure
epics, and one progress line per finished test for ``harness run`` to show.

Options: ``--harness-target FILE`` (JSON written by ``harness run``; a YAML target file
works too) and ``--harness-suite NAME``.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import allure
import httpx
import pytest

from harness.suites.coverage import CoverageRecorder
from harness.target import Target, load_target

PROGRESS_PREFIX = "@@progress "


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness")
    group.addoption("--harness-target", help="the target (JSON from harness run, or YAML)")
    group.addoption("--harness-suite", default="suite", help="the suite's name (Allure epic)")


@dataclass
class Progress:
    total: int = 0
    done: int = 0
    failed: int = 0
    seen: set[str] = field(default_factory=set)


_progress = Progress()


def pytest_collection_finish(session: pytest.Session) -> None:
    _progress.total = len(session.items)
    _emit()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    failed = report.failed
    if report.when == "call" or (report.when == "setup" and (failed or report.skipped)):
        if report.nodeid not in _progress.seen:
            _progress.seen.add(report.nodeid)
            _progress.done += 1
            _progress.failed += int(failed)
            _emit()
    elif report.when == "teardown" and failed:
        _progress.failed += 1
        _emit()


def _emit() -> None:
    sys.stderr.write(f"{PROGRESS_PREFIX}{_progress.done} {_progress.total} {_progress.failed}\n")
    sys.stderr.flush()


def target_of(config: pytest.Config) -> Target:
    """The target named by --harness-target (also usable at collection time)."""
    option = config.getoption("harness_target")
    if not option:
        pytest.exit("the suites need --harness-target FILE (harness run passes it)", 4)
    path = Path(option)
    if path.suffix == ".json":
        return Target.from_json(path.read_text())
    return load_target(path)


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config) -> Target:
    return target_of(pytestconfig)


@pytest.fixture(scope="session")
def suite_name(pytestconfig: pytest.Config) -> str:
    return str(pytestconfig.getoption("harness_suite"))


@pytest.fixture(scope="session")
def coverage(suite_name: str) -> CoverageRecorder:
    return CoverageRecorder.from_env(suite_name)


@pytest.fixture(autouse=True)
def _allure_epic(suite_name: str) -> None:
    allure.dynamic.epic(suite_name)


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    token: str
    user_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token}"}


class Accounts:
    """Real users of the target, made through its public API."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.http = httpx.Client(base_url=target.gateway, timeout=10.0)

    def login(self, email: str, password: str) -> Account:
        response = self.http.post(
            self.target.auth.login_path, json={"email": email, "password": password}
        )
        response.raise_for_status()
        body = response.json()
        return Account(email, password, body["access_token"], str(body.get("user_id", "")))

    def customer(self) -> Account:
        email, password = f"harness-{secrets.token_hex(5)}@example.com", secrets.token_urlsafe(12)
        response = self.http.post(
            self.target.auth.register_path,
            json={"email": email, "password": password, "name": "Harness Customer"},
        )
        response.raise_for_status()
        return self.login(email, password)

    def admin(self) -> Account:
        auth = self.target.auth
        if not auth.admin_email:
            pytest.skip("the target file gives no admin account (auth.admin_email)")
        return self.login(auth.admin_email, auth.admin_password)


@pytest.fixture(scope="session")
def accounts(target: Target) -> Iterator[Accounts]:
    made = Accounts(target)
    yield made
    made.http.close()
