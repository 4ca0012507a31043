"""Annotations: submit, update with optimistic versions, skip, drafts, history, predictions."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from postil.core.errors import ConflictError, ForbiddenError, InvalidError, NotFoundError
from postil.core.schema import Schema
from postil.core.values import validate_results
from postil.services.access import require
from postil.services.permissions import Action, Role, is_allowed
from postil.services.runtime import Actor, Runtime
from postil.services.tasks import load_schema, object_contexts, task_and_project, task_for
from postil.storage import annotations as repo
from postil.storage import audit
from postil.storage import queue as queue_repo
from postil.storage.clock import as_utc, utcnow
from postil.storage.db import read, write

MAX_LEAD_TIME = 7 * 24 * 3600.0


def check_results(schema: Schema, task: dict[str, Any], result: Any, *,
                  complete: bool) -> list[dict[str, Any]]:
    """Validate results against the schema and the task's objects; `complete` adds required."""
    if not isinstance(result, list):
        raise InvalidError("result must be a list", [{"loc": ["result"], "msg": "must be a list"}])
    contexts = object_contexts(schema, task["data"], task["meta"])
    return validate_results(schema, result, contexts, require_all=complete)


def _lead_time(value: float | None) -> float:
    if value is None:
        return 0.0
    if not math.isfinite(value) or not 0 <= value <= MAX_LEAD_TIME:
        raise InvalidError("invalid lead time", [{"loc": ["lead_time"],
                           "msg": f"must be between 0 and {MAX_LEAD_TIME:.0f} seconds"}])
    return float(value)


