"""One fuzz run: the target, the budget, the schemas, who calls, what was called.

Schemathesis turns a schema into pytest items when the test module is imported, so the
run is opened from the suite's ``pytest_configure`` (it reads only the contract files;
tokens are fetched later by a fixture) and the test modules pick it up with ``current()``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from schemathesis import Case, CheckFunction, Response
from schemathesis.schemas import APIOperation, BaseSchema

from harness.suites.coverage import CoverageRecorder
from harness.suites.fuzz.budget import Budget
from harness.suites.fuzz.checks import admin_only_refuses_customers
from harness.suites.fuzz.identities import Identities
from harness.suites.fuzz.operations import FuzzOperation, Role, has_links
from harness.suites.fuzz.report import Reporter
from harness.suites.fuzz.schemas import (
    Contract,
    contracts_of,
    load_schema,
    operation_index,
    service_of,
)
from harness.target import Target


@dataclass
class FuzzRun:
    target: Target
    budget: Budget
    contracts: list[Contract]
    identities: Identities = field(default_factory=Identities)
    operations: dict[tuple[str, str], FuzzOperation] = field(default_factory=dict)
    schemas: dict[str, BaseSchema] = field(default_factory=dict)
    stateful: dict[str, BaseSchema] = field(default_factory=dict)
    reporter: Reporter = field(init=False)
    checks: list[CheckFunction] = field(init=False)
    coverage: CoverageRecorder | None = None

    def __post_init__(self) -> None:
        login = f"{self.target.gateway}{self.target.auth.login_path}"
        self.reporter = Reporter(self.identities, login_url=login, seed=self.budget.seed)
        # the suite's own checks, run beside every built-in one
        self.checks = [admin_only_refuses_customers(self.identities, self.operation_of)]

    def operation(self, service: str, label: str) -> FuzzOperation | None:
        return self.operations.get((service, label))

    def role(self, service: str, operation: APIOperation) -> Role:
        """Stateless calls: the role the operation needs (operations.role_of)."""
        found = self.operation(service, operation.label)
        return found.role if found else Role.CUSTOMER

    def stateful_role(self, service: str, operation: APIOperation) -> Role:
        """Stateful calls run as the admin: a scenario follows links across owners (register
        a user, then read that user), and only the admin may read every resource."""
        role = self.role(service, operation)
        return Role.ADMIN if role is not Role.ANONYMOUS else role

    def operation_of(self, case: Case) -> FuzzOperation | None:
        service = service_of(case)
        return self.operation(service, case.operation.label) if service else None

    def record(self, service: str, case: Case, response: Response) -> None:
        # a probe with a method the path does not have is no operation of the contract
        probe = case.method.upper() != case.operation.method.upper()
        if self.coverage is not None and not probe:
            self.coverage.http(service, case.method, case.formatted_path, response.status_code)


def open_run(target: Target, budget: Budget) -> FuzzRun:
    global _current
    run = FuzzRun(target=target, budget=budget, contracts=contracts_of(target))
    for contract in run.contracts:
        service = contract.service
        for label, operation in operation_index(contract).items():
            run.operations[(service, label)] = operation
        run.schemas[service] = _schema(run, contract, run.role)
        if has_links(contract.document):
            run.stateful[service] = _schema(run, contract, run.stateful_role)
    _current = run
    return run


def _schema(
    run: FuzzRun, contract: Contract, role: Callable[[str, APIOperation], Role]
) -> BaseSchema:
    return load_schema(
        contract,
        budget=run.budget,
        identities=run.identities,
        roles=functools.partial(role, contract.service),
        on_call=run.record,
    )


_current: FuzzRun | None = None


def current() -> FuzzRun:
    if _current is None:
        raise RuntimeError(
            "the fuzz run is not open: run the suite through harness run (or pytest with "
            "-c harness/suites/pytest.ini --harness-target FILE)"
        )
    return _current
