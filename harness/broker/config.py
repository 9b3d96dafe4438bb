"""Where the Pact Broker is and how to sign in: one frozen config, or None (no broker).

The URL comes, last one wins, from the target file (``pact_broker:``), the environment
(``PACT_BROKER_BASE_URL``) and a ``--broker URL`` flag. Credentials come only from the
environment, under the names the Pact CLIs use: ``PACT_BROKER_TOKEN`` (bearer) or
``PACT_BROKER_USERNAME`` + ``PACT_BROKER_PASSWORD`` (basic). They are kept out of
``repr`` and every message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from harness.errors import ConfigError

URL_VAR = "PACT_BROKER_BASE_URL"
USERNAME_VAR = "PACT_BROKER_USERNAME"
PASSWORD_VAR = "PACT_BROKER_PASSWORD"
TOKEN_VAR = "PACT_BROKER_TOKEN"


@dataclass(frozen=True)
class BrokerConfig:
    base_url: str  # no trailing slash, no credentials
    source: str  # where the URL came from, for messages: "--broker", "PACT_BROKER_BASE_URL"...
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    @property
    def auth_kind(self) -> str:
        """``bearer token``, ``basic auth`` or ``no credentials`` (safe to show)."""
        if self.token:
            return "bearer token"
        return "basic auth" if self.username else "no credentials"

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def basic_auth(self) -> tuple[str, str] | None:
        if self.token or not self.username:
            return None
        return self.username, self.password or ""


def resolve_broker(
    *, flag: str | None, target: str | None, env: Mapping[str, str]
) -> BrokerConfig | None:
    """The broker to use, or None when none is configured anywhere."""
    for source, value in (("--broker", flag), (URL_VAR, env.get(URL_VAR)), ("target", target)):
        if value:
            return BrokerConfig(
                base_url=_checked_url(value, source), source=source, **_credentials(env)
            )
    return None


def _checked_url(value: str, source: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"Pact Broker URL from {source} must be an http(s) URL like "
            f"http://127.0.0.1:9292, got {value!r}"
        )
    if parts.username or parts.password:
        raise ConfigError(
            f"Pact Broker URL from {source} carries credentials; remove them from the URL "
            f"and set {USERNAME_VAR} and {PASSWORD_VAR} (or {TOKEN_VAR}) instead"
        )
    return value.strip().rstrip("/")


def _credentials(env: Mapping[str, str]) -> dict[str, str | None]:
    token = env.get(TOKEN_VAR) or None
    username = env.get(USERNAME_VAR) or None
    password = env.get(PASSWORD_VAR) or None
    if not token and bool(username) != bool(password):
        missing = PASSWORD_VAR if username else USERNAME_VAR
        raise ConfigError(
            f"{missing} is not set: basic auth to the Pact Broker needs both "
            f"{USERNAME_VAR} and {PASSWORD_VAR} (or set {TOKEN_VAR} for a bearer token)"
        )
    return {"username": username, "password": password, "token": token}
