"""Stateful runs over each contract's OpenAPI links: create, then use what was created.

Scenarios follow the links (createProduct -> getProduct / updateProduct, createOrder ->
getOrder ...) with every check, including the ones only a sequence can break: a resource
just created must be available (ensure_resource_availability) and a deleted one gone
(use_after_free).
"""

from __future__ import annotations

from typing import Any

import allure
import hypothesis
import pytest
from hypothesis.errors import Flaky
from schemathesis import Case
from schemathesis.core.transport import Response
from schemathesis.errors import FailureGroup, NoLinksFound

from harness.suites.fuzz.session import current

RUN = current()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "service" in metafunc.fixturenames:
        metafunc.parametrize("service", sorted(RUN.stateful))


def test_links(service: str) -> None:
    allure.dynamic.feature(service)
    allure.dynamic.story("stateful: OpenAPI links")
    reporter = RUN.reporter

    class Machine(RUN.stateful[service].as_state_machine()):  # type: ignore[misc]
        def validate_response(
            self, response: Response, case: Case, additional_checks: object = None, **kwargs: Any
        ) -> None:
            try:
                super().validate_response(response, case, additional_checks=RUN.checks, **kwargs)
            except FailureGroup as failure:
                raise reporter.failure(case, failure) from None

    settings = hypothesis.settings(
        max_examples=RUN.budget.stateful_scenarios,
        stateful_step_count=RUN.budget.stateful_steps,
        deadline=None,
        database=None,
        # no shrinking: each shrink step replays a scenario against a live API whose
        # state has moved on; the failing step's curl command is the reproduction
        phases=(hypothesis.Phase.explicit, hypothesis.Phase.generate),
    )
    try:
        hypothesis.seed(RUN.budget.seed)(Machine).run(settings=settings)
    except NoLinksFound:  # links only to operations Schemathesis could not use
        pytest.skip(f"the {service} contract links no usable operations")
    except Flaky:
        # A replay of a scenario met a changed API (what the first run created exists
        # now), so Hypothesis could not repeat it. Schemathesis' own runner passes such a
        # run unless a check failed on the way; so does this test.
        seen = reporter.unreproduced()
        if seen:
            raise seen[-1].error from None
