"""full-text search over task data

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 19:40:00
"""

from __future__ import annotations

from alembic import op

from postil.storage import search

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _run(statements: dict[str, list[str]]) -> None:
    for statement in statements[op.get_bind().dialect.name]:
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": search.SQLITE_CREATE, "postgresql": search.POSTGRES_CREATE})


def downgrade() -> None:
    _run({"sqlite": search.SQLITE_DROP, "postgresql": search.POSTGRES_DROP})
