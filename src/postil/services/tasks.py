"""Tasks: pages of the data manager, one task, deletion, and the context results are checked in."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from postil.core.errors import InvalidError, NotFoundError
from postil.core.schema import Schema, parse_schema
from postil.core.values import ObjectContext
from postil.services import task_cursors
from postil.services.access import project_access, require
from postil.services.permissions import Action, Role
from postil.services.runtime import Actor, Runtime
from postil.storage import annotations as annotations_repo
from postil.storage import audit
from postil.storage import projects as projects_repo
from postil.storage import tasks as repo
from postil.storage import users as users_repo
from postil.storage.clock import as_utc
from postil.storage.db import read, write

MAX_PAGE = 1000
STATUSES = ("completed", "incomplete", "relabel", "unlabeled", "skipped")


def object_contexts(schema: Schema, data: dict[str, Any],
                    meta: dict[str, Any]) -> dict[str, ObjectContext]:
    """What each object of a task is, for checking results against it."""
    media = meta.get("media", {}) if isinstance(meta, dict) else {}
    contexts = {}
    for obj in schema.objects:
        value = data.get(obj.data_key)
        info = media.get(obj.name, {}) if isinstance(media, dict) else {}
        contexts[obj.name] = ObjectContext(
            text=value if obj.type == "text" and isinstance(value, str) else None,
            width=info.get("width"), height=info.get("height"),
            duration=info.get("duration"), frames=info.get("frames"),
        )
    return contexts


# Keyed with created_at too: a deleted project's id can be reused (SQLite rowids, restores).
_SCHEMAS: OrderedDict[tuple[int, int, Any], Schema] = OrderedDict()
SCHEMA_CACHE_SIZE = 256


def load_schema(conn: Connection, project_id: int,
                project: dict[str, Any] | None = None) -> tuple[Schema, dict[str, Any]]:
    """The project's parsed schema and settings (read here unless given, as `project_access`
    returns them); schema versions never change, so they cache."""
    project = project or projects_repo.get_settings(conn, project_id)
    if project is None:
        raise NotFoundError("project not found")
    key = (project_id, project["schema_version"], project["created_at"])
    schema = _SCHEMAS.get(key)
    if schema is None:
        schema = parse_schema(projects_repo.get_schema(conn, *key[:2]) or {})
        _SCHEMAS[key] = schema
        if len(_SCHEMAS) > SCHEMA_CACHE_SIZE:
            _SCHEMAS.popitem(last=False)
    else:
        _SCHEMAS.move_to_end(key)
    return schema, project


def task_for(conn: Connection, actor: Actor, task_id: int,
             action: Action) -> tuple[dict[str, Any], Role]:
    """The task, if the actor may act on its project; NotFound for outsiders."""
    task, _, role = task_and_project(conn, actor, task_id, action)
    return task, role


def task_and_project(conn: Connection, actor: Actor, task_id: int,
                     action: Action) -> tuple[dict[str, Any], dict[str, Any], Role]:
    """`task_for`, with the project's settings read alongside the role."""
    task = repo.get(conn, task_id)
    if task is None:
        raise NotFoundError("task not found")
    try:
        project, role = project_access(conn, actor, task["project_id"], action)
    except NotFoundError:
        raise NotFoundError("task not found") from None
    return task, project, role


def task_out(task: dict[str, Any]) -> dict[str, Any]:
    out = dict(task)
    out["created_at"], out["updated_at"] = as_utc(out["created_at"]), as_utc(out["updated_at"])
    return out


def get_task(rt: Runtime, actor: Actor, task_id: int) -> dict[str, Any]:
    with read(rt.engine) as conn:
        task, _ = task_for(conn, actor, task_id, Action.VIEW_PROJECT)
        return task_out(task)


def list_tasks(rt: Runtime, actor: Actor, project_id: int, *, sort: str = "id",
               descending: bool = False, cursor: str | None = None, limit: int = 100,
               status: str | None = None, annotator: str | None = None,
               search: str | None = None) -> dict[str, Any]:
    """One page of tasks in keyset order, with the cursor of the next page."""
    errors = _filter_problems(status)
    if sort not in repo.SORTABLE:
        errors.append({"loc": ["sort"], "msg": f"must be one of {', '.join(repo.SORTABLE)}"})
    if not 1 <= limit <= MAX_PAGE:
        errors.append({"loc": ["limit"], "msg": f"must be between 1 and {MAX_PAGE}"})
    if errors:
        raise InvalidError("invalid task query", errors)
    after = task_cursors.decode(cursor, sort) if cursor else None
    if search:
        rt.indexer.wait_until_current()
    with read(rt.engine) as conn:
        require(conn, actor, project_id, Action.VIEW_PROJECT)
        rows = repo.page(conn, project_id, sort=sort, descending=descending, after=after,
                         limit=limit, filters=_annotator_filters(conn, annotator), status=status,
                         search=search[:200] if search else None)
        ids = [r["id"] for r in rows]
        scores = annotations_repo.best_scores(conn, ids)
        skips = repo.skip_counts(conn, ids)
        project = projects_repo.get_settings(conn, project_id) or {}
    nxt = task_cursors.encode(rows[-1], sort) if len(rows) == limit else None
    items = [{**task_out(r), "prediction_score": scores.get(r["id"]),
              "skipped_count": skips.get(r["id"], 0)} for r in rows]
    return {"items": items, "next": nxt,
            "total": project.get("task_count", 0)}


def count_tasks(rt: Runtime, actor: Actor, project_id: int, *, status: str | None = None,
                annotator: str | None = None, search: str | None = None) -> dict[str, Any]:
    """How many tasks the same filters list. Without filters it is the project's counter;
    with them it counts up to repo.COUNT_CAP and says whether it stopped there (`exact`)."""
    errors = _filter_problems(status)
    if errors:
        raise InvalidError("invalid task query", errors)
    if search:
        rt.indexer.wait_until_current()
    with read(rt.engine) as conn:
        project, _ = project_access(conn, actor, project_id, Action.VIEW_PROJECT)
        if status is None and not annotator and search is None:
            return {"count": int(project.get("task_count", 0)), "exact": True}
        found = repo.count_matching(conn, project_id, filters=_annotator_filters(conn, annotator),
                                    status=status, search=search[:200] if search else None,
                                    cap=repo.COUNT_CAP)
    return {"count": min(found, repo.COUNT_CAP), "exact": found <= repo.COUNT_CAP}


def _filter_problems(status: str | None) -> list[dict[str, Any]]:
    if status is not None and status not in STATUSES:
        return [{"loc": ["status"], "msg": f"must be one of {', '.join(STATUSES)}"}]
    return []


def _annotator_filters(conn: Connection, annotator: str | None) -> list[Any]:
    if not annotator:
        return []
    user = users_repo.find_user_by_name(conn, annotator)
    return [repo.annotator_filter(user["id"] if user else -1)]  # -1: nobody


def delete_tasks(rt: Runtime, actor: Actor, project_id: int, ids: Sequence[int]) -> int:
    with write(rt.engine) as conn:
        require(conn, actor, project_id, Action.DELETE_TASKS)
        deleted, _ = repo.delete_ids(conn, project_id, list(ids))
        audit.append(conn, "tasks_deleted", actor.user_id, project_id=project_id,
                     object_type="task", detail={"count": deleted, "ids": list(ids)[:100]})
        return deleted
