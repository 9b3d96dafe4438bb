"""Forwarding one public request to its service through a resilient client."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response

from reference_services.gateway.ratelimit import RateLimiter
from reference_services.gateway.routes import Route, safe_params
from reference_services.kit.auth import Principal, verify_token
from reference_services.kit.errors import InvalidInput, RateLimited, Unauthorized
from reference_services.kit.runtime import Runtime

FORWARD_REQUEST = ("authorization", "content-type", "accept", "idempotency-key")
FORWARD_RESPONSE = (
    "content-type",
    "retry-after",
    "idempotent-replayed",
    "www-authenticate",
    "allow",
)


def authenticate(request: Request, runtime: Runtime) -> Principal | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send an access token as 'Authorization: Bearer <token>'")
    return verify_token(runtime.settings.jwt_secret.get_secret_value(), token.strip())


def make_handler(route: Route, limiter: RateLimiter) -> Callable[[Request], Awaitable[Response]]:
    async def forward(request: Request) -> Response:
        runtime: Runtime = request.app.state.runtime
        params = {k: str(v) for k, v in request.path_params.items()}
        if not safe_params(params):
            # every public path parameter is an id: anything else does not match the
            # contract (422, as the service would answer), and is never forwarded
            names = ", ".join(sorted(params))
            raise InvalidInput(f"path parameter(s) {names}: an id of letters, digits and '-'")
        principal = authenticate(request, runtime)
        if route.auth and principal is None:
            raise Unauthorized(
                "this operation needs 'Authorization: Bearer <token>' "
                "(POST /api/users/login issues one)"
            )
        client_key = principal.user_id if principal else _client_ip(request)
        wait = limiter.acquire(client_key, time.monotonic())
        if wait:
            raise RateLimited("too many requests from this client", retry_after=wait)
        headers = {k: v for k in FORWARD_REQUEST if (v := request.headers.get(k))}
        upstream = await runtime.client(route.service).request(
            route.method,
            route.upstream_path(params),
            headers=headers,
            params=list(request.query_params.multi_items()),
            content=await request.body(),
            timeout=route.timeout,
        )
        out = {k: v for k in FORWARD_RESPONSE if (v := upstream.headers.get(k))}
        if location := upstream.headers.get("location"):
            out["location"] = "/api" + location if location.startswith("/") else location
        return Response(upstream.content, status_code=upstream.status_code, headers=out)

    forward.__name__ = route.operation_id
    return forward


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
