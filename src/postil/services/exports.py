"""Exports: stream a project's tasks through a registered format, with a report of skips."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from sqlalchemy import Connection

from postil.core.formats import ExportContext, ExportReport, get_format, list_formats
from postil.core.records import ExportAnnotation, ExportTask, PredictionRecord
from postil.services.access import require
from postil.services.permissions import Action
from postil.services.runtime import Actor, Runtime
from postil.services.tasks import load_schema
from postil.storage import annotations as annotations_repo
from postil.storage import audit
from postil.storage import tasks as repo
from postil.storage import users as users_repo
from postil.storage.clock import as_utc
from postil.storage.db import read, write

CHUNK = 1000


@dataclass(frozen=True, slots=True)
class ExportFilter:
    completed_only: bool = False
    label: str | None = None
    annotator: str | None = None


def formats() -> list[dict[str, Any]]:
    return [{"name": f.name, "title": f.title, "extension": f.extension,
             "media_type": f.media_type} for f in list_formats()]


def _iso(value: Any) -> str | None:
    value = as_utc(value)
    return value.isoformat() if value is not None else None


def _has_label(annotation: dict[str, Any], label: str) -> bool:
    for item in annotation["result"]:
        value = item.get("value", {})
        for key in ("labels", "choices"):
            if label in value.get(key, []):
                return True
    return False


def _tasks(conn: Connection, project_id: int, filt: ExportFilter,
           annotator_id: int | None) -> Iterator[ExportTask]:
    filters = [repo.status_filter("completed")] if filt.completed_only else []
    if annotator_id is not None:
        filters.append(repo.annotator_filter(annotator_id))
    after = 0
    while rows := repo.rows_in_order(conn, project_id, after, CHUNK, filters):
        ids = [t["id"] for t in rows]
        after = ids[-1]
        found: dict[int, list[dict[str, Any]]] = {}
        for a in annotations_repo.for_tasks(conn, ids):
            if annotator_id is None or a["completed_by"] == annotator_id:
                found.setdefault(a["task_id"], []).append(a)
        predicted: dict[int, list[dict[str, Any]]] = {}
        for p in annotations_repo.predictions_for(conn, ids):
            predicted.setdefault(p["task_id"], []).append(p)
        for task in rows:
            anns = found.get(task["id"], [])
            if filt.label and not any(_has_label(a, filt.label) for a in anns):
                continue
            yield _export_task(task, anns, predicted.get(task["id"], []))


def _export_task(task: dict[str, Any], anns: list[dict[str, Any]],
                 preds: list[dict[str, Any]]) -> ExportTask:
    return ExportTask(
        id=task["id"], external_id=task["external_id"], data=task["data"], meta=task["meta"],
        created_at=_iso(task["created_at"]),
        annotations=[ExportAnnotation(
            id=a["id"], result=a["result"], completed_by=a["completed_by_username"],
            lead_time=a["lead_time"], created_at=_iso(a["created_at"]),
            updated_at=_iso(a["updated_at"]), schema_version=a["schema_version"])
            for a in anns],
        predictions=[PredictionRecord(result=p["result"], model_version=p["model_version"],
                                      score=p["score"]) for p in preds],
    )


def export_project(rt: Runtime, actor: Actor, project_id: int, format_name: str,
                   out: BinaryIO, filt: ExportFilter | None = None) -> ExportReport:
    """Write the project in the format to `out`, task by task, and log who exported what."""
    filt = filt or ExportFilter()
    fmt = get_format(format_name)
    with read(rt.engine) as conn:
        require(conn, actor, project_id, Action.EXPORT)
        schema, _ = load_schema(conn, project_id)
        annotator_id = None
        if filt.annotator:
            user = users_repo.find_user_by_name(conn, filt.annotator)
            annotator_id = user["id"] if user else -1
        report = fmt.write(_tasks(conn, project_id, filt, annotator_id), out,
                           ExportContext(schema=schema.to_dict()))
    with write(rt.engine) as conn:
        audit.append(conn, "project_exported", actor.user_id, project_id=project_id,
                     object_type="project", object_id=str(project_id),
                     detail={"format": format_name, "exported": report.exported,
                             "skipped": len(report.skipped)})
    return report
