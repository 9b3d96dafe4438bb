"""Composition root of the gateway: the single public entry to the system."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI
from starlette.routing import Route as StarletteRoute

from reference_services.gateway.config import GatewaySettings
from reference_services.gateway.proxy import make_handler
from reference_services.gateway.ratelimit import RateLimiter
from reference_services.gateway.routes import ROUTES, Route
from reference_services.kit.app import create_app as create_service_app
from reference_services.kit.app import serve_first
from reference_services.kit.runtime import ServiceDefinition


def load_settings() -> GatewaySettings:
    return GatewaySettings()


@functools.cache
def _contract(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text())
    return loaded


def _forwarding_route(route: Route, limiter: RateLimiter) -> StarletteRoute:
    """A plain Starlette route: the handler takes the raw request and builds its own
    response, so FastAPI's dependency solving and response validation would only cost."""
    forwarding = StarletteRoute(
        route.path, make_handler(route, limiter), methods=[route.method], include_in_schema=False
    )
    forwarding.methods = {route.method}  # Starlette adds HEAD to GET; the contract has none
    return forwarding


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or load_settings()
    policy = settings.client_policy()
    definition = ServiceDefinition(
        settings=settings,
        dependencies={name: (url, policy) for name, url in settings.upstreams().items()},
    )
    app = create_service_app(
        definition,
        title="gateway",
        routers=[],
        description="The public API: routes /api/... to the services, checks tokens.",
    )
    limiter = RateLimiter(rate=settings.rate_limit_per_second, burst=settings.rate_limit_burst)
    serve_first(app, [_forwarding_route(route, limiter) for route in ROUTES])

    def openapi() -> dict[str, Any]:
        """The gateway's schema is its contract: it forwards, it does not model bodies."""
        return _contract(settings.contract_path)

    app.openapi = openapi  # type: ignore[method-assign]
    return app
