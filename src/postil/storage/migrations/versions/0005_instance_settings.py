"""instance-wide settings an administrator changes at run time (who may create projects)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:00:00

Only settings that differ from their defaults have a row, so a new instance (and a downgrade
followed by an upgrade) starts with every default: everyone may create projects.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "instance_settings",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                  nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_instance_settings")),
    )


def downgrade() -> None:
    op.drop_table("instance_settings")
