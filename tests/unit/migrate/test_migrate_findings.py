"""Destructive operations in migration scripts, and justified ignores with expiry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from harness.errors import ConfigError
from harness.migrate.findings import apply_ignores, destructive_operations, load_ignores

SCRIPT = """
from alembic import op
import sqlalchemy as sa

def upgrade():
    op.add_column("orders", sa.Column("note", sa.Text()))
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("legacy")
        batch.alter_column("status", type_=sa.String(8))
    op.drop_table("old_things")

def downgrade():
    op.drop_column("orders", "note")
"""


def test_drops_and_type_changes_in_upgrade_are_breaking(tmp_path: Path) -> None:
    script = tmp_path / "0002_change.py"
    script.write_text(SCRIPT)
    found = destructive_operations("orders", script)
    assert [(f.severity, f.where) for f in found] == [
        ("breaking", "0002_change.py:8"),
        ("breaking", "0002_change.py:9"),
        ("breaking", "0002_change.py:10"),
    ]
    assert "drop_column('legacy')" in found[0].why
    assert "type" in found[1].why and "drop_table('old_things')" in found[2].why


def test_an_ignore_needs_a_reason_and_stops_at_its_expiry(tmp_path: Path) -> None:
    script = tmp_path / "0002_change.py"
    script.write_text(SCRIPT)
    [drop, *_] = destructive_operations("orders", script)
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text(
        "- {rule: destructive-migration, service: orders, where: '0002_change.py:8',\n"
        "   reason: legacy was never read, expires: 2027-01-31}\n"
    )
    ignores = load_ignores(accepted)
    still_open, ok = apply_ignores([drop], ignores, dt.date(2026, 12, 1))
    assert (still_open, ok) == ([], [drop])
    still_open, ok = apply_ignores([drop], ignores, dt.date(2027, 2, 1))
    assert (still_open, ok) == ([drop], [])
    accepted.write_text("- {rule: destructive-migration, service: orders, where: x}\n")
    with pytest.raises(ConfigError, match="every ignore needs a reason"):
        load_ignores(accepted)
