"""A small client for the Pact Broker's HAL/HTTP API (docs.pact.io/pact_broker).

It starts at the index (``GET /``) and follows the relations the broker documents
(``pb:publish-contracts``, ``pb:pacticipant-version``...) rather than building paths,
as the Pact CLIs do. Every httpx error and every unexpected answer becomes one of the
errors in ``errors.py``; credentials travel in headers only and are never shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urljoin

import httpx

from harness.broker import hal
from harness.broker.config import PASSWORD_VAR, TOKEN_VAR, USERNAME_VAR, BrokerConfig
from harness.broker.errors import (
    BrokerAuthError,
    BrokerNotFoundError,
    BrokerRejectedError,
    BrokerResponseError,
    BrokerUnreachableError,
)

ACCEPT = "application/hal+json, application/json"
REJECTED = (400, 409, 422)


class BrokerClient:
    def __init__(
        self,
        config: BrokerConfig,
        *,
        timeout: float = 15.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.config = config
        self._http = httpx.Client(
            headers={"Accept": ACCEPT, **config.headers()},
            auth=config.basic_auth(),
            timeout=timeout,
            transport=transport,
        )
        self._index: dict[str, Any] | None = None

    def __enter__(self) -> BrokerClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def index(self) -> dict[str, Any]:
        if self._index is None:
            self._index = self.get(self.config.base_url + "/")
        return self._index

    def relation(self, rel: str, **params: str) -> str:
        """The index's ``rel`` href, its placeholders filled with ``params``."""
        template = hal.href(
            self.index(),
            rel,
            where=f"the Pact Broker index at {self.config.base_url}",
            hint="is this a Pact Broker, and a recent one (2.86 or later)?",
        )
        return self.url(hal.expand(template, **params))

    def url(self, href: str) -> str:
        return urljoin(self.config.base_url + "/", href)

    def get(self, url: str) -> dict[str, Any]:
        return self._request("GET", url)

    def post(self, url: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._request("POST", url, body)

    def put(self, url: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._request("PUT", url, body)

    def _request(
        self, method: str, url: str, body: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        what = f"{method} {url}"
        with self._translated(what):
            response = self._http.request(method, url, json=body)
        _raise_for(response, what, self.config)
        return _hal_document(response, what)

    @contextmanager
    def _translated(self, what: str) -> Iterator[None]:
        try:
            yield
        except httpx.TimeoutException as exc:
            raise BrokerUnreachableError(
                f"Pact Broker at {self.config.base_url} did not answer {what} in time "
                f"({type(exc).__name__}); is it up? (URL from {self.config.source})"
            ) from None
        except httpx.TransportError as exc:
            raise BrokerUnreachableError(
                f"Pact Broker at {self.config.base_url} is unreachable ({exc or type(exc).__name__}"
                f"); check the URL (from {self.config.source}) and that the broker is up"
            ) from None


def _raise_for(response: httpx.Response, what: str, config: BrokerConfig) -> None:
    status = response.status_code
    if status < 400:
        return
    if status in (401, 403):
        fix = (
            f"the {config.auth_kind} sent was refused; check {TOKEN_VAR} or "
            f"{USERNAME_VAR}/{PASSWORD_VAR}"
            if config.auth_kind != "no credentials"
            else f"set {USERNAME_VAR} and {PASSWORD_VAR} (or {TOKEN_VAR})"
        )
        raise BrokerAuthError(f"Pact Broker answered {status} to {what}: {fix}")
    detail = _error_lines(response)
    if status == 404:
        shown = f" ({detail[0]})" if detail else ""
        raise BrokerNotFoundError(f"Pact Broker has no such resource: {what} answered 404{shown}")
    if status in REJECTED:
        raise BrokerRejectedError(f"Pact Broker refused {what} ({status})", details=tuple(detail))
    raise BrokerResponseError(f"Pact Broker answered {status} to {what}: {_snippet(response)}")


def _error_lines(response: httpx.Response) -> list[str]:
    """Notices, ``errors`` (a field -> messages map, or a list), ``error``, problem+json."""
    try:
        body = response.json()
    except ValueError:
        return [_snippet(response)] if response.text.strip() else []
    if not isinstance(body, Mapping):
        return [str(body)]
    lines = [text for kind, text in hal.notices(body) if kind in ("error", "danger", "warning")]
    errors = body.get("errors")
    if isinstance(errors, Mapping):
        for field, messages in errors.items():
            listed = messages if isinstance(messages, list) else [messages]
            lines += [f"{field}: {m}" for m in listed if f"{m}" not in lines]
    elif isinstance(errors, list):
        lines += [str(e.get("detail", e)) if isinstance(e, Mapping) else str(e) for e in errors]
    for key in ("error", "detail"):
        value = body.get(key)
        if value:
            lines.append(str(value.get("message", value)) if isinstance(value, Mapping) else value)
    return [str(line) for line in lines]


def _hal_document(response: httpx.Response, what: str) -> dict[str, Any]:
    kind = response.headers.get("content-type", "").split(";")[0].strip()
    if not response.content:
        return {}
    if "json" not in kind:
        raise BrokerResponseError(
            f"{what} answered {kind or 'no content type'}, not the Pact Broker's HAL JSON; "
            f"is the URL a Pact Broker? First bytes: {_snippet(response)}"
        )
    try:
        document = response.json()
    except json.JSONDecodeError as exc:
        raise BrokerResponseError(f"{what} answered JSON that does not parse ({exc})") from None
    if not isinstance(document, dict):
        raise BrokerResponseError(f"{what} answered {type(document).__name__}, not a HAL object")
    return document


def _snippet(response: httpx.Response, size: int = 120) -> str:
    text = " ".join(response.text.split())
    return repr(text[:size] + ("..." if len(text) > size else ""))
