"""Queries for tasks: bulk insert, keyset pages, counters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from postil.storage.tables import annotations, imports, projects, tasks

TASK_COLUMNS = (
    tasks.c.id, tasks.c.project_id, tasks.c.data, tasks.c.meta, tasks.c.external_id,
    tasks.c.priority, tasks.c.annotation_count, tasks.c.is_completed, tasks.c.needs_relabel,
    tasks.c.created_at, tasks.c.updated_at,
)
SORTABLE = {
    "id": tasks.c.id,
    "created_at": tasks.c.created_at,
    "updated_at": tasks.c.updated_at,
    "annotation_count": tasks.c.annotation_count,
    "priority": tasks.c.priority,
}


def _insert(conn: Connection) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(tasks).on_conflict_do_nothing()


def insert_many(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Insert tasks, skipping those whose content hash or external id the project has."""
    if not rows:
        return 0
    return conn.execute(_insert(conn), list(rows)).rowcount


def insert_one(conn: Connection, row: dict[str, Any]) -> int | None:
    """The new task's id, or None when it is a duplicate."""
    found = conn.execute(_insert(conn).values(**row).returning(tasks.c.id)).scalar()
    return int(found) if found is not None else None


def add_task_count(conn: Connection, project_id: int, added: int) -> None:
    conn.execute(update(projects).where(projects.c.id == project_id)
                 .values(task_count=projects.c.task_count + added))


def get(conn: Connection, task_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(*TASK_COLUMNS).where(tasks.c.id == task_id)).mappings().first()
    return dict(row) if row else None


def page(conn: Connection, project_id: int, *, sort: str, descending: bool,
         after: tuple[Any, int] | None, limit: int,
         filters: Sequence[ColumnElement[bool]]) -> list[dict[str, Any]]:
    """One page in keyset order: rows strictly after the (sort value, id) cursor."""
    key = SORTABLE[sort]
    stmt = select(*TASK_COLUMNS).where(tasks.c.project_id == project_id, *filters)
    if after is not None:
        value, last_id = after
        if sort == "id":
            stmt = stmt.where(tasks.c.id < last_id if descending else tasks.c.id > last_id)
        elif descending:
            stmt = stmt.where(or_(key < value, and_(key == value, tasks.c.id < last_id)))
        else:
            stmt = stmt.where(or_(key > value, and_(key == value, tasks.c.id > last_id)))
    order = [key.desc(), tasks.c.id.desc()] if descending else [key.asc(), tasks.c.id.asc()]
    if sort == "id":
        order = order[1:]
    return [dict(r) for r in conn.execute(stmt.order_by(*order).limit(limit)).mappings()]


def status_filter(status: str) -> ColumnElement[bool]:
    return {
        "completed": tasks.c.is_completed.is_(True),
        "incomplete": tasks.c.is_completed.is_(False),
        "relabel": tasks.c.needs_relabel.is_(True),
        "unlabeled": tasks.c.annotation_count == 0,
    }[status]


def annotator_filter(user_id: int) -> ColumnElement[bool]:
    return exists().where(annotations.c.task_id == tasks.c.id,
                          annotations.c.completed_by == user_id,
                          annotations.c.status == "submitted")


def text_filter(conn: Connection, needle: str) -> ColumnElement[bool]:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    if conn.dialect.name == "postgresql":
        return tasks.c.data.cast(postgresql.TEXT).ilike(pattern, escape="\\")
    return func.cast(tasks.c.data, sqlite.TEXT).ilike(pattern, escape="\\")


def delete_ids(conn: Connection, project_id: int, ids: Sequence[int]) -> tuple[int, int]:
    """Delete tasks; the counts of deleted and of deleted completed tasks."""
    scope = and_(tasks.c.project_id == project_id, tasks.c.id.in_(ids))
    completed = conn.execute(select(func.count()).select_from(tasks).where(
        scope, tasks.c.is_completed.is_(True))).scalar_one()
    deleted = conn.execute(delete(tasks).where(scope)).rowcount
    conn.execute(update(projects).where(projects.c.id == project_id).values(
        task_count=projects.c.task_count - deleted,
        completed_count=projects.c.completed_count - completed))
    return deleted, int(completed)


def ids_in_order(conn: Connection, project_id: int, after_id: int, limit: int,
                 filters: Sequence[ColumnElement[bool]] = ()) -> list[int]:
    stmt = select(tasks.c.id).where(tasks.c.project_id == project_id, tasks.c.id > after_id,
                                    *filters).order_by(tasks.c.id).limit(limit)
    return [int(i) for i in conn.execute(stmt).scalars()]


def insert_import(conn: Connection, values: dict[str, Any]) -> int:
    return int(conn.execute(imports.insert().values(**values)).inserted_primary_key[0])


def finish_import(conn: Connection, import_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(imports).where(imports.c.id == import_id).values(**values))


def get_import(conn: Connection, import_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(imports).where(imports.c.id == import_id)).mappings().first()
    return dict(row) if row else None


def fail_running_imports(conn: Connection, now: Any) -> int:
    """Imports left running by a crash: their transaction rolled back, so they failed."""
    return conn.execute(update(imports).where(imports.c.status == "running").values(
        status="failed", finished_at=now,
        error={"message": "the server stopped during the import; nothing was imported"},
    )).rowcount
