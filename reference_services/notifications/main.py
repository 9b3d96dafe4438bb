"""Composition root of the notifications service."""

from __future__ import annotations

from fastapi import FastAPI

from reference_services.kit.app import create_app as create_service_app
from reference_services.kit.migrations import migrations_dir
from reference_services.kit.runtime import ServiceDefinition
from reference_services.notifications.api import router
from reference_services.notifications.config import NotificationsSettings
from reference_services.notifications.consumer import HANDLERS
from reference_services.notifications.tables import metadata


def load_settings() -> NotificationsSettings:
    return NotificationsSettings()


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    definition = ServiceDefinition(
        settings=settings or load_settings(),
        metadata=metadata,
        migrations=migrations_dir("notifications"),
        consumes=HANDLERS,
    )
    return create_service_app(
        definition,
        title="notifications",
        routers=[router],
        description="Notifications: one message per completed or cancelled order; "
        "users read their own, newest first.",
    )
