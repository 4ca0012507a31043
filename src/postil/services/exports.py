"""Exports: stream a project's tasks through a registered format, with a report of skips."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from sqlalchemy import Connection

from postil.core.formats import ExportContext, ExportReport, get_format, list_formats
from postil.core.records import ExportTask
from postil.services.access import require
from postil.services.memory import release_after
from postil.services.permissions import Action
from postil.services.runtime import Actor, Runtime
from postil.services.tasks import load_schema
from postil.storage import audit
from postil.storage import users as users_repo
from postil.storage.db import read, write
from postil.storage.exports import export_tasks

CHUNK = 1000


@dataclass(frozen=True, slots=True)
class ExportFilter:
    completed_only: bool = False
    label: str | None = None
    annotator: str | None = None
    task_ids: tuple[int, ...] | None = None


def formats() -> list[dict[str, Any]]:
    return [{"name": f.name, "title": f.title, "extension": f.extension,
             "media_type": f.media_type} for f in list_formats()]


def _has_label(result: list[dict[str, Any]], label: str) -> bool:
    for item in result:
        value = item.get("value", {})
        for key in ("labels", "choices"):
            if label in value.get(key, []):
                return True
    return False


def _tasks(conn: Connection, project_id: int, filt: ExportFilter,
           annotator_id: int | None) -> Iterator[ExportTask]:
    for task in export_tasks(conn, project_id, completed_only=filt.completed_only,
                             annotator_id=annotator_id, task_ids=filt.task_ids):
        if filt.label and not any(_has_label(a.result, filt.label) for a in task.annotations):
            continue
        yield task


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
    release_after(out.tell() if out.seekable() else 0)  # 100k tasks left 25 MB of heap behind
    return report
