"""Queries of the task queue: leases and the next task an annotator needs.

The statements are built once (with bind parameters): building SQLAlchemy expressions on
every call cost more than running them on the hot path of labeling.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, delete, func, not_, select, text
from sqlalchemy.dialects import postgresql, sqlite

from postil.storage.tables import annotations as annotations_table
from postil.storage.tables import leases, tasks

_ANSWERED = select(annotations_table.c.id).where(
    annotations_table.c.task_id == tasks.c.id,
    annotations_table.c.completed_by == bindparam("user_id"),
).exists()

_ACTIVE_LEASE = select(leases.c.task_id).join(tasks, tasks.c.id == leases.c.task_id).where(
    leases.c.user_id == bindparam("user_id"), leases.c.project_id == bindparam("project_id"),
    leases.c.expires_at > bindparam("now"), tasks.c.is_completed.is_(False), not_(_ANSWERED),
    leases.c.task_id.not_in(bindparam("exclude", expanding=True)),
).order_by(leases.c.task_id).limit(1)

_OTHERS = select(func.count()).where(
    leases.c.task_id == tasks.c.id, leases.c.expires_at > bindparam("now"),
    leases.c.user_id != bindparam("user_id"),
).scalar_subquery()

_ID_RANGE = select(func.min(tasks.c.id), func.max(tasks.c.id)).where(
    tasks.c.project_id == bindparam("project_id"), tasks.c.is_completed.is_(False))

# The annotator's skips of tasks still open: through the partial index ix_annotations_skipped
# (its condition spelled as a literal, as the index has it).
_OPEN_SKIPS = select(func.count(), func.min(annotations_table.c.task_id)).join(
    tasks, tasks.c.id == annotations_table.c.task_id).where(
    annotations_table.c.project_id == bindparam("project_id"),
    annotations_table.c.completed_by == bindparam("user_id"),
    text("annotations.status = 'skipped'"), tasks.c.is_completed.is_(False))

_RELEASE = delete(leases).where(leases.c.task_id == bindparam("task_id"),
                                leases.c.user_id == bindparam("user_id"))


@cache
def _candidate(ordering: str, with_pivot: bool, locking: bool) -> Select[Any]:
    stmt = select(tasks.c.id).where(
        tasks.c.project_id == bindparam("project_id"), tasks.c.is_completed.is_(False),
        not_(_ANSWERED), tasks.c.annotation_count + _OTHERS < bindparam("overlap"),
        tasks.c.id.not_in(bindparam("exclude", expanding=True)),
    ).limit(1)
    if ordering == "priority":
        stmt = stmt.order_by(tasks.c.priority.desc(), tasks.c.id)
    else:
        stmt = stmt.order_by(tasks.c.id)
    if with_pivot:
        stmt = stmt.where(tasks.c.id >= bindparam("pivot"))
    if locking:
        stmt = stmt.with_for_update(of=tasks, skip_locked=True)
    return stmt


@cache
def _take(dialect: str) -> Any:
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(leases)
    return insert.on_conflict_do_update(index_elements=[leases.c.task_id, leases.c.user_id],
                                        set_={"expires_at": insert.excluded.expires_at})


def active_lease(conn: Connection, project_id: int, user_id: int, now: datetime,
                 exclude: Sequence[int] = ()) -> int | None:
    """A task the user holds a lease on and has not answered yet (lowest id first)."""
    value = conn.execute(_ACTIVE_LEASE, {"user_id": user_id, "project_id": project_id,
                                         "now": now, "exclude": list(exclude)}).scalar()
    return int(value) if value is not None else None


def next_candidate(conn: Connection, project_id: int, user_id: int, overlap: int,
                   now: datetime, ordering: str, pivot: int | None,
                   exclude: Sequence[int] = ()) -> int | None:
    """The first task in queue order that this user has not answered and that has room:
    submitted answers plus other annotators' live leases stay under the overlap.
    PostgreSQL skips rows another transaction is leasing right now."""
    stmt = _candidate(ordering, pivot is not None, conn.dialect.name == "postgresql")
    params = {"project_id": project_id, "user_id": user_id, "overlap": overlap, "now": now,
              "exclude": list(exclude)}
    if pivot is not None:
        params["pivot"] = pivot
    value = conn.execute(stmt, params).scalar()
    return int(value) if value is not None else None


def id_range(conn: Connection, project_id: int) -> tuple[int, int] | None:
    row = conn.execute(_ID_RANGE, {"project_id": project_id}).first()
    return (int(row[0]), int(row[1])) if row and row[0] is not None else None


def take_lease(conn: Connection, task_id: int, project_id: int, user_id: int,
               expires_at: datetime) -> None:
    conn.execute(_take(conn.dialect.name), {"task_id": task_id, "user_id": user_id,
                                            "project_id": project_id, "expires_at": expires_at})


def release_lease(conn: Connection, task_id: int, user_id: int) -> None:
    conn.execute(_RELEASE, {"task_id": task_id, "user_id": user_id})


def purge_expired_leases(conn: Connection, now: datetime) -> int:
    return conn.execute(delete(leases).where(leases.c.expires_at <= now)).rowcount


def open_skips(conn: Connection, project_id: int, user_id: int) -> tuple[int, int | None]:
    """How many tasks the user skipped that are not completed yet, and the first of them: the
    queue never serves them again, but the user may go back and answer them."""
    count, first = conn.execute(_OPEN_SKIPS, {"project_id": project_id, "user_id": user_id}).one()
    return int(count), (int(first) if first is not None else None)
