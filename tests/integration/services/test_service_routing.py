"""Routing as clients see it: the kit serves each service's routes from the app's own
route list (``kit/app.py`` ``serve_first``), and the HTTP semantics must be whole.

A method the resource lacks is 405 problem+json naming every method it has (RFC 9110
``Allow``); an unknown path is 404 problem+json; the health routes and the OpenAPI
document are still served; no route is reached through an included router.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute

from reference_services.kit.errors import PROBLEM_JSON
from reference_services.products.config import ProductsSettings
from reference_services.products.main import create_app
from tests.integration.services.conftest import RunningService, new_id, running

pytestmark = pytest.mark.integration


@pytest.fixture
async def catalog(tmp_path: Path) -> AsyncIterator[RunningService]:
    settings = ProductsSettings(test_mode=True, data_dir=tmp_path)
    async with running(create_app(settings)) as service:
        yield service


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/products/{id}", "GET, PATCH"),
        ("PUT", "/products", "GET, POST"),
        ("POST", "/health", "GET"),
    ],
)
async def test_a_method_the_resource_lacks_is_405_naming_every_method_it_has(
    catalog: RunningService, method: str, path: str, allowed: str
) -> None:
    response = await catalog.http.request(method, path.replace("{id}", new_id()))
    assert response.status_code == 405, response.text
    assert response.headers["allow"] == allowed
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["status"] == 405


async def test_an_unknown_path_is_404_problem_json(catalog: RunningService) -> None:
    response = await catalog.http.get("/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON
    assert "/no-such-thing" in response.json()["detail"]


async def test_health_and_the_openapi_document_are_still_served(catalog: RunningService) -> None:
    assert (await catalog.http.get("/health")).status_code == 200
    document = (await catalog.http.get("/openapi.json")).json()
    assert {"/products", "/products/{product_id}", "/health"} <= set(document["paths"])


def test_service_routes_come_first_and_are_not_behind_an_included_router(
    tmp_path: Path,
) -> None:
    """An included router costs a second path match on every request (FastAPI 0.165);
    the docs routes are tried last, after every route a client calls."""
    app = create_app(ProductsSettings(test_mode=True, data_dir=tmp_path))
    routes = app.router.routes
    assert all(hasattr(route, "path") for route in routes), [type(r).__name__ for r in routes]
    first = routes[0]
    assert isinstance(first, APIRoute) and first.path.startswith("/products")
    docs = [i for i, r in enumerate(routes) if getattr(r, "path", "") == "/openapi.json"]
    assert docs == [len(routes) - 4], "the docs routes close the list"
