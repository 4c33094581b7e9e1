"""Initial directory schema (matches directory/models.py).

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "networks",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("serves", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_networks")),
    )
    op.create_table(
        "communes",
        sa.Column("insee_code", sa.String(length=5), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("postcodes", sa.String(length=200), nullable=False),
        sa.Column("department_code", sa.String(length=3), nullable=False),
        sa.Column("department_name", sa.String(length=100), nullable=False),
        sa.Column("region_code", sa.String(length=3), nullable=False),
        sa.Column("region_name", sa.String(length=100), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("commune_type", sa.String(length=30), nullable=False),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("insee_code", name=op.f("pk_communes")),
    )
    op.create_index(op.f("ix_communes_department_code"), "communes", ["department_code"])
    op.create_index(op.f("ix_communes_region_code"), "communes", ["region_code"])

    op.create_table(
        "structures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network_code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column("commune", sa.String(length=200), nullable=True),
        sa.Column("insee_code", sa.String(length=5), nullable=True),
        sa.Column("department_code", sa.String(length=3), nullable=True),
        sa.Column("region_code", sa.String(length=3), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("coord_precision", sa.String(length=60), nullable=True),
        sa.Column("phone", sa.String(length=300), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("opening_hours", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("source_id", sa.String(length=100), nullable=False),
        sa.Column("source_label", sa.Text(), nullable=True),
        sa.Column("data_date", sa.String(length=40), nullable=True),
        sa.Column("curated", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["insee_code"], ["communes.insee_code"], name=op.f("fk_structures_insee_code_communes")
        ),
        sa.ForeignKeyConstraint(
            ["network_code"], ["networks.code"], name=op.f("fk_structures_network_code_networks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_structures")),
        sa.UniqueConstraint("source", "source_id", name="uq_structures_source"),
    )
    op.create_index(op.f("ix_structures_department_code"), "structures", ["department_code"])
    op.create_index(op.f("ix_structures_insee_code"), "structures", ["insee_code"])
    op.create_index(op.f("ix_structures_network_code"), "structures", ["network_code"])
    op.create_index("ix_structures_network_region", "structures", ["network_code", "region_code"])

    op.create_table(
        "remote_services",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("hours", sa.String(length=300), nullable=True),
        sa.Column("region_code", sa.String(length=3), nullable=True),
        sa.Column("network_code", sa.String(length=40), nullable=True),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_date", sa.String(length=40), nullable=False),
        sa.Column("curated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_code"], ["networks.code"], name=op.f("fk_remote_services_network_code_networks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remote_services")),
        sa.UniqueConstraint("slug", name=op.f("uq_remote_services_slug")),
    )
    op.create_index(op.f("ix_remote_services_region_code"), "remote_services", ["region_code"])

    op.create_table(
        "referral_rules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("need", sa.String(length=40), nullable=False),
        sa.Column("region_code", sa.String(length=3), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("network_code", sa.String(length=40), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_code"], ["networks.code"], name=op.f("fk_referral_rules_network_code_networks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_rules")),
    )
    op.create_index("ix_referral_rules_need_region", "referral_rules", ["need", "region_code"])

    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )


def downgrade() -> None:
    op.drop_table("import_runs")
    op.drop_table("referral_rules")
    op.drop_table("remote_services")
    op.drop_table("structures")
    op.drop_table("communes")
    op.drop_table("networks")
