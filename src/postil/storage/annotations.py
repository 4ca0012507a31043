"""Queries for annotations, their history, drafts, leases and predictions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, literal, not_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from postil.storage.tables import (
    annotation_history,
    annotations,
    drafts,
    leases,
    predictions,
    projects,
    tasks,
    users,
)

ANNOTATION_COLUMNS = (
    annotations.c.id, annotations.c.task_id, annotations.c.project_id, annotations.c.completed_by,
    users.c.username.label("completed_by_username"), annotations.c.status, annotations.c.result,
    annotations.c.version, annotations.c.schema_version, annotations.c.lead_time,
    annotations.c.prediction_id, annotations.c.created_at, annotations.c.updated_at,
)


def _dialect(conn: Connection) -> Any:
    return postgresql if conn.dialect.name == "postgresql" else sqlite


# ---- leases and the queue -------------------------------------------------------------------

def active_lease(conn: Connection, project_id: int, user_id: int, now: datetime) -> int | None:
    """A task the user holds a lease on and has not answered yet."""
    stmt = select(leases.c.task_id).join(tasks, tasks.c.id == leases.c.task_id).where(
        leases.c.user_id == user_id, leases.c.project_id == project_id,
        leases.c.expires_at > now, tasks.c.is_completed.is_(False),
        not_(_answered_by(user_id)),
    ).order_by(leases.c.expires_at.desc()).limit(1)
    value = conn.execute(stmt).scalar()
    return int(value) if value is not None else None


def _answered_by(user_id: int) -> Any:
    return select(annotations.c.id).where(
        annotations.c.task_id == tasks.c.id, annotations.c.completed_by == user_id
    ).exists()


def next_candidate(conn: Connection, project_id: int, user_id: int, overlap: int,
                   now: datetime, ordering: str, pivot: int | None) -> int | None:
    """The first task in queue order that still needs this user."""
    others = select(func.count()).where(
        leases.c.task_id == tasks.c.id, leases.c.expires_at > now, leases.c.user_id != user_id
    ).scalar_subquery()
    stmt = select(tasks.c.id).where(
        tasks.c.project_id == project_id, tasks.c.is_completed.is_(False),
        not_(_answered_by(user_id)), tasks.c.annotation_count + others < overlap,
    ).limit(1)
    if ordering == "priority":
        stmt = stmt.order_by(tasks.c.priority.desc(), tasks.c.id)
    else:
        stmt = stmt.order_by(tasks.c.id)
    if pivot is not None:
        stmt = stmt.where(tasks.c.id >= pivot)
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=tasks, skip_locked=True)
    value = conn.execute(stmt).scalar()
    return int(value) if value is not None else None


def id_range(conn: Connection, project_id: int) -> tuple[int, int] | None:
    row = conn.execute(select(func.min(tasks.c.id), func.max(tasks.c.id)).where(
        tasks.c.project_id == project_id, tasks.c.is_completed.is_(False))).first()
    return (int(row[0]), int(row[1])) if row and row[0] is not None else None


def take_lease(conn: Connection, task_id: int, project_id: int, user_id: int,
               expires_at: datetime) -> None:
    stmt = _dialect(conn).insert(leases).values(
        task_id=task_id, user_id=user_id, project_id=project_id, expires_at=expires_at)
    conn.execute(stmt.on_conflict_do_update(
        index_elements=[leases.c.task_id, leases.c.user_id], set_={"expires_at": expires_at}))


def release_lease(conn: Connection, task_id: int, user_id: int) -> None:
    conn.execute(delete(leases).where(leases.c.task_id == task_id, leases.c.user_id == user_id))


def purge_expired_leases(conn: Connection, now: datetime) -> int:
    return conn.execute(delete(leases).where(leases.c.expires_at <= now)).rowcount


# ---- annotations ----------------------------------------------------------------------------

def _select() -> Any:
    return select(*ANNOTATION_COLUMNS).join(users, users.c.id == annotations.c.completed_by)


def get(conn: Connection, annotation_id: int) -> dict[str, Any] | None:
    row = conn.execute(_select().where(annotations.c.id == annotation_id)).mappings().first()
    return dict(row) if row else None


def find(conn: Connection, task_id: int, user_id: int) -> dict[str, Any] | None:
    row = conn.execute(_select().where(annotations.c.task_id == task_id,
                                       annotations.c.completed_by == user_id)).mappings().first()
    return dict(row) if row else None


def for_task(conn: Connection, task_id: int, user_id: int | None = None) -> list[dict[str, Any]]:
    stmt = _select().where(annotations.c.task_id == task_id).order_by(annotations.c.id)
    if user_id is not None:
        stmt = stmt.where(annotations.c.completed_by == user_id)
    return [dict(r) for r in conn.execute(stmt).mappings()]


def for_tasks(conn: Connection, task_ids: Sequence[int],
              statuses: Sequence[str] = ("submitted",)) -> list[dict[str, Any]]:
    stmt = _select().where(annotations.c.task_id.in_(task_ids),
                           annotations.c.status.in_(statuses)).order_by(annotations.c.id)
    return [dict(r) for r in conn.execute(stmt).mappings()]


def insert_annotation(conn: Connection, values: dict[str, Any]) -> int:
    return int(conn.execute(insert(annotations).values(**values)).inserted_primary_key[0])


def update_versioned(conn: Connection, annotation_id: int, version: int,
                     values: dict[str, Any]) -> bool:
    """Compare-and-set on the version: False when someone else wrote first."""
    stmt = update(annotations).where(annotations.c.id == annotation_id,
                                     annotations.c.version == version).values(**values)
    return conn.execute(stmt).rowcount == 1


def insert_annotations(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(annotations), list(rows))


def max_annotation_id(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(annotations.c.id), 0))).scalar_one())


def copy_to_history(conn: Connection, project_id: int, after_id: int, by: int) -> None:
    """History rows for the project's annotations with ids above `after_id` (bulk imports)."""
    source = select(annotations.c.id, annotations.c.version, annotations.c.status,
                    annotations.c.result, annotations.c.schema_version, annotations.c.lead_time,
                    literal(by), annotations.c.created_at).where(
        annotations.c.project_id == project_id, annotations.c.id > after_id)
    conn.execute(insert(annotation_history).from_select(
        ["annotation_id", "version", "status", "result", "schema_version", "lead_time",
         "changed_by", "created_at"], source))


