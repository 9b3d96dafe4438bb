from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from reference_services.kit.settings import ServiceSettings


class InventorySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INVENTORY_", extra="ignore", frozen=True)

    service_name: str = "inventory"
    port: int = 8005
