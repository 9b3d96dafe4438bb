from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, MetaData, String, Table

metadata = MetaData()

payments = Table(
    "payments",
    metadata,
    Column("id", String(36), primary_key=True),
    # One payment per order: a re-published order.created can never charge twice.
    Column("order_id", String(36), nullable=False, unique=True),
    Column("user_id", String(36), nullable=False, index=True),
    Column("amount_cents", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(16), nullable=False),
    Column("decline_reason", String(40), nullable=True),
    Column("refund_reason", String(40), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
