"""Composition root of the products service."""

from __future__ import annotations

from fastapi import FastAPI

from reference_services.kit.app import create_app as create_service_app
from reference_services.kit.migrations import migrations_dir
from reference_services.kit.provider_states import provider_state_routers
from reference_services.kit.runtime import ServiceDefinition
from reference_services.products.api import router
from reference_services.products.config import ProductsSettings
from reference_services.products.defects import with_undocumented_field
from reference_services.products.states import STATES
from reference_services.products.tables import metadata


def load_settings() -> ProductsSettings:
    return ProductsSettings()


def create_app(settings: ProductsSettings | None = None) -> FastAPI:
    settings = settings or load_settings()
    definition = ServiceDefinition(
        settings=settings, metadata=metadata, migrations=migrations_dir("products")
    )
    planted = settings.has_defect("undocumented-field")
    return create_service_app(
        definition,
        title="products",
        routers=[
            with_undocumented_field(router) if planted else router,
            *provider_state_routers(settings, STATES),
        ],
        description="The product catalog: browse pages of products; admins add and change them.",
    )
