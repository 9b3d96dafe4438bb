"""The Toxiproxy HTTP API: routes, middleware and handlers.

Statuses, bodies and messages are the real server's (release 2.12.0), including its
quirks: creating a toxic answers 200 (not 201), deletes and /reset answer 204 with no
body, /populate answers ``{"proxies": [...]}`` and on failure adds ``error`` and
``status`` beside the proxies created so far, and a ``User-Agent`` starting with
``Mozilla/`` is refused with 403 so that a web page cannot drive the API.
"""

from __future__ import annotations

import base64
import hmac
import itertools
import os
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from chaos.proxy import jsonio, metrics, model
from chaos.proxy.collection import ProxyCollection
from chaos.proxy.errors import ApiError
from chaos.proxy.http import Request, Response, text_response
from chaos.proxy.proxy import Proxy

Route = Callable[[Request, dict[str, str]], Awaitable[Response]]

_PROCESS_ID = os.urandom(5)
_COUNTER = itertools.count(int.from_bytes(os.urandom(3), "big"))


def request_id() -> str:
    """A 20-character, time-ordered id shaped like the real server's (xid)."""
    raw = int(time.time()).to_bytes(4, "big") + _PROCESS_ID
    raw += (next(_COUNTER) % 2**24).to_bytes(3, "big")
    return base64.b32hexencode(raw).decode("ascii").rstrip("=").lower()


def json_response(status: int, value: Any) -> Response:
    return Response(status, jsonio.dumps(value), "application/json")


def error_response(error: ApiError) -> Response:
    """``{"error","status"}`` plus a newline, as Go's http.Error writes it (as JSON)."""
    body = jsonio.dumps(error.body()) + b"\n"
    return Response(error.status, body, "application/json", [("X-Content-Type-Options", "nosniff")])


