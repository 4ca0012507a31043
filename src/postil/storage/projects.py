"""Queries for projects, their schema versions and members."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, text, update

from postil.storage.clock import utcnow
from postil.storage.db import as_dicts, inserted_id
from postil.storage.tables import annotations as annotations_table
from postil.storage.tables import members, projects, schema_versions, tasks, users

PROJECT_COLUMNS = (
    projects.c.id, projects.c.name, projects.c.description, projects.c.schema_version,
    projects.c.overlap, projects.c.ordering, projects.c.task_count, projects.c.completed_count,
    projects.c.created_by, projects.c.created_at, projects.c.updated_at,
)


def insert_project(conn: Connection, *, name: str, description: str, overlap: int,
                   ordering: str, created_by: int | None) -> int:
    now = utcnow()
    stmt = insert(projects).values(
        name=name, description=description, schema_version=1, overlap=overlap,
        ordering=ordering, task_count=0, completed_count=0, created_by=created_by,
        created_at=now, updated_at=now,
    )
    return inserted_id(conn.execute(stmt))


def insert_schema_version(conn: Connection, project_id: int, version: int, schema: dict[str, Any],
                          changes: list[dict[str, Any]], created_by: int | None) -> None:
    conn.execute(insert(schema_versions).values(
        project_id=project_id, version=version, schema=schema, changes=changes,
        created_by=created_by, created_at=utcnow(),
    ))


def get_project(conn: Connection, project_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        select(*PROJECT_COLUMNS, schema_versions.c.schema)
        .join(schema_versions, and_(schema_versions.c.project_id == projects.c.id,
                                    schema_versions.c.version == projects.c.schema_version))
        .where(projects.c.id == project_id)
    ).mappings().first()
    return dict(row) if row else None


_SETTINGS = select(*PROJECT_COLUMNS).where(projects.c.id == bindparam("project_id"))
_SCHEMA = select(schema_versions.c.schema).where(
    schema_versions.c.project_id == bindparam("project_id"),
    schema_versions.c.version == bindparam("version"))
_SETTINGS_AND_ROLE = select(*PROJECT_COLUMNS, members.c.role).select_from(
    projects.outerjoin(members, and_(members.c.project_id == projects.c.id,
                                     members.c.user_id == bindparam("user_id")))
).where(projects.c.id == bindparam("project_id"))


def get_settings(conn: Connection, project_id: int) -> dict[str, Any] | None:
    """The project row without its schema document (the hot paths cache parsed schemas)."""
    row = conn.execute(_SETTINGS, {"project_id": project_id}).mappings().first()
    return dict(row) if row else None


def get_settings_and_role(conn: Connection, project_id: int,
                          user_id: int) -> tuple[dict[str, Any] | None, str | None]:
    """The project row (as `get_settings`) and the user's role in it, in one read."""
    row = conn.execute(_SETTINGS_AND_ROLE, {"project_id": project_id, "user_id": user_id}
                       ).mappings().first()
    if row is None:
        return None, None
    project = dict(row)
    return project, project.pop("role")


def get_schema(conn: Connection, project_id: int, version: int) -> dict[str, Any] | None:
    return conn.execute(_SCHEMA, {"project_id": project_id, "version": version}).scalar()


QUEUE_LOCK_CLASS = 0x706F  # the first key of PostgreSQL advisory locks that are projects'


def lock_project(conn: Connection, project_id: int) -> None:
    """Serialise the transactions that hand out a project's tasks or change its schema, until
    the commit (a no-op on SQLite, whose writers take turns anyway).

    An advisory lock, not the project's row: answers update that row's counters and need not
    wait for a `next` in flight (they waited on it for a network round trip or more each).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(_ADVISORY, {"kind": QUEUE_LOCK_CLASS, "id": project_id})


# Two 32-bit keys; ids past 2**31 share a lock now and then, which only makes them take turns.
_ADVISORY = text("SELECT pg_advisory_xact_lock(:kind, CAST(:id % 2147483647 AS integer))")


def list_projects(conn: Connection, user_id: int, all_projects: bool) -> list[dict[str, Any]]:
    stmt = select(*PROJECT_COLUMNS, schema_versions.c.schema, members.c.role).join(
        schema_versions, and_(schema_versions.c.project_id == projects.c.id,
                              schema_versions.c.version == projects.c.schema_version)
    ).outerjoin(
        members, and_(members.c.project_id == projects.c.id, members.c.user_id == user_id)
    ).order_by(projects.c.id.desc())
    if not all_projects:
        stmt = stmt.where(members.c.user_id.is_not(None))
    return as_dicts(conn.execute(stmt))


def count_user_annotations(conn: Connection, user_id: int) -> dict[int, int]:
    rows = conn.execute(
        select(annotations_table.c.project_id, func.count())
        .where(annotations_table.c.completed_by == user_id,
               annotations_table.c.status == "submitted")
        .group_by(annotations_table.c.project_id)
    )
    return {int(p): int(n) for p, n in rows}


def update_project(conn: Connection, project_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(projects).where(projects.c.id == project_id)
                 .values(**values, updated_at=utcnow()))


def delete_project(conn: Connection, project_id: int) -> None:
    conn.execute(delete(projects).where(projects.c.id == project_id))


def recompute_completion(conn: Connection, project_id: int, overlap: int) -> None:
    conn.execute(update(tasks).where(tasks.c.project_id == project_id)
                 .values(is_completed=tasks.c.annotation_count >= overlap))
    done = conn.execute(select(func.count()).select_from(tasks).where(
        tasks.c.project_id == project_id, tasks.c.is_completed.is_(True))).scalar_one()
    conn.execute(update(projects).where(projects.c.id == project_id)
                 .values(completed_count=done))


def list_schema_versions(conn: Connection, project_id: int) -> list[dict[str, Any]]:
    stmt = select(schema_versions.c.version, schema_versions.c.schema, schema_versions.c.changes,
                  schema_versions.c.created_by, schema_versions.c.created_at).where(
        schema_versions.c.project_id == project_id).order_by(schema_versions.c.version)
    return as_dicts(conn.execute(stmt))


def set_member(conn: Connection, project_id: int, user_id: int, role: str) -> None:
    found = conn.execute(update(members).where(
        members.c.project_id == project_id, members.c.user_id == user_id).values(role=role))
    if found.rowcount == 0:
        conn.execute(insert(members).values(project_id=project_id, user_id=user_id, role=role))


def remove_member(conn: Connection, project_id: int, user_id: int) -> int:
    return conn.execute(delete(members).where(
        members.c.project_id == project_id, members.c.user_id == user_id)).rowcount


def list_members(conn: Connection, project_id: int) -> list[dict[str, Any]]:
    stmt = select(members.c.user_id, users.c.username, members.c.role).join(
        users, users.c.id == members.c.user_id).where(
        members.c.project_id == project_id).order_by(users.c.username)
    return as_dicts(conn.execute(stmt))
