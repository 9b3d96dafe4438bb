from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from reference_services.kit.settings import ServiceSettings


class UsersSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="USERS_", extra="ignore", frozen=True)

    service_name: str = "users"
    port: int = 8001
    token_ttl_seconds: int = 3600
    admin_email: str | None = None
    admin_password: SecretStr | None = None
