"""Queries for annotations, their history, drafts and predictions.

Hot-path statements are built once with bind parameters (see storage/queue.py for why).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from postil.storage.db import as_dicts, inserted_id
from postil.storage.tables import (
    annotation_history,
    drafts,
    predictions,
    projects,
    tasks,
    users,
)
from postil.storage.tables import annotations as annotations_table

ANNOTATION_COLUMNS = (
    annotations_table.c.id, annotations_table.c.task_id, annotations_table.c.project_id,
    annotations_table.c.completed_by, users.c.username.label("completed_by_username"),
    annotations_table.c.status, annotations_table.c.result, annotations_table.c.version,
    annotations_table.c.schema_version, annotations_table.c.lead_time,
    annotations_table.c.prediction_id, annotations_table.c.created_at,
    annotations_table.c.updated_at,
)
_SELECT = select(*ANNOTATION_COLUMNS).join(users, users.c.id == annotations_table.c.completed_by)
_GET = _SELECT.where(annotations_table.c.id == bindparam("annotation_id"))
_FIND = _SELECT.where(annotations_table.c.task_id == bindparam("task_id"),
                      annotations_table.c.completed_by == bindparam("user_id"))
_INSERT = insert(annotations_table)
_HISTORY = insert(annotation_history)
_CAS = update(annotations_table).where(annotations_table.c.id == bindparam("annotation_id"),
                                       annotations_table.c.version == bindparam("expected"))
_COUNT = update(tasks).where(tasks.c.id == bindparam("task_id")).values(
    annotation_count=tasks.c.annotation_count + bindparam("delta"),
    is_completed=tasks.c.annotation_count + bindparam("delta") >= bindparam("overlap"),
    updated_at=bindparam("now"),
).returning(tasks.c.annotation_count)
_COMPLETED = update(projects).where(projects.c.id == bindparam("project_id")).values(
    completed_count=projects.c.completed_count + bindparam("delta"))
_GET_DRAFT = select(drafts).where(drafts.c.task_id == bindparam("task_id"),
                                  drafts.c.user_id == bindparam("user_id"))
_DELETE_DRAFT = delete(drafts).where(drafts.c.task_id == bindparam("task_id"),
                                     drafts.c.user_id == bindparam("user_id"))
_PREDICTIONS = select(predictions.c.id, predictions.c.task_id, predictions.c.model_version,
                      predictions.c.score, predictions.c.result, predictions.c.created_at).where(
    predictions.c.task_id.in_(bindparam("task_ids", expanding=True))).order_by(predictions.c.id)


def _dialect(conn: Connection) -> Any:
    return postgresql if conn.dialect.name == "postgresql" else sqlite


# ---- annotations ----------------------------------------------------------------------------

def get(conn: Connection, annotation_id: int) -> dict[str, Any] | None:
    row = conn.execute(_GET, {"annotation_id": annotation_id}).mappings().first()
    return dict(row) if row else None


def find(conn: Connection, task_id: int, user_id: int) -> dict[str, Any] | None:
    row = conn.execute(_FIND, {"task_id": task_id, "user_id": user_id}).mappings().first()
    return dict(row) if row else None


def for_task(conn: Connection, task_id: int, user_id: int | None = None) -> list[dict[str, Any]]:
    stmt = _SELECT.where(annotations_table.c.task_id == task_id).order_by(annotations_table.c.id)
    if user_id is not None:
        stmt = stmt.where(annotations_table.c.completed_by == user_id)
    return as_dicts(conn.execute(stmt))


def for_tasks(conn: Connection, task_ids: Sequence[int],
              statuses: Sequence[str] = ("submitted",)) -> list[dict[str, Any]]:
    stmt = _SELECT.where(annotations_table.c.task_id.in_(task_ids),
                         annotations_table.c.status.in_(statuses))
    stmt = stmt.order_by(annotations_table.c.id)
    return as_dicts(conn.execute(stmt))


def insert_annotation(conn: Connection, values: dict[str, Any]) -> int:
    return inserted_id(conn.execute(_INSERT, values))


def update_versioned(conn: Connection, annotation_id: int, version: int,
                     values: dict[str, Any]) -> bool:
    """Compare-and-set on the version: False when someone else wrote first."""
    stmt = _CAS.values({k: bindparam(k) for k in values})
    params = {**values, "annotation_id": annotation_id, "expected": version}
    return conn.execute(stmt, params).rowcount == 1


def insert_annotations(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(annotations_table), list(rows))


def max_annotation_id(conn: Connection) -> int:
    stmt = select(func.coalesce(func.max(annotations_table.c.id), 0))
    return int(conn.execute(stmt).scalar_one())


def copy_to_history(conn: Connection, project_id: int, after_id: int, by: int) -> None:
    """History rows for the project's annotations with ids above `after_id` (bulk imports)."""
    source = select(annotations_table.c.id, annotations_table.c.version,
                    annotations_table.c.status, annotations_table.c.result,
                    annotations_table.c.schema_version, annotations_table.c.lead_time,
                    literal(by), annotations_table.c.created_at).where(
        annotations_table.c.project_id == project_id, annotations_table.c.id > after_id)
    conn.execute(insert(annotation_history).from_select(
        ["annotation_id", "version", "status", "result", "schema_version", "lead_time",
         "changed_by", "created_at"], source))


