"""The suite's own check, beside Schemathesis' built-in ones.

ignored_auth proves that an operation refuses a request without a token or with a bad
one. An admin-only operation must also refuse a *good* token of the wrong role: after an
admin succeeds, the same request as the customer must get 403, as the contract says.
"""

from __future__ import annotations

from collections.abc import Callable

from schemathesis import Case, CheckContext, Response

from harness.suites.fuzz.identities import AUTHORIZATION, Identities
from harness.suites.fuzz.operations import FuzzOperation, Role

OperationOf = Callable[[Case], FuzzOperation | None]


def admin_only_refuses_customers(
    identities: Identities, operation_of: OperationOf
) -> Callable[[CheckContext, Response, Case], bool | None]:
    def admin_only_refuses_customers(ctx: CheckContext, response: Response, case: Case) -> None:
        operation = operation_of(case)
        customer = identities.get(Role.CUSTOMER)
        if operation is None or operation.role is not Role.ADMIN or customer is None:
            return
        if case.method.upper() != operation.method or not 200 <= response.status_code < 300:
            return
        headers = {**dict(case.headers), AUTHORIZATION: f"Bearer {customer.token}"}
        replayed = case.call(headers=headers)
        if replayed.status_code != 403:
            raise AssertionError(
                f"{operation.operation_id} is admin-only (the contract documents 403), but the "
                f"same request with the token of the customer {customer.email} got "
                f"{replayed.status_code}, not 403"
            )

    return admin_only_refuses_customers
