from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from reference_services.kit.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_", extra="ignore", frozen=True)

    service_name: str = "notifications"
    port: int = 8006
