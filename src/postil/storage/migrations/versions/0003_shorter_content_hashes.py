"""task content hashes of 128 bits (32 hex digits) instead of 256

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 03:30:00

The unique (project, content hash) index took half of an import's insert time at a million
tasks; a key half as long makes it a third cheaper. 128 bits of SHA-256 keep collisions out
of reach (about 1 in 10^25 for a billion tasks in one project). The upgrade keeps each hash's
first half, which is what the new code computes; the downgrade computes the full hashes again.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from alembic import op
from sqlalchemy import text

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CHUNK = 5000


def _full_hash(data: Any) -> str:
    """The hash revision 0002 stored: SHA-256 of the data as canonical JSON (kept here, so this
    migration does not change when the code's hash does)."""
    if isinstance(data, str | bytes):
        data = orjson.loads(data)  # SQLite hands JSON back as text
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()


def upgrade() -> None:
    op.execute("UPDATE tasks SET content_hash = substr(content_hash, 1, 32) "
               "WHERE length(content_hash) > 32")


def downgrade() -> None:
    conn = op.get_bind()
    after = 0
    while rows := conn.execute(text("SELECT id, data FROM tasks WHERE id > :after ORDER BY id "
                                    "LIMIT :limit"), {"after": after, "limit": CHUNK}).all():
        conn.execute(text("UPDATE tasks SET content_hash = :hash WHERE id = :id"), [
            {"id": task_id, "hash": _full_hash(data)} for task_id, data in rows])
        after = rows[-1][0]
