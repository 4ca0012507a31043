"""Queries for the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from postil.storage.clock import utcnow
from postil.storage.db import as_dicts
from postil.storage.tables import audit_log


def append(conn: Connection, action: str, user_id: int | None, *, project_id: int | None = None,
           object_type: str | None = None, object_id: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    conn.execute(insert(audit_log).values(
        at=utcnow(), user_id=user_id, action=action, project_id=project_id,
        object_type=object_type, object_id=object_id, detail=detail or {},
    ))


def page(conn: Connection, *, project_id: int | None, before_id: int | None,
         limit: int) -> list[dict[str, Any]]:
    stmt = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if project_id is not None:
        stmt = stmt.where(audit_log.c.project_id == project_id)
    if before_id is not None:
        stmt = stmt.where(audit_log.c.id < before_id)
    return as_dicts(conn.execute(stmt))
