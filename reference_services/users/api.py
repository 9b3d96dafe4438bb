from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from reference_services.kit.auth import CurrentUser, issue_token
from reference_services.kit.cached_reads import cached_read
from reference_services.kit.errors import NotFound
from reference_services.kit.openapi import problems
from reference_services.kit.params import runtime_of
from reference_services.users import service
from reference_services.users.config import UsersSettings
from reference_services.users.schemas import AccessToken, Credentials, Registration, User

router = APIRouter(prefix="/users", tags=["users"])
UserId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]


@router.post(
    "/register",
    operation_id="registerUser",
    response_model=User,
    status_code=201,
    summary="Create a customer account",
    responses=problems(409, 422),
)
async def register(request: Request, response: Response, body: Registration) -> dict[str, Any]:
    async with runtime_of(request).unit_of_work() as uow:
        user = await service.register(
            uow.conn, email=body.email, password=body.password, name=body.name
        )
    response.headers["Location"] = f"/users/{user['id']}"
    return user


@router.post(
    "/login",
    operation_id="loginUser",
    response_model=AccessToken,
    summary="Exchange email and password for an access token (JWT)",
    responses=problems(401, 422),
)
async def login(request: Request, body: Credentials) -> dict[str, Any]:
    runtime = runtime_of(request)
    async with runtime.db_reading() as conn:
        user = await service.authenticate(conn, email=body.email, password=body.password)
    settings = runtime.settings
    assert isinstance(settings, UsersSettings)
    token = issue_token(
        settings.jwt_secret.get_secret_value(),
        user_id=user["id"],
        role=user["role"],
        ttl_seconds=settings.token_ttl_seconds,
    )
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": settings.token_ttl_seconds,
        "user_id": user["id"],
    }


@router.get(
    "/me",
    operation_id="getMyProfile",
    response_model=User,
    summary="The caller's own profile",
    responses=problems(401, 404),
)
async def me(request: Request, principal: CurrentUser) -> Response:
    user_id = principal.user_id
    return await cached_read(
        request, f"user:{user_id}", lambda conn: service.get_user(conn, user_id)
    )


@router.get(
    "/{user_id:id}",
    operation_id="getUser",
    response_model=User,
    summary="Read a user (yourself, or anyone as admin)",
    responses=problems(401, 404, 422),
)
async def get_user(request: Request, user_id: UserId, principal: CurrentUser) -> Response:
    """Served from the process's read cache when it can be (kit/cached_reads.py): orders
    reads the customer on every order it places."""
    if user_id != principal.user_id and not principal.is_admin:
        raise NotFound(f"user {user_id} does not exist")
    return await cached_read(
        request, f"user:{user_id}", lambda conn: service.get_user(conn, user_id)
    )