def add_completed(conn: Connection, project_id: int, count: int) -> None:
    if count:
        conn.execute(_COMPLETED, {"project_id": project_id, "delta": count})


def add_history(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(_HISTORY, values)


def history(conn: Connection, annotation_id: int) -> list[dict[str, Any]]:
    stmt = select(annotation_history.c.version, annotation_history.c.status,
                  annotation_history.c.result, annotation_history.c.schema_version,
                  annotation_history.c.lead_time, annotation_history.c.changed_by,
                  annotation_history.c.created_at).where(
        annotation_history.c.annotation_id == annotation_id
    ).order_by(annotation_history.c.version)
    return as_dicts(conn.execute(stmt))


def add_submitted(conn: Connection, task_id: int, project_id: int, delta: int, overlap: int,
                  now: Any) -> None:
    """Count a new (+1) or withdrawn (-1) submission; keep the project's completed count."""
    after = conn.execute(_COUNT, {"task_id": task_id, "delta": delta, "overlap": overlap,
                                  "now": now}).scalar_one()
    was_done, done = after - delta >= overlap, after >= overlap
    if was_done != done:
        conn.execute(_COMPLETED, {"project_id": project_id, "delta": 1 if done else -1})


def iter_project_annotations(conn: Connection, project_id: int, after_id: int,
                             limit: int) -> list[dict[str, Any]]:
    stmt = select(annotations_table.c.id, annotations_table.c.task_id,
                  annotations_table.c.result, annotations_table.c.version,
                  annotations_table.c.status, annotations_table.c.lead_time,
                  annotations_table.c.completed_by).where(
        annotations_table.c.project_id == project_id, annotations_table.c.id > after_id
    ).order_by(annotations_table.c.id).limit(limit)
    return as_dicts(conn.execute(stmt))


# ---- drafts ---------------------------------------------------------------------------------

def get_draft(conn: Connection, task_id: int, user_id: int) -> dict[str, Any] | None:
    row = conn.execute(_GET_DRAFT, {"task_id": task_id, "user_id": user_id}).mappings().first()
    return dict(row) if row else None


def save_draft(conn: Connection, values: dict[str, Any]) -> None:
    stmt = _dialect(conn).insert(drafts).values(**values)
    keep = {k: stmt.excluded[k] for k in ("result", "lead_time", "base_version",
                                          "schema_version", "updated_at")}
    conn.execute(stmt.on_conflict_do_update(
        index_elements=[drafts.c.task_id, drafts.c.user_id], set_=keep))


def delete_draft(conn: Connection, task_id: int, user_id: int) -> None:
    conn.execute(_DELETE_DRAFT, {"task_id": task_id, "user_id": user_id})


# ---- predictions ----------------------------------------------------------------------------

def insert_predictions(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(predictions), list(rows))


_BEST_SCORES = select(predictions.c.task_id, func.max(predictions.c.score)).where(
    predictions.c.task_id.in_(bindparam("task_ids", expanding=True))
).group_by(predictions.c.task_id)


def best_scores(conn: Connection, task_ids: Sequence[int]) -> dict[int, float]:
    """The highest prediction score of each task that has a scored prediction."""
    rows = conn.execute(_BEST_SCORES, {"task_ids": list(task_ids)})
    return {int(task_id): float(score) for task_id, score in rows if score is not None}


def predictions_for(conn: Connection, task_ids: Sequence[int]) -> list[dict[str, Any]]:
    return as_dicts(conn.execute(_PREDICTIONS, {"task_ids": list(task_ids)}))


def relabel(conn: Connection, task_ids: Sequence[int]) -> None:
    if task_ids:
        conn.execute(update(tasks).where(tasks.c.id.in_(task_ids)).values(needs_relabel=True))


def user_annotated_tasks(conn: Connection, project_id: int, user_id: int,
                         limit: int) -> list[dict[str, Any]]:
    stmt = _SELECT.where(annotations_table.c.project_id == project_id,
                         annotations_table.c.completed_by == user_id).order_by(
        annotations_table.c.updated_at.desc()).limit(limit)
    return as_dicts(conn.execute(stmt))
