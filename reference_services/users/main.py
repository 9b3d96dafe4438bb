"""Composition root of the users service."""

from __future__ import annotations

from fastapi import FastAPI

from reference_services.kit.app import create_app as create_service_app
from reference_services.kit.migrations import migrations_dir
from reference_services.kit.provider_states import provider_state_routers
from reference_services.kit.runtime import Runtime, ServiceDefinition
from reference_services.users import service
from reference_services.users.api import router
from reference_services.users.config import UsersSettings
from reference_services.users.states import STATES
from reference_services.users.tables import metadata


def load_settings() -> UsersSettings:
    return UsersSettings()


async def seed_admin(runtime: Runtime) -> None:
    """Create the configured admin account once (the stack generates its credentials)."""
    settings = runtime.settings
    assert isinstance(settings, UsersSettings)
    if settings.admin_email and settings.admin_password:
        async with runtime.unit_of_work() as uow:
            await service.ensure_admin(
                uow.conn,
                email=settings.admin_email,
                password=settings.admin_password.get_secret_value(),
            )


def create_app(settings: UsersSettings | None = None) -> FastAPI:
    settings = settings or load_settings()
    definition = ServiceDefinition(
        settings=settings,
        metadata=metadata,
        migrations=migrations_dir("users"),
        on_start=(seed_admin,),
    )
    return create_service_app(
        definition,
        title="users",
        routers=[router, *provider_state_routers(settings, STATES)],
        description="Accounts: register, log in for a JWT, read your profile.",
    )