def annotation_out(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["created_at"], out["updated_at"] = as_utc(out["created_at"]), as_utc(out["updated_at"])
    return out


def _record(conn: Connection, annotation_id: int, values: dict[str, Any], by: int) -> None:
    repo.add_history(conn, {
        "annotation_id": annotation_id, "version": values["version"],
        "status": values["status"], "result": values["result"],
        "schema_version": values["schema_version"], "lead_time": values["lead_time"],
        "changed_by": by, "created_at": values["updated_at"],
    })


def _check_prediction(conn: Connection, task_id: int, prediction_id: int | None) -> None:
    """An answer may only name a prediction of its own task (no FK keeps the reference true)."""
    if prediction_id is None:
        return
    if prediction_id not in {p["id"] for p in repo.predictions_for(conn, [task_id])}:
        message = f"prediction {prediction_id} is not one of this task's"
        raise InvalidError(message, [{"loc": ["prediction_id"], "msg": message}])


def submit(rt: Runtime, actor: Actor, task_id: int, result: Any, *,
           lead_time: float | None = None, prediction_id: int | None = None,
           status: str = "submitted") -> dict[str, Any]:
    """The actor's answer for the task (or a skip). A second submit is a conflict."""
    spent = _lead_time(lead_time)
    with write(rt.engine) as conn:
        task, settings, _ = task_and_project(conn, actor, task_id, Action.ANNOTATE)
        _check_prediction(conn, task_id, prediction_id)
        schema, project = load_schema(conn, task["project_id"], settings)
        clean = [] if status == "skipped" else check_results(schema, task, result, complete=True)
        now = utcnow()
        existing = repo.find(conn, task_id, actor.user_id)
        if existing and existing["status"] == "submitted":
            raise ConflictError("you already submitted this task; update it instead",
                                current=annotation_out(existing))
        values = {"status": status, "result": clean, "schema_version": project["schema_version"],
                  "lead_time": spent, "updated_at": now, "prediction_id": prediction_id}
        if existing:
            values["version"] = existing["version"] + 1
            values["lead_time"] += existing["lead_time"]
            repo.update_versioned(conn, existing["id"], existing["version"], values)
            annotation_id = existing["id"]
        else:
            values |= {"version": 1, "task_id": task_id, "project_id": task["project_id"],
                       "completed_by": actor.user_id, "created_at": now}
            annotation_id = repo.insert_annotation(conn, values)
        _record(conn, annotation_id, values, actor.user_id)
        if status == "submitted":
            repo.add_submitted(conn, task_id, task["project_id"], 1, project["overlap"], now)
        queue_repo.release_lease(conn, task_id, actor.user_id)
        repo.delete_draft(conn, task_id, actor.user_id)
        return annotation_out({**(existing or {}), **values, "id": annotation_id,
                               "completed_by_username": actor.username})


def skip(rt: Runtime, actor: Actor, task_id: int) -> dict[str, Any]:
    return submit(rt, actor, task_id, [], status="skipped")


def _annotation_for(conn: Connection, actor: Actor, annotation_id: int,
                    action: Action) -> tuple[dict[str, Any], dict[str, Any], Role]:
    found = repo.get(conn, annotation_id)
    if found is None:
        raise NotFoundError("annotation not found")
    try:
        task, role = task_for(conn, actor, found["task_id"], Action.VIEW_PROJECT)
    except NotFoundError:
        raise NotFoundError("annotation not found") from None
    if found["completed_by"] != actor.user_id and not is_allowed(role, Action.VIEW_ALL_ANNOTATIONS):
        raise NotFoundError("annotation not found")
    if found["completed_by"] != actor.user_id and not is_allowed(role, action):
        raise ForbiddenError("you may not change another annotator's work")
    return found, task, role


def update(rt: Runtime, actor: Actor, annotation_id: int, result: Any, *, version: int,
           lead_time: float | None = None) -> dict[str, Any]:
    """Replace an annotation's results if `version` is current; else 409 with the current one."""
    spent = _lead_time(lead_time)
    with write(rt.engine) as conn:
        found, task, _ = _annotation_for(conn, actor, annotation_id, Action.REVIEW)
        if found["version"] != version:
            raise ConflictError("the annotation changed since you loaded it",
                                current=annotation_out(found))
        schema, project = load_schema(conn, task["project_id"])
        clean = check_results(schema, task, result, complete=True)
        now = utcnow()
        values = {"status": "submitted", "result": clean, "version": version + 1,
                  "schema_version": project["schema_version"],
                  "lead_time": found["lead_time"] + spent, "updated_at": now}
        if not repo.update_versioned(conn, annotation_id, version, values):
            raise ConflictError("the annotation changed since you loaded it",
                                current=annotation_out(repo.get(conn, annotation_id) or {}))
        _record(conn, annotation_id, values, actor.user_id)
        if found["status"] != "submitted":
            repo.add_submitted(conn, task["id"], task["project_id"], 1, project["overlap"], now)
        repo.delete_draft(conn, task["id"], actor.user_id)
        return annotation_out(repo.get(conn, annotation_id) or {})


def get_annotation(rt: Runtime, actor: Actor, annotation_id: int) -> dict[str, Any]:
    with read(rt.engine) as conn:
        found, _, _ = _annotation_for(conn, actor, annotation_id, Action.VIEW_PROJECT)
        return annotation_out(found)


def history(rt: Runtime, actor: Actor, annotation_id: int) -> list[dict[str, Any]]:
    with read(rt.engine) as conn:
        _annotation_for(conn, actor, annotation_id, Action.VIEW_PROJECT)
        rows = repo.history(conn, annotation_id)
    return [{**r, "created_at": as_utc(r["created_at"])} for r in rows]


def list_for_task(rt: Runtime, actor: Actor, task_id: int) -> list[dict[str, Any]]:
    """Every annotation for reviewers and managers; annotators see only their own."""
    with read(rt.engine) as conn:
        _, role = task_for(conn, actor, task_id, Action.VIEW_PROJECT)
        mine_only = not is_allowed(role, Action.VIEW_ALL_ANNOTATIONS)
        rows = repo.for_task(conn, task_id, actor.user_id if mine_only else None)
    return [annotation_out(r) for r in rows]


def my_annotations(rt: Runtime, actor: Actor, project_id: int,
                   limit: int = 100) -> list[dict[str, Any]]:
    with read(rt.engine) as conn:
        require(conn, actor, project_id, Action.ANNOTATE)
        rows = repo.user_annotated_tasks(conn, project_id, actor.user_id, min(limit, 1000))
    return [annotation_out(r) for r in rows]


def save_draft(rt: Runtime, actor: Actor, task_id: int, result: Any, *,
               lead_time: float | None = None, base_version: int | None = None) -> dict[str, Any]:
    """Autosave: kept per user and task; never overwrites a newer submission."""
    spent = _lead_time(lead_time)
    with write(rt.engine) as conn:
        task, _ = task_for(conn, actor, task_id, Action.ANNOTATE)
        schema, project = load_schema(conn, task["project_id"])
        clean = check_results(schema, task, result, complete=False)
        existing = repo.find(conn, task_id, actor.user_id)
        if existing and existing["status"] == "submitted" and base_version != existing["version"]:
            raise ConflictError("a newer submission of this task exists",
                                current=annotation_out(existing))
        values = {"task_id": task_id, "user_id": actor.user_id, "project_id": task["project_id"],
                  "result": clean, "lead_time": spent, "base_version": base_version,
                  "schema_version": project["schema_version"], "updated_at": utcnow()}
        repo.save_draft(conn, values)
        return {**values, "updated_at": as_utc(values["updated_at"])}


def get_draft(rt: Runtime, actor: Actor, task_id: int) -> dict[str, Any] | None:
    with read(rt.engine) as conn:
        task_for(conn, actor, task_id, Action.ANNOTATE)
        draft = repo.get_draft(conn, task_id, actor.user_id)
    return {**draft, "updated_at": as_utc(draft["updated_at"])} if draft else None


def add_predictions(rt: Runtime, actor: Actor, task_id: int,
                    items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Store model results beside the task's annotations, validated like annotations."""
    with write(rt.engine) as conn:
        task, _ = task_for(conn, actor, task_id, Action.ADD_PREDICTIONS)
        schema, _ = load_schema(conn, task["project_id"])
        now = utcnow()
        rows = []
        for i, item in enumerate(items):
            try:
                clean = check_results(schema, task, item.get("result"), complete=False)
            except InvalidError as err:
                raise InvalidError(err.message, [{**e, "loc": ["predictions", i, *e["loc"]]}
                                                 for e in err.errors]) from None
            rows.append({"task_id": task_id, "project_id": task["project_id"],
                         "model_version": str(item.get("model_version") or "")[:200],
                         "score": item.get("score"), "result": clean, "created_at": now})
        repo.insert_predictions(conn, rows)
        audit.append(conn, "predictions_added", actor.user_id, project_id=task["project_id"],
                     object_type="task", object_id=str(task_id), detail={"count": len(rows)})
        return [{**r, "created_at": as_utc(now)} for r in repo.predictions_for(conn, [task_id])]


def list_predictions(rt: Runtime, actor: Actor, task_id: int) -> list[dict[str, Any]]:
    with read(rt.engine) as conn:
        task_for(conn, actor, task_id, Action.VIEW_PROJECT)
        return repo.predictions_for(conn, [task_id])
