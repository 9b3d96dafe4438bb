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


def verify_token(secret: str, token: str) -> Principal:
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
    return Principal(user_id=claims["sub"], role=role)


bearer_scheme = HTTPBearer(auto_error=False, scheme_name="bearerAuth")


def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("send an access token as 'Authorization: Bearer <token>'")
    secret: str = request.app.state.runtime.settings.jwt_secret.get_secret_value()
    return verify_token(secret, credentials.credentials)


def admin_principal(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if not principal.is_admin:
        raise Forbidden("this operation needs the admin role")
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]
AdminUser = Annotated[Principal, Depends(admin_principal)]
