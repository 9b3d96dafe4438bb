"""User use cases: register, authenticate, read."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from reference_services.kit.db import with_utc
from reference_services.kit.errors import Conflict, NotFound, Unauthorized
from reference_services.users.passwords import dummy_hash, hash_password, verify_password
from reference_services.users.tables import users

PUBLIC_FIELDS = ("id", "email", "name", "role", "created_at")


async def register(
    conn: AsyncConnection,
    *,
    email: str,
    password: str,
    name: str,
    role: str = "customer",
) -> dict[str, Any]:
    password_hash = await asyncio.to_thread(hash_password, password)
    values = {
        "id": str(uuid.uuid4()),
        "email": email.lower(),
        "name": name,
        "role": role,
        "password_hash": password_hash,
        "created_at": datetime.now(UTC),
    }
    try:
        async with conn.begin_nested():
            await conn.execute(users.insert().values(**values))
    except IntegrityError as exc:
        raise Conflict(f"an account for {email} already exists; log in instead") from exc
    return {k: values[k] for k in PUBLIC_FIELDS}


async def authenticate(conn: AsyncConnection, *, email: str, password: str) -> dict[str, Any]:
    row = (await conn.execute(select(users).where(users.c.email == email.lower()))).first()
    stored = row.password_hash if row is not None else dummy_hash()
    valid = await asyncio.to_thread(verify_password, password, stored)
    if row is None or not valid:
        raise Unauthorized("email or password is wrong")
    return dict(row._mapping)


async def get_user(conn: AsyncConnection, user_id: str) -> dict[str, Any]:
    row = (await conn.execute(select(users).where(users.c.id == user_id))).first()
    if row is None:
        raise NotFound(f"user {user_id} does not exist")
    return with_utc({k: getattr(row, k) for k in PUBLIC_FIELDS}, "created_at")


async def ensure_admin(conn: AsyncConnection, *, email: str, password: str) -> None:
    exists = (await conn.execute(select(users.c.id).where(users.c.email == email.lower()))).first()
    if exists is None:
        await register(conn, email=email, password=password, name="Administrator", role="admin")
