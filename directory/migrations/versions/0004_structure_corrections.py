"""Corrections of the directory made by regional staff in the console.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "structure_corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("target_source", sa.String(length=200), nullable=False),
        sa.Column("target_source_id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_structure_corrections")),
    )
    op.create_index("ix_structure_corrections_target", "structure_corrections",
                    ["target_source", "target_source_id"])


def downgrade() -> None:
    op.drop_index("ix_structure_corrections_target", table_name="structure_corrections")
    op.drop_table("structure_corrections")
