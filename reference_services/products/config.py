from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from reference_services.kit.settings import ServiceSettings


class ProductsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PRODUCTS_", extra="ignore", frozen=True)

    service_name: str = "products"
    port: int = 8002
