"""Wiring of the fuzz suite: open the run, sign the callers in, label and name the tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import allure
import pytest

from harness.errors import ConfigError
from harness.suites.coverage import CoverageRecorder
from harness.suites.fuzz.budget import budget_from_env
from harness.suites.fuzz.identities import Identity
from harness.suites.fuzz.operations import FuzzOperation, Role, service_of_item
from harness.suites.fuzz.session import FuzzRun, current, open_run
from harness.suites.plugin import Account, Accounts, target_of


def pytest_configure(config: pytest.Config) -> None:
    try:
        budget = budget_from_env(os.environ)
    except ConfigError as error:
        pytest.exit(str(error), returncode=pytest.ExitCode.USAGE_ERROR)
    open_run(target_of(config), budget)


def pytest_report_header(config: pytest.Config) -> str:
    return current().budget.describe()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(current().budget.describe())


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``harness run -k createOrder`` selects by operationId, as the items are named by label."""
    for item in items:
        found = _operation_of(item)
        if found is not None:
            _give_unique_nodeid(item)
            item.extra_keyword_matches.add(found.operation_id)


def _give_unique_nodeid(item: pytest.Item) -> None:
    # pytest 9.2 builds a test's id from its original name and callspec; Schemathesis
    # 4.32 gives its per-operation items neither, so they all share one id (progress,
    # JUnit and Allure would merge them). Rebuild the id from the item's full name.
    original = getattr(item, "originalname", item.name)
    if item.nodeid.endswith(f"::{original}") and item.name != original:
        params = item.name.removeprefix(f"{original}[").removesuffix("]")
        assert item.parent is not None
        item._id = item.parent.id.child(original).with_params(params)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Failures a test saw but never reproduced in a final run are attached to it too."""
    reporter = current().reporter
    reporter.start()
    try:
        return (yield)
    finally:
        reporter.finish()


@pytest.fixture(scope="session", autouse=True)
def fuzz_run(accounts: Accounts, coverage: CoverageRecorder) -> FuzzRun:
    run = current()
    run.coverage = coverage
    run.identities.add(_identity(Role.CUSTOMER, accounts.customer()))
    if run.target.auth.admin_email:
        run.identities.add(_identity(Role.ADMIN, accounts.admin()))
    return run


def _identity(role: Role, account: Account) -> Identity:
    return Identity(role=role, email=account.email, token=account.token)


@pytest.fixture(autouse=True)
def _operation_labels(request: pytest.FixtureRequest, fuzz_run: FuzzRun) -> None:
    """Allure: a feature per service, a story per operationId (set once per test), and
    the seed (shown, not part of the test's identity)."""
    allure.dynamic.parameter("seed", fuzz_run.budget.seed, excluded=True)
    found = _operation_of(request.node)
    if found is not None:
        allure.dynamic.feature(found.service)
        allure.dynamic.story(found.operation_id)
        # the items share one function: these make each its own test in Allure's history
        allure.dynamic.parameter("service", found.service)
        allure.dynamic.parameter("operation", found.label)
        if found.role is Role.ADMIN and fuzz_run.identities.get(Role.ADMIN) is None:
            pytest.skip(f"{found.operation_id} is admin-only and the target names no admin")


def _operation_of(item: pytest.Item) -> FuzzOperation | None:
    label = getattr(item, "operation_label", None)
    service = service_of_item(item.name, getattr(item, "originalname", ""))
    if label is None or service is None:
        return None
    return current().operation(service, label)