def add_completed(conn: Connection, project_id: int, count: int) -> None:
    if count:
        conn.execute(update(projects).where(projects.c.id == project_id).values(
            completed_count=projects.c.completed_count + count))


def add_history(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(annotation_history).values(**values))


def history(conn: Connection, annotation_id: int) -> list[dict[str, Any]]:
    stmt = select(annotation_history.c.version, annotation_history.c.status,
                  annotation_history.c.result, annotation_history.c.schema_version,
                  annotation_history.c.lead_time, annotation_history.c.changed_by,
                  annotation_history.c.created_at).where(
        annotation_history.c.annotation_id == annotation_id
    ).order_by(annotation_history.c.version)
    return [dict(r) for r in conn.execute(stmt).mappings()]


def count_submitted(conn: Connection, task_id: int) -> int:
    return int(conn.execute(select(func.count()).where(
        annotations.c.task_id == task_id, annotations.c.status == "submitted")).scalar_one())


def set_task_count(conn: Connection, task_id: int, project_id: int, count: int, overlap: int,
                   now: datetime) -> None:
    """Store the task's submitted count and keep the project's completed counter in step."""
    was = conn.execute(select(tasks.c.is_completed).where(tasks.c.id == task_id)).scalar()
    done = count >= overlap
    conn.execute(update(tasks).where(tasks.c.id == task_id).values(
        annotation_count=count, is_completed=done, updated_at=now))
    if bool(was) != done:
        conn.execute(update(projects).where(projects.c.id == project_id).values(
            completed_count=projects.c.completed_count + (1 if done else -1)))


def iter_project_annotations(conn: Connection, project_id: int, after_id: int,
                             limit: int) -> list[dict[str, Any]]:
    stmt = select(annotations.c.id, annotations.c.task_id, annotations.c.result,
                  annotations.c.version, annotations.c.status, annotations.c.lead_time,
                  annotations.c.completed_by).where(
        annotations.c.project_id == project_id, annotations.c.id > after_id
    ).order_by(annotations.c.id).limit(limit)
    return [dict(r) for r in conn.execute(stmt).mappings()]


# ---- drafts ---------------------------------------------------------------------------------

def get_draft(conn: Connection, task_id: int, user_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(drafts).where(drafts.c.task_id == task_id,
                                            drafts.c.user_id == user_id)).mappings().first()
    return dict(row) if row else None


def save_draft(conn: Connection, values: dict[str, Any]) -> None:
    stmt = _dialect(conn).insert(drafts).values(**values)
    keep = {k: stmt.excluded[k] for k in ("result", "lead_time", "base_version",
                                          "schema_version", "updated_at")}
    conn.execute(stmt.on_conflict_do_update(
        index_elements=[drafts.c.task_id, drafts.c.user_id], set_=keep))


def delete_draft(conn: Connection, task_id: int, user_id: int) -> None:
    conn.execute(delete(drafts).where(drafts.c.task_id == task_id, drafts.c.user_id == user_id))


# ---- predictions ----------------------------------------------------------------------------

def insert_predictions(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(predictions), list(rows))


def predictions_for(conn: Connection, task_ids: Sequence[int]) -> list[dict[str, Any]]:
    stmt = select(predictions.c.id, predictions.c.task_id, predictions.c.model_version,
                  predictions.c.score, predictions.c.result, predictions.c.created_at).where(
        predictions.c.task_id.in_(task_ids)).order_by(predictions.c.id)
    return [dict(r) for r in conn.execute(stmt).mappings()]


def relabel(conn: Connection, task_ids: Sequence[int]) -> None:
    if task_ids:
        conn.execute(update(tasks).where(tasks.c.id.in_(task_ids)).values(needs_relabel=True))


def user_annotated_tasks(conn: Connection, project_id: int, user_id: int,
                         limit: int) -> list[dict[str, Any]]:
    stmt = _select().where(annotations.c.project_id == project_id,
                           annotations.c.completed_by == user_id).order_by(
        annotations.c.updated_at.desc()).limit(limit)
    return [dict(r) for r in conn.execute(stmt).mappings()]


def answered_filter(user_id: int) -> Any:
    return and_(_answered_by(user_id))