class Api:
    """Dispatches requests to handlers over one ``ProxyCollection``."""

    def __init__(self, collection: ProxyCollection, *, version: str, token: str | None) -> None:
        self.collection = collection
        self.version = version
        self.token = token
        self._routes: list[tuple[re.Pattern[str], dict[str, Route]]] = [
            (re.compile(r"/reset"), {"POST": self.reset}),
            (re.compile(r"/proxies"), {"GET": self.proxy_index, "POST": self.proxy_create}),
            (re.compile(r"/populate"), {"POST": self.populate}),
            (
                re.compile(r"/proxies/(?P<proxy>[^/]+)"),
                {
                    "GET": self.proxy_show,
                    "POST": self.proxy_update,
                    "PATCH": self.proxy_update,
                    "DELETE": self.proxy_delete,
                },
            ),
            (
                re.compile(r"/proxies/(?P<proxy>[^/]+)/toxics"),
                {"GET": self.toxic_index, "POST": self.toxic_create},
            ),
            (
                re.compile(r"/proxies/(?P<proxy>[^/]+)/toxics/(?P<toxic>[^/]+)"),
                {
                    "GET": self.toxic_show,
                    "POST": self.toxic_update,
                    "PATCH": self.toxic_update,
                    "DELETE": self.toxic_delete,
                },
            ),
            (re.compile(r"/version"), {"GET": self.show_version}),
            (re.compile(r"/metrics"), {"*": self.show_metrics}),
        ]

    async def handle(self, request: Request) -> Response:
        for pattern, methods in self._routes:
            match = pattern.fullmatch(request.path)
            if match is None:
                continue
            route = methods.get(request.method) or methods.get("*")
            if route is None:
                return Response(405)  # gorilla/mux: empty body, no middleware
            response = await self._guarded(route, request, match.groupdict())
            response.headers.append(("X-Toxiproxy-Request-Id", request_id()))
            return response
        return text_response(404, "404 page not found")

    async def _guarded(self, route: Route, request: Request, params: dict[str, str]) -> Response:
        if request.headers.get("user-agent", "").startswith("Mozilla/"):
            return text_response(403, "User agent not allowed")
        if self.token is not None and not self._authorized(request):
            response = error_response(ApiError("missing or invalid bearer token", 401))
            response.headers.append(("WWW-Authenticate", 'Bearer realm="toxiproxy"'))
            return response
        try:
            return await route(request, params)
        except ApiError as exc:
            return error_response(exc)

    def _authorized(self, request: Request) -> bool:
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        expected = (self.token or "").encode()
        return scheme.lower() == "bearer" and hmac.compare_digest(credentials.encode(), expected)

    def _proxy(self, params: dict[str, str]) -> Proxy:
        return self.collection.get(params["proxy"])

    # Proxies.
    async def proxy_index(self, request: Request, params: dict[str, str]) -> Response:
        proxies = self.collection.proxies
        return json_response(200, {name: proxies[name].to_json() for name in sorted(proxies)})

    async def proxy_create(self, request: Request, params: dict[str, str]) -> Response:
        wanted = model.parse_proxy_create(request.body)
        async with self.collection.lock:
            proxy = await self.collection.add(wanted)
        return json_response(201, proxy.to_json())

    async def populate(self, request: Request, params: dict[str, str]) -> Response:
        created: list[Proxy] = []
        try:
            entries = model.parse_populate(request.body)
            async with self.collection.lock:
                created, error = await self.collection.populate(entries)
        except ApiError as exc:
            error = exc
        # Go marshals an empty slice of results as null.
        proxies = [proxy.to_json() for proxy in created] or None
        if error is None:
            return json_response(201, {"proxies": proxies})
        return json_response(error.status, {**error.body(), "proxies": proxies})

    async def proxy_show(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, self._proxy(params).to_json())

    async def proxy_update(self, request: Request, params: dict[str, str]) -> Response:
        async with self.collection.lock:
            proxy = self._proxy(params)
            current = model.ProxyInput(proxy.name, proxy.listen, proxy.upstream, proxy.enabled)
            await proxy.update(model.parse_proxy_update(request.body, current))
        return json_response(200, proxy.to_json())

    async def proxy_delete(self, request: Request, params: dict[str, str]) -> Response:
        async with self.collection.lock:
            await self.collection.remove(params["proxy"])
        return Response(204)

    async def reset(self, request: Request, params: dict[str, str]) -> Response:
        async with self.collection.lock:
            await self.collection.reset()
        return Response(204)

    # Toxics.
    async def toxic_index(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, [toxic.to_json() for toxic in self._proxy(params).toxics()])

    async def toxic_create(self, request: Request, params: dict[str, str]) -> Response:
        async with self.collection.lock:
            proxy = self._proxy(params)
            spec = model.parse_toxic_create(request.body, lambda name: bool(proxy.find_toxic(name)))
            proxy.add_toxic(spec)
        return json_response(200, spec.to_json())

    async def toxic_show(self, request: Request, params: dict[str, str]) -> Response:
        proxy = self._proxy(params)
        return json_response(200, self.collection.toxic(proxy, params["toxic"]).to_json())

    async def toxic_update(self, request: Request, params: dict[str, str]) -> Response:
        async with self.collection.lock:
            proxy = self._proxy(params)
            current = self.collection.toxic(proxy, params["toxic"])
            spec = model.parse_toxic_update(request.body, current)
            await proxy.update_toxic(spec)
        return json_response(200, spec.to_json())

    async def toxic_delete(self, request: Request, params: dict[str, str]) -> Response:
        async with self.collection.lock:
            proxy = self._proxy(params)
            await proxy.remove_toxic(self.collection.toxic(proxy, params["toxic"]))
        return Response(204)

    # Server.
    async def show_version(self, request: Request, params: dict[str, str]) -> Response:
        body = f'{{"version": "{self.version}"}}\n'.encode()
        return Response(200, body, "application/json;charset=utf-8")

    async def show_metrics(self, request: Request, params: dict[str, str]) -> Response:
        rows = [row for proxy in self.collection.proxies.values() for row in proxy.byte_counts()]
        return Response(200, metrics.render(rows).encode(), metrics.CONTENT_TYPE)
