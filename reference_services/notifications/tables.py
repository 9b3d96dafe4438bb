from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

notifications = Table(
    "notifications",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(36), nullable=False),
    Column("order_id", String(36), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("message", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # One notification per order outcome, even if the event is published again.
    UniqueConstraint("order_id", "kind", name="uq_notifications_order_kind"),
    Index("ix_notifications_user_created", "user_id", "created_at"),
)
