"""Errors of the fault proxy.

::

    ProxyError           root of everything chaos.proxy raises on purpose
     +-- ApiError        a refused API request: message + HTTP status, sent to the client
     |                   as {"error": message, "status": status}
     +-- ConfigError     a bad command line or --config file (the CLI exits with 2)

The messages and statuses of ``ApiError`` are the real Toxiproxy's, so clients that
match on them (the Go client prints ``HTTP <status>: <error>``) behave the same.
"""

from __future__ import annotations

from typing import Any


class ProxyError(Exception):
    """Root of the errors raised by chaos.proxy."""


class ConfigError(ProxyError):
    """A command line option or a --config file the server cannot use."""


class ApiError(ProxyError):
    """An API request the server refuses, with the status the real Toxiproxy uses."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def body(self) -> dict[str, Any]:
        return {"error": self.message, "status": self.status}


def bad_request_body(detail: str) -> ApiError:
    return ApiError(f"bad request body: {detail}", 400)


def missing_field(what: str) -> ApiError:
    return ApiError(f"missing required field: {what}", 400)


def proxy_not_found() -> ApiError:
    return ApiError("proxy not found", 404)


def proxy_exists() -> ApiError:
    return ApiError("proxy already exists", 409)


def invalid_stream() -> ApiError:
    return ApiError("stream was invalid, can be either upstream or downstream", 400)


def invalid_toxic_type() -> ApiError:
    return ApiError("invalid toxic type", 400)


def toxic_exists() -> ApiError:
    return ApiError("toxic already exists", 409)


def toxic_not_found() -> ApiError:
    return ApiError("toxic not found", 404)


def server_error(message: str) -> ApiError:
    """An OS or address error: the real server answers 500 with the Go error text."""
    return ApiError(message, 500)
