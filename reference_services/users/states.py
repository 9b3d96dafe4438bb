"""Provider states the users service can set up in test mode (contract verification).

Ids and emails come from the pact (the state's params), so each state is an upsert and
verifying twice against the same system needs no cleanup. Tokens cannot be written in a
pact (they expire), so the states that sign someone in answer one for injection.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncConnection

from reference_services.kit.auth import ADMIN_ROLE, issue_token
from reference_services.kit.provider_states import ProviderStates
from reference_services.kit.runtime import Runtime
from reference_services.users import service
from reference_services.users.tables import users

DEFAULT_PASSWORD = "correct horse battery"


def _token(runtime: Runtime, user_id: str, role: str) -> str:
    return issue_token(runtime.settings.jwt_secret.get_secret_value(), user_id=user_id, role=role)


async def _ensure_user(conn: AsyncConnection, params: dict[str, Any], *, role: str) -> str:
    """The user with ``params['userId']`` exists with these email and password."""
    user_id = str(params["userId"])
    email = str(params.get("email") or f"pact-{user_id[:8]}@example.com").lower()
    await conn.execute(delete(users).where((users.c.id == user_id) | (users.c.email == email)))
    created = await service.register(
        conn,
        email=email,
        password=str(params.get("password", DEFAULT_PASSWORD)),
        name=str(params.get("name", "Pact Customer")),
        role=role,
    )
    await conn.execute(users.update().where(users.c.id == created["id"]).values(id=user_id))
    return email


async def customer_exists(runtime: Runtime, params: dict[str, Any]) -> dict[str, Any]:
    async with runtime.unit_of_work() as uow:
        email = await _ensure_user(uow.conn, params, role="customer")
    user_id = str(params["userId"])
    token = _token(runtime, user_id, "customer")
    return {"userId": user_id, "email": email, "customerToken": token}


async def admin_signed_in(runtime: Runtime, params: dict[str, Any]) -> dict[str, Any]:
    async with runtime.unit_of_work() as uow:
        await _ensure_user(uow.conn, params, role=ADMIN_ROLE)
    return {"adminToken": _token(runtime, str(params["userId"]), ADMIN_ROLE)}


async def stranger_signed_in(runtime: Runtime, params: dict[str, Any]) -> dict[str, Any]:
    """A valid token for a user id that has no account (deleted since, say)."""
    user_id = str(params["userId"])
    async with runtime.unit_of_work() as uow:
        await uow.conn.execute(delete(users).where(users.c.id == user_id))
    return {"customerToken": _token(runtime, user_id, "customer")}


async def email_unused(runtime: Runtime, params: dict[str, Any]) -> dict[str, Any]:
    email = str(params["email"]).lower()
    async with runtime.unit_of_work() as uow:
        await uow.conn.execute(delete(users).where(users.c.email == email))
    return {}


STATES = ProviderStates(
    setups={
        "a customer exists": customer_exists,
        "an admin is signed in": admin_signed_in,
        "a customer without an account is signed in": stranger_signed_in,
        "no account uses the email": email_unused,
    }
)
