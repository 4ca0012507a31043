"""a partial index of skipped answers, for the data manager's skipped filter and count

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00

It holds skips only, so answers and imports do not pay for it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.create_index("ix_annotations_skipped", ["project_id", "completed_by", "task_id"],
                              unique=False, sqlite_where=sa.text("status = 'skipped'"),
                              postgresql_where=sa.text("status = 'skipped'"))


def downgrade() -> None:
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.drop_index("ix_annotations_skipped")
