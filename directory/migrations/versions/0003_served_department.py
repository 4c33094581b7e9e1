"""Structures that serve a département (Transitions Pro associations) rather than
the people near them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("structures") as batch:
        batch.add_column(sa.Column("served_department_code", sa.String(length=3), nullable=True))
        batch.create_index(op.f("ix_structures_served_department_code"), ["served_department_code"])


def downgrade() -> None:
    with op.batch_alter_table("structures") as batch:
        batch.drop_index(op.f("ix_structures_served_department_code"))
        batch.drop_column("served_department_code")
