"""Exports, streamed from a spooled file, with a machine-readable report of what was skipped."""

from __future__ import annotations

import os
import tempfile
from typing import Annotated

import orjson
from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from postil.api.deps import ActorDep, RuntimeDep
from postil.api.models import FormatOut, Id
from postil.core.formats import get_format
from postil.services import exports

router = APIRouter(prefix="/api", tags=["exports"])
REPORT_HEADER = "X-Postil-Export-Report"


@router.get("/formats")
def list_formats(actor: ActorDep) -> list[FormatOut]:
    return [FormatOut(**f) for f in exports.formats()]


@router.get("/projects/{project_id}/export", response_class=FileResponse)
def export_project(
    project_id: Id, actor: ActorDep, rt: RuntimeDep,
    format: Annotated[str, Query(max_length=50)] = "json",  # noqa: A002
    completed_only: bool = False,
    label: Annotated[str | None, Query(max_length=200)] = None,
    annotator: Annotated[str | None, Query(max_length=150)] = None,
    ids: Annotated[list[Id] | None, Query(max_length=10_000)] = None,
) -> FileResponse:
    """The project (or the tasks `ids`) in a registered format; the header
    X-Postil-Export-Report is JSON:
    {"exported": n, "skipped": [{"task_id", "reason"}, ...]} (first 100 skips)."""
    handle, path = tempfile.mkstemp(prefix="export-", dir=rt.settings.data_dir)
    try:
        with os.fdopen(handle, "wb") as out:
            report = exports.export_project(
                rt, actor, project_id, format, out,
                exports.ExportFilter(completed_only, label, annotator,
                                     tuple(ids) if ids is not None else None))
    except BaseException:
        os.unlink(path)
        raise
    fmt = get_format(format)
    summary = {"exported": report.exported, "skipped_count": len(report.skipped),
               "skipped": report.skipped[:100]}
    return FileResponse(
        path, media_type=fmt.media_type,
        filename=f"project-{project_id}{fmt.extension}",
        headers={REPORT_HEADER: orjson.dumps(summary).decode()},
        background=BackgroundTask(os.unlink, path))
