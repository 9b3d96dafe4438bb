"""Settings and secrets the compose stack reads from the environment or an ``.env`` file.

Compose interpolates ``${NAME:-default}`` from the shell environment, then from ``.env``
beside docker-compose.yml (``.env.example`` lists every variable), then the default.
Nothing here is baked into an image: the values reach containers as environment only.
The defaults are for a stack whose ports bind to loopback; the JWT secret's default is
the services' development secret, which they refuse unless test mode is on.
"""

from __future__ import annotations

from dataclasses import dataclass

from reference_services.kit.settings import DEV_JWT_SECRET


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    help: str
    secret: bool = False

    @property
    def ref(self) -> str:
        """The compose interpolation: the environment's value, else the default."""
        return f"${{{self.name}:-{self.default}}}"


JWT_SECRET = Variable(
    "HARNESS_JWT_SECRET",
    DEV_JWT_SECRET,
    "HS256 secret shared by every service; the services refuse this default unless "
    "HARNESS_TEST_MODE is true. Generate one with: python -c 'import secrets; "
    "print(secrets.token_urlsafe(48))'",
    secret=True,
)
TEST_MODE = Variable(
    "HARNESS_TEST_MODE",
    "true",
    "true enables the services' test-only endpoints (provider states for the contract "
    "suite; targets/compose.yaml says test_mode: true). false needs a real JWT secret.",
)
ADMIN_EMAIL = Variable(
    "HARNESS_ADMIN_EMAIL",
    "admin@example.com",
    "The admin account the users service creates at start; the harness logs in with it.",
)
ADMIN_PASSWORD = Variable(
    "HARNESS_ADMIN_PASSWORD", "compose-admin-change-me", "Its password.", secret=True
)
POSTGRES_PASSWORD = Variable(
    "HARNESS_POSTGRES_PASSWORD",
    "compose-postgres-change-me",
    "Password of the services' PostgreSQL role (URL-safe characters only: it goes "
    "into each service's database URL). Takes effect on a new volume only.",
    secret=True,
)
BROKER_USERNAME = Variable(
    "HARNESS_BROKER_USERNAME", "pact", "Pact Broker (profile broker): the read-write user."
)
BROKER_PASSWORD = Variable(
    "HARNESS_BROKER_PASSWORD", "compose-broker-change-me", "Its password.", secret=True
)
BROKER_DB_PASSWORD = Variable(
    "HARNESS_BROKER_DB_PASSWORD",
    "compose-broker-db-change-me",
    "Password of the Pact Broker's own PostgreSQL (URL-safe characters only).",
    secret=True,
)
LOAD_SHAPE = Variable(
    "HARNESS_LOAD_SHAPE",
    "",
    "Locust master (profile load): a named load shape from loadtests/profiles.py, or "
    "empty to set users and rate in the UI.",
)
HARNESS_UID = Variable(
    "HARNESS_UID",
    "1000",
    "The user the one-shot harness container runs as, so it can write ./reports and "
    "./contracts/pacts: your `id -u` on Linux.",
)
HARNESS_GID = Variable("HARNESS_GID", "1000", "Its group: your `id -g` on Linux.")

VARIABLES: tuple[Variable, ...] = (
    JWT_SECRET,
    TEST_MODE,
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    POSTGRES_PASSWORD,
    BROKER_USERNAME,
    BROKER_PASSWORD,
    BROKER_DB_PASSWORD,
    LOAD_SHAPE,
    HARNESS_UID,
    HARNESS_GID,
)
