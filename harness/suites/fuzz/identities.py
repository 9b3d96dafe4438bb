"""The real users the fuzz suite calls as, and the Schemathesis auth that sends them.

Tokens are issued by the target's own login (through the gateway) when the suite starts;
every service accepts them, so a direct call to a service carries the same bearer token
as a call through the gateway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harness.suites.fuzz.operations import Role

if TYPE_CHECKING:
    from schemathesis import AuthContext, Case
    from schemathesis.schemas import APIOperation, BaseSchema

AUTHORIZATION = "Authorization"


@dataclass(frozen=True)
class Identity:
    role: Role
    email: str
    token: str


@dataclass
class Identities:
    """Filled by a session fixture before the first call; read by the auth provider."""

    by_role: dict[Role, Identity] = field(default_factory=dict)

    def add(self, identity: Identity) -> None:
        self.by_role[identity.role] = identity

    def get(self, role: Role) -> Identity | None:
        return self.by_role.get(role)

    def of_token(self, authorization: str | None) -> Identity | None:
        """Who sent a request, from its Authorization header."""
        if not authorization:
            return None
        token = authorization.partition(" ")[2].strip()
        return next((i for i in self.by_role.values() if i.token == token), None)


RoleOf = Callable[["APIOperation"], Role]


def install_bearer_auth(schema: BaseSchema, identities: Identities, role_of: RoleOf) -> None:
    """Every case of ``schema`` gets the bearer token of the role its operation needs."""

    # Schemathesis instantiates a provider class without arguments, hence the closure.
    @schema.auth(refresh_interval=None)
    class BearerToken:
        def get(self, case: Case, ctx: AuthContext) -> str | None:
            role = role_of(ctx.operation)
            identity = identities.get(role) if role is not Role.ANONYMOUS else None
            return identity.token if identity else None

        def set(self, case: Case, data: Any, ctx: AuthContext) -> None:
            case.headers[AUTHORIZATION] = f"Bearer {data}"
