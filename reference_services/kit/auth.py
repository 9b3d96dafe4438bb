"""JWT (HS256) issue and verification, and the FastAPI dependencies that use it."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from reference_services.kit.errors import Forbidden, Unauthorized

ISSUER = "contract-harness-users"
ADMIN_ROLE = "admin"


@dataclass(frozen=True)
class Principal:
    user_id: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN_ROLE


def issue_token(secret: str, *, user_id: str, role: str, ttl_seconds: int = 3600) -> str:
    now = int(time.time())
    claims = {
        "sub": user_id,
        "role": role,
        "iss": ISSUER,
        "iat": now,
        "exp": now + ttl_seconds,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


class VerifiedTokens:
    """Tokens already verified, with their principal, until they expire.

    An HS256 check costs tens of microseconds and a client sends the same token with
    every request, so each service keeps what it verified (bounded; a token's entry
    never outlives the token's own ``exp``). Only good tokens are kept: a bad one is
    checked, and refused, every time.
    """

    def __init__(self, max_entries: int = 10_000) -> None:
        self.max_entries = max_entries
        self._entries: dict[tuple[str, str], tuple[Principal, float]] = {}

    def verify(self, secret: str, token: str) -> Principal:
        key = (secret, token)
        entry = self._entries.get(key)
        if entry is not None and entry[1] > time.time():
            return entry[0]
        principal, expires = _decode(secret, token)
        if len(self._entries) >= self.max_entries:
            self._entries.clear()  # rare: cheaper than keeping an order of use
        self._entries[key] = (principal, expires)
        return principal


_verified = VerifiedTokens()


def verify_token(secret: str, token: str) -> Principal:
    """The token's principal, or Unauthorized; repeated tokens come from the cache."""
    return _verified.verify(secret, token)


def _decode(secret: str, token: str) -> tuple[Principal, float]:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            issuer=ISSUER,
            options={"require": ["sub", "exp", "iss"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("the access token has expired; log in again") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"the access token is not valid: {exc}") from exc
    role = claims.get("role")
    if not isinstance(claims["sub"], str) or role not in ("customer", ADMIN_ROLE):
        raise Unauthorized("the access token has no valid subject or role")
    return Principal(user_id=claims["sub"], role=role), float(claims["exp"])


bearer_scheme = HTTPBearer(auto_error=False, scheme_name="bearerAuth")


async def current_principal(  # async: a plain def would run in a worker thread
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("send an access token as 'Authorization: Bearer <token>'")
    secret: str = request.app.state.runtime.settings.jwt_secret.get_secret_value()
    return verify_token(secret, credentials.credentials)


async def admin_principal(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if not principal.is_admin:
        raise Forbidden("this operation needs the admin role")
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]
AdminUser = Annotated[Principal, Depends(admin_principal)]
