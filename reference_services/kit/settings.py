"""Settings every service shares; each service subclasses with its own env prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from reference_services.kit.defects import parse_defects

DEV_JWT_SECRET = "dev-only-insecure-jwt-secret-change-me"


class ServiceSettings(BaseSettings):
    """Read from ``{PREFIX}*`` environment variables (see docs/runtime-contract.md)."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: str = "service"
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path(".harness/data")
    database_url: str = ""
    kafka_bootstrap: str = "127.0.0.1:8092"
    jwt_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    test_mode: bool = False
    log_level: str = "INFO"
    read_cache_size: int = Field(default=10_000, ge=0)  # 0: no read cache (kit/read_cache.py)
    defects: Annotated[frozenset[str], NoDecode] = frozenset()

    @field_validator("defects", mode="before")
    @classmethod
    def _known_defects(cls, value: Any, info: ValidationInfo) -> frozenset[str]:
        service = str(info.data.get("service_name", ""))
        return parse_defects(value, service=service)

    def has_defect(self, name: str) -> bool:
        return name in self.defects

    @model_validator(mode="after")
    def _refuse_dev_secret_outside_test_mode(self) -> ServiceSettings:
        secret = self.jwt_secret.get_secret_value()
        if not self.test_mode and secret == DEV_JWT_SECRET:
            prefix = self.model_config.get("env_prefix", "")
            raise ValueError(
                f"{prefix}JWT_SECRET is the development default; set {prefix}JWT_SECRET to a "
                f"random value of 32+ characters, or {prefix}TEST_MODE=true for local tests"
            )
        if len(secret) < 16:
            raise ValueError("JWT secret must be at least 16 characters long")
        return self

    def resolved_database_url(self) -> str:
        """The SQLAlchemy async URL: a SQLite file per service unless a URL is given."""
        url = self.database_url.strip()
        if not url:
            path = (self.data_dir / f"{self.service_name}.db").resolve()
            return f"sqlite+aiosqlite:///{path}"
        if url.startswith("sqlite:///"):
            return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
        for scheme in ("postgresql://", "postgres://"):
            if url.startswith(scheme):
                return "postgresql+asyncpg://" + url.removeprefix(scheme)
        return url
