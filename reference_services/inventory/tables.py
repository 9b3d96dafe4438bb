from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, MetaData, String, Table, Text

metadata = MetaData()

stock = Table(
    "stock",
    metadata,
    Column("product_id", String(36), primary_key=True),
    Column("available", BigInteger, nullable=False),
    Column("reserved", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# The decision for each paid order: exactly one of these two tables has a row for it.
reservations = Table(
    "reservations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("order_id", String(36), nullable=False, unique=True),
    Column("user_id", String(36), nullable=False),
    Column("items", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

rejections = Table(
    "rejections",
    metadata,
    Column("order_id", String(36), primary_key=True),
    Column("user_id", String(36), nullable=False),
    Column("reason", String(40), nullable=False),
    Column("items", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
