"""Every operation of every contract, fuzzed with every check that applies.

Per operation: the contract's explicit examples, boundary and invalid values
(Schemathesis' coverage phase) and generated examples, valid and invalid, up to the
budget. Responses must match the contract exactly (status, media type, headers, a
closed body schema); invalid requests must be rejected, valid ones accepted; an
operation that requires a token must refuse a request without one or with a bad one,
and an admin-only one must refuse the customer (checks.py).
"""

from __future__ import annotations

import schemathesis
from schemathesis.errors import FailureGroup

from harness.suites.fuzz.session import current

RUN = current()


@schemathesis.pytest.parametrize(**RUN.schemas)
def test_operation(case: schemathesis.Case) -> None:
    try:
        case.call_and_validate(additional_checks=RUN.checks)
    except FailureGroup as failure:
        raise RUN.reporter.failure(case, failure) from None
